// Sessions: a signed (HMAC-SHA256) cookie holding the login, when it was
// issued, an expiry and a random nonce, so any worker on any host can check
// it. CSRF tokens are derived from the nonce. The cookie is HttpOnly,
// SameSite=Lax, Secure over HTTPS (or as configured), Path=<prefix>/.
// A sign-out ends a login's sessions early through the database
// (web/session_check.h); read_session() alone only checks the signature
// and the expiry.
#ifndef URNA_WEB_SESSION_H_
#define URNA_WEB_SESSION_H_

#include <string>

#include "core/config.h"
#include "core/model.h"

namespace urna::web {

struct Request;

constexpr const char* kSessionCookie = "urna_session";

struct Session {
  std::string login;          // lower-cased; "" = anonymous
  core::UnixTime issued = 0;  // when it was signed (cookie version v2)
  core::UnixTime expires = 0;
  std::string nonce;  // random, per login; CSRF tokens derive from it
  bool logged_in() const { return !login.empty(); }
};

// The session from the request's cookie, or an anonymous one when the
// cookie is missing, tampered with, malformed or expired. Never throws.
// Cookie versions: v2 "v2|login|issued|expires|nonce" (written now) and v1
// "v1|login|expires|nonce" (written before issue 9; its issue time is taken
// as expires - cfg.session_ttl).
Session read_session(const Request& req, const core::Config& cfg,
                     core::UnixTime now);
// A fresh session for `login` issued at `now`, valid for cfg.session_ttl.
Session new_session(const std::string& login, const core::Config& cfg,
                    core::UnixTime now);
// The Set-Cookie value storing `s` (or clearing it when s is anonymous).
std::string session_cookie(const Session& s, const core::Config& cfg,
                           bool https);
// The CSRF token of `s`; "" for an anonymous session.
std::string csrf_token(const Session& s, const core::Config& cfg);
// Constant-time check of a submitted token.
bool csrf_ok(const Session& s, const core::Config& cfg,
             const std::string& submitted);

// Cookie attributes shared by every cookie urna sets.
std::string cookie_attributes(const core::Config& cfg, bool https,
                              long max_age);

}  // namespace urna::web

#endif  // URNA_WEB_SESSION_H_
