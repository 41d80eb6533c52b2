#include "web/oauth.h"

#include <curl/curl.h>
#include <json/json.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <sstream>

#include "crypto/crypto.h"
#include "i18n/text.h"
#include "web/request.h"
#include "web/session.h"

namespace urna::web {

namespace {

constexpr size_t kMaxReply = 64 * 1024;

std::string sign(const std::string& payload, const core::Config& cfg) {
  return crypto::base64url_encode(payload) + "." +
         crypto::base64url_encode(crypto::hmac_sha256(cfg.session_key, "login|" + payload));
}

// Percent-encodes what must not appear raw in a Location header (spaces,
// controls, non-ASCII, quotes); keeps '/', '?', '&', '=', '%' etc., since
// `s` is already a URL.
std::string location_safe(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '`' ||
        c == '{' || c == '}' || c == '|' || c == '^') {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Printable ASCII only, at most 80 characters: what the provider said, for
// the log (error codes, never tokens: those are never passed here).
std::string loggable(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (out.size() >= 80) {
      out += "...";
      break;
    }
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  return out;
}

std::optional<Json::Value> parse_object(const std::string& body) {
  Json::CharReaderBuilder b;
  b["strictRoot"] = true;
  b["collectComments"] = false;
  std::unique_ptr<Json::CharReader> reader(b.newCharReader());
  Json::Value v;
  std::string errs;
  if (body.empty() || !reader->parse(body.data(), body.data() + body.size(), &v, &errs))
    return std::nullopt;
  if (!v.isObject()) return std::nullopt;
  return v;
}

std::string string_field(const Json::Value& v, const char* name) {
  const Json::Value& f = v[name];
  return f.isString() ? f.asString() : std::string();
}

OAuthResult fail(int status, const std::string& message, const std::string& log) {
  OAuthResult r;
  r.status = status;
  r.message = message;
  r.log = log;
  return r;
}

// The messages of OAuthResult are msgids (N_): the login page shows them
// translated (login_page.cc).
const char* kProviderDown =
    N_("The sign-in service could not be reached or gave an answer urna does not "
       "understand, so you are not signed in. Please try again in a few minutes.");

void wipe(std::string& s) {
  std::fill(s.begin(), s.end(), '\0');
  s.clear();
}

}  // namespace

LoginAttempt new_login_attempt(const std::string& next, core::UnixTime now) {
  LoginAttempt a;
  a.state = crypto::hex_encode(crypto::random_bytes(16));
  a.next = next;
  a.expires = now + kLoginCookieTtl;
  return a;
}

std::string login_cookie(const LoginAttempt& a, const core::Config& cfg, bool https) {
  if (a.state.empty()) return std::string(kLoginCookie) + "=" + cookie_attributes(cfg, https, 0);
  const std::string payload = "v1|" + a.state + "|" + std::to_string(a.expires) + "|" + a.next;
  return std::string(kLoginCookie) + "=" + sign(payload, cfg) +
         cookie_attributes(cfg, https, kLoginCookieTtl);
}

std::optional<LoginAttempt> read_login_cookie(const std::string& value, const core::Config& cfg,
                                              core::UnixTime now) {
  const size_t dot = value.find('.');
  if (value.empty() || dot == std::string::npos || value.find('.', dot + 1) != std::string::npos)
    return std::nullopt;
  auto payload = crypto::base64url_decode(value.substr(0, dot));
  auto mac = crypto::base64url_decode(value.substr(dot + 1));
  if (!payload || !mac) return std::nullopt;
  if (!crypto::constant_time_equal(*mac, crypto::hmac_sha256(cfg.session_key, "login|" + *payload)))
    return std::nullopt;
  // v1|state|expires|next — next is last and may itself contain '|'.
  const std::string& p = *payload;
  size_t a = p.find('|'), b = a == std::string::npos ? a : p.find('|', a + 1),
         c = b == std::string::npos ? b : p.find('|', b + 1);
  if (c == std::string::npos || p.compare(0, a, "v1") != 0) return std::nullopt;
  LoginAttempt out;
  out.state = p.substr(a + 1, b - a - 1);
  out.next = p.substr(c + 1);
  const std::string exp = p.substr(b + 1, c - b - 1);
  if (out.state.size() != 32 || exp.empty() || exp.size() > 18 ||
      !std::all_of(exp.begin(), exp.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
    return std::nullopt;
  out.expires = std::stoll(exp);
  if (out.expires <= now) return std::nullopt;
  return out;
}

std::string safe_next(const std::string& next, const std::string& prefix) {
  const std::string home = prefix + "/";
  if (next.empty() || next.size() > 2048) return home;
  for (unsigned char c : next)
    if (c < 0x20 || c == 0x7f || c == '\\') return home;
  // A path, not "//host" (scheme-relative) nor "http:..." (no leading '/').
  if (next[0] != '/' || (next.size() > 1 && next[1] == '/')) return home;
  if (next.compare(0, home.size(), home) != 0) return home;
  // Dot segments, also percent-encoded ones (browsers resolve %2e%2e).
  std::string path = next.substr(0, next.find_first_of("?#"));
  std::string plain;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '%' && i + 2 < path.size() && path[i + 1] == '2' &&
        (path[i + 2] == 'e' || path[i + 2] == 'E')) {
      plain += '.';
      i += 2;
    } else {
      plain += path[i];
    }
  }
  std::istringstream segs(plain);
  std::string seg;
  while (std::getline(segs, seg, '/'))
    if (seg == "." || seg == "..") return home;
  // Not back into the sign-in pages themselves.
  const std::string rest = path.substr(prefix.size());
  if (rest == "/login" || rest == "/logout" || rest.compare(0, 7, "/oauth/") == 0) return home;
  return location_safe(next);
}

bool valid_login(const std::string& login) {
  if (login.empty() || login.size() > 100) return false;
  return std::all_of(login.begin(), login.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-' || c == '@';
  });
}

std::string oauth_redirect_uri(const core::Config& cfg) {
  std::string base = cfg.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + cfg.prefix + "/oauth/callback";
}

std::string oauth_authorize_url(const core::Config& cfg, const std::string& state) {
  const std::string& u = cfg.oauth_authorize_url;
  return u + (u.find('?') == std::string::npos ? "?" : "&") +
         "client_id=" + url_encode(cfg.oauth_client_id) +
         "&redirect_uri=" + url_encode(oauth_redirect_uri(cfg)) +
         "&scope=" + url_encode(cfg.oauth_scope) + "&state=" + url_encode(state) +
         "&response_type=code";
}

// ---------------------------------------------------------------------------
namespace {

struct Sink {
  std::string body;
  bool too_big = false;
};

size_t write_body(char* data, size_t size, size_t n, void* user) {
  Sink* s = static_cast<Sink*>(user);
  const size_t len = size * n;
  if (s->body.size() + len > kMaxReply) {
    s->too_big = true;
    return 0;  // aborts the transfer
  }
  s->body.append(data, len);
  return len;
}

}  // namespace

HttpReply CurlClient::perform(const std::string& url, const std::string* post_body,
                              const std::vector<std::string>& headers) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  HttpReply r;
  std::unique_ptr<CURL, void (*)(CURL*)> c(curl_easy_init(), curl_easy_cleanup);
  if (!c) {
    r.error = "curl_easy_init failed";
    return r;
  }
  struct SlistFree {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
  };
  std::unique_ptr<curl_slist, SlistFree> list;
  for (const auto& h : headers) {
    curl_slist* l = curl_slist_append(list.get(), h.c_str());
    if (!l) {
      r.error = "out of memory";
      return r;
    }
    list.release();
    list.reset(l);
  }
  Sink sink;
  CURL* h = c.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list.get());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // worker threads
  curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, std::max(1L, timeout_ / 2));
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_USERAGENT, "urna (+https://github.com/)");
  if (post_body) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, post_body->c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(post_body->size()));
  }
  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    r.error = sink.too_big ? "answer larger than 64 KB" : curl_easy_strerror(rc);
    return r;
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
  r.ok = true;
  r.body = std::move(sink.body);
  return r;
}

