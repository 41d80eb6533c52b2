// The little that sessions keep in the database (docs/login.md): when a
// login's sessions were ended by a sign-out, and which sign-in attempts
// (OAuth `state`, demo form token) were used already. Session cookies stay
// signed and self-contained; these rows only take validity away.
// Thread safety: as Db (one thread per Db). Every call throws DbError.
#ifndef URNA_STORE_SESSION_STORE_H_
#define URNA_STORE_SESSION_STORE_H_

#include <string>

#include "core/model.h"
#include "store/db.h"

namespace urna::store {

// The time at or before which every session of `login` (lower-cased) was
// ended; 0 when that login never signed out.
core::UnixTime sessions_valid_after(Db& db, const std::string& login);

// Ends every session of `login` issued at or before `at`: raises its
// valid_after to `at` (never lowers it). Returns the stored valid_after.
core::UnixTime end_sessions(Db& db, const std::string& login, core::UnixTime at);

// Records the sign-in attempt `state` (32 hex digits) as used until
// `expires` (when its signed cookie expires) and deletes records that
// expired before `now`. Returns true on its first use, false when it was
// used before (a replay). Safe against concurrent uses: exactly one wins.
bool spend_login_state(Db& db, const std::string& state, core::UnixTime expires,
                       core::UnixTime now);

}  // namespace urna::store

#endif  // URNA_STORE_SESSION_STORE_H_
