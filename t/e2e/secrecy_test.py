#!/usr/bin/python3
"""The secret ballot tried as a database administrator would (issue 8,
"Tests that try it as a DBA would"; docs/store.md).

A private MariaDB runs with what a production server has switched on: the
binary log (ROW format first, then STATEMENT), the general log and the slow
log with long_query_time = 0. urna.fcgi behind nginx; a metadata repository
made here with three elections whose candidate, question and answer ids
are distinctive strings ("zq7...") that appear nowhere else:

  dba/board       one ranked question, receipts: True
  dba/referendum  three questions (IRV, plurality, approval), delete_after
  dba/later       still running when the others are counted (uses the same
                  ballot key: --forget-key must refuse without --force)

Voters vote, re-cast and view their ballots through nginx (CSRF tokens,
urna's generated passcode with its passcode_sig, or their own passcode).
While they vote, the whole datadir is copied (a "live copy", as a physical
backup takes it) and every table is polled with SELECT. Then every place a
DBA can read is scanned as bytes: each file of the datadir (ibdata, .ibd,
redo, undo, aria logs, binary logs), the live copy, every binary log
decoded by `mariadb-binlog --verbose --base64-output=decode-rows`, the
general, slow and error logs, two `mariadb-dump`s (plain and --hex-blob),
the polled rows, and urna's own log. No candidate id, answer id, question
id, stored ranking ("zq7candidate-aurelia=1"...), ballot plaintext header
("urna-ballot-v1") or typed passcode may appear, in clear, hex or upper
hex. Before the count there is no exception at all (the metadata
snapshot is zlib-compressed, so not even it holds an id in clear). After
the count the `results` table holds the results by design: a hit is
allowed only where it is attributed to that table (its .ibd file, or a
statement / row event / dump line writing `results`), and none is
expected there either, since results are compressed too.

The linking angle: the binary log does pair a voter's login with a
ciphertext (one transaction writes both); the test finds every stored
ciphertext in the decoded binary logs, opens each with the private key
from key_dir (t/lib/harness.py's independent opener) to show they ARE the
ballots, and shows that nothing opens them without that key.

Then urna-tally counts (every ballot once, re-casts replaced),
`urna-tally --forget-key` refuses while dba/later is not counted, --force
forgets, and the delete_after election's ciphertexts and sealed links are
gone; the re-scan still finds nothing.

A self-check plants markers with plain SQL INSERTs (one per binlog format)
and requires the scanner to find them in the binary log, the general log,
the datadir, the dump and the polled rows: the scan can fail.
"""

import base64
import datetime
import hashlib
import hmac
import html
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
import zlib

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import (BUILDDIR, Checks, Http, MariaDB, Nginx, Urna, csrf_of, git,  # noqa: E402
                     open_sealed_ballot, private_key_of, which, write)

t = Checks("secrecy_test")
TALLY = os.path.join(BUILDDIR, "urna-tally")
t.require_binaries("mariadb-install-db", "mariadbd", "mariadb", "mariadb-dump",
                   "mariadb-binlog", "nginx", "git", os.path.join(BUILDDIR, "urna.fcgi"),
                   os.path.join(BUILDDIR, "urna-sync"), TALLY)
try:
    import cryptography  # noqa: F401  (the independent opener needs it)
except ImportError:
    t.skip("python3-cryptography is missing")

# Seconds from building the repository until dba/board and dba/referendum
# close: enough to sync, start the servers and vote in both phases on a
# loaded 2-core machine.
END_IN = int(os.environ.get("URNA_SECRECY_END_IN", "45"))
BOARD, REF, LATER = "dba/board", "dba/referendum", "dba/later"
DB_NAME = "urna_test"

# --- the distinctive ids -----------------------------------------------------
BOARD_CANDS = ["zq7candidate-aurelia", "zq7candidate-borealis", "zq7candidate-cassiopeia",
               "zq7candidate-delphinus"]
SEATS, BUDGET, TOOLS = "zq7question-seats", "zq7question-budget", "zq7question-tools"
SEAT_CANDS = ["zq7candidate-eridanus", "zq7candidate-fornax", "zq7candidate-gemini"]
BUDGET_ANS = ["zq7answer-yea", "zq7answer-nay"]
TOOL_ANS = ["zq7answer-quill", "zq7answer-stylus", "zq7answer-brush"]
LATER_CANDS = ["zq7candidate-hydrus", "zq7candidate-indus"]
IDS = BOARD_CANDS + [SEATS, BUDGET, TOOLS] + SEAT_CANDS + BUDGET_ANS + TOOL_ANS + LATER_CANDS
VOTERS = ["v%02d" % i for i in range(1, 13)]


