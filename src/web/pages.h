// Every page handler, one per file (cgit's ui-*.c). Each is short: parse
// the request into a typed input, call one service function, fill the view,
// render. Their needs (login, CSRF, officer) are declared in routes.cc.
#ifndef URNA_WEB_PAGES_H_
#define URNA_WEB_PAGES_H_

namespace urna::web {

struct Context;

void health_page(Context& ctx);
void home_page(Context& ctx);

}  // namespace urna::web

#endif  // URNA_WEB_PAGES_H_
