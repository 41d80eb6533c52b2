#include "web/context.h"

#include "store/db.h"
#include "web/http_error.h"
#include "web/snapshot_cache.h"

namespace urna::web {

store::Db& Context::db() {
  if (!worker.db) {
    try {
      worker.db = std::make_unique<store::Db>(cfg);
    } catch (const store::DbError&) {
      throw;  // the loop answers 503 and logs it
    }
  }
  return *worker.db;
}

const core::Snapshot& Context::snapshot() {
  if (!snapshot_) snapshot_ = snapshots.get([this]() -> store::Db& { return db(); }, now);
  return *snapshot_;
}

std::string Context::csrf() const { return csrf_token(session, cfg); }

std::string Context::self_url() const {
  return url(req.path) + (req.query_string.empty() ? "" : "?" + req.query_string);
}

Page::Page(Context& ctx, const std::string& tpl, const std::string& title)
    : ctx_(ctx), layout_("layout") {
  layout_.SetValue("TITLE", title);
  layout_.SetValue("LANG", ctx.translator.lang());
  layout_.SetValue("PREFIX", ctx.cfg.prefix);
  layout_.SetValue("STATIC", ctx.cfg.static_url);
  layout_.SetValue("CSRF", ctx.csrf());
  if (ctx.session.logged_in()) {
    auto* user = layout_.AddSectionDictionary("USER");
    user->SetValue("LOGIN", ctx.session.login);
  } else {
    auto* anon = layout_.AddSectionDictionary("ANONYMOUS");
    anon->SetValue("NEXT", ctx.self_url());  // auto-escaped in the URL query
  }
  if (ctx.cfg.auth == "demo") layout_.ShowSection("DEMO");
  body_ = layout_.AddIncludeDictionary("BODY");
  body_->SetFilename(ctx.renderer.name_for(ctx.translator.lang(), tpl + ".tpl"));
  // An include dictionary does not see its parent's values: give every
  // page body the values all pages use.
  body_->SetValue("PREFIX", ctx.cfg.prefix);
  body_->SetValue("STATIC", ctx.cfg.static_url);
  body_->SetValue("CSRF", ctx.csrf());
}

void Page::finish(int status) {
  ctx_.res.status = status;
  ctx_.res.content_type = "text/html; charset=utf-8";
  ctx_.res.body = ctx_.renderer.expand(ctx_.translator.lang(), "layout.tpl", layout_);
}

}  // namespace urna::web
