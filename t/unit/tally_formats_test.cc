// The fast ballot readers (src/tally/formats.cc) against the line-by-line
// readers they replaced (t/unit/tally_formats_reference.cc): on edge cases
// (CRLF, BOM, quotes, trailing commas, huge numbers, empty and white-space
// lines, comments, lines longer than the read buffer, no final newline) and
// on random inputs, both must accept the same files with the same ballots,
// and reject the same files with the same message naming the same line.
#define BOOST_TEST_MODULE tally_formats
#include <boost/test/unit_test.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tally/formats.h"

using namespace urna::tally;

namespace urna::tally::reference {
BallotBox read_elekto_csv(std::istream& in);
BallotBox read_blt(std::istream& in);
BallotBox read_preflib(std::istream& in, Format f);
BallotBox read_debian_tally(std::istream& in);
}  // namespace urna::tally::reference

namespace {

// What a reader made of a text: the ballots, or the error.
struct Outcome {
  bool ok = false;
  BallotBox box;
  std::string error;
};

template <typename Reader>
Outcome run(Reader reader, const std::string& text) {
  std::istringstream in(text);
  Outcome o;
  try {
    o.box = reader(in);
    o.ok = true;
  } catch (const FormatError& e) {
    o.error = e.what();
  }
  return o;
}

Outcome run_fast(Format f, const std::string& text) {
  return run([f](std::istream& in) { return read_ballots(in, f); }, text);
}

Outcome run_reference(Format f, const std::string& text) {
  return run(
      [f](std::istream& in) {
        switch (f) {
          case Format::kElekto:
            return reference::read_elekto_csv(in);
          case Format::kBlt:
            return reference::read_blt(in);
          case Format::kDebian:
            return reference::read_debian_tally(in);
          default:
            return reference::read_preflib(in, f);
        }
      },
      text);
}

std::string show(const std::string& text) {
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
  return out.size() > 400 ? out.substr(0, 400) + "..." : out;
}

// Both readers agree on `text`; returns the fast reader's outcome.
Outcome same(Format f, const std::string& text) {
  Outcome a = run_fast(f, text), b = run_reference(f, text);
  BOOST_TEST_CONTEXT(format_name(f) << " input \"" << show(text) << "\"") {
    BOOST_TEST(a.ok == b.ok);
    BOOST_TEST(a.error == b.error);
    if (a.ok && b.ok) {
      BOOST_TEST(a.box.title == b.box.title);
      BOOST_TEST(a.box.seats == b.box.seats);
      BOOST_TEST(a.box.candidates == b.box.candidates);
      BOOST_TEST(a.box.names == b.box.names);
      BOOST_TEST_REQUIRE(a.box.ballots.size() == b.box.ballots.size());
      for (size_t i = 0; i < a.box.ballots.size(); ++i) {
        BOOST_TEST(a.box.ballots[i].rank == b.box.ballots[i].rank);
        BOOST_TEST(a.box.ballots[i].weight == b.box.ballots[i].weight);
      }
    }
  }
  return a;
}

std::string error_of(Format f, const std::string& text) {
  Outcome o = same(f, text);
  BOOST_TEST(!o.ok, "expected an error for \"" << show(text) << "\"");
  return o.error;
}

}  // namespace

