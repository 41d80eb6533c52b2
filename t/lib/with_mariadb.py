#!/usr/bin/python3
"""Runs a command against a private, empty MariaDB.

    with_mariadb.py [--database NAME] -- CMD ARGS...

Starts mariadbd on a unix socket in a fresh temporary directory (no TCP),
creates an empty database, runs CMD with these variables exported:

    URNA_TEST_DB_HOST     unix:///tmp/urna-mariadb-XXXX/mysqld.sock (urna's db_host)
    URNA_TEST_DB_USER     root (no password)
    URNA_TEST_DB_PASSWORD "" (empty)
    URNA_TEST_DB_NAME     the database (default urna_test)
    URNA_TEST_DB_SOCKET   the socket path
    URNA_TEST_DB_DATADIR  the data directory
    URNA_TEST_DB_PIDFILE  mariadbd's PID file (the PID of the running server)
    URNA_TEST_DB_CTL      a command prefix to stop/start/restart that server:
                          $URNA_TEST_DB_CTL restart   (also: stop, start)

then stops MariaDB by its PID and exits with CMD's status (77 = skipped
passes through; a signal becomes 128+N). If MariaDB cannot be found, exits 77
with a message; if it cannot start, prints its log and exits 99 (hard error).

    with_mariadb.py --ctl DIR stop|start|restart

controls a server started by an outer with_mariadb.py (what URNA_TEST_DB_CTL
runs). A server it starts outlives it and is stopped by the outer one.
"""

import os
import signal
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def ctl(directory, action):
    db = harness.MariaDB(root=directory, database=None)
    db._detach = True
    if action in ("stop", "restart"):
        db.stop()
    if action in ("start", "restart"):
        try:
            db.start()
        except harness.StartError as e:
            print(e, file=sys.stderr)
            return 1
    if action not in ("stop", "start", "restart"):
        print("with_mariadb.py --ctl DIR stop|start|restart", file=sys.stderr)
        return 2
    return 0


def main(argv):
    if len(argv) >= 3 and argv[0] == "--ctl":
        return ctl(argv[1], argv[2])
    database = "urna_test"
    while argv and argv[0] != "--":
        if argv[0] == "--database" and len(argv) > 1:
            database = argv[1]
            argv = argv[2:]
        else:
            print(__doc__, file=sys.stderr)
            return 2
    argv = argv[1:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    for prog in ("mariadb-install-db", "mariadbd", "mariadb"):
        if not harness.which(prog):
            print("SKIP: %s not found (apt-get install mariadb-server mariadb-client)" % prog)
            return 77

    # A server restarted through URNA_TEST_DB_CTL is orphaned when the ctl
    # process exits; as a subreaper we inherit it and can reap it.
    harness.become_subreaper()
    db = harness.MariaDB(database=database)
    try:
        db.start()
    except (harness.StartError, RuntimeError) as e:
        print("with_mariadb.py: MariaDB did not start:\n%s" % e, file=sys.stderr)
        return 99

    env = dict(os.environ)
    env.update({
        "URNA_TEST_DB_HOST": db.host,
        "URNA_TEST_DB_USER": db.user,
        "URNA_TEST_DB_PASSWORD": db.password,
        "URNA_TEST_DB_NAME": database,
        "URNA_TEST_DB_SOCKET": db.socket,
        "URNA_TEST_DB_DATADIR": db.datadir,
        "URNA_TEST_DB_PIDFILE": db.pidfile,
        "URNA_TEST_DB_CTL": "%s %s --ctl %s" % (sys.executable, os.path.abspath(__file__), db.dir),
    })
    child = subprocess.Popen(argv, env=env)

    # Pass a stop request on to the command, then clean up normally.
    def forward(signum, frame):
        try:
            child.send_signal(signum)
        except ProcessLookupError:
            pass
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, forward)
    while True:
        try:
            rc = child.wait()
            break
        except InterruptedError:
            continue
    if rc != 0 and rc != 77:
        print("with_mariadb.py: %s exited with %s; MariaDB log:\n%s"
              % (argv[0], rc, db.logs(40)), file=sys.stderr)
    db.stop()
    # A server restarted through URNA_TEST_DB_CTL is known by its PID file.
    harness.MariaDB(root=db.dir, database=None).stop()
    harness.stop_all()
    harness.reap_children()
    return 128 - rc if rc < 0 else rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
