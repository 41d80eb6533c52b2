#!/usr/bin/python3
"""End-to-end checks of urna-sync (issue 3, GitOps metadata) against real
servers: a private MariaDB, urna.fcgi behind nginx (the shipped sample), and
a real git repository built from examples/meta while the test runs (a
working clone "work" pushing to a bare "origin" that urna-sync pulls).

- the schema: urna-sync without a migrated schema says to run --migrate;
  --migrate twice is idempotent;
- --check DIR: exit 0 on a good tree, 1 with file and field on a broken one,
  no database and no config needed;
- the first sync from a fresh repository; the pages show it;
- a pushed commit is live in the running workers after urna-sync, without a
  restart; a broken commit (bad YAML, a bad field) exits non-zero naming the
  file and field, the last good snapshot stays live and sync_state records
  the error; the next good commit clears it;
- nothing new: the tree is not loaded again (state_dir/urna-sync.last), but
  --full, a missing urna-sync.last or another meta_root load it;
- a force-pushed history is followed (also back to the live commit, which
  clears the recorded error); an unreachable repository, a snapshot larger
  than the server's max_allowed_packet and a fetch that hangs (--timeout)
  are errors recorded like a broken commit; --quiet prints only failures;
- the lock: a run while another holds state_dir/urna-sync.lock skips (exit
  0) and changes nothing; two runs at once both end well;
- the webhook: 403 without / with a wrong signature, 202 signed, 429 within
  webhook_min_interval; `urna-sync --if-requested` syncs after an accepted
  webhook (and leaves it pending while the lock is taken), and a second
  --if-requested does nothing;
- no database: a clear message, exit 1.

Skips (77) only if a server program or a binary is missing.
"""

import fcntl
import hashlib
import hmac
import base64
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import BUILDDIR, SRCDIR, Checks, Http, MariaDB, Nginx, Urna  # noqa: E402

t = Checks("sync_test")
SYNC = os.path.join(BUILDDIR, "urna-sync")
t.require_binaries("mariadb-install-db", "mariadbd", "mariadb", "nginx", "git",
                   os.path.join(BUILDDIR, "urna.fcgi"), SYNC)
EXAMPLES = os.path.join(SRCDIR, "examples", "meta")
if not os.path.isdir(os.path.join(EXAMPLES, "elections")):
    t.skip("examples/meta/elections is missing")

SECRET = "sync-test-secret-" + os.urandom(6).hex()
MIN_INTERVAL = 3  # seconds between accepted webhooks
STEERING = "elections/steering/2026/election.yaml"


def git(repo, *args, check=True):
    r = subprocess.run(["git", "-C", repo, "-c", "user.name=e2e", "-c", "user.email=e2e@localhost",
                        "-c", "commit.gpgsign=false"] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if check and r.returncode != 0:
        raise RuntimeError("git %s: %s" % (" ".join(args), r.stdout))
    return r.stdout.strip()


def run(argv, env=None, timeout=120):
    """Runs a command; returns (exit status, stdout+stderr)."""
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       env=env, timeout=timeout)
    return r.returncode, r.stdout


def sign(body):
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def wait_for(fn, timeout=10):
    """Polls fn() -> (ok, detail) until ok or the time is up."""
    deadline = time.monotonic() + timeout
    r = fn()
    while not r[0] and time.monotonic() < deadline:
        time.sleep(0.25)
        r = fn()
    return r


def edit(path, pattern, repl):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    new = re.sub(pattern, repl, text, count=1, flags=re.M)
    assert new != text, "pattern %r not found in %s" % (pattern, path)
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)


def push(message, force=False):
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", message)
    git(work, "push", "-q", *(["-f"] if force else []), "origin", "main")
    return git(work, "rev-parse", "HEAD")