def utc(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def candidate(folder, cid, name):
    write(os.path.join(folder, "candidate-%s.md" % cid),
          "-------\nname: %s\nID: %s\n-------\n\nStatement of %s.\n" % (name, cid, name))


def build_repository(work, end):
    root = os.path.join(work, "elections", "dba")
    voters = "eligible_voters:\n" + "".join("  - %s\n" % v for v in VOTERS)
    board = os.path.join(root, "board")
    write(os.path.join(board, "election.yaml"), """name: Board of the DBA test
organization: dba
start_datetime: 2026-01-01 00:00:00
end_datetime: %s
no_winners: 1
allow_no_opinion: True
receipts: True
election_officers:
  - olga
""" % utc(end))
    write(os.path.join(board, "election_desc.md"), "One ranked question.\n")
    write(os.path.join(board, "voters.yaml"), voters)
    for i, c in enumerate(BOARD_CANDS):
        candidate(board, c, "Board Person %d" % i)
    ref = os.path.join(root, "referendum")
    write(os.path.join(ref, "election.yaml"), """name: Referendum of the DBA test
organization: dba
start_datetime: 2026-01-01 00:00:00
end_datetime: %s
delete_after: True
election_officers:
  - olga
questions:
  - id: %s
    title: Who should sit?
    method: irv
    from_candidates: true
  - id: %s
    title: Approve the budget?
    method: plurality
    answers:
      - id: %s
        text: "Yes"
      - id: %s
        text: "No"
  - id: %s
    title: Which tools?
    method: approval
    max_selections: 2
    answers:
      - id: %s
        text: Quill
      - id: %s
        text: Stylus
      - id: %s
        text: Brush
""" % ((utc(end), SEATS, BUDGET) + tuple(BUDGET_ANS) + (TOOLS,) + tuple(TOOL_ANS)))
    write(os.path.join(ref, "election_desc.md"), "Three questions on one ballot.\n")
    write(os.path.join(ref, "voters.yaml"), voters)
    for i, c in enumerate(SEAT_CANDS):
        candidate(ref, c, "Seat Person %d" % i)
    later = os.path.join(root, "later")
    write(os.path.join(later, "election.yaml"), """name: Later
organization: dba
start_datetime: 2026-01-01 00:00:00
end_datetime: 2036-01-01 00:00:00
election_officers:
  - olga
""")
    write(os.path.join(later, "election_desc.md"), "Still running at the count.\n")
    write(os.path.join(later, "voters.yaml"), voters)
    for i, c in enumerate(LATER_CANDS):
        candidate(later, c, "Later Person %d" % i)
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "DBA secrecy test elections")


# ---------------------------------------------------------------------------
T0 = time.monotonic()
db = MariaDB(options=["--log-bin=binlog", "--binlog-format=ROW", "--server-id=1",
                      "--general-log", "--slow-query-log", "--long-query-time=0"])
db.options += ["--general-log-file=" + os.path.join(db.dir, "general.log"),
               "--slow-query-log-file=" + os.path.join(db.dir, "slow.log")]
GENERAL_LOG = os.path.join(db.dir, "general.log")
SLOW_LOG = os.path.join(db.dir, "slow.log")
t.watch(db).start()
work = os.path.join(db.dir, "meta-work")
end = int(time.time()) + END_IN
build_repository(work, end)
app = t.watch(Urna(db, workers=4, repo_url=work, repo_branch="main"))
app.migrate()
rc, out = app.sync(check=False)
t.equal("urna-sync stores the test repository", rc, 0, out[-3000:])
app.start()
ngx = t.watch(Nginx(app))
ngx.start()
PORT = ngx.port
KEY = app.settings["session_key"]


def sql(q):
    return db.sql(q, database=DB_NAME).strip()


t.equal("the server runs with the binary log on, ROW format",
        db.sql("SELECT @@log_bin, @@binlog_format, @@general_log, @@slow_query_log, "
               "@@long_query_time").split(), ["1", "ROW", "1", "1", "0.000000"])


# --- voting as voters do ------------------------------------------------------
def forge_session(login, ttl=3600):
    """The cookie src/web/session.cc writes: b64url(payload).b64url(mac)."""
    def b64(b):
        return base64.urlsafe_b64encode(b).rstrip(b"=").decode()
    payload = "v1|%s|%d|%s" % (login, int(time.time()) + ttl, os.urandom(16).hex())
    mac = hmac.new(KEY.encode(), b"session|" + payload.encode(), hashlib.sha256).digest()
    return b64(payload.encode()) + "." + b64(mac)


def sign_in(login):
    h = Http(PORT)
    r = h.get("/urna/login?next=/urna/")
    m = re.search(r'name="csrf" value="([^"]*)"', r.text) if r.status == 200 else None
    if m and "demo-voters" in r.text:
        h.post("/urna/login", {"csrf": html.unescape(m.group(1)), "login": login})
    if "urna_session" not in h.cookies:
        h.cookies["urna_session"] = forge_session(login)
    return h