HttpReply CurlClient::post_form(const std::string& url, const std::string& body,
                                const std::vector<std::string>& headers) {
  return perform(url, &body, headers);
}

HttpReply CurlClient::get(const std::string& url, const std::vector<std::string>& headers) {
  return perform(url, nullptr, headers);
}

// ---------------------------------------------------------------------------
OAuthResult oauth_callback_error(const std::string& error) {
  if (error == "access_denied")
    return fail(400,
                N_("You did not allow urna to read your account name, so you are not "
                   "signed in. Sign in again if that was a mistake."),
                "provider: access_denied");
  return fail(400, N_("The sign-in service refused to sign you in. Please try again."),
              "provider error: " + loggable(error));
}

OAuthResult oauth_login(const core::Config& cfg, const std::string& code, HttpClient& http) {
  if (code.empty() || code.size() > 512)
    return fail(400, N_("The sign-in service sent no usable code. Please sign in again."),
                "callback without a usable code");

  // 1. The code for an access token.
  std::string form = "client_id=" + url_encode(cfg.oauth_client_id) +
                     "&client_secret=" + url_encode(cfg.oauth_client_secret) +
                     "&code=" + url_encode(code) +
                     "&redirect_uri=" + url_encode(oauth_redirect_uri(cfg)) +
                     "&grant_type=authorization_code";
  HttpReply t = http.post_form(cfg.oauth_token_url, form,
                               {"Accept: application/json",
                                "Content-Type: application/x-www-form-urlencoded"});
  wipe(form);
  if (!t.ok) return fail(502, kProviderDown, "token endpoint: " + loggable(t.error));
  auto tj = parse_object(t.body);
  if (!tj) {
    wipe(t.body);
    return fail(502, kProviderDown,
                "token endpoint: HTTP " + std::to_string(t.status) + ", not a JSON object");
  }
  std::string err = string_field(*tj, "error");
  std::string token = string_field(*tj, "access_token");
  wipe(t.body);
  (*tj)["access_token"] = "";
  if (!err.empty()) {
    // GitHub answers 200 with bad_verification_code; GitLab and Gitea 400
    // with invalid_grant: the code was used, expired or made up.
    if (err == "bad_verification_code" || err == "invalid_grant" || err == "invalid_request")
      return fail(400,
                  N_("The sign-in code was not accepted (it may have expired or been used "
                     "already). Please sign in again."),
                  "token endpoint: " + loggable(err));
    return fail(502, kProviderDown, "token endpoint: error " + loggable(err));
  }
  if (t.status < 200 || t.status > 299 || token.empty())
    return fail(502, kProviderDown,
                "token endpoint: HTTP " + std::to_string(t.status) + " without an access token");

  // 2. The token for the login; then the token is forgotten.
  std::vector<std::string> headers = {"Accept: application/json",
                                      "Authorization: Bearer " + token};
  HttpReply u = http.get(cfg.oauth_user_url, headers);
  wipe(token);
  for (auto& h : headers) wipe(h);
  if (!u.ok) return fail(502, kProviderDown, "user endpoint: " + loggable(u.error));
  if (u.status != 200)
    return fail(502, kProviderDown, "user endpoint: HTTP " + std::to_string(u.status));
  auto uj = parse_object(u.body);
  if (!uj) return fail(502, kProviderDown, "user endpoint: not a JSON object");
  std::string login = string_field(*uj, "login");
  if (login.empty()) login = string_field(*uj, "username");  // GitLab
  if (!valid_login(login))
    return fail(502, kProviderDown, "user endpoint: no usable login in the answer");
  OAuthResult r;
  r.login = core::lower(login);
  return r;
}

}  // namespace urna::web
