// Everything one request's handler may use, passed explicitly (no global
// per-request state: a long-lived FastCGI process would carry it into the
// next request). A Context lives on the worker thread's stack for one
// request.
#ifndef URNA_WEB_CONTEXT_H_
#define URNA_WEB_CONTEXT_H_

#include <ctemplate/template.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "core/config.h"
#include "core/model.h"
#include "i18n/catalog.h"
#include "store/db.h"
#include "web/render.h"
#include "web/request.h"
#include "web/response.h"
#include "web/session.h"
#include "web/session_check.h"

namespace urna::store {
class Db;
}

namespace urna::web {

class SnapshotCache;

// Per worker thread: its own database connection, opened lazily and
// re-opened after a failure, and what it last read about ended sessions.
struct WorkerState {
  std::unique_ptr<store::Db> db;
  int id = 0;
  SessionEndsCache session_ends;
  // Tests only: sign-outs and spent sign-ins kept elsewhere than in the
  // database (not owned). nullptr: the database.
  SessionRecords* session_records = nullptr;
};

struct Context {
  const core::Config& cfg;
  const Request& req;
  Response& res;
  const Renderer& renderer;
  SnapshotCache& snapshots;
  WorkerState& worker;
  std::string request_id;
  core::UnixTime now = 0;
  std::map<std::string, std::string> params;  // from the route pattern
  Session session;                            // may be anonymous
  const core::Election* election = nullptr;   // set for kElection routes
  // A fresh reading of the clock: `now` (the request's time, injected by
  // tests) plus the seconds elapsed since the request started. Used where a
  // decision must not rest on the time the request came in (the deadline
  // right before a ballot commits).
  core::UnixTime clock_now() const {
    return now + std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                                  started)
                     .count();
  }

  // The worker's connection. Throws Unavailable (503) when the database
  // cannot be reached.
  store::Db& db();
  // The live snapshot, kept alive for the rest of the request.
  const core::Snapshot& snapshot();
  // CSRF token for forms of this session.
  std::string csrf() const;
  // An absolute path inside urna: url("/elections/x") → "/urna/elections/x".
  std::string url(const std::string& path) const { return cfg.prefix + path; }
  // The current request's path with its query (for login return-to).
  std::string self_url() const;

  std::shared_ptr<const core::Snapshot> snapshot_;  // held for the request
  // The request's cookie held a session that a sign-out had ended
  // (session_check.h): `session` is anonymous and the cookie gets cleared.
  bool session_ended = false;
  // The request's language (from Accept-Language and `language`, chosen by
  // the loop before anything else): every visible string goes through it
  // (docs/i18n.md). ctx.tr("Sign in"), ctx.trn("{n} ballot", "{n} ballots",
  // n), ctx.trc("month", "May"); i18n::format() fills the {placeholders}.
  i18n::Translator translator{};
  std::string tr(const std::string& msgid) const { return translator.tr(msgid); }
  std::string trc(const std::string& context, const std::string& msgid) const {
    return translator.trc(context, msgid);
  }
  std::string trn(const std::string& singular, const std::string& plural, unsigned long n) const {
    return translator.trn(singular, plural, n);
  }
  // When the request started (for clock_now()). Last, so that the
  // positional initializers above never reach it.
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

// A page: a body template rendered inside layout.tpl with the common values
// (prefix, static URL, user, CSRF token, demo banner, the page language),
// both in the request's language. `title` is shown as given (translate it
// first when it is not a name). Usage:
//   Page page(ctx, "election", e.name);
//   page.body().SetValue("NAME", e.name);
//   page.finish();
class Page {
 public:
  Page(Context& ctx, const std::string& tpl, const std::string& title);
  ctemplate::TemplateDictionary& body() { return *body_; }
  ctemplate::TemplateDictionary& layout() { return layout_; }
  // Renders into ctx.res with `status`.
  void finish(int status = 200);

 private:
  Context& ctx_;
  ctemplate::TemplateDictionary layout_;
  ctemplate::TemplateDictionary* body_;
};

}  // namespace urna::web

#endif  // URNA_WEB_CONTEXT_H_
