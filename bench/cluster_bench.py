#!/usr/bin/python3
"""Cluster benchmark (issue 11; run by hand as root, not a test).

    bench/cluster_bench.py [--builddir DIR] [--voters 300] [--concurrency 25]
                           [--duration 5]

Three setups, each behind the same front nginx (round robin):
  plain    one MariaDB (unix socket), one web host (nginx + urna.fcgi);
  galera1  three Galera nodes (network namespaces), one web host (node 1);
  galera2  the same cluster, two web hosts (nodes 1 and 2), both balanced.
For each: votes/s (--concurrency threads cast for --voters voters through
the front: booth GET + POST, generated passcodes, so HKDF and not scrypt)
and page requests/s with wrk -t2 -c16 (the election page signed in: one
database read per request for the "voted" badge). Prints a Markdown table.
Everything runs on this machine, so web hosts, nodes, front and load
generator share its cores: read the ratios as what the cluster costs, not
as what more machines would give.
"""

import argparse
import os
import re
import subprocess
import sys
import threading
import time
from urllib.parse import urlencode

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)
ap = argparse.ArgumentParser()
ap.add_argument("--builddir", default=os.environ.get("URNA_BUILDDIR", SRC))
ap.add_argument("--voters", type=int, default=300)
ap.add_argument("--concurrency", type=int, default=25)
ap.add_argument("--duration", type=int, default=5)
args = ap.parse_args()
os.environ.setdefault("URNA_SRCDIR", SRC)
os.environ["URNA_BUILDDIR"] = os.path.abspath(args.builddir)
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(SRC, "t", "lib"))
import harness  # noqa: E402
from harness import (Bridge, GaleraNode, Http, MariaDB, Nginx, Server, Urna,  # noqa: E402
                     _tcp_connectable, csrf_of, free_port, git, make_tmpdir, which, write)

EID = "bench/2026"
CANDS = ["c%02d" % i for i in range(6)]
PASSWORD = "urna-bench-pw"


class Front(Server):
    name = "front"
    comm = "nginx"
    writes_pidfile = True

    def __init__(self, upstreams):
        super().__init__()
        self.port = free_port()
        self.conf = os.path.join(self.dir, "front.conf")
        self.pidfile = os.path.join(self.dir, "nginx.pid")
        os.makedirs(os.path.join(self.dir, "tmp"), exist_ok=True)
        with open(self.conf, "w") as f:
            f.write("""daemon off;
worker_processes 1;
pid %(d)s/nginx.pid;
error_log %(d)s/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path %(d)s/tmp/body;
    proxy_temp_path %(d)s/tmp/proxy;
    fastcgi_temp_path %(d)s/tmp/fastcgi;
    uwsgi_temp_path %(d)s/tmp/uwsgi;
    scgi_temp_path %(d)s/tmp/scgi;
    upstream webs { %(s)s keepalive 32; }
    server {
        listen 127.0.0.1:%(p)d;
        location / {
            proxy_pass http://webs;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
        }
    }
}
""" % {"d": self.dir, "p": self.port, "s": " ".join("server %s;" % u for u in upstreams)})

    def start(self):
        self._spawn([which("nginx"), "-p", self.dir + "/", "-c", self.conf])
        self.wait_ready(lambda: _tcp_connectable(self.port), 30, "listening")
        return self


def repository():
    d = make_tmpdir("meta")
    harness._tmpdirs.append(d)
    work = os.path.join(d, "work")
    e = os.path.join(work, "elections", EID)
    write(os.path.join(e, "election.yaml"), "name: Bench\nstart_datetime: 2026-01-01 00:00:00\n"
          "end_datetime: 2036-01-01 00:00:00\nelection_officers:\n  - olga\n")
    write(os.path.join(e, "voters.yaml"), "eligible_voters:\n" +
          "".join("  - %s\n" % login(i) for i in range(args.voters)))
    write(os.path.join(e, "election_desc.md"), "Bench.\n")
    for c in CANDS:
        write(os.path.join(e, "candidate-%s.md" % c), "---\nname: %s\nID: %s\n---\nx\n" % (c, c))
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "bench")
    return work


def login(i):
    return "v%04d" % i


