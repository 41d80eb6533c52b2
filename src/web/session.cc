#include "web/session.h"

#include <string>
#include <vector>

#include "crypto/crypto.h"
#include "web/request.h"

namespace urna::web {

namespace {

// Cookie value: base64url(payload) "." base64url(HMAC-SHA256(key, payload)),
// payload = "v2|login|issued|expires|nonce" (v1, read only: no issued).
std::string sign(const std::string& payload, const core::Config& cfg) {
  return crypto::base64url_encode(payload) + "." +
         crypto::base64url_encode(crypto::hmac_sha256(cfg.session_key, "session|" + payload));
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    size_t i = s.find(sep, pos);
    out.push_back(s.substr(pos, i == std::string::npos ? std::string::npos : i - pos));
    if (i == std::string::npos) break;
    pos = i + 1;
  }
  return out;
}

}  // namespace

Session new_session(const std::string& login, const core::Config& cfg,
                    core::UnixTime now) {
  Session s;
  s.login = core::lower(login);
  s.issued = now;
  s.expires = now + cfg.session_ttl;
  s.nonce = crypto::hex_encode(crypto::random_bytes(16));
  return s;
}

Session read_session(const Request& req, const core::Config& cfg,
                     core::UnixTime now) {
  auto it = req.cookies.find(kSessionCookie);
  if (it == req.cookies.end()) return Session{};
  auto parts = split(it->second, '.');
  if (parts.size() != 2) return Session{};
  auto payload = crypto::base64url_decode(parts[0]);
  auto mac = crypto::base64url_decode(parts[1]);
  if (!payload || !mac) return Session{};
  if (!crypto::constant_time_equal(*mac, crypto::hmac_sha256(cfg.session_key, "session|" + *payload)))
    return Session{};
  auto fields = split(*payload, '|');
  const bool v1 = fields.size() == 4 && fields[0] == "v1";
  const bool v2 = fields.size() == 5 && fields[0] == "v2";
  if ((!v1 && !v2) || fields[1].empty() || fields.back().size() != 32) return Session{};
  Session s;
  s.login = fields[1];
  try {
    size_t used = 0;
    s.expires = std::stoll(fields[v1 ? 2 : 3], &used);
    if (used != fields[v1 ? 2 : 3].size()) return Session{};
    if (v2) {
      s.issued = std::stoll(fields[2], &used);
      if (used != fields[2].size() || s.issued > s.expires) return Session{};
    } else {
      s.issued = s.expires - cfg.session_ttl;
    }
  } catch (...) {
    return Session{};
  }
  s.nonce = fields.back();
  if (s.expires <= now) return Session{};
  return s;
}

std::string cookie_attributes(const core::Config& cfg, bool https, long max_age) {
  bool secure = cfg.cookie_secure == "yes" || (cfg.cookie_secure == "auto" && https);
  return "; Path=" + (cfg.prefix.empty() ? std::string("/") : cfg.prefix + "/") +
         "; Max-Age=" + std::to_string(max_age) + "; HttpOnly; SameSite=Lax" +
         (secure ? "; Secure" : "");
}

std::string session_cookie(const Session& s, const core::Config& cfg, bool https) {
  if (!s.logged_in())
    return std::string(kSessionCookie) + "=" + cookie_attributes(cfg, https, 0);
  std::string payload = "v2|" + s.login + "|" + std::to_string(s.issued) + "|" +
                        std::to_string(s.expires) + "|" + s.nonce;
  return std::string(kSessionCookie) + "=" + sign(payload, cfg) +
         cookie_attributes(cfg, https, cfg.session_ttl);
}

std::string csrf_token(const Session& s, const core::Config& cfg) {
  if (!s.logged_in()) return "";
  return crypto::base64url_encode(
      crypto::hmac_sha256(cfg.session_key, "csrf|" + s.login + "|" + s.nonce));
}

bool csrf_ok(const Session& s, const core::Config& cfg, const std::string& submitted) {
  if (!s.logged_in() || submitted.empty()) return false;
  return crypto::constant_time_equal(submitted, csrf_token(s, cfg));
}

}  // namespace urna::web
