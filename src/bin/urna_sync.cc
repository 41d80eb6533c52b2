// urna-sync: brings the metadata repository's checkout to the remote
// branch (libgit2), loads and validates every election, and stores the
// snapshot with its commit id in the database in one transaction. A failing
// fetch or validation keeps the last good snapshot live, records the error
// (officers' page) and exits 1 with the reasons. Cron runs it on every
// host; a lock file in state_dir keeps two runs on one host from
// overlapping, and the "urna-sync" lease in the database (store/lease_store.h)
// lets one run at a time work across all hosts: the others exit 0 naming
// the holder. A run that dies leaves the lease to expire (lease_ttl).
//
//   urna-sync [--config FILE] [-q] [--full] [--strict]  sync now
//   urna-sync [--config FILE] [-q] --if-requested       sync only if the webhook asked
//   urna-sync [--config FILE] --migrate                 apply the schema migrations
//   urna-sync --check DIR [--root FOLDER] [--strict]    validate a working tree (no
//                                                       database; for pull-request CI)
//
// Warnings (unknown fields, Elekto quirks urna runs correctly) are printed
// and stored with the snapshot for the officers' pages; they do not block.
// --strict makes them block like errors: `--check --strict` exits 1 (an
// organization's pull-request CI), and a sync with --strict keeps the last
// good snapshot live and records them as the sync's error.
//
// --quiet prints nothing unless the run fails (cron mails any output, so
// the cron lines use it); without it a successful run says what it did.
// When the branch is still at the live snapshot's commit and this binary
// and meta_root built that snapshot (state_dir/urna-sync.last), the tree
// would give the same snapshot: the run is recorded without loading it.
// --full loads and validates anyway. --timeout (default 600 s) ends a run
// that hangs (a fetch from a server that stopped answering), so the lock
// is released and cron's next run can try again.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "bin/config_file.h"
#include "core/snapshot_json.h"
#include "meta/git_repo.h"
#include "meta/loader.h"
#include "store/db.h"
#include "store/lease_store.h"
#include "store/migrate.h"
#include "store/sync_store.h"

namespace {

int usage() {
  std::cerr << "usage: urna-sync [--config FILE] [--quiet] [--full] [--strict]\n"
               "                 [--timeout SECONDS] [--if-requested | --migrate]\n"
               "       urna-sync --check DIR [--root FOLDER] [--strict]\n";
  return 2;
}

// SIGALRM after --timeout seconds: say so and leave (async-signal-safe:
// write, alarm, an atomic store and _exit only). The database rolls back an
// unfinished transaction; the kernel releases the lock; the lease is
// released by its keeper thread (store/lease_store.h).
char timeout_message[160];
size_t timeout_message_len = 0;

volatile sig_atomic_t timeouts = 0;

extern "C" void on_timeout(int) {
  if (timeouts++ == 0) {
    if (write(2, timeout_message, timeout_message_len) < 0) {
    }
    // A run holding the lease: its keeper thread frees it and exits, so
    // that the next run (on any host) need not wait lease_ttl. Should the
    // database not answer, the next alarm ends the process anyway.
    if (urna::store::LeaseKeeper::abandon_from_signal()) {
      alarm(5);
      return;
    }
  }
  _exit(1);
}

void arm_timeout(unsigned seconds) {
  if (seconds == 0) return;
  timeout_message_len = static_cast<size_t>(
      std::snprintf(timeout_message, sizeof timeout_message,
                    "urna-sync: timed out after %u s (a fetch that hangs?); the last good snapshot "
                    "stays live\n",
                    seconds));
  if (timeout_message_len >= sizeof timeout_message)
    timeout_message_len = sizeof timeout_message - 1;
  struct sigaction sa {};
  sa.sa_handler = on_timeout;
  sigaction(SIGALRM, &sa, nullptr);
  alarm(seconds);
}

// What a successful run says: nothing with --quiet.
struct Out {
  bool quiet = false;
  std::ostream& info() {
    static std::ostream null(nullptr);
    return quiet ? null : std::cout;
  }
  std::ostream& warn() {
    static std::ostream null(nullptr);
    return quiet ? null : std::cerr;
  }
};

void print_block(std::ostream& os, const std::string& text) {
  if (!text.empty()) os << text << (text.back() == '\n' ? "" : "\n");
}

// ", 2 warnings" and the like; "" for none.
std::string warnings_note(size_t n) {
  if (n == 0) return "";
  return ", " + std::to_string(n) + (n == 1 ? " warning" : " warnings");
}

int check_tree(const std::string& dir, const std::string& root, bool strict) {
  const urna::meta::LoadResult r = urna::meta::load_repository(dir, root);
  const std::string report = r.report();
  if (!report.empty()) std::cerr << report << (report.back() == '\n' ? "" : "\n");
  const size_t warnings = urna::meta::count_warnings(r.issues);
  if (!r.ok()) {
    std::cerr << "urna-sync: " << dir << ": " << urna::meta::count_errors(r.issues) << " error(s)"
              << warnings_note(warnings) << "; the repository would be rejected\n";
    return 1;
  }
  if (strict && warnings > 0) {
    std::cerr << "urna-sync: " << dir << ": " << warnings
              << " warning(s), refused with --strict (urna-sync without --strict accepts them)\n";
    return 1;
  }
  std::cout << "urna-sync: " << dir << ": " << r.snapshot.elections.size() << " election(s), valid"
            << warnings_note(warnings) << "\n";
  return 0;
}

// Holds an exclusive flock on state_dir/urna-sync.lock for the process's
// life; false when another run holds it.
bool take_lock(const std::string& state_dir, int& fd) {
  const std::string path = state_dir + "/urna-sync.lock";
  fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    throw std::runtime_error("cannot open the lock file " + path + ": " + std::strerror(errno) +
                             " (state_dir must exist and be writable by this user)");
  return flock(fd, LOCK_EX | LOCK_NB) == 0;
}

// What the snapshot of `commit` depends on besides the commit: the loader
// (this binary: its size, mtime and inode change with every build and
// install) and the elections folder. The loader reads no clock.
std::string build_fingerprint(const urna::core::Config& cfg, const std::string& commit,
                              bool strict) {
  struct stat st {};
  std::string exe = "unknown";
  if (stat("/proc/self/exe", &st) == 0)
    exe = std::to_string(st.st_size) + "." + std::to_string(st.st_mtime) + "." +
          std::to_string(st.st_ino);
  return commit + "\t" + cfg.meta_root + "\t" + exe + (strict ? "\tstrict" : "") + "\n";
}

std::string read_small_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Best effort: without the file the next run just loads the tree again.
void write_small_file(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out) return;
  }
  std::rename(tmp.c_str(), path.c_str());
}

