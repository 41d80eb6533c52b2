// The booth and the voter's ballot (DESIGN.md §4, §5; docs/voting.md):
//   GET  /elections/{id}/vote    the booth (a parent: the voter's children
//                                and the start with one passcode)
//   POST /elections/{id}/vote    cast, or re-cast with the passcode; 303 to
//                                .../voted (Post/Redirect/Get). step=start:
//                                a child opened from its parent's booth
//   GET  /elections/{id}/voted   the ballot is stored (no passcode shown)
//   GET  /elections/{id}/ballot  ask for the passcode
//   POST /elections/{id}/ballot  show the stored ballot (a parent: each child)
// Login, CSRF and the election are enforced by the route table; these
// handlers check what the table cannot: running (the end second itself is
// closed), eligible, the ballot itself (ballot_form.h), the passcode
// "written down" box of a first vote, and the booth page's submission id
// (the same page sent twice is one ballot). Inside a parent's process the
// passcode chosen at the start travels in hidden fields of each child's
// booth (POST bodies only). A full scrypt gate (crypto/kdf_gate.h) answers
// 503 with Retry-After and the voter's input; too many wrong passcodes
// (store/attempt_store.h) 429 with Retry-After. Nothing here logs a ballot
// or a passcode. Every message is an English msgid (N_), shown in the
// request's language (docs/i18n.md); the log lines stay English.
#include <algorithm>
#include <cctype>
#include <map>
#include <random>

#include "core/ballot_plaintext.h"
#include "core/time_util.h"
#include "crypto/crypto.h"
#include "crypto/kdf_gate.h"
#include "i18n/format.h"
#include "store/ballot_store.h"
#include "web/ballot_form.h"
#include "web/ballot_key.h"
#include "web/context.h"
#include "web/election_view.h"
#include "web/http_error.h"
#include "web/log.h"
#include "web/pages.h"

