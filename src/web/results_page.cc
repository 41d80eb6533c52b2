// GET /elections/{id}/results: the stored results of a closed election
// (urna-tally writes them; this page reads only them, never ballots):
// turnout, then per question the outcome in words that fit the method and
// the seats ("Winner:", "Winners:", "Elected:", "Outcome:"), the ranking as
// a table with a header on every column (votes and percentages of the
// valid ballots for plurality, Yes/No and approval; points for Borda; each
// candidate's one-to-one record for Condorcet methods; first preferences
// and the round of election or exclusion for IRV/STV), a chart in the same
// order as the table (SVG rendered here, no script: bars, or stacked bars
// of the one-to-one record or of the rounds), the pairwise matrix coloured
// by margin, Schulze's strongest paths, ranked pairs' locked pairs, the
// rounds with their transfers, blank and invalid ballots with reasons, and
// the published results.md (its headings under the page's). A parent
// shows its consolidated result, with the children whose ballots each
// question counts, and a chooser leading to each child's. Who may see
// them: require_results_visible().
// Languages (docs/i18n.md): the words assembled here are the k* msgids
// below (whole sentences with {placeholders}, translated with ctx.tr where
// they are used) and the trn() calls; the rest is in results.tpl. Numbers,
// percentages and dates are written in the page's language (i18n/format.h),
// the charts too (ChartText). The English free text that urna-tally stored
// (notes, round notes, tie-breaks, reasons) is recognised and translated by
// result_notes.h; what it does not recognise is shown as stored.
#include <json/json.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "core/time_util.h"
#include "i18n/format.h"
#include "i18n/text.h"
#include "store/results_store.h"
#include "tally/result.h"
#include "web/context.h"
#include "web/election_view.h"
#include "web/http_error.h"
#include "web/pages.h"
#include "web/request.h"
#include "web/result_notes.h"
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

using i18n::Translator;

// "63.6%" / "63,6 %" of `whole`; "–" when there is no whole.
std::string percent(double part, double whole, const Translator& tr) {
  if (whole <= 0) return "–";
  return i18n::format_percent(part / whole, 1, tr);
}

// A count's value as the charts write it: whole numbers without decimals,
// others (STV's fractional transfers) with two, in the page's format.
std::string number(double v, const Translator& tr) {
  const bool whole = std::isfinite(v) && std::fabs(v - std::round(v)) < 1e-9;
  return i18n::format_number(v, whole ? 0 : 2, tr);
}
std::string integer(std::int64_t v, const Translator& tr) {
  return i18n::format_integer(static_cast<long long>(v), tr);
}

// `tr(pattern)` with its {placeholders} filled.
std::string say(const Translator& tr, const char* pattern, const i18n::Args& args) {
  return i18n::format(tr.tr(pattern), args);
}

// The page's words that are assembled in C++ (the rest is in
// templates/results.tpl); N_ marks them for the catalog, ctx.tr translates
// them where they are used.
constexpr const char* kWinner = N_("Winner:");
constexpr const char* kWinners = N_("Winners:");
constexpr const char* kElected = N_("Elected:");
constexpr const char* kOutcome = N_("Outcome:");
// TRANSLATORS: badges in the "Result" column of the ranking table.
constexpr const char* kBadgeElected = N_("elected");
constexpr const char* kBadgeWinner = N_("winner");
// TRANSLATORS: the badge of the answer that carries a Yes/No question.
constexpr const char* kBadgeCarried = N_("carried");
// TRANSLATORS: after "Winner:" when a tie leaves the seat open.
constexpr const char* kNoWinnerTie = N_("none yet (tie)");
// TRANSLATORS: after "Outcome:" of a Yes/No question whose answers tie.
constexpr const char* kNotDecidedTie = N_("not decided (a tie)");
// TRANSLATORS: after "Winner:" when nobody won.
constexpr const char* kNoWinner = N_("none");
// TRANSLATORS: the heading of the only question of an election when the
// question has no title of its own.
constexpr const char* kOneQuestionHeading = N_("The count");
// TRANSLATORS: column headers of the ranking table.
constexpr const char* kColAnswer = N_("Answer");
constexpr const char* kColCandidate = N_("Candidate");
constexpr const char* kColVotes = N_("Votes");
constexpr const char* kColApprovals = N_("Approvals");
constexpr const char* kColShare = N_("Share");
constexpr const char* kColPoints = N_("Points");
// TRANSLATORS: one-to-one record of a candidate: how many others it
// beats, ties with, loses to (column headers and the chart's legend).
constexpr const char* kColBeats = N_("Beats");
constexpr const char* kColTies = N_("Ties with");
constexpr const char* kColLoses = N_("Loses to");
constexpr const char* kColFirst = N_("First preferences");
constexpr const char* kElectedInRound = N_("Elected in round {round}");
constexpr const char* kExcludedInRound = N_("Excluded in round {round}");
// TRANSLATORS: the charts' accessible names; {title} is the question's.
constexpr const char* kChartVotes = N_("{title}: votes for each answer, winner first");
constexpr const char* kChartApprovals = N_("{title}: approvals of each answer, winner first");
constexpr const char* kChartPoints = N_("{title}: Borda points of each candidate, winner first");
constexpr const char* kChartPairs =
    N_("{title}: how many other candidates each candidate beats, ties with and loses to in "
       "one-to-one comparisons");
