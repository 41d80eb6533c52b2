#!/usr/bin/python3
"""Voting benchmark (issues 5 and 8; not a test, but it counts the ballots).

    bench/vote_bench.py [--builddir DIR] [--voters 2000] [--concurrency 50]
                        [--workers 4] [--duration 10] [--scrypt-n 32768]
                        [--chosen-passcodes] [--scrypt-max-concurrent N]
                        [--runs 1] [--processes 2]

Starts a private MariaDB, urna.fcgi and nginx (t/lib/harness.py, as the
tests do) with a repository holding one running election of --voters voters
and 10 candidates. Then:

1. --concurrency voters at a time (threads in --processes load processes,
   each voter its own session) open the booth (GET) and cast a ballot (POST)
   through nginx; reports votes/s and the POST latency (p50, p99, max),
   then counts in the database that there is exactly one sealed ballot and
   one "voted" row per voter;
2. the election page with a signed-in session (the badges query the store):
   requests/s with wrk (-c 16) when installed, else with Python threads.

By default each voter keeps the passcode the booth suggests: it submits the
suggested passcode and its passcode_sig unchanged, so urna derives the key
with HKDF (what most voters do). --chosen-passcodes: each voter types a
passcode of their own, so every vote pays scrypt (the configuration's
default N=32768, r=8, p=1 unless --scrypt-n says otherwise) and at most
--scrypt-max-concurrent derivations run at once; a 503 (gate full) is
retried after its Retry-After, as a browser user would, and counted.
--runs N repeats everything with a fresh database and reports each run and
the medians. Prints Markdown tables; docs/voting.md has the figures.
"""

import argparse
import base64
from collections import Counter
import json
import multiprocessing
import hashlib
import hmac
import html
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from urllib.parse import urlencode

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)
ap = argparse.ArgumentParser()
ap.add_argument("--builddir", default=os.environ.get("URNA_BUILDDIR", SRC))
ap.add_argument("--voters", type=int, default=2000)
ap.add_argument("--concurrency", type=int, default=50)
ap.add_argument("--workers", type=int, default=4)
ap.add_argument("--duration", type=int, default=10)
ap.add_argument("--scrypt-n", type=int, default=32768)
ap.add_argument("--chosen-passcodes", action="store_true",
                help="voters type their own passcode (scrypt) instead of keeping the suggested one")
ap.add_argument("--scrypt-max-concurrent", type=int, default=None,
                help="urna.conf scrypt_max_concurrent (default: urna's default)")
ap.add_argument("--runs", type=int, default=1)
ap.add_argument("--processes", type=int, default=2,
                help="load-generator processes sharing the --concurrency voter threads")
ap.add_argument("--mariadb-option", action="append", default=[],
                help="extra mariadbd option, e.g. --innodb-flush-log-at-trx-commit=1 "
                     "(the harness uses 2); repeatable")
args = ap.parse_args()
os.environ.setdefault("URNA_SRCDIR", SRC)
os.environ["URNA_BUILDDIR"] = os.path.abspath(args.builddir)
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(SRC, "t", "lib"))
from harness import MariaDB, Nginx, Urna, Http, sealed_ballots, which  # noqa: E402

for b in ("urna.fcgi", "urna-sync"):
    if not os.access(os.path.join(args.builddir, b), os.X_OK):
        sys.exit("build first: %s not found in %s" % (b, args.builddir))

EID = "bench/2026"
CANDIDATES = ["c%02d" % i for i in range(10)]