namespace urna::web {

namespace {

crypto::ScryptParams kdf_params(const core::Config& cfg) {
  crypto::ScryptParams p;
  p.n = static_cast<std::uint64_t>(cfg.scrypt_n);
  p.r = static_cast<std::uint32_t>(cfg.scrypt_r);
  p.p = static_cast<std::uint32_t>(cfg.scrypt_p);
  return p;
}

// Seconds a voter waits after the scrypt gate was full: derivations take
// about 0.1 s, so a retry a moment later usually gets in.
constexpr int kKdfBusyRetryAfter = 2;
constexpr const char* kKdfBusyMessage =
    N_("Many voters are submitting passcodes of their own right now, and checking one takes a "
       "moment. Nothing was stored or changed: please submit again in a few seconds.");

store::AttemptLimit attempt_limit(const Context& ctx) {
  return store::AttemptLimit{ctx.cfg.passcode_attempts_per_hour, ctx.now};
}

std::string display_name(const core::Election& e) { return e.name.empty() ? e.id : e.name; }
std::string answer_name(const core::Answer& a) { return a.text.empty() ? a.id : a.text; }

// The values of a message about election `e` at time `t`: {election},
// {date} and {time} (UTC, which the message says), in the request's
// language.
i18n::Args election_at(const Context& ctx, const core::Election& e, core::UnixTime t) {
  return {{"election", display_name(e)},
          {"date", i18n::format_date(t, ctx.translator)},
          {"time", i18n::format_time(t, ctx.translator)}};
}

// Voting is open at ctx.now (UTC, to the second; the end second is closed).
void require_running(const Context& ctx, const core::Election& e) {
  switch (core::phase_at(e, ctx.now)) {
    case core::Phase::kUpcoming:
      throw Forbidden(N_("Voting in {election} opens on {date} at {time} UTC."),
                      election_at(ctx, e, e.start));
    case core::Phase::kClosed:
      throw Forbidden(N_("Voting in {election} closed on {date} at {time} UTC. Ballots are no "
                         "longer accepted or changed."),
                      election_at(ctx, e, e.end));
    case core::Phase::kRunning:
      break;
  }
}

[[noreturn]] void not_on_voter_list_of_process(const Context& ctx) {
  throw Forbidden(N_("You ({login}) are not on the voter list of any election in this process."),
                  {{"login", ctx.session.login}});
}

void require_eligible(const Context& ctx, const core::Snapshot& snap, const core::Election& e) {
  if (e.is_parent())
    throw BadRequest(
        N_("You vote in the elections of this process one by one; "
           "open its voting page to see yours."));
  if (!snap.eligible(e, ctx.session.login))
    throw Forbidden(
        N_("You ({login}) are not on the voter list of this election, so you cannot vote in it."),
        {{"login", ctx.session.login}});
}

std::mt19937_64& rng() {
  thread_local std::mt19937_64 g{std::random_device{}()};
  return g;
}

// The voter's next child of `parent` (natural order) without a vote, or
// nullptr.
const core::Election* next_child(Context& ctx, const core::Snapshot& snap,
                                 const core::Election& parent) {
  for (const core::Election* c : snap.children_for(parent, ctx.session.login))
    if (core::phase_at(*c, ctx.now) == core::Phase::kRunning &&
        !store::has_voted(ctx.db(), c->id, ctx.session.login))
      return c;
  return nullptr;
}

// Form fields of the booth besides the ballot (docs/voting.md).
constexpr const char* kSavedField = "passcode_saved";  // the "written down" box
constexpr const char* kSavedValue = "yes";
constexpr const char* kSubmissionField = "submission";  // random, per page view
constexpr const char* kCarryField = "carry";            // "process": see Carry
constexpr const char* kCarryValue = "process";
constexpr const char* kStepField = "step";  // "start": the parent's booth starts
constexpr const char* kStepStart = "start";
constexpr size_t kSubmissionBytes = 16;

constexpr const char* kNotSavedMessage =
    N_("Write your passcode down (or copy it somewhere safe), then tick \xE2\x80\x9CI have "
       "written this passcode down\xE2\x80\x9D. Without it your ballot cannot be viewed or "
       "changed later.");
constexpr const char* kEnterPasscodeMessage = N_("Enter the passcode of your ballot to change it.");
constexpr const char* kStoredInMessage = N_("Your ballot in {election} is stored.");
constexpr const char* kStoredAgainMessage =
    N_("Your ballot in {election} had already been stored from that page; nothing was stored a "
       "second time.");
constexpr const char* kOtherPasscodeMessage =
    N_("Your ballot in {election} was cast with another passcode: this one does not open it, so "
       "it stays as it is.");
constexpr const char* kTooManyInMessage =
    N_("Too many wrong passcodes for your ballot in {election} in the last hour, so it was not "
       "opened; you can try again after the hour is over.");
constexpr const char* kProcessOpensNoneMessage =
    N_("That passcode does not open any of your ballots in this process. Nothing was changed. "
       "If you have lost it, you can still vote in the remaining elections one by one from "
       "their own pages, each with a new passcode.");

// A whole-sentence message about election `e`, translated, with its name
// for {election} (a translation may put it anywhere).
std::string about(const Context& ctx, const char* msgid, const core::Election& e) {
  return i18n::format(ctx.tr(msgid), {{"election", display_name(e)}});
}

// A FormError in the request's language (ballot_form.h).
std::string error_text(const Context& ctx, const FormError& err) {
  if (err.msgid.empty()) return err.message;
  const std::string m = i18n::format(
      err.msgid_plural.empty() ? ctx.tr(err.msgid) : ctx.trn(err.msgid, err.msgid_plural, err.n),
      err.args);
  if (err.question.empty()) return m;
  // TRANSLATORS: a refused ballot's message about one of its questions.
  return i18n::format(ctx.tr("{message} ({question})"),
                      {{"message", m}, {"question", err.question}});
}

// The submission id of a booth form: 32 hex digits, else "" (none sent, or
// not one urna made: then nothing is recognised as sent twice).
std::string submission_of(const Context& ctx) {
  const std::string s = ctx.req.f(kSubmissionField);
  if (s.size() != 2 * kSubmissionBytes) return "";
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return "";
  return s;
}

// The passcode of a parent process, carried from child to child in the
// booth's hidden fields (POST bodies only: never a URL, cookie or log).
struct Carry {
  std::string passcode;  // as typed (or generated) at the start
  std::string sig;       // passcode_sig: generated for the parent, or ""
};

// What the booth shows again after a refused submission.
struct BoothInput {
  const BallotForm* form = nullptr;
  std::string passcode;
  bool generated = false;            // `passcode` is urna's signed suggestion
  bool saved = false;                // "I have written this passcode down" ticked
  const Carry* carry = nullptr;      // a child booth inside its parent's process
  std::vector<FormError> errors;     // besides form->errors
  std::vector<std::string> notices;  // what went well before (e.g. a child stored)
};

// Whether the passcode is urna's own for this voter: signed for the
// election, or, in a child, for its parent (one passcode per process).
bool generated_for(const Context& ctx, const core::Election& e, const std::string& normalized,
                   const std::string& sig) {
  if (is_generated_passcode(ctx.cfg, ctx.session.login, e.id, normalized, sig)) return true;
  return e.is_child() &&
         is_generated_passcode(ctx.cfg, ctx.session.login, e.parent, normalized, sig);
}

// The voter's children of `parent` in natural order that they have voted in.
std::vector<const core::Election*> voted_children(Context& ctx, const core::Snapshot& snap,
                                                  const core::Election& parent) {
  std::vector<const core::Election*> out;
  for (const core::Election* c : snap.children_for(parent, ctx.session.login))
    if (store::has_voted(ctx.db(), c->id, ctx.session.login)) out.push_back(c);
  return out;
}

void fill_new_passcode(ctemplate::TemplateDictionary& n, const Context& ctx,
                       const std::string& signed_for, const BoothInput& in) {
  const std::string suggested = in.passcode.empty() ? crypto::generate_passcode() : in.passcode;
  n.SetValue("PASSCODE", suggested);
  n.SetIntValue("MIN_LENGTH", ctx.cfg.passcode_min_length);
  if (in.saved) n.ShowSection("SAVED");
  // Signed, so that the submission can show the passcode is urna's own
  // (>= 100 bits: HKDF) and not one the voter chose (scrypt). A passcode
  // shown again after an error is signed only if it was urna's.
  if (in.passcode.empty() || in.generated)
    n.SetValue("PASSCODE_SIG", generated_passcode_signature(ctx.cfg, ctx.session.login, signed_for,
                                                            crypto::normalize_passcode(suggested)));
}

void fill_ranked(ctemplate::TemplateDictionary& qd, const core::Election& e,
                 const core::Question& q, size_t qi, const Context& ctx, const BoothInput& in) {
  auto* rd = qd.AddSectionDictionary("RANKED");
  const int n = static_cast<int>(q.answers.size());
  rd->SetIntValue("N", n);
  if (e.allow_no_opinion)
    // What "no opinion" means depends on the method: Condorcet methods (as
    // Elekto counts) leave such a candidate out of every comparison on this
    // ballot; IRV, STV and Borda put it below everyone ranked.
    rd->ShowSection(q.method == core::Method::kSchulze || q.method == core::Method::kRankedPairs
                        ? "NO_OPINION_HELP_PAIRWISE"
                        : "NO_OPINION_HELP");
  else
    rd->ShowSection("RANK_ALL_HELP");
  std::map<std::string, int> ranks;
  if (in.form)
    for (const auto& m : in.form->marks(q.id)) ranks[m.first] = m.second;
  // A fresh random order per page view; shown again, the voter's order.
  std::vector<size_t> order(q.answers.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng());
  if (in.form)
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      auto ra = ranks.find(q.answers[a].id), rb = ranks.find(q.answers[b].id);
      int x = ra == ranks.end() ? n + 1 : ra->second, y = rb == ranks.end() ? n + 1 : rb->second;
      return x < y;
    });
  const int width = rank_width(q);
  for (size_t ai : order) {
    const core::Answer& a = q.answers[ai];
    auto* row = rd->AddSectionDictionary("ROW");
    row->SetValue("AID", a.id);
    row->SetValue("ANSWER", answer_name(a));
    row->SetValue("FIELD", rank_field(q.id, a.id));
    row->SetValue("FID", "r-" + std::to_string(qi) + "-" + std::to_string(ai));
    if (q.from_candidates)
      row->AddSectionDictionary("ABOUT")->SetValue("ABOUT_URL",
                                                   ctx.url(candidate_path(e.id, a.id)));
    auto it = ranks.find(a.id);
    const int chosen = it == ranks.end() ? 0 : it->second;
    if (!e.allow_no_opinion) row->ShowSection("REQUIRED");
    auto* none = row->AddSectionDictionary("OPT");
    // Fixed-width values (ballot_form.h): every ballot the same length. The
    // "choose" placeholder of a required select stays "" (never sent).
    none->SetValue("V", e.allow_no_opinion ? rank_value(0, width) : "");
    none->SetValue("L", e.allow_no_opinion ? ctx.tr("no opinion") : ctx.tr("choose"));
    if (chosen == 0) none->ShowSection("SEL");
    for (int r = 1; r <= n; ++r) {
      auto* o = row->AddSectionDictionary("OPT");
      o->SetValue("V", rank_value(r, width));
      o->SetIntValue("L", r);
      if (r == chosen) o->ShowSection("SEL");
    }
  }
}

