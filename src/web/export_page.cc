// GET /elections/{id}/ballots.csv and /ballots.blt: the anonymized,
// shuffled ballot export that urna-tally stored with the results (Elekto's
// CSV, BLT for ranked questions; docs/results.md). For the election's
// officers, and for everyone when the election sets public_ballots; in
// both cases only when its results may be seen (results_page.cc). The
// files themselves are data (ids, ranks, Elekto's "No opinion"), never
// translated; the refusals are msgids that the error page translates.
#include "store/results_store.h"
#include "web/context.h"
#include "web/http_error.h"
#include "web/pages.h"

namespace urna::web {

namespace {

// "steering/2026" → "steering-2026"; only safe characters in the header.
std::string file_stem(const std::string& id) {
  std::string out;
  for (char c : id) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.';
    out += safe ? c : '-';
  }
  return out;
}

void send_export(Context& ctx, bool blt) {
  const core::Election& e = *ctx.election;
  require_results_visible(ctx, e);
  if (!ballots_allowed(ctx, e))
    throw Forbidden(ctx.session.logged_in()
                        ? N_("The ballots of this election are available to its officers only.")
                        : N_("The ballots of this election are available to its officers only; "
                             "officers, please sign in."));
  auto stored = store::load_results(ctx.db(), e.id);
  if (!stored)
    throw NotFound(
        N_("The ballots of this election have not been exported yet: urna-tally "
           "exports them when it counts the election."));
  if (blt && stored->ballots_blt.empty())
    throw NotFound(N_("This election has no ranked question, so there is no BLT file."));
  ctx.res.status = 200;
  ctx.res.content_type = blt ? "text/plain; charset=utf-8" : "text/csv; charset=utf-8";
  ctx.res.header("Content-Disposition", "attachment; filename=\"" + file_stem(e.id) + "-ballots." +
                                            (blt ? "blt" : "csv") + "\"");
  ctx.res.body = blt ? stored->ballots_blt : stored->ballots_csv;
}

}  // namespace

void ballots_csv_page(Context& ctx) { send_export(ctx, false); }
void ballots_blt_page(Context& ctx) { send_export(ctx, true); }

}  // namespace urna::web
