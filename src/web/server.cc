#include "web/server.h"

#include <fcgiapp.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "crypto/kdf_gate.h"
#include "store/db.h"
#include "web/http_error.h"
#include "web/log.h"

namespace urna::web {

namespace {

std::string new_request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

constexpr const char* kSessionEndedMessage =
    N_("This session has ended: you signed out (in this browser or another one). "
       "Sign in again to go on.");

// The error page's title for `status` (status_text() stays English for
// the HTTP status line).
std::string status_title(const Context& ctx, int status) {
  switch (status) {
    case 400: return ctx.trc("HTTP status", "Bad Request");
    case 401: return ctx.trc("HTTP status", "Unauthorized");
    case 403: return ctx.trc("HTTP status", "Forbidden");
    case 404: return ctx.trc("HTTP status", "Not Found");
    case 405: return ctx.trc("HTTP status", "Method Not Allowed");
    case 409: return ctx.trc("HTTP status", "Conflict");
    case 413: return ctx.trc("HTTP status", "Payload Too Large");
    case 414: return ctx.trc("HTTP status", "URI Too Long");
    case 429: return ctx.trc("HTTP status", "Too Many Requests");
    case 500: return ctx.trc("HTTP status", "Internal Server Error");
    case 502: return ctx.trc("HTTP status", "Bad Gateway");
    case 503: return ctx.trc("HTTP status", "Service Unavailable");
    default: return ctx.trc("HTTP status", "Error");
  }
}

// `message` is an English msgid with {placeholders} (http_error.h),
// shown in the request's language.
void error_page(Context& ctx, int status, const std::string& message,
                const i18n::Args& args = {}) {
  ctx.res = Response{};
  ctx.res.status = status;
  const std::string text = i18n::format(ctx.tr(message), args);
  const std::string title = status_title(ctx, status);
  try {
    Page page(ctx, "error", title);
    page.body().SetIntValue("STATUS", status);
    page.body().SetValue("STATUS_TEXT", title);
    page.body().SetValue("MESSAGE", text);
    page.body().SetValue("REQUEST_ID", ctx.request_id);
    page.finish(status);
  } catch (const std::exception& e) {
    // The layout itself failed: a plain page still tells the visitor.
    log_line("error", "request " + ctx.request_id + ": error page failed: " + e.what());
    ctx.res.content_type = "text/plain; charset=utf-8";
    ctx.res.body = std::to_string(status) + " " + title + "\n" + text + "\n" +
                   i18n::format(ctx.tr("Request id: {id}"), {{"id", ctx.request_id}}) + "\n";
  }
}

// A session that a sign-out ended is no session (session_check.h). Routes
// that act for the user (login, officer, CSRF) need the answer, so a
// database failure there is a 503; any other page treats a session it
// cannot check as anonymous.
void drop_ended_session(Context& ctx, const Route& route) {
  if (!ctx.session.logged_in()) return;
  bool valid = false;
  if (route.needs & (kLogin | kOfficer | kCsrf)) {
    valid = session_still_valid(ctx);
  } else {
    try {
      valid = session_still_valid(ctx);
    } catch (const store::DbError& e) {
      ctx.worker.db.reset();
      log_line("warning", "request " + ctx.request_id +
                              ": cannot check the session, served as anonymous: " + e.what());
      ctx.session = Session{};
      return;
    }
  }
  if (valid) return;
  log_line("info", "request " + ctx.request_id + ": a session of " + ctx.session.login +
                       " ended by a sign-out was refused");
  ctx.session = Session{};
  ctx.session_ended = true;
}

// Checks the route's declared needs; throws HttpError or redirects.
// Returns false when the response is already complete (a redirect).
bool enforce_needs(Context& ctx, const Route& route) {
  const unsigned n = route.needs;
  drop_ended_session(ctx, route);
  if (n & kDatabase) ctx.db();
  if (n & (kElection | kOfficer)) {
    auto it = ctx.params.find("id");
    const core::Election* e = it == ctx.params.end() ? nullptr : ctx.snapshot().find(it->second);
    if (!e) throw NotFound(N_("There is no such election."));
    ctx.election = e;
  }
  if ((n & (kLogin | kOfficer)) && !ctx.session.logged_in()) {
    if (ctx.req.method == "GET" || ctx.req.method == "HEAD") {
      ctx.res.redirect(ctx.url("/login?next=") + url_encode(ctx.self_url()), 303);
      return false;
    }
    throw Forbidden(ctx.session_ended ? kSessionEndedMessage : N_("You need to sign in first."));
  }
  if ((n & kCsrf) && ctx.session_ended) throw Forbidden(kSessionEndedMessage);
  if ((n & kCsrf) && !csrf_ok(ctx.session, ctx.cfg, ctx.req.f("csrf")))
    throw Forbidden(
        N_("This form has expired or did not come from urna. Go back, reload "
           "the page and submit it again."));
  if ((n & kOfficer) && !ctx.snapshot().is_officer(*ctx.election, ctx.session.login))
    throw Forbidden(N_("Only the officers of this election can see this page."));
  return true;
}

// For log lines: bytes outside printable ASCII as \xNN, at most `max`.
std::string printable(const std::string& s, size_t max) {
  std::string out;
  for (unsigned char c : s.substr(0, max)) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (s.size() > max) out += "...";
  return out;
}

// The same values are in conf/nginx/urna.conf (which replaces urna's copy)
// and conf/apache/urna.conf (for the web server's own error pages): change
// them together (t/e2e/login_test.py compares them).
void add_security_headers(Response& res, const core::Config& cfg, bool https) {
  res.header("X-Content-Type-Options", "nosniff");
  res.header("X-Frame-Options", "DENY");
  res.header("Referrer-Policy", "same-origin");
  // form-action: no form of urna's may post anywhere else, and no injected
  // one could either (default-src does not cover form targets).
  res.header("Content-Security-Policy",
             "default-src 'self'; img-src 'self' data:; style-src 'self'; "
             "script-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
             "form-action 'self'");
  // Over plain HTTP the header means nothing (RFC 6797 §8.1), so only then.
  if (https && cfg.hsts_max_age > 0)
    res.header("Strict-Transport-Security", "max-age=" + std::to_string(cfg.hsts_max_age));
  bool has_cache = false;
  for (const auto& h : res.headers)
    if (h.first == "Cache-Control") has_cache = true;
  if (!has_cache) res.header("Cache-Control", "no-store");
}

}  // namespace

Response dispatch(const core::Config& cfg, const Renderer& renderer,
                  const std::vector<Route>& routes, SnapshotCache& cache, WorkerState& worker,
                  const Env& env, const std::string& body, core::UnixTime now) {
  Response res;
  Request req;
  Context ctx{cfg, req, res, renderer, cache, worker, new_request_id(), now, {}, {}, nullptr, {}};
  // The language first, so that even a request refused while parsing gets
  // its error page in it.
  const char* accept_language = env.get("HTTP_ACCEPT_LANGUAGE");
  ctx.translator = renderer.catalogs().for_request(accept_language ? accept_language : "",
                                                   cfg.language);
  const char* name = "-";
  try {
    Limits limits;
    limits.max_body = static_cast<size_t>(cfg.max_body);
    req = parse_request(env, body, cfg.prefix, limits);
    ctx.session = read_session(req, cfg, now);
    Match m = match_route(routes, req.method, req.path, [&ctx](const std::string& id) {
      return ctx.snapshot().find(id) != nullptr;
    });
    if (!m.route) {
      if (!m.allowed.empty()) {
        std::string allow;
        for (const auto& a : m.allowed) allow += (allow.empty() ? "" : ", ") + a;
        if (allow.find("GET") != std::string::npos) allow += ", HEAD";
        res.header("Allow", allow);
        throw HttpError(405, N_("This address does not accept {method} requests."),
                        {{"method", req.method}});
      }
      throw NotFound();
    }
    name = m.route->name;
    ctx.params = std::move(m.params);
    if (enforce_needs(ctx, *m.route)) m.route->handler(ctx);
  } catch (const HttpError& e) {
    auto allow = res.headers;  // keep Allow on 405
    error_page(ctx, e.status(), e.msgid(), e.args());
    for (const auto& h : allow)
      if (h.first == "Allow") res.headers.push_back(h);
    // A request refused while parsing has no method/path yet: log the raw
    // ones (path only, never the query string, which may hold an OAuth
    // code; control bytes escaped; cut at 200 bytes).
    std::string method = req.method, path = req.path;
    if (method.empty() && path.empty()) {
      const char* m = env.get("REQUEST_METHOD");
      const char* u = env.get("REQUEST_URI");
      method = printable(m ? m : "", 16);
      std::string uri = u ? u : "";
      path = printable(uri.substr(0, uri.find('?')), 200);
    }
    log_line("info", "request " + ctx.request_id + " " + method + " " + path + " -> " +
                         std::to_string(e.status()) + " (" + e.what() + ")");
  } catch (const store::DbError& e) {
    // The connection is suspect: drop it so the next request reconnects.
    worker.db.reset();
    error_page(ctx, 503,
               N_("The database is not available right now. Please try again in a minute."));
    log_line("error", "request " + ctx.request_id + " " + name + ": database: " + e.what());
  } catch (const crypto::KdfBusy& e) {
    // A page that derives a passcode key outside vote_page's own handling:
    // still a prompt "busy, retry", never a 500.
    error_page(ctx, 503,
               N_("urna is busy checking passcodes right now. Please try again in a "
                  "few seconds."));
    res.header("Retry-After", "2");
    log_line("info", "request " + ctx.request_id + " " + name + ": " + e.what());
  } catch (const std::exception& e) {
    error_page(ctx, 500,
               N_("Something went wrong on our side. If it persists, tell the "
                  "site's administrators this request id: {id}"),
               {{"id", ctx.request_id}});
    log_line("error", "request " + ctx.request_id + " " + name + ": " + e.what());
  }
  // An ended session's cookie is cleared, unless this response signed in anew.
  if (ctx.session_ended &&
      std::none_of(res.cookies.begin(), res.cookies.end(), [](const std::string& c) {
        return c.rfind(std::string(kSessionCookie) + "=", 0) == 0;
      }))
    res.cookies.push_back(session_cookie(Session{}, cfg, req.https));
  // Pages differ by Accept-Language (a cache must keep them apart).
  if (res.content_type.rfind("text/html", 0) == 0) res.header("Vary", "Accept-Language");
  add_security_headers(res, cfg, came_over_https(env));
  return res;
}

std::string remote_user_socket_problem(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return "";
  char host[INET6_ADDRSTRLEN] = "?";
  bool loopback = true;
  if (ss.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
    loopback = (ntohl(a->sin_addr.s_addr) >> 24) == 127;
  } else if (ss.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
    loopback = IN6_IS_ADDR_LOOPBACK(&a->sin6_addr) ||
               (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr) && a->sin6_addr.s6_addr[12] == 127);
  }
  if (loopback) return "";
  return std::string("auth = remote_user, but urna's FastCGI socket listens on ") + host +
         ", not only on loopback: anyone who can reach it could send URNA_AUTH_USER and sign "
         "in as anyone. Listen on a unix socket or on 127.0.0.1 / ::1 (docs/login.md).";
}

