#include "tally/formats.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

namespace urna::tally {
namespace {

// The readers below take a file of a million ballots in well under a
// second: lines are views into a buffer filled by large reads, cells and
// tokens are views into the line, and nothing is copied unless it is kept
// (an id, a name, an error message). They accept and reject exactly what
// the line-by-line readers with std::getline, std::string and
// std::istringstream did, with the same messages and line numbers;
// t/unit/tally_formats_test.cc checks that against a copy of those
// (t/unit/tally_formats_reference.cc) on random and edge-case inputs.

using sv = std::string_view;

// std::isspace in the "C" locale (the programs never change it).
inline bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

sv trim(sv s) {
  size_t a = 0, b = s.size();
  while (a < b && is_space(s[a])) ++a;
  while (b > a && is_space(s[b - 1])) --b;
  return s.substr(a, b - a);
}

std::string trim_str(const std::string& s) { return std::string(trim(s)); }

// Trims, then drops one pair of surrounding double quotes (the inside is
// not trimmed again).
sv unquote(sv s) {
  s = trim(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A whole non-negative integer of at most 18 digits (surrounding white
// space allowed), or nullopt.
std::optional<long long> integer(sv s) {
  sv t = trim(s);
  if (t.empty() || t.size() > 18) return std::nullopt;
  long long v = 0;
  for (char c : t) {
    if (!is_digit(c)) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// Calls f(piece) for each piece of `s` between `sep`s (an empty `s` is one
// empty piece), stopping early when f returns false.
template <typename F>
void for_each_piece(sv s, char sep, F f) {
  size_t start = 0;
  for (;;) {
    size_t end = s.find(sep, start);
    if (end == sv::npos) {
      f(s.substr(start));
      return;
    }
    if (!f(s.substr(start, end - start))) return;
    start = end + 1;
  }
}

bool getline_nocr(std::istream& in, std::string* line) {
  if (!std::getline(in, *line)) return false;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

// Lines of a stream as std::getline splits them ('\n'; a last line
// without one counts, an empty end does not), without a trailing '\r'.
// A line is a view into the buffer, valid until the next call.
class LineReader {
 public:
  explicit LineReader(std::istream& in) : in_(in) {}

  bool next(sv* line) {
    for (;;) {
      const char* base = buf_.data();
      const void* nl = scan_ < end_ ? std::memchr(base + scan_, '\n', end_ - scan_) : nullptr;
      if (nl) {
        size_t at = static_cast<const char*>(nl) - base;
        *line = cut(pos_, at);
        pos_ = scan_ = at + 1;
        return true;
      }
      scan_ = end_;
      if (eof_) {
        if (pos_ >= end_) return false;
        *line = cut(pos_, end_);
        pos_ = end_;
        return true;
      }
      fill();
    }
  }

 private:
  static constexpr size_t kChunk = 1 << 18;

  sv cut(size_t a, size_t b) const {
    if (b > a && buf_[b - 1] == '\r') --b;
    return sv(buf_.data() + a, b - a);
  }

  // Moves the unfinished line to the front and reads the next chunk.
  void fill() {
    if (pos_ > 0) {
      std::memmove(&buf_[0], buf_.data() + pos_, end_ - pos_);
      end_ -= pos_;
      scan_ -= pos_;
      pos_ = 0;
    }
    if (buf_.size() < end_ + kChunk) buf_.resize(end_ + kChunk);
    in_.read(&buf_[end_], static_cast<std::streamsize>(kChunk));
    std::streamsize got = in_.gcount();
    end_ += static_cast<size_t>(got);
    if (got == 0) eof_ = true;
  }

  std::istream& in_;
  std::string buf_;
  size_t pos_ = 0;   // start of the next line
  size_t scan_ = 0;  // searched for '\n' up to here
  size_t end_ = 0;   // bytes in buf_
  bool eof_ = false;
};

}  // namespace

void normalize_ranks(Ballot* b) {
  // Common case first: the ranks already are 1..m with none missing.
  int m = 0;
  std::uint64_t seen = 0;
  bool small = true;
  for (int r : b->rank) {
    if (r <= 0) continue;
    if (r > 64) {
      small = false;
      break;
    }
    seen |= std::uint64_t{1} << (r - 1);
    m = std::max(m, r);
  }
  if (small && (m == 64 ? seen == ~std::uint64_t{0} : seen == (std::uint64_t{1} << m) - 1)) return;
  std::vector<int> ranks;
  for (int r : b->rank)
    if (r > 0) ranks.push_back(r);
  std::sort(ranks.begin(), ranks.end());
  ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
  for (int& r : b->rank)
    if (r > 0)
      r = static_cast<int>(std::lower_bound(ranks.begin(), ranks.end(), r) - ranks.begin()) + 1;
}

std::optional<Format> parse_format(const std::string& name) {
  static const std::pair<const char*, Format> kNames[] = {
      {"elekto", Format::kElekto}, {"blt", Format::kBlt}, {"soc", Format::kSoc},
      {"soi", Format::kSoi},       {"toc", Format::kToc}, {"toi", Format::kToi},
      {"debian", Format::kDebian}};
  for (const auto& [n, f] : kNames)
    if (name == n) return f;
  return std::nullopt;
}

const char* format_name(Format f) {
  switch (f) {
    case Format::kElekto:
      return "elekto";
    case Format::kBlt:
      return "blt";
    case Format::kSoc:
      return "soc";
    case Format::kSoi:
      return "soi";
    case Format::kToc:
      return "toc";
    case Format::kToi:
      return "toi";
    case Format::kDebian:
      return "debian";
  }
  return "?";
}

std::optional<Format> format_from_path(const std::string& path) {
  if (ends_with(path, "_tally.txt") || ends_with(path, "tally.txt")) return Format::kDebian;
  auto dot = path.rfind('.');
  if (dot == std::string::npos) return std::nullopt;
  std::string ext = path.substr(dot + 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "csv") return Format::kElekto;
  if (ext == "txt") return std::nullopt;
  return parse_format(ext);
}

BallotBox read_elekto_csv(std::istream& in) {
  BallotBox box;
  LineReader lines(in);
  sv line;
  int n = 0;
  if (!lines.next(&line)) throw FormatError(1, "empty file: no header");
  ++n;
  for_each_piece(line, ',', [&](sv cell) {
    std::string id(unquote(cell));
    if (id.empty()) throw FormatError(n, "empty candidate id in the header");
    if (std::find(box.candidates.begin(), box.candidates.end(), id) != box.candidates.end())
      throw FormatError(n, "candidate \"" + id + "\" twice in the header");
    box.candidates.push_back(std::move(id));
    return true;
  });
  box.names = box.candidates;
  const size_t c = box.candidates.size();
  while (lines.next(&line)) {
    ++n;
    if (trim(line).empty()) continue;
    Ballot b;
    b.rank.assign(c, kUnranked);
    // The number of cells is checked before their contents: the first bad
    // cell is reported only when the row has the right length.
    size_t cells = 0;
    bool bad = false;
    sv bad_cell;
    for_each_piece(line, ',', [&](sv cell) {
      size_t i = cells++;
      if (i >= c || bad) return true;
      // The cells as Elekto writes them first: a bare rank or No opinion
      // (the same as the general case below, without trimming).
      if (cell == "No opinion") return true;
      if (!cell.empty() && cell.size() <= 9 && is_digit(cell[0])) {
        int r = 0;
        size_t k = 0;
        while (k < cell.size() && is_digit(cell[k])) r = r * 10 + (cell[k++] - '0');
        if (k == cell.size()) {
          b.rank[i] = r == 0 ? -1 : std::min(r, 1 << 30);
          return true;
        }
      }
      sv v = unquote(cell);
      if (v.empty() || v == "No opinion") return true;
      auto r = integer(v);
      if (!r) {
        bad = true;
        bad_cell = v;
        return true;
      }
      // Out-of-range ranks are kept (clamped into int) so that the count
      // reports the ballot as invalid.
      b.rank[i] = static_cast<int>(std::min<long long>(*r, 1 << 30));
      if (b.rank[i] == 0) b.rank[i] = -1;  // rank 0 is out of range, not "unranked"
      return true;
    });
    if (cells != c)
      throw FormatError(n, std::to_string(cells) + " cells, the header has " + std::to_string(c));
    if (bad)
      throw FormatError(n,
                        "cell \"" + std::string(bad_cell) + "\" is neither a rank nor No opinion");
    box.ballots.push_back(std::move(b));
  }
  return box;
}

BallotBox read_blt(std::istream& in) {
  // BLT is token-based: the lines that are not empty once comments are
  // cut are, in order, "<candidates> <seats>", an optional withdrawn line,
  // the ballots up to a "0" line, the names and the title.
  enum class Part { kHeader, kWithdrawn, kBallots, kNames, kTitle, kRest };
  Part part = Part::kHeader;
  LineReader lines(in);
  sv raw;
  int n = 0;
  int candidates = 0, seats = 0;
  std::set<int> withdrawn;
  std::vector<int> keep;
  std::vector<std::string> names;
  BallotBox box;
  bool ended = false;
  while (lines.next(&raw)) {
    ++n;
    sv t = trim(raw);
    auto hash = t.find('#');
    if (hash != sv::npos && (t.empty() || t[0] != '"')) t = trim(t.substr(0, hash));
    if (t.empty()) continue;
    switch (part) {
      case Part::kHeader: {
        std::istringstream h{std::string(t)};
        if (!(h >> candidates >> seats) || candidates < 1 || seats < 1)
          throw FormatError(n, "expected \"<candidates> <seats>\"");
        part = Part::kWithdrawn;
        continue;
      }
      case Part::kWithdrawn:
        part = Part::kBallots;
        if (t[0] == '-') {
          std::istringstream w{std::string(t)};
          int x;
          while (w >> x) {
            if (x >= 0 || -x > candidates)
              throw FormatError(n, "bad withdrawn candidate " + std::to_string(x));
            withdrawn.insert(-x - 1);
          }
          continue;
        }
        [[fallthrough]];
      case Part::kBallots:
        break;
      case Part::kNames:
        names.emplace_back(unquote(t));
        if (static_cast<int>(names.size()) == candidates) part = Part::kTitle;
        continue;
      case Part::kTitle:
        box.title = std::string(unquote(t));
        part = Part::kRest;
        continue;
      case Part::kRest:
        continue;
    }
    // A ballot line, or the "0" that ends them.
    if (t == "0") {
      ended = true;
      part = Part::kNames;
      continue;
    }
    if (keep.empty())
      for (int i = 0; i < candidates; ++i)
        if (!withdrawn.count(i)) keep.push_back(i);
    // Tokens are separated by white space; the first is the weight.
    size_t i = 0;
    auto token = [&](sv* tok) {
      while (i < t.size() && is_space(t[i])) ++i;
      if (i == t.size()) return false;
      size_t a = i;
      while (i < t.size() && !is_space(t[i])) ++i;
      *tok = t.substr(a, i - a);
      return true;
    };
    sv tok;
    token(&tok);  // t is trimmed and not empty
    auto w = integer(tok);
    if (!w) throw FormatError(n, "ballot weight \"" + std::string(tok) + "\" is not a number");
    Ballot b;
    b.weight = *w;
    b.rank.assign(candidates, kUnranked);
    int rank = 0;
    bool closed = false;
    bool bad = false;
    while (token(&tok)) {
      if (tok == "0") {
        closed = true;
        break;
      }
      ++rank;
      if (tok == "-") continue;
      for_each_piece(tok, '=', [&](sv piece) {
        auto c = integer(piece);
        if (!c || *c < 1 || *c > candidates)
          throw FormatError(n, "candidate \"" + std::string(piece) + "\" out of range");
        if (b.rank[*c - 1] != kUnranked) bad = true;  // ranked twice
        b.rank[*c - 1] = rank;
        return true;
      });
    }
    if (!closed) throw FormatError(n, "ballot line does not end with 0");
    if (bad) {
      // Keep the ballot, make it invalid for the count: a rank out of range.
      for (int& r : b.rank)
        if (r != kUnranked) r = candidates + 1;
    }
    Ballot out;
    out.weight = b.weight;
    if (static_cast<int>(keep.size()) == candidates) {
      out.rank = std::move(b.rank);
    } else {
      out.rank.reserve(keep.size());
      for (int k : keep) out.rank.push_back(b.rank[k]);
    }
    bool invalid = false;
    for (int r : out.rank)
      if (r > candidates) invalid = true;
    if (!invalid) normalize_ranks(&out);
    box.ballots.push_back(std::move(out));
  }
  if (part == Part::kHeader) throw FormatError(1, "empty file");
  if (!ended) throw FormatError(n, "no \"0\" line ends the ballots");
  if (static_cast<int>(names.size()) < candidates)
    throw FormatError(n, "fewer candidate names than candidates");
  box.seats = seats;
  if (keep.empty())
    for (int i = 0; i < candidates; ++i)
      if (!withdrawn.count(i)) keep.push_back(i);
  for (int i : keep) {
    box.candidates.push_back(std::to_string(i + 1));
    box.names.push_back(names[i]);
  }
  return box;
}

BallotBox read_preflib(std::istream& in, Format f) {
  const bool ties_ok = f == Format::kToc || f == Format::kToi;
  const bool complete = f == Format::kSoc || f == Format::kToc;
  BallotBox box;
  std::map<int, std::string> names;
  int alternatives = 0;
  LineReader lines(in);
  sv line;
  int n = 0;
  bool data = false;
  // Errors come in the order of the two passes the format needs: first the
  // metadata (which ends where the data begins; metadata after it is an
  // error), then "no NUMBER ALTERNATIVES", then the data lines in order.
  // The data lines are read as they come, so the first error in one is
  // kept and thrown only once the metadata is known to be good.
  std::optional<FormatError> data_error;
  std::vector<int> group;
  while (lines.next(&line)) {
    ++n;
    sv t = trim(line);
    if (t.empty()) continue;
    if (t[0] == '#') {
      if (data) throw FormatError(n, "metadata after the data");
      sv body = trim(t.substr(1));
      auto colon = body.find(':');
      if (colon == sv::npos) continue;
      sv key = trim(body.substr(0, colon));
      sv value = trim(body.substr(colon + 1));
      if (key == "NUMBER ALTERNATIVES") {
        auto v = integer(value);
        if (!v || *v < 1) throw FormatError(n, "bad NUMBER ALTERNATIVES");
        alternatives = static_cast<int>(*v);
      } else if (key.substr(0, 17) == "ALTERNATIVE NAME ") {
        auto v = integer(key.substr(17));
        if (!v) throw FormatError(n, "bad alternative number");
        names[static_cast<int>(*v)] = std::string(unquote(value));
      } else if (key == "TITLE") {
        box.title = std::string(value);
      }
      continue;
    }
    data = true;
    if (data_error || alternatives == 0) continue;
    const int ln = n;
    auto fail = [&](const std::string& what) { data_error.emplace(ln, what); };
    auto colon = t.find(':');
    if (colon == sv::npos) {
      fail("expected \"<count>: <order>\"");
      continue;
    }
    auto count = integer(t.substr(0, colon));
    if (!count) {
      fail("bad count");
      continue;
    }
    Ballot b;
    b.weight = *count;
    b.rank.assign(alternatives, kUnranked);
    sv order = trim(t.substr(colon + 1));
    int rank = 0;
    size_t i = 0;
    int ranked = 0;
    bool ok = true;
    while (ok && i < order.size()) {
      if (order[i] == ',' || is_space(order[i])) {
        ++i;
        continue;
      }
      sv members;  // one alternative, or the inside of {...}
      bool braced = order[i] == '{';
      if (braced) {
        auto close = order.find('}', i);
        if (close == sv::npos) {
          fail("unclosed {");
          ok = false;
          break;
        }
        members = order.substr(i + 1, close - i - 1);
        i = close + 1;
        if (!ties_ok && members.find(',') != sv::npos) {
          fail(std::string("ties are not allowed in .") + format_name(f));
          ok = false;
          break;
        }
      } else {
        auto end = order.find(',', i);
        if (end == sv::npos) end = order.size();
        members = order.substr(i, end - i);
        i = end;
      }
      ++rank;
      auto one = [&](sv g) {
        auto a = integer(g);
        if (!a || *a < 1 || *a > alternatives) {
          fail("alternative \"" + std::string(trim(g)) + "\" out of range");
          return ok = false;
        }
        if (b.rank[*a - 1] != kUnranked) {
          fail("alternative " + std::string(trim(g)) + " appears twice");
          return ok = false;
        }
        b.rank[*a - 1] = rank;
        ++ranked;
        return true;
      };
      if (braced)
        for_each_piece(members, ',', one);
      else
        one(members);
    }
    if (!ok) continue;
    if (complete && ranked != alternatives) {
      fail(std::string("incomplete order in .") + format_name(f));
      continue;
    }
    box.ballots.push_back(std::move(b));
  }
  if (alternatives == 0)
    throw FormatError(1, "no \"# NUMBER ALTERNATIVES\" header (PrefLib 2022 format)");
  if (data_error) throw *data_error;
  for (int i = 1; i <= alternatives; ++i) {
    box.candidates.push_back(std::to_string(i));
    auto it = names.find(i);
    box.names.push_back(it == names.end() ? std::to_string(i) : it->second);
  }
  return box;
}

BallotBox read_debian_tally(std::istream& in) {
  BallotBox box;
  std::string line;
  int n = 0;
  std::map<int, std::string> options;
  std::vector<std::pair<int, std::string>> votes;
  while (getline_nocr(in, &line)) {
    ++n;
    // "Option 1---->: name" (2004 on) or "Option 1:   name" (2002, 2003).
    auto opt = line.find("Option ");
    if (opt != std::string::npos && line.find("V:") == std::string::npos) {
      size_t p = opt + 7, q = p;
      while (q < line.size() && std::isdigit(static_cast<unsigned char>(line[q]))) ++q;
      size_t r = q;
      while (r < line.size() && (line[r] == '-' || line[r] == '>')) ++r;
      if (q > p && r < line.size() && line[r] == ':') {
        // std::stoi would throw out_of_range past INT_MAX (found by
        // t/fuzz/ballot_files_fuzz): no sheet has a million options.
        if (q - p > 6)
          throw FormatError(n, "option number " + line.substr(p, q - p) + " is too large");
        options[std::stoi(line.substr(p, q - p))] = trim_str(line.substr(r + 1));
        continue;
      }
    }
    std::string t = trim_str(line);
    if (t.rfind("V:", 0) == 0) {
      std::istringstream s(t.substr(2));
      std::string v;
      s >> v;
      votes.emplace_back(n, v);
    }
  }
  if (options.empty()) throw FormatError(1, "no \"Option N--->: name\" header lines");
  const int c = static_cast<int>(options.size());
  for (int i = 1; i <= c; ++i) {
    if (!options.count(i)) throw FormatError(1, "options not numbered 1..N");
    box.candidates.push_back(std::to_string(i));
    box.names.push_back(options[i]);
  }
  for (const auto& [ln, v] : votes) {
    if (static_cast<int>(v.size()) != c)
      throw FormatError(ln, "vote \"" + v + "\" has " + std::to_string(v.size()) + " marks for " +
                                std::to_string(c) + " options");
    Ballot b;
    b.rank.assign(c, kUnranked);
    for (int i = 0; i < c; ++i) {
      char ch = v[i];
      if (ch == '-') continue;
      if (std::isdigit(static_cast<unsigned char>(ch)))
        b.rank[i] = ch - '0';
      else if (ch >= 'A' && ch <= 'Z')
        b.rank[i] = 10 + (ch - 'A');  // > 9 options
      else
        throw FormatError(ln, std::string("bad mark '") + ch + "'");
      if (b.rank[i] == 0) b.rank[i] = -1;
    }
    // Debian ranks need not be dense ("13" for two options); only the
    // order matters, so renumber unless a rank is invalid.
    bool invalid = false;
    for (int r : b.rank)
      if (r < 0) invalid = true;
    if (!invalid) normalize_ranks(&b);
    box.ballots.push_back(std::move(b));
  }
  return box;
}

BallotBox read_ballots(std::istream& in, Format f) {
  switch (f) {
    case Format::kElekto:
      return read_elekto_csv(in);
    case Format::kBlt:
      return read_blt(in);
    case Format::kSoc:
    case Format::kSoi:
    case Format::kToc:
    case Format::kToi:
      return read_preflib(in, f);
    case Format::kDebian:
      return read_debian_tally(in);
  }
  throw std::logic_error("unknown format");
}

}  // namespace urna::tally
