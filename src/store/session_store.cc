#include "store/session_store.h"

#include "store/sql_util.h"

namespace urna::store {

using detail::prepare;
using detail::Rows;

core::UnixTime sessions_valid_after(Db& db, const std::string& login) {
  return detail::read(db, "reading when sessions ended", [&](Db& d) -> core::UnixTime {
    auto st = prepare(d, "SELECT valid_after FROM session_ends WHERE login = ?");
    st->setString(1, login);
    Rows r(st->executeQuery());
    return r->next() ? r->getInt64("valid_after") : 0;
  });
}

core::UnixTime end_sessions(Db& db, const std::string& login, core::UnixTime at) {
  return detail::transaction(db, "ending sessions", [&](Db& d) -> core::UnixTime {
    auto st = prepare(d,
                      "INSERT INTO session_ends (login, valid_after) VALUES (?, ?) "
                      "ON DUPLICATE KEY UPDATE valid_after = GREATEST(valid_after, "
                      "VALUES(valid_after))");
    st->setString(1, login);
    st->setInt64(2, at);
    st->executeUpdate();
    auto q = prepare(d, "SELECT valid_after FROM session_ends WHERE login = ?");
    q->setString(1, login);
    Rows r(q->executeQuery());
    return r->next() ? r->getInt64("valid_after") : at;
  });
}

bool spend_login_state(Db& db, const std::string& state, core::UnixTime expires,
                       core::UnixTime now) {
  try {
    detail::transaction(db, "recording a used sign-in attempt", [&](Db& d) {
      // Bounded, so that one sign-in never pays for a large backlog.
      auto del = prepare(d, "DELETE FROM login_states_used WHERE expires_at < ? LIMIT 1000");
      del->setInt64(1, now);
      del->executeUpdate();
      auto st = prepare(d, "INSERT INTO login_states_used (state, expires_at) VALUES (?, ?)");
      st->setString(1, state);
      st->setInt64(2, expires);
      st->executeUpdate();
    });
  } catch (const DbError& e) {
    if (e.code() == 1062) return false;  // duplicate key: used before
    throw;
  }
  return true;
}

}  // namespace urna::store
