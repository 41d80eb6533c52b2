// Leases: one row per job (urna-sync, urna-tally, urna-sync --migrate) that
// must run on one host at a time across all hosts sharing the database
// (docs/cluster.md). A lease has an owner ("HOST pid PID token HEX") and an
// expiry in the database server's clock; the holder renews it while it runs
// (LeaseKeeper) and releases it at the end; a holder that dies stops
// renewing and the lease is free once it expires. GET_LOCK would not do:
// Galera does not replicate it, a row is replicated and certified.
#ifndef URNA_STORE_LEASE_STORE_H_
#define URNA_STORE_LEASE_STORE_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "store/db.h"

namespace urna::store {

struct LeaseHolder {
  std::string owner;
  std::int64_t expires_in = 0;  // seconds from now (database clock)
};

struct LeaseTaken {
  bool taken = false;
  LeaseHolder holder;    // when not taken: who holds it
  std::string previous;  // when taken: an expired owner taken over ("" none)
};

// "HOST pid PID token HEX" with 8 random bytes: unique even when two hosts
// share a hostname or a PID is reused.
std::string lease_owner_name();

// Takes `name` for ttl seconds when it is free, expired or already ours.
LeaseTaken take_lease(Db& db, const std::string& name, const std::string& owner, int ttl);
// Pushes the expiry to now + ttl; false when the lease is no longer ours
// (it expired and another run took it).
bool renew_lease(Db& db, const std::string& name, const std::string& owner, int ttl);
// Frees the lease if it is still ours.
void release_lease(Db& db, const std::string& name, const std::string& owner);
// The current holder of an unexpired lease, if any.
std::optional<LeaseHolder> lease_holder(Db& db, const std::string& name);

// Holds a taken lease for its life: a thread with its own connection renews
// it every ttl/3 seconds and releases it in the destructor. When the lease
// is lost (taken over after renewals failed for longer than ttl), the
// process can no longer be sure it runs alone: on_lost is called (by
// default it prints why and ends the process with status 1; the database
// rolls back what was unfinished).
class LeaseKeeper {
 public:
  LeaseKeeper(DbParams params, std::string name, std::string owner, int ttl);
  ~LeaseKeeper();
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;
  // For tests: called instead of ending the process.
  void set_on_lost(void (*fn)(const std::string& why));
  // Async-signal-safe: asks the running keeper to release its lease now and
  // end the process with status 1 (urna-sync's --timeout: the main thread
  // may hang in a fetch, the lease must not wait lease_ttl). False when no
  // keeper runs (the caller then just exits).
  static bool abandon_from_signal();
  int renewals() const { return renewals_.load(); }

 private:
  void run();
  DbParams params_;
  std::string name_, owner_;
  int ttl_;
  std::mutex m_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<int> renewals_{0};
  std::atomic<void (*)(const std::string&)> on_lost_{nullptr};
  std::thread thread_;
};

DbParams db_params(const core::Config& cfg);

}  // namespace urna::store

#endif  // URNA_STORE_LEASE_STORE_H_
