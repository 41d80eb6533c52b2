// Ballot file formats, read into a BallotBox: Elekto's ballot CSV, BLT
// (OpenSTV / Hill et al.), PrefLib 2022 text formats (.soc .soi .toc
// .toi), and Debian's vote tally sheets. The readers take a std::istream
// and do no other I/O. A file that does not follow its format throws
// FormatError naming the line; a ballot that follows the format but breaks
// the question's rules (say, a rank out of range) is read as it is and
// counted as invalid later, never dropped here.
#ifndef URNA_TALLY_FORMATS_H_
#define URNA_TALLY_FORMATS_H_

#include <istream>
#include <optional>
#include <stdexcept>
#include <string>

#include "tally/ballot.h"

namespace urna::tally {

class FormatError : public std::runtime_error {
 public:
  FormatError(int line, const std::string& what)
      : std::runtime_error("line " + std::to_string(line) + ": " + what),
        line_(line) {}
  int line() const { return line_; }

 private:
  int line_;
};

enum class Format { kElekto, kBlt, kSoc, kSoi, kToc, kToi, kDebian };

// "elekto", "blt", "soc", "soi", "toc", "toi", "debian".
std::optional<Format> parse_format(const std::string& name);
const char* format_name(Format f);
// By file extension: .csv elekto, .blt, .soc, .soi, .toc, .toi; a name
// ending in _tally.txt is a Debian tally sheet. nullopt otherwise.
std::optional<Format> format_from_path(const std::string& path);

// Elekto's /admin/download CSV: a header of candidate ids, then one row a
// ballot, each cell a rank (1 = most preferred) or `No opinion`.
BallotBox read_elekto_csv(std::istream& in);

// BLT: "<candidates> <seats>", optional withdrawn line of negative numbers
// (withdrawn candidates are removed), ballot lines "<weight> c c=c ... 0"
// ('=' joins equal preferences, '-' skips a rank), a "0" line, the quoted
// candidate names and the quoted title. Sets seats.
BallotBox read_blt(std::istream& in);

// PrefLib 2022 format: "# ALTERNATIVE NAME i: name" headers, data lines
// "<count>: a,b,{c,d},e". soc/soi reject ties; soc/toc require complete
// orders.
BallotBox read_preflib(std::istream& in, Format f);

// Debian tally sheet: "Option N--->: name" headers and "V: 21-3" lines
// (character i = the rank of option i, '-' unranked). Ids are "1".."N".
BallotBox read_debian_tally(std::istream& in);

// Dispatches on `f`.
BallotBox read_ballots(std::istream& in, Format f);

// Renumbers a ballot's ranks densely (1, 2, ...) keeping their order and
// ties; unranked stays 0.
void normalize_ranks(Ballot* b);

}  // namespace urna::tally

#endif  // URNA_TALLY_FORMATS_H_
