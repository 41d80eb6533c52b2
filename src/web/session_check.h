// Sessions that end before they expire (issue 9, docs/login.md): a sign-out
// records, per login, the time at or before which every session of that
// login is void (store/session_store.h); every route that reads the
// session checks its cookie's issue time against it. A per-login time, so
// signing out in one browser ends that login's sessions in every browser.
//
// Each worker remembers what it read for a login for kSessionCheckCacheSeconds
// of request time, so a busy user costs one primary-key read per worker per
// window. The consequence, exactly: after a sign-out has committed, a
// worker that read that login's row less than kSessionCheckCacheSeconds
// earlier may still accept an old cookie until its reading is that old —
// at most kSessionCheckCacheSeconds (2 s). The worker that served the
// sign-out forgets nothing: it refuses at once.
// Thread safety: a cache belongs to one worker thread (WorkerState).
#ifndef URNA_WEB_SESSION_CHECK_H_
#define URNA_WEB_SESSION_CHECK_H_

#include <map>
#include <string>

#include "core/model.h"

namespace urna::web {

struct Context;

// Where sign-outs and spent sign-in attempts are kept: the database
// (store/session_store.h, which has the contracts), unless a test gives its
// WorkerState another implementation (the database-free unit tests use an
// in-memory one, t/unit/memory_session_records.h).
class SessionRecords {
 public:
  virtual ~SessionRecords() = default;
  virtual core::UnixTime valid_after(const std::string& login) = 0;
  virtual core::UnixTime end_sessions(const std::string& login, core::UnixTime at) = 0;
  virtual bool spend_login_state(const std::string& state, core::UnixTime expires,
                                 core::UnixTime now) = 0;
};

constexpr core::UnixTime kSessionCheckCacheSeconds = 2;

// Per worker: login -> (valid_after, request time it was read).
class SessionEndsCache {
 public:
  // The remembered valid_after of `login`, when read at most
  // kSessionCheckCacheSeconds before `now` (and not after it).
  bool get(const std::string& login, core::UnixTime now, core::UnixTime* valid_after) const;
  void put(const std::string& login, core::UnixTime valid_after, core::UnixTime now);

 private:
  struct Entry {
    core::UnixTime valid_after;
    core::UnixTime read_at;
  };
  std::map<std::string, Entry> entries_;
};

// True when ctx.session is signed in and was not ended by a sign-out (its
// issue time is after the login's valid_after). Reads the database through
// the worker's cache; throws store::DbError when it cannot (the caller
// decides: 503 on routes that need a login, anonymous elsewhere).
bool session_still_valid(Context& ctx);

// The sign-out: ends every session of ctx.session's login issued up to now
// (and this session itself, even when its issuing host's clock ran ahead).
// Throws store::DbError.
void end_sessions_of(Context& ctx);

// The issue time for a new session of `login`: now, or one second after the
// login's valid_after when a sign-out happened in this very second (or on a
// host whose clock runs ahead), so that a new sign-in right after a
// sign-out is never refused. Reads the database, not the cache. Throws
// store::DbError.
core::UnixTime new_session_time(Context& ctx, const std::string& login);

// Spends a sign-in attempt's state (OAuth `state` or demo form token) that
// expires at `expires`: true on its first use, false on a replay. Throws
// store::DbError.
bool spend_login_state(Context& ctx, const std::string& state, core::UnixTime expires);

}  // namespace urna::web

#endif  // URNA_WEB_SESSION_CHECK_H_
