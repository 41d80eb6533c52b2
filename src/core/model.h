// The election model: what a validated metadata repository says, as plain
// values. Built by src/meta, serialized into the database snapshot by
// src/core/snapshot_json, read by the web pages and by urna-tally.
// Pure data: no I/O, no clock. Thread safety: a const Snapshot is shared
// read-only between worker threads.
#ifndef URNA_CORE_MODEL_H_
#define URNA_CORE_MODEL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace urna::core {

// Seconds since the Unix epoch, UTC. Every date in urna is UTC.
using UnixTime = std::int64_t;

enum class Method {
  kSchulze,      // default; winning votes, Elekto-compatible
  kRankedPairs,
  kIrv,
  kStv,          // Scottish STV rules
  kPlurality,    // pick one (also Yes/No questions)
  kApproval,     // pick up to max_selections
  kBorda,
};

// "schulze", "ranked-pairs", "irv", "stv", "plurality", "approval", "borda".
const char* method_name(Method m);
// Returns nullopt for an unknown name.
std::optional<Method> parse_method(const std::string& name);
// True for methods whose ballot is a ranking (schulze, ranked-pairs, irv,
// stv, borda); false for selection methods (plurality, approval).
bool method_is_ranked(Method m);

// A candidate file (candidate-<id>.md) of Elekto's layout.
struct Candidate {
  std::string id;    // the ID front-matter field == the file name's <id>
  std::string name;
  // `info:` entries in file order (key, value); shown when the key is listed
  // in the election's show_candidate_fields.
  std::vector<std::pair<std::string, std::string>> info;
  std::string bio_html;  // Markdown rendered by cmark, raw HTML suppressed
};

// One answer of a question: a candidate, or e.g. "yes" / "no".
struct Answer {
  std::string id;
  std::string text;
};

// One race on the ballot. An election without `questions:` has exactly one
// question, id "main", whose answers are its candidates.
struct Question {
  std::string id;
  std::string title;
  Method method = Method::kSchulze;
  int winners = 1;          // seats
  std::vector<Answer> answers;
  int min_selections = 0;   // selection methods: at least this many
  int max_selections = 0;   // selection methods: at most (0 = answers.size())
  bool from_candidates = false;  // answers are the election's candidates
  std::string description_html;  // optional `description:` Markdown, rendered
};

// A voters.yaml entry. In a parent election `children` names the child
// folders this voter may vote in (empty = all children). Logins are stored
// lower-cased (compared case-insensitively everywhere).
struct Voter {
  std::string login;
  std::vector<std::string> children;
};

// A titled group of children, for presentation only.
struct Category {
  std::string title;
  std::vector<std::string> children;  // child folder names
};

// One step of a parent's result pipeline (DESIGN.md §3, Sequent names).
// Elections are referenced by child folder name, "" meaning the parent.
struct Pipe {
  std::string type;  // duplicate_questions | apply_modifications |
                     // multipart_tally_plaintexts_append_joiner |
                     // do_tallies | sort_non_iterative
  // duplicate_questions: copy source_election/source_question into the
  //   parent as question `question` (title `value`, empty = same), with no
  //   ballots when no_votes.
  // apply_modifications: on question `question` of the parent, `action`
  //   (set-title, withdraw-candidates, set-min, set-max, set-winners) with
  //   `value` or `answers`.
  // multipart_tally_plaintexts_append_joiner: add the ballots of
  //   source_election/source_question to parent question `question`.
  std::string source_election;
  std::string source_question;
  std::string question;
  std::string action;
  std::string value;
  std::vector<std::string> answers;
  bool no_votes = false;
};

enum class ResultsVisibility {
  kPublic,         // everyone as soon as the tally is stored (default)
  kOfficersFirst,  // officers first; public once results.md lands in git
};

struct Election {
  std::string id;      // its path under the root, e.g. "steering/2026"
  std::string folder;  // last path component, e.g. "2026" or "students"
  std::string name;
  std::string organization;
  UnixTime start = 0;
  UnixTime end = 0;
  UnixTime exception_due = 0;  // defaults to start
  int no_winners = 1;
  bool allow_no_opinion = true;
  bool delete_after = false;
  std::vector<std::string> show_candidate_fields;
  std::vector<std::string> officers;  // lower-cased logins
  std::string eligibility;
  std::string exception_description;
  std::string description_html;  // election_desc.md rendered
  std::optional<std::string> results_html;  // results.md rendered, if present
  std::vector<Candidate> candidates;
  std::vector<Question> questions;  // never empty after loading
  std::vector<Voter> voters;        // top-level and parent elections only
  ResultsVisibility results_visibility = ResultsVisibility::kPublic;
  bool receipts = false;        // show a ballot receipt after casting
  bool public_ballots = false;  // anonymized ballot export public after close
  // How a tie at the seat boundary is decided (docs/tally.md): "" = not at
  // all (reported; the officers decide), "tbrc", "seed" or "ranked-pairs".
  // The seed is published in git before the count; it also orders ranked
  // pairs' pairs of equal strength. Children inherit both from the parent.
  std::string tie_break;
  std::string tie_break_seed;
  // The public key ballots are sealed to (DESIGN.md §4), as published:
  // "x25519:" + base64url of 32 bytes. "" = the instance default
  // (urna.conf ballot_key). Children inherit the parent's.
  std::string ballot_key;

  // Parent / children.
  std::string parent;                 // id of the parent, "" if top-level
  std::vector<std::string> children;  // child ids (full paths), natural order
  std::vector<Category> categories;
  std::vector<Pipe> pipes;

  bool is_parent() const { return !children.empty(); }
  bool is_child() const { return !parent.empty(); }
};

// The whole validated repository at one commit.
struct Snapshot {
  std::string commit;  // git commit id the snapshot was built from
  std::vector<Election> elections;  // sorted by id

  // nullptr when absent. The pointer lives as long as the snapshot.
  const Election* find(const std::string& id) const;
  // The voter entry for `login` in the list that governs `e` (its own list,
  // or its parent's), or nullptr. Case-insensitive.
  const Voter* voter_entry(const Election& e, const std::string& login) const;
  // May `login` vote in `e`? For a child: listed in the parent with this
  // child (or with no children list). For a parent: never directly (votes
  // go to its children). Case-insensitive.
  bool eligible(const Election& e, const std::string& login) const;
  // Is `login` an officer of `e` (or of its parent)? Case-insensitive.
  bool is_officer(const Election& e, const std::string& login) const;
  // The children of `parent` that `login` may vote in, natural order.
  std::vector<const Election*> children_for(const Election& parent,
                                            const std::string& login) const;
};

enum class Phase { kUpcoming, kRunning, kClosed };
// start <= now < end is running; the end second itself is closed.
Phase phase_at(const Election& e, UnixTime now);

// True when `s` is a public ballot key's text form: "x25519:" and the
// canonical unpadded base64url of 32 bytes (43 characters, the last one
// carrying no stray bits).
bool is_ballot_key_text(const std::string& s);

// ASCII lower-case (GitHub logins are ASCII).
std::string lower(std::string s);

}  // namespace urna::core

#endif  // URNA_CORE_MODEL_H_
