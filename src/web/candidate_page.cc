// GET /elections/{id}/candidates/{cid}: one candidate — name, the info
// fields the election shows (show_candidate_fields) and the rendered bio.
// Public. An unknown candidate is 404 (the loop already 404s an unknown
// election).
#include "web/context.h"
#include "web/election_view.h"
#include "web/http_error.h"
#include "web/pages.h"

namespace urna::web {

void candidate_page(Context& ctx) {
  const core::Election& e = *ctx.election;
  const std::string& cid = ctx.params["cid"];
  const core::Candidate* c = nullptr;
  for (const auto& cand : e.candidates)
    if (cand.id == cid) c = &cand;
  if (!c) throw NotFound(N_("There is no such candidate in this election."));

  const std::string name = c->name.empty() ? c->id : c->name;
  // TRANSLATORS: the window title of a candidate's page.
  Page page(ctx, "candidate", i18n::format(ctx.tr("{candidate} · {election}"),
                                           {{"candidate", name},
                                            {"election", e.name.empty() ? e.id : e.name}}));
  auto& d = page.body();
  fill_summary(d, ctx, e);  // the election's NAME, URL, dates
  d.SetValue("CID", c->id);
  d.SetValue("CANDIDATE_NAME", name);
  for (const auto& kv : shown_fields(e, *c)) {
    auto* f = d.AddSectionDictionary("FIELD");
    f->SetValue("KEY", kv.first);
    f->SetValue("VALUE", kv.second);
    f->ShowSection(looks_like_url(kv.second) ? "LINK" : "TEXT");
  }
  if (c->bio_html.empty()) d.ShowSection("NO_BIO");
  d.SetValue("BIO", c->bio_html);  // sanitized by cmark in src/meta
  page.finish();
}

}  // namespace urna::web
