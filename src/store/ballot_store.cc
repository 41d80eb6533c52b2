#include "store/ballot_store.h"

#include "store/sql_util.h"

namespace urna::store {

using detail::prepare;
using detail::Rows;

namespace {

constexpr int kDuplicateKey = 1062;

// Binds the ballot id to the voter and the election, so a sealed link
// copied to another row does not open.
std::string associated_data(const std::string& election, const std::string& login) {
  return "urna-ballot-link\n" + election + "\n" + login;
}

std::string derive(const std::string& passcode, const std::string& salt,
                   const crypto::ScryptParams& kdf) {
  return crypto::scrypt(passcode, salt, kdf, 32);
}

void insert_parts(Db& d, const std::string& ballot_id, const CastRequest& req,
                  const std::string& receipt) {
  auto ins = prepare(d,
                     "INSERT INTO ballots (id, election_id, question_id, ranking, receipt_hash) "
                     "VALUES (?, ?, ?, ?, ?)");
  for (const auto& [question, ranking] : req.parts) {
    ins->setString(1, ballot_id);
    ins->setString(2, req.election_id);
    ins->setString(3, question);
    ins->setString(4, ranking);
    if (receipt.empty())
      ins->setNull(5, sql::DataType::CHAR);
    else
      ins->setString(5, receipt_hash(receipt));
    ins->executeUpdate();
  }
}

struct Link {
  bool found = false;
  bool erased = false;
  std::string salt, sealed;
};

Link read_link(Db& d, const std::string& election, const std::string& login, bool for_update) {
  auto st = prepare(d, for_update ? "SELECT salt, sealed FROM voters_voted "
                                    "WHERE election_id = ? AND login = ? FOR UPDATE"
                                  : "SELECT salt, sealed FROM voters_voted "
                                    "WHERE election_id = ? AND login = ?");
  st->setString(1, election);
  st->setString(2, login);
  Rows r(st->executeQuery());
  Link l;
  if (!r->next()) return l;
  l.found = true;
  if (r->isNull("salt") || r->isNull("sealed")) {
    l.erased = true;
    return l;
  }
  l.salt = detail::get_bytes(*r, "salt");
  l.sealed = detail::get_bytes(*r, "sealed");
  return l;
}

}  // namespace

std::string receipt_hash(const std::string& receipt) {
  return crypto::hex_encode(crypto::sha256("urna-receipt\n" + receipt));
}

CastResult cast_ballot(Db& db, const CastRequest& req) {
  const std::string salt = crypto::random_bytes(16);
  const std::string key = derive(req.passcode, salt, req.kdf);
  const std::string ballot_id = crypto::random_bytes(16);
  const std::string sealed =
      crypto::seal(key, ballot_id, associated_data(req.election_id, req.login));
  CastResult out;
  if (req.receipt) out.receipt = crypto::generate_passcode();
  try {
    detail::transaction(db, "casting a ballot", [&](Db& d) {
      // The voter's row first: a concurrent second submission waits on this
      // key and then fails as a duplicate, so only one ballot is stored.
      auto mark = prepare(d,
                          "INSERT INTO voters_voted (election_id, login, salt, sealed) "
                          "VALUES (?, ?, ?, ?)");
      mark->setString(1, req.election_id);
      mark->setString(2, req.login);
      mark->setString(3, salt);
      mark->setString(4, sealed);
      mark->executeUpdate();
      insert_parts(d, ballot_id, req, out.receipt);
    });
  } catch (const DbError& e) {
    if (e.code() == kDuplicateKey) return CastResult{CastOutcome::kAlreadyVoted, ""};
    throw;
  }
  return out;
}

CastResult recast_ballot(Db& db, const CastRequest& req) {
  const Link before = detail::read(db, "reading the ballot link", [&](Db& d) {
    return read_link(d, req.election_id, req.login, false);
  });
  if (!before.found) return CastResult{CastOutcome::kNotVoted, ""};
  if (before.erased) return CastResult{CastOutcome::kLinkErased, ""};
  const std::string key = derive(req.passcode, before.salt, req.kdf);
  const std::string ad = associated_data(req.election_id, req.login);
  CastResult out;
  if (req.receipt) out.receipt = crypto::generate_passcode();
  return detail::transaction(db, "re-casting a ballot", [&](Db& d) -> CastResult {
    const Link now = read_link(d, req.election_id, req.login, true);
    if (!now.found) return CastResult{CastOutcome::kNotVoted, ""};
    if (now.erased) return CastResult{CastOutcome::kLinkErased, ""};
    // The salt never changes, so the key derived outside the transaction
    // still applies; a concurrent re-cast only changes the sealed id.
    if (now.salt != before.salt) return CastResult{CastOutcome::kWrongPasscode, ""};
    const auto old_id = crypto::open(key, now.sealed, ad);
    if (!old_id) return CastResult{CastOutcome::kWrongPasscode, ""};
    auto del = prepare(d, "DELETE FROM ballots WHERE id = ? AND election_id = ?");
    del->setString(1, *old_id);
    del->setString(2, req.election_id);
    del->executeUpdate();
    const std::string ballot_id = crypto::random_bytes(16);
    insert_parts(d, ballot_id, req, out.receipt);
    auto up = prepare(d, "UPDATE voters_voted SET sealed = ? WHERE election_id = ? AND login = ?");
    up->setString(1, crypto::seal(key, ballot_id, ad));
    up->setString(2, req.election_id);
    up->setString(3, req.login);
    up->executeUpdate();
    return out;
  });
}

ViewResult view_ballot(Db& db, const std::string& election_id, const std::string& login,
                       const std::string& passcode, const crypto::ScryptParams& kdf) {
  const Link link = detail::read(db, "reading the ballot link", [&](Db& d) {
    return read_link(d, election_id, login, false);
  });
  ViewResult out;
  if (!link.found) {
    out.outcome = CastOutcome::kNotVoted;
    return out;
  }
  if (link.erased) {
    out.outcome = CastOutcome::kLinkErased;
    return out;
  }
  const auto id = crypto::open(derive(passcode, link.salt, kdf), link.sealed,
                               associated_data(election_id, login));
  if (!id) {
    out.outcome = CastOutcome::kWrongPasscode;
    return out;
  }
  out.parts = detail::read(db, "reading a ballot", [&](Db& d) {
    std::vector<BallotPart> parts;
    auto st = prepare(d,
                      "SELECT question_id, ranking FROM ballots WHERE id = ? AND election_id = ? "
                      "ORDER BY question_id");
    st->setString(1, *id);
    st->setString(2, election_id);
    Rows r(st->executeQuery());
    while (r->next())
      parts.emplace_back(std::string(r->getString("question_id")),
                         std::string(r->getString("ranking")));
    return parts;
  });
  return out;
}

bool has_voted(Db& db, const std::string& election_id, const std::string& login) {
  return detail::read(db, "reading whether a voter voted", [&](Db& d) {
    auto st = prepare(d, "SELECT 1 FROM voters_voted WHERE election_id = ? AND login = ?");
    st->setString(1, election_id);
    st->setString(2, login);
    Rows r(st->executeQuery());
    return r->next();
  });
}

std::vector<std::string> voters_who_voted(Db& db, const std::string& election_id) {
  return detail::read(db, "listing voters", [&](Db& d) {
    std::vector<std::string> out;
    auto st = prepare(d, "SELECT login FROM voters_voted WHERE election_id = ? ORDER BY login");
    st->setString(1, election_id);
    Rows r(st->executeQuery());
    while (r->next()) out.emplace_back(r->getString("login"));
    return out;
  });
}

std::int64_t turnout(Db& db, const std::string& election_id) {
  return detail::read(db, "counting turnout", [&](Db& d) -> std::int64_t {
    auto st = prepare(d, "SELECT COUNT(*) AS n FROM voters_voted WHERE election_id = ?");
    st->setString(1, election_id);
    Rows r(st->executeQuery());
    return r->next() ? r->getInt64("n") : 0;
  });
}

std::int64_t erase_links(Db& db, const std::string& election_id) {
  return detail::transaction(db, "erasing ballot links", [&](Db& d) -> std::int64_t {
    auto up = prepare(d,
                      "UPDATE voters_voted SET salt = NULL, sealed = NULL "
                      "WHERE election_id = ? AND sealed IS NOT NULL");
    up->setString(1, election_id);
    return up->executeUpdate();
  });
}

}  // namespace urna::store
