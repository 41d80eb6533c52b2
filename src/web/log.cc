#include "web/log.h"

#include <cstdio>
#include <ctime>
#include <mutex>

namespace urna::web {

void log_line(const std::string& level, const std::string& message) {
  static std::mutex mu;
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char ts[32];
  std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
  // Control characters are escaped so a request cannot forge log lines.
  std::string clean;
  for (unsigned char c : message) {
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      clean += buf;
    } else {
      clean.push_back(static_cast<char>(c));
    }
  }
  std::lock_guard<std::mutex> lock(mu);
  std::fprintf(stderr, "%s urna.fcgi %s %s\n", ts, level.c_str(), clean.c_str());
  std::fflush(stderr);
}

}  // namespace urna::web
