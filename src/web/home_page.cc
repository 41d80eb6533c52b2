// GET /: every election of the live snapshot, grouped running / upcoming /
// completed, newest first; a parent's children are listed (collapsible)
// under it, in natural order. Public: no login needed.
#include <algorithm>
#include <array>

#include "i18n/format.h"
#include "web/context.h"
#include "web/election_view.h"
#include "web/pages.h"

namespace urna::web {

namespace {

// Newest first: latest start, then latest end, then id (stable output).
bool newer(const core::Election* a, const core::Election* b) {
  if (a->start != b->start) return a->start > b->start;
  if (a->end != b->end) return a->end > b->end;
  return a->id < b->id;
}

}  // namespace

void home_page(Context& ctx) {
  const core::Snapshot& snap = ctx.snapshot();
  // Top-level elections (and orphans, which validation never lets through,
  // rather than hiding them) by phase.
  std::array<std::vector<const core::Election*>, 3> groups;
  const core::Phase order[] = {core::Phase::kRunning, core::Phase::kUpcoming,
                               core::Phase::kClosed};
  for (const auto& e : snap.elections) {
    if (e.is_child() && snap.find(e.parent)) continue;
    const core::Phase p = core::phase_at(e, ctx.now);
    for (size_t i = 0; i < groups.size(); ++i)
      if (order[i] == p) groups[i].push_back(&e);
  }

  Page page(ctx, "home", ctx.tr("Elections"));
  auto& d = page.body();
  if (snap.elections.empty()) d.ShowSection("NONE");
  if (ctx.session.logged_in()) d.ShowSection("SIGNED_IN");
  for (size_t i = 0; i < groups.size(); ++i) {
    auto& list = groups[i];
    std::sort(list.begin(), list.end(), newer);
    auto* g = d.AddSectionDictionary("GROUP");
    g->SetValue("KEY", phase_key(order[i]));
    g->SetValue("TITLE", phase_group_title(order[i], ctx.translator));
    g->SetIntValue("COUNT", static_cast<long>(list.size()));
    if (list.empty()) g->ShowSection("EMPTY");
    for (const core::Election* e : list) {
      auto* row = g->AddSectionDictionary("ELECTION");
      fill_summary(*row, ctx, *e);
      fill_user_badges(*row, ctx, snap, *e);
      if (!e->is_parent()) continue;
      auto* kids = row->AddSectionDictionary("CHILDREN");
      const unsigned long n = e->children.size();
      kids->SetValue("SUMMARY",
                     i18n::format(ctx.trn("{n} child election", "{n} child elections", n),
                                  {{"n", i18n::format_integer(static_cast<long long>(n),
                                                              ctx.translator)}}));
      // Open by default while the parent is not over: that is when people
      // look for their child election.
      if (order[i] != core::Phase::kClosed) kids->ShowSection("OPEN");
      for (const auto& cid : e->children) {
        const core::Election* c = snap.find(cid);
        if (!c) continue;
        auto* k = kids->AddSectionDictionary("CHILD");
        fill_summary(*k, ctx, *c);
        fill_user_badges(*k, ctx, snap, *c, "CHILD_");
      }
    }
  }
  page.finish();
}

}  // namespace urna::web
