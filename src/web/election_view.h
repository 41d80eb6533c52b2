// What the public election pages (home, election, candidate) share: an
// election's URL, its phase in words, its dates with the time remaining,
// the voter's instructions per method, whether it takes exception requests,
// and the candidate info fields the election chose to show. Pure functions
// of the snapshot and `now`, except visitor_voted() (and the badges built
// on it), which asks the store.
#ifndef URNA_WEB_ELECTION_VIEW_H_
#define URNA_WEB_ELECTION_VIEW_H_

#include <ctemplate/template.h>

#include <string>
#include <utility>
#include <vector>

#include "core/model.h"
#include "i18n/catalog.h"

namespace urna::web {

struct Context;

// "/elections/steering/2026" with each segment percent-encoded (ids are
// folder paths; a folder may contain a space or a non-ASCII letter).
std::string election_path(const std::string& id);
std::string candidate_path(const std::string& election_id,
                           const std::string& candidate_id);

// "running" | "upcoming" | "closed" (CSS class and section key).
const char* phase_key(core::Phase p);
// One election's phase in `tr`'s language: "Running" | "Upcoming" |
// "Completed" (es: "En curso", "Próxima", "Finalizada").
std::string phase_title(core::Phase p, const i18n::Translator& tr);
// The heading of the home page's group of elections in that phase (es:
// "Próximas", "Finalizadas": a group of elections, plural).
std::string phase_group_title(core::Phase p, const i18n::Translator& tr);
// A span of time as core::format_duration() says it, in `tr`'s language:
// "3 weeks", "3 days 4 hours", "less than a minute" (es: "3 semanas",
// "3 días y 4 horas", "menos de un minuto").
std::string duration_text(std::int64_t seconds, const i18n::Translator& tr);
// "closes in 3 weeks" / "opens in 2 hours" / "closed 5 days ago"
// (duration_text(), rounded down; es: "cierra en 3 semanas", "abre en 2
// horas", "cerró hace 5 días").
std::string when_text(const core::Election& e, core::UnixTime now, const i18n::Translator& tr);
// A date and time for people, in UTC and saying so, the seconds only when
// they are not zero (a deadline a second before midnight reads as the
// second it is): "March 13, 2026 at 12:00 PM UTC", "June 15, 2036 at
// 11:59:59 PM UTC" (es: "13 de marzo de 2026, 12:00 UTC"). Next to a
// <time datetime="core::format_iso()">, which urna.js gives the local time.
std::string datetime_text(core::UnixTime t, const i18n::Translator& tr);
// "Schulze (Condorcet)", "Instant-runoff", ... for people, not for machines.
std::string method_title(core::Method m, const i18n::Translator& tr);
// What the voter does on question `q`, in their words (issue 10 §8), for
// the booth and the election page alike: "Choose one answer" (a Yes/No
// question), "Rank the candidates · 2 seats to fill", "Rank the candidates
// · 1 winner", "Choose up to 3", "Choose 1 to 3", "Choose exactly 2". The
// seats part is there for candidates (or when more than one answer wins).
// In `tr`'s language (es: "Elige una respuesta", "Ordena a los candidatos
// · 2 puestos que cubrir").
std::string ballot_instruction(const core::Question& q, const i18n::Translator& tr);

// Whether `e` takes exception requests at `now`: the one rule that decides
// whether the request form exists, and that every text about exceptions
// follows (election, exception and officers' pages; issue 10 §6).
//   kNotOffered  no exception_description: no form, no invitation;
//   kOpen        a description, before exception_due, election not over;
//   kClosed      a description, but exception_due (or the end) has passed:
//                the pages say requests closed, and show no invitation.
enum class ExceptionWindow { kNotOffered, kOpen, kClosed };
ExceptionWindow exception_window(const core::Election& e, core::UnixTime now);

// The candidate's `info` entries whose key is listed in the election's
// show_candidate_fields, in the order of show_candidate_fields (Elekto).
std::vector<std::pair<std::string, std::string>> shown_fields(
    const core::Election& e, const core::Candidate& c);
// True when an info value is a plain http(s) URL worth making a link.
bool looks_like_url(const std::string& value);

// Sets the values every election summary shows: ID, NAME, URL,
// ORGANIZATION (section ORG), PHASE, PHASE_TITLE, START, END (for people,
// in the request's language: datetime_text(), "March 13, 2026 at 12:00 PM
// UTC"), START_ISO, END_ISO (for <time datetime>, which urna.js turns into
// the visitor's local time), WHEN (when_text()).
void fill_summary(ctemplate::TemplateDictionary& d, const Context& ctx,
                  const core::Election& e);

// Whether the signed-in visitor has voted in `e`: false for an anonymous
// visitor, a parent, or someone not on the list of `e` (no query then).
// The one function here that reads the store: it rethrows store::DbError
// (the page is a 503; a page without the "voted" badge would tell a voter
// whose ballot is stored that it is not, docs/cluster.md).
bool visitor_voted(Context& ctx, const core::Snapshot& snap, const core::Election& e);

// The signed-in visitor's standing in `e` as one status badge, for lists
// of elections: section <prefix>VOTED (voted: in every child they may vote
// in, for a parent), else <prefix>ELIGIBLE or <prefix>NOT_ELIGIBLE (for a
// parent: eligible in at least one child); and <prefix>OFFICER. Nothing
// for an anonymous visitor. Nested dictionaries use their own prefix:
// CTemplate sections inherit a parent's shown sections. May throw as
// visitor_voted().
void fill_user_badges(ctemplate::TemplateDictionary& d, Context& ctx, const core::Snapshot& snap,
                      const core::Election& e, const std::string& prefix = "");

}  // namespace urna::web

#endif  // URNA_WEB_ELECTION_VIEW_H_
