// The secret ballot (DESIGN.md §4, issue 8). A ballot is one row of
// sealed_ballots: a random 128-bit id, the election and the ciphertext of
// the whole ballot (every question, core/ballot_plaintext.h), padded to the
// election's fixed length and sealed to the election's public ballot key
// (crypto/ballot_box.h) before any SQL runs. No voter column, no question,
// no ranking, no time: nothing the database server stores or logs holds a
// ballot's content, and the voter's row next to it in the same transaction
// links the voter to a ciphertext only the counting host can open.
// The voter's row in voters_voted holds a salt and, sealed (AES-256-GCM)
// under a key derived from the passcode, the ballot id and the ballot's
// plaintext: "view my ballot" needs only the passcode. The key comes from
// HKDF for a passcode urna generated (>= 100 bits) and from scrypt for one
// the voter chose; the salt's first byte says which. scrypt runs inside the
// process's gate (crypto/kdf_gate.h): when it is full, cast, re-cast and view
// throw crypto::KdfBusy before anything is stored or opened. Re-cast and view
// count failed passcodes per voter and election (store/attempt_store.h).
// The sealed record also holds the receipt code when the election gives
// receipts, so "view my ballot" shows it again (and only with the passcode).
// The voter's row keeps a hash of the last booth submission that stored a
// ballot (schema 8): the same submission again stores nothing
// (kSameSubmission), so a page sent twice is one ballot.
// Casting, re-casting and viewing go through here; nothing here logs a
// ballot or a passcode. Thread safety: functions are reentrant; a Db
// belongs to one thread.
#ifndef URNA_STORE_BALLOT_STORE_H_
#define URNA_STORE_BALLOT_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/model.h"
#include "crypto/crypto.h"
#include "store/attempt_store.h"
#include "store/db.h"

namespace urna::store {

// One question's part of a ballot: the question id and its ranking as an
// opaque string (the web layer's encoding, e.g. "alice=1&bob=2").
using BallotPart = std::pair<std::string, std::string>;

struct CastRequest {
  std::string election_id;
  std::string login;     // lower-cased
  std::string passcode;  // already normalized; never stored
  // True when the passcode is the one urna generated for this voter (the
  // web layer checks its signature): its key then comes from HKDF, not
  // scrypt. Only used by a first cast; a re-cast keeps the record's KDF.
  bool generated_passcode = false;
  std::vector<BallotPart> parts;  // every question of the election, in order
  bool receipt = false;           // store a receipt hash and return the code
  // The booth page's random submission id (the web layer checks its form);
  // empty: none (a hand-written client), then nothing is recognised as
  // sent twice. Only its hash is stored.
  std::string submission;
  crypto::ScryptParams kdf;
  // The election's public ballot key (32 raw bytes) and its padded ballot
  // size (core::padded_ballot_size). REQUIRES: both set.
  std::string ballot_key;
  size_t padded_size = 0;
  // Voting closes at this second (the election's end, UTC). The caller
  // checked it when the request came in; `clock` is read again right before
  // COMMIT, and at or after closes_at everything rolls back (kClosed), so
  // no ballot commits after the end even if sealing or a lock wait took
  // time. 0 = no check. `clock` empty = the wall clock.
  core::UnixTime closes_at = 0;
  std::function<core::UnixTime()> clock;
  // Re-cast: failed passcode attempts allowed per hour, and the request's
  // time (store/attempt_store.h). per_hour 0: no limit.
  AttemptLimit attempts;
};

enum class CastOutcome {
  kStored,           // a new ballot (first vote or re-cast)
  kAlreadyVoted,     // cast_ballot: the voter has voted; nothing changed
  kWrongPasscode,    // recast/view: the passcode does not open the link
  kNotVoted,         // recast/view: no vote to change
  kLinkErased,       // recast/view: delete_after erased the link
  kTooManyAttempts,  // recast/view: too many wrong passcodes; nothing opened
  kClosed,           // cast/recast: voting closed before COMMIT; nothing changed
  // cast/recast: this submission already stored the voter's ballot (the
  // same booth page sent again); nothing changed, no passcode checked.
  kSameSubmission,
};

struct CastResult {
  CastOutcome outcome = CastOutcome::kStored;
  std::string receipt;  // the code shown to the voter (when asked for)
  int retry_after = 0;  // kTooManyAttempts: seconds until the next attempt
};

// A first vote. Exactly one ballot per voter and election even under
// concurrent submissions (the voters_voted primary key decides). The KDF
// and the sealing run before the transaction. Throws DbError,
// crypto::KdfBusy (scrypt gate full), and crypto::CryptoError when the
// ballot key is unusable or the ballot does not fit req.padded_size
// (nothing is stored then).
CastResult cast_ballot(Db& db, const CastRequest& req);

// Replaces the voter's ballot with req.parts when req.passcode opens the
// link, in one transaction; otherwise changes nothing. A submission already
// stored is kSameSubmission before any passcode is derived or counted. A wrong passcode is
// counted (req.attempts); beyond the limit: kTooManyAttempts, nothing
// derived or opened. Throws DbError, crypto::KdfBusy (the attempt is not
// counted then).
CastResult recast_ballot(Db& db, const CastRequest& req);

// The voter's ballot parts, when the passcode opens the link (from the
// sealed record; a ballot cast before schema version 4 is read from the
// plaintext ballots table). Failed attempts are limited as for re-cast.
struct ViewResult {
  CastOutcome outcome = CastOutcome::kStored;  // kStored = found
  std::vector<BallotPart> parts;
  std::string receipt;     // the receipt code sealed with it ("" if none)
  bool generated = false;  // the record's key comes from HKDF (urna's passcode)
  int retry_after = 0;     // kTooManyAttempts: seconds until the next attempt
};
ViewResult view_ballot(Db& db, const std::string& election_id, const std::string& login,
                       const std::string& passcode, const crypto::ScryptParams& kdf,
                       const AttemptLimit& attempts = AttemptLimit{});

bool has_voted(Db& db, const std::string& election_id, const std::string& login);
// Logins that have voted in the election, sorted (turnout is not secret).
std::vector<std::string> voters_who_voted(Db& db, const std::string& election_id);
std::int64_t turnout(Db& db, const std::string& election_id);

// delete_after: erases every sealed link of the election (the "voted"
// marks stay). Returns how many links were erased.
std::int64_t erase_links(Db& db, const std::string& election_id);

// The receipt hash shown in the published ballot list for a receipt code.
std::string receipt_hash(const std::string& receipt);

}  // namespace urna::store

#endif  // URNA_STORE_BALLOT_STORE_H_
