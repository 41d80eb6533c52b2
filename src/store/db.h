// store: the only module with SQL. Db is one MySQL/MariaDB connection
// (MySQL Connector/C++ 1.1), owned by one thread at a time (one per web
// worker, one per batch program). Every store function takes a Db& and
// throws DbError when the database fails; a DbError with unavailable() set
// means the server could not be reached (the web answers 503).
#ifndef URNA_STORE_DB_H_
#define URNA_STORE_DB_H_

#include <memory>
#include <stdexcept>
#include <string>

#include "core/config.h"

namespace sql {
class Connection;
}

namespace urna::store {

class DbError : public std::runtime_error {
 public:
  DbError(const std::string& what, int code, bool unavailable)
      : std::runtime_error(what), code_(code), unavailable_(unavailable) {}
  int code() const { return code_; }  // MySQL error code, 0 if none
  bool unavailable() const { return unavailable_; }

 private:
  int code_;
  bool unavailable_;
};

// Once per process, before any thread connects.
void global_init();
// Once in every thread that uses a Db, before and after.
void thread_init();
void thread_end();

struct DbParams {
  // "unix:///path/to/socket" or "tcp://host:port", or several of them
  // separated by commas (the nodes of a Galera cluster): Db connects to the
  // first that answers and, on Galera, is ready (primary and synced), in
  // the order given, and again after a lost connection.
  std::string host;
  std::string user;
  std::string password;
  std::string name;
  // TLS (docs/store.md): with ssl_ca set the connection must be TLS and the
  // server's certificate must chain to ssl_ca and name the host; ssl_cert and
  // ssl_key are an optional client certificate. Empty: no TLS.
  std::string ssl_ca;
  std::string ssl_cert;
  std::string ssl_key;
};

class Db {
 public:
  // Connects; throws DbError (unavailable) when the server does not answer.
  explicit Db(const core::Config& cfg);
  explicit Db(DbParams p);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // For src/store only (store/sql_util.h). Reconnects when the connection
  // was dropped by reconnect() or a lost-connection error.
  sql::Connection& conn();
  // Drops the connection; the next conn() opens a new one.
  void drop();
  // The host of the current connection (one of DbParams::host's list).
  const std::string& server() const { return server_; }
  // True when that server is a Galera node (wsrep_on). Its sessions then
  // read with wsrep_sync_wait = 1: a read waits until the node has applied
  // every write-set committed anywhere in the cluster before it began, so
  // a voter's own cast is seen on the next page whichever node serves it.
  bool galera() const { return galera_; }

 private:
  sql::Connection* connect_one(const std::string& host, std::string* why);
  DbParams p_;
  std::unique_ptr<sql::Connection> conn_;
  std::string server_;
  bool galera_ = false;
  int last_error_code_ = 0;
};

// How many COMMITs a certification failure (1213) refused and the store
// retried, in this process (docs/cluster.md).
long commit_retries();

}  // namespace urna::store

#endif  // URNA_STORE_DB_H_
