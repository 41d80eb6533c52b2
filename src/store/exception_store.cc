#include "store/exception_store.h"

#include "store/sql_util.h"

namespace urna::store {

using detail::prepare;
using detail::Rows;

namespace {
ExceptionRequest row(sql::ResultSet& r) {
  ExceptionRequest e;
  e.id = r.getInt64("id");
  e.election_id = r.getString("election_id");
  e.login = r.getString("login");
  e.name = r.getString("name");
  e.contact = r.getString("contact");
  e.reason = r.getString("reason");
  e.comments = r.getString("comments");
  e.created_at = r.getInt64("created_at");
  e.reviewed = r.getInt("reviewed") != 0;
  return e;
}
constexpr const char* kCols =
    "id, election_id, login, name, contact, reason, comments, created_at, reviewed";
}  // namespace

ExceptionAdded add_exception_request(Db& db, const ExceptionRequest& e, int max_per_hour) {
  try {
    return detail::transaction(db, "storing an exception request", [&](Db& d) {
      auto asked = prepare(d,
                           "SELECT 1 FROM exception_requests WHERE election_id = ? AND login = ?");
      asked->setString(1, e.election_id);
      asked->setString(2, e.login);
      if (Rows(asked->executeQuery())->next()) return ExceptionAdded::kAlreadyAsked;
      // A locking read: the latest committed rows, held until COMMIT.
      auto count = prepare(d,
                           "SELECT COUNT(*) AS n FROM exception_requests WHERE login = ? "
                           "AND created_at > ? FOR UPDATE");
      count->setString(1, e.login);
      count->setInt64(2, e.created_at - 3600);
      Rows c(count->executeQuery());
      if (c->next() && c->getInt64("n") >= max_per_hour) return ExceptionAdded::kTooMany;
      auto st = prepare(d,
                        "INSERT INTO exception_requests (election_id, login, name, contact, "
                        "reason, comments, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
      st->setString(1, e.election_id);
      st->setString(2, e.login);
      st->setString(3, e.name);
      st->setString(4, e.contact);
      st->setString(5, e.reason);
      st->setString(6, e.comments);
      st->setInt64(7, e.created_at);
      st->executeUpdate();
      return ExceptionAdded::kAdded;
    });
  } catch (const DbError& err) {
    if (err.code() == 1062) return ExceptionAdded::kAlreadyAsked;
    throw;
  }
}

std::optional<ExceptionRequest> exception_request_of(Db& db, const std::string& election_id,
                                                     const std::string& login) {
  return detail::read(db, "reading an exception request",
                      [&](Db& d) -> std::optional<ExceptionRequest> {
                        auto st = prepare(d, (std::string("SELECT ") + kCols +
                                              " FROM exception_requests WHERE election_id = ? "
                                              "AND login = ?")
                                                 .c_str());
                        st->setString(1, election_id);
                        st->setString(2, login);
                        Rows r(st->executeQuery());
                        if (!r->next()) return std::nullopt;
                        return row(*r);
                      });
}

std::vector<ExceptionRequest> exception_requests(Db& db, const std::string& election_id) {
  return detail::read(db, "listing exception requests", [&](Db& d) {
    std::vector<ExceptionRequest> out;
    auto st = prepare(d, (std::string("SELECT ") + kCols +
                          " FROM exception_requests WHERE election_id = ? ORDER BY id")
                             .c_str());
    st->setString(1, election_id);
    Rows r(st->executeQuery());
    while (r->next()) out.push_back(row(*r));
    return out;
  });
}

bool set_exception_reviewed(Db& db, const std::string& election_id, std::int64_t id,
                            bool reviewed) {
  return detail::transaction(db, "marking an exception request", [&](Db& d) {
    auto st = prepare(d,
                      "UPDATE exception_requests SET reviewed = ? WHERE id = ? AND election_id = ?");
    st->setInt(1, reviewed ? 1 : 0);
    st->setInt64(2, id);
    st->setString(3, election_id);
    st->executeUpdate();
    auto chk = prepare(d, "SELECT 1 FROM exception_requests WHERE id = ? AND election_id = ?");
    chk->setInt64(1, id);
    chk->setString(2, election_id);
    Rows r(chk->executeQuery());
    return r->next();
  });
}

}  // namespace urna::store
