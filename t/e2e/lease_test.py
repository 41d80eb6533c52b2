#!/usr/bin/python3
"""The leases in the database (issue 11, item 1): one urna-sync and one
urna-tally at a time across hosts. Two "hosts" are two urna configurations
(their own state_dir, repo_dir and git checkout) on one real MariaDB; the
lease is what they share, not a lock file.

- both hosts' cron runs of urna-sync started together: one works, the other
  exits 0 naming the holder (host, pid, token); the same for urna-tally;
- the holder's lease is renewed while it runs longer than lease_ttl (a
  fetch from a git server that accepts and never answers); a run ended by
  --timeout frees it at once;
- the holder killed with SIGKILL mid-run: the next run is refused while the
  lease has not expired, then takes it over (saying whose), syncs or counts;
  the election is counted once;
- the same-host lock file still refuses a second run on one host.

URNA_TEST_PAUSE=SECONDS (docs/cluster.md) makes a run hold its lease that
long before it works, so that runs overlap on this fast machine.
Skips (77) only if a server program or a binary is missing.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import (BUILDDIR, Checks, MariaDB, Urna, git, insert_sealed_ballots,  # noqa: E402
                     write)

t = Checks("lease_test")
SYNC = os.path.join(BUILDDIR, "urna-sync")
TALLY = os.path.join(BUILDDIR, "urna-tally")
t.require_binaries("mariadb-install-db", "mariadbd", "mariadb", "git", SYNC, TALLY)
TTL = 3

db = t.watch(MariaDB()).start()
work = os.path.join(db.dir, "meta-work")


def election(eid, dates):
    d = os.path.join(work, "elections", eid)
    write(os.path.join(d, "election.yaml"), "name: %s\n%selection_officers:\n  - olga\n"
          % (eid, dates))
    write(os.path.join(d, "voters.yaml"), "eligible_voters:\n  - alice\n  - bob\n")
    write(os.path.join(d, "election_desc.md"), "Leases.\n")
    for c in ("ann", "ben"):
        write(os.path.join(d, "candidate-%s.md" % c), "---\nname: %s\nID: %s\n---\nBio.\n"
              % (c.title(), c))


election("past/one", "start_datetime: 2020-01-01 00:00:00\nend_datetime: 2020-02-01 00:00:00\n")
git(work, "init", "-q", "-b", "main")
git(work, "add", "-A")
git(work, "commit", "-q", "-m", "one")

# Host A and host B: one database, their own state_dir and checkout. The
# counting key is on both (either may count).
a = Urna(db, repo_url=work, lease_ttl=TTL)
b = Urna(db, repo_url=work, lease_ttl=TTL, ballot_key=a.ballot_key, key_dir=a.key_dir)
a.migrate()
t.check("the hosts have their own state_dir and repo_dir",
        a.settings["state_dir"] != b.settings["state_dir"] and
        a.settings["repo_dir"] != b.settings["repo_dir"])


def spawn(host, prog, extra_env=None, args=()):
    env = dict(os.environ)
    env.update(extra_env or {})
    return subprocess.Popen([prog, "--config", host.config_path] + list(args), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)


def finish(p, timeout=60):
    out, _ = p.communicate(timeout=timeout)
    return p.returncode, out


def lease_row(name):
    return db.sql("SELECT owner, expires_at - UNIX_TIMESTAMP() FROM leases WHERE name = '%s'"
                  % name, database=db.database).rstrip("\n")


def together(prog, pause="2"):
    ps = [spawn(h, prog, {"URNA_TEST_PAUSE": pause}) for h in (a, b)]
    return [(p.pid,) + finish(p) for p in ps]


# ---------------------------------------------------------------------------
t.section("urna-sync on both hosts at once")
res = together(SYNC)
worked = [r for r in res if r[1] == 0 and re.search(r"snapshot \d+ live", r[2])]
skipped = [r for r in res if r[1] == 0 and "holds the urna-sync lease" in r[2]]
t.check("both exit 0", all(r[1] == 0 for r in res), res)
t.check("exactly one works and the other skips", len(worked) == 1 and len(skipped) == 1, res)
if worked and skipped:
    t.check("the one that skips names the holder: host, pid and token",
            re.search(r"%s pid %d token [0-9a-f]{16} holds the urna-sync lease"
                      % (re.escape(socket.gethostname()), worked[0][0]), skipped[0][2]),
            skipped[0][2])
t.equal("one snapshot stored", db.sql("SELECT COUNT(*) FROM snapshots",
                                      database=db.database).strip(), "1")
t.check("the lease is released at the end", lease_row("urna-sync").startswith("\t"),
        lease_row("urna-sync"))
rc, out = b.sync(check=False)
t.check("a later run on the other host works (the lease was released)",
        rc == 0 and "live" in out, out)

t.section("the same-host guard: the lock file in state_dir")
p1 = spawn(a, SYNC, {"URNA_TEST_PAUSE": "2"})
time.sleep(0.5)
rc, out = finish(spawn(a, SYNC))
t.check("a second run on the same host is skipped by the lock file",
        rc == 0 and "another urna-sync is running" in out, out)
finish(p1)

# ---------------------------------------------------------------------------
t.section("a holder hanging in a fetch renews its lease; killed, it is taken over")
# A git server that accepts connections and never answers.
hang = socket.socket()
hang.bind(("127.0.0.1", 0))
hang.listen(16)
held = []
threading.Thread(target=lambda: [held.append(hang.accept()) for _ in range(16)],
                 daemon=True).start()
hung_url = "http://127.0.0.1:%d/meta.git" % hang.getsockname()[1]
a.settings["repo_url"] = hung_url
a.write_config()
rc, out = finish(spawn(a, SYNC, args=["--timeout", "2"]))
t.check("a run ended by --timeout exits 1 saying so", rc == 1 and "timed out after 2 s" in out,
        (rc, out))
t.check("... and frees its lease at once (no wait for lease_ttl)",
        lease_row("urna-sync").startswith("\t"), lease_row("urna-sync"))
rc, out = b.sync(check=False)
t.check("the other host's next run works at once", rc == 0 and "live" in out, out)
hung = spawn(a, SYNC, args=["--timeout", "120"])
deadline = time.monotonic() + 10
while time.monotonic() < deadline and str(hung.pid) not in lease_row("urna-sync"):
    time.sleep(0.1)
t.check("the hung run holds the lease", ("pid %d " % hung.pid) in lease_row("urna-sync"),
        lease_row("urna-sync"))
time.sleep(TTL * 2 + 1)  # longer than lease_ttl: renewals keep it
rc, out = b.sync(check=False)
t.check("after 2 x lease_ttl, the other host is still refused (renewed), exit 0",
        rc == 0 and ("pid %d " % hung.pid) in out and "holds the urna-sync lease" in out, out)
os.kill(hung.pid, signal.SIGKILL)
hung.wait()
killed_at = time.monotonic()
rc, out = b.sync(check=False)
t.check("right after the SIGKILL the lease has not expired: refused",
        rc == 0 and "holds the urna-sync lease" in out, out)
took = None
while time.monotonic() - killed_at < TTL + 5:
    rc, out = b.sync(check=False)
    if "holds the urna-sync lease" not in out:
        took = (rc, out, time.monotonic() - killed_at)
        break
    time.sleep(0.3)
t.check("after the expiry the next run takes over, saying whose, and syncs",
        took and took[0] == 0 and ("took over the expired urna-sync lease of %s pid %d"
                                   % (socket.gethostname(), hung.pid)) in took[1] and
        "live" in took[1], took)
t.check("not before lease_ttl - one renewal period had passed",
        took and took[2] >= TTL * 2 / 3 - 0.5, took)
a.settings["repo_url"] = work
a.write_config()

# ---------------------------------------------------------------------------
t.section("urna-tally on both hosts at once")
insert_sealed_ballots(db, a, "past/one", [{"main": "ann=1"}, {"main": "ben=1"},
                                          {"main": "ann=1&ben=2"}])
res = together(TALLY)
worked = [r for r in res if r[1] == 0 and "tallied 3 ballots" in r[2]]
skipped = [r for r in res if r[1] == 0 and "holds the urna-tally lease" in r[2]]
t.check("exactly one counts, the other exits 0 naming it",
        len(worked) == 1 and len(skipped) == 1 and
        ("pid %d token" % worked[0][0]) in skipped[0][2], res)

t.section("a tally killed mid-run is taken over after the expiry")
insert_sealed_ballots(db, a, "past/one", [{"main": "ben=1"}])  # a 4th: counted again
slow = spawn(a, TALLY, {"URNA_TEST_PAUSE": "60"})
deadline = time.monotonic() + 10
while time.monotonic() < deadline and ("pid %d " % slow.pid) not in lease_row("urna-tally"):
    time.sleep(0.1)
os.kill(slow.pid, signal.SIGKILL)
slow.wait()
killed_at = time.monotonic()
rc, out = finish(spawn(b, TALLY))
t.check("refused right after the kill", rc == 0 and "holds the urna-tally lease" in out, out)
took = None
while time.monotonic() - killed_at < TTL + 5:
    rc, out = finish(spawn(b, TALLY))
    if "holds the urna-tally lease" not in out:
        took = (rc, out)
        break
    time.sleep(0.3)
t.check("the next run takes over and counts the 4 ballots",
        took and took[0] == 0 and "took over the expired urna-tally lease" in took[1] and
        "tallied 4 ballots" in took[1], took)
t.equal("one results row", db.sql("SELECT COUNT(*), MAX(ballot_count) FROM results",
                                  database=db.database).strip(), "1\t4")
t.done()
