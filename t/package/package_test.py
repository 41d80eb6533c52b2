#!/usr/bin/python3
"""The Debian package, tested the way a sysadmin uses it (issue 12 §4).

As root on a Debian 12 machine (CI), from the source tree:
  1. `make dist`, unpack, `dpkg-buildpackage -us -uc -b` (the real build
     with Debian's flags; DEB_BUILD_OPTIONS=nocheck: `make check` ran on
     the tree already) -- or the .deb in URNA_DEB, built before;
  2. lintian: no errors; every warning is one README.md lists and justifies;
  3. `dpkg -i`: the urna user, /etc/urna/urna.conf (0640 root:urna, a fresh
     session_key), /var/lib/urna, the key directory (0700), the files where
     Debian puts them; `systemd-analyze verify` of the installed units;
     installing again (an upgrade) leaves the configuration alone;
  4. the *installed* programs with the *installed* configuration, edited
     for a private MariaDB (a database user of its own): urna-sync
     --migrate and a sync, urna-tally --keygen, urna.fcgi as user urna on
     /run/urna/urna.sock passed the way urna.socket passes it (LISTEN_FDS,
     fd 3, group www-data, 0660), nginx including the *installed* snippet;
     one vote; the installed urna-tally counts it; --forget-key;
  5. `dpkg -r` (configuration kept), `dpkg -P`: nothing of the package is
     left (files, directories, user, systemd links, anything named urna
     under /etc /usr /var /lib /run). Then a purge with a private key
     left: the keys stay, with a message, and the rest goes.
Skips (77) when not root or not on Debian with dpkg-buildpackage.
"""

import glob
import grp
import html
import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from urllib.parse import urlencode

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import harness  # noqa: E402
from harness import (BUILDDIR, SRCDIR, Checks, Http, MariaDB, Nginx, Server, csrf_of,  # noqa: E402
                     git, make_tmpdir, which, write)

t = Checks("package_test")
if os.geteuid() != 0:
    t.skip("needs root (it installs and purges the package)")
t.require_binaries("dpkg", "dpkg-buildpackage", "lintian", "mariadbd", "nginx", "git",
                   "setpriv", "systemd-analyze")
JOBS = os.environ.get("JOBS", "2")
CONF = "/etc/urna/urna.conf"
SOCK = "/run/urna/urna.sock"
SCAN_ROOTS = ["/etc", "/usr", "/var", "/lib", "/run", "/opt", "/srv"]


def run(argv, check=True, env=None, cwd=None, timeout=1800):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       env=env, cwd=cwd, timeout=timeout)
    if check and r.returncode != 0:
        raise RuntimeError("%s: exit %d\n%s" % (" ".join(argv), r.returncode, r.stdout[-4000:]))
    return r.returncode, r.stdout


def as_urna(argv, **kw):
    return run(["setpriv", "--reuid=urna", "--regid=urna", "--init-groups",
                "--reset-env"] + argv, **kw)


def urna_named():
    """Everything named *urna* under the system's directories."""
    found = set()
    for root in SCAN_ROOTS:
        for d, dirs, files in os.walk(root):
            if d.startswith(("/var/tmp", "/var/cache/apt", "/var/lib/dpkg/info")):
                dirs[:] = []
                continue
            for n in dirs + files:
                if "urna" in n:
                    found.add(os.path.join(d, n))
    return found


def mode_owner(path):
    st = os.stat(path)
    return (stat.S_IMODE(st.st_mode), pwd.getpwuid(st.st_uid).pw_name,
            grp.getgrgid(st.st_gid).gr_name)


def conf_set(text, key, value):
    """Sets `key = value` in urna.conf text as an admin would: the line (or
    its commented default) replaced, else appended."""
    pat = re.compile(r"^#?%s = .*$" % re.escape(key), re.M)
    if pat.search(text):
        return pat.sub("%s = %s" % (key, value), text, count=1)
    return text + "%s = %s\n" % (key, value)


if run(["dpkg-query", "-W", "-f=${Status}", "urna"], check=False)[1].startswith("install"):
    t.skip("the urna package is installed already: this test installs and purges it")
try:
    pwd.getpwnam("urna")
    t.skip("a user urna exists already (the test checks that the package makes it)")
except KeyError:
    pass
before = urna_named()