def git(repo, *a):
    subprocess.run(["git", "-C", repo, "-c", "user.name=bench", "-c", "user.email=bench@localhost",
                    "-c", "commit.gpgsign=false"] + list(a), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def build_repo(path):
    e = os.path.join(path, "elections", "bench", "2026")
    os.makedirs(e)
    with open(os.path.join(e, "election.yaml"), "w") as f:
        f.write("name: Benchmark\norganization: bench\nstart_datetime: 2020-01-01 00:00:00\n"
                "end_datetime: 2099-01-01 00:00:00\nno_winners: 3\nallow_no_opinion: True\n"
                "election_officers:\n  - officer\n")
    with open(os.path.join(e, "election_desc.md"), "w") as f:
        f.write("A benchmark election.\n")
    with open(os.path.join(e, "voters.yaml"), "w") as f:
        f.write("eligible_voters:\n" + "".join("  - v%05d\n" % i for i in range(args.voters)))
    for c in CANDIDATES:
        with open(os.path.join(e, "candidate-%s.md" % c), "w") as f:
            f.write("-------\nname: Candidate %s\nID: %s\n-------\n\nBio.\n" % (c, c))
    git(path, "init", "-q", "-b", "main")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "bench")


def session_cookie(key, login):
    def b64(b):
        return base64.urlsafe_b64encode(b).rstrip(b"=").decode()
    payload = "v1|%s|%d|%s" % (login, int(time.time()) + 7200, os.urandom(16).hex())
    mac = hmac.new(key.encode(), b"session|" + payload.encode(), hashlib.sha256).digest()
    return b64(payload.encode()) + "." + b64(mac)


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))] if v else float("nan")


def median(values):
    v = sorted(values)
    n = len(v)
    return float("nan") if not n else (v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2.0)


