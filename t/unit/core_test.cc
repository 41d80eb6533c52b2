// Unit tests for src/core: eligibility rules, phases, configuration, dates.
#define BOOST_TEST_MODULE core
#include <boost/test/unit_test.hpp>

#include "core/ballot_plaintext.h"
#include "core/ranking_codec.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/config.h"
#include "core/model.h"
#include "core/time_util.h"

using namespace urna::core;

namespace {
const std::string kKey = "0123456789abcdef0123456789abcdef";

Snapshot university() {
  Snapshot s;
  Election parent;
  parent.id = "uni";
  parent.folder = "uni";
  parent.children = {"uni/professors", "uni/students"};
  parent.officers = {"olga"};
  parent.voters = {{"alice", {"students"}}, {"bob", {}}, {"carol", {"professors"}}};
  Election prof;
  prof.id = "uni/professors";
  prof.folder = "professors";
  prof.parent = "uni";
  Election stud = prof;
  stud.id = "uni/students";
  stud.folder = "students";
  Election solo;
  solo.id = "steering/2026";
  solo.folder = "2026";
  solo.voters = {{"dave", {}}};
  solo.officers = {"erin"};
  s.elections = {solo, parent, prof, stud};
  std::sort(s.elections.begin(), s.elections.end(),
            [](const Election& a, const Election& b) { return a.id < b.id; });
  return s;
}
}  // namespace

BOOST_AUTO_TEST_CASE(eligibility_follows_parent_voter_list) {
  Snapshot s = university();
  const Election& stud = *s.find("uni/students");
  const Election& prof = *s.find("uni/professors");
  BOOST_TEST(s.eligible(stud, "alice"));
  BOOST_TEST(s.eligible(stud, "ALICE"));  // case-insensitive
  BOOST_TEST(!s.eligible(prof, "alice"));
  BOOST_TEST(s.eligible(prof, "bob"));    // no children list = all
  BOOST_TEST(s.eligible(stud, "bob"));
  BOOST_TEST(!s.eligible(stud, "mallory"));
  BOOST_TEST(!s.eligible(*s.find("uni"), "bob"));  // parents take no ballots
  BOOST_TEST(s.eligible(*s.find("steering/2026"), "Dave"));
  BOOST_TEST(!s.eligible(*s.find("steering/2026"), ""));
  auto kids = s.children_for(*s.find("uni"), "bob");
  BOOST_TEST(kids.size() == 2u);
  BOOST_TEST(kids[0]->folder == "professors");
}

BOOST_AUTO_TEST_CASE(officers_are_per_election) {
  Snapshot s = university();
  BOOST_TEST(s.is_officer(*s.find("uni/students"), "Olga"));
  BOOST_TEST(!s.is_officer(*s.find("steering/2026"), "olga"));
  BOOST_TEST(s.is_officer(*s.find("steering/2026"), "erin"));
  BOOST_TEST(s.find("nope") == nullptr);
}

BOOST_AUTO_TEST_CASE(phase_boundaries_to_the_second) {
  Election e;
  e.start = 100;
  e.end = 200;
  BOOST_TEST((phase_at(e, 99) == Phase::kUpcoming));
  BOOST_TEST((phase_at(e, 100) == Phase::kRunning));
  BOOST_TEST((phase_at(e, 199) == Phase::kRunning));
  BOOST_TEST((phase_at(e, 200) == Phase::kClosed));
}

BOOST_AUTO_TEST_CASE(methods_round_trip) {
  for (const char* n : {"schulze", "ranked-pairs", "irv", "stv", "plurality",
                        "approval", "borda"}) {
    auto m = parse_method(n);
    BOOST_REQUIRE(m.has_value());
    BOOST_TEST(std::string(method_name(*m)) == n);
  }
  BOOST_TEST(!parse_method("Schulze").has_value());
  BOOST_TEST(!method_is_ranked(Method::kApproval));
}

