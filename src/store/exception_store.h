// Exception requests (eligibility exceptions): one per user and election,
// readable only per election (the officers' page of that election).
#ifndef URNA_STORE_EXCEPTION_STORE_H_
#define URNA_STORE_EXCEPTION_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "store/db.h"

namespace urna::store {

struct ExceptionRequest {
  std::int64_t id = 0;
  std::string election_id, login, name, contact, reason, comments;
  core::UnixTime created_at = 0;
  bool reviewed = false;
};

enum class ExceptionAdded {
  kAdded,
  kAlreadyAsked,  // this user already asked in this election
  kTooMany,       // max_per_hour requests of this user in the hour before r.created_at
};
// Stores `r` unless its user already asked in its election or has sent
// max_per_hour requests (in any election) in the hour up to r.created_at;
// nothing changes then. The count and the insert are one transaction with
// the counted rows locked, so concurrent requests of one user cannot pass
// the limit together (a deadlock between them is retried). REQUIRES:
// max_per_hour >= 1. Throws DbError.
ExceptionAdded add_exception_request(Db& db, const ExceptionRequest& r, int max_per_hour);
std::optional<ExceptionRequest> exception_request_of(Db& db, const std::string& election_id,
                                                     const std::string& login);
// Oldest first.
std::vector<ExceptionRequest> exception_requests(Db& db, const std::string& election_id);
// Only a request of `election_id` can be marked; false when none matched.
bool set_exception_reviewed(Db& db, const std::string& election_id, std::int64_t id,
                            bool reviewed);

}  // namespace urna::store

#endif  // URNA_STORE_EXCEPTION_STORE_H_
