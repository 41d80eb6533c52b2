// Result pipes (DESIGN.md §3): a parent election's consolidated results,
// built by an ordered list of core::Pipe steps over the ballot boxes of the
// parent and its children. A pure function: ballot boxes in, results out.
//
// Elections are referenced by child folder name ("" = the parent), or by
// index as a decimal string: "0" = the parent, "1".. = children in natural
// order. Every parent question remembers which (election, question) boxes
// its ballots come from; adding a box twice is an error, so no ballot is
// ever counted twice.
#ifndef URNA_TALLY_PIPES_H_
#define URNA_TALLY_PIPES_H_

#include <stdexcept>
#include <string>
#include <vector>

#include "core/model.h"
#include "tally/ballot.h"
#include "tally/count.h"
#include "tally/result.h"

namespace urna::tally {

// One question of one election with its ballots.
struct QuestionBox {
  core::Question question;
  std::vector<RawBallot> ballots;
};

// One election's questions with their ballots.
struct ElectionBoxes {
  std::string folder;  // child folder name; "" for the parent
  std::vector<QuestionBox> questions;
};

// A pipe that cannot run: names the step (0-based) and what is wrong.
class PipeError : public std::runtime_error {
 public:
  PipeError(size_t step, const std::string& what)
      : std::runtime_error("pipe " + std::to_string(step + 1) + ": " + what),
        step_(step) {}
  size_t step() const { return step_; }

 private:
  size_t step_;
};

// Runs `pipes` in order and returns the parent's results, one per parent
// question in order. Steps:
//   duplicate_questions: copy source_election/source_question into the
//     parent as `question` (title `value` if set), with its ballots unless
//     no_votes.
//   apply_modifications: on parent question `question`, `action`:
//     set-title (value), withdraw-candidates (answers; their marks are
//     removed from every ballot and the remaining ranks renumbered),
//     set-min / set-max / set-winners (value, a whole number).
//   multipart_tally_plaintexts_append_joiner: append the ballots of
//     source_election/source_question to parent question `question`; the
//     two must have the same answer ids.
//   do_tallies: count every parent question (count_question with `opt`).
//   sort_non_iterative: set each result's `order` (answers best first).
// Results are counted at the end if no do_tallies step ran. With no pipes
// at all, the default applies: for every question id of the children (once,
// natural order), one parent question joining the ballots of every child
// that has it, tallied and sorted.
// Throws PipeError for an unknown step, election, question or action, a
// joiner whose answers differ, a box added twice, or a bad value.
std::vector<QuestionResult> run_pipes(const std::vector<core::Pipe>& pipes,
                                      const ElectionBoxes& parent,
                                      const std::vector<ElectionBoxes>& children,
                                      const CountOptions& opt = {});

// The default pipes described above, for the given children.
std::vector<core::Pipe> default_pipes(const std::vector<ElectionBoxes>& children);

}  // namespace urna::tally

#endif  // URNA_TALLY_PIPES_H_