BOOST_AUTO_TEST_CASE(dates_parse_as_utc) {
  struct Good { const char* in; UnixTime want; } good[] = {
      {"1970-01-01 00:00:00", 0},
      {"2021-08-01 00:00:01", 1627776001},
      {"2021-08-01T00:00:01Z", 1627776001},
      {"2021-08-01T02:00:01+02:00", 1627776001},
      {"2021-08-01", 1627776000},
      {"2024-02-29 12:00:00", 1709208000},
  };
  for (const auto& g : good) {
    auto t = parse_utc(g.in);
    BOOST_TEST_CONTEXT(g.in) {
      BOOST_REQUIRE(t.has_value());
      BOOST_TEST(*t == g.want);
    }
  }
  for (const char* bad : {"", "2021-13-01", "2023-02-29", "2021-08-01 24:00:00",
                          "2021-8-1", "tomorrow", "2021-08-01 10:00:00 PST",
                          "2021-08-01T10:00:00+25:00"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!parse_utc(bad).has_value()); }
  }
  BOOST_TEST(format_utc(1627776001) == "2021-08-01 00:00:01 UTC");
  BOOST_TEST(format_iso(0) == "1970-01-01T00:00:00Z");
}

// Dates for people (issue 10 §11): the seconds only when they matter.
BOOST_AUTO_TEST_CASE(dates_for_people_drop_zero_seconds) {
  struct Row { const char* in; const char* want; } rows[] = {
      {"2026-03-13 12:00:00", "2026-03-13 12:00 UTC"},
      {"2026-01-01 00:00:00", "2026-01-01 00:00 UTC"},
      {"2025-09-30 11:59:59", "2025-09-30 11:59:59 UTC"},
      {"2025-09-01 00:00:01", "2025-09-01 00:00:01 UTC"},
      {"2024-02-29 23:59:00", "2024-02-29 23:59 UTC"},
  };
  for (const auto& r : rows)
    BOOST_TEST_CONTEXT(r.in) { BOOST_TEST(format_date(*parse_utc(r.in)) == r.want); }
}

// Spans as a person says them (issue 10 §11: "closes in 3 weeks", not
// "3317 days 5 hours"), rounded down at every boundary.
BOOST_AUTO_TEST_CASE(durations_read_as_people_say_them) {
  constexpr std::int64_t m = 60, h = 3600, d = 86400, w = 7 * d;
  constexpr std::int64_t year = 31556952, month = year / 12;  // Gregorian averages
  struct Row { std::int64_t s; const char* want; } rows[] = {
      // seconds
      {-5, "less than a minute"},
      {0, "less than a minute"},
      {1, "less than a minute"},
      {59, "less than a minute"},
      // minutes
      {60, "1 minute"},
      {119, "1 minute"},
      {120, "2 minutes"},
      {59 * m + 59, "59 minutes"},
      // hours, with the minutes when there are any
      {h, "1 hour"},
      {h + 59, "1 hour"},
      {h + m, "1 hour 1 minute"},
      {2 * h + 30 * m, "2 hours 30 minutes"},
      {23 * h + 59 * m + 59, "23 hours 59 minutes"},
      // days, with the hours when there are any
      {d, "1 day"},
      {d + 59 * m, "1 day"},
      {d + h, "1 day 1 hour"},
      {90000, "1 day 1 hour"},
      {3 * d + 4 * h, "3 days 4 hours"},
      {13 * d + 23 * h + 59 * m, "13 days 23 hours"},
      // weeks from 14 days to 2 months
      {14 * d, "2 weeks"},
      {3 * w, "3 weeks"},
      {3 * w + 6 * d + 23 * h, "3 weeks"},
      {60 * d + 23 * h, "8 weeks"},
      // months
      {61 * d, "2 months"},
      {3 * month - 1, "2 months"},
      {3 * month, "3 months"},
      {year - 1, "11 months"},
      // years (a year and some months below two)
      {year, "1 year"},
      {year + month - 1, "1 year"},
      {year + month, "1 year 1 month"},
      {year + 5 * month, "1 year 5 months"},
      {2 * year - 1, "1 year 11 months"},
      {2 * year, "2 years"},
      {3317 * d + 5 * h, "9 years"},
      {100 * year, "100 years"},
  };
  for (const auto& r : rows)
    BOOST_TEST_CONTEXT(r.s << " s") { BOOST_TEST(format_duration(r.s) == r.want); }
}

