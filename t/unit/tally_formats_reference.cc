// The ballot readers as they were before they were rewritten for speed
// (src/tally/formats.cc until the "fast readers" commit): line by line with
// std::getline, std::string copies, std::istringstream tokens. Kept only
// for t/unit/tally_formats_test.cc, which checks on random and edge-case
// inputs that the fast readers accept, reject (same message, same line) and
// read exactly what these did. Not linked into any program.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include "tally/formats.h"

namespace urna::tally::reference {
namespace {

std::string trim(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

std::string unquote(std::string s) {
  s = trim(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

// A whole non-negative integer, or nullopt.
std::optional<long long> integer(const std::string& s) {
  std::string t = trim(s);
  if (t.empty() || t.size() > 18) return std::nullopt;
  for (char c : t)
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  return std::stoll(t);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

bool getline_nocr(std::istream& in, std::string* line) {
  if (!std::getline(in, *line)) return false;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

}  // namespace

// normalize_ranks as it was (std::set and std::map).
void reference_normalize_ranks(Ballot* b) {
  std::set<int> ranks;
  for (int r : b->rank)
    if (r > 0) ranks.insert(r);
  std::map<int, int> dense;
  int k = 0;
  for (int r : ranks) dense[r] = ++k;
  for (int& r : b->rank)
    if (r > 0) r = dense[r];
}

BallotBox read_elekto_csv(std::istream& in) {
  BallotBox box;
  std::string line;
  int n = 0;
  if (!getline_nocr(in, &line)) throw FormatError(1, "empty file: no header");
  ++n;
  for (const auto& cell : split(line, ',')) {
    std::string id = unquote(cell);
    if (id.empty()) throw FormatError(n, "empty candidate id in the header");
    if (std::find(box.candidates.begin(), box.candidates.end(), id) != box.candidates.end())
      throw FormatError(n, "candidate \"" + id + "\" twice in the header");
    box.candidates.push_back(id);
  }
  box.names = box.candidates;
  const size_t c = box.candidates.size();
  while (getline_nocr(in, &line)) {
    ++n;
    if (trim(line).empty()) continue;
    std::vector<std::string> cells = split(line, ',');
    if (cells.size() != c)
      throw FormatError(
          n, std::to_string(cells.size()) + " cells, the header has " + std::to_string(c));
    Ballot b;
    b.rank.assign(c, kUnranked);
    for (size_t i = 0; i < c; ++i) {
      std::string v = unquote(cells[i]);
      if (v == "No opinion" || v.empty()) continue;
      auto r = integer(v);
      if (!r) throw FormatError(n, "cell \"" + v + "\" is neither a rank nor No opinion");
      // Out-of-range ranks are kept (clamped into int) so that the count
      // reports the ballot as invalid.
      b.rank[i] = static_cast<int>(std::min<long long>(*r, 1 << 30));
      if (b.rank[i] == 0) b.rank[i] = -1;  // rank 0 is out of range, not "unranked"
    }
    box.ballots.push_back(std::move(b));
  }
  return box;
}

BallotBox read_blt(std::istream& in) {
  // BLT is token-based; keep line numbers for errors.
  std::vector<std::pair<int, std::string>> lines;
  std::string line;
  int n = 0;
  while (getline_nocr(in, &line)) {
    ++n;
    std::string t = trim(line);
    auto hash = t.find('#');
    if (hash != std::string::npos && (t.empty() || t[0] != '"')) t = trim(t.substr(0, hash));
    if (!t.empty()) lines.emplace_back(n, t);
  }
  size_t k = 0;
  if (lines.empty()) throw FormatError(1, "empty file");
  int candidates = 0, seats = 0;
  {
    std::istringstream h(lines[0].second);
    if (!(h >> candidates >> seats) || candidates < 1 || seats < 1)
      throw FormatError(lines[0].first, "expected \"<candidates> <seats>\"");
    ++k;
  }
  std::set<int> withdrawn;
  if (k < lines.size() && lines[k].second[0] == '-') {
    std::istringstream w(lines[k].second);
    int x;
    while (w >> x) {
      if (x >= 0 || -x > candidates)
        throw FormatError(lines[k].first, "bad withdrawn candidate " + std::to_string(x));
      withdrawn.insert(-x - 1);
    }
    ++k;
  }
  std::vector<Ballot> ballots;
  bool ended = false;
  for (; k < lines.size(); ++k) {
    const auto& [ln, text] = lines[k];
    if (text == "0") {
      ended = true;
      ++k;
      break;
    }
    std::istringstream s(text);
    std::string tok;
    if (!(s >> tok)) continue;
    auto w = integer(tok);
    if (!w) throw FormatError(ln, "ballot weight \"" + tok + "\" is not a number");
    Ballot b;
    b.weight = *w;
    b.rank.assign(candidates, kUnranked);
    int rank = 0;
    bool closed = false;
    std::string bad;
    while (s >> tok) {
      if (tok == "0") {
        closed = true;
        break;
      }
      ++rank;
      if (tok == "-") continue;
      for (const auto& part : split(tok, '=')) {
        auto c = integer(part);
        if (!c || *c < 1 || *c > candidates)
          throw FormatError(ln, "candidate \"" + part + "\" out of range");
        if (b.rank[*c - 1] != kUnranked) bad = "candidate " + part + " ranked twice";
        b.rank[*c - 1] = rank;
      }
    }
    if (!closed) throw FormatError(ln, "ballot line does not end with 0");
    if (!bad.empty()) {
      // Keep the ballot, make it invalid for the count: a rank out of range.
      for (int& r : b.rank)
        if (r != kUnranked) r = candidates + 1;
    }
    ballots.push_back(std::move(b));
  }
  if (!ended) throw FormatError(n, "no \"0\" line ends the ballots");
  std::vector<std::string> names;
  for (; k < lines.size() && static_cast<int>(names.size()) < candidates; ++k)
    names.push_back(unquote(lines[k].second));
  if (static_cast<int>(names.size()) < candidates)
    throw FormatError(n, "fewer candidate names than candidates");
  BallotBox box;
  box.seats = seats;
  if (k < lines.size()) box.title = unquote(lines[k].second);
  std::vector<int> keep;
  for (int i = 0; i < candidates; ++i)
    if (!withdrawn.count(i)) keep.push_back(i);
  for (int i : keep) {
    box.candidates.push_back(std::to_string(i + 1));
    box.names.push_back(names[i]);
  }
  for (auto& b : ballots) {
    Ballot out;
    out.weight = b.weight;
    for (int i : keep) out.rank.push_back(b.rank[i]);
    bool invalid = false;
    for (int r : out.rank)
      if (r > candidates) invalid = true;
    if (!invalid) reference_normalize_ranks(&out);
    box.ballots.push_back(std::move(out));
  }
  return box;
}

BallotBox read_preflib(std::istream& in, Format f) {
  const bool ties_ok = f == Format::kToc || f == Format::kToi;
  const bool complete = f == Format::kSoc || f == Format::kToc;
  BallotBox box;
  std::map<int, std::string> names;
  int alternatives = 0;
  std::string line;
  int n = 0;
  bool data = false;
  std::vector<std::pair<int, std::string>> rows;
  while (getline_nocr(in, &line)) {
    ++n;
    std::string t = trim(line);
    if (t.empty()) continue;
    if (t[0] == '#') {
      if (data) throw FormatError(n, "metadata after the data");
      std::string body = trim(t.substr(1));
      auto colon = body.find(':');
      if (colon == std::string::npos) continue;
      std::string key = trim(body.substr(0, colon));
      std::string value = trim(body.substr(colon + 1));
      if (key == "NUMBER ALTERNATIVES") {
        auto v = integer(value);
        if (!v || *v < 1) throw FormatError(n, "bad NUMBER ALTERNATIVES");
        alternatives = static_cast<int>(*v);
      } else if (key.rfind("ALTERNATIVE NAME ", 0) == 0) {
        auto v = integer(key.substr(17));
        if (!v) throw FormatError(n, "bad alternative number");
        names[static_cast<int>(*v)] = unquote(value);
      } else if (key == "TITLE") {
        box.title = value;
      }
      continue;
    }
    data = true;
    rows.emplace_back(n, t);
  }
  if (alternatives == 0)
    throw FormatError(1, "no \"# NUMBER ALTERNATIVES\" header (PrefLib 2022 format)");
  for (int i = 1; i <= alternatives; ++i) {
    box.candidates.push_back(std::to_string(i));
    auto it = names.find(i);
    box.names.push_back(it == names.end() ? std::to_string(i) : it->second);
  }
  for (const auto& [ln, text] : rows) {
    auto colon = text.find(':');
    if (colon == std::string::npos) throw FormatError(ln, "expected \"<count>: <order>\"");
    auto count = integer(text.substr(0, colon));
    if (!count) throw FormatError(ln, "bad count");
    Ballot b;
    b.weight = *count;
    b.rank.assign(alternatives, kUnranked);
    std::string order = trim(text.substr(colon + 1));
    int rank = 0;
    size_t i = 0;
    int ranked = 0;
    while (i < order.size()) {
      if (order[i] == ',' || std::isspace(static_cast<unsigned char>(order[i]))) {
        ++i;
        continue;
      }
      std::vector<std::string> group;
      if (order[i] == '{') {
        auto close = order.find('}', i);
        if (close == std::string::npos) throw FormatError(ln, "unclosed {");
        group = split(order.substr(i + 1, close - i - 1), ',');
        i = close + 1;
        if (!ties_ok && group.size() > 1)
          throw FormatError(ln, std::string("ties are not allowed in .") + format_name(f));
      } else {
        auto end = order.find(',', i);
        if (end == std::string::npos) end = order.size();
        group = {order.substr(i, end - i)};
        i = end;
      }
      ++rank;
      for (const auto& g : group) {
        auto a = integer(g);
        if (!a || *a < 1 || *a > alternatives)
          throw FormatError(ln, "alternative \"" + trim(g) + "\" out of range");
        if (b.rank[*a - 1] != kUnranked)
          throw FormatError(ln, "alternative " + trim(g) + " appears twice");
        b.rank[*a - 1] = rank;
        ++ranked;
      }
    }
    if (complete && ranked != alternatives)
      throw FormatError(ln, std::string("incomplete order in .") + format_name(f));
    box.ballots.push_back(std::move(b));
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
        // As the fast reader (t/fuzz found std::stoi's out_of_range).
        if (q - p > 6)
          throw FormatError(n, "option number " + line.substr(p, q - p) + " is too large");
        options[std::stoi(line.substr(p, q - p))] = trim(line.substr(r + 1));
        continue;
      }
    }
    std::string t = trim(line);
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
    if (!invalid) reference_normalize_ranks(&b);
    box.ballots.push_back(std::move(b));
  }
  return box;
}

}  // namespace urna::tally::reference
