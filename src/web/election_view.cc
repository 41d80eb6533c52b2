#include "web/election_view.h"

#include "core/time_util.h"
#include "i18n/format.h"
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

std::string phase_title(core::Phase p, const i18n::Translator& tr) {
  switch (p) {
    // TRANSLATORS: the status of one election (a badge next to its name).
    case core::Phase::kRunning: return tr.trc("election status", "Running");
    // TRANSLATORS: the status of one election that has not opened yet.
    case core::Phase::kUpcoming: return tr.trc("election status", "Upcoming");
    case core::Phase::kClosed: break;
  }
  // TRANSLATORS: the status of one election whose voting has closed.
  return tr.trc("election status", "Completed");
}

std::string phase_group_title(core::Phase p, const i18n::Translator& tr) {
  switch (p) {
    // TRANSLATORS: the heading of the list of elections that are running.
    case core::Phase::kRunning: return tr.trc("elections", "Running");
    // TRANSLATORS: the heading of the list of elections not open yet.
    case core::Phase::kUpcoming: return tr.trc("elections", "Upcoming");
    case core::Phase::kClosed: break;
  }
  // TRANSLATORS: the heading of the list of elections whose voting closed.
  return tr.trc("elections", "Completed");
}

namespace {

// "{n} weeks" for one unit of a span, with its plural.
std::string unit_text(core::TimeUnit u, std::int64_t n, const i18n::Translator& tr) {
  const auto count = static_cast<unsigned long>(n);
  std::string pattern;
  switch (u) {
    case core::TimeUnit::kLessThanAMinute:
      // TRANSLATORS: a time span, as in "closes in less than a minute".
      return tr.trc("time span", "less than a minute");
    case core::TimeUnit::kMinute: pattern = tr.trn("{n} minute", "{n} minutes", count); break;
    case core::TimeUnit::kHour: pattern = tr.trn("{n} hour", "{n} hours", count); break;
    case core::TimeUnit::kDay: pattern = tr.trn("{n} day", "{n} days", count); break;
    case core::TimeUnit::kWeek: pattern = tr.trn("{n} week", "{n} weeks", count); break;
    case core::TimeUnit::kMonth: pattern = tr.trn("{n} month", "{n} months", count); break;
    case core::TimeUnit::kYear: pattern = tr.trn("{n} year", "{n} years", count); break;
  }
  return i18n::format(pattern, {{"n", i18n::format_integer(n, tr)}});
}

std::string two_digits(int v) {
  std::string out = std::to_string(v);
  return out.size() < 2 ? "0" + out : out;
}

}  // namespace

std::string duration_text(std::int64_t seconds, const i18n::Translator& tr) {
  const core::DurationParts p = core::split_duration(seconds);
  const std::string larger = unit_text(p.unit, p.n, tr);
  if (!p.m) return larger;
  // TRANSLATORS: a time span of two units, the larger first: "3 days 4
  // hours", "1 year 5 months" (each unit is translated on its own).
  return i18n::format(tr.trc("time span", "{larger} {smaller}"),
                      {{"larger", larger}, {"smaller", unit_text(p.smaller, p.m, tr)}});
}

std::string when_text(const core::Election& e, core::UnixTime now, const i18n::Translator& tr) {
  switch (core::phase_at(e, now)) {
    case core::Phase::kUpcoming:
      // TRANSLATORS: {span} is a time span: "3 weeks", "3 days 4 hours",
      // "less than a minute".
      return i18n::format(tr.tr("opens in {span}"), {{"span", duration_text(e.start - now, tr)}});
    case core::Phase::kRunning:
      // TRANSLATORS: {span} as in "opens in {span}".
      return i18n::format(tr.tr("closes in {span}"), {{"span", duration_text(e.end - now, tr)}});
    case core::Phase::kClosed: break;
  }
  // TRANSLATORS: {span} as in "opens in {span}"; how long ago voting closed.
  return i18n::format(tr.tr("closed {span} ago"), {{"span", duration_text(now - e.end, tr)}});
}

std::string datetime_text(core::UnixTime t, const i18n::Translator& tr) {
  const std::int64_t of_day = ((t % 86400) + 86400) % 86400;
  const int hour = static_cast<int>(of_day / 3600), minute = static_cast<int>(of_day / 60 % 60),
            second = static_cast<int>(of_day % 60);
  std::string time;
  if (second == 0) {
    time = i18n::format_time(t, tr);
  } else {
    // TRANSLATORS: a time of day with its seconds (shown only when they
    // are not zero, for deadlines such as 11:59:59 PM); placeholders as
    // in "time format" ({hour} 00-23, {hour12} 1-12, {ampm}).
    time = i18n::format(
        tr.trc("time format", "{hour12}:{minute}:{second} {ampm}"),
        {{"hour", two_digits(hour)},
         {"hour12", std::to_string(hour % 12 == 0 ? 12 : hour % 12)},
         {"minute", two_digits(minute)},
         {"second", two_digits(second)},
         {"ampm", hour < 12 ? tr.trc("time format", "AM") : tr.trc("time format", "PM")}});
  }
  // TRANSLATORS: a date and time on the pages, always in UTC (say so);
  // {date} and {time} are formatted by the entries above.
  return i18n::format(tr.trc("date and time format", "{date} at {time} UTC"),
                      {{"date", i18n::format_date(t, tr)}, {"time", time}});
}