# ---------------------------------------------------------------------------
t.section("build the package")
work = make_tmpdir("package")
harness._tmpdirs.append(work)
deb = os.environ.get("URNA_DEB")
if not deb:
    t0 = time.monotonic()
    run(["make", "-C", BUILDDIR, "dist"], timeout=600)
    tarball = sorted(glob.glob(os.path.join(BUILDDIR, "urna-*.tar.gz")), key=os.path.getmtime)[-1]
    run(["tar", "-C", work, "-xzf", tarball])
    src = glob.glob(os.path.join(work, "urna-*"))[0]
    env = dict(os.environ, DEB_BUILD_OPTIONS="nocheck parallel=%s" % JOBS)
    rc, out = run(["dpkg-buildpackage", "-us", "-uc", "-b"], check=False, env=env, cwd=src)
    t.equal("dpkg-buildpackage -us -uc -b exits 0", rc, 0, out[-4000:])
    print("# package built in %.0f s" % (time.monotonic() - t0), flush=True)
    debs = glob.glob(os.path.join(work, "urna_*.deb"))
    t.equal("one binary package", len(debs), 1, os.listdir(work))
    deb = debs[0]
    changes = glob.glob(os.path.join(work, "urna_*.changes"))
else:
    changes = []
rc, fields = run(["dpkg-deb", "-f", deb, "Depends", "Recommends"])
t.check("Depends from ${shlibs:Depends} (libfcgi, libgit2, libmysqlcppconn ...)",
        all(lib in fields for lib in ("libfcgi", "libgit2", "libmysqlcppconn", "adduser")), fields)
t.check("Recommends: mariadb-server, nginx | apache2",
        "Recommends: mariadb-server, nginx | apache2" in fields, fields)
rc, conffiles = run(["sh", "-c", "dpkg-deb --ctrl-tarfile %s | tar -xO ./conffiles" % deb],
                    check=False)
t.check("urna.conf is not a dpkg conffile (postinst writes its session_key)",
        CONF not in conffiles and "/etc/cron.d/urna" in conffiles, conffiles)

t.section("lintian")
rc, out = run(["lintian", "--no-tag-display-limit"] + (changes or [deb]), check=False,
              timeout=600)
errors = [l for l in out.splitlines() if l.startswith("E:")]
warnings = sorted(set(l.split()[2] for l in out.splitlines() if l.startswith("W:")))
t.equal("lintian: no errors", errors, [], out)
readme = open(os.path.join(SRCDIR, "README.md")).read()
for w in warnings:
    t.check("lintian warning %s is listed and justified in README.md" % w,
            "`%s`" % w in readme, out)
print("# lintian warnings: %s" % (", ".join(warnings) or "none"), flush=True)

# ---------------------------------------------------------------------------
t.section("dpkg -i")
rc, out = run(["dpkg", "-i", deb], check=False)
t.equal("dpkg -i exits 0", rc, 0, out)
files = run(["dpkg", "-L", "urna"])[1].split()
u = pwd.getpwnam("urna")
t.check("a system user urna (uid < 1000, no login shell)",
        u.pw_uid < 1000 and u.pw_shell in ("/usr/sbin/nologin", "/bin/false"), u)
t.equal("/etc/urna/urna.conf: 0640 root:urna", mode_owner(CONF), (0o640, "root", "urna"))
conf_text = open(CONF).read()
m = re.search(r"^session_key = ([0-9a-f]+)$", conf_text, re.M)
t.check("a freshly generated session_key (64 hex digits)", m and len(m.group(1)) == 64,
        conf_text[:3000])
session_key = m.group(1) if m else ""
sample = open("/usr/share/urna/urna.conf.sample").read()
t.equal("the rest is the sample with Debian's paths",
        re.sub(r"^session_key = .*$", "", conf_text, flags=re.M),
        re.sub(r"^session_key = .*$", "", sample, flags=re.M))
t.check("the sample names /usr/share/urna", "templates_dir = /usr/share/urna/templates" in sample
        and "sql_dir = /usr/share/urna/sql" in sample)
