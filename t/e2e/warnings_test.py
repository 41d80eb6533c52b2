#!/usr/bin/python3
"""End-to-end checks of metadata warnings (issue 13 §3: what Elekto accepts,
urna accepts) with real servers: a private MariaDB, urna.fcgi (demo login)
behind nginx, and a git repository built from examples/meta while the test
runs.

- `urna-sync --check` accepts every Elekto-quirk repository of
  t/unit/meta_fixtures/elekto-quirks (exit 0, the warnings printed) and
  `--check --strict` refuses each (exit 1); a clean tree passes --strict;
- a pushed commit with warnings (a misspelled key, an election in a folder
  named like a page): `urna-sync --strict` keeps the last good snapshot and
  records the warnings as its error; `urna-sync` stores it (exit 0, the
  warnings printed and stored); the elections are served, also
  /elections/subprojects/vote and its sub-pages;
- a running election whose exception_due is after its end takes requests
  until the end, and its page says so;
- a closed election with 4 seats and 3 candidates: urna-tally elects all
  three and the results page says "everyone ranked is elected";
- the officers' page lists the warnings of its own election only; a commit
  without them clears them.

Skips (77) only if a server program or a binary is missing.
"""

import base64
import hashlib
import hmac
import html
import os
import re
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import BUILDDIR, SRCDIR, Checks, Http, MariaDB, Nginx, Urna, git  # noqa: E402

t = Checks("warnings_test")
SYNC = os.path.join(BUILDDIR, "urna-sync")
TALLY = os.path.join(BUILDDIR, "urna-tally")
t.require_binaries("mariadb-install-db", "mariadbd", "mariadb", "nginx", "git",
                   os.path.join(BUILDDIR, "urna.fcgi"), SYNC, TALLY)
EXAMPLES = os.path.join(SRCDIR, "examples", "meta")
QUIRKS = os.path.join(SRCDIR, "t", "unit", "meta_fixtures", "elekto-quirks")
STEERING = "elections/steering/2026/election.yaml"


def run(argv, timeout=120):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=timeout)
    return r.returncode, r.stdout


# ---------------------------------------------------------------------------
t.section("urna-sync --check and --check --strict on Elekto's quirks")
folders = sorted(f for f in os.listdir(QUIRKS) if os.path.isdir(os.path.join(QUIRKS, f)))
t.check("there are quirk repositories", len(folders) >= 7, folders)
for f in folders:
    path = os.path.join(QUIRKS, f)
    rc, out = run([SYNC, "--check", path])
    t.check("%s: --check accepts it and prints its warnings" % f,
            rc == 0 and ": warning: " in out and "valid" in out, (rc, out))
    rc, out = run([SYNC, "--check", path, "--strict"])
    t.check("%s: --check --strict refuses it (exit 1)" % f,
            rc == 1 and "refused with --strict" in out and ": warning: " in out, (rc, out))
rc, out = run([SYNC, "--check", EXAMPLES, "--strict"])
t.check("a tree without warnings passes --check --strict", rc == 0 and ": warning: " not in out,
        (rc, out))

# ---------------------------------------------------------------------------
db = t.watch(MariaDB())
db.start()
work = os.path.join(db.dir, "work")
shutil.copytree(EXAMPLES, work)
git(work, "init", "-q", "-b", "main")
git(work, "add", "-A")
git(work, "commit", "-q", "-m", "examples/meta")
origin = os.path.join(db.dir, "origin.git")
subprocess.run(["git", "clone", "-q", "--bare", work, origin], check=True)
git(work, "remote", "add", "origin", origin)
first_commit = git(work, "rev-parse", "HEAD")

app = t.watch(Urna(db, workers=2, auth="demo", repo_url=origin, repo_branch="main"))
app.migrate()


def sync(*extra):
    return app.run_tool([SYNC, "--config", app.config_path] + list(extra), check=False)


def sql1(query):
    return db.sql(query, database=db.database).strip()


