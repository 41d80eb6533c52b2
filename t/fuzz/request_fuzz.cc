// libFuzzer harness: the FastCGI request parser (src/web/request.h) —
// method, path, query, urlencoded form body, cookies and the limits.
//
// Input: CGI variables as lines "NAME=value" up to the first empty line;
// the rest is the body. A line "X_PREFIX=/p" sets the configured prefix
// (default "/urna"), "X_SMALL=1" uses small limits so they are reached.
// Checks: parse_request either throws HttpError (400, 404, 413, 414) or
// returns a request whose path, query and form are what the header
// promises (path under "/", no dot segment, every key and value valid
// UTF-8 without NUL); url_encode/url_decode round-trip.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "web/http_error.h"
#include "web/request.h"

namespace {

using urna::web::Env;
using urna::web::HttpError;
using urna::web::Limits;

struct MapEnv : Env {
  std::map<std::string, std::string> vars;
  const char* get(const char* name) const override {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  }
};

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "request_fuzz: property failed: %s\n", what);
    std::abort();
  }
}

void check_params(const urna::web::Params& p, const Limits& limits) {
  require(p.size() <= limits.max_fields, "more fields than max_fields");
  for (const auto& [k, v] : p) {
    require(k.find('\0') == std::string::npos && v.find('\0') == std::string::npos,
            "NUL in a decoded field");
    require(urna::web::valid_utf8(k) && urna::web::valid_utf8(v), "invalid UTF-8 in a field");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  size_t split = in.find("\n\n");
  const std::string head = in.substr(0, split);
  const std::string body = split == std::string::npos ? "" : in.substr(split + 2);

  MapEnv env;
  size_t pos = 0;
  while (pos <= head.size()) {
    size_t nl = head.find('\n', pos);
    if (nl == std::string::npos) nl = head.size();
    std::string line = head.substr(pos, nl - pos);
    size_t eq = line.find('=');
    if (eq != std::string::npos && eq > 0)
      env.vars.emplace(line.substr(0, eq), line.substr(eq + 1));
    pos = nl + 1;
  }
  std::string prefix = "/urna";
  if (auto it = env.vars.find("X_PREFIX"); it != env.vars.end()) prefix = it->second;
  Limits limits;
  if (env.vars.count("X_SMALL")) {
    limits.max_body = 64;
    limits.max_query = 32;
    limits.max_path = 32;
    limits.max_cookie = 32;
    limits.max_fields = 3;
  }

  try {
    urna::web::Request r = urna::web::parse_request(env, body, prefix, limits);
    require(!r.method.empty(), "empty method accepted");
    require(!r.path.empty() && r.path[0] == '/', "path does not start with /");
    require(r.path.find("/../") == std::string::npos && r.path.find("/./") == std::string::npos,
            "dot segment in the path");
    require(r.body.size() <= limits.max_body, "body above max_body");
    check_params(r.query, limits);
    check_params(r.form, limits);
    (void)r.q("a");
    (void)r.f("a");
    (void)r.form_value("csrf");
    (void)r.header("host");
  } catch (const HttpError& e) {
    require(e.status() >= 400 && e.status() < 500, "a parse error that is not 4xx");
  }

  // Cookies alone: never throws, only printable ASCII kept.
  for (const auto& [k, v] : urna::web::parse_cookies(in)) {
    require(!k.empty(), "empty cookie name");
    for (unsigned char c : k + v) require(c >= 0x21 && c <= 0x7e, "cookie byte outside 0x21..0x7e");
  }

  // Percent-encoding round trip for text the decoder accepts.
  try {
    std::string decoded = urna::web::url_decode(in, false);
    require(urna::web::url_decode(urna::web::url_encode(decoded), false) == decoded,
            "url_decode(url_encode(x)) != x");
    require(urna::web::url_decode(urna::web::url_encode(decoded), true) == decoded,
            "url_decode(url_encode(x), form) != x");
  } catch (const HttpError& e) {
    require(e.status() == 400, "url_decode error that is not 400");
  }
  return 0;
}