BOOST_AUTO_TEST_CASE(csv_edges) {
  const Format f = Format::kElekto;
  // CRLF reads as LF; no final newline; empty and blank lines skipped.
  Outcome o = same(f, "a,b,c\r\n1,2,No opinion\r\n\r\n  \t\r\n\"3\", 1 ,\"No opinion\"");
  BOOST_TEST_REQUIRE(o.ok);
  BOOST_TEST((o.box.candidates == std::vector<std::string>{"a", "b", "c"}));
  BOOST_TEST_REQUIRE(o.box.ballots.size() == 2u);
  BOOST_TEST((o.box.ballots[1].rank == std::vector<int>{3, 1, kUnranked}));
  // Quoted ids; quotes are not CSV quoting: a comma inside splits the cell.
  o = same(f, "\"x\", \"y\"\n1,2\n");
  BOOST_TEST((o.box.candidates == std::vector<std::string>{"x", "y"}));
  BOOST_TEST(error_of(f, "\"x,y\",z\n1,2\n") == "line 2: 2 cells, the header has 3");
  // A UTF-8 byte order mark stays part of the first id (as before).
  o = same(f,
           "\xEF\xBB\xBF"
           "a,b\n1,2\n");
  BOOST_TEST(o.box.candidates[0] ==
             "\xEF\xBB\xBF"
             "a");
  // Trailing comma: one cell too many, named with its line.
  BOOST_TEST(error_of(f, "a,b\n\n1,2,\n") == "line 3: 3 cells, the header has 2");
  BOOST_TEST(error_of(f, "a,b,\n1,2,3\n") == "line 1: empty candidate id in the header");
  // The cell count is checked before the cells.
  BOOST_TEST(error_of(f, "a,b\nx,y,z\n") == "line 2: 3 cells, the header has 2");
  BOOST_TEST(error_of(f, "a,b\n1,\"x\"\n") ==
             "line 2: cell \"x\" is neither a rank nor No opinion");
  // Huge numbers: up to 18 digits is a rank (clamped, so invalid later),
  // more is not a number; rank 0 is out of range (-1), not unranked.
  o = same(f, "a,b\n999999999999999999,0\n000000000000000001,2\n");
  BOOST_TEST((o.box.ballots[0].rank == std::vector<int>{1 << 30, -1}));
  BOOST_TEST((o.box.ballots[1].rank == std::vector<int>{1, 2}));
  BOOST_TEST(error_of(f, "a,b\n1,9999999999999999999\n") ==
             "line 2: cell \"9999999999999999999\" is neither a rank nor No opinion");
  for (const char* bad : {"a,b\n-1,2\n", "a,b\n+1,2\n", "a,b\n1.0,2\n", "a,b\nNo Opinion,1\n",
                          "a,b\n1\n", "a,a\n1,2\n", "", "\n", "a,\"\"\n1,2\n"})
    error_of(f, bad);
  BOOST_TEST(error_of(f, "") == "line 1: empty file: no header");
  // A cell longer than the read buffer (white space is trimmed).
  o = same(f, "a,b\n" + std::string(300000, ' ') + "2,1\n");
  BOOST_TEST((o.box.ballots[0].rank == std::vector<int>{2, 1}));
  // A file of many lines crosses many buffer boundaries, CR and LF split.
  std::string big = "a,b,c\n";
  for (int i = 0; i < 60000; ++i) big += i % 3 ? "1,No opinion,2\r\n" : "\"2\",1,3\n";
  BOOST_TEST(same(f, big).box.ballots.size() == 60000u);
  BOOST_TEST(error_of(f, big + "1,2\n") == "line 60002: 2 cells, the header has 3");
}

