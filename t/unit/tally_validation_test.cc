// Real elections with published outcomes (t/data/validation, see its
// README.md): every RESULT.txt reproduced with the method the election used.
#define BOOST_TEST_MODULE tally_validation
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "tally/count.h"
#include "tally/formats.h"

using namespace urna;
using namespace urna::tally;
using core::Method;

namespace {

std::string data_dir() {
  const char* src = std::getenv("URNA_SRCDIR");
  std::string base = src && *src ? src : ".";
  std::string dir = base + "/t/data/validation";
  if (std::ifstream(dir + "/README.md")) return dir;
  for (const char* rel : {"../t/data/validation", "../../t/data/validation"})
    if (std::ifstream(std::string(rel) + "/README.md")) return rel;
  return dir;
}

BallotBox load(const std::string& rel) {
  const std::string path = data_dir() + "/" + rel;
  std::ifstream in(path);
  BOOST_REQUIRE_MESSAGE(in, "cannot open " << path);
  auto f = format_from_path(path);
  BOOST_REQUIRE(f.has_value());
  return read_ballots(in, *f);
}

int index_of(const BallotBox& b, const std::string& name) {
  for (size_t i = 0; i < b.names.size(); ++i)
    if (b.names[i] == name) return static_cast<int>(i);
  BOOST_FAIL("no candidate " << name);
  return -1;
}

std::set<int> as_set(const std::vector<int>& v) { return {v.begin(), v.end()}; }

}  // namespace

BOOST_AUTO_TEST_CASE(wikipedia_schulze_45) {
  BallotBox b = load("wikipedia-schulze-45/schulze45.soc");
  QuestionResult r = count_box(b, Method::kSchulze);
  const std::vector<std::vector<std::int64_t>> d = {{0, 20, 26, 30, 22},
                                                    {25, 0, 16, 33, 18},
                                                    {19, 29, 0, 17, 24},
                                                    {15, 12, 28, 0, 14},
                                                    {23, 27, 21, 31, 0}};
  const std::vector<std::vector<std::int64_t>> p = {{0, 28, 28, 30, 24},
                                                    {25, 0, 28, 33, 24},
                                                    {25, 29, 0, 29, 24},
                                                    {25, 28, 28, 0, 24},
                                                    {25, 28, 28, 31, 0}};
  BOOST_TEST(r.d == d);
  BOOST_TEST(r.p == p);
  // E > A > C > B > D: alternatives 5 1 3 2 4.
  std::vector<std::vector<int>> ranking = {{4}, {0}, {2}, {1}, {3}};
  BOOST_TEST(r.ranking == ranking);
  BOOST_TEST(r.ballots_valid == 45);
}

BOOST_AUTO_TEST_CASE(tennessee_100) {
  BallotBox b = load("tennessee-100/tennessee.soc");
  const int memphis = index_of(b, "Memphis"), nashville = index_of(b, "Nashville"),
            chatt = index_of(b, "Chattanooga"), knox = index_of(b, "Knoxville");
  QuestionResult rp = count_box(b, Method::kRankedPairs);
  std::vector<std::vector<int>> order = {{nashville}, {chatt}, {knox}, {memphis}};
  BOOST_TEST(rp.ranking == order);
  BOOST_TEST(rp.d[nashville][memphis] == 58);
  BOOST_TEST(rp.d[chatt][memphis] == 58);
  BOOST_TEST(rp.d[knox][memphis] == 58);
  BOOST_TEST(rp.d[nashville][chatt] == 68);
  BOOST_TEST(rp.d[nashville][knox] == 68);
  BOOST_TEST(rp.d[chatt][knox] == 83);
  QuestionResult irv = count_box(b, Method::kIrv);
  BOOST_TEST((irv.winners == std::vector<int>{knox}));
  BOOST_TEST((irv.rounds[0].excluded == std::vector<int>{chatt}));
  BOOST_TEST((irv.rounds[1].excluded == std::vector<int>{nashville}));
  BOOST_TEST(irv.rounds.back().votes[knox] == 58);
  BallotBox first = b;
  first.ballots = first_preferences(b.ballots);
  QuestionResult pl = count_box(first, Method::kPlurality);
  BOOST_TEST((pl.winners == std::vector<int>{memphis}));
  BOOST_TEST(pl.scores[memphis] == 42);
  BOOST_TEST(pl.scores[nashville] == 26);
  BOOST_TEST(pl.scores[knox] == 17);
  BOOST_TEST(pl.scores[chatt] == 15);
  QuestionResult borda = count_box(b, Method::kBorda);
  BOOST_TEST(borda.scores[nashville] == 194);
  BOOST_TEST(borda.scores[memphis] == 126);
  BOOST_TEST(borda.scores[knox] == 107);
  BOOST_TEST((borda.winners == std::vector<int>{nashville}));
  QuestionResult s = count_box(b, Method::kSchulze);
  BOOST_TEST((s.winners == std::vector<int>{nashville}));
}

