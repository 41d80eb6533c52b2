#include "core/snapshot_json.h"

#include <json/json.h>

#include <memory>
#include <sstream>

namespace urna::core {

namespace {

// ---- writing ----

Json::Value strings(const std::vector<std::string> &v) {
  Json::Value a(Json::arrayValue);
  for (const auto &s : v)
    a.append(s);
  return a;
}

Json::Value to_json(const Candidate &c) {
  Json::Value o(Json::objectValue);
  o["id"] = c.id;
  o["name"] = c.name;
  Json::Value info(Json::arrayValue);
  for (const auto &[k, v] : c.info) {
    Json::Value pair(Json::arrayValue);
    pair.append(k);
    pair.append(v);
    info.append(pair);
  }
  o["info"] = info;
  o["bio_html"] = c.bio_html;
  return o;
}

Json::Value to_json(const Question &q) {
  Json::Value o(Json::objectValue);
  o["id"] = q.id;
  o["title"] = q.title;
  o["method"] = method_name(q.method);
  o["winners"] = q.winners;
  Json::Value answers(Json::arrayValue);
  for (const auto &a : q.answers) {
    Json::Value ao(Json::objectValue);
    ao["id"] = a.id;
    ao["text"] = a.text;
    answers.append(ao);
  }
  o["answers"] = answers;
  o["min_selections"] = q.min_selections;
  o["max_selections"] = q.max_selections;
  o["from_candidates"] = q.from_candidates;
  o["description_html"] = q.description_html;
  return o;
}

Json::Value to_json(const Pipe &p) {
  Json::Value o(Json::objectValue);
  o["type"] = p.type;
  o["source_election"] = p.source_election;
  o["source_question"] = p.source_question;
  o["question"] = p.question;
  o["action"] = p.action;
  o["value"] = p.value;
  o["answers"] = strings(p.answers);
  o["no_votes"] = p.no_votes;
  return o;
}

const char *visibility_name(ResultsVisibility v) {
  return v == ResultsVisibility::kOfficersFirst ? "officers-first" : "public";
}

Json::Value to_json(const Election &e) {
  Json::Value o(Json::objectValue);
  o["id"] = e.id;
  o["folder"] = e.folder;
  o["name"] = e.name;
  o["organization"] = e.organization;
  o["start"] = Json::Int64(e.start);
  o["end"] = Json::Int64(e.end);
  o["exception_due"] = Json::Int64(e.exception_due);
  o["no_winners"] = e.no_winners;
  o["allow_no_opinion"] = e.allow_no_opinion;
  o["delete_after"] = e.delete_after;
  o["show_candidate_fields"] = strings(e.show_candidate_fields);
  o["officers"] = strings(e.officers);
  o["eligibility"] = e.eligibility;
  o["exception_description"] = e.exception_description;
  o["description_html"] = e.description_html;
  if (e.results_html)
    o["results_html"] = *e.results_html;
  Json::Value cands(Json::arrayValue);
  for (const auto &c : e.candidates)
    cands.append(to_json(c));
  o["candidates"] = cands;
  Json::Value qs(Json::arrayValue);
  for (const auto &q : e.questions)
    qs.append(to_json(q));
  o["questions"] = qs;
  Json::Value voters(Json::arrayValue);
  for (const auto &v : e.voters) {
    Json::Value vo(Json::objectValue);
    vo["login"] = v.login;
    vo["children"] = strings(v.children);
    voters.append(vo);
  }
  o["voters"] = voters;
  o["results_visibility"] = visibility_name(e.results_visibility);
  o["receipts"] = e.receipts;
  o["public_ballots"] = e.public_ballots;
  o["parent"] = e.parent;
  o["children"] = strings(e.children);
  Json::Value cats(Json::arrayValue);
  for (const auto &c : e.categories) {
    Json::Value co(Json::objectValue);
    co["title"] = c.title;
    co["children"] = strings(c.children);
    cats.append(co);
  }
  o["categories"] = cats;
  Json::Value pipes(Json::arrayValue);
  for (const auto &p : e.pipes)
    pipes.append(to_json(p));
  o["pipes"] = pipes;
  return o;
}

// ---- reading ----

[[noreturn]] void fail(const std::string &path, const std::string &what) {
  throw SnapshotJsonError("snapshot JSON: " + path + ": " + what);
}

// A JSON object being read, with its path for messages. A missing key leaves
// the target at its default; a key of the wrong type throws.
class Obj {
public:
  Obj(const Json::Value &v, std::string path) : v_(v), path_(std::move(path)) {
    if (!v_.isObject())
      fail(path_, "expected an object");
  }