// The parts the pages translate (web/election_view.cc): the same rounding
// as format_duration, unit by unit.
BOOST_AUTO_TEST_CASE(split_duration_parts) {
  const std::int64_t m = 60, h = 3600, d = 86400, year = 31556952, month = year / 12;
  using U = TimeUnit;
  struct Row {
    std::int64_t s;
    U unit;
    std::int64_t n;
    U smaller;
    std::int64_t k;
  } rows[] = {
      {-5, U::kLessThanAMinute, 0, U::kLessThanAMinute, 0},
      {59, U::kLessThanAMinute, 0, U::kLessThanAMinute, 0},
      {60, U::kMinute, 1, U::kLessThanAMinute, 0},
      {12 * m + 59, U::kMinute, 12, U::kLessThanAMinute, 0},
      {5 * h + 3 * m, U::kHour, 5, U::kMinute, 3},
      {3 * d + 4 * h, U::kDay, 3, U::kHour, 4},
      {3 * d + 59 * m, U::kDay, 3, U::kLessThanAMinute, 0},
      {21 * d, U::kWeek, 3, U::kLessThanAMinute, 0},
      {5 * month, U::kMonth, 5, U::kLessThanAMinute, 0},
      {year + 5 * month, U::kYear, 1, U::kMonth, 5},
      {9 * year, U::kYear, 9, U::kLessThanAMinute, 0},
  };
  for (const auto& r : rows)
    BOOST_TEST_CONTEXT(r.s << " s") {
      const DurationParts p = split_duration(r.s);
      BOOST_TEST((p.unit == r.unit));
      BOOST_TEST(p.n == r.n);
      BOOST_TEST((p.smaller == r.smaller));
      BOOST_TEST(p.m == r.k);
    }
}

BOOST_AUTO_TEST_CASE(config_good_file) {
  Config c = parse_config(
      "# comment\nprefix = /vote/\nworkers = 8\nsession_key = " + kKey +
          "\nauth = demo\n",
      "urna.conf", {});
  BOOST_TEST(c.prefix == "/vote");
  BOOST_TEST(c.workers == 8);
  BOOST_TEST(c.auth == "demo");
  Config e = parse_config("auth = demo\n", "urna.conf",
                          {{"URNA_SESSION_KEY", kKey}});
  BOOST_TEST(e.session_key == kKey);
}

BOOST_AUTO_TEST_CASE(batch_programs_need_no_web_secrets) {
  // urna-sync and urna-tally never use the session key or the OAuth app.
  const Config c = parse_config("db_name = urna\n", "urna.conf", {}, false);
  BOOST_TEST(c.session_key.empty());
  BOOST_CHECK_THROW(parse_config("db_name = urna\n", "urna.conf", {}, true), ConfigError);
  // Bad values are still errors for them.
  BOOST_CHECK_THROW(parse_config("workers = many\n", "urna.conf", {}, false), ConfigError);
}

