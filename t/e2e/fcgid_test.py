#!/usr/bin/python3
"""urna under Apache's mod_fcgid, through conf/apache/urna-fcgid.conf as
shipped (issue 12 §5).

Apache (Debian's libapache2-mod-fcgid) starts urna.fcgi itself with the
socket as fd 0 (`listen` empty; no `workers` key: 1 worker implied): health, the pages, one
vote stored; Apache stops the idle process with SIGTERM (FcgidIdleTimeout,
shortened for the test) and urna finishes and exits 0 (its log lines in
Apache's error log); the next request gets a fresh process. Apache stopped
while a vote is in flight (a slow scrypt passcode): the vote is stored with
its voted row or not at all, urna.fcgi finishes and exits, and after the
restart the voter has exactly one ballot. Skips (77) without apache2 or
mod_fcgid.
"""

import html
import os
import re
import shutil
import sys
import threading
import time
from urllib.parse import urlencode

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import (BUILDDIR, SRCDIR, SAMPLE_STATIC, Apache, Checks, Http, MariaDB,  # noqa: E402
                     Urna, ballot_count, csrf_of, git, read, write)

t = Checks("fcgid_test")
MOD = "/usr/lib/apache2/modules/mod_fcgid.so"
t.require_binaries("apache2", "mariadbd", "git", os.path.join(BUILDDIR, "urna.fcgi"))
if not os.path.exists(MOD):
    t.skip("missing: %s (Debian package libapache2-mod-fcgid)" % MOD)
SAMPLE = os.path.join(SRCDIR, "conf", "apache", "urna-fcgid.conf")


class FcgidApache(Apache):
    modules = Apache.modules + ["fcgid"]


def urna_pids():
    """urna.fcgi processes (mod_fcgid's children), from /proc."""
    out = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                if read("/proc/%s/comm" % p).strip().startswith("urna.fcgi"):
                    out.append(int(p))
            except OSError:
                pass
    return sorted(out)


db = t.watch(MariaDB()).start()
repo = os.path.join(db.dir, "meta")
shutil.copytree(os.path.join(SRCDIR, "examples", "meta"), repo)
git(repo, "init", "-q", "-b", "main")
git(repo, "add", "-A")
git(repo, "commit", "-q", "-m", "examples")
# scrypt_n 2^18 (256 MiB, a good fraction of a second): a vote with a chosen
# passcode is still in flight when Apache is stopped below.
app = t.watch(Urna(db, listen="", repo_url=repo, scrypt_n=262144))
# No `workers` key: on fd 0 urna.fcgi runs 1 worker by itself.
del app.settings["workers"]
app.write_config()
app.migrate()
app.sync()
before = set(urna_pids())

web = FcgidApache(urna=app)
text = read(SAMPLE)
for old, new in (("/usr/local/bin/urna.fcgi", app.fcgi), ("/etc/urna/urna.conf", app.config_path),
                 # Short enough to watch Apache reap an idle process.
                 ("FcgidIdleTimeout 300", "FcgidIdleTimeout 2\n    FcgidIdleScanInterval 1"),
                 ("FcgidMinProcessesPerClass 1", "FcgidMinProcessesPerClass 0")):
    t.check("the sample has %r" % old, old in text)
    text = text.replace(old, new)
t.check("the sample's static path is the placeholder", SAMPLE_STATIC in text)
sample = os.path.join(web.dir, "urna-fcgid.conf")
write(sample, text)
web.sample = sample
web.extra = "FcgidIPCDir %s/fcgid\nFcgidProcessTableFile %s/fcgid_shm\n" % (web.dir, web.dir)
t.watch(web).start()
h = Http(web.port)

deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    r = h.get("/urna/health")
    if r.status == 200:
        break
    time.sleep(0.5)
t.equal("health through Apache + mod_fcgid", (r.status, r.text.strip()), (200, "ok"), r)
t.equal("the election list", h.get("/urna/").status, 200)
r = h.get("/urna/static/urna.css")
t.equal("static files from the Alias, not urna", r.status, 200, r)
pids = set(urna_pids()) - before
t.check("mod_fcgid started urna.fcgi (fd 0)", len(pids) >= 1, pids)
log = read(web.error_log)
t.check("no workers key, fd 0: urna.fcgi runs 1 worker", "started with 1 workers" in log, log[-2000:])

