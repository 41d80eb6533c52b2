#include "import/tree.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace urna::import {

namespace fs = std::filesystem;

void write_tree(const std::string& dir, const std::map<std::string, std::string>& files) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) throw std::runtime_error(dir + ": exists and is not a folder");
    if (!fs::is_empty(dir, ec))
      throw std::runtime_error(dir + ": the folder is not empty (the import writes a new one)");
  }
  for (const auto& [rel, content] : files) {
    fs::path rp(rel);
    if (rel.empty() || rp.is_absolute()) throw std::runtime_error(rel + ": not a relative path");
    for (const auto& part : rp)
      if (part == "." || part == "..") throw std::runtime_error(rel + ": '.' or '..' in a path");
    const fs::path p = fs::path(dir) / rp;
    fs::create_directories(p.parent_path(), ec);
    if (ec) throw std::runtime_error(p.parent_path().string() + ": " + ec.message());
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(p.string() + ": " + std::strerror(errno));
    out << content;
    out.close();
    if (!out) throw std::runtime_error(p.string() + ": write failed");
  }
}

}  // namespace urna::import
