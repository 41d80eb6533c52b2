#include "store/ballot_store.h"

#include <algorithm>
#include <ctime>

#include "core/ballot_plaintext.h"
#include "crypto/ballot_box.h"
#include "crypto/kdf_gate.h"
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

// The salt's first byte names the KDF; a bare 16-byte salt (schema 1-3) is
// scrypt.
constexpr char kKdfScrypt = '\x01', kKdfHkdf = '\x02';
constexpr size_t kIdBytes = 16;

std::string new_salt(bool generated) {
  return std::string(1, generated ? kKdfHkdf : kKdfScrypt) + crypto::random_bytes(16);
}

std::string derive(const std::string& passcode, const std::string& salt,
                   const crypto::ScryptParams& kdf) {
  if (salt.size() == 17 && salt[0] == kKdfHkdf)
    // A generated passcode has >= 100 bits: stretching it adds nothing.
    return crypto::hkdf_sha256(passcode, salt.substr(1), "urna passcode v1", 32);
  // A voter's own passcode: scrypt, at most scrypt_gate().limit() at once.
  if (salt.size() == 17 && salt[0] == kKdfScrypt)
    return crypto::scrypt_gated(passcode, salt.substr(1), kdf, 32);
  return crypto::scrypt_gated(passcode, salt, kdf, 32);  // schema 1-3
}

// derive() for a charged attempt: a busy KDF checked no passcode, so the
// attempt is given back before KdfBusy goes on to the caller.
template <class F>
std::string derive_charged(Db& db, const std::string& election, const std::string& login,
                           const AttemptCharge& charge, F&& derive_key) {
  try {
    return derive_key();
  } catch (const crypto::KdfBusy&) {
    refund_attempt(db, election, login, charge);
    throw;
  }
}

// The hash the voter's row keeps of a booth submission id (schema 8), or
// "" (NULL) without one.
std::string submission_hash(const CastRequest& req) {
  if (req.submission.empty()) return "";
  return crypto::sha256("urna-submission\n" + req.election_id + "\n" + req.login + "\n" +
                        req.submission);
}

// The voter's sealed record: the ballot id, then (when the election gives
// receipts) "urna-receipt\n" code "\n", then the ballot's plaintext
// (which starts "urna-ballot-v1\n"). Only the id: a ballot of schema 1-3.
constexpr char kReceiptTag[] = "urna-receipt\n";

// The plaintext is padded to the election's fixed ballot size (as in the
// ballot box), so the record's length, which the database sees next to the
// voter's login, is the same for every ballot of the election. Records
// written before (an unpadded "urna-ballot-v1\n..." plaintext) still read.
constexpr char kPlaintextTag[] = "urna-ballot-v1\n";

std::string record_of(const std::string& ballot_id, const std::string& receipt,
                      const std::string& plaintext, size_t padded_size) {
  return ballot_id + (receipt.empty() ? "" : kReceiptTag + receipt + "\n") +
         (padded_size ? crypto::pad_ballot(plaintext, padded_size) : plaintext);
}

struct Record {
  std::string ballot_id, receipt, plaintext;  // plaintext "": schema 1-3
};

Record parse_record(const std::string& r) {
  Record out;
  out.ballot_id = r.substr(0, kIdBytes);
  std::string rest = r.substr(kIdBytes);
  if (rest.rfind(kReceiptTag, 0) == 0) {
    const size_t start = sizeof(kReceiptTag) - 1, end = rest.find('\n', start);
    if (end == std::string::npos)
      throw DbError("the sealed ballot record is not readable", 0, false);
    out.receipt = rest.substr(start, end - start);
    rest = rest.substr(end + 1);
  }
  if (rest.empty() || rest.rfind(kPlaintextTag, 0) == 0) {
    out.plaintext = rest;
  } else {
    auto unpadded = crypto::unpad_ballot(rest);
    if (!unpadded) throw DbError("the sealed ballot record is not readable", 0, false);
    out.plaintext = *unpadded;
  }
  return out;
}

// Thrown inside a transaction when voting closed before COMMIT: the
// transaction rolls back and the caller answers kClosed.
struct ClosedBeforeCommit {};

void check_still_open(const CastRequest& req) {
  if (req.closes_at == 0) return;
  const core::UnixTime now =
      req.clock ? req.clock() : static_cast<core::UnixTime>(std::time(nullptr));
  if (now >= req.closes_at) throw ClosedBeforeCommit{};
}

// The ciphertext row, sealed before any SQL runs.
std::string seal_for_box(const CastRequest& req, const std::string& plaintext) {
  return crypto::seal_ballot(req.ballot_key, crypto::pad_ballot(plaintext, req.padded_size),
                             req.election_id);
}

