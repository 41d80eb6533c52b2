#include "count/export.h"

#include <algorithm>
#include <optional>

#include "tally/ranking_codec.h"

namespace urna::count {
namespace {

std::optional<std::map<std::string, int>> marks_of(const std::string& ranking,
                                                   const core::Question& q) {
  auto raw = tally::decode_ranking(ranking);
  if (!raw) return std::nullopt;
  std::map<std::string, int> out;
  for (const auto& [id, rank] : raw->marks) {
    bool known = false;
    for (const auto& a : q.answers) known = known || a.id == id;
    if (!known) return std::nullopt;
    out[id] = rank;
  }
  return out;
}

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string blt_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += (c == '"' || c == '\n' || c == '\r') ? '\'' : c;
  return out + "\"";
}

// One question's Elekto CSV (header of answer ids; a rank or "No opinion"
// per cell).
void csv_block(const core::Question& q, const std::vector<ExportRow>& rows, bool receipts,
               std::string* out) {
  for (size_t i = 0; i < q.answers.size(); ++i) *out += (i ? "," : "") + csv_cell(q.answers[i].id);
  if (receipts) *out += ",receipt";
  *out += "\n";
  for (const auto& r : rows) {
    auto marks = marks_of(r.ranking, q);
    for (size_t i = 0; i < q.answers.size(); ++i) {
      if (i) *out += ',';
      if (!marks) {
        *out += '0';  // unreadable: every reader counts rank 0 as invalid
        continue;
      }
      auto it = marks->find(q.answers[i].id);
      *out += it == marks->end() ? std::string("No opinion") : std::to_string(it->second);
    }
    if (receipts) *out += "," + r.receipt;
    *out += "\n";
  }
}

void blt_block(const core::Question& q, const std::string& title,
               const std::vector<ExportRow>& rows, std::string* out) {
  *out += std::to_string(q.answers.size()) + " " + std::to_string(q.winners) + "\n";
  for (const auto& r : rows) {
    auto marks = marks_of(r.ranking, q);
    if (!marks) continue;  // BLT cannot say "unreadable"; the CSV keeps it
    std::map<int, std::vector<size_t>> by_rank;
    for (size_t i = 0; i < q.answers.size(); ++i) {
      auto it = marks->find(q.answers[i].id);
      if (it != marks->end()) by_rank[it->second].push_back(i + 1);
    }
    *out += "1";
    for (const auto& [rank, group] : by_rank) {
      *out += ' ';
      for (size_t k = 0; k < group.size(); ++k) *out += (k ? "=" : "") + std::to_string(group[k]);
    }
    *out += " 0\n";
  }
  *out += "0\n";
  for (const auto& a : q.answers) *out += blt_quote(a.text.empty() ? a.id : a.text) + "\n";
  *out += blt_quote(title) + "\n";
}

std::string question_title(const core::Election& e, const core::Question& q) {
  return q.title.empty() ? (e.name.empty() ? e.id : e.name) : q.title;
}

}  // namespace

BallotExport build_export(const core::Election& e, QuestionRows rows, std::mt19937_64& rng) {
  BallotExport out;
  const bool several = e.questions.size() > 1;
  bool several_ranked = false;
  int ranked = 0;
  for (const auto& q : e.questions) ranked += core::method_is_ranked(q.method) ? 1 : 0;
  several_ranked = ranked > 1;
  for (const auto& q : e.questions) {
    std::vector<ExportRow>& r = rows[q.id];
    std::shuffle(r.begin(), r.end(), rng);
    if (several) out.csv += "# question: " + q.id + "\n";
    csv_block(q, r, e.receipts, &out.csv);
    if (core::method_is_ranked(q.method)) {
      if (several_ranked) out.blt += "# question: " + q.id + "\n";
      blt_block(q, question_title(e, q), r, &out.blt);
    }
  }
  return out;
}

}  // namespace urna::count
