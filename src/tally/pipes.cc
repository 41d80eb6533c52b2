#include "tally/pipes.h"

#include <algorithm>
#include <map>
#include <set>

namespace urna::tally {
namespace {

// A parent question under construction.
struct Working {
  QuestionBox box;
  // (child folder, "" for the parent; question id) of its ballot boxes.
  std::set<std::pair<std::string, std::string>> sources;
};

struct State {
  const ElectionBoxes& parent;
  const std::vector<ElectionBoxes>& children;
  std::vector<Working> questions;
  std::vector<QuestionResult> results;
  bool tallied = false;
};

const ElectionBoxes& election(const State& s, const std::string& ref, size_t step) {
  if (ref.empty() || ref == "0") return s.parent;
  if (std::all_of(ref.begin(), ref.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    // More digits than any list of children: no such child (std::stoul
    // would throw out_of_range, an error naming neither pipe nor step).
    if (ref.size() > 9) throw PipeError(step, "no child election number " + ref);
    size_t i = std::stoul(ref);
    if (i >= 1 && i <= s.children.size()) return s.children[i - 1];
    throw PipeError(step, "no child election number " + ref);
  }
  for (const auto& c : s.children)
    if (c.folder == ref) return c;
  throw PipeError(step, "no child election \"" + ref + "\"");
}

std::string key(const ElectionBoxes& e, const std::string& question) {
  return (e.folder.empty() ? std::string("(parent)") : e.folder) + "/" + question;
}

const QuestionBox& source_question(const State& s, const core::Pipe& p, size_t step,
                                   const ElectionBoxes** from) {
  const ElectionBoxes& e = election(s, p.source_election, step);
  *from = &e;
  for (const auto& q : e.questions)
    if (q.question.id == p.source_question) return q;
  throw PipeError(step, "election \"" + e.folder + "\" has no question \"" +
                            p.source_question + "\"");
}

Working& parent_question(State& s, const std::string& id, size_t step) {
  for (auto& w : s.questions)
    if (w.box.question.id == id) return w;
  throw PipeError(step, "the parent has no question \"" + id + "\"");
}

std::vector<std::string> answer_ids(const core::Question& q) {
  std::vector<std::string> ids;
  for (const auto& a : q.answers) ids.push_back(a.id);
  return ids;
}

int whole(const std::string& v, size_t step) {
  if (v.empty() || v.size() > 6 ||
      !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw PipeError(step, "\"" + v + "\" is not a whole number");
  return std::stoi(v);
}

void add_ballots(Working& w, const ElectionBoxes& from, const QuestionBox& src,
                 size_t step) {
  if (!w.sources.emplace(from.folder, src.question.id).second)
    throw PipeError(step, "the ballots of " + key(from, src.question.id) +
                              " are already in parent question \"" + w.box.question.id +
                              "\"; they would be counted twice");
  w.box.ballots.insert(w.box.ballots.end(), src.ballots.begin(), src.ballots.end());
}

void withdraw(Working& w, const std::vector<std::string>& ids, size_t step) {
  auto& answers = w.box.question.answers;
  for (const auto& id : ids) {
    auto it = std::find_if(answers.begin(), answers.end(),
                           [&id](const core::Answer& a) { return a.id == id; });
    if (it == answers.end())
      throw PipeError(step, "question \"" + w.box.question.id + "\" has no answer \"" + id + "\"");
    answers.erase(it);
  }
  const std::set<std::string> gone(ids.begin(), ids.end());
  for (auto& b : w.box.ballots) {
    std::vector<std::pair<std::string, int>> kept;
    for (const auto& m : b.marks)
      if (!gone.count(m.first)) kept.push_back(m);
    // Renumber the remaining positive ranks densely, keeping order and ties,
    // so the ballot stays valid over the smaller answer list.
    std::set<int> ranks;
    for (const auto& m : kept)
      if (m.second > 0) ranks.insert(m.second);
    std::map<int, int> dense;
    int n = 0;
    for (int r : ranks) dense[r] = ++n;
    for (auto& m : kept)
      if (m.second > 0) m.second = dense[m.second];
    b.marks = std::move(kept);
  }
}

void tally_all(State& s, const CountOptions& opt) {
  s.results.clear();
  for (const auto& w : s.questions) {
    CountOptions o = opt;
    o.seats = 0;  // the question's winners (set-winners may have changed them)
    QuestionResult r = count_question(w.box.question, w.box.ballots, o);
    r.sources.assign(w.sources.begin(), w.sources.end());
    s.results.push_back(std::move(r));
  }
  s.tallied = true;
}

}  // namespace

std::vector<core::Pipe> default_pipes(const std::vector<ElectionBoxes>& children) {
  // Every question id of the children once, in natural order, with the
  // ballots of every child that has it: the questions src/meta lists on a
  // parent without pipes (same id = same answers, checked there). Joining
  // by shared title instead dropped the questions of one child only and
  // let the results disagree with the parent's page.
  std::vector<std::string> ids;
  std::map<std::string, std::vector<std::string>> where;  // id -> child folders
  for (const auto& c : children)
    for (const auto& q : c.questions) {
      if (!where.count(q.question.id)) ids.push_back(q.question.id);
      where[q.question.id].push_back(c.folder);
    }
  std::vector<core::Pipe> pipes;
  for (const auto& id : ids) {
    const auto& list = where[id];
    core::Pipe dup;
    dup.type = "duplicate_questions";
    dup.source_election = list[0];
    dup.source_question = id;
    dup.question = id;
    pipes.push_back(dup);
    for (size_t k = 1; k < list.size(); ++k) {
      core::Pipe join;
      join.type = "multipart_tally_plaintexts_append_joiner";
      join.source_election = list[k];
      join.source_question = id;
      join.question = id;
      pipes.push_back(join);
    }
  }
  core::Pipe tally;
  tally.type = "do_tallies";
  pipes.push_back(tally);
  core::Pipe sort;
  sort.type = "sort_non_iterative";
  pipes.push_back(sort);
  return pipes;
}

std::vector<QuestionResult> run_pipes(const std::vector<core::Pipe>& pipes_in,
                                      const ElectionBoxes& parent,
                                      const std::vector<ElectionBoxes>& children,
                                      const CountOptions& opt) {
  State s{parent, children, {}, {}, false};
  for (const auto& q : parent.questions) {
    Working w;
    w.box = q;
    w.sources.emplace(parent.folder, q.question.id);
    s.questions.push_back(std::move(w));
  }
  const std::vector<core::Pipe> pipes =
      pipes_in.empty() ? default_pipes(children) : pipes_in;
  for (size_t step = 0; step < pipes.size(); ++step) {
    const core::Pipe& p = pipes[step];
    if (p.type == "duplicate_questions") {
      const ElectionBoxes* from = nullptr;
      const QuestionBox& src = source_question(s, p, step, &from);
      const std::string id = p.question.empty() ? src.question.id : p.question;
      for (const auto& w : s.questions)
        if (w.box.question.id == id)
          throw PipeError(step, "the parent already has a question \"" + id + "\"");
      Working w;
      w.box.question = src.question;
      w.box.question.id = id;
      if (!p.value.empty()) w.box.question.title = p.value;
      if (!p.no_votes) add_ballots(w, *from, src, step);
      s.questions.push_back(std::move(w));
    } else if (p.type == "apply_modifications") {
      Working& w = parent_question(s, p.question, step);
      core::Question& q = w.box.question;
      if (p.action == "set-title") q.title = p.value;
      else if (p.action == "withdraw-candidates") withdraw(w, p.answers, step);
      else if (p.action == "set-min") q.min_selections = whole(p.value, step);
      else if (p.action == "set-max") q.max_selections = whole(p.value, step);
      else if (p.action == "set-winners") {
        q.winners = whole(p.value, step);
        if (q.winners < 1) throw PipeError(step, "set-winners needs at least 1");
      } else {
        throw PipeError(step, "unknown modification \"" + p.action + "\"");
      }
    } else if (p.type == "multipart_tally_plaintexts_append_joiner") {
      const ElectionBoxes* from = nullptr;
      const QuestionBox& src = source_question(s, p, step, &from);
      Working& w = parent_question(s, p.question, step);
      std::vector<std::string> a = answer_ids(src.question), b = answer_ids(w.box.question);
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      if (a != b)
        throw PipeError(step, "answers of " + key(*from, src.question.id) +
                                  " differ from those of parent question \"" +
                                  w.box.question.id + "\"");
      add_ballots(w, *from, src, step);
    } else if (p.type == "do_tallies") {
      tally_all(s, opt);
    } else if (p.type == "sort_non_iterative") {
      if (!s.tallied) throw PipeError(step, "sort_non_iterative before do_tallies");
      for (auto& r : s.results) {
        r.order.clear();
        for (const auto& tier : r.ranking) r.order.insert(r.order.end(), tier.begin(), tier.end());
      }
    } else {
      throw PipeError(step, "unknown pipe \"" + p.type + "\"");
    }
  }
  if (!s.tallied) tally_all(s, opt);
  return s.results;
}

}  // namespace urna::tally