void insert_sealed(Db& d, const std::string& ballot_id, const CastRequest& req,
                   const std::string& ciphertext, const std::string& receipt) {
  auto ins = prepare(d,
                     "INSERT INTO sealed_ballots (id, election_id, ciphertext, receipt_hash) "
                     "VALUES (?, ?, ?, ?)");
  ins->setString(1, ballot_id);
  ins->setString(2, req.election_id);
  ins->setString(3, ciphertext);
  if (receipt.empty())
    ins->setNull(4, sql::DataType::CHAR);
  else
    ins->setString(4, receipt_hash(receipt));
  ins->executeUpdate();
}

struct Link {
  bool found = false;
  bool erased = false;
  std::string salt, sealed;
  std::string submission;  // hash of the last stored submission, or ""
};

Link read_link(Db& d, const std::string& election, const std::string& login, bool for_update) {
  auto st = prepare(d, for_update ? "SELECT salt, sealed, submission FROM voters_voted "
                                    "WHERE election_id = ? AND login = ? FOR UPDATE"
                                  : "SELECT salt, sealed, submission FROM voters_voted "
                                    "WHERE election_id = ? AND login = ?");
  st->setString(1, election);
  st->setString(2, login);
  Rows r(st->executeQuery());
  Link l;
  if (!r->next()) return l;
  l.found = true;
  if (!r->isNull("submission")) l.submission = detail::get_bytes(*r, "submission");
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
  const std::string salt = new_salt(req.generated_passcode);
  const std::string key = derive(req.passcode, salt, req.kdf);
  const std::string ballot_id = crypto::random_bytes(kIdBytes);
  const std::string plaintext = core::encode_ballot(req.parts);
  const std::string ciphertext = seal_for_box(req, plaintext);
  CastResult out;
  if (req.receipt) out.receipt = crypto::generate_passcode();
  const std::string sealed = crypto::seal(key, record_of(ballot_id, out.receipt, plaintext, req.padded_size),
                                          associated_data(req.election_id, req.login));
  const std::string submission = submission_hash(req);
  try {
    detail::transaction(db, "casting a ballot", [&](Db& d) {
      // The voter's row first: a concurrent second submission waits on this
      // key and then fails as a duplicate, so only one ballot is stored.
      auto mark = prepare(d,
                          "INSERT INTO voters_voted (election_id, login, salt, sealed, submission) "
                          "VALUES (?, ?, ?, ?, ?)");
      mark->setString(1, req.election_id);
      mark->setString(2, req.login);
      mark->setString(3, salt);
      mark->setString(4, sealed);
      if (submission.empty())
        mark->setNull(5, sql::DataType::BINARY);
      else
        mark->setString(5, submission);
      mark->executeUpdate();
      insert_sealed(d, ballot_id, req, ciphertext, out.receipt);
      check_still_open(req);  // the last thing before COMMIT
    });
  } catch (const DbError& e) {
    if (e.code() != kDuplicateKey) throw;
    // The voter's row exists: this very submission (a double click whose
    // other half committed first), or an earlier vote.
    const Link now = detail::read(db, "reading the ballot link", [&](Db& d) {
      return read_link(d, req.election_id, req.login, false);
    });
    if (!submission.empty() && now.submission == submission)
      return CastResult{CastOutcome::kSameSubmission, ""};
    return CastResult{CastOutcome::kAlreadyVoted, ""};
  } catch (const ClosedBeforeCommit&) {
    return CastResult{CastOutcome::kClosed, ""};
  }
  return out;
}