t.equal("/var/lib/urna owned by urna", mode_owner("/var/lib/urna")[1:], ("urna", "urna"))
t.equal("the key directory: 0700 urna", mode_owner("/var/lib/urna/keys"), (0o700, "urna", "urna"))
for p in ("/usr/bin/urna.fcgi", "/usr/bin/urna-sync", "/usr/bin/urna-tally", "/usr/bin/urna-import",
          "/usr/share/urna/templates", "/usr/share/urna/static", "/usr/share/urna/sql",
          "/usr/share/doc/urna/examples/nginx/urna.conf",
          "/usr/share/doc/urna/examples/apache/urna.conf",
          "/usr/share/doc/urna/examples/urna.conf.sample",
          "/usr/share/man/man8/urna.fcgi.8.gz", "/usr/share/man/man8/urna-sync.8.gz",
          "/usr/share/man/man1/urna-tally.1.gz", "/usr/share/man/man1/urna-import.1.gz",
          "/usr/share/man/man5/urna.conf.5.gz", "/etc/cron.d/urna",
          "/usr/share/locale/es/LC_MESSAGES/urna.mo",
          "/lib/systemd/system/urna.socket", "/lib/systemd/system/urna.service",
          "/lib/systemd/system/urna-sync.timer", "/lib/systemd/system/urna-tally.timer"):
    t.check("installed: " + p, os.path.exists(p))
fcgid = open("/usr/share/doc/urna/examples/apache/urna-fcgid.conf").read()
t.check("the mod_fcgid sample runs /usr/bin/urna.fcgi",
        'FcgidWrapper "/usr/bin/urna.fcgi --config /etc/urna/urna.conf" virtual' in fcgid)
snippet = open("/usr/share/doc/urna/examples/nginx/urna.conf").read()
t.check("the installed nginx snippet serves /usr/share/urna/static",
        "alias /usr/share/urna/static/;" in snippet)
t.check("no /usr/local path in the package's units, samples, cron file",
        not any("/usr/local" in open(p, errors="replace").read() for p in files
                if os.path.isfile(p) and (p.startswith(("/lib/systemd", "/etc"))
                                          or "/examples/" in p or p.endswith(".sample"))))
svc = open("/lib/systemd/system/urna.service").read()
t.check("urna.service runs /usr/bin/urna.fcgi --config /etc/urna/urna.conf",
        "ExecStart=/usr/bin/urna.fcgi --config /etc/urna/urna.conf" in svc)
t.check("urna.socket and the timers enabled (deb-systemd-helper links)",
        os.path.islink("/etc/systemd/system/sockets.target.wants/urna.socket") and
        os.path.islink("/etc/systemd/system/timers.target.wants/urna-sync.timer") and
        os.path.islink("/etc/systemd/system/timers.target.wants/urna-tally.timer"))
units = ["/lib/systemd/system/" + u for u in ("urna.socket", "urna.service", "urna-sync.service",
                                              "urna-sync.timer", "urna-tally.service",
                                              "urna-tally.timer")]
rc, out = run(["systemd-analyze", "verify", "--man=no"] + units, check=False,
              env=dict(os.environ, SYSTEMD_LOG_LEVEL="notice"))
t.equal("systemd-analyze verify of the installed units", (rc, out.strip()), (0, ""))
rc, out = run(["man", "-w", "urna.conf"], check=False)
t.equal("man -w urna.conf finds the page", out.strip(), "/usr/share/man/man5/urna.conf.5.gz")

t.section("an upgrade (dpkg -i again) keeps the configuration")
with open(CONF, "a") as f:
    f.write("# edited by the admin\n")
mtime = os.stat(CONF).st_mtime
rc, out = run(["dpkg", "-i", deb], check=False)
t.equal("dpkg -i again exits 0", rc, 0, out)
t.check("urna.conf untouched (the admin's edit, the same session_key)",
        open(CONF).read().endswith("# edited by the admin\n") and os.stat(CONF).st_mtime == mtime
        and ("session_key = " + session_key) in open(CONF).read())
t.equal("still 0640 root:urna", mode_owner(CONF), (0o640, "root", "urna"))

# ---------------------------------------------------------------------------
t.section("the installed programs with the installed configuration")
db = t.watch(MariaDB()).start()
db_password = os.urandom(12).hex()
db.sql("CREATE USER 'urna'@'localhost' IDENTIFIED BY '%s';"
       "GRANT ALL ON `%s`.* TO 'urna'@'localhost';" % (db_password, db.database))
repo = os.path.join(db.dir, "elections-repo")
CLOSING_IN = 40
end = time.gmtime(time.time() + CLOSING_IN)
write(os.path.join(repo, "elections", "pkg", "closing", "election.yaml"), """name: Package Test
organization: pkg
start_datetime: 2026-01-01 00:00:00
end_datetime: %s
no_winners: 1
election_officers:
  - olga
""" % time.strftime("%Y-%m-%d %H:%M:%S", end))
write(os.path.join(repo, "elections", "pkg", "closing", "election_desc.md"), "A test.\n")
write(os.path.join(repo, "elections", "pkg", "closing", "voters.yaml"),
      "eligible_voters:\n  - alice\n")
