#include "meta/git_repo.h"

#include <dirent.h>
#include <git2.h>
#include <unistd.h>

#include <memory>

namespace urna::meta {

namespace {

struct Lib {
  Lib() { git_libgit2_init(); }
  ~Lib() { git_libgit2_shutdown(); }
};

// The one checker of every libgit2 call (as in libgit2's examples), which
// throws instead of exiting.
void check(int rc, const std::string& what) {
  if (rc >= 0) return;
  const git_error* e = git_error_last();
  throw GitError(what + ": " +
                 (e && e->message ? e->message : "libgit2 error " + std::to_string(rc)));
}

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const {
    if (p) Free(p);
  }
};
using Repo = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using Remote = std::unique_ptr<git_remote, Deleter<git_remote, git_remote_free>>;
using Object = std::unique_ptr<git_object, Deleter<git_object, git_object_free>>;
using Ref = std::unique_ptr<git_reference, Deleter<git_reference, git_reference_free>>;

bool branch_name_ok(const std::string& b) {
  if (b.empty() || b[0] == '-' || b.find("..") != std::string::npos) return false;
  return git_reference_is_valid_name(("refs/heads/" + b).c_str()) == 1;
}

// A repo_url without a scheme and not scp-like (host:path) is a local path;
// libgit2 reports a missing one as "unsupported URL protocol".
bool is_local_path(const std::string& url) {
  if (url.rfind("file://", 0) == 0) return true;
  if (url.find("://") != std::string::npos) return false;
  const auto colon = url.find(':');
  const auto slash = url.find('/');
  return colon == std::string::npos || (slash != std::string::npos && slash < colon);
}

std::string local_path(const std::string& url) {
  return url.rfind("file://", 0) == 0 ? url.substr(7) : url;
}

std::string missing_branch(const std::string& branch, const std::string& url) {
  return "branch '" + branch + "' does not exist at " + url +
         " (check repo_branch; an empty repository has no branch yet)";
}

bool is_empty_or_missing(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (!d) return true;
  bool empty = true;
  while (dirent* e = readdir(d)) {
    const std::string n = e->d_name;
    if (n != "." && n != "..") empty = false;
  }
  closedir(d);
  return empty;
}

}  // namespace

std::string fetch_checkout(const std::string& url, const std::string& branch,
                           const std::string& dir) {
  static Lib lib;
  if (url.empty()) throw GitError("repo_url is not set");
  if (!branch_name_ok(branch)) throw GitError("'" + branch + "' is not a valid branch name");
  if (is_local_path(url) && access(local_path(url).c_str(), F_OK) != 0)
    throw GitError("the repository " + url + " does not exist (repo_url is a local path, " +
                   "file://, https:// or ssh:// URL)");
  git_repository* raw = nullptr;
  Repo repo;
  if (git_repository_open_ext(&raw, dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) == 0) {
    repo.reset(raw);
  } else {
    // An existing folder that is not a repository: say so rather than
    // deleting or mixing anything.
    if (!is_empty_or_missing(dir))
      throw GitError(dir + " exists and is not a git repository (remove it or set repo_dir)");
    git_clone_options co = GIT_CLONE_OPTIONS_INIT;
    co.checkout_branch = branch.c_str();
    const int rc = git_clone(&raw, url.c_str(), dir.c_str(), &co);
    // The clone fetched everything but found no such branch to check out
    // (libgit2 removes what it created).
    const git_error* e = git_error_last();
    if (rc == GIT_ENOTFOUND && e && e->message &&
        std::string(e->message).find("refs/remotes/origin/") != std::string::npos)
      throw GitError(missing_branch(branch, url));
    check(rc, "cloning " + url + " into " + dir);
    repo.reset(raw);
  }
  // The configured URL wins over what the checkout remembers.
  git_remote* rraw = nullptr;
  if (git_remote_lookup(&rraw, repo.get(), "origin") != 0) {
    check(git_remote_create(&rraw, repo.get(), "origin", url.c_str()), "adding the remote origin");
  } else if (std::string(git_remote_url(rraw) ? git_remote_url(rraw) : "") != url) {
    git_remote_free(rraw);
    check(git_remote_set_url(repo.get(), "origin", url.c_str()), "setting the remote URL");
    check(git_remote_lookup(&rraw, repo.get(), "origin"), "reading the remote origin");
  }
  Remote remote(rraw);
  const std::string tracking = "refs/remotes/origin/" + branch;
  std::string spec = "+refs/heads/" + branch + ":" + tracking;
  char* specs[] = {spec.data()};
  git_strarray refspecs = {specs, 1};
  git_fetch_options fo = GIT_FETCH_OPTIONS_INIT;
  fo.prune = GIT_FETCH_PRUNE;
  check(git_remote_fetch(remote.get(), &refspecs, &fo, "urna-sync: fetch"),
        "fetching " + branch + " from " + url);
  git_object* oraw = nullptr;
  // The explicit refspec with prune drops the tracking ref of a branch
  // deleted upstream, so a stale commit is never taken for the branch.
  const int rc = git_revparse_single(&oraw, repo.get(), (tracking + "^{commit}").c_str());
  if (rc == GIT_ENOTFOUND) throw GitError(missing_branch(branch, url));
  check(rc, "finding branch '" + branch + "' at " + url);
  Object target(oraw);
  // Move the local branch to the remote's commit (also after a force push)
  // and make the working tree match it exactly.
  git_reference* lref = nullptr;
  const git_oid* oid = git_object_id(target.get());
  check(git_reference_create(&lref, repo.get(), ("refs/heads/" + branch).c_str(), oid, 1,
                             "urna-sync: follow origin"),
        "updating the local branch");
  Ref local(lref);
  check(git_repository_set_head(repo.get(), ("refs/heads/" + branch).c_str()), "setting HEAD");
  check(git_reset(repo.get(), target.get(), GIT_RESET_HARD, nullptr), "checking out the commit");
  // git_reset's hard mode forces its own checkout strategy and keeps
  // untracked and ignored files; the loader would read them (a stray
  // candidate-x.md, an election folder left by hand), so remove them.
  git_checkout_options cko = GIT_CHECKOUT_OPTIONS_INIT;
  cko.checkout_strategy =
      GIT_CHECKOUT_FORCE | GIT_CHECKOUT_REMOVE_UNTRACKED | GIT_CHECKOUT_REMOVE_IGNORED;
  check(git_checkout_head(repo.get(), &cko), "removing files that are not in the commit");
  return git_oid_tostr_s(oid);
}

std::string head_commit(const std::string& dir) {
  static Lib lib;
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0)
    return "";
  Repo repo(raw);
  git_object* o = nullptr;
  if (git_revparse_single(&o, repo.get(), "HEAD^{commit}") != 0) return "";
  Object obj(o);
  return git_oid_tostr_s(git_object_id(obj.get()));
}

}  // namespace urna::meta
