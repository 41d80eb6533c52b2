#!/usr/bin/python3
"""urna.fcgi under systemd socket activation, without systemd as PID 1.

The socket is passed the way systemd passes it (sd_listen_fds(3)): a
listening unix socket as fd 3, LISTEN_FDS=1 and LISTEN_PID = the pid of the
exec'd urna.fcgi. Checks: urna.fcgi answers on it (directly and through
nginx with the shipped snippet), ignores `listen`, leaves the socket file to
its owner at exit; LISTEN_PID of another process falls back to `listen`;
LISTEN_FDS=2 or a fd 3 that is no listening socket stop it with a message.
The units in conf/systemd pass `systemd-analyze verify`.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import harness  # noqa: E402
from harness import BUILDDIR, SRCDIR, Checks, Fcgi, Http, MariaDB, Nginx, Urna, which  # noqa: E402

t = Checks("socket_activation_test")
t.require_binaries("mariadbd", "nginx")

# `exec` keeps the shell's pid: LISTEN_PID=$$ is urna.fcgi's pid, as systemd
# sets it after fork.
SHELL_WRAPPER = 'LISTEN_PID=${FAKE_PID:-$$} LISTEN_FDS=${FAKE_FDS:-1}; export LISTEN_PID LISTEN_FDS; exec "$@"'


def spawn_activated(app, fd3, fake_pid=None, fake_fds=None):
    """Starts app's urna.fcgi with fd3 as its fd 3, like systemd would."""
    env = dict(os.environ)
    if fake_pid:
        env["FAKE_PID"] = str(fake_pid)
    if fake_fds:
        env["FAKE_FDS"] = str(fake_fds)
    log = open(app.log, "ab")
    log.write(b"\n=== socket-activated start\n")
    log.flush()
    app.proc = subprocess.Popen(
        ["/bin/sh", "-c", SHELL_WRAPPER, "sh", app.fcgi, "--config", app.config_path],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
        cwd=app.dir, start_new_session=True, pass_fds=(3,),
        preexec_fn=lambda: os.dup2(fd3, 3))
    log.close()
    harness._live.append(app)
    return app.proc


def log_text(app):
    with open(app.log, errors="replace") as f:
        return f.read()


db = t.watch(MariaDB()).start()
app = t.watch(Urna(db))
listen_path = app.socket  # the configured `listen`, which must stay unused
app.migrate()
act_path = os.path.join(app.dir, "activated.sock")
lsock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
lsock.bind(act_path)
os.chmod(act_path, 0o666)
lsock.listen(16)

t.section("fd 3 from LISTEN_FDS=1, LISTEN_PID = urna.fcgi")
spawn_activated(app, lsock.fileno())
app.wait_ready(lambda: Fcgi(act_path, timeout=5).get("/urna/health").status == 200, 30,
               "answering on the passed socket")
r = Fcgi(act_path).get("/urna/health")
t.equal("health on the passed socket", (r.status, r.body.strip()), (200, b"ok"))
t.check("the configured listen socket was not created", not os.path.exists(listen_path))
t.check("the log says it accepts on the socket systemd passed",
        "accepting on the socket passed by systemd (fd 3)" in log_text(app), log_text(app))
web = t.watch(Nginx(app, socket_path=act_path)).start()
r = Http(web.port).get("/urna/health")
t.equal("health through nginx and the shipped snippet", r.status, 200, r)
r = Http(web.port).get("/urna/")
t.equal("the election list through nginx", r.status, 200, r)
rc = app.sigterm()
t.equal("SIGTERM: exit 0", rc, 0, log_text(app))
t.check("the passed socket's file is left to its owner (systemd)", os.path.exists(act_path))
# The socket still works for the next start (systemd keeps it across restarts).
spawn_activated(app, lsock.fileno())
app.wait_ready(lambda: Fcgi(act_path, timeout=5).get("/urna/health").status == 200, 30,
               "answering again on the same socket")