for cid, name in (("ann", "Ann"), ("ben", "Ben")):
    write(os.path.join(repo, "elections", "pkg", "closing", "candidate-%s.md" % cid),
          "-------\nname: %s\nID: %s\n-------\n\nStatement.\n" % (name, cid))
git(repo, "init", "-q", "-b", "main")
git(repo, "add", "-A")
git(repo, "commit", "-q", "-m", "one election")
run(["chown", "-R", "urna:urna", repo])

rc, out = as_urna(["/usr/bin/urna-tally", "--keygen", "--config", CONF], check=False)
t.equal("urna-tally --keygen as urna, with the installed config", rc, 0, out)
key = re.search(r"^ballot_key: (x25519:\S+)$", out, re.M)
keyfiles = os.listdir("/var/lib/urna/keys")
t.check("the private key is in /var/lib/urna/keys, 0600 urna",
        len(keyfiles) == 1 and mode_owner("/var/lib/urna/keys/" + keyfiles[0]) ==
        (0o600, "urna", "urna"), keyfiles)
text = open(CONF).read()
for k, v in (("auth", "demo"), ("db_host", db.host), ("db_user", "urna"),
             ("db_password", db_password), ("db_name", db.database), ("repo_url", repo),
             ("ballot_key", key.group(1) if key else ""), ("count_margin", "0"),
             ("base_url", "http://127.0.0.1")):
    text = conf_set(text, k, v)
with open(CONF, "w") as f:
    f.write(text)
rc, out = as_urna(["/usr/bin/urna-sync", "--config", CONF, "--migrate"], check=False)
t.equal("urna-sync --migrate (the installed SQL)", rc, 0, out)
rc, out = as_urna(["/usr/bin/urna-sync", "--config", CONF], check=False)
t.equal("urna-sync: the repository into /var/lib/urna/meta", rc, 0, out)

# /run/urna/urna.sock as urna.socket makes it: root:www-data 0660, fd 3.
os.makedirs("/run/urna", exist_ok=True)
if os.path.exists(SOCK):
    os.unlink(SOCK)
lsock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
lsock.bind(SOCK)
os.chown(SOCK, 0, grp.getgrnam("www-data").gr_gid)
os.chmod(SOCK, 0o660)
lsock.listen(64)


class InstalledUrna(Server):
    name = "urna"
    comm = "urna"


app = t.watch(InstalledUrna())
log = open(app.log, "ab")
app.proc = subprocess.Popen(
    ["setpriv", "--reuid=urna", "--regid=urna", "--init-groups", "/bin/sh", "-c",
     'LISTEN_PID=$$ LISTEN_FDS=1; export LISTEN_PID LISTEN_FDS; exec "$@"', "sh",
     "/usr/bin/urna.fcgi", "--config", CONF],
    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd="/",
    start_new_session=True, pass_fds=(3,), preexec_fn=lambda: os.dup2(lsock.fileno(), 3))
log.close()
harness._live.append(app)
web = t.watch(Nginx(socket_path=SOCK, sample="/usr/share/doc/urna/examples/nginx/urna.conf",
                    static_dir="/usr/share/urna/static"))
web.start()
h = Http(web.port)
app.wait_ready(lambda: h.get("/urna/health").status == 200, 30, "healthy through nginx")
t.equal("health through nginx and the installed snippet", h.get("/urna/health").status, 200)
r = h.get("/urna/static/urna.css")
t.equal("static files from /usr/share/urna/static", r.status, 200, r)
t.equal("static file is the installed one", r.body,
        open("/usr/share/urna/static/urna.css", "rb").read())
t.check("urna.fcgi runs as urna", pwd.getpwuid(os.stat("/proc/%d" % app.proc.pid).st_uid).pw_name
        == "urna")

t.section("one vote")
r = h.get("/urna/login?next=/urna/")
h.post("/urna/login", {"csrf": csrf_of(r.text), "login": "alice"})
EID = "pkg/closing"
page = h.get("/urna/elections/%s/vote" % EID).text
form = [("csrf", csrf_of(page))]
for f in re.findall(r'<select name="(rank/[^"]+)"', page):
    form.append((html.unescape(f), "1" if f.endswith("/ann") else "2"))
