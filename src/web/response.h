// The response a handler builds; the FastCGI loop writes it out. Security
// headers are added by the loop, not by handlers.
#ifndef URNA_WEB_RESPONSE_H_
#define URNA_WEB_RESPONSE_H_

#include <string>
#include <utility>
#include <vector>

namespace urna::web {

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> cookies;  // full Set-Cookie values
  std::string body;

  // 303 See Other to `location` (an absolute path inside urna).
  void redirect(const std::string& location, int code = 303) {
    status = code;
    headers.emplace_back("Location", location);
    body.clear();
  }
  void header(const std::string& name, const std::string& value) {
    headers.emplace_back(name, value);
  }
};

}  // namespace urna::web

#endif  // URNA_WEB_RESPONSE_H_
