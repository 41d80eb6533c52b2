// urna-import: foreign election configurations -> urna's metadata repository
// layout (docs/import.md). A thin main: flags, read the file, import, write.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "import/sequent.h"
#include "import/tree.h"

namespace {

const char kUsage[] =
    "usage: urna-import sequent FILE.json OUTDIR [--root FOLDER] [--officer LOGIN]...\n"
    "  Writes the elections of a Sequent election-creation list as an urna\n"
    "  metadata repository in OUTDIR (a new or empty folder), and prints what\n"
    "  was imported and every field that was not carried over (also written\n"
    "  to OUTDIR/sequent-import.md).\n"
    "  --root FOLDER    the elections folder inside OUTDIR (default: elections)\n"
    "  --officer LOGIN  an election officer of every top-level election (repeatable)\n";

int usage(const std::string& why) {
  if (!why.empty()) std::cerr << "urna-import: " << why << "\n";
  std::cerr << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> pos;
  urna::import::ImportOptions opt;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--root" || a == "--officer") {
      if (i + 1 >= argc) return usage(a + " needs a value");
      if (a == "--root")
        opt.root = argv[++i];
      else
        opt.officers.push_back(argv[++i]);
    } else if (a.size() > 1 && a[0] == '-') {
      return usage("unknown option " + a);
    } else {
      pos.push_back(a);
    }
  }
  if (pos.empty()) return usage("");
  if (pos[0] != "sequent") return usage("unknown format '" + pos[0] + "' (known: sequent)");
  if (pos.size() != 3) return usage("sequent takes FILE.json and OUTDIR");
  const std::string& file = pos[1];
  const std::string& outdir = pos[2];
  if (opt.root.empty() || opt.root.find("..") != std::string::npos || opt.root[0] == '/')
    return usage("--root takes a relative folder");

  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::cerr << "urna-import: " << file << ": " << std::strerror(errno) << "\n";
    return 1;
  }
  std::ostringstream text;
  text << in.rdbuf();
  // The file's name, not its path: the same file gives the same tree.
  opt.source_name =
      file.substr(file.find_last_of('/') == std::string::npos ? 0 : file.find_last_of('/') + 1);
  urna::import::ImportResult r;
  try {
    r = urna::import::import_sequent(text.str(), opt);
  } catch (const urna::import::ImportError& e) {
    std::cerr << "urna-import: " << file << ": " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {  // a bug of ours: still no crash
    std::cerr << "urna-import: " << file << ": internal error: " << e.what() << "\n";
    return 1;
  }
  try {
    urna::import::write_tree(outdir, r.files);
  } catch (const std::exception& e) {
    std::cerr << "urna-import: " << e.what() << "\n";
    return 1;
  }
  std::cout << r.report;
  std::cout << "\nWrote " << r.files.size() << " files to " << outdir
            << "; check them with: urna-sync --check " << outdir << " --root " << opt.root << "\n";
  return 0;
}
