// urna's one configuration file: `key = value` lines, `#` comments.
// Every key is declared in one table (config.cc) with its default and its
// check; an unknown key, a missing required key or a bad value is an error
// naming the key and the line. Pure: the caller reads the file and passes
// the environment.
#ifndef URNA_CORE_CONFIG_H_
#define URNA_CORE_CONFIG_H_

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace urna::core {

// The installed catalogs: $(localedir) of the build ("/usr/share/locale"
// in the Debian package).
std::string default_locale_dir();

struct Config {
  // Web
  std::string prefix = "/urna";        // URL path prefix, no trailing slash
  std::string base_url;                // e.g. https://example.org (OAuth)
  std::string listen;                  // unix path or host:port; "" = fd 0
  int workers = 4;                     // FastCGI worker threads
  int max_body = 65536;                // bytes
  std::string templates_dir = "templates";
  // Languages (docs/i18n.md): the site's default (for a browser whose
  // Accept-Language names no language urna has); "en" or a language with
  // a catalog <locale_dir>/<language>/LC_MESSAGES/urna.mo (urna.fcgi checks
  // at start-up).
  std::string language = "en";
  std::string locale_dir = default_locale_dir();
  std::string sql_dir = "sql";         // schema migrations (urna-sync --migrate)
  std::string static_url = "/urna/static";
  std::string cookie_secure = "auto";   // auto | yes | no
  int session_ttl = 28800;              // seconds
  int hsts_max_age = 31536000;          // Strict-Transport-Security over HTTPS; 0: none
  std::string session_key;              // secret, >= 32 chars
  std::string webhook_secret;           // secret; "" disables the webhook
  int webhook_min_interval = 10;        // seconds between accepted webhooks
  int exception_requests_per_hour = 5;  // per user, across elections
  // Login
  std::string auth = "github";         // github | remote_user | demo
  std::string oauth_client_id;
  std::string oauth_client_secret;     // secret
  std::string oauth_authorize_url = "https://github.com/login/oauth/authorize";
  std::string oauth_token_url = "https://github.com/login/oauth/access_token";
  std::string oauth_user_url = "https://api.github.com/user";
  std::string oauth_scope = "read:user";
  // Database
  std::string db_host = "unix:///run/mysqld/mysqld.sock";
  std::string db_user = "urna";
  std::string db_password;             // secret
  std::string db_name = "urna";
  // TLS to the database (docs/store.md): the CA that signed the server's
  // certificate (setting it turns on TLS, required, with the certificate and
  // its host name verified), and optionally a client certificate and key.
  std::string db_ssl_ca;
  std::string db_ssl_cert;
  std::string db_ssl_key;
  // Metadata repository
  std::string repo_url;
  std::string repo_branch = "main";
  std::string repo_dir = "/var/lib/urna/meta";
  std::string meta_root = "elections";
  std::string state_dir = "/var/lib/urna";  // locks, sync request flag
  // urna-sync and urna-tally hold a lease in the database for this many
  // seconds, renewed every third of it while they run; a run that died
  // leaves it to be taken over once it expires (docs/cluster.md).
  int lease_ttl = 120;
  // Secret ballot
  int scrypt_n = 32768;
  int scrypt_r = 8;
  int scrypt_p = 1;
  int passcode_min_length = 12;
  // At most this many scrypt derivations (voter-chosen passcodes) at once
  // per urna.fcgi process; beyond that a submission gets 503 + Retry-After.
  int scrypt_max_concurrent = 2;
  // Failed passcode attempts (view, re-cast) per voter and election in one
  // hour; beyond that 429 + Retry-After until the hour is over.
  int passcode_attempts_per_hour = 10;
  // The instance's default public ballot key ("x25519:..." as urna-tally
  // --keygen prints it) for elections whose election.yaml sets none.
  std::string ballot_key;
  // urna-tally: the directory of private ballot keys (never on a web host).
  std::string key_dir = "/var/lib/urna/keys";
  // urna-tally counts an election only this many seconds after its end, so
  // that no vote can still be committing.
  int count_margin = 60;
  // urna-tally: delete a private key once every election sealed to it is
  // counted (as `urna-tally --forget-key` does).
  bool forget_key_after_count = false;

  // Path of the file this came from (for messages).
  std::string source;
  // The keys the file sets (a default may depend on it: urna.fcgi on fd 0
  // runs 1 worker unless `workers` is given).
  std::set<std::string> keys_given;
};

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses `text` (the file's contents; `filename` only for messages).
// Then applies environment overrides for secrets: URNA_SESSION_KEY,
// URNA_WEBHOOK_SECRET, URNA_DB_PASSWORD, URNA_OAUTH_CLIENT_SECRET.
// Throws ConfigError("FILE:LINE: key 'k': ...") on any problem, including
// an empty or sample session key.
// `for_web`: urna.fcgi needs the session key and the login settings;
// urna-sync and urna-tally (for_web = false) never use them, so there they
// are not required (a value given is still parsed and type-checked).
Config parse_config(const std::string& text, const std::string& filename,
                    const std::map<std::string, std::string>& env, bool for_web = true);

// The documented keys, in file order, for the README test that checks every
// key is documented.
std::vector<std::string> config_keys();

}  // namespace urna::core

#endif  // URNA_CORE_CONFIG_H_