BOOST_AUTO_TEST_CASE(blt_edges) {
  const Format f = Format::kBlt;
  Outcome o = same(f,
                   "# a comment\r\n4 2 \r\n-4\n3 1 2 0 # after\n\n2 2=3 1 0 trailing\n"
                   "1\t3 - 1 0\n0\n\"Ann\"\n\"Bob # not a comment\"\nCy\n\"Dee\"\n\"T\"\n");
  BOOST_TEST_REQUIRE(o.ok);
  BOOST_TEST((o.box.names == std::vector<std::string>{"Ann", "Bob # not a comment", "Cy"}));
  BOOST_TEST(o.box.title == "T");
  BOOST_TEST_REQUIRE(o.box.ballots.size() == 3u);
  BOOST_TEST((o.box.ballots[2].rank == std::vector<int>{2, kUnranked, 1}));
  // Ranked twice: kept, invalid (rank out of range); skipped ranks that
  // run past the candidates make the ballot invalid too.
  o = same(f, "2 1\n1 1 1 0\n1 - - - 2 0\n1 2 - 1 0\n0\na\nb\n");
  BOOST_TEST((o.box.ballots[0].rank == std::vector<int>{3, kUnranked}));
  BOOST_TEST((o.box.ballots[1].rank == std::vector<int>{kUnranked, 4}));
  BOOST_TEST((o.box.ballots[2].rank == std::vector<int>{3, 1}));  // rank 3 of 2: invalid
  BOOST_TEST(error_of(f, "2 1\n1 1 2\n0\n\"a\"\n\"b\"\n") ==
             "line 2: ballot line does not end with 0");
  BOOST_TEST(error_of(f, "2 1\n\n1 3 0\n") == "line 3: candidate \"3\" out of range");
  BOOST_TEST(error_of(f, "2 1\n1 1=\n") == "line 2: candidate \"\" out of range");
  BOOST_TEST(error_of(f, "2 1\nx 1 0\n") == "line 2: ballot weight \"x\" is not a number");
  BOOST_TEST(error_of(f, "2 1\n1 1 0\n\n") == "line 3: no \"0\" line ends the ballots");
  BOOST_TEST(error_of(f, "2 1\n1 1 0\n0\n\"a\"\n") ==
             "line 4: fewer candidate names than candidates");
  BOOST_TEST(error_of(f, "\n# only\n") == "line 1: empty file");
  BOOST_TEST(error_of(f, "2 1\n-3\n") == "line 2: bad withdrawn candidate -3");
  BOOST_TEST(error_of(f, "2\n") == "line 1: expected \"<candidates> <seats>\"");
  // Huge weights: 18 digits read, 19 not a number.
  o = same(f, "2 1\n999999999999999999 1 0\n0\na\nb\n");
  BOOST_TEST(o.box.ballots[0].weight == 999999999999999999LL);
  error_of(f, "2 1\n9999999999999999999 1 0\n0\na\nb\n");
  for (const char* text :
       {"+2 1\n1 1 0\n0\na\nb\n", "2 1 x\n1 1 0\n0\na\nb\n", "2 1\n-1 -2\n1 0\n0\na\nb\n",
        "2 1\n- 1\n1 1 0\n0\na\nb\n", "2 1\n1 01 0\n0\na\nb\n", "2 1\n1 00 0\n0\na\nb\n",
        "2 99999999999\n", "2 1\n0\na\nb\nt\nextra\n"})
    same(f, text);
  // A ballot line longer than the read buffer.
  std::string longline = "2 1\n1 ";
  for (int i = 0; i < 150000; ++i) longline += "- ";
  o = same(f, longline + "1 0\n0\na\nb\n");
  BOOST_TEST((o.box.ballots[0].rank == std::vector<int>{150001, kUnranked}));
}

BOOST_AUTO_TEST_CASE(preflib_edges) {
  Outcome o = same(Format::kToi,
                   "# TITLE: Board\r\n# NUMBER ALTERNATIVES: 4\n# ALTERNATIVE NAME 2: \"B\"\n"
                   "\n3: {1, 3}, 2\n1:4\n 2 : { 2 } ,1");
  BOOST_TEST_REQUIRE(o.ok);
  BOOST_TEST(o.box.title == "Board");
  BOOST_TEST((o.box.names == std::vector<std::string>{"1", "B", "3", "4"}));
  BOOST_TEST((o.box.ballots[0].rank == std::vector<int>{1, 2, 1, kUnranked}));
  BOOST_TEST((o.box.ballots[2].rank == std::vector<int>{2, 1, kUnranked, kUnranked}));
  BOOST_TEST(o.box.ballots[2].weight == 2);
  // Errors come in the old order: metadata errors before data errors,
  // "no NUMBER ALTERNATIVES" before data errors, data errors by line.
  BOOST_TEST(error_of(Format::kSoi, "# NUMBER ALTERNATIVES: 2\n1: 3\n# late\n") ==
             "line 3: metadata after the data");
  BOOST_TEST(error_of(Format::kSoi, "1: 3\n") ==
             "line 1: no \"# NUMBER ALTERNATIVES\" header (PrefLib 2022 format)");
  BOOST_TEST(error_of(Format::kSoi, "# NUMBER ALTERNATIVES: 2\n1: 1\nx: 1\n1: 3\n") ==
             "line 3: bad count");
  BOOST_TEST(error_of(Format::kSoi, "# NUMBER ALTERNATIVES: 2\n1: 1,1\n") ==
             "line 2: alternative 1 appears twice");
  BOOST_TEST(error_of(Format::kSoi, "# NUMBER ALTERNATIVES: 2\n1: {1,2}\n") ==
             "line 2: ties are not allowed in .soi");
  BOOST_TEST(error_of(Format::kToc, "# NUMBER ALTERNATIVES: 2\n1: {1,2\n") == "line 2: unclosed {");
  BOOST_TEST(error_of(Format::kSoc, "# NUMBER ALTERNATIVES: 2\n1: 2\n") ==
             "line 2: incomplete order in .soc");
  BOOST_TEST(error_of(Format::kToi, "# NUMBER ALTERNATIVES: 2\n1: {}\n") ==
             "line 2: alternative \"\" out of range");
  BOOST_TEST(error_of(Format::kToi, "# NUMBER ALTERNATIVES: 2\n1: 1 2\n") ==
             "line 2: alternative \"1 2\" out of range");
  BOOST_TEST(error_of(Format::kToi, "# NUMBER ALTERNATIVES: 2\n1 2\n") ==
             "line 2: expected \"<count>: <order>\"");
  for (const char* text :
       {"# NUMBER ALTERNATIVES: 0\n", "# NUMBER ALTERNATIVES: 9999999999999999999\n",
        "# ALTERNATIVE NAME x: y\n", "# ALTERNATIVE NAME 9: y\n# NUMBER ALTERNATIVES: 1\n1: 1\n",
        "# NUMBER ALTERNATIVES: 1\n999999999999999999: 1\n", "#\n# :\n# NUMBER ALTERNATIVES: 1\n"})
    for (Format f : {Format::kSoc, Format::kSoi, Format::kToc, Format::kToi}) same(f, text);
}

