// GET /elections/{id}: one election as its repository defines it — the
// rendered description, dates in UTC with the time remaining, officers,
// questions, candidates, eligibility and exceptions; a parent's categories
// and children, a child's parent; the published results.md; links to the
// booth, results, exception and officers' pages. Public: no login needed.
#include <set>

#include "core/time_util.h"
#include "i18n/format.h"
#include "store/ballot_store.h"
#include "store/db.h"
#include "web/ballot_key.h"
#include "web/context.h"
#include "web/election_view.h"
#include "web/pages.h"
#include "web/request.h"

namespace urna::web {

namespace {

// Voters who may vote in `e`: its own list, or for a child the parent's
// entries naming it (or naming no child at all).
size_t voter_count(const core::Snapshot& snap, const core::Election& e) {
  if (!e.is_child()) return e.voters.size();
  const core::Election* parent = snap.find(e.parent);
  if (!parent) return 0;
  size_t n = 0;
  for (const auto& v : parent->voters) {
    if (v.children.empty()) {
      ++n;
      continue;
    }
    for (const auto& c : v.children)
      if (c == e.folder || c == e.id) {
        ++n;
        break;
      }
  }
  return n;
}

bool voted_in(Context& ctx, const core::Snapshot& snap, const core::Election& e) {
  return visitor_voted(ctx, snap, e);  // election_view.h: a 503 without the database
}

void fill_child(ctemplate::TemplateDictionary& d, Context& ctx,
                const core::Snapshot& snap, const core::Election& c) {
  fill_summary(d, ctx, c);
  fill_user_badges(d, ctx, snap, c, "CHILD_");
}

void fill_children(ctemplate::TemplateDictionary& d, Context& ctx,
                   const core::Snapshot& snap, const core::Election& e) {
  auto* sec = d.AddSectionDictionary("CHILDREN");
  sec->SetValue("COUNT", i18n::format_integer(static_cast<long long>(e.children.size()),
                                              ctx.translator));
  std::set<std::string> listed;
  for (const auto& cat : e.categories) {
    auto* cd = sec->AddSectionDictionary("CATEGORY");
    cd->SetValue("TITLE", cat.title);
    cd->ShowSection("HEADING");
    for (const auto& name : cat.children) {
      // Categories name child folders; children are stored as full ids.
      const core::Election* c = snap.find(e.id + "/" + name);
      if (!c) c = snap.find(name);
      if (!c || c->parent != e.id) continue;
      listed.insert(c->id);
      fill_child(*cd->AddSectionDictionary("CHILD"), ctx, snap, *c);
    }
  }
  // Children in no category (all of them when there are no categories),
  // in natural order.
  ctemplate::TemplateDictionary* rest = nullptr;
  for (const auto& id : e.children) {
    const core::Election* c = snap.find(id);
    if (!c || listed.count(id)) continue;
    if (!rest) {
      rest = sec->AddSectionDictionary("CATEGORY");
      if (!e.categories.empty()) {
        // TRANSLATORS: the heading of a parent's child elections that are
        // in none of its categories.
        rest->SetValue("TITLE", ctx.trc("category", "Other"));
        rest->ShowSection("HEADING");
      }
    }
    fill_child(*rest->AddSectionDictionary("CHILD"), ctx, snap, *c);
  }
}

void fill_questions(ctemplate::TemplateDictionary& d, const Context& ctx,
                    const core::Election& e) {
  for (const auto& q : e.questions) {
    auto* qd = d.AddSectionDictionary("QUESTION");
    qd->SetValue("QID", q.id);
    qd->SetValue("TITLE", q.title.empty() ? e.name : q.title);
    qd->SetValue("INSTRUCTION", ballot_instruction(q, ctx.translator));  // the booth's words too
    qd->SetValue("METHOD", method_title(q.method, ctx.translator));
    qd->SetValue("METHOD_ID", core::method_name(q.method));
    if (!q.description_html.empty())  // sanitized by cmark in src/meta
      qd->AddSectionDictionary("QDESC")->SetValue("QDESC_HTML", q.description_html);
    if (q.from_candidates) {
      qd->ShowSection("FROM_CANDIDATES");
      const auto n = static_cast<unsigned long>(q.answers.size());
      // TRANSLATORS: the choices of a question whose answers are the
      // election's candidates.
      qd->SetValue("CANDIDATES_TEXT",
                   i18n::format(ctx.trn("the {n} candidate", "the {n} candidates", n),
                                {{"n", i18n::format_integer(static_cast<long long>(n),
                                                            ctx.translator)}}));
    } else {
      for (const auto& a : q.answers)
        qd->AddSectionDictionary("ANSWER")->SetValue("TEXT", a.text.empty() ? a.id : a.text);
    }
  }
}

void fill_candidates(ctemplate::TemplateDictionary& d, const Context& ctx,
                     const core::Election& e) {
  if (e.candidates.empty()) return;
  auto* sec = d.AddSectionDictionary("CANDIDATES");
  sec->SetValue("COUNT", i18n::format_integer(static_cast<long long>(e.candidates.size()),
                                              ctx.translator));
  for (const auto& c : e.candidates) {
    auto* cd = sec->AddSectionDictionary("CANDIDATE");
    cd->SetValue("CID", c.id);
    cd->SetValue("NAME", c.name.empty() ? c.id : c.name);
    cd->SetValue("URL", ctx.url(candidate_path(e.id, c.id)));
    for (const auto& kv : shown_fields(e, c)) {
      auto* f = cd->AddSectionDictionary("FIELD");
      f->SetValue("KEY", kv.first);
      f->SetValue("VALUE", kv.second);
      if (looks_like_url(kv.second)) f->ShowSection("LINK");
      else f->ShowSection("TEXT");
    }
  }
}

// The Vote button's words. A parent's booth continues where the voter
// stopped, so its button says how far they got through their children.
std::string vote_label(Context& ctx, const core::Snapshot& snap, const core::Election& e) {
  // TRANSLATORS: the election page's buttons to the booth.
  if (!e.is_parent()) return voted_in(ctx, snap, e) ? ctx.tr("Change my vote") : ctx.tr("Vote");
  const auto mine = snap.children_for(e, ctx.session.login);  // none when signed out
  size_t done = 0;
  for (const core::Election* c : mine) done += voted_in(ctx, snap, *c) ? 1 : 0;
  if (done == 0) return ctx.tr("Vote");
  // TRANSLATORS: a parent's booth, when the voter has voted in some of its
  // child elections (continue) or in all of them (change).
  return done < mine.size() ? ctx.tr("Continue voting") : ctx.tr("Change my votes");
}

// Links to the pages other modules serve; each checks its own rules, the
// links only avoid offering what cannot work.
void fill_links(ctemplate::TemplateDictionary& d, Context& ctx,
                const core::Snapshot& snap, const core::Election& e) {
  const core::Phase phase = core::phase_at(e, ctx.now);
  const std::string base = ctx.url(election_path(e.id));
  // Signed in, a visitor is offered what applies to them: the booth when on
  // the list, the exception request when not. Anonymous visitors see both
  // (each asks them to sign in first).
  const bool known = ctx.session.logged_in();
  const bool on_list =
      known && (e.is_parent() ? !snap.children_for(e, ctx.session.login).empty()
                              : snap.eligible(e, ctx.session.login));
  if (phase == core::Phase::kRunning && (!known || on_list)) {
    auto* v = d.AddSectionDictionary("VOTE_LINK");
    v->SetValue("HREF", base + "/vote");
    v->SetValue("LABEL", vote_label(ctx, snap, e));
  }
  if (phase == core::Phase::kClosed || e.results_html)
    d.AddSectionDictionary("RESULTS_LINK")->SetValue("HREF", base + "/results");
  if (exception_window(e, ctx.now) == ExceptionWindow::kOpen && !on_list)
    d.AddSectionDictionary("EXCEPTION_LINK")->SetValue("HREF", base + "/exception");
  if (ctx.session.logged_in() && snap.is_officer(e, ctx.session.login))
    d.AddSectionDictionary("ADMIN_LINK")->SetValue("HREF", base + "/admin");
}

// Who runs it and who may vote: officers, voter count, the eligibility and
// exception texts.
void fill_people(ctemplate::TemplateDictionary& d, const Context& ctx,
                 const core::Snapshot& snap, const core::Election& e) {
  std::vector<std::string> officers = e.officers;
  if (officers.empty() && e.is_child())
    if (const core::Election* parent = snap.find(e.parent)) officers = parent->officers;
  for (const auto& o : officers) d.AddSectionDictionary("OFFICER_LOGIN")->SetValue("LOGIN", o);
  if (officers.empty()) d.ShowSection("NO_OFFICERS");
  if (!e.is_parent()) {  // a parent's voters vote in its children
    d.ShowSection("HAS_VOTERS");
    d.SetValue("VOTER_COUNT", i18n::format_integer(static_cast<long long>(voter_count(snap, e)),
                                                   ctx.translator));
    // The key ballots are sealed to, for voters and officers to compare
    // with the one published in git (DESIGN.md §4).
    if (auto k = ballot_key_of(ctx.cfg, e)) {
      auto* kd = d.AddSectionDictionary("BALLOT_KEY");
      kd->SetValue("FINGERPRINT", k->fingerprint);
      // TRANSLATORS: where the ballot key comes from: the election's file,
      // or the site's configuration.
      kd->SetValue("KEY_SOURCE", k->from_election ? "election.yaml" : ctx.tr("this site's default"));
    } else {
      d.ShowSection("NO_BALLOT_KEY");
    }
  }
  if (!e.eligibility.empty())
    d.AddSectionDictionary("ELIGIBILITY")->SetValue("TEXT", e.eligibility);
  // The description invites requests: shown only while the form exists.
  const ExceptionWindow window = exception_window(e, ctx.now);
  if (window != ExceptionWindow::kNotOffered) {
    auto* x = d.AddSectionDictionary("EXCEPTION");
    x->SetValue("EXCEPTION_DUE", datetime_text(e.exception_due, ctx.translator));
    x->SetValue("EXCEPTION_DUE_ISO", core::format_iso(e.exception_due));
    if (window == ExceptionWindow::kOpen)
      x->AddSectionDictionary("EXCEPTION_OPEN")->SetValue("TEXT", e.exception_description);
    else
      x->ShowSection("EXCEPTION_CLOSED");
  }
}

// The visitor's standing; a sign-in link for an anonymous visitor.
void fill_you(ctemplate::TemplateDictionary& d, Context& ctx,
              const core::Snapshot& snap, const core::Election& e) {
  if (!ctx.session.logged_in()) {
    d.AddSectionDictionary("ANONYMOUS")->SetValue(
        "LOGIN_URL", ctx.url("/login?next=") + url_encode(ctx.self_url()));
    return;
  }
  const std::string& login = ctx.session.login;
  auto* you = d.AddSectionDictionary("YOU");
  you->SetValue("LOGIN", login);
  if (snap.is_officer(e, login)) you->ShowSection("YOU_OFFICER");
  if (!e.is_parent()) {
    you->ShowSection(snap.eligible(e, login) ? "YOU_ELIGIBLE" : "YOU_NOT_ELIGIBLE");
    if (voted_in(ctx, snap, e)) {
      auto* v = you->AddSectionDictionary("VOTED");
      v->SetValue("BALLOT_URL", ctx.url(election_path(e.id)) + "/ballot");
      v->ShowSection(core::phase_at(e, ctx.now) == core::Phase::kRunning ? "CAN_CHANGE"
                                                                         : "VOTING_OVER");
    }
    return;
  }
  auto mine = snap.children_for(e, login);
  if (mine.empty()) you->ShowSection("YOU_NOT_ELIGIBLE");
  else you->ShowSection("YOU_CHILDREN");
  for (const core::Election* c : mine) {
    auto* cd = you->AddSectionDictionary("YOU_CHILD");
    cd->SetValue("NAME", c->name.empty() ? c->id : c->name);
    cd->SetValue("URL", ctx.url(election_path(c->id)));
    if (voted_in(ctx, snap, *c)) cd->ShowSection("YOU_CHILD_VOTED");
  }
}

}  // namespace

void election_page(Context& ctx) {
  const core::Snapshot& snap = ctx.snapshot();
  const core::Election& e = *ctx.election;
  Page page(ctx, "election", e.name.empty() ? e.id : e.name);
  auto& d = page.body();
  fill_summary(d, ctx, e);
  d.SetValue("DESC", e.description_html);  // sanitized by cmark in src/meta
  if (const core::Election* parent = e.is_child() ? snap.find(e.parent) : nullptr) {
    auto* p = d.AddSectionDictionary("PARENT");
    p->SetValue("PARENT_NAME", parent->name.empty() ? parent->id : parent->name);
    p->SetValue("PARENT_URL", ctx.url(election_path(parent->id)));
  }
  fill_links(d, ctx, snap, e);
  fill_people(d, ctx, snap, e);
  fill_you(d, ctx, snap, e);
  d.SetValue("BALLOT_TITLE", e.is_parent() ? ctx.tr("Questions (consolidated from the children)")
                                           : ctx.tr("On the ballot"));
  fill_questions(d, ctx, e);
  fill_candidates(d, ctx, e);
  if (e.is_parent()) fill_children(d, ctx, snap, e);
  if (e.results_html)
    d.AddSectionDictionary("RESULTS")->SetValue("RESULTS_HTML", *e.results_html);
  page.finish();
}

}  // namespace urna::web
