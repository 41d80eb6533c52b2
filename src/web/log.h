// One log line per event on stderr (the web server or spawn-fcgi collects
// it). Thread-safe. Never pass ballots, passcodes, tokens or cookies.
#ifndef URNA_WEB_LOG_H_
#define URNA_WEB_LOG_H_

#include <string>

namespace urna::web {

void log_line(const std::string& level, const std::string& message);

}  // namespace urna::web

#endif  // URNA_WEB_LOG_H_
