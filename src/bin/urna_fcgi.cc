// urna.fcgi: the FastCGI handler serving every page.
//   urna.fcgi [--config FILE]
// Listens on the configured `listen` socket (unix path or host:port), or on
// fd 0 when started by spawn-fcgi / mod_fcgid. SIGTERM or SIGINT: stop
// accepting, finish in-flight requests, exit 0.
#include <fcgiapp.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "core/config.h"
#include "bin/config_file.h"
#include "crypto/kdf_gate.h"
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

}  // namespace

int main(int argc, char** argv) {
  std::string config_path = URNA_SYSCONFDIR "/urna.conf";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--config" && i + 1 < argc) config_path = argv[++i];
    else if (a == "--help" || a == "-h") return usage(), 0;
    else return usage();
  }
  urna::core::Config cfg;
  try {
    cfg = urna::bin::read_config_file(config_path, true);
  } catch (const urna::core::ConfigError& e) {
    std::cerr << "urna.fcgi: " << e.what() << "\n";
    return 1;
  }
  try {
    urna::web::Renderer renderer(cfg.templates_dir);
    urna::store::global_init();
    if (FCGX_Init() != 0) throw std::runtime_error("FCGX_Init failed");
    int fd = 0;
    if (!cfg.listen.empty()) {
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
      urna::web::log_line("info", std::string("stopping on ") + strsignal(sig) +
                                      ": finishing in-flight requests");
      server.stop();
    });
    urna::web::log_line("info", "started with " + std::to_string(cfg.workers) +
                                    " workers, prefix '" + cfg.prefix + "', at most " +
                                    std::to_string(cfg.scrypt_max_concurrent) +
                                    " scrypt derivations at once");
    server.run(fd);
    // If run() ended by itself (listen socket error), release the waiter.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    if (!cfg.listen.empty() && cfg.listen.find('/') != std::string::npos)
      unlink(cfg.listen.c_str());
    urna::web::log_line("info", "stopped");
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "urna.fcgi: " << e.what() << "\n";
    return 1;
  }
}
