#include "web/request.h"

#include <cctype>

#include "web/http_error.h"

namespace urna::web {

namespace {

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string first(const Params& p, const std::string& key) {
  auto it = p.find(key);
  return it == p.end() ? "" : it->second;
}

}  // namespace

const char* status_text(int status) {
  switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

std::string Request::q(const std::string& key) const { return first(query, key); }
std::string Request::f(const std::string& key) const { return first(form, key); }
std::optional<std::string> Request::form_value(const std::string& key) const {
  auto it = form.find(key);
  if (it == form.end()) return std::nullopt;
  return it->second;
}
std::string Request::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

bool valid_utf8(const std::string& s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned char c = p[i];
    size_t len;
    unsigned cp;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return false;
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
        (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

std::string url_decode(const std::string& in, bool form) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      int hi = i + 2 < in.size() ? hexval(in[i + 1]) : -1;
      int lo = i + 2 < in.size() ? hexval(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) throw BadRequest("The request has an invalid percent-escape.");
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && form) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (out.find('\0') != std::string::npos)
    throw BadRequest("The request contains a NUL byte.");
  if (!valid_utf8(out)) throw BadRequest("The request is not valid UTF-8.");
  return out;
}

std::string url_encode(const std::string& in) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

Params parse_urlencoded(const std::string& in, const Limits& limits) {
  Params out;
  size_t pos = 0;
  while (pos <= in.size()) {
    size_t amp = in.find('&', pos);
    if (amp == std::string::npos) amp = in.size();
    std::string pair = in.substr(pos, amp - pos);
    if (!pair.empty()) {
      if (out.size() >= limits.max_fields)
        throw BadRequest("The request has too many fields.");
      size_t eq = pair.find('=');
      std::string k = url_decode(pair.substr(0, eq), true);
      std::string v = eq == std::string::npos ? "" : url_decode(pair.substr(eq + 1), true);
      out.emplace(std::move(k), std::move(v));
    }
    pos = amp + 1;
  }
  return out;
}

std::map<std::string, std::string> parse_cookies(const std::string& header) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos < header.size()) {
    size_t semi = header.find(';', pos);
    if (semi == std::string::npos) semi = header.size();
    std::string pair = header.substr(pos, semi - pos);
    pos = semi + 1;
    size_t eq = pair.find('=');
    if (eq == std::string::npos) continue;
    auto trim = [](std::string s) {
      size_t b = s.find_first_not_of(" \t");
      size_t e = s.find_last_not_of(" \t");
      return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    std::string k = trim(pair.substr(0, eq)), v = trim(pair.substr(eq + 1));
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    if (k.empty()) continue;
    // Cookie values we issue are plain ASCII; anything else is ignored.
    bool ok = true;
    for (unsigned char c : k + v)
      if (c < 0x21 || c > 0x7e) ok = false;
    if (ok) out.emplace(k, v);  // first one wins, as browsers order by path
  }
  return out;
}

bool came_over_https(const Env& env) {
  auto is = [&env](const char* name, const char* want) {
    const char* v = env.get(name);
    return v && std::string(v) == want;
  };
  return is("HTTPS", "on") || is("HTTPS", "1") || is("REQUEST_SCHEME", "https");
}

Request parse_request(const Env& env, const std::string& body, const std::string& prefix,
                      const Limits& limits) {
  auto get = [&](const char* name) {
    const char* v = env.get(name);
    return std::string(v ? v : "");
  };
  Request r;
  r.method = get("REQUEST_METHOD");
  if (r.method.empty() || r.method.size() > 16)
    throw BadRequest("The request has no valid method.");
  for (char c : r.method)
    if (c < 'A' || c > 'Z') throw BadRequest("The request has no valid method.");

  // REQUEST_URI is the path as the client sent it (nginx and Apache both
  // pass it); fall back to SCRIPT_NAME + PATH_INFO.
  std::string uri = get("REQUEST_URI");
  std::string raw_path, raw_query = get("QUERY_STRING");
  if (!uri.empty()) {
    size_t qm = uri.find('?');
    raw_path = uri.substr(0, qm);
    if (qm != std::string::npos && raw_query.empty()) raw_query = uri.substr(qm + 1);
  } else {
    raw_path = get("SCRIPT_NAME") + get("PATH_INFO");
  }
  if (raw_path.size() > limits.max_path) throw HttpError(414, "The address is too long.");
  if (raw_query.size() > limits.max_query) throw HttpError(414, "The query string is too long.");
  std::string path = url_decode(raw_path, false);
  if (path.empty() || path[0] != '/') throw BadRequest("The request path is invalid.");
  if (!prefix.empty()) {
    if (path.compare(0, prefix.size(), prefix) != 0 ||
        (path.size() > prefix.size() && path[prefix.size()] != '/'))
      throw NotFound("This address is outside urna.");
    path = path.substr(prefix.size());
    if (path.empty()) path = "/";
  }
  // No dot segments: they never name a page and would confuse id parsing.
  if (path.find("/../") != std::string::npos || path.find("/./") != std::string::npos ||
      (path.size() >= 3 && path.compare(path.size() - 3, 3, "/..") == 0))
    throw BadRequest("The request path is invalid.");
  r.path = path;
  r.query_string = raw_query;
  r.query = parse_urlencoded(raw_query, limits);

  std::string cookie = get("HTTP_COOKIE");
  if (cookie.size() <= limits.max_cookie) r.cookies = parse_cookies(cookie);

  // The declared length counts too: a CONTENT_LENGTH above the limit is
  // refused even when fewer bytes arrive.
  const std::string declared = get("CONTENT_LENGTH");
  if (!declared.empty()) {
    if (declared.size() > 18 || declared.find_first_not_of("0123456789") != std::string::npos)
      throw BadRequest("The request's Content-Length is invalid.");
    if (std::stoull(declared) > limits.max_body)
      throw HttpError(413, N_("The request body is too large."));
  }
  if (body.size() > limits.max_body) throw HttpError(413, N_("The request body is too large."));
  r.body = body;
  // The media type exactly (parameters such as "; charset=UTF-8" allowed).
  std::string ctype = get("CONTENT_TYPE");
  ctype = ctype.substr(0, ctype.find(';'));
  while (!ctype.empty() && (ctype.back() == ' ' || ctype.back() == '\t')) ctype.pop_back();
  for (char& c : ctype) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!body.empty() && ctype == "application/x-www-form-urlencoded")
    r.form = parse_urlencoded(body, limits);

  r.auth_user = get("URNA_AUTH_USER");
  r.remote_user = get("REMOTE_USER");
  r.remote_addr = get("REMOTE_ADDR");
  r.https = came_over_https(env);
  struct {
    const char* env;
    const char* name;
  } hdrs[] = {
      {"CONTENT_TYPE", "content-type"},
      {"HTTP_X_HUB_SIGNATURE_256", "x-hub-signature-256"},
      {"HTTP_X_GITHUB_EVENT", "x-github-event"},
      {"HTTP_HOST", "host"},
      {"HTTP_ORIGIN", "origin"},
      {"HTTP_USER_AGENT", "user-agent"},
  };
  for (const auto& h : hdrs) {
    std::string v = get(h.env);
    if (!v.empty()) r.headers[h.name] = v;
  }
  return r;
}

}  // namespace urna::web