def live_commit():
    return sql1("SELECT s.commit_id FROM sync_state st JOIN snapshots s "
                "ON s.id = st.live_snapshot_id WHERE st.id = 1")


def push(message):
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", message)
    git(work, "push", "-q", "origin", "main")
    return git(work, "rev-parse", "HEAD")


t.section("a commit with warnings")
rc, out = sync("--strict")
t.check("the clean examples sync with --strict", rc == 0 and ": warning: " not in out, (rc, out))
t.equal("they are live", live_commit(), first_commit)

with open(os.path.join(work, STEERING), "a", encoding="utf-8") as f:
    f.write("allow_no_opinon: False\n")
vote_dir = os.path.join(work, "elections", "subprojects", "vote")
shutil.copytree(os.path.join(QUIRKS, "page-word-folders", "elections", "subprojects", "vote"),
                vote_dir)
with open(os.path.join(vote_dir, "election.yaml"), encoding="utf-8") as f:
    vote_yaml = f.read()
with open(os.path.join(vote_dir, "election.yaml"), "w", encoding="utf-8") as f:
    f.write(vote_yaml.replace("  - olga\n  - Oscar\n", "  - vera\n")
            .replace("2027-08-02", "2026-01-02"))
# A closed election with more seats than candidates, to count.
seats_dir = os.path.join(work, "elections", "seats", "2020")
shutil.copytree(os.path.join(QUIRKS, "more-seats-than-candidates", "elections", "steering",
                             "2027"), seats_dir)
with open(os.path.join(seats_dir, "election.yaml"), encoding="utf-8") as f:
    seats_yaml = f.read()
seats_yaml = (seats_yaml.replace("2027-08-02 00:00:01", "2020-01-01 00:00:00")
              .replace("2027-08-15 11:59:59", "2020-02-01 00:00:00")
              .replace("2027-08-01 00:00:01", "2019-12-31 00:00:00")
              .replace("  - olga\n  - Oscar\n", "  - sam\n"))
with open(os.path.join(seats_dir, "election.yaml"), "w", encoding="utf-8") as f:
    f.write(seats_yaml)
# A running election whose exception_due is after its end.
due_dir = os.path.join(work, "elections", "code-of-conduct", "2030")
shutil.copytree(os.path.join(QUIRKS, "exception-due-after-end", "elections", "code-of-conduct",
                             "2027"), due_dir)
with open(os.path.join(due_dir, "election.yaml"), encoding="utf-8") as f:
    due_yaml = f.read()
due_yaml = (due_yaml.replace("2027-08-02 00:00:01", "2026-01-01 00:00:00")
            .replace("2027-08-15 11:59:59", "2030-01-01 00:00:00")
            .replace("2027-09-01 00:00:00", "2031-06-01 00:00:00"))
with open(os.path.join(due_dir, "election.yaml"), "w", encoding="utf-8") as f:
    f.write(due_yaml)
warned_commit = push("a misspelled key, an election in subprojects/vote, 4 seats for 3, "
                     "exception_due after the end")

W_STEERING = ("elections/steering/2026/election.yaml: allow_no_opinon: warning: unknown field, "
              "ignored; did you mean 'allow_no_opinion'? (line 17)")
W_DUE = ("elections/code-of-conduct/2030/election.yaml: exception_due: warning: after "
         "end_datetime: exception requests close at the end, 2030-01-01 00:00:00 UTC")
W_SEATS = ("elections/seats/2020/election.yaml: no_winners: warning: 4 seats but only 3 "
           "candidates: everyone ranked is elected")
W_VOTE = ("elections/subprojects/vote/election.yaml: warning: folder name 'vote' is also the "
          "name of urna's vote page (/elections/<id>/vote); served at /elections/subprojects/vote "
          "because 'subprojects' is not an election. To avoid the clash: git mv "
          "elections/subprojects/vote elections/subprojects/vote-election")

