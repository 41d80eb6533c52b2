#include "web/snapshot_cache.h"

#include "core/snapshot_json.h"
#include "store/sync_store.h"

namespace urna::web {

void SnapshotCache::pin(core::Snapshot s) {
  std::lock_guard<std::mutex> lock(mu_);
  current_ = std::make_shared<const core::Snapshot>(std::move(s));
  pinned_ = true;
}

std::shared_ptr<const core::Snapshot> SnapshotCache::get(
    const std::function<store::Db&()>& get_db, core::UnixTime now) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (pinned_ || (id_ >= 0 && now == checked_at_)) return current_;
  }
  store::Db& db = get_db();
  std::int64_t live = store::live_snapshot_id(db);
  {
    std::lock_guard<std::mutex> lock(mu_);
    checked_at_ = now;
    if (live == id_) return current_;
  }
  // One thread reads and parses the new snapshot; meanwhile the others go
  // on serving the current one (or, before the first load, wait for it), so
  // a process never holds more than the old and the new snapshot.
  std::unique_lock<std::mutex> loading(load_mu_, std::try_to_lock);
  if (!loading.owns_lock()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (id_ >= 0) return current_;
    }
    loading.lock();
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (id_ >= 0 && id_ >= live) return current_;  // loaded while we waited
  }
  std::shared_ptr<const core::Snapshot> fresh;
  std::int64_t fresh_id = live;
  if (auto s = store::load_live_snapshot(db)) {
    fresh = std::make_shared<const core::Snapshot>(core::snapshot_from_json(s->json));
    fresh_id = s->id;
  } else {
    fresh = std::make_shared<const core::Snapshot>();
    fresh_id = 0;
  }
  std::lock_guard<std::mutex> lock(mu_);
  current_ = fresh;
  id_ = fresh_id;
  return current_;
}

}  // namespace urna::web
