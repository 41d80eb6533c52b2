// GET /health: 200 "ok" only when the database answers and its schema is the
// one this build expects; 503 otherwise (for load balancers and monitors).
#include "store/db.h"
#include "store/migrate.h"
#include "web/context.h"
#include "web/log.h"
#include "web/pages.h"

namespace urna::web {

void health_page(Context& ctx) {
  ctx.res.content_type = "text/plain; charset=utf-8";
  int have = -1;
  try {
    have = store::schema_version(ctx.db());
  } catch (const store::DbError& e) {
    // Why, for the operator (a TLS certificate refused, a wrong password...);
    // the visitor sees only that the database is unavailable.
    log_line("error", "health: database: " + std::string(e.what()));
    ctx.worker.db.reset();
    ctx.res.status = 503;
    ctx.res.body = "database unavailable\n";
    return;
  }
  const int want = store::expected_schema_version();
  if (have != want) {
    ctx.res.status = 503;
    ctx.res.body = "schema version " + std::to_string(have) + ", expected " +
                   std::to_string(want) + ": run urna-sync --migrate\n";
    return;
  }
  ctx.res.body = "ok\n";
}

}  // namespace urna::web
