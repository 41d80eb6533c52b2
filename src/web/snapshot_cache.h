// The live election snapshot, shared by the worker threads of one process.
// Each request asks for it; at most once per second the cache compares the
// live snapshot id in the database with its own and reloads when a sync
// stored a new one, so workers pick up new metadata without a restart.
// Thread safety: all methods may be called from any thread.
#ifndef URNA_WEB_SNAPSHOT_CACHE_H_
#define URNA_WEB_SNAPSHOT_CACHE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

#include "core/model.h"

namespace urna::store {
class Db;
}

namespace urna::web {

class SnapshotCache {
 public:
  // The current snapshot (an empty one before the first sync). May call
  // `db` and query it; throws store errors when the database fails.
  std::shared_ptr<const core::Snapshot> get(const std::function<store::Db&()>& db,
                                            core::UnixTime now);
  // Tests: serve `s` from now on without ever asking the database.
  void pin(core::Snapshot s);

 private:
  std::mutex mu_;       // guards the fields below
  std::mutex load_mu_;  // held by the one thread reading a new snapshot
  std::shared_ptr<const core::Snapshot> current_ =
      std::make_shared<const core::Snapshot>();
  std::int64_t id_ = -1;
  core::UnixTime checked_at_ = 0;
  bool pinned_ = false;
};

}  // namespace urna::web

#endif  // URNA_WEB_SNAPSHOT_CACHE_H_
