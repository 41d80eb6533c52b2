// Failed passcode attempts per voter and election (issue 8). Viewing and
// re-casting a ballot take its passcode; without a bound, anyone who can
// sign in as a voter (or a stolen session) could guess a chosen passcode
// without end. The count lives in the database (passcode_attempts,
// sql/005), so every worker and every web host shares it.
// The rule: within one hour of the first failure of a window, at most
// `per_hour` attempts may fail; beyond that every attempt is refused, even
// with the right passcode, until the hour is over (then a new window starts
// at the next failure). A success does not clear earlier failures.
// An attempt is charged (counted as failed) before its passcode is checked,
// in its own transaction, and given back when the passcode opens the
// ballot: concurrent attempts on any number of hosts cannot exceed the
// limit, and a worker that dies mid-check leaves a failure, never a free
// guess. Nothing here sees or stores a passcode. Thread safety: reentrant;
// a Db belongs to one thread. Throws DbError.
#ifndef URNA_STORE_ATTEMPT_STORE_H_
#define URNA_STORE_ATTEMPT_STORE_H_

#include <cstdint>
#include <string>

#include "store/db.h"

namespace urna::store {

constexpr std::int64_t kAttemptWindowSeconds = 3600;

struct AttemptLimit {
  int per_hour = 0;      // failed attempts allowed per window; 0: no limit
  std::int64_t now = 0;  // the request's time, Unix seconds
};

struct AttemptCharge {
  bool allowed = true;   // false: refused, nothing charged
  int retry_after = 0;   // when refused: seconds until the window ends (>= 1)
  bool charged = false;  // an attempt was counted and may be given back
  std::int64_t window_start = 0;
  int failures = 0;  // in the window, this attempt included when charged
};

// Before a passcode is checked: refused when limit.per_hour attempts of the
// current window have failed; otherwise counts this attempt as failed
// (committed) until refund_attempt gives it back. per_hour 0: allowed,
// nothing counted.
AttemptCharge charge_attempt(Db& db, const std::string& election_id, const std::string& login,
                             const AttemptLimit& limit);

// The passcode opened the ballot, or was never checked (the KDF was busy):
// gives the charged attempt back, if its window is still the current one.
// Earlier failures stay counted.
void refund_attempt(Db& db, const std::string& election_id, const std::string& login,
                    const AttemptCharge& charge);

// Failed attempts in the window that contains `now` (0 when there is none).
int failed_attempts(Db& db, const std::string& election_id, const std::string& login,
                    std::int64_t now);

}  // namespace urna::store

#endif  // URNA_STORE_ATTEMPT_STORE_H_
