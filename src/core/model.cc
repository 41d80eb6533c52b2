#include "core/model.h"

#include <algorithm>
#include <cctype>

namespace urna::core {

namespace {
struct MethodRow {
  Method method;
  const char* name;
  bool ranked;
};
constexpr MethodRow kMethods[] = {
    {Method::kSchulze, "schulze", true},
    {Method::kRankedPairs, "ranked-pairs", true},
    {Method::kIrv, "irv", true},
    {Method::kStv, "stv", true},
    {Method::kPlurality, "plurality", false},
    {Method::kApproval, "approval", false},
    {Method::kBorda, "borda", true},
};
}  // namespace

const char* method_name(Method m) {
  for (const auto& row : kMethods)
    if (row.method == m) return row.name;
  return "?";
}

std::optional<Method> parse_method(const std::string& name) {
  for (const auto& row : kMethods)
    if (name == row.name) return row.method;
  return std::nullopt;
}

bool method_is_ranked(Method m) {
  for (const auto& row : kMethods)
    if (row.method == m) return row.ranked;
  return false;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const Election* Snapshot::find(const std::string& id) const {
  auto it = std::lower_bound(
      elections.begin(), elections.end(), id,
      [](const Election& e, const std::string& key) { return e.id < key; });
  if (it != elections.end() && it->id == id) return &*it;
  // Tolerate an unsorted vector (e.g. built by hand in a test).
  for (const auto& e : elections)
    if (e.id == id) return &e;
  return nullptr;
}

const Voter* Snapshot::voter_entry(const Election& e,
                                   const std::string& login) const {
  const Election* owner = &e;
  if (e.is_child()) {
    owner = find(e.parent);
    if (!owner) return nullptr;
  }
  const std::string key = lower(login);
  for (const auto& v : owner->voters)
    if (v.login == key) return &v;
  return nullptr;
}

bool Snapshot::eligible(const Election& e, const std::string& login) const {
  if (login.empty() || e.is_parent()) return false;
  const Voter* v = voter_entry(e, login);
  if (!v) return false;
  if (!e.is_child() || v->children.empty()) return true;
  return std::find(v->children.begin(), v->children.end(), e.folder) !=
         v->children.end();
}

bool Snapshot::is_officer(const Election& e, const std::string& login) const {
  if (login.empty()) return false;
  const std::string key = lower(login);
  if (std::find(e.officers.begin(), e.officers.end(), key) != e.officers.end())
    return true;
  if (e.is_child()) {
    const Election* p = find(e.parent);
    return p && is_officer(*p, key);
  }
  return false;
}

std::vector<const Election*> Snapshot::children_for(
    const Election& parent, const std::string& login) const {
  std::vector<const Election*> out;
  for (const auto& child_id : parent.children) {
    const Election* c = find(child_id);
    if (c && eligible(*c, login)) out.push_back(c);
  }
  return out;
}

Phase phase_at(const Election& e, UnixTime now) {
  if (now < e.start) return Phase::kUpcoming;
  if (now < e.end) return Phase::kRunning;
  return Phase::kClosed;
}

bool is_ballot_key_text(const std::string& s) {
  const std::string prefix = "x25519:";
  if (s.size() != prefix.size() + 43 || s.compare(0, prefix.size(), prefix) != 0) return false;
  for (size_t i = prefix.size(); i < s.size(); ++i) {
    const char c = s[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
          c == '-' || c == '_'))
      return false;
  }
  // 43 characters hold 258 bits: the last one's two low bits must be zero.
  return std::string("AEIMQUYcgkosw048").find(s.back()) != std::string::npos;
}

}  // namespace urna::core
