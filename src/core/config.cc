#include "core/config.h"

#include "core/model.h"

#include <cctype>
#include <climits>
#include <functional>
#include <set>
#include <sstream>

namespace urna::core {

namespace {

// The sample file's placeholder; refusing it stops a copy-paste deployment.
constexpr const char* kSampleSessionKey =
    "CHANGE-ME-to-a-long-random-string-of-at-least-32-chars";

std::string trim(const std::string& s) {
  const char* ws = " \t\r";
  auto b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

using Setter = std::function<void(Config&, const std::string&)>;

struct Key {
  const char* name;
  Setter set;
};

Setter str(std::string Config::*field) {
  return [field](Config& c, const std::string& v) { c.*field = v; };
}

Setter one_of(std::string Config::*field, std::set<std::string> allowed) {
  return [field, allowed](Config& c, const std::string& v) {
    if (!allowed.count(v)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      throw std::invalid_argument("must be one of: " + list);
    }
    c.*field = v;
  };
}

Setter integer(int Config::*field, long lo, long hi) {
  return [field, lo, hi](Config& c, const std::string& v) {
    if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos)
      throw std::invalid_argument("must be a whole number");
    if (v.size() > 10) throw std::invalid_argument("is too large");
    long n = std::stol(v);
    if (n < lo || n > hi)
      throw std::invalid_argument("must be between " + std::to_string(lo) +
                                  " and " + std::to_string(hi));
    c.*field = static_cast<int>(n);
  };
}

Setter url_path(std::string Config::*field) {
  return [field](Config& c, const std::string& v) {
    std::string p = v;
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    if (p.empty() || p[0] != '/')
      throw std::invalid_argument("must be a path starting with /");
    if (p == "/") p = "";
    c.*field = p;
  };
}

Setter yes_no(bool Config::*field) {
  return [field](Config& c, const std::string& v) {
    if (v == "yes") c.*field = true;
    else if (v == "no") c.*field = false;
    else throw std::invalid_argument("must be yes or no");
  };
}

// "x25519:" and the base64url of 32 bytes (core::is_ballot_key_text).
Setter ballot_key(std::string Config::*field) {
  return [field](Config& c, const std::string& v) {
    if (!is_ballot_key_text(v))
      throw std::invalid_argument(
          "must be a public ballot key as urna-tally --keygen prints it (x25519:...)");
    c.*field = v;
  };
}

// A language tag as the catalogs' directories are named: "es", "pt_BR",
// "pt-BR", "sr@latin" (letters, then '_'/'-' and letters or digits).
Setter language_tag(std::string Config::*field) {
  return [field](Config& c, const std::string& v) {
    bool ok = v.size() >= 2 && v.size() <= 35 && std::isalpha(static_cast<unsigned char>(v[0]));
    for (char ch : v)
      if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '-' && ch != '@')
        ok = false;
    if (!ok)
      throw std::invalid_argument(
          "must be a language code such as en, es or pt_BR (a catalog of locale_dir)");
    c.*field = v;
  };
}

const std::vector<Key>& keys() {
  static const std::vector<Key> k = {
      {"prefix", url_path(&Config::prefix)},
      {"base_url", str(&Config::base_url)},
      {"listen", str(&Config::listen)},
      {"workers", integer(&Config::workers, 1, 256)},
      {"max_body", integer(&Config::max_body, 1024, 16 * 1024 * 1024)},
      {"templates_dir", str(&Config::templates_dir)},
      {"language", language_tag(&Config::language)},
      {"locale_dir", str(&Config::locale_dir)},
      {"sql_dir", str(&Config::sql_dir)},
      {"static_url", str(&Config::static_url)},
      {"cookie_secure", one_of(&Config::cookie_secure, {"auto", "yes", "no"})},
      {"session_ttl", integer(&Config::session_ttl, 60, 30 * 86400)},
      {"hsts_max_age", integer(&Config::hsts_max_age, 0, 2 * 366 * 86400)},
      {"session_key", str(&Config::session_key)},
      {"webhook_secret", str(&Config::webhook_secret)},
      {"webhook_min_interval", integer(&Config::webhook_min_interval, 0, 86400)},
      {"exception_requests_per_hour", integer(&Config::exception_requests_per_hour, 1, 1000)},
      {"auth", one_of(&Config::auth, {"github", "remote_user", "demo"})},
      {"oauth_client_id", str(&Config::oauth_client_id)},
      {"oauth_client_secret", str(&Config::oauth_client_secret)},
      {"oauth_authorize_url", str(&Config::oauth_authorize_url)},
      {"oauth_token_url", str(&Config::oauth_token_url)},
      {"oauth_user_url", str(&Config::oauth_user_url)},
      {"oauth_scope", str(&Config::oauth_scope)},
      {"db_host", str(&Config::db_host)},
      {"db_user", str(&Config::db_user)},
      {"db_password", str(&Config::db_password)},
      {"db_name", str(&Config::db_name)},
      {"db_ssl_ca", str(&Config::db_ssl_ca)},
      {"db_ssl_cert", str(&Config::db_ssl_cert)},
      {"db_ssl_key", str(&Config::db_ssl_key)},
      {"repo_url", str(&Config::repo_url)},
      {"repo_branch", str(&Config::repo_branch)},
      {"repo_dir", str(&Config::repo_dir)},
      {"meta_root", str(&Config::meta_root)},
      {"state_dir", str(&Config::state_dir)},
      {"lease_ttl", integer(&Config::lease_ttl, 3, 86400)},
      {"scrypt_n", integer(&Config::scrypt_n, 1024, 1 << 22)},
      {"scrypt_r", integer(&Config::scrypt_r, 1, 64)},
      {"scrypt_p", integer(&Config::scrypt_p, 1, 16)},
      {"passcode_min_length", integer(&Config::passcode_min_length, 8, 256)},
      {"scrypt_max_concurrent", integer(&Config::scrypt_max_concurrent, 1, 256)},
      {"passcode_attempts_per_hour", integer(&Config::passcode_attempts_per_hour, 1, 10000)},
      {"ballot_key", ballot_key(&Config::ballot_key)},
      {"key_dir", str(&Config::key_dir)},
      {"count_margin", integer(&Config::count_margin, 0, 86400)},
      {"forget_key_after_count", yes_no(&Config::forget_key_after_count)},
  };
  return k;
}

const Key* find_key(const std::string& name) {
  for (const auto& k : keys())
    if (name == k.name) return &k;
  return nullptr;
}

}  // namespace

