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
#include "i18n/text.h"
#include "web/request.h"

namespace urna::web {

// One question's marks: (answer id, rank), sorted by answer id (byte
// order), each answer at most once, rank >= 1. Unranked answers are
// absent. Selection methods mark each selected answer with rank 1.
using Marks = core::Marks;

// Form field names (templates/vote.tpl uses the same):
//   ranked methods:  "rank/<question id>/<answer id>" = "1".."N", or ""
//                    for no opinion (zero-padded: "01", "00"; see below);
//   plurality:       "pick/<question id>" = answer id (radio buttons);
//   approval:        "pick/<question id>" = answer id, once per ticked box.
//   "pad": '*'s the booth's script adds (ignored).
std::string rank_field(const std::string& question_id, const std::string& answer_id);
std::string pick_field(const std::string& question_id);

// Fixed-width values, so that every ballot of an election makes a request
// body of the same length (docs/voting.md "Message length"):
//   a rank is zero-padded to rank_width(q) digits ("01".."10"), and "no
//   opinion" is that many zeros ("00"); "" is still accepted as no opinion;
//   a pick is the answer id followed by '*' up to the question's widest id
//   as a browser encodes it ("no*" beside "yes"), and "leave blank" is only
//   '*'s; '*' is never part of an id, and a browser sends it unencoded.
// The server strips the padding (parse_ballot_form).
int rank_width(const core::Question& q);
std::string rank_value(int rank, int width);  // rank 0 = no opinion
std::string pick_value(const core::Question& q, const std::string& answer_id);  // "" = blank
// The length of `s` encoded as a browser encodes form values
// (application/x-www-form-urlencoded, WHATWG: A-Z a-z 0-9 * - . _ stay, a
// space is '+', every other byte is %XX).
size_t form_encoded_length(const std::string& s);
// The longest the booth's answer fields ("rank/...", "pick/...") of `e` can
// be, encoded, each counted as "name=value&": every rank, every pick, every
// approval box ticked. static/booth.js fills the "pad" field with '*'s up to
// it, so that approval questions (a box that is not ticked sends nothing)
// send one length too when JavaScript runs.
size_t longest_answer_fields(const core::Election& e);

// The stored form (core/ranking_codec.h, shared with urna-tally):
// "id=rank&id=rank", sorted by id, unranked answers omitted; no marks → "".
// REQUIRES: marks valid as described above (encode sorts them itself).
std::string encode_marks(Marks marks);
// The inverse. nullopt for anything encode_marks cannot produce: a bad
// escape, an empty id, a rank that is not a positive decimal number, an id
// twice, ids out of order.
std::optional<Marks> decode_marks(const std::string& text);

// A message for the voter, about one question ("" = the whole ballot).
// The page shows it in the request's language (docs/i18n.md): `msgid`
// (with `msgid_plural`, a count: `n` picks the form) translated, its
// {placeholders} filled from `args`, then, when `question` is set (a
// ballot of several questions), "{message} ({question})" translated.
// `message` is the English with everything filled in (tests, logs).
struct FormError {
  std::string question_id;
  std::string message;
  std::string msgid;
  std::string msgid_plural;  // "": not a count
  unsigned long n = 0;
  i18n::Args args;
  std::string question;  // the question's title, or ""
};

// A FormError for `msgid` (a N_() literal) with `args`; `message` is the
// English filled in.
FormError form_error(const std::string& question_id, const std::string& msgid,
                     i18n::Args args = {});
// The same for a count: `singular` / `plural` as ctx.trn() takes them
// (xgettext keyword trn:1,2), English form chosen by n == 1.
FormError form_error_n(const std::string& question_id, const std::string& singular,
                       const std::string& plural, unsigned long n, i18n::Args args = {});

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
// crypto::normalize_passcode): nullopt when acceptable, else the message
// (about the whole ballot). Length counts characters (UTF-8 code points),
// not bytes.
std::optional<FormError> passcode_problem(const std::string& normalized, int min_length);

}  // namespace urna::web

#endif  // URNA_WEB_BALLOT_FORM_H_
