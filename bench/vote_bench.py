#!/usr/bin/python3
"""Voting benchmark (issue 5; not a test, but it does count the ballots).

    bench/vote_bench.py [--builddir DIR] [--voters 500] [--concurrency 50]
                        [--workers 4] [--duration 10] [--scrypt-n 32768]

Starts a private MariaDB, urna.fcgi and nginx (t/lib/harness.py, as the
tests do) with a repository holding one running election of --voters voters
and 10 candidates. Then:

1. --concurrency voters at a time (threads, each its own session) open the
   booth (GET) and cast a ballot (POST) through nginx; reports votes/s and
   the POST latency (p50, p99, max), then counts in the database that there
   is exactly one ballot and one "voted" row per voter;
2. the election page with a signed-in session (the badges query the store):
   requests/s with wrk (-c 16) when installed, else with Python threads.

The KDF is the configuration's default (scrypt N=32768, r=8, p=1) unless
--scrypt-n says otherwise: it dominates the cost of a vote by design.
Prints a Markdown table; docs/voting.md has the figures of one run.
"""

import argparse
import base64
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
ap.add_argument("--voters", type=int, default=500)
ap.add_argument("--concurrency", type=int, default=50)
ap.add_argument("--workers", type=int, default=4)
ap.add_argument("--duration", type=int, default=10)
ap.add_argument("--scrypt-n", type=int, default=32768)
args = ap.parse_args()
os.environ.setdefault("URNA_SRCDIR", SRC)
os.environ["URNA_BUILDDIR"] = os.path.abspath(args.builddir)
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(SRC, "t", "lib"))
from harness import MariaDB, Nginx, Urna, Http, which  # noqa: E402

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


db = MariaDB().start()
work = os.path.join(db.dir, "meta")
build_repo(work)
app = Urna(db, workers=args.workers, repo_url=work, repo_branch="main", scrypt_n=args.scrypt_n)
app.migrate()
app.sync()
app.start()
ngx = Nginx(app).start()
KEY = app.settings["session_key"]


def session_cookie(login):
    def b64(b):
        return base64.urlsafe_b64encode(b).rstrip(b"=").decode()
    payload = "v1|%s|%d|%s" % (login, int(time.time()) + 7200, os.urandom(16).hex())
    mac = hmac.new(KEY.encode(), b"session|" + payload.encode(), hashlib.sha256).digest()
    return b64(payload.encode()) + "." + b64(mac)


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))] if v else float("nan")


# ---------------------------------------------------------------------------
lat, errors = [], []
lock = threading.Lock()
todo = list(range(args.voters))


def voter_loop():
    while True:
        with lock:
            if not todo:
                return
            i = todo.pop()
        h = Http(ngx.port, timeout=120)
        h.cookies["urna_session"] = session_cookie("v%05d" % i)
        page = h.get("/urna/elections/%s/vote" % EID).text
        csrf = html.unescape(re.search(r'name="csrf" value="([^"]*)"', page).group(1))
        pc = html.unescape(re.search(r'name="passcode" id="passcode" value="([^"]*)"', page).group(1))
        form = [("csrf", csrf), ("passcode", pc)]
        for k, c in enumerate(CANDIDATES[(i % 5):(i % 5) + 4]):
            form.append(("rank/main/%s" % c, str(k + 1)))
        t0 = time.monotonic()
        r = h.request("POST", "/urna/elections/%s/vote" % EID, body=urlencode(form).encode(),
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
        dt = time.monotonic() - t0
        with lock:
            lat.append(dt)
            if r.status != 200:
                errors.append((i, r.status))


start = time.monotonic()
threads = [threading.Thread(target=voter_loop) for _ in range(args.concurrency)]
for th in threads:
    th.start()
for th in threads:
    th.join()
wall = time.monotonic() - start
ballots = int(db.sql("SELECT COUNT(DISTINCT id) FROM ballots WHERE election_id='%s'" % EID,
                     database=db.database).strip())
voted = int(db.sql("SELECT COUNT(*) FROM voters_voted WHERE election_id='%s'" % EID,
                   database=db.database).strip())
distinct = int(db.sql("SELECT COUNT(DISTINCT login) FROM voters_voted WHERE election_id='%s'" % EID,
                      database=db.database).strip())

# ---------------------------------------------------------------------------
cookie = session_cookie("v00000")
url = "%s/urna/elections/%s" % (ngx.url, EID)
wrk = which("wrk")
if wrk:
    out = subprocess.run([wrk, "-t2", "-c16", "-d%ds" % args.duration, "-H",
                          "Cookie: urna_session=" + cookie, url],
                         stdout=subprocess.PIPE, text=True).stdout
    m = re.search(r"Requests/sec:\s*([\d.]+)", out)
    page_rps = float(m.group(1)) if m else float("nan")
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    page_how = "wrk -t2 -c16 -d%ds" % args.duration + (" (%s non-2xx!)" % non2xx.group(1) if non2xx else "")
else:
    count = [0]
    stop = time.monotonic() + args.duration

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

print("| Measure | Value |")
print("|---|---|")
print("| voters / concurrency / urna workers / scrypt N | %d / %d / %d / %d |"
      % (args.voters, args.concurrency, args.workers, args.scrypt_n))
print("| votes cast (HTTP 200) | %d of %d (errors: %s) |" % (len(lat) - len(errors), args.voters,
                                                            errors[:5] or "none"))
print("| ballots stored / 'voted' rows / distinct voters | %d / %d / %d |" % (ballots, voted, distinct))
print("| exactly once | %s |" % ("yes" if ballots == voted == distinct == args.voters else "NO"))
print("| votes/s (booth GET + POST, wall clock) | %.1f |" % (args.voters / wall))
print("| POST latency p50 / p99 / max | %.0f / %.0f / %.0f ms |"
      % (pct(lat, 50) * 1000, pct(lat, 99) * 1000, max(lat) * 1000))
print("| election page with a session, requests/s | %.0f (%s) |" % (page_rps, page_how))
sys.stdout.flush()
for s in (ngx, app, db):
    s.stop()
for s in (ngx, app, db):
    shutil.rmtree(s.dir, ignore_errors=True)
sys.exit(0 if ballots == voted == distinct == args.voters and not errors else 1)
