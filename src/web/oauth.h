// Signing in: the OAuth2 authorization-code flow against GitHub (or any
// provider with GitHub-like endpoints: GitHub Enterprise, Gitea, GitLab),
// the short-lived signed cookie that binds a sign-in attempt (its random
// `state` and where to return) to the browser, and the check that a
// return-to address stays inside urna (no open redirect).
// No access token is kept: oauth_login() uses it once and forgets it.
// Thread safety: every function may be called from any thread.
#ifndef URNA_WEB_OAUTH_H_
#define URNA_WEB_OAUTH_H_

#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/model.h"

namespace urna::web {

// The cookie holding a sign-in attempt (OAuth state, or the demo login
// form's token) and its lifetime.
constexpr const char* kLoginCookie = "urna_login";
constexpr long kLoginCookieTtl = 600;  // seconds

struct LoginAttempt {
  std::string state;  // random, 32 hex digits
  std::string next;   // a safe_next() path
  core::UnixTime expires = 0;
};

// A fresh attempt returning to `next` (already checked by safe_next).
LoginAttempt new_login_attempt(const std::string& next, core::UnixTime now);
// The Set-Cookie value storing `a` (HMAC-signed with cfg.session_key), or,
// for an empty state, clearing the cookie.
std::string login_cookie(const LoginAttempt& a, const core::Config& cfg, bool https);
// The attempt in the cookie value `value`; nullopt when missing, tampered
// with, malformed or expired. Never throws.
std::optional<LoginAttempt> read_login_cookie(const std::string& value,
                                              const core::Config& cfg, core::UnixTime now);

// Where to go after signing in: `next` when it is a path inside urna
// (starts with "<prefix>/", no scheme, no host, no backslash, no control
// character, no dot segment, not the login pages themselves), else
// "<prefix>/". Never throws.
std::string safe_next(const std::string& next, const std::string& prefix);

// A login as urna stores it: 1 to 100 characters of [A-Za-z0-9._@-].
// (Remote users may be e-mail-like; nothing else reaches a cookie.)
bool valid_login(const std::string& login);

// cfg.base_url + cfg.prefix + "/oauth/callback".
std::string oauth_redirect_uri(const core::Config& cfg);
// cfg.oauth_authorize_url with client_id, redirect_uri, scope and state.
std::string oauth_authorize_url(const core::Config& cfg, const std::string& state);

// One HTTP exchange with the provider. `ok` false: no answer at all
// (refused, timed out, TLS); `error` then says why, without secrets.
struct HttpReply {
  bool ok = false;
  long status = 0;
  std::string body;
  std::string error;
};

// The provider's endpoints as seen by oauth_login(); CurlClient is the real
// one, tests pass fakes.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // POST application/x-www-form-urlencoded `body` to `url`.
  virtual HttpReply post_form(const std::string& url, const std::string& body,
                              const std::vector<std::string>& headers) = 0;
  virtual HttpReply get(const std::string& url, const std::vector<std::string>& headers) = 0;
};

// libcurl: no redirects followed, http(s) only, answers up to 64 KB,
// `timeout_seconds` for the whole exchange (connect: half of it).
class CurlClient : public HttpClient {
 public:
  explicit CurlClient(long timeout_seconds = 10) : timeout_(timeout_seconds) {}
  HttpReply post_form(const std::string& url, const std::string& body,
                      const std::vector<std::string>& headers) override;
  HttpReply get(const std::string& url, const std::vector<std::string>& headers) override;

 private:
  HttpReply perform(const std::string& url, const std::string* post_body,
                    const std::vector<std::string>& headers);
  long timeout_;
};

// How a sign-in ended: a login, or an HTTP status (400: the browser's
// request or the user's choice; 502: the provider failed) with a message
// for the visitor (an English msgid, marked N_: the login page translates
// it) and a line for the log (neither holds a secret).
struct OAuthResult {
  std::string login;  // lower-cased; "" on failure
  int status = 0;
  std::string message;
  std::string log;
  bool ok() const { return !login.empty(); }
};

// Exchanges `code` at cfg.oauth_token_url (POST, Accept: application/json)
// and reads the login (`login`, or GitLab's `username`) from
// cfg.oauth_user_url with the access token as a Bearer token. Never throws
// for anything the provider or the network does.
OAuthResult oauth_login(const core::Config& cfg, const std::string& code, HttpClient& http);

// The message and status for an `error` the provider put on the callback
// (access_denied: the user said no).
OAuthResult oauth_callback_error(const std::string& error);

}  // namespace urna::web

#endif  // URNA_WEB_OAUTH_H_
