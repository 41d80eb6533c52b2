// Reading urna's configuration file in the command-line programs' main():
// the file's text plus the process environment (for secrets), parsed by
// core::parse_config. Throws core::ConfigError naming the file.
#ifndef URNA_BIN_CONFIG_FILE_H_
#define URNA_BIN_CONFIG_FILE_H_

#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "core/config.h"

extern char** environ;

namespace urna::bin {

inline std::map<std::string, std::string> environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    const char* eq = std::strchr(*e, '=');
    if (eq) env.emplace(std::string(*e, static_cast<size_t>(eq - *e)), std::string(eq + 1));
  }
  return env;
}

// for_web: see core::parse_config.
inline core::Config read_config_file(const std::string& path, bool for_web) {
  std::ifstream in(path);
  if (!in) throw core::ConfigError(path + ": cannot read the configuration file");
  std::stringstream text;
  text << in.rdbuf();
  return core::parse_config(text.str(), path, environment(), for_web);
}

}  // namespace urna::bin

#endif  // URNA_BIN_CONFIG_FILE_H_