def votes(front_port):
    """Votes/s through the front: --concurrency threads, --voters voters."""
    todo = list(range(args.voters))
    lock = threading.Lock()
    ok = [0]
    clients = {}
    for i in todo:  # sign in first: only the vote is timed
        h = Http(front_port, timeout=60)
        r = h.get("/urna/login")
        h.post("/urna/login", {"csrf": csrf_of(r.text), "login": login(i)})
        clients[i] = h

    def run():
        while True:
            with lock:
                if not todo:
                    return
                i = todo.pop()
            h = clients[i]
            page = h.get("/urna/elections/%s/vote" % EID).text
            pc = re.search(r'name="passcode" id="passcode" value="([^"]*)"', page).group(1)
            sig = re.search(r'name="passcode_sig" value="([^"]*)"', page).group(1)
            form = [("csrf", csrf_of(page)), ("passcode", pc), ("passcode_sig", sig),
                    ("passcode_saved", "yes")]
            form += [("rank/main/%s" % c, str(k + 1)) for k, c in enumerate(CANDS[:1 + i % 6])]
            r = h.request("POST", "/urna/elections/%s/vote" % EID, body=urlencode(form).encode(),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
            if r.status == 303 and r.header("Location", "").endswith("/voted"):
                with lock:
                    ok[0] += 1

    t0 = time.monotonic()
    ths = [threading.Thread(target=run) for _ in range(args.concurrency)]
    for th in ths:
        th.start()
    for th in ths:
        th.join()
    took = time.monotonic() - t0
    return ok[0], ok[0] / took, clients[0].cookie_header()


def pages(front_port, cookie):
    out = subprocess.run([which("wrk"), "-t2", "-c16", "-d%ds" % args.duration, "-H",
                          "Cookie: " + cookie,
                          "http://127.0.0.1:%d/urna/elections/%s" % (front_port, EID)],
                         stdout=subprocess.PIPE, text=True).stdout
    m = re.search(r"Requests/sec:\s*([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return float(m.group(1)) if m else 0.0, int(non2xx.group(1)) if non2xx else 0


def web(db_host, key_from=None, netns=None, **kw):
    extra = dict(db_host=db_host, workers=4, **kw)
    if key_from:
        extra.update(session_key=key_from.settings["session_key"],
                     ballot_key=key_from.ballot_key, key_dir=key_from.key_dir)
    return extra


def measure(name, front_ports, check_db):
    n, vps, cookie = votes(front_ports)
    rps, bad = pages(front_ports, cookie)
    stored = check_db()
    print("# %s: %d votes stored (%d in the database), %.1f votes/s, %.0f pages/s (%d non-2xx)"
          % (name, n, stored, vps, rps, bad), flush=True)
    return (name, n, stored, vps, rps, bad)


rows = []
work = repository()

# --- plain -------------------------------------------------------------------
db = MariaDB().start()
a = Urna(db, repo_url=work, workers=4)
a.migrate()
a.sync()
a.start()
na = Nginx(a).start()
front = Front(["127.0.0.1:%d" % na.port]).start()
rows.append(measure("one plain MariaDB, one web host", front.port, lambda: int(db.sql(
    "SELECT COUNT(*) FROM voters_voted", database=db.database))))
for s in (front, na, a, db):
    s.stop()

# --- galera ------------------------------------------------------------------
net = Bridge()
nodes = []
for i in (1, 2, 3):
    ns, addr = net.add("g%d" % i)
    nodes.append(GaleraNode(i, address=addr, netns=ns))
for n in nodes:
    n.peers = [m.gcomm for m in nodes]
nodes[0].start(bootstrap=True)
nodes[0].sql("CREATE USER 'urna'@'%%' IDENTIFIED BY '%s'; GRANT ALL PRIVILEGES ON urna_test.* "
             "TO 'urna'@'%%';" % PASSWORD)
nodes[1].start()
nodes[2].start()
cred = dict(db_user="urna", db_password=PASSWORD, db_name="urna_test", repo_url=work)
order = lambda *ix: ",".join(nodes[i].tcp_host for i in ix)  # noqa: E731
hosts = []
ha = Urna(nodes[0], **web(order(0, 1, 2), **cred))
hb = Urna(nodes[0], **web(order(1, 0, 2), key_from=ha, **cred))
ha.migrate()
ha.sync()
for u, nsn in ((ha, "w1"), (hb, "w2")):
    ns, addr = net.add(nsn)
    u.netns = ns
    u.start()
    hosts.append(Nginx(u, listen_host=addr, netns=ns, port=8080).start())


def reset():
    nodes[0].sql("DELETE FROM voters_voted; DELETE FROM sealed_ballots;", database="urna_test")


def count():
    return int(nodes[1].sql("SELECT COUNT(*) FROM voters_voted", database="urna_test"))


front = Front(["%s:8080" % hosts[0].listen_host]).start()
rows.append(measure("3-node Galera, one web host", front.port, count))
front.stop()
reset()
front = Front(["%s:8080" % h.listen_host for h in hosts]).start()
rows.append(measure("3-node Galera, two web hosts", front.port, count))
front.stop()

print("\n| setup | votes/s | pages/s (signed in) | ballots stored |")
print("|---|---|---|---|")
for name, n, stored, vps, rps, bad in rows:
    print("| %s | %.1f | %.0f%s | %d of %d |" % (name, vps, rps,
                                                 " (%d non-2xx)" % bad if bad else "", stored, n))
harness.stop_all()