pc = re.search(r'name="passcode" id="passcode" value="([^"]*)"', page)
form.append(("passcode", html.unescape(pc.group(1)) if pc else ""))
for name in ("passcode_sig", "submission"):
    m = re.search(r'name="%s" value="([^"]*)"' % name, page)
    if m:
        form.append((name, html.unescape(m.group(1))))
form.append(("passcode_saved", "yes"))  # "I have written this passcode down"
r = h.request("POST", "/urna/elections/%s/vote" % EID, body=urlencode(form).encode(),
              headers={"Content-Type": "application/x-www-form-urlencoded"})
t.check("the vote is accepted (303 to the voted page)",
        r.status == 303 and "/voted" in (r.header("Location") or ""), r)
n = db.sql("SELECT COUNT(*) FROM sealed_ballots WHERE election_id = '%s'" % EID,
           database=db.database).strip()
t.equal("one sealed ballot stored", n, "1")

t.section("the installed urna-tally")
wait = time.mktime(end) - time.mktime(time.gmtime()) + 2
if wait > 0:
    time.sleep(wait)
rc, out = as_urna(["/usr/bin/urna-tally", "--config", CONF], check=False)
t.equal("urna-tally exits 0", rc, 0, out)
t.check("urna-tally counted the election's one ballot", "pkg/closing: tallied 1 ballots" in out, out)
r = h.get("/urna/elections/%s/results" % EID)
t.check("the results page shows Ann winning", r.status == 200 and "Ann" in r.text, r)
rc, out = as_urna(["/usr/bin/urna-tally", "--forget-key", EID, "--config", CONF], check=False)
t.equal("urna-tally --forget-key after the count", rc, 0, out)
t.equal("the key directory is empty", os.listdir("/var/lib/urna/keys"), [])
app.send_signal(signal.SIGTERM)
t.equal("SIGTERM: urna.fcgi exits 0", app.wait_exit(30), 0)
t.check("the socket stays for the next start (systemd's)", os.path.exists(SOCK))
web.stop()
db.stop()
lsock.close()
os.unlink(SOCK)
os.rmdir("/run/urna")

# ---------------------------------------------------------------------------
t.section("dpkg -r, dpkg -P")
rc, out = run(["dpkg", "-r", "urna"], check=False)
t.equal("dpkg -r exits 0", rc, 0, out)
t.check("the programs are gone", not any(os.path.exists(p) for p in files if p.startswith("/usr/bin/")))
t.check("the configuration and the user stay until the purge",
        os.path.exists(CONF) and pwd.getpwnam("urna"))
rc, out = run(["dpkg", "-P", "urna"], check=False)
t.equal("dpkg -P exits 0", rc, 0, out)
left = [p for p in files if os.path.exists(p) and not os.path.isdir(p)]
t.equal("no file of the package left", left, [])
for p in ("/etc/urna", "/var/lib/urna", "/usr/share/urna", "/usr/share/doc/urna"):
    t.check("gone: " + p, not os.path.exists(p))
t.check("no user urna", not any(e.pw_name == "urna" for e in pwd.getpwall()))
t.check("no group urna", not any(e.gr_name == "urna" for e in grp.getgrall()))
after = urna_named()
t.equal("nothing named urna under %s that was not there before" % " ".join(SCAN_ROOTS),
        sorted(after - before), [])
t.equal("dpkg knows nothing of urna", run(["dpkg-query", "-W", "urna"], check=False)[0], 1)

t.section("a purge with a private key left keeps the keys")
run(["dpkg", "-i", deb])
with open("/var/lib/urna/keys/0123.key", "w") as f:
    f.write("x25519-private: test\n")
rc, out = run(["dpkg", "-P", "urna"], check=False)
t.equal("dpkg -P exits 0", rc, 0, out)
t.check("it says the keys are kept", "still holds private ballot keys; it is kept" in out, out)
t.check("the key is still there", os.path.exists("/var/lib/urna/keys/0123.key"))
t.check("the configuration is gone", not os.path.exists("/etc/urna"))
t.check("the user stays (it owns the keys)", any(e.pw_name == "urna" for e in pwd.getpwall()))
# What the message tells the admin to do, by hand:
shutil.rmtree("/var/lib/urna")
run(["deluser", "--system", "--quiet", "urna"], check=False)
run(["delgroup", "--system", "--quiet", "urna"], check=False)
t.equal("after removing the keys by hand: nothing named urna left",
        sorted(urna_named() - before), [])
t.done()