void fill_choices(ctemplate::TemplateDictionary& qd, const core::Election& e,
                  const core::Question& q, size_t qi, const Context& ctx, const BoothInput& in) {
  const bool one = q.method == core::Method::kPlurality;
  const int n = static_cast<int>(q.answers.size());
  const int max = one ? 1 : (q.max_selections > 0 ? std::min(q.max_selections, n) : n);
  auto* cd = qd.AddSectionDictionary(one ? "PICK_ONE" : "PICK_MANY");
  cd->SetIntValue("MAX", max);
  if (!one) {
    const i18n::Args counts{{"max", i18n::format_integer(max, ctx.translator)},
                            {"min", i18n::format_integer(q.min_selections, ctx.translator)}};
    cd->SetValue(
        "HELP", i18n::format(q.min_selections > 0 ? ctx.tr("Choose up to {max} and at least {min}.")
                                                  : ctx.tr("Choose up to {max}."),
                             counts));
  }
  std::map<std::string, int> picked;
  if (in.form)
    for (const auto& m : in.form->marks(q.id)) picked[m.first] = m.second;
  std::vector<size_t> order(q.answers.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  // Candidates in random order; answers like Yes / No as the question lists them.
  if (q.from_candidates) std::shuffle(order.begin(), order.end(), rng());
  for (size_t ai : order) {
    const core::Answer& a = q.answers[ai];
    auto* row = cd->AddSectionDictionary("CHOICE");
    row->SetValue("AID", a.id);
    row->SetValue("ANSWER", answer_name(a));
    row->SetValue("FIELD", pick_field(q.id));
    row->SetValue("PVALUE", one ? pick_value(q, a.id) : a.id);
    row->SetValue("FID", "p-" + std::to_string(qi) + "-" + std::to_string(ai));
    if (q.from_candidates)
      row->AddSectionDictionary("CHOICE_ABOUT")
          ->SetValue("ABOUT_URL", ctx.url(candidate_path(e.id, a.id)));
    if (picked.count(a.id)) row->ShowSection("CHECKED");
  }
  if (one) {
    // "Leave blank" is a radio too, so that a blank question sends a value
    // of the same length as an answer (a radio group with none checked
    // sends nothing).
    auto* blank = cd->AddSectionDictionary("BLANK_CHOICE");
    blank->SetValue("FIELD", pick_field(q.id));
    blank->SetValue("PVALUE", pick_value(q, ""));
    blank->SetValue("FID", "p-" + std::to_string(qi) + "-blank");
    if (picked.empty()) blank->ShowSection("CHECKED");
  }
}

// The id of the booth's fieldset of question `qi` (the error summary links it).
std::string question_anchor(size_t qi) { return "q-" + std::to_string(qi + 1); }

// The booth: status 200, or 400/403 with the messages of a refused ballot.
// With in.carry, a child's booth inside its parent's process: the passcode
// chosen at the start goes with the form in hidden fields.
void render_booth(Context& ctx, const core::Election& e, bool voted, const BoothInput& in,
                  int status) {
  Page page(ctx, "vote", about(ctx, N_("Vote · {election}"), e));
  auto& d = page.body();
  fill_summary(d, ctx, e);
  d.SetValue("ACTION", ctx.url(election_path(e.id)) + "/vote");
  d.SetValue("BALLOT_URL", ctx.url(election_path(e.id)) + "/ballot");
  d.SetValue("CSRF", ctx.csrf());
  // A fresh id per page view: the same page sent twice is one ballot.
  d.SetValue("SUBMISSION", crypto::hex_encode(crypto::random_bytes(kSubmissionBytes)));
  d.SetIntValue("PAD_TO", static_cast<long>(longest_answer_fields(e)));
  d.ShowSection("BOOTH");
  d.SetValue("STATIC", ctx.cfg.static_url);  // include dictionaries inherit no values
  for (const auto& n : in.notices) d.AddSectionDictionary("NOTICE")->SetValue("NOTICE_TEXT", n);
  std::vector<FormError> errors = in.errors;
  if (in.form) errors.insert(errors.end(), in.form->errors.begin(), in.form->errors.end());
  if (!errors.empty()) {
    // Each message about one question links to it (its fieldset's id).
    auto* ed = d.AddSectionDictionary("ERRORS");
    for (const auto& err : errors) {
      auto* m = ed->AddSectionDictionary("ERROR");
      size_t qi = 0;
      while (qi < e.questions.size() && e.questions[qi].id != err.question_id) ++qi;
      m->SetValue("MESSAGE", error_text(ctx, err));
      m->SetValue("QANCHOR", question_anchor(qi));
      m->ShowSection(qi < e.questions.size() ? "ERROR_LINK" : "ERROR_TEXT");
    }
  }
  const core::Election* parent = e.is_child() ? ctx.snapshot().find(e.parent) : nullptr;
  if (parent) {
    auto* pd = d.AddSectionDictionary("IN_PARENT");
    pd->SetValue("PARENT_NAME", display_name(*parent));
    pd->SetValue("PARENT_VOTE_URL", ctx.url(election_path(parent->id)) + "/vote");
  }
  for (size_t qi = 0; qi < e.questions.size(); ++qi) {
    const core::Question& q = e.questions[qi];
    auto* qd = d.AddSectionDictionary("QUESTION");
    qd->SetValue("QID", q.id);
    qd->SetValue("QANCHOR", question_anchor(qi));
    qd->SetValue("QTITLE", q.title.empty() ? display_name(e) : q.title);
    qd->SetValue("METHOD", ballot_instruction(q, ctx.translator));  // election_view.h
    qd->SetValue("METHOD_ID", core::method_name(q.method));
    if (!q.description_html.empty())  // sanitized by cmark in src/meta
      qd->AddSectionDictionary("QDESC")->SetValue("QDESC_HTML", q.description_html);
    for (const auto& err : errors)
      if (err.question_id == q.id)
        qd->AddSectionDictionary("QERROR")->SetValue("QMESSAGE", error_text(ctx, err));
    if (core::method_is_ranked(q.method))
      fill_ranked(*qd, e, q, qi, ctx, in);
    else
      fill_choices(*qd, e, q, qi, ctx, in);
  }
  if (voted) {
    auto* r = d.AddSectionDictionary("RECAST");
    r->SetValue("PASSCODE", in.passcode);
    if (in.carry) r->ShowSection("RECAST_CARRY");
  } else if (in.carry && parent) {
    auto* c = d.AddSectionDictionary("CARRIED");
    c->SetValue("PASSCODE", in.carry->passcode);
    c->SetValue("PASSCODE_SIG", in.carry->sig);
    c->SetValue("PARENT_NAME", display_name(*parent));
  } else {
    auto* n = d.AddSectionDictionary("NEW_PASSCODE");
    fill_new_passcode(*n, ctx, e.id, in);
    // Voted in another election of the process already: one passcode for
    // all of them is kept by starting from the process's booth.
    if (parent && !voted_children(ctx, ctx.snapshot(), *parent).empty())
      n->AddSectionDictionary("USE_PROCESS")
          ->SetValue("PARENT_VOTE_URL", ctx.url(election_path(parent->id)) + "/vote");
  }
  if (e.receipts) d.ShowSection("RECEIPTS");
  page.finish(status);
}

// A parent's booth: the voter's children in natural order, and the start
// of the process with ONE passcode for all of them: generated (or typed)
// and confirmed before the first child, or, once some child is voted, the
// passcode used there. `in` holds a refused start's input and messages.
void render_parent(Context& ctx, const core::Snapshot& snap, const core::Election& e,
                   const BoothInput& in, int status) {
  auto mine = snap.children_for(e, ctx.session.login);
  if (mine.empty()) not_on_voter_list_of_process(ctx);
  Page page(ctx, "vote", about(ctx, N_("Vote · {election}"), e));
  auto& d = page.body();
  fill_summary(d, ctx, e);
  if (!in.errors.empty()) {
    auto* ed = d.AddSectionDictionary("ERRORS");
    for (const auto& err : in.errors) {
      auto* m = ed->AddSectionDictionary("ERROR");
      m->SetValue("MESSAGE", error_text(ctx, err));
      m->ShowSection("ERROR_TEXT");  // about the start, no question to link
    }
  }
  auto* pd = d.AddSectionDictionary("PARENT_BOOTH");
  const core::Election* next = nullptr;
  int step = 0;
  bool any_voted = false;
  for (const core::Election* c : mine) {
    auto* cd = pd->AddSectionDictionary("STEP");
    cd->SetIntValue("STEP_NO", ++step);
    cd->SetValue("STEP_NAME", display_name(*c));
    cd->SetValue("STEP_URL", ctx.url(election_path(c->id)) + "/vote");
    const bool open = core::phase_at(*c, ctx.now) == core::Phase::kRunning;
    const bool voted = store::has_voted(ctx.db(), c->id, ctx.session.login);
    any_voted = any_voted || voted;
    if (voted)
      cd->ShowSection("STEP_VOTED");
    else if (!open)
      cd->ShowSection("STEP_CLOSED");
    else
      cd->ShowSection("STEP_TODO");
    if (!voted && open && !next) next = c;
  }
  if (any_voted)
    pd->AddSectionDictionary("VIEW_ALL")
        ->SetValue("VIEW_URL", ctx.url(election_path(e.id)) + "/ballot");
  if (next) {
    auto* sd = pd->AddSectionDictionary("START");
    sd->SetValue("NEXT_NAME", display_name(*next));
    sd->SetValue("START_ACTION", ctx.url(election_path(next->id)) + "/vote");
    sd->SetValue("CSRF", ctx.csrf());
    if (any_voted) {
      sd->ShowSection("RESUME");
    } else {
      fill_new_passcode(*sd->AddSectionDictionary("NEW_PASSCODE"), ctx, e.id, in);
    }
  } else {
    pd->ShowSection("ALL_DONE");
  }
  page.finish(status);
}

// GET /elections/{id}/voted: where a stored ballot leads (Post/Redirect/
// Get). It shows no passcode and changes nothing; ?changed=1 and ?again=1
// (a re-cast, a page sent twice) only choose the wording.
void render_voted(Context& ctx, const core::Snapshot& snap, const core::Election& e) {
  const bool again = ctx.req.q("again") == "1";
  Page page(ctx, "voted", about(ctx, N_("Voted · {election}"), e));
  auto& d = page.body();
  fill_summary(d, ctx, e);
  d.SetValue("BALLOT_URL", ctx.url(election_path(e.id)) + "/ballot");
  d.SetValue("BOOTH_URL", ctx.url(election_path(e.id)) + "/vote");
  if (e.is_parent()) {
    auto mine = snap.children_for(e, ctx.session.login);
    if (mine.empty()) not_on_voter_list_of_process(ctx);
    auto* pd = d.AddSectionDictionary("PROCESS");
    if (again) pd->ShowSection("AGAIN");
    bool all = true;
    for (const core::Election* c : mine) {
      auto* cd = pd->AddSectionDictionary("STEP");
      cd->SetValue("STEP_NAME", display_name(*c));
      cd->SetValue("STEP_URL", ctx.url(election_path(c->id)));
      if (store::has_voted(ctx.db(), c->id, ctx.session.login)) {
        cd->ShowSection("STEP_VOTED");
      } else {
        cd->ShowSection("STEP_TODO");
        if (core::phase_at(*c, ctx.now) == core::Phase::kRunning) all = false;
      }
    }
    pd->ShowSection(all ? "ALL_DONE" : "CONTINUE");
    page.finish();
    return;
  }
  if (!store::has_voted(ctx.db(), e.id, ctx.session.login)) {
    d.ShowSection("NOT_VOTED");
    page.finish();
    return;
  }
  auto* sd = d.AddSectionDictionary("STORED");
  sd->ShowSection(again ? "AGAIN" : ctx.req.q("changed") == "1" ? "CHANGED" : "FIRST");
  if (e.receipts) sd->ShowSection("RECEIPTS");
  if (core::phase_at(e, ctx.now) == core::Phase::kRunning) sd->ShowSection("CHANGEABLE");
  if (e.is_child())
    if (const core::Election* p = snap.find(e.parent)) {
      auto* pd = sd->AddSectionDictionary("IN_PARENT");
      pd->SetValue("PARENT_NAME", display_name(*p));
      pd->SetValue("PARENT_URL", ctx.url(election_path(p->id)) + "/vote");
      if (const core::Election* n = next_child(ctx, snap, *p))
        pd->AddSectionDictionary("NEXT")->SetValue("NEXT_NAME", display_name(*n));
      else
        pd->ShowSection("ALL_DONE");
    }
  page.finish();
}

// The msgid of what a refused cast, re-cast or view says.
const char* outcome_message(store::CastOutcome o) {
  switch (o) {
    case store::CastOutcome::kWrongPasscode:
      return N_("That passcode does not open your ballot. Nothing was changed.");
    case store::CastOutcome::kNotVoted:
      return N_("You have not voted in this election yet.");
    case store::CastOutcome::kLinkErased:
      return N_(
          "The link between you and your ballot has been erased, as this election "
          "asks once its results are stored; nobody, not even you, can open it now.");
    case store::CastOutcome::kAlreadyVoted:
      return N_("You have already voted in this election.");
    case store::CastOutcome::kClosed:
      return N_(
          "Voting closed while your ballot was being stored, so it was not accepted "
          "and nothing was changed.");
    case store::CastOutcome::kTooManyAttempts:
      return N_(
          "Too many wrong passcodes for this ballot in the last hour. Nothing was opened "
          "or changed; you can try again after the hour is over.");
    case store::CastOutcome::kStored:
    case store::CastOutcome::kSameSubmission:
      break;
  }
  return "";
}

int outcome_status(store::CastOutcome o) {
  switch (o) {
    case store::CastOutcome::kWrongPasscode:
      return 403;
    case store::CastOutcome::kNotVoted:
      return 404;
    case store::CastOutcome::kLinkErased:
      return 410;
    case store::CastOutcome::kClosed:
      return 403;
    case store::CastOutcome::kTooManyAttempts:
      return 429;
    default:
      return 409;
  }
}

// A passcode that did not open the ballot, or an attempt refused for too
// many of those: logged (election and login, never the passcode) and, when
// refused, Retry-After until the window ends.
void note_attempt(Context& ctx, const core::Election& e, store::CastOutcome o, int retry_after,
                  const char* what) {
  const std::string who = "request " + ctx.request_id + " from " +
                          (ctx.req.remote_addr.empty() ? "-" : ctx.req.remote_addr) +
                          ": election " + e.id + ", login " + ctx.session.login + ": ";
  if (o == store::CastOutcome::kWrongPasscode) {
    log_line("warning", who + "wrong passcode (" + what + ")");
  } else if (o == store::CastOutcome::kTooManyAttempts) {
    log_line("warning", who + "too many wrong passcodes (" +
                            std::to_string(ctx.cfg.passcode_attempts_per_hour) +
                            " an hour allowed); refused for " + std::to_string(retry_after) + " s");
    ctx.res.header("Retry-After", std::to_string(retry_after > 0 ? retry_after : 1));
  }
}

// ---------------------------------------------------------------------------
// "View my ballot". A page holds one block per election: one for an
// election, one per child of the voter for a parent (one passcode opens
// them all). Each block shows the stored ballot or why it is not shown.

// Why a block shows no ballot (a parent's page lists every child), in the
// request's language.
std::string block_status(const Context& ctx, store::CastOutcome o) {
  switch (o) {
    case store::CastOutcome::kNotVoted:
      return ctx.tr("You have not voted in this election.");
    case store::CastOutcome::kWrongPasscode:
      return ctx.tr(
          "This passcode does not open your ballot here: you voted in this election with "
          "another passcode.");
    default:
      return ctx.tr(outcome_message(o));
  }
}

struct QuestionView {
  const core::Question* q = nullptr;
  bool stored = false;
  // Ranks in order, each with its answers (equal ranks: one group, tied).
  std::vector<std::pair<int, std::vector<const core::Answer*>>> groups;
  std::vector<const core::Answer*> rest;  // not ranked / not chosen
};

struct BlockView {
  const core::Election* e = nullptr;
  std::string status;  // "": the ballot is shown
  std::vector<QuestionView> questions;
  std::string receipt;
};

BlockView shown_block(const core::Election& e, const store::ViewResult& v) {
  BlockView b;
  b.e = &e;
  b.receipt = v.receipt;
  std::map<std::string, Marks> stored;
  for (auto& q : decode_parts(v.parts)) stored[q.question_id] = q.marks;
  for (const auto& q : e.questions) {
    QuestionView qv;
    qv.q = &q;
    auto it = stored.find(q.id);
    if (it != stored.end()) {
      qv.stored = true;
      std::map<int, std::vector<const core::Answer*>> by_rank;
      std::map<std::string, int> ranks(it->second.begin(), it->second.end());
      for (const auto& a : q.answers) {
        auto r = ranks.find(a.id);
        if (r == ranks.end())
          qv.rest.push_back(&a);
        else
          by_rank[r->second].push_back(&a);
      }
      qv.groups.assign(by_rank.begin(), by_rank.end());
    }
    b.questions.push_back(std::move(qv));
  }
  return b;
}

// The part of the page one question adds. With `bound`, an upper bound of
// every ballot's part: both "nothing" texts, every answer in a group of
// its own with the widest rank and the tie mark, and every answer in the
// "no opinion" list too (docs/voting.md "Message length").
void fill_question(ctemplate::TemplateDictionary& bd, const core::Election& e,
                   const QuestionView& qv, bool nested, bool bound) {
  const core::Question& q = *qv.q;
  auto* qd = bd.AddSectionDictionary("QUESTION");
  qd->SetValue("QID", q.id);
  qd->SetValue("QTITLE", q.title.empty() ? display_name(e) : q.title);
  qd->ShowSection(nested ? "QH3" : "QH2");
  const bool ranked = core::method_is_ranked(q.method);
  if (bound || !qv.stored) qd->ShowSection("NOT_STORED");
  if (!bound && !qv.stored) return;
  if (bound || qv.groups.empty()) qd->ShowSection("BLANK");
  std::vector<std::pair<int, std::vector<const core::Answer*>>> groups = qv.groups;
  std::vector<const core::Answer*> rest = qv.rest;
  if (bound) {
    groups.clear();
    rest.clear();
    const int top = ranked ? static_cast<int>(q.answers.size()) : 1;
    for (const auto& a : q.answers) {
      groups.push_back({top, {&a, &a}});  // two: the tie mark shows
      rest.push_back(&a);
    }
  }
  if (!groups.empty()) {
    auto* ld = qd->AddSectionDictionary(ranked ? "RANKING" : "CHOSEN");
    for (const auto& [rank, answers] : groups) {
      if (ranked) {
        auto* g = ld->AddSectionDictionary("GROUP");
        g->SetIntValue("RANK", rank);
        // A bound group lists its answer once, with the tie mark.
        const size_t shown = bound ? 1 : answers.size();
        for (size_t i = 0; i < shown; ++i) {
          auto* m = g->AddSectionDictionary("MEMBER");
          m->SetValue("AID", answers[i]->id);
          m->SetValue("ANSWER", answer_name(*answers[i]));
        }
        if (answers.size() > 1) g->ShowSection("TIED");
      } else {
        auto* m = ld->AddSectionDictionary("CHOSEN_ROW");
        m->SetValue("AID", answers[0]->id);
        m->SetValue("ANSWER", answer_name(*answers[0]));
        if (!bound)
          for (size_t i = 1; i < answers.size(); ++i) {
            auto* m2 = ld->AddSectionDictionary("CHOSEN_ROW");
            m2->SetValue("AID", answers[i]->id);
            m2->SetValue("ANSWER", answer_name(*answers[i]));
          }
      }
    }
  }
  if (!rest.empty()) {
    auto* r = qd->AddSectionDictionary(ranked ? "UNRANKED" : "NOT_CHOSEN");
    for (const core::Answer* a : rest)
      r->AddSectionDictionary("REST")->SetValue("ANSWER", answer_name(*a));
  }
}

// The longest text a block can show instead of a ballot, in the request's
// language (the bound of a page in that language).
std::string longest_status(const Context& ctx) {
  std::string best;
  for (auto o : {store::CastOutcome::kNotVoted, store::CastOutcome::kWrongPasscode,
                 store::CastOutcome::kLinkErased, store::CastOutcome::kTooManyAttempts})
    if (block_status(ctx, o).size() > best.size()) best = block_status(ctx, o);
  return best;
}

// The view page of `page_e`: the passcode form when blocks is null, else
// the blocks (with `bound`, each at its upper bound). Returns the body's size.
size_t render_stored(Context& ctx, const core::Election& page_e,
                     const std::vector<BlockView>* blocks, const std::string& passcode,
                     const std::string& message, int status, bool bound = false) {
  Page page(ctx, "view_ballot", about(ctx, N_("Your ballot · {election}"), page_e));
  auto& d = page.body();
  fill_summary(d, ctx, page_e);
  const bool process = page_e.is_parent();
  d.ShowSection(process ? "MANY" : "ONE");
  d.SetValue("ACTION", ctx.url(election_path(page_e.id)) + "/ballot");
  d.SetValue("CSRF", ctx.csrf());
  if (!message.empty()) d.AddSectionDictionary("MESSAGE")->SetValue("TEXT", message);
  if (!blocks) {
    auto* ad = d.AddSectionDictionary("ASK");
    if (process) ad->ShowSection("ASK_PROCESS");
    page.finish(status);
    return ctx.res.body.size();
  }
  auto* sd = d.AddSectionDictionary("SHOWN");
  for (const BlockView& b : *blocks) {
    const core::Election& e = *b.e;
    auto* bd = sd->AddSectionDictionary("BLOCK");
    bd->SetValue("BID", e.id);
    if (process) bd->AddSectionDictionary("BLOCK_NAME")->SetValue("BNAME", display_name(e));
    if (bound || !b.status.empty())
      bd->AddSectionDictionary("BLOCK_STATUS")
          ->SetValue("BSTATUS", bound ? longest_status(ctx) : b.status);
    if (!bound && !b.status.empty()) continue;
    for (const QuestionView& qv : b.questions) fill_question(*bd, e, qv, process, bound);
    if (bound ? e.receipts : !b.receipt.empty())
      bd->AddSectionDictionary("RECEIPT")->SetValue(
          "RECEIPT_CODE", bound ? crypto::generate_passcode() : b.receipt);
    if (core::phase_at(e, ctx.now) == core::Phase::kRunning) {
      // Changing starts from the stored ballot: the same form posted again
      // with action=change opens the booth filled in (the passcode goes back
      // in the POST body only, never in a URL).
      auto* cd = bd->AddSectionDictionary("CHANGE");
      cd->SetValue("CHANGE_ACTION", ctx.url(election_path(e.id)) + "/ballot");
      cd->SetValue("PASSCODE", passcode);
    }
  }
  page.finish(status);
  return ctx.res.body.size();
}

// Blocks for the bound: every question of every block (the content does
// not matter, fill_question replaces it).
std::vector<BlockView> bound_blocks(const std::vector<BlockView>& blocks) {
  std::vector<BlockView> out;
  for (const BlockView& b : blocks) {
    BlockView x;
    x.e = b.e;
    for (const auto& q : b.e->questions) {
      QuestionView qv;
      qv.q = &q;
      x.questions.push_back(qv);
    }
    out.push_back(std::move(x));
  }
  return out;
}

// The view page, padded with spaces after </html> to the election's upper
// bound, so that its length (which the web server logs) does not tell the
// ballot (docs/voting.md "Message length").
void render_view(Context& ctx, const core::Election& page_e, const std::vector<BlockView>* blocks,
                 const std::string& passcode, const std::string& message, int status) {
  if (!blocks) {
    render_stored(ctx, page_e, nullptr, passcode, message, status);
    return;
  }
  const auto bounds = bound_blocks(*blocks);
  const size_t target = render_stored(ctx, page_e, &bounds, passcode, message, status, true);
  const size_t size = render_stored(ctx, page_e, blocks, passcode, message, status);
  if (size < target) ctx.res.body.append(target - size, ' ');
}

// ---------------------------------------------------------------------------
// After a ballot is stored (or found stored from this very page): a GET
// page (303), or, inside a process with its passcode carried, the next
// child's booth (a POST answer: sending it again is the same submission,
// so it changes nothing); after the last child, 303 to the process's page.
void after_cast(Context& ctx, const core::Snapshot& snap, const core::Election& e,
                const Carry* carry, bool again, bool recast) {
  if (carry)
    if (const core::Election* p = snap.find(e.parent)) {
      if (const core::Election* n = next_child(ctx, snap, *p)) {
        require_ballot_key(ctx.cfg, *n);
        BoothInput in;
        in.carry = carry;
        in.passcode = carry->passcode;
        in.notices.push_back(about(ctx, again ? kStoredAgainMessage : kStoredInMessage, e));
        return render_booth(ctx, *n, false, in, 200);
      }
      return ctx.res.redirect(ctx.url(election_path(p->id)) + "/voted" + (again ? "?again=1" : ""),
                              303);
    }
  ctx.res.redirect(ctx.url(election_path(e.id)) + "/voted" +
                       (again    ? "?again=1"
                        : recast ? "?changed=1"
                                 : ""),
                   303);
}

// POST /elections/{child}/vote with step=start, from the parent's booth:
// checks the process passcode (a new one: long enough and "written down";
// once some child is voted: it must open at least one of those ballots)
// and opens the first child not voted yet with it carried.
void start_process(Context& ctx) {
  const core::Snapshot& snap = ctx.snapshot();
  const core::Election& e = *ctx.election;
  const core::Election* parent = e.is_child() ? snap.find(e.parent) : nullptr;
  if (!parent)
    throw BadRequest(N_("Only an election of a process starts from the process's booth."));
  require_running(ctx, e);
  const std::string typed = ctx.req.f("passcode");
  const std::string passcode = crypto::normalize_passcode(typed);
  BoothInput in;
  in.passcode = typed;
  in.saved = ctx.req.f(kSavedField) == kSavedValue;
  in.generated = is_generated_passcode(ctx.cfg, ctx.session.login, parent->id, passcode,
                                       ctx.req.f("passcode_sig"));
  const auto voted = voted_children(ctx, snap, *parent);
  if (voted.empty()) {
    if (auto problem = passcode_problem(passcode, ctx.cfg.passcode_min_length))
      in.errors.push_back(*problem);
    if (!in.saved) in.errors.push_back(form_error("", kNotSavedMessage));
  } else if (passcode.empty()) {
    in.errors.push_back(form_error("", N_("Enter the passcode you used in this process.")));
  }
  if (!in.errors.empty()) return render_parent(ctx, snap, *parent, in, 400);
  std::vector<std::string> notices;
  bool generated = in.generated, opened = voted.empty();
  for (const core::Election* c : voted) {
    store::ViewResult v;
    try {
      v = store::view_ballot(ctx.db(), c->id, ctx.session.login, passcode, kdf_params(ctx.cfg),
                             attempt_limit(ctx));
    } catch (const crypto::KdfBusy&) {
      ctx.res.header("Retry-After", std::to_string(kKdfBusyRetryAfter));
      in.errors.push_back(form_error("", kKdfBusyMessage));
      return render_parent(ctx, snap, *parent, in, 503);
    }
    if (v.outcome == store::CastOutcome::kStored) {
      opened = true;
      generated = generated || v.generated;  // urna's own passcode: HKDF
    } else if (v.outcome == store::CastOutcome::kWrongPasscode) {
      note_attempt(ctx, *c, v.outcome, 0, "process");
      notices.push_back(about(ctx, kOtherPasscodeMessage, *c));
    } else if (v.outcome == store::CastOutcome::kTooManyAttempts) {
      notices.push_back(about(ctx, kTooManyInMessage, *c));
    }
  }
  if (!opened) {
    in.passcode.clear();
    in.errors.push_back(form_error("", kProcessOpensNoneMessage));
    return render_parent(ctx, snap, *parent, in, 403);
  }
  const core::Election* next = next_child(ctx, snap, *parent);
  if (!next) return ctx.res.redirect(ctx.url(election_path(parent->id)) + "/voted", 303);
  require_ballot_key(ctx.cfg, *next);
  Carry carry{typed, generated ? generated_passcode_signature(ctx.cfg, ctx.session.login,
                                                              parent->id, passcode)
                               : ""};
  BoothInput b;
  b.carry = &carry;
  b.passcode = typed;
  b.notices = notices;
  render_booth(ctx, *next, false, b, 200);
}

}  // namespace

