#include "store/db.h"

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

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

sql::Connection& Db::conn() {
  if (conn_ && conn_->isClosed()) conn_.reset();
  if (!conn_) {
    try {
      sql::ConnectOptionsMap opts;
      opts["hostName"] = sql::SQLString(p_.host);
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
      conn_.reset(driver()->connect(opts));
      std::unique_ptr<sql::Statement> s(conn_->createStatement());
      // Dates are integers (UTC seconds); strict mode so bad data is an error.
      s->execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE'");
      s->execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    } catch (const sql::SQLException& e) {
      conn_.reset();
      // The password is never part of the message.
      throw DbError("cannot connect to " + p_.host + " as " + p_.user + " (database " + p_.name +
                        "): " + e.what() + tls_hint(p_, e),
                    e.getErrorCode(), true);
    }
  }
  return *conn_;
}

namespace detail {

bool connection_lost(const sql::SQLException& e) {
  switch (e.getErrorCode()) {
    case 2002: case 2003: case 2006: case 2013: case 2055: case 4031:
    case 1927: case 1053: case 2014:
      return true;
    default:
      return false;
  }
}

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
