// Test helpers for the meta tests: a temporary folder removed at the end,
// files written into it, and the source tree's paths.
#ifndef URNA_T_UNIT_META_FIXTURE_H_
#define URNA_T_UNIT_META_FIXTURE_H_

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace urna::testing {

// The source tree (URNA_SRCDIR from `make check`, else the current folder).
inline std::string srcdir() {
  const char *s = std::getenv("URNA_SRCDIR");
  return s && *s ? s : ".";
}

class TempDir {
public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "urna-meta-XXXXXX").string();
    if (!mkdtemp(tmpl.data()))
      throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  const std::string &path() const { return path_; }
  std::string operator/(const std::string &rel) const {
    return path_ + "/" + rel;
  }

  // Writes `text` to `rel`, creating folders.
  void write(const std::string &rel, const std::string &text) const {
    std::filesystem::path p = std::filesystem::path(path_) / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << text;
    if (!out)
      throw std::runtime_error("cannot write " + p.string());
  }
  void remove(const std::string &rel) const {
    std::filesystem::remove_all(std::filesystem::path(path_) / rel);
  }
  void symlink(const std::string &target, const std::string &rel) const {
    std::filesystem::path p = std::filesystem::path(path_) / rel;
    std::filesystem::create_directories(p.parent_path());
    std::filesystem::create_symlink(target, p);
  }
  void copy_from(const std::string &src) const {
    std::filesystem::copy(
        src, path_,
        std::filesystem::copy_options::recursive |
            std::filesystem::copy_options::overwrite_existing);
  }

private:
  std::string path_;
};

} // namespace urna::testing

#endif // URNA_T_UNIT_META_FIXTURE_H_
