// The free text that urna-tally stores with the results, in the page's
// language. The count (src/tally, src/count) writes English: notes on a
// question or on the election, the note of an IRV/STV round, how a tie was
// broken, why a ballot is invalid, why a candidate was left out. Stored
// results are never rewritten (older runs' too must display), so the
// results page recognises each text urna-tally writes by its pattern and
// renders a translated sentence with the same values (counts, names, ids,
// seeds); a text it does not recognise (a newer or older urna-tally) is
// shown as stored, in English, rather than lost. The patterns are those of
// the current sources and of earlier releases; t/unit/result_notes_test.cc
// pins each one, in English and in Spanish, with the texts the count
// really writes (docs/results.md, "Languages").
//
// English output: the stored sentence itself, except where urna-tally
// wrote fragments (round notes "tie decided by ...; as many candidates
// left ...; "): those become whole sentences here.
// Thread safety: pure functions of their arguments (the patterns are
// compiled once, then only read).
#ifndef URNA_WEB_RESULT_NOTES_H_
#define URNA_WEB_RESULT_NOTES_H_

#include <string>

#include "i18n/catalog.h"

namespace urna::web {

// A question's or the election's note (QuestionResult::notes, the body's
// notes): ties at the boundary, more seats than candidates, no valid
// ballots, ranked pairs' TBRC order, ballots for a question the election
// no longer has, sealed ballots that do not open, ballots stored for a
// parent.
std::string count_note(const std::string& stored, const i18n::Translator& tr);

// An IRV/STV round's note (Round::note): a run of "...; " pieces, each
// rendered as a sentence ("The tie was decided by lot: ..."); pieces not
// recognised are kept, as one sentence. "" for "".
std::string round_note(const std::string& stored, const i18n::Translator& tr);

// How a tie was broken (QuestionResult::tie_break), as it follows "Broken
// by the configured tie-break: ".
std::string tie_break_text(const std::string& stored, const i18n::Translator& tr);

// Why ballots are invalid (QuestionResult::invalid_reasons' text).
std::string invalid_reason(const std::string& stored, const i18n::Translator& tr);

// Why a candidate was left out of the count (QuestionResult::dropped).
std::string dropped_reason(const std::string& stored, const i18n::Translator& tr);

}  // namespace urna::web

#endif  // URNA_WEB_RESULT_NOTES_H_