r = Fcgi(act_path).get("/urna/health")
t.equal("a restarted urna.fcgi accepts on the same socket", (r.status, r.body.strip()), (200, b"ok"))
app.sigterm()
web.stop()

t.section("LISTEN_PID of another process: the variables are not ours")
spawn_activated(app, lsock.fileno(), fake_pid=1)
app.wait_ready(lambda: os.path.exists(listen_path), 30, "listening on `listen`")
r = Fcgi(listen_path).get("/urna/health")
t.equal("falls back to `listen`", r.status, 200)
app.sigterm()
t.check("and removes its own listen socket at exit", not os.path.exists(listen_path))

t.section("bad activation: a clear error, exit 1")
spawn_activated(app, lsock.fileno(), fake_fds=2)
rc = app.wait_exit(30)
t.equal("LISTEN_FDS=2: exit 1", rc, 1)
t.check("LISTEN_FDS=2: the message names it",
        "LISTEN_FDS=2: urna.fcgi takes exactly one socket" in log_text(app), log_text(app))
with tempfile.TemporaryFile() as notsock:
    spawn_activated(app, notsock.fileno())
    rc = app.wait_exit(30)
t.equal("fd 3 a file: exit 1", rc, 1)
t.check("fd 3 a file: the message says so",
        "LISTEN_FDS=1 but fd 3 is not a stream socket" in log_text(app), log_text(app))
usock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
spawn_activated(app, usock.fileno())
rc = app.wait_exit(30)
t.equal("fd 3 a socket that does not listen: exit 1", rc, 1)
t.check("fd 3 not listening: the message says so",
        "fd 3 is not a listening socket" in log_text(app), log_text(app))
spawn_activated(app, lsock.fileno(), fake_pid="12x")
rc = app.wait_exit(30)
t.equal("LISTEN_PID not a number: exit 1", rc, 1)
t.check("LISTEN_PID not a number: the message says so",
        "LISTEN_PID is not a process id: '12x'" in log_text(app), log_text(app))
lsock.close()

t.section("systemd-analyze verify conf/systemd")
if which("systemd-analyze"):
    unitdir = tempfile.mkdtemp(prefix="urna-units-")
    harness._tmpdirs.append(unitdir)
    units = ["urna.socket", "urna.service", "urna-sync.service", "urna-sync.timer",
             "urna-tally.service", "urna-tally.timer"]
    for u in units:
        src = os.path.join(BUILDDIR, "conf", "systemd", u)
        if not os.path.exists(src):
            src = os.path.join(SRCDIR, "conf", "systemd", u)
        text = open(src).read()
        # The build tree's programs stand in for the installed ones.
        for prog in ("urna.fcgi", "urna-sync", "urna-tally"):
            text = text.replace("/usr/local/bin/" + prog, os.path.join(BUILDDIR, prog))
        t.check("%s: no @placeholder@ left" % u, "@" not in text.replace("Also=", ""), text)
        with open(os.path.join(unitdir, u), "w") as f:
            f.write(text)
    r = subprocess.run(["systemd-analyze", "verify", "--man=no"] + units, cwd=unitdir,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       env=dict(os.environ, SYSTEMD_LOG_LEVEL="notice"))
    t.equal("systemd-analyze verify: no complaint", (r.returncode, r.stdout.strip()), (0, ""))
    svc = open(os.path.join(unitdir, "urna.service")).read()
    for d in ("ProtectSystem=strict", "PrivateTmp=yes", "NoNewPrivileges=yes",
              "ReadWritePaths=/var/lib/urna\n", "InaccessiblePaths=-/var/lib/urna/keys"):
        t.check("urna.service: %s" % d.strip(), d in svc)
    t.check("urna.service has no RuntimeDirectory= (it would delete the socket's directory)",
            "RuntimeDirectory" not in svc)
    sock = open(os.path.join(unitdir, "urna.socket")).read()
    t.check("urna.socket: the web server's group and 0660",
            "SocketGroup=www-data" in sock and "SocketMode=0660" in sock)
else:
    t.check("systemd-analyze is installed (systemd package)", False)
t.done()
