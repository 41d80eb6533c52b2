// tally::encode_ranking / decode_ranking: the stored ranking of one
// question. The literal strings are the booth's (src/web/ballot_form.h,
// t/unit/ballot_form_test.cc): if one side changes, this test must fail.
#define BOOST_TEST_MODULE ranking_codec
#include "tally/ranking_codec.h"

#include <algorithm>
#include <boost/test/unit_test.hpp>

using urna::tally::decode_ranking;
using urna::tally::encode_ranking;
using urna::tally::RawBallot;
using Marks = std::vector<std::pair<std::string, int>>;

namespace {

RawBallot raw(Marks m) {
  RawBallot b;
  b.marks = std::move(m);
  return b;
}

}  // namespace

BOOST_AUTO_TEST_CASE(encodes_as_the_booth) {
  const std::vector<std::pair<Marks, std::string>> table = {
      {{}, ""},
      {{{"carol", 1}, {"alice", 2}}, "alice=2&carol=1"},
      {{{"a", 1}, {"b", 0}}, "a=1"},  // unranked omitted
      {{{"Zoë", 1}, {"b c", 2}}, "Zo%C3%AB=1&b%20c=2"},
      {{{"d/e f&g=h", 1}}, "d%2Fe%20f%26g%3Dh=1"},
      {{{"yes", 1}}, "yes=1"},                          // plurality / Yes-No: the pick is rank 1
      {{{"a", 1}, {"b", 1}, {"c", 2}}, "a=1&b=1&c=2"},  // equal ranks
  };
  for (const auto& [marks, text] : table) {
    BOOST_TEST_CONTEXT(text) { BOOST_TEST(encode_ranking(raw(marks)) == text); }
  }
}

BOOST_AUTO_TEST_CASE(round_trips) {
  const std::vector<Marks> round = {
      {},
      {{"alice", 1}},
      {{"alice", 2}, {"bob", 1}, {"carol", 2}},
      {{"a&b", 1}, {"x=y", 3}, {"~._-", 12}},
      {{"Zoë", 1}, {"李", 2}},
      {{"a", 999999}},
  };
  for (const auto& m : round) {
    auto back = decode_ranking(encode_ranking(raw(m)));
    BOOST_TEST_REQUIRE(back.has_value());
    Marks sorted = m;
    std::sort(sorted.begin(), sorted.end());
    BOOST_TEST((back->marks == sorted));
    BOOST_TEST(back->weight == 1);
  }
}

BOOST_AUTO_TEST_CASE(decodes_the_booth_strings) {
  BOOST_TEST((decode_ranking("alice=2&bob=1")->marks == Marks{{"alice", 2}, {"bob", 1}}));
  BOOST_TEST((decode_ranking("b%20c=2")->marks == Marks{{"b c", 2}}));
  BOOST_TEST((decode_ranking("b%2fc=2")->marks == Marks{{"b/c", 2}}));  // lower-case hex
  BOOST_TEST((decode_ranking("d%2Fe%20f%26g%3Dh=1")->marks == Marks{{"d/e f&g=h", 1}}));
  BOOST_TEST(decode_ranking("")->marks.empty());  // blank, not invalid
}

BOOST_AUTO_TEST_CASE(refuses_what_the_booth_cannot_write) {
  // The same list as ballot_form_test's decode_marks failures, plus more.
  for (const char* bad : {"alice",
                          "=1",
                          "alice=",
                          "alice=0",
                          "alice=-1",
                          "alice=x",
                          "alice=1&",
                          "&alice=1",
                          "alice=1&&bob=1",
                          "bob=1&alice=2",
                          "alice=1&alice=2",
                          "a%2=1",
                          "a%zz=1",
                          "a%=1",
                          "alice=01",
                          "alice=1=2",
                          "%=1",
                          "alice=+1",
                          "alice= 1",
                          "alice=1000000",
                          "alice=1.5",
                          "&",
                          "=",
                          "alice=99999999999999999999"}) {
    BOOST_TEST_CONTEXT(bad) {
      std::string why;
      BOOST_TEST(!decode_ranking(bad, &why).has_value());
      BOOST_TEST(why.rfind("malformed ranking: ", 0) == 0u, why);
    }
  }
  std::string why;
  decode_ranking("a%zz=1", &why);
  BOOST_TEST(why == "malformed ranking: bad percent escape");
  decode_ranking("alice=x", &why);
  BOOST_TEST(why == "malformed ranking: rank is not a positive whole number");
  decode_ranking("alice=1&alice=2", &why);
  BOOST_TEST(why == "malformed ranking: an answer ranked twice");
  decode_ranking("bob=1&alice=2", &why);
  BOOST_TEST(why == "malformed ranking: answers out of order");
}

// Found by t/fuzz/ballot_plaintext_fuzz: "y\x95s=1" was accepted as the id
// "y\x95s", which encode_ranking would have written "y%95s=1". Characters
// that encode_ranking escapes are refused when written raw.
BOOST_AUTO_TEST_CASE(refuses_raw_characters_the_encoder_escapes) {
  for (const char* bad : {"y\x95s=1", "a b=1", "a/b=1", "Zo\xc3\xab=1", "a+b=1", "alice=1&b:c=2"}) {
    BOOST_TEST_CONTEXT(bad) {
      std::string why;
      BOOST_TEST(!decode_ranking(bad, &why).has_value());
      BOOST_TEST(why == "malformed ranking: a character that must be percent-encoded");
    }
  }
  // The same ids escaped, as the booth writes them, still read.
  BOOST_TEST((decode_ranking("y%95s=1")->marks == Marks{{"y\x95s", 1}}));
  BOOST_TEST((decode_ranking("Zo%C3%AB=1")->marks == Marks{{"Zo\xc3\xab", 1}}));
}
