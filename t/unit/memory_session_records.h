// An in-memory web::SessionRecords for the database-free unit tests
// (login_test, pages_test): the same contract as store/session_store.h
// (valid_after only rises; a state spends once), kept in maps.
#ifndef URNA_T_UNIT_MEMORY_SESSION_RECORDS_H_
#define URNA_T_UNIT_MEMORY_SESSION_RECORDS_H_

#include <algorithm>
#include <map>
#include <string>

#include "web/session_check.h"

namespace urna::web {

class MemorySessionRecords : public SessionRecords {
 public:
  core::UnixTime valid_after(const std::string& login) override {
    auto it = ends_.find(login);
    return it == ends_.end() ? 0 : it->second;
  }
  core::UnixTime end_sessions(const std::string& login, core::UnixTime at) override {
    auto& v = ends_[login];
    v = std::max(v, at);
    return v;
  }
  bool spend_login_state(const std::string& state, core::UnixTime expires,
                         core::UnixTime now) override {
    for (auto it = used_.begin(); it != used_.end();)
      it = it->second < now ? used_.erase(it) : std::next(it);
    return used_.emplace(state, expires).second;
  }

 private:
  std::map<std::string, core::UnixTime> ends_;
  std::map<std::string, core::UnixTime> used_;
};

}  // namespace urna::web

#endif  // URNA_T_UNIT_MEMORY_SESSION_RECORDS_H_
