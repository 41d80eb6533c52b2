#!/usr/bin/python3
"""Faults, tried against the real servers: a private MariaDB, urna.fcgi
(4 worker threads) on its unix socket and nginx with the shipped sample,
the metadata repository made from examples/meta plus e2e/faults (a running
election with 300 eligible voters, f000..f299, and four candidates).
Sign-in is the demo login (auth = demo).

How each fault is tried (the README's "Faults and how the tests try them"
lists them too):

 1. A worker killed mid-vote: 40 voters submit at once (threads); when the
    first ballots are in the database and the rest are not, urna.fcgi gets
    SIGKILL and is started again; a voter whose answer was not a success
    submits the same form again. Every voter ends with one ballot, viewable
    with the passcode and equal to what they submitted; ballots = 'voted'
    rows; the stored rankings are exactly the submitted ones (no ballot
    lost or counted twice).
 2. The database restarted mid-request: 40 voters submit in a loop
    (4 threads) while MariaDB is stopped and started. Answers during the
    outage are urna's 503 page with no internals; nothing half-stored;
    voting works afterwards with the same urna.fcgi process.
 3. The database frozen (SIGSTOP for 5 s, then SIGCONT) during a burst of
    40 votes: each answer is a success or a clean 503; counts consistent.
 4. Request errors never take a worker down: 500 malformed requests to
    nginx (raw garbage, bad percent-escapes, NUL bytes, invalid UTF-8 in
    every field of the vote form, random cookies, huge headers, truncated
    bodies, odd methods and content types, clients that hang up). None
    gets a 5xx; nothing stored for the fuzzing voter; the same process
    then answers with all 4 workers (3 held busy by in-flight requests,
    the 4th still answers) and 20 sequential GETs of /urna/ are 200.
 5. Garbage FastCGI on urna's socket (truncated and invalid records,
    unknown roles and types, huge name-value lengths, aborts, 200 random
    mutations of a valid request): the process stays up and serves.
 6. Tampered and garbage session cookies and CSRF tokens on the vote POST:
    403 (or the sign-in redirect for a GET), nothing stored.

Known issues, reported without failing (README, "Faults and how the tests
try them"): libfcgi 2.4.2 aborts the process on a PARAMS record that
announces a name of 2 GB or more; it needs a client on urna's socket (mode
0660), which nginx and Apache never are. A client holding half a record
open holds only its own worker, for at most 30 s (checked).

The random inputs come from a seeded generator; the seed is printed
(URNA_FAULTS_SEED=N reproduces a run).
"""

import base64
import datetime
import hashlib
import hmac
import html
import os
import queue
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections import Counter
from urllib.parse import quote, urlencode

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import (BUILDDIR, Checks, Fcgi, Http, MariaDB, Nginx, SRCDIR, Urna,  # noqa: E402
                     ballot_count, csrf_of, git, sealed_ballots, write)

t = Checks("faults_test")
t.require_binaries("mariadb-install-db", "mariadbd", "mariadb", "nginx", "git",
                   os.path.join(BUILDDIR, "urna.fcgi"), os.path.join(BUILDDIR, "urna-sync"))
EXAMPLES = os.path.join(SRCDIR, "examples", "meta")
if not os.path.isdir(os.path.join(EXAMPLES, "elections")):
    t.skip("examples/meta/elections is missing")

# A fixed default keeps CI repeatable; set URNA_FAULTS_SEED to explore others.
SEED = int(os.environ.get("URNA_FAULTS_SEED") or 20261125)
print("# random seed: %d (URNA_FAULTS_SEED=%d reproduces this run)" % (SEED, SEED), flush=True)
rnd = random.Random(SEED)

EID = "e2e/faults"
CANDS = ["ann", "ben", "cy", "dee"]
WORKERS = 4
known_issues = []


def known_issue(name, cond, detail):
    """A check that finds a known, reported weakness: passes when the
    weakness is gone, else says so without failing the run."""
    if cond:
        return t.check(name, True)
    known_issues.append(name)
    print("# KNOWN ISSUE (not counted as a failure): %s" % name, flush=True)
    for line in str(detail).splitlines():
        print("#   " + line)
    return False


# ---------------------------------------------------------------------------
def build_repository(work):
    shutil.copytree(EXAMPLES, work)
    folder = os.path.join(work, "elections", "e2e", "faults")
    write(os.path.join(folder, "election.yaml"), """name: Faults
organization: e2e
start_datetime: 2026-01-01 00:00:00
end_datetime: 2036-01-01 00:00:00
no_winners: 1
allow_no_opinion: True
election_officers:
  - olga
""")
    write(os.path.join(folder, "election_desc.md"), "Voting while things break.\n")
    write(os.path.join(folder, "voters.yaml"),
          "eligible_voters:\n" + "".join("  - f%03d\n" % i for i in range(300)))
    for cid in CANDS:
        write(os.path.join(folder, "candidate-%s.md" % cid),
              "-------\nname: %s\nID: %s\n-------\n\nStatement.\n" % (cid.title(), cid))
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "examples/meta + e2e/faults")


db = t.watch(MariaDB())
db.start()
work = os.path.join(db.dir, "meta-work")
build_repository(work)
app = t.watch(Urna(db, workers=WORKERS, repo_url=work, repo_branch="main",
                   scrypt_max_concurrent=WORKERS))
app.migrate()
rc, out = app.sync(check=False)
t.equal("urna-sync stores the test repository", rc, 0, out[-3000:])
app.start()
ngx = t.watch(Nginx(app))
ngx.start()
PORT = ngx.port
KEY = app.settings["session_key"]
VOTE = "/urna/elections/%s/vote" % EID
BALLOT = "/urna/elections/%s/ballot" % EID


# ---------------------------------------------------------------------------
def b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def forge_session(login, ttl=3600, key=None, nonce=None):
    """The cookie src/web/session.cc writes: b64url(payload).b64url(mac)."""
    payload = "v1|%s|%d|%s" % (login, int(time.time()) + ttl, nonce or os.urandom(16).hex())
    mac = hmac.new((key or KEY).encode(), b"session|" + payload.encode(), hashlib.sha256).digest()
    return b64(payload.encode()) + "." + b64(mac)


