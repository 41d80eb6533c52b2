// Private to src/store: prepared statements, error translation, read retry
// and transactions over a Db. Every SQL string lives in src/store/*.cc and
// every value goes through a placeholder.
#ifndef URNA_STORE_SQL_UTIL_H_
#define URNA_STORE_SQL_UTIL_H_

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include <memory>
#include <string>

#include "store/db.h"

namespace urna::store::detail {

using Stmt = std::unique_ptr<sql::PreparedStatement>;
using Rows = std::unique_ptr<sql::ResultSet>;

inline Stmt prepare(Db& db, const char* text) {
  return Stmt(db.conn().prepareStatement(text));
}

// Client errors that mean the connection is gone (server restarted, killed,
// timed out): 2002/2003 cannot connect, 2006 gone away, 2013 lost, 4031
// disconnected for inactivity, 1927 connection killed, 1053 shutdown.
bool connection_lost(const sql::SQLException& e);
bool retryable(const sql::SQLException& e);  // deadlock, lock wait timeout
DbError to_db_error(const sql::SQLException& e, const char* what);

// Runs fn(db) once; when the connection turns out to be lost, reconnects
// and runs it again. Only for reads (and idempotent writes).
template <class F>
auto read(Db& db, const char* what, F&& fn) -> decltype(fn(db)) {
  for (int attempt = 0;; ++attempt) {
    try {
      return fn(db);
    } catch (const sql::SQLException& e) {
      if (attempt == 0 && connection_lost(e)) {
        db.drop();
        continue;
      }
      throw to_db_error(e, what);
    }
  }
}

// Runs fn(db) inside START TRANSACTION ... COMMIT. Any exception rolls
// back. Retried (from the start) after a deadlock or lock wait timeout, and
// after a lost connection that happened before COMMIT was sent; a failure of
// COMMIT itself is reported (DbError), never retried, so nothing is applied
// twice.
template <class F>
auto transaction(Db& db, const char* what, F&& fn) -> decltype(fn(db)) {
  for (int attempt = 0;; ++attempt) {
    bool committing = false;
    try {
      {
        std::unique_ptr<sql::Statement> s(db.conn().createStatement());
        s->execute("START TRANSACTION");
      }
      if constexpr (std::is_void_v<decltype(fn(db))>) {
        fn(db);
        committing = true;
        std::unique_ptr<sql::Statement> s(db.conn().createStatement());
        s->execute("COMMIT");
        return;
      } else {
        auto r = fn(db);
        committing = true;
        std::unique_ptr<sql::Statement> s(db.conn().createStatement());
        s->execute("COMMIT");
        return r;
      }
    } catch (const sql::SQLException& e) {
      const bool lost = connection_lost(e);
      if (lost) {
        db.drop();
      } else {
        try {
          std::unique_ptr<sql::Statement> s(db.conn().createStatement());
          s->execute("ROLLBACK");
        } catch (const sql::SQLException&) {
          db.drop();
        }
      }
      if (attempt < 3 && !committing && (retryable(e) || (lost && attempt == 0)))
        continue;
      throw to_db_error(e, what);
    } catch (...) {
      try {
        std::unique_ptr<sql::Statement> s(db.conn().createStatement());
        s->execute("ROLLBACK");
      } catch (const sql::SQLException&) {
        db.drop();
      }
      throw;
    }
  }
}

// Connector/C++ strings carry bytes, so binary columns round-trip.
inline std::string get_bytes(sql::ResultSet& r, const char* col) {
  return std::string(r.getString(col));
}

}  // namespace urna::store::detail

#endif  // URNA_STORE_SQL_UTIL_H_
