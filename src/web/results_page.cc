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
// them: require_results_visible(). Words assembled here are the k* constants below
// (whole sentences with {1} placeholders); the rest is in results.tpl.
#include <json/json.h>

#include <cmath>
#include <cstdio>
#include <map>
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

std::string percent(double part, double whole) {
  if (whole <= 0) return "–";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * part / whole);
  return buf;
}

// `pattern` with {1}, {2}, ... replaced by `args`: whole sentences with
// placeholders, so that a translation may reorder them.
std::string sentence(const std::string& pattern, const std::vector<std::string>& args) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' &&
        pattern[i + 1] >= '1' && pattern[i + 1] <= '9') {
      const size_t k = static_cast<size_t>(pattern[i + 1] - '1');
      out += k < args.size() ? args[k] : std::string();
      i += 2;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

// The page's words that are assembled in C++ (the rest is in
// templates/results.tpl).
constexpr const char* kSeatOne = "1 seat";
constexpr const char* kSeatsMany = "{1} seats";
constexpr const char* kWinner = "Winner:";
constexpr const char* kWinners = "Winners:";
constexpr const char* kElected = "Elected:";
constexpr const char* kOutcome = "Outcome:";
constexpr const char* kBadgeElected = "elected";
constexpr const char* kBadgeWinner = "winner";
constexpr const char* kBadgeCarried = "carried";
constexpr const char* kNoWinnerTie = "none yet (tie)";
constexpr const char* kNotDecidedTie = "not decided (a tie)";
constexpr const char* kNoWinner = "none";
constexpr const char* kOneQuestionHeading = "The count";
constexpr const char* kTieLastSeat = "the last seat";
constexpr const char* kTieLastSeats = "the last {1} seats";
constexpr const char* kColAnswer = "Answer";
constexpr const char* kColCandidate = "Candidate";
constexpr const char* kColVotes = "Votes";
constexpr const char* kColApprovals = "Approvals";
constexpr const char* kColShare = "Share";
constexpr const char* kColPoints = "Points";
constexpr const char* kColBeats = "Beats";
constexpr const char* kColTies = "Ties with";
constexpr const char* kColLoses = "Loses to";
constexpr const char* kColFirst = "First preferences";
constexpr const char* kElectedInRound = "Elected in round {1}";
constexpr const char* kExcludedInRound = "Excluded in round {1}";
constexpr const char* kChartVotes = "{1}: votes for each answer, winner first";
constexpr const char* kChartApprovals = "{1}: approvals of each answer, winner first";
constexpr const char* kChartPoints = "{1}: Borda points of each candidate, winner first";
constexpr const char* kChartPairs =
    "{1}: how many other candidates each candidate beats, ties with and loses to in "
    "one-to-one comparisons";
constexpr const char* kChartRounds = "{1}: votes of each candidate in each round";
constexpr const char* kRoundLabel = "Round {1}";
constexpr const char* kExhausted = "Exhausted";
constexpr const char* kQuota = "Quota: {1}";
constexpr const char* kMajority = "Majority: {1}";
constexpr const char* kPairTitle = "{1} over {2}: {3} to {4}";
constexpr const char* kPathTitle = "Strongest path from {1} to {2}: {3}; from {2} to {1}: {4}";
constexpr const char* kLocked = "{1} over {2} ({3} to {4})";
constexpr const char* kRoundElectedOne = "{1} is elected.";
constexpr const char* kRoundElectedMany = "{1} are elected.";
constexpr const char* kRoundSurplus = "The surplus of {1} is transferred ({2}).";
constexpr const char* kRoundExcludedOne = "{1} is excluded.";
constexpr const char* kRoundExcludedMany = "{1} are excluded.";
constexpr const char* kDropped = "{1} was left out of the count: {2}";
constexpr const char* kSourceQuestion = "{1} — {2}";
// The legacy note of run_pipes before results stored their sources.
constexpr const char* kLegacySourcesNote = "ballots from: ";

std::string name_of(const tally::QuestionResult& r, int i) {
  if (i < 0 || i >= static_cast<int>(r.candidates.size())) return "?";
  return i < static_cast<int>(r.names.size()) && !r.names[i].empty() ? r.names[i] : r.candidates[i];
}

std::string names_of(const tally::QuestionResult& r, const std::vector<int>& list) {
  std::string out;
  for (int i : list) out += (out.empty() ? "" : ", ") + name_of(r, i);
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

// How the question was counted, in a person's words (followed by " · 2 seats").
const char* method_text(const tally::QuestionResult& r) {
  if (is_yes_no(r)) return "Yes or no: the answer with more votes carries";
  switch (r.method) {
    case core::Method::kSchulze:
      return "Schulze method: ranked ballots, candidates compared one to one";
    case core::Method::kRankedPairs:
      return "Ranked pairs: ranked ballots, candidates compared one to one";
    case core::Method::kIrv:
      return "Instant-runoff: ranked ballots, counted in rounds";
    case core::Method::kStv:
      return "Single transferable vote: ranked ballots, counted in rounds";
    case core::Method::kPlurality:
      return "Plurality: one answer per ballot; the most votes win";
    case core::Method::kApproval:
      return "Approval: each ballot may pick several answers; the most approvals win";
    case core::Method::kBorda:
      return "Borda count: ranked ballots, points for each place";
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
                  const std::vector<int>& order) {
  const bool yes_no = is_yes_no(r);
  const bool selection =
      r.method == core::Method::kPlurality || r.method == core::Method::kApproval;
  const bool scored = selection || r.method == core::Method::kBorda;
  const bool scores_ok = r.scores.size() == r.candidates.size();
  const bool condorcet = is_condorcet(r.method) && has_matrix(r);
  const bool runoff = is_runoff(r.method) && !r.rounds.empty();
  q.SetValue("NAME_HEAD", selection ? kColAnswer : kColCandidate);
  if (scored && scores_ok) {
    add_head(q,
             r.method == core::Method::kApproval ? kColApprovals
             : r.method == core::Method::kBorda  ? kColPoints
                                                 : kColVotes,
             "num");
    if (selection) add_head(q, kColShare, "num");
  }
  if (condorcet) {
    add_head(q, kColBeats, "num");
    add_head(q, kColTies, "num");
    add_head(q, kColLoses, "num");
  }
  if (runoff) add_head(q, kColFirst, "num");
  q.SetValue("WIN_WORD", yes_no                                          ? kBadgeCarried
                         : is_runoff(r.method) || is_condorcet(r.method) ? kBadgeElected
                                                                         : kBadgeWinner);

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
    row->SetIntValue("POSITION", pos.first);
    row->SetValue("NAME", name_of(r, i));
    row->SetValue("AID", r.candidates[i]);
    if (pos.second) row->ShowSection("TIED");
    if (won.count(i)) row->ShowSection("WINNER");
    if (scored && scores_ok) {
      add_cell(*row, format_number(r.scores[i]), true);
      if (selection) add_cell(*row, percent(r.scores[i], static_cast<double>(r.ballots_valid)));
    }
    if (condorcet) {
      const Record rec = record_of(r, static_cast<size_t>(i));
      add_cell(*row, std::to_string(rec.beats));
      add_cell(*row, std::to_string(rec.ties));
      add_cell(*row, std::to_string(rec.loses));
    }
    if (runoff) {
      const auto& first = r.rounds.front().votes;
      add_cell(*row, i < static_cast<int>(first.size()) ? format_number(first[i]) : "");
      if (int k = round_of(r.rounds, i, true))
        row->AddSectionDictionary("RESULT_TEXT")
            ->SetValue("TEXT", sentence(kElectedInRound, {std::to_string(k)}));
      else if (int k2 = round_of(r.rounds, i, false))
        row->AddSectionDictionary("RESULT_TEXT")
            ->SetValue("TEXT", sentence(kExcludedInRound, {std::to_string(k2)}));
    }
  }
  if (selection && scores_ok)
    q.ShowSection(r.method == core::Method::kApproval ? "BASE_APPROVAL" : "BASE_VOTES");
}

void fill_chart(ctemplate::TemplateDictionary& q, const tally::QuestionResult& r,
                const std::vector<int>& order) {
  std::set<int> won(r.winners.begin(), r.winners.end());
  const std::string title = r.title.empty() ? r.question_id : r.title;
  std::string svg;
  if (!core::method_is_ranked(r.method) || r.method == core::Method::kBorda) {
    if (r.scores.size() != r.candidates.size()) return;
    const bool selection = r.method != core::Method::kBorda;
    std::vector<Bar> bars;
    for (int i : order)
      bars.push_back(Bar{
          name_of(r, i), r.scores[i], won.count(i) > 0, r.candidates[i],
          selection ? percent(r.scores[i], static_cast<double>(r.ballots_valid)) : std::string()});
    svg = bar_chart_svg(bars, sentence(r.method == core::Method::kApproval ? kChartApprovals
                                       : selection                         ? kChartVotes
                                                                           : kChartPoints,
                                       {title}));
  } else if (is_condorcet(r.method) && has_matrix(r)) {
    const std::vector<Series> series{
        {kColBeats, "#2e7d32"}, {kColTies, "#616161"}, {kColLoses, "#c62828"}};
    std::vector<Stack> stacks;
    for (int i : order) {
      const Record rec = record_of(r, static_cast<size_t>(i));
      stacks.push_back(Stack{name_of(r, i),
                             {static_cast<double>(rec.beats), static_cast<double>(rec.ties),
                              static_cast<double>(rec.loses)},
                             won.count(i) > 0,
                             r.candidates[i]});
    }
    svg = stacked_chart_svg(series, stacks, sentence(kChartPairs, {title}));
  } else if (is_runoff(r.method) && !r.rounds.empty()) {
    std::vector<Series> series;
    for (size_t k = 0; k < order.size(); ++k)
      series.push_back({name_of(r, order[k]), series_colour(k)});
    series.push_back({kExhausted, "#757575"});
    std::vector<Stack> stacks;
    for (size_t k = 0; k < r.rounds.size(); ++k) {
      const tally::Round& rd = r.rounds[k];
      Stack s{sentence(kRoundLabel, {std::to_string(k + 1)}), {}, false, std::to_string(k + 1)};
      for (int i : order)
        s.values.push_back(i < static_cast<int>(rd.votes.size()) ? rd.votes[i] : 0);
      s.values.push_back(rd.exhausted);
      stacks.push_back(std::move(s));
    }
    svg = stacked_chart_svg(
        series, stacks, sentence(kChartRounds, {title}), r.quota,
        sentence(r.method == core::Method::kIrv ? kMajority : kQuota, {format_number(r.quota)}));
  }
  if (!svg.empty()) q.AddSectionDictionary("CHART")->SetValue("SVG", svg);  // escaped there
}

// A square table over the candidates in result order (the pairwise
// matrix d, the strongest paths p); the row wins the pair when its number
// is the larger.
void fill_square(ctemplate::TemplateDictionary& q, const char* section,
                 const tally::QuestionResult& r, const std::vector<std::vector<std::int64_t>>& m,
                 const char* title_pattern, const std::vector<int>& order) {
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
      cell->SetValue("VALUE", std::to_string(m[i][j]));
      cell->SetValue("CELL_TITLE",
                     sentence(title_pattern, {name_of(r, i), name_of(r, j), std::to_string(m[i][j]),
                                              std::to_string(m[j][i])}));
    }
  }
}

