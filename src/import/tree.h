// Writing an imported tree of files (src/import/sequent.h) to disk: the one
// place of src/import that touches the file system.
#ifndef URNA_IMPORT_TREE_H_
#define URNA_IMPORT_TREE_H_

#include <map>
#include <stdexcept>
#include <string>

namespace urna::import {

// Writes `files` (relative path -> content) below `dir`, creating folders.
// REQUIRES: every path is relative, without "." or ".." parts.
// `dir` must not exist or be an empty folder, so an import never mixes with
// or overwrites an existing repository. Throws std::runtime_error naming the
// path for that and for any failure to write.
void write_tree(const std::string& dir, const std::map<std::string, std::string>& files);

}  // namespace urna::import

#endif  // URNA_IMPORT_TREE_H_