BOOST_AUTO_TEST_CASE(normalize_ranks_keeps_order_and_ties) {
  Ballot b;
  b.rank = {5, 0, 2, 5, 9, 0};
  normalize_ranks(&b);
  BOOST_TEST((b.rank == std::vector<int>{2, 0, 1, 2, 3, 0}));
  b.rank = {3, 1, 2, 0};  // dense already
  normalize_ranks(&b);
  BOOST_TEST((b.rank == std::vector<int>{3, 1, 2, 0}));
  b.rank = {70, 1, 65, 65};  // beyond the 64-bit fast path
  normalize_ranks(&b);
  BOOST_TEST((b.rank == std::vector<int>{3, 1, 2, 2}));
  b.rank.clear();
  for (int i = 64; i >= 1; --i) b.rank.push_back(i);
  normalize_ranks(&b);
  BOOST_TEST(b.rank.front() == 64);
  BOOST_TEST(b.rank.back() == 1);
}

namespace {

// Random files near a format's grammar, some valid and many not, then
// sometimes a random character inserted, replaced or removed.
class Fuzz {
 public:
  explicit Fuzz(unsigned seed) : rng_(seed) {}

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool chance(int percent) { return pick(100) < percent; }
  template <size_t N>
  std::string any(const char* const (&choices)[N]) {
    return choices[pick(static_cast<int>(N))];
  }
  std::string eol() { return chance(20) ? "\r\n" : "\n"; }

  std::string mutate(std::string s) {
    static const char kChars[] = ",\"=- 0123456789{}#:\r\n\txNo";
    int edits = chance(40) ? 1 + pick(3) : 0;
    for (int k = 0; k < edits && !s.empty(); ++k) {
      size_t at = static_cast<size_t>(pick(static_cast<int>(s.size())));
      char c = kChars[pick(sizeof kChars - 1)];
      switch (pick(3)) {
        case 0:
          s.insert(s.begin() + at, c);
          break;
        case 1:
          s[at] = c;
          break;
        default:
          s.erase(at, 1);
      }
    }
    if (chance(15) && !s.empty() && s.back() == '\n') s.pop_back();
    return s;
  }

  std::string csv() {
    static const char* const kIds[] = {"a", "b", "c", "d", "\"e\"", " f ", "a", "", "\"\""};
    static const char* const kCells[] = {"1",
                                         "2",
                                         "3",
                                         "4",
                                         "No opinion",
                                         "No opinion",
                                         "\"2\"",
                                         " 1 ",
                                         "",
                                         "0",
                                         "x",
                                         "-1",
                                         "+1",
                                         "No Opinion",
                                         "\"\"",
                                         "\"No opinion\"",
                                         "99999999999999999999",
                                         "000000000000000001",
                                         "1073741825",
                                         "2147483648",
                                         " \"3\" ",
                                         "\t4"};
    int c = 1 + pick(4);
    std::string s;
    for (int i = 0; i < c; ++i)
      s += (i ? "," : "") + (chance(90) ? std::string(1, 'a' + i) : any(kIds));
    s += eol();
    int rows = pick(6);
    for (int r = 0; r < rows; ++r) {
      if (chance(10)) {
        s += chance(50) ? "" : " \t";
        s += eol();
        continue;
      }
      int cells = chance(90) ? c : c + pick(3) - 1;
      for (int i = 0; i < cells; ++i) s += (i ? "," : "") + any(kCells);
      s += eol();
    }
    return mutate(s);
  }

