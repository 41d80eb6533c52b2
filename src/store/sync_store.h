// The metadata snapshots and the sync state: urna-sync stores a validated
// snapshot (or records why it failed); web workers read the live one; the
// webhook asks for a sync that the next urna-sync --if-requested run does.
#ifndef URNA_STORE_SYNC_STORE_H_
#define URNA_STORE_SYNC_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "store/db.h"

namespace urna::store {

struct StoredSnapshot {
  std::int64_t id = 0;
  std::string commit;
  std::string json;
};

struct SyncState {
  std::int64_t live_snapshot_id = 0;  // 0 = none yet
  std::string live_commit;
  std::optional<core::UnixTime> last_run_at, last_ok_at, last_error_at;
  std::string last_ok_commit, last_error_commit;
  std::string last_error;  // "" when the last run succeeded
  std::optional<core::UnixTime> sync_requested_at;
};

// A warning of the live snapshot (a loader issue of severity warning, as
// "FILE: FIELD: warning: message") and the election it concerns ("" for
// none).
struct SyncWarning {
  std::string election;
  std::string text;
  bool operator==(const SyncWarning& o) const { return election == o.election && text == o.text; }
};

// At most this many warnings are stored; one more row says how many were
// left out (urna-sync --check prints them all).
constexpr size_t kMaxStoredWarnings = 1000;

struct SyncRequest {
  bool accepted = false;
  int retry_after = 0;  // seconds, when not accepted
};

// Makes `json` (core::snapshot_to_json of a validated snapshot at `commit`)
// the live snapshot, in one transaction, and clears the last error. When the
// live snapshot already has this commit and this JSON, only the run is
// recorded. Keeps the 20 most recent snapshots. Returns the live id.
// `warnings`, when given, replace the stored warnings in the same
// transaction; nullptr keeps them (a run that did not load the tree).
std::int64_t save_snapshot(Db& db, const std::string& commit, const std::string& json,
                           core::UnixTime now, const std::vector<SyncWarning>* warnings = nullptr);

// Records a failed sync (fetch or validation); the live snapshot stays.
void record_sync_failure(Db& db, const std::string& commit, const std::string& errors,
                         core::UnixTime now);

// The live snapshot id, 0 when none (one cheap query; workers call it to
// notice a new snapshot).
std::int64_t live_snapshot_id(Db& db);
std::optional<StoredSnapshot> load_live_snapshot(Db& db);
SyncState sync_state(Db& db);
// The stored warnings of the given elections ("" = those of no election),
// in the loader's order.
std::vector<SyncWarning> sync_warnings(Db& db, const std::vector<std::string>& elections);

// Webhook: asks for a sync unless one was accepted less than min_interval
// seconds ago (then retry_after says how long to wait).
SyncRequest request_sync(Db& db, core::UnixTime now, int min_interval);
// urna-sync --if-requested: true (and clears the flag) when a sync was asked.
bool take_sync_request(Db& db);

}  // namespace urna::store

#endif  // URNA_STORE_SYNC_STORE_H_
