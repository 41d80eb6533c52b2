#!/usr/bin/python3
"""End-to-end checks of the ballot keys (issue 8) with real servers: a
private MariaDB, urna.fcgi behind nginx, urna-sync and urna-tally on a git
repository made while the test runs.

- `urna-tally --keygen`: a 0700 key_dir and a 0600 key file named by the
  fingerprint, the `ballot_key:` line and the fingerprint printed; each run
  a new key; a key file others can read is refused;
- an election with its own `ballot_key:` in election.yaml and others on the
  instance default: the election page shows each one's fingerprint, the
  booth seals to the right one (opened here by an independent
  implementation), urna-tally counts both;
- `count_margin`: an election that ended seconds ago is not counted while
  the margin runs, then is;
- `urna-tally --forget-key` refuses while an election sealed to the key is
  not counted, then deletes the key; a ballot added afterwards can no
  longer be counted: urna-tally fails loudly for that election (exit 1,
  naming the missing key) and keeps the stored results;
- `forget_key_after_count = yes`: the key goes when its last election is
  counted, not before;
- no key at all (none in election.yaml, none in urna.conf): urna-sync warns,
  the booth answers 503 saying why, the election page and the officers'
  page say so.

Skips (77) only if a server program or a binary is missing.
"""

import datetime
import os
import re
import shutil
import stat
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import (BUILDDIR, Checks, Http, MariaDB, Nginx, Urna,  # noqa: E402
                     ballot_count, csrf_of, git, insert_sealed_ballots, open_sealed_ballot,
                     private_key_of, read, seal_ballot, write)

t = Checks("keys_test")
TALLY = os.path.join(BUILDDIR, "urna-tally")
t.require_binaries("mariadb-install-db", "mariadbd", "mariadb", "nginx", "git",
                   os.path.join(BUILDDIR, "urna.fcgi"), os.path.join(BUILDDIR, "urna-sync"),
                   TALLY)


def run(argv):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=120)
    return r.returncode, r.stdout


def utc(ts):
    return datetime.datetime.utcfromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S")


# ---------------------------------------------------------------------------
t.section("urna-tally --keygen")
db = t.watch(MariaDB())
db.start()
kd = os.path.join(db.dir, "keys-a")
rc, out = run([TALLY, "--keygen", "--key-dir", kd])
m = re.search(r"^ballot_key: (x25519:[A-Za-z0-9_-]{43})$", out, re.M)
fp = re.search(r"^fingerprint: (SHA256(?::[0-9a-f]{4}){8})$", out, re.M)
t.check("exit 0, the ballot_key line and the fingerprint printed", rc == 0 and m and fp, out)
files = os.listdir(kd) if os.path.isdir(kd) else []
t.check("key_dir made 0700 with one file named by the fingerprint, 0600",
        stat.S_IMODE(os.stat(kd).st_mode) == 0o700 and len(files) == 1 and fp and
        files[0] == fp.group(1)[7:].replace(":", "") + ".key" and
        stat.S_IMODE(os.stat(os.path.join(kd, files[0])).st_mode) == 0o600, (files, out))
t.check("the private key is not printed",
        m and read(os.path.join(kd, files[0])).split("x25519-private:")[1].strip() not in out)
rc2, out2 = run([TALLY, "--keygen", "--key-dir", kd])
t.check("a second --keygen makes another key beside the first",
        rc2 == 0 and len(os.listdir(kd)) == 2 and out2.split("\n")[0] != out.split("\n")[0], out2)

t.section("the web binary cannot open a ballot")
if shutil.which("nm"):
    syms = subprocess.run(["nm", "-C", os.path.join(BUILDDIR, "urna.fcgi")],
                          stdout=subprocess.PIPE, text=True).stdout
    tsyms = subprocess.run(["nm", "-C", TALLY], stdout=subprocess.PIPE, text=True).stdout
    t.check("urna.fcgi links no code that opens a ballot or reads a private key",
            "seal_ballot" in syms and "open_ballot" not in syms and
            "load_private_key" not in syms, [l for l in syms.splitlines() if "ballot" in l][:10])
    t.check("urna-tally does (the test above is not vacuous)",
            "open_ballot" in tsyms and "load_private_key" in tsyms)
