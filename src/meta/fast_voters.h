// A fast path for the common form of voters.yaml, a plain list of logins:
//
//   eligible_voters:
//     - alice
//     - bob   # a comment
//
// read without yaml-cpp, which takes about 5 ms for a list of 2,000 logins
// (with 200 such files, two thirds of loading the repository). Only files whose meaning is
// certain are taken: one `eligible_voters:` key at column 0, then items
// `- login` all at the same indentation, each login 1..100 characters of
// [A-Za-z0-9_.-] starting with a letter, digit or '_' and not a YAML null;
// blank lines and `#` comments anywhere; printable ASCII and '\n' only (no
// tab, CR, BOM, quotes, flow lists, maps, document markers, other keys).
// Anything else returns nullopt and the loader reads the file with yaml-cpp
// as before, so the fast path accepts and reports exactly what yaml-cpp and
// the loader would (t/unit/fast_voters_test.cc checks that on random
// inputs).
#ifndef URNA_META_FAST_VOTERS_H_
#define URNA_META_FAST_VOTERS_H_

#include <optional>
#include <string>
#include <vector>

namespace urna::meta {

struct PlainVoter {
  std::string login;  // as written (not lower-cased)
  int line = 0;       // 1-based line of the item
};

// The items of a plain list, or nullopt when the text is in any other form
// (or the fast path is off).
std::optional<std::vector<PlainVoter>> read_plain_voters(const std::string& text);

// On by default; tests turn it off to compare with the yaml-cpp path.
void set_fast_voters(bool on);

}  // namespace urna::meta

#endif  // URNA_META_FAST_VOTERS_H_
