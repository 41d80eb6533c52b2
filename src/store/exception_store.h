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

// False when this user already asked in this election (nothing changes).
bool add_exception_request(Db& db, const ExceptionRequest& r);
std::optional<ExceptionRequest> exception_request_of(Db& db, const std::string& election_id,
                                                     const std::string& login);
// Oldest first.
std::vector<ExceptionRequest> exception_requests(Db& db, const std::string& election_id);
// Only a request of `election_id` can be marked; false when none matched.
bool set_exception_reviewed(Db& db, const std::string& election_id, std::int64_t id,
                            bool reviewed);

}  // namespace urna::store

#endif  // URNA_STORE_EXCEPTION_STORE_H_