def post(h, path, pairs):
    from urllib.parse import urlencode
    for _ in range(20):
        r = h.request("POST", path, body=urlencode(pairs).encode(),
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
        if r.status != 503:
            return r
        time.sleep(float(r.header("Retry-After") or "1"))  # a busy scrypt limit
    return r


def field(page, name):
    m = re.search(r'<input type="(?:text|hidden|password)" name="%s"[^>]*value="([^"]*)"' % name,
                  page)
    return html.unescape(m.group(1)) if m else ""


def base(eid):
    return "/urna/elections/" + eid


def ranking(d):
    """urna's stored encoding of one question: id=rank sorted by id."""
    return "&".join("%s=%d" % (k, d[k]) for k in sorted(d))


# Every string a voter typed or chose: none may appear in the database.
typed_passcodes = []
rankings_cast = set()
final = {BOARD: {}, REF: {}}  # login -> {question: ranking} as last cast
passcode_of = {}  # (eid, login) -> passcode
lock = threading.Lock()
problems = []


def cast(login, eid, choice, own=None):
    """Votes (or re-casts, when the voter has voted) through nginx: the
    booth's form with its CSRF token; urna's generated passcode (and its
    passcode_sig) unless the voter types their own."""
    h = sign_in(login)
    page = h.get(base(eid) + "/vote").text
    recast = (eid, login) in passcode_of
    form = [("csrf", csrf_of(page))]
    if eid == BOARD:
        stored = {"main": ranking(choice)}
        for c, rank in choice.items():
            form.append(("rank/main/" + c, str(rank)))
    else:
        seats, budget, tools = choice
        stored = {SEATS: ranking(seats), BUDGET: ranking({budget: 1}),
                  TOOLS: ranking({x: 1 for x in tools})}
        for c, rank in seats.items():
            form.append(("rank/%s/%s" % (SEATS, c), str(rank)))
        form.append(("pick/" + BUDGET, budget))
        form += [("pick/" + TOOLS, x) for x in tools]
    # A stored ballot answers 303 to the voted page (?changed=1: re-cast).
    if recast:
        pc = passcode_of[(eid, login)]
        form.append(("passcode", pc))
        want = "/voted?changed=1"
    else:
        pc = own or field(page, "passcode")
        form += [("passcode", pc), ("passcode_saved", "yes")]
        if not own:
            form.append(("passcode_sig", field(page, "passcode_sig")))
        want = "/voted"
    r = post(h, base(eid) + "/vote", form)
    with lock:
        typed_passcodes.append(pc)
        for q, rk in stored.items():
            rankings_cast.add(rk)
        if r.status == 303 and r.header("Location", "").endswith(want):
            passcode_of[(eid, login)] = pc
            final[eid][login] = stored
        else:
            problems.append("%s %s %s: %s" % (login, eid, "re-cast" if recast else "vote", r))
    return r


def view(login, eid):
    """POST /ballot with the passcode: [(answer id, rank)] in rank order."""
    h = sign_in(login)
    page = h.get(base(eid) + "/ballot").text
    r = post(h, base(eid) + "/ballot", [("csrf", csrf_of(page)),
                                        ("passcode", passcode_of[(eid, login)])])
    return r.status, re.findall(r'data-aid="([^"]+)" data-rank="(\d+)"', r.text)


def own_passcode(login):
    return "zq7pass %s correct horse %s" % (login, secrets.token_hex(6))


def run_votes(actions, threads=2):
    """Runs cast() actions on `threads` threads (as concurrent voters)."""
    queue = list(actions)

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                a = queue.pop(0)
            cast(*a)
    ths = [threading.Thread(target=worker) for _ in range(threads)]
    for th in ths:
        th.start()
    return ths


A, B, C, D = BOARD_CANDS
E, F, G = SEAT_CANDS
YEA, NAY = BUDGET_ANS
QUILL, STYLUS, BRUSH = TOOL_ANS


# --- the SELECT poller ----------------------------------------------------------
TABLES = sql("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '%s' "
             "ORDER BY TABLE_NAME" % DB_NAME).split()
polled = []            # outputs of SELECT * on every table
seen_ciphertexts = {}  # hex -> election id, every ciphertext ever seen by a SELECT
stop_polling = threading.Event()


def raw_sql(q):
    """The mariadb client's output as bytes (binary columns, escaped)."""
    r = subprocess.run(db.client_argv(DB_NAME), input=q.encode(), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("SQL failed: %s\n%s" % (q, r.stderr.decode(errors="replace")))
    return r.stdout


def poll_once():
    out = raw_sql("".join("SELECT * FROM `%s`;\n" % tb for tb in TABLES))
    rows = sql("SELECT HEX(ciphertext), election_id FROM sealed_ballots")
    with lock:
        polled.append(out)
        for line in rows.splitlines():
            hexc, _, eid = line.partition("\t")
            seen_ciphertexts[hexc.lower()] = eid


def poller():
    while not stop_polling.is_set():
        try:
            poll_once()
        except Exception as e:  # the check below counts the polls
            problems.append("poll: %s" % e)
        stop_polling.wait(0.2)


# --- planted markers: the scanner must find these --------------------------------
PLANTED = {}


def plant(name):
    """A marker stored with a plain SQL INSERT, in a scratch table of the
    same database (in the binlog, general log, datadir, dump, polls)."""
    marker = "zq7planted-%s-%s" % (name, secrets.token_hex(4))
    PLANTED[name] = marker
    sql("CREATE TABLE IF NOT EXISTS dba_selfcheck (id INT AUTO_INCREMENT PRIMARY KEY, "
        "v TEXT NOT NULL) ENGINE=InnoDB; INSERT INTO dba_selfcheck (v) VALUES ('%s')" % marker)
    if "dba_selfcheck" not in TABLES:
        TABLES.append("dba_selfcheck")
    return marker


# ---------------------------------------------------------------------------
t.section("phase 1: binlog_format=ROW; voters vote while a live copy is taken")
plant("row")
poll_thread = threading.Thread(target=poller)
poll_thread.start()
phase1 = [
    ("v01", BOARD, {A: 1, B: 2, C: 3}), ("v02", BOARD, {B: 1, A: 2}),
    ("v03", BOARD, {C: 1, D: 2}), ("v04", BOARD, {A: 1, D: 2}, own_passcode("v04")),
    ("v05", BOARD, {D: 1}, own_passcode("v05")), ("v06", BOARD, {B: 1, C: 1}),
    ("v01", REF, ({E: 1, F: 2}, YEA, [QUILL, STYLUS])),
    ("v02", REF, ({F: 1}, NAY, [BRUSH]), own_passcode("v02")),
    ("v03", REF, ({G: 1, E: 2, F: 3}, YEA, [])),
    ("v04", REF, ({E: 1}, YEA, [STYLUS]), own_passcode("v04r")),
]
threads = run_votes(phase1)
deadline = time.monotonic() + 30
while int(sql("SELECT COUNT(*) FROM sealed_ballots")) < 3 and time.monotonic() < deadline:
    time.sleep(0.02)  # copy once some ballots are in, while the others are cast
LIVE = os.path.join(db.dir, "live-copy")


def live_copy(src, dest):
    """cp -r of a running server's datadir (files may change or vanish)."""
    n = 0
    for d, dirs, files in os.walk(src):
        rel = os.path.relpath(d, src)
        os.makedirs(os.path.join(dest, rel), exist_ok=True)
        for f in files:
            try:
                shutil.copyfile(os.path.join(d, f), os.path.join(dest, rel, f))
                n += 1
            except OSError:
                pass
    return n


in_before_copy = int(sql("SELECT COUNT(*) FROM sealed_ballots"))
copied = live_copy(db.datadir, LIVE)
for th in threads:
    th.join()
t.check("phase 1: every vote cast (%d)" % len(phase1), not problems, problems)
t.check("the live copy was taken while ballots were stored (%d files; %d ballots in before it)"
        % (copied, in_before_copy), copied > 20 and in_before_copy >= 3, copied)

# Re-casts (generated and own passcodes) and views.
problems.clear()
for a in [("v02", BOARD, {C: 1, A: 2, B: 3}), ("v05", BOARD, {A: 1, B: 2}),
          ("v03", REF, ({E: 1, G: 2}, NAY, [QUILL]))]:
    cast(*a)
t.check("phase 1: re-casts answered 303 to 'Your ballot is changed'", not problems, problems)
st, rows = view("v02", BOARD)
t.equal("v02 views the re-cast ballot (generated passcode)", (st, rows),
        (200, [(C, "1"), (A, "2"), (B, "3")]))
st, rows = view("v05", BOARD)
t.equal("v05 views the re-cast ballot (own passcode)", (st, rows), (200, [(A, "1"), (B, "2")]))
st, rows = view("v03", REF)
t.check("v03 views the re-cast referendum ballot", st == 200 and (E, "1") in rows
        and (G, "2") in rows and (NAY, "1") in rows, (st, rows))

t.section("phase 2: binlog_format=STATEMENT (new connections: urna.fcgi restarted)")
db.sql("SET GLOBAL binlog_format = 'STATEMENT'; FLUSH BINARY LOGS;")
app.restart()
plant("statement")
problems.clear()
phase2 = [
    ("v07", BOARD, {D: 1, C: 2, B: 3, A: 4}), ("v08", BOARD, {A: 1}, own_passcode("v08")),
    ("v09", BOARD, {B: 1, D: 2}), ("v10", BOARD, {C: 1}),
    ("v05", REF, ({F: 1, E: 2}, YEA, [QUILL, BRUSH])),
    ("v06", REF, ({G: 1}, NAY, [STYLUS]), own_passcode("v06")),
    ("v07", REF, ({E: 1, F: 2, G: 3}, YEA, [QUILL])),
]
for th in run_votes(phase2):
    th.join()
for a in [("v01", BOARD, {D: 1, A: 2}), ("v04", BOARD, {B: 1}), ("v06", REF, ({E: 1}, YEA, [])),
          ("v01", REF, ({F: 1, G: 2}, NAY, [STYLUS, BRUSH]))]:
    cast(*a)
t.check("phase 2: every vote and re-cast answered", not problems, problems)
st, rows = view("v01", BOARD)
t.equal("v01 views the ballot re-cast under STATEMENT", (st, rows), (200, [(D, "1"), (A, "2")]))
st, rows = view("v04", BOARD)
t.equal("v04 views the re-cast ballot (own passcode)", (st, rows), (200, [(B, "1")]))
stop_polling.set()
poll_thread.join()
poll_once()
if time.time() >= end - 1:
    t.check("voting finished before the elections closed", False, "raise URNA_SECRECY_END_IN")
t.check("SELECT polling ran during voting (%d polls of %d tables)" % (len(polled), len(TABLES)),
        len(polled) >= 5, len(polled))
live_bytes = b""
for d, dirs, fs in os.walk(LIVE):
    for f in fs:
        with open(os.path.join(d, f), "rb") as fh:
            live_bytes += fh.read()
in_live = sum(bytes.fromhex(h)[100:140] in live_bytes for h in seen_ciphertexts)
t.check("the live copy holds ciphertexts of ballots cast before it (%d), as a physical backup "
        "would" % in_live, in_live >= 1, in_live)
del live_bytes
n_sealed = {e: int(sql("SELECT COUNT(*) FROM sealed_ballots WHERE election_id = '%s'" % e))
            for e in (BOARD, REF)}
t.equal("one sealed ballot per voter (re-casts replaced the ciphertext)",
        n_sealed, {BOARD: len(final[BOARD]), REF: len(final[REF])})
t.equal("the plaintext ballots table of schema 1-3 is empty", sql("SELECT COUNT(*) FROM ballots"),
        "0")
print("# voting took %.1f s; %d ciphertexts seen by the poller" % (time.monotonic() - T0,
                                                                   len(seen_ciphertexts)))


# --- the scanner -----------------------------------------------------------------
def needles():
    """(label, bytes) of every secret, in clear, hex and upper hex."""
    plain = []
    for i in IDS:
        plain.append(("id " + i, i))
    for r in sorted(rankings_cast):
        if r:
            plain.append(("ranking " + r, r))
            for part in r.split("&"):
                plain.append(("ranking part " + part, part))
    plain.append(("ballot plaintext header", "urna-ballot-v1"))
    for p in sorted(set(typed_passcodes)):
        plain.append(("passcode " + p, p))
        if "-" in p:
            plain.append(("passcode (no dashes) " + p, p.replace("-", "")))
    out = {}
    for label, s in plain:
        b = s.encode()
        out[b] = label
        out[b.hex().encode()] = label + " (hex)"
        out[b.hex().upper().encode()] = label + " (HEX)"
    return out


def planted_needles():
    out = {}
    for name, m in PLANTED.items():
        out[m.encode()] = "planted " + name
    return out


def find_all(data, needle):
    i = data.find(needle)
    while i >= 0:
        yield i
        i = data.find(needle, i + 1)


def scan_bytes(data, table):
    """[(offset, label)] of every needle in data. Needles sharing a
    3-byte prefix are found from that prefix's occurrences (fast)."""
    groups = {}
    for n, label in table.items():
        groups.setdefault(n[:3], []).append((n, label))
    hits = []
    for prefix, ns in groups.items():
        if len(ns) == 1:
            n, label = ns[0]
            hits += [(i, label) for i in find_all(data, n)]
            continue
        for i in find_all(data, prefix):
            for n, label in ns:
                if data.startswith(n, i):
                    hits.append((i, label))
    return hits


WRITE_RE = re.compile(rb"(?:INSERT INTO|REPLACE INTO|UPDATE|DELETE FROM)\s+"
                      rb"(?:`?\w+`?\.)?`?(\w+)`?", re.I)


def table_written_before(data, i):
    """The table of the last write statement / row event before offset i
    (a text source: decoded binlog, general or slow log, dump)."""
    last = None
    for m in WRITE_RE.finditer(data, max(0, i - 65536), i):
        last = m.group(1).decode()
    return last


class Scan:
    def __init__(self, title, allowed_tables=()):
        self.title = title
        self.allowed = set(allowed_tables)
        self.files = 0
        self.bytes = 0
        self.leaks = []     # (source, offset, label, context)
        self.allowed_hits = []
        self.planted = {}   # marker label -> set of source kinds
        self.kinds = {}     # source kind -> [sources, bytes]
        self.table = needles()
        self.ptable = planted_needles()

    def source(self, name, data, kind, text=False):
        self.files += 1
        self.bytes += len(data)
        k = self.kinds.setdefault(kind, [0, 0])
        k[0] += 1
        k[1] += len(data)
        for i, label in scan_bytes(data, self.table):
            where = None
            if os.path.basename(name) in ("%s.ibd" % tb for tb in self.allowed):
                where = os.path.basename(name)
            elif text:
                tb = table_written_before(data, i)
                if tb in self.allowed:
                    where = "a write to " + tb
            ctx = data[max(0, i - 40):i + 60]
            if where:
                self.allowed_hits.append((name, i, label, where))
            else:
                self.leaks.append((name, i, label, ctx))
        for i, label in scan_bytes(data, self.ptable):
            self.planted.setdefault(label, set()).add(kind)

    def file(self, path, kind):
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            return
        self.source(path, data, kind)

    def tree(self, root, kind):
        for d, dirs, files in os.walk(root):
            for f in sorted(files):
                self.file(os.path.join(d, f), kind)

    def summary(self):
        print("# %s: scanned %d sources, %d bytes, %d needles; %d hits allowed (%s)"
              % (self.title, self.files, self.bytes, len(self.table), len(self.allowed_hits),
                 ", ".join(sorted(self.allowed)) or "none allowed"))
        for kind, (n, b) in sorted(self.kinds.items()):
            print("#   %-15s %4d source(s) %11d bytes" % (kind, n, b))

    def where(self):
        """{source kind: hits} of the leaks, for the can-fail check."""
        return sorted({os.path.relpath(x[0], db.dir) if x[0].startswith(db.dir) else x[0]
                       for x in self.leaks})

    def report(self):
        self.summary()
        detail = "\n".join("%s at offset %d: %s, around %r" % x for x in self.leaks[:40])
        t.check("%s: no ballot content, id or passcode anywhere (%d sources, %d bytes)"
                % (self.title, self.files, self.bytes), not self.leaks,
                "%d hits:\n%s" % (len(self.leaks), detail))


def binlog_files():
    idx = os.path.join(db.datadir, "binlog.index")
    names = [ln.strip() for ln in open(idx).read().splitlines() if ln.strip()]
    return [n if os.path.isabs(n) else os.path.join(db.datadir, os.path.basename(n))
            for n in names]


def decode_binlog(path):
    r = subprocess.run([which("mariadb-binlog"), "--no-defaults", "--verbose",
                        "--base64-output=decode-rows", path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if r.returncode != 0:
        raise RuntimeError("mariadb-binlog %s: %s" % (path, r.stderr.decode(errors="replace")))
    return r.stdout


def dump(*extra):
    r = subprocess.run([which("mariadb-dump"), "--no-defaults", "--socket=" + db.socket,
                        "--user=root", "--single-transaction", "--routines", "--triggers"]
                       + list(extra) + ["--databases", DB_NAME],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if r.returncode != 0:
        raise RuntimeError("mariadb-dump: " + r.stderr.decode(errors="replace"))
    return r.stdout


def scan_everything(title, allowed_tables=(), live=True, report=True):
    s = Scan(title, allowed_tables)
    decoded = {}
    db.sql("FLUSH LOGS;")  # the logs reach their files
    s.tree(db.datadir, "datadir")
    if live:
        s.tree(LIVE, "live copy")
    for b in binlog_files():
        decoded[b] = decode_binlog(b)
        s.source(b + " (mariadb-binlog -v)", decoded[b], "binlog decoded", text=True)
    for path, kind in ((GENERAL_LOG, "general log"), (SLOW_LOG, "slow log"),
                       (db.log, "error log"), (app.log, "urna log")):
        with open(path, "rb") as f:
            s.source(path, f.read(), kind, text=True)
    s.source("mariadb-dump", dump(), "dump", text=True)
    s.source("mariadb-dump --hex-blob", dump("--hex-blob"), "dump", text=True)
    with lock:
        s.source("SELECT polling (%d polls)" % len(polled), b"\n".join(polled), "polls")
    if report:
        s.report()
    else:
        s.summary()
    return s, decoded


t.section("the DBA reads everything after voting")
probe = b"\x00\xff" + A.encode().hex().upper().encode() + b"\x01" + B.encode() + b"=2\x00"
found = sorted(label for _, label in scan_bytes(probe, needles()))
t.check("self-check: the scanner finds an id in upper hex and a ranking part inside binary bytes",
        "id %s (HEX)" % A in found and "ranking part %s=2" % B in found, found)
scan, decoded = scan_everything("after voting")
want_kinds = {"binlog decoded", "general log", "slow log", "datadir", "dump", "polls"}
for name in ("row", "statement"):
    got = scan.planted.get("planted " + name, set())
    t.check("self-check: the scanner finds the marker planted under %s in %s"
            % (name.upper(), ", ".join(sorted(want_kinds))), want_kinds <= got, sorted(got))
t.check("self-check: the live copy holds the marker planted before it",
        "live copy" in scan.planted.get("planted row", set()), scan.planted)
t.check("self-check: the marker planted after the copy is not in it",
        "live copy" not in scan.planted.get("planted statement", set()), scan.planted)

# The binary logs: which format wrote what.
files = binlog_files()
row_text = b"".join(decoded[f] for f in files[:1])
stmt_text = b"".join(decoded[f] for f in files[1:])
t.check("the first binlog has ROW events for sealed_ballots and voters_voted",
        b"### INSERT INTO `urna_test`.`sealed_ballots`" in row_text and
        b"### INSERT INTO `urna_test`.`voters_voted`" in row_text, row_text[-2000:])
t.check("the later binlogs have the statements themselves (STATEMENT)",
        re.search(rb"\nINSERT INTO sealed_ballots", stmt_text) is not None and
        b"### INSERT INTO `urna_test`.`sealed_ballots`" not in stmt_text, stmt_text[-3000:])


# --- the linking angle --------------------------------------------------------------
def row_form(b):
    """A value as mariadb-binlog -v prints it in a row event."""
    return b"".join(bytes([c]) if c > 0x1F else b"\\x%02x" % c for c in b)


UNESCAPE = {ord("0"): b"\0", ord("n"): b"\n", ord("r"): b"\r", ord("Z"): b"\x1a",
            ord("b"): b"\b", ord("t"): b"\t"}


def literals(text):
    """Every single-quoted SQL string literal of a text (a statement-format
    binlog, the general log), unescaped as the server reads them."""
    out = set()
    for m in re.finditer(rb"'((?:[^'\\]|\\.)*)'", text, re.S):
        out.add(re.sub(rb"\\(.)", lambda e: UNESCAPE.get(e.group(1)[0], e.group(1)),
                       m.group(1), flags=re.S))
    return out


all_binlog = b"".join(decoded.values())
stmt_literals = literals(stmt_text)
general_literals = literals(open(GENERAL_LOG, "rb").read())
in_binlog = {}
for hexc, eid in seen_ciphertexts.items():
    c = bytes.fromhex(hexc)
    in_binlog[hexc] = row_form(c) in row_text or c in stmt_literals
final_cipher = {}
for line in sql("SELECT HEX(ciphertext), election_id FROM sealed_ballots").splitlines():
    hexc, _, eid = line.partition("\t")
    final_cipher[hexc.lower()] = eid
missing = [h[:32] for h in final_cipher if not in_binlog.get(h)]
t.check("every stored ciphertext (%d; %d seen while voting, %d of them in the binlogs) is in the "
        "decoded binary logs, as a row event or a statement" % (
            len(final_cipher), len(seen_ciphertexts), sum(in_binlog.values())), not missing, missing)
in_general = sum(bytes.fromhex(h) in general_literals for h in seen_ciphertexts)
t.check("the general log holds the ciphertexts of the statements it logged (%d)" % in_general,
        in_general >= len(seen_ciphertexts) // 2, in_general)
txns = re.split(rb"\n(?:START TRANSACTION|BEGIN)\n", all_binlog)
pairs = [x for x in txns if re.search(rb"voters_voted", x) and re.search(rb"sealed_ballots", x)]
t.check("the binary log pairs a voter's login with a ciphertext (%d transactions): the pairing "
        "the issue found is there, with no content to pair" % len(pairs),
        len(pairs) >= len(final[BOARD]) + len(final[REF]), len(pairs))
key = private_key_of(app.key_dir)
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey  # noqa: E402
other = X25519PrivateKey.generate().private_bytes(serialization.Encoding.Raw,
                                                  serialization.PrivateFormat.Raw,
                                                  serialization.NoEncryption())
opened, not_opened, by_other, wrong_ctx = 0, [], 0, 0
for hexc, eid in seen_ciphertexts.items():
    c = bytes.fromhex(hexc)
    b = open_sealed_ballot(key, c, eid)
    if b is not None and all(r in rankings_cast for r in b.values()):
        opened += 1
    else:
        not_opened.append(hexc[:32])
    by_other += open_sealed_ballot(other, c, eid) is not None
    wrong_ctx += open_sealed_ballot(key, c, LATER) is not None
t.check("every ciphertext of the binary log opens with the key from key_dir to a ballot cast "
        "(%d): they ARE the ballots" % opened, not not_opened, not_opened)
t.equal("none opens with another private key", by_other, 0)
t.equal("none opens for another election (the election id is authenticated)", wrong_ctx, 0)
opened_final = {}
for hexc, eid in final_cipher.items():
    opened_final.setdefault(eid, []).append(
        sorted(open_sealed_ballot(key, bytes.fromhex(hexc), eid).items()))
for eid in (BOARD, REF):
    t.equal("the stored ballots of %s are the last ballot each voter cast" % eid,
            sorted(opened_final.get(eid, [])), sorted(sorted(b.items()) for b in final[eid].values()))

# ---------------------------------------------------------------------------
t.section("the count")
time.sleep(max(0, end - time.time()) + 1.5)


def tally(*extra):
    r = subprocess.run([TALLY, "--config", app.config_path] + list(extra),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    return r.returncode, r.stdout


key_files = lambda: sorted(f for f in os.listdir(app.key_dir) if f.endswith(".key"))  # noqa: E731
rc, out = tally("--forget-key", BOARD)
t.check("--forget-key refuses before the count, naming the elections not counted",
        rc == 1 and BOARD in out and REF in out and LATER in out, (rc, out))
t.equal("... and the private key is still there", len(key_files()), 1)
rc, out = tally()
t.equal("urna-tally exits 0", rc, 0, out)
t.check("urna-tally counted both closed elections, and erased the referendum's links",
        "%s: tallied %d ballots" % (BOARD, len(final[BOARD])) in out and
        "%s: tallied %d ballots" % (REF, len(final[REF])) in out and "links erased" in out, out)


def unpack(v):
    return zlib.decompress(v[len(b"urnaZ1\n"):]) if v.startswith(b"urnaZ1\n") else v


def stored_results(eid):
    hexes = sql("SELECT HEX(body), HEX(ballots_csv), ballot_count, links_erased FROM results "
                "WHERE election_id = '%s'" % eid).split("\t")
    return (json.loads(unpack(bytes.fromhex(hexes[0]))), unpack(bytes.fromhex(hexes[1])).decode(),
            int(hexes[2]), int(hexes[3]))


for eid in (BOARD, REF):
    body, csv, count, erased = stored_results(eid)
    t.equal("%s: ballot_count is the number of voters" % eid, count, len(final[eid]))
    t.equal("%s: links_erased only with delete_after" % eid, erased, 1 if eid == REF else 0)
    want = {}
    for b in final[eid].values():
        for q, r in b.items():
            want.setdefault(q, []).append(r)
    got = {}
    q, header = "main", None
    for line in csv.splitlines():
        m = re.match(r"# question: (.*)", line)
        if m:
            q, header = m.group(1), None
        elif header is None:
            header = line.split(",")
        else:
            cells = dict(zip(header, line.split(",")))
            got.setdefault(q, []).append(ranking({k: int(v) for k, v in cells.items()
                                                  if k in IDS and v.isdigit()}))
    t.equal("%s: the export holds each voter's last ballot once (re-casts replaced)" % eid,
            {k: sorted(v) for k, v in got.items()}, {k: sorted(v) for k, v in want.items()},
            csv[:1500])
    if eid == REF:
        qs = {qq.get("id") or qq.get("question_id"): qq for qq in body.get("questions", [])}
        t.check("%s: results for the three questions" % eid, set(qs) == {SEATS, BUDGET, TOOLS},
                json.dumps(body)[:1500])
        print("# %s results: %s" % (eid, json.dumps(body.get("questions"))[:1500]))
    else:
        print("# %s results: %s" % (eid, json.dumps(body.get("questions"))[:800]))

t.equal("the delete_after election's sealed links are erased (salt and sealed NULL)",
        sql("SELECT COUNT(*), SUM(salt IS NULL AND sealed IS NULL) FROM voters_voted "
            "WHERE election_id = '%s'" % REF).split(), [str(len(final[REF]))] * 2)
t.equal("... and its ciphertexts are erased", sql("SELECT COUNT(*) FROM sealed_ballots "
                                                  "WHERE election_id = '%s'" % REF), "0")
t.equal("the other election keeps its links and ciphertexts",
        (sql("SELECT COUNT(*) FROM voters_voted WHERE election_id = '%s' AND sealed IS NOT NULL"
             % BOARD), sql("SELECT COUNT(*) FROM sealed_ballots WHERE election_id = '%s'" % BOARD)),
        (str(len(final[BOARD])), str(len(final[BOARD]))))
rc, out = tally()
t.check("a second urna-tally leaves both results as they are",
        rc == 0 and "tallied" not in out.replace("0 tallied", ""), out)
t.equal("... the referendum's results still count every ballot", stored_results(REF)[2],
        len(final[REF]))

t.section("forgetting the key")
rc, out = tally("--forget-key", BOARD)
t.check("--forget-key refuses while dba/later (same key) is not counted",
        rc == 1 and LATER in out and BOARD not in out.split("counted yet:")[-1], (rc, out))
t.equal("... the key is kept", len(key_files()), 1)
rc, out = tally("--forget-key", BOARD, "--force")
t.check("--forget-key --force forgets it", rc == 0 and "forgot the private key" in out, (rc, out))
t.equal("the private key file is gone from key_dir", key_files(), [])
try:
    private_key_of(app.key_dir)
    gone = False
except RuntimeError:
    gone = True
t.check("... so the remaining ciphertexts can no longer be opened by anyone", gone)

t.section("the DBA reads everything again after the count and the forgotten key")
scan2, decoded2 = scan_everything("after the count", allowed_tables=("results",))
t.check("self-check after the count: the planted markers are still found",
        all(("planted " + n) in scan2.planted for n in PLANTED), scan2.planted)
t.section("self-check: a plaintext ballot is found, with its file and offset")
# A ballot as schema 1-3 stored it (urna writes none now): the same scan
# must name the binary log, the general log and the datadir.
sql("INSERT INTO ballots (id, election_id, question_id, ranking) VALUES (UNHEX('%s'), '%s', "
    "'main', '%s=1')" % (os.urandom(16).hex(), LATER, LATER_CANDS[0]))
scan3, _ = scan_everything("with a plaintext ballot planted", ("results",), live=False,
                           report=False)
where = scan3.where()
print("# the planted plaintext ballot was found %d times in: %s" % (len(scan3.leaks),
                                                                  ", ".join(where)))
t.check("the scan reports the planted plaintext ballot in the binary log, the general log, the "
        "slow log and the datadir (.ibd or redo), with offsets",
        any("mariadb-binlog" in w for w in where) and "general.log" in where
        and "slow.log" in where and any(w.startswith("data/") and not w.startswith("data/binlog")
                                        for w in where)
        and all(isinstance(x[1], int) for x in scan3.leaks), where)
print("# secrecy_test took %.1f s" % (time.monotonic() - T0))
t.done()
