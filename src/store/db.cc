#include "store/db.h"

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "store/sql_util.h"

namespace urna::store {

namespace {
sql::mysql::MySQL_Driver* driver() { return sql::mysql::get_mysql_driver_instance(); }

// The client library reads the TLS files only while it connects and then
// says little more than "SSL connection error"; checking them first names
// the key and the file.
void check_readable(const char* key, const std::string& path) {
  if (path.empty()) return;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f)
    throw DbError(std::string(key) + " " + path + ": cannot be read: " + std::strerror(errno), 0,
                  true);
  std::fclose(f);
}

// Why a TLS connection failed, in the words an operator needs.
std::string tls_hint(const DbParams& p, const sql::SQLException& e) {
  std::string what = e.what();
  auto has = [&](const char* s) { return what.find(s) != std::string::npos; };
  if (!p.ssl_ca.empty()) {
    if (e.getErrorCode() == 2026 || has("SSL") || has("TLS") || has("certificate"))
      return " [TLS: the database server's certificate was not accepted: it must be signed "
             "by the CA in db_ssl_ca (" +
             p.ssl_ca +
             ") and name the host of db_host; or the "
             "server does not offer TLS]";
    if (e.getErrorCode() == 1045 && p.ssl_cert.empty())
      return " [no client certificate configured: if the server requires one for this user "
             "(REQUIRE X509), set db_ssl_cert and db_ssl_key]";
    return "";
  }
  if (e.getErrorCode() == 1045 && p.host.rfind("tcp://", 0) == 0)
    return " [no TLS configured: if the server requires TLS for this user (REQUIRE SSL), set "
           "db_ssl_ca]";
  return "";
}
}  // namespace

void global_init() { driver(); }
void thread_init() { driver()->threadInit(); }
void thread_end() { driver()->threadEnd(); }

Db::Db(const core::Config& cfg)
    : Db(DbParams{cfg.db_host, cfg.db_user, cfg.db_password, cfg.db_name, cfg.db_ssl_ca,
                  cfg.db_ssl_cert, cfg.db_ssl_key}) {}

Db::Db(DbParams p) : p_(std::move(p)) { conn(); }

Db::~Db() = default;

void Db::drop() { conn_.reset(); }

namespace {

std::vector<std::string> host_list(const std::string& hosts) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= hosts.size()) {
    size_t comma = hosts.find(',', start);
    if (comma == std::string::npos) comma = hosts.size();
    std::string h = hosts.substr(start, comma - start);
    const auto b = h.find_first_not_of(" \t");
    if (b != std::string::npos) out.push_back(h.substr(b, h.find_last_not_of(" \t") - b + 1));
    start = comma + 1;
  }
  if (out.empty()) out.push_back(hosts);
  return out;
}

std::string show_value(sql::Connection& c, const char* statement) {
  std::unique_ptr<sql::Statement> s(c.createStatement());
  std::unique_ptr<sql::ResultSet> r(s->executeQuery(statement));
  return r->next() ? std::string(r->getString(2)) : "";
}

std::atomic<long> commit_retry_count{0};

}  // namespace

long commit_retries() { return commit_retry_count.load(); }

sql::Connection* Db::connect_one(const std::string& host, std::string* why) {
  std::unique_ptr<sql::Connection> c;
  try {
    sql::ConnectOptionsMap opts;
    opts["hostName"] = sql::SQLString(host);
    opts["userName"] = sql::SQLString(p_.user);
    opts["password"] = sql::SQLString(p_.password);
    opts["schema"] = sql::SQLString(p_.name);
    opts["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
    opts["OPT_RECONNECT"] = false;  // we reconnect ourselves, knowingly
    opts["OPT_CONNECT_TIMEOUT"] = 5;
    opts["OPT_READ_TIMEOUT"] = 60;
    opts["OPT_WRITE_TIMEOUT"] = 60;
    if (!p_.ssl_ca.empty()) {
      check_readable("db_ssl_ca", p_.ssl_ca);
      check_readable("db_ssl_cert", p_.ssl_cert);
      check_readable("db_ssl_key", p_.ssl_key);
      opts["sslCA"] = sql::SQLString(p_.ssl_ca);
      if (!p_.ssl_cert.empty()) opts["sslCert"] = sql::SQLString(p_.ssl_cert);
      if (!p_.ssl_key.empty()) opts["sslKey"] = sql::SQLString(p_.ssl_key);
      // MYSQL_OPT_SSL_VERIFY_SERVER_CERT: the chain and the host name.
      opts["sslVerify"] = true;
      // MYSQL_OPT_SSL_ENFORCE: no silent fall-back to plain text.
      opts["sslEnforce"] = true;
    }
    c.reset(driver()->connect(opts));
    std::unique_ptr<sql::Statement> s(c->createStatement());
    // Dates are integers (UTC seconds); strict mode so bad data is an error.
    s->execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE'");
    s->execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    galera_ = show_value(*c, "SHOW VARIABLES LIKE 'wsrep_on'") == "ON";
    if (galera_) {
      // A node cut off from the primary component (or still joining)
      // refuses queries; another node of the list may serve.
      if (show_value(*c, "SHOW STATUS LIKE 'wsrep_ready'") != "ON") {
        *why = host +
               ": the Galera node is not ready (not in the primary component, or "
               "still joining): wsrep_ready = OFF";
        return nullptr;
      }
      s->execute("SET SESSION wsrep_sync_wait = 1");
    }
  } catch (const sql::SQLException& e) {
    // The password is never part of the message.
    *why = host + ": " + e.what();
    if (e.getErrorCode() != 0) *why += " (MySQL error " + std::to_string(e.getErrorCode()) + ")";
    *why += tls_hint(p_, e);
    last_error_code_ = e.getErrorCode();
    return nullptr;
  }
  return c.release();
}

sql::Connection& Db::conn() {
  if (conn_ && conn_->isClosed()) conn_.reset();
  if (!conn_) {
    std::string errors;
    last_error_code_ = 0;
    for (const std::string& host : host_list(p_.host)) {
      std::string why;
      if (sql::Connection* c = connect_one(host, &why)) {
        conn_.reset(c);
        server_ = host;
        return *conn_;
      }
      errors += (errors.empty() ? "" : "; ") + why;
    }
    throw DbError("cannot connect as " + p_.user + " (database " + p_.name + "): " + errors,
                  last_error_code_, true);
  }
  return *conn_;
}

namespace detail {

bool connection_lost(const sql::SQLException& e) {
  switch (e.getErrorCode()) {
    case 2002:
    case 2003:
    case 2006:
    case 2013:
    case 2055:
    case 4031:
    case 1927:
    case 1053:
    case 2014:
    // A Galera node out of the primary component: "WSREP has not yet
    // prepared node for application use". The connection is dropped so that
    // the next one goes to a node that is ready.
    case 1047:
      return true;
    default:
      return false;
  }
}

void note_commit_retry() { ++commit_retry_count; }

bool retryable(const sql::SQLException& e) {
  return e.getErrorCode() == 1213 || e.getErrorCode() == 1205;
}

DbError to_db_error(const sql::SQLException& e, const char* what) {
  return DbError(std::string(what) + ": " + e.what() + " (MySQL error " +
                     std::to_string(e.getErrorCode()) + ", SQLSTATE " + e.getSQLState() + ")",
                 e.getErrorCode(), connection_lost(e));
}

}  // namespace detail
}  // namespace urna::store
