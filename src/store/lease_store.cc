#include "store/lease_store.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "crypto/crypto.h"
#include "store/sql_util.h"

namespace urna::store {

using detail::prepare;
using detail::Rows;

DbParams db_params(const core::Config& cfg) {
  // The same as Db(cfg) uses, TLS included: the lease's own connection
  // (renewing in the background) must be as protected as the others.
  return DbParams{cfg.db_host,   cfg.db_user,     cfg.db_password, cfg.db_name,
                  cfg.db_ssl_ca, cfg.db_ssl_cert, cfg.db_ssl_key};
}

std::string lease_owner_name() {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0')
    std::snprintf(host, sizeof host, "unknown-host");
  return std::string(host) + " pid " + std::to_string(getpid()) + " token " +
         crypto::hex_encode(crypto::random_bytes(8));
}

LeaseTaken take_lease(Db& db, const std::string& name, const std::string& owner, int ttl) {
  // Two hosts taking the lease at once on two Galera nodes both update the
  // row locally; certification lets one commit and fails the other's COMMIT
  // with 1213, which transaction() retries: the retry sees the winner.
  return detail::transaction(db, "taking the lease", [&](Db& d) {
    {
      auto ins = prepare(d,
                         "INSERT IGNORE INTO leases (name, owner, taken_at, expires_at) "
                         "VALUES (?, '', 0, 0)");
      ins->setString(1, name);
      ins->executeUpdate();
    }
    auto st = prepare(d,
                      "SELECT owner, expires_at - UNIX_TIMESTAMP() AS left_s FROM leases "
                      "WHERE name = ? FOR UPDATE");
    st->setString(1, name);
    Rows r(st->executeQuery());
    LeaseTaken out;
    if (!r->next()) throw DbError("the lease row " + name + " vanished", 0, false);
    const std::string current = r->getString("owner");
    const std::int64_t left = r->getInt64("left_s");
    if (!current.empty() && current != owner && left > 0) {
      out.holder = LeaseHolder{current, left};
      return out;
    }
    if (!current.empty() && current != owner) out.previous = current;
    auto up = prepare(d,
                      "UPDATE leases SET owner = ?, taken_at = UNIX_TIMESTAMP(), "
                      "expires_at = UNIX_TIMESTAMP() + ? WHERE name = ?");
    up->setString(1, owner);
    up->setInt(2, ttl);
    up->setString(3, name);
    up->executeUpdate();
    out.taken = true;
    return out;
  });
}

bool renew_lease(Db& db, const std::string& name, const std::string& owner, int ttl) {
  return detail::transaction(db, "renewing the lease", [&](Db& d) {
    // Not only ours but also unexpired: once it has expired another run may
    // be taking it right now, so an expired lease is never extended.
    auto up = prepare(d,
                      "UPDATE leases SET expires_at = UNIX_TIMESTAMP() + ? "
                      "WHERE name = ? AND owner = ? AND expires_at > UNIX_TIMESTAMP()");
    up->setInt(1, ttl);
    up->setString(2, name);
    up->setString(3, owner);
    return up->executeUpdate() == 1;
  });
}

void release_lease(Db& db, const std::string& name, const std::string& owner) {
  detail::transaction(db, "releasing the lease", [&](Db& d) {
    auto up =
        prepare(d, "UPDATE leases SET owner = '', expires_at = 0 WHERE name = ? AND owner = ?");
    up->setString(1, name);
    up->setString(2, owner);
    up->executeUpdate();
  });
}

std::optional<LeaseHolder> lease_holder(Db& db, const std::string& name) {
  return detail::read(db, "reading the lease", [&](Db& d) -> std::optional<LeaseHolder> {
    auto st = prepare(d,
                      "SELECT owner, expires_at - UNIX_TIMESTAMP() AS left_s FROM leases "
                      "WHERE name = ?");
    st->setString(1, name);
    Rows r(st->executeQuery());
    if (!r->next()) return std::nullopt;
    const std::string owner = r->getString("owner");
    const std::int64_t left = r->getInt64("left_s");
    if (owner.empty() || left <= 0) return std::nullopt;
    return LeaseHolder{owner, left};
  });
}

namespace {
// Set from a signal handler (lock-free atomics are async-signal-safe).
std::atomic<bool> abandon_requested{false};
std::atomic<int> keepers_running{0};

void exit_on_lost(const std::string& why) {
  std::cerr << why << "\n";
  std::cerr.flush();
  _exit(1);
}
}  // namespace

LeaseKeeper::LeaseKeeper(DbParams params, std::string name, std::string owner, int ttl)
    : params_(std::move(params)), name_(std::move(name)), owner_(std::move(owner)), ttl_(ttl) {
  on_lost_ = &exit_on_lost;
  thread_ = std::thread([this] { run(); });
}

void LeaseKeeper::set_on_lost(void (*fn)(const std::string&)) { on_lost_ = fn; }

bool LeaseKeeper::abandon_from_signal() {
  if (keepers_running.load() == 0) return false;
  abandon_requested.store(true);
  return true;
}

LeaseKeeper::~LeaseKeeper() {
  {
    std::lock_guard<std::mutex> g(m_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void LeaseKeeper::run() {
  thread_init();
  ++keepers_running;
  using clock = std::chrono::steady_clock;
  const auto period = std::chrono::milliseconds(ttl_ * 1000 / 3);
  // The last moment the lease was certainly ours.
  auto good_until = clock::now() + std::chrono::seconds(ttl_);
  auto next_renewal = clock::now() + period;
  std::unique_ptr<Db> db;
  std::string lost;
  bool abandon = false;
  {
    std::unique_lock<std::mutex> lk(m_);
    while (!stop_) {
      // Short slices, so that an abandon request is seen quickly.
      if (cv_.wait_for(lk, std::chrono::milliseconds(100), [this] { return stop_; })) break;
      if (abandon_requested.load()) {
        abandon = true;
        break;
      }
      if (clock::now() < next_renewal) continue;
      next_renewal = clock::now() + period;
      lk.unlock();
      try {
        if (!db) db = std::make_unique<Db>(params_);
        const auto asked = clock::now();
        if (renew_lease(*db, name_, owner_, ttl_)) {
          ++renewals_;
          good_until = asked + std::chrono::seconds(ttl_);
        } else {
          lost = "the lease " + name_ + " was taken over by another run (" + owner_ +
                 " could not renew it in time); stopping";
        }
      } catch (const std::exception& e) {
        db.reset();
        if (clock::now() >= good_until)
          lost = "the lease " + name_ + " could not be renewed for " + std::to_string(ttl_) +
                 " s (" + e.what() + "); another run may hold it now; stopping";
      }
      lk.lock();
      if (!lost.empty()) break;
    }
  }
  if (lost.empty()) {
    try {
      if (!db) db = std::make_unique<Db>(params_);
      release_lease(*db, name_, owner_);
    } catch (const std::exception&) {
      // It expires by itself.
    }
  }
  db.reset();
  --keepers_running;
  thread_end();
  if (abandon) _exit(1);  // the signal handler has said why
  if (!lost.empty()) on_lost_.load()(lost);
}

}  // namespace urna::store
