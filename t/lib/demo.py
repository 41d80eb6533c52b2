#!/usr/bin/python3
"""The demo behind `./dev.sh demo`: everything under DIR (default .demo/).

    demo.py [--dir DIR] [--port 8080] [--stop]

Stops a previous demo by the PIDs it recorded in DIR, then starts a private
MariaDB, migrates it, copies examples/meta with its dates moved relative to
today (relative_dates(): running elections close in a few weeks, upcoming
ones open in a few days, closed ones ended a few days ago), turns the copy
into a git repository, syncs it with urna-sync, counts the closed election,
starts urna.fcgi (auth = demo) and nginx on 127.0.0.1:PORT with the shipped
conf/nginx/urna.conf, prints the URL and stays in the foreground until
Ctrl-C (or SIGTERM), then stops exactly what it started.

--stop (`./dev.sh stop`) stops a running demo: SIGTERM to the foreground
demo.py (DIR/demo.pid), which stops its servers in order; then any server
still named by a PID file in DIR (a demo that was killed), each by PID,
checking the process name first. Uses the same harness as the tests. The
examples in the source tree are never changed.
"""

import argparse
import datetime
import os
import re
import shutil
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import MariaDB, Nginx, Urna  # noqa: E402


def _demo_pid(root):
    """The PID of a running foreground demo.py for DIR (DIR/demo.pid, checked
    against its command line), or None."""
    try:
        with open(os.path.join(root, "demo.pid")) as f:
            pid = int(f.read().split()[0])
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            argv = f.read().split(b"\0")
    except (OSError, ValueError, IndexError):
        return None
    if pid == os.getpid() or not any(a.endswith(b"demo.py") for a in argv):
        return None
    return pid


def stop_previous(root):
    """Stops a previous demo: its foreground process first (which stops its
    own servers), then every server still recorded in DIR/*/NAME.pid, by
    PID, checking the process name first, newest layer (nginx) first."""
    pid = _demo_pid(root)
    if pid:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 60
        while _demo_pid(root) == pid and time.monotonic() < deadline:
            time.sleep(0.1)
        print("demo: stopped the running demo (pid %d)" % pid, flush=True)
    kinds = [("nginx", Nginx, "nginx"), ("urna", Urna, "urna"), ("mariadb", MariaDB, None)]
    stopped = []
    for sub, cls, _ in kinds:
        d = os.path.join(root, sub)
        if not os.path.isdir(d):
            continue
        s = cls.__new__(cls)
        harness.Server.__init__(s, root=d)
        if cls is MariaDB:
            s.pidfile = os.path.join(d, "mariadbd.pid")
        elif cls is Nginx:
            s.pidfile = os.path.join(d, "nginx.pid")
        pid = s.pid
        if pid:
            s.stop()
            stopped.append("%s (pid %d)" % (sub, pid))
    if stopped:
        print("demo: stopped the previous demo: " + ", ".join(stopped), flush=True)


# The completed example election (steering/2025) gets the five ballots its
# published results.md describes, so the demo's results page has a real
# count (urna-tally runs once at start). Stored as the booth stores them
# (sealed to the demo's own ballot key, docs/store.md), with the voter
# links already erased (delete_after).
DEMO_BALLOTS = [
    "mara-t=1&noah-b=3&olu-a=2&pia-l=4",
    "mara-t=1&olu-a=2&pia-l=3",
    "mara-t=2&noah-b=3&olu-a=1",
    "mara-t=1&noah-b=2&olu-a=3&pia-l=4",
    "mara-t=2&noah-b=4&olu-a=1&pia-l=3",
]


def seed_completed_election(db, app):
    harness.insert_sealed_ballots(db, app, "steering/2025", [{"main": r} for r in DEMO_BALLOTS])
    statements = []
    for login in ("alice", "bob", "carol", "dave", "erin"):
        statements.append("INSERT IGNORE INTO voters_voted (election_id, login) "
                          "VALUES ('steering/2025', '%s')" % login)
    db.sql(";\n".join(statements) + ";", database=db.database)


def git(repo, *args):
    subprocess.run(["git", "-C", repo, "-c", "user.name=urna demo",
                    "-c", "user.email=demo@localhost", "-c", "init.defaultBranch=main"]
                   + list(args), check=True, stdout=subprocess.DEVNULL)