else:
    t.check("nm is missing: the symbol check is skipped (SKIPPED)", True)

# ---------------------------------------------------------------------------
t.section("one election's own key, the others on the instance default")
work = os.path.join(db.dir, "meta-work")
root = os.path.join(work, "elections")
PAST = "start_datetime: 2020-01-01 00:00:00\nend_datetime: 2020-02-01 00:00:00\n"
now = time.time()
RUNNING = "start_datetime: %s\nend_datetime: 2099-01-01 00:00:00\n" % utc(now - 3600)


def election(eid, dates, extra=""):
    d = os.path.join(root, eid)
    write(os.path.join(d, "election.yaml"), "name: %s\n%s%selection_officers:\n  - olga\n"
          % (eid, dates, extra))
    write(os.path.join(d, "voters.yaml"), "eligible_voters:\n  - alice\n  - bob\n")
    write(os.path.join(d, "election_desc.md"), "Keys.\n")
    for c in ("ann", "ben"):
        write(os.path.join(d, "candidate-%s.md" % c), "---\nname: %s\nID: %s\n---\nBio.\n"
              % (c.title(), c))


app = t.watch(Urna(db, workers=2, auth="demo", repo_url=work, repo_branch="main"))
own_dir = os.path.join(db.dir, "own-key")
rc, out = run([TALLY, "--keygen", "--key-dir", own_dir])
OWN_KEY = re.search(r"^ballot_key: (\S+)$", out, re.M).group(1)
OWN_FP = re.search(r"^fingerprint: (\S+)$", out, re.M).group(1)
# The counting host holds both private keys in its key_dir.
for f in os.listdir(own_dir):
    shutil.copy2(os.path.join(own_dir, f), os.path.join(app.key_dir, f))

election("own/2026", RUNNING, "ballot_key: %s\n" % OWN_KEY)
election("shared/2026", RUNNING)
election("closed/a", PAST)
election("closed/b", PAST)
git(work, "init", "-q", "-b", "main")
git(work, "add", "-A")
git(work, "commit", "-q", "-m", "keys")
app.migrate()
rc, out = app.sync(check=False)
t.equal("urna-sync stores the repository", rc, 0, out)
app.start()
ngx = t.watch(Nginx(app))
ngx.start()
anon = Http(ngx.port)


def base(eid):
    return "/urna/elections/" + eid


t.check("the election page shows its own key's fingerprint (from election.yaml)",
        OWN_FP in anon.get(base("own/2026")).text and
        app.key_fingerprint not in anon.get(base("own/2026")).text)
t.check("the others show the instance default's fingerprint",
        app.key_fingerprint in anon.get(base("shared/2026")).text)


def sign_in(login):
    h = Http(ngx.port)
    r = h.get("/urna/login")
    h.post("/urna/login", {"csrf": csrf_of(r.text), "login": login})
    return h


def vote(h, eid, ranks):
    r = h.get(base(eid) + "/vote")
    sig = re.search(r'name="passcode_sig" value="([^"]*)"', r.text)
    pc = re.search(r'name="passcode" id="passcode" value="([^"]*)"', r.text)
    form = [("csrf", csrf_of(r.text)), ("passcode", pc.group(1) if pc else ""),
            ("passcode_sig", sig.group(1) if sig else ""), ("passcode_saved", "yes")]
    form += [("rank/main/%s" % c, str(n)) for c, n in ranks.items()]
    from urllib.parse import urlencode
    return h.request("POST", base(eid) + "/vote", body=urlencode(form).encode(),
                     headers={"Content-Type": "application/x-www-form-urlencoded"})


