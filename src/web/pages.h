// Every page handler, one per file (cgit's ui-*.c). Each is short: parse
// the request into a typed input, call one service function, fill the view,
// render. Their needs (login, CSRF, officer) are declared in routes.cc.
#ifndef URNA_WEB_PAGES_H_
#define URNA_WEB_PAGES_H_

#include <string>

#include "core/model.h"

namespace urna::web {

struct Context;

void health_page(Context& ctx);
void home_page(Context& ctx);

// Public election pages (election_page.cc, candidate_page.cc).
void election_page(Context& ctx);
void candidate_page(Context& ctx);

// The booth and the voter's ballot (vote_page.cc): GET/POST
// /elections/{id}/vote, GET /elections/{id}/voted (where a cast leads),
// GET/POST /elections/{id}/ballot.
void vote_page(Context& ctx);
void vote_submit(Context& ctx);
void voted_page(Context& ctx);
void ballot_page(Context& ctx);
void ballot_view(Context& ctx);

// Signing in and out (login_page.cc): GET /login, POST /login (demo),
// GET /oauth/callback, POST /logout.
void login_page(Context& ctx);
void login_post_page(Context& ctx);
void oauth_callback_page(Context& ctx);
void logout_page(Context& ctx);

// GET/POST /elections/{id}/exception (exception_page.cc).
void exception_page(Context& ctx);
// The officers' page (admin_page.cc): GET, and POST marking an exception
// request reviewed.
void admin_page(Context& ctx);
void admin_post_page(Context& ctx);

// Results (results_page.cc): GET /elections/{id}/results; the stored
// ballot export (export_page.cc): GET /elections/{id}/ballots.csv, .blt.
void results_page(Context& ctx);
void ballots_csv_page(Context& ctx);
void ballots_blt_page(Context& ctx);
// Throws NotFound before the close, Forbidden while results are for the
// officers first (results_visibility: officers-first, no results.md yet)
// and the visitor is not one of them.
void require_results_visible(Context& ctx, const core::Election& e);
// True when results.md lets everyone see the results (or they are public).
bool results_published(const core::Snapshot& snap, const core::Election& e);
// The visitor may download the anonymized ballots: an officer, or the
// election (or its parent) sets public_ballots.
bool ballots_allowed(Context& ctx, const core::Election& e);

// POST /webhook (webhook_page.cc): GitHub-style signed push notification.
void webhook_page(Context& ctx);
// True when `header` is "sha256=" + lower-case hex HMAC-SHA256(secret,
// body), compared in constant time. False for an empty secret or header.
bool webhook_signature_ok(const std::string& secret, const std::string& body,
                          const std::string& header);

}  // namespace urna::web

#endif  // URNA_WEB_PAGES_H_