# ---------------------------------------------------------------------------
t.section("urna-sync --check (no database, no config)")
tmp_check = None
db = t.watch(MariaDB())
db.start()
tmp = db.dir
env_nodb = dict(os.environ, HOME=tmp)
rc, out = run([SYNC, "--check", EXAMPLES], env=env_nodb)
t.equal("--check examples/meta exits 0", rc, 0, out)
t.check("--check counts the elections", re.search(r"\d+ election\(s\), valid", out), out)
broken_tree = os.path.join(tmp, "broken-tree")
shutil.copytree(EXAMPLES, broken_tree)
edit(os.path.join(broken_tree, STEERING), r"^no_winners:.*$", "no_winners: three")
with open(os.path.join(broken_tree, "elections/code-of-conduct/2036/voters.yaml"), "a") as f:
    f.write("  - [not, a, login\n")
rc, out = run([SYNC, "--check", broken_tree], env=env_nodb)
t.equal("--check of a broken tree exits 1", rc, 1, out)
t.check("--check names the file and the field",
        re.search(r"elections/steering/2026/election\.yaml: no_winners: ", out), out)
t.check("--check reports every broken election, not only the first",
        "elections/code-of-conduct/2036/voters.yaml" in out, out)
t.check("--check says the repository would be rejected", "would be rejected" in out, out)
rc, out = run([SYNC, "--check", os.path.join(tmp, "no-such-dir")], env=env_nodb)
t.equal("--check of a missing folder exits 1", rc, 1, out)
rc, out = run([SYNC, "--check", broken_tree, "--root", "elections/steering/2025"], env=env_nodb)
t.equal("--check --root checks only that folder (good)", rc, 0, out)
rc, out = run([SYNC, "--check"], env=env_nodb)
t.equal("--check without a folder is a usage error (2)", rc, 2, out)

# ---------------------------------------------------------------------------
origin = os.path.join(tmp, "origin.git")
work = os.path.join(tmp, "work")
shutil.copytree(EXAMPLES, work)
git(work, "init", "-q", "-b", "main")
git(work, "add", "-A")
git(work, "commit", "-q", "-m", "examples/meta")
subprocess.run(["git", "clone", "-q", "--bare", work, origin], check=True)
git(work, "remote", "add", "origin", origin)
first_commit = git(work, "rev-parse", "HEAD")

app = t.watch(Urna(db, workers=2, repo_url=origin, repo_branch="main",
                   webhook_secret=SECRET, webhook_min_interval=MIN_INTERVAL))
CONF = app.config_path
state_dir = app.settings["state_dir"]


def sync(*extra):
    return app.run_tool([SYNC, "--config", CONF] + list(extra), check=False)


def sql1(query):
    return db.sql(query, database=db.database).strip()


def live_commit():
    return sql1("SELECT s.commit_id FROM sync_state st JOIN snapshots s "
                "ON s.id = st.live_snapshot_id WHERE st.id = 1")


t.section("the schema")
rc, out = sync()
t.equal("urna-sync before --migrate exits 1", rc, 1, out)
t.check("urna-sync before --migrate says to run --migrate",
        "urna-sync --migrate" in out and "schema" in out, out)
rc, out = sync("--migrate")
t.equal("urna-sync --migrate exits 0", rc, 0, out)
t.check("--migrate names the migrations it applied", "applied migration 1" in out, out)
tables = sql1("SHOW TABLES")
t.check("--migrate created sync_state and snapshots",
        "sync_state" in tables and "snapshots" in tables, tables)
rc, out = sync("--migrate")
t.equal("urna-sync --migrate again exits 0", rc, 0, out)
t.check("--migrate again applies nothing", "schema is current" in out and "applied" not in out, out)
t.equal("schema_version has one row per migration",
        sql1("SELECT COUNT(*) FROM schema_version"),
        str(len([f for f in os.listdir(os.path.join(SRCDIR, "sql")) if f.endswith(".sql")])))
t.equal("sync_state still has its one row", sql1("SELECT COUNT(*) FROM sync_state"), "1")
rc, out = run([SYNC, "--config", os.path.join(tmp, "no-such.conf")])
t.check("a missing config file is a clear error",
        rc == 1 and "no-such.conf" in out, (rc, out))

