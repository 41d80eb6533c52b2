#!/usr/bin/python3
"""End-to-end checks of the passcode KDF limits (issue 8) through nginx,
urna.fcgi and a private MariaDB.

1. Too many wrong passcodes: a voter with a passcode of their own gets 403
   for each of ten wrong ones (view and re-cast), then 429 with Retry-After
   even with the right one, for view and re-cast; nothing opened or changed;
   the database counts ten failures; the log names election and login and
   "too many wrong passcodes", never a passcode.
2. scrypt_max_concurrent = 1 and several voters casting chosen passcodes at
   once (6 workers): some get a prompt 503 with Retry-After, the election
   page and the booth stay 200 meanwhile, a refused voter has no row at
   all (nothing half-stored), and after retrying as told every voter has
   exactly one ballot, each opening to what they sent.
"""

import base64
import hashlib
import hmac
import html
import os
import re
import sys
import threading
import time
from urllib.parse import urlencode

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import (BUILDDIR, Checks, Http, MariaDB, Nginx, Urna, csrf_of, git,  # noqa: E402
                     sealed_ballots, write)

t = Checks("kdf_limits_test")
t.require_binaries("mariadb-install-db", "mariadbd", "mariadb", "nginx", "git",
                   os.path.join(BUILDDIR, "urna.fcgi"), os.path.join(BUILDDIR, "urna-sync"))

EID = "limits/2026"
VOTERS = ["v%02d" % i for i in range(16)]
GUESSER = "guesser"
CANDIDATES = ("ann", "ben", "cy")


def build_repository(work):
    e = os.path.join(work, "elections", "limits", "2026")
    write(os.path.join(e, "election.yaml"), """name: Limits
organization: limits
start_datetime: 2026-01-01 00:00:00
end_datetime: 2099-01-01 00:00:00
no_winners: 1
allow_no_opinion: True
election_officers:
  - olga
""")
    write(os.path.join(e, "election_desc.md"), "KDF limits.\n")
    write(os.path.join(e, "voters.yaml"),
          "eligible_voters:\n" + "".join("  - %s\n" % v for v in VOTERS + [GUESSER]))
    for c in CANDIDATES:
        write(os.path.join(e, "candidate-%s.md" % c),
              "-------\nname: %s\nID: %s\n-------\n\nBio.\n" % (c.title(), c))
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "limits")


db = t.watch(MariaDB())
db.start()
work = os.path.join(db.dir, "meta-work")
build_repository(work)
# The default scrypt cost (about 0.1 s a derivation): several chosen
# passcodes at once overlap for sure.
app = t.watch(Urna(db, workers=6, repo_url=work, repo_branch="main", scrypt_max_concurrent=1))
app.migrate()
rc, out = app.sync(check=False)
t.equal("urna-sync stores the test repository", rc, 0, out[-3000:])
app.start()
ngx = t.watch(Nginx(app))
ngx.start()
KEY = app.settings["session_key"]
BASE = "/urna/elections/" + EID


def session(login):
    def b64(b):
        return base64.urlsafe_b64encode(b).rstrip(b"=").decode()
    payload = "v1|%s|%d|%s" % (login, int(time.time()) + 3600, os.urandom(16).hex())
    mac = hmac.new(KEY.encode(), b"session|" + payload.encode(), hashlib.sha256).digest()
    h = Http(ngx.port, timeout=60)
    h.cookies["urna_session"] = b64(payload.encode()) + "." + b64(mac)
    return h


def post(h, path, pairs):
    return h.request("POST", path, body=urlencode(pairs).encode(),
                     headers={"Content-Type": "application/x-www-form-urlencoded"})


def ranking_of(i):
    """Voter i's ranking: {candidate: rank}."""
    order = CANDIDATES[i % 3:] + CANDIDATES[:i % 3]
    return {c: k + 1 for k, c in enumerate(order)}


def cast_form(h, passcode, ranks):
    page = h.get(BASE + "/vote").text
    return [("csrf", csrf_of(page)), ("passcode", passcode), ("passcode_saved", "yes")] + [
        ("rank/main/%s" % c, str(r)) for c, r in sorted(ranks.items())]