std::string default_locale_dir() {
#ifdef URNA_LOCALEDIR
  return URNA_LOCALEDIR;
#else
  return "/usr/local/share/locale";
#endif
}

std::vector<std::string> config_keys() {
  std::vector<std::string> out;
  for (const auto& k : keys()) out.push_back(k.name);
  return out;
}

Config parse_config(const std::string& text, const std::string& filename,
                    const std::map<std::string, std::string>& env, bool for_web) {
  Config c;
  c.source = filename;
  std::set<std::string> seen;
  std::istringstream in(text);
  std::string line;
  int lineno = 0;
  auto fail = [&](const std::string& key, const std::string& what) {
    std::string where = filename + ":" + std::to_string(lineno) + ": ";
    throw ConfigError(where + (key.empty() ? "" : "key '" + key + "': ") + what);
  };
  while (std::getline(in, line)) {
    ++lineno;
    std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    auto eq = t.find('=');
    if (eq == std::string::npos) fail("", "expected 'key = value'");
    std::string key = trim(t.substr(0, eq));
    std::string value = trim(t.substr(eq + 1));
    const Key* k = find_key(key);
    if (!k) fail(key, "unknown key");
    if (!seen.insert(key).second) fail(key, "set twice");
    try {
      k->set(c, value);
    } catch (const std::invalid_argument& e) {
      fail(key, e.what());
    } catch (const std::out_of_range&) {
      fail(key, "is out of range");
    }
  }
  c.keys_given = seen;
  lineno = 0;
  auto from_env = [&](const char* var, std::string Config::*field) {
    auto it = env.find(var);
    if (it != env.end() && !it->second.empty()) c.*field = it->second;
  };
  from_env("URNA_SESSION_KEY", &Config::session_key);
  from_env("URNA_WEBHOOK_SECRET", &Config::webhook_secret);
  from_env("URNA_DB_PASSWORD", &Config::db_password);
  from_env("URNA_OAUTH_CLIENT_SECRET", &Config::oauth_client_secret);

  auto require = [&](const char* key, bool ok, const std::string& what) {
    if (!ok) throw ConfigError(filename + ": key '" + key + "': " + what);
  };
  require("db_host", !c.db_host.empty(), "is required");
  require("db_name", !c.db_name.empty(), "is required");
  require("db_ssl_cert", c.db_ssl_cert.empty() == c.db_ssl_key.empty(),
          "db_ssl_cert and db_ssl_key go together (a client certificate and its key)");
  require("db_ssl_ca", !c.db_ssl_ca.empty() || c.db_ssl_cert.empty(),
          "is required with db_ssl_cert: urna verifies the server's certificate");
  require("db_ssl_ca", c.db_ssl_ca.empty() || c.db_host.rfind("tcp://", 0) == 0,
          "needs a db_host of the form tcp://host:port (TLS is for TCP connections)");
  if (!for_web) return c;
  require("session_key", !c.session_key.empty(),
          "is required (or set URNA_SESSION_KEY)");
  require("session_key", c.session_key != kSampleSessionKey,
          "is the sample value; generate one with: openssl rand -hex 32");
  require("session_key", c.session_key.size() >= 32,
          "must be at least 32 characters");
  if (c.auth == "github") {
    require("oauth_client_id", !c.oauth_client_id.empty(),
            "is required when auth = github");
    require("oauth_client_secret", !c.oauth_client_secret.empty(),
            "is required when auth = github (or set URNA_OAUTH_CLIENT_SECRET)");
    require("base_url", !c.base_url.empty(), "is required when auth = github");
  }
  return c;
}

}  // namespace urna::core