BOOST_AUTO_TEST_CASE(burlington_2009_irv_and_condorcet) {
  BallotBox b = load("burlington-irv/00005-00000002.toi");
  const int kiss = index_of(b, "Bob Kiss"), montroll = index_of(b, "Andy Montroll"),
            simpson = index_of(b, "James Simpson"), smith = index_of(b, "Dan Smith"),
            wright = index_of(b, "Kurt Wright"), write_in = index_of(b, "Write-In");
  QuestionResult irv = count_box(b, Method::kIrv);
  BOOST_TEST(irv.ballots_cast == 8980);
  BOOST_TEST((irv.winners == std::vector<int>{kiss}));
  BOOST_REQUIRE(irv.rounds.size() == 3u);
  const Round& r1 = irv.rounds[0];
  BOOST_TEST(r1.votes[wright] == 2951);
  BOOST_TEST(r1.votes[kiss] == 2585);
  BOOST_TEST(r1.votes[montroll] == 2063);
  BOOST_TEST(r1.votes[smith] == 1306);
  BOOST_TEST(as_set(r1.excluded) == (std::set<int>{simpson, smith, write_in}));
  BOOST_TEST((irv.rounds[1].excluded == std::vector<int>{montroll}));
  BOOST_TEST(irv.rounds[2].votes[kiss] == 4313);
  BOOST_TEST(irv.rounds[2].votes[wright] == 4061);
  BOOST_TEST(irv.rounds[2].votes[kiss] + irv.rounds[2].votes[wright] == 8374);

  CountOptions last;
  last.unranked = Unranked::kLast;
  QuestionResult s = count_box(b, Method::kSchulze, last);
  BOOST_TEST((s.winners == std::vector<int>{montroll}));
  BOOST_TEST(s.d[montroll][kiss] == 4067);
  BOOST_TEST(s.d[kiss][montroll] == 3477);
  BOOST_TEST(s.d[montroll][smith] == 4573);
  BOOST_TEST(s.d[smith][montroll] == 2998);
  BOOST_TEST(s.d[montroll][simpson] == 6267);
  BOOST_TEST(s.d[simpson][montroll] == 591);
  BOOST_TEST(s.d[montroll][write_in] == 6658);
  BOOST_TEST(s.d[write_in][montroll] == 104);
  BOOST_TEST(s.d[montroll][wright] == 4597);
  BOOST_TEST(s.d[wright][montroll] == 3668);
  BOOST_TEST(s.d[kiss][wright] == 4314);
  BOOST_TEST(s.d[wright][kiss] == 4064);
  BOOST_TEST(s.d[kiss][smith] == 3946);
  BOOST_TEST(s.d[smith][kiss] == 3577);
  QuestionResult rp = count_box(b, Method::kRankedPairs, last);
  BOOST_TEST((rp.winners == std::vector<int>{montroll}));
}

BOOST_AUTO_TEST_CASE(burlington_2006_irv) {
  BallotBox b = load("burlington-irv/00005-00000001.toi");
  QuestionResult irv = count_box(b, Method::kIrv);
  BOOST_TEST(irv.ballots_cast == 9788);
  BOOST_TEST((irv.winners == std::vector<int>{index_of(b, "Bob Kiss")}));
}

BOOST_AUTO_TEST_CASE(minneapolis_2009_bet) {
  BallotBox b = load("minneapolis-2009-stv/00018-00000004.soi");
  CountOptions opt;
  opt.seats = 2;
  opt.stv = StvVariant::kMinneapolis;
  QuestionResult r = count_box(b, Method::kStv, opt);
  BOOST_TEST(r.ballots_valid == 32086);
  BOOST_TEST(r.quota == 10696);
  const int becker = index_of(b, "Carol Becker"), martens = index_of(b, "R. Michael Martens"),
            swartwood = index_of(b, "James Elliot Swartwood"),
            townsend = index_of(b, "Dewayne Townsend"), wheeler = index_of(b, "David Wheeler"),
            wilkie = index_of(b, "Phil Wilkie"), write_in = index_of(b, "Write In");
  BOOST_TEST((r.winners == std::vector<int>{becker, wheeler}));
  BOOST_REQUIRE(r.rounds.size() == 5u);
  BOOST_TEST((r.rounds[0].elected == std::vector<int>{becker}));
  BOOST_TEST(r.rounds[0].votes[becker] / 32086 > 0.52);  // 52.1% of first choices
  BOOST_TEST(r.rounds[0].surplus_of == becker);
  BOOST_TEST(as_set(r.rounds[1].excluded) == (std::set<int>{swartwood, write_in}));
  BOOST_TEST((r.rounds[2].excluded == std::vector<int>{martens}));
  BOOST_TEST(as_set(r.rounds[3].excluded) == (std::set<int>{townsend, wilkie}));
  BOOST_TEST((r.rounds[4].elected == std::vector<int>{wheeler}));
  // "1.5560 surplus votes could not be distributed due to rounding".
  BOOST_TEST(std::abs(r.rounds[1].lost - 1.5560) < 1e-9);
}