// URNA_TEST_PAUSE=SECONDS: for the tests only (t/e2e/lease_test.py), a run
// that holds its lease that long before working, so that two runs overlap
// or one can be killed mid-run. Unset in production; docs/cluster.md.
void test_pause() {
  const char* v = std::getenv("URNA_TEST_PAUSE");
  if (!v || !*v) return;
  const int n = std::atoi(v);
  if (n <= 0 || n > 3600) return;
  std::cout << "urna-sync: URNA_TEST_PAUSE: holding the lease " << n << " s" << std::endl;
  sleep(static_cast<unsigned>(n));
}

int sync(const urna::core::Config& cfg, bool if_requested, bool full, bool strict, Out& out) {
  namespace store = urna::store;
  int lock_fd = -1;
  if (!take_lock(cfg.state_dir, lock_fd)) {
    out.warn() << "urna-sync: another urna-sync is running; skipped\n";
    return 0;
  }
  store::Db db(cfg);
  const int have = store::schema_version(db);
  if (have != store::expected_schema_version()) {
    std::cerr << "urna-sync: the database schema is version " << have << ", this build needs "
              << store::expected_schema_version() << ": run urna-sync --migrate\n";
    return 1;
  }
  const std::string owner = store::lease_owner_name();
  const store::LeaseTaken lease = store::take_lease(db, "urna-sync", owner, cfg.lease_ttl);
  if (!lease.taken) {
    out.warn() << "urna-sync: " << lease.holder.owner << " holds the urna-sync lease (for "
               << lease.holder.expires_in << " s more unless renewed); skipped\n";
    return 0;
  }
  if (!lease.previous.empty())
    out.warn() << "urna-sync: took over the expired urna-sync lease of " << lease.previous << "\n";
  store::LeaseKeeper keeper(store::db_params(cfg), "urna-sync", owner, cfg.lease_ttl);
  test_pause();
  if (if_requested && !store::take_sync_request(db)) return 0;
  const auto now = static_cast<urna::core::UnixTime>(std::time(nullptr));
  std::string commit;
  try {
    commit = urna::meta::fetch_checkout(cfg.repo_url, cfg.repo_branch, cfg.repo_dir);
  } catch (const urna::meta::GitError& e) {
    const std::string msg = std::string("fetch failed: ") + e.what();
    store::record_sync_failure(db, urna::meta::head_commit(cfg.repo_dir), msg, now);
    std::cerr << "urna-sync: " << msg << "\nurna-sync: the last good snapshot stays live\n";
    return 1;
  }
  const std::string last_path = cfg.state_dir + "/urna-sync.last";
  // A --strict run does not take a lenient run's word that the tree is fine.
  const std::string fingerprint = build_fingerprint(cfg, commit, strict);
  if (!full && read_small_file(last_path) == fingerprint) {
    const auto live = store::load_live_snapshot(db);
    if (live && live->commit == commit) {
      // Records the run (and clears an error left by another commit).
      const std::int64_t id = store::save_snapshot(db, commit, live->json, now);
      out.info() << "urna-sync: commit " << commit << ": unchanged, snapshot " << id << " live\n";
      return 0;
    }
  }
  urna::meta::LoadResult r = urna::meta::load_repository(cfg.repo_dir, cfg.meta_root);
  const std::string report = r.report();
  const size_t nwarnings = urna::meta::count_warnings(r.issues);
  if (!r.ok() || (strict && nwarnings > 0)) {
    store::record_sync_failure(db, commit, report, now);
    std::cerr << report << (report.empty() || report.back() == '\n' ? "" : "\n")
              << "urna-sync: commit " << commit << " has ";
    if (!r.ok())
      std::cerr << urna::meta::count_errors(r.issues) << " error(s)" << warnings_note(nwarnings);
    else
      std::cerr << nwarnings << " warning(s), refused with --strict";
    std::cerr << "; the last good snapshot stays live\n";
    return 1;
  }
  print_block(out.warn(), report);  // warnings only
  std::vector<store::SyncWarning> warnings;
  for (const auto& i : r.issues) warnings.push_back({i.election, i.to_string()});
  // Not in the repository but in this host's configuration: an election
  // that has not closed and has no ballot key cannot open its booth.
  for (const auto& e : r.snapshot.elections) {
    if (e.is_parent() || !e.ballot_key.empty() || !cfg.ballot_key.empty()) continue;
    if (urna::core::phase_at(e, now) == urna::core::Phase::kClosed) continue;
    const std::string w = cfg.meta_root + "/" + e.id +
                          "/election.yaml: ballot_key: warning: no ballot key (neither "
                          "ballot_key: here nor a default in urna.conf), so its booth will not "
                          "open; make one with urna-tally --keygen on the counting host";
    out.warn() << w << "\n";
    warnings.push_back({e.id, w});
  }
  r.snapshot.commit = commit;
  const size_t elections = r.snapshot.elections.size();
  std::string json = urna::core::snapshot_to_json(r.snapshot);
  r = urna::meta::LoadResult();  // the model is no longer needed: free it before storing
  std::int64_t id = 0;
  try {
    id = store::save_snapshot(db, commit, json, now, &warnings);
  } catch (const std::exception& e) {
    // Recorded like a validation failure, so the officers' page shows it.
    std::string msg = std::string("storing the snapshot failed: ") + e.what();
    // A row larger than the server's max_allowed_packet is refused, or the
    // server just drops the connection ("gone away"): name the likely cause.
    if (json.size() > (1u << 20) || msg.find("max_allowed_packet") != std::string::npos)
      msg += "\nurna-sync: the snapshot is " + std::to_string(json.size() / 1024) +
             " KiB: the database server's max_allowed_packet must be larger (docs/metadata.md)";
    try {
      store::Db again(cfg);  // the failed connection may be closed
      store::record_sync_failure(again, commit, msg, now);
    } catch (const std::exception&) {
      // The database is gone; the exit status and the message still tell.
    }
    std::cerr << "urna-sync: " << msg << "\nurna-sync: the last good snapshot stays live\n";
    return 1;
  }
  write_small_file(last_path, fingerprint);
  out.info() << "urna-sync: commit " << commit << ": " << elections << " election(s), snapshot "
             << id << " live" << warnings_note(warnings.size())
             << (warnings.empty() ? "" : " (listed on the officers' pages)") << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path = URNA_SYSCONFDIR "/urna.conf";
  std::string check_dir, root = "elections";
  bool migrate = false, if_requested = false, check = false, full = false, strict = false;
  unsigned timeout = 600;  // seconds; 0 = none
  Out out;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--config" && i + 1 < argc)
      config_path = argv[++i];
    else if (a == "--check" && i + 1 < argc)
      check = true, check_dir = argv[++i];
    else if (a == "--root" && i + 1 < argc)
      root = argv[++i];
    else if (a == "--migrate")
      migrate = true;
    else if (a == "--if-requested")
      if_requested = true;
    else if (a == "--quiet" || a == "-q")
      out.quiet = true;
    else if (a == "--full")
      full = true;
    else if (a == "--strict")
      strict = true;
    else if (a == "--timeout" && i + 1 < argc) {
      const std::string v = argv[++i];
      if (v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos)
        return usage();
      timeout = static_cast<unsigned>(std::stoul(v));
    } else if (a == "--help" || a == "-h")
      return usage(), 0;
    else
      return usage();
  }
  if (strict && migrate) return usage();
  if (check) return check_tree(check_dir, root, strict);
  arm_timeout(timeout);
  try {
    const urna::core::Config cfg = urna::bin::read_config_file(config_path, false);
    urna::store::global_init();
    if (migrate) {
      urna::store::Db db(cfg);
      const auto applied = urna::store::migrate(
          db, cfg.sql_dir, static_cast<urna::core::UnixTime>(std::time(nullptr)));
      if (applied.empty())
        out.info() << "urna-sync: schema is current (version "
                   << urna::store::expected_schema_version() << ")\n";
      for (int v : applied) out.info() << "urna-sync: applied migration " << v << "\n";
      return 0;
    }
    return sync(cfg, if_requested, full, strict, out);
  } catch (const urna::core::ConfigError& e) {
    std::cerr << "urna-sync: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "urna-sync: " << e.what() << "\n";
    return 1;
  }
}
