// The fast path for voters.yaml (src/meta/fast_voters.h) against yaml-cpp
// and the loader: whatever it takes must be exactly what yaml-cpp reads
// (a map with the one key, a sequence of non-null scalars with the same
// text and lines, every one a valid login), and on random files a whole
// load with the fast path gives the same voters and the same issues
// (errors, duplicate warnings with their lines) as a load without it.
#define BOOST_TEST_MODULE fast_voters
#include <boost/test/unit_test.hpp>

#include <yaml-cpp/yaml.h>

#include <random>
#include <string>
#include <vector>

#include "core/model.h"
#include "meta/fast_voters.h"
#include "meta/loader.h"
#include "meta/yaml_fields.h"
#include "meta_fixture.h"

using namespace urna;
using urna::testing::TempDir;

namespace {

std::string show(const std::string &text) {
  std::string out;
  for (char c : text) {
    if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else
      out += c;
  }
  return out;
}

// When the fast path takes `text`, yaml-cpp must read the same list.
bool fast_matches_yaml(const std::string &text) {
  auto fast = meta::read_plain_voters(text);
  if (!fast)
    return false;
  BOOST_TEST_CONTEXT("input \"" << show(text) << "\"") {
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::Exception &e) {
      BOOST_ERROR("the fast path took text yaml-cpp rejects: " << e.what());
      return true;
    }
    BOOST_TEST_REQUIRE(root.IsMap());
    BOOST_TEST(root.size() == 1u);
    YAML::Node list = root["eligible_voters"];
    BOOST_TEST_REQUIRE(list.IsSequence());
    BOOST_TEST_REQUIRE(list.size() == fast->size());
    for (size_t i = 0; i < fast->size(); ++i) {
      const YAML::Node item = list[i];
      BOOST_TEST_REQUIRE(item.IsScalar());
      BOOST_TEST(item.Scalar() == (*fast)[i].login);
      BOOST_TEST(item.Mark().line + 1 == (*fast)[i].line);
      std::string why;
      BOOST_TEST(meta::parse_login(item, &why).has_value(), why);
    }
  }
  return true;
}

std::string election_yaml() {
  return "name: Test\n"
         "organization: Org\n"
         "start_datetime: 2026-01-01 00:00:00\n"
         "end_datetime: 2026-02-01 00:00:00\n"
         "no_winners: 1\n"
         "election_officers: [olga]\n";
}

struct Loaded {
  std::vector<std::string> issues;
  std::vector<std::string> voters;
};

Loaded load_with(const TempDir &d, bool fast) {
  meta::set_fast_voters(fast);
  meta::LoadResult r = meta::load_repository(d.path(), "elections");
  meta::set_fast_voters(true);
  Loaded out;
  for (const auto &i : r.issues)
    out.issues.push_back(i.to_string());
  for (const auto &e : r.snapshot.elections)
    for (const auto &v : e.voters) {
      std::string s = e.id + ":" + v.login;
      for (const auto &c : v.children)
        s += "," + c;
      out.voters.push_back(s);
    }
  return out;
}

// Random voters.yaml texts near the plain form: mostly plain lists, with
// the things the fast path must leave to yaml-cpp mixed in.
class Gen {
public:
  explicit Gen(unsigned seed) : rng_(seed) {}
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool chance(int percent) { return pick(100) < percent; }
  template <size_t N> std::string any(const char *const (&c)[N]) {
    return c[pick(static_cast<int>(N))];
  }

  std::string text() {
    static const char *const kLogins[] = {
        "alice", "Bob",    "carol-x", "d_e",  "e.f",   "user000123", "123",
        "yes",   "null",   "Null",    "NULL", "~",     "-x",         ".dot",
        "a:b",   "a#b",    "\"q\"",   "'q'",  "[x]",   "{a: b}",     "a b",
        "",      "ALICE",  "alice",   "bob",  "x\ty",  "id: zed",    "&a x",
        "*a",    "!t x",   "?",       "|",    ">",     "a,b",        "%x",
        "@x",    "`x",     "é",       "true", "0x1F",  "1e3",        "-",
        "- y"};
    static const char *const kKeys[] = {
        "eligible_voters:", "eligible_voters:", "eligible_voters:",
        "eligible_voters: # c", "eligible_voters:  ", "eligible_voters :",
        "Eligible_voters:", "eligible_voters: []", "\xEF\xBB\xBF" "eligible_voters:",
        "---\neligible_voters:", "eligible_voters:#c"};
    static const char *const kExtras[] = {
        "# comment", "", "   ", "  # indented comment", "other: 1", "...", "---",
        "    continued", "\t- tab", "  -", "  - ", "eligible_voters:"};
    static const char *const kEols[] = {"\n", "\n", "\n", "\n", "\r\n"};
    // Half the files are clean plain lists (with comments and blank lines).
    const bool clean = chance(50);
    std::string s;
    if (chance(10))
      s += clean ? "# comment\n" : any(kExtras) + "\n";
    s += clean ? "eligible_voters:" : any(kKeys);
    s += clean ? "\n" : any(kEols);
    int indent = chance(80) ? 2 : pick(5);
    int n = pick(7);
    for (int i = 0; i < n; ++i) {
      if (chance(8)) {
        s += clean ? (chance(50) ? "  # c" : "") : any(kExtras);
        s += clean ? "\n" : any(kEols);
      }
      int ind = clean || chance(92) ? indent : pick(5);
      s += std::string(ind, ' ') + (clean || chance(97) ? "-" : "-\t") +
           std::string(chance(90) ? 1 : 1 + pick(3), ' ');
      s += clean || chance(75) ? std::string("user") + std::to_string(pick(6))
                               : any(kLogins);
      if (chance(10))
        s += chance(50) ? "  # c" : "   ";
      if (!clean && chance(3))
        s += "#c";
      s += (i + 1 < n || chance(85)) ? (clean ? "\n" : any(kEols)) : "";
    }
    if (!clean && chance(5))
      s += std::string(101, 'a');
    return s;
  }

private:
  std::mt19937 rng_;
};

} // namespace

