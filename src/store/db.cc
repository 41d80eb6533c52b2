#include "store/db.h"

#include <mysql_driver.h>

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/statement.h>

#include "store/sql_util.h"

namespace urna::store {

namespace {
sql::mysql::MySQL_Driver* driver() { return sql::mysql::get_mysql_driver_instance(); }
}  // namespace

void global_init() { driver(); }
void thread_init() { driver()->threadInit(); }
void thread_end() { driver()->threadEnd(); }

Db::Db(const core::Config& cfg)
    : Db(DbParams{cfg.db_host, cfg.db_user, cfg.db_password, cfg.db_name}) {}

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
      conn_.reset(driver()->connect(opts));
      std::unique_ptr<sql::Statement> s(conn_->createStatement());
      // Dates are integers (UTC seconds); strict mode so bad data is an error.
      s->execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE'");
      s->execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    } catch (const sql::SQLException& e) {
      conn_.reset();
      // The password is never part of the message.
      throw DbError("cannot connect to " + p_.host + " as " + p_.user + " (database " +
                        p_.name + "): " + e.what(),
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