# ---------------------------------------------------------------------------
# The load: one process runs `threads` voters at a time over its share of
# the voter list and sends back its latencies and errors (JSON on a pipe).
def load_process(port, key, voters, threads, chosen, conn):
    lat, errors, busy = [], [], [0]
    lock = threading.Lock()
    todo = list(voters)

    def voter_loop():
        while True:
            with lock:
                if not todo:
                    return
                i = todo.pop()
            login = "v%05d" % i
            h = Http(port, timeout=120)
            h.cookies["urna_session"] = session_cookie(key, login)
            page = h.get("/urna/elections/%s/vote" % EID).text
            csrf = html.unescape(re.search(r'name="csrf" value="([^"]*)"', page).group(1))
            pc = html.unescape(re.search(r'name="passcode" id="passcode" value="([^"]*)"',
                                         page).group(1))
            sig = html.unescape(re.search(r'name="passcode_sig" value="([^"]*)"', page).group(1))
            if chosen:
                form = [("csrf", csrf), ("passcode", "my own passphrase %s" % login)]
            else:  # the voter keeps urna's suggestion, as submitted by the booth
                form = [("csrf", csrf), ("passcode", pc), ("passcode_sig", sig)]
            form.append(("passcode_saved", "yes"))  # "I have written this passcode down"
            for k, c in enumerate(CANDIDATES[(i % 5):(i % 5) + 4]):
                form.append(("rank/main/%s" % c, str(k + 1)))
            body = urlencode(form).encode()
            t0 = time.monotonic()
            while True:
                r = h.request("POST", "/urna/elections/%s/vote" % EID, body=body,
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
                if r.status == 503 and r.header("Retry-After"):
                    with lock:
                        busy[0] += 1
                    time.sleep(int(r.header("Retry-After")))
                    continue
                break
            dt = time.monotonic() - t0
            with lock:
                lat.append(dt)
                if r.status != 303:  # stored: 303 to the voted page
                    errors.append((i, r.status))

    ts = [threading.Thread(target=voter_loop) for _ in range(threads)]
    for th in ts:
        th.start()
    for th in ts:
        th.join()
    conn.send(json.dumps({"lat": lat, "errors": errors, "busy": busy[0]}))
    conn.close()


class BenchDB(MariaDB):
    """The harness's MariaDB with --mariadb-option appended (the last
    occurrence of an option wins)."""

    def _spawn(self, argv, env=None, cwd=None, detach=False):
        if argv and os.path.basename(argv[0]).startswith("mariadbd"):
            argv = argv + args.mariadb_option
        return super()._spawn(argv, env, cwd, detach)


def cpu_seconds(pids):
    """utime + stime of the processes (and their threads), in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / float(tick)


def nginx_pids(master):
    out = [master]
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == master:
                        out.append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return out


def one_run():
    db = BenchDB().start()
    work = os.path.join(db.dir, "meta")
    build_repo(work)
    extra = {"scrypt_n": args.scrypt_n}
    if args.scrypt_max_concurrent is not None:
        extra["scrypt_max_concurrent"] = args.scrypt_max_concurrent
    app = Urna(db, workers=args.workers, repo_url=work, repo_branch="main", **extra)
    app.migrate()
    app.sync()
    app.start()
    ngx = Nginx(app).start()
    key = app.settings["session_key"]
    procs, pipes = [], []
    nproc = max(1, min(args.processes, args.concurrency))
    servers = {"urna.fcgi": [app.pid], "mariadbd": [db.pid], "nginx": nginx_pids(ngx.pid)}
    cpu0 = {k: cpu_seconds(v) for k, v in servers.items()}
    self0 = os.times()
    start = time.monotonic()
    for p in range(nproc):
        share = list(range(p, args.voters, nproc))
        threads = args.concurrency // nproc + (1 if p < args.concurrency % nproc else 0)
        a, b = multiprocessing.Pipe(duplex=False)
        pr = multiprocessing.Process(target=load_process,
                                     args=(ngx.port, key, share, threads, args.chosen_passcodes, b))
        pr.start()
        procs.append(pr)
        pipes.append(a)
    lat, errors, busy = [], [], 0
    for a in pipes:
        res = json.loads(a.recv())
        lat += res["lat"]
        errors += res["errors"]
        busy += res["busy"]
    for pr in procs:
        pr.join()
    wall = time.monotonic() - start
    cpu = {k: cpu_seconds(v) - cpu0[k] for k, v in servers.items()}
    self1 = os.times()
    cpu["load generator"] = (self1.children_user + self1.children_system
                             - self0.children_user - self0.children_system)

    def one(q):
        return int(db.sql(q % EID, database=db.database).strip())
    sealed = one("SELECT COUNT(*) FROM sealed_ballots WHERE election_id='%s'")
    sealed_ids = one("SELECT COUNT(DISTINCT id) FROM sealed_ballots WHERE election_id='%s'")
    voted = one("SELECT COUNT(*) FROM voters_voted WHERE election_id='%s'")
    distinct = one("SELECT COUNT(DISTINCT login) FROM voters_voted WHERE election_id='%s'")
    plaintext = one("SELECT COUNT(*) FROM ballots WHERE election_id='%s'")
    # Open them all as urna-tally would (t/lib/harness.py's independent Python
    # code) and compare with the rankings the voters sent.
    opened = None
    if sealed <= 20000:
        want = Counter("&".join("%s=%d" % (c, k + 1)
                                for k, c in enumerate(CANDIDATES[(i % 5):(i % 5) + 4]))
                       for i in range(args.voters))
        got = Counter(b[0].get("main") for b in sealed_ballots(db, app, EID) if b[0] is not None)
        opened = sum(got.values()) if got == want else -1

    cookie = session_cookie(key, "v00000")
    url = "%s/urna/elections/%s" % (ngx.url, EID)
    wrk = which("wrk")
    if wrk:
        out = subprocess.run([wrk, "-t2", "-c16", "-d%ds" % args.duration, "-H",
                              "Cookie: urna_session=" + cookie, url],
                             stdout=subprocess.PIPE, text=True).stdout
        m = re.search(r"Requests/sec:\s*([\d.]+)", out)
        page_rps = float(m.group(1)) if m else float("nan")
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        page_how = "wrk -t2 -c16 -d%ds" % args.duration + (
            " (%s non-2xx!)" % non2xx.group(1) if non2xx else "")
    else:
        count = [0]
        stop = time.monotonic() + args.duration
        lock = threading.Lock()

        def pages():
            h = Http(ngx.port)
            h.cookies["urna_session"] = cookie
            while time.monotonic() < stop:
                if h.get("/urna/elections/%s" % EID).status == 200:
                    with lock:
                        count[0] += 1
        ts = [threading.Thread(target=pages) for _ in range(16)]
        for th in ts:
            th.start()
        for th in ts:
            th.join()
        page_rps = count[0] / float(args.duration)
        page_how = "16 Python threads, %ds" % args.duration
    for s in (ngx, app, db):
        s.stop()
    for s in (ngx, app, db):
        shutil.rmtree(s.dir, ignore_errors=True)
    once = (sealed == sealed_ids == voted == distinct == args.voters and plaintext == 0
            and opened in (None, args.voters))
    return {"ok": once and not errors, "once": once, "votes_s": args.voters / wall,
            "p50": pct(lat, 50) * 1000, "p99": pct(lat, 99) * 1000, "max": max(lat) * 1000,
            "cast": len(lat) - len(errors), "errors": errors[:5], "busy": busy,
            "counts": (sealed, voted, distinct, opened, plaintext), "page_rps": page_rps,
            "page_how": page_how, "wall": wall,
            "cpu_ms_per_vote": {k: v * 1000.0 / args.voters for k, v in cpu.items()}}


runs = []
for k in range(args.runs):
    r = one_run()
    runs.append(r)
    sealed, voted, distinct, opened, plaintext = r["counts"]
    print("run %d: %.1f votes/s, POST p50 %.0f ms, p99 %.0f ms, max %.0f ms; %d of %d cast "
          "(errors %s; 503 retried %d); sealed %d / voted %d / distinct %d / opened %s / "
          "plaintext rows %d: %s; page %.0f req/s" % (
              k + 1, r["votes_s"], r["p50"], r["p99"], r["max"], r["cast"], args.voters,
              r["errors"] or "none", r["busy"], sealed, voted, distinct,
              "-" if opened is None else opened, plaintext,
              "exactly once" if r["once"] else "NOT EXACTLY ONCE", r["page_rps"]))
    sys.stdout.flush()

print()
print("| Measure | Value |")
print("|---|---|")
print("| voters / concurrency / urna workers / load processes | %d / %d / %d / %d |"
      % (args.voters, args.concurrency, args.workers, args.processes))
print("| passcodes | %s |" % ("chosen by each voter (scrypt N=%d, at most %s at once)" % (
    args.scrypt_n, args.scrypt_max_concurrent or "default") if args.chosen_passcodes
    else "urna's suggestion kept (HKDF)"))
print("| runs | %d |" % len(runs))
print("| votes cast (HTTP 303), every run | %s |" % ", ".join(
    "%d of %d" % (r["cast"], args.voters) for r in runs))
print("| exactly once (sealed ballots = voted rows = distinct voters = voters; all open) | %s |"
      % ("yes, every run" if all(r["once"] for r in runs) else "NO"))
if args.chosen_passcodes:
    print("| 503 (gate full) retried after Retry-After, per run | %s |"
          % ", ".join(str(r["busy"]) for r in runs))
print("| votes/s (booth GET + POST, wall clock), median (runs) | **%.0f** (%s) |" % (
    median([r["votes_s"] for r in runs]), ", ".join("%.0f" % r["votes_s"] for r in runs)))
print("| POST latency p50 / p99 / max, medians | %.0f / %.0f / %.0f ms |" % (
    median([r["p50"] for r in runs]), median([r["p99"] for r in runs]),
    median([r["max"] for r in runs])))
print("| election page with a session, requests/s, median | %.0f (%s) |"
      % (median([r["page_rps"] for r in runs]), runs[0]["page_how"]))
names = list(runs[0]["cpu_ms_per_vote"])
print("| CPU per vote (GET + POST), medians: %s | %s ms (of %.1f ms wall per vote on %d cores) |"
      % (" / ".join(names), " / ".join("%.2f" % median([r["cpu_ms_per_vote"][n] for r in runs])
                                      for n in names),
         median([r["wall"] * 1000.0 / args.voters for r in runs]) * (os.cpu_count() or 1),
         os.cpu_count() or 1))
if args.mariadb_option:
    print("| extra mariadbd options | %s |" % " ".join(args.mariadb_option))
sys.stdout.flush()
sys.exit(0 if all(r["ok"] for r in runs) else 1)