std::string serialize(const Response& res, bool head_only) {
  std::ostringstream out;
  out << "Status: " << res.status << " " << status_text(res.status) << "\r\n";
  out << "Content-Type: " << res.content_type << "\r\n";
  for (const auto& h : res.headers) out << h.first << ": " << h.second << "\r\n";
  for (const auto& c : res.cookies) out << "Set-Cookie: " << c << "\r\n";
  out << "Content-Length: " << res.body.size() << "\r\n\r\n";
  if (!head_only) out << res.body;
  return out.str();
}

namespace {

struct FcgiEnv : Env {
  explicit FcgiEnv(FCGX_ParamArray envp) : envp_(envp) {}
  const char* get(const char* name) const override { return FCGX_GetParam(name, envp_); }
  FCGX_ParamArray envp_;
};

std::string read_body(FCGX_Request& r, size_t max_body) {
  const char* cl = FCGX_GetParam("CONTENT_LENGTH", r.envp);
  size_t want = 0;
  if (cl && *cl) {
    char* end = nullptr;
    unsigned long long v = std::strtoull(cl, &end, 10);
    if (*end != '\0') return std::string();
    want = v > max_body ? max_body + 1 : static_cast<size_t>(v);
  }
  std::string body(want, '\0');
  size_t got = 0;
  while (got < want) {
    int n = FCGX_GetStr(&body[got], static_cast<int>(want - got), r.in);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  body.resize(got);
  return body;
}

}  // namespace

Server::Server(const core::Config& cfg, const Renderer& renderer, const std::vector<Route>& routes)
    : cfg_(cfg), renderer_(renderer), routes_(routes) {}

void Server::run(int listen_fd) {
  listen_fd_ = listen_fd;
  if (pipe2(wake_, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe: " + std::string(std::strerror(errno)));
  // Non-blocking: several workers wake on one connection; the ones that
  // lose the race go back to poll() (and so still see a stop).
  fcntl(listen_fd_, F_SETFL, fcntl(listen_fd_, F_GETFL) | O_NONBLOCK);
  std::vector<std::thread> threads;
  for (int i = 0; i < cfg_.workers; ++i) threads.emplace_back(&Server::worker_loop, this, i);
  for (auto& t : threads) t.join();
  close(wake_[0]);
  close(wake_[1]);
  wake_[0] = wake_[1] = -1;
}

void Server::stop() {
  stopping_ = true;
  FCGX_ShutdownPending();
  // Wakes every worker waiting for a connection (the byte is never read).
  if (wake_[1] >= 0) {
    const char b = 1;
    ssize_t n = write(wake_[1], &b, 1);
    (void)n;
  }
}

// Each worker accepts its own connections (concurrent accept() on one
// socket is safe on Linux, so no lock: one stalled peer cannot hold up the
// other workers) and gives the socket read/write timeouts before libfcgi
// reads the request from it, so a peer that stops mid-record frees its
// worker after kIoTimeoutSeconds. libfcgi's FCGX_Accept_r reads from a
// request whose ipcFd is already open; its own accept is disabled by a
// listen socket of -1, so every connection goes through this code.
namespace {
constexpr int kIoTimeoutSeconds = 30;

// -1 with errno 0: stop() was called.
int accept_with_timeouts(int listen_fd, int wake_fd) {
  for (;;) {
    pollfd p[2] = {{listen_fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (p[1].revents) {
      errno = 0;
      return -1;
    }
    const int fd = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) {
      timeval tv{kIoTimeoutSeconds, 0};
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
      return fd;
    }
    if (errno == EINTR || errno == ECONNABORTED || errno == EAGAIN || errno == EWOULDBLOCK)
      continue;
    return -1;
  }
}
}  // namespace

void Server::worker_loop(int id) {
  store::thread_init();
  WorkerState worker;
  worker.id = id;
  FCGX_Request r;
  FCGX_InitRequest(&r, -1, 0);
  while (!stopping_) {
    if (r.ipcFd < 0) {
      const int fd = accept_with_timeouts(listen_fd_, wake_[0]);
      if (fd < 0) {
        if (stopping_) break;
        // EMFILE and the like: wait a moment instead of spinning.
        log_line("error", std::string("accept: ") + std::strerror(errno));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        continue;
      }
      r.ipcFd = fd;
      r.keepConnection = 1;  // so FCGX_Accept_r's own Finish keeps the socket
    }
    // Reads the request's records; on a protocol error or a timeout libfcgi
    // closes the socket and fails (its accept of fd -1), and we go on.
    if (FCGX_Accept_r(&r) < 0) {
      if (r.ipcFd >= 0) {
        close(r.ipcFd);
        r.ipcFd = -1;
      }
      continue;
    }
    FcgiEnv env(r.envp);
    std::string body = read_body(r, static_cast<size_t>(cfg_.max_body));
    Response res = dispatch(cfg_, renderer_, routes_, cache_, worker, env, body,
                            static_cast<core::UnixTime>(std::time(nullptr)));
    const char* method = env.get("REQUEST_METHOD");
    std::string out = serialize(res, method && std::string(method) == "HEAD");
    FCGX_PutStr(out.data(), static_cast<int>(out.size()), r.out);
    // Closes the socket unless the web server asked to keep it (then the
    // next FCGX_Accept_r reads the next request from it).
    FCGX_Finish_r(&r);
  }
  FCGX_Free(&r, 1);
  worker.db.reset();
  store::thread_end();
}

}  // namespace urna::web
