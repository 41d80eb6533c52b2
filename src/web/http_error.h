// The errors a visitor may see. Thrown anywhere on a request path and turned
// into an error page (with this status and message) by the FastCGI loop,
// which is the only catch. Messages are public: never put secrets in them.
//
// The message is an English msgid, translated by the error page in the
// request's language (docs/i18n.md): mark literals with N_() so that
// `make update-po` finds them, and pass values as {placeholders} rather
// than joining strings, so that a translation can put them anywhere:
//   throw HttpError(405, N_("This address does not accept {method} requests."),
//                   {{"method", req.method}});
// what() is the English with the values filled in (for the log).
#ifndef URNA_WEB_HTTP_ERROR_H_
#define URNA_WEB_HTTP_ERROR_H_

#include <stdexcept>
#include <string>

#include "i18n/text.h"

namespace urna::web {

class HttpError : public std::runtime_error {
 public:
  HttpError(int status, const std::string& public_message, i18n::Args args = {})
      : std::runtime_error(i18n::format(public_message, args)),
        status_(status),
        msgid_(public_message),
        args_(std::move(args)) {}
  int status() const { return status_; }
  // The untranslated message and its placeholder values.
  const std::string& msgid() const { return msgid_; }
  const i18n::Args& args() const { return args_; }

 private:
  int status_;
  std::string msgid_;
  i18n::Args args_;
};

struct BadRequest : HttpError {
  explicit BadRequest(const std::string& m, i18n::Args a = {}) : HttpError(400, m, std::move(a)) {}
};
struct Forbidden : HttpError {
  explicit Forbidden(const std::string& m, i18n::Args a = {}) : HttpError(403, m, std::move(a)) {}
};
struct NotFound : HttpError {
  explicit NotFound(const std::string& m = N_("There is no such page."), i18n::Args a = {})
      : HttpError(404, m, std::move(a)) {}
};
struct Conflict : HttpError {
  explicit Conflict(const std::string& m, i18n::Args a = {}) : HttpError(409, m, std::move(a)) {}
};
struct Unavailable : HttpError {
  explicit Unavailable(const std::string& m, i18n::Args a = {})
      : HttpError(503, m, std::move(a)) {}
};

// "Not Found" for 404 etc. (English, for the HTTP status line; the error
// page shows a translated title).
const char* status_text(int status);

}  // namespace urna::web

#endif  // URNA_WEB_HTTP_ERROR_H_
