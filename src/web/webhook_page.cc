// POST /webhook: GitHub (or Gitea, GitLab in GitHub mode) tells urna that
// the metadata repository changed. The body is signed like GitHub's
// X-Hub-Signature-256 ("sha256=" + hex HMAC-SHA256 of the raw body with
// the configured webhook_secret); no CSRF token, the signature is the
// check. A valid push only records a sync request in the database (rate
// limited); the next `urna-sync --if-requested` run (cron, every minute)
// does the slow pull, so the request never waits for git.
#include "crypto/crypto.h"
#include "store/sync_store.h"
#include "web/context.h"
#include "web/http_error.h"
#include "web/log.h"
#include "web/pages.h"

namespace urna::web {

namespace {

void plain(Context& ctx, int status, const std::string& text) {
  ctx.res.status = status;
  ctx.res.content_type = "text/plain; charset=utf-8";
  ctx.res.body = text + "\n";
}

}  // namespace

bool webhook_signature_ok(const std::string& secret, const std::string& body,
                          const std::string& header) {
  if (secret.empty() || header.empty()) return false;
  const std::string want = "sha256=" + crypto::hex_encode(crypto::hmac_sha256(secret, body));
  return crypto::constant_time_equal(header, want);
}

void webhook_page(Context& ctx) {
  // Disabled: as if the route did not exist.
  if (ctx.cfg.webhook_secret.empty()) throw NotFound();
  const std::string sig = ctx.req.header("x-hub-signature-256");
  if (!webhook_signature_ok(ctx.cfg.webhook_secret, ctx.req.body, sig)) {
    log_line("info", "webhook from " + ctx.req.remote_addr + ": " +
                         (sig.empty() ? "no signature" : "bad signature"));
    throw Forbidden(sig.empty() ? "The X-Hub-Signature-256 header is missing."
                                : "The signature does not match.");
  }
  const std::string event = ctx.req.header("x-github-event");
  if (event == "ping") return plain(ctx, 200, "pong");
  if (!event.empty() && event != "push")
    return plain(ctx, 200, "ignored: only push events trigger a sync");

  const store::SyncRequest r =
      store::request_sync(ctx.db(), ctx.now, ctx.cfg.webhook_min_interval);
  if (!r.accepted) {
    ctx.res.header("Retry-After", std::to_string(r.retry_after > 0 ? r.retry_after : 1));
    return plain(ctx, 429, "too many requests: a sync was requested moments ago");
  }
  log_line("info", "webhook from " + ctx.req.remote_addr + ": sync requested");
  plain(ctx, 202, "sync requested");
}

}  // namespace urna::web
