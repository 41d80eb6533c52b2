// Unit tests for src/core/snapshot_json: every field round-trips (odd
// strings included), the streaming writer escapes strings as JSON requires,
// a format-1 snapshot (stored by an older urna-sync) still loads, and bad
// JSON and wrong types throw a clear std::runtime_error naming the JSON path.
#define BOOST_TEST_MODULE meta_json
#include <json/json.h>

#include <boost/test/unit_test.hpp>
#include <climits>
#include <cstdint>
#include <memory>
#include <string>

#include "core/model.h"
#include "core/snapshot_json.h"

using namespace urna::core;

namespace {

// A snapshot where every field differs from its default, with strings that
// need escaping: quotes, backslashes, newlines, control characters (NUL too),
// DEL, non-ASCII UTF-8 and emoji.
Snapshot full() {
  const std::string odd = std::string("q\"b\\s/n\nr\rt\tb\bf\fc\x01\x1f") + '\0' +
                          "\x7f é ü ß 中文 🗳️ 👩🏽‍💻 end";
  Snapshot s;
  s.commit = "0123456789abcdef0123456789abcdef01234567";
  Election e;
  e.id = "uni";
  e.folder = "uni";
  e.name = "Electoral Process \"2026\" <é> " + odd;
  e.organization = "University \\ " + odd;
  e.start = 1767225600;
  e.end = 2082758400;
  e.exception_due = 1767312000;
  e.no_winners = 3;
  e.allow_no_opinion = false;
  e.delete_after = true;
  e.show_candidate_fields = {"employer", "slack", odd};
  e.officers = {"olga", "12345"};
  e.eligibility = "Members.\n" + odd;
  e.exception_description = "Ask.";
  e.description_html = "<p>Desc</p>\n";
  e.results_html = std::string("<p>Results</p>\n") + odd;
  Candidate c;
  c.id = "ann";
  c.name = "Ann " + odd;
  c.info = {{"employer", "ACME"}, {"slack", "@ann"}, {odd, odd}};
  c.bio_html = "<p>bio</p>" + odd;
  Candidate c2;
  c2.id = "bo";
  e.candidates = {c, c2};
  Question q;
  q.id = "q1";
  q.title = "Shall we? " + odd;
  q.method = Method::kApproval;
  q.winners = 2;
  q.answers = {{"yes", "Yes"}, {"no", "No " + odd}};
  q.min_selections = 1;
  q.max_selections = 2;
  q.from_candidates = true;
  q.description_html = "<p>q</p>" + odd;
  Question q2;
  q2.id = "q2";
  e.questions = {q, q2};
  e.voters = {{"alice", {"students"}},
              {"bob", {}},
              {"carol", {"students", "professors"}},
              {"dave\"\\", {}}};
  e.results_visibility = ResultsVisibility::kOfficersFirst;
  e.receipts = true;
  e.public_ballots = true;
  e.parent = "";
  e.children = {"uni/students", "uni/professors"};
  e.categories = {{"All " + odd, {"students", "professors"}}, {"None", {}}};
  Pipe p;
  p.type = "apply_modifications";
  p.source_election = "students";
  p.source_question = "q1";
  p.question = "q1";
  p.action = "set-title";
  p.value = "New " + odd;
  p.answers = {"yes", odd};
  p.no_votes = true;
  Pipe p2;
  p2.type = "do_tallies";
  e.pipes = {p, p2};
  Election child;
  child.id = "uni/students";
  child.folder = "students";
  child.parent = "uni";
  child.start = -5;              // negative times survive
  child.end = 9007199254740993;  // beyond a double's exact integers
  child.exception_due = INT64_MIN;
  child.results_visibility = ResultsVisibility::kPublic;
  Election prof;
  prof.id = "uni/professors";
  prof.folder = "professors";
  prof.parent = "uni";
  prof.end = INT64_MAX;
  s.elections = {e, child, prof};
  return s;
}

bool same(const Snapshot &a, const Snapshot &b) {
  // Compare through the serialization of each field by hand for clarity.
  if (a.commit != b.commit || a.elections.size() != b.elections.size()) return false;
  for (size_t i = 0; i < a.elections.size(); ++i) {
    const Election &x = a.elections[i];
    const Election &y = b.elections[i];
    if (x.id != y.id || x.folder != y.folder || x.name != y.name ||
        x.organization != y.organization || x.start != y.start || x.end != y.end ||
        x.exception_due != y.exception_due || x.no_winners != y.no_winners ||
        x.allow_no_opinion != y.allow_no_opinion || x.delete_after != y.delete_after ||
        x.show_candidate_fields != y.show_candidate_fields || x.officers != y.officers ||
        x.eligibility != y.eligibility || x.exception_description != y.exception_description ||
        x.description_html != y.description_html || x.results_html != y.results_html ||
        x.results_visibility != y.results_visibility || x.receipts != y.receipts ||
        x.public_ballots != y.public_ballots || x.parent != y.parent || x.children != y.children)
      return false;
    if (x.candidates.size() != y.candidates.size()) return false;
    for (size_t j = 0; j < x.candidates.size(); ++j) {
      const auto &c = x.candidates[j];
      const auto &d = y.candidates[j];
      if (c.id != d.id || c.name != d.name || c.info != d.info || c.bio_html != d.bio_html)
        return false;
    }
    if (x.questions.size() != y.questions.size()) return false;
    for (size_t j = 0; j < x.questions.size(); ++j) {
      const auto &q = x.questions[j];
      const auto &r = y.questions[j];
      if (q.id != r.id || q.title != r.title || q.method != r.method || q.winners != r.winners ||
          q.min_selections != r.min_selections || q.max_selections != r.max_selections ||
          q.from_candidates != r.from_candidates || q.description_html != r.description_html ||
          q.answers.size() != r.answers.size())
        return false;
      for (size_t k = 0; k < q.answers.size(); ++k)
        if (q.answers[k].id != r.answers[k].id || q.answers[k].text != r.answers[k].text)
          return false;
    }
    if (x.voters.size() != y.voters.size()) return false;
    for (size_t j = 0; j < x.voters.size(); ++j)
      if (x.voters[j].login != y.voters[j].login || x.voters[j].children != y.voters[j].children)
        return false;
    if (x.categories.size() != y.categories.size()) return false;
    for (size_t j = 0; j < x.categories.size(); ++j)
      if (x.categories[j].title != y.categories[j].title ||
          x.categories[j].children != y.categories[j].children)
        return false;
    if (x.pipes.size() != y.pipes.size()) return false;
    for (size_t j = 0; j < x.pipes.size(); ++j) {
      const auto &p = x.pipes[j];
      const auto &q = y.pipes[j];
      if (p.type != q.type || p.source_election != q.source_election ||
          p.source_question != q.source_question || p.question != q.question ||
          p.action != q.action || p.value != q.value || p.answers != q.answers ||
          p.no_votes != q.no_votes)
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

}  // namespace

BOOST_AUTO_TEST_CASE(every_field_round_trips) {
  Snapshot s = full();
  std::string json = snapshot_to_json(s);
  Snapshot back = snapshot_from_json(json);
  BOOST_TEST(same(s, back));
  // Stable: serializing again gives the same bytes.
  BOOST_TEST(snapshot_to_json(back) == json);
  BOOST_TEST(json.find('\n') == std::string::npos);
  BOOST_TEST(json.rfind(R"({"format":2,"commit":"0123)", 0) == 0u);
  // Format 2: a voter without a children list is its login string.
  BOOST_TEST(json.find(R"("voters":[{"login":"alice","children":["students"]},"bob",)"
                       R"({"login":"carol","children":["students","professors"]},"dave\"\\"])") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(parent_children_and_pipes_work_after_a_round_trip) {
  Snapshot back = snapshot_from_json(snapshot_to_json(full()));
  const Election *uni = back.find("uni");
  const Election *students = back.find("uni/students");
  const Election *professors = back.find("uni/professors");
  BOOST_TEST_REQUIRE((uni && students && professors));
  BOOST_TEST(uni->is_parent());
  BOOST_TEST(students->is_child());
  BOOST_TEST(back.eligible(*students, "alice"));
  BOOST_TEST(!back.eligible(*professors, "alice"));
  BOOST_TEST(back.eligible(*professors, "Bob"));  // no children list: every child
  BOOST_TEST(back.eligible(*professors, "carol"));
  BOOST_TEST(back.eligible(*students, "dave\"\\"));
  BOOST_TEST(!back.eligible(*uni, "bob"));  // parents are not voted in directly
  BOOST_TEST(back.children_for(*uni, "alice").size() == 1u);
  BOOST_TEST(back.children_for(*uni, "bob").size() == 2u);
  BOOST_TEST(uni->pipes.size() == 2u);
  BOOST_TEST(uni->pipes[0].answers == full().elections[0].pipes[0].answers);
  BOOST_TEST(uni->pipes[1].type == "do_tallies");
}

// The writer's string escaping: what each string becomes, and jsoncpp reads
// it back as the same bytes.
BOOST_AUTO_TEST_CASE(strings_are_escaped_as_json_requires) {
  struct Row {
    std::string in;
    std::string out;  // between the quotes
  };
  const Row rows[] = {
      {"", ""},
      {"plain", "plain"},
      {"\"", "\\\""},
      {"\\", "\\\\"},
      {"a/b", "a/b"},
      {"\n\r\t\b\f", "\\n\\r\\t\\b\\f"},
      {std::string(1, '\0'), "\\u0000"},
      {"\x01\x1f", "\\u0001\\u001f"},
      {"\x7f", "\x7f"},  // DEL is not a control character in JSON
      {"é中", "é中"},    // UTF-8 passed through
      {"🗳️👩🏽‍💻", "🗳️👩🏽‍💻"},  // emoji, ZWJ sequence
      {"\"\\\"\\", "\\\"\\\\\\\"\\\\"},                      // runs of escapes
      {"x\ny\"z", "x\\ny\\\"z"},
      {"\xff\xfe", "\xff\xfe"},  // not UTF-8: the bytes still survive
  };
  for (const auto &r : rows) {
    Snapshot s;
    s.commit = r.in;
    std::string json = snapshot_to_json(s);
    BOOST_TEST_INFO("in: " << r.in);
    BOOST_TEST(json == R"({"format":2,"commit":")" + r.out + R"(","elections":[]})");
    Json::Value root;
    std::string errors;
    Json::CharReaderBuilder b;
    Json::CharReaderBuilder::strictMode(&b.settings_);
    std::unique_ptr<Json::CharReader> reader(b.newCharReader());
    BOOST_TEST(reader->parse(json.data(), json.data() + json.size(), &root, &errors));
    BOOST_TEST(root["commit"].asString() == r.in);
    BOOST_TEST(snapshot_from_json(json).commit == r.in);
  }
}

// A format-1 snapshot, exactly as the jsoncpp tree writer stored full()
// (keys sorted, every voter an object): the live snapshot after an upgrade,
// until the next urna-sync run replaces it.
BOOST_AUTO_TEST_CASE(format_1_still_loads) {
  const std::string odd = std::string(R"(q\"b\\s/n\nr\rt\tb\bf\fc\u0001\u001f\u0000)") + "\x7f" +
                          " é ü ß 中文 🗳️ 👩🏽‍💻 end";
  std::string json =
      R"({"commit":"0123456789abcdef0123456789abcdef01234567","elections":[{"allow_no_opinion":false,)"
      R"("candidates":[{"bio_html":"<p>bio</p>~","id":"ann","info":[["employer","ACME"],["slack","@ann"],)"
      R"(["~","~"]],"name":"Ann ~"},{"bio_html":"","id":"bo","info":[],"name":""}],)"
      R"("categories":[{"children":["students","professors"],"title":"All ~"},{"children":[],"title":"None"}],)"
      R"("children":["uni/students","uni/professors"],"delete_after":true,"description_html":"<p>Desc</p>\n",)"
      R"("eligibility":"Members.\n~","end":2082758400,"exception_description":"Ask.","exception_due":1767312000,)"
      R"("folder":"uni","id":"uni","name":"Electoral Process \"2026\" <é> ~","no_winners":3,)"
      R"("officers":["olga","12345"],"organization":"University \\ ~","parent":"",)"
      R"("pipes":[{"action":"set-title","answers":["yes","~"],"no_votes":true,"question":"q1",)"
      R"("source_election":"students","source_question":"q1","type":"apply_modifications","value":"New ~"},)"
      R"({"action":"","answers":[],"no_votes":false,"question":"","source_election":"","source_question":"",)"
      R"("type":"do_tallies","value":""}],"public_ballots":true,)"
      R"("questions":[{"answers":[{"id":"yes","text":"Yes"},{"id":"no","text":"No ~"}],)"
      R"("description_html":"<p>q</p>~","from_candidates":true,"id":"q1","max_selections":2,)"
      R"("method":"approval","min_selections":1,"title":"Shall we? ~","winners":2},)"
      R"({"answers":[],"description_html":"","from_candidates":false,"id":"q2","max_selections":0,)"
      R"("method":"schulze","min_selections":0,"title":"","winners":1}],"receipts":true,)"
      R"("results_html":"<p>Results</p>\n~","results_visibility":"officers-first",)"
      R"("show_candidate_fields":["employer","slack","~"],"start":1767225600,)"
      R"("voters":[{"children":["students"],"login":"alice"},{"children":[],"login":"bob"},)"
      R"({"children":["students","professors"],"login":"carol"},{"children":[],"login":"dave\"\\"}]},)"
      R"({"allow_no_opinion":true,"candidates":[],"categories":[],"children":[],"delete_after":false,)"
      R"("description_html":"","eligibility":"","end":9007199254740993,"exception_description":"",)"
      R"("exception_due":-9223372036854775808,"folder":"students","id":"uni/students","name":"",)"
      R"("no_winners":1,"officers":[],"organization":"","parent":"uni","pipes":[],"public_ballots":false,)"
      R"("questions":[],"receipts":false,"results_visibility":"public","show_candidate_fields":[],)"
      R"("start":-5,"voters":[]},{"allow_no_opinion":true,"candidates":[],"categories":[],"children":[],)"
      R"("delete_after":false,"description_html":"","eligibility":"","end":9223372036854775807,)"
      R"("exception_description":"","exception_due":0,"folder":"professors","id":"uni/professors",)"
      R"("name":"","no_winners":1,"officers":[],"organization":"","parent":"uni","pipes":[],)"
      R"("public_ballots":false,"questions":[],"receipts":false,"results_visibility":"public",)"
      R"("show_candidate_fields":[],"start":0,"voters":[]}],"format":1})";
  // "~" marks where the old writer wrote `odd`.
  for (size_t at = json.find('~'); at != std::string::npos; at = json.find('~', at + odd.size()))
    json.replace(at, 1, odd);
  Snapshot back = snapshot_from_json(json);
  BOOST_TEST(same(full(), back));
  // Written again, it is format 2.
  BOOST_TEST(snapshot_to_json(back) == snapshot_to_json(full()));
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
  for (Method m : {Method::kSchulze, Method::kRankedPairs, Method::kIrv, Method::kStv,
                   Method::kPlurality, Method::kApproval, Method::kBorda}) {
    Snapshot s;
    Election e;
    e.id = "x";
    Question q;
    q.method = m;
    e.questions = {q};
    s.elections = {e};
    Method back = snapshot_from_json(snapshot_to_json(s)).elections[0].questions[0].method;
    BOOST_TEST(std::string(method_name(back)) == method_name(m));
  }
}

