#include "web/result_notes.h"

#include <cmath>
#include <cstdlib>
#include <functional>
#include <regex>
#include <vector>

#include "i18n/format.h"
#include "i18n/text.h"

namespace urna::web {

namespace {

using i18n::Translator;

// One text urna-tally writes: its pattern (the whole text) and how to say
// it in the page's language from the pattern's groups.
struct Rule {
  std::regex re;
  std::function<std::string(const std::smatch&, const Translator&)> render;
};

std::regex re(const char* pattern) { return std::regex(pattern, std::regex::ECMAScript); }

long long count_of(const std::ssub_match& m) { return std::strtoll(m.str().c_str(), nullptr, 10); }
unsigned long plural_n(long long n) { return n < 0 ? 0UL : static_cast<unsigned long>(n); }
std::string integer(const std::ssub_match& m, const Translator& tr) {
  return i18n::format_integer(count_of(m), tr);
}

// A ratio as std::to_string wrote it ("1.500000") with the decimals it
// needs, in the page's format ("1.5", "1,5").
std::string ratio(const std::ssub_match& m, const Translator& tr) {
  const double v = std::strtod(m.str().c_str(), nullptr);
  int decimals = 0;
  while (decimals < 6 &&
         std::fabs(std::round(v * std::pow(10.0, decimals)) / std::pow(10.0, decimals) - v) > 1e-9)
    ++decimals;
  return i18n::format_number(v, decimals, tr);
}

// The first rule whose pattern matches all of `text`, rendered; else the
// text as stored.
std::string apply(const std::vector<Rule>& rules, const std::string& text, const Translator& tr) {
  std::smatch m;
  for (const auto& r : rules)
    if (std::regex_match(text, m, r.re)) return r.render(m, tr);
  return text;
}

const std::vector<Rule>& tie_break_rules() {
  static const std::vector<Rule> rules = {
      // src/tally/count.cc, break_tie()
      {re(R"re(ranked pairs among the tied, then the tie-breaking ranking of the candidates \(TBRC\), seed "(.*)")re"),
       [](const std::smatch& m, const Translator& tr) {
         return i18n::format(
             // TRANSLATORS: how a tie was broken, after "Broken by the
             // configured tie-break: ". TBRC: the tie-breaking ranking of
             // the candidates (Tideman); {seed} is the configured seed.
             tr.tr("ranked pairs among the tied, then the tie-breaking ranking of the "
                   "candidates (TBRC), seed \"{seed}\""),
             {{"seed", m[1]}});
       }},
      {re(R"re(the tie-breaking ranking of the candidates \(TBRC: ballots in the random order of sha256\(seed \+ "\\n" \+ ballot \+ "\\n" \+ k\)\), seed "(.*)")re"),
       [](const std::smatch& m, const Translator& tr) {
         return i18n::format(
             // TRANSLATORS: how a tie was broken; keep the formula as it is.
             tr.tr("the tie-breaking ranking of the candidates (TBRC: ballots in the random "
                   "order of sha256(seed + \"\\n\" + ballot + \"\\n\" + k)), seed \"{seed}\""),
             {{"seed", m[1]}});
       }},
      {re(R"re(sha256\(seed \+ "\\n" \+ id\) ascending, seed "(.*)")re"),
       [](const std::smatch& m, const Translator& tr) {
         return i18n::format(
             // TRANSLATORS: how a tie was broken (the candidates in the order
             // of a hash of the seed and their ids); keep the formula.
             tr.tr("sha256(seed + \"\\n\" + id) ascending, seed \"{seed}\""), {{"seed", m[1]}});
       }},
      // src/tally/runoff.cc, pick()
      {re(R"re(lot: sha256\(seed \+ "\\n" \+ id\) ascending, seed "(.*)")re"),
       [](const std::smatch& m, const Translator& tr) {
         return i18n::format(
             // TRANSLATORS: how a tie in an IRV/STV round was broken; keep the formula.
             tr.tr("lot: sha256(seed + \"\\n\" + id) ascending, seed \"{seed}\""),
             {{"seed", m[1]}});
       }},
  };
  return rules;
}

const std::vector<Rule>& note_rules() {
  static const std::vector<Rule> rules = {
      // src/tally/count.cc, winners_from_ranking()
      {re(R"re((\d+) candidates tied for the last seat; broken by (.*))re"),
       [](const std::smatch& m, const Translator& tr) {
         return i18n::format(tr.trn("{n} candidate tied for the last seat; broken by {tie_break}",
                                    "{n} candidates tied for the last seat; broken by {tie_break}",
                                    plural_n(count_of(m[1]))),
                             {{"n", integer(m[1], tr)}, {"tie_break", tie_break_text(m[2], tr)}});
       }},
      {re(R"re((\d+) candidates tied for the last (\d+) seats; broken by (.*))re"),
       [](const std::smatch& m, const Translator& tr) {
         return i18n::format(
             tr.trn("{n} candidate tied for the last {seats} seats; broken by {tie_break}",
                    "{n} candidates tied for the last {seats} seats; broken by {tie_break}",
                    plural_n(count_of(m[1]))),
             {{"n", integer(m[1], tr)},
              {"seats", integer(m[2], tr)},
              {"tie_break", tie_break_text(m[3], tr)}});
       }},
      {re(R"re((\d+) candidates tied for the last seat; no tie-break configured: the officers decide, seats left open)re"),
       [](const std::smatch& m, const Translator& tr) {
         return i18n::format(tr.trn("{n} candidate tied for the last seat; no tie-break "
                                    "configured: the officers decide, seats left open",
                                    "{n} candidates tied for the last seat; no tie-break "
                                    "configured: the officers decide, seats left open",
                                    plural_n(count_of(m[1]))),
                             {{"n", integer(m[1], tr)}});
       }},
      {re(R"re((\d+) candidates tied for the last (\d+) seats; no tie-break configured: the officers decide, seats left open)re"),
       [](const std::smatch& m, const Translator& tr) {
         return i18n::format(tr.trn("{n} candidate tied for the last {seats} seats; no tie-break "
                                    "configured: the officers decide, seats left open",
                                    "{n} candidates tied for the last {seats} seats; no "
                                    "tie-break configured: the officers decide, seats left open",
                                    plural_n(count_of(m[1]))),
                             {{"n", integer(m[1], tr)}, {"seats", integer(m[2], tr)}});
       }},
      // src/tally/count.cc, finish()
      {re(R"re((\d+) seats but only (\d+) candidates?: everyone ranked is elected)re"),
       [](const std::smatch& m, const Translator& tr) {
         return i18n::format(
             tr.trn("{seats} seats but only {n} candidate: everyone ranked is elected",
                    "{seats} seats but only {n} candidates: everyone ranked is elected",
                    plural_n(count_of(m[2]))),
             {{"seats", integer(m[1], tr)}, {"n", integer(m[2], tr)}});
       }},
      // src/tally/runoff.cc, no_ballots()
      {re("no valid ballots"),
       [](const std::smatch&, const Translator& tr) {
         // TRANSLATORS: a note under a question's result.
         return tr.tr("no valid ballots");
       }},
      // src/tally/condorcet.cc, count_ranked_pairs()
      {re(R"re(pairs of equal strength were locked in the order of the tie-breaking ranking of the candidates \(TBRC, seed "(.*)"\), and that order changed the ranking)re"),
       [](const std::smatch& m, const Translator& tr) {
         return i18n::format(tr.tr("pairs of equal strength were locked in the order of the "
                                   "tie-breaking ranking of the candidates (TBRC, seed "
                                   "\"{seed}\"), and that order changed the ranking"),
                             {{"seed", m[1]}});
       }},
      // src/count/scheduled.cc, read_rows() and count_election()
      {re(R"re(1 ballot of (.+) answers question "(.*)", which the election no longer has; that answer was not counted\.)re"),
       [](const std::smatch& m, const Translator& tr) {
         return i18n::format(
             tr.trn("{n} ballot of {election} answers question \"{question}\", which the "
                    "election no longer has; that answer was not counted.",
                    "{n} ballots of {election} answer question \"{question}\", which the "
                    "election no longer has; those answers were not counted.",
                    1),
             {{"n", i18n::format_integer(1, tr)}, {"election", m[1]}, {"question", m[2]}});
       }},
      {re(R"re((\d+) ballots of (.+) answer question "(.*)", which the election no longer has; those answers were not counted\.)re"),
       [](const std::smatch& m, const Translator& tr) {
         return i18n::format(
             tr.trn("{n} ballot of {election} answers question \"{question}\", which the "
                    "election no longer has; that answer was not counted.",
                    "{n} ballots of {election} answer question \"{question}\", which the "
                    "election no longer has; those answers were not counted.",
                    plural_n(count_of(m[1]))),
             {{"n", integer(m[1], tr)}, {"election", m[2]}, {"question", m[3]}});
       }},
      {re(R"re(1 sealed ballot of (.+) did not open with the election's key; it is counted as invalid in every question\.)re"),
       [](const std::smatch& m, const Translator& tr) {
         return i18n::format(
             tr.trn("{n} sealed ballot of {election} did not open with the election's key; it "
                    "is counted as invalid in every question.",
                    "{n} sealed ballots of {election} did not open with the election's key; "
                    "they are counted as invalid in every question.",
                    1),
             {{"n", i18n::format_integer(1, tr)}, {"election", m[1]}});
       }},
      {re(R"re((\d+) sealed ballots of (.+) did not open with the election's key; they are counted as invalid in every question\.)re"),
       [](const std::smatch& m, const Translator& tr) {
         return i18n::format(
             tr.trn("{n} sealed ballot of {election} did not open with the election's key; it "
                    "is counted as invalid in every question.",
                    "{n} sealed ballots of {election} did not open with the election's key; "
                    "they are counted as invalid in every question.",
                    plural_n(count_of(m[1]))),
             {{"n", integer(m[1], tr)}, {"election", m[2]}});
       }},
      {re(R"re(Ballots stored for the parent election itself were not counted: a parent's result counts the ballots of its children\.)re"),
       [](const std::smatch&, const Translator& tr) {
         return tr.tr(
             "Ballots stored for the parent election itself were not counted: a parent's "
             "result counts the ballots of its children.");
       }},
  };
  return rules;
}

// The pieces of a round's note, each followed by "; " (src/tally/runoff.cc).
const std::vector<Rule>& round_rules() {
  static const std::vector<Rule> rules = {
      {re(R"re(tie decided by the totals of an earlier round; )re"),
       [](const std::smatch&, const Translator& tr) {
         // TRANSLATORS: in the "What happened" column of an IRV/STV round.
         return tr.tr("The tie was decided by the totals of an earlier round.");
       }},
      {re(R"re(tie decided by lot: sha256\(seed \+ "\\n" \+ id\) order, seed "(.*?)"; )re"),
       [](const std::smatch& m, const Translator& tr) {
         return i18n::format(
             // TRANSLATORS: in the "What happened" column of an IRV/STV
             // round; keep the formula as it is.
             tr.tr("The tie was decided by lot: sha256(seed + \"\\n\" + id) order, seed "
                   "\"{seed}\"."),
             {{"seed", m[1]}});
       }},
      {re(R"re(as many candidates left as seats: all elected; )re"),
       [](const std::smatch&, const Translator& tr) {
         return tr.tr("As many candidates were left as seats: all of them are elected.");
       }},
  };
  return rules;
}

const std::vector<Rule>& invalid_rules() {
  // The reasons without values, as the count writes them.
  static const char* const kFixed[] = {
      // src/tally/ballot.cc
      N_("two answers share a rank, which this question forbids"),
      // src/core/ranking_codec.cc (a ranking row that does not decode)
      N_("malformed ranking: empty item"),
      N_("malformed ranking: an answer without a rank"),
      N_("malformed ranking: a rank without an answer"),
      N_("malformed ranking: a character that must be percent-encoded"),
      N_("malformed ranking: bad percent escape"),
      N_("malformed ranking: empty answer id"),
      N_("malformed ranking: rank is not a positive whole number"),
      N_("malformed ranking: an answer ranked twice"),
      N_("malformed ranking: answers out of order"),
      // src/count/scheduled.cc
      N_("a sealed ballot that does not open with the election's key (tampered, truncated or "
         "sealed to another key)"),
  };
  static const std::vector<Rule> rules = [] {
    std::vector<Rule> out = {
        // src/tally/ballot.cc, check_ballot() and convert_ballot()
        {re(R"re(the ballot has (\d+) answers, the question (\d+))re"),
         [](const std::smatch& m, const Translator& tr) {
           return i18n::format(tr.tr("the ballot has {ballot} answers, the question {question}"),
                               {{"ballot", integer(m[1], tr)}, {"question", integer(m[2], tr)}});
         }},
        {re(R"re(rank (-?\d+) is out of range 1\.\.(\d+))re"),
         [](const std::smatch& m, const Translator& tr) {
           return i18n::format(tr.tr("rank {rank} is out of range 1..{max}"),
                               {{"rank", integer(m[1], tr)}, {"max", integer(m[2], tr)}});
         }},
        {re(R"re(too many selections: (\d+) \(at most (\d+)\))re"),
         [](const std::smatch& m, const Translator& tr) {
           return i18n::format(tr.tr("too many selections: {n} (at most {max})"),
                               {{"n", integer(m[1], tr)}, {"max", integer(m[2], tr)}});
         }},
        {re(R"re(too few selections: (\d+) \(at least (\d+)\))re"),
         [](const std::smatch& m, const Translator& tr) {
           return i18n::format(tr.tr("too few selections: {n} (at least {min})"),
                               {{"n", integer(m[1], tr)}, {"min", integer(m[2], tr)}});
         }},
        {re(R"re(unknown answer "(.*)")re"),
         [](const std::smatch& m, const Translator& tr) {
           return i18n::format(tr.tr("unknown answer \"{answer}\""), {{"answer", m[1]}});
         }},
        {re(R"re(answer "(.*)" appears more than once)re"),
         [](const std::smatch& m, const Translator& tr) {
           return i18n::format(tr.tr("answer \"{answer}\" appears more than once"),
                               {{"answer", m[1]}});
         }},
    };
    for (const char* text : kFixed) {
      const std::string msgid = text;
      // The text itself, as a pattern matching only itself.
      std::string escaped;
      for (char c : msgid) {
        if (std::string("\\^$.|?*+()[]{}").find(c) != std::string::npos) escaped += '\\';
        escaped += c;
      }
      out.push_back({re(escaped.c_str()),
                     [msgid](const std::smatch&, const Translator& tr) { return tr.tr(msgid); }});
    }
    return out;
  }();
  return rules;
}

const std::vector<Rule>& dropped_rules() {
  static const std::vector<Rule> rules = {
      // src/tally/condorcet.cc, debian_drops()
      {re(R"re(quorum: (\d+) ballots prefer it to (.*), fewer than the quorum)re"),
       [](const std::smatch& m, const Translator& tr) {
         return i18n::format(
             // TRANSLATORS: why a candidate was left out of a count with a
             // quorum against the default option {option} (its id).
             tr.trn("quorum: {n} ballot prefers it to {option}, fewer than the quorum",
                    "quorum: {n} ballots prefer it to {option}, fewer than the quorum",
                    plural_n(count_of(m[1]))),
             {{"n", integer(m[1], tr)}, {"option", m[2]}});
       }},
      {re(R"re(majority: (\d+):(\d+) against (.*) does not exceed ([0-9.]+):1)re"),
       [](const std::smatch& m, const Translator& tr) {
         return i18n::format(
             // TRANSLATORS: why a candidate was left out of a count with a
             // supermajority: {for} ballots prefer it to the default option
             // {option}, {against} the reverse; {ratio} is the required ratio.
             tr.tr("majority: {for}:{against} against {option} does not exceed {ratio}:1"),
             {{"for", integer(m[1], tr)},
              {"against", integer(m[2], tr)},
              {"option", m[3]},
              {"ratio", ratio(m[4], tr)}});
       }},
  };
  return rules;
}

// s as the round notes of earlier pages showed an unknown piece: trailing
// "; " cut, a capital letter, a full stop.
std::string as_sentence(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == ';' || s.back() == ',')) s.pop_back();
  if (s.empty()) return s;
  if (s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  if (s.back() != '.') s += '.';
  return s;
}

}  // namespace