constexpr const char* kChartRounds = N_("{title}: votes of each candidate in each round");
// TRANSLATORS: a bar of the chart of IRV/STV rounds.
constexpr const char* kRoundLabel = N_("Round {round}");
// TRANSLATORS: ballots that rank no continuing candidate (IRV/STV).
constexpr const char* kExhausted = N_("Exhausted");
// TRANSLATORS: the chart's line at the STV quota / the IRV majority.
constexpr const char* kQuota = N_("Quota: {votes}");
constexpr const char* kMajority = N_("Majority: {votes}");
// TRANSLATORS: a cell of the pairwise matrix: {for} ballots prefer
// {row} to {column}, {against} the reverse.
constexpr const char* kPairTitle = N_("{row} over {column}: {for} to {against}");
constexpr const char* kPathTitle =
    N_("Strongest path from {row} to {column}: {for}; from {column} to {row}: {against}");
// TRANSLATORS: a locked pair of ranked pairs, strongest first.
constexpr const char* kLocked = N_("{winner} over {loser} ({for} to {against})");
// TRANSLATORS: in the "What happened" column of IRV/STV rounds.
constexpr const char* kRoundSurplus = N_("The surplus of {name} is transferred ({votes}).");
// TRANSLATORS: {name} was left out of a count with a quorum or
// supermajority against a default option; {reason} says why.
constexpr const char* kDropped = N_("{name} was left out of the count: {reason}");
// TRANSLATORS: in "Counts the ballots of: ...": a child election and the
// title of its question, when that is not the consolidated question's.
constexpr const char* kSourceQuestion = N_("{election} — {question}");
// The legacy note of run_pipes before results stored their sources.
constexpr const char* kLegacySourcesNote = "ballots from: ";

std::string name_of(const tally::QuestionResult& r, int i) {
  if (i < 0 || i >= static_cast<int>(r.candidates.size())) return "?";
  return i < static_cast<int>(r.names.size()) && !r.names[i].empty() ? r.names[i] : r.candidates[i];
}

std::string names_of(const tally::QuestionResult& r, const std::vector<int>& list,
                     const Translator& tr) {
  // TRANSLATORS: between the names of a list ("Ann, Ben, Cy").
  const std::string sep = tr.trc("list", ", ");
  std::string out;
  for (size_t k = 0; k < list.size(); ++k) out += (k ? sep : "") + name_of(r, list[k]);
  return out;
}

// A Yes/No question is decided, not filled: no seats, "carried".
bool is_yes_no(const tally::QuestionResult& r) {
  bool yes_no = r.method == core::Method::kPlurality && r.candidates.size() == 2;
  for (const auto& id : r.candidates) {
    const std::string l = core::lower(id);
    yes_no = yes_no && (l == "yes" || l == "no");
  }
  return yes_no;
}

// How the question was counted, in a person's words (followed by " · 2
// seats"); a msgid.
const char* method_text(const tally::QuestionResult& r) {
  // TRANSLATORS: how a question was counted, under its heading on the
  // results page (followed by " · 2 seats").
  if (is_yes_no(r)) return N_("Yes or no: the answer with more votes carries");
  switch (r.method) {
    case core::Method::kSchulze:
      return N_("Schulze method: ranked ballots, candidates compared one to one");
    case core::Method::kRankedPairs:
      return N_("Ranked pairs: ranked ballots, candidates compared one to one");
    case core::Method::kIrv:
      return N_("Instant-runoff: ranked ballots, counted in rounds");
    case core::Method::kStv:
      return N_("Single transferable vote: ranked ballots, counted in rounds");
    case core::Method::kPlurality:
      return N_("Plurality: one answer per ballot; the most votes win");
    case core::Method::kApproval:
      return N_("Approval: each ballot may pick several answers; the most approvals win");
    case core::Method::kBorda:
      return N_("Borda count: ranked ballots, points for each place");
  }
  return "";
}

