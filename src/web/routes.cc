// The route table: every page urna serves, in one place. The loop enforces
// each row's needs before the handler runs (see router.h).
#include "web/pages.h"
#include "web/router.h"

namespace urna::web {

const std::vector<Route>& routes() {
  static const std::vector<Route> table = {
      // method  pattern     handler       needs        name
      {"GET", "/health", health_page, kNone, "health"},
      {"GET", "/", home_page, kDatabase, "home"},
  };
  return table;
}

}  // namespace urna::web