void vote_page(Context& ctx) {
  const core::Snapshot& snap = ctx.snapshot();
  const core::Election& e = *ctx.election;
  require_running(ctx, e);
  if (e.is_parent()) return render_parent(ctx, snap, e, BoothInput{}, 200);
  require_eligible(ctx, snap, e);
  require_ballot_key(ctx.cfg, e);  // no key: the booth does not open (503)
  const bool voted = store::has_voted(ctx.db(), e.id, ctx.session.login);
  render_booth(ctx, e, voted, BoothInput{}, 200);
}

void vote_submit(Context& ctx) {
  if (ctx.req.f(kStepField) == kStepStart) return start_process(ctx);
  const core::Snapshot& snap = ctx.snapshot();
  const core::Election& e = *ctx.election;
  require_running(ctx, e);
  require_eligible(ctx, snap, e);
  const BallotKey key = require_ballot_key(ctx.cfg, e);
  const BallotForm form = parse_ballot_form(ctx.req.form, e);
  const std::string typed = ctx.req.f("passcode");
  const std::string passcode = crypto::normalize_passcode(typed);
  Carry carry{typed, ctx.req.f("passcode_sig")};
  const bool carried = e.is_child() && ctx.req.f(kCarryField) == kCarryValue;
  bool voted = store::has_voted(ctx.db(), e.id, ctx.session.login);
  BoothInput in;
  in.form = &form;
  in.passcode = typed;
  in.generated = generated_for(ctx, e, passcode, ctx.req.f("passcode_sig"));
  in.saved = ctx.req.f(kSavedField) == kSavedValue;
  in.carry = carried ? &carry : nullptr;
  if (!voted) {
    if (auto problem = passcode_problem(passcode, ctx.cfg.passcode_min_length))
      in.errors.push_back(*problem);
    if (!in.saved) in.errors.push_back(form_error("", kNotSavedMessage));
  }
  if (voted && passcode.empty()) in.errors.push_back(form_error("", kEnterPasscodeMessage));
  if (!form.ok() || !in.errors.empty()) return render_booth(ctx, e, voted, in, 400);

  store::CastRequest req;
  req.election_id = e.id;
  req.login = ctx.session.login;
  req.passcode = passcode;
  req.parts = form.parts();
  req.receipt = e.receipts;
  req.submission = submission_of(ctx);
  req.kdf = kdf_params(ctx.cfg);
  req.generated_passcode = in.generated;
  req.ballot_key = key.raw;
  req.padded_size = core::padded_ballot_size(e);
  req.closes_at = e.end;
  req.clock = [&ctx] { return ctx.clock_now(); };
  req.attempts = attempt_limit(ctx);
  store::CastResult result;
  bool recast = voted;
  try {
    if (!voted) {
      result = store::cast_ballot(ctx.db(), req);
      // Another request of the same voter won the race (a double click of
      // a page without a submission id, or two booth pages): the same
      // passcode makes this submission a re-cast of that ballot.
      if (result.outcome == store::CastOutcome::kAlreadyVoted) recast = true;
    }
    if (recast) result = store::recast_ballot(ctx.db(), req);
  } catch (const crypto::KdfBusy&) {
    // Nothing was derived or stored: the booth again, with the voter's
    // input, and when to come back.
    ctx.res.header("Retry-After", std::to_string(kKdfBusyRetryAfter));
    in.errors.push_back(form_error("", kKdfBusyMessage));
    return render_booth(ctx, e, voted, in, 503);
  }
  if (result.outcome == store::CastOutcome::kClosed)
    throw Forbidden(N_("Voting closed while your ballot was being stored, so it was not accepted "
                       "and nothing was changed. Voting in {election} closed on {date} at {time} "
                       "UTC."),
                    election_at(ctx, e, e.end));
  if (result.outcome == store::CastOutcome::kSameSubmission)
    return after_cast(ctx, snap, e, in.carry, true, recast);
  if (result.outcome != store::CastOutcome::kStored) {
    note_attempt(ctx, e, result.outcome, result.retry_after, "re-cast");
    in.errors.push_back(form_error("", outcome_message(result.outcome)));
    in.passcode.clear();
    return render_booth(ctx, e, true, in, outcome_status(result.outcome));
  }
  after_cast(ctx, snap, e, in.carry, false, recast);
}

