// libFuzzer harness: the Sequent import (src/import/sequent.h).
//
// Input: the JSON text of an election-creation list. Checks: import_sequent
// throws only ImportError (with a message), never anything else; what it
// returns is a tree write_tree accepts: relative paths without "", "." or
// ".." parts, and the report is the file sequent-import.md.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "import/sequent.h"

namespace {

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "sequent_fuzz: property failed: %s\n", what);
    std::abort();
  }
}

bool safe_relative(const std::string& path) {
  if (path.empty() || path[0] == '/') return false;
  size_t pos = 0;
  while (true) {
    size_t slash = path.find('/', pos);
    std::string part =
        path.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
    if (part.empty() || part == "." || part == ".." || part.find('\0') != std::string::npos)
      return false;
    if (slash == std::string::npos) return true;
    pos = slash + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string json(reinterpret_cast<const char*>(data), size);
  urna::import::ImportOptions opt;
  opt.officers = {"olga"};
  opt.source_name = "fuzz.json";
  try {
    urna::import::ImportResult r = urna::import::import_sequent(json, opt);
    for (const auto& [path, content] : r.files) {
      require(safe_relative(path), "an unsafe path in the imported tree");
      require(
          path == "sequent-import.md" || path.compare(0, opt.root.size() + 1, opt.root + "/") == 0,
          "a file outside the root folder");
    }
    auto it = r.files.find("sequent-import.md");
    require(it != r.files.end() && it->second == r.report, "the report is not sequent-import.md");
  } catch (const urna::import::ImportError& e) {
    require(*e.what() != '\0', "an ImportError without a message");
  }
  return 0;
}
