// The metadata repository's checkout, kept by urna-sync with libgit2: clone
// on the first run, then fetch and move to the remote branch's commit
// (a force-pushed history is followed by a hard reset, so the checkout is
// always exactly the remote branch). Local paths, file:// and https://
// URLs. Not thread-safe (one urna-sync at a time, see the lock).
#ifndef URNA_META_GIT_REPO_H_
#define URNA_META_GIT_REPO_H_

#include <stdexcept>
#include <string>

namespace urna::meta {

class GitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Brings `dir` to the tip of `branch` at `url`; returns that commit's id
// (40 hex digits). Throws GitError naming the step and libgit2's message;
// on failure the checkout is left as it was or partly updated, never
// trusted: the caller stores a snapshot only after validating the tree.
std::string fetch_checkout(const std::string& url, const std::string& branch,
                           const std::string& dir);

// The commit id of HEAD in `dir`, or "" when `dir` is not a repository.
std::string head_commit(const std::string& dir);

}  // namespace urna::meta

#endif  // URNA_META_GIT_REPO_H_
