"""Real servers for urna's end-to-end tests, redis-harness style.

Each server gets a fresh temporary directory, a free loopback port or a unix
socket inside that directory, its PID recorded in DIR/NAME.pid, a wait until
it is ready, and a stop by that PID (never by name). Its log is kept in the
directory and printed when a check fails. Python 3 standard library only.

    from harness import Checks, MariaDB, Urna, Nginx, Apache, Http
    t = Checks("my_test")            # counts checks, writes URNA_COUNTS_FILE
    t.require_binaries("mariadbd", "nginx")   # exit 77 (skip) if missing
    db = t.watch(MariaDB()).start()
    app = t.watch(Urna(db)).migrate().start()
    web = t.watch(Nginx(app)).start()
    r = Http(web.port).get("/urna/health")
    t.check("health through nginx", r.status == 200, r)
    t.done()                         # or let atexit do it

Everything started is stopped at exit (also on an exception or SIGTERM);
temporary directories are removed unless a check failed or URNA_KEEP_TMP=1.
"""

import atexit
import base64
import hashlib
import html
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.environ.get("URNA_SRCDIR") or os.path.dirname(os.path.dirname(HERE))
BUILDDIR = os.environ.get("URNA_BUILDDIR") or SRCDIR

_SBIN_PATH = os.pathsep.join(
    [os.environ.get("PATH", "/usr/bin:/bin"), "/usr/local/sbin", "/usr/sbin", "/sbin"])


def which(name):
    """Full path of a program (also looking in the sbin directories), or None."""
    return shutil.which(name, path=_SBIN_PATH)


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_tmpdir(name):
    """A fresh directory for one server. Short path: unix sockets live in it
    (108-byte limit), and mode 0755 so web-server workers running as
    www-data can reach the socket."""
    base = os.environ.get("URNA_TEST_TMPDIR") or "/tmp"
    d = tempfile.mkdtemp(prefix="urna-%s-" % name, dir=base)
    os.chmod(d, 0o755)
    return d


class StartError(RuntimeError):
    """A server did not become ready; the message includes its log tail."""


def _pid_alive(pid):
    """True if pid runs and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except (OSError, IndexError):
        return False


def _pid_comm(pid):
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return ""


def become_subreaper():
    """Orphaned descendants (a server started by a helper that exited)
    become our children, so they are reaped rather than left as zombies."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except Exception:
        pass


def reap_children():
    """Collects exited children we did not start with Popen."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def tail(path, lines=80):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return ""
    text = data.decode("utf-8", "replace").splitlines()
    return "\n".join(text[-lines:])


# Every started server, so that anything left is stopped at exit.
_live = []
_tmpdirs = []
_cleanups = []  # called by stop_all after the servers stopped (at_stop)


def at_stop(fn):
    """fn() runs once at exit after every server stopped (e.g. deleting the
    network namespaces the servers ran in)."""
    _cleanups.append(fn)
_keep_tmp = [os.environ.get("URNA_KEEP_TMP") == "1"]


def stop_all():
    for s in list(reversed(_live)):
        try:
            s.stop()
        except Exception as e:  # keep stopping the others
            print("harness: stopping %s: %s" % (s.name, e), file=sys.stderr)
    while _cleanups:
        fn = _cleanups.pop()
        try:
            fn()
        except Exception as e:
            print("harness: cleaning up: %s" % e, file=sys.stderr)
    if not _keep_tmp[0]:
        for d in _tmpdirs:
            shutil.rmtree(d, ignore_errors=True)
    elif _tmpdirs:
        print("harness: kept temporary directories: " + " ".join(_tmpdirs),
              file=sys.stderr)
    del _tmpdirs[:]


_interrupted = []


def _on_signal(signum, frame):
    # Turn SIGTERM/SIGHUP into a normal exit so atexit stops the servers.
    _interrupted.append(signum)
    sys.exit(128 + signum)


atexit.register(stop_all)
for _sig in (signal.SIGTERM, signal.SIGHUP):
    signal.signal(_sig, _on_signal)


class Server:
    """One child process with its own directory, log file and PID file.

    Subclasses set `name`, implement start() with _spawn() + wait_ready(),
    and list their log files in `log_files`."""

    name = "server"
    comm = None  # expected /proc/PID/comm prefix when stopping a PID from a file
    writes_pidfile = False  # the server writes self.pidfile itself
    netns = None  # a network namespace (ip netns) to run in; None: ours

    def __init__(self, root=None):
        self.dir = root or make_tmpdir(self.name)
        os.makedirs(self.dir, exist_ok=True)
        if root is None:
            _tmpdirs.append(self.dir)
        self.log = os.path.join(self.dir, self.name + ".log")
        self.pidfile = os.path.join(self.dir, self.name + ".pid")
        self.log_files = [self.log]
        self.proc = None

    # -- process control -------------------------------------------------
    @property
    def pid(self):
        """The running server's PID: the process we started, or, for a
        server started by another process, the PID in its PID file (checked
        against the expected program name)."""
        if self.proc is not None:
            # Ours: never fall back to the PID file, which may by now belong
            # to a server someone else started in the same directory.
            return self.proc.pid if self.proc.poll() is None else None
        try:
            with open(self.pidfile) as f:
                pid = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        if _pid_alive(pid) and (self.comm is None or _pid_comm(pid).startswith(self.comm)):
            return pid
        return None

    def running(self):
        return self.pid is not None

    def _spawn(self, argv, env=None, cwd=None, detach=False):
        """Starts argv with stdout+stderr appended to the log; records the PID.
        detach: the process outlives this Python process (with_mariadb --ctl)."""
        if self.netns:
            # `ip netns exec` enters the namespace and execs argv: same PID.
            argv = [which("ip") or "ip", "netns", "exec", self.netns] + list(argv)
        with open(self.log, "ab") as logf:
            logf.write(("\n=== %s: %s\n" % (time.strftime("%H:%M:%S"), " ".join(argv))).encode())
            logf.flush()
            self.proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT,
                env=env, cwd=cwd or self.dir, start_new_session=True)
        if not self.writes_pidfile:
            with open(self.pidfile, "w") as f:
                f.write("%d\n" % self.proc.pid)
        if not detach and self not in _live:
            _live.append(self)
        return self.proc

    def run_tool(self, argv, env=None, check=True, input=None, timeout=300):
        """Runs a short command, output appended to this server's log.
        Returns (status, output). check: raise StartError on failure."""
        r = subprocess.run(argv, env=env, cwd=self.dir, input=input,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
        out = r.stdout.decode("utf-8", "replace")
        with open(self.log, "a") as logf:
            logf.write("\n=== %s: %s (exit %d)\n%s" % (time.strftime("%H:%M:%S"),
                                                       " ".join(argv), r.returncode, out))
        if check and r.returncode != 0:
            raise StartError("%s failed with status %d:\n%s" % (" ".join(argv), r.returncode, out))
        return r.returncode, out

    def wait_ready(self, probe, timeout=30, what="ready"):
        """Polls probe() until true; raises StartError with the log tail if the
        process exits first or the time runs out."""
        deadline = time.monotonic() + timeout
        while True:
            if self.proc is not None and self.proc.poll() is not None:
                raise StartError("%s exited with status %s before it was %s\n%s"
                                 % (self.name, self.proc.returncode, what, self.logs()))
            try:
                if probe():
                    return
            except Exception:
                pass
            if time.monotonic() > deadline:
                raise StartError("%s not %s after %ss\n%s" % (self.name, what, timeout, self.logs()))
            time.sleep(0.05)

    def send_signal(self, sig):
        pid = self.pid
        if pid is None:
            raise RuntimeError("%s is not running" % self.name)
        os.kill(pid, sig)

    def wait_exit(self, timeout=30):
        """Waits for the process to end; returns its exit status (a negative
        number for a signal, None when it was not our child)."""
        deadline = time.monotonic() + timeout
        if self.proc is not None:
            try:
                return self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                return "timeout"
        pid = self.pid
        while pid is not None and _pid_alive(pid):
            if time.monotonic() > deadline:
                return "timeout"
            reap_children()
            time.sleep(0.05)
        reap_children()
        return None

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Stops the server by PID: sig, then SIGKILL after timeout seconds.
        Returns the exit status (see wait_exit). Safe to call twice."""
        pid = self.pid
        rc = None
        if pid is not None:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
            rc = self.wait_exit(timeout)
            if rc == "timeout":
                print("harness: %s (pid %d) ignored signal %d for %ss; killing"
                      % (self.name, pid, sig, timeout), file=sys.stderr)
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                rc = self.wait_exit(10)
        elif self.proc is not None:
            rc = self.proc.poll()
        if self in _live:
            _live.remove(self)
        return rc

    def logs(self, lines=80):
        out = []
        for p in self.log_files:
            if os.path.exists(p):
                out.append("--- %s (last %d lines) ---\n%s" % (p, lines, tail(p, lines)))
        return "\n".join(out)


