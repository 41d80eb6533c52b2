#include "store/sync_store.h"

#include <algorithm>

#include "store/blob.h"
#include "store/sql_util.h"

namespace urna::store {

using detail::prepare;
using detail::Rows;

namespace {
std::optional<core::UnixTime> opt_time(sql::ResultSet& r, const char* col) {
  if (r.isNull(col)) return std::nullopt;
  return r.getInt64(col);
}
std::string opt_str(sql::ResultSet& r, const char* col) {
  return r.isNull(col) ? std::string() : std::string(r.getString(col));
}
}  // namespace

std::int64_t save_snapshot(Db& db, const std::string& commit, const std::string& json,
                           core::UnixTime now, const std::vector<SyncWarning>* warnings) {
  return detail::transaction(db, "storing the snapshot", [&](Db& d) -> std::int64_t {
    std::int64_t live = 0;
    {
      auto st = prepare(d,
                        "SELECT s.id, s.commit_id, s.body FROM sync_state st "
                        "JOIN snapshots s ON s.id = st.live_snapshot_id WHERE st.id = 1 FOR UPDATE");
      Rows r(st->executeQuery());
      if (r->next() && std::string(r->getString("commit_id")) == commit &&
          detail::unpack(detail::get_bytes(*r, "body")) == json)
        live = r->getInt64("id");
    }
    if (live == 0) {
      auto ins = prepare(d, "INSERT INTO snapshots (commit_id, body, created_at) VALUES (?, ?, ?)");
      ins->setString(1, commit);
      ins->setString(2, detail::pack(json, detail::kSnapshotLevel));
      ins->setInt64(3, now);
      ins->executeUpdate();
      auto id = prepare(d, "SELECT LAST_INSERT_ID() AS id");
      Rows r(id->executeQuery());
      r->next();
      live = r->getInt64("id");
      auto old = prepare(d, "DELETE FROM snapshots WHERE id <= ?");
      old->setInt64(1, live - 20);
      old->executeUpdate();
    }
    auto up = prepare(d,
                      "UPDATE sync_state SET live_snapshot_id = ?, last_run_at = ?, last_ok_at = ?, "
                      "last_ok_commit = ?, last_error = NULL, last_error_at = NULL, "
                      "last_error_commit = NULL WHERE id = 1");
    up->setInt64(1, live);
    up->setInt64(2, now);
    up->setInt64(3, now);
    up->setString(4, commit);
    up->executeUpdate();
    if (warnings) {
      prepare(d, "DELETE FROM sync_warnings")->executeUpdate();
      auto ins = prepare(d, "INSERT INTO sync_warnings (seq, election_id, text) VALUES (?, ?, ?)");
      auto add = [&ins](size_t seq, const std::string& election, const std::string& text) {
        ins->setInt(1, static_cast<int>(seq));
        ins->setString(2, election);
        ins->setString(3, text);
        ins->executeUpdate();
      };
      const size_t n = std::min(warnings->size(), kMaxStoredWarnings);
      for (size_t i = 0; i < n; ++i) add(i, (*warnings)[i].election, (*warnings)[i].text);
      if (warnings->size() > n)
        add(n, "",
            std::to_string(warnings->size() - n) +
                " more warning(s) not stored; urna-sync --check lists them all");
    }
    return live;
  });
}

std::vector<SyncWarning> sync_warnings(Db& db, const std::vector<std::string>& elections) {
  if (elections.empty()) return {};
  std::string q = "SELECT election_id, text FROM sync_warnings WHERE election_id IN (";
  for (size_t i = 0; i < elections.size(); ++i) q += i ? ", ?" : "?";
  q += ") ORDER BY seq";
  return detail::read(db, "reading the sync warnings", [&](Db& d) {
    auto st = prepare(d, q.c_str());
    for (size_t i = 0; i < elections.size(); ++i)
      st->setString(static_cast<int>(i + 1), elections[i]);
    Rows r(st->executeQuery());
    std::vector<SyncWarning> out;
    while (r->next())
      out.push_back({std::string(r->getString("election_id")), std::string(r->getString("text"))});
    return out;
  });
}

void record_sync_failure(Db& db, const std::string& commit, const std::string& errors,
                         core::UnixTime now) {
  detail::transaction(db, "recording the sync failure", [&](Db& d) {
    auto up = prepare(d,
                      "UPDATE sync_state SET last_run_at = ?, last_error_at = ?, "
                      "last_error_commit = ?, last_error = ? WHERE id = 1");
    up->setInt64(1, now);
    up->setInt64(2, now);
    up->setString(3, commit);
    up->setString(4, errors.empty() ? std::string("unknown error") : errors);
    up->executeUpdate();
  });
}

std::int64_t live_snapshot_id(Db& db) {
  return detail::read(db, "reading the live snapshot id", [](Db& d) -> std::int64_t {
    auto st = prepare(d, "SELECT live_snapshot_id FROM sync_state WHERE id = 1");
    Rows r(st->executeQuery());
    if (!r->next() || r->isNull("live_snapshot_id")) return 0;
    return r->getInt64("live_snapshot_id");
  });
}

std::optional<StoredSnapshot> load_live_snapshot(Db& db) {
  return detail::read(db, "reading the live snapshot", [](Db& d) -> std::optional<StoredSnapshot> {
    auto st = prepare(d,
                      "SELECT s.id, s.commit_id, s.body FROM sync_state st "
                      "JOIN snapshots s ON s.id = st.live_snapshot_id WHERE st.id = 1");
    Rows r(st->executeQuery());
    if (!r->next()) return std::nullopt;
    return StoredSnapshot{r->getInt64("id"), std::string(r->getString("commit_id")),
                          detail::unpack(detail::get_bytes(*r, "body"))};
  });
}

SyncState sync_state(Db& db) {
  return detail::read(db, "reading the sync state", [](Db& d) {
    SyncState s;
    auto st = prepare(d,
                      "SELECT st.*, s.commit_id AS live_commit FROM sync_state st "
                      "LEFT JOIN snapshots s ON s.id = st.live_snapshot_id WHERE st.id = 1");
    Rows r(st->executeQuery());
    if (!r->next()) return s;
    s.live_snapshot_id = r->isNull("live_snapshot_id") ? 0 : r->getInt64("live_snapshot_id");
    s.live_commit = opt_str(*r, "live_commit");
    s.last_run_at = opt_time(*r, "last_run_at");
    s.last_ok_at = opt_time(*r, "last_ok_at");
    s.last_error_at = opt_time(*r, "last_error_at");
    s.last_ok_commit = opt_str(*r, "last_ok_commit");
    s.last_error_commit = opt_str(*r, "last_error_commit");
    s.last_error = opt_str(*r, "last_error");
    s.sync_requested_at = opt_time(*r, "sync_requested_at");
    return s;
  });
}

SyncRequest request_sync(Db& db, core::UnixTime now, int min_interval) {
  return detail::transaction(db, "requesting a sync", [&](Db& d) {
    SyncRequest out;
    auto st = prepare(d, "SELECT last_webhook_at FROM sync_state WHERE id = 1 FOR UPDATE");
    Rows r(st->executeQuery());
    if (r->next() && !r->isNull("last_webhook_at")) {
      const core::UnixTime last = r->getInt64("last_webhook_at");
      if (now >= last && now - last < min_interval) {
        out.retry_after = static_cast<int>(min_interval - (now - last));
        return out;
      }
    }
    auto up = prepare(d,
                      "UPDATE sync_state SET last_webhook_at = ?, "
                      "sync_requested_at = COALESCE(sync_requested_at, ?) WHERE id = 1");
    up->setInt64(1, now);
    up->setInt64(2, now);
    up->executeUpdate();
    out.accepted = true;
    return out;
  });
}

bool take_sync_request(Db& db) {
  return detail::transaction(db, "taking the sync request", [](Db& d) {
    auto up = prepare(d,
                      "UPDATE sync_state SET sync_requested_at = NULL "
                      "WHERE id = 1 AND sync_requested_at IS NOT NULL");
    return up->executeUpdate() > 0;
  });
}

}  // namespace urna::store