bool is_runoff(core::Method m) { return m == core::Method::kIrv || m == core::Method::kStv; }
bool is_condorcet(core::Method m) {
  return m == core::Method::kSchulze || m == core::Method::kRankedPairs;
}

// The answers in result order, best first: the ranking's tiers, then any
// answer the ranking leaves out. The table and the chart both use it.
std::vector<int> display_order(const tally::QuestionResult& r) {
  std::vector<int> out;
  std::set<int> seen;
  for (const auto& tier : r.ranking)
    for (int i : tier)
      if (i >= 0 && i < static_cast<int>(r.candidates.size()) && seen.insert(i).second)
        out.push_back(i);
  for (int i = 0; i < static_cast<int>(r.candidates.size()); ++i)
    if (seen.insert(i).second) out.push_back(i);
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

// One-to-one record of candidate i from d: how many others it beats, ties
// with and loses to.
struct Record {
  int beats = 0, ties = 0, loses = 0;
};
Record record_of(const tally::QuestionResult& r, size_t i) {
  Record rec;
  for (size_t j = 0; j < r.d.size(); ++j) {
    if (j == i) continue;
    if (r.d[i][j] > r.d[j][i])
      ++rec.beats;
    else if (r.d[i][j] < r.d[j][i])
      ++rec.loses;
    else
      ++rec.ties;
  }
  return rec;
}
bool has_matrix(const tally::QuestionResult& r) {
  const size_t n = r.candidates.size();
  if (n == 0 || r.d.size() != n) return false;
  for (const auto& row : r.d)
    if (row.size() != n) return false;
  return true;
}

// The round in which candidate c was elected or excluded (1-based), or 0.
int round_of(const std::vector<tally::Round>& rounds, int c, bool elected) {
  for (size_t k = 0; k < rounds.size(); ++k)
    for (int x : elected ? rounds[k].elected : rounds[k].excluded)
      if (x == c) return static_cast<int>(k + 1);
  return 0;
}

void add_head(ctemplate::TemplateDictionary& q, const std::string& label, const char* cls) {
  auto* h = q.AddSectionDictionary("HEAD");
  h->SetValue("LABEL", label);
  h->SetValue("HEAD_CLASS", cls);
}
void add_cell(ctemplate::TemplateDictionary& row, const std::string& value, bool score = false) {
  auto* c = row.AddSectionDictionary("CELL");
  c->AddSectionDictionary(score ? "SCORE" : "PLAIN")->SetValue("VALUE", value);
}

void fill_ranking(ctemplate::TemplateDictionary& q, const tally::QuestionResult& r,
                  const std::vector<int>& order, const Translator& tr) {
  const bool yes_no = is_yes_no(r);
  const bool selection =
      r.method == core::Method::kPlurality || r.method == core::Method::kApproval;
  const bool scored = selection || r.method == core::Method::kBorda;
  const bool scores_ok = r.scores.size() == r.candidates.size();
  const bool condorcet = is_condorcet(r.method) && has_matrix(r);
  const bool runoff = is_runoff(r.method) && !r.rounds.empty();
  q.SetValue("NAME_HEAD", tr.tr(selection ? kColAnswer : kColCandidate));
  if (scored && scores_ok) {
    add_head(q,
             tr.tr(r.method == core::Method::kApproval ? kColApprovals
                   : r.method == core::Method::kBorda  ? kColPoints
                                                       : kColVotes),
             "num");
    if (selection) add_head(q, tr.tr(kColShare), "num");
  }
  if (condorcet) {
    add_head(q, tr.tr(kColBeats), "num");
    add_head(q, tr.tr(kColTies), "num");
    add_head(q, tr.tr(kColLoses), "num");
  }
  if (runoff) add_head(q, tr.tr(kColFirst), "num");
  q.SetValue("WIN_WORD", tr.tr(yes_no                                          ? kBadgeCarried
                               : is_runoff(r.method) || is_condorcet(r.method) ? kBadgeElected
                                                                               : kBadgeWinner));

  std::set<int> won(r.winners.begin(), r.winners.end());
  std::map<int, std::pair<int, bool>> position;  // candidate -> (position, tied)
  int next = 1;
  for (const auto& tier : r.ranking) {
    for (int i : tier) position[i] = {next, tier.size() > 1};
    next += static_cast<int>(tier.size());
  }
  for (int i : order) {
    auto* row = q.AddSectionDictionary("RANK");
    const auto pos = position.count(i) ? position[i] : std::make_pair(next, false);
    row->SetValue("POSITION", integer(pos.first, tr));
    row->SetValue("NAME", name_of(r, i));
    row->SetValue("AID", r.candidates[i]);
    if (pos.second) row->ShowSection("TIED");
    if (won.count(i)) row->ShowSection("WINNER");
    if (scored && scores_ok) {
      add_cell(*row, number(r.scores[i], tr), true);
      if (selection) add_cell(*row, percent(r.scores[i], static_cast<double>(r.ballots_valid), tr));
    }
    if (condorcet) {
      const Record rec = record_of(r, static_cast<size_t>(i));
      add_cell(*row, integer(rec.beats, tr));
      add_cell(*row, integer(rec.ties, tr));
      add_cell(*row, integer(rec.loses, tr));
    }
    if (runoff) {
      const auto& first = r.rounds.front().votes;
      add_cell(*row, i < static_cast<int>(first.size()) ? number(first[i], tr) : "");
      if (int k = round_of(r.rounds, i, true))
        row->AddSectionDictionary("RESULT_TEXT")
            ->SetValue("TEXT", say(tr, kElectedInRound, {{"round", integer(k, tr)}}));
      else if (int k2 = round_of(r.rounds, i, false))
        row->AddSectionDictionary("RESULT_TEXT")
            ->SetValue("TEXT", say(tr, kExcludedInRound, {{"round", integer(k2, tr)}}));
    }
  }
  if (selection && scores_ok)
    q.ShowSection(r.method == core::Method::kApproval ? "BASE_APPROVAL" : "BASE_VOTES");
}

// The charts' numbers and hover titles in the page's language.
ChartText chart_text(const Translator& tr) {
  ChartText t;
  t.number = [&tr](double v) { return number(v, tr); };
  // TRANSLATORS: a bar's value and its percentage in a chart ("7 · 63.6%").
  t.value_detail = tr.tr("{value} · {detail}");
  // TRANSLATORS: the hover title of a chart's bar ("Yes: 7 · 63.6%").
  t.bar_title = tr.tr("{label}: {value}");
  // TRANSLATORS: the hover title of a part of a stacked bar ("Round 2 —
  // Ann: 5", "Ann — Beats: 3").
  t.segment_title = tr.tr("{label} — {series}: {value}");
  return t;
}

void fill_chart(ctemplate::TemplateDictionary& q, const tally::QuestionResult& r,
                const std::vector<int>& order, const Translator& tr) {
  std::set<int> won(r.winners.begin(), r.winners.end());
  const std::string title = r.title.empty() ? r.question_id : r.title;
  const ChartText text = chart_text(tr);
  std::string svg;
  if (!core::method_is_ranked(r.method) || r.method == core::Method::kBorda) {
    if (r.scores.size() != r.candidates.size()) return;
    const bool selection = r.method != core::Method::kBorda;
    std::vector<Bar> bars;
    for (int i : order)
      bars.push_back(Bar{name_of(r, i), r.scores[i], won.count(i) > 0, r.candidates[i],
                         selection ? percent(r.scores[i], static_cast<double>(r.ballots_valid), tr)
                                   : std::string()});
    svg = bar_chart_svg(bars,
                        say(tr,
                            r.method == core::Method::kApproval ? kChartApprovals
                            : selection                         ? kChartVotes
                                                                : kChartPoints,
                            {{"title", title}}),
                        text);
  } else if (is_condorcet(r.method) && has_matrix(r)) {
    const std::vector<Series> series{
        {tr.tr(kColBeats), "#2e7d32"}, {tr.tr(kColTies), "#616161"}, {tr.tr(kColLoses), "#c62828"}};
    std::vector<Stack> stacks;
    for (int i : order) {
      const Record rec = record_of(r, static_cast<size_t>(i));
      stacks.push_back(Stack{name_of(r, i),
                             {static_cast<double>(rec.beats), static_cast<double>(rec.ties),
                              static_cast<double>(rec.loses)},
                             won.count(i) > 0,
                             r.candidates[i]});
    }
    svg = stacked_chart_svg(series, stacks, say(tr, kChartPairs, {{"title", title}}), 0, "", text);
  } else if (is_runoff(r.method) && !r.rounds.empty()) {
    std::vector<Series> series;
    for (size_t k = 0; k < order.size(); ++k)
      series.push_back({name_of(r, order[k]), series_colour(k)});
    series.push_back({tr.tr(kExhausted), "#757575"});
    std::vector<Stack> stacks;
    for (size_t k = 0; k < r.rounds.size(); ++k) {
      const tally::Round& rd = r.rounds[k];
      Stack s{say(tr, kRoundLabel, {{"round", integer(static_cast<std::int64_t>(k + 1), tr)}}),
              {},
              false,
              std::to_string(k + 1)};
      for (int i : order)
        s.values.push_back(i < static_cast<int>(rd.votes.size()) ? rd.votes[i] : 0);
      s.values.push_back(rd.exhausted);
      stacks.push_back(std::move(s));
    }
    svg = stacked_chart_svg(series, stacks, say(tr, kChartRounds, {{"title", title}}), r.quota,
                            say(tr, r.method == core::Method::kIrv ? kMajority : kQuota,
                                {{"votes", number(r.quota, tr)}}),
                            text);
  }
  if (!svg.empty()) q.AddSectionDictionary("CHART")->SetValue("SVG", svg);  // escaped there
}

// A square table over the candidates in result order (the pairwise
// matrix d, the strongest paths p); the row wins the pair when its number
// is the larger.
void fill_square(ctemplate::TemplateDictionary& q, const char* section,
                 const tally::QuestionResult& r, const std::vector<std::vector<std::int64_t>>& m,
                 const char* title_pattern, const std::vector<int>& order, const Translator& tr) {
  const size_t n = r.candidates.size();
  if (m.size() != n || n == 0) return;
  for (const auto& row : m)
    if (row.size() != n) return;
  auto* t = q.AddSectionDictionary(section);
  for (int j : order) t->AddSectionDictionary("COL")->SetValue("NAME", name_of(r, j));
  for (int i : order) {
    auto* row = t->AddSectionDictionary("ROW");
    row->SetValue("NAME", name_of(r, i));
    for (int j : order) {
      auto* cell = row->AddSectionDictionary("CELL");
      if (i == j) {
        cell->SetValue("CELL_CLASS", "self");
        cell->SetValue("VALUE", "");
        cell->SetValue("CELL_TITLE", "");
        continue;
      }
      cell->SetValue("CELL_CLASS", margin_class(m[i][j], m[j][i]));
      cell->SetValue("VALUE", integer(m[i][j], tr));
      cell->SetValue("CELL_TITLE", say(tr, title_pattern,
                                       {{"row", name_of(r, i)},
                                        {"column", name_of(r, j)},
                                        {"for", integer(m[i][j], tr)},
                                        {"against", integer(m[j][i], tr)}}));
    }
  }
}

void fill_locked(ctemplate::TemplateDictionary& q, const tally::QuestionResult& r,
                 const Translator& tr) {
  if (r.locked.empty() || !has_matrix(r)) return;
  auto* l = q.AddSectionDictionary("LOCKED");
  const int n = static_cast<int>(r.candidates.size());
  for (const auto& [i, j] : r.locked) {
    if (i < 0 || j < 0 || i >= n || j >= n) continue;
    l->AddSectionDictionary("PAIR")->SetValue("TEXT", say(tr, kLocked,
                                                          {{"winner", name_of(r, i)},
                                                           {"loser", name_of(r, j)},
                                                           {"for", integer(r.d[i][j], tr)},
                                                           {"against", integer(r.d[j][i], tr)}}));
  }
}

void fill_rounds(ctemplate::TemplateDictionary& q, const tally::QuestionResult& r,
                 const std::vector<int>& order, const Translator& tr) {
  if (r.rounds.empty()) return;
  auto* t = q.AddSectionDictionary("ROUNDS");
  if (r.quota > 0)
    t->AddSectionDictionary(r.method == core::Method::kIrv ? "MAJORITY" : "QUOTA")
        ->SetValue("VALUE", number(r.quota, tr));
  for (int j : order) t->AddSectionDictionary("COL")->SetValue("NAME", name_of(r, j));
  for (size_t k = 0; k < r.rounds.size(); ++k) {
    const tally::Round& rd = r.rounds[k];
    const tally::Round* before = k > 0 ? &r.rounds[k - 1] : nullptr;
    auto* row = t->AddSectionDictionary("ROUND");
    row->SetValue("N", integer(static_cast<std::int64_t>(k + 1), tr));
    for (int j : order) {
      auto* cell = row->AddSectionDictionary("CELL");
      const size_t c = static_cast<size_t>(j);
      cell->SetValue("VALUE", c < rd.votes.size() ? number(rd.votes[c], tr) : "");
      // What the previous round's transfer changed (README: rounds with
      // transfers).
      if (before && c < before->transfers.size() && before->transfers[c] != 0)
        cell->AddSectionDictionary("TRANSFER")
            ->SetValue("DELTA", (before->transfers[c] > 0 ? "+" : "−") +
                                    number(std::fabs(before->transfers[c]), tr));
      bool el = false, ex = false;
      for (int x : rd.elected) el = el || x == j;
      for (int x : rd.excluded) ex = ex || x == j;
      cell->SetValue("CELL_CLASS", el ? "elected" : ex ? "excluded" : "");
    }
    row->SetValue("EXHAUSTED", number(rd.exhausted, tr));
    std::vector<std::string> what;
    if (!rd.elected.empty())
      what.push_back(i18n::format(
          // TRANSLATORS: in the "What happened" column of IRV/STV rounds;
          // {names} is one name or a list.
          tr.trn("{names} is elected.", "{names} are elected.", rd.elected.size()),
          {{"names", names_of(r, rd.elected, tr)}}));
    if (rd.surplus_of >= 0)
      what.push_back(say(tr, kRoundSurplus,
                         {{"name", name_of(r, rd.surplus_of)}, {"votes", number(rd.surplus, tr)}}));
    if (!rd.excluded.empty())
      what.push_back(
          i18n::format(tr.trn("{names} is excluded.", "{names} are excluded.", rd.excluded.size()),
                       {{"names", names_of(r, rd.excluded, tr)}}));
    if (const std::string note = round_note(rd.note, tr); !note.empty()) what.push_back(note);
    std::string action;
    for (const auto& w : what) action += (action.empty() ? "" : " ") + w;
    row->SetValue("ACTION", action);
  }
}

// "Counts the ballots of: Professors, Students": a parent question's
// ballot boxes named with the children's names (and the source question's
// title when it is not this question's). Results stored before sources
// existed carry them in a note, read here once.
void fill_sources(ctemplate::TemplateDictionary& q, const core::Snapshot& snap,
                  const core::Election& e, const tally::QuestionResult& r, const Translator& tr) {
  std::vector<std::pair<std::string, std::string>> sources = r.sources;
  for (const auto& n : r.notes) {
    if (!sources.empty() || n.rfind(kLegacySourcesNote, 0) != 0) continue;
    std::istringstream in(n.substr(std::string(kLegacySourcesNote).size()));
    std::string item;
    while (std::getline(in, item, ',')) {
      while (!item.empty() && item.front() == ' ') item.erase(0, 1);
      const size_t slash = item.rfind('/');
      if (slash != std::string::npos)
        sources.emplace_back(item.substr(0, slash) == "(parent)" ? "" : item.substr(0, slash),
                             item.substr(slash + 1));
    }
  }
  if (!e.is_parent()) return;
  std::string list;
  for (const auto& [folder, qid] : sources) {
    if (folder.empty()) continue;  // the parent itself holds no ballots
    const core::Election* child = nullptr;
    for (const auto& id : e.children)
      if (const core::Election* c = snap.find(id); c && c->folder == folder) child = c;
    std::string item = child && !child->name.empty() ? child->name : folder;
    const core::Question* sq = nullptr;
    if (child)
      for (const auto& x : child->questions)
        if (x.id == qid) sq = &x;
    const std::string qtitle = sq && !sq->title.empty() ? sq->title : qid;
    if (qtitle != r.title)
      item = say(tr, kSourceQuestion, {{"election", item}, {"question", qtitle}});
    list += (list.empty() ? "" : tr.trc("list", ", ")) + item;
  }
  if (!list.empty()) q.AddSectionDictionary("SOURCES")->SetValue("LIST", list);
}

// A sentence that holds a {names} placeholder, split around it so that the
// template can mark the names up (<bdi class="tied-names">): the part
// before, the part after. Without the placeholder: all of it after.
std::pair<std::string, std::string> split_at_names(const std::string& sentence) {
  const std::string key = "{names}";
  const size_t at = sentence.find(key);
  if (at == std::string::npos) return {"", " " + sentence};
  return {sentence.substr(0, at), sentence.substr(at + key.size())};
}

void fill_question(ctemplate::TemplateDictionary& d, const core::Snapshot& snap,
                   const core::Election& e, const tally::QuestionResult& r, size_t questions,
                   const Translator& tr) {
  auto* q = d.AddSectionDictionary("QUESTION");
  const std::string election_name = e.name.empty() ? e.id : e.name;
  std::string title = r.title.empty() ? election_name : r.title;
  // One heading per question, never the page's own again.
  if (questions == 1 && title == election_name) title = tr.tr(kOneQuestionHeading);
  q->SetValue("QID", r.question_id);
  q->SetValue("TITLE", title);
  q->SetValue("METHOD", tr.tr(method_text(r)));
  q->SetValue("METHOD_ID", core::method_name(r.method));
  const bool yes_no = is_yes_no(r);
  if (!yes_no) {
    const unsigned long seats = r.seats > 0 ? static_cast<unsigned long>(r.seats) : 0;
    q->AddSectionDictionary("SEATS_LINE")
        ->SetValue("SEATS", i18n::format(tr.trn("{n} seat", "{n} seats", seats),
                                         {{"n", integer(r.seats, tr)}}));
  }
  q->SetValue("WINNERS_LABEL", tr.tr(yes_no                           ? kOutcome
                                     : r.method == core::Method::kStv ? kElected
                                     : r.seats == 1                   ? kWinner
                                                                      : kWinners));
  q->SetValue("WINNERS", !r.winners.empty()  ? names_of(r, r.winners, tr)
                         : r.tie_at_boundary ? tr.tr(yes_no ? kNotDecidedTie : kNoWinnerTie)
                                             : tr.tr(kNoWinner));
  if (r.tie_at_boundary) {
    // A tie is shown as one: who, for how many seats, and who decides.
    auto* tie = q->AddSectionDictionary("TIE");
    if (yes_no) {
      tie->ShowSection("TIE_YES_NO");
    } else {
      auto* s = tie->AddSectionDictionary("TIE_SEATS");
      s->SetValue("TIED", names_of(r, r.tied, tr));
      const int seats = tally::tied_seats(r);
      // An IRV/STV tie in a round (who is excluded, whose surplus goes
      // first) that did not decide a seat: the seats were filled by others.
      const std::string sentence =
          seats > 0
              // TRANSLATORS: after "Tie:"; {names} is the list of the tied
              // candidates, {n} the number of seats they are tied for.
              ? i18n::format(tr.trn("{names} are tied for the last seat.",
                                    "{names} are tied for the last {n} seats.",
                                    static_cast<unsigned long>(seats)),
                             {{"n", integer(seats, tr)}})
              // TRANSLATORS: after "Tie:" (IRV/STV); {names} is the list of
              // the tied candidates.
              : tr.tr("{names} were tied in a round of the count.");
      const auto [before, after] = split_at_names(sentence);
      s->SetValue("BEFORE", before);
      s->SetValue("AFTER", after);
    }
    if (r.tie_break.empty())
      tie->ShowSection("TIE_OPEN");
    else
      tie->AddSectionDictionary("TIE_BROKEN")
          ->SetValue("TIE_BREAK", tie_break_text(r.tie_break, tr));
  }
  q->SetValue("CAST", integer(r.ballots_cast, tr));
  q->SetValue("VALID", integer(r.ballots_valid, tr));
  q->SetValue("BLANK", integer(r.ballots_blank, tr));
  q->SetValue("INVALID", integer(r.ballots_invalid, tr));
  for (const auto& [why, n] : r.invalid_reasons)
    q->AddSectionDictionary("REASON")->SetValue(
        "TEXT", i18n::format(
                    // TRANSLATORS: under a question's ballots: how many
                    // were invalid for {reason}.
                    tr.trn("{n} invalid: {reason}", "{n} invalid: {reason}",
                           n > 0 ? static_cast<unsigned long>(n) : 0),
                    {{"n", integer(n, tr)}, {"reason", invalid_reason(why, tr)}}));
  const std::vector<int> order = display_order(r);
  fill_ranking(*q, r, order, tr);
  fill_chart(*q, r, order, tr);
  fill_square(*q, "MATRIX", r, r.d, kPairTitle, order, tr);
  if (r.method == core::Method::kSchulze) fill_square(*q, "PATHS", r, r.p, kPathTitle, order, tr);
  fill_locked(*q, r, tr);
  fill_rounds(*q, r, order, tr);
  fill_sources(*q, snap, e, r, tr);
  for (const auto& [i, why] : r.dropped)
    q->AddSectionDictionary("NOTE")->SetValue(
        "TEXT", say(tr, kDropped, {{"name", name_of(r, i)}, {"reason", dropped_reason(why, tr)}}));
  // The tally's own note of a tie at the boundary repeats the banner.
  const std::string tie_note = std::to_string(r.tied.size()) + " candidates tied for ";
  for (const auto& n : r.notes) {
    if (n.rfind(kLegacySourcesNote, 0) == 0) continue;
    if (r.tie_at_boundary && n.rfind(tie_note, 0) == 0) continue;
    q->AddSectionDictionary("NOTE")->SetValue("TEXT", count_note(n, tr));
  }
}

// The published results.md under the page's own headings: its top level
// becomes h3 (it sits under the h2 "Published results"), the rest follow.
std::string demote_headings(const std::string& html) {
  int top = 7;
  for (int level = 1; level <= 6; ++level)
    if (html.find("<h" + std::to_string(level)) != std::string::npos) {
      top = level;
      break;
    }
  if (top >= 3) return html;
  const int shift = 3 - top;
  std::string out;
  out.reserve(html.size());
  for (size_t i = 0; i < html.size(); ++i) {
    const bool open = html.compare(i, 2, "<h") == 0, close = html.compare(i, 3, "</h") == 0;
    const size_t digit = i + (close ? 3 : 2);
    if ((open || close) && digit < html.size() && html[digit] >= '1' && html[digit] <= '6' &&
        digit + 1 < html.size() && (html[digit + 1] == '>' || html[digit + 1] == ' ')) {
      out += html.substr(i, digit - i);
      out += static_cast<char>('0' + std::min(6, html[digit] - '0' + shift));
      i = digit;
      continue;
    }
    out += html[i];
  }
  return out;
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
  // TRANSLATORS: in the chooser of a parent's results: the parent's own
  // (consolidated) result, next to each child's.
  add(*parent, ctx.tr("Consolidated"));
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
    throw NotFound(
        N_("The results of this election are not available: voting has not closed yet."));
  const core::Snapshot& snap = ctx.snapshot();
  if (results_published(snap, e)) return;
  if (ctx.session.logged_in() && snap.is_officer(e, ctx.session.login)) return;
  throw Forbidden(ctx.session.logged_in()
                      ? N_("The results of this election are shown to its officers first. They "
                           "become public when the officers publish results.md.")
                      : N_("The results of this election are shown to its officers first. They "
                           "become public when the officers publish results.md; officers, "
                           "please sign in."));
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
        N_("The results of this election have not been counted yet. urna-tally counts closed "
           "elections on its next scheduled run; come back later."));
  const Body body = parse_body(stored->json);

  const Translator& tr = ctx.translator;
  // TRANSLATORS: the results page's <title>; {election} is its name.
  const std::string title =
      i18n::format(ctx.tr("{election} · results"), {{"election", e.name.empty() ? e.id : e.name}});
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
  turnout->SetValue("ELIGIBLE", integer(eligible, tr));
  turnout->SetValue("CAST", integer(stored->ballot_count, tr));
  if (e.is_parent())
    turnout->SetValue("VOTERS", integer(static_cast<std::int64_t>(e.voters.size()), tr));
  d.SetValue("TURNOUT",
             percent(static_cast<double>(stored->ballot_count), static_cast<double>(eligible), tr));
  // TRANSLATORS: when the results were counted; {when} is a date and time.
  d.SetValue("TALLIED_AT", i18n::format(ctx.tr("{when} UTC"),
                                        {{"when", i18n::format_datetime(stored->tallied_at, tr)}}));
  d.SetValue("TALLIED_AT_ISO", core::format_iso(stored->tallied_at));
  d.SetValue("COMMIT", stored->snapshot_commit.substr(0, 12));
  if (stored->links_erased) d.ShowSection("LINKS_ERASED");

  for (const auto& q : body.questions) fill_question(d, snap, e, q, body.questions.size(), tr);
  if (body.questions.empty()) d.ShowSection("NO_QUESTIONS");
  for (const auto& n : body.notes)
    d.AddSectionDictionary("ELECTION_NOTE")->SetValue("TEXT", count_note(n, tr));

  if (ballots_allowed(ctx, e)) {
    auto* x = d.AddSectionDictionary("EXPORT");
    const std::string base = ctx.url(election_path(e.id));
    x->SetValue("CSV_URL", base + "/ballots.csv");
    if (!stored->ballots_blt.empty())
      x->AddSectionDictionary("BLT")->SetValue("BLT_URL", base + "/ballots.blt");
    else
      x->ShowSection("CSV_ONLY");
    const core::Election* parent = e.is_child() ? snap.find(e.parent) : nullptr;
    x->ShowSection(!e.public_ballots && !(parent && parent->public_ballots) ? "OFFICERS_ONLY_EXPORT"
                                                                            : "PUBLIC_EXPORT");
  }
  if (ctx.session.logged_in() && snap.is_officer(e, ctx.session.login) &&
      !body.results_md.empty()) {
    auto* draft = d.AddSectionDictionary("DRAFT");
    draft->SetValue("MARKDOWN", body.results_md);
    if (!e.results_html) draft->ShowSection("NOT_PUBLISHED");
  }
  if (e.results_html)  // sanitized by cmark in src/meta
    d.AddSectionDictionary("PUBLISHED")->SetValue("RESULTS_HTML", demote_headings(*e.results_html));
  d.SetValue("ELECTION_URL", ctx.url(election_path(e.id)));
  page.finish();
}

}  // namespace urna::web