void fill_locked(ctemplate::TemplateDictionary& q, const tally::QuestionResult& r) {
  if (r.locked.empty() || !has_matrix(r)) return;
  auto* l = q.AddSectionDictionary("LOCKED");
  const int n = static_cast<int>(r.candidates.size());
  for (const auto& [i, j] : r.locked) {
    if (i < 0 || j < 0 || i >= n || j >= n) continue;
    l->AddSectionDictionary("PAIR")->SetValue(
        "TEXT", sentence(kLocked, {name_of(r, i), name_of(r, j), std::to_string(r.d[i][j]),
                                   std::to_string(r.d[j][i])}));
  }
}

// A round's note from the count ("as many candidates left as seats: all
// elected; ") as a sentence after the page's own.
std::string as_sentence(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == ';' || s.back() == ',')) s.pop_back();
  if (s.empty()) return s;
  if (s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  if (s.back() != '.') s += '.';
  return s;
}

void fill_rounds(ctemplate::TemplateDictionary& q, const tally::QuestionResult& r,
                 const std::vector<int>& order) {
  if (r.rounds.empty()) return;
  auto* t = q.AddSectionDictionary("ROUNDS");
  if (r.quota > 0)
    t->AddSectionDictionary(r.method == core::Method::kIrv ? "MAJORITY" : "QUOTA")
        ->SetValue("VALUE", format_number(r.quota));
  for (int j : order) t->AddSectionDictionary("COL")->SetValue("NAME", name_of(r, j));
  for (size_t k = 0; k < r.rounds.size(); ++k) {
    const tally::Round& rd = r.rounds[k];
    const tally::Round* before = k > 0 ? &r.rounds[k - 1] : nullptr;
    auto* row = t->AddSectionDictionary("ROUND");
    row->SetIntValue("N", static_cast<long>(k + 1));
    for (int j : order) {
      auto* cell = row->AddSectionDictionary("CELL");
      const size_t c = static_cast<size_t>(j);
      cell->SetValue("VALUE", c < rd.votes.size() ? format_number(rd.votes[c]) : "");
      // What the previous round's transfer changed (README: rounds with
      // transfers).
      if (before && c < before->transfers.size() && before->transfers[c] != 0)
        cell->AddSectionDictionary("TRANSFER")
            ->SetValue("DELTA", (before->transfers[c] > 0 ? "+" : "−") +
                                    format_number(std::fabs(before->transfers[c])));
      bool el = false, ex = false;
      for (int x : rd.elected) el = el || x == j;
      for (int x : rd.excluded) ex = ex || x == j;
      cell->SetValue("CELL_CLASS", el ? "elected" : ex ? "excluded" : "");
    }
    row->SetValue("EXHAUSTED", format_number(rd.exhausted));
    std::vector<std::string> what;
    if (!rd.elected.empty())
      what.push_back(sentence(rd.elected.size() == 1 ? kRoundElectedOne : kRoundElectedMany,
                              {names_of(r, rd.elected)}));
    if (rd.surplus_of >= 0)
      what.push_back(
          sentence(kRoundSurplus, {name_of(r, rd.surplus_of), format_number(rd.surplus)}));
    if (!rd.excluded.empty())
      what.push_back(sentence(rd.excluded.size() == 1 ? kRoundExcludedOne : kRoundExcludedMany,
                              {names_of(r, rd.excluded)}));
    if (const std::string note = as_sentence(rd.note); !note.empty()) what.push_back(note);
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
                  const core::Election& e, const tally::QuestionResult& r) {
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
    if (qtitle != r.title) item = sentence(kSourceQuestion, {item, qtitle});
    list += (list.empty() ? "" : ", ") + item;
  }
  if (!list.empty()) q.AddSectionDictionary("SOURCES")->SetValue("LIST", list);
}

