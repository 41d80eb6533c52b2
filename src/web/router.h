// The route table (cgit's cmd.c): one row per page with its method, path
// pattern, handler and needs. The FastCGI loop enforces the needs before
// calling the handler, so no handler checks login, CSRF or officer rights
// on its own.
//
// Patterns are absolute paths below the prefix. `{id}` captures one or more
// segments (election ids are paths like "steering/2026"); any other `{name}`
// captures exactly one segment. When several routes match, the one with the
// most literal segments wins, so "/elections/{id}/vote" beats
// "/elections/{id}" for ".../vote" — unless `is_election` is given and says
// that only the shorter match's {id} names an election: then that one wins,
// so an election in a folder named like a page (an Elekto repository's
// "bench/vote", where "bench" is just a folder) is served at its path.
#ifndef URNA_WEB_ROUTER_H_
#define URNA_WEB_ROUTER_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace urna::web {

struct Context;
using Handler = void (*)(Context&);

enum Need : unsigned {
  kNone = 0,
  kLogin = 1u << 0,     // a signed-in user (GET redirects to login, else 403)
  kCsrf = 1u << 1,      // a valid CSRF token in the form field "csrf"
  kElection = 1u << 2,  // {id} names an election of the live snapshot (404)
  kOfficer = 1u << 3,   // the user is an officer of that election (403)
  kDatabase = 1u << 4,  // needs a database connection (503 when down)
};

struct Route {
  const char* method;   // "GET" (also serves HEAD) or "POST"
  const char* pattern;
  Handler handler;
  unsigned needs;
  const char* name;     // for logs
};

struct Match {
  const Route* route = nullptr;        // nullptr: no route
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed;    // methods on the path (for 405)
};

// Finds the route for `method` and `path`. When the path exists only for
// other methods, route is nullptr and `allowed` lists them (405).
Match match_route(const std::vector<Route>& routes, const std::string& method,
                  const std::string& path,
                  const std::function<bool(const std::string&)>& is_election = {});

// The application's table (routes.cc).
const std::vector<Route>& routes();

}  // namespace urna::web

#endif  // URNA_WEB_ROUTER_H_
