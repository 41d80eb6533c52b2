#!/bin/sh
# HTTP benchmark of urna.fcgi behind nginx (not a test; nothing is asserted).
#
#   bench/http_bench.sh [BUILDDIR]
#
# Starts a private MariaDB, migrates it, syncs examples/meta, then for 1 and
# 2 worker threads starts urna.fcgi and nginx with the shipped snippet
# (t/lib/harness.py, as the tests do) and runs wrk --latency against
# /urna/health and the rendered home page /urna/. Prints requests/s, p50
# and p99 latency and the worker process's resident memory (VmRSS after the
# run, VmHWM = peak) as a Markdown table.
#
# Environment: DURATION (wrk -d, default 10s), CONNECTIONS (wrk -c, default
# 16), THREADS (wrk -t, default 2), WORKERS (default "1 2").
# Needs: wrk, nginx, mariadb-server, a built urna.fcgi and urna-sync.
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
for p in wrk nginx mariadbd; do
  command -v $p >/dev/null 2>&1 || [ -x /usr/sbin/$p ] || { echo "missing: $p (apt-get install wrk nginx mariadb-server)" >&2; exit 1; }
done
[ -x "$URNA_BUILDDIR/urna.fcgi" ] || { echo "build first: $URNA_BUILDDIR/urna.fcgi not found" >&2; exit 1; }
PY=/usr/bin/python3; [ -x $PY ] || PY=python3
exec $PY - <<'EOF'
import os, re, shutil, subprocess, sys, time
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.environ["URNA_SRCDIR"], "t", "lib"))
import harness
from harness import MariaDB, Urna, Nginx, Http

duration = os.environ.get("DURATION", "10s")
conns = os.environ.get("CONNECTIONS", "16")
threads = os.environ.get("THREADS", "2")
worker_counts = [int(w) for w in os.environ.get("WORKERS", "1 2").split()]

def wrk(url):
    out = subprocess.run(["wrk", "-t", threads, "-c", conns, "-d", duration, "--latency", url],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {"rps": float(rps.group(1)) if rps else 0.0, "p50": lat.get("50", "?"),
            "p99": lat.get("99", "?"), "non2xx": int(non2xx.group(1)) if non2xx else 0,
            "errors": errors.group(0) if errors else "", "raw": out}

def mem(pid):
    vals = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                vals[k] = int(v.split()[0]) // 1024
    return vals

db = MariaDB(database="urna").start()
repo = os.path.join(db.dir, "meta-repo")
shutil.copytree(os.path.join(harness.SRCDIR, "examples", "meta"), repo)
for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "examples"]):
    subprocess.run(["git", "-C", repo, "-c", "user.name=bench", "-c", "user.email=bench@localhost"]
                   + args, check=True, stdout=subprocess.DEVNULL)

rows = []
for n in worker_counts:
    app = Urna(db, workers=n, auth="demo", repo_url=repo)
    if n == worker_counts[0]:
        app.migrate()
        rc, out = app.sync(check=False)
        if rc:
            print("urna-sync exited %d (benchmarking anyway):\n%s" % (rc, out[-2000:]), file=sys.stderr)
    app.start()
    web = Nginx(app).start()
    client = Http(web.port)
    for path in ("/urna/health", "/urna/"):
        r = client.get(path)
        if r.status != 200:
            print("warning: %s answered %s" % (path, r.status), file=sys.stderr)
        # Warm-up (connections, template cache), then the measured run.
        subprocess.run(["wrk", "-t", "1", "-c", "2", "-d", "1s", web.url + path],
                       stdout=subprocess.DEVNULL)
        res = wrk(web.url + path)
        m = mem(app.pid)
        rows.append((n, path, res, m))
        print("workers=%d %-14s %9.0f req/s  p50 %-8s p99 %-8s RSS %d MB (peak %d MB)%s"
              % (n, path, res["rps"], res["p50"], res["p99"], m.get("VmRSS", 0), m.get("VmHWM", 0),
                 ("  non-2xx: %d" % res["non2xx"]) if res["non2xx"] else ""), flush=True)
    web.stop()
    app.stop()
db.stop()

cpu = ""
try:
    with open("/proc/cpuinfo") as f:
        m = re.search(r"model name\s*:\s*(.*)", f.read())
        cpu = m.group(1) if m else ""
except OSError:
    pass
print("\nwrk -t%s -c%s -d%s --latency through nginx; %d CPUs (%s)\n" % (
    threads, conns, duration, os.cpu_count(), cpu))
print("| workers | path | requests/s | p50 | p99 | urna.fcgi RSS (peak) |")
print("|---|---|---|---|---|---|")
for n, path, res, m in rows:
    print("| %d | `%s` | %.0f | %s | %s | %d MB (%d MB) |%s" % (
        n, path, res["rps"], res["p50"], res["p99"], m.get("VmRSS", 0), m.get("VmHWM", 0),
        (" %d non-2xx" % res["non2xx"]) if res["non2xx"] else ""))
EOF