def view(h, passcode):
    page = h.get(BASE + "/ballot").text
    return post(h, BASE + "/ballot", [("csrf", csrf_of(page)), ("passcode", passcode)])


def sql1(q):
    return db.sql(q, database=db.database).strip()


def opened():
    """{ranking: count} of the election's sealed ballots, opened as urna-tally does."""
    out = {}
    for b, _ in sealed_ballots(db, app, EID):
        k = b.get("main") if b else None
        out[k] = out.get(k, 0) + 1
    return out


# ---------------------------------------------------------------------------
t.section("too many wrong passcodes: 429 with Retry-After, nothing opened")
RIGHT = "the guesser's own passcode"
g = session(GUESSER)
r = post(g, BASE + "/vote", cast_form(g, RIGHT, {"ann": 1, "ben": 2}))
t.equal("the voter casts with a passcode of their own (303)", r.status, 303, r)
wrong = ["wrong guess number %d" % i for i in range(10)]
statuses = []
for i, guess in enumerate(wrong):
    if i % 2:
        r = view(g, guess)
    else:  # a re-cast attempt with a wrong passcode
        r = post(g, BASE + "/vote", cast_form(g, guess, {"cy": 1}))
    statuses.append(r.status)
    if i == 0:
        t.equal("a wrong passcode is counted at once (1 failure in the database)",
                sql1("SELECT failures FROM passcode_attempts WHERE election_id = '%s' "
                     "AND login = '%s'" % (EID, GUESSER)), "1")
t.equal("ten wrong passcodes (view and re-cast) are each 403", statuses, [403] * 10)
t.equal("the database counts ten failures, no passcode",
        sql1("SELECT CONCAT(login, ' ', failures) FROM passcode_attempts "
             "WHERE election_id = '%s'" % EID), GUESSER + " 10")
r = view(g, RIGHT)
t.equal("the 11th attempt, with the right passcode, is 429", r.status, 429, r)
ra = r.header("Retry-After") or ""
t.check("429 says when to come back: Retry-After within the hour",
        ra.isdigit() and 3000 < int(ra) <= 3600, ra)
t.check("429 says why", "Too many wrong passcodes" in r.text, r.text[-2000:])
t.check("429 opens nothing", 'data-aid="ann"' not in r.text, r.text[-2000:])
r = post(g, BASE + "/vote", cast_form(g, RIGHT, {"cy": 1}))
t.equal("a re-cast with the right passcode is 429 too", r.status, 429, r)
t.check("re-cast 429 has Retry-After", (r.header("Retry-After") or "").isdigit(), r.headers)
t.equal("the ballot is unchanged (opened as urna-tally does)", opened(),
        {"ann=1&ben=2": 1})
t.equal("refusals are not failures: still ten",
        sql1("SELECT failures FROM passcode_attempts WHERE election_id = '%s'" % EID), "10")
r = view(session("v00"), "anything at all")
t.equal("another voter of the election is not limited (404: has not voted)", r.status, 404, r)

# ---------------------------------------------------------------------------
t.section("scrypt_max_concurrent = 1: a prompt 503 with Retry-After, pages stay 200")
forms = {}
clients = {}
for i, v in enumerate(VOTERS):
    clients[v] = session(v)
    forms[v] = cast_form(clients[v], "%s's own passcode" % v, ranking_of(i))
first = {}
barrier = threading.Barrier(len(VOTERS) + 1)
done = threading.Event()
pages = []
lock = threading.Lock()


def cast(v):
    barrier.wait()
    t0 = time.monotonic()
    r = post(clients[v], BASE + "/vote", forms[v])
    with lock:
        first[v] = (r, time.monotonic() - t0)


def browse():
    h = session(GUESSER)  # a voter who has voted: the booth is the re-cast form
    barrier.wait()
    while not done.is_set():
        for path in (BASE, BASE + "/vote"):
            t0 = time.monotonic()
            r = h.get(path)
            with lock:
                pages.append((path, r.status, time.monotonic() - t0))