BOOST_AUTO_TEST_CASE(config_errors_name_key_and_line) {
  struct Bad { std::string text; std::string want; } bad[] = {
      {"auth = demo\nsession_key = " + kKey + "\nbogus = 1\n", "urna.conf:3: key 'bogus': unknown key"},
      {"auth = demo\nworkers = many\nsession_key = " + kKey, "urna.conf:2: key 'workers': must be a whole number"},
      {"auth = demo\nworkers = 0\nsession_key = " + kKey, "key 'workers': must be between 1 and 256"},
      {"auth = ldap\nsession_key = " + kKey, "urna.conf:1: key 'auth': must be one of"},
      {"auth = demo\n", "key 'session_key': is required"},
      {"auth = demo\nsession_key = short\n", "at least 32 characters"},
      {"auth = demo\nsession_key = CHANGE-ME-to-a-long-random-string-of-at-least-32-chars\n", "sample value"},
      {"session_key = " + kKey + "\n", "key 'oauth_client_id': is required"},
      {"auth = demo\nsession_key = " + kKey + "\nprefix = urna\n", "key 'prefix': must be a path"},
      {"auth = demo\nsession_key " + kKey + "\n", "urna.conf:2: expected 'key = value'"},
      {"auth = demo\nauth = demo\nsession_key = " + kKey, "urna.conf:2: key 'auth': set twice"},
      {"auth = demo\nworkers = 99999999999999\nsession_key = " + kKey, "key 'workers'"},
  };
  for (const auto& b : bad) {
    BOOST_TEST_CONTEXT(b.text) {
      try {
        parse_config(b.text, "urna.conf", {});
        BOOST_FAIL("accepted a bad config");
      } catch (const ConfigError& e) {
        BOOST_TEST(std::string(e.what()).find(b.want) != std::string::npos,
                   "message '" << e.what() << "' lacks '" << b.want << "'");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(every_config_key_is_documented) {
  const char* src = std::getenv("URNA_SRCDIR");
  std::ifstream in(std::string(src ? src : ".") + "/README.md");
  BOOST_REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  for (const auto& key : config_keys()) {
    BOOST_TEST_CONTEXT(key) {
      BOOST_TEST(text.str().find("| `" + key + "` |") != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(keys_given_lists_the_keys_the_file_sets) {
  const Config c =
      parse_config("db_host = tcp://db:3306\n# workers = 8\nprefix = /v\n", "f", {}, false);
  BOOST_TEST((c.keys_given == std::set<std::string>{"db_host", "prefix"}));
  BOOST_TEST(c.workers == 4);
  BOOST_TEST(parse_config("workers = 4\n", "f", {}, false).keys_given.count("workers") == 1u);
}

// urna.conf(5) documents every key as a `.TP` / `.B key` entry.
BOOST_AUTO_TEST_CASE(every_config_key_is_in_the_man_page) {
  const char* src = std::getenv("URNA_SRCDIR");
  std::ifstream in(std::string(src ? src : ".") + "/man/urna.conf.5");
  BOOST_REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  for (const auto& key : config_keys()) {
    BOOST_TEST_CONTEXT(key) {
      BOOST_TEST(text.str().find("\n.TP\n.B " + key + "\n") != std::string::npos);
    }
  }
}

// --- the whole-ballot plaintext (core/ballot_plaintext.h) ------------------

BOOST_AUTO_TEST_CASE(ballot_plaintext_round_trip_and_strictness) {
  const BallotParts parts = {{"main", "alice=1&bob=2"}, {"q2", ""}, {"q3", "yes=1"}};
  const std::string text = encode_ballot(parts);
  BOOST_TEST(text == "urna-ballot-v1\nmain\nalice=1&bob=2\nq2\n\nq3\nyes=1\n");
  BOOST_TEST((*decode_ballot(text) == parts));
  BOOST_TEST(decode_ballot("urna-ballot-v1\n")->empty());
  std::string why;
  for (const std::string bad :
       {std::string(""), std::string("urna-ballot-v2\nmain\na=1\n"),
        std::string("urna-ballot-v1\nmain\n"), std::string("urna-ballot-v1\nmain\na=1"),
        std::string("urna-ballot-v1\n\na=1\n"), std::string("urna-ballot-v1\nq\na=1\nq\nb=1\n")}) {
    why.clear();
    BOOST_TEST(!decode_ballot(bad, &why), bad);
    BOOST_TEST(!why.empty());
  }
  BOOST_CHECK_THROW(encode_ballot({{"a\nb", "x=1"}}), std::invalid_argument);
  BOOST_CHECK_THROW(encode_ballot({{"a", "x=1\n"}}), std::invalid_argument);
  BOOST_CHECK_THROW(encode_ballot({{"", "x=1"}}), std::invalid_argument);
}

// The padded size holds the longest possible ballot: every answer ranked,
// with the largest rank, in every question; and it is a multiple of 64.
BOOST_AUTO_TEST_CASE(ballot_padded_size_fits_the_longest_ballot) {
  for (int answers : {1, 2, 9, 10, 11, 99, 100, 150}) {
    Election e;
    for (int qn = 0; qn < 3; ++qn) {
      Question q;
      q.id = "question-" + std::to_string(qn);
      for (int a = 0; a < answers; ++a)
        q.answers.push_back({"candidate_" + std::to_string(a * 7919), ""});
      e.questions.push_back(q);
    }
    BallotParts longest;
    for (const auto& q : e.questions) {
      Marks m;
      for (const auto& a : q.answers) m.emplace_back(a.id, answers);
      longest.emplace_back(q.id, encode_ranking(m));
    }
    const size_t size = padded_ballot_size(e);
    BOOST_TEST(size % 64 == 0u);
    BOOST_TEST(encode_ballot(longest).size() + 4 <= size, "answers " << answers);
    BOOST_TEST(size < encode_ballot(longest).size() + 4 + 64);
  }
}
