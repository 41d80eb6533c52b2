// urna.fcgi: the FastCGI handler serving every page.
//   urna.fcgi [--config FILE]
// Accepts on, in this order: the socket systemd passes (socket activation,
// the LISTEN_FDS protocol: LISTEN_PID = our pid, LISTEN_FDS = 1, fd 3), the
// configured `listen` socket (unix path or host:port), or fd 0 when started
// by spawn-fcgi / mod_fcgid. SIGTERM or SIGINT: stop accepting, finish
// in-flight requests, exit 0.
#include <fcgiapp.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "bin/config_file.h"
#include "core/config.h"
#include "crypto/kdf_gate.h"
#include "i18n/catalog.h"
#include "store/db.h"
#include "web/log.h"
#include "web/render.h"
#include "web/router.h"
#include "web/server.h"

namespace {

int usage() {
  std::cerr << "usage: urna.fcgi [--config FILE]\n";
  return 2;
}

// systemd's socket activation (sd_listen_fds(3), without libsystemd): the
// listening socket is fd 3 when LISTEN_PID is this process and LISTEN_FDS
// is 1. Returns -1 when no socket was passed to this process (LISTEN_PID
// unset or another process's: the variables were inherited, not meant for
// us). Throws on a malformed or unusable passed socket. The variables are
// removed either way so that no child inherits them.
int systemd_socket() {
  const char* pid_s = std::getenv("LISTEN_PID");
  const char* fds_s = std::getenv("LISTEN_FDS");
  std::string pid = pid_s ? pid_s : "", fds = fds_s ? fds_s : "";
  unsetenv("LISTEN_PID");
  unsetenv("LISTEN_FDS");
  unsetenv("LISTEN_FDNAMES");
  if (pid.empty() || fds.empty()) return -1;
  char* end = nullptr;
  errno = 0;
  long p = std::strtol(pid.c_str(), &end, 10);
  if (errno || *end || p <= 0)
    throw std::runtime_error("LISTEN_PID is not a process id: '" + pid + "'");
  if (p != static_cast<long>(getpid())) return -1;
  if (fds != "1")
    throw std::runtime_error(
        "LISTEN_FDS=" + fds +
        ": urna.fcgi takes exactly one socket (one ListenStream= in urna.socket)");
  const int fd = 3;  // SD_LISTEN_FDS_START
  int type = 0, listening = 0;
  socklen_t len = sizeof type;
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM)
    throw std::runtime_error("LISTEN_FDS=1 but fd 3 is not a stream socket");
  len = sizeof listening;
  if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening)
    throw std::runtime_error("LISTEN_FDS=1 but fd 3 is not a listening socket");
  fcntl(fd, F_SETFD, FD_CLOEXEC);
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path = URNA_SYSCONFDIR "/urna.conf";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--config" && i + 1 < argc)
      config_path = argv[++i];
    else if (a == "--help" || a == "-h")
      return usage(), 0;
    else
      return usage();
  }
  urna::core::Config cfg;
  try {
    cfg = urna::bin::read_config_file(config_path, true);
  } catch (const urna::core::ConfigError& e) {
    std::cerr << "urna.fcgi: " << e.what() << "\n";
    return 1;
  }
  try {
    // The catalogs and every template in every language, once: immutable
    // from here on, shared by the workers (docs/i18n.md).
    std::vector<std::string> warnings;
    auto catalogs = std::make_shared<const urna::i18n::Catalogs>(
        urna::i18n::Catalogs::load(cfg.locale_dir, &warnings));
    if (!catalogs->has(cfg.language)) {
      std::string have;
      for (const auto& l : catalogs->languages()) have += (have.empty() ? "" : ", ") + l;
      throw std::runtime_error("language = " + cfg.language + ": there is no catalog " +
                               cfg.locale_dir + "/" + cfg.language +
                               "/LC_MESSAGES/urna.mo (languages in locale_dir: " + have + ")");
    }
    urna::web::Renderer renderer(cfg.templates_dir, catalogs, &warnings);
    for (const auto& w : warnings) urna::web::log_line("warning", w);
    urna::store::global_init();
    if (FCGX_Init() != 0) throw std::runtime_error("FCGX_Init failed");
    int fd = systemd_socket();
    const bool activated = fd >= 0;
    if (activated) {
      urna::web::log_line("info",
                          "accepting on the socket passed by systemd (fd 3)" +
                              std::string(cfg.listen.empty() ? "" : "; `listen` is not used"));
    } else if (cfg.listen.empty()) {
      fd = 0;
      // fd 0: mod_fcgid (one request at a time per process) or spawn-fcgi.
      // More threads would only hold database connections, unless asked for.
      if (!cfg.keys_given.count("workers")) cfg.workers = 1;
    } else {
      fd = FCGX_OpenSocket(cfg.listen.c_str(), 128);
      if (fd < 0) throw std::runtime_error("cannot listen on " + cfg.listen);
      // Group-writable so the web server's group can connect; not world.
      if (cfg.listen.find('/') != std::string::npos) chmod(cfg.listen.c_str(), 0660);
    }
    if (cfg.auth == "remote_user") {
      const std::string why = urna::web::remote_user_socket_problem(fd);
      if (!why.empty()) throw std::runtime_error(why);
    }
    // Signals are taken by one thread with sigwait; workers never see them.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    signal(SIGPIPE, SIG_IGN);

    // Voter-chosen passcodes: at most this many scrypt derivations at once
    // in this process; one more is refused at once (503 + Retry-After).
    urna::crypto::scrypt_gate().set_limit(cfg.scrypt_max_concurrent);
    urna::web::Server server(cfg, renderer, urna::web::routes());
    std::thread waiter([&] {
      int sig = 0;
      sigwait(&set, &sig);
      urna::web::log_line(
          "info", std::string("stopping on ") + strsignal(sig) + ": finishing in-flight requests");
      server.stop();
    });
    std::string langs;
    for (const auto& l : renderer.languages()) langs += (langs.empty() ? "" : " ") + l;
    urna::web::log_line("info", "started with " + std::to_string(cfg.workers) +
                                    " workers, prefix '" + cfg.prefix + "', at most " +
                                    std::to_string(cfg.scrypt_max_concurrent) +
                                    " scrypt derivations at once, languages " + langs +
                                    " (default " + cfg.language + ")");
    server.run(fd);
    // If run() ended by itself (listen socket error), release the waiter.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    // The socket systemd passed is systemd's to keep (and remove).
    if (!activated && !cfg.listen.empty() && cfg.listen.find('/') != std::string::npos)
      unlink(cfg.listen.c_str());
    urna::web::log_line("info", "stopped");
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "urna.fcgi: " << e.what() << "\n";
    return 1;
  }
}
