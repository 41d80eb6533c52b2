// The booth and the voter's ballot (DESIGN.md §4, §5):
//   GET  /elections/{id}/vote    the booth (a parent: the voter's children)
//   POST /elections/{id}/vote    cast, or re-cast with the passcode
//   GET  /elections/{id}/ballot  ask for the passcode
//   POST /elections/{id}/ballot  show the stored ballot
// Login, CSRF and the election are enforced by the route table; these
// handlers check what the table cannot: running (the end second itself is
// closed), eligible, the ballot itself (ballot_form.h). A full scrypt gate
// (crypto/kdf_gate.h) answers 503 with Retry-After and the voter's input; too
// many wrong passcodes (store/attempt_store.h) 429 with Retry-After. Nothing
// here logs a ballot or a passcode.
#include <algorithm>
#include <map>
#include <random>

#include "core/ballot_plaintext.h"
#include "core/time_util.h"
#include "crypto/crypto.h"
#include "crypto/kdf_gate.h"
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
    "Many voters are submitting passcodes of their own right now, and checking one takes a "
    "moment. Nothing was stored or changed: please submit again in a few seconds.";

store::AttemptLimit attempt_limit(const Context& ctx) {
  return store::AttemptLimit{ctx.cfg.passcode_attempts_per_hour, ctx.now};
}

std::string display_name(const core::Election& e) { return e.name.empty() ? e.id : e.name; }
std::string answer_name(const core::Answer& a) { return a.text.empty() ? a.id : a.text; }

// Voting is open at ctx.now (UTC, to the second; the end second is closed).
void require_running(const Context& ctx, const core::Election& e) {
  switch (core::phase_at(e, ctx.now)) {
    case core::Phase::kUpcoming:
      throw Forbidden("Voting in " + display_name(e) + " opens at " + core::format_utc(e.start) +
                      ".");
    case core::Phase::kClosed:
      throw Forbidden("Voting in " + display_name(e) + " closed at " + core::format_utc(e.end) +
                      ". Ballots are no longer accepted or changed.");
    case core::Phase::kRunning:
      break;
  }
}

