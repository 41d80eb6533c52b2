// The errors a visitor may see. Thrown anywhere on a request path and turned
// into an error page (with this status and message) by the FastCGI loop,
// which is the only catch. Messages are public: never put secrets in them.
#ifndef URNA_WEB_HTTP_ERROR_H_
#define URNA_WEB_HTTP_ERROR_H_

#include <stdexcept>
#include <string>

namespace urna::web {

class HttpError : public std::runtime_error {
 public:
  HttpError(int status, const std::string& public_message)
      : std::runtime_error(public_message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

struct BadRequest : HttpError {
  explicit BadRequest(const std::string& m) : HttpError(400, m) {}
};
struct Forbidden : HttpError {
  explicit Forbidden(const std::string& m) : HttpError(403, m) {}
};
struct NotFound : HttpError {
  explicit NotFound(const std::string& m = "There is no such page.")
      : HttpError(404, m) {}
};
struct Conflict : HttpError {
  explicit Conflict(const std::string& m) : HttpError(409, m) {}
};
struct Unavailable : HttpError {
  explicit Unavailable(const std::string& m) : HttpError(503, m) {}
};

// "Not Found" for 404 etc.
const char* status_text(int status);

}  // namespace urna::web

#endif  // URNA_WEB_HTTP_ERROR_H_
