// Unit tests for src/core/snapshot_json: every field round-trips; bad JSON
// and wrong types throw a clear std::runtime_error naming the JSON path.
#define BOOST_TEST_MODULE meta_json
#include <boost/test/unit_test.hpp>

#include <string>

#include "core/model.h"
#include "core/snapshot_json.h"

using namespace urna::core;

namespace {

// A snapshot where every field differs from its default.
Snapshot full() {
  Snapshot s;
  s.commit = "0123456789abcdef0123456789abcdef01234567";
  Election e;
  e.id = "uni";
  e.folder = "uni";
  e.name = "Electoral Process \"2026\" <é>";
  e.organization = "University";
  e.start = 1767225600;
  e.end = 2082758400;
  e.exception_due = 1767312000;
  e.no_winners = 3;
  e.allow_no_opinion = false;
  e.delete_after = true;
  e.show_candidate_fields = {"employer", "slack"};
  e.officers = {"olga", "12345"};
  e.eligibility = "Members.";
  e.exception_description = "Ask.";
  e.description_html = "<p>Desc</p>\n";
  e.results_html = std::string("<p>Results</p>\n");
  Candidate c;
  c.id = "ann";
  c.name = "Ann";
  c.info = {{"employer", "ACME"}, {"slack", "@ann"}};
  c.bio_html = "<p>bio</p>";
  e.candidates = {c};
  Question q;
  q.id = "q1";
  q.title = "Shall we?";
  q.method = Method::kApproval;
  q.winners = 2;
  q.answers = {{"yes", "Yes"}, {"no", "No"}};
  q.min_selections = 1;
  q.max_selections = 2;
  q.from_candidates = true;
  q.description_html = "<p>q</p>";
  e.questions = {q};
  e.voters = {{"alice", {"students"}}, {"bob", {}}};
  e.results_visibility = ResultsVisibility::kOfficersFirst;
  e.receipts = true;
  e.public_ballots = true;
  e.parent = "";
  e.children = {"uni/students", "uni/professors"};
  e.categories = {{"All", {"students", "professors"}}};
  Pipe p;
  p.type = "apply_modifications";
  p.source_election = "students";
  p.source_question = "q1";
  p.question = "q1";
  p.action = "set-title";
  p.value = "New";
  p.answers = {"yes"};
  p.no_votes = true;
  e.pipes = {p};
  Election child;
  child.id = "uni/students";
  child.folder = "students";
  child.parent = "uni";
  child.start = -5; // negative times survive
  s.elections = {e, child};
  return s;
}

bool same(const Snapshot &a, const Snapshot &b) {
  // Compare through the serialization of each field by hand for clarity.
  if (a.commit != b.commit || a.elections.size() != b.elections.size())
    return false;
  for (size_t i = 0; i < a.elections.size(); ++i) {
    const Election &x = a.elections[i];
    const Election &y = b.elections[i];
    if (x.id != y.id || x.folder != y.folder || x.name != y.name ||
        x.organization != y.organization || x.start != y.start ||
        x.end != y.end || x.exception_due != y.exception_due ||
        x.no_winners != y.no_winners ||
        x.allow_no_opinion != y.allow_no_opinion ||
        x.delete_after != y.delete_after ||
        x.show_candidate_fields != y.show_candidate_fields ||
        x.officers != y.officers || x.eligibility != y.eligibility ||
        x.exception_description != y.exception_description ||
        x.description_html != y.description_html ||
        x.results_html != y.results_html ||
        x.results_visibility != y.results_visibility ||
        x.receipts != y.receipts || x.public_ballots != y.public_ballots ||
        x.parent != y.parent || x.children != y.children)
      return false;
    if (x.candidates.size() != y.candidates.size())
      return false;
    for (size_t j = 0; j < x.candidates.size(); ++j) {
      const auto &c = x.candidates[j];
      const auto &d = y.candidates[j];
      if (c.id != d.id || c.name != d.name || c.info != d.info ||
          c.bio_html != d.bio_html)
        return false;
    }
    if (x.questions.size() != y.questions.size())
      return false;
    for (size_t j = 0; j < x.questions.size(); ++j) {
      const auto &q = x.questions[j];
      const auto &r = y.questions[j];
      if (q.id != r.id || q.title != r.title || q.method != r.method ||
          q.winners != r.winners || q.min_selections != r.min_selections ||
          q.max_selections != r.max_selections ||
          q.from_candidates != r.from_candidates ||
          q.description_html != r.description_html ||
          q.answers.size() != r.answers.size())
        return false;
      for (size_t k = 0; k < q.answers.size(); ++k)
        if (q.answers[k].id != r.answers[k].id ||
            q.answers[k].text != r.answers[k].text)
          return false;
    }
    if (x.voters.size() != y.voters.size())
      return false;
    for (size_t j = 0; j < x.voters.size(); ++j)
      if (x.voters[j].login != y.voters[j].login ||
          x.voters[j].children != y.voters[j].children)
        return false;
    if (x.categories.size() != y.categories.size())
      return false;
    for (size_t j = 0; j < x.categories.size(); ++j)
      if (x.categories[j].title != y.categories[j].title ||
          x.categories[j].children != y.categories[j].children)
        return false;
    if (x.pipes.size() != y.pipes.size())
      return false;
    for (size_t j = 0; j < x.pipes.size(); ++j) {
      const auto &p = x.pipes[j];
      const auto &q = y.pipes[j];
      if (p.type != q.type || p.source_election != q.source_election ||
          p.source_question != q.source_question || p.question != q.question ||
          p.action != q.action || p.value != q.value ||
          p.answers != q.answers || p.no_votes != q.no_votes)
        return false;
    }
  }
  return true;
}

std::string error_of(const std::string &json) {
  try {
    snapshot_from_json(json);
  } catch (const std::runtime_error &e) {
    return e.what();
  }
  return "";
}

} // namespace

