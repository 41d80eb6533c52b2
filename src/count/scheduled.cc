#include "count/scheduled.h"

#include <fcntl.h>
#include <json/json.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "core/ballot_plaintext.h"
#include "core/snapshot_json.h"
#include "count/export.h"
#include "count/key_dir.h"
#include "crypto/ballot_box.h"
#include "crypto/ballot_open.h"
#include "crypto/crypto.h"
#include "store/db.h"
#include "store/lease_store.h"
#include "store/migrate.h"
#include "store/results_store.h"
#include "store/sync_store.h"
#include "store/tally_store.h"
#include "tally/count.h"
#include "tally/pipes.h"
#include "tally/ranking_codec.h"
#include "tally/report.h"
#include "tally/result.h"

namespace urna::count {

namespace {

// Bumped when what is stored changes, so that old results are re-tallied.
// 2: a parent without pipes consolidates every question id (tally/pipes.h).
constexpr int kResultsFormat = 2;

// A ranking that cannot be read is still a ballot: it goes to the count as
// a mark for this impossible answer id (so it is counted invalid wherever
// the pipes take it), and the reason is renamed afterwards.
const char kUnreadable[] = "\x1f";

// Identical rankings are decoded once and counted with a weight.
std::vector<tally::RawBallot> ballots_of(const std::vector<ExportRow>& rows) {
  std::unordered_map<std::string, std::int64_t> weight;
  for (const auto& r : rows) ++weight[r.ranking];
  std::vector<tally::RawBallot> out;
  out.reserve(weight.size());
  for (const auto& [ranking, w] : weight) {
    std::string why;
    auto raw = ranking.compare(0, 1, kUnreadable) == 0 ? std::nullopt
                                                       : tally::decode_ranking(ranking, &why);
    if (!raw && why.empty()) {  // a sealed ballot that did not open: its reason as given
      raw.emplace();
      raw->marks.emplace_back(ranking, 1);
    } else if (!raw) {
      raw.emplace();
      raw->marks.emplace_back(kUnreadable + why, 1);
    }
    raw->weight = w;
    out.push_back(std::move(*raw));
  }
  // Deterministic input order (the count does not depend on it, but the
  // reasons' order and any note might).
  std::sort(out.begin(), out.end(),
            [](const tally::RawBallot& a, const tally::RawBallot& b) { return a.marks < b.marks; });
  return out;
}

void rename_unreadable(tally::QuestionResult* r) {
  const std::string prefix = std::string("unknown answer \"") + kUnreadable;
  std::map<std::string, std::int64_t> merged;
  std::vector<std::string> order;
  for (auto& [why, n] : r->invalid_reasons) {
    std::string w = why;
    if (w.compare(0, prefix.size(), prefix) == 0) {
      w = w.substr(prefix.size());
      if (!w.empty() && w.back() == '"') w.pop_back();
    }
    if (!merged.count(w)) order.push_back(w);
    merged[w] += n;
  }
  r->invalid_reasons.clear();
  for (const auto& w : order) r->invalid_reasons.emplace_back(w, merged[w]);
}

}  // namespace

tally::CountOptions count_options(const core::Election& e) {
  tally::CountOptions opt;
  // The loader accepts only these names; anything else counts as none.
  if (!tally::parse_tie_break(e.tie_break.empty() ? "none" : e.tie_break, &opt.tie_break))
    opt.tie_break = tally::TieBreak::kNone;
  opt.seed = e.tie_break_seed;
  return opt;
}

namespace {

void add_fields(const core::Election& e, std::ostringstream& s) {
  auto field = [&](const std::string& v) { s << v.size() << ':' << v << ';'; };
  field(e.id);
  s << e.no_winners << e.allow_no_opinion << e.delete_after << e.receipts << '|';
  field(e.tie_break);
  field(e.tie_break_seed);
  for (const auto& q : e.questions) {
    field(q.id);
    field(q.title);
    field(core::method_name(q.method));
    s << q.winners << ',' << q.min_selections << ',' << q.max_selections << '[';
    for (const auto& a : q.answers) {
      field(a.id);
      field(a.text);
    }
    s << ']';
  }
  for (const auto& p : e.pipes) {
    for (const auto* v :
         {&p.type, &p.source_election, &p.source_question, &p.question, &p.action, &p.value})
      field(*v);
    for (const auto& a : p.answers) field(a);
    s << p.no_votes << '|';
  }
}

std::vector<const core::Election*> children_of(const core::Snapshot& snap,
                                               const core::Election& e) {
  std::vector<const core::Election*> out;
  for (const auto& id : e.children)
    if (const core::Election* c = snap.find(id)) out.push_back(c);
  return out;
}

struct Source {
  const core::Election* election;
  QuestionRows rows;
};

std::optional<std::string> public_key_of(const core::Config& cfg, const core::Election& e);
std::vector<std::string> waiting_for_key(store::Db& db, const core::Config& cfg,
                                         const core::Snapshot& snap, const std::string& pub,
                                         core::UnixTime now);

// Why a sealed ballot counts as invalid, in every question of its election.
const char kDoesNotOpen[] =
    "a sealed ballot that does not open with the election's key (tampered, truncated or sealed "
    "to another key)";

// The private key of `e`'s ballot key (its own, else cfg.ballot_key),
// loaded once per key. Throws when the election has sealed ballots but no
// key can be found: a count without them would be wrong.
class KeyRing {
 public:
  explicit KeyRing(const core::Config& cfg) : cfg_(cfg) {}

