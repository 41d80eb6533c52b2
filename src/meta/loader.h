// Loads and validates a metadata repository laid out as Elekto's (DESIGN.md
// §3, docs/metadata.md): every election under `root`, its candidates, voters,
// questions, parent/children structure and result pipes. Reads files only
// (no git, no database, no clock). Thread-compatible: no shared state.
#ifndef URNA_META_LOADER_H_
#define URNA_META_LOADER_H_

#include <string>
#include <vector>

#include "core/model.h"
#include "meta/issue.h"

namespace urna::meta {

struct LoadResult {
  // Every election that parsed, sorted by id. Only meaningful when ok():
  // a repository with errors is rejected as a whole.
  core::Snapshot snapshot; // snapshot.commit is left empty
  // Errors and warnings of every election (one bad election does not hide
  // the others'), in file order, each with the election it concerns.
  std::vector<Issue> issues;

  bool ok() const { return count_errors(issues) == 0; }
  // No errors and no warnings either (urna-sync --strict).
  bool ok_strict() const { return issues.empty(); }
  // Every issue as "FILE: FIELD: message", one per line.
  std::string report() const;
};

// `dir` is the working tree; `root` the folder of elections inside it
// (e.g. "elections"; "." or "" for the whole tree). Never throws for
// problems of the repository (they become issues); throws std::bad_alloc
// only.
LoadResult load_repository(const std::string &dir, const std::string &root);

} // namespace urna::meta

#endif // URNA_META_LOADER_H_