# ---------------------------------------------------------------------------
t.section("the first sync")
rc, out = sync()
t.equal("the first urna-sync exits 0", rc, 0, out)
t.check("it names the commit and the snapshot", first_commit in out and "live" in out, out)
t.equal("sync_state: the live snapshot is the pushed commit", live_commit(), first_commit)
t.equal("sync_state: no error", sql1("SELECT COALESCE(last_error, '') FROM sync_state"), "")
t.equal("the checkout is at the commit",
        git(app.settings["repo_dir"], "rev-parse", "HEAD"), first_commit)

app.start()
ngx = t.watch(Nginx(app))
ngx.start()
web = Http(ngx.port)
urna_pid = app.pid
for eid, name in (("steering/2026", "2026 Steering Committee Election"),
                  ("steering/2025", "2025 Steering Committee Election"),
                  ("university-2026", "Electoral Process"),
                  ("university-2026/students", "Students")):
    r = web.get("/urna/elections/" + eid)
    t.check("the page of %s shows it" % eid, r.status == 200 and name in r.text, r)
r = web.get("/urna/")
t.check("the list page shows the examples",
        r.status == 200 and "2026 Steering Committee Election" in r.text, r)


def page_has(path, text):
    def probe():
        r = web.get(path)
        return (r.status == 200 and text in r.text, r)
    return wait_for(probe)


# ---------------------------------------------------------------------------
t.section("a pushed commit goes live in the running workers")
with open(os.path.join(work, "elections/steering/2026/candidate-zoe-n.md"), "w") as f:
    f.write("---\nname: Zoë Nakamura\nID: zoe-n\ninfo:\n  - employer: Initech\n---\n\n"
            "Maintainer of the test infrastructure.\n")
edit(os.path.join(work, STEERING), r"^name:.*$", "name: 2026 Steering Committee Election (extended)")
second_commit = push("steering/2026: a late nomination")
rc, out = sync()
t.equal("urna-sync after a push exits 0", rc, 0, out)
t.equal("the new commit is live", live_commit(), second_commit)
r = page_has("/urna/elections/steering/2026", "(extended)")
t.check("the election page shows the new name", r[0], r[1])
r = page_has("/urna/elections/steering/2026/candidates/zoe-n", "Zoë Nakamura")
t.check("the new candidate's page exists", r[0], r[1])
t.equal("urna.fcgi was not restarted", app.pid, urna_pid)
snapshots_before = sql1("SELECT COUNT(*) FROM snapshots")
run_before = sql1("SELECT last_run_at FROM sync_state")
time.sleep(1.1)
rc, out = sync()
t.equal("a sync with nothing new exits 0", rc, 0, out)
t.check("a sync with nothing new does not load the tree again", "unchanged" in out, out)
t.equal("a sync with nothing new stores no new snapshot",
        sql1("SELECT COUNT(*) FROM snapshots"), snapshots_before)
t.check("a sync with nothing new still records the run",
        int(sql1("SELECT last_run_at FROM sync_state")) > int(run_before))
rc, out = sync("--full")
t.check("--full loads and validates anyway",
        rc == 0 and "election(s)" in out and "unchanged" not in out, (rc, out))
os.unlink(os.path.join(state_dir, "urna-sync.last"))
rc, out = sync()
t.check("without state_dir/urna-sync.last the tree is loaded",
        rc == 0 and "election(s)" in out, (rc, out))
t.equal("and still no new snapshot", sql1("SELECT COUNT(*) FROM snapshots"), snapshots_before)
# Another elections folder (meta_root) gives another snapshot of the same
# commit: the shortcut must not apply across it.
whole = Urna(db, root=os.path.join(tmp, "whole-tree"), repo_url=origin,
             repo_dir=app.settings["repo_dir"], state_dir=state_dir, meta_root=".")
rc, out = whole.run_tool([SYNC, "--config", whole.config_path], check=False)
t.check("the same commit with meta_root = . is loaded, not skipped",
        rc == 0 and "election(s)" in out and "unchanged" not in out, (rc, out))