rc, out = sync("--strict")
t.equal("urna-sync --strict refuses a commit with warnings (exit 1)", rc, 1, out)
t.check("and says why", "4 warning(s), refused with --strict" in out and W_STEERING in out, out)
t.equal("the last good snapshot stays live", live_commit(), first_commit)
last_error = sql1("SELECT COALESCE(last_error, '') FROM sync_state")
t.check("sync_state records the warnings as the --strict run's error",
        all(w in last_error for w in (W_STEERING, W_VOTE, W_SEATS, W_DUE)), last_error)

rc, out = sync()
t.equal("urna-sync without --strict stores it (exit 0)", rc, 0, out)
t.check("it prints every warning", all(w in out for w in (W_STEERING, W_VOTE, W_SEATS, W_DUE)),
        out)
t.check("and counts them in its summary line",
        "4 warnings (listed on the officers' pages)" in out, out)
t.equal("the commit is live", live_commit(), warned_commit)
t.equal("the recorded error is cleared", sql1("SELECT COALESCE(last_error, '') FROM sync_state"),
        "")
t.equal("the warnings are stored with their elections",
        sql1("SELECT GROUP_CONCAT(election_id ORDER BY election_id) FROM sync_warnings"),
        "code-of-conduct/2030,seats/2020,steering/2026,subprojects/vote")
rc, out = sync("--quiet")
t.check("--quiet prints nothing (the officers' pages list the warnings)",
        rc == 0 and out == "", (rc, out))
rc, out = sync("--strict")
t.check("--strict does not take the lenient run's word for the live commit",
        rc == 1 and "refused with --strict" in out, (rc, out))
t.equal("the commit stays live after the refused run", live_commit(), warned_commit)
rc, out = sync()
t.equal("and a lenient run is fine again", rc, 0, out)

app.start()
ngx = t.watch(Nginx(app))
ngx.start()
web = Http(ngx.port)
key = app.settings["session_key"].encode()


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign_in(login):
    """A client with a session cookie made the way urna makes them."""
    h = Http(ngx.port)
    payload = "v1|%s|%d|%s" % (login, time.time() + 3600, os.urandom(16).hex())
    mac = hmac.new(key, ("session|" + payload).encode(), hashlib.sha256).digest()
    h.cookies["urna_session"] = "%s.%s" % (b64(payload.encode()), b64(mac))
    return h


t.section("the elections are served")
r = web.get("/urna/elections/steering/2026")
t.check("the election with a misspelled key is served",
        r.status == 200 and "2026 Steering Committee Election" in r.text, r)
r = web.get("/urna/elections/subprojects/vote")
t.check("the election in subprojects/vote is served at its path",
        r.status == 200 and "Vote Subproject Lead Election" in r.text, r)
r = web.get("/urna/elections/subprojects/vote/candidates/ann")
t.check("so are its candidates", r.status == 200 and "Ann Example" in r.text, r)
r = web.get("/urna/elections/subprojects/vote/vote")
t.check("and its booth (sign in first)",
        r.status == 303 and "/urna/login?next=" in (r.header("Location") or ""), r)
r = web.get("/urna/elections/code-of-conduct/2030")
t.check("exception_due after the end: requests are taken until the end, as the page says",
        r.status == 200 and "Requests are accepted until" in r.text
        and 'datetime="2030-01-01T00:00:00Z"' in r.text and "2031-06-01" not in r.text, r.text[-3000:])
r = sign_in("zed").get("/urna/elections/code-of-conduct/2030/exception")
t.check("and the form is open now", r.status == 200 and "exception-form" in r.text,
        r.text[-3000:])
r = web.get("/urna/elections/subprojects/results")
t.equal("a path whose {id} is no election is still 404", r.status, 404, r)

t.section("more seats than candidates: everyone ranked is elected, and the result says so")


def sql_str(v):
    return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"


