#!/usr/bin/python3
"""The demo behind `./dev.sh demo`: everything under DIR (default .demo/).

    demo.py [--dir DIR] [--port 8080] [--stop]

Stops a previous demo by the PIDs it recorded in DIR, then starts a private
MariaDB, migrates it, turns examples/meta into a git repository, syncs it
with urna-sync, starts urna.fcgi (auth = demo) and nginx on 127.0.0.1:PORT
with the shipped conf/nginx/urna.conf, prints the URL and stays in the
foreground until Ctrl-C (or SIGTERM), then stops exactly what it started.
--stop only stops a previous demo. Uses the same harness as the tests.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import MariaDB, Nginx, Urna  # noqa: E402


def stop_previous(root):
    """Stops every server a previous demo recorded (DIR/*/NAME.pid), by PID,
    checking the process name first, newest layer (nginx) first."""
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
    shutil.copytree(os.path.join(harness.SRCDIR, "examples", "meta"), repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "example elections")

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
    print("demo: stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
