// libFuzzer harness: the session cookie and CSRF token decoders
// (src/web/session.h), with a fixed session key.
//
// Input: the first byte chooses the mode, the rest up to the first "\n" is
//   mode even: a Cookie header (parsed as the web server passes it);
//   mode odd:  a session payload signed with the fixed key (as only the
//              server could), so the fields after the MAC are fuzzed too;
// what follows the "\n" is a submitted CSRF token.
// Checks: read_session never throws; a session it accepts is logged in,
// unexpired, with a 32-byte nonce, and survives session_cookie →
// read_session unchanged; csrf_ok holds exactly for its own token.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/config.h"
#include "crypto/crypto.h"
#include "web/request.h"
#include "web/session.h"

namespace {

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "session_fuzz: property failed: %s\n", what);
    std::abort();
  }
}

const urna::core::Config& config() {
  static const urna::core::Config cfg = [] {
    urna::core::Config c;
    c.session_key = "fuzz-session-key-0123456789abcdefghijklmnopqrstuvwxyz";
    c.session_ttl = 3600;
    return c;
  }();
  return cfg;
}

constexpr urna::core::UnixTime kNow = 1800000000;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string in(reinterpret_cast<const char*>(data) + 1, size - 1);
  const bool signed_payload = data[0] & 1;
  size_t nl = in.find('\n');
  const std::string first = in.substr(0, nl);
  const std::string token = nl == std::string::npos ? "" : in.substr(nl + 1);
  const auto& cfg = config();

  urna::web::Request req;
  if (signed_payload) {
    req.cookies[urna::web::kSessionCookie] =
        urna::crypto::base64url_encode(first) + "." +
        urna::crypto::base64url_encode(
            urna::crypto::hmac_sha256(cfg.session_key, "session|" + first));
  } else {
    req.cookies = urna::web::parse_cookies(first);
  }
  urna::web::Session s = urna::web::read_session(req, cfg, kNow);
  if (s.logged_in()) {
    require(s.expires > kNow, "an expired session accepted");
    require(s.nonce.size() == 32, "a nonce that is not 32 bytes");
    // What the server would send back reads back the same.
    std::string set = urna::web::session_cookie(s, cfg, false);
    std::string value = set.substr(0, set.find(';'));
    urna::web::Request again;
    again.cookies = urna::web::parse_cookies(value);
    urna::web::Session t = urna::web::read_session(again, cfg, kNow);
    require(t.login == s.login && t.expires == s.expires && t.nonce == s.nonce,
            "session_cookie/read_session round trip");
    const std::string mine = urna::web::csrf_token(s, cfg);
    require(!mine.empty(), "no CSRF token for a logged-in session");
    require(urna::web::csrf_ok(s, cfg, mine), "its own CSRF token refused");
    require(urna::web::csrf_ok(s, cfg, token) == (token == mine), "a foreign CSRF token accepted");
  } else {
    require(urna::web::csrf_token(s, cfg).empty(), "a CSRF token for an anonymous session");
    require(!urna::web::csrf_ok(s, cfg, token), "CSRF accepted for an anonymous session");
  }
  return 0;
}
