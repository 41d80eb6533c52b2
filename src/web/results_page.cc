// GET /elections/{id}/results: the stored results of a closed election
// (urna-tally writes them; this page reads only them, never ballots):
// turnout, winners, the full ranking with ties, the pairwise matrix
// coloured by margin, a bar chart (SVG, no script) for selection methods,
// the rounds of IRV/STV, blank and invalid ballots with reasons, and the
// published results.md. A parent shows its consolidated result with a
// chooser leading to each child's. Who may see them: results_allowed().
#include <json/json.h>

#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>

#include "core/time_util.h"
#include "store/results_store.h"
#include "tally/result.h"
#include "web/context.h"
#include "web/election_view.h"
#include "web/http_error.h"
#include "web/pages.h"
#include "web/request.h"
#include "web/svg_chart.h"

namespace urna::web {

namespace {

// Voters who may vote in `e` (a child: the parent's entries naming it or no
// child; a parent: the sum over its children, i.e. ballots it can receive).
std::int64_t eligible_count(const core::Snapshot& snap, const core::Election& e) {
  if (e.is_parent()) {
    std::int64_t n = 0;
    for (const auto& id : e.children)
      if (const core::Election* c = snap.find(id)) n += eligible_count(snap, *c);
    return n;
  }
  if (!e.is_child()) return static_cast<std::int64_t>(e.voters.size());
  const core::Election* parent = snap.find(e.parent);
  if (!parent) return 0;
  std::int64_t n = 0;
  for (const auto& v : parent->voters) {
    bool in = v.children.empty();
    for (const auto& c : v.children) in = in || c == e.folder || c == e.id;
    n += in ? 1 : 0;
  }
  return n;
}

std::string percent(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return "–";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%",
                100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buf;
}

std::string name_of(const tally::QuestionResult& r, int i) {
  if (i < 0 || i >= static_cast<int>(r.candidates.size())) return "?";
  return i < static_cast<int>(r.names.size()) && !r.names[i].empty() ? r.names[i] : r.candidates[i];
}

std::string names_of(const tally::QuestionResult& r, const std::vector<int>& list) {
  std::string out;
  for (int i : list) out += (out.empty() ? "" : ", ") + name_of(r, i);
  return out;
}

// Cell class of the pairwise matrix: how clearly the row beat the column.
std::string margin_class(std::int64_t for_row, std::int64_t for_col) {
  if (for_row == for_col) return "tie";
  const double total = static_cast<double>(for_row + for_col);
  const double m = std::fabs(static_cast<double>(for_row - for_col)) / (total > 0 ? total : 1);
  const int level = m >= 0.5 ? 4 : m >= 0.25 ? 3 : m >= 0.1 ? 2 : 1;
  return std::string(for_row > for_col ? "win" : "loss") + std::to_string(level);
}

void fill_ranking(ctemplate::TemplateDictionary& q, const tally::QuestionResult& r) {
  std::set<int> won(r.winners.begin(), r.winners.end());
  int position = 1;
  for (const auto& tier : r.ranking) {
    for (int i : tier) {
      auto* row = q.AddSectionDictionary("RANK");
      row->SetIntValue("POSITION", position);
      row->SetValue("NAME", name_of(r, i));
      row->SetValue("AID", i < static_cast<int>(r.candidates.size()) ? r.candidates[i] : "");
      if (tier.size() > 1) row->ShowSection("TIED");
      if (won.count(i)) row->ShowSection("WINNER");
      if (i < static_cast<int>(r.scores.size()) && !core::method_is_ranked(r.method))
        row->AddSectionDictionary("SCORE")->SetValue("VALUE", format_number(r.scores[i]));
    }
    position += static_cast<int>(tier.size());
  }
}

void fill_matrix(ctemplate::TemplateDictionary& q, const tally::QuestionResult& r) {
  const size_t n = r.candidates.size();
  if (r.d.size() != n || n == 0) return;
  auto* m = q.AddSectionDictionary("MATRIX");
  for (size_t j = 0; j < n; ++j) m->AddSectionDictionary("COL")->SetValue("NAME", name_of(r, j));
  for (size_t i = 0; i < n; ++i) {
    auto* row = m->AddSectionDictionary("ROW");
    row->SetValue("NAME", name_of(r, i));
    for (size_t j = 0; j < n; ++j) {
      auto* cell = row->AddSectionDictionary("CELL");
      if (i == j) {
        cell->SetValue("CLASS", "self");
        cell->SetValue("VALUE", "");
        continue;
      }
      cell->SetValue("CLASS", margin_class(r.d[i][j], r.d[j][i]));
      cell->SetValue("VALUE", std::to_string(r.d[i][j]));
      cell->SetValue("TITLE", name_of(r, i) + " over " + name_of(r, j) + ": " +
                                  std::to_string(r.d[i][j]) + " to " + std::to_string(r.d[j][i]));
    }
  }
}

void fill_chart(ctemplate::TemplateDictionary& q, const tally::QuestionResult& r) {
  if (core::method_is_ranked(r.method) || r.scores.size() != r.candidates.size()) return;
  std::set<int> won(r.winners.begin(), r.winners.end());
  std::vector<Bar> bars;
  for (size_t i = 0; i < r.candidates.size(); ++i)
    bars.push_back(
        {name_of(r, static_cast<int>(i)), r.scores[i], won.count(static_cast<int>(i)) > 0});
  // Escaped inside bar_chart_svg.
  q.AddSectionDictionary("CHART")->SetValue("SVG", bar_chart_svg(bars, r.title));
}

void fill_rounds(ctemplate::TemplateDictionary& q, const tally::QuestionResult& r) {
  if (r.rounds.empty()) return;
  auto* t = q.AddSectionDictionary("ROUNDS");
  if (r.quota > 0) t->AddSectionDictionary("QUOTA")->SetValue("VALUE", format_number(r.quota));
  for (size_t j = 0; j < r.candidates.size(); ++j)
    t->AddSectionDictionary("COL")->SetValue("NAME", name_of(r, static_cast<int>(j)));
  for (size_t k = 0; k < r.rounds.size(); ++k) {
    const tally::Round& rd = r.rounds[k];
    auto* row = t->AddSectionDictionary("ROUND");
    row->SetIntValue("N", static_cast<long>(k + 1));
    for (size_t j = 0; j < r.candidates.size(); ++j) {
      auto* cell = row->AddSectionDictionary("CELL");
      cell->SetValue("VALUE", j < rd.votes.size() ? format_number(rd.votes[j]) : "");
      bool el = false, ex = false;
      for (int c : rd.elected) el = el || c == static_cast<int>(j);
      for (int c : rd.excluded) ex = ex || c == static_cast<int>(j);
      cell->SetValue("CLASS", el ? "elected" : ex ? "excluded" : "");
    }
    row->SetValue("EXHAUSTED", format_number(rd.exhausted));
    std::string what;
    if (!rd.elected.empty()) what += "elected: " + names_of(r, rd.elected) + ". ";
    if (rd.surplus_of >= 0)
      what += "surplus of " + name_of(r, rd.surplus_of) + " (" + format_number(rd.surplus) +
              ") transferred. ";
    if (!rd.excluded.empty()) what += "excluded: " + names_of(r, rd.excluded) + ". ";
    what += rd.note;
    row->SetValue("ACTION", what);
  }
}

void fill_question(ctemplate::TemplateDictionary& d, const core::Election& e,
                   const tally::QuestionResult& r) {
  auto* q = d.AddSectionDictionary("QUESTION");
  q->SetValue("QID", r.question_id);
  q->SetValue("TITLE", r.title.empty() ? (e.name.empty() ? e.id : e.name) : r.title);
  q->SetValue("METHOD", method_title(r.method));
  q->SetValue("METHOD_ID", core::method_name(r.method));
  // A Yes/No question is decided, not filled: no seats, "carried".
  bool yes_no = r.method == core::Method::kPlurality && r.candidates.size() == 2;
  for (const auto& id : r.candidates) {
    const std::string l = core::lower(id);
    yes_no = yes_no && (l == "yes" || l == "no");
  }
  if (!yes_no) q->AddSectionDictionary("SEATS_LINE")->SetIntValue("SEATS", r.seats);
  q->SetValue("WINNERS_LABEL", yes_no ? "Outcome:" : "Winner(s):");
  q->SetValue("WIN_WORD", yes_no ? "carried" : "elected");
  q->SetValue("WINNERS", !r.winners.empty()   ? names_of(r, r.winners)
                         : r.tie_at_boundary ? std::string("none yet (tie)")
                                             : std::string("none"));
  if (r.tie_at_boundary) {
    // A tie is shown as one: who, for how many seats, and who decides.
    auto* tie = q->AddSectionDictionary("TIE");
    tie->SetValue("TIED", names_of(r, r.tied));
    const int seats = tally::tied_seats(r);
    tie->SetValue("TIE_SEATS", seats == 1 ? std::string("the last seat")
                                          : "the last " + std::to_string(seats) + " seats");
    if (r.tie_break.empty())
      tie->ShowSection("TIE_OPEN");
    else
      tie->AddSectionDictionary("TIE_BROKEN")->SetValue("TIE_BREAK", r.tie_break);
  }
  q->SetValue("CAST", std::to_string(r.ballots_cast));
  q->SetValue("VALID", std::to_string(r.ballots_valid));
  q->SetValue("BLANK", std::to_string(r.ballots_blank));
  q->SetValue("INVALID", std::to_string(r.ballots_invalid));
  for (const auto& [why, n] : r.invalid_reasons) {
    auto* x = q->AddSectionDictionary("REASON");
    x->SetValue("WHY", why);
    x->SetValue("COUNT", std::to_string(n));
  }
  fill_ranking(*q, r);
  fill_chart(*q, r);
  fill_matrix(*q, r);
  fill_rounds(*q, r);
  for (const auto& [i, why] : r.dropped) {
    auto* x = q->AddSectionDictionary("NOTE");
    x->SetValue("TEXT", name_of(r, i) + " dropped: " + why);
  }
  for (const auto& n : r.notes) q->AddSectionDictionary("NOTE")->SetValue("TEXT", n);
}

struct Body {
  std::vector<tally::QuestionResult> questions;
  std::vector<std::string> notes;
  std::string results_md;  // urna-tally's draft of results.md
};

Body parse_body(const std::string& json) {
  Json::Value v;
  Json::CharReaderBuilder rb;
  std::string errs;
  std::istringstream in(json);
  if (!Json::parseFromStream(rb, in, &v, &errs) || !v.isObject())
    throw std::runtime_error("stored results are not JSON: " + errs);
  Body b;
  for (const auto& q : v["questions"]) b.questions.push_back(tally::question_result_from_json(q));
  for (const auto& n : v["notes"]) b.notes.push_back(n.asString());
  b.results_md = v.get("results_md", "").asString();
  return b;
}

void fill_chooser(ctemplate::TemplateDictionary& d, const Context& ctx, const core::Snapshot& snap,
                  const core::Election& e) {
  const core::Election* parent = e.is_parent() ? &e : e.is_child() ? snap.find(e.parent) : nullptr;
  if (!parent) return;
  auto* ch = d.AddSectionDictionary("CHOOSER");
  auto add = [&](const core::Election& x, const std::string& label) {
    auto* o = ch->AddSectionDictionary("OPTION");
    o->SetValue("LABEL", label);
    o->SetValue("HREF", ctx.url(election_path(x.id)) + "/results");
    o->ShowSection(x.id == e.id ? "CURRENT" : "LINK");
  };
  add(*parent, "Consolidated");
  for (const auto& id : parent->children)
    if (const core::Election* c = snap.find(id)) add(*c, c->name.empty() ? c->folder : c->name);
}

}  // namespace

bool results_published(const core::Snapshot& snap, const core::Election& e) {
  const core::Election* parent = e.is_child() ? snap.find(e.parent) : nullptr;
  const bool officers_first =
      e.results_visibility == core::ResultsVisibility::kOfficersFirst ||
      (parent && parent->results_visibility == core::ResultsVisibility::kOfficersFirst);
  return !officers_first || e.results_html || (parent && parent->results_html);
}

void require_results_visible(Context& ctx, const core::Election& e) {
  if (core::phase_at(e, ctx.now) != core::Phase::kClosed)
    throw NotFound("The results of this election are not available: voting has not closed yet.");
  const core::Snapshot& snap = ctx.snapshot();
  if (results_published(snap, e)) return;
  if (ctx.session.logged_in() && snap.is_officer(e, ctx.session.login)) return;
  throw Forbidden(ctx.session.logged_in()
                      ? "The results of this election are shown to its officers first. They "
                        "become public when the officers publish results.md."
                      : "The results of this election are shown to its officers first. They "
                        "become public when the officers publish results.md; officers, please "
                        "sign in.");
}

bool ballots_allowed(Context& ctx, const core::Election& e) {
  const core::Snapshot& snap = ctx.snapshot();
  if (ctx.session.logged_in() && snap.is_officer(e, ctx.session.login)) return true;
  const core::Election* parent = e.is_child() ? snap.find(e.parent) : nullptr;
  return e.public_ballots || (parent && parent->public_ballots);
}

void results_page(Context& ctx) {
  const core::Election& e = *ctx.election;
  require_results_visible(ctx, e);
  const core::Snapshot& snap = ctx.snapshot();
  auto stored = store::load_results(ctx.db(), e.id);
  if (!stored)
    throw NotFound(
        "The results of this election have not been counted yet. urna-tally counts closed "
        "elections on its next scheduled run; come back later.");
  const Body body = parse_body(stored->json);

  const std::string title = (e.name.empty() ? e.id : e.name) + " · results";
  Page page(ctx, "results", title);
  auto& d = page.body();
  d.SetValue("STATIC", ctx.cfg.static_url);  // include dictionaries do not inherit
  fill_summary(d, ctx, e);
  if (const core::Election* parent = e.is_child() ? snap.find(e.parent) : nullptr) {
    auto* p = d.AddSectionDictionary("PARENT");
    p->SetValue("PARENT_NAME", parent->name.empty() ? parent->id : parent->name);
    p->SetValue("PARENT_URL", ctx.url(election_path(parent->id)));
  }
  fill_chooser(d, ctx, snap, e);
  if (!results_published(snap, e)) d.ShowSection("OFFICERS_ONLY");
  if (e.is_parent()) d.ShowSection("CONSOLIDATED");

  const std::int64_t eligible = eligible_count(snap, e);
  // A parent's voters may vote in several children: show the people on the
  // list apart from the ballots they may cast (turnout is ballots/ballots).
  auto* turnout = d.AddSectionDictionary(e.is_parent() ? "PARENT_TURNOUT" : "SINGLE_TURNOUT");
  turnout->SetValue("ELIGIBLE", std::to_string(eligible));
  turnout->SetValue("CAST", std::to_string(stored->ballot_count));
  if (e.is_parent()) turnout->SetValue("VOTERS", std::to_string(e.voters.size()));
  d.SetValue("TURNOUT", percent(stored->ballot_count, eligible));
  d.SetValue("TALLIED_AT", core::format_utc(stored->tallied_at));
  d.SetValue("TALLIED_AT_ISO", core::format_iso(stored->tallied_at));
  d.SetValue("COMMIT", stored->snapshot_commit.substr(0, 12));
  if (stored->links_erased) d.ShowSection("LINKS_ERASED");

  for (const auto& q : body.questions) fill_question(d, e, q);
  if (body.questions.empty()) d.ShowSection("NO_QUESTIONS");
  for (const auto& n : body.notes) d.AddSectionDictionary("ELECTION_NOTE")->SetValue("TEXT", n);

  if (ballots_allowed(ctx, e)) {
    auto* x = d.AddSectionDictionary("EXPORT");
    const std::string base = ctx.url(election_path(e.id));
    x->SetValue("CSV_URL", base + "/ballots.csv");
    if (!stored->ballots_blt.empty())
      x->AddSectionDictionary("BLT")->SetValue("BLT_URL", base + "/ballots.blt");
    const core::Election* parent = e.is_child() ? snap.find(e.parent) : nullptr;
    if (!e.public_ballots && !(parent && parent->public_ballots))
      x->ShowSection("OFFICERS_ONLY_EXPORT");
  }
  if (ctx.session.logged_in() && snap.is_officer(e, ctx.session.login) &&
      !body.results_md.empty()) {
    auto* draft = d.AddSectionDictionary("DRAFT");
    draft->SetValue("MARKDOWN", body.results_md);
    if (!e.results_html) draft->ShowSection("NOT_PUBLISHED");
  }
  if (e.results_html)  // sanitized by cmark in src/meta
    d.AddSectionDictionary("PUBLISHED")->SetValue("RESULTS_HTML", *e.results_html);
  d.SetValue("ELECTION_URL", ctx.url(election_path(e.id)));
  page.finish();
}

}  // namespace urna::web