BOOST_AUTO_TEST_CASE(missing_optional_fields_take_defaults) {
  for (const char *json :
       {R"({"format":1,"elections":[{"id":"a"}]})", R"({"format":2,"elections":[{"id":"a"}]})"}) {
    Snapshot s = snapshot_from_json(json);
    BOOST_TEST(s.elections.size() == 1u);
    BOOST_TEST(s.elections[0].allow_no_opinion);
    BOOST_TEST(s.elections[0].no_winners == 1);
  }
}

// snapshot_from_json cuts the elections out of the text and parses them one
// by one, or parses the whole document when the text has another shape:
// both give the same snapshot.
BOOST_AUTO_TEST_CASE(any_layout_of_the_same_json_reads_the_same) {
  const std::string compact = snapshot_to_json(full());
  Json::Value root;
  std::string errors;
  Json::CharReaderBuilder b;
  std::unique_ptr<Json::CharReader> reader(b.newCharReader());
  BOOST_TEST_REQUIRE(
      reader->parse(compact.data(), compact.data() + compact.size(), &root, &errors));
  Json::StreamWriterBuilder w;
  w["emitUTF8"] = true;
  const std::string indented = Json::writeString(w, root);  // keys sorted: "format" last
  // The scan does not decode keys: this one takes the whole-document path.
  const std::string escaped_key = [&] {
    std::string j = compact;
    j.replace(j.find("\"elections\""), 11, R"("election\u0073")");
    return j;
  }();
  const std::string spaced =
      " \n{ \"format\" : 2 ,\t\"elections\" :\r\n [ " +
      compact.substr(compact.find("[{") + 1, compact.size() - compact.find("[{") - 3) +
      " ] , \"commit\" : \"" + full().commit + "\" }\n";
  for (const std::string *json : {&compact, &indented, &escaped_key, &spaced}) {
    BOOST_TEST_INFO("json: " << json->substr(0, 80));
    BOOST_TEST(same(full(), snapshot_from_json(*json)));
  }
  BOOST_TEST(indented.find('\n') != std::string::npos);
  // An empty list, in both shapes.
  BOOST_TEST(snapshot_from_json(R"({"format":2,"elections":[ ]})").elections.empty());
  BOOST_TEST(snapshot_from_json(R"({"format":2,"election\u0073":[]})").elections.empty());
}