  std::string at(const char *key) const { return path_ + "." + key; }

  void get(const char *key, std::string *out) const {
    const Json::Value *x = find(key);
    if (!x)
      return;
    if (!x->isString())
      fail(at(key), "expected a string");
    *out = x->asString();
  }
  void get(const char *key, bool *out) const {
    const Json::Value *x = find(key);
    if (!x)
      return;
    if (!x->isBool())
      fail(at(key), "expected true or false");
    *out = x->asBool();
  }
  void get(const char *key, int *out) const {
    const Json::Value *x = find(key);
    if (!x)
      return;
    if (!x->isInt())
      fail(at(key), "expected an integer");
    *out = x->asInt();
  }
  void get(const char *key, std::int64_t *out) const {
    const Json::Value *x = find(key);
    if (!x)
      return;
    if (!x->isInt64())
      fail(at(key), "expected an integer");
    *out = x->asInt64();
  }
  void get(const char *key, std::vector<std::string> *out) const {
    const Json::Value *x = find(key);
    if (!x)
      return;
    if (!x->isArray())
      fail(at(key), "expected an array");
    out->clear();
    for (Json::ArrayIndex i = 0; i < x->size(); ++i) {
      if (!(*x)[i].isString())
        fail(at(key) + "[" + std::to_string(i) + "]", "expected a string");
      out->push_back((*x)[i].asString());
    }
  }
  void get(const char *key, Method *out) const {
    std::string name;
    if (!find(key))
      return;
    get(key, &name);
    auto m = parse_method(name);
    if (!m)
      fail(at(key), "unknown method '" + name + "'");
    *out = *m;
  }
  // Calls f(Obj) for each object of the array under `key`.
  template <typename F> void each(const char *key, F f) const {
    const Json::Value *x = find(key);
    if (!x)
      return;
    if (!x->isArray())
      fail(at(key), "expected an array");
    for (Json::ArrayIndex i = 0; i < x->size(); ++i)
      f(Obj((*x)[i], at(key) + "[" + std::to_string(i) + "]"));
  }
  const Json::Value *find(const char *key) const {
    const Json::Value *x =
        v_.find(key, key + std::char_traits<char>::length(key));
    if (x && x->isNull())
      return nullptr;
    return x;
  }
  const std::string &path() const { return path_; }

private:
  const Json::Value &v_;
  std::string path_;
};

Candidate candidate_from(const Obj &o) {
  Candidate c;
  o.get("id", &c.id);
  o.get("name", &c.name);
  if (const Json::Value *info = o.find("info")) {
    if (!info->isArray())
      fail(o.at("info"), "expected an array");
    for (Json::ArrayIndex i = 0; i < info->size(); ++i) {
      const Json::Value &pair = (*info)[i];
      if (!pair.isArray() || pair.size() != 2 || !pair[0].isString() ||
          !pair[1].isString())
        fail(o.at("info") + "[" + std::to_string(i) + "]",
             "expected [key, value] strings");
      c.info.emplace_back(pair[0].asString(), pair[1].asString());
    }
  }
  o.get("bio_html", &c.bio_html);
  return c;
}

Question question_from(const Obj &o) {
  Question q;
  o.get("id", &q.id);
  o.get("title", &q.title);
  o.get("method", &q.method);
  o.get("winners", &q.winners);
  o.each("answers", [&](const Obj &a) {
    Answer ans;
    a.get("id", &ans.id);
    a.get("text", &ans.text);
    q.answers.push_back(ans);
  });
  o.get("min_selections", &q.min_selections);
  o.get("max_selections", &q.max_selections);
  o.get("from_candidates", &q.from_candidates);
  o.get("description_html", &q.description_html);
  return q;
}

Pipe pipe_from(const Obj &o) {
  Pipe p;
  o.get("type", &p.type);
  o.get("source_election", &p.source_election);
  o.get("source_question", &p.source_question);
  o.get("question", &p.question);
  o.get("action", &p.action);
  o.get("value", &p.value);
  o.get("answers", &p.answers);
  o.get("no_votes", &p.no_votes);
  return p;
}

Election election_from(const Obj &o) {
  Election e;
  o.get("id", &e.id);
  if (e.id.empty())
    fail(o.at("id"), "missing");
  o.get("folder", &e.folder);
  o.get("name", &e.name);
  o.get("organization", &e.organization);
  o.get("start", &e.start);
  o.get("end", &e.end);
  o.get("exception_due", &e.exception_due);
  o.get("no_winners", &e.no_winners);
  o.get("allow_no_opinion", &e.allow_no_opinion);
  o.get("delete_after", &e.delete_after);
  o.get("show_candidate_fields", &e.show_candidate_fields);
  o.get("officers", &e.officers);
  o.get("eligibility", &e.eligibility);
  o.get("exception_description", &e.exception_description);
  o.get("description_html", &e.description_html);
  if (o.find("results_html")) {
    std::string r;
    o.get("results_html", &r);
    e.results_html = r;
  }
  o.each("candidates",
         [&](const Obj &c) { e.candidates.push_back(candidate_from(c)); });
  o.each("questions",
         [&](const Obj &q) { e.questions.push_back(question_from(q)); });
  o.each("voters", [&](const Obj &v) {
    Voter voter;
    v.get("login", &voter.login);
    v.get("children", &voter.children);
    e.voters.push_back(voter);
  });
  if (o.find("results_visibility")) {
    std::string vis;
    o.get("results_visibility", &vis);
    if (vis == "public")
      e.results_visibility = ResultsVisibility::kPublic;
    else if (vis == "officers-first")
      e.results_visibility = ResultsVisibility::kOfficersFirst;
    else
      fail(o.at("results_visibility"), "unknown value '" + vis + "'");
  }
  o.get("receipts", &e.receipts);
  o.get("public_ballots", &e.public_ballots);
  o.get("parent", &e.parent);
  o.get("children", &e.children);
  o.each("categories", [&](const Obj &c) {
    Category cat;
    c.get("title", &cat.title);
    c.get("children", &cat.children);
    e.categories.push_back(cat);
  });
  o.each("pipes", [&](const Obj &p) { e.pipes.push_back(pipe_from(p)); });
  return e;
}

} // namespace

std::string snapshot_to_json(const Snapshot &s) {
  Json::Value root(Json::objectValue);
  root["format"] = kSnapshotFormat;
  root["commit"] = s.commit;
  Json::Value elections(Json::arrayValue);
  for (const auto &e : s.elections)
    elections.append(to_json(e));
  root["elections"] = elections;
  Json::StreamWriterBuilder b;
  b["indentation"] = "";
  b["emitUTF8"] = true;
  return Json::writeString(b, root);
}

Snapshot snapshot_from_json(const std::string &json) {
  Json::CharReaderBuilder b;
  Json::CharReaderBuilder::strictMode(&b.settings_);
  std::unique_ptr<Json::CharReader> reader(b.newCharReader());
  Json::Value root;
  std::string errors;
  if (!reader->parse(json.data(), json.data() + json.size(), &root, &errors))
    throw SnapshotJsonError("snapshot JSON: not valid JSON: " + errors);
  Obj top(root, "$");
  const Json::Value *format = top.find("format");
  if (!format)
    fail("$.format", "missing");
  if (!format->isInt())
    fail("$.format", "expected an integer");
  if (format->asInt() > kSnapshotFormat || format->asInt() < 1)
    fail("$.format", "format " + std::to_string(format->asInt()) +
                         " is not supported (this build reads up to " +
                         std::to_string(kSnapshotFormat) + ")");
  if (!top.find("elections"))
    fail("$.elections", "missing");
  Snapshot s;
  top.get("commit", &s.commit);
  top.each("elections",
           [&](const Obj &e) { s.elections.push_back(election_from(e)); });
  return s;
}

} // namespace urna::core