# ---------------------------------------------------------------------------
class MariaDB(Server):
    """A private mariadbd on a unix socket in DIR (no TCP), root without a
    password. start() initializes DIR/data the first time; restart() keeps
    the data directory and socket.

    options: extra server options appended to the command line (they win
    over the defaults), e.g. ["--general-log", "--general-log-file=F"].
    The binary log is off (--skip-log-bin) unless an option turns it on
    (--log-bin or --log-bin=BASE), as t/e2e/secrecy_test.py does.
    tcp=True also listens on 127.0.0.1:self.port (a free port); ssl=(ca,
    cert, key) gives the server those PEM files (--ssl-ca/--ssl-cert/
    --ssl-key), so clients can use TLS. The default is neither."""

    name = "mariadb"
    comm = "mariadbd"
    writes_pidfile = True

    def __init__(self, root=None, database="urna_test", options=(), tcp=False, ssl=None):
        super().__init__(root)
        self.options = list(options)
        self.tcp = tcp or bool(ssl)
        self.port = free_port() if self.tcp else None
        self.ssl = ssl
        self.datadir = os.path.join(self.dir, "data")
        self.socket = os.path.join(self.dir, "mysqld.sock")
        self.database = database
        self.user = "root"
        self.password = ""
        self.pidfile = os.path.join(self.dir, "mariadbd.pid")  # mariadbd writes it

    @property
    def host(self):
        """The value for urna's db_host."""
        return "unix://" + self.socket

    @property
    def tcp_host(self):
        """db_host over TCP (tcp=True): tcp://127.0.0.1:PORT."""
        return "tcp://127.0.0.1:%d" % self.port

    def client_argv(self, database=None):
        argv = [which("mariadb") or "mariadb", "--no-defaults", "--socket=" + self.socket,
                "--user=" + self.user, "--batch", "--skip-column-names"]
        if database:
            argv.append("--database=" + database)
        return argv

    def _initialize(self):
        user = "root" if os.geteuid() == 0 else None
        # Its own tmpdir: the bootstrap's temporary tables otherwise go to
        # /tmp, where two tests initializing at once (make -j2 check) can
        # trip over each other's files ("Error on delete of
        # '/tmp/#sql-temptable-...'", seen once in a full run).
        tmp = os.path.join(self.dir, "tmp")
        os.makedirs(tmp, exist_ok=True)
        argv = [which("mariadb-install-db") or "mariadb-install-db", "--no-defaults",
                "--datadir=" + self.datadir, "--auth-root-authentication-method=normal",
                "--skip-test-db", "--skip-name-resolve", "--tmpdir=" + tmp]
        if user:
            argv.append("--user=" + user)
        self.run_tool(argv)

    def start(self, timeout=60):
        if not os.path.isdir(os.path.join(self.datadir, "mysql")):
            self._initialize()
            fresh = True
        else:
            fresh = False
        tmp = os.path.join(self.dir, "tmp")
        os.makedirs(tmp, exist_ok=True)
        argv = [which("mariadbd") or "mariadbd", "--no-defaults",
                "--datadir=" + self.datadir, "--socket=" + self.socket,
                "--pid-file=" + self.pidfile, "--tmpdir=" + tmp,
                "--skip-name-resolve", "--skip-log-bin", "--performance-schema=OFF",
                "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=16M",
                "--innodb-flush-log-at-trx-commit=2", "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_unicode_ci", "--log-error=" + self.log]
        if any(o == "--log-bin" or o.startswith("--log-bin=") for o in self.options):
            argv.remove("--skip-log-bin")
        if self.tcp:
            argv += ["--port=%d" % self.port, "--bind-address=127.0.0.1"]
        else:
            argv.append("--skip-networking")
        if self.ssl:
            ca, cert, key = self.ssl
            argv += ["--ssl-ca=" + ca, "--ssl-cert=" + cert, "--ssl-key=" + key]
        argv += self.options
        if os.geteuid() == 0:
            argv.append("--user=root")
        self._spawn(argv, detach=getattr(self, "_detach", False))
        # mariadbd writes its own pid file; ours is the Popen pid (the same).
        self.wait_ready(self.ping, timeout, "accepting connections")
        if fresh and self.database:
            self.create_database(self.database)
        return self

    def _spawn(self, argv, env=None, cwd=None, detach=False):
        proc = super()._spawn(argv, env, cwd, detach)
        return proc

    def ping(self):
        if not os.path.exists(self.socket):
            return False
        r = subprocess.run(self.client_argv() + ["-e", "SELECT 1"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10)
        return r.returncode == 0

    def sql(self, statements, database=None):
        """Runs SQL with the mariadb client; returns stdout (tab-separated)."""
        r = subprocess.run(self.client_argv(database), input=statements.encode(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        if r.returncode != 0:
            raise RuntimeError("SQL failed: %s\n%s" % (statements, r.stderr.decode(errors="replace")))
        return r.stdout.decode()

    def create_database(self, name):
        self.sql("CREATE DATABASE IF NOT EXISTS `%s` CHARACTER SET utf8mb4 "
                 "COLLATE utf8mb4_unicode_ci" % name)
        return name

    def restart(self, timeout=60):
        self.stop()
        return self.start(timeout)


# ---------------------------------------------------------------------------
GALERA_PROVIDER = "/usr/lib/galera/libgalera_smm.so"


class GaleraNode(MariaDB):
    """One mariadbd of a MariaDB Galera cluster (Debian's galera-4 provider):
    its own datadir, unix socket (root, for the tests' SQL), TCP port for
    urna on `address`, group-communication, IST and SST (rsync) ports, and
    optionally its own network namespace (ip netns) so that its link can be
    cut. `peers` is every node's "address:gport" (wsrep_cluster_address);
    start(bootstrap=True) starts a new cluster (the first node only). The
    others join it and get the data by SST; a restarted node rejoins by IST
    or SST. binlog=True keeps a ROW binary log of every write-set
    (log_slave_updates), for the secrecy checks."""

    name = "galera"

    def __init__(self, index, address="127.0.0.1", netns=None, root=None, database="urna_test",
                 binlog=False):
        super().__init__(root, database)
        self.index = index
        self.address = address
        self.netns = netns
        self.port, self.gport, self.ist_port, self.sst_port = (free_port() for _ in range(4))
        self.peers = []
        self.binlog = binlog
        self.binlog_base = os.path.join(self.datadir, "binlog")
        # mariadbd's own log (it writes it as the mysql user); self.log has
        # the command lines.
        self.error_log = os.path.join(self.dir, "error.log")
        self.log_files = [self.log, self.error_log]
        # As root, mariadbd runs as `mysql`: rsync's SST daemon started by a
        # root mariadbd would switch to `nobody` and could not write the
        # datadir.
        self.run_as = None
        if os.geteuid() == 0:
            import pwd
            try:
                self.run_as = pwd.getpwnam("mysql")
            except KeyError:
                self.run_as = None

    def _own(self):
        if self.run_as:
            for d, dirs, files in os.walk(self.dir):
                os.chown(d, self.run_as.pw_uid, self.run_as.pw_gid)
                for f in files:
                    os.chown(os.path.join(d, f), self.run_as.pw_uid, self.run_as.pw_gid)

    def _initialize(self):
        argv = [which("mariadb-install-db") or "mariadb-install-db", "--no-defaults",
                "--datadir=" + self.datadir, "--auth-root-authentication-method=normal",
                "--skip-test-db", "--skip-name-resolve"]
        if os.geteuid() == 0:
            argv.append("--user=" + (self.run_as.pw_name if self.run_as else "root"))
        self._own()
        self.run_tool(argv)

    @property
    def gcomm(self):
        return "%s:%d" % (self.address, self.gport)

    @property
    def tcp_host(self):
        """urna's db_host for this node over TCP."""
        return "tcp://%s:%d" % (self.address, self.port)

    def start(self, timeout=120, bootstrap=False):
        if not os.path.isdir(os.path.join(self.datadir, "mysql")):
            self._initialize()
            fresh = True
        else:
            fresh = False
        tmp = os.path.join(self.dir, "tmp")
        os.makedirs(tmp, exist_ok=True)
        opts = ";".join([
            "gmcast.listen_addr=tcp://%s:%d" % (self.address, self.gport),
            "ist.recv_addr=%s:%d" % (self.address, self.ist_port),
            # Quick failure detection for the tests (defaults: 5 s / 15 s).
            "evs.keepalive_period=PT0.5S", "evs.suspect_timeout=PT3S",
            "evs.inactive_check_period=PT0.5S", "evs.inactive_timeout=PT6S",
            "evs.install_timeout=PT5S", "gcache.size=64M"])
        argv = [which("mariadbd") or "mariadbd", "--no-defaults",
                "--datadir=" + self.datadir, "--socket=" + self.socket,
                "--pid-file=" + self.pidfile, "--port=%d" % self.port,
                "--bind-address=" + self.address, "--tmpdir=" + tmp,
                "--skip-name-resolve", "--performance-schema=OFF",
                "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=16M",
                "--innodb-flush-log-at-trx-commit=2", "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_unicode_ci", "--log-error=" + self.error_log,
                "--wsrep-on=ON", "--wsrep-provider=" + GALERA_PROVIDER,
                "--wsrep-cluster-name=urna_test",
                "--wsrep-cluster-address=gcomm://" + ",".join(self.peers),
                "--wsrep-node-name=node%d" % self.index,
                "--wsrep-node-address=" + self.gcomm,
                "--wsrep-provider-options=" + opts,
                "--wsrep-sst-method=rsync",
                "--wsrep-sst-receive-address=%s:%d" % (self.address, self.sst_port),
                "--binlog-format=ROW", "--innodb-autoinc-lock-mode=2",
                "--default-storage-engine=InnoDB"]
        if self.binlog:
            argv += ["--log-bin=" + self.binlog_base, "--log-slave-updates=ON",
                     "--server-id=%d" % self.index]
        else:
            argv.append("--skip-log-bin")
        if bootstrap:
            argv.append("--wsrep-new-cluster")
        if os.geteuid() == 0:
            argv.append("--user=" + (self.run_as.pw_name if self.run_as else "root"))
        self._own()
        self._spawn(argv)
        self.wait_ready(self.synced, timeout, "synced with the cluster")
        if fresh and bootstrap and self.database:
            self.create_database(self.database)
        return self

    def status(self, name):
        out = self.sql("SHOW STATUS LIKE '%s'" % name)
        return out.split("\t")[1].strip() if "\t" in out else ""

    def synced(self):
        return self.ping() and self.status("wsrep_local_state_comment") == "Synced" and \
            self.status("wsrep_ready") == "ON"

    def kill9(self):
        """SIGKILL, as a crash; the datadir stays for a restart."""
        pid = self.pid
        if pid:
            os.kill(pid, signal.SIGKILL)
            self.wait_exit(30)
        if self in _live:
            _live.remove(self)


class Bridge:
    """A Linux bridge on a private 10.x.y.0/24 and network namespaces joined
    to it by veth pairs (root and `ip` needed): add(name) returns the
    namespace and its address; cut(name) / mend(name) take its link down and
    up. Everything is deleted at exit (after the servers stopped)."""

    def __init__(self, tag=None):
        self.tag = tag or "u%d" % (os.getpid() % 100000)
        self.name = ("br" + self.tag)[:15]
        self.subnet = "10.%d.%d" % (200 + os.getpid() % 50, (os.getpid() // 50) % 250)
        self.address = self.subnet + ".1"
        self.spaces = {}  # name -> (netns, veth on our side, address)
        self._ip("link", "add", self.name, "type", "bridge")
        at_stop(self.delete)
        self._ip("addr", "add", self.address + "/24", "dev", self.name)
        self._ip("link", "set", self.name, "up")

    @staticmethod
    def available():
        """None when namespaces can be made here, else the reason."""
        if os.geteuid() != 0:
            return "network namespaces need root"
        if not which("ip"):
            return "the ip program (iproute2) is missing"
        probe = "urnaprobe%d" % os.getpid()
        r = subprocess.run([which("ip"), "netns", "add", probe], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            return "ip netns add failed: " + r.stdout.strip()
        subprocess.run([which("ip"), "netns", "del", probe])
        return None

    def _ip(self, *args, ns=None):
        argv = [which("ip") or "ip"] + (["netns", "exec", ns, "ip"] if ns else []) + list(args)
        r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            raise RuntimeError("%s: %s" % (" ".join(argv), r.stdout.strip()))

    def add(self, name):
        n = len(self.spaces) + 10
        ns = "urna-%s-%s" % (self.tag, name)
        veth = ("v%s%s" % (self.tag, name))[:15]
        address = "%s.%d" % (self.subnet, n)
        self._ip("netns", "add", ns)
        self.spaces[name] = (ns, veth, address)
        self._ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns)
        self._ip("link", "set", veth, "master", self.name, "up")
        self._ip("addr", "add", address + "/24", "dev", "eth0", ns=ns)
        self._ip("link", "set", "eth0", "up", ns=ns)
        self._ip("link", "set", "lo", "up", ns=ns)
        return ns, address

    def cut(self, name):
        self._ip("link", "set", self.spaces[name][1], "down")

    def mend(self, name):
        self._ip("link", "set", self.spaces[name][1], "up")

    def delete(self):
        for ns, veth, _ in self.spaces.values():
            subprocess.run([which("ip"), "link", "del", veth], stderr=subprocess.DEVNULL)
            subprocess.run([which("ip"), "netns", "del", ns], stderr=subprocess.DEVNULL)
        self.spaces = {}
        subprocess.run([which("ip"), "link", "del", self.name], stderr=subprocess.DEVNULL)


# ---------------------------------------------------------------------------
def _unix_connectable(path):
    if not os.path.exists(path):
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(2)
        s.connect(path)
    return True


def _tcp_connectable(port, host="127.0.0.1"):
    with socket.create_connection((host, port), timeout=2):
        return True


class Urna(Server):
    """urna.fcgi on a unix socket DIR/urna.sock, with a generated config that
    points at `db`. migrate() runs `urna-sync --migrate`; sync() runs
    `urna-sync` (needs repo_url). Binaries come from URNA_BUILDDIR."""

    name = "urna"
    comm = "urna"

    def __init__(self, db, root=None, prefix="/urna", workers=2, auth="demo",
                 repo_url=None, database=None, **extra):
        super().__init__(root)
        self.db = db
        self.socket = os.path.join(self.dir, "urna.sock")
        self.config_path = os.path.join(self.dir, "urna.conf")
        self.prefix = prefix
        self.fcgi = os.path.join(BUILDDIR, "urna.fcgi")
        self.sync_bin = os.path.join(BUILDDIR, "urna-sync")
        self.static_dir = os.path.join(SRCDIR, "static")
        self.settings = {
            "prefix": prefix,
            "listen": self.socket,
            "workers": str(workers),
            "templates_dir": os.path.join(SRCDIR, "templates"),
            # The catalogs `make` built (po/local.am), in the installed layout.
            "locale_dir": os.path.join(BUILDDIR, "po", "locale"),
            "sql_dir": os.path.join(SRCDIR, "sql"),
            "static_url": prefix + "/static",
            "session_key": secrets.token_hex(32),
            "auth": auth,
            "db_host": db.host,
            "db_user": db.user,
            "db_password": db.password,
            "db_name": database or db.database,
            "repo_dir": os.path.join(self.dir, "meta"),
            "meta_root": "elections",
            "state_dir": os.path.join(self.dir, "state"),
        }
        if repo_url:
            self.settings["repo_url"] = repo_url
        if auth == "github":
            self.settings.setdefault("base_url", "http://127.0.0.1")
        # Tests count right after an election ends (count_margin = 0), unless
        # they test the margin itself.
        self.settings["count_margin"] = "0"
        # Every instance gets its own ballot key pair (urna-tally --keygen):
        # the public key as the instance default, the private key in
        # DIR/keys for urna-tally. ballot_key=None: no key at all.
        no_key = "ballot_key" in extra and extra["ballot_key"] is None
        extra = {k: v for k, v in extra.items() if not (k == "ballot_key" and v is None)}
        self.key_dir = os.path.join(self.dir, "keys")
        self.settings["key_dir"] = self.key_dir
        self.ballot_key = None
        if not no_key and "ballot_key" not in extra:
            self.ballot_key, self.key_fingerprint = self.keygen()
            self.settings["ballot_key"] = self.ballot_key
        self.settings.update({k: str(v) for k, v in extra.items()})
        os.makedirs(self.settings["state_dir"], exist_ok=True)
        self.write_config()

    def keygen(self):
        """A new key pair in key_dir; returns (ballot_key line, fingerprint)."""
        out = subprocess.run([os.path.join(BUILDDIR, "urna-tally"), "--keygen", "--key-dir",
                              self.key_dir], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, check=True).stdout
        key = re.search(r"^ballot_key: (x25519:\S+)$", out, re.M).group(1)
        fp = re.search(r"^fingerprint: (\S+)$", out, re.M).group(1)
        return key, fp

    def write_config(self):
        with open(self.config_path, "w") as f:
            f.write("# generated by t/lib/harness.py\n")
            for k, v in self.settings.items():
                f.write("%s = %s\n" % (k, v))
        return self.config_path

    def migrate(self):
        self.run_tool([self.sync_bin, "--config", self.config_path, "--migrate"])
        return self

    def sync(self, check=True):
        return self.run_tool([self.sync_bin, "--config", self.config_path], check=check)

    def start(self, timeout=30):
        if os.path.exists(self.socket):
            os.unlink(self.socket)
        self._spawn([self.fcgi, "--config", self.config_path])
        self.wait_ready(lambda: _unix_connectable(self.socket), timeout, "listening on " + self.socket)
        # The handler makes its socket 0660 for its own group; the test web
        # servers' workers (www-data) are not in it.
        os.chmod(self.socket, 0o666)
        return self

    def sigterm(self, timeout=30):
        """SIGTERM and wait; returns the exit status."""
        self.send_signal(signal.SIGTERM)
        rc = self.wait_exit(timeout)
        if self in _live and not self.running():
            _live.remove(self)
        return rc

    def restart(self, timeout=30):
        self.stop()
        return self.start(timeout)


# ---------------------------------------------------------------------------
# Small helpers the end-to-end tests share.

# --- sealed ballots (DESIGN.md §4; src/crypto/ballot_box.h) -------------------
# An independent implementation of the opening side, written from the
# documented format with Python's `cryptography` (Debian's
# python3-cryptography), so that the tests check the format and not only
# urna's own code against itself.

def private_key_of(key_dir):
    """The one private ballot key in key_dir (raw 32 bytes)."""
    files = [f for f in os.listdir(key_dir) if f.endswith(".key")]
    if len(files) != 1:
        raise RuntimeError("expected one key in %s, found %s" % (key_dir, files))
    for line in read(os.path.join(key_dir, files[0])).splitlines():
        if line.startswith("x25519-private:"):
            b = line[len("x25519-private:"):]
            return base64.urlsafe_b64decode(b + "=" * (-len(b) % 4))
    raise RuntimeError("no private key in " + files[0])


def open_sealed_ballot(private_key, sealed, election_id):
    """{question: ranking} of one sealed ballot, or None when it does not
    open (wrong key or context, tampered, malformed)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import (X25519PrivateKey,
                                                                  X25519PublicKey)
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    if len(sealed) < 1 + 32 + 12 + 16 or sealed[0] != 1:
        return None
    context = election_id.encode()
    eph = sealed[1:33]
    me = X25519PrivateKey.from_private_bytes(private_key)
    mine = me.public_key().public_bytes(serialization.Encoding.Raw,
                                        serialization.PublicFormat.Raw)
    try:
        shared = me.exchange(X25519PublicKey.from_public_bytes(eph))
    except ValueError:
        return None
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=eph + mine,
               info=b"urna ballot v1\0" + context).derive(shared)
    try:
        padded = AESGCM(key).decrypt(sealed[33:45], sealed[45:], sealed[:33] + context)
    except InvalidTag:
        return None
    n = int.from_bytes(padded[:4], "big")
    if n > len(padded) - 4 or any(padded[4 + n:]):
        return None
    text = padded[4:4 + n].decode()
    if not text.startswith("urna-ballot-v1\n"):
        return None
    lines = text[len("urna-ballot-v1\n"):].split("\n")
    if lines[-1] != "" or len(lines) % 2 != 1:
        return None
    return {lines[i]: lines[i + 1] for i in range(0, len(lines) - 1, 2)}


def seal_ballot(ballot_key, parts, election_id, padded=512):
    """A ballot sealed to `ballot_key` ("x25519:...") as urna's web worker
    seals it: parts is [(question, ranking)] in the election's order."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import (X25519PrivateKey,
                                                                  X25519PublicKey)
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    b = ballot_key[len("x25519:"):]
    recipient = base64.urlsafe_b64decode(b + "=" * (-len(b) % 4))
    text = ("urna-ballot-v1\n" + "".join("%s\n%s\n" % qr for qr in parts)).encode()
    body = len(text).to_bytes(4, "big") + text
    body += b"\0" * (padded - len(body))
    eph = X25519PrivateKey.generate()
    eph_pub = eph.public_key().public_bytes(serialization.Encoding.Raw,
                                            serialization.PublicFormat.Raw)
    shared = eph.exchange(X25519PublicKey.from_public_bytes(recipient))
    context = election_id.encode()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=eph_pub + recipient,
               info=b"urna ballot v1\0" + context).derive(shared)
    header = b"\x01" + eph_pub
    nonce = os.urandom(12)
    return header + nonce + AESGCM(key).encrypt(nonce, body, header + context)


def insert_sealed_ballots(db, urna, election_id, ballots, receipts=False):
    """Stores ballots ([{question: ranking}]) as urna does: one sealed row
    each, random ids. Returns the receipt hashes stored (when receipts)."""
    rows, hashes = [], []
    for b in ballots:
        c = seal_ballot(urna.ballot_key, sorted(b.items()), election_id)
        h = "NULL"
        if receipts:
            hashes.append(hashlib.sha256(os.urandom(8)).hexdigest())
            h = "'%s'" % hashes[-1]
        rows.append("(UNHEX('%s'), '%s', UNHEX('%s'), %s)" % (
            os.urandom(16).hex(), election_id.replace("'", "''"), c.hex(), h))
    if rows:
        db.sql("INSERT INTO sealed_ballots (id, election_id, ciphertext, receipt_hash) VALUES " +
               ",\n".join(rows) + ";", database=db.database)
    return hashes


def sealed_ballots(db, urna, election_id):
    """Every sealed ballot of the election, opened with urna's private key:
    a list of ({question: ranking}, receipt_hash or ""), stored order."""
    key = private_key_of(urna.key_dir)
    out = []
    rows = db.sql("SELECT HEX(ciphertext), IFNULL(receipt_hash, '') FROM sealed_ballots "
                  "WHERE election_id = '%s' ORDER BY id" % election_id.replace("'", "''"),
                  database=db.database)
    for line in rows.splitlines():
        hexc, _, receipt = line.partition("\t")
        out.append((open_sealed_ballot(key, bytes.fromhex(hexc), election_id), receipt))
    return out


def ballot_count(db, election_id):
    """Ballots of the election: sealed ones plus plaintext ones from before
    schema version 4 (as urna-tally counts them)."""
    e = election_id.replace("'", "''")
    return int(db.sql("SELECT (SELECT COUNT(*) FROM sealed_ballots WHERE election_id = '%s') + "
                      "(SELECT COUNT(DISTINCT id) FROM ballots WHERE election_id = '%s')" % (e, e),
                      database=db.database).strip())


def git(repo, *args):
    """Runs git in `repo` with a fixed identity; returns its output
    (stripped); raises RuntimeError with git's output on failure."""
    r = subprocess.run(["git", "-C", repo, "-c", "user.name=e2e", "-c", "user.email=e2e@localhost",
                        "-c", "commit.gpgsign=false"] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        raise RuntimeError("git %s: %s" % (" ".join(args), r.stdout))
    return r.stdout.strip()


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def csrf_of(page):
    """The CSRF token of the first form on an urna page ("" if none)."""
    m = re.search(r'name="csrf" value="([^"]*)"', page)
    return html.unescape(m.group(1)) if m else ""


# ---------------------------------------------------------------------------
# Placeholders in the shipped web-server samples, replaced by the tests (and
# documented at the top of each sample).
SAMPLE_SOCKET = "/run/urna/urna.sock"
SAMPLE_STATIC = "/usr/local/share/urna/static"


def _web_user():
    """The user web-server workers run as when we are root."""
    if os.geteuid() != 0:
        return None
    import pwd
    for u in ("www-data", "nobody"):
        try:
            pwd.getpwnam(u)
            return u
        except KeyError:
            pass
    return None


def _retry_port(server, start_once, attempts=3):
    """free_port() can race with another test taking the port: try again on
    a new port when the server says the address is in use."""
    for i in range(attempts):
        try:
            return start_once()
        except StartError as e:
            if "in use" not in str(e) or i == attempts - 1:
                raise
            server.stop()
            server.port = free_port()


def _copy_static(directory):
    """A copy of SRCDIR/static inside a server's directory, so that workers
    running as www-data can read it wherever the source tree lives."""
    dest = os.path.join(directory, "static")
    if not os.path.isdir(dest):
        shutil.copytree(os.path.join(SRCDIR, "static"), dest)
        for d, dirs, files in os.walk(dest):
            os.chmod(d, 0o755)
            for f in files:
                os.chmod(os.path.join(d, f), 0o644)
    return dest


SAMPLE_HTPASSWD = "/etc/urna/htpasswd"


def enable_auth_block(text, htpasswd):
    """What the samples tell an administrator to do for auth = remote_user:
    remove the "# " before each line between "# BEGIN auth = remote_user"
    and "# END auth = remote_user", and point it at their htpasswd file."""
    out, inside, seen = [], False, False
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped == "# BEGIN auth = remote_user":
            inside = seen = True
        elif stripped == "# END auth = remote_user":
            inside = False
        elif inside:
            indent = line[:len(line) - len(line.lstrip())]
            assert stripped.startswith("# "), "not a commented line in the auth block: " + line
            line = indent + stripped[2:]
        out.append(line)
    assert seen and not inside, "the sample has no complete auth = remote_user block"
    return "\n".join(out).replace(SAMPLE_HTPASSWD, htpasswd)


def _instantiate_sample(sample, dest, socket_path, static_dir, htpasswd=None):
    with open(sample) as f:
        text = f.read()
    text = text.replace(SAMPLE_SOCKET, socket_path).replace(SAMPLE_STATIC, static_dir.rstrip("/"))
    if htpasswd:
        text = enable_auth_block(text, htpasswd)
    with open(dest, "w") as f:
        f.write(text)
    return dest


class Nginx(Server):
    """nginx in the foreground on 127.0.0.1:port, with a generated wrapper
    config that includes conf/nginx/urna.conf (placeholders replaced)."""

    name = "nginx"
    comm = "nginx"
    writes_pidfile = True

    def __init__(self, urna=None, socket_path=None, static_dir=None, root=None,
                 sample=None, extra_server="", port=None, user="default", htpasswd=None,
                 listen_host="127.0.0.1", netns=None):
        super().__init__(root)
        self.htpasswd = htpasswd  # set: the sample's auth block enabled with this file
        self.listen_host = listen_host
        self.netns = netns
        self.socket_path = socket_path or (urna.socket if urna else SAMPLE_SOCKET)
        self.static_dir = static_dir or _copy_static(self.dir)
        self.user = _web_user() if user == "default" else user
        self.sample = sample or os.path.join(SRCDIR, "conf", "nginx", "urna.conf")
        self.extra_server = extra_server
        self.port = port or free_port()
        self.conf = os.path.join(self.dir, "nginx.conf")
        self.error_log = os.path.join(self.dir, "error.log")
        self.access_log = os.path.join(self.dir, "access.log")
        self.log_files = [self.log, self.error_log, self.access_log]
        self.pidfile = os.path.join(self.dir, "nginx.pid")

    def write_config(self):
        for f in ("fastcgi_params", "mime.types"):
            src = os.path.join("/etc/nginx", f)
            if os.path.exists(src):
                shutil.copy(src, os.path.join(self.dir, f))
        _instantiate_sample(self.sample, os.path.join(self.dir, "urna.conf"),
                            self.socket_path, self.static_dir, self.htpasswd)
        user = self.user
        tmp = os.path.join(self.dir, "tmp")
        os.makedirs(tmp, exist_ok=True)
        with open(self.conf, "w") as f:
            f.write("""# generated by t/lib/harness.py
daemon off;
master_process on;
worker_processes 1;
%(user)s
pid %(dir)s/nginx.pid;
error_log %(dir)s/error.log info;
events { worker_connections 256; }
http {
    include mime.types;
    default_type application/octet-stream;
    access_log %(dir)s/access.log;
    client_body_temp_path %(tmp)s/body;
    fastcgi_temp_path %(tmp)s/fastcgi;
    proxy_temp_path %(tmp)s/proxy;
    uwsgi_temp_path %(tmp)s/uwsgi;
    scgi_temp_path %(tmp)s/scgi;
    server {
        listen %(host)s:%(port)d;
        server_name localhost;
        # The existing site's own pages.
        location / { return 200 "the rest of the site\\n"; }
        include %(dir)s/urna.conf;
%(extra)s
    }
}
""" % {"user": ("user %s;" % user) if user else "", "dir": self.dir, "tmp": tmp,
       "port": self.port, "extra": self.extra_server, "host": self.listen_host})
        return self.conf

    def check_config(self):
        self.write_config()
        return self.run_tool([which("nginx") or "nginx", "-t", "-p", self.dir + "/",
                              "-e", self.error_log, "-c", self.conf], check=False)

    def start(self, timeout=30):
        def once():
            self.write_config()
            self._spawn([which("nginx") or "nginx", "-p", self.dir + "/", "-e", self.error_log,
                         "-c", self.conf])
            self.wait_ready(lambda: _tcp_connectable(self.port, self.listen_host), timeout,
                            "listening on %d" % self.port)
        _retry_port(self, once)
        return self

    @property
    def url(self):
        return "http://%s:%d" % (self.listen_host, self.port)


class Apache(Server):
    """apache2 -DFOREGROUND with its own ServerRoot, on 127.0.0.1:port, with a
    generated config that includes conf/apache/urna.conf (placeholders
    replaced). mpm_event, authz_core, proxy, proxy_fcgi, alias."""

    name = "apache"
    comm = "apache2"
    writes_pidfile = True
    modules = ["mpm_event", "authz_core", "authn_core", "proxy", "proxy_fcgi", "alias",
               "mime", "dir", "headers", "auth_basic", "authn_file", "authz_user"]

    def __init__(self, urna=None, socket_path=None, static_dir=None, root=None,
                 sample=None, extra="", port=None, htpasswd=None):
        super().__init__(root)
        self.htpasswd = htpasswd  # set: the sample's auth block enabled with this file
        self.socket_path = socket_path or (urna.socket if urna else SAMPLE_SOCKET)
        self.static_dir = static_dir or _copy_static(self.dir)
        self.sample = sample or os.path.join(SRCDIR, "conf", "apache", "urna.conf")
        self.extra = extra
        self.port = port or free_port()
        self.conf = os.path.join(self.dir, "httpd.conf")
        self.error_log = os.path.join(self.dir, "error.log")
        self.access_log = os.path.join(self.dir, "access.log")
        self.log_files = [self.log, self.error_log, self.access_log]
        self.pidfile = os.path.join(self.dir, "httpd.pid")
        self.moddir = "/usr/lib/apache2/modules"

    def write_config(self):
        _instantiate_sample(self.sample, os.path.join(self.dir, "urna.conf"),
                            self.socket_path, self.static_dir, self.htpasswd)
        loads = []
        for m in self.modules:
            so = os.path.join(self.moddir, "mod_%s.so" % m)
            if os.path.exists(so):
                loads.append("LoadModule %s_module %s" % (m, so))
        user = _web_user()
        docroot = os.path.join(self.dir, "htdocs")
        os.makedirs(docroot, exist_ok=True)
        for page in ("index.html", "elsewhere"):
            with open(os.path.join(docroot, page), "w") as f:
                f.write("the rest of the site\n")
        with open(self.conf, "w") as f:
            f.write("""# generated by t/lib/harness.py
ServerRoot "%(dir)s"
DefaultRuntimeDir "%(dir)s"
PidFile "%(dir)s/httpd.pid"
Mutex file:%(dir)s default
%(loads)s
%(user)s
ServerName localhost
Listen 127.0.0.1:%(port)d
ErrorLog "%(dir)s/error.log"
LogLevel info
LogFormat "%%h %%l %%u %%t \\"%%r\\" %%>s %%b" common
<IfModule log_config_module>
CustomLog "%(dir)s/access.log" common
</IfModule>
TypesConfig /etc/mime.types
DocumentRoot "%(docroot)s"
<Directory />
    Require all denied
    AllowOverride None
</Directory>
<Directory "%(docroot)s">
    Require all granted
</Directory>
Include "%(dir)s/urna.conf"
%(extra)s
""" % {"dir": self.dir, "loads": "\n".join(loads), "port": self.port, "docroot": docroot,
       "user": ("User %s\nGroup %s" % (user, user)) if user else "", "extra": self.extra})
        return self.conf

    def _argv(self, *extra):
        return [which("apache2") or "apache2", "-f", self.conf, "-d", self.dir] + list(extra)

    def check_config(self):
        self.write_config()
        return self.run_tool(self._argv("-t"), check=False)

    def start(self, timeout=30):
        def once():
            self.write_config()
            self._spawn(self._argv("-DFOREGROUND"))
            self.wait_ready(lambda: _tcp_connectable(self.port), timeout,
                            "listening on %d" % self.port)
        _retry_port(self, once)
        return self

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port


# ---------------------------------------------------------------------------
class Response:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers  # list of (name, value)
        self.body = body

    def header(self, name, default=None):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return default

    def header_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def __repr__(self):
        return "<%s %s; %d bytes: %r>" % (self.status, self.reason, len(self.body),
                                          self.body[:300])


class Http:
    """A small HTTP/1.1 client for 127.0.0.1:port (or a URL base) that keeps
    cookies and never follows redirects. Paths are sent as given (so tests can
    send malformed escapes); a new connection per request."""

    def __init__(self, port, host="127.0.0.1", timeout=30):
        if isinstance(port, str) and port.startswith("http://"):
            hp = port[len("http://"):].rstrip("/")
            host, port = hp.rsplit(":", 1)
        self.host = host
        self.port = int(port)
        self.timeout = timeout
        self.cookies = {}

    def cookie_header(self):
        return "; ".join("%s=%s" % kv for kv in self.cookies.items())

    def request(self, method, path, body=None, headers=None, cookies=True):
        h = {}
        if cookies and self.cookies:
            h["Cookie"] = self.cookie_header()
        if isinstance(body, dict):
            from urllib.parse import urlencode
            body = urlencode(body).encode()
            h["Content-Type"] = "application/x-www-form-urlencoded"
        elif isinstance(body, str):
            body = body.encode()
        h.update(headers or {})
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            for k, v in h.items():
                conn.putheader(k, v)
            if body is not None and not any(k.lower() == "content-length" for k in h):
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            r = conn.getresponse()
            data = r.read()
            resp = Response(r.status, r.reason, r.getheaders(), data)
        finally:
            conn.close()
        for v in resp.header_all("Set-Cookie"):
            nv = v.split(";", 1)[0]
            if "=" in nv:
                k, val = nv.split("=", 1)
                k = k.strip()
                if val == "" or "max-age=0" in v.lower() or "expires=thu, 01 jan 1970" in v.lower():
                    self.cookies.pop(k, None)
                else:
                    self.cookies[k] = val
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, form=None, **kw):
        return self.request("POST", path, body=form if form is not None else {}, **kw)

    def raw(self, data, timeout=None):
        """Sends raw bytes; returns (status or None, raw response bytes)."""
        with socket.create_connection((self.host, self.port), timeout=timeout or self.timeout) as s:
            s.sendall(data)
            chunks = []
            try:
                while True:
                    c = s.recv(65536)
                    if not c:
                        break
                    chunks.append(c)
            except socket.timeout:
                pass
        out = b"".join(chunks)
        status = None
        try:
            status = int(out.split(b" ", 2)[1])
        except (IndexError, ValueError):
            pass
        return status, out


# ---------------------------------------------------------------------------
class Fcgi:
    """A minimal FastCGI client for talking to urna.fcgi's socket directly,
    without a web server: any CGI parameters (a NUL byte in a path, a 100 KB
    query string) and a body that can be sent late (an in-flight request).

        c = Fcgi(app.socket)
        r = c.request({"REQUEST_METHOD": "GET", "REQUEST_URI": "/urna/health"})
        r.status, r.header("Content-Type"), r.body, c.stderr
    """

    def __init__(self, socket_path, timeout=30):
        self.socket_path = socket_path
        self.timeout = timeout
        self.sock = None
        self.stderr = b""

    @staticmethod
    def _record(rtype, content, request_id=1):
        import struct
        out = b""
        # Records carry at most 65535 bytes; an empty one ends a stream.
        chunks = [content[i:i + 65535] for i in range(0, len(content), 65535)] or [b""]
        for c in chunks:
            pad = (8 - len(c) % 8) % 8
            out += struct.pack("!BBHHBx", 1, rtype, request_id, len(c), pad) + c + b"\0" * pad
        return out

    @staticmethod
    def _stdin(data):
        """FCGI_STDIN records for data, without the empty end record."""
        import struct
        out = b""
        for i in range(0, len(data), 65535):
            c = data[i:i + 65535]
            pad = (8 - len(c) % 8) % 8
            out += struct.pack("!BBHHBx", 1, 5, 1, len(c), pad) + c + b"\0" * pad
        return out

    @staticmethod
    def _pairs(params):
        import struct
        out = b""
        for k, v in params.items():
            k = k.encode() if isinstance(k, str) else k
            v = v.encode() if isinstance(v, str) else v
            for n in (len(k), len(v)):
                out += struct.pack("!B", n) if n < 128 else struct.pack("!I", n | 0x80000000)
            out += k + v
        return out

    @staticmethod
    def default_params(method, uri, body=b"", content_type=None):
        path, _, query = uri.partition("?")
        p = {"GATEWAY_INTERFACE": "CGI/1.1", "SERVER_PROTOCOL": "HTTP/1.1",
             "REQUEST_METHOD": method, "REQUEST_URI": uri, "QUERY_STRING": query,
             "SCRIPT_NAME": path, "REMOTE_ADDR": "127.0.0.1", "SERVER_NAME": "localhost",
             "SERVER_PORT": "80", "HTTP_HOST": "localhost",
             "CONTENT_LENGTH": str(len(body)) if body else ""}
        if content_type:
            p["CONTENT_TYPE"] = content_type
        return p

    def begin(self, params, body_now=b"", content_length=None):
        """Sends the request head and the first part of the body; the rest
        follows with finish(). Leaves the request in flight."""
        import struct
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)
        params = dict(params)
        if content_length is not None:
            params["CONTENT_LENGTH"] = str(content_length)
        data = self._record(1, struct.pack("!HB5x", 1, 0))  # RESPONDER, close after
        data += self._record(4, self._pairs(params)) + self._record(4, b"")
        data += self._stdin(body_now)
        self.sock.sendall(data)

    def finish(self, body_rest=b""):
        """Sends the rest of the body and the end of stdin; reads the answer."""
        import struct
        data = self._stdin(body_rest) + struct.pack("!BBHHBx", 1, 5, 1, 0, 0)
        try:
            self.sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # it may have answered already (e.g. 413 without reading)
        out, err = b"", b""
        buf = b""
        ended = False
        try:
            while not ended:
                c = self.sock.recv(65536)
                if not c:
                    break
                buf += c
                while len(buf) >= 8:
                    _, rtype, _, clen, pad = struct.unpack("!BBHHB", buf[:7])
                    if len(buf) < 8 + clen + pad:
                        break
                    content = buf[8:8 + clen]
                    buf = buf[8 + clen + pad:]
                    if rtype == 6:
                        out += content
                    elif rtype == 7:
                        err += content
                    elif rtype == 3:
                        ended = True
                        break
        finally:
            self.sock.close()
            self.sock = None
        self.stderr = err
        return self._parse(out, ended)

    @staticmethod
    def _parse(out, ended):
        head, sep, body = out.partition(b"\r\n\r\n")
        if not sep:
            head, sep, body = out.partition(b"\n\n")
        headers = []
        status, reason = 200, "OK"
        for line in head.decode("latin-1").splitlines():
            if ":" in line:
                k, v = line.split(":", 1)
                headers.append((k.strip(), v.strip()))
                if k.strip().lower() == "status":
                    parts = v.strip().split(" ", 1)
                    status = int(parts[0])
                    reason = parts[1] if len(parts) > 1 else ""
        if not out:
            status, reason = None, "no answer" + ("" if ended else " (connection closed)")
        return Response(status, reason, headers, body)

    def request(self, params, body=b""):
        self.begin(params)
        return self.finish(body)

    def get(self, uri, extra=None):
        p = self.default_params("GET", uri)
        p.update(extra or {})
        return self.request(p)

    def post(self, uri, body, content_type="application/x-www-form-urlencoded", extra=None):
        body = body.encode() if isinstance(body, str) else body
        p = self.default_params("POST", uri, body, content_type)
        p.update(extra or {})
        return self.request(p, body)


# ---------------------------------------------------------------------------
class Checks:
    """Counts checks for t/run-test: at exit writes "P F" to URNA_COUNTS_FILE,
    prints a summary, and on any failure the logs of the watched servers.
    An uncaught exception counts as one failure. Exit status 1 on failure."""

    def __init__(self, name=None):
        self.name = name or os.path.basename(sys.argv[0])
        self.passed = 0
        self.failed = 0
        self.failures = []
        self.servers = []
        self._done = False
        atexit.register(self.done)
        sys.excepthook = self._excepthook

    def watch(self, server):
        """Registers a server whose logs are printed if a check fails."""
        self.servers.append(server)
        return server

    def check(self, name, cond, detail=""):
        if cond:
            self.passed += 1
            print("ok %d - %s" % (self.passed + self.failed, name), flush=True)
        else:
            self.failed += 1
            self.failures.append(name)
            print("not ok %d - %s" % (self.passed + self.failed, name), flush=True)
            if detail != "":
                for line in str(detail).splitlines() or [""]:
                    print("#   " + line)
            sys.stdout.flush()
        return bool(cond)

    def equal(self, name, got, want, detail=""):
        return self.check(name, got == want,
                          "got %r, want %r%s" % (got, want, ("\n" + str(detail)) if detail else ""))

    def section(self, title):
        print("# --- %s" % title, flush=True)

    def require_binaries(self, *names):
        """Skips the whole test (exit 77) if a program is missing."""
        missing = [n for n in names if not (os.path.isabs(n) and os.access(n, os.X_OK))
                   and not (not os.path.isabs(n) and which(n))]
        if missing:
            self.skip("missing: " + ", ".join(missing))

    def skip(self, reason):
        print("SKIP: %s: %s" % (self.name, reason), flush=True)
        self._write_counts()
        self._done = True
        sys.exit(77)

    def _write_counts(self):
        path = os.environ.get("URNA_COUNTS_FILE")
        if path:
            with open(path, "w") as f:
                f.write("%d %d\n" % (self.passed, self.failed))

    def _excepthook(self, etype, value, tb):
        if etype is SystemExit:
            return
        self.failed += 1
        self.failures.append("uncaught %s" % etype.__name__)
        print("not ok %d - uncaught exception" % (self.passed + self.failed))
        for line in "".join(traceback.format_exception(etype, value, tb)).splitlines():
            print("#   " + line)
        sys.stdout.flush()

    def done(self):
        """Writes the counts and prints the summary (and logs on failure).
        Called at exit; calling it earlier is fine."""
        if self._done:
            return
        self._done = True
        if _interrupted:
            self.failed += 1
            self.failures.append("interrupted by signal %d" % _interrupted[0])
        if self.failed:
            _keep_tmp[0] = True
            for s in self.servers:
                print("# ===== logs of %s (%s) =====" % (s.name, s.dir))
                for line in s.logs().splitlines():
                    print("# " + line)
        self._write_counts()
        print("# %s: %d passed, %d failed%s" % (
            self.name, self.passed, self.failed,
            (" (" + "; ".join(self.failures) + ")") if self.failures else ""), flush=True)
        if self.failed:
            # atexit cannot change the exit status; stop everything now and
            # leave with 1 so make check sees the failure.
            stop_all()
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(1)