void fill_question(ctemplate::TemplateDictionary& d, const core::Snapshot& snap,
                   const core::Election& e, const tally::QuestionResult& r, size_t questions) {
  auto* q = d.AddSectionDictionary("QUESTION");
  const std::string election_name = e.name.empty() ? e.id : e.name;
  std::string title = r.title.empty() ? election_name : r.title;
  // One heading per question, never the page's own again.
  if (questions == 1 && title == election_name) title = kOneQuestionHeading;
  q->SetValue("QID", r.question_id);
  q->SetValue("TITLE", title);
  q->SetValue("METHOD", method_text(r));
  q->SetValue("METHOD_ID", core::method_name(r.method));
  const bool yes_no = is_yes_no(r);
  if (!yes_no)
    q->AddSectionDictionary("SEATS_LINE")
        ->SetValue("SEATS", r.seats == 1 ? std::string(kSeatOne)
                                         : sentence(kSeatsMany, {std::to_string(r.seats)}));
  q->SetValue("WINNERS_LABEL", yes_no                           ? kOutcome
                               : r.method == core::Method::kStv ? kElected
                               : r.seats == 1                   ? kWinner
                                                                : kWinners);
  q->SetValue("WINNERS", !r.winners.empty()  ? names_of(r, r.winners)
                         : r.tie_at_boundary ? std::string(yes_no ? kNotDecidedTie : kNoWinnerTie)
                                             : std::string(kNoWinner));
  if (r.tie_at_boundary) {
    // A tie is shown as one: who, for how many seats, and who decides.
    auto* tie = q->AddSectionDictionary("TIE");
    if (yes_no) {
      tie->ShowSection("TIE_YES_NO");
    } else {
      auto* s = tie->AddSectionDictionary("TIE_SEATS");
      s->SetValue("TIED", names_of(r, r.tied));
      const int seats = tally::tied_seats(r);
      s->SetValue("TIE_FOR", seats == 1 ? std::string(kTieLastSeat)
                                        : sentence(kTieLastSeats, {std::to_string(seats)}));
    }
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
  const std::vector<int> order = display_order(r);
  fill_ranking(*q, r, order);
  fill_chart(*q, r, order);
  fill_square(*q, "MATRIX", r, r.d, kPairTitle, order);
  if (r.method == core::Method::kSchulze) fill_square(*q, "PATHS", r, r.p, kPathTitle, order);
  fill_locked(*q, r);
  fill_rounds(*q, r, order);
  fill_sources(*q, snap, e, r);
  for (const auto& [i, why] : r.dropped)
    q->AddSectionDictionary("NOTE")->SetValue("TEXT", sentence(kDropped, {name_of(r, i), why}));
  // The tally's own note of a tie at the boundary repeats the banner.
  const std::string tie_note = std::to_string(r.tied.size()) + " candidates tied for ";
  for (const auto& n : r.notes) {
    if (n.rfind(kLegacySourcesNote, 0) == 0) continue;
    if (r.tie_at_boundary && n.rfind(tie_note, 0) == 0) continue;
    q->AddSectionDictionary("NOTE")->SetValue("TEXT", n);
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
  d.SetValue("TURNOUT",
             percent(static_cast<double>(stored->ballot_count), static_cast<double>(eligible)));
  d.SetValue("TALLIED_AT", core::format_utc(stored->tallied_at));
  d.SetValue("TALLIED_AT_ISO", core::format_iso(stored->tallied_at));
  d.SetValue("COMMIT", stored->snapshot_commit.substr(0, 12));
  if (stored->links_erased) d.ShowSection("LINKS_ERASED");

  for (const auto& q : body.questions) fill_question(d, snap, e, q, body.questions.size());
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
    d.AddSectionDictionary("PUBLISHED")->SetValue("RESULTS_HTML", demote_headings(*e.results_html));
  d.SetValue("ELECTION_URL", ctx.url(election_path(e.id)));
  page.finish();
}

}  // namespace urna::web