BOOST_AUTO_TEST_CASE(plain_lists_are_read_as_yaml_cpp_reads_them) {
  for (const char *text :
       {"eligible_voters:\n  - alice\n  - Bob\n",
        "# who may vote\neligible_voters:   # everyone\n\n- a\n-   b  # c\n# "
        "end\n",
        "eligible_voters:\n    - x\n    - y",
        "eligible_voters:\n  - 123\n  - yes\n  - 1e3\n  - a.b-c_d\n"})
    BOOST_TEST(fast_matches_yaml(text), text);
  auto v = meta::read_plain_voters("eligible_voters:\n\n  - alice\n  - Bob\n");
  BOOST_TEST_REQUIRE(v.has_value());
  BOOST_TEST(v->size() == 2u);
  BOOST_TEST((*v)[1].login == "Bob");
  BOOST_TEST((*v)[1].line == 4);
}

BOOST_AUTO_TEST_CASE(other_forms_are_left_to_yaml_cpp) {
  for (const char *text : {
           "",
           "eligible_voters:\n",                      // null: nobody yet
           "eligible_voters: []\n",                   // flow list
           "eligible_voters: [a, b]\n",               //
           "eligible_voters:\n  - id: a\n",           // map items
           "eligible_voters:\n  - a\n    b\n",        // a folded plain scalar
           "eligible_voters:\n  - a\n   - b\n",       // another indentation
           "eligible_voters:\n  - null\n",            // a null item
           "eligible_voters:\n  - ~\n",               //
           "eligible_voters:\n  -\n",                 //
           "eligible_voters:\n  - \"a\"\n",           // quoted
           "eligible_voters:\n  - a\r\n",             // CR
           "eligible_voters:\n\t- a\n",               // tab
           "\xEF\xBB\xBF" "eligible_voters:\n  - a\n", // BOM
           "---\neligible_voters:\n  - a\n",          // document marker
           "eligible_voters:\n  - a\nother: 1\n",     // another key
           "eligible_voters:\n  - a\neligible_voters:\n  - b\n",
           "eligible_voters:\n  - a#b\n", // '#' inside the scalar
           "eligible_voters:\n  - -a\n",  // starts with '-'
           "eligible_voters:\n  - a b\n", // a space: an invalid login
           "eligible_voters:\n  - \xC3\xA9\n",
       })
    BOOST_TEST(!meta::read_plain_voters(text).has_value(), show(text));
  std::string long_login = "eligible_voters:\n  - " + std::string(101, 'a') + "\n";
  BOOST_TEST(!meta::read_plain_voters(long_login).has_value());
  meta::set_fast_voters(false);
  BOOST_TEST(!meta::read_plain_voters("eligible_voters:\n  - a\n").has_value());
  meta::set_fast_voters(true);
}

BOOST_AUTO_TEST_CASE(random_files_read_as_yaml_cpp_reads_them) {
  Gen gen(7);
  int taken = 0, left = 0;
  for (int i = 0; i < 20000; ++i)
    ++(fast_matches_yaml(gen.text()) ? taken : left);
  BOOST_TEST(taken > 2000);
  BOOST_TEST(left > 2000);
}

BOOST_AUTO_TEST_CASE(random_files_load_alike) {
  Gen gen(11);
  TempDir d;
  d.write("elections/e/election.yaml", election_yaml());
  int taken = 0;
  for (int i = 0; i < 600; ++i) {
    const std::string text = gen.text();
    if (meta::read_plain_voters(text))
      ++taken;
    d.write("elections/e/voters.yaml", text);
    Loaded fast = load_with(d, true), slow = load_with(d, false);
    BOOST_TEST_CONTEXT("voters.yaml \"" << show(text) << "\"") {
      BOOST_TEST(fast.issues == slow.issues, boost::test_tools::per_element());
      BOOST_TEST(fast.voters == slow.voters, boost::test_tools::per_element());
    }
  }
  BOOST_TEST(taken > 100);
  // Duplicates (case-insensitive) are warnings naming the line, as before.
  d.write("elections/e/voters.yaml",
          "eligible_voters:\n  - alice\n  - bob\n  - Alice\n");
  Loaded fast = load_with(d, true), slow = load_with(d, false);
  BOOST_TEST(fast.issues == slow.issues, boost::test_tools::per_element());
  int twice = 0;
  for (const auto &i : fast.issues)
    if (i.find("eligible_voters[2]: warning: 'alice' is listed twice (line 4)") !=
        std::string::npos)
      ++twice;
  BOOST_TEST(twice == 1, fast.issues.size() << " issues");
  BOOST_TEST((fast.voters == std::vector<std::string>{"e:alice", "e:bob"}));
}