alice = sign_in("alice")
r1 = vote(alice, "own/2026", {"ann": 1, "ben": 2})
r2 = vote(alice, "shared/2026", {"ben": 1})
t.check("alice votes in both (303 each)", r1.status == 303 and r2.status == 303, (r1, r2))


def ciphertexts(eid):
    return [bytes.fromhex(x) for x in db.sql(
        "SELECT HEX(ciphertext) FROM sealed_ballots WHERE election_id = '%s'" % eid,
        database=db.database).split()]


own_priv = private_key_of(own_dir)
default_dir = os.path.join(db.dir, "default-only")
os.makedirs(default_dir)
for f in os.listdir(app.key_dir):
    if not os.path.exists(os.path.join(own_dir, f)):
        shutil.copy2(os.path.join(app.key_dir, f), default_dir)
default_priv = private_key_of(default_dir)
c_own, c_shared = ciphertexts("own/2026"), ciphertexts("shared/2026")
t.check("own/2026's ballot opens with its own key only",
        len(c_own) == 1 and open_sealed_ballot(own_priv, c_own[0], "own/2026") ==
        {"main": "ann=1&ben=2"} and open_sealed_ballot(default_priv, c_own[0], "own/2026") is None)
t.check("shared/2026's ballot opens with the default key only",
        len(c_shared) == 1 and open_sealed_ballot(default_priv, c_shared[0], "shared/2026") ==
        {"main": "ben=1"} and open_sealed_ballot(own_priv, c_shared[0], "shared/2026") is None)

# ---------------------------------------------------------------------------
t.section("count_margin")
insert_sealed_ballots(db, app, "closed/a", [{"main": "ann=1"}, {"main": "ben=1&ann=2"}])
insert_sealed_ballots(db, app, "closed/b", [{"main": "ben=1"}])
just = "start_datetime: 2020-01-01 00:00:00\nend_datetime: %s\n" % utc(time.time() - 5)
election("just/ended", just)
git(work, "add", "-A")
git(work, "commit", "-q", "-m", "an election that just ended")
app.sync()
insert_sealed_ballots(db, app, "just/ended", [{"main": "ann=1"}])
app.settings["count_margin"] = "3600"
app.write_config()
rc, out = run([TALLY, "--config", app.config_path])
t.check("within the margin the election that just ended is not counted",
        rc == 0 and "just/ended" not in out and "closed/a: tallied 2" in out, out)
app.settings["count_margin"] = "0"
app.write_config()
rc, out = run([TALLY, "--config", app.config_path])
t.check("after it, it is", rc == 0 and "just/ended: tallied 1" in out, out)

# ---------------------------------------------------------------------------
t.section("urna-tally --forget-key")
rc, out = run([TALLY, "--config", app.config_path, "--forget-key", "own/2026"])
t.check("refused while own/2026 (sealed to that key) is running and not counted",
        rc == 1 and "not counted yet: own/2026" in out and OWN_FP in out, out)
t.check("and the key file is still there",
        any(os.path.exists(os.path.join(app.key_dir, f)) for f in os.listdir(own_dir)))
# Close own/2026 (a commit moves its end into the past) and count it.
election("own/2026", PAST, "ballot_key: %s\n" % OWN_KEY)
git(work, "add", "-A")
git(work, "commit", "-q", "-m", "own/2026 closed")
app.sync()
rc, out = run([TALLY, "--config", app.config_path])
t.check("own/2026 counted with its own key", rc == 0 and "own/2026: tallied 1" in out, out)
results_before = db.sql("SELECT MD5(body) FROM results WHERE election_id = 'own/2026'",
                        database=db.database).strip()
rc, out = run([TALLY, "--config", app.config_path, "--forget-key", "own/2026"])
t.check("now --forget-key deletes it", rc == 0 and "forgot the private key " + OWN_FP in out, out)
t.check("the key file is gone",
        not any(os.path.exists(os.path.join(app.key_dir, f)) for f in os.listdir(own_dir)))
