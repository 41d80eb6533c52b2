// libFuzzer harness: the metadata loader (src/meta/loader.h) over a
// repository written from the input — election.yaml / election.json (YAML
// and JSON), voters.yaml (also its fast path), candidate-*.md (front
// matter and Markdown), election_desc.md, results.md, parents and children.
//
// Input: a bundle of files. A line "== <path>" starts a file (the path is
// relative to the repository; parts of letters, digits, '.', '_', '-', not
// "." or ".."); text before the first such line is
// elections/fuzz/election.yaml. Files are written to a private temporary
// folder, then load_repository(folder, "elections") runs.
// Checks: the loader never throws (problems become issues); an accepted
// repository has elections with questions, every question with answers;
// report() formats every issue.
#include <unistd.h>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "meta/loader.h"

namespace fs = std::filesystem;

namespace {

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "meta_fuzz: property failed: %s\n", what);
    std::abort();
  }
}

const fs::path& work_dir() {
  static const fs::path dir = [] {
    // Memory-backed when there is /dev/shm: on a disk each run waits for
    // the file system (40 runs a second instead of 300).
    const char* tmp = std::getenv("TMPDIR");
    std::string base = tmp && *tmp ? tmp : "/tmp";
    if (access("/dev/shm", W_OK) == 0) base = "/dev/shm";
    std::string t = base + "/urna-meta-fuzz-XXXXXX";
    std::vector<char> buf(t.begin(), t.end());
    buf.push_back('\0');
    require(mkdtemp(buf.data()) != nullptr, "mkdtemp");
    fs::path p(buf.data());
    // Removed at exit (libFuzzer calls exit() at the end of a run).
    static const fs::path keep = p;
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(keep, ec);
    });
    return p;
  }();
  return dir;
}

bool safe_path(const std::string& path) {
  if (path.empty() || path.size() > 200) return false;
  int depth = 0;
  size_t pos = 0;
  while (true) {
    size_t slash = path.find('/', pos);
    std::string part =
        path.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
    if (part.empty() || part == "." || part == ".." || ++depth > 8) return false;
    for (char c : part)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
        return false;
    if (slash == std::string::npos) return true;
    pos = slash + 1;
  }
}

struct File {
  std::string path;
  std::string content;
};

std::vector<File> unbundle(const std::string& in) {
  std::vector<File> files;
  File cur{"elections/fuzz/election.yaml", ""};
  size_t pos = 0;
  while (pos < in.size()) {
    size_t nl = in.find('\n', pos);
    size_t end = nl == std::string::npos ? in.size() : nl + 1;
    if (in.compare(pos, 3, "== ") == 0) {
      files.push_back(std::move(cur));
      cur = File{in.substr(pos + 3, (nl == std::string::npos ? in.size() : nl) - pos - 3), ""};
    } else {
      cur.content.append(in, pos, end - pos);
    }
    pos = end;
  }
  files.push_back(std::move(cur));
  return files;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fs::path& dir = work_dir();
  std::error_code ec;
  fs::remove_all(dir / "elections", ec);
  fs::create_directories(dir / "elections", ec);
  int written = 0;
  for (const File& f : unbundle(std::string(reinterpret_cast<const char*>(data), size))) {
    if (!safe_path(f.path) || f.path.compare(0, 10, "elections/") != 0 || ++written > 32) continue;
    fs::path p = dir / f.path;
    fs::create_directories(p.parent_path(), ec);
    if (ec) continue;  // a file where a folder should be: skipped
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << f.content;
  }
  urna::meta::LoadResult r = urna::meta::load_repository(dir.string(), "elections");
  (void)r.report();
  if (r.ok()) {
    for (const auto& e : r.snapshot.elections) {
      require(!e.id.empty(), "an election without an id");
      require(!e.questions.empty(), "an accepted election without questions");
      for (const auto& q : e.questions) require(!q.answers.empty(), "a question without answers");
    }
  }
  return 0;
}
