#include "web/router.h"

#include <algorithm>

namespace urna::web {

namespace {

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> out;
  size_t pos = 1;  // paths start with '/'
  if (path.size() <= 1) return out;
  while (true) {
    size_t slash = path.find('/', pos);
    out.push_back(path.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos));
    if (slash == std::string::npos) break;
    pos = slash + 1;
  }
  return out;
}

bool match_from(const std::vector<std::string>& pat, size_t pi,
                const std::vector<std::string>& seg, size_t si,
                std::map<std::string, std::string>& params) {
  if (pi == pat.size()) return si == seg.size();
  const std::string& p = pat[pi];
  if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
    std::string name = p.substr(1, p.size() - 2);
    if (name == "id") {
      // One or more non-empty segments; the rest of the pattern must match.
      std::string joined;
      for (size_t end = si; end < seg.size(); ++end) {
        if (seg[end].empty()) return false;
        joined += (end == si ? "" : "/") + seg[end];
        if (match_from(pat, pi + 1, seg, end + 1, params)) {
          params[name] = joined;
          return true;
        }
      }
      return false;
    }
    if (si >= seg.size() || seg[si].empty()) return false;
    if (!match_from(pat, pi + 1, seg, si + 1, params)) return false;
    params[name] = seg[si];
    return true;
  }
  if (si >= seg.size() || seg[si] != p) return false;
  return match_from(pat, pi + 1, seg, si + 1, params);
}

int literal_count(const std::vector<std::string>& pat) {
  return static_cast<int>(std::count_if(pat.begin(), pat.end(), [](const std::string& s) {
    return s.empty() || s.front() != '{';
  }));
}

}  // namespace

Match match_route(const std::vector<Route>& routes, const std::string& method,
                  const std::string& path,
                  const std::function<bool(const std::string&)>& is_election) {
  Match best;
  int best_literals = -1;
  bool best_known = false;  // best's {id} names an election (or it has none)
  const std::string m = method == "HEAD" ? "GET" : method;
  auto segs = split(path);
  for (const auto& r : routes) {
    auto pat = split(r.pattern);
    std::map<std::string, std::string> params;
    if (!match_from(pat, 0, segs, 0, params)) continue;
    int lit = literal_count(pat);
    if (m != r.method) {
      if (std::find(best.allowed.begin(), best.allowed.end(), r.method) == best.allowed.end())
        best.allowed.push_back(r.method);
      continue;
    }
    auto id = params.find("id");
    const bool known = !is_election || id == params.end() || is_election(id->second);
    if ((known && !best_known) || (known == best_known && lit > best_literals)) {
      best.route = &r;
      best.params = std::move(params);
      best_literals = lit;
      best_known = known;
    }
  }
  return best;
}

}  // namespace urna::web