rc, out = run([TALLY, "--config", app.config_path, "--forget-key", "own/2026"])
t.check("a second --forget-key says it is already forgotten", rc == 0 and "already" in out, out)
db.sql("INSERT INTO sealed_ballots (id, election_id, ciphertext) VALUES (UNHEX('%s'), "
       "'own/2026', UNHEX('%s'))" % (os.urandom(16).hex(),
                                     seal_ballot(OWN_KEY, [("main", "ben=1")], "own/2026").hex()),
       database=db.database)
rc, out = run([TALLY, "--config", app.config_path])
t.check("a ballot added after the key is forgotten: urna-tally fails loudly for that election",
        rc == 1 and re.search(r"own/2026: no private key for ballot key " + re.escape(OWN_FP),
                              out), out)
t.equal("and keeps its stored results", db.sql(
    "SELECT MD5(body) FROM results WHERE election_id = 'own/2026'",
    database=db.database).strip(), results_before)
db.sql("DELETE FROM sealed_ballots WHERE election_id = 'own/2026'", database=db.database)

# ---------------------------------------------------------------------------
t.section("forget_key_after_count")
app.settings["forget_key_after_count"] = "yes"
app.write_config()
default_file = [f for f in os.listdir(app.key_dir)][0]
rc, out = run([TALLY, "--config", app.config_path])
t.check("the default key is kept while shared/2026 (running) is sealed to it",
        os.path.exists(os.path.join(app.key_dir, default_file)), (os.listdir(app.key_dir), out))
election("shared/2026", PAST)
git(work, "add", "-A")
git(work, "commit", "-q", "-m", "shared/2026 closed")
app.sync()
rc, out = run([TALLY, "--config", app.config_path])
t.check("counting the last election sealed to it forgets it",
        rc == 0 and "shared/2026: tallied 1" in out and "forgot the private key " +
        app.key_fingerprint in out and not os.listdir(app.key_dir), (os.listdir(app.key_dir), out))
t.equal("every ballot counted once", [ballot_count(db, e) for e in
                                      ("closed/a", "closed/b", "shared/2026", "just/ended")],
        [2, 1, 1, 1])

# ---------------------------------------------------------------------------
t.section("no key at all")
app.sigterm()
ngx.stop()
nokey = t.watch(Urna(db, workers=2, auth="demo", repo_url=work, repo_branch="main",
                     ballot_key=None, database=db.create_database("urna_nokey")))
nokey.migrate()
election("nokey/2026", RUNNING)
git(work, "add", "-A")
git(work, "commit", "-q", "-m", "an election without a key")
rc, out = nokey.sync(check=False)
t.check("urna-sync warns that its booth will not open",
        rc == 0 and "nokey/2026/election.yaml: ballot_key: warning: no ballot key" in out, out)
nokey.start()
ngx2 = t.watch(Nginx(nokey))
ngx2.start()
h = Http(ngx2.port)
r = h.get("/urna/login")
h.post("/urna/login", {"csrf": csrf_of(r.text), "login": "alice"})
r = h.get(base("nokey/2026") + "/vote")
t.check("the booth answers 503 and says why",
        r.status == 503 and "no ballot key to seal ballots with" in r.text, r)
r = h.get(base("nokey/2026"))
t.check("the election page says no key is published",
        r.status == 200 and "no ballot key is published" in r.text, r)
o = Http(ngx2.port)
r = o.get("/urna/login")
o.post("/urna/login", {"csrf": csrf_of(r.text), "login": "olga"})
r = o.get(base("nokey/2026") + "/admin")
t.check("the officers' page says the booth does not open, and lists the warning",
        r.status == 200 and "the booth does not open" in r.text and "no ballot key" in r.text, r)
t.equal("nothing was stored", db.sql(
    "SELECT COUNT(*) FROM sealed_ballots WHERE election_id = 'nokey/2026'",
    database="urna_nokey").strip(), "0")