  // nullptr when `e` has no ballot key at all.
  const std::string* private_key(const core::Election& e) {
    const auto pub = public_key_of(cfg_, e);
    if (!pub) return nullptr;
    auto it = keys_.find(*pub);
    if (it == keys_.end()) {
      auto priv = count::load_private_key(cfg_.key_dir, *pub);
      if (!priv)
        throw std::runtime_error("no private key for ballot key " +
                                 crypto::ballot_key_fingerprint(*pub) + " in key_dir " +
                                 cfg_.key_dir + " (expected " + count::key_file_name(*pub) + ")");
      it = keys_.emplace(*pub, *priv).first;
    }
    return &it->second;
  }

 private:
  const core::Config& cfg_;
  std::map<std::string, std::string> keys_;  // public -> private
};

// Reads every ballot of `e` — sealed ones, opened with its private key, and
// plaintext rows from before schema version 4 — grouped by question. Rows
// for a question the election no longer has, and sealed ballots that do not
// open (counted invalid), are reported in `notes`.
Source read_rows(store::Db& db, const core::Election& e, KeyRing& keys,
                 std::vector<std::string>* notes) {
  Source s{&e, {}};
  std::set<std::string> known;
  for (const auto& q : e.questions) known.insert(q.id);
  std::map<std::string, std::int64_t> unknown;
  store::for_each_ballot(db, e.id,
                         [&](const std::string&, const std::string& question,
                             const std::string& ranking, const std::string& receipt) {
                           if (!known.count(question)) {
                             ++unknown[question];
                             return;
                           }
                           s.rows[question].push_back({ranking, receipt});
                         });
  const std::string* priv = nullptr;
  bool looked = false;
  std::int64_t bad = 0;
  store::for_each_sealed_ballot(
      db, e.id, [&](const std::string& ciphertext, const std::string& receipt) {
        if (!looked) {
          priv = keys.private_key(e);
          looked = true;
          if (!priv)
            throw std::runtime_error(
                "it has sealed ballots but no ballot key (set ballot_key in its "
                "election.yaml or in urna.conf)");
        }
        std::optional<core::BallotParts> parts;
        if (auto padded = crypto::open_ballot(*priv, ciphertext, e.id))
          if (auto plain = crypto::unpad_ballot(*padded)) parts = core::decode_ballot(*plain);
        if (!parts) {
          ++bad;
          for (const auto& q : e.questions)
            s.rows[q.id].push_back({std::string(kUnreadable) + kDoesNotOpen, receipt});
          return;
        }
        std::map<std::string, std::string> by_q(parts->begin(), parts->end());
        for (const auto& [q, ranking] : by_q)
          if (!known.count(q)) ++unknown[q];
        // Every question of the election gets a row: one the ballot lacks is
        // blank there (the booth always sends every question).
        for (const auto& q : e.questions) {
          auto it = by_q.find(q.id);
          s.rows[q.id].push_back({it == by_q.end() ? std::string() : it->second, receipt});
        }
      });
  // Whole sentences, one for one ballot and one for several (they reach
  // the results page and urna-tally's output).
  for (const auto& [q, n] : unknown)
    notes->push_back(
        n == 1 ? "1 ballot of " + e.id + " answers question \"" + q +
                     "\", which the election no longer has; that answer was not counted."
               : std::to_string(n) + " ballots of " + e.id + " answer question \"" + q +
                     "\", which the election no longer has; those answers were not counted.");
  if (bad)
    notes->push_back(bad == 1 ? "1 sealed ballot of " + e.id +
                                    " did not open with the election's key; it is counted as "
                                    "invalid in every question."
                              : std::to_string(bad) + " sealed ballots of " + e.id +
                                    " did not open with the election's key; they are counted "
                                    "as invalid in every question.");
  return s;
}

tally::QuestionBox box_of(const core::Question& q, const QuestionRows& rows) {
  tally::QuestionBox b;
  b.question = q;
  auto it = rows.find(q.id);
  if (it != rows.end()) b.ballots = ballots_of(it->second);
  return b;
}

std::string stored_fingerprint(const std::string& body) {
  Json::Value v;
  Json::CharReaderBuilder rb;
  std::string errs;
  std::istringstream in(body);
  if (!Json::parseFromStream(rb, in, &v, &errs) || !v.isObject()) return "";
  return v.get("definition", "").asString();
}

}  // namespace

std::vector<core::Question> parent_own_questions(const core::Election& e) {
  if (e.pipes.empty()) return {};
  const size_t copies =
      static_cast<size_t>(std::count_if(e.pipes.begin(), e.pipes.end(), [](const core::Pipe& p) {
        return p.type == "duplicate_questions";
      }));
  if (copies >= e.questions.size()) return {};
  return std::vector<core::Question>(e.questions.begin(),
                                     e.questions.end() - static_cast<long>(copies));
}

namespace {

// delete_after in a parent process: a child's ballots go once both the
// parent's results (which read them) and the child's own are stored with
// their links erased, whichever is stored last. From then on both results
// are final (tally_one keeps them).
void erase_child_ballots(store::Db& db, const core::Snapshot& snap, const core::Election& parent) {
  const auto pr = store::load_results(db, parent.id);
  if (!pr || !pr->links_erased) return;
  for (const auto* c : children_of(snap, parent)) {
    const auto cr = store::load_results(db, c->id);
    if (!cr || !cr->links_erased) continue;
    const std::int64_t n = store::erase_ballots(db, c->id);
    if (n > 0)
      std::cout << "urna-tally: " << c->id << ": " << n
                << " ballot(s) erased (delete_after; the results of " << parent.id << " and of "
                << c->id << " are stored)\n";
  }
}

bool tally_one(store::Db& db, KeyRing& keys, const core::Snapshot& snap, const core::Election& e,
               core::UnixTime now, std::mt19937_64& rng) {
  const std::string fp = definition_fingerprint(snap, e);
  const auto children = children_of(snap, e);
  std::int64_t count = store::ballot_count(db, e.id);
  for (const auto* c : children) count += store::ballot_count(db, c->id);
  const auto existing = store::load_results(db, e.id);
  if (existing && existing->links_erased && existing->ballot_count != count) {
    // delete_after erased the ballots with the count: the results stored
    // then are final (a changed definition cannot be counted again).
    std::cout << "urna-tally: " << e.id << ": results final (" << existing->ballot_count
              << " ballots, erased after the count: delete_after)\n";
    if (count > 0)
      std::cerr << "urna-tally: " << e.id << ": " << count
                << " ballot(s) stored after the ballots were erased were not counted\n";
    return false;
  }
  if (existing && existing->ballot_count == count && stored_fingerprint(existing->json) == fp) {
    std::cout << "urna-tally: " << e.id << ": results up to date (" << count << " ballots)\n";
    return false;
  }

  std::vector<std::string> notes;
  Source own = read_rows(db, e, keys, &notes);
  std::vector<Source> kids;
  for (const auto* c : children) kids.push_back(read_rows(db, *c, keys, &notes));

  const tally::CountOptions opt = count_options(e);
  std::vector<tally::QuestionResult> results;
  if (!e.is_parent()) {
    for (const auto& q : e.questions) {
      auto it = own.rows.find(q.id);
      results.push_back(tally::count_question(
          q, it == own.rows.end() ? std::vector<tally::RawBallot>{} : ballots_of(it->second), opt));
    }
  } else {
    // A parent takes no ballots itself: the questions the snapshot lists on
    // it are the consolidated ones, which the pipes build from the
    // children (passing them too would make duplicate_questions collide).
    // The pipes start from the parent's own questions, as urna-sync
    // checked them.
    tally::ElectionBoxes parent;
    for (const auto& q : parent_own_questions(e))
      parent.questions.push_back(tally::QuestionBox{q, {}});
    if (!own.rows.empty())
      notes.push_back(
          "Ballots stored for the parent election itself were not counted: a parent's result "
          "counts the ballots of its children.");
    std::vector<tally::ElectionBoxes> boxes;
    for (const auto& k : kids) {
      tally::ElectionBoxes b;
      b.folder = k.election->folder;
      for (const auto& q : k.election->questions) b.questions.push_back(box_of(q, k.rows));
      boxes.push_back(std::move(b));
    }
    results = tally::run_pipes(e.pipes, parent, boxes, opt);
  }
  for (auto& r : results) rename_unreadable(&r);

  // The export: a parent's is its children's, one block each.
  BallotExport ex;
  if (!e.is_parent()) ex = build_export(e, own.rows, rng);
  for (const auto& k : kids) {
    BallotExport ce = build_export(*k.election, k.rows, rng);
    ex.csv += "# election: " + k.election->id + "\n" + ce.csv;
    if (!ce.blt.empty()) ex.blt += "# election: " + k.election->id + "\n" + ce.blt;
  }

  Json::Value body;
  body["format"] = kResultsFormat;
  body["election_id"] = e.id;
  body["definition"] = fp;
  body["ballot_count"] = static_cast<Json::Int64>(count);
  body["questions"] = Json::Value(Json::arrayValue);
  for (const auto& r : results) body["questions"].append(tally::to_json(r));
  // A results.md draft for the officers to review and commit (shown to
  // them on the results page).
  body["results_md"] = tally::results_markdown(e.name.empty() ? e.id : e.name, results);
  body["notes"] = Json::Value(Json::arrayValue);
  for (const auto& n : notes) body["notes"].append(n);
  Json::StreamWriterBuilder w;
  w["indentation"] = "";

  store::StoredResults s;
  s.election_id = e.id;
  s.json = Json::writeString(w, body);
  s.ballots_csv = std::move(ex.csv);
  s.ballots_blt = std::move(ex.blt);
  s.ballot_count = count;
  s.snapshot_commit = snap.commit;
  s.tallied_at = now;
  const core::Election* parent = e.is_child() ? snap.find(e.parent) : nullptr;
  const bool erase = e.delete_after || (parent && parent->delete_after);
  s.links_erased = erase;
  // The ballots go too, except a child's (its parent's count reads them:
  // erase_child_ballots below) and a parent's (it holds none).
  const bool erase_ballots = erase && !e.is_child() && !e.is_parent();
  store::save_results(db, s, erase, erase_ballots);
  if (erase && e.is_child()) erase_child_ballots(db, snap, *snap.find(e.parent));
  if (erase && e.is_parent()) erase_child_ballots(db, snap, e);
  std::cout << "urna-tally: " << e.id << ": tallied " << count << " ballots, " << results.size()
            << " question(s)" << (erase ? "; voter links erased" : "")
            << (erase_ballots ? "; ballots erased" : "") << "\n";
  for (const auto& n : notes) std::cout << "urna-tally: " << e.id << ": note: " << n << "\n";
  return true;
}

// Holds an exclusive flock on state_dir/urna-tally.lock for the process's
// life; false when another run holds it.
bool take_lock(const std::string& state_dir) {
  const std::string path = state_dir + "/urna-tally.lock";
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    throw std::runtime_error("cannot open the lock file " + path + ": " + std::strerror(errno));
  return flock(fd, LOCK_EX | LOCK_NB) == 0;  // fd stays open: the lock lives with us
}

}  // namespace

std::string definition_fingerprint(const core::Snapshot& snap, const core::Election& e) {
  std::ostringstream s;
  s << "urna-results " << kResultsFormat << '|';
  add_fields(e, s);
  if (const core::Election* p = e.is_child() ? snap.find(e.parent) : nullptr)
    s << "parent-delete-after " << p->delete_after << '|';
  for (const auto* c : children_of(snap, e)) {
    s << "child|";
    add_fields(*c, s);
    s << c->folder.size() << ':' << c->folder << ';';
  }
  return crypto::hex_encode(crypto::sha256(s.str()));
}

namespace {

// forget_key_after_count: once the last election sealed to e's key is
// counted, the private key is deleted (and said so); until then it stays.
void forget_when_done(store::Db& db, const core::Config& cfg, const core::Snapshot& snap,
                      const core::Election& e, core::UnixTime now) {
  const auto pub = public_key_of(cfg, e);
  if (!pub) return;
  const auto waiting = waiting_for_key(db, cfg, snap, *pub, now);
  const std::string fp = crypto::ballot_key_fingerprint(*pub);
  if (!waiting.empty()) {
    std::cout << "urna-tally: " << e.id << ": key " << fp << " kept: " << waiting.size()
              << " election(s) sealed to it are not counted yet\n";
    return;
  }
  if (forget_key(cfg.key_dir, *pub))
    std::cout << "urna-tally: " << e.id << ": forgot the private key " << fp
              << " (forget_key_after_count): its ballots can no longer be opened by anyone\n";
}

// URNA_TEST_PAUSE=SECONDS: for the tests only (t/e2e/lease_test.py), a run
// that holds its lease that long before counting, so that it can be killed
// mid-run. Unset in production; documented in docs/cluster.md.
void test_pause() {
  const char* v = std::getenv("URNA_TEST_PAUSE");
  if (!v || !*v) return;
  const int n = std::atoi(v);
  if (n <= 0 || n > 3600) return;
  std::cout << "urna-tally: URNA_TEST_PAUSE: holding the lease " << n << " s" << std::endl;
  std::this_thread::sleep_for(std::chrono::seconds(n));
}

}  // namespace

int run_cron(const core::Config& cfg, core::UnixTime now) {
  if (!take_lock(cfg.state_dir)) {
    std::cerr << "urna-tally: another urna-tally is running; skipped\n";
    return 0;
  }
  store::Db db(cfg);
  const int have = store::schema_version(db);
  if (have != store::expected_schema_version()) {
    std::cerr << "urna-tally: the database schema is version " << have << ", this build needs "
              << store::expected_schema_version() << ": run urna-sync --migrate\n";
    return 1;
  }
  // Across hosts: one count at a time (docs/cluster.md).
  const std::string owner = store::lease_owner_name();
  const store::LeaseTaken lease = store::take_lease(db, "urna-tally", owner, cfg.lease_ttl);
  if (!lease.taken) {
    std::cout << "urna-tally: " << lease.holder.owner << " holds the urna-tally lease (for "
              << lease.holder.expires_in << " s more unless renewed); skipped\n";
    return 0;
  }
  if (!lease.previous.empty())
    std::cout << "urna-tally: took over the expired urna-tally lease of " << lease.previous << "\n";
  store::LeaseKeeper keeper(store::db_params(cfg), "urna-tally", owner, cfg.lease_ttl);
  test_pause();
  const auto stored = store::load_live_snapshot(db);
  if (!stored) {
    std::cout << "urna-tally: no snapshot yet (run urna-sync); nothing to tally\n";
    return 0;
  }
  core::Snapshot snap = core::snapshot_from_json(stored->json);
  if (snap.commit.empty()) snap.commit = stored->commit;

  // The shuffle must not be predictable: seeded from the OS's CSPRNG.
  const std::string seed_bytes = crypto::random_bytes(32);
  std::seed_seq seed(seed_bytes.begin(), seed_bytes.end());
  std::mt19937_64 rng(seed);

  KeyRing keys(cfg);
  int failed = 0, tallied = 0, closed = 0;
  for (const auto& e : snap.elections) {
    // Only once the end is count_margin seconds past: a vote that passed
    // the deadline check just before the end may still be committing.
    if (core::phase_at(e, now - cfg.count_margin) != core::Phase::kClosed) continue;
    ++closed;
    try {
      if (tally_one(db, keys, snap, e, now, rng)) {
        ++tallied;
        if (cfg.forget_key_after_count) forget_when_done(db, cfg, snap, e, now);
      }
    } catch (const std::exception& ex) {
      ++failed;
      std::cerr << "urna-tally: " << e.id << ": " << ex.what() << "\n";
    }
  }
  std::cout << "urna-tally: commit " << snap.commit << ": " << closed << " closed election(s), "
            << tallied << " tallied, " << failed << " failed\n";
  return failed ? 1 : 0;
}

namespace {

// The election's public ballot key (raw), its own or the instance default;
// nullopt when it has none. Throws for a malformed one.
std::optional<std::string> public_key_of(const core::Config& cfg, const core::Election& e) {
  const std::string text = e.ballot_key.empty() ? cfg.ballot_key : e.ballot_key;
  if (text.empty()) return std::nullopt;
  auto pub = crypto::parse_ballot_key(text);
  if (!pub) throw std::runtime_error("the ballot key of " + e.id + " is malformed");
  return pub;
}

// The elections sealed to `pub` that are not counted yet (not closed, or
// without stored results for every ballot): while any is left, forgetting
// the key would leave its ballots unreadable forever.
std::vector<std::string> waiting_for_key(store::Db& db, const core::Config& cfg,
                                         const core::Snapshot& snap, const std::string& pub,
                                         core::UnixTime now) {
  std::vector<std::string> waiting;
  for (const auto& x : snap.elections) {
    const auto k = public_key_of(cfg, x);
    if (!k || *k != pub || x.is_parent()) continue;
    const auto r = store::load_results(db, x.id);
    const bool counted = core::phase_at(x, now) == core::Phase::kClosed && r &&
                         (r->ballot_count == store::ballot_count(db, x.id) || r->links_erased);
    if (!counted) waiting.push_back(x.id);
  }
  return waiting;
}

}  // namespace

int forget_election_key(const core::Config& cfg, const std::string& election_id, bool force,
                        core::UnixTime now) {
  store::Db db(cfg);
  const auto stored = store::load_live_snapshot(db);
  if (!stored) throw std::runtime_error("no snapshot yet (run urna-sync)");
  core::Snapshot snap = core::snapshot_from_json(stored->json);
  const core::Election* e = snap.find(election_id);
  if (!e) throw std::runtime_error("no election \"" + election_id + "\"");
  const auto pub = public_key_of(cfg, *e);
  if (!pub) throw std::runtime_error(election_id + " has no ballot key");
  const std::vector<std::string> waiting = waiting_for_key(db, cfg, snap, *pub, now);
  if (!waiting.empty() && !force) {
    std::string list;
    for (const auto& w : waiting) list += (list.empty() ? "" : ", ") + w;
    std::cerr << "urna-tally: not forgetting " << crypto::ballot_key_fingerprint(*pub)
              << ": these elections use it and are not counted yet: " << list
              << " (--force forgets it anyway; their ballots could then never be counted)\n";
    return 1;
  }
  if (!forget_key(cfg.key_dir, *pub)) {
    std::cout << "urna-tally: " << crypto::ballot_key_fingerprint(*pub)
              << " is not in key_dir (already forgotten)\n";
    return 0;
  }
  std::cout << "urna-tally: forgot the private key " << crypto::ballot_key_fingerprint(*pub)
            << " of " << election_id << ": its ballots can no longer be opened by anyone\n";
  return 0;
}

}  // namespace urna::count