// Either form of voter in either format; order and children kept.
BOOST_AUTO_TEST_CASE(voters_as_strings_or_objects) {
  Snapshot s = snapshot_from_json(
      R"({"format":2,"elections":[{"id":"a","voters":["x",{"login":"y","children":["c"]},)"
      R"({"login":"z"},"w"]}]})");
  const auto &v = s.elections[0].voters;
  BOOST_TEST_REQUIRE(v.size() == 4u);
  BOOST_TEST(v[0].login == "x");
  BOOST_TEST(v[0].children.empty());
  BOOST_TEST(v[1].login == "y");
  BOOST_TEST(v[1].children == std::vector<std::string>{"c"});
  BOOST_TEST(v[2].login == "z");
  BOOST_TEST(v[3].login == "w");
}

BOOST_AUTO_TEST_CASE(bad_json_throws_clear_errors) {
  struct Row {
    const char *json;
    const char *expect;  // substring of the message
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
      {"{\"format\":1,\"elections\":[5]}", "$.elections[0]: expected an object"},
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
      {"{\"format\":3,\"elections\":[]}", "format 3 is not supported (this build reads 1 to 2)"},
      {"{\"format\":0,\"elections\":[]}", "format 0 is not supported"},
      {"{\"format\":2,\"elections\":[{\"id\":\"a\",\"voters\":[\"x\",7]}]}",
       "$.elections[0].voters[1]: expected an object"},
      {"{\"format\":2,\"elections\":[{\"id\":\"a\",\"voters\":{}}]}",
       "$.elections[0].voters: expected an array"},
      {"{\"format\":2,\"elections\":[{\"id\":\"a\",\"voters\":[{\"login\":1}]}]}",
       "$.elections[0].voters[0].login: expected a string"},
      {"{\"format\":2,\"elections\":[{\"id\":\"a\"},{\"id\":\"b\",\"end\":true}]}",
       "$.elections[1].end: expected an integer"},
      {"{\"format\":2,\"format\":2,\"elections\":[]}", "not valid JSON"},
      // The elections are cut out of the text and parsed one by one; broken
      // JSON anywhere still fails as a whole document does.
      {R"({"format":2,"elections":[{"id":"a"} {"id":"b"}]})", "not valid JSON"},
      {R"({"format":2,"elections":[{"id":"a"},]})", "not valid JSON"},
      {R"({"format":2,"elections":[{"id":"a",}]})", "not valid JSON"},
      {R"({"format":2,"elections":[{"id":"a"]})", "not valid JSON"},
      {R"({"format":2,"elections":[{"id":"a}]})", "not valid JSON"},
      {R"({"format":2,"elections":[{"id":"a","name":"\u12"}]})", "not valid JSON"},
      {R"({"format":2,"elections":[{"id":"a"}],"elections":[]})", "not valid JSON"},
      {R"({"format":2,"elections":[{"id":"a"}],"election\u0073":[]})", "not valid JSON"},
      {R"({"format":2,"elections":[{"id":"a"}]}])", "not valid JSON"},
      {R"({"format":2,"elections":[{"id":"a"}],})", "not valid JSON"},
      {R"({"format":2,"elections":[{"id":"a"}])", "not valid JSON"},
      {R"({"format":2 "elections":[]})", "not valid JSON"},
      {R"({"format":2,"elections":[tru]})", "not valid JSON"},
      {R"({"format":2,"elections":["a\"]}"]})", "$.elections[0]: expected an object"},
      {R"({"format":2,"elections":[{"id":"a"},null]})", "$.elections[1]: expected an object"},
      {R"({"elections":[{"id":"a"}],"format":3})", "format 3 is not supported"},
  };
  for (const auto &r : rows) {
    std::string msg = error_of(r.json);
    BOOST_TEST_INFO("json: " << r.json << " -> " << msg);
    BOOST_TEST(msg.find(r.expect) != std::string::npos);
    BOOST_TEST(msg.rfind("snapshot JSON: ", 0) == 0u);
  }
}