void require_eligible(const Context& ctx, const core::Snapshot& snap, const core::Election& e) {
  if (e.is_parent())
    throw BadRequest(
        "You vote in the elections of this process one by one; "
        "open its voting page to see yours.");
  if (!snap.eligible(e, ctx.session.login))
    throw Forbidden("You (" + ctx.session.login +
                    ") are not on the voter list of this election, so you cannot vote in it.");
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

// What the booth shows again after a refused submission.
struct BoothInput {
  const BallotForm* form = nullptr;
  std::string passcode;
  bool generated = false;         // `passcode` is urna's signed suggestion
  std::vector<FormError> errors;  // besides form->errors
};

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
    none->SetValue("L", e.allow_no_opinion ? "no opinion" : "choose");
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
  cd->SetIntValue("MIN", q.min_selections);
  if (q.min_selections > 0) cd->ShowSection("HAS_MIN");
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

// The booth: status 200, or 400/403 with the messages of a refused ballot.
void render_booth(Context& ctx, const core::Election& e, bool voted, const BoothInput& in,
                  int status) {
  Page page(ctx, "vote", "Vote · " + display_name(e));
  auto& d = page.body();
  fill_summary(d, ctx, e);
  d.SetValue("ACTION", ctx.url(election_path(e.id)) + "/vote");
  d.SetValue("BALLOT_URL", ctx.url(election_path(e.id)) + "/ballot");
  d.SetValue("CSRF", ctx.csrf());
  d.SetIntValue("PAD_TO", static_cast<long>(longest_answer_fields(e)));
  d.ShowSection("BOOTH");
  d.SetValue("STATIC", ctx.cfg.static_url);  // include dictionaries inherit no values
  std::vector<FormError> errors = in.errors;
  if (in.form) errors.insert(errors.end(), in.form->errors.begin(), in.form->errors.end());
  if (!errors.empty()) {
    auto* ed = d.AddSectionDictionary("ERRORS");
    for (const auto& err : errors)
      ed->AddSectionDictionary("ERROR")->SetValue("MESSAGE", err.message);
  }
  if (e.is_child())
    if (const core::Election* p = ctx.snapshot().find(e.parent)) {
      auto* pd = d.AddSectionDictionary("IN_PARENT");
      pd->SetValue("PARENT_NAME", display_name(*p));
      pd->SetValue("PARENT_VOTE_URL", ctx.url(election_path(p->id)) + "/vote");
    }
  for (size_t qi = 0; qi < e.questions.size(); ++qi) {
    const core::Question& q = e.questions[qi];
    auto* qd = d.AddSectionDictionary("QUESTION");
    qd->SetValue("QID", q.id);
    qd->SetValue("QTITLE", q.title.empty() ? display_name(e) : q.title);
    qd->SetValue("METHOD", ballot_instruction(q));  // election_view.h
    qd->SetValue("METHOD_ID", core::method_name(q.method));
    if (!q.description_html.empty())  // sanitized by cmark in src/meta
      qd->AddSectionDictionary("QDESC")->SetValue("QDESC_HTML", q.description_html);
    for (const auto& err : errors)
      if (err.question_id == q.id)
        qd->AddSectionDictionary("QERROR")->SetValue("QMESSAGE", err.message);
    if (core::method_is_ranked(q.method))
      fill_ranked(*qd, e, q, qi, ctx, in);
    else
      fill_choices(*qd, e, q, qi, ctx, in);
  }
  if (voted) {
    auto* r = d.AddSectionDictionary("RECAST");
    r->SetValue("PASSCODE", in.passcode);
  } else {
    auto* n = d.AddSectionDictionary("NEW_PASSCODE");
    const std::string suggested = in.passcode.empty() ? crypto::generate_passcode() : in.passcode;
    n->SetValue("PASSCODE", suggested);
    n->SetIntValue("MIN_LENGTH", ctx.cfg.passcode_min_length);
    // Signed, so that the submission can show the passcode is urna's own
    // (>= 100 bits: HKDF) and not one the voter chose (scrypt). A passcode
    // shown again after an error is signed only if it was urna's.
    if (in.passcode.empty() || in.generated)
      n->SetValue("PASSCODE_SIG",
                  generated_passcode_signature(ctx.cfg, ctx.session.login, e.id,
                                               crypto::normalize_passcode(suggested)));
  }
  if (e.receipts) d.ShowSection("RECEIPTS");
  page.finish(status);
}

// A parent's booth: the voter's children in natural order, and where to go
// next.
void render_parent(Context& ctx, const core::Snapshot& snap, const core::Election& e) {
  auto mine = snap.children_for(e, ctx.session.login);
  if (mine.empty())
    throw Forbidden("You (" + ctx.session.login +
                    ") are not on the voter list of any election in this process.");
  Page page(ctx, "vote", "Vote · " + display_name(e));
  auto& d = page.body();
  fill_summary(d, ctx, e);
  auto* pd = d.AddSectionDictionary("PARENT_BOOTH");
  const core::Election* next = nullptr;
  int step = 0;
  for (const core::Election* c : mine) {
    auto* cd = pd->AddSectionDictionary("STEP");
    cd->SetIntValue("STEP_NO", ++step);
    cd->SetValue("STEP_NAME", display_name(*c));
    cd->SetValue("STEP_URL", ctx.url(election_path(c->id)) + "/vote");
    const bool open = core::phase_at(*c, ctx.now) == core::Phase::kRunning;
    const bool voted = store::has_voted(ctx.db(), c->id, ctx.session.login);
    if (voted)
      cd->ShowSection("STEP_VOTED");
    else if (!open)
      cd->ShowSection("STEP_CLOSED");
    else
      cd->ShowSection("STEP_TODO");
    if (!voted && open && !next) next = c;
  }
  if (next) {
    auto* nd = pd->AddSectionDictionary("NEXT");
    nd->SetValue("NEXT_NAME", display_name(*next));
    nd->SetValue("NEXT_URL", ctx.url(election_path(next->id)) + "/vote");
  } else {
    pd->ShowSection("ALL_DONE");
  }
  page.finish();
}

void render_voted(Context& ctx, const core::Snapshot& snap, const core::Election& e,
                  const store::CastResult& result, bool recast, const std::string& passcode) {
  Page page(ctx, "voted", "Voted · " + display_name(e));
  auto& d = page.body();
  fill_summary(d, ctx, e);
  d.ShowSection(recast ? "RECAST" : "FIRST");
  d.SetValue("PASSCODE", passcode);
  d.SetValue("BALLOT_URL", ctx.url(election_path(e.id)) + "/ballot");
  if (!result.receipt.empty())
    d.AddSectionDictionary("RECEIPT")->SetValue("RECEIPT_CODE", result.receipt);
  if (e.is_child())
    if (const core::Election* p = snap.find(e.parent)) {
      auto* pd = d.AddSectionDictionary("IN_PARENT");
      pd->SetValue("PARENT_NAME", display_name(*p));
      pd->SetValue("PARENT_URL", ctx.url(election_path(p->id)) + "/vote");
      if (const core::Election* n = next_child(ctx, snap, *p)) {
        auto* nd = pd->AddSectionDictionary("NEXT");
        nd->SetValue("NEXT_NAME", display_name(*n));
        nd->SetValue("NEXT_URL", ctx.url(election_path(n->id)) + "/vote");
      } else {
        pd->ShowSection("ALL_DONE");
      }
    }
  page.finish();
}

std::string outcome_message(store::CastOutcome o) {
  switch (o) {
    case store::CastOutcome::kWrongPasscode:
      return "That passcode does not open your ballot. Nothing was changed.";
    case store::CastOutcome::kNotVoted:
      return "You have not voted in this election yet.";
    case store::CastOutcome::kLinkErased:
      return "The link between you and your ballot has been erased, as this election "
             "asks once its results are stored; nobody, not even you, can open it now.";
    case store::CastOutcome::kAlreadyVoted:
      return "You have already voted in this election.";
    case store::CastOutcome::kClosed:
      return "Voting closed while your ballot was being stored, so it was not accepted "
             "and nothing was changed.";
    case store::CastOutcome::kTooManyAttempts:
      return "Too many wrong passcodes for this ballot in the last hour. Nothing was opened "
             "or changed; you can try again after the hour is over.";
    case store::CastOutcome::kStored:
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

// The view page with `stored` (question id -> marks; a question missing from
// it has no answer stored), or the passcode form when stored is null.
// Returns the size of the body.
size_t render_stored(Context& ctx, const core::Election& e,
                     const std::map<std::string, Marks>* stored, const std::string& passcode,
                     const std::string& message, int status) {
  Page page(ctx, "view_ballot", "Your ballot · " + display_name(e));
  auto& d = page.body();
  fill_summary(d, ctx, e);
  d.SetValue("ACTION", ctx.url(election_path(e.id)) + "/ballot");
  d.SetValue("CSRF", ctx.csrf());
  if (!message.empty()) d.AddSectionDictionary("MESSAGE")->SetValue("TEXT", message);
  const bool running = core::phase_at(e, ctx.now) == core::Phase::kRunning;
  if (!stored) {
    d.ShowSection("ASK");
    page.finish(status);
    return ctx.res.body.size();
  }
  auto* sd = d.AddSectionDictionary("SHOWN");
  if (running) {
    // Changing starts from the stored ballot: the same form posted again
    // with action=change opens the booth filled in (the passcode goes back
    // in the POST body only, never in a URL).
    auto* cd = sd->AddSectionDictionary("CHANGE");
    cd->SetValue("PASSCODE", passcode);
  }
  for (const auto& q : e.questions) {
    auto* qd = sd->AddSectionDictionary("QUESTION");
    qd->SetValue("QID", q.id);
    qd->SetValue("QTITLE", q.title.empty() ? display_name(e) : q.title);
    auto it = stored->find(q.id);
    if (it == stored->end()) {
      qd->ShowSection("NOT_STORED");
      continue;
    }
    std::map<std::string, int> ranks(it->second.begin(), it->second.end());
    std::vector<const core::Answer*> marked, rest;
    for (const auto& a : q.answers) (ranks.count(a.id) ? marked : rest).push_back(&a);
    std::stable_sort(
        marked.begin(), marked.end(),
        [&](const core::Answer* a, const core::Answer* b) { return ranks[a->id] < ranks[b->id]; });
    const bool ranked = core::method_is_ranked(q.method);
    if (marked.empty()) qd->ShowSection("BLANK");
    for (const core::Answer* a : marked) {
      auto* m = qd->AddSectionDictionary(ranked ? "RANKED_ROW" : "CHOSEN_ROW");
      m->SetValue("ANSWER", answer_name(*a));
      m->SetValue("AID", a->id);
      m->SetIntValue("RANK", ranks[a->id]);
    }
    if (!rest.empty()) {
      auto* r = qd->AddSectionDictionary(ranked ? "UNRANKED" : "NOT_CHOSEN");
      for (const core::Answer* a : rest)
        r->AddSectionDictionary("REST")->SetValue("ANSWER", answer_name(*a));
    }
  }
  page.finish(status);
  return ctx.res.body.size();
}

// The largest view page of any ballot of `e` (docs/voting.md "Message
// length"). A question's part of the page depends only on its own marks,
// and each answer shows either as a marked row (longest with the widest
// rank) or in the "no opinion" list: so the largest page has, per question,
// the largest of: every answer marked, every answer but one, only one, none,
// nothing stored. Rendered, not estimated, so templates can change freely.
size_t largest_view(Context& ctx, const core::Election& e, const std::string& passcode,
                    int status) {
  std::map<std::string, Marks> base;
  for (const auto& q : e.questions) base[q.id] = {};
  const size_t blank = render_stored(ctx, e, &base, passcode, "", status);
  size_t largest = blank;
  for (const auto& q : e.questions) {
    const int top = core::method_is_ranked(q.method) ? static_cast<int>(q.answers.size()) : 1;
    size_t best = blank;
    auto variant = base;
    auto measure = [&](const Marks* m) {
      if (m)
        variant[q.id] = *m;
      else
        variant.erase(q.id);
      best = std::max(best, render_stored(ctx, e, &variant, passcode, "", status));
    };
    Marks all;
    for (const auto& a : q.answers) all.emplace_back(a.id, top);
    measure(&all);
    measure(nullptr);
    for (size_t skip = 0; skip < q.answers.size(); ++skip) {
      Marks but_one, only_one{{q.answers[skip].id, top}};
      for (size_t i = 0; i < q.answers.size(); ++i)
        if (i != skip) but_one.emplace_back(q.answers[i].id, top);
      measure(&but_one);
      measure(&only_one);
    }
    largest += best - blank;
  }
  return largest;
}

void render_view(Context& ctx, const core::Election& e, const store::ViewResult* found,
                 const std::string& passcode, const std::string& message, int status) {
  if (!found) {
    render_stored(ctx, e, nullptr, passcode, message, status);
    return;
  }
  // Padded to the size of the election's largest view page, so that the
  // response's length (which the web server logs) does not tell the ballot.
  const size_t target = largest_view(ctx, e, passcode, status);
  std::map<std::string, Marks> stored;
  for (auto& q : decode_parts(found->parts)) stored[q.question_id] = q.marks;
  const size_t size = render_stored(ctx, e, &stored, passcode, message, status);
  if (size < target) ctx.res.body.append(target - size, ' ');
}

}  // namespace

void vote_page(Context& ctx) {
  const core::Snapshot& snap = ctx.snapshot();
  const core::Election& e = *ctx.election;
  require_running(ctx, e);
  if (e.is_parent()) return render_parent(ctx, snap, e);
  require_eligible(ctx, snap, e);
  require_ballot_key(ctx.cfg, e);  // no key: the booth does not open (503)
  const bool voted = store::has_voted(ctx.db(), e.id, ctx.session.login);
  render_booth(ctx, e, voted, BoothInput{}, 200);
}

void vote_submit(Context& ctx) {
  const core::Snapshot& snap = ctx.snapshot();
  const core::Election& e = *ctx.election;
  require_running(ctx, e);
  require_eligible(ctx, snap, e);
  const BallotKey key = require_ballot_key(ctx.cfg, e);
  const BallotForm form = parse_ballot_form(ctx.req.form, e);
  const std::string typed = ctx.req.f("passcode");
  const std::string passcode = crypto::normalize_passcode(typed);
  bool voted = store::has_voted(ctx.db(), e.id, ctx.session.login);
  BoothInput in;
  in.form = &form;
  in.passcode = typed;
  in.generated = is_generated_passcode(ctx.cfg, ctx.session.login, e.id, passcode,
                                       ctx.req.f("passcode_sig"));
  if (!voted)
    if (auto problem = passcode_problem(passcode, ctx.cfg.passcode_min_length))
      in.errors.push_back({"", *problem});
  if (voted && passcode.empty())
    in.errors.push_back({"", "Enter the passcode of your ballot to change it."});
  if (!form.ok() || !in.errors.empty()) return render_booth(ctx, e, voted, in, 400);

  store::CastRequest req;
  req.election_id = e.id;
  req.login = ctx.session.login;
  req.passcode = passcode;
  req.parts = form.parts();
  req.receipt = e.receipts;
  req.kdf = kdf_params(ctx.cfg);
  req.generated_passcode = in.generated;
  req.ballot_key = key.raw;
  req.padded_size = core::padded_ballot_size(e);
  req.closes_at = e.end;
  req.clock = [&ctx] { return ctx.clock_now(); };
  req.attempts = attempt_limit(ctx);
  store::CastResult result;
  try {
    if (!voted) {
      result = store::cast_ballot(ctx.db(), req);
      // Another request of the same voter won the race (a double click): the
      // same passcode makes this submission a re-cast of that ballot.
      if (result.outcome == store::CastOutcome::kAlreadyVoted) voted = true;
    }
    if (voted) result = store::recast_ballot(ctx.db(), req);
  } catch (const crypto::KdfBusy&) {
    // Nothing was derived or stored: the booth again, with the voter's
    // input, and when to come back.
    ctx.res.header("Retry-After", std::to_string(kKdfBusyRetryAfter));
    in.errors.push_back({"", kKdfBusyMessage});
    return render_booth(ctx, e, voted, in, 503);
  }
  if (result.outcome == store::CastOutcome::kClosed)
    throw Forbidden(outcome_message(result.outcome) + " Voting in " + display_name(e) +
                    " closed at " + core::format_utc(e.end) + ".");
  if (result.outcome != store::CastOutcome::kStored) {
    note_attempt(ctx, e, result.outcome, result.retry_after, "re-cast");
    in.errors.push_back({"", outcome_message(result.outcome)});
    in.passcode.clear();
    return render_booth(ctx, e, true, in, outcome_status(result.outcome));
  }
  render_voted(ctx, snap, e, result, voted, typed);
}

void ballot_page(Context& ctx) {
  const core::Election& e = *ctx.election;
  if (e.is_parent())
    throw NotFound("Ballots are cast in the elections of this process, not in it.");
  render_view(ctx, e, nullptr, "", "", 200);
}

void ballot_view(Context& ctx) {
  const core::Election& e = *ctx.election;
  if (e.is_parent())
    throw NotFound("Ballots are cast in the elections of this process, not in it.");
  const std::string passcode = crypto::normalize_passcode(ctx.req.f("passcode"));
  if (passcode.empty())
    return render_view(ctx, e, nullptr, "", "Enter the passcode you chose when you voted.", 400);
  store::ViewResult v;
  try {
    v = store::view_ballot(ctx.db(), e.id, ctx.session.login, passcode, kdf_params(ctx.cfg),
                           attempt_limit(ctx));
  } catch (const crypto::KdfBusy&) {
    ctx.res.header("Retry-After", std::to_string(kKdfBusyRetryAfter));
    return render_view(ctx, e, nullptr, "", kKdfBusyMessage, 503);
  }
  if (v.outcome != store::CastOutcome::kStored) {
    note_attempt(ctx, e, v.outcome, v.retry_after, "view");
    return render_view(ctx, e, nullptr, "", outcome_message(v.outcome), outcome_status(v.outcome));
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
  render_view(ctx, e, &v, ctx.req.f("passcode"), "", 200);
}

}  // namespace urna::web