r = page_has("/urna/elections/elections/steering/2026", "(extended)")
t.check("and its election ids are paths from the repository's top", r[0], r[1])
rc, out = sync()
t.check("back to meta_root = elections the tree is loaded again",
        rc == 0 and "election(s)" in out and "unchanged" not in out, (rc, out))
r = page_has("/urna/elections/steering/2026", "(extended)")
t.check("and the ids are as before", r[0], r[1])
rc, out = sync("--quiet")
t.check("urna-sync --quiet prints nothing when all is well (cron mails output)",
        rc == 0 and out == "", (rc, out))

# ---------------------------------------------------------------------------
t.section("a broken commit keeps the last good snapshot")
good_yaml = open(os.path.join(work, STEERING), encoding="utf-8").read()
edit(os.path.join(work, STEERING), r"^name:.*$", "name: [Broken by the sync test")
broken_commit = push("broken YAML")
rc, out = sync()
t.equal("urna-sync of a commit with bad YAML exits 1", rc, 1, out)
t.check("the message names the file (and the line)",
        re.search(r"elections/steering/2026/election\.yaml.*line \d+", out), out)
t.check("the message says the last good snapshot stays live", "stays live" in out, out)
t.equal("the last good commit is still live", live_commit(), second_commit)
rc, out = sync("--quiet")
t.check("urna-sync --quiet still reports a broken commit",
        rc == 1 and "election.yaml" in out, (rc, out))
last_error = sql1("SELECT last_error FROM sync_state")
t.check("sync_state.last_error records the error with the file",
        "elections/steering/2026/election.yaml" in last_error, last_error)
t.equal("sync_state.last_error_commit is the broken commit",
        sql1("SELECT last_error_commit FROM sync_state"), broken_commit)
time.sleep(1.5)  # the workers look at the live snapshot id once a second
r = web.get("/urna/elections/steering/2026")
t.check("the page still shows the last good snapshot",
        r.status == 200 and "(extended)" in r.text and "Broken" not in r.text, r)

with open(os.path.join(work, STEERING), "w", encoding="utf-8") as f:
    f.write(good_yaml.replace("no_winners: 3", "no_winners: many"))
with open(os.path.join(work, "elections/university-2026/voters.yaml"), "a") as f:
    f.write("  - id: frank\n    children: [alumni]\n")
broken_commit2 = push("a bad field and an unknown child")
rc, out = sync()
t.equal("urna-sync of a commit with a bad field exits 1", rc, 1, out)
t.check("the message names file and field",
        "elections/steering/2026/election.yaml: no_winners:" in out, out)
t.check("the message names the other broken file and field too",
        re.search(r"elections/university-2026/voters\.yaml: eligible_voters\[\d+\]\.children", out),
        out)
last_error = sql1("SELECT last_error FROM sync_state")
t.check("sync_state.last_error has both errors",
        "no_winners" in last_error and "alumni" in last_error, last_error)
t.equal("still the last good commit", live_commit(), second_commit)

# Reverting by force-pushing the live commit: nothing to load, the error
# is cleared.
git(work, "push", "-q", "-f", "origin", second_commit + ":refs/heads/main")
rc, out = sync()
t.check("force-pushing the live commit back syncs without loading",
        rc == 0 and "unchanged" in out, (rc, out))
t.equal("and clears the recorded error",
        sql1("SELECT COALESCE(last_error, '') FROM sync_state"), "")
git(work, "push", "-q", "-f", "origin", "main")  # the broken commit again
rc, out = sync()
t.equal("the broken commit pushed again fails again", rc, 1, out)

# A fix clears the error.
git(work, "checkout", "-q", second_commit, "--", ".")
fixed_commit = push("fix")
rc, out = sync()
t.equal("urna-sync of the fix exits 0", rc, 0, out)
t.equal("the fix is live", live_commit(), fixed_commit)
t.equal("the error is cleared", sql1("SELECT COALESCE(last_error, '') FROM sync_state"), "")

