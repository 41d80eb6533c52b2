#!/usr/bin/python3
"""The demo behind `./dev.sh demo` and `./dev.sh stop` (issue 10 §12).

- dev.sh's package lists: the demo's list has no package only the tests
  need (apache2, chromium, wrk, ...), the test list adds those, and both
  commands install what they should.
- relative_dates() (t/lib/demo.py) on examples/meta with a fixed "now":
  running elections open a week ago and close in three weeks, upcoming
  ones open in five days, the closed one ended three days ago, each lasting
  as long as before; a date in an election's own text follows; the source
  tree's examples are unchanged.
- the demo itself (t/lib/demo.py in a temporary directory on a free port,
  as dev.sh runs it): its sign-in page says who is who (officer, voter in
  both parts of the parent process, in one part, on no list), the running
  election closes in three weeks, the completed one has its results; then
  `demo.py --stop` (what `./dev.sh stop` runs) stops the foreground demo
  and every server it started, checked by PID, with no process left that
  names the demo's directory.
"""

import datetime
import hashlib
import html
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import BUILDDIR, SRCDIR, Checks, Http, free_port, make_tmpdir  # noqa: E402
import demo  # noqa: E402

t = Checks("demo_test")

# ---------------------------------------------------------------------------
t.section("dev.sh: the demo's packages and the tests'")
with open(os.path.join(SRCDIR, "dev.sh")) as f:
    devsh = f.read()


def package_list(name):
    m = re.search(r'^%s="([^"]*)"' % name, devsh, re.M)
    return m.group(1).split() if m else []


DEMO, TEST = package_list("DEMO_PACKAGES"), package_list("TEST_PACKAGES")
t.check("dev.sh has DEMO_PACKAGES and TEST_PACKAGES", DEMO and TEST, devsh[:2000])
for p in ("build-essential", "libctemplate-dev", "libboost-test-dev", "mariadb-server", "nginx",
          "git", "python3", "python3-cryptography"):
    t.check("the demo installs %s" % p, p in DEMO, DEMO)
for p in ("apache2", "libapache2-mod-fcgid", "chromium", "chromium-driver", "wrk", "galera-4",
          "debhelper", "lintian", "clang", "spawn-fcgi"):
    t.check("%s is only for the tests" % p, p in TEST and p not in DEMO, (DEMO, TEST))
NODE = package_list("NODE_PACKAGES")
# Debian's npm conflicts with a Node.js from elsewhere (nodesource's nodejs
# bundles npm): in the main lists one conflict would fail the whole apt-get.
for p in ("nodejs", "npm"):
    t.check("%s is installed apart, only where npm is missing" % p,
            p in NODE and p not in TEST and p not in DEMO, (NODE, TEST, DEMO))
t.check("install_axe installs NODE_PACKAGES only when npm is missing",
        re.search(r'if ! command -v npm[^\n]*\n\s*install_packages \$NODE_PACKAGES', devsh), devsh[-3000:])
t.check("no package is in both lists", not set(DEMO) & set(TEST), set(DEMO) & set(TEST))


def body_of(fn):
    m = re.search(r"^%s\(\) \{\n(.*?)^\}" % fn, devsh, re.M | re.S)
    return m.group(1) if m else ""


t.check("./dev.sh demo installs the demo's list only",
        "install_packages $DEMO_PACKAGES ||" in body_of("cmd_demo")
        and "TEST_PACKAGES" not in body_of("cmd_demo"), body_of("cmd_demo"))
t.check("./dev.sh test installs both lists and axe-core",
        "install_packages $DEMO_PACKAGES $TEST_PACKAGES" in body_of("cmd_test")
        and "install_axe" in body_of("cmd_test"), body_of("cmd_test"))
t.check("./dev.sh stop runs demo.py --stop on .demo",
        re.search(r'^\s*stop\) exec "\$PYTHON" t/lib/demo.py --dir "\$ROOT/.demo" --stop',
                  devsh, re.M) is not None)
t.check("the README names ./dev.sh stop",
        "./dev.sh stop" in open(os.path.join(SRCDIR, "README.md")).read().split("## Contents")[0])

# ---------------------------------------------------------------------------
t.section("the examples' dates, relative to the day the demo starts")
EXAMPLES = os.path.join(SRCDIR, "examples", "meta")


def tree_digest(root):
    h = hashlib.sha256()
    for d, dirs, files in sorted(os.walk(root)):
        dirs.sort()
        for name in sorted(files):
            p = os.path.join(d, name)
            h.update(os.path.relpath(p, root).encode() + b"\0")
            with open(p, "rb") as f:
                h.update(f.read())
    return h.hexdigest()


def yaml_dates(path):
    with open(path) as f:
        return {m.group(1): datetime.datetime.strptime(m.group(3), demo.FMT)
                for m in demo.DATE_LINE.finditer(f.read())}


