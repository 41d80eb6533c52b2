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

#include <algorithm>
#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <thread>

#include "store/db.h"

namespace urna::store::detail {

using Stmt = std::unique_ptr<sql::PreparedStatement>;
using Rows = std::unique_ptr<sql::ResultSet>;

inline Stmt prepare(Db& db, const char* text) { return Stmt(db.conn().prepareStatement(text)); }

// Client errors that mean the connection is gone (server restarted, killed,
// timed out): 2002/2003 cannot connect, 2006 gone away, 2013 lost, 4031
// disconnected for inactivity, 1927 connection killed, 1053 shutdown.
bool connection_lost(const sql::SQLException& e);
bool retryable(const sql::SQLException& e);  // deadlock, lock wait timeout
constexpr int kDeadlock = 1213;              // also Galera's certification failure
// Counts COMMITs refused with 1213 and retried (store::commit_retries()).
void note_commit_retry();
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
// back. Retried from the start, at most kTransactionAttempts times in all,
// with a short random pause between attempts:
//  - after a deadlock (1213) or lock wait timeout (1205) in a statement;
//  - after a deadlock (1213) at COMMIT. On InnoDB a 1213 always means the
//    transaction was rolled back; at COMMIT it is how a Galera node says
//    that certification refused the write-set (another node committed a
//    conflicting one first) or that a replicated transaction aborted ours:
//    nothing of it was applied anywhere, so running it again cannot apply it
//    twice. The retry sees the winner's rows (a second cast of the same
//    voter then fails as a duplicate);
//  - after a lost connection before COMMIT was sent (once).
// Any other failure of COMMIT is reported (DbError), never retried: a
// connection lost during COMMIT may or may not have committed.
constexpr int kTransactionAttempts = 5;

inline void pause_before_retry(int attempt) {
  // 5-20 ms, doubling: two nodes retrying the same conflict do not collide
  // again in lockstep.
  thread_local std::minstd_rand rng(std::random_device{}());
  const int base = 5 << std::min(attempt, 4);
  std::this_thread::sleep_for(std::chrono::milliseconds(base + static_cast<int>(rng() % base)));
}

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
      const bool again =
          committing ? e.getErrorCode() == kDeadlock : retryable(e) || (lost && attempt == 0);
      if (attempt + 1 < kTransactionAttempts && again) {
        if (committing) note_commit_retry();
        pause_before_retry(attempt);
        continue;
      }
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
