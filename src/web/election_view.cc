#include "web/election_view.h"

#include "core/time_util.h"
#include "web/context.h"
#include "web/request.h"

namespace urna::web {

std::string election_path(const std::string& id) {
  std::string out = "/elections";
  size_t pos = 0;
  while (pos <= id.size()) {
    size_t slash = id.find('/', pos);
    if (slash == std::string::npos) slash = id.size();
    out += "/" + url_encode(id.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return out;
}

std::string candidate_path(const std::string& election_id,
                           const std::string& candidate_id) {
  return election_path(election_id) + "/candidates/" + url_encode(candidate_id);
}

const char* phase_key(core::Phase p) {
  switch (p) {
    case core::Phase::kRunning: return "running";
    case core::Phase::kUpcoming: return "upcoming";
    case core::Phase::kClosed: break;
  }
  return "closed";
}

const char* phase_title(core::Phase p) {
  switch (p) {
    case core::Phase::kRunning: return "Running";
    case core::Phase::kUpcoming: return "Upcoming";
    case core::Phase::kClosed: break;
  }
  return "Completed";
}

std::string when_text(const core::Election& e, core::UnixTime now) {
  switch (core::phase_at(e, now)) {
    case core::Phase::kUpcoming:
      return "opens in " + core::format_duration(e.start - now);
    case core::Phase::kRunning:
      return "closes in " + core::format_duration(e.end - now);
    case core::Phase::kClosed: break;
  }
  if (now - e.end < 60) return "closed less than a minute ago";
  return "closed " + core::format_duration(now - e.end) + " ago";
}

const char* method_title(core::Method m) {
  switch (m) {
    case core::Method::kSchulze: return "Schulze (Condorcet), ranked";
    case core::Method::kRankedPairs: return "Ranked pairs (Condorcet), ranked";
    case core::Method::kIrv: return "Instant-runoff, ranked";
    case core::Method::kStv: return "Single transferable vote, ranked";
    case core::Method::kPlurality: return "Plurality, pick one";
    case core::Method::kApproval: return "Approval, pick several";
    case core::Method::kBorda: return "Borda count, ranked";
  }
  return "unknown";
}

std::vector<std::pair<std::string, std::string>> shown_fields(
    const core::Election& e, const core::Candidate& c) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& field : e.show_candidate_fields) {
    for (const auto& kv : c.info) {
      if (kv.first == field) {
        out.push_back(kv);
        break;
      }
    }
  }
  return out;
}

bool looks_like_url(const std::string& v) {
  auto starts = [&](const char* p) { return v.rfind(p, 0) == 0; };
  if (!starts("https://") && !starts("http://")) return false;
  for (char c : v)
    if (c == ' ' || c == '"' || c == '<' || c == '>' || static_cast<unsigned char>(c) < 0x20)
      return false;
  return true;
}

void fill_summary(ctemplate::TemplateDictionary& d, const Context& ctx,
                  const core::Election& e) {
  const core::Phase p = core::phase_at(e, ctx.now);
  d.SetValue("ID", e.id);
  d.SetValue("NAME", e.name.empty() ? e.id : e.name);
  d.SetValue("URL", ctx.url(election_path(e.id)));
  if (!e.organization.empty()) {
    d.ShowSection("ORG");
    d.SetValue("ORGANIZATION", e.organization);
  }
  d.SetValue("PHASE", phase_key(p));
  d.SetValue("PHASE_TITLE", phase_title(p));
  d.SetValue("START", core::format_utc(e.start));
  d.SetValue("END", core::format_utc(e.end));
  d.SetValue("START_ISO", core::format_iso(e.start));
  d.SetValue("END_ISO", core::format_iso(e.end));
  d.SetValue("WHEN", when_text(e, ctx.now));
}

void fill_user_badges(ctemplate::TemplateDictionary& d, const Context& ctx,
                      const core::Snapshot& snap, const core::Election& e,
                      const std::string& prefix) {
  if (!ctx.session.logged_in()) return;
  const std::string& login = ctx.session.login;
  const bool eligible = e.is_parent() ? !snap.children_for(e, login).empty()
                                      : snap.eligible(e, login);
  d.ShowSection(prefix + (eligible ? "ELIGIBLE" : "NOT_ELIGIBLE"));
  if (snap.is_officer(e, login)) d.ShowSection(prefix + "OFFICER");
}

}  // namespace urna::web
