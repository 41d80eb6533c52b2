#include "tally/report.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace urna::tally {
namespace {

std::string num(double v) {
  char buf[64];
  if (std::floor(v) == v && std::fabs(v) < 1e15)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.5f", v);
  return buf;
}

std::string name(const QuestionResult& r, int i) {
  const std::string& n = i < static_cast<int>(r.names.size()) ? r.names[i] : r.candidates[i];
  return n == r.candidates[i] ? n : n + " (" + r.candidates[i] + ")";
}

std::string list(const QuestionResult& r, const std::vector<int>& v) {
  std::string s;
  for (size_t k = 0; k < v.size(); ++k) s += (k ? ", " : "") + name(r, v[k]);
  return s.empty() ? "(none)" : s;
}

std::string ranking_line(const QuestionResult& r) {
  std::string s;
  for (size_t t = 0; t < r.ranking.size(); ++t) {
    if (t) s += " > ";
    for (size_t k = 0; k < r.ranking[t].size(); ++k)
      s += (k ? " = " : "") + r.candidates[r.ranking[t][k]];
  }
  return s;
}

// A matrix as a Markdown table (also fine as plain text).
std::string matrix_table(const QuestionResult& r,
                         const std::vector<std::vector<std::int64_t>>& m) {
  std::ostringstream o;
  o << "| |";
  for (const auto& c : r.candidates) o << " " << c << " |";
  o << "\n|---|";
  for (size_t j = 0; j < r.candidates.size(); ++j) o << "---:|";
  o << "\n";
  for (size_t i = 0; i < m.size(); ++i) {
    o << "| " << r.candidates[i] << " |";
    for (size_t j = 0; j < m[i].size(); ++j)
      o << " " << (i == j ? std::string("-") : std::to_string(m[i][j])) << " |";
    o << "\n";
  }
  return o.str();
}

std::string rounds_table(const QuestionResult& r) {
  std::ostringstream o;
  o << "| candidate |";
  for (size_t k = 0; k < r.rounds.size(); ++k) o << " round " << k + 1 << " |";
  o << "\n|---|";
  for (size_t k = 0; k < r.rounds.size(); ++k) o << "---:|";
  o << "\n";
  for (size_t c = 0; c < r.candidates.size(); ++c) {
    o << "| " << name(r, static_cast<int>(c)) << " |";
    for (const Round& rd : r.rounds) o << " " << num(rd.votes[c]) << " |";
    o << "\n";
  }
  o << "| non-transferable |";
  for (const Round& rd : r.rounds) o << " " << num(rd.exhausted) << " |";
  o << "\n| lost to rounding |";
  for (const Round& rd : r.rounds) o << " " << num(rd.lost) << " |";
  o << "\n\n";
  for (size_t k = 0; k < r.rounds.size(); ++k) {
    const Round& rd = r.rounds[k];
    o << "- Round " << k + 1 << ":";
    if (!rd.elected.empty()) o << " elected " << list(r, rd.elected) << ";";
    if (rd.surplus_of >= 0)
      o << " surplus of " << name(r, rd.surplus_of) << " (" << num(rd.surplus)
        << ") transferred;";
    if (!rd.excluded.empty()) o << " excluded " << list(r, rd.excluded) << ";";
    if (!rd.note.empty()) o << " " << rd.note;
    o << "\n";
  }
  return o.str();
}

}  // namespace

std::string tie_sentence(const QuestionResult& r) {
  const int seats = tied_seats(r);
  std::string s = list(r, r.tied) + " are tied for " +
                  (seats == 1 ? std::string("the last seat")
                              : "the last " + std::to_string(seats) + " seats");
  if (r.tie_break.empty())
    return s + ". No tie-break is configured: the officers decide (the seat" +
           (seats == 1 ? " is" : "s are") + " left open here).";
  return s + ". Broken by the configured tie-break: " + r.tie_break + ".";
}

namespace {

std::string tbrc_line(const QuestionResult& r) {
  std::string s;
  for (size_t k = 0; k < r.tbrc.size(); ++k)
    s += (k ? " > " : "") + r.candidates.at(r.tbrc[k]);
  return s;
}

void accounting(std::ostringstream& o, const QuestionResult& r) {
  o << "Ballots: " << r.ballots_cast << " cast, " << r.ballots_valid << " valid, "
    << r.ballots_blank << " blank, " << r.ballots_invalid << " invalid\n";
  for (const auto& [why, n] : r.invalid_reasons)
    o << "  invalid (" << n << "): " << why << "\n";
}

}  // namespace

