// Signing in and out, in the configured mode (docs/login.md):
//   github       GET /login redirects to the provider with a random state
//                bound to the browser by a signed cookie; GET
//                /oauth/callback checks it, spends it (once only), trades
//                the code for the login.
//   remote_user  GET /login trusts URNA_AUTH_USER, which the shipped web
//                server configs set only where they checked a password
//                (never REMOTE_USER, which a client can forge with nginx).
//   demo         GET /login lists the example voters, officers and one
//                visitor on no list, each with who they are in the live
//                snapshot; POST /login signs in as one of them (the signed
//                cookie's state is the form token, spent on use).
// POST /logout clears the session cookie and ends every session of the
// login (web/session_check.h). A new session is issued after the login's
// last sign-out, so signing in again right away works.
#include <ctemplate/template.h>

#include <set>

#include "crypto/crypto.h"
#include "web/context.h"
#include "web/http_error.h"
#include "web/log.h"
#include "web/oauth.h"
#include "web/pages.h"
#include "web/session_check.h"

namespace urna::web {

namespace {

// The submitted state (or demo form token) against the cookie's, in
// constant time; an empty one never matches.
bool crypto_equal_state(const std::string& want, const std::string& got) {
  return !want.empty() && !got.empty() && crypto::constant_time_equal(want, got);
}

// A refused sign-in in urna's log (stderr), with the client's address, so
// that officers and administrators can see an attack. Never a secret: no
// code, token, password or cookie reaches `why`.
void refused(const Context& ctx, const std::string& why) {
  log_line("warning", "request " + ctx.request_id + " from " +
                          (ctx.req.remote_addr.empty() ? "-" : ctx.req.remote_addr) +
                          ": sign-in refused: " + why);
}

void sign_in(Context& ctx, const std::string& login, const std::string& next) {
  Session s = new_session(login, ctx.cfg, new_session_time(ctx, login));
  ctx.res.cookies.push_back(session_cookie(s, ctx.cfg, ctx.req.https));
  ctx.res.cookies.push_back(login_cookie(LoginAttempt{}, ctx.cfg, ctx.req.https));
  ctx.res.redirect(next, 303);
  log_line("info", "request " + ctx.request_id + ": signed in " + s.login + " (" +
                       ctx.cfg.auth + ")");
}

// A sign-in that did not work: the login page with the reason and a way to
// try again, with `status` (400: the request or the user's choice; 502: the
// provider). The attempt's cookie is spent.
void login_failed(Context& ctx, int status, const std::string& message,
                  const std::string& log, const std::string& next = "") {
  ctx.res.cookies.push_back(login_cookie(LoginAttempt{}, ctx.cfg, ctx.req.https));
  refused(ctx, "(" + ctx.cfg.auth + ", " + std::to_string(status) + ") " + log);
  Page page(ctx, "login", ctx.tr("Sign in"));
  auto* err = page.body().AddSectionDictionary("FAILED");
  // An English msgid (oauth.h's messages too): shown translated.
  err->SetValue("MESSAGE", ctx.tr(message));
  // Signing in again returns to where the visitor started, when known.
  const std::string back = next.empty() ? "" : safe_next(next, ctx.cfg.prefix);
  err->SetValue("RETRY_URL", ctx.url("/login") + (back.empty() ? "" : "?next=" + url_encode(back)));
  page.finish(status);
}

// Records the attempt's state as used; false when it was used before: a
// replay of a spent cookie and its state or token.
bool spend(Context& ctx, const LoginAttempt& a) {
  return spend_login_state(ctx, a.state, a.expires);
}

std::optional<LoginAttempt> attempt_of(const Context& ctx) {
  auto it = ctx.req.cookies.find(kLoginCookie);
  if (it == ctx.req.cookies.end()) return std::nullopt;
  return read_login_cookie(it->second, ctx.cfg, ctx.now);
}

// Demo mode: everyone the live snapshot names as a voter or an officer,
// and kDemoVisitor, a login on no list (to try the site as someone who
// may not vote: the "not eligible" page, the exception form).
const char kDemoVisitor[] = "guest";

std::set<std::string> demo_logins(const core::Snapshot& snap) {
  std::set<std::string> out{kDemoVisitor};
  for (const auto& e : snap.elections) {
    for (const auto& v : e.voters)
      if (valid_login(v.login)) out.insert(core::lower(v.login));
    for (const auto& o : e.officers)
      if (valid_login(o)) out.insert(core::lower(o));
  }
  return out;
}

// The election's phase as the demo list shows it next to its name.
void add_phase(ctemplate::TemplateDictionary* d, const core::Election& e, core::UnixTime now) {
  switch (core::phase_at(e, now)) {
    case core::Phase::kUpcoming: d->ShowSection("UPCOMING"); break;
    case core::Phase::kRunning: d->ShowSection("RUNNING"); break;
    case core::Phase::kClosed: d->ShowSection("CLOSED"); break;
  }
}

// Who `login` is in the snapshot, as the demo sign-in list says it: the
// top-level elections it is an officer of, those it votes in (with their
// phase), for a parent process the parts it votes in (all of them, or
// which), or that it is on no voter list. Children are named through their
// parent, since they share its officers and its voter list.
void describe_demo_login(ctemplate::TemplateDictionary* d, const core::Snapshot& snap,
                         const std::string& login, core::UnixTime now) {
  ctemplate::TemplateDictionary* officer = nullptr;
  bool votes = false;
  for (const auto& e : snap.elections) {
    if (e.is_child()) continue;
    if (snap.is_officer(e, login)) {
      if (!officer) officer = d->AddSectionDictionary("OFFICER");
      officer->AddSectionDictionary("ELECTION")->SetValue("NAME", e.name);
    }
    if (e.is_parent()) {
      const auto parts = snap.children_for(e, login);
      if (parts.empty()) continue;
      votes = true;
      auto* p = d->AddSectionDictionary(parts.size() == e.children.size() ? "VOTES_ALL_PARTS"
                                                                          : "VOTES_SOME_PARTS");
      p->SetValue("PARENT", e.name);
      for (const auto* c : parts) p->AddSectionDictionary("PART")->SetValue("NAME", c->name);
      add_phase(p, e, now);
    } else if (snap.eligible(e, login)) {
      votes = true;
      auto* v = d->AddSectionDictionary("VOTES");
      v->SetValue("ELECTION", e.name);
      add_phase(v, e, now);
    }
  }
  if (!votes) d->ShowSection("VOTES_NOWHERE");
}

void demo_form(Context& ctx, const std::string& next) {
  LoginAttempt a = new_login_attempt(next, ctx.now);
  ctx.res.cookies.push_back(login_cookie(a, ctx.cfg, ctx.req.https));
  Page page(ctx, "login", ctx.tr("Sign in (demo)"));
  auto* demo = page.body().AddSectionDictionary("DEMO_FORM");
  demo->SetValue("ACTION", ctx.url("/login"));
  demo->SetValue("TOKEN", a.state);
  const core::Snapshot& snap = ctx.snapshot();
  const auto logins = demo_logins(snap);
  if (logins.size() == 1) demo->ShowSection("NO_VOTERS");  // only kDemoVisitor
  int n = 0;
  for (const auto& l : logins) {
    auto* v = demo->AddSectionDictionary("VOTER");
    v->SetValue("LOGIN", l);
    v->SetIntValue("N", ++n);
    describe_demo_login(v, snap, l, ctx.now);
  }
  page.finish();
}

}  // namespace

void login_page(Context& ctx) {
  const std::string next = safe_next(ctx.req.q("next"), ctx.cfg.prefix);
  if (ctx.cfg.auth == "demo") return demo_form(ctx, next);
  if (ctx.cfg.auth == "remote_user") {
    // Only URNA_AUTH_USER counts: the shipped configs set it inside the
    // location that checked a password. REMOTE_USER proves nothing (nginx
    // fills it from any client's own Authorization header).
    const std::string& user = ctx.req.auth_user;
    if (user.empty()) {
      refused(ctx, ctx.req.remote_user.empty()
                       ? "auth = remote_user but the web server set no URNA_AUTH_USER on "
                         "the login route (see docs/login.md)"
                       : "auth = remote_user: REMOTE_USER '" + ctx.req.remote_user.substr(0, 100) +
                             "' without URNA_AUTH_USER is not trusted: a client can send it "
                             "(enable the authenticated login location, docs/login.md)");
      throw Forbidden(
          N_("The web server did not tell urna who you are, so you cannot sign in. "
             "Its administrators must protect this address with the site's own "
             "authentication."));
    }
    if (!valid_login(user)) {
      refused(ctx, "auth = remote_user: unusable user name '" + user.substr(0, 100) + "'");
      throw Forbidden(
          N_("Your user name cannot be used with urna (letters, digits, '.', '_', "
             "'-' and '@' only)."));
    }
    return sign_in(ctx, user, next);
  }
  // github (and compatible providers)
  if (ctx.session.logged_in()) {
    ctx.res.redirect(next, 303);
    return;
  }
  LoginAttempt a = new_login_attempt(next, ctx.now);
  ctx.res.cookies.push_back(login_cookie(a, ctx.cfg, ctx.req.https));
  ctx.res.redirect(oauth_authorize_url(ctx.cfg, a.state), 303);
}

void login_post_page(Context& ctx) {
  if (ctx.cfg.auth != "demo")
    throw HttpError(405, N_("Signing in here works only in demo mode."));
  auto a = attempt_of(ctx);
  if (!a || !crypto_equal_state(a->state, ctx.req.f("csrf"))) {
    refused(ctx, std::string("(demo) ") + (a ? "form token mismatch" : "no valid sign-in cookie"));
    throw Forbidden(
        N_("This form has expired or did not come from urna. Go back, reload the page and "
           "choose again."));
  }
  const std::string login = core::lower(ctx.req.f("login"));
  if (!demo_logins(ctx.snapshot()).count(login)) {
    refused(ctx, "(demo) '" + login.substr(0, 100) + "' is not in the election data");
    throw BadRequest(N_("Choose one of the example voters listed on the sign-in page."));
  }
  if (!spend(ctx, *a)) {
    refused(ctx, "(demo) its form token was used before (a replay)");
    throw Forbidden(
        N_("This sign-in form was used already. Go back, reload the page and choose again."));
  }
  sign_in(ctx, login, safe_next(a->next, ctx.cfg.prefix));
}

void oauth_callback_page(Context& ctx) {
  if (ctx.cfg.auth != "github") throw NotFound();
  auto a = attempt_of(ctx);
  const std::string state = ctx.req.q("state");
  if (!a || !crypto_equal_state(a->state, state))
    return login_failed(ctx, 400,
                        N_("This sign-in did not start in this browser, or it took longer "
                           "than 10 minutes, so you are not signed in. Please sign in again."),
                        a ? "state mismatch" : "no valid sign-in cookie");
  // Spent before anything else, so that two uses of one state (a replayed
  // cookie with its state and another code) never both reach the provider.
  if (!spend(ctx, *a))
    return login_failed(ctx, 400,
                        N_("This sign-in was used already, so you are not signed in. Please "
                           "sign in again."),
                        "state used before (a replay)");
  const std::string error = ctx.req.q("error");
  if (!error.empty()) {
    OAuthResult r = oauth_callback_error(error);
    return login_failed(ctx, r.status, r.message, r.log, a->next);
  }
  CurlClient http(10);
  OAuthResult r = oauth_login(ctx.cfg, ctx.req.q("code"), http);
  if (!r.ok()) return login_failed(ctx, r.status, r.message, r.log, a->next);
  sign_in(ctx, r.login, safe_next(a->next, ctx.cfg.prefix));
}

void logout_page(Context& ctx) {
  end_sessions_of(ctx);
  log_line("info", "request " + ctx.request_id + ": signed out " + ctx.session.login +
                       " (every session of that login ended)");
  ctx.res.cookies.push_back(session_cookie(Session{}, ctx.cfg, ctx.req.https));
  ctx.res.redirect(ctx.url("/"), 303);
}

}  // namespace urna::web
