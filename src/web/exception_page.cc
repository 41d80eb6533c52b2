// GET/POST /elections/{id}/exception: a signed-in visitor who is not on the
// voter list asks the officers for an exception to eligibility — once per
// election, before exception_due (server time, UTC), while the election
// takes requests (it has an exception_description and is not over), and at
// most exception_requests_per_hour per user across elections (429). Each
// field has a length limit (400 naming the field and the limit). The
// officers read the requests on their page (admin_page.cc).
#include "core/time_util.h"
#include "i18n/format.h"
#include "store/exception_store.h"
#include "web/context.h"
#include "web/election_view.h"
#include "web/http_error.h"
#include "web/log.h"
#include "web/pages.h"

namespace urna::web {

namespace {

constexpr size_t kMaxName = 200, kMaxContact = 200, kMaxText = 5000;

enum class Standing { kSent, kEligible, kNotOffered, kClosed, kOpen };

bool eligible(const core::Snapshot& snap, const core::Election& e, const std::string& login) {
  if (e.is_parent()) return !snap.children_for(e, login).empty();
  return snap.eligible(e, login);
}

Standing standing(Context& ctx, const std::optional<store::ExceptionRequest>& sent) {
  const core::Election& e = *ctx.election;
  if (sent) return Standing::kSent;
  if (eligible(ctx.snapshot(), e, ctx.session.login)) return Standing::kEligible;
  switch (exception_window(e, ctx.now)) {  // the rule every page follows
    case ExceptionWindow::kNotOffered: return Standing::kNotOffered;
    case ExceptionWindow::kClosed: return Standing::kClosed;
    case ExceptionWindow::kOpen: break;
  }
  return Standing::kOpen;
}

// Code points in valid UTF-8 (the request parser has checked it).
size_t length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string trim(const std::string& s) {
  const char* ws = " \t\r\n";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

bool has_controls(const std::string& s, bool multiline) {
  for (unsigned char c : s) {
    if (multiline && (c == '\n' || c == '\r' || c == '\t')) continue;
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

struct Form {
  std::string name, contact, reason, comments;
  std::vector<std::string> errors;
};

// The form's values, and what is wrong with them in the request's language.
Form read_form(const Request& req, const i18n::Translator& tr) {
  Form f;
  f.name = trim(req.f("name"));
  f.contact = trim(req.f("contact"));
  f.reason = trim(req.f("reason"));
  f.comments = trim(req.f("comments"));
  auto check = [&f, &tr](const std::string& v, const char* what, size_t max, bool required,
                         bool multiline) {
    const std::string field = tr.trc("form field", what);
    // TRANSLATORS: the exception form's messages; {field} is one of the
    // "form field" entries ("Your name", "The reason").
    if (required && v.empty())
      f.errors.push_back(i18n::format(tr.tr("{field} is required."), {{"field", field}}));
    else if (length(v) > max)
      // TRANSLATORS: {max} and {count} are numbers of characters ({count}
      // is more than {max}, at least 201).
      f.errors.push_back(i18n::format(
          tr.tr("{field}: too long, at most {max} characters (you entered {count})."),
          {{"field", field},
           {"max", i18n::format_integer(static_cast<long long>(max), tr)},
           {"count", i18n::format_integer(static_cast<long long>(length(v)), tr)}}));
    else if (has_controls(v, multiline))
      f.errors.push_back(
          i18n::format(tr.tr("{field} contains control characters."), {{"field", field}}));
  };
  check(f.name, NC_("form field", "Your name"), kMaxName, true, false);
  check(f.contact, NC_("form field", "How to contact you"), kMaxContact, true, false);
  check(f.reason, NC_("form field", "The reason"), kMaxText, true, true);
  check(f.comments, NC_("form field", "Your comments"), kMaxText, false, true);
  return f;
}

void render(Context& ctx, Standing st, const std::optional<store::ExceptionRequest>& sent,
            const Form* form, int status) {
  const core::Election& e = *ctx.election;
  // TRANSLATORS: the window title of the exception request page.
  Page page(ctx, "exception", i18n::format(ctx.tr("Exception request · {election}"),
                                           {{"election", e.name.empty() ? e.id : e.name}}));
  auto& d = page.body();
  fill_summary(d, ctx, e);
  // The description invites a request: shown only with the form (or to
  // the person who sent one), never next to "closed".
  if ((st == Standing::kOpen || st == Standing::kSent) && !e.exception_description.empty())
    d.AddSectionDictionary("DESCRIPTION")->SetValue("TEXT", e.exception_description);
  if (!e.eligibility.empty())
    d.AddSectionDictionary("ELIGIBILITY")->SetValue("TEXT", e.eligibility);
  d.SetValue("DUE", datetime_text(e.exception_due, ctx.translator));
  d.SetValue("DUE_ISO", core::format_iso(e.exception_due));
  switch (st) {
    case Standing::kSent: {
      auto* s = d.AddSectionDictionary("SENT");
      s->SetValue("CREATED", datetime_text(sent->created_at, ctx.translator));
      s->SetValue("CREATED_ISO", core::format_iso(sent->created_at));
      if (sent->reviewed) s->ShowSection("REVIEWED");
      break;
    }
    case Standing::kEligible: d.ShowSection("ELIGIBLE"); break;
    case Standing::kNotOffered: d.ShowSection("NOT_OFFERED"); break;
    case Standing::kClosed: d.ShowSection("CLOSED"); break;
    case Standing::kOpen: {
      auto* f = d.AddSectionDictionary("FORM");
      f->SetValue("LOGIN", ctx.session.login);
      f->SetValue("ACTION", ctx.url(election_path(e.id) + "/exception"));
      f->SetValue("CSRF", ctx.csrf());
      f->SetIntValue("MAX_NAME", static_cast<long>(kMaxName));
      f->SetIntValue("MAX_CONTACT", static_cast<long>(kMaxContact));
      f->SetIntValue("MAX_TEXT", static_cast<long>(kMaxText));
      if (form) {
        f->SetValue("F_NAME", form->name);
        f->SetValue("F_CONTACT", form->contact);
        f->SetValue("F_REASON", form->reason);
        f->SetValue("F_COMMENTS", form->comments);
        if (!form->errors.empty()) {
          auto* errs = f->AddSectionDictionary("ERRORS");
          for (const auto& m : form->errors) errs->AddSectionDictionary("ERROR")->SetValue("TEXT", m);
        }
      }
      break;
    }
  }
  page.finish(status);
}

}  // namespace

void exception_page(Context& ctx) {
  const core::Election& e = *ctx.election;
  auto sent = store::exception_request_of(ctx.db(), e.id, ctx.session.login);
  const Standing st = standing(ctx, sent);
  if (ctx.req.method != "POST") return render(ctx, st, sent, nullptr, 200);

  switch (st) {
    case Standing::kSent:
      throw Conflict(N_("You have already sent an exception request for this election; "
                        "you can send only one."));
    case Standing::kEligible:
      throw Conflict(N_("You are already on the voter list of this election: you do not "
                        "need an exception."));
    case Standing::kNotOffered:
      throw Forbidden(N_("This election does not take exception requests."));
    case Standing::kClosed:
      // The date in the request's language (the error page's); what() has
      // it too, for the log.
      throw Forbidden(N_("Exception requests for this election closed on {date}."),
                      {{"date", datetime_text(e.exception_due, ctx.translator)}});
    case Standing::kOpen: break;
  }
  Form f = read_form(ctx.req, ctx.translator);
  if (!f.errors.empty()) return render(ctx, st, sent, &f, 400);
  store::ExceptionRequest r;
  r.election_id = e.id;
  r.login = ctx.session.login;
  r.name = f.name;
  r.contact = f.contact;
  r.reason = f.reason;
  r.comments = f.comments;
  r.created_at = ctx.now;
  switch (store::add_exception_request(ctx.db(), r, ctx.cfg.exception_requests_per_hour)) {
    case store::ExceptionAdded::kAdded:
      break;
    case store::ExceptionAdded::kAlreadyAsked:  // a second tab won the race
      throw Conflict(
          N_("You have already sent an exception request for this election; "
             "you can send only one."));
    case store::ExceptionAdded::kTooMany:
      log_line("warning", "request " + ctx.request_id + " from " + ctx.req.remote_addr +
                              ": exception request by " + r.login + " in " + e.id +
                              " refused: more than " +
                              std::to_string(ctx.cfg.exception_requests_per_hour) + " in an hour");
      // TRANSLATORS: {n} is exception_requests_per_hour (1 or more).
      throw HttpError(429,
                      N_("You have sent {n} exception requests in the last hour, the most "
                         "urna takes from one person. Please try again later."),
                      {{"n", i18n::format_integer(ctx.cfg.exception_requests_per_hour,
                                                  ctx.translator)}});
  }
  log_line("info",
           "request " + ctx.request_id + ": exception request by " + r.login + " in " + e.id);
  ctx.res.redirect(ctx.url(election_path(e.id) + "/exception"), 303);
}

}  // namespace urna::web
