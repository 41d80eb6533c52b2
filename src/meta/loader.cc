#include "meta/loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_set>

#include "core/time_util.h"
#include "meta/fast_voters.h"
#include "meta/markdown.h"
#include "meta/yaml_fields.h"

namespace urna::meta {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxFileBytes = 16u << 20;
constexpr int kMaxDepth = 24;
constexpr int kMaxCount = 100000;

const std::vector<std::string> kElectionKeys = {
    // Elekto
    "name", "organization", "start_datetime", "end_datetime", "no_winners",
    "allow_no_opinion", "delete_after", "show_candidate_fields",
    "election_officers", "eligibility", "exception_description",
    "exception_due",
    // urna
    "method", "questions", "children", "categories", "pipes",
    "results_visibility", "receipts", "public_ballots", "tie_break",
    "tie_break_seed", "ballot_key"};
const std::vector<std::string> kQuestionKeys = {
    "id",      "title",          "description",    "method",         "winners",
    "answers", "min_selections", "max_selections", "from_candidates"};
const std::vector<std::string> kPipeKeys = {
    "type",   "source_election", "source_question", "question",
    "action", "value",           "answers",         "no_votes"};
const std::vector<std::string> kPipeTypes = {
    "duplicate_questions", "apply_modifications",
    "multipart_tally_plaintexts_append_joiner", "do_tallies",
    "sort_non_iterative"};
const std::vector<std::string> kActions = {"set-title", "withdraw-candidates",
                                           "set-min", "set-max", "set-winners"};

// The warning for more seats than candidates; the count says the same
// (tally::count_question's note).
std::string more_seats(int seats, size_t candidates) {
  return std::to_string(seats) + " seats but only " + std::to_string(candidates) +
         (candidates == 1 ? " candidate" : " candidates") + ": everyone ranked is elected";
}

// urna-tally refuses to count IRV for several seats (it would fail after
// the vote), so the definition is refused now.
std::string irv_seats(int seats) {
  return std::to_string(seats) + " seats, but irv elects one: use method: stv";
}

// Sub-pages of an election: /elections/<id>/<word>. An election whose
// folder is one of them, below an election, would have the URL of that
// election's page.
const std::vector<std::string> kPageWords = {"vote",      "voted",       "ballot",     "results",
                                             "admin",     "exception",   "ballots.csv", "ballots.blt"};

std::string index_path(const std::string &base, size_t i) {
  return base + "[" + std::to_string(i) + "]";
}

std::string join(const std::vector<std::string> &v) {
  std::string s;
  for (const auto &x : v)
    s += (s.empty() ? "" : ", ") + x;
  return s;
}

std::vector<std::string> method_names() {
  std::vector<std::string> v;
  for (auto m :
       {core::Method::kSchulze, core::Method::kRankedPairs, core::Method::kIrv,
        core::Method::kStv, core::Method::kPlurality, core::Method::kApproval,
        core::Method::kBorda})
    v.emplace_back(core::method_name(m));
  return v;
}

// " (one of a, b, c)", or "; did you mean 'b'?" when one is near.
std::string one_of(const std::string &got, const std::vector<std::string> &known) {
  const std::string near = nearest_name(got, known);
  if (!near.empty()) return "; did you mean '" + near + "'?";
  return " (one of " + join(known) + ")";
}

bool all_digits(const std::string &s) {
  return std::all_of(s.begin(), s.end(),
                     [](unsigned char c) { return c >= '0' && c <= '9'; });
}

bool contains(const std::vector<std::string> &v, const std::string &x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::vector<std::string> answer_ids(const core::Question &q) {
  std::vector<std::string> ids;
  for (const auto &a : q.answers)
    ids.push_back(a.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

// An election folder found by the walk.
struct Found {
  std::string id;                 // path under the root, "steering/2026"
  std::string dir;                // path in the repository
  std::string def_name;           // election.yaml or election.json
  std::vector<std::string> files; // regular files in the folder, sorted
};

struct RawQuestion {
  core::Question q;
  bool method_set = false;
  std::string field; // "questions[0]"
};

struct RawVoter {
  core::Voter v;
  std::string field; // "eligible_voters[3]"
  bool has_children = false;
};

struct RawPipe {
  core::Pipe p;
  std::string field;               // "pipes[2]"
  std::string source_election_raw; // as written: a name or an index
  bool has_source_election = false;
  std::string line;
};

struct Parsed {
  Found where;
  std::string def_file;
  bool ok = false; // the definition parsed as a map
  core::Election e;
  bool has_start = false, has_end = false, has_due = false;
  bool has_officers = false, has_method = false, has_org = false;
  bool has_tie_break = false, has_seed = false;
  core::Method method = core::Method::kSchulze;
  bool has_questions = false;
  std::vector<RawQuestion> questions;
  std::vector<std::string> children; // declared folder names
  std::vector<RawPipe> pipes;
  bool has_voters_file = false;
  std::string voters_file;
  std::vector<RawVoter> voters;
  bool voters_ok = false;
  // Structure.
  int parent = -1;         // index of the parent election
  bool nested_bad = false; // inside another election without being its child
};

class Loader {
public:
  Loader(std::string dir, std::string root)
      : dir_(std::move(dir)), root_(std::move(root)) {}

  LoadResult run() {
    LoadResult r;
    if (check_root()) {
      walk(root_rel_, 0);
      for (auto &p : elections_)
        parse_election(p);
      link_structure();
      inherit_and_check_dates();
      for (auto &p : elections_)
        if (p.ok && p.e.children.empty())
          finish_questions(p);
      for (auto &p : elections_)
        if (p.ok && !p.e.children.empty())
          finish_parent(p);
      check_voters();
      if (elections_.empty())
        IssueSink(&issues_, root_rel_.empty() ? "." : root_rel_)
            .warning("", "no elections found (no folder with election.yaml)");
      for (auto &p : elections_)
        if (p.ok)
          r.snapshot.elections.push_back(std::move(p.e));
      std::sort(r.snapshot.elections.begin(), r.snapshot.elections.end(),
                [](const core::Election &a, const core::Election &b) {
                  return a.id < b.id;
                });
    }
    r.issues = std::move(issues_);
    // The election of each issue: the one whose folder holds the file
    // (the deepest, so a child's own files are the child's).
    for (auto &i : r.issues) {
      size_t best = 0;
      for (const auto &p : elections_) {
        const std::string &d = p.where.dir;
        if (d.size() > best && (i.file == d || i.file.compare(0, d.size() + 1, d + "/") == 0)) {
          i.election = p.where.id;
          best = d.size();
        }
      }
    }
    return r;
  }

private:
  // ---- files ----

  bool inside_repo(const fs::path &p) const {
    std::error_code ec;
    fs::path c = fs::weakly_canonical(p, ec);
    if (ec)
      return false;
    std::string s = c.string();
    return s == canon_ || s.compare(0, canon_.size() + 1, canon_ + "/") == 0;
  }

  bool check_root() {
    IssueSink sink(&issues_, root_.empty() ? "." : root_);
    std::error_code ec;
    fs::path c = fs::canonical(dir_, ec);
    if (ec || !fs::is_directory(c)) {
      IssueSink(&issues_, dir_)
          .error("", "not a folder: " + (ec ? ec.message() : ""));
      return false;
    }
    canon_ = c.string();
    std::string root = root_;
    while (!root.empty() && root.back() == '/')
      root.pop_back();
    if (root == ".")
      root.clear();
    fs::path rp(root);
    if (rp.is_absolute()) {
      sink.error(
          "meta_root",
          "must be a folder inside the repository, not an absolute path");
      return false;
    }
    for (const auto &part : rp)
      if (part == "..") {
        sink.error("meta_root", "'..' would leave the repository");
        return false;
      }
    root_rel_ = root;
    fs::path abs = root.empty() ? fs::path(dir_) : fs::path(dir_) / root;
    if (!fs::is_directory(abs, ec)) {
      sink.error("", "the elections folder does not exist in the repository");
      return false;
    }
    if (!inside_repo(abs)) {
      sink.error("", "the elections folder is a symbolic link leading outside "
                     "the repository");
      return false;
    }
    return true;
  }

  std::string rel_join(const std::string &a, const std::string &b) const {
    return a.empty() ? b : a + "/" + b;
  }

  void walk(const std::string &rel, int depth) {
    fs::path abs = rel.empty() ? fs::path(dir_) : fs::path(dir_) / rel;
    IssueSink sink(&issues_, rel.empty() ? "." : rel);
    if (depth > kMaxDepth) {
      sink.error("", "folders nested too deeply");
      return;
    }
    std::error_code ec;
    std::vector<std::pair<std::string, fs::file_status>> entries;
    for (fs::directory_iterator it(abs, ec), end; !ec && it != end;
         it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (name.empty() || name[0] == '.')
        continue; // .git, .github, ...
      entries.emplace_back(name, it->symlink_status());
    }
    if (ec) {
      sink.error("", "cannot list the folder: " + ec.message());
      return;
    }
    std::sort(entries.begin(), entries.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    std::vector<std::string> files;
    std::vector<std::string> dirs;
    for (const auto &[name, st] : entries) {
      std::string child_rel = rel_join(rel, name);
      fs::path child_abs = abs / name;
      if (fs::is_symlink(st)) {
        IssueSink link(&issues_, child_rel);
        if (!inside_repo(child_abs)) {
          std::error_code e2;
          fs::path target = fs::read_symlink(child_abs, e2);
          link.error("", "symbolic link leads outside the repository (to " +
                             target.string() + ")");
          continue;
        }
        std::error_code e3;
        if (fs::is_directory(child_abs, e3)) {
          link.warning("", "symbolic link to a folder, not followed");
        } else if (fs::is_regular_file(child_abs, e3)) {
          files.push_back(name);
        } else {
          link.warning("", "broken symbolic link, ignored");
        }
      } else if (fs::is_directory(st)) {
        dirs.push_back(name);
      } else if (fs::is_regular_file(st)) {
        files.push_back(name);
      }
    }
    if (rel != root_rel_) {
      bool yaml = contains(files, "election.yaml");
      bool json = contains(files, "election.json");
      if (yaml || json) {
        Found f;
        f.dir = rel;
        f.id = root_rel_.empty() ? rel : rel.substr(root_rel_.size() + 1);
        f.def_name = yaml ? "election.yaml" : "election.json";
        f.files = files;
        if (yaml && json)
          IssueSink(&issues_, rel_join(rel, "election.json"))
              .warning("",
                       "ignored: election.yaml is read (as Elekto does); "
                       "remove one of the two");
        if (elections_.size() < static_cast<size_t>(kMaxCount)) {
          Parsed p;
          p.where = f;
          p.def_file = rel_join(rel, f.def_name);
          elections_.push_back(std::move(p));
        }
      } else if (contains(files, "election.yml")) {
        IssueSink(&issues_, rel_join(rel, "election.yml"))
            .warning("", "ignored: the definition must be named election.yaml");
      }
    } else if (contains(files, "election.yaml") ||
               contains(files, "election.json")) {
      sink.warning("",
                   "an election definition directly in the elections folder is "
                   "ignored: put each election in its own folder");
    }
    for (const auto &d : dirs)
      walk(rel_join(rel, d), depth + 1);
  }

  // Reads a file found by the walk (so it is inside the repository).
  std::optional<std::string> read(const std::string &rel,
                                  const IssueSink &sink) const {
    fs::path abs = fs::path(dir_) / rel;
    std::error_code ec;
    if (!inside_repo(abs)) {
      sink.error("", "leads outside the repository");
      return std::nullopt;
    }
    auto size = fs::file_size(abs, ec);
    if (ec) {
      sink.error("", "cannot read: " + ec.message());
      return std::nullopt;
    }
    if (size > kMaxFileBytes) {
      sink.error("", "file larger than 16 MiB");
      return std::nullopt;
    }
    std::ifstream in(abs, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in && !in.eof()) {
      sink.error("", "cannot read the file");
      return std::nullopt;
    }
    return ss.str();
  }

  // ---- one election ----

  void parse_election(Parsed &p) {
    p.e.id = p.where.id;
    auto slash = p.e.id.rfind('/');
    p.e.folder = slash == std::string::npos ? p.e.id : p.e.id.substr(slash + 1);
    IssueSink sink(&issues_, p.def_file);
    std::string part;
    std::stringstream ids(p.e.id);
    while (std::getline(ids, part, '/'))
      if (!is_safe_name(part)) {
        sink.error("", "folder name '" + part +
                           "' is not usable in a URL: use letters, digits, "
                           "'.', '_' and '-'");
        return;
      }
    auto text = read(p.def_file, sink);
    if (!text)
      return;
    auto root = p.where.def_name == "election.json"
                    ? parse_json_text(*text, sink)
                    : parse_yaml_text(*text, sink);
    if (!root)
      return;
    if (!root->IsMap()) {
      sink.error("",
                 "expected a map of fields (name: ..., start_datetime: ...)");
      return;
    }
    p.ok = true;
    parse_definition(p, *root, sink);

    if (contains(p.where.files, "election_desc.md")) {
      IssueSink s(&issues_, p.where.dir + "/election_desc.md");
      if (auto md = read(p.where.dir + "/election_desc.md", s))
        p.e.description_html = render_markdown(*md);
    }
    if (contains(p.where.files, "results.md")) {
      IssueSink s(&issues_, p.where.dir + "/results.md");
      if (auto md = read(p.where.dir + "/results.md", s))
        p.e.results_html = render_markdown(*md);
    }
    parse_candidates(p);
    if (contains(p.where.files, "voters.yaml")) {
      p.has_voters_file = true;
      p.voters_file = p.where.dir + "/voters.yaml";
      parse_voters(p);
    }
  }

  void parse_definition(Parsed &p, const YAML::Node &root,
                        const IssueSink &sink) {
    Fields f(root, sink, "", kElectionKeys);
    core::Election &e = p.e;
    f.text("name", &e.name, true);
    p.has_org = f.text("organization", &e.organization);
    p.has_start = f.date("start_datetime", &e.start);
    p.has_end = f.date("end_datetime", &e.end);
    p.has_due = f.date("exception_due", &e.exception_due);
    // A present-but-invalid date must not look missing later.
    if (f.has("start_datetime"))
      p.has_start = true;
    if (f.has("end_datetime"))
      p.has_end = true;
    if (f.has("exception_due"))
      p.has_due = true;
    f.whole("no_winners", &e.no_winners, 1, 1000);
    f.flag("allow_no_opinion", &e.allow_no_opinion);
    f.flag("delete_after", &e.delete_after);
    f.text_list("show_candidate_fields", &e.show_candidate_fields, true);
    p.has_officers = f.login_list("election_officers", &e.officers) ||
                     f.has("election_officers");
    f.text("eligibility", &e.eligibility);
    f.text("exception_description", &e.exception_description);
    std::string method;
    if (f.text("method", &method)) {
      p.has_method = true;
      if (auto m = core::parse_method(method))
        p.method = *m;
      else
        sink.error("method", "unknown method '" + method + "'" + one_of(method, method_names()) +
                                 line_of(f.node("method")));
    }
    std::string vis;
    if (f.text("results_visibility", &vis)) {
      if (vis == "public")
        e.results_visibility = core::ResultsVisibility::kPublic;
      else if (vis == "officers-first")
        e.results_visibility = core::ResultsVisibility::kOfficersFirst;
      else
        sink.error("results_visibility",
                   "expected public or officers-first, got '" + vis + "'" +
                       line_of(f.node("results_visibility")));
    }
    f.flag("receipts", &e.receipts);
    f.flag("public_ballots", &e.public_ballots);
    std::string tb;
    if (f.text("tie_break", &tb)) {
      p.has_tie_break = true;
      if (tb == "tbrc" || tb == "seed" || tb == "ranked-pairs")
        e.tie_break = tb;
      else if (tb != "none")
        sink.error("tie_break", "expected none, tbrc, seed or ranked-pairs, got '" +
                                    tb + "'" + line_of(f.node("tie_break")));
    }
    p.has_seed = f.text("tie_break_seed", &e.tie_break_seed);
    if (f.text("ballot_key", &e.ballot_key) && !core::is_ballot_key_text(e.ballot_key)) {
      sink.error("ballot_key",
                 "not a public ballot key: expected the line urna-tally --keygen prints, "
                 "x25519: and 43 characters" +
                     line_of(f.node("ballot_key")));
      e.ballot_key.clear();
    }
    if (f.text_list("children", &p.children) || f.has("children")) {
      std::set<std::string> seen;
      for (size_t i = 0; i < p.children.size(); ++i) {
        const std::string &c = p.children[i];
        if (!is_safe_name(c))
          sink.error(
              index_path("children", i),
              "'" + c +
                  "' is not a child folder name (a plain folder name: letters, "
                  "digits, '.', '_', '-'; no '/' or '..')");
        else if (!seen.insert(c).second)
          sink.error(index_path("children", i), "'" + c + "' is listed twice");
      }
    }
    parse_categories(p, f, sink);
    parse_questions(p, f, sink);
    parse_pipes(p, f, sink);
  }

  void parse_categories(Parsed &p, const Fields &f, const IssueSink &sink) {
    YAML::Node n = f.node("categories");
    if (!n.IsDefined() || n.IsNull())
      return;
    if (!n.IsSequence()) {
      sink.error("categories",
                 "expected a list of {title, children}" + line_of(n));
      return;
    }
    for (size_t i = 0; i < n.size(); ++i) {
      std::string field = index_path("categories", i);
      if (!n[i].IsMap()) {
        sink.error(field,
                   "expected a map with title and children" + line_of(n[i]));
        continue;
      }
      Fields c(n[i], sink, field, {"title", "children"});
      core::Category cat;
      c.text("title", &cat.title, true);
      if (!c.text_list("children", &cat.children) && !c.has("children"))
        sink.error(c.path("children"), "missing");
      for (size_t j = 0; j < cat.children.size(); ++j)
        if (!contains(p.children, cat.children[j]))
          sink.error(index_path(c.path("children"), j),
                     "'" + cat.children[j] + "' is not listed in children");
      p.e.categories.push_back(cat);
    }
  }

  void parse_questions(Parsed &p, const Fields &f, const IssueSink &sink) {
    YAML::Node n = f.node("questions");
    if (!n.IsDefined() || n.IsNull())
      return;
    p.has_questions = true;
    if (!n.IsSequence() || n.size() == 0) {
      sink.error("questions",
                 "expected a non-empty list of questions" + line_of(n));
      return;
    }
    std::set<std::string> ids;
    for (size_t i = 0; i < n.size(); ++i) {
      RawQuestion rq;
      rq.field = index_path("questions", i);
      if (!n[i].IsMap()) {
        sink.error(rq.field,
                   "expected a map (id, title, answers, ...)" + line_of(n[i]));
        continue;
      }
      Fields q(n[i], sink, rq.field, kQuestionKeys);
      if (q.text("id", &rq.q.id, true)) {
        if (!is_safe_name(rq.q.id))
          sink.error(
              q.path("id"),
              "'" + rq.q.id +
                  "' is not a valid id (letters, digits, '.', '_', '-')");
        else if (!ids.insert(rq.q.id).second)
          sink.error(q.path("id"), "duplicate question id '" + rq.q.id + "'");
      }
      q.text("title", &rq.q.title, true);
      std::string desc;
      if (q.text("description", &desc))
        rq.q.description_html = render_markdown(desc);
      std::string method;
      if (q.text("method", &method)) {
        rq.method_set = true;
        if (auto m = core::parse_method(method))
          rq.q.method = *m;
        else
          sink.error(q.path("method"), "unknown method '" + method + "'" +
                                           one_of(method, method_names()) +
                                           line_of(q.node("method")));
      }
      q.whole("winners", &rq.q.winners, 1, 1000);
      q.whole("min_selections", &rq.q.min_selections, 0, 1000);
      q.whole("max_selections", &rq.q.max_selections, 0, 1000);
      q.flag("from_candidates", &rq.q.from_candidates);
      YAML::Node a = q.node("answers");
      if (a.IsDefined() && !a.IsNull()) {
        if (rq.q.from_candidates) {
          sink.error(q.path("answers"),
                     "from_candidates: true takes the candidate files as "
                     "answers; remove answers");
        } else if (!a.IsSequence()) {
          sink.error(q.path("answers"),
                     "expected a list of answers" + line_of(a));
        } else {
          parse_answers(rq, a, q.path("answers"), sink);
        }
      }
      p.questions.push_back(std::move(rq));
    }
  }

  void parse_answers(RawQuestion &rq, const YAML::Node &a,
                     const std::string &base, const IssueSink &sink) {
    std::set<std::string> ids;
    for (size_t j = 0; j < a.size(); ++j) {
      std::string field = index_path(base, j);
      core::Answer ans;
      if (a[j].IsScalar()) {
        std::string bidi = bidi_control_problem(a[j].Scalar());
        if (!bidi.empty()) {
          sink.error(field, bidi + line_of(a[j]));
          continue;
        }
        ans.text = a[j].Scalar();
        ans.id = core::lower(ans.text);
        std::replace(ans.id.begin(), ans.id.end(), ' ', '-');
      } else if (a[j].IsMap()) {
        Fields af(a[j], sink, field, {"id", "text"});
        af.text("id", &ans.id, true);
        af.text("text", &ans.text, true);
      } else {
        sink.error(field, "expected text or {id, text}" + line_of(a[j]));
        continue;
      }
      if (ans.id.empty())
        continue;
      if (!is_safe_name(ans.id)) {
        sink.error(field,
                   "answer id '" + ans.id +
                       "' is not valid (letters, digits, '.', '_', '-')" +
                       line_of(a[j]));
        continue;
      }
      if (!ids.insert(ans.id).second) {
        sink.error(field,
                   "duplicate answer id '" + ans.id + "'" + line_of(a[j]));
        continue;
      }
      rq.q.answers.push_back(ans);
    }
  }

  void parse_pipes(Parsed &p, const Fields &f, const IssueSink &sink) {
    YAML::Node n = f.node("pipes");
    if (!n.IsDefined() || n.IsNull())
      return;
    if (!n.IsSequence()) {
      sink.error("pipes", "expected a list of pipes" + line_of(n));
      return;
    }
    for (size_t i = 0; i < n.size(); ++i) {
      RawPipe rp;
      rp.field = index_path("pipes", i);
      rp.line = line_of(n[i]);
      if (!n[i].IsMap()) {
        sink.error(rp.field, "expected a map with a type" + rp.line);
        continue;
      }
      Fields pf(n[i], sink, rp.field, kPipeKeys);
      if (!pf.text("type", &rp.p.type, true))
        continue;
      if (!contains(kPipeTypes, rp.p.type)) {
        sink.error(pf.path("type"), "unknown pipe '" + rp.p.type + "'" +
                                        one_of(rp.p.type, kPipeTypes) + line_of(pf.node("type")));
        continue;
      }
      rp.has_source_election =
          pf.text("source_election", &rp.source_election_raw);
      pf.text("source_question", &rp.p.source_question);
      pf.text("question", &rp.p.question);
      pf.text("action", &rp.p.action);
      pf.text("value", &rp.p.value);
      pf.text_list("answers", &rp.p.answers);
      pf.flag("no_votes", &rp.p.no_votes);
      // Which parameters each pipe takes.
      std::vector<std::string> allowed;
      const std::string &t = rp.p.type;
      if (t == "duplicate_questions")
        allowed = {"type",     "source_election", "source_question",
                   "question", "value",           "no_votes"};
      else if (t == "apply_modifications")
        allowed = {"type", "question", "action", "value", "answers"};
      else if (t == "multipart_tally_plaintexts_append_joiner")
        allowed = {"type", "source_election", "source_question", "question"};
      else
        allowed = {"type"};
      for (const auto &k : kPipeKeys)
        if (pf.has(k) && !contains(allowed, k))
          sink.warning(pf.path(k), "ignored: not a parameter of " + t);
      p.pipes.push_back(std::move(rp));
    }
  }

  void parse_candidates(Parsed &p) {
    std::map<std::string, std::string> seen; // lower-cased id -> file
    struct Declared {
      std::string lower, file, as_written, line;
    };
    std::vector<Declared> declared_ids;  // IDs that differ from the file name
    for (const auto &name : p.where.files) {
      if (name.rfind("candidate", 0) != 0)
        continue;
      std::string file = p.where.dir + "/" + name;
      IssueSink sink(&issues_, file);
      const std::string prefix = "candidate-", suffix = ".md";
      if (name.size() <= prefix.size() + suffix.size() ||
          name.rfind(prefix, 0) != 0 ||
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) !=
              0) {
        sink.warning("",
                     "ignored: candidate files are named candidate-<ID>.md");
        continue;
      }
      std::string id = name.substr(prefix.size(),
                                   name.size() - prefix.size() - suffix.size());
      if (!is_safe_name(id)) {
        sink.error("", "'" + id +
                           "' is not a usable candidate id (letters, digits, "
                           "'.', '_', '-')");
        continue;
      }
      auto prev = seen.find(core::lower(id));
      if (prev != seen.end()) {
        sink.error("ID", "duplicate candidate '" + id + "' (also " +
                             prev->second + ")");
        continue;
      }
      seen[core::lower(id)] = file;
      auto text = read(file, sink);
      if (!text)
        continue;
      FrontMatter fm;
      if (!split_front_matter(*text, &fm)) {
        sink.error("",
                   "must start with YAML front matter between two '---' lines "
                   "(name, ID, info), then the Markdown text");
        continue;
      }
      auto root = parse_yaml_text(fm.yaml, sink, fm.yaml_first_line);
      if (!root)
        continue;
      if (!root->IsMap()) {
        sink.error("", "the front matter must be a map (name: ..., ID: ...)");
        continue;
      }
      core::Candidate c;
      c.id = id;
      Fields f(*root, sink, "", {"name", "ID", "info"});
      f.text("name", &c.name, true);
      std::string declared;
      if (f.text("ID", &declared, true) && declared != id) {
        // Pages, ballots and results use the file name's id. Another
        // candidate's id is a duplicate (below).
        sink.warning("ID", "'" + declared + "' differs from the file name's '" + id +
                               (core::lower(declared) == core::lower(id) ? "' in case only" : "'") +
                               "; using '" + id + "'" + line_of(f.node("ID")));
        if (core::lower(declared) != core::lower(id))
          declared_ids.push_back({core::lower(declared), file, declared, line_of(f.node("ID"))});
      }
      parse_info(c, f.node("info"), sink);
      c.bio_html = render_markdown(fm.body);
      p.e.candidates.push_back(std::move(c));
    }
    // A declared ID that is another candidate's id: two files for one
    // candidate (Elekto would mix up their ballots).
    std::map<std::string, std::string> declared_by;  // lower-cased ID -> file
    for (const auto &d : declared_ids) {
      auto other = seen.find(d.lower);
      auto twice = declared_by.find(d.lower);
      if (other != seen.end())
        IssueSink(&issues_, d.file)
            .error("ID", "duplicate candidate '" + d.as_written + "' (also " + other->second + ")" +
                             d.line);
      else if (twice != declared_by.end())
        IssueSink(&issues_, d.file)
            .error("ID", "duplicate candidate '" + d.as_written + "' (also " + twice->second + ")" +
                             d.line);
      else
        declared_by[d.lower] = d.file;
    }
    std::sort(p.e.candidates.begin(), p.e.candidates.end(),
              [](const core::Candidate &a, const core::Candidate &b) {
                return a.id < b.id;
              });
  }

  void parse_info(core::Candidate &c, const YAML::Node &info,
                  const IssueSink &sink) {
    if (!info.IsDefined() || info.IsNull())
      return;
    auto add = [&](const YAML::Node &k, const YAML::Node &v,
                   const std::string &field) {
      if (!k.IsScalar()) {
        sink.error(field, "expected key: value" + line_of(k));
        return;
      }
      std::string bidi = bidi_control_problem(k.Scalar() + (v.IsScalar() ? v.Scalar() : ""));
      if (!bidi.empty()) {
        sink.error(field + "." + k.Scalar(), bidi + line_of(v.IsScalar() ? v : k));
        return;
      }
      if (v.IsNull()) {
        c.info.emplace_back(k.Scalar(), "");
      } else if (v.IsScalar()) {
        c.info.emplace_back(k.Scalar(), v.Scalar());
      } else {
        sink.error(field + "." + k.Scalar(), "expected text" + line_of(v));
      }
    };
    if (info.IsMap()) {
      for (auto it = info.begin(); it != info.end(); ++it)
        add(it->first, it->second, "info");
    } else if (info.IsSequence()) {
      for (size_t i = 0; i < info.size(); ++i) {
        if (!info[i].IsMap()) {
          sink.error(index_path("info", i),
                     "expected key: value" + line_of(info[i]));
          continue;
        }
        for (auto it = info[i].begin(); it != info[i].end(); ++it)
          add(it->first, it->second, index_path("info", i));
      }
    } else {
      sink.error("info",
                 "expected a list of key: value entries" + line_of(info));
    }
  }

  void parse_voters(Parsed &p) {
    IssueSink sink(&issues_, p.voters_file);
    auto text = read(p.voters_file, sink);
    if (!text)
      return;
    if (auto plain = read_plain_voters(*text)) { // the common form, fast
      add_plain_voters(p, *plain, sink);
      return;
    }
    auto root = parse_yaml_text(*text, sink);
    if (!root)
      return;
    if (root->IsNull()) {
      sink.error("eligible_voters", "missing");
      return;
    }
    if (!root->IsMap()) {
      sink.error("", "expected a map with eligible_voters: [logins]");
      return;
    }
    Fields f(*root, sink, "", {"eligible_voters"});
    YAML::Node list = f.node("eligible_voters");
    if (!list.IsDefined()) {
      sink.error("eligible_voters", "missing");
      return;
    }
    p.voters_ok = true;
    if (list.IsNull())
      return; // `eligible_voters:` with nobody yet
    if (!list.IsSequence()) {
      sink.error("eligible_voters",
                 "expected a list of logins" + line_of(list));
      p.voters_ok = false;
      return;
    }
    std::map<std::string, size_t> seen;
    for (size_t i = 0; i < list.size(); ++i) {
      RawVoter rv;
      rv.field = index_path("eligible_voters", i);
      const YAML::Node item = list[i];
      if (item.IsNull()) {  // `-` with nothing after it: nobody to add
        // (no line: yaml-cpp places an empty node at the next token)
        sink.warning(rv.field, "empty entry, skipped");
        continue;
      }
      std::string why;
      std::optional<std::string> login;
      if (item.IsMap()) {
        Fields vf(item, sink, rv.field, {"id", "children"});
        if (!vf.has("id")) {
          sink.error(vf.path("id"), "missing");
          continue;
        }
        login = parse_login(vf.node("id"), &why);
        if (vf.has("children")) {
          rv.has_children = true;
          vf.text_list("children", &rv.v.children);
          if (rv.v.children.empty())
            sink.error(vf.path("children"),
                       "empty list: leave children out to allow all");
        }
      } else {
        login = parse_login(item, &why);
      }
      if (!login) {
        sink.error(rv.field, why + line_of(item));
        continue;
      }
      rv.v.login = *login;
      auto it = seen.find(rv.v.login);
      if (it != seen.end()) {
        const RawVoter &first = p.voters[it->second];
        if (first.v.children != rv.v.children)
          sink.error(rv.field, "'" + rv.v.login +
                                   "' is listed twice with different children" +
                                   line_of(item));
        else
          sink.warning(rv.field,
                       "'" + rv.v.login + "' is listed twice" + line_of(item));
        continue;
      }
      seen[rv.v.login] = p.voters.size();
      p.voters.push_back(std::move(rv));
    }
  }

  // What the loop above makes of a list of plain logins that are all valid
  // (src/meta/fast_voters.h), without yaml-cpp. Keep the two in step: a new
  // check on plain items belongs here too (t/unit/fast_voters_test loads
  // random files both ways and compares the voters and the issues).
  void add_plain_voters(Parsed &p, const std::vector<PlainVoter> &plain,
                        const IssueSink &sink) {
    p.voters_ok = true;
    std::unordered_set<std::string> seen;
    seen.reserve(plain.size());
    p.voters.reserve(plain.size());
    for (size_t i = 0; i < plain.size(); ++i) {
      RawVoter rv;
      rv.field = index_path("eligible_voters", i);
      rv.v.login = core::lower(plain[i].login);
      if (!seen.insert(rv.v.login).second) {
        sink.warning(rv.field, "'" + rv.v.login + "' is listed twice (line " +
                                   std::to_string(plain[i].line) + ")");
        continue;
      }
      p.voters.push_back(std::move(rv));
    }
  }

  // ---- structure ----

  int find_index(const std::string &id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? -1 : static_cast<int>(it->second);
  }

  // Nearest election folder above `id`, or -1.
  int nearest_ancestor(const std::string &id) const {
    std::string s = id;
    for (auto pos = s.rfind('/'); pos != std::string::npos;
         pos = s.rfind('/')) {
      s.resize(pos);
      int i = find_index(s);
      if (i >= 0)
        return i;
    }
    return -1;
  }

  void link_structure() {
    for (size_t i = 0; i < elections_.size(); ++i)
      by_id_[elections_[i].where.id] = i;
    for (auto &p : elections_) {
      int a = nearest_ancestor(p.where.id);
      if (a < 0)
        continue;
      Parsed &anc = elections_[a];
      IssueSink sink(&issues_, p.def_file);
      bool direct = p.where.id == anc.where.id + "/" + p.e.folder;
      if (!anc.ok) {
        p.nested_bad = true; // the parent's own error says enough
      } else if (nearest_ancestor(anc.where.id) >= 0) {
        sink.error("", "election inside the child election '" + anc.where.id +
                           "': only one level of children is supported (no "
                           "grandchildren)");
        p.nested_bad = true;
      } else if (anc.children.empty()) {
        sink.error("", "election inside election '" + anc.where.id +
                           "', which has no children: list it in its children "
                           "or move it out");
        p.nested_bad = true;
      } else if (!direct) {
        sink.error(
            "", "a child election must be a direct subfolder of its parent '" +
                    anc.where.id + "'");
        p.nested_bad = true;
      } else if (!contains(anc.children, p.e.folder)) {
        IssueSink(&issues_, anc.def_file)
            .error("children",
                   "folder '" + p.e.folder +
                       "' holds an election but is not listed in children");
        p.nested_bad = true;
      } else {
        p.parent = a;
        p.e.parent = anc.where.id;
        if (p.ok && !p.children.empty())
          sink.error("children",
                     "a child election cannot have children of its own "
                     "(no grandchildren)");
      }
    }
    for (auto &p : elections_) {
      if (!p.ok)
        continue;
      IssueSink sink(&issues_, p.def_file);
      for (size_t i = 0; i < p.children.size(); ++i) {
        const std::string &name = p.children[i];
        if (!is_safe_name(name))
          continue; // reported while parsing
        int c = find_index(p.where.id + "/" + name);
        if (c < 0) {
          sink.error(index_path("children", i),
                     "'" + name + "' is missing: no " + p.where.dir + "/" +
                         name + "/election.yaml");
          continue;
        }
        if (elections_[c].parent == find_index(p.where.id))
          p.e.children.push_back(elections_[c].where.id);
      }
    }
    for (auto &p : elections_) check_page_word(p);
  }

  // An election folder named like a sub-page (vote, results, ...). Below
  // a parent, /elections/<parent>/results is the parent's results page, so
  // the child could not be reached: an error saying how to rename it.
  // Below a plain folder (Elekto has no parents) the web routes prefer the
  // election that exists, so it is served: a warning. At the top,
  // /elections/results is unambiguous.
  void check_page_word(const Parsed &p) {
    if (!contains(kPageWords, p.e.folder) || p.nested_bad) return;
    auto slash = p.where.id.rfind('/');
    if (slash == std::string::npos) return;
    const std::string above = p.where.id.substr(0, slash);
    const std::string renamed = p.e.folder + "-election";
    const std::string mv =
        "git mv " + p.where.dir + " " + p.where.dir.substr(0, p.where.dir.rfind('/') + 1) + renamed;
    IssueSink sink(&issues_, p.def_file);
    if (p.parent >= 0)
      sink.error("", "folder name '" + p.e.folder + "': /elections/" + above + "/" + p.e.folder +
                         " is the " + p.e.folder + " page of '" + above +
                         "', so this child cannot be served; rename it: " + mv + ", and write " +
                         renamed + " for " + p.e.folder + " in children: of " +
                         elections_[p.parent].def_file);
    else
      sink.warning("", "folder name '" + p.e.folder + "' is also the name of urna's " + p.e.folder +
                           " page (/elections/<id>/" + p.e.folder + "); served at /elections/" +
                           p.where.id + " because '" + above +
                           "' is not an election. To avoid the clash: " + mv);
  }

  void inherit_and_check_dates() {
    // Sorted by path, so a parent comes before its children.
    std::vector<size_t> order(elections_.size());
    for (size_t i = 0; i < order.size(); ++i)
      order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return elections_[a].where.id < elections_[b].where.id;
    });
    for (size_t i : order) {
      Parsed &p = elections_[i];
      if (!p.ok)
        continue;
      IssueSink sink(&issues_, p.def_file);
      const Parsed *parent = p.parent >= 0 ? &elections_[p.parent] : nullptr;
      bool due_inherited = false;
      if (parent && parent->ok) {
        const core::Election &pe = parent->e;
        if (!p.has_start && parent->has_start)
          p.e.start = pe.start, p.has_start = true;
        if (!p.has_end && parent->has_end)
          p.e.end = pe.end, p.has_end = true;
        if (!p.has_due && parent->has_due)
          p.e.exception_due = pe.exception_due, p.has_due = true, due_inherited = true;
        if (!p.has_officers)
          p.e.officers = pe.officers, p.has_officers = parent->has_officers;
        if (!p.has_method)
          p.method = parent->method, p.has_method = parent->has_method;
        if (!p.has_org)
          p.e.organization = pe.organization;
        if (!p.has_tie_break)
          p.e.tie_break = pe.tie_break, p.has_tie_break = parent->has_tie_break;
        if (!p.has_seed)
          p.e.tie_break_seed = pe.tie_break_seed, p.has_seed = parent->has_seed;
        if (p.e.ballot_key.empty())
          p.e.ballot_key = pe.ballot_key;
      }
      bool dates = true;
      if (!p.has_start)
        sink.error("start_datetime", "missing"), dates = false;
      if (!p.has_end)
        sink.error("end_datetime", "missing"), dates = false;
      if (!p.has_due)
        p.e.exception_due = p.e.start;
      if (!dates)
        continue;
      if (p.e.end <= p.e.start)
        sink.error("end_datetime", "must be after start_datetime");
      else if (p.e.exception_due > p.e.end) {
        // Elekto accepts it; requests cannot outlast the election anyway.
        if (!due_inherited)
          sink.warning("exception_due",
                       "after end_datetime: exception requests close at the "
                       "end, " +
                           core::format_utc(p.e.end));
        p.e.exception_due = p.e.end;
      }
      if (parent && parent->ok && parent->has_start && parent->has_end) {
        if (p.e.end > parent->e.end)
          sink.error("end_datetime",
                     "after the parent's end_datetime: a child may not "
                     "outlive its parent '" +
                         parent->where.id + "'");
        if (p.e.start < parent->e.start)
          sink.error("start_datetime",
                     "before the parent's start_datetime: a child may "
                     "not start before its parent '" +
                         parent->where.id + "'");
      }
      if (!p.has_officers && !parent)
        sink.warning("election_officers",
                     "none: nobody can see the officers' page");
    }
  }

  // ---- questions ----

  core::Question main_question(const Parsed &p) const {
    core::Question q;
    q.id = "main";
    q.title = p.e.name;
    q.method = p.method;
    q.winners = p.e.no_winners;
    q.from_candidates = true;
    for (const auto &c : p.e.candidates)
      q.answers.push_back({c.id, c.name});
    return q;
  }

  void check_question(const core::Question &q, const std::string &field,
                      const IssueSink &sink) const {
    size_t n = q.answers.size();
    if (!q.from_candidates && n < 2)
      sink.error(field + ".answers", "a question needs at least two answers");
    if (n > 0 && static_cast<size_t>(q.winners) > n) {
      // Candidates come and go (a withdrawal is a deleted file), as with
      // no_winners; fixed answers are written next to winners.
      if (q.from_candidates)
        sink.warning(field + ".winners", more_seats(q.winners, n));
      else
        sink.error(field + ".winners", std::to_string(q.winners) + " winners but only " +
                                           std::to_string(n) + " answers");
    }
    if (q.method == core::Method::kIrv && q.winners > 1)
      sink.error(field + ".winners", irv_seats(q.winners));
    bool ranked = core::method_is_ranked(q.method);
    if (ranked && (q.min_selections || q.max_selections))
      sink.error(field + ".method",
                 std::string(core::method_name(q.method)) +
                     " ranks every answer: min_selections and "
                     "max_selections apply to plurality and approval");
    if (q.max_selections && q.min_selections > q.max_selections)
      sink.error(field + ".min_selections", "larger than max_selections");
    if (n > 0 && static_cast<size_t>(q.max_selections) > n)
      sink.error(field + ".max_selections",
                 "larger than the number of answers");
    if (q.method == core::Method::kPlurality && q.max_selections > 1)
      sink.error(field + ".max_selections",
                 "plurality picks one answer; use approval");
  }

  void finish_questions(Parsed &p) {
    IssueSink sink(&issues_, p.def_file);
    size_t ncand = p.e.candidates.size();
    if (!p.has_questions) {
      core::Question q = main_question(p);
      if (ncand == 0) {
        sink.warning("", "no candidate files (candidate-<ID>.md) yet");
      } else if (static_cast<size_t>(p.e.no_winners) > ncand) {
        sink.warning("no_winners", more_seats(p.e.no_winners, ncand));
      }
      if (q.method == core::Method::kIrv && q.winners > 1)
        sink.error("no_winners", irv_seats(q.winners));
      p.e.questions.push_back(std::move(q));
      return;
    }
    bool uses_candidates = false;
    for (auto &rq : p.questions) {
      if (!rq.method_set)
        rq.q.method = p.method;
      if (rq.q.from_candidates) {
        uses_candidates = true;
        for (const auto &c : p.e.candidates)
          rq.q.answers.push_back({c.id, c.name});
        if (ncand == 0)
          sink.warning(rq.field, "from_candidates, but no candidate files yet");
      }
      check_question(rq.q, rq.field, sink);
      p.e.questions.push_back(rq.q);
    }
    if (ncand > 0 && !uses_candidates)
      sink.warning("questions",
                   "candidate files exist but no question has "
                   "from_candidates: true; they are not on the ballot");
  }

  // A parent's questions: its own, else its children's (each question id
  // once, natural order); then the pipes are checked against them.
  void finish_parent(Parsed &p) {
    IssueSink sink(&issues_, p.def_file);
    if (p.has_questions) {
      finish_questions(p);
    } else if (p.pipes.empty()) {
      std::map<std::string, std::string>
          first_in; // question id -> child folder
      for (const auto &cid : p.e.children) {
        const Parsed &c = elections_[find_index(cid)];
        if (!c.ok)
          continue;
        IssueSink csink(&issues_, c.def_file);
        for (size_t i = 0; i < c.e.questions.size(); ++i) {
          const core::Question &q = c.e.questions[i];
          auto prev = std::find_if(
              p.e.questions.begin(), p.e.questions.end(),
              [&](const core::Question &x) { return x.id == q.id; });
          if (prev == p.e.questions.end()) {
            p.e.questions.push_back(q);
            first_in[q.id] = c.e.folder;
            continue;
          }
          // The parent adds up the ballots of same-id questions.
          std::string field = "questions[" + std::to_string(i) + "]";
          if (answer_ids(*prev) != answer_ids(q))
            csink.error(field + ".answers",
                        "question '" + q.id + "' is also in sibling '" +
                            first_in[q.id] +
                            "' with other answers; the parent adds them up, so "
                            "the answers "
                            "must match (or use another id)");
          else if (prev->method != q.method || prev->winners != q.winners)
            csink.error(field + ".method",
                        "question '" + q.id + "' is also in sibling '" +
                            first_in[q.id] +
                            "' with another method or number of winners");
        }
      }
    }
    check_pipes(p, sink);
    if (p.e.questions.empty())
      p.e.questions.push_back(main_question(p));
  }

  void check_pipes(Parsed &p, const IssueSink &sink) {
    const size_t nchildren = p.e.children.size();
    for (auto &rp : p.pipes) {
      core::Pipe &pipe = rp.p;
      const std::string &t = pipe.type;
      const Parsed *source = nullptr;
      bool needs_source = t == "duplicate_questions" ||
                          t == "multipart_tally_plaintexts_append_joiner";
      if (needs_source) {
        if (!rp.has_source_election) {
          sink.error(rp.field + ".source_election", "missing" + rp.line);
          continue;
        }
        const std::string &raw = rp.source_election_raw;
        bool numeric = !raw.empty() && all_digits(raw);
        if (numeric) {
          size_t idx = raw.size() > 6 ? 1000000 : std::stoul(raw);
          if (idx == 0) {
            source = &p;
          } else if (idx <= nchildren) {
            source = &elections_[find_index(p.e.children[idx - 1])];
          } else {
            sink.error(rp.field + ".source_election",
                       "index " + raw + " but the election has " +
                           std::to_string(nchildren) +
                           " children (0 = the parent, 1.. = children in "
                           "natural order)");
            continue;
          }
        } else {
          int c = find_index(p.where.id + "/" + raw);
          if (c < 0 || elections_[c].parent != find_index(p.where.id)) {
            std::string other;
            for (const auto &q : elections_)
              if (q.parent >= 0 && q.e.folder == raw)
                other = q.e.parent;
            sink.error(rp.field + ".source_election",
                       "'" + raw + "' is not a child of this election" +
                           (other.empty()
                                ? ""
                                : " (it is a child of '" + other + "')"));
            continue;
          }
          source = &elections_[c];
        }
        pipe.source_election = source == &p ? "" : source->e.folder;
      }
      auto find_q = [](const std::vector<core::Question> &qs,
                       const std::string &id) {
        auto it =
            std::find_if(qs.begin(), qs.end(),
                         [&](const core::Question &q) { return q.id == id; });
        return it == qs.end() ? nullptr : &*it;
      };
      const core::Question *src_q = nullptr;
      if (needs_source) {
        if (pipe.source_question.empty()) {
          sink.error(rp.field + ".source_question", "missing" + rp.line);
          continue;
        }
        src_q = find_q(source->e.questions, pipe.source_question);
        if (!src_q) {
          sink.error(rp.field + ".source_question",
                     "no question '" + pipe.source_question + "' in " +
                         (source == &p ? std::string("the parent")
                                       : "'" + source->e.folder + "'"));
          continue;
        }
      }
      if (t == "duplicate_questions") {
        if (pipe.question.empty())
          pipe.question = pipe.source_question;
        if (find_q(p.e.questions, pipe.question)) {
          sink.error(rp.field + ".question",
                     "the parent already has a question '" + pipe.question +
                         "'");
          continue;
        }
        core::Question copy = *src_q;
        copy.id = pipe.question;
        if (!pipe.value.empty())
          copy.title = pipe.value;
        p.e.questions.push_back(copy);
      } else if (t == "apply_modifications" ||
                 t == "multipart_tally_plaintexts_append_joiner") {
        if (pipe.question.empty()) {
          sink.error(rp.field + ".question", "missing" + rp.line);
          continue;
        }
        core::Question *target = nullptr;
        for (auto &q : p.e.questions)
          if (q.id == pipe.question)
            target = &q;
        if (!target) {
          sink.error(rp.field + ".question",
                     "the parent has no question '" + pipe.question +
                         "' (at this point of the pipes)");
          continue;
        }
        if (t == "multipart_tally_plaintexts_append_joiner") {
          if (answer_ids(*target) != answer_ids(*src_q))
            sink.error(rp.field, "answers do not match: '" + source->e.folder +
                                     "' question '" + src_q->id + "' has (" +
                                     join(answer_ids(*src_q)) +
                                     "), parent question '" + target->id +
                                     "' has (" + join(answer_ids(*target)) +
                                     ")");
          continue;
        }
        check_modification(rp, *target, sink);
      }
    }
    for (const auto &rp : p.pipes)
      p.e.pipes.push_back(rp.p);
  }

  void check_modification(const RawPipe &rp, core::Question &target,
                          const IssueSink &sink) {
    const core::Pipe &pipe = rp.p;
    if (!contains(kActions, pipe.action)) {
      sink.error(rp.field + ".action",
                 (pipe.action.empty()
                      ? std::string("missing")
                      : "unknown action '" + pipe.action + "'") +
                     " (one of " + join(kActions) + ")");
      return;
    }
    if (pipe.action == "withdraw-candidates") {
      if (pipe.answers.empty())
        sink.error(rp.field + ".answers", "missing");
      for (size_t i = 0; i < pipe.answers.size(); ++i)
        if (!contains(answer_ids(target), pipe.answers[i]))
          sink.error(index_path(rp.field + ".answers", i),
                     "question '" + target.id + "' has no answer '" +
                         pipe.answers[i] + "'");
      return;
    }
    if (pipe.action == "set-title") {
      if (pipe.value.empty())
        sink.error(rp.field + ".value", "missing");
      else
        target.title = pipe.value;
      return;
    }
    const std::string &v = pipe.value;
    bool number = !v.empty() && v.size() < 6 && all_digits(v);
    if (!number)
      sink.error(rp.field + ".value",
                 pipe.action + " takes a whole number, got '" + v + "'");
  }

  // ---- voters ----

  void check_voters() {
    for (auto &p : elections_) {
      if (!p.ok)
        continue;
      IssueSink vsink(&issues_, p.voters_file);
      if (p.parent >= 0 || p.nested_bad) {
        if (p.has_voters_file)
          vsink.error(
              "",
              "a child election has no voter list of its own: list its voters "
              "in the parent's voters.yaml (with children: [" +
                  p.e.folder + "])");
        continue;
      }
      if (!p.has_voters_file) {
        IssueSink(&issues_, p.def_file)
            .warning("", "no voters.yaml: nobody can vote in this election");
        continue;
      }
      std::vector<std::string> kids;
      for (const auto &cid : p.e.children)
        kids.push_back(elections_[find_index(cid)].e.folder);
      for (auto &rv : p.voters) {
        if (rv.has_children && p.children.empty()) {
          vsink.error(rv.field + ".children",
                      "only the voters of a parent election name children");
          continue;
        }
        for (size_t j = 0; j < rv.v.children.size(); ++j) {
          const std::string &c = rv.v.children[j];
          if (contains(p.children, c))
            continue;
          std::string other;
          for (const auto &q : elections_)
            if (q.parent >= 0 && q.e.folder == c && q.e.parent != p.where.id)
              other = q.e.parent;
          vsink.error(
              index_path(rv.field + ".children", j),
              "voter '" + rv.v.login + "': '" + c + "' is not a child of '" +
                  p.where.id + "'" +
                  (other.empty() ? "" : " (it is a child of '" + other + "')"));
        }
        p.e.voters.push_back(rv.v);
      }
    }
  }

  std::string dir_;
  std::string root_;
  std::string root_rel_;
  std::string canon_;
  std::vector<Issue> issues_;
  std::vector<Parsed> elections_;
  std::map<std::string, size_t> by_id_;
};

} // namespace

std::string LoadResult::report() const {
  std::string s;
  for (const auto &i : issues)
    s += i.to_string() + "\n";
  return s;
}

LoadResult load_repository(const std::string &dir, const std::string &root) {
  return Loader(dir, root).run();
}

} // namespace urna::meta
