// The booth's form as values: the field names the booth uses, parsing and
// validating a submitted form against an election's questions, and the
// stable text encoding of one question's ranking that the store keeps and
// urna-tally decodes (docs/voting.md). Pure: no I/O, no clock, no logging.
// Thread safety: every function may be called from any thread.
#ifndef URNA_WEB_BALLOT_FORM_H_
#define URNA_WEB_BALLOT_FORM_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/ranking_codec.h"
#include "web/request.h"

namespace urna::web {

// One question's marks: (answer id, rank), sorted by answer id (byte
// order), each answer at most once, rank >= 1. Unranked answers are
// absent. Selection methods mark each selected answer with rank 1.
using Marks = core::Marks;

// Form field names (templates/vote.tpl uses the same):
//   ranked methods:  "rank/<question id>/<answer id>" = "1".."N", or ""
//                    for no opinion;
//   plurality:       "pick/<question id>" = answer id (radio buttons);
//   approval:        "pick/<question id>" = answer id, once per ticked box.
std::string rank_field(const std::string& question_id, const std::string& answer_id);
std::string pick_field(const std::string& question_id);

// The stored form (core/ranking_codec.h, shared with urna-tally):
// "id=rank&id=rank", sorted by id, unranked answers omitted; no marks → "".
// REQUIRES: marks valid as described above (encode sorts them itself).
std::string encode_marks(Marks marks);
// The inverse. nullopt for anything encode_marks cannot produce: a bad
// escape, an empty id, a rank that is not a positive decimal number, an id
// twice, ids out of order.
std::optional<Marks> decode_marks(const std::string& text);

// A message for the voter, about one question ("" = the whole ballot).
struct FormError {
  std::string question_id;
  std::string message;
};

struct QuestionInput {
  std::string question_id;
  Marks marks;  // what parsed, also when the form has errors (to re-show it)
};

struct BallotForm {
  std::vector<QuestionInput> questions;  // one per question, election order
  std::vector<FormError> errors;         // empty: the ballot may be stored

  bool ok() const { return errors.empty(); }
  // True when no question has a mark.
  bool blank() const;
  // (question id, encode_marks(marks)) per question, election order: what
  // store::CastRequest::parts takes. A question left blank is "".
  std::vector<std::pair<std::string, std::string>> parts() const;
  // The marks of a question (empty when absent).
  const Marks& marks(const std::string& question_id) const;
};

// Parses the booth's fields of `form` (other fields are ignored) against
// e.questions and checks everything the server must not trust the browser
// for: every answer known and marked at most once, ranks within 1..N,
// every answer ranked when !e.allow_no_opinion, one pick for plurality,
// min/max selections for approval, no field for an unknown question, and
// a ballot that marks nothing at all is refused (Elekto issue #95).
// Equal ranks are allowed (no preference between those answers).
BallotForm parse_ballot_form(const Params& form, const core::Election& e);

// The marks of `parts` (as stored) per question; parts that do not decode
// are left out.
std::vector<QuestionInput> decode_parts(
    const std::vector<std::pair<std::string, std::string>>& parts);

// Checks a passcode the voter chose for a first vote (after
// crypto::normalize_passcode): nullopt when acceptable, else the message.
// Length counts characters (UTF-8 code points), not bytes.
std::optional<std::string> passcode_problem(const std::string& normalized, int min_length);

}  // namespace urna::web

#endif  // URNA_WEB_BALLOT_FORM_H_
