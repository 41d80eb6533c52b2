// The FastCGI loop: N worker threads share one listening socket and call
// FCGX_Accept_r in turn; each has its own database connection. A request is
// parsed, routed, checked against its route's needs, handled, and written
// out; one try/catch per request turns errors into error pages, so a bad
// request never takes a worker down. stop() (from SIGTERM) lets in-flight
// requests finish, then run() returns.
#ifndef URNA_WEB_SERVER_H_
#define URNA_WEB_SERVER_H_

#include <atomic>
#include <string>
#include <vector>

#include "core/config.h"
#include "web/context.h"
#include "web/render.h"
#include "web/request.h"
#include "web/response.h"
#include "web/router.h"
#include "web/snapshot_cache.h"

namespace urna::web {

// Handles one request without FastCGI (the loop and the tests call this).
// Never throws.
Response dispatch(const core::Config& cfg, const Renderer& renderer,
                  const std::vector<Route>& routes, SnapshotCache& cache, WorkerState& worker,
                  const Env& env, const std::string& body, core::UnixTime now);

// The full HTTP response head + body as FastCGI sends it ("Status: ...").
std::string serialize(const Response& res, bool head_only);

// With auth = remote_user whoever can connect to urna's socket can claim
// any user in URNA_AUTH_USER, so urna.fcgi refuses to start when its
// listening socket `fd` is a TCP socket bound to anything but loopback
// (127.0.0.0/8, ::1). Returns why ("" when fine, or when fd is a unix
// socket or no socket: nothing to tell). Never throws.
std::string remote_user_socket_problem(int fd);

class Server {
 public:
  Server(const core::Config& cfg, const Renderer& renderer, const std::vector<Route>& routes);
  // Serves on `listen_fd` until stop(). Returns after every worker ended.
  void run(int listen_fd);
  // Async-signal-safe enough to call from a signal-handling thread.
  void stop();

 private:
  void worker_loop(int id);

  const core::Config& cfg_;
  const Renderer& renderer_;
  const std::vector<Route>& routes_;
  SnapshotCache cache_;
  std::atomic<bool> stopping_{false};
  int listen_fd_ = -1;
  // stop() writes to wake_[1]; accepting workers poll wake_[0] beside the
  // listening socket. The listening socket itself is never shut down: it
  // may be shared (systemd's socket, mod_fcgid's fd 0) and must keep
  // working for the next process.
  int wake_[2] = {-1, -1};
};

}  // namespace urna::web

#endif  // URNA_WEB_SERVER_H_