r = h.get("/urna/login?next=/urna/")
h.post("/urna/login", {"csrf": csrf_of(r.text), "login": "alice"})
EID = "steering/2026"
page = h.get("/urna/elections/%s/vote" % EID).text
form = [("csrf", csrf_of(page))]
for i, f in enumerate(re.findall(r'<select name="(rank/[^"]+)"', page)):
    form.append((html.unescape(f), str(i + 1)))
pc = re.search(r'name="passcode" id="passcode" value="([^"]*)"', page)
form.append(("passcode", html.unescape(pc.group(1)) if pc else ""))
form.append(("passcode_saved", "yes"))  # "I have written this passcode down"
r = h.request("POST", "/urna/elections/%s/vote" % EID, body=urlencode(form).encode(),
              headers={"Content-Type": "application/x-www-form-urlencoded"})
t.equal("the vote is accepted (303 to the voted page)", r.status, 303, r.text[:2000])
t.equal("one ballot stored", ballot_count(db, EID), 1)

t.section("Apache reaps the idle process with SIGTERM")
deadline = time.monotonic() + 30
while time.monotonic() < deadline and (set(urna_pids()) - before) & pids:
    time.sleep(0.5)
t.check("the idle urna.fcgi is gone", not ((set(urna_pids()) - before) & pids))
log = read(web.error_log)
t.check("urna.fcgi stopped on SIGTERM, finishing in-flight requests",
        "stopping on Terminated" in log and "urna.fcgi info stopped" in log, log[-3000:])
r = h.get("/urna/health")
t.equal("the next request gets a fresh process", r.status, 200, r)
t.check("a new pid", bool((set(urna_pids()) - before) - pids))


def vote_form(h, passcode):
    page = h.get("/urna/elections/%s/vote" % EID).text
    form = [("csrf", csrf_of(page))]
    for i, f in enumerate(re.findall(r'<select name="(rank/[^"]+)"', page)):
        form.append((html.unescape(f), str(i + 1)))
    form.append(("passcode", passcode))
    form.append(("passcode_saved", "yes"))
    return urlencode(form).encode()


def voted(login):
    return int(db.sql("SELECT COUNT(*) FROM voters_voted WHERE election_id = '%s' AND login = '%s'"
                      % (EID, login), database=db.database).strip())


t.section("Apache stopped while a vote is in flight: all or nothing")
bob = Http(web.port)
r = bob.get("/urna/login?next=/urna/")
bob.post("/urna/login", {"csrf": csrf_of(r.text), "login": "bob"})
body = vote_form(bob, "bob's own passcode, scrypt-slow")
result = {}


def send():
    try:
        result["r"] = bob.request("POST", "/urna/elections/%s/vote" % EID, body=body,
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    except Exception as e:  # the connection may die with Apache
        result["e"] = repr(e)


sender = threading.Thread(target=send)
sender.start()
time.sleep(0.3)
web.stop()
sender.join(60)
# urna.fcgi finishes the request it has (the KDF, the COMMIT), then exits.
deadline = time.monotonic() + 30
while time.monotonic() < deadline and set(urna_pids()) - before:
    time.sleep(0.2)
t.check("after Apache's stop no urna.fcgi is left", not (set(urna_pids()) - before))
stored, rows = ballot_count(db, EID) - 1, voted("bob")
print("# in-flight vote: %s; ballot stored: %d, voted row: %d"
      % (result.get("e") or "HTTP %d" % result["r"].status, stored, rows), flush=True)
t.check("bob's vote is all or nothing (ballot and voted row together)",
        (stored, rows) in ((0, 0), (1, 1)), (stored, rows))
if "r" in result and result["r"].status == 303:
    t.equal("a vote answered 303 is stored", (stored, rows), (1, 1))
log = read(web.error_log)
t.check("urna.fcgi was stopped with SIGTERM and finished what it had",
        log.count("stopping on Terminated") >= 2, log[-3000:])
web.start()
if stored == 0:
    r = bob.request("POST", "/urna/elections/%s/vote" % EID,
                    body=vote_form(bob, "bob's own passcode, scrypt-slow"),
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    t.equal("after the restart bob votes: 303", r.status, 303, r.text[:2000])
t.equal("bob has exactly one ballot", (ballot_count(db, EID) - 1, voted("bob")), (1, 1))
web.stop()
t.done()