# ---------------------------------------------------------------------------
t.section("a force-pushed history is followed")
git(work, "reset", "-q", "--hard", first_commit)
edit(os.path.join(work, STEERING), r"^name:.*$", "name: 2026 Steering Committee Election (rewritten)")
rewritten = push("rewritten history", force=True)
rc, out = sync()
t.equal("urna-sync after a force push exits 0", rc, 0, out)
t.equal("the rewritten commit is live", live_commit(), rewritten)
r = page_has("/urna/elections/steering/2026", "(rewritten)")
t.check("the page shows the rewritten history", r[0], r[1])
r = web.get("/urna/elections/steering/2026/candidates/zoe-n")
t.equal("the candidate dropped by the rewrite is gone", r.status, 404, r)
t.check("the checkout has no file of the dropped commits",
        not os.path.exists(os.path.join(app.settings["repo_dir"],
                                        "elections/steering/2026/candidate-zoe-n.md")))

# ---------------------------------------------------------------------------
t.section("an unreachable repository")
bad = Urna(db, root=os.path.join(tmp, "bad-url"), repo_url=os.path.join(tmp, "gone.git"),
           repo_dir=app.settings["repo_dir"], state_dir=state_dir)
rc, out = bad.run_tool([SYNC, "--config", bad.config_path], check=False)
t.equal("urna-sync with an unreachable repository exits 1", rc, 1, out)
t.check("it says the fetch failed and names the URL",
        "fetch failed" in out and "gone.git" in out, out)
t.equal("the last good commit stays live", live_commit(), rewritten)
t.check("sync_state.last_error records the fetch failure",
        "gone.git" in sql1("SELECT last_error FROM sync_state"))
rc, out = sync()
t.equal("with the right URL again it syncs", rc, 0, out)

# ---------------------------------------------------------------------------
t.section("a snapshot larger than the database accepts")
# A description of about 1.3 MB of random text (snapshots are stored
# compressed, so it must not compress away), and the server's limit far
# below it: the server refuses the row (or drops the connection).
edit(os.path.join(work, STEERING), r"^name:.*$", "name: 2026 Steering Committee Election (big)")
desc = os.path.join(work, "elections/steering/2026/election_desc.md")
with open(desc, encoding="utf-8") as f:
    desc_text = f.read()
with open(desc, "a", encoding="utf-8") as f:
    noise = base64.b64encode(os.urandom(1000000)).decode()
    f.write("\n\n" + "\n".join(noise[i:i + 76] for i in range(0, len(noise), 76)))
big_commit = push("a very long description")
db.sql("SET GLOBAL max_allowed_packet = %d" % (256 << 10))
try:
    rc, out = sync()
finally:
    db.sql("SET GLOBAL max_allowed_packet = %d" % (64 << 20))
t.equal("urna-sync exits 1 when the database refuses the snapshot", rc, 1, out)
t.check("it names max_allowed_packet and the snapshot size",
        "max_allowed_packet" in out and "KiB" in out, out)
t.equal("the last good commit stays live", live_commit(), rewritten)
t.check("sync_state.last_error records it",
        "max_allowed_packet" in sql1("SELECT last_error FROM sync_state"))
t.equal("sync_state.last_error_commit is that commit",
        sql1("SELECT last_error_commit FROM sync_state"), big_commit)
rc, out = sync()
t.equal("with the limit raised the same commit syncs", rc, 0, out)
t.equal("and is live", live_commit(), big_commit)
with open(desc, "w", encoding="utf-8") as f:
    f.write(desc_text)
big_commit = push("the description back to its size")
rc, out = sync()
t.equal("and the next commit too", rc, 0, out)
rewritten = big_commit

# ---------------------------------------------------------------------------
t.section("the lock")
edit(os.path.join(work, STEERING), r"^name:.*$", "name: 2026 Steering Committee Election (locked)")
locked_commit = push("while locked")
lock_path = os.path.join(state_dir, "urna-sync.lock")
with open(lock_path, "a+") as lock:
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    rc, out = sync()
    t.equal("urna-sync while another holds the lock exits 0", rc, 0, out)
    t.check("it says it skipped", "skipped" in out, out)
    t.equal("it changed nothing", live_commit(), rewritten)
    rc, out = sync("--if-requested")
    t.equal("--if-requested while locked exits 0 too", rc, 0, out)
    rc, out = sync("--quiet")
    t.check("--quiet while locked skips silently", rc == 0 and out == "", (rc, out))