before = tree_digest(EXAMPLES)
scratch = make_tmpdir("demo-dates")
NOW = datetime.datetime(2031, 4, 17, 15, 30, 0)  # any day: not the examples' own dates
TODAY = datetime.datetime(2031, 4, 17)
copy = os.path.join(scratch, "meta")
moved = demo.relative_dates(EXAMPLES, copy, now=NOW)
t.equal("the source tree's examples are unchanged", tree_digest(EXAMPLES), before)
orig = {}
for d, _, files in os.walk(EXAMPLES):
    if "election.yaml" in files:
        eid = os.path.relpath(d, os.path.join(EXAMPLES, "elections"))
        orig[eid] = yaml_dates(os.path.join(d, "election.yaml"))
real_now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
checked = set()
for eid, old in sorted(orig.items()):
    new = yaml_dates(os.path.join(copy, "elections", eid, "election.yaml"))
    if "start_datetime" not in old:
        t.equal("%s (a child) keeps its parent's dates: none of its own" % eid, new, {})
        continue
    s0, e0 = old["start_datetime"], old["end_datetime"]
    phase = "running" if s0 <= real_now < e0 else ("upcoming" if real_now < s0 else "closed")
    s1, e1 = new["start_datetime"], new["end_datetime"]
    if phase == "running":
        t.check("%s (running): opened a week ago, closes in three weeks" % eid,
                s1 == TODAY - datetime.timedelta(days=7) and e1 == TODAY + datetime.timedelta(days=21),
                new)
        if "exception_due" in old:
            t.equal("%s: exception requests due in two weeks, before the close" % eid,
                    new["exception_due"], TODAY + datetime.timedelta(days=14))
    else:
        t.equal("%s (%s): lasts as long as before" % (eid, phase), e1 - s1, e0 - s0)
        if phase == "upcoming":
            t.equal("%s: opens in five days" % eid, s1.date(), (TODAY + datetime.timedelta(days=5)).date())
        else:
            t.equal("%s: ended three days ago" % eid, e1.date(), (TODAY - datetime.timedelta(days=3)).date())
        if "exception_due" in old:
            t.equal("%s: exception_due moves with it" % eid,
                    new["exception_due"] - s1, old["exception_due"] - s0)
    t.check("%s: keeps its phase at the new now" % eid,
            {"running": s1 <= NOW < e1, "upcoming": NOW < s1, "closed": e1 <= NOW}[phase], new)
    t.equal("%s: reported as moved" % eid, moved.get(eid),
            {k: v.strftime(demo.FMT) for k, v in new.items()})
    checked.add(phase)
t.equal("the examples have a running, an upcoming and a closed election", checked,
        {"running", "upcoming", "closed"})
# A date written in an election's own text (election_desc.md: "voting
# closes 2036-01-01") moves with the date it repeats.
texts_checked = 0
for eid, old in sorted(orig.items()):
    new = yaml_dates(os.path.join(copy, "elections", eid, "election.yaml"))
    folder = os.path.join(EXAMPLES, "elections", eid)
    for name in sorted(os.listdir(folder)):
        if not name.endswith((".md", ".yaml")) or not os.path.isfile(os.path.join(folder, name)):
            continue
        src = [l for l in open(os.path.join(folder, name)).read().splitlines()
               if not demo.DATE_LINE.match(l)]
        got = [l for l in open(os.path.join(copy, "elections", eid, name)).read().splitlines()
               if not demo.DATE_LINE.match(l)]
        for key, when in sorted(old.items()):
            day = when.strftime("%Y-%m-%d")
            if key in new and any(day in l for l in src):
                texts_checked += 1
                t.check("%s/%s: '%s' (%s) in its text becomes %s" % (eid, name, day, key,
                                                                    new[key].date()),
                        not any(day in l for l in got)
                        and any(new[key].strftime("%Y-%m-%d") in l for l in got), got)
