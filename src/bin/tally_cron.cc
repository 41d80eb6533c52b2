#include "bin/tally_cron.h"

#include <ctime>
#include <iostream>
#include <string>

#include "bin/config_file.h"
#include "count/key_dir.h"
#include "count/scheduled.h"
#include "crypto/ballot_box.h"
#include "store/db.h"

namespace urna::bin {

int cron_main(int argc, char** argv) {
  std::string config_path = URNA_SYSCONFDIR "/urna.conf";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--config" && i + 1 < argc) {
      config_path = argv[++i];
    } else if (a == "--cron") {
    } else if (a == "--quiet") {
      // Cron mails whatever a job prints: only problems (stderr) then.
      std::cout.setstate(std::ios::badbit);
    } else {
      std::cerr << "urna-tally: unknown option " << a
                << " in the scheduled mode\nusage: urna-tally [--cron] [--quiet] [--config FILE]\n";
      return 2;
    }
  }
  try {
    const core::Config cfg = read_config_file(config_path, false);
    store::global_init();
    return count::run_cron(cfg, static_cast<core::UnixTime>(std::time(nullptr)));
  } catch (const std::exception& e) {
    std::cerr << "urna-tally: " << e.what() << "\n";
    return 1;
  }
}

int key_main(int argc, char** argv) {
  std::string config_path = URNA_SYSCONFDIR "/urna.conf", key_dir, forget;
  bool keygen = false, force = false, have_config = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--config" && i + 1 < argc) {
      config_path = argv[++i];
      have_config = true;
    } else if (a == "--key-dir" && i + 1 < argc) {
      key_dir = argv[++i];
    } else if (a == "--keygen") {
      keygen = true;
    } else if (a == "--forget-key" && i + 1 < argc) {
      forget = argv[++i];
    } else if (a == "--force") {
      force = true;
    } else {
      std::cerr << "urna-tally: unknown option " << a
                << "\nusage: urna-tally --keygen [--config FILE | --key-dir DIR]\n"
                   "       urna-tally --forget-key ELECTION [--force] [--config FILE]\n";
      return 2;
    }
  }
  try {
    if (keygen) {
      if (key_dir.empty()) key_dir = read_config_file(config_path, false).key_dir;
      const count::NewKey k = count::create_key(key_dir);
      std::cout << "ballot_key: " << crypto::format_ballot_key(k.public_key) << "\n"
                << "fingerprint: " << crypto::ballot_key_fingerprint(k.public_key) << "\n"
                << "private key: " << k.path
                << " (mode 0600; keep it on this counting host only)\n";
      return 0;
    }
    if (!forget.empty()) {
      (void)have_config;
      const core::Config cfg = read_config_file(config_path, false);
      store::global_init();
      return count::forget_election_key(cfg, forget, force,
                                        static_cast<core::UnixTime>(std::time(nullptr)));
    }
    std::cerr << "urna-tally: --keygen or --forget-key ELECTION\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "urna-tally: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace urna::bin