def sign_in(login):
    """An Http client signed in as `login` through the demo login page."""
    h = Http(PORT)
    r = h.get("/urna/login?next=/urna/")
    m = re.search(r'name="csrf" value="([^"]*)"', r.text) if r.status == 200 else None
    if m:
        h.post("/urna/login", {"csrf": html.unescape(m.group(1)), "login": login})
    if "urna_session" not in h.cookies:
        raise RuntimeError("demo sign-in as %s failed: %r" % (login, r))
    return h


def passcode_of(page):
    m = re.search(r'<input type="text" name="passcode" id="passcode" value="([^"]*)"', page)
    return html.unescape(m.group(1)) if m else ""


def encode(ranks):
    """The store's encoding of a ranking (ballot_form.h encode_marks)."""
    return "&".join("%s=%d" % (c, ranks[c]) for c in sorted(ranks))


def ranking_for(i):
    """Voter i's ranking: 1 to 4 candidates, rotated, so that the stored
    multiset of rankings tells lost and doubled ballots apart."""
    n = 1 + i % 4
    return {CANDS[(i + k) % 4]: k + 1 for k in range(n)}


class Voter:
    def __init__(self, i):
        self.i = i
        self.login = "f%03d" % i
        self.h = sign_in(self.login)
        page = self.h.get(VOTE).text
        self.csrf = csrf_of(page)
        self.passcode = passcode_of(page)
        self.ranks = ranking_for(i)
        # Without the hidden passcode_sig: the passcode counts as the voter's
        # own, so each cast runs scrypt (about 0.1 s) and 40 ballots are
        # still in flight when a fault strikes (urna's own passcodes take
        # milliseconds: the faults would come too late). The scrypt gate is
        # as wide as the workers (scrypt_max_concurrent below), so the only
        # 503s are the database's.
        self.form = [("csrf", self.csrf)] + [("rank/main/%s" % c, str(self.ranks.get(c, "")))
                                             for c in CANDS] + [("passcode", self.passcode),
                                                                ("passcode_saved", "yes")]
        self.body = urlencode(self.form).encode()
        self.attempts = []  # (status or exception text, "cast"/"changed"/snippet)
        self.success = False

    def submit(self):
        """One POST of the ballot; returns (status or None, kind)."""
        try:
            r = self.h.request("POST", VOTE, body=self.body,
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
        except Exception as e:  # connection reset, timeout
            self.attempts.append((None, "%s: %s" % (type(e).__name__, e)))
            return None, "exception"
        # A stored ballot answers 303 to the voted page; ?changed=1 after a
        # re-cast (the form has no submission id, so a retry re-casts).
        where = r.header("Location", "") if r.status == 303 else ""
        if where.endswith("/voted"):
            kind = "cast"
        elif where.endswith("/voted?changed=1"):
            kind = "changed"
        else:
            kind = r.text[:2000]
        self.attempts.append((r.status, kind))
        self.last = r
        if r.status == 303 and kind in ("cast", "changed"):
            self.success = True
        return r.status, kind

    def submit_until_stored(self, deadline, retry_on=(None, 502, 503, 504)):
        while time.monotonic() < deadline:
            status, _ = self.submit()
            if self.success:
                return True
            if status not in retry_on:
                return False  # an answer that is neither success nor a clean failure
            time.sleep(0.2)
        return False

    def view(self):
        """The stored ballot seen with the passcode: {candidate: rank} or None."""
        page = self.h.get(BALLOT).text
        r = self.h.request("POST", BALLOT, body=urlencode(
            [("csrf", csrf_of(page)), ("passcode", self.passcode)]).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        if r.status != 200:
            return None
        return {a: int(k) for a, k in re.findall(r'data-aid="([^"]+)" data-rank="(\d+)"', r.text)}


def make_voters(lo, hi):
    return [Voter(i) for i in range(lo, hi)]


def sql(q):
    return db.sql(q, database=db.database).strip()


def ballots():
    return ballot_count(db, EID)


def ballot_rows():
    """Rows of both ballot tables: one sealed row per ballot (a ballot is one
    row now; the plaintext table must stay empty)."""
    return int(sql("SELECT (SELECT COUNT(*) FROM sealed_ballots WHERE election_id = '%s') + "
                   "(SELECT COUNT(*) FROM ballots WHERE election_id = '%s')" % (EID, EID)))


def voted_rows(login=None):
    w = " AND login = '%s'" % login if login else ""
    return int(sql("SELECT COUNT(*) FROM voters_voted WHERE election_id = '%s'%s" % (EID, w)))


def voted_logins(voters):
    names = ",".join("'%s'" % v.login for v in voters)
    return set(sql("SELECT login FROM voters_voted WHERE election_id = '%s' AND login IN (%s)"
                   % (EID, names)).split())


def stored_rankings():
    """The stored ballots opened with the election's private key (an
    independent implementation of the format, t/lib/harness.py); a ballot
    that does not open counts as None."""
    return Counter(b.get("main") if b else None for b, _ in sealed_ballots(db, app, EID))


expected = Counter()  # rankings of every voter whose ballot must be stored


def consistency(what, voters):
    """The checks after every fault: one ballot per successful voter, no
    voter twice, ballots = 'voted' rows, the stored rankings are exactly
    the expected ones, each voter's ballot opens with the passcode."""
    t.check("%s: every voter's submission ended in success" % what,
            all(v.success for v in voters),
            "\n".join("%s: %s" % (v.login, [(s, k[:200]) for s, k in v.attempts])
                      for v in voters if not v.success))
    for v in voters:
        if v.success:
            expected[encode(v.ranks)] += 1
    dup = sql("SELECT login, COUNT(*) FROM voters_voted WHERE election_id = '%s' "
              "GROUP BY login HAVING COUNT(*) > 1" % EID)
    t.equal("%s: no voter has two 'voted' rows" % what, dup, "")
    b, rows, vv = ballots(), ballot_rows(), voted_rows()
    t.equal("%s: ballots (distinct ids) = 'voted' rows" % what, b, vv)
    t.equal("%s: one sealed row per ballot, none in the plaintext table" % what, rows, b)
    t.equal("%s: every successful voter is marked voted" % what,
            voted_logins(voters), {v.login for v in voters if v.success})
    got = stored_rankings()
    t.check("%s: the stored rankings are exactly the submitted ones (none lost, none twice)" % what,
            got == expected, "missing %r, extra %r" % (expected - got, got - expected))
    wrong = []
    for v in voters:
        seen = v.view()
        if seen != v.ranks:
            wrong.append((v.login, v.ranks, seen))
    t.check("%s: each voter's passcode opens the ballot they submitted" % what, not wrong, wrong)


def serving(what, pid):
    r = None
    try:
        r = Http(PORT, timeout=10).get("/urna/health")
    except Exception as e:
        r = e
    t.check("%s: the same urna.fcgi (pid %s) still serves" % (what, pid),
            app.pid == pid and getattr(r, "status", None) == 200, "pid now %s; %r" % (app.pid, r))


def run_threads(fns):
    threads = [threading.Thread(target=f, daemon=True) for f in fns]
    for th in threads:
        th.start()
    return threads


def wait_voted_at_least(n, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if voted_rows() >= n:
                return True
        except RuntimeError:
            pass
        time.sleep(0.01)
    return False


INTERNALS = ("SQLSTATE", "MySQL", "mysql", "MariaDB", "mariadb", "Connector", "sql::",
             "mysqld.sock", "cannot connect", "Traceback", "std::", "what()")


# ---------------------------------------------------------------------------
t.section("1. urna.fcgi killed (SIGKILL) while 40 ballots are in flight")
voters = make_voters(0, 40)
t.equal("nobody has voted yet", (ballots(), voted_rows()), (0, 0))
old_pid = app.pid
gate = threading.Barrier(len(voters) + 1)
deadline = [time.monotonic() + 120]


def first_try_then_retry(v):
    gate.wait()
    status, _ = v.submit()
    if not v.success:
        v.submit_until_stored(deadline[0])


threads = run_threads([lambda v=v: first_try_then_retry(v) for v in voters])
gate.wait()
hit = wait_voted_at_least(1, 30)
stored_at_kill = voted_rows()
app.send_signal(signal.SIGKILL)
rc = app.wait_exit(10)
t.equal("urna.fcgi died of SIGKILL", rc, -signal.SIGKILL)
time.sleep(0.3)  # let the voters see the failure before it is back
app.start()
for th in threads:
    th.join(180)
print("# %d of 40 ballots were stored when urna.fcgi was killed" % stored_at_kill)
t.check("the kill came while ballots were in flight (some stored, not all)",
        hit and 0 < stored_at_kill < len(voters), stored_at_kill)
failed_first = [v for v in voters if v.attempts and v.attempts[0][1] not in ("cast", "changed")]
t.check("some voters' first submission failed (502 or reset) and was retried",
        len(failed_first) > 0, [v.attempts for v in voters][:5])
t.check("a new urna.fcgi serves", app.pid not in (None, old_pid))
statuses = Counter(s for v in voters for s, _ in v.attempts)
print("# answers seen: %s" % dict(statuses))
t.check("every failed attempt was a gateway error or a dropped connection, never a 500",
        set(statuses) <= {303, 502, 503, 504, None}, statuses)
retried_ok = [v for v in failed_first if v.success]
t.check("a retry after a failure stored the ballot or re-cast it (the vote already existed)",
        all(v.attempts[-1][1] in ("cast", "changed") for v in retried_ok) and retried_ok,
        [v.attempts for v in failed_first])
changed = [v.login for v in retried_ok if v.attempts[-1][1] == "changed"]
print("# retries told the vote existed (re-cast with the same passcode): %s" % changed)
consistency("after SIGKILL", voters)
booth = voters[0].h.get(VOTE)
t.check("the booth now says the vote exists and asks for the passcode",
        booth.status == 200 and "You have already voted" in booth.text, booth)

# The answer lost on the way back (the ballot committed, the voter never saw
# it): each of these voters sends the form and hangs up without reading the
# answer, then submits the same form again, as a browser's retry does.
lost = make_voters(150, 158)
lost_before = voted_rows()
for v in lost:
    data = (b"POST %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nCookie: %s\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n"
            % (VOTE.encode(), v.h.cookie_header().encode(), len(v.body))) + v.body
    with socket.create_connection(("127.0.0.1", PORT)) as s:
        s.sendall(data)
    v.attempts.append((None, "hung up without reading the answer"))
# Wait until they are stored (urna finishes a request whose client left).
wait_voted_at_least(lost_before + len(lost), 15)
for v in lost:
    v.submit()
kinds = Counter(v.attempts[-1][1] if v.success else v.attempts[-1][0] for v in lost)
print("# retries after a lost answer: %s" % dict(kinds))
t.check("a retry after a lost answer is told the vote exists (re-cast with the same passcode: "
        "'Your ballot is changed') or, if it never arrived, stores it",
        all(v.success for v in lost) and kinds.get("changed", 0) > 0, kinds)
consistency("after lost answers and retries", lost)

# ---------------------------------------------------------------------------
t.section("2. MariaDB restarted while voters submit in a loop")
voters = make_voters(40, 80)
pid = app.pid
todo = queue.Queue()
for v in voters:
    todo.put(v)
outage_answers = []  # (status, body) of the non-success answers
lock = threading.Lock()
deadline[0] = time.monotonic() + 180


def submit_loop():
    while True:
        try:
            v = todo.get_nowait()
        except queue.Empty:
            return
        while time.monotonic() < deadline[0] and not v.success:
            status, kind = v.submit()
            if v.success:
                break
            with lock:
                outage_answers.append((status, kind, v.last.header("Content-Type") if status else ""))
            if status not in (None, 502, 503, 504):
                break
            time.sleep(0.2)


threads = run_threads([submit_loop] * WORKERS)
wait_voted_at_least(voted_rows() + 6, 60)
t0 = time.monotonic()
# db.restart() with a 2 s gap, so that several submissions meet the outage.
db.stop()
time.sleep(2)
db.start()
down_for = time.monotonic() - t0
for th in threads:
    th.join(240)
print("# MariaDB was restarted in %.1f s; %d answers were not a success" %
      (down_for, len(outage_answers)))
sts = Counter(s for s, _, _ in outage_answers)
print("# their statuses: %s" % dict(sts))
t.check("requests during the outage were answered 503", sts.get(503, 0) > 0, sts)
t.check("... and only 503 (no 500, no 502: the worker survived)", set(sts) <= {503}, sts)
bad_pages = [k[:500] for s, k, _ in outage_answers if s == 503 and (
    "The database is not available" not in k or any(x in k for x in INTERNALS))]
t.check("the 503 is urna's page ('The database is not available ...') with no internals",
        not bad_pages, bad_pages[:3])
t.check("the 503 page is HTML", all(ct.startswith("text/html") for s, _, ct in outage_answers
                                     if s == 503), set(ct for _, _, ct in outage_answers))
consistency("after the database restart", voters)
serving("after the database restart", pid)
v = Voter(80)
v.submit()
t.check("a new voter votes afterwards without restarting urna.fcgi", v.success and app.pid == pid,
        v.attempts)
consistency("a vote after the restart", [v])

# ---------------------------------------------------------------------------
t.section("3. MariaDB frozen (SIGSTOP 5 s, SIGCONT) during a burst of 40 votes")
voters = make_voters(81, 121)
pid = app.pid
gate = threading.Barrier(len(voters) + 1)
deadline[0] = time.monotonic() + 180


def burst(v):
    gate.wait()
    v.submit_until_stored(deadline[0])


threads = run_threads([lambda v=v: burst(v) for v in voters])
gate.wait()
time.sleep(0.15)
db.send_signal(signal.SIGSTOP)
try:
    time.sleep(5)
finally:
    db.send_signal(signal.SIGCONT)
for th in threads:
    th.join(240)
sts = Counter(s for v in voters for s, _ in v.attempts)
print("# answers seen: %s" % dict(sts))
t.check("each answer was a success or a clean 503 (no 500/502, no dropped connection)",
        set(sts) <= {303, 503}, sts)
bad_pages = [k[:500] for v in voters for s, k in v.attempts if s == 503 and (
    "The database is not available" not in k or any(x in k for x in INTERNALS))]
t.check("any 503 is urna's page with no internals", not bad_pages, bad_pages[:3])
consistency("after SIGSTOP/SIGCONT", voters)
serving("after SIGSTOP/SIGCONT", pid)

# ---------------------------------------------------------------------------
t.section("4. 500 malformed requests: 4xx answers, no worker lost")
pid = app.pid
fz = Voter(200)  # the fuzzing voter: signed in, with a valid CSRF token
FZ_COOKIE = fz.h.cookie_header()
BAD_UTF8 = [b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82", b"\x80",
            b"\xfe\xfe", b"\xc3"]
BAD_PCT = [b"%FF", b"%C0%AF", b"%ED%A0%80", b"%F4%90%80%80", b"%E2%82", b"%80", b"%00", b"%zz",
           b"%4", b"%", b"%%", b"%G1", b"%C3"]


def garbage(n=None):
    n = rnd.randint(1, 64) if n is None else n
    return bytes(rnd.getrandbits(8) for _ in range(n))


def poison():
    """Something that makes any form field a request error."""
    k = rnd.randrange(4)
    if k == 0:
        return rnd.choice(BAD_UTF8)
    if k == 1:
        return rnd.choice(BAD_PCT)
    if k == 2:
        return rnd.choice([b"\x00", b"%00"])
    return garbage() + rnd.choice(BAD_UTF8)


def poison_url():
    """poison() for a request line: no space, CR or LF (which would make
    nginx read another request line, or an HTTP/0.9 request)."""
    return bytes(b for b in poison() if b not in b" \t\r\n") or b"%zz"


def request_bytes(method, path, headers=(), body=None, cookie=True, length=None, host=True):
    lines = [b"%s %s HTTP/1.1" % (method, path)]
    if host:
        lines.append(b"Host: localhost")
    lines.append(b"Connection: close")
    if cookie:
        lines.append(b"Cookie: " + (FZ_COOKIE.encode() if cookie is True else cookie))
    for h in headers:
        lines.append(h)
    if body is not None:
        lines.append(b"Content-Length: %d" % (len(body) if length is None else length))
    return b"\r\n".join(lines) + b"\r\n\r\n" + (body or b"")


def vote_body_fuzzed():
    """The vote form with one field's name or value poisoned (and now and
    then extra junk fields, duplicates, raw bytes)."""
    pairs = [(quote(k).encode(), quote(v).encode()) for k, v in fz.form]
    i = rnd.randrange(len(pairs))
    k, v = pairs[i]
    where = rnd.randrange(3)
    if where == 0:
        v = rnd.choice([b"", v]) + poison() + rnd.choice([b"", v])
    elif where == 1:
        k = k + poison()
    else:
        k, v = poison(), poison()
    pairs[i] = (k, v)
    if rnd.random() < 0.3:
        pairs.insert(rnd.randrange(len(pairs) + 1), (garbage(8), garbage(8)))
    if rnd.random() < 0.2:
        pairs.append(pairs[rnd.randrange(len(pairs))])
    return b"&".join(a + b"=" + b for a, b in pairs)


def fuzz_case(n):
    """(description, raw request bytes, client behaviour) for case n."""
    kind = n % 20
    form_ct = b"Content-Type: application/x-www-form-urlencoded"
    if kind in (0, 1, 2, 3, 4, 5):  # the vote form, poisoned
        body = vote_body_fuzzed()
        return "vote form with a poisoned field", request_bytes(b"POST", VOTE.encode(), [form_ct], body)
    if kind == 6:  # raw garbage instead of HTTP
        return "raw garbage", garbage(rnd.randint(1, 3000))
    if kind == 7:  # path with bad escapes / NUL / invalid UTF-8
        p = b"/urna/elections/" + poison_url() + b"/" + rnd.choice([b"vote", b"ballot", b""])
        if rnd.random() < 0.3:
            p = b"/urna/" + rnd.choice(BAD_PCT) + b"?next=" + poison_url()
        return "path with a poisoned segment", request_bytes(b"GET", p)
    if kind == 8:  # query strings
        q = rnd.choice([b"next=", b"", b"a=b&", b"=&&=", b"state="]) + poison_url()
        return "poisoned query", request_bytes(b"GET", rnd.choice(
            [b"/urna/", b"/urna/login", VOTE.encode(), b"/urna/oauth/callback"]) + b"?" + q)
    if kind == 9:  # random cookies
        c = bytes(b for b in garbage(rnd.randint(1, 300)) if b not in b"\r\n")
        c = rnd.choice([c, b"urna_session=" + c, b"urna_session=" + c + b"; urna_login=" + c,
                        b"urna_session=" + base64.urlsafe_b64encode(garbage(40)) + b"." + c])
        body = urlencode(fz.form).encode()
        return "random cookie on the vote POST", request_bytes(b"POST", VOTE.encode(), [form_ct],
                                                               body, cookie=c)
    if kind == 10:  # huge headers
        size = rnd.choice([4000, 7000, 20000, 100000])
        h = rnd.choice([b"X-Junk: ", b"Cookie: urna_session=", b"User-Agent: ", b"Referer: "])
        return "a %d-byte header" % size, request_bytes(b"GET", b"/urna/", [h + b"a" * size])
    if kind == 11:  # truncated body: declared longer than sent, then hang up
        body = urlencode(fz.form).encode()
        return "truncated body", request_bytes(b"POST", VOTE.encode(), [form_ct], body[:rnd.randint(0, len(body))],
                                               length=len(body) + rnd.randint(1, 5000)), "shut_wr"
    if kind == 12:  # a body larger than max_body (64 KB) but under nginx's 1 MB
        body = b"csrf=" + b"a" * rnd.randint(70000, 200000)
        return "oversized body", request_bytes(b"POST", VOTE.encode(), [form_ct], body)
    if kind == 13:  # odd methods
        m = rnd.choice([b"PUT", b"DELETE", b"PATCH", b"PROPFIND", b"FOO", b"get", b"G\xffT",
                        b"OPTIONS", b"TRACE", b"X" * 40, b"POST"])
        return "method %r" % m, request_bytes(m, VOTE.encode(), [form_ct], garbage(30))
    if kind == 14:  # a valid form under another content type is not a form
        ct = rnd.choice([b"multipart/form-data; boundary=xx", b"application/json", b"text/plain",
                         b"application/octet-stream", b"", b"\xff\xfe"])
        return "content type %r" % ct, request_bytes(b"POST", VOTE.encode(), [b"Content-Type: " + ct],
                                                     urlencode(fz.form).encode())
    if kind == 15:  # a client that hangs up right after sending
        body = urlencode(fz.form[:1] + [("rank/main/ann", "x")]).encode()
        return "client hangs up", request_bytes(b"POST", VOTE.encode(), [form_ct], body), "hangup"
    if kind == 16:  # broken chunked encoding
        chunks = rnd.choice([b"zz\r\nabc\r\n0\r\n\r\n", b"5\r\nab", b"ffffffffffffffff\r\nx\r\n",
                             b"3\r\nabc\r\n-1\r\n\r\n"])
        return "broken chunked body", request_bytes(b"POST", VOTE.encode(), [
            form_ct, b"Transfer-Encoding: chunked"], None) + chunks, "shut_wr"
    if kind == 17:  # bad request lines and headers
        return "bad request line/header", rnd.choice([
            b"GET /urna/\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /urna/ HTTP/9.9\r\nHost: x\r\n\r\n",
            b"GET /urna/ HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
            b"GET /urna/ HTTP/1.1\r\nHost: \xff\xfe\r\nConnection: close\r\n\r\n",
            b"GET /urna/ HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
            b"GET /urna/ HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            b"GET urna HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /urna/" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        ]) if rnd.random() < 0.9 else b"\r\n\r\n\r\n", "shut_wr"
    if kind == 18:  # the ballot view and the login form, poisoned
        path = rnd.choice([BALLOT.encode(), b"/urna/login", b"/urna/logout"])
        body = rnd.choice([b"csrf=", b"login=", b"passcode="]) + poison() + b"&csrf=" + \
            quote(fz.csrf).encode()
        return "poisoned %s form" % path.decode(), request_bytes(b"POST", path, [form_ct], body)
    # kind 19: every field poisoned at once
    pairs = [(quote(k).encode() + rnd.choice([b"", poison()]), poison()) for k, _ in fz.form]
    cs = rnd.choice([b"", b"; charset=utf-8", b"; charset=\xff", b"; charset=latin1"])
    form_ct += cs
    return "every vote-form field poisoned (a charset %r)" % cs, request_bytes(
        b"POST", VOTE.encode(), [form_ct], b"&".join(a + b"=" + b for a, b in pairs))


# Categories whose every request is a request error urna itself must refuse.
STRICT = ("vote form with a poisoned field", "every vote-form field poisoned", "path with a",
          "poisoned query", "poisoned /urna", "random cookie", "content type", "oversized body")


def send_raw(data, mode=None, timeout=10):
    """Sends data to nginx; returns (status or None, response bytes)."""
    with socket.create_connection(("127.0.0.1", PORT), timeout=timeout) as s:
        try:
            s.sendall(data)
            if mode == "shut_wr":
                s.shutdown(socket.SHUT_WR)
            if mode == "hangup":
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return "hung up", b""
            chunks = []
            while True:
                c = s.recv(65536)
                if not c:
                    break
                chunks.append(c)
        except (ConnectionResetError, BrokenPipeError):
            chunks = []
        except socket.timeout:
            return "timeout", b"".join(chunks)
    out = b"".join(chunks)
    try:
        return int(out.split(b" ", 2)[1]), out
    except (IndexError, ValueError):
        return None, out


before_fz = (ballots(), voted_rows())
five_hundreds, not_4xx = [], []
statuses = Counter()
for n in range(500):
    case = fuzz_case(n)
    desc, data = case[0], case[1]
    mode = case[2] if len(case) > 2 else None
    try:
        status, resp = send_raw(data, mode)
    except OSError as e:
        status, resp = "error %s" % e, b""
    statuses[status] += 1
    # urna's answers say Cache-Control: no-store; nginx's own do not (they
    # carry the sample's security headers too since issue 9, so those tell
    # nothing).
    from_urna = b"Cache-Control: no-store" in resp.partition(b"\r\n\r\n")[0]
    what = "#%d %s -> %s (%s)\n  request: %r\n  answer: %r" % (
        n, desc, status, "urna" if from_urna else "nginx", data[:400], resp[:300])
    # 5xx: urna's own, or nginx's gateway errors (urna unreachable or dead).
    # nginx's 501/505 for an unknown transfer coding or HTTP version are fine.
    if status == "timeout" or isinstance(status, str) and status.startswith("error") or \
            isinstance(status, int) and status >= 500 and (from_urna or status in (500, 502, 503, 504)):
        five_hundreds.append(what)
    if desc.startswith(STRICT) and not (isinstance(status, int) and 400 <= status < 500):
        not_4xx.append(what)
print("# answers: %s" % dict(statuses))
t.check("no malformed request got a 500, a gateway error or no answer", not five_hundreds,
        "\n".join(five_hundreds[:20]))
t.check("every poisoned form, path, query, cookie or content type got a 4xx", not not_4xx,
        "\n".join(not_4xx[:20]))
t.equal("nothing stored by the malformed requests", (ballots(), voted_rows(), voted_rows(fz.login)),
        before_fz + (0,))
with open(app.log, encoding="utf-8", errors="replace") as f:
    log = f.read()
t.check("urna's log has no 500 ('Something went wrong') from them",
        "Something went wrong" not in log and " -> 500" not in log)


def all_workers_serve(what):
    """WORKERS-1 requests held in flight (each occupies a worker thread
    reading its body), then a GET through nginx must still be answered by
    the last worker; then the held ones are finished."""
    held = []
    try:
        for _ in range(WORKERS - 1):
            c = Fcgi(app.socket, timeout=10)
            p = Fcgi.default_params("POST", "/urna/health", b"x" * 10,
                                    "application/x-www-form-urlencoded")
            c.begin(p, b"x")
            held.append(c)
        time.sleep(0.3)
        try:
            r = Http(PORT, timeout=5).get("/urna/")
        except Exception as e:
            r = e
        t.check("%s: with %d requests held in flight the last worker answers /urna/ (200)"
                % (what, WORKERS - 1), getattr(r, "status", None) == 200, r)
    finally:
        answers = [c.finish(b"x" * 9).status for c in held]
    t.check("%s: the held requests are answered too" % what,
            all(a is not None and a < 500 for a in answers), answers)
    rs = [Http(PORT, timeout=10).get("/urna/").status for _ in range(20)]
    t.check("%s: 20 sequential GETs of /urna/ are 200" % what, rs == [200] * 20, Counter(rs))
    t.equal("%s: the same urna.fcgi process" % what, app.pid, pid)


all_workers_serve("after 500 malformed requests")
fz.submit()
t.check("the fuzzing voter can still vote normally", fz.success, fz.attempts)
consistency("after the malformed requests", [fz])

# ---------------------------------------------------------------------------
t.section("5. garbage FastCGI records on urna's socket")
pid = app.pid


def rec(rtype, content=b"", rid=1, version=1, clen=None, pad=None):
    if len(content) > 65535:
        return Fcgi._record(rtype, content, rid)
    clen = len(content) if clen is None else clen
    pad = (8 - len(content) % 8) % 8 if pad is None else pad
    return struct.pack("!BBHHBx", version, rtype, rid, clen, pad) + content + b"\0" * min(pad, 8)


BEGIN = rec(1, struct.pack("!HB5x", 1, 0))
GOOD = Fcgi.default_params("GET", "/urna/health")


def pairs(params):
    return Fcgi._pairs(params)


def fcgi_raw(data, hold=0.0, timeout=5):
    """Sends data on urna's socket, half-closes, reads until closed.
    Returns the bytes read (or what came before a timeout)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    out = b""
    try:
        s.connect(app.socket)
        if data:
            s.sendall(data)
        if hold:
            time.sleep(hold)
        s.shutdown(socket.SHUT_WR)
        while True:
            c = s.recv(65536)
            if not c:
                break
            out += c
    except socket.timeout:
        out += b"<timeout>"
    except OSError as e:
        out += ("<%s>" % e).encode()
    finally:
        s.close()
    return out


def fcgi_alive():
    try:
        return Fcgi(app.socket, timeout=10).get("/urna/health").status == 200
    except Exception:
        return False


valid = BEGIN + rec(4, pairs(GOOD)) + rec(4) + rec(5)
cases = [
    ("connect and close", b""),
    ("a short header (5 bytes)", b"\x01\x01\x00"),
    ("1 KB of random bytes", garbage(1024)),
    ("version 2 records", rec(1, struct.pack("!HB5x", 1, 0), version=2) + rec(4, pairs(GOOD), version=2)),
    ("an unknown role (99)", rec(1, struct.pack("!HB5x", 99, 0)) + rec(4, pairs(GOOD)) + rec(4) + rec(5)),
    ("the AUTHORIZER role", rec(1, struct.pack("!HB5x", 2, 0)) + rec(4, pairs(GOOD)) + rec(4) + rec(5)),
    ("a PARAMS record claiming 1000 bytes, 10 sent", BEGIN + rec(4, b"\x0e\x03REQUEST", clen=1000)),
    ("name and value lengths of 2^31-1 (CVE-2025-23016)",
     BEGIN + rec(4, b"\xff\xff\xff\xff\xff\xff\xff\xff" + b"A" * 64)),
    ("a 4-byte length cut short", BEGIN + rec(4, b"\x80\x00") + rec(4)),
    ("a name length past the record", BEGIN + rec(4, b"\x7f\x01AB") + rec(4) + rec(5)),
    ("no parameters at all", BEGIN + rec(4) + rec(5)),
    ("no REQUEST_METHOD", BEGIN + rec(4, pairs({"REQUEST_URI": "/urna/health"})) + rec(4) + rec(5)),
    ("CONTENT_LENGTH 1000 with a 10-byte body", BEGIN + rec(4, pairs(dict(
        Fcgi.default_params("POST", VOTE, b"", "application/x-www-form-urlencoded"),
        CONTENT_LENGTH="1000"))) + rec(4) + rec(5, b"csrf=x&a=b") + rec(5)),
    ("CONTENT_LENGTH 1000 and a hang-up after 10 bytes", BEGIN + rec(4, pairs(dict(
        Fcgi.default_params("POST", VOTE, b"", "application/x-www-form-urlencoded"),
        CONTENT_LENGTH="1000"))) + rec(4) + rec(5, b"csrf=x&a=b")),
    ("CONTENT_LENGTH not a number", BEGIN + rec(4, pairs(dict(GOOD, CONTENT_LENGTH="12abc",
                                                             REQUEST_METHOD="POST"))) + rec(4) + rec(5, b"123") + rec(5)),
    ("CONTENT_LENGTH 2^64", BEGIN + rec(4, pairs(dict(GOOD, CONTENT_LENGTH="18446744073709551616",
                                                     REQUEST_METHOD="POST"))) + rec(4) + rec(5)),
    ("ABORT_REQUEST after the parameters", BEGIN + rec(4, pairs(GOOD)) + rec(4) + rec(2)),
    ("a management record (GET_VALUES)", rec(9, pairs({"FCGI_MAX_CONNS": "", "FCGI_MPXS_CONNS": ""}), rid=0)),
    ("an unknown record type (42)", rec(42, b"junk", rid=0) + valid),
    ("two BEGIN_REQUESTs (ids 1 and 2)", BEGIN + rec(1, struct.pack("!HB5x", 1, 0), rid=2) + rec(4, pairs(GOOD)) + rec(4) + rec(5)),
    ("a PARAMS record for another request id", BEGIN + rec(4, pairs(GOOD), rid=7) + rec(4) + rec(5)),
    ("STDIN before PARAMS", BEGIN + rec(5, b"abc") + rec(4, pairs(GOOD)) + rec(4) + rec(5)),
    ("padding 255 with the padding missing", BEGIN + rec(4, pairs(GOOD), pad=255)),
    ("10,000 parameters", BEGIN + rec(4, pairs(dict(GOOD, **{"HTTP_X_%d" % i: "v" for i in range(10000)}))) + rec(4) + rec(5)),
    ("a 1 MB cookie and a 1 MB query", BEGIN + rec(4, pairs(dict(GOOD, HTTP_COOKIE="urna_session=" + "a" * 1000000,
                                                                 QUERY_STRING="a=" + "b" * 1000000))) + rec(4) + rec(5)),
    ("NUL bytes in names and values", BEGIN + rec(4, pairs({b"REQUEST_METHOD": b"GE\0T", b"REQUEST_URI": b"/urna/\0health",
                                                           b"\0\0": b"\0", b"HTTP_COOKIE": b"urna_session=\0a"})) + rec(4) + rec(5)),
    ("invalid UTF-8 in every parameter", BEGIN + rec(4, pairs({k: b"\xff\xc0\xaf" for k in GOOD})) + rec(4) + rec(5)),
    ("an empty REQUEST_URI and SCRIPT_NAME", BEGIN + rec(4, pairs(dict(GOOD, REQUEST_URI="", SCRIPT_NAME=""))) + rec(4) + rec(5)),
]
LIBFCGI_ABORT = "fcgiapp.c:75: Malloc: Assertion"


def log_since(offset):
    with open(app.log, "rb") as f:
        f.seek(offset)
        return f.read().decode("utf-8", "replace")


def send_and_watch(data, timeout=5):
    """Sends one stream; returns (answer, None | 'libfcgi-malloc' | 'crash:...');
    a dead urna.fcgi is started again."""
    global pid
    offset = os.path.getsize(app.log)
    out = fcgi_raw(data, timeout=timeout)
    time.sleep(0.02)
    if app.pid == pid:
        return out, None
    app.wait_exit(5)
    tail = log_since(offset)
    app.start()
    pid = app.pid
    return out, ("libfcgi-malloc" if LIBFCGI_ABORT in tail else "crash: " + tail[-500:])


# libfcgi 2.4.2 (Debian 12) allocates a parameter's name + value length
# before reading it and aborts the whole process (assert in its Malloc) when
# that fails: a name length of 2 GB or more in one PARAMS record.
# Reproduce: BEGIN_REQUEST, then a PARAMS record "\xff\xff\xff\xfe\x01abcdef".
HUGE_NAME = BEGIN + rec(4, b"\xff\xff\xff\xfe\x01abcdef")
out, died = send_and_watch(HUGE_NAME)
known_issue("a PARAMS record announcing a 2 GB name does not kill urna.fcgi", died is None,
            "urna.fcgi died (%s) on BEGIN_REQUEST + PARAMS b'\\xff\\xff\\xff\\xfe\\x01abcdef'.\n"
            "libfcgi's ReadParams mallocs nameLen + valueLen + 2 before reading and its\n"
            "Malloc asserts on failure (fcgiapp.c:75), aborting every worker. Only the\n"
            "web server can reach the socket (mode 0660) and nginx/Apache never send\n"
            "such lengths; systemd (Restart=on-failure) starts urna.fcgi again. A fix\n"
            "belongs in libfcgi (reject lengths above a limit), not in urna." % died)
dead = []
answers = {}
for desc, data in cases:
    out, died = send_and_watch(data)
    answers[desc] = out[:120]
    if died or not fcgi_alive():
        dead.append((desc, died))
status_of = {d: (re.search(rb"Status: (\d+)", a) or [None, b""])[1] for d, a in answers.items()}
t.check("a request without REQUEST_METHOD is answered 400",
        status_of["no REQUEST_METHOD"] == b"400", answers["no REQUEST_METHOD"])
t.check("a 10-byte body for CONTENT_LENGTH 1000 is answered (4xx), not waited for",
        status_of["CONTENT_LENGTH 1000 with a 10-byte body"][:1] == b"4",
        answers["CONTENT_LENGTH 1000 with a 10-byte body"])
t.check("a 1 MB query string is refused (414)", status_of["a 1 MB cookie and a 1 MB query"] == b"414",
        answers["a 1 MB cookie and a 1 MB query"])
t.check("an unknown record type is answered FCGI_UNKNOWN_TYPE (type 11, naming type 42)",
        answers["an unknown record type (42)"][:2] == b"\x01\x0b"
        and answers["an unknown record type (42)"][8:9] == b"\x2a", answers["an unknown record type (42)"])

# Random mutations of a valid POST stream: flipped bytes, truncation,
# inserted junk; each connection half-closed after sending.
post_stream = BEGIN + rec(4, pairs(Fcgi.default_params(
    "POST", VOTE, fz.body, "application/x-www-form-urlencoded"))) + rec(4) + rec(5, fz.body) + rec(5)
dead, libfcgi_aborts = [], []
for n in range(200):
    m = bytearray(post_stream)
    for _ in range(rnd.randint(1, 6)):
        op = rnd.randrange(3)
        if op == 0 and m:
            m[rnd.randrange(len(m))] = rnd.getrandbits(8)
        elif op == 1:
            del m[rnd.randrange(len(m) + 1):]
        else:
            at = rnd.randrange(len(m) + 1)
            m[at:at] = garbage(rnd.randint(1, 16))
    out, died = send_and_watch(bytes(m), timeout=3)
    if died == "libfcgi-malloc":
        libfcgi_aborts.append(n)
    elif died:
        dead.append((n, died, bytes(m)))
t.check("urna.fcgi survives 200 randomly mutated FastCGI streams (but for the libfcgi abort above)",
        not dead, dead[:3])
known_issue("none of the mutated streams hit the libfcgi abort", not libfcgi_aborts,
            "streams %s announced a parameter of 2 GB or more (see above)" % libfcgi_aborts)
t.check("... and serves afterwards", fcgi_alive())

# A truncated record held open: it holds one worker (until the 30 s socket
# timeout of server.cc drops it); the other workers accept and serve.
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(app.socket)
s.sendall(BEGIN + rec(4, b"\x0e\x03REQUEST", clen=1000))
try:
    t0 = time.monotonic()
    try:
        r = Http(PORT, timeout=4).get("/urna/health")
    except Exception as e:
        r = e
    waited = time.monotonic() - t0
    t.check("other requests are served while a FastCGI client holds half a record open",
            getattr(r, "status", None) == 200,
            "GET /urna/health through nginx got %r after %.1f s while one client kept a\n"
            "truncated PARAMS record open on urna's socket" % (r, waited))
finally:
    s.close()
t.check("... and once that client goes, requests are served again", fcgi_alive())
all_workers_serve("after the garbage FastCGI")

# ---------------------------------------------------------------------------
t.section("6. tampered session cookies and CSRF tokens on the vote POST")
pid = app.pid
v = Voter(210)
other = Voter(211)
before = (ballots(), voted_rows())
cookie = v.h.cookies["urna_session"]
payload, mac = cookie.split(".")


def flip(s, i):
    c = s[i]
    return s[:i] + ("A" if c != "A" else "B") + s[i + 1:]


def pad_b64(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


raw_payload = pad_b64(payload).decode()
other_payload = b64(raw_payload.replace(v.login, other.login).encode())
cookies = [
    ("a flipped MAC character", payload + "." + flip(mac, 5)),
    ("a flipped payload character", flip(payload, 3) + "." + mac),
    ("another login in the payload, the old MAC", other_payload + "." + mac),
    ("signed with another key", forge_session(v.login, key="0" * 64)),
    ("expired (signed correctly)", forge_session(v.login, ttl=-10)),
    ("a short nonce (signed correctly)", forge_session(v.login, nonce="abc")),
    ("an unknown version v9 (signed correctly)", b64(("v9|" + raw_payload.split("|", 1)[1]).encode())
     + "." + b64(hmac.new(KEY.encode(), b"session|" + ("v9|" + raw_payload.split("|", 1)[1]).encode(),
                          hashlib.sha256).digest())),
    ("no MAC", payload),
    ("an empty MAC", payload + "."),
    ("three parts", payload + "." + mac + "." + mac),
    ("empty", ""),
    ("a dot", "."),
    ("not base64", "!!!.???"),
    ("random base64", b64(os.urandom(60)) + "." + b64(os.urandom(32))),
    ("5000 bytes", "a" * 5000),
    ("quoted", '"' + payload + "." + flip(mac, 2) + '"'),
]
results = []
for desc, c in cookies:
    h = Http(PORT)
    h.cookies["urna_session"] = c
    r = h.request("POST", VOTE, body=v.body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    results.append((desc, r.status))
    g = h.get(VOTE)
    results.append((desc + " (GET the booth)", g.status, g.header("Location", "")[:20]))
t.check("a tampered or garbage session cookie on the vote POST is 403",
        all(s == 403 for d, s, *_ in results if not d.endswith("(GET the booth)")), results)
t.check("... and the booth sends that visitor to sign in (303 to /urna/login)",
        all(x[1] == 303 and x[2].startswith("/urna/login") for x in results
            if x[0].endswith("(GET the booth)")), results)
h = Http(PORT)
r = h.request("POST", VOTE, body=v.body, headers={
    "Content-Type": "application/x-www-form-urlencoded",
    "Cookie": "urna_session=%s; urna_session=%s" % (flip(payload, 3) + "." + mac, cookie)})
t.equal("two session cookies, the first tampered: the first counts (403)", r.status, 403, r)

csrfs = [
    ("no csrf field", [p for p in v.form if p[0] != "csrf"]),
    ("an empty csrf", [("csrf", "")] + v.form[1:]),
    ("another voter's csrf", [("csrf", other.csrf)] + v.form[1:]),
    ("a csrf one character off", [("csrf", flip(v.csrf, 4))] + v.form[1:]),
    ("the csrf with a character more", [("csrf", v.csrf + "A")] + v.form[1:]),
    ("the csrf cut short", [("csrf", v.csrf[:-1])] + v.form[1:]),
    ("the csrf in the query string only", [p for p in v.form if p[0] != "csrf"], "?csrf=" + quote(v.csrf)),
    ("two csrf fields, the first wrong", [("csrf", "x" * len(v.csrf))] + v.form),
]
results = []
for c in csrfs:
    desc, form = c[0], c[1]
    path = VOTE + (c[2] if len(c) > 2 else "")
    r = v.h.request("POST", path, body=urlencode(form).encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    results.append((desc, r.status, "did not come from urna" in r.text))
t.check("a missing, empty, foreign or altered CSRF token is 403 with the form-expired message",
        all(s == 403 and msg for _, s, msg in results), results)
t.equal("nothing stored by any of them", (ballots(), voted_rows(), voted_rows(v.login)), before + (0,))
v.submit()
t.check("the same voter with the real cookie and token votes (303)", v.success, v.attempts)
consistency("after the tampered cookies", [v])
serving("after the tampered cookies", pid)

# ---------------------------------------------------------------------------
t.section("the log")
time.sleep(0.3)
with open(app.log, encoding="utf-8", errors="replace") as f:
    log = f.read()
t.check("no passcode in urna's log", "passcode=" not in log and voters[0].passcode not in log)
t.check("database errors were logged with their cause", "database:" in log)
if known_issues:
    print("# known issues (reported, not counted): " + "; ".join(known_issues))
t.done()
