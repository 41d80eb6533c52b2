// Unit tests for src/meta/git_repo: urna-sync's checkout of the metadata
// repository. Real repositories are built with the git command line in
// temporary folders while the tests run (cgit style): an "upstream" working
// clone pushes to a bare "origin" that fetch_checkout() follows.
#define BOOST_TEST_MODULE git_repo
#include "meta/git_repo.h"

#include <sys/wait.h>

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "meta_fixture.h"

using urna::meta::fetch_checkout;
using urna::meta::GitError;
using urna::meta::head_commit;
using urna::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// Runs a shell command; returns its stdout (trailing newline removed) and
// fails the test with the output when it exits non-zero.
std::string sh(const std::string &cmd) {
  const std::string full = "(" + cmd + ") 2>&1";
  FILE *p = popen(full.c_str(), "r");
  BOOST_REQUIRE(p);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int rc = pclose(p);
  if (rc != 0) BOOST_FAIL("command failed (" << rc << "): " << cmd << "\n" << out);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

bool git_available() { return std::system("git --version >/dev/null 2>&1") == 0; }

std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool exists(const std::string &path) { return fs::exists(path); }

// A bare origin plus a working clone that commits and pushes to it.
class Upstream {
 public:
  explicit Upstream(const TempDir &tmp, const std::string &name = "origin")
      : origin_(tmp / (name + ".git")), work_(tmp / (name + "-work")) {
    sh("git init -q --bare -b main " + origin_);
    sh("git init -q -b main " + work_);
    git("remote add origin " + origin_);
  }

  const std::string &origin() const { return origin_; }
  const std::string &work() const { return work_; }

  std::string git(const std::string &args) const {
    return sh("git -C " + work_ +
              " -c user.name=test -c user.email=test@localhost"
              " -c commit.gpgsign=false " +
              args);
  }

  // Writes files, commits everything and pushes `branch`; returns the id.
  std::string commit(const std::string &file, const std::string &text,
                     const std::string &branch = "main") {
    const fs::path p = fs::path(work_) / file;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    git("add -A");
    git("commit -q -m " + file);
    git("push -q origin HEAD:refs/heads/" + branch);
    return git("rev-parse HEAD");
  }

 private:
  std::string origin_, work_;
};

// The fixtures are made with the git command line (a package dev.sh
// installs): without it every case fails with that message.
struct GitFixture {
  GitFixture() { BOOST_REQUIRE_MESSAGE(git_available(), "the git command is needed (apt-get install git)"); }
  TempDir tmp;
  std::string checkout = tmp / "checkout";
};

// Expects fetch_checkout to throw a GitError whose message contains every
// one of `parts`.
void expect_git_error(const std::string &url, const std::string &branch, const std::string &dir,
                      std::initializer_list<std::string> parts) {
  try {
    fetch_checkout(url, branch, dir);
    BOOST_ERROR("no GitError for url=" << url << " branch=" << branch);
  } catch (const GitError &e) {
    const std::string msg = e.what();
    BOOST_TEST_MESSAGE("GitError: " << msg);
    for (const auto &part : parts)
      BOOST_CHECK_MESSAGE(msg.find(part) != std::string::npos,
                          "'" << msg << "' does not mention '" << part << "'");
  }
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(git_repo, GitFixture)

BOOST_AUTO_TEST_CASE(first_clone_checks_out_the_branch) {
  Upstream up(tmp);
  const std::string c1 = up.commit("elections/a/election.yaml", "name: A\n");
  BOOST_TEST(head_commit(checkout) == "");
  BOOST_TEST(fetch_checkout(up.origin(), "main", checkout) == c1);
  BOOST_TEST(read_file(checkout + "/elections/a/election.yaml") == "name: A\n");
  BOOST_TEST(head_commit(checkout) == c1);
  BOOST_TEST(sh("git -C " + checkout + " symbolic-ref HEAD") == "refs/heads/main");
}

BOOST_AUTO_TEST_CASE(an_existing_empty_folder_is_cloned_into) {
  Upstream up(tmp);
  const std::string c1 = up.commit("a.txt", "a\n");
  fs::create_directories(checkout);
  BOOST_TEST(fetch_checkout(up.origin(), "main", checkout) == c1);
  BOOST_TEST(read_file(checkout + "/a.txt") == "a\n");
}

BOOST_AUTO_TEST_CASE(missing_parent_folders_of_the_checkout_are_created) {
  Upstream up(tmp);
  const std::string c1 = up.commit("a.txt", "a\n");
  const std::string deep = tmp / "var/lib/urna/meta";
  BOOST_TEST(fetch_checkout(up.origin(), "main", deep) == c1);
  BOOST_TEST(read_file(deep + "/a.txt") == "a\n");
}

BOOST_AUTO_TEST_CASE(an_interrupted_clone_is_completed) {
  // A clone killed half-way (urna-sync --timeout) can leave a repository
  // without commits or remote; the next run fetches into it.
  Upstream up(tmp);
  const std::string c1 = up.commit("a.txt", "a\n");
  sh("git init -q -b main " + checkout);
  BOOST_TEST(fetch_checkout(up.origin(), "main", checkout) == c1);
  BOOST_TEST(read_file(checkout + "/a.txt") == "a\n");
  BOOST_TEST(sh("git -C " + checkout + " config remote.origin.url") == up.origin());
}

BOOST_AUTO_TEST_CASE(a_new_commit_is_fetched_fast_forward) {
  Upstream up(tmp);
  const std::string c1 = up.commit("a.txt", "a\n");
  BOOST_TEST(fetch_checkout(up.origin(), "main", checkout) == c1);
  const std::string c2 = up.commit("b.txt", "b\n");
  BOOST_TEST(c2 != c1);
  BOOST_TEST(fetch_checkout(up.origin(), "main", checkout) == c2);
  BOOST_TEST(read_file(checkout + "/b.txt") == "b\n");
  BOOST_TEST(head_commit(checkout) == c2);
  // Nothing new: same commit, nothing changes.
  BOOST_TEST(fetch_checkout(up.origin(), "main", checkout) == c2);
}

BOOST_AUTO_TEST_CASE(a_force_pushed_history_is_followed_exactly) {
  Upstream up(tmp);
  const std::string c1 = up.commit("a.txt", "a\n");
  const std::string c2 = up.commit("b.txt", "b\n");
  BOOST_TEST(fetch_checkout(up.origin(), "main", checkout) == c2);
  // Rewrite: drop c2, commit something else on top of c1, force-push.
  up.git("reset -q --hard " + c1);
  std::ofstream(up.work() + "/c.txt") << "c\n";
  up.git("add c.txt");
  up.git("commit -q -m rewritten");
  up.git("push -q -f origin main");
  const std::string c3 = up.git("rev-parse HEAD");
  BOOST_TEST(fetch_checkout(up.origin(), "main", checkout) == c3);
  BOOST_TEST(!exists(checkout + "/b.txt"));
  BOOST_TEST(read_file(checkout + "/c.txt") == "c\n");
  BOOST_TEST(sh("git -C " + checkout + " rev-parse refs/heads/main") == c3);
  // A force-push back to an older commit (a revert by reset) too.
  up.git("push -q -f origin " + c1 + ":refs/heads/main");
  BOOST_TEST(fetch_checkout(up.origin(), "main", checkout) == c1);
  BOOST_TEST(!exists(checkout + "/c.txt"));
  BOOST_TEST(exists(checkout + "/a.txt"));
}

BOOST_AUTO_TEST_CASE(a_file_url_works_like_a_local_path) {
  Upstream up(tmp);
  const std::string c1 = up.commit("a.txt", "a\n");
  BOOST_TEST(fetch_checkout("file://" + up.origin(), "main", checkout) == c1);
  BOOST_TEST(read_file(checkout + "/a.txt") == "a\n");
  const std::string c2 = up.commit("b.txt", "b\n");
  BOOST_TEST(fetch_checkout("file://" + up.origin(), "main", checkout) == c2);
  // A non-bare repository's path works as well.
  const std::string other = tmp / "from-work";
  BOOST_TEST(fetch_checkout(up.work(), "main", other) == c2);
}

BOOST_AUTO_TEST_CASE(another_branch_is_followed) {
  Upstream up(tmp);
  const std::string c1 = up.commit("a.txt", "a\n");
  const std::string r1 = up.commit("release.txt", "r\n", "release");
  BOOST_TEST(fetch_checkout(up.origin(), "release", checkout) == r1);
  BOOST_TEST(sh("git -C " + checkout + " symbolic-ref HEAD") == "refs/heads/release");
  // The configured branch changes back to main.
  up.git("reset -q --hard " + c1);
  BOOST_TEST(fetch_checkout(up.origin(), "main", checkout) == c1);
  BOOST_TEST(sh("git -C " + checkout + " symbolic-ref HEAD") == "refs/heads/main");
  BOOST_TEST(!exists(checkout + "/release.txt"));
}

BOOST_AUTO_TEST_CASE(a_missing_branch_is_a_clear_error) {
  Upstream up(tmp);
  up.commit("a.txt", "a\n");
  // On the first clone.
  expect_git_error(up.origin(), "no-such-branch", checkout,
                   {"branch 'no-such-branch' does not exist at " + up.origin()});
  BOOST_TEST(head_commit(checkout) == "");
  // On a later fetch.
  const std::string c1 = fetch_checkout(up.origin(), "main", checkout);
  expect_git_error(up.origin(), "gone", checkout,
                   {"branch 'gone' does not exist at " + up.origin()});
  BOOST_TEST(head_commit(checkout) == c1);
}

BOOST_AUTO_TEST_CASE(a_branch_deleted_upstream_is_an_error_not_the_old_commit) {
  Upstream up(tmp);
  up.commit("a.txt", "a\n");
  up.commit("r.txt", "r\n", "release");
  fetch_checkout(up.origin(), "release", checkout);
  up.git("push -q origin --delete release");
  expect_git_error(up.origin(), "release", checkout,
                   {"branch 'release' does not exist at " + up.origin()});
}

BOOST_AUTO_TEST_CASE(an_unreachable_url_is_a_clear_error) {
  const std::string missing = tmp / "no-such-repo.git";
  expect_git_error(missing, "main", checkout, {"the repository " + missing + " does not exist"});
  expect_git_error("file://" + missing, "main", checkout, {missing, "does not exist"});
  BOOST_TEST(!exists(checkout + "/.git"));
  // A URL scheme libgit2 cannot speak.
  expect_git_error("gopher://example.invalid/meta.git", "main", checkout,
                   {"gopher://example.invalid/meta.git"});
  expect_git_error("", "main", checkout, {"repo_url"});
}

BOOST_AUTO_TEST_CASE(an_unreachable_url_after_a_clone_keeps_the_checkout) {
  Upstream up(tmp);
  const std::string c1 = up.commit("a.txt", "a\n");
  BOOST_TEST(fetch_checkout(up.origin(), "main", checkout) == c1);
  fs::rename(up.origin(), tmp / "moved.git");
  expect_git_error(up.origin(), "main", checkout, {up.origin(), "does not exist"});
  BOOST_TEST(head_commit(checkout) == c1);
  // Not a repository at all.
  fs::create_directories(tmp / "plain");
  expect_git_error(tmp / "plain", "main", checkout, {tmp / "plain"});
  BOOST_TEST(head_commit(checkout) == c1);
  BOOST_TEST(read_file(checkout + "/a.txt") == "a\n");
}

BOOST_AUTO_TEST_CASE(invalid_branch_names_are_refused_before_any_git) {
  Upstream up(tmp);
  up.commit("a.txt", "a\n");
  for (const std::string b : {"", "-x", "a..b", "a b", "main~1", "main^", "a:b", "refs/../x",
                              "x.lock", "/main", "main/", "a\\b", "@{-1}"}) {
    BOOST_TEST_CONTEXT("branch '" << b << "'") {
      expect_git_error(up.origin(), b, checkout, {"not a valid branch name"});
      BOOST_TEST(!exists(checkout));
    }
  }
  // Slashes inside a name are fine.
  up.commit("b.txt", "b\n", "release/2026");
  BOOST_TEST(!fetch_checkout(up.origin(), "release/2026", checkout).empty());
}

BOOST_AUTO_TEST_CASE(a_folder_that_is_not_a_repository_is_left_alone) {
  Upstream up(tmp);
  up.commit("a.txt", "a\n");
  fs::create_directories(checkout + "/sub");
  std::ofstream(checkout + "/precious.txt") << "keep me\n";
  std::ofstream(checkout + "/sub/more.txt") << "and me\n";
  expect_git_error(up.origin(), "main", checkout, {checkout, "not a git repository"});
  BOOST_TEST(read_file(checkout + "/precious.txt") == "keep me\n");
  BOOST_TEST(read_file(checkout + "/sub/more.txt") == "and me\n");
  BOOST_TEST(!exists(checkout + "/a.txt"));
  BOOST_TEST(!exists(checkout + "/.git"));
  // A plain file where the checkout should be.
  const std::string file = tmp / "a-file";
  std::ofstream(file) << "x\n";
  expect_git_error(up.origin(), "main", file, {file});
  BOOST_TEST(read_file(file) == "x\n");
}

BOOST_AUTO_TEST_CASE(a_folder_inside_another_repository_is_not_that_repository) {
  // repo_dir below some other checkout: open must not search upwards and
  // reset the outer repository.
  Upstream up(tmp);
  const std::string c1 = up.commit("a.txt", "a\n");
  const std::string outer = tmp / "outer";
  sh("git init -q " + outer);
  std::ofstream(outer + "/outer.txt") << "outer\n";
  const std::string inner = outer + "/meta";
  BOOST_TEST(fetch_checkout(up.origin(), "main", inner) == c1);
  BOOST_TEST(read_file(outer + "/outer.txt") == "outer\n");
  BOOST_TEST(read_file(inner + "/a.txt") == "a\n");
}

BOOST_AUTO_TEST_CASE(local_changes_in_the_checkout_are_reset) {
  Upstream up(tmp);
  up.commit(".gitignore", "*.tmp\n");
  const std::string c1 = up.commit("elections/a/election.yaml", "name: A\n");
  BOOST_TEST(fetch_checkout(up.origin(), "main", checkout) == c1);
  // Someone edits the checkout by hand.
  std::ofstream(checkout + "/elections/a/election.yaml") << "name: Tampered\n";
  std::ofstream(checkout + "/elections/a/candidate-x.md") << "---\nname: X\n---\n";
  fs::create_directories(checkout + "/elections/b");
  std::ofstream(checkout + "/elections/b/election.yaml") << "name: B\n";
  std::ofstream(checkout + "/elections/a/notes.tmp") << "ignored\n";
  fs::remove(checkout + "/.gitignore");
  BOOST_TEST(fetch_checkout(up.origin(), "main", checkout) == c1);
  BOOST_TEST(read_file(checkout + "/elections/a/election.yaml") == "name: A\n");
  BOOST_TEST(!exists(checkout + "/elections/a/candidate-x.md"));
  BOOST_TEST(!exists(checkout + "/elections/b"));
  BOOST_TEST(!exists(checkout + "/elections/a/notes.tmp"));
  BOOST_TEST(exists(checkout + "/.gitignore"));
  BOOST_TEST(sh("git -C " + checkout + " status --porcelain --ignored") == "");
  // A local commit in the checkout is dropped too.
  sh("git -C " + checkout +
     " -c user.name=x -c user.email=x@localhost -c commit.gpgsign=false"
     " commit -q --allow-empty -m local");
  BOOST_TEST(head_commit(checkout) != c1);
  BOOST_TEST(fetch_checkout(up.origin(), "main", checkout) == c1);
  BOOST_TEST(head_commit(checkout) == c1);
  // Staged changes as well.
  std::ofstream(checkout + "/staged.txt") << "s\n";
  sh("git -C " + checkout + " add staged.txt");
  BOOST_TEST(fetch_checkout(up.origin(), "main", checkout) == c1);
  BOOST_TEST(!exists(checkout + "/staged.txt"));
  BOOST_TEST(sh("git -C " + checkout + " status --porcelain") == "");
}

BOOST_AUTO_TEST_CASE(a_detached_head_is_brought_back_to_the_branch) {
  Upstream up(tmp);
  const std::string c1 = up.commit("a.txt", "a\n");
  const std::string c2 = up.commit("b.txt", "b\n");
  fetch_checkout(up.origin(), "main", checkout);
  sh("git -C " + checkout + " checkout -q --detach " + c1);
  BOOST_TEST(fetch_checkout(up.origin(), "main", checkout) == c2);
  BOOST_TEST(sh("git -C " + checkout + " symbolic-ref HEAD") == "refs/heads/main");
}

BOOST_AUTO_TEST_CASE(a_changed_remote_url_is_followed) {
  Upstream first(tmp, "first");
  Upstream second(tmp, "second");
  const std::string a = first.commit("first.txt", "1\n");
  const std::string b = second.commit("second.txt", "2\n");
  BOOST_TEST(fetch_checkout(first.origin(), "main", checkout) == a);
  BOOST_TEST(sh("git -C " + checkout + " config remote.origin.url") == first.origin());
  // The administrator points repo_url at another repository.
  BOOST_TEST(fetch_checkout(second.origin(), "main", checkout) == b);
  BOOST_TEST(sh("git -C " + checkout + " config remote.origin.url") == second.origin());
  BOOST_TEST(!exists(checkout + "/first.txt"));
  BOOST_TEST(read_file(checkout + "/second.txt") == "2\n");
  // Someone edits the checkout's config by hand; the configured URL wins.
  sh("git -C " + checkout + " remote set-url origin " + first.origin());
  BOOST_TEST(fetch_checkout(second.origin(), "main", checkout) == b);
  BOOST_TEST(sh("git -C " + checkout + " config remote.origin.url") == second.origin());
  // No origin remote at all.
  sh("git -C " + checkout + " remote remove origin");
  BOOST_TEST(fetch_checkout(second.origin(), "main", checkout) == b);
}

BOOST_AUTO_TEST_CASE(head_commit_of_non_repositories_is_empty) {
  BOOST_TEST(head_commit(tmp / "missing") == "");
  BOOST_TEST(head_commit(tmp.path()) == "");
  sh("git init -q " + (tmp / "empty"));
  BOOST_TEST(head_commit(tmp / "empty") == "");
}

BOOST_AUTO_TEST_CASE(an_empty_remote_is_a_clear_error) {
  const std::string bare = tmp / "empty.git";
  sh("git init -q --bare " + bare);
  expect_git_error(bare, "main", checkout, {"branch 'main' does not exist at " + bare});
}

BOOST_AUTO_TEST_SUITE_END()