rc, out = sync()
t.equal("once the lock is free urna-sync runs", rc, 0, out)
t.equal("and the commit is live", live_commit(), locked_commit)

edit(os.path.join(work, STEERING), r"^name:.*$", "name: 2026 Steering Committee Election (twice)")
twice_commit = push("two runs at once")
procs = [subprocess.Popen([SYNC, "--config", CONF], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True) for _ in range(2)]
outs = [(p.wait(timeout=120), p.stdout.read()) for p in procs]
for p in procs:
    p.stdout.close()
t.check("two urna-sync at once both exit 0", all(rc == 0 for rc, _ in outs), outs)
t.check("at least one of them synced", any("live" in o for _, o in outs), outs)
t.equal("the commit is live after both", live_commit(), twice_commit)

# ---------------------------------------------------------------------------
t.section("the webhook and --if-requested")
body = b'{"ref":"refs/heads/main","after":"%s"}' % os.urandom(20).hex().encode()
json_h = {"Content-Type": "application/json", "X-GitHub-Event": "push"}
# Start from no pending request (a plain sync does not consume one).
sync("--if-requested")
t.equal("no sync request pending",
        sql1("SELECT COALESCE(sync_requested_at, 0) FROM sync_state"), "0")
edit(os.path.join(work, STEERING), r"^name:.*$", "name: 2026 Steering Committee Election (hooked)")
hooked_commit = push("for the webhook")
rc, out = sync("--if-requested")
t.equal("--if-requested without a webhook exits 0", rc, 0, out)
t.equal("--if-requested without a webhook did not sync", live_commit(), twice_commit)

r = web.request("POST", "/urna/webhook", body=body, headers=json_h)
t.equal("a webhook without a signature is 403", r.status, 403, r)
r = web.request("POST", "/urna/webhook", body=body,
                headers=dict(json_h, **{"X-Hub-Signature-256": "sha256=" + "0" * 64}))
t.equal("a webhook with a wrong signature is 403", r.status, 403, r)
r = web.request("POST", "/urna/webhook", body=body,
                headers=dict(json_h, **{"X-Hub-Signature-256":
                                        "sha256=" + hmac.new(b"not-the-secret", body,
                                                             hashlib.sha256).hexdigest()}))
t.equal("a webhook signed with another secret is 403", r.status, 403, r)
t.equal("a refused webhook requests nothing",
        sql1("SELECT COALESCE(sync_requested_at, 0) FROM sync_state"), "0")
r = web.request("POST", "/urna/webhook", body=body,
                headers=dict(json_h, **{"X-Hub-Signature-256": sign(body)}))
t.equal("a signed webhook is 202", r.status, 202, r)
t.check("the request is recorded in sync_state",
        sql1("SELECT COALESCE(sync_requested_at, 0) FROM sync_state") != "0")
r = web.request("POST", "/urna/webhook", body=body,
                headers=dict(json_h, **{"X-Hub-Signature-256": sign(body)}))
t.equal("a second webhook within webhook_min_interval is 429", r.status, 429, r)
t.check("the 429 says when to retry", (r.header("Retry-After") or "").isdigit(), r.headers)
t.equal("the webhook did not sync by itself", live_commit(), twice_commit)
with open(lock_path, "a+") as lock:
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    rc, out = sync("--if-requested")
    t.check("--if-requested while another run holds the lock skips",
            rc == 0 and "skipped" in out, (rc, out))
t.check("and leaves the request pending",
        sql1("SELECT COALESCE(sync_requested_at, 0) FROM sync_state") != "0")
