// GET /: the elections, grouped running / upcoming / completed.
#include "core/time_util.h"
#include "web/context.h"
#include "web/pages.h"

namespace urna::web {

void home_page(Context& ctx) {
  const core::Snapshot& snap = ctx.snapshot();
  Page page(ctx, "home", "Elections");
  auto& d = page.body();
  for (const auto& e : snap.elections) {
    if (e.is_child()) continue;
    const char* section = "COMPLETED";
    switch (core::phase_at(e, ctx.now)) {
      case core::Phase::kRunning: section = "RUNNING"; break;
      case core::Phase::kUpcoming: section = "UPCOMING"; break;
      case core::Phase::kClosed: break;
    }
    auto* row = d.AddSectionDictionary(section);
    row->SetValue("ID", e.id);
    row->SetValue("NAME", e.name);
    row->SetValue("START", core::format_utc(e.start));
    row->SetValue("END", core::format_utc(e.end));
  }
  if (snap.elections.empty()) d.ShowSection("NONE");
  page.finish();
}

}  // namespace urna::web
