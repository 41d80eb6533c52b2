// The route table: every page urna serves, in one place. The loop enforces
// each row's needs before the handler runs (see router.h).
#include "web/pages.h"
#include "web/router.h"

namespace urna::web {

const std::vector<Route>& routes() {
  static const std::vector<Route> table = {
      // method  pattern     handler       needs        name
      {"GET", "/health", health_page, kNone, "health"},
      {"GET", "/", home_page, kNone, "home"},
      {"GET", "/elections/{id}", election_page, kElection, "election"},
      {"GET", "/elections/{id}/candidates/{cid}", candidate_page, kElection, "candidate"},
      // Signing in and out (login_page.cc); the loop cannot check a form
      // token before there is a session, so POST /login checks its own.
      {"GET", "/login", login_page, kNone, "login"},
      {"POST", "/login", login_post_page, kNone, "login-demo"},
      {"GET", "/oauth/callback", oauth_callback_page, kNone, "oauth-callback"},
      {"POST", "/logout", logout_page, kCsrf, "logout"},
      {"GET", "/elections/{id}/exception", exception_page, kElection | kLogin, "exception"},
      {"POST", "/elections/{id}/exception", exception_page, kElection | kLogin | kCsrf, "exception-post"},
      {"GET", "/elections/{id}/admin", admin_page, kElection | kOfficer, "admin"},
      {"POST", "/elections/{id}/admin", admin_post_page, kElection | kOfficer | kCsrf, "admin-post"},
      {"GET", "/elections/{id}/vote", vote_page, kElection | kLogin | kDatabase, "vote"},
      {"POST", "/elections/{id}/vote", vote_submit, kElection | kLogin | kCsrf | kDatabase, "vote-submit"},
      // Where a stored ballot leads (Post/Redirect/Get); shows no passcode.
      {"GET", "/elections/{id}/voted", voted_page, kElection | kLogin | kDatabase, "voted"},
      {"GET", "/elections/{id}/ballot", ballot_page, kElection | kLogin, "ballot"},
      {"POST", "/elections/{id}/ballot", ballot_view, kElection | kLogin | kCsrf | kDatabase, "ballot-view"},
      {"GET", "/elections/{id}/results", results_page, kElection | kDatabase, "results"},
      {"GET", "/elections/{id}/ballots.csv", ballots_csv_page, kElection | kDatabase, "ballots-csv"},
      {"GET", "/elections/{id}/ballots.blt", ballots_blt_page, kElection | kDatabase, "ballots-blt"},
      // Signed with HMAC (X-Hub-Signature-256) instead of a CSRF token.
      {"POST", "/webhook", webhook_page, kNone, "webhook"},
  };
  return table;
}

}  // namespace urna::web