ts = [threading.Thread(target=cast, args=(v,)) for v in VOTERS]
browser = threading.Thread(target=browse)
browser.start()
for th in ts:
    th.start()
for th in ts:
    th.join()
done.set()
browser.join()
ok = [v for v in VOTERS if first[v][0].status == 303]
busy = [v for v in VOTERS if first[v][0].status == 503]
t.equal("every concurrent cast is 303 (stored) or 503",
        sorted(set(r.status for r, _ in first.values()) - {303, 503}), [])
t.check("some of %d concurrent chosen-passcode casts get 503 (%d did)" % (len(VOTERS), len(busy)),
        len(busy) > 0, {v: first[v][0].status for v in VOTERS})
t.check("at least one gets through at once", len(ok) > 0)
heads = [first[v][0].header("Retry-After") for v in busy]
t.check("every 503 has Retry-After: a few seconds",
        all(h and h.isdigit() and 1 <= int(h) <= 10 for h in heads), heads)
t.check("the 503s are prompt (each under 1 s; a derivation takes about 0.1 s)",
        all(first[v][1] < 1.0 for v in busy), [round(first[v][1], 3) for v in busy])
t.check("a 503 shows the booth again with the voter's input and says to retry",
        all("submit again in a few seconds" in first[v][0].text and
            'value="%s\'s own passcode"' % v in html.unescape(first[v][0].text) for v in busy),
        busy and first[busy[0]][0].text[-3000:])
t.check("pages were served during the burst (%d)" % len(pages), len(pages) > 0)
t.equal("every page during the burst is 200", sorted(set(s for _, s, _ in pages)), [200],
        pages[:20])
voted = sql1("SELECT login FROM voters_voted WHERE election_id = '%s' AND login LIKE 'v%%' "
             "ORDER BY login" % EID).split()
t.equal("nothing half-stored: voted rows are exactly the 303s", voted, sorted(ok))
t.equal("sealed ballots: one per 303 (+ the guesser's)",
        int(sql1("SELECT COUNT(*) FROM sealed_ballots WHERE election_id = '%s'" % EID)),
        len(ok) + 1)
# Retry as told until every voter is in.
retries = 0
pending = list(busy)
deadline = time.monotonic() + 120
while pending and time.monotonic() < deadline:
    time.sleep(max(int(first[pending[0]][0].header("Retry-After") or "1"), 1))
    still = []
    for v in pending:
        retries += 1
        r = post(clients[v], BASE + "/vote", forms[v])
        if r.status == 503:
            still.append(v)
        else:
            t.equal("%s's retry is stored (303)" % v, r.status, 303, r)
    pending = still
t.equal("after retrying as told, every voter has voted", pending, [])
t.equal("exactly one voted row per voter",
        sql1("SELECT COUNT(*), COUNT(DISTINCT login) FROM voters_voted "
             "WHERE election_id = '%s' AND login LIKE 'v%%'" % EID),
        "%d\t%d" % (len(VOTERS), len(VOTERS)))
want = {"ann=1&ben=2": 1}
for i, _ in enumerate(VOTERS):
    k = "&".join("%s=%d" % (c, r) for c, r in sorted(ranking_of(i).items()))
    want[k] = want.get(k, 0) + 1
t.equal("exactly one ballot per voter, each what its voter sent", opened(), want)
r = view(clients[VOTERS[0]], "%s's own passcode" % VOTERS[0])
t.equal("a voter views their ballot with their passcode", r.status, 200, r)

# ---------------------------------------------------------------------------
t.section("the log")
with open(app.log, encoding="utf-8", errors="replace") as f:
    log = f.read()
t.check("the refusal is logged with election and login",
        re.search(r"election %s, login %s: too many wrong passcodes" % (re.escape(EID), GUESSER),
                  log), log[-3000:])
t.check("wrong passcodes are logged (without the passcode)",
        log.count("login %s: wrong passcode" % GUESSER) == 10, log[-3000:])
secrets = [RIGHT] + wrong + ["%s's own passcode" % v for v in VOTERS]
t.check("no passcode appears in the log", not any(s in log for s in secrets))
t.check("the start line names the gate", "at most 1 scrypt derivations at once" in log)
