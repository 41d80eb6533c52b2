#!/bin/sh
# urna-tally database-mode benchmark (issue 4; not a test, nothing is
# asserted): how long urna-tally takes to read and count BALLOTS ballots
# from MariaDB, build the shuffled export and store the results.
#
#   bench/tally_db_bench.sh [BUILDDIR]
#
# Starts a private MariaDB (t/lib/harness.py, as the tests do), syncs a
# one-election repository (closed, CANDIDATES candidates, METHOD, SEATS
# seats, delete_after), inserts BALLOTS ballot rows with SQL in the stored
# encoding (random rankings of random length, a "voted" row with a sealed
# link for each), then times with /usr/bin/time -v:
#   1. urna-tally: read + decode + count + export + store + erase links;
#   2. urna-tally again: nothing to do (two COUNT queries per election).
# Prints a Markdown table; docs/results.md has the figures of one run.
#
# Environment: BALLOTS (100000), CANDIDATES (15), METHOD (schulze), SEATS (3),
# MAX_PACKET (MariaDB max_allowed_packet in bytes; default: the server's,
# 16 MiB, which holds the export of about 170,000 ballots of 15 candidates).
# Needs: mariadb-server, git, GNU time (/usr/bin/time), a built urna-sync and
# urna-tally.
# BUILDDIR is taken relative to the directory the script was started in
# (bench/sync_bench.sh . from a build tree), so resolve it before the cd.
URNA_BUILDDIR=${1:-${URNA_BUILDDIR:-}}
if [ -n "$URNA_BUILDDIR" ]; then
  URNA_BUILDDIR=$(cd "$URNA_BUILDDIR" 2>/dev/null && pwd) || { echo "no such build directory: ${1:-$URNA_BUILDDIR}" >&2; exit 1; }
fi
cd "$(dirname "$0")/.." || exit 1
URNA_SRCDIR=$(pwd)
URNA_BUILDDIR=${URNA_BUILDDIR:-$URNA_SRCDIR}
export URNA_SRCDIR URNA_BUILDDIR
for p in mariadbd git; do
  command -v $p >/dev/null 2>&1 || [ -x /usr/sbin/$p ] || { echo "missing: $p (apt-get install mariadb-server git)" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "missing: /usr/bin/time (apt-get install time)" >&2; exit 1; }
for b in urna-sync urna-tally; do
  [ -x "$URNA_BUILDDIR/$b" ] || { echo "build first: $URNA_BUILDDIR/$b not found" >&2; exit 1; }
done
PY=/usr/bin/python3; [ -x $PY ] || PY=python3
exec $PY - <<'PYEOF'
import os, random, re, subprocess, sys, time
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.environ["URNA_SRCDIR"], "t", "lib"))
from harness import BUILDDIR, MariaDB, Urna

n_ballots = int(os.environ.get("BALLOTS", "100000"))
n_cand = int(os.environ.get("CANDIDATES", "15"))
method = os.environ.get("METHOD", "schulze")
seats = int(os.environ.get("SEATS", "3"))
EID = "bench/2020"


def timed(argv):
    r = subprocess.run(["/usr/bin/time", "-v"] + argv, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    out = r.stdout
    secs = 0.0
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", out)
    if wall:
        for part in wall.group(1).split(":"):
            secs = secs * 60 + float(part)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", out)
    return r.returncode, secs, int(rss.group(1)) / 1024 if rss else 0.0, out


db = MariaDB()
db.start()
if os.environ.get("MAX_PACKET"):
    db.sql("SET GLOBAL max_allowed_packet = %d" % int(os.environ["MAX_PACKET"]))
work = os.path.join(db.dir, "meta")
d = os.path.join(work, "elections", EID)
os.makedirs(d)
cands = ["c%02d" % i for i in range(1, n_cand + 1)]
with open(os.path.join(d, "election.yaml"), "w") as f:
    f.write("name: Bench\nstart_datetime: 2020-01-01 00:00:00\nend_datetime: 2020-02-01 00:00:00\n"
            "no_winners: %d\nmethod: %s\ndelete_after: true\nelection_officers:\n  - olga\n"
            % (seats, method))
with open(os.path.join(d, "voters.yaml"), "w") as f:
    f.write("eligible_voters:\n" + "".join("  - v%06d\n" % i for i in range(n_ballots)))
with open(os.path.join(d, "election_desc.md"), "w") as f:
    f.write("Bench.\n")
for c in cands:
    with open(os.path.join(d, "candidate-%s.md" % c), "w") as f:
        f.write("-------\nname: %s\nID: %s\n-------\nHi.\n" % (c.upper(), c))
g = ["git", "-C", work, "-c", "user.name=b", "-c", "user.email=b@localhost", "-c",
     "commit.gpgsign=false"]
subprocess.run(g + ["init", "-q", "-b", "main"], check=True)
subprocess.run(g + ["add", "-A"], check=True)
subprocess.run(g + ["commit", "-q", "-m", "bench"], check=True)
app = Urna(db, repo_url=work, repo_branch="main")
app.migrate()
app.sync()

t0 = time.monotonic()
rng = random.Random(42)
ranked = method not in ("plurality", "approval")
batch = []


def flush():
    if not batch:
        return
    db.sql("INSERT INTO ballots (id, election_id, question_id, ranking) VALUES %s;\n"
           "INSERT INTO voters_voted (election_id, login, salt, sealed) VALUES %s;"
           % (",".join(b[0] for b in batch), ",".join(b[1] for b in batch)), database=db.database)
    del batch[:]


for i in range(n_ballots):
    if ranked:
        k = rng.randint(1, n_cand)
        picked = rng.sample(cands, k)
        ranking = "&".join("%s=%d" % (c, picked.index(c) + 1) for c in sorted(picked))
    else:
        ranking = "%s=1" % rng.choice(cands)
    batch.append(("(UNHEX('%s'), '%s', 'main', '%s')" % (os.urandom(16).hex(), EID, ranking),
                  "('%s', 'v%06d', UNHEX('%s'), UNHEX('%s'))" % (EID, i, os.urandom(16).hex(),
                                                                  os.urandom(60).hex())))
    if len(batch) >= 5000:
        flush()
flush()
insert_secs = time.monotonic() - t0

tally = [os.path.join(BUILDDIR, "urna-tally"), "--config", app.config_path]
rc1, s1, m1, out1 = timed(tally)
rc2, s2, m2, out2 = timed(tally)
if rc1 or rc2:
    print(out1 + out2, file=sys.stderr)
    sys.exit(1)
csv_bytes = db.sql("SELECT LENGTH(ballots_csv) FROM results WHERE election_id = '%s'" % EID,
                   database=db.database).strip()
links = db.sql("SELECT COUNT(*) FROM voters_voted WHERE sealed IS NOT NULL",
               database=db.database).strip()
print("%d ballots, %d candidates, %s, %d seats (SQL inserts took %.1f s)\n"
      % (n_ballots, n_cand, method, seats, insert_secs))
print("| run | wall (s) | peak RSS (MB) |")
print("|---|---:|---:|")
print("| urna-tally: read, count, export (%s bytes of CSV), store, erase links | %.2f | %.0f |"
      % (csv_bytes, s1, m1))
print("| urna-tally again: up to date | %.2f | %.0f |" % (s2, m2))
print("\nsealed links left: %s" % links)
for line in out1.splitlines():
    if line.startswith("urna-tally:"):
        print("    " + line)
db.stop()
PYEOF