void voted_page(Context& ctx) { render_voted(ctx, ctx.snapshot(), *ctx.election); }

void ballot_page(Context& ctx) {
  const core::Election& e = *ctx.election;
  render_view(ctx, e, nullptr, "", "", 200);
}

namespace {

// POST /elections/{parent}/ballot: the one passcode opens each child the
// voter voted in with it; the others are listed with why not.
void process_ballot_view(Context& ctx, const core::Election& parent, const std::string& passcode) {
  const core::Snapshot& snap = ctx.snapshot();
  auto mine = snap.children_for(parent, ctx.session.login);
  if (mine.empty()) not_on_voter_list_of_process(ctx);
  std::vector<BlockView> blocks;
  bool any_opened = false, any_voted = false;
  for (const core::Election* c : mine) {
    store::ViewResult v;
    try {
      v = store::view_ballot(ctx.db(), c->id, ctx.session.login, passcode, kdf_params(ctx.cfg),
                             attempt_limit(ctx));
    } catch (const crypto::KdfBusy&) {
      ctx.res.header("Retry-After", std::to_string(kKdfBusyRetryAfter));
      return render_view(ctx, parent, nullptr, "", ctx.tr(kKdfBusyMessage), 503);
    }
    if (v.outcome == store::CastOutcome::kStored) {
      any_opened = true;
      blocks.push_back(shown_block(*c, v));
      continue;
    }
    if (v.outcome != store::CastOutcome::kNotVoted) any_voted = true;
    if (v.outcome == store::CastOutcome::kWrongPasscode)
      note_attempt(ctx, *c, v.outcome, 0, "view");
    BlockView b;
    b.e = c;
    b.status = block_status(ctx, v.outcome);
    blocks.push_back(std::move(b));
  }
  if (!any_opened)
    return render_view(ctx, parent, nullptr, "",
                       any_voted ? ctx.tr("That passcode does not open any of your ballots in "
                                          "this process.")
                                 : ctx.tr("You have not voted in any election of this process "
                                          "yet."),
                       any_voted ? 403 : 404);
  render_view(ctx, parent, &blocks, ctx.req.f("passcode"), "", 200);
}

}  // namespace