std::string text_report(const QuestionResult& r) {
  std::ostringstream o;
  if (!r.title.empty() || !r.question_id.empty())
    o << (r.title.empty() ? r.question_id : r.title) << "\n";
  o << "Method: " << core::method_name(r.method);
  if (!r.variant.empty()) o << " (" << r.variant << ")";
  o << ", seats: " << r.seats << "\n";
  accounting(o, r);
  o << "Winners: " << list(r, r.winners) << "\n";
  o << "Ranking: " << ranking_line(r) << "\n";
  if (r.tie_at_boundary) o << "TIE: " << tie_sentence(r) << "\n";
  if (!r.tie_break.empty()) o << "Tie-break: " << r.tie_break << "\n";
  if (!r.tbrc.empty()) o << "TBRC: " << tbrc_line(r) << "\n";
  for (const auto& [c, why] : r.dropped) o << "Dropped " << name(r, c) << ": " << why << "\n";
  if (r.quota > 0 && !r.rounds.empty()) o << "Quota: " << num(r.quota) << "\n";
  if (!r.d.empty()) o << "\nPairwise preferences d[row][column]:\n" << matrix_table(r, r.d);
  if (!r.p.empty()) o << "\nStrongest paths p[row][column]:\n" << matrix_table(r, r.p);
  if (!r.locked.empty()) {
    o << "\nLocked pairs, in order:";
    for (const auto& [i, j] : r.locked)
      o << " " << r.candidates[i] << ">" << r.candidates[j];
    o << "\n";
  }
  if (!r.rounds.empty()) o << "\nRounds:\n" << rounds_table(r);
  else if (!r.scores.empty()) {
    o << "\nScores:\n";
    for (size_t c = 0; c < r.scores.size(); ++c)
      o << "  " << name(r, static_cast<int>(c)) << ": " << num(r.scores[c]) << "\n";
  }
  for (const auto& n : r.notes) o << "Note: " << n << "\n";
  return o.str();
}

std::string results_markdown(const std::string& election_name,
                             const std::vector<QuestionResult>& results) {
  std::ostringstream o;
  o << "# Results" << (election_name.empty() ? "" : ": " + election_name) << "\n\n"
    << "<!-- Draft written by urna-tally; review before committing. -->\n\n";
  for (const QuestionResult& r : results) {
    if (results.size() > 1 || !r.title.empty())
      o << "## " << (r.title.empty() ? r.question_id : r.title) << "\n\n";
    o << "Method: " << core::method_name(r.method)
      << (r.variant.empty() ? "" : " (" + r.variant + ")") << ", " << r.seats
      << (r.seats == 1 ? " seat" : " seats") << ".\n\n";
    o << "**Elected:** " << list(r, r.winners) << "\n\n";
    if (r.tie_at_boundary) o << "**Tie:** " << tie_sentence(r) << "\n\n";
    o << "Ranking:\n\n";
    for (size_t t = 0; t < r.ranking.size(); ++t) {
      o << t + 1 << ". ";
      for (size_t k = 0; k < r.ranking[t].size(); ++k)
        o << (k ? " = " : "") << name(r, r.ranking[t][k]);
      o << "\n";
    }
    o << "\n" << r.ballots_cast << " ballots cast: " << r.ballots_valid << " valid, "
      << r.ballots_blank << " blank, " << r.ballots_invalid << " invalid.\n\n";
    if (!r.d.empty()) o << "Pairwise preferences (row over column):\n\n" << matrix_table(r, r.d) << "\n";
    if (!r.rounds.empty()) o << "Rounds:\n\n" << rounds_table(r) << "\n";
    else if (!r.scores.empty()) {
      o << "| candidate | score |\n|---|---:|\n";
      for (size_t c = 0; c < r.scores.size(); ++c)
        o << "| " << name(r, static_cast<int>(c)) << " | " << num(r.scores[c]) << " |\n";
      o << "\n";
    }
  }
  return o.str();
}

}  // namespace urna::tally
