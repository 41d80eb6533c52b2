// GET /elections/{id}/admin: the officers' page of one election (the route
// declares kOfficer: only this election's officers, or its parent's, get
// here; everyone else gets 403). Turnout, who has voted and who has not
// voted yet (logins, never how), per child for a parent under the child's
// name; this election's exception requests only
// (Elekto bug #83: never another election's); the metadata sync state and
// its last error; the warnings of the live data that concern this election
// (its children's too, for a parent) or no election; the stored results
// with their downloads, or when they will appear.
// POST /elections/{id}/admin: marks one of this election's exception
// requests reviewed (or not).
#include <set>

#include "core/time_util.h"
#include "i18n/format.h"
#include "store/ballot_store.h"
#include "store/exception_store.h"
#include "store/results_store.h"
#include "store/sync_store.h"
#include "web/ballot_key.h"
#include "web/context.h"
#include "web/election_view.h"
#include "web/http_error.h"
#include "web/log.h"
#include "web/pages.h"

namespace urna::web {

namespace {

std::string title_of(const core::Election& e) { return e.name.empty() ? e.id : e.name; }

// Voters who may vote in `e` (not a parent): the entries of the list that
// governs it (its own, or its parent's) that are eligible for it.
long eligible_count(const core::Snapshot& snap, const core::Election& e) {
  const core::Election* owner = e.is_child() ? snap.find(e.parent) : &e;
  if (!owner) return 0;
  long n = 0;
  for (const auto& v : owner->voters)
    if (snap.eligible(e, v.login)) ++n;
  return n;
}

// "47.3%" (es: "47,3 %"); "–" when nobody may vote.
std::string percent(long part, long whole, const i18n::Translator& tr) {
  if (whole <= 0) return "–";
  return i18n::format_percent(static_cast<double>(part) / static_cast<double>(whole), 1, tr);
}

std::string count(long n, const i18n::Translator& tr) { return i18n::format_integer(n, tr); }

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// One row of the turnout table and one group of "who has voted / who has
// not voted yet", both for election `e` (a child's under its own name).
void fill_turnout(ctemplate::TemplateDictionary& d, Context& ctx, const core::Election& e,
                  bool child) {
  const core::Snapshot& snap = ctx.snapshot();
  const long eligible = eligible_count(snap, e);
  const auto voted = store::voters_who_voted(ctx.db(), e.id);
  auto* t = d.AddSectionDictionary("TURNOUT");
  t->SetValue("NAME", title_of(e));
  t->SetValue("URL", ctx.url(election_path(e.id)));
  t->SetValue("EID", e.id);
  t->SetValue("ELIGIBLE", count(eligible, ctx.translator));
  t->SetValue("VOTED", count(static_cast<long>(voted.size()), ctx.translator));
  t->SetValue("PERCENT", percent(static_cast<long>(voted.size()), eligible, ctx.translator));
  if (child) t->ShowSection("CHILD_HEADING");  // NAME inside it is this child's
  std::set<std::string> done;
  for (const auto& login : voted) {
    t->AddSectionDictionary("VOTER")->SetValue("LOGIN", login);
    done.insert(lower(login));
  }
  if (voted.empty()) t->ShowSection("NOBODY_YET");
  // The list that governs `e`, in its order, minus who voted.
  const core::Election* owner = e.is_child() ? snap.find(e.parent) : &e;
  long waiting = 0;
  if (owner)
    for (const auto& v : owner->voters)
      if (snap.eligible(e, v.login) && !done.count(lower(v.login))) {
        t->AddSectionDictionary("NOT_VOTER")->SetValue("LOGIN", v.login);
        ++waiting;
      }
  t->SetValue("NOT_VOTED", count(waiting, ctx.translator));
  if (waiting == 0) t->ShowSection("EVERYONE_VOTED");
}

// Per election (a parent's consolidated result and each child's): a link to
// the stored results and their downloads, or when they will appear.
void fill_results(ctemplate::TemplateDictionary& d, Context& ctx, const core::Election& e) {
  auto* sec = d.AddSectionDictionary("RESULTS");
  sec->SetValue("RESULTS_VISIBILITY",
                e.results_visibility == core::ResultsVisibility::kOfficersFirst
                    ? ctx.tr("Results are shown to the officers first, and to everyone once "
                             "results.md is in git.")
                    : ctx.tr("Results are shown to everyone as soon as they are stored."));
  std::vector<const core::Election*> list = {&e};
  for (const auto& id : e.children)
    if (const core::Election* c = ctx.snapshot().find(id)) list.push_back(c);
  for (const core::Election* x : list) {
    auto* row = sec->AddSectionDictionary("RESULT");
    row->SetValue("NAME", title_of(*x));
    row->SetValue("EID", x->id);
    const std::string base = ctx.url(election_path(x->id));
    if (auto stored = store::load_results(ctx.db(), x->id)) {
      auto* r = row->AddSectionDictionary("STORED");
      r->SetValue("RESULTS_URL", base + "/results");
      r->SetValue("CSV_URL", base + "/ballots.csv");
      r->SetValue("TALLIED", datetime_text(stored->tallied_at, ctx.translator));
      r->SetValue("TALLIED_ISO", core::format_iso(stored->tallied_at));
      const auto n = static_cast<unsigned long>(stored->ballot_count);
      // TRANSLATORS: how many ballots were counted ("counted ..., 3 ballots").
      r->SetValue("BALLOTS",
                  i18n::format(ctx.trn("{n} ballot", "{n} ballots", n),
                               {{"n", count(static_cast<long>(n), ctx.translator)}}));
      if (!stored->ballots_blt.empty())
        r->AddSectionDictionary("BLT")->SetValue("BLT_URL", base + "/ballots.blt");
    } else if (core::phase_at(*x, ctx.now) == core::Phase::kClosed) {
      row->ShowSection("NOT_COUNTED");
    } else {
      row->ShowSection("NOT_CLOSED");
    }
  }
}

void fill_exceptions(ctemplate::TemplateDictionary& d, Context& ctx, const core::Election& e) {
  const auto requests = store::exception_requests(ctx.db(), e.id);
  auto* x = d.AddSectionDictionary("EXCEPTIONS");
  x->SetValue("COUNT", count(static_cast<long>(requests.size()), ctx.translator));
  if (requests.empty()) x->ShowSection("NO_REQUESTS");
  x->SetValue("DUE", datetime_text(e.exception_due, ctx.translator));
  x->SetValue("DUE_ISO", core::format_iso(e.exception_due));
  switch (exception_window(e, ctx.now)) {  // the rule the public pages follow
    case ExceptionWindow::kNotOffered: x->ShowSection("NOT_OFFERED"); break;
    case ExceptionWindow::kOpen: x->ShowSection("TAKING_REQUESTS"); break;
    case ExceptionWindow::kClosed: x->ShowSection("REQUESTS_CLOSED"); break;
  }
  const std::string action = ctx.url(election_path(e.id) + "/admin");
  for (const auto& r : requests) {
    auto* rd = x->AddSectionDictionary("REQUEST");
    rd->SetIntValue("RID", static_cast<long>(r.id));
    rd->SetValue("LOGIN", r.login);
    rd->SetValue("NAME", r.name);
    rd->SetValue("CONTACT", r.contact);
    rd->SetValue("REASON", r.reason);
    rd->SetValue("COMMENTS", r.comments);
    rd->SetValue("CREATED", datetime_text(r.created_at, ctx.translator));
    rd->SetValue("CREATED_ISO", core::format_iso(r.created_at));
    rd->SetValue("ACTION", action);
    rd->SetValue("CSRF", ctx.csrf());
    if (r.reviewed) {
      rd->ShowSection("REVIEWED");
      rd->SetValue("SET_TO", "0");
      rd->SetValue("BUTTON", ctx.tr("Mark as not reviewed"));
    } else {
      rd->ShowSection("PENDING");
      rd->SetValue("SET_TO", "1");
      rd->SetValue("BUTTON", ctx.tr("Mark as reviewed"));
    }
    if (r.comments.empty()) rd->ShowSection("NO_COMMENTS");
  }
}

// The warnings urna-sync stored with the live snapshot (docs/metadata.md,
// "Errors and warnings"): this election's, its children's and those of no
// election.
void fill_warnings(ctemplate::TemplateDictionary* sd, Context& ctx, const core::Election& e) {
  std::vector<std::string> ids = {e.id, ""};
  ids.insert(ids.end(), e.children.begin(), e.children.end());
  const auto warnings = store::sync_warnings(ctx.db(), ids);
  if (warnings.empty()) {
    sd->ShowSection("NO_WARNINGS");
    return;
  }
  auto* w = sd->AddSectionDictionary("WARNINGS");
  w->SetValue("COUNT", count(static_cast<long>(warnings.size()), ctx.translator));
  for (const auto& x : warnings) {
    auto* row = w->AddSectionDictionary("WARNING");
    row->SetValue("EID", x.election);
    row->SetValue("TEXT", x.text);
  }
}

void fill_sync(ctemplate::TemplateDictionary& d, Context& ctx, const core::Election& e) {
  const store::SyncState s = store::sync_state(ctx.db());
  auto* sd = d.AddSectionDictionary("SYNC");
  fill_warnings(sd, ctx, e);
  // TRANSLATORS: the live commit before the first successful sync.
  sd->SetValue("LIVE_COMMIT", s.live_commit.empty() ? ctx.tr("none yet") : s.live_commit);
  auto when = [&ctx](const std::optional<core::UnixTime>& t) {
    // TRANSLATORS: a sync that has never run (or never succeeded).
    return t ? datetime_text(*t, ctx.translator) : ctx.tr("never");
  };
  sd->SetValue("LAST_RUN", when(s.last_run_at));
  sd->SetValue("LAST_OK", when(s.last_ok_at));
  if (!s.last_error.empty()) {
    auto* err = sd->AddSectionDictionary("LAST_ERROR");
    err->SetValue("AT", when(s.last_error_at));
    if (!s.last_error_commit.empty())
      err->AddSectionDictionary("ERROR_COMMIT")->SetValue("COMMIT", s.last_error_commit);
    err->SetValue("TEXT", s.last_error);
  } else {
    sd->ShowSection("NO_ERROR");
  }
  if (s.sync_requested_at)
    sd->AddSectionDictionary("REQUESTED")->SetValue("AT", when(s.sync_requested_at));
}

// The key each election's ballots are sealed to, or why its booth is closed.
void fill_ballot_keys(ctemplate::TemplateDictionary& d, Context& ctx, const core::Election& e) {
  auto* kd = d.AddSectionDictionary("BALLOT_KEYS");
  std::vector<const core::Election*> list;
  if (e.is_parent()) {
    for (const auto& id : e.children)
      if (const core::Election* c = ctx.snapshot().find(id)) list.push_back(c);
  } else {
    list.push_back(&e);
  }
  for (const core::Election* x : list) {
    auto* row = kd->AddSectionDictionary("KEY");
    row->SetValue("NAME", title_of(*x));
    row->SetValue("EID", x->id);
    if (auto k = ballot_key_of(ctx.cfg, *x)) {
      auto* ok = row->AddSectionDictionary("HAS_KEY");
      ok->SetValue("FINGERPRINT", k->fingerprint);
      // TRANSLATORS: where the ballot key comes from.
      ok->SetValue("SOURCE", k->from_election ? ctx.tr("ballot_key in election.yaml")
                                              : ctx.tr("the site's default (urna.conf)"));
    } else {
      row->ShowSection("NO_KEY");
    }
  }
}

// "123" → 123; nullopt for anything else (no atoi on user input).
std::optional<std::int64_t> parse_id(const std::string& s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

void admin_page(Context& ctx) {
  const core::Election& e = *ctx.election;
  const core::Snapshot& snap = ctx.snapshot();
  // TRANSLATORS: the window title of an election's officers' page.
  Page page(ctx, "admin", i18n::format(ctx.tr("Officers · {election}"),
                                       {{"election", title_of(e)}}));
  auto& d = page.body();
  fill_summary(d, ctx, e);
  d.SetValue("LOGIN", ctx.session.login);
  if (e.is_parent()) {
    d.ShowSection("PER_CHILD");
    for (const auto& id : e.children)
      if (const core::Election* c = snap.find(id)) fill_turnout(d, ctx, *c, true);
  } else {
    fill_turnout(d, ctx, e, false);
  }
  fill_exceptions(d, ctx, e);
  fill_ballot_keys(d, ctx, e);
  fill_sync(d, ctx, e);
  fill_results(d, ctx, e);
  page.finish();
}

void admin_post_page(Context& ctx) {
  const core::Election& e = *ctx.election;
  if (ctx.req.f("action") != "review") throw BadRequest(N_("Unknown action."));
  auto id = parse_id(ctx.req.f("request"));
  const std::string to = ctx.req.f("reviewed");
  if (!id || (to != "0" && to != "1")) throw BadRequest(N_("The form is incomplete."));
  // Only a request of this election matches (the store checks both ids).
  if (!store::set_exception_reviewed(ctx.db(), e.id, *id, to == "1"))
    throw NotFound(N_("There is no such exception request in this election."));
  log_line("info", "request " + ctx.request_id + ": " + ctx.session.login + " marked exception " +
                       std::to_string(*id) + " in " + e.id + (to == "1" ? " reviewed" : " pending"));
  ctx.res.redirect(ctx.url(election_path(e.id) + "/admin#exceptions"), 303);
}

}  // namespace urna::web