BOOST_AUTO_TEST_CASE(minneapolis_2009_park_at_large) {
  BallotBox b = load("minneapolis-2009-stv/00018-00000002.soi");
  CountOptions opt;
  opt.seats = 3;
  opt.stv = StvVariant::kMinneapolis;
  QuestionResult r = count_box(b, Method::kStv, opt);
  BOOST_TEST(r.ballots_valid == 36655);
  BOOST_TEST(r.quota == 9164);
  const int fine = index_of(b, "Bob Fine"), young = index_of(b, "Annie Young"),
            erwin = index_of(b, "John Erwin"), anderson = index_of(b, "Mary Merrill Anderson"),
            nordyke = index_of(b, "Tom Nordyke"), wahlstedt = index_of(b, "David Wahstedt"),
            bernard = index_of(b, "Nancy Bernard"), butler = index_of(b, "John Butler"),
            write_in = index_of(b, "Write In");
  BOOST_TEST(as_set(r.winners) == (std::set<int>{fine, young, erwin}));
  // Published round totals (whole votes; ours carry 4 decimal places).
  const std::vector<std::pair<int, std::vector<double>>> published = {
      {fine, {8089, 8193, 8363, 8708, 9329}},
      {young, {6941, 7062, 7490, 7741, 8371}},
      {erwin, {6376, 6514, 6635, 6841, 7733}},
      {anderson, {5394, 5470, 5913, 6096, 6810}},
      {nordyke, {3716, 3787, 3885, 4118}},
      {wahlstedt, {2807, 2888, 2991}},
      {bernard, {2024, 2125}},
      {butler, {1114}},
      {write_in, {194}}};
  BOOST_REQUIRE(r.rounds.size() >= 5u);
  for (const auto& [c, totals] : published)
    for (size_t k = 0; k < totals.size(); ++k)
      BOOST_TEST(std::floor(r.rounds[k].votes[c]) == totals[k],
                 b.names[c] << " round " << k + 1);
  const std::vector<double> exhausted = {616, 1378, 3151, 4412};
  for (size_t k = 0; k < exhausted.size(); ++k)
    BOOST_TEST(std::floor(r.rounds[k + 1].exhausted) == exhausted[k], "round " << k + 2);
}

BOOST_AUTO_TEST_CASE(irish_2002_dublin_north) {
  BallotBox b = load("irish-2002-stv/00001-00000001.soi");
  CountOptions opt;
  opt.seats = 4;
  QuestionResult r = count_box(b, Method::kStv, opt);
  BOOST_TEST(r.ballots_valid == 43942);
  // Sargent (10), Ryan (9), Glennon (4), Wright (12).
  BOOST_TEST(as_set(r.winners) == (std::set<int>{9, 8, 3, 11}));
  BOOST_TEST(r.winners[0] == 9);  // Sargent topped the poll
}

BOOST_AUTO_TEST_CASE(irish_2002_dublin_west) {
  BallotBox b = load("irish-2002-stv/00001-00000002.soi");
  CountOptions opt;
  opt.seats = 3;
  QuestionResult r = count_box(b, Method::kStv, opt);
  BOOST_TEST(r.ballots_valid == 29988);
  // Lenihan (5), Higgins (4), Burton (2).
  BOOST_TEST(as_set(r.winners) == (std::set<int>{4, 3, 1}));
}

// --- Debian: the published pairwise matrix exactly, and the winner with
// the constitution's quorum and majority ratios (A.6). ----------------------

