// Unit tests for the booth's form (src/web/ballot_form.h), table-driven:
// forms that must be accepted with the parts they store, then every form
// the server must refuse, with a word of the message it shows. Then the
// ranking encoding, round trips and strings decode_marks must refuse.
#define BOOST_TEST_MODULE ballot_form
#include "web/ballot_form.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <utility>
#include <vector>

using namespace urna;
using namespace urna::web;

namespace {

core::Question ranked(const std::string& id, std::vector<std::string> answers,
                      core::Method m = core::Method::kSchulze) {
  core::Question q;
  q.id = id;
  q.title = "Question " + id;
  q.method = m;
  for (const auto& a : answers) q.answers.push_back({a, "Name of " + a});
  return q;
}

core::Question selection(const std::string& id, core::Method m, std::vector<std::string> answers,
                         int min = 0, int max = 0) {
  core::Question q = ranked(id, std::move(answers), m);
  q.min_selections = min;
  q.max_selections = max;
  return q;
}

// One ranked question "main" over three candidates (an Elekto election).
core::Election single(bool allow_no_opinion = true) {
  core::Election e;
  e.id = "steering/2026";
  e.allow_no_opinion = allow_no_opinion;
  e.questions = {ranked("main", {"alice", "bob", "carol"})};
  return e;
}

// Several races: ranked, yes/no (plurality) and approval (1..2 of 4).
core::Election multi() {
  core::Election e;
  e.id = "board/2026";
  e.questions = {ranked("seats", {"ann", "ben"}, core::Method::kIrv),
                 selection("budget", core::Method::kPlurality, {"yes", "no"}),
                 selection("tools", core::Method::kApproval, {"git", "hg", "svn", "fossil"}, 1, 2)};
  return e;
}

// `n` Yes/No questions q1..qn (plurality), as a referendum has them.
core::Election yes_no(int n) {
  core::Election e;
  e.id = "referendum/2026";
  for (int i = 1; i <= n; ++i)
    e.questions.push_back(selection("q" + std::to_string(i), core::Method::kPlurality, {"yes", "no"}));
  return e;
}

// One approval question "tools" (min..max of 4).
core::Election approval_between(int min, int max) {
  core::Election e;
  e.id = "tools/2026";
  e.questions = {
      selection("tools", core::Method::kApproval, {"git", "hg", "svn", "fossil"}, min, max)};
  return e;
}

using Parts = std::vector<std::pair<std::string, std::string>>;

struct Good {
  const char* what;
  core::Election election;
  Params form;
  Parts parts;
};

struct Bad {
  const char* what;
  core::Election election;
  Params form;
  const char* message_part;  // a piece of some error message
};

std::string messages(const BallotForm& f) {
  std::string out;
  for (const auto& e : f.errors) out += "[" + e.question_id + "] " + e.message + "\n";
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(good_forms) {
  const std::vector<Good> cases = {
      {"a full ranking",
       single(),
       {{"rank/main/alice", "2"}, {"rank/main/bob", "1"}, {"rank/main/carol", "3"}, {"csrf", "x"}},
       {{"main", "alice=2&bob=1&carol=3"}}},
      {"no opinion on some",
       single(),
       {{"rank/main/alice", ""}, {"rank/main/bob", "1"}, {"rank/main/carol", ""}},
       {{"main", "bob=1"}}},
      {"a missing field is no opinion",
       single(),
       {{"rank/main/carol", "1"}},
       {{"main", "carol=1"}}},
      {"equal ranks are allowed",
       single(),
       {{"rank/main/alice", "1"}, {"rank/main/bob", "1"}, {"rank/main/carol", "2"}},
       {{"main", "alice=1&bob=1&carol=2"}}},
      {"gaps between ranks are kept",
       single(),
       {{"rank/main/alice", "3"}, {"rank/main/bob", "1"}},
       {{"main", "alice=3&bob=1"}}},
      {"everyone ranked when no opinion is not allowed",
       single(false),
       {{"rank/main/alice", "3"}, {"rank/main/bob", "1"}, {"rank/main/carol", "2"}},
       {{"main", "alice=3&bob=1&carol=2"}}},
      {"other fields are ignored",
       single(),
       {{"rank/main/bob", "1"}, {"passcode", "x"}, {"ranked", "nothing"}, {"rankx/main/bob", "1"}},
       {{"main", "bob=1"}}},
      {"three questions answered",
       multi(),
       {{"rank/seats/ann", "1"},
        {"rank/seats/ben", "2"},
        {"pick/budget", "no"},
        {"pick/tools", "git"},
        {"pick/tools", "fossil"}},
       {{"seats", "ann=1&ben=2"}, {"budget", "no=1"}, {"tools", "fossil=1&git=1"}}},
      {"a question left blank is stored blank",
       multi(),
       {{"pick/budget", "yes"}},
       {{"seats", ""}, {"budget", "yes=1"}, {"tools", ""}}},
      {"an empty radio value is no choice",
       multi(),
       {{"pick/budget", ""}, {"rank/seats/ben", "1"}},
       {{"seats", "ben=1"}, {"budget", ""}, {"tools", ""}}},
      // Fixed-width values (every ballot the same length, docs/voting.md).
      {"zero-padded ranks, zeros for no opinion",
       single(),
       {{"rank/main/alice", "0"}, {"rank/main/bob", "01"}, {"rank/main/carol", "00"}},
       {{"main", "bob=1"}}},
      {"a padded pick and a padded blank",
       multi(),
       {{"pick/budget", "no*"}, {"rank/seats/ann", "1"}, {"rank/seats/ben", "0"},
        {"pad", "******"}},
       {{"seats", "ann=1"}, {"budget", "no=1"}, {"tools", ""}}},
      {"only '*' is a blank pick",
       multi(),
       {{"pick/budget", "***"}, {"rank/seats/ben", "2"}},
       {{"seats", "ben=2"}, {"budget", ""}, {"tools", ""}}},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      BallotForm f = parse_ballot_form(c.form, c.election);
      BOOST_TEST(f.ok(), messages(f));
      BOOST_TEST(!f.blank());
      BOOST_TEST((f.parts() == c.parts));
    }
  }
}

BOOST_AUTO_TEST_CASE(refused_forms) {
  const std::vector<Bad> cases = {
      {"an empty form ranks nobody (Elekto #95)", single(), {}, "ranks nobody"},
      {"every rank no opinion",
       single(),
       {{"rank/main/alice", ""}, {"rank/main/bob", ""}, {"rank/main/carol", ""}},
       "ranks nobody"},
      // Issue 10 §8: the empty-ballot message speaks of what the ballot asks.
      {"an empty multi-question ballot", multi(), {{"pick/budget", ""}},
       "Your ballot is empty, so it was not stored. Answer at least one question"},
      {"an empty Yes/No ballot", yes_no(1), {{"pick/q1", ""}},
       "You have not chosen an answer, so your ballot was not stored. Choose an answer"},
      {"an empty ballot of two Yes/No questions", yes_no(2), {},
       "Choose an answer to at least one question"},
      {"approval, fewer than min_selections", approval_between(2, 3), {{"pick/tools", "git"}},
       "Choose at least 2 answers"},
      {"approval, more than a max_selections of one",
       approval_between(0, 1), {{"pick/tools", "git"}, {"pick/tools", "hg"}},
       "Choose at most one answer"},
      {"an unknown candidate",
       single(),
       {{"rank/main/mallory", "1"}, {"rank/main/bob", "2"}},
       "not on it"},
      {"a candidate ranked twice",
       single(),
       {{"rank/main/alice", "1"}, {"rank/main/alice", "2"}, {"rank/main/bob", "3"}},
       "more than once"},
      // "0", "00" are no opinion and "01" is 1 (fixed width, below); more
      // zeros than any width are not.
      {"zeros are no opinion, refused where every candidate must be ranked",
       single(false),
       {{"rank/main/alice", "0"}, {"rank/main/bob", "1"}, {"rank/main/carol", "2"}},
       "rank every candidate"},
      {"seven zeros", single(), {{"rank/main/alice", "0000000"}, {"rank/main/bob", "1"}}, "from 1 to 3"},
      {"rank above the number of candidates",
       single(),
       {{"rank/main/alice", "4"}, {"rank/main/bob", "1"}},
       "from 1 to 3"},
      {"a negative rank",
       single(),
       {{"rank/main/alice", "-1"}, {"rank/main/bob", "1"}},
       "from 1 to 3"},
      {"a rank that is not a number",
       single(),
       {{"rank/main/alice", "first"}, {"rank/main/bob", "1"}},
       "from 1 to 3"},
      {"a rank with a plus sign",
       single(),
       {{"rank/main/alice", "+1"}, {"rank/main/bob", "2"}},
       "from 1 to 3"},
      {"a huge rank",
       single(),
       {{"rank/main/alice", "99999999999999999999"}, {"rank/main/bob", "1"}},
       "from 1 to 3"},
      {"seven leading zeros",
       single(),
       {{"rank/main/alice", "00000001"}, {"rank/main/bob", "2"}},
       "from 1 to 3"},
      {"not everyone ranked without no opinion",
       single(false),
       {{"rank/main/alice", "1"}, {"rank/main/bob", ""}, {"rank/main/carol", "2"}},
       "not ranked: Name of bob"},
      {"an unknown question (ranked field)",
       single(),
       {{"rank/main/alice", "1"}, {"rank/other/alice", "1"}},
       "question that is not on it"},
      {"an unknown question (pick field)",
       single(),
       {{"rank/main/alice", "1"}, {"pick/other", "alice"}},
       "question that is not on it"},
      {"a ranked question answered as a choice",
       single(),
       {{"rank/main/alice", "1"}, {"pick/main", "alice"}},
       "as a choice"},
      {"a choice question answered with ranks",
       multi(),
       {{"pick/budget", "yes"}, {"rank/budget/yes", "1"}},
       "ranks answers"},
      {"two picks in a plurality question",
       multi(),
       {{"pick/budget", "yes"}, {"pick/budget", "no"}},
       "only one"},
      {"an unknown answer in a plurality question",
       multi(),
       {{"pick/budget", "maybe"}},
       "not on it"},
      {"too many approvals",
       multi(),
       {{"pick/tools", "git"}, {"pick/tools", "hg"}, {"pick/tools", "svn"}},
       "at most 2"},
      {"the same approval twice",
       multi(),
       {{"pick/tools", "git"}, {"pick/tools", "git"}},
       "more than once"},
      {"an unknown approval",
       multi(),
       {{"pick/tools", "cvs"}, {"pick/budget", "yes"}},
       "not on it"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      BallotForm f = parse_ballot_form(c.form, c.election);
      BOOST_TEST(!f.ok());
      BOOST_TEST(messages(f).find(c.message_part) != std::string::npos, messages(f));
    }
  }
}

// Issue 10 §8: a ballot without a ranked question never says it "ranks".
BOOST_AUTO_TEST_CASE(selection_ballots_never_speak_of_ranking) {
  for (int n : {1, 2, 3}) {
    BOOST_TEST_CONTEXT(n << " Yes/No questions") {
      const std::string m = messages(parse_ballot_form({}, yes_no(n)));
      BOOST_TEST(m.find("rank") == std::string::npos, m);
      BOOST_TEST(m.find("not stored") != std::string::npos, m);
    }
  }
  const std::string m = messages(parse_ballot_form({}, approval_between(0, 2)));
  BOOST_TEST(m.find("rank") == std::string::npos, m);
}

BOOST_AUTO_TEST_CASE(fixed_width_values) {
  core::Question three = ranked("main", {"a", "b", "c"});
  core::Question twelve = ranked("big", {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"});
  BOOST_TEST(rank_width(three) == 1);
  BOOST_TEST(rank_width(twelve) == 2);
  BOOST_TEST(rank_value(0, 1) == "0");
  BOOST_TEST(rank_value(3, 1) == "3");
  BOOST_TEST(rank_value(0, 2) == "00");
  BOOST_TEST(rank_value(1, 2) == "01");
  BOOST_TEST(rank_value(12, 2) == "12");
  core::Question yes_no = selection("q", core::Method::kPlurality, {"yes", "no"});
  BOOST_TEST(pick_value(yes_no, "yes") == "yes");
  BOOST_TEST(pick_value(yes_no, "no") == "no*");
  BOOST_TEST(pick_value(yes_no, "") == "***");
  BOOST_TEST(form_encoded_length("ab-._*09") == 8u);
  BOOST_TEST(form_encoded_length("a/b") == 5u);
  BOOST_TEST(form_encoded_length("a b") == 3u);  // '+'
  BOOST_TEST(form_encoded_length("\xC3\xA9") == 6u);
  // Every value of a question has the same encoded length, and parses back.
  core::Election e;
  e.id = "x";
  e.questions = {twelve};
  for (int r = 0; r <= 12; ++r) {
    BOOST_TEST(rank_value(r, 2).size() == 2u);
    BallotForm f = parse_ballot_form({{"rank/big/a", rank_value(r, 2)}, {"rank/big/b", "1"}}, e);
    BOOST_TEST(f.ok(), messages(f));
    BOOST_TEST(f.marks("big").size() == (r == 0 ? 1u : 2u));
  }
  // What is not a fixed-width value is still refused.
  for (const char* v : {"0x", "013", "-1", "1*", "13", "0000013"}) {
    BallotForm f = parse_ballot_form({{"rank/big/a", v}}, e);
    BOOST_TEST_CONTEXT(v) { BOOST_TEST(!f.ok()); }
  }
  core::Election m = multi();
  for (const char* v : {"*no", "n*o", "no*x", "maybe*"}) {
    BallotForm f = parse_ballot_form({{"pick/budget", v}, {"rank/seats/ann", "1"}}, m);
    BOOST_TEST_CONTEXT(v) { BOOST_TEST(!f.ok()); }
  }
}

// Issue 10 (two languages): every message is an English msgid with the
// values in {placeholders}, never English joined with them, so that the
// booth can show it translated; `message` is that msgid filled in (plus
// the question's title on a ballot of several questions).
BOOST_AUTO_TEST_CASE(messages_are_msgids_with_placeholders) {
  struct Case {
    core::Election e;
    Params form;
  };
  core::Election all_ranked = single(false);
  core::Election at_least = multi();
  at_least.questions[2].min_selections = 2;
  const std::vector<Case> cases = {
      {single(), {{"rank/main/alice", "1"}, {"rank/main/alice", "2"}}},
      {single(), {{"rank/main/alice", "7"}}},
      {single(), {{"rank/main/zed", "1"}}},
      {all_ranked, {{"rank/main/alice", "1"}}},
      {multi(), {{"pick/tools", "git"}, {"pick/tools", "hg"}, {"pick/tools", "svn"}}},
      {multi(), {{"pick/tools", "git"}, {"pick/tools", "git"}}},
      {at_least, {{"pick/tools", "git"}}},
      {single(), {{"rank/other/alice", "1"}}},
      {single(), {}},
      {yes_no(1), {}},
  };
  for (const auto& c : cases) {
    const BallotForm f = parse_ballot_form(c.form, c.e);
    BOOST_TEST_CONTEXT(messages(f)) {
      BOOST_TEST(!f.errors.empty());
      for (const auto& err : f.errors) {
        BOOST_TEST(!err.msgid.empty());
        const std::string english =
            err.msgid_plural.empty() || err.n == 1 ? err.msgid : err.msgid_plural;
        std::string filled = i18n::format(english, err.args);
        if (!err.question.empty()) filled += " (" + err.question + ")";
        BOOST_TEST(err.message == filled);
        // No value in the msgid itself: names, titles and counts are args.
        for (const char* value : {"Name of", "Question ", "7", "2", "3"})
          BOOST_TEST(err.msgid.find(value) == std::string::npos, err.msgid);
        BOOST_TEST(err.question == (c.e.questions.size() > 1 && !err.question_id.empty()
                                        ? "Question " + err.question_id
                                        : ""));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(min_selections) {
  core::Election e = multi();
  e.questions[2].min_selections = 2;
  BallotForm f = parse_ballot_form({{"pick/tools", "git"}}, e);
  BOOST_TEST(messages(f).find("at least 2") != std::string::npos, messages(f));
  // Left blank: an abstention on that question, not an error.
  f = parse_ballot_form({{"pick/budget", "yes"}}, e);
  BOOST_TEST(f.ok(), messages(f));
}

BOOST_AUTO_TEST_CASE(input_kept_for_the_form_shown_again) {
  BallotForm f = parse_ballot_form(
      {{"rank/main/alice", "2"}, {"rank/main/bob", "9"}, {"rank/main/carol", "1"}}, single());
  BOOST_TEST(!f.ok());
  BOOST_TEST((f.marks("main") == Marks{{"alice", 2}, {"carol", 1}}));
  BOOST_TEST(f.marks("nope").empty());
}

BOOST_AUTO_TEST_CASE(field_names) {
  BOOST_TEST(rank_field("main", "alice") == "rank/main/alice");
  BOOST_TEST(pick_field("q1") == "pick/q1");
  // Answer ids may contain anything but the form keeps them whole.
  core::Election e = single();
  e.questions[0].answers.push_back({"d/e f&g=h", "Odd"});
  BallotForm f = parse_ballot_form({{rank_field("main", "d/e f&g=h"), "1"}}, e);
  BOOST_TEST(f.ok(), messages(f));
  BOOST_TEST(f.parts()[0].second == "d%2Fe%20f%26g%3Dh=1");
}

BOOST_AUTO_TEST_CASE(encoding) {
  BOOST_TEST(encode_marks({}) == "");
  BOOST_TEST(encode_marks({{"carol", 1}, {"alice", 2}}) == "alice=2&carol=1");
  BOOST_TEST(encode_marks({{"a", 1}, {"b", 0}}) == "a=1");  // unranked omitted
  BOOST_TEST(encode_marks({{"Zoë", 1}, {"b c", 2}}) == "Zo%C3%AB=1&b%20c=2");
  const std::vector<Marks> round = {
      {},
      {{"alice", 1}},
      {{"alice", 2}, {"bob", 1}, {"carol", 2}},
      {{"a&b", 1}, {"x=y", 3}, {"~._-", 12}},
      {{"Zoë", 1}, {"李", 2}},
  };
  for (const auto& m : round) {
    auto back = decode_marks(encode_marks(m));
    BOOST_TEST_REQUIRE(back.has_value());
    Marks sorted = m;
    std::sort(sorted.begin(), sorted.end());
    BOOST_TEST((*back == sorted));
  }
  BOOST_TEST((*decode_marks("alice=2&bob=1") == Marks{{"alice", 2}, {"bob", 1}}));
  BOOST_TEST((*decode_marks("b%20c=2") == Marks{{"b c", 2}}));
  BOOST_TEST((*decode_marks("b%2fc=2") == Marks{{"b/c", 2}}));  // lower-case hex read too
  for (const char* bad : {"alice", "=1", "alice=", "alice=0", "alice=-1", "alice=x", "alice=1&",
                          "&alice=1", "alice=1&&bob=1", "bob=1&alice=2", "alice=1&alice=2", "a%2=1",
                          "a%zz=1", "a%=1", "alice=01", "alice=1=2", "%=1"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!decode_marks(bad).has_value()); }
  }
}

BOOST_AUTO_TEST_CASE(decoding_stored_parts) {
  auto q = decode_parts({{"main", "alice=1&bob=2"}, {"broken", "=="}, {"blank", ""}});
  BOOST_TEST_REQUIRE(q.size() == 2u);
  BOOST_TEST(q[0].question_id == "main");
  BOOST_TEST((q[0].marks == Marks{{"alice", 1}, {"bob", 2}}));
  BOOST_TEST(q[1].question_id == "blank");
  BOOST_TEST(q[1].marks.empty());
}

BOOST_AUTO_TEST_CASE(passcodes) {
  BOOST_TEST(!passcode_problem("7KQ2M9XRABCDEFGHJKLM", 12).has_value());
  BOOST_TEST(!passcode_problem("correct horse", 12).has_value());
  BOOST_TEST(passcode_problem("", 12).has_value());
  BOOST_TEST(passcode_problem("short", 12)->message.find("at least 12") != std::string::npos);
  // A count: a plural entry, its {n} a value (docs/i18n.md).
  const auto short_one = *passcode_problem("short", 12);
  BOOST_TEST(short_one.msgid_plural.find("{n} characters") != std::string::npos);
  BOOST_TEST(short_one.n == 12u);
  BOOST_TEST(short_one.question_id == "");
  // Characters, not bytes: six two-byte letters are six characters.
  BOOST_TEST(passcode_problem("éééééé", 8).has_value());
  BOOST_TEST(!passcode_problem("éééééééé", 8).has_value());
}