  std::string blt() {
    static const char* const kHeaders[] = {"3 1",       "3 2",   "2 1",  "x 1",           "3 0",
                                           "3 2 extra", " 3\t1", "+3 1", "3 99999999999", "3"};
    static const char* const kWithdrawn[] = {"-1", "-3", "-4", "-1 -2", "- 1", "-1 x", "-0"};
    static const char* const kWeights[] = {"1",   "2", "1", "0", "x", "10000000000000000000",
                                           "007", "-1"};
    static const char* const kTokens[] = {"1",  "2", "3", "4", "-",   "1=2", "2=2", "=",
                                          "00", "x", "1", "2", "3=1", "#c",  "01",  "0"};
    static const char* const kNames[] = {"\"Ann\"", "Bob", "\"Cy # x\"", "\"\"",
                                         "\"D",     "# c", "\"T\""};
    std::string s;
    if (chance(10)) s += "# generated" + eol();
    s += any(kHeaders) + eol();
    if (chance(25)) s += any(kWithdrawn) + eol();
    int rows = pick(5);
    for (int r = 0; r < rows; ++r) {
      if (chance(10)) s += eol();
      s += any(kWeights);
      int toks = pick(5);
      for (int t = 0; t < toks; ++t) s += " " + any(kTokens);
      if (chance(85)) s += " 0";
      if (chance(10)) s += " # comment";
      s += eol();
    }
    if (chance(90)) s += "0" + eol();
    int names = pick(6);
    for (int i = 0; i < names; ++i) s += any(kNames) + eol();
    return mutate(s);
  }

  std::string preflib() {
    static const char* const kMeta[] = {"# NUMBER ALTERNATIVES: 3",
                                        "# NUMBER ALTERNATIVES: 3",
                                        "# NUMBER ALTERNATIVES: 2",
                                        "# NUMBER ALTERNATIVES: x",
                                        "# ALTERNATIVE NAME 1: \"X\"",
                                        "# ALTERNATIVE NAME 2: Y",
                                        "# ALTERNATIVE NAME y: Y",
                                        "# TITLE:  T ",
                                        "# FILE NAME: f.soi",
                                        "#",
                                        "# no colon"};
    static const char* const kItems[] = {"1",  "2", "3",   "4",   "{1,2}",  "{3}",   "{}",
                                         "{2", "0", " 2 ", "1 2", "{1, 3}", "{2,2}", ""};
    static const char* const kCounts[] = {"1", "2", "x", "", " 3 ", "0", "-1"};
    std::string s;
    int metas = pick(5);
    for (int i = 0; i < metas; ++i) s += any(kMeta) + eol();
    int rows = pick(5);
    for (int r = 0; r < rows; ++r) {
      if (chance(10)) s += eol();
      s += any(kCounts);
      if (chance(92)) s += ":";
      int items = pick(5);
      for (int i = 0; i < items; ++i) s += (i ? "," : " ") + any(kItems);
      s += eol();
    }
    if (chance(10)) s += any(kMeta) + eol();
    return mutate(s);
  }

 private:
  std::mt19937 rng_;
};

}  // namespace

BOOST_AUTO_TEST_CASE(random_inputs_read_alike) {
  Fuzz fuzz(20261201);
  const Format preflib[] = {Format::kSoc, Format::kSoi, Format::kToc, Format::kToi};
  int accepted[3] = {0, 0, 0}, rejected[3] = {0, 0, 0};
  for (int i = 0; i < 20000; ++i) {
    Outcome csv = same(Format::kElekto, fuzz.csv());
    ++(csv.ok ? accepted : rejected)[0];
    Outcome blt = same(Format::kBlt, fuzz.blt());
    ++(blt.ok ? accepted : rejected)[1];
    Outcome pl = same(preflib[i % 4], fuzz.preflib());
    ++(pl.ok ? accepted : rejected)[2];
  }
  // The generator reaches both sides of every reader.
  for (int k = 0; k < 3; ++k) {
    BOOST_TEST(accepted[k] > 500);
    BOOST_TEST(rejected[k] > 500);
  }
}