CastResult recast_ballot(Db& db, const CastRequest& req) {
  const Link before = detail::read(db, "reading the ballot link", [&](Db& d) {
    return read_link(d, req.election_id, req.login, false);
  });
  if (!before.found) return CastResult{CastOutcome::kNotVoted, ""};
  const std::string submission = submission_hash(req);
  if (!submission.empty() && before.submission == submission)
    return CastResult{CastOutcome::kSameSubmission, ""};
  if (before.erased) return CastResult{CastOutcome::kLinkErased, ""};
  const AttemptCharge charge = charge_attempt(db, req.election_id, req.login, req.attempts);
  if (!charge.allowed) return CastResult{CastOutcome::kTooManyAttempts, "", charge.retry_after};
  const std::string key = derive_charged(db, req.election_id, req.login, charge, [&] {
    return derive(req.passcode, before.salt, req.kdf);
  });
  const std::string ad = associated_data(req.election_id, req.login);
  const std::string plaintext = core::encode_ballot(req.parts);
  const std::string ciphertext = seal_for_box(req, plaintext);
  CastResult out;
  if (req.receipt) out.receipt = crypto::generate_passcode();
  CastResult done;
  try {
    done = detail::transaction(db, "re-casting a ballot", [&](Db& d) -> CastResult {
      const Link now = read_link(d, req.election_id, req.login, true);
      if (!now.found) return CastResult{CastOutcome::kNotVoted, ""};
      // The same submission committed meanwhile (a double click): nothing.
      if (!submission.empty() && now.submission == submission)
        return CastResult{CastOutcome::kSameSubmission, ""};
      if (now.erased) return CastResult{CastOutcome::kLinkErased, ""};
      // The salt never changes, so the key derived outside the transaction
      // still applies; a concurrent re-cast only changes the sealed record.
      if (now.salt != before.salt) return CastResult{CastOutcome::kWrongPasscode, ""};
      const auto record = crypto::open(key, now.sealed, ad);
      if (!record || record->size() < kIdBytes) return CastResult{CastOutcome::kWrongPasscode, ""};
      const std::string old_id = record->substr(0, kIdBytes);
      for (const char* q : {"DELETE FROM sealed_ballots WHERE id = ? AND election_id = ?",
                            "DELETE FROM ballots WHERE id = ? AND election_id = ?"}) {
        auto del = prepare(d, q);  // the second: a ballot cast before schema 4
        del->setString(1, old_id);
        del->setString(2, req.election_id);
        del->executeUpdate();
      }
      const std::string ballot_id = crypto::random_bytes(kIdBytes);
      insert_sealed(d, ballot_id, req, ciphertext, out.receipt);
      auto up = prepare(d,
                        "UPDATE voters_voted SET sealed = ?, submission = ? "
                        "WHERE election_id = ? AND login = ?");
      up->setString(1, crypto::seal(key, record_of(ballot_id, out.receipt, plaintext, req.padded_size), ad));
      if (submission.empty())
        up->setNull(2, sql::DataType::BINARY);
      else
        up->setString(2, submission);
      up->setString(3, req.election_id);
      up->setString(4, req.login);
      up->executeUpdate();
      check_still_open(req);  // the last thing before COMMIT
      return out;
    });
  } catch (const ClosedBeforeCommit&) {
    done = CastResult{CastOutcome::kClosed, ""};
  }
  if (done.outcome != CastOutcome::kWrongPasscode)
    refund_attempt(db, req.election_id, req.login, charge);
  return done;
}

ViewResult view_ballot(Db& db, const std::string& election_id, const std::string& login,
                       const std::string& passcode, const crypto::ScryptParams& kdf,
                       const AttemptLimit& attempts) {
  const Link link = detail::read(db, "reading the ballot link",
                                 [&](Db& d) { return read_link(d, election_id, login, false); });
  ViewResult out;
  if (!link.found) {
    out.outcome = CastOutcome::kNotVoted;
    return out;
  }
  if (link.erased) {
    out.outcome = CastOutcome::kLinkErased;
    return out;
  }
  const AttemptCharge charge = charge_attempt(db, election_id, login, attempts);
  if (!charge.allowed) {
    out.outcome = CastOutcome::kTooManyAttempts;
    out.retry_after = charge.retry_after;
    return out;
  }
  const std::string key = derive_charged(db, election_id, login, charge,
                                         [&] { return derive(passcode, link.salt, kdf); });
  const auto record = crypto::open(key, link.sealed, associated_data(election_id, login));
  if (!record || record->size() < kIdBytes) {
    out.outcome = CastOutcome::kWrongPasscode;
    return out;
  }
  refund_attempt(db, election_id, login, charge);
  out.generated = link.salt.size() == 17 && link.salt[0] == kKdfHkdf;
  const Record rec = parse_record(*record);
  out.receipt = rec.receipt;
  if (!rec.plaintext.empty()) {
    auto parts = core::decode_ballot(rec.plaintext);
    if (!parts) throw DbError("the sealed ballot record is not readable", 0, false);
    out.parts.assign(parts->begin(), parts->end());
    std::sort(out.parts.begin(), out.parts.end());
    return out;
  }
  // A ballot cast before schema version 4: its rows are in plaintext.
  const std::string id = rec.ballot_id;
  out.parts = detail::read(db, "reading a ballot", [&](Db& d) {
    std::vector<BallotPart> parts;
    auto st = prepare(d,
                      "SELECT question_id, ranking FROM ballots WHERE id = ? AND election_id = ? "
                      "ORDER BY question_id");
    st->setString(1, id);
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
