#!/bin/sh
# Sync and page benchmark for a large metadata repository (issue 3, "Figures
# to measure"; not a test, nothing is asserted).
#
#   bench/sync_bench.sh [BUILDDIR]
#
# Generates a repository with bench/gen_repo.py (default 200 elections x
# 2,000 voters x 15 candidates), starts a private MariaDB (t/lib/harness.py,
# as the tests do), and measures with /usr/bin/time -v:
#   1. the first full sync: clone + load + validate + store (RUNS times,
#      each into a new database and clone; median and range);
#   2. a sync with nothing new (fetch; the live snapshot is recorded again);
#   3. the same with --full (fetch + load + validate, snapshot unchanged);
#   4. a sync after a one-line commit: fetch + load + validate + store;
# then starts urna.fcgi and nginx (the shipped snippet) and runs wrk against
# the list page /urna/ and an election page (15 candidates), and times the
# first request after a new snapshot (every worker re-reads it once).
# Prints a Markdown table; docs/pages.md has the figures of one run.
#
# Environment: RUNS (first syncs, each into a new database, 5; the table
# shows their median and range), OLD_SYNC (another build's urna-sync, timed
# in turn with this one), ELECTIONS (200), VOTERS (2000), CANDIDATES (15), WORKERS
# (urna.fcgi threads, 2), DURATION (wrk -d, 10s), CONNECTIONS (wrk -c, 16),
# THREADS (wrk -t, 2), MAX_PACKET (MariaDB max_allowed_packet, 256 MiB:
# the snapshot is one row larger than the default 16 MiB).
# Needs: wrk, nginx, mariadb-server, git, GNU time (/usr/bin/time), a built
# urna.fcgi and urna-sync.
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
for p in wrk nginx mariadbd git; do
  command -v $p >/dev/null 2>&1 || [ -x /usr/sbin/$p ] || { echo "missing: $p (apt-get install wrk nginx mariadb-server git)" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "missing: /usr/bin/time (apt-get install time)" >&2; exit 1; }
for b in urna.fcgi urna-sync; do
  [ -x "$URNA_BUILDDIR/$b" ] || { echo "build first: $URNA_BUILDDIR/$b not found" >&2; exit 1; }
done
PY=/usr/bin/python3; [ -x $PY ] || PY=python3
exec $PY - <<'EOF'
import os, re, shutil, subprocess, sys, time, zlib
sys.path.insert(0, os.path.join(os.environ["URNA_SRCDIR"], "t", "lib"))
import harness
from harness import MariaDB, Urna, Nginx, Http

n_el = int(os.environ.get("ELECTIONS", "200"))
n_vo = int(os.environ.get("VOTERS", "2000"))
n_ca = int(os.environ.get("CANDIDATES", "15"))
workers = int(os.environ.get("WORKERS", "2"))
duration = os.environ.get("DURATION", "10s")
conns = os.environ.get("CONNECTIONS", "16")
threads = os.environ.get("THREADS", "2")
max_packet = int(os.environ.get("MAX_PACKET", str(256 << 20)))
runs = int(os.environ.get("RUNS", "5"))


