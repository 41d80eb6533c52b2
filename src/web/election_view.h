// What the public election pages (home, election, candidate) share: an
// election's URL, its phase in words, its dates with the time remaining,
// and the candidate info fields the election chose to show. Pure functions
// of the snapshot and `now`; no I/O.
#ifndef URNA_WEB_ELECTION_VIEW_H_
#define URNA_WEB_ELECTION_VIEW_H_

#include <ctemplate/template.h>

#include <string>
#include <utility>
#include <vector>

#include "core/model.h"

namespace urna::web {

struct Context;

// "/elections/steering/2026" with each segment percent-encoded (ids are
// folder paths; a folder may contain a space or a non-ASCII letter).
std::string election_path(const std::string& id);
std::string candidate_path(const std::string& election_id,
                           const std::string& candidate_id);

// "running" | "upcoming" | "closed" (CSS class and section key).
const char* phase_key(core::Phase p);
// "Running" | "Upcoming" | "Completed".
const char* phase_title(core::Phase p);
// "closes in 3 days 4 hours" / "opens in 2 hours" / "closed 5 days ago".
std::string when_text(const core::Election& e, core::UnixTime now);
// "Schulze (Condorcet)", "Instant-runoff", ... for people, not for machines.
const char* method_title(core::Method m);

// The candidate's `info` entries whose key is listed in the election's
// show_candidate_fields, in the order of show_candidate_fields (Elekto).
std::vector<std::pair<std::string, std::string>> shown_fields(
    const core::Election& e, const core::Candidate& c);
// True when an info value is a plain http(s) URL worth making a link.
bool looks_like_url(const std::string& value);

// Sets the values every election summary shows: ID, NAME, URL,
// ORGANIZATION (section ORG), PHASE, PHASE_TITLE, START, END, START_ISO,
// END_ISO, WHEN.
void fill_summary(ctemplate::TemplateDictionary& d, const Context& ctx,
                  const core::Election& e);

// The signed-in visitor's standing in `e` as badges: section
// <prefix>ELIGIBLE or <prefix>NOT_ELIGIBLE (for a parent: eligible in at
// least one child), <prefix>OFFICER. Nothing for an anonymous visitor.
// Whether they already voted needs the store and is left to the voting
// code (section <prefix>VOTED in the templates). Nested dictionaries use
// their own prefix: CTemplate sections inherit a parent's shown sections.
void fill_user_badges(ctemplate::TemplateDictionary& d, const Context& ctx,
                      const core::Snapshot& snap, const core::Election& e,
                      const std::string& prefix = "");

}  // namespace urna::web

#endif  // URNA_WEB_ELECTION_VIEW_H_