DATE_KEYS = ("start_datetime", "end_datetime", "exception_due")
DATE_LINE = re.compile(r"^(start_datetime|end_datetime|exception_due):[ \t]*(['\"]?)"
                       r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\2[ \t]*$", re.M)
FMT = "%Y-%m-%d %H:%M:%S"
DAY = datetime.timedelta(days=1)


def _parse(text):
    return datetime.datetime.strptime(text, FMT)


def new_dates(old, now):
    """The demo's dates for one election (old: {key: datetime} from its
    election.yaml; now: a naive UTC datetime). Keeps the phase it has at
    `now`. Running: opened a week ago, closes in three weeks, exception
    requests due a week before the close. Upcoming: opens in five days,
    lasting as long as it did. Closed: ended three days ago (the demo
    counts it at start), lasting as long as it did. Dates fall on midnight
    UTC; exception_due only if the election had one."""
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    start, end = old.get("start_datetime"), old.get("end_datetime")
    if start is None or end is None:
        return {}
    out = {}
    if start <= now < end:
        out["start_datetime"] = today - 7 * DAY
        out["end_datetime"] = today + 21 * DAY
        if "exception_due" in old:
            out["exception_due"] = today + 14 * DAY
        return out
    if now < start:
        shift = today + 5 * DAY - start.replace(hour=0, minute=0, second=0)
    else:
        shift = today - 3 * DAY - end.replace(hour=0, minute=0, second=0)
    return {k: v + shift for k, v in old.items()}


def relative_dates(src, dest, now=None):
    """Copies the metadata repository `src` to `dest` with every election's
    start_datetime, end_datetime and exception_due rewritten by
    new_dates() (in election.yaml; the same dates written as YYYY-MM-DD in
    that election's other text, such as "accepted until 2025-09-20", follow).
    Returns {election folder (relative): {key: new date text}}."""
    now = now or datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    shutil.copytree(src, dest)
    changed = {}
    for d, _, files in os.walk(dest):
        if "election.yaml" not in files:
            continue
        path = os.path.join(d, "election.yaml")
        with open(path) as f:
            text = f.read()
        old = {m.group(1): _parse(m.group(3)) for m in DATE_LINE.finditer(text)}
        new = new_dates(old, now)
        if not new:
            continue  # a child: its dates are its parent's
        text = DATE_LINE.sub(lambda m: "%s: %s" % (m.group(1), new[m.group(1)].strftime(FMT)), text)
        days = {old[k].strftime("%Y-%m-%d"): new[k].strftime("%Y-%m-%d") for k in new}
        day_re = re.compile("|".join(re.escape(x) for x in days))
        for name in files:
            if not name.endswith((".md", ".yaml")):
                continue
            p = os.path.join(d, name)
            with open(p) as f:
                body = text if name == "election.yaml" else f.read()
            if name == "election.yaml":
                # Only outside the date lines (already rewritten).
                body = "\n".join(line if DATE_LINE.match(line) else
                                  day_re.sub(lambda m: days[m.group(0)], line)
                                  for line in body.split("\n"))
            else:
                body = day_re.sub(lambda m: days[m.group(0)], body)
            with open(p, "w") as f:
                f.write(body)
        changed[os.path.relpath(d, os.path.join(dest, "elections"))] = {
            k: v.strftime(FMT) for k, v in new.items()}
    return changed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default=os.path.join(harness.SRCDIR, ".demo"))
    ap.add_argument("--port", type=int, default=int(os.environ.get("URNA_DEMO_PORT", "8080")))
    ap.add_argument("--stop", action="store_true")
    a = ap.parse_args()
    root = os.path.abspath(a.dir)

    stop_previous(root)
    if a.stop:
        return 0
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    with open(os.path.join(root, "demo.pid"), "w") as f:
        f.write("%d\n" % os.getpid())

    try:
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", a.port))
    except OSError:
        print("demo: 127.0.0.1:%d is in use; set URNA_DEMO_PORT to another port" % a.port,
              file=sys.stderr)
        return 1

    print("demo: starting MariaDB in %s/mariadb" % root, flush=True)
    db = MariaDB(root=os.path.join(root, "mariadb"), database="urna").start()

    repo = os.path.join(root, "meta-repo")
    moved = relative_dates(os.path.join(harness.SRCDIR, "examples", "meta"), repo)
    for eid, dates in sorted(moved.items()):
        print("demo: %s: %s" % (eid, ", ".join("%s %s" % kv for kv in sorted(dates.items()))),
              flush=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "example elections, dates relative to %s"
        % datetime.date.today().isoformat())

    # Urna() makes the demo's own ballot key (urna-tally --keygen): the
    # public key as the instance default, the private key in urna/keys.
    app = Urna(db, root=os.path.join(root, "urna"), auth="demo", workers=4, repo_url=repo,
               repo_branch="main")
    print("demo: ballot key %s (private key in %s)" % (app.key_fingerprint, app.key_dir),
          flush=True)
    print("demo: migrating the database and syncing examples/meta", flush=True)
    app.migrate()
    rc, out = app.sync(check=False)
    if rc != 0:
        print("demo: urna-sync reported problems (exit %d):\n%s" % (rc, out), file=sys.stderr)
    seed_completed_election(db, app)
    rc, out = app.run_tool([os.path.join(harness.BUILDDIR, "urna-tally"), "--config",
                            app.config_path], check=False)
    if rc != 0:
        print("demo: urna-tally reported problems (exit %d):\n%s" % (rc, out), file=sys.stderr)
    app.start()
    web = Nginx(app, root=os.path.join(root, "nginx"), port=a.port,
                static_dir=os.path.join(harness.SRCDIR, "static"),
                user="root" if os.geteuid() == 0 else None).start()

    print("""
urna demo is running:  http://127.0.0.1:%d/urna/
  (sign in as any example voter: auth = demo)
  logs:   %s/urna/urna.log  %s/nginx/error.log  %s/mariadb/mariadb.log
  config: %s
Press Ctrl-C to stop it.""" % (a.port, root, root, root, app.config_path), flush=True)

    stopping = []
    def on_signal(signum, frame):
        stopping.append(signum)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    while not stopping:
        for s in (db, app, web):
            if not s.running():
                print("demo: %s stopped unexpectedly:\n%s" % (s.name, s.logs(30)), file=sys.stderr)
                stopping.append(0)
                break
        time.sleep(0.5)
    print("\ndemo: stopping nginx, urna.fcgi, MariaDB", flush=True)
    for s in (web, app, db):
        s.stop()
    try:
        os.unlink(os.path.join(root, "demo.pid"))
    except OSError:
        pass
    print("demo: stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