t.equal("nothing synced meanwhile", live_commit(), twice_commit)
rc, out = sync("--if-requested")
t.equal("--if-requested after the webhook exits 0", rc, 0, out)
t.equal("--if-requested after the webhook synced", live_commit(), hooked_commit)
r = page_has("/urna/elections/steering/2026", "(hooked)")
t.check("the page shows the webhook's commit", r[0], r[1])
edit(os.path.join(work, STEERING), r"^name:.*$", "name: 2026 Steering Committee Election (later)")
later_commit = push("after the webhook")
rc, out = sync("--if-requested")
t.equal("a second --if-requested exits 0", rc, 0, out)
t.equal("a second --if-requested does nothing", live_commit(), hooked_commit)
time.sleep(MIN_INTERVAL + 0.5)
r = web.request("POST", "/urna/webhook", body=body,
                headers=dict(json_h, **{"X-Hub-Signature-256": sign(body)}))
t.equal("after the interval a webhook is 202 again", r.status, 202, r)
rc, out = sync("--if-requested")
t.equal("and --if-requested syncs the later commit", live_commit(), later_commit, out)
t.equal("urna.fcgi ran the whole test without a restart", app.pid, urna_pid)

t.section("a fetch that hangs")
# An HTTP "git server" that accepts connections and never answers.
import socket
import threading
silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
silent.bind(("127.0.0.1", 0))
silent.listen(8)
held = []
threading.Thread(target=lambda: [held.append(silent.accept()) for _ in range(8)],
                 daemon=True).start()
hang = Urna(db, root=os.path.join(tmp, "hang"),
            repo_url="http://127.0.0.1:%d/meta.git" % silent.getsockname()[1],
            repo_dir=app.settings["repo_dir"], state_dir=state_dir)
started = time.monotonic()
rc, out = hang.run_tool([SYNC, "--config", hang.config_path, "--timeout", "2"], check=False,
                        timeout=60)
took = time.monotonic() - started
t.check("a hanging fetch ends after --timeout with exit 1",
        rc == 1 and "timed out after 2 s" in out and took < 20, (rc, took, out))
with open(lock_path, "a+") as lock:
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        free = True
    except OSError:
        free = False
t.check("and the lock is free again", free)
t.equal("the last good commit stays live", live_commit(), later_commit)

# Two real runs at once: the hanging one holds the lock, the other skips.
slow = subprocess.Popen([SYNC, "--config", hang.config_path, "--timeout", "4"],
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def lock_taken():
    """Whether some process holds a flock on the lock file, read from
    /proc/locks (trying the lock ourselves could make the other run skip)."""
    ino = os.stat(lock_path).st_ino
    with open("/proc/locks") as f:
        for line in f:
            parts = line.split()
            if len(parts) > 5 and parts[1] == "FLOCK" and parts[5].split(":")[-1] == str(ino):
                return (True, line)
    return (False, None)


t.check("a hanging run holds the lock", wait_for(lock_taken, timeout=4)[0])
rc, out = sync()
t.check("a second urna-sync at the same time skips", rc == 0 and "skipped" in out, (rc, out))
slow_rc = slow.wait(timeout=60)
slow_out = slow.stdout.read()
slow.stdout.close()
t.check("the hanging one ends by its timeout",
        slow_rc == 1 and "timed out" in slow_out, (slow_rc, slow_out))
rc, out = sync()
t.equal("the next run syncs normally", rc, 0, out)
rc, out = sync("--timeout", "x")
t.equal("--timeout takes whole seconds (usage error otherwise)", rc, 2, out)
silent.close()

t.section("no database")
nodb = Urna(db, root=os.path.join(tmp, "no-db"), repo_url=origin,
            db_host="unix://" + os.path.join(tmp, "no-such.sock"))
rc, out = nodb.run_tool([SYNC, "--config", nodb.config_path], check=False)
t.check("urna-sync without a reachable database exits 1 with a message",
        rc == 1 and out.startswith("urna-sync: ") and len(out.strip()) > 20, (rc, out))
t.equal("and changed nothing", live_commit(), later_commit)

t.done()
