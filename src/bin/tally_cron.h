// urna-tally's database modes, as thin mains: the scheduled count (cron) and
// the ballot keys. The rules live in src/count (scheduled.h, key_dir.h).
#ifndef URNA_BIN_TALLY_CRON_H_
#define URNA_BIN_TALLY_CRON_H_

namespace urna::bin {

// `urna-tally [--cron] [--quiet] [--config FILE]`: reads the configuration
// (default URNA_SYSCONFDIR/urna.conf) and runs count::run_cron at the
// current UTC time. Exit status 0 ok, 1 failed, 2 usage.
int cron_main(int argc, char** argv);

// `urna-tally --keygen [--config FILE | --key-dir DIR]`: a new ballot key
// pair, the private key into key_dir (0600), the public key printed as the
// `ballot_key:` line to publish. `urna-tally --forget-key ELECTION [--force]
// [--config FILE]`: count::forget_election_key. Returns the exit status.
int key_main(int argc, char** argv);

}  // namespace urna::bin

#endif  // URNA_BIN_TALLY_CRON_H_