ballots = ["ann=1&ben=2", "ann=1&ben=2", "cid=1", "ben=1&cid=2&ann=3"]
db.sql("INSERT INTO ballots (id, election_id, question_id, ranking) VALUES " +
       ", ".join("(UNHEX('%s'), 'seats/2020', 'main', %s)" % (os.urandom(16).hex(), sql_str(b))
                 for b in ballots) + ";", database=db.database)
rc, out = app.run_tool([TALLY, "--config", app.config_path], check=False)
t.check("urna-tally counts it", rc == 0 and "seats/2020: tallied 4 ballots" in out, (rc, out))
r = web.get("/urna/elections/seats/2020/results")
page = html.unescape(r.text)
m = re.search(r'class="winner-names">([^<]*)<', page)
t.check("all three candidates are elected",
        r.status == 200 and m and sorted(m.group(1).split(", ")) ==
        ["Ann Example", "Ben Example", "Cid Example"], page[:4000])
t.check("and the result says why",
        "4 seats but only 3 candidates: everyone ranked is elected" in page, page[:4000])

t.section("the officers' page lists its election's warnings")
olga = sign_in("olga")
r = olga.get("/urna/elections/steering/2026/admin")
t.check("olga's officers' page lists the steering warning",
        r.status == 200 and 'class="notice warn sync-warnings"' in r.text
        and W_STEERING in html.unescape(r.text), r.text[-4000:])
t.check("and only the warnings of her election", "subprojects/vote" not in r.text, r.text[-4000:])
vera = sign_in("vera")
r = vera.get("/urna/elections/subprojects/vote/admin")
t.check("vera's page (subprojects/vote) lists its warning",
        r.status == 200 and W_VOTE in html.unescape(r.text), r.text[-4000:])
t.check("and not steering's", "allow_no_opinon" not in r.text, r.text[-4000:])
t.equal("vera is no officer of steering/2026",
        vera.get("/urna/elections/steering/2026/admin").status, 403)
r = olga.get("/urna/elections/steering/2025/admin")
t.check("an election without warnings says so",
        r.status == 200 and "sync-no-warnings" in r.text and "sync-warnings" not in r.text,
        r.text[-4000:])

t.section("a fix clears the warnings")
with open(os.path.join(work, STEERING), encoding="utf-8") as f:
    fixed = f.read().replace("allow_no_opinon: False\n", "")
with open(os.path.join(seats_dir, "election.yaml"), "w", encoding="utf-8") as f:
    f.write(seats_yaml.replace("no_winners: 4", "no_winners: 3"))
with open(os.path.join(due_dir, "election.yaml"), "w", encoding="utf-8") as f:
    f.write(due_yaml.replace("2031-06-01 00:00:00", "2029-12-01 00:00:00"))
with open(os.path.join(work, STEERING), "w", encoding="utf-8") as f:
    f.write(fixed)
git(work, "mv", "elections/subprojects/vote", "elections/subprojects/vote-election")
fixed_commit = push("fix the warnings")
rc, out = sync("--strict")
t.check("the fixed commit syncs with --strict", rc == 0 and ": warning: " not in out, (rc, out))
t.equal("it is live", live_commit(), fixed_commit)
t.equal("no warnings are stored", sql1("SELECT COUNT(*) FROM sync_warnings"), "0")


def wait_for(client, path, ok, timeout=10):
    """The workers look at the live snapshot id once a second, each."""
    deadline = time.monotonic() + timeout
    while True:
        r = client.get(path)
        if ok(r) or time.monotonic() > deadline:
            return r
        time.sleep(0.25)


# Both workers have the new snapshot once each has served the new election.
for _ in range(4):
    r = wait_for(web, "/urna/elections/subprojects/vote-election", lambda r: r.status == 200)
t.check("the renamed election is served", r.status == 200, r)
r = olga.get("/urna/elections/steering/2026/admin")
t.check("the officers' page shows no warnings",
        r.status == 200 and "sync-no-warnings" in r.text and "allow_no_opinon" not in r.text,
        r.text[-4000:])
