#include "store/attempt_store.h"

#include <algorithm>

#include "store/sql_util.h"

namespace urna::store {

using detail::prepare;
using detail::Rows;

AttemptCharge charge_attempt(Db& db, const std::string& election_id, const std::string& login,
                             const AttemptLimit& limit) {
  AttemptCharge out;
  if (limit.per_hour <= 0) return out;
  return detail::transaction(db, "counting a passcode attempt", [&](Db& d) -> AttemptCharge {
    AttemptCharge c;
    // Creates the row or locks the existing one (an exclusive lock either
    // way, so two first attempts at once queue instead of deadlocking on a
    // shared lock).
    auto ins = prepare(d,
                       "INSERT INTO passcode_attempts (election_id, login, window_start, failures) "
                       "VALUES (?, ?, ?, 0) ON DUPLICATE KEY UPDATE failures = failures");
    ins->setString(1, election_id);
    ins->setString(2, login);
    ins->setInt64(3, limit.now);
    ins->executeUpdate();
    auto st = prepare(d,
                      "SELECT window_start, failures FROM passcode_attempts "
                      "WHERE election_id = ? AND login = ? FOR UPDATE");
    st->setString(1, election_id);
    st->setString(2, login);
    Rows r(st->executeQuery());
    if (!r->next()) throw DbError("the passcode attempt row vanished", 0, false);
    std::int64_t start = r->getInt64("window_start");
    int failures = r->getInt("failures");
    // (A row from a host whose clock runs ahead keeps its window: a clock
    // behind must not start new windows at will.)
    if (failures == 0 || limit.now >= start + kAttemptWindowSeconds) {
      // No failure yet, or the window is over: a new one starts with this
      // attempt (a window begins at a failure, not at a success).
      start = limit.now;
      failures = 0;
    } else if (failures >= limit.per_hour) {
      c.allowed = false;
      c.retry_after = static_cast<int>(std::min<std::int64_t>(
          start + kAttemptWindowSeconds - limit.now, 2 * kAttemptWindowSeconds));
      c.window_start = start;
      c.failures = failures;
      return c;
    }
    auto up = prepare(d,
                      "UPDATE passcode_attempts SET window_start = ?, failures = ? "
                      "WHERE election_id = ? AND login = ?");
    up->setInt64(1, start);
    up->setInt(2, failures + 1);
    up->setString(3, election_id);
    up->setString(4, login);
    up->executeUpdate();
    c.charged = true;
    c.window_start = start;
    c.failures = failures + 1;
    return c;
  });
}

void refund_attempt(Db& db, const std::string& election_id, const std::string& login,
                    const AttemptCharge& charge) {
  if (!charge.charged) return;
  detail::transaction(db, "giving back a passcode attempt", [&](Db& d) {
    auto up = prepare(d,
                      "UPDATE passcode_attempts SET failures = failures - 1 "
                      "WHERE election_id = ? AND login = ? AND window_start = ? AND failures > 0");
    up->setString(1, election_id);
    up->setString(2, login);
    up->setInt64(3, charge.window_start);
    up->executeUpdate();
  });
}

int failed_attempts(Db& db, const std::string& election_id, const std::string& login,
                    std::int64_t now) {
  return detail::read(db, "reading passcode attempts", [&](Db& d) -> int {
    auto st = prepare(d,
                      "SELECT window_start, failures FROM passcode_attempts "
                      "WHERE election_id = ? AND login = ?");
    st->setString(1, election_id);
    st->setString(2, login);
    Rows r(st->executeQuery());
    if (!r->next()) return 0;
    const std::int64_t start = r->getInt64("window_start");
    if (now >= start + kAttemptWindowSeconds) return 0;
    return r->getInt("failures");
  });
}

}  // namespace urna::store