t.check("the examples repeat some dates in their texts (checked above)", texts_checked > 0)
sync = os.path.join(BUILDDIR, "urna-sync")
if os.access(sync, os.X_OK):
    r = subprocess.run([sync, "--check", copy], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    t.equal("urna-sync --check accepts the moved copy", r.returncode, 0, r.stdout[-2000:])

# ---------------------------------------------------------------------------
t.section("the demo: started, used, stopped by ./dev.sh stop's command")
need = ["mariadb-install-db", "mariadbd", "nginx", "git"]
from harness import which  # noqa: E402
if any(not which(n) for n in need) or not os.access(os.path.join(BUILDDIR, "urna.fcgi"), os.X_OK):
    t.skip("the demo needs %s and a built urna.fcgi" % ", ".join(need))
root = make_tmpdir("demo")
port = free_port()
log_path = os.path.join(scratch, "demo.out")
log = open(log_path, "w")
DEMO_PY = os.path.join(SRCDIR, "t", "lib", "demo.py")
proc = subprocess.Popen([sys.executable, DEMO_PY, "--dir", root, "--port", str(port)],
                        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def demo_output():
    with open(log_path) as f:
        return f.read()


def pids_naming(directory):
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == os.getpid():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                if directory.encode() in f.read():
                    out.append(int(d))
        except OSError:
            pass
    return out


try:
    deadline = time.monotonic() + 240
    while "Press Ctrl-C to stop it." not in demo_output() and proc.poll() is None \
            and time.monotonic() < deadline:
        time.sleep(0.3)
    up = t.check("the demo starts and prints its URL",
                 "http://127.0.0.1:%d/urna/" % port in demo_output(), demo_output()[-3000:])
    if up:
        h = Http(port)
        page = h.get("/urna/login")
        t.equal("its sign-in page answers", page.status, 200, page)
        text = html.unescape(page.text)

        def roles(login):
            m = re.search(r'value="%s".*?<ul class="demo-roles[^>]*>(.*?)</ul>' % re.escape(login),
                          text, re.S)
            return re.sub(r"<[^>]+>", " ", m.group(1)) if m else "(not listed)"

        t.check("olga: the officer of every example, on no voter list",
                "Election officer of" in roles("olga") and "2026 Steering Committee Election"
                in roles("olga") and "Electoral Process" in roles("olga")
                and "Not on any voter list" in roles("olga"), roles("olga"))
        t.check("carol: a voter in both parts of the parent process",
                re.search(r"Voter in every part of Electoral Process: Students, Professors",
                          roles("carol")), roles("carol"))
        t.check("alice: a voter in the running steering election and the students' part",
                "Voter in 2026 Steering Committee Election (voting now)" in roles("alice")
                and "Voter in Electoral Process, only in: Students" in roles("alice"),
                roles("alice"))
        t.check("heidi: a voter in the steering election only",
                "Voter in 2026 Steering Committee Election" in roles("heidi")
                and "Electoral Process" not in roles("heidi"), roles("heidi"))
        t.check("guest: on no list", "Not on any voter list" in roles("guest")
                and "officer" not in roles("guest"), roles("guest"))
        closes = (datetime.datetime.now(datetime.timezone.utc).replace(
            hour=0, minute=0, second=0, microsecond=0) + datetime.timedelta(days=21))
        e = html.unescape(Http(port).get("/urna/elections/steering/2026").text)
        t.check("the running election closes in three weeks (%s)" % closes.date(),
                closes.strftime("%Y-%m-%d") in e and "2036" not in e, e[:3000])
        r = Http(port).get("/urna/elections/steering/2025/results")
        t.equal("the completed election has its results (counted at start)", r.status, 200,
                r.text[:1500])
    recorded = {}
    for sub, name in (("mariadb", "mariadbd.pid"), ("urna", "urna.pid"), ("nginx", "nginx.pid")):
        try:
            with open(os.path.join(root, sub, name)) as f:
                recorded[sub] = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    t.equal("the demo recorded its servers' PIDs", sorted(recorded), ["mariadb", "nginx", "urna"])
    running = pids_naming(root)
    t.check("its processes are running", proc.pid in running and len(running) >= 3, running)
    # What `./dev.sh stop` runs, from another process.
    r = subprocess.run([sys.executable, DEMO_PY, "--dir", root, "--stop"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    t.check("demo.py --stop exits 0 and says it stopped the demo (pid %d)" % proc.pid,
            r.returncode == 0 and ("pid %d" % proc.pid) in r.stdout, r.stdout)
    try:
        rc = proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        rc = "still running"
    t.equal("the foreground demo exits cleanly", rc, 0, demo_output()[-2000:])
    t.check("the foreground demo stopped its servers itself, in order",
            "demo: stopped" in demo_output() and "stopped unexpectedly" not in demo_output(),
            demo_output()[-2000:])
    for sub, pid in sorted(recorded.items()):
        t.check("%s (pid %d) is gone" % (sub, pid), not os.path.exists("/proc/%d" % pid))
    t.equal("no process names the demo's directory any more", pids_naming(root), [])
    r = subprocess.run([sys.executable, DEMO_PY, "--dir", root, "--stop"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
    t.check("--stop again is harmless", r.returncode == 0 and "stopped" not in r.stdout, r.stdout)

    t.section("a demo whose foreground process was killed: --stop stops its servers by PID")
    log.close()
    log = open(log_path, "w")
    proc = subprocess.Popen([sys.executable, DEMO_PY, "--dir", root, "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 240
    while "Press Ctrl-C to stop it." not in demo_output() and proc.poll() is None \
            and time.monotonic() < deadline:
        time.sleep(0.3)
    t.check("the demo starts again", "Press Ctrl-C" in demo_output(), demo_output()[-3000:])
    left = [p for p in pids_naming(root) if p != proc.pid]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    t.check("its servers outlive the killed foreground process",
            len(left) >= 3 and all(os.path.exists("/proc/%d" % p) for p in left), left)
    r = subprocess.run([sys.executable, DEMO_PY, "--dir", root, "--stop"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    t.check("--stop names the servers it stopped",
            r.returncode == 0 and all(w in r.stdout for w in ("nginx (pid", "urna (pid",
                                                              "mariadb (pid")), r.stdout)
    t.equal("no process names the demo's directory any more", pids_naming(root), [])
finally:
    if proc.poll() is None:  # only our own demo, by its PID (process group)
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
    log.close()

t.done()