std::string count_note(const std::string& stored, const i18n::Translator& tr) {
  return apply(note_rules(), stored, tr);
}

std::string tie_break_text(const std::string& stored, const i18n::Translator& tr) {
  return apply(tie_break_rules(), stored, tr);
}

std::string invalid_reason(const std::string& stored, const i18n::Translator& tr) {
  return apply(invalid_rules(), stored, tr);
}

std::string dropped_reason(const std::string& stored, const i18n::Translator& tr) {
  return apply(dropped_rules(), stored, tr);
}

std::string round_note(const std::string& stored, const i18n::Translator& tr) {
  std::string out;
  auto add = [&out](const std::string& sentence) {
    if (sentence.empty()) return;
    out += (out.empty() ? "" : " ") + sentence;
  };
  auto pos = stored.cbegin();
  while (pos != stored.cend()) {
    bool found = false;
    std::smatch m;
    for (const auto& r : round_rules()) {
      if (std::regex_search(pos, stored.cend(), m, r.re, std::regex_constants::match_continuous)) {
        add(r.render(m, tr));
        pos = m[0].second;
        found = true;
        break;
      }
    }
    if (!found) {  // not ours: the rest as it is, as one sentence
      add(as_sentence(std::string(pos, stored.cend())));
      break;
    }
  }
  return out;
}

}  // namespace urna::web
