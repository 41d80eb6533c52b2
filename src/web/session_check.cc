#include "web/session_check.h"

#include <algorithm>

#include "store/session_store.h"
#include "web/context.h"

namespace urna::web {

namespace {
// Past this many logins a worker drops the readings that are too old to use.
constexpr size_t kMaxEntries = 4096;

// The database, through the worker's connection.
class DbRecords : public SessionRecords {
 public:
  explicit DbRecords(Context& ctx) : ctx_(ctx) {}
  core::UnixTime valid_after(const std::string& login) override {
    return store::sessions_valid_after(ctx_.db(), login);
  }
  core::UnixTime end_sessions(const std::string& login, core::UnixTime at) override {
    return store::end_sessions(ctx_.db(), login, at);
  }
  bool spend_login_state(const std::string& state, core::UnixTime expires,
                         core::UnixTime now) override {
    return store::spend_login_state(ctx_.db(), state, expires, now);
  }

 private:
  Context& ctx_;
};

template <class F>
auto with_records(Context& ctx, F&& f) {
  if (ctx.worker.session_records) return f(*ctx.worker.session_records);
  DbRecords db(ctx);
  return f(db);
}
}  // namespace

bool SessionEndsCache::get(const std::string& login, core::UnixTime now,
                           core::UnixTime* valid_after) const {
  auto it = entries_.find(login);
  if (it == entries_.end()) return false;
  // A clock that went back does not stretch the window.
  if (now < it->second.read_at || now - it->second.read_at >= kSessionCheckCacheSeconds)
    return false;
  *valid_after = it->second.valid_after;
  return true;
}

void SessionEndsCache::put(const std::string& login, core::UnixTime valid_after,
                           core::UnixTime now) {
  if (entries_.size() >= kMaxEntries) {
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (now < it->second.read_at || now - it->second.read_at >= kSessionCheckCacheSeconds)
        it = entries_.erase(it);
      else
        ++it;
    }
    if (entries_.size() >= kMaxEntries) entries_.clear();
  }
  entries_[login] = Entry{valid_after, now};
}

bool session_still_valid(Context& ctx) {
  if (!ctx.session.logged_in()) return false;
  core::UnixTime valid_after = 0;
  if (!ctx.worker.session_ends.get(ctx.session.login, ctx.now, &valid_after)) {
    valid_after =
        with_records(ctx, [&](SessionRecords& r) { return r.valid_after(ctx.session.login); });
    ctx.worker.session_ends.put(ctx.session.login, valid_after, ctx.now);
  }
  return ctx.session.issued > valid_after;
}

void end_sessions_of(Context& ctx) {
  const core::UnixTime at = std::max(ctx.now, ctx.session.issued);
  const core::UnixTime stored =
      with_records(ctx, [&](SessionRecords& r) { return r.end_sessions(ctx.session.login, at); });
  ctx.worker.session_ends.put(ctx.session.login, stored, ctx.now);
}

core::UnixTime new_session_time(Context& ctx, const std::string& login) {
  const std::string l = core::lower(login);
  const core::UnixTime valid_after =
      with_records(ctx, [&](SessionRecords& r) { return r.valid_after(l); });
  ctx.worker.session_ends.put(l, valid_after, ctx.now);
  return std::max(ctx.now, valid_after + 1);
}

bool spend_login_state(Context& ctx, const std::string& state, core::UnixTime expires) {
  return with_records(
      ctx, [&](SessionRecords& r) { return r.spend_login_state(state, expires, ctx.now); });
}

}  // namespace urna::web