std::string method_title(core::Method m, const i18n::Translator& tr) {
  // TRANSLATORS: the counting methods, as the election page names them.
  switch (m) {
    case core::Method::kSchulze: return tr.trc("method", "Schulze (Condorcet)");
    case core::Method::kRankedPairs: return tr.trc("method", "Ranked pairs (Condorcet)");
    case core::Method::kIrv: return tr.trc("method", "Instant-runoff");
    case core::Method::kStv: return tr.trc("method", "Single transferable vote");
    case core::Method::kPlurality: return tr.trc("method", "Most votes (plurality)");
    case core::Method::kApproval: return tr.trc("method", "Approval");
    case core::Method::kBorda: return tr.trc("method", "Borda count");
  }
  return core::method_name(m);
}

namespace {

std::string count_phrase(const std::string& pattern, int n, const i18n::Translator& tr) {
  return i18n::format(pattern, {{"n", i18n::format_integer(n, tr)}});
}

// What to choose on an approval question: one whole phrase per case.
std::string approval_phrase(const core::Question& q, const i18n::Translator& tr) {
  const int n = static_cast<int>(q.answers.size());
  const int max = q.max_selections > 0 && q.max_selections < n ? q.max_selections : n;
  const int min = q.min_selections;
  const auto umax = static_cast<unsigned long>(max), umin = static_cast<unsigned long>(min);
  if (min > 0 && min == max)
    return count_phrase(tr.trn("Choose exactly {n}", "Choose exactly {n}", umax), max, tr);
  if (min > 0 && max >= n)
    return count_phrase(tr.trn("Choose at least {n}", "Choose at least {n}", umin), min, tr);
  if (min > 0)
    // TRANSLATORS: how many answers to choose on an approval ballot,
    // "Choose 1 to 3": at least {min}, at most {max}.
    return i18n::format(tr.tr("Choose {min} to {max}"),
                        {{"min", i18n::format_integer(min, tr)},
                         {"max", i18n::format_integer(max, tr)}});
  if (max >= n) return tr.tr("Choose as many as you like");
  return count_phrase(tr.trn("Choose up to {n}", "Choose up to {n}", umax), max, tr);
}

}  // namespace

std::string ballot_instruction(const core::Question& q, const i18n::Translator& tr) {
  const bool people = q.from_candidates;
  std::string what;
  if (core::method_is_ranked(q.method))
    what = people ? tr.tr("Rank the candidates") : tr.tr("Rank the answers");
  else if (q.method == core::Method::kPlurality)
    what = people ? tr.tr("Choose one candidate") : tr.tr("Choose one answer");
  else
    what = approval_phrase(q, tr);
  const auto winners = static_cast<unsigned long>(q.winners);
  std::string seats;
  if (people && q.winners == 1)
    // TRANSLATORS: one candidate wins (after "Rank the candidates · ").
    seats = tr.tr("1 winner");
  else if (people)
    // TRANSLATORS: how many candidates win, when more than one does.
    seats = count_phrase(tr.trn("{n} seat to fill", "{n} seats to fill", winners), q.winners, tr);
  else if (q.winners > 1)
    // TRANSLATORS: on a question of answers (not candidates), how many win
    // (always more than one).
    seats = count_phrase(tr.trn("the top {n} answer wins", "the top {n} answers win", winners),
                         q.winners, tr);
  if (seats.empty()) return what;
  // TRANSLATORS: what the voter does, then how many win: "Rank the
  // candidates · 2 seats to fill".
  return i18n::format(tr.tr("{what} · {seats}"), {{"what", what}, {"seats", seats}});
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
  d.SetValue("PHASE_TITLE", phase_title(p, ctx.translator));
  d.SetValue("START", datetime_text(e.start, ctx.translator));
  d.SetValue("END", datetime_text(e.end, ctx.translator));
  d.SetValue("START_ISO", core::format_iso(e.start));
  d.SetValue("END_ISO", core::format_iso(e.end));
  d.SetValue("WHEN", when_text(e, ctx.now, ctx.translator));
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
