#include "web/election_view.h"

#include "core/time_util.h"
#include "store/ballot_store.h"
#include "store/db.h"
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

namespace {

// "closes in {}" with `{}` replaced: one whole phrase per case, so that a
// translation can put the time where its language wants it.
std::string phrase(const char* pattern, const std::string& value) {
  std::string out = pattern;
  const size_t at = out.find("{}");
  if (at != std::string::npos) out.replace(at, 2, value);
  return out;
}

constexpr char kOpensIn[] = "opens in {}";
constexpr char kClosesIn[] = "closes in {}";
constexpr char kClosedAgo[] = "closed {} ago";

}  // namespace

std::string when_text(const core::Election& e, core::UnixTime now) {
  switch (core::phase_at(e, now)) {
    case core::Phase::kUpcoming:
      return phrase(kOpensIn, core::format_duration(e.start - now));
    case core::Phase::kRunning:
      return phrase(kClosesIn, core::format_duration(e.end - now));
    case core::Phase::kClosed: break;
  }
  return phrase(kClosedAgo, core::format_duration(now - e.end));
}

const char* method_title(core::Method m) {
  switch (m) {
    case core::Method::kSchulze: return "Schulze (Condorcet)";
    case core::Method::kRankedPairs: return "Ranked pairs (Condorcet)";
    case core::Method::kIrv: return "Instant-runoff";
    case core::Method::kStv: return "Single transferable vote";
    case core::Method::kPlurality: return "Most votes (plurality)";
    case core::Method::kApproval: return "Approval";
    case core::Method::kBorda: return "Borda count";
  }
  return "unknown";
}

namespace {

// The phrases of ballot_instruction(), whole, one per case.
constexpr char kRankCandidates[] = "Rank the candidates";
constexpr char kRankAnswers[] = "Rank the answers";
constexpr char kChooseOneCandidate[] = "Choose one candidate";
constexpr char kChooseOneAnswer[] = "Choose one answer";
constexpr char kChooseAny[] = "Choose as many as you like";
constexpr char kChooseUpTo[] = "Choose up to {}";
constexpr char kChooseExactly[] = "Choose exactly {}";
constexpr char kChooseAtLeast[] = "Choose at least {}";
constexpr char kChooseRange[] = "Choose {} to {}";
constexpr char kOneWinner[] = "1 winner";
constexpr char kSeatsToFill[] = "{} seats to fill";
constexpr char kAnswersWin[] = "the top {} answers win";

std::string approval_phrase(const core::Question& q) {
  const int n = static_cast<int>(q.answers.size());
  const int max = q.max_selections > 0 && q.max_selections < n ? q.max_selections : n;
  const int min = q.min_selections;
  if (min > 0 && min == max) return phrase(kChooseExactly, std::to_string(max));
  if (min > 0 && max >= n) return phrase(kChooseAtLeast, std::to_string(min));
  if (min > 0) {
    std::string out = phrase(kChooseRange, std::to_string(min));
    return phrase(out.c_str(), std::to_string(max));
  }
  return max >= n ? kChooseAny : phrase(kChooseUpTo, std::to_string(max));
}

}  // namespace

std::string ballot_instruction(const core::Question& q) {
  const bool people = q.from_candidates;
  std::string what;
  if (core::method_is_ranked(q.method))
    what = people ? kRankCandidates : kRankAnswers;
  else if (q.method == core::Method::kPlurality)
    what = people ? kChooseOneCandidate : kChooseOneAnswer;
  else
    what = approval_phrase(q);
  std::string seats;
  if (people)
    seats = q.winners == 1 ? kOneWinner : phrase(kSeatsToFill, std::to_string(q.winners));
  else if (q.winners > 1)
    seats = phrase(kAnswersWin, std::to_string(q.winners));
  return seats.empty() ? what : what + " · " + seats;
}

ExceptionWindow exception_window(const core::Election& e, core::UnixTime now) {
  if (e.exception_description.empty()) return ExceptionWindow::kNotOffered;
  if (now >= e.exception_due || core::phase_at(e, now) == core::Phase::kClosed)
    return ExceptionWindow::kClosed;
  return ExceptionWindow::kOpen;
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
  d.SetValue("START", core::format_date(e.start));
  d.SetValue("END", core::format_date(e.end));
  d.SetValue("START_ISO", core::format_iso(e.start));
  d.SetValue("END_ISO", core::format_iso(e.end));
  d.SetValue("WHEN", when_text(e, ctx.now));
}

bool visitor_voted(Context& ctx, const core::Snapshot& snap, const core::Election& e) {
  if (!ctx.session.logged_in() || e.is_parent() || !snap.eligible(e, ctx.session.login))
    return false;
  try {
    return store::has_voted(ctx.db(), e.id, ctx.session.login);
  } catch (const store::DbError&) {
    ctx.worker.db.reset();  // suspect: the next request reconnects
    throw;
  }
}

void fill_user_badges(ctemplate::TemplateDictionary& d, Context& ctx, const core::Snapshot& snap,
                      const core::Election& e, const std::string& prefix) {
  if (!ctx.session.logged_in()) return;
  const std::string& login = ctx.session.login;
  bool eligible, voted = false;
  if (e.is_parent()) {
    const auto mine = snap.children_for(e, login);
    eligible = !mine.empty();
    voted = eligible;
    for (const core::Election* c : mine) voted = voted && visitor_voted(ctx, snap, *c);
  } else {
    eligible = snap.eligible(e, login);
    voted = visitor_voted(ctx, snap, e);
  }
  d.ShowSection(prefix + (voted ? "VOTED" : eligible ? "ELIGIBLE" : "NOT_ELIGIBLE"));
  if (snap.is_officer(e, login)) d.ShowSection(prefix + "OFFICER");
}

}  // namespace urna::web