void ballot_view(Context& ctx) {
  const core::Election& e = *ctx.election;
  const std::string passcode = crypto::normalize_passcode(ctx.req.f("passcode"));
  if (passcode.empty())
    return render_view(ctx, e, nullptr, "", ctx.tr("Enter the passcode you chose when you voted."),
                       400);
  if (e.is_parent()) {
    if (ctx.req.f("action") == "change")
      throw BadRequest(N_("Change each election's ballot from its own part of this page."));
    return process_ballot_view(ctx, e, passcode);
  }
  store::ViewResult v;
  try {
    v = store::view_ballot(ctx.db(), e.id, ctx.session.login, passcode, kdf_params(ctx.cfg),
                           attempt_limit(ctx));
  } catch (const crypto::KdfBusy&) {
    ctx.res.header("Retry-After", std::to_string(kKdfBusyRetryAfter));
    return render_view(ctx, e, nullptr, "", ctx.tr(kKdfBusyMessage), 503);
  }
  if (v.outcome != store::CastOutcome::kStored) {
    note_attempt(ctx, e, v.outcome, v.retry_after, "view");
    return render_view(ctx, e, nullptr, "", ctx.tr(outcome_message(v.outcome)),
                       outcome_status(v.outcome));
  }
  if (ctx.req.f("action") == "change") {
    require_running(ctx, e);
    require_eligible(ctx, ctx.snapshot(), e);
    require_ballot_key(ctx.cfg, e);
    BallotForm stored;
    stored.questions = decode_parts(v.parts);
    BoothInput in;
    in.form = &stored;
    in.passcode = ctx.req.f("passcode");
    return render_booth(ctx, e, true, in, 200);
  }
  const std::vector<BlockView> blocks{shown_block(e, v)};
  render_view(ctx, e, &blocks, ctx.req.f("passcode"), "", 200);
}

}  // namespace urna::web
