// An HTTP request as the FastCGI loop received it, parsed and checked:
// method, path under the configured prefix, query, urlencoded form body and
// cookies, with size limits and UTF-8 checks. Parsing throws BadRequest
// (400) for malformed input; it never crashes. A Request is per request and
// owned by the loop; nothing in it outlives the request.
#ifndef URNA_WEB_REQUEST_H_
#define URNA_WEB_REQUEST_H_

#include <map>
#include <optional>
#include <string>

namespace urna::web {

struct Limits {
  size_t max_body = 65536;
  size_t max_query = 8192;
  size_t max_path = 2048;
  size_t max_cookie = 8192;
  size_t max_fields = 512;
};

using Params = std::multimap<std::string, std::string>;

struct Request {
  std::string method;      // GET, POST, ... (HEAD is kept as HEAD)
  std::string path;        // decoded path below the prefix, starts with "/"
  std::string query_string;
  Params query;
  Params form;             // application/x-www-form-urlencoded body
  std::map<std::string, std::string> cookies;
  // URNA_AUTH_USER: the user the web server authenticated, set by the
  // shipped configs only inside the location that checks a password. The
  // only identity auth = remote_user trusts (docs/login.md).
  std::string auth_user;
  // REMOTE_USER: never trusted (nginx fills it from any client's
  // Authorization header); kept only to explain a refused sign-in.
  std::string remote_user;
  std::string remote_addr;
  bool https = false;
  std::map<std::string, std::string> headers;  // lower-case names, selected
  std::string body;         // raw body (kept for the webhook signature)

  // First value or "" / nullopt.
  std::string q(const std::string& key) const;
  std::string f(const std::string& key) const;
  std::optional<std::string> form_value(const std::string& key) const;
  std::string header(const std::string& lower_name) const;
};

// Percent-decoding ('+' as space when form is true). Throws BadRequest on an
// invalid escape, a NUL byte or invalid UTF-8.
std::string url_decode(const std::string& in, bool form);
// Percent-encoding for a URL component (RFC 3986 unreserved kept).
std::string url_encode(const std::string& in);
// "a=1&b=2" → multimap. Throws BadRequest as url_decode, and past max_fields.
Params parse_urlencoded(const std::string& in, const Limits& limits);
// "a=1; b=2". Malformed pairs are ignored (browsers send junk); never throws.
std::map<std::string, std::string> parse_cookies(const std::string& header);
bool valid_utf8(const std::string& s);

// The CGI-style environment the web server passed, as a lookup function so
// the parser can be tested without FastCGI.
struct Env {
  virtual ~Env() = default;
  virtual const char* get(const char* name) const = 0;
};

// Whether the request came over HTTPS: HTTPS=on (or 1), as nginx and
// Apache's mod_ssl set it, or REQUEST_SCHEME=https. What cookie_secure =
// auto and the Strict-Transport-Security header go by.
bool came_over_https(const Env& env);

// Builds a Request from the environment and the body (already read, at most
// limits.max_body + 1 bytes). `prefix` is the configured path prefix ("" or
// "/urna"). Throws HttpError: 400 malformed, 404 outside the prefix,
// 413 body too large.
Request parse_request(const Env& env, const std::string& body,
                      const std::string& prefix, const Limits& limits);

}  // namespace urna::web

#endif  // URNA_WEB_REQUEST_H_