namespace {

struct DebianResult {
  int options = 0;
  std::vector<std::vector<std::int64_t>> d;
  double quorum = 0;
  std::map<int, double> majority;  // option (1-based) -> ratio
  std::vector<int> winners;        // 1-based
};

double last_number(const std::string& line) {
  std::smatch m;
  std::regex num("([0-9]+(\\.[0-9]+)?)\\s*$");
  if (std::regex_search(line, m, num)) return std::stod(m[1]);
  return 0;
}

DebianResult parse_debian_results(const std::string& path) {
  std::ifstream in(path);
  DebianResult r;
  std::string line;
  std::regex row("^Option ([0-9]+)((\\s+[0-9]+)+)\\s*$");
  std::regex majority("Option ([0-9]+) (passes|because of) Majority");
  std::regex winner("^\\s+Option ([0-9]+) \"");
  bool in_winners = false;
  std::map<int, std::vector<std::int64_t>> rows;
  std::map<int, std::string> rows_text;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, row)) rows_text[std::stoi(m[1])] = line;
    if (line.find("Reached quorum") != std::string::npos) r.quorum = last_number(line);
    if (std::regex_search(line, m, majority))
      r.majority[std::stoi(m[1])] = last_number(line);
    if (line.find("The winners are") != std::string::npos) in_winners = true;
    else if (in_winners && std::regex_search(line, m, winner))
      r.winners.push_back(std::stoi(m[1]));
    else if (in_winners && line.find("-=-=") != std::string::npos && !r.winners.empty())
      in_winners = false;
  }
  // Matrix rows have an empty diagonal cell: N options, N-1 numbers.
  for (const auto& [i, text] : rows_text) {
    std::istringstream s(text.substr(6));
    std::int64_t v;
    int k = -1;  // the row's own number comes first
    while (s >> v) ++k;
    r.options = std::max(r.options, k + 1);
  }
  r.d.assign(r.options, std::vector<std::int64_t>(r.options, 0));
  for (const auto& [i, text] : rows_text) {
    std::istringstream s(text.substr(text.find(std::to_string(i)) + std::to_string(i).size()));
    std::vector<std::int64_t> values;
    std::int64_t v;
    while (s >> v) values.push_back(v);
    if (static_cast<int>(values.size()) != r.options - 1) continue;
    int k = 0;
    for (int j = 0; j < r.options; ++j)
      if (j != i - 1) r.d[i - 1][j] = values[k++];
  }
  return r;
}

std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> out;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) out.push_back(e->d_name);
    closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(debian_results_files) {
  const std::string dir = data_dir() + "/debian";
  int checked = 0;
  for (const std::string& name : list_dir(dir)) {
    const std::string suffix = "_results.txt";
    if (name.size() < suffix.size() ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    BOOST_TEST_CONTEXT(name) {
      const std::string stem = name.substr(0, name.size() - suffix.size());
      DebianResult pub = parse_debian_results(dir + "/" + name);
      BallotBox b = load("debian/" + stem + "_tally.txt");
      BOOST_TEST(static_cast<int>(b.candidates.size()) == pub.options);
      CountOptions opt;
      opt.unranked = Unranked::kLast;
      // The default option is the one without a majority line.
      for (int o = 1; o <= pub.options; ++o)
        if (!pub.majority.count(o)) opt.default_option = o - 1;
      opt.quorum = pub.quorum;
      opt.majority.assign(pub.options, 1.0);
      for (const auto& [o, ratio] : pub.majority) opt.majority[o - 1] = ratio;
      QuestionResult r = count_box(b, Method::kSchulze, opt);
      BOOST_TEST(r.d == pub.d);
      std::vector<int> winners;
      for (int w : r.winners) winners.push_back(w + 1);
      BOOST_TEST(winners == pub.winners);
      ++checked;
    }
  }
  BOOST_TEST(checked == 20);
}

BOOST_AUTO_TEST_CASE(debian_2002_and_2003_leader) {
  CountOptions opt;
  opt.unranked = Unranked::kLast;
  BallotBox b = load("debian/2002_tally.txt");
  QuestionResult r = count_box(b, Method::kSchulze, opt);
  BOOST_TEST(r.ballots_cast == 475);
  const std::vector<std::vector<std::int64_t>> d = {{0, 255, 178, 385},
                                                    {199, 0, 134, 406},
                                                    {291, 327, 0, 443},
                                                    {68, 50, 18, 0}};
  BOOST_TEST(r.d == d);
  BOOST_TEST((r.winners == std::vector<int>{2}));  // Bdale Garbee
  b = load("debian/2003_leader2003_tally.txt");
  r = count_box(b, Method::kSchulze, opt);
  BOOST_TEST(r.ballots_cast == 488);
  // pairs: 1>5 228:202, 2>1 428:34, 2>3 238:221, 2>5 449:29, 3>1 385:66,
  // 3>5 405:65, 4>1 397:38, 4>2 228:224, 4>3 237:226, 4>5 424:39
  const int pairs[][4] = {{1, 5, 228, 202}, {2, 1, 428, 34}, {2, 3, 238, 221},
                          {2, 5, 449, 29},  {3, 1, 385, 66}, {3, 5, 405, 65},
                          {4, 1, 397, 38},  {4, 2, 228, 224}, {4, 3, 237, 226},
                          {4, 5, 424, 39}};
  for (const auto& p : pairs) {
    BOOST_TEST(r.d[p[0] - 1][p[1] - 1] == p[2]);
    BOOST_TEST(r.d[p[1] - 1][p[0] - 1] == p[3]);
  }
  BOOST_TEST((r.winners == std::vector<int>{3}));  // Martin Michlmayr
}