BOOST_AUTO_TEST_CASE(every_field_round_trips) {
  Snapshot s = full();
  std::string json = snapshot_to_json(s);
  Snapshot back = snapshot_from_json(json);
  BOOST_TEST(same(s, back));
  // Stable: serializing again gives the same bytes.
  BOOST_TEST(snapshot_to_json(back) == json);
  BOOST_TEST(json.find('\n') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(defaults_round_trip) {
  Snapshot s;
  Election e;
  e.id = "x";
  s.elections = {e};
  Snapshot back = snapshot_from_json(snapshot_to_json(s));
  BOOST_TEST(same(s, back));
  BOOST_TEST(!back.elections[0].results_html.has_value());
  // An empty results.md is not the same as none.
  s.elections[0].results_html = std::string();
  back = snapshot_from_json(snapshot_to_json(s));
  BOOST_TEST(back.elections[0].results_html.has_value());
}

BOOST_AUTO_TEST_CASE(every_method_round_trips) {
  for (Method m :
       {Method::kSchulze, Method::kRankedPairs, Method::kIrv, Method::kStv,
        Method::kPlurality, Method::kApproval, Method::kBorda}) {
    Snapshot s;
    Election e;
    e.id = "x";
    Question q;
    q.method = m;
    e.questions = {q};
    s.elections = {e};
    Method back = snapshot_from_json(snapshot_to_json(s))
                      .elections[0]
                      .questions[0]
                      .method;
    BOOST_TEST(std::string(method_name(back)) == method_name(m));
  }
}

BOOST_AUTO_TEST_CASE(missing_optional_fields_take_defaults) {
  Snapshot s = snapshot_from_json(R"({"format":1,"elections":[{"id":"a"}]})");
  BOOST_TEST(s.elections.size() == 1u);
  BOOST_TEST(s.elections[0].allow_no_opinion);
  BOOST_TEST(s.elections[0].no_winners == 1);
}

BOOST_AUTO_TEST_CASE(bad_json_throws_clear_errors) {
  struct Row {
    const char *json;
    const char *expect; // substring of the message
  };
  const Row rows[] = {
      {"", "not valid JSON"},
      {"{", "not valid JSON"},
      {"[]", "$: expected an object"},
      {"{\"elections\":[]}", "$.format: missing"},
      {"{\"format\":99,\"elections\":[]}", "format 99 is not supported"},
      {"{\"format\":\"1\",\"elections\":[]}", "$.format: expected an integer"},
      {"{\"format\":1}", "$.elections: missing"},
      {"{\"format\":1,\"elections\":{}}", "$.elections: expected an array"},
      {"{\"format\":1,\"elections\":[5]}",
       "$.elections[0]: expected an object"},
      {"{\"format\":1,\"elections\":[{}]}", "$.elections[0].id: missing"},
      {"{\"format\":1,\"elections\":[{\"id\":\"a\",\"start\":\"x\"}]}",
       "$.elections[0].start: expected an integer"},
      {"{\"format\":1,\"elections\":[{\"id\":\"a\",\"delete_after\":1}]}",
       "$.elections[0].delete_after: expected true or false"},
      {"{\"format\":1,\"elections\":[{\"id\":\"a\",\"officers\":[1]}]}",
       "$.elections[0].officers[0]: expected a string"},
      {"{\"format\":1,\"elections\":[{\"id\":\"a\",\"questions\":[{\"method\":"
       "\"dhondt\"}]}]}",
       "$.elections[0].questions[0].method: unknown method 'dhondt'"},
      {"{\"format\":1,\"elections\":[{\"id\":\"a\",\"candidates\":[{\"info\":[["
       "\"k\"]]}]}]}",
       "$.elections[0].candidates[0].info[0]: expected [key, value]"},
      {"{\"format\":1,\"elections\":[{\"id\":\"a\",\"results_visibility\":"
       "\"never\"}]}",
       "results_visibility: unknown value 'never'"},
      {"{\"format\":1,\"elections\":[]} trailing", "not valid JSON"},
  };
  for (const auto &r : rows) {
    std::string msg = error_of(r.json);
    BOOST_TEST_INFO("json: " << r.json << " -> " << msg);
    BOOST_TEST(msg.find(r.expect) != std::string::npos);
    BOOST_TEST(msg.rfind("snapshot JSON: ", 0) == 0u);
  }
}