def timed(argv):
    """Runs argv under GNU time; returns (exit status, seconds, peak RSS MB, output)."""
    r = subprocess.run(["/usr/bin/time", "-v"] + argv, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    out = r.stdout
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", out)
    secs = 0.0
    if wall:
        for part in wall.group(1).split(":"):
            secs = secs * 60 + float(part)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", out)
    return r.returncode, secs, (int(rss.group(1)) / 1024 if rss else 0), out


def cpu_of(out):
    """User + system CPU seconds from GNU time -v's output."""
    user = re.search(r"User time \(seconds\): (\S+)", out)
    system = re.search(r"System time \(seconds\): (\S+)", out)
    return (float(user.group(1)) if user else 0.0), (float(system.group(1)) if system else 0.0)


def wrk(url):
    out = subprocess.run(["wrk", "-t", threads, "-c", conns, "-d", duration, "--latency", url],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {"rps": float(rps.group(1)) if rps else 0.0, "p50": lat.get("50", "?"),
            "p99": lat.get("99", "?"), "non2xx": int(non2xx.group(1)) if non2xx else 0}


def git(repo, *args):
    subprocess.run(["git", "-C", repo, "-c", "user.name=bench", "-c", "user.email=bench@localhost",
                    "-c", "commit.gpgsign=false"] + list(args), check=True,
                   stdout=subprocess.DEVNULL)


db = MariaDB(database="urna").start()
# The snapshot of a large repository is one row of tens of MB; MariaDB's
# default max_allowed_packet (16 MB) refuses it (docs/metadata.md).
db.sql("SET GLOBAL max_allowed_packet = %d" % max_packet)
repo = os.path.join(db.dir, "meta-repo")
t0 = time.monotonic()
subprocess.run([sys.executable, os.path.join(harness.SRCDIR, "bench", "gen_repo.py"), repo,
                "--elections", str(n_el), "--voters", str(n_vo), "--candidates", str(n_ca),
                "--git"], check=True)
gen_secs = time.monotonic() - t0
size = subprocess.run(["du", "-sm", "--exclude=.git", repo], stdout=subprocess.PIPE,
                      text=True).stdout.split()[0]
print("generated %d elections x %d voters x %d candidates (%s MB) in %.1fs"
      % (n_el, n_vo, n_ca, size, gen_secs), flush=True)

# The first sync, RUNS times, each into a new database and a new clone; with
# OLD_SYNC (another build's urna-sync) the two binaries take turns, so both
# see the same machine.
binaries = [("urna-sync", os.path.join(harness.BUILDDIR, "urna-sync"))]
if os.environ.get("OLD_SYNC"):
    binaries.append(("OLD_SYNC", os.path.abspath(os.environ["OLD_SYNC"])))
first = {label: [] for label, _ in binaries}
# `git clone` of the same repository, as a yardstick of what creating its
# 3,600 files costs on this machine at this moment (most of it kernel time).
binaries_and_git = binaries + [("git clone", None)]
first["git clone"] = []
clones = []
for run in range(runs):
    for label, binary in binaries_and_git:
        if binary is None:
            dest = os.path.join(db.dir, "git-clone-%d" % run)
            rc, secs, rss, out = timed(["git", "clone", "-q", repo, dest])
            first[label].append((secs, rss, rc, cpu_of(out)))
            print("first sync %d, %-9s %6.2f s  (user %.2f s, sys %.2f s)"
                  % (run + 1, label, secs, *cpu_of(out)), flush=True)
            clones.append(dest)
            continue
        name = "first_%s_%d" % ("new" if label == "urna-sync" else "old", run)
        db.create_database(name)
        fresh = Urna(db, workers=workers, auth="demo", repo_url=repo, database=name)
        fresh.sync_bin = binary
        fresh.migrate()
        rc, secs, rss, out = timed([binary, "--config", fresh.config_path])
        if rc:
            print("%s exited %d:\n%s" % (binary, rc, out[-3000:]), file=sys.stderr)
        first[label].append((secs, rss, rc, cpu_of(out)))
        print("first sync %d, %-9s %6.2f s  (user %.2f s, sys %.2f s)  peak RSS %6.1f MB%s"
              % (run + 1, label, secs, *cpu_of(out), rss, "" if rc == 0 else "  FAILED"),
              flush=True)
        # Kept to the end: ext4 creates files more slowly (kernel time) just
        # after thousands were deleted, which would slow every later run.
        clones.append(fresh.settings["repo_dir"])


def median(xs):
    xs = sorted(xs)
    return (xs[len(xs) // 2] + xs[(len(xs) - 1) // 2]) / 2


app = Urna(db, workers=workers, auth="demo", repo_url=repo)
app.migrate()
sync = [app.sync_bin, "--config", app.config_path]
rows = []
for what in ("first sync (clone + load + validate + store)",
             "sync, nothing new (fetch; snapshot unchanged)",
             "sync --full, nothing new (fetch + load + validate)",
             "sync after a commit (fetch + load + validate + store)"):
    if what.startswith("sync after"):
        path = os.path.join(repo, "elections", "bench", "e002", "election.yaml")
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write(text.replace("name: Benchmark Election 002", "name: Benchmark Election 002 (renamed)"))
        git(repo, "commit", "-q", "-am", "rename e002")
    rc, secs, rss, out = timed(sync + (["--full"] if "--full" in what else []))
    if rc:
        print("urna-sync exited %d:\n%s" % (rc, out[-3000:]), file=sys.stderr)
    rows.append((what, secs, rss, rc))
    print("%-55s %7.2f s  peak RSS %6.1f MB%s" % (what, secs, rss, "" if rc == 0 else "  FAILED"),
          flush=True)
# The live snapshot's JSON and its stored size ("urnaZ1\n" + zlib, src/store/blob.h).
body = bytes.fromhex(db.sql("SELECT HEX(s.body) FROM sync_state st JOIN snapshots s"
                            " ON s.id = st.live_snapshot_id", database="urna").strip())
blob_prefix = b"urnaZ1\n"
json_bytes = len(zlib.decompress(body[len(blob_prefix):])) if body.startswith(blob_prefix) \
    else len(body)

app.start()
web = Nginx(app).start()
client = Http(web.port)
election = "/urna/elections/bench/e002"  # running, 15 candidates
# The first request after a new snapshot: the worker reads and parses it.
t0 = time.monotonic()
r = client.get("/urna/")
first_ms = (time.monotonic() - t0) * 1000
print("first request after start (reads the snapshot): %.0f ms, status %d, %d bytes"
      % (first_ms, r.status, len(r.body)), flush=True)
pages = []
for path in ("/urna/", election):
    r = client.get(path)
    if r.status != 200:
        print("warning: %s answered %s" % (path, r.status), file=sys.stderr)
    subprocess.run(["wrk", "-t", "1", "-c", "2", "-d", "1s", web.url + path], stdout=subprocess.DEVNULL)
    res = wrk(web.url + path)
    res["bytes"] = len(r.body)
    pages.append((path, res))
    print("%-30s %8.0f req/s  p50 %-8s p99 %-8s (%d bytes)%s" % (
        path, res["rps"], res["p50"], res["p99"], res["bytes"],
        ("  non-2xx: %d" % res["non2xx"]) if res["non2xx"] else ""), flush=True)
with open("/proc/%d/status" % app.pid) as f:
    st = dict(l.split(":", 1) for l in f if ":" in l)
fcgi_rss = int(st.get("VmHWM", "0 kB").split()[0]) // 1024
web.stop()
app.stop()
db.stop()
for dest in clones:
    shutil.rmtree(dest, ignore_errors=True)

cpu = ""
try:
    with open("/proc/cpuinfo") as f:
        m = re.search(r"model name\s*:\s*(.*)", f.read())
        cpu = m.group(1) if m else ""
except OSError:
    pass
print("\n%d elections x %d voters x %d candidates (%s MB of files); snapshot JSON %d bytes"
      " (%d stored); %d CPUs (%s)\n" % (n_el, n_vo, n_ca, size, json_bytes, len(body),
                                        os.cpu_count(), cpu))
print("| first sync, median (range) of %d | wall time | user CPU | system CPU | peak RSS |" % runs)
print("|---|---|---|---|---|")
for label, _ in binaries_and_git:
    secs = [x[0] for x in first[label]]
    print("| %s | %.2f s (%.2f–%.2f) | %.2f s | %.2f s | %.0f MB |%s" % (
        {"urna-sync": "urna-sync (clone + load + validate + store)",
         "OLD_SYNC": "OLD_SYNC, the same", "git clone": "`git clone` alone, for comparison"}[label],
        median(secs), min(secs), max(secs), median([x[3][0] for x in first[label]]),
        median([x[3][1] for x in first[label]]), median([x[1] for x in first[label]]),
        "" if all(x[2] == 0 for x in first[label]) else " FAILED"))
print()
print("| urna-sync | wall time | peak RSS |")
print("|---|---|---|")
for what, secs, rss, rc in rows:
    print("| %s | %.2f s | %.0f MB |%s" % (what, secs, rss, "" if rc == 0 else " exit %d" % rc))
print("\nurna.fcgi, %d worker threads, behind nginx; wrk -t%s -c%s -d%s; first request after a"
      " new snapshot: %.0f ms; urna.fcgi peak RSS %d MB\n"
      % (workers, threads, conns, duration, first_ms, fcgi_rss))
print("| page | requests/s | p50 | p99 | size |")
print("|---|---|---|---|---|")
for path, res in pages:
    print("| `%s` | %.0f | %s | %s | %d KB |%s" % (
        path, res["rps"], res["p50"], res["p99"], res["bytes"] // 1024,
        (" %d non-2xx" % res["non2xx"]) if res["non2xx"] else ""))
EOF
