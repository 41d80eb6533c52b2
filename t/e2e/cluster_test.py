#!/usr/bin/python3
"""urna on a real cluster (issue 11): three MariaDB Galera nodes, two web
hosts, a front nginx balancing between them, 50 concurrent voters, nodes
and hosts killed mid-vote.

Topology (docs/cluster.md), everything started here and stopped by PID:
- a bridge and one network namespace per machine, joined by veth pairs:
  g1, g2, g3 (one mariadbd Galera node each; g1 keeps a ROW binary log),
  w1, w2 (one web host each: its own nginx + urna.fcgi);
- web host A lists the nodes g1,g2,g3 in db_host, web host B g2,g1,g3: each
  uses the first node that is ready;
- a front nginx on 127.0.0.1 balancing between the two web hosts;
- host C, an urna.fcgi + nginx on 127.0.0.1 whose only node is g3 (by its
  unix socket): "urna through the node that is cut off".

Faults, with 50 voters each time:
0. every voter's ballot posted to both hosts at once (two nodes): one is
   cast, the other re-casts it, one ballot each; t/unit/galera_probe forces
   a certification failure at COMMIT and checks the bounded retry;
1. kill -9 node g1 while the 50 re-cast: the service continues on g2 and g3, voters whose
   request failed retry; then every voter has exactly one ballot, ballots =
   voted marks on every node; g1 restarted rejoins (IST/SST) and agrees row
   for row;
2. g3's link cut while the 50 re-cast: g3 goes non-primary; host C answers
   503 (never a page without the "voted" badge, never a half write); the
   front keeps working; g3's link back: it rejoins and agrees;
3. kill -9 web host A (its nginx and urna.fcgi) mid-re-cast: the front
   balances to B; nothing lost or doubled;
4. urna-sync and urna-tally running while node g2 (host B's first) dies:
   each completes or fails cleanly, the next run works.
Every cast is read back through the front ("voted" on the next page,
whichever host serves it) and opened with its passcode. Last, g1's binary
log is decoded (mariadb-binlog -vv) and the three nodes' gcache files (the
Galera write-sets) are searched: logins are there, ballot plaintext is not.

Skips (77) when Galera cannot run here (no provider, not root, no ip netns).
Bounded: about 2-3 minutes on 2 cores.
"""

import html
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlencode

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import harness  # noqa: E402
from harness import (BUILDDIR, GALERA_PROVIDER, Bridge, Checks, GaleraNode, Http,  # noqa: E402
                     Nginx, Server, Urna, csrf_of, free_port, git, insert_sealed_ballots,
                     make_tmpdir, sealed_ballots, which, write, _tcp_connectable)

t = Checks("cluster_test")
T0 = time.monotonic()
SYNC = os.path.join(BUILDDIR, "urna-sync")
TALLY = os.path.join(BUILDDIR, "urna-tally")
t.require_binaries("mariadb-install-db", "mariadbd", "mariadb", "mariadb-binlog", "nginx",
                   "git", "rsync", "ip", os.path.join(BUILDDIR, "urna.fcgi"), SYNC, TALLY)
if not os.path.exists(GALERA_PROVIDER):
    t.skip("no Galera provider at %s (Debian package galera-4)" % GALERA_PROVIDER)
why = Bridge.available()
if why:
    t.skip(why)

N = 50
EID = "club/2026"
CANDS = ["dingo", "numbat", "quokka", "wombat"]
PASSWORD = "urna-cluster-test-pw"


def elapsed():
    return "%.0f s" % (time.monotonic() - T0)


# ---------------------------------------------------------------------------
t.section("three Galera nodes, each in its own network namespace")
net = Bridge()
nodes = []
for i in (1, 2, 3):
    ns, addr = net.add("g%d" % i)
    nodes.append(t.watch(GaleraNode(i, address=addr, netns=ns, binlog=(i == 1))))
for n in nodes:
    n.peers = [m.gcomm for m in nodes]
g1, g2, g3 = nodes
g1.start(bootstrap=True)
g1.sql("CREATE USER 'urna'@'%%' IDENTIFIED BY '%s'; "
       "GRANT ALL PRIVILEGES ON urna_test.* TO 'urna'@'%%';" % PASSWORD)
g2.start()
g3.start()
t.equal("the cluster has 3 nodes, primary", [(n.status("wsrep_cluster_size"),
                                              n.status("wsrep_cluster_status")) for n in nodes],
        [("3", "Primary")] * 3)
print("# cluster up after %s" % elapsed())


def on_all(q):
    return [n.sql(q, database="urna_test").strip() for n in nodes]


# ---------------------------------------------------------------------------
t.section("two web hosts and the front")
# Not in a node's directory: those belong to the mysql user, and libgit2
# refuses a repository owned by another user (safe.directory).
meta_tmp = make_tmpdir("meta")
harness._tmpdirs.append(meta_tmp)
work = os.path.join(meta_tmp, "meta-work")
d = os.path.join(work, "elections", EID)
write(os.path.join(d, "election.yaml"), "name: Club board\nstart_datetime: 2026-01-01 00:00:00\n"
      "end_datetime: 2036-01-01 00:00:00\nelection_officers:\n  - olga\n")
write(os.path.join(d, "voters.yaml"),
      "eligible_voters:\n" + "".join("  - c%03d\n" % i for i in range(N + 10)))
write(os.path.join(d, "election_desc.md"), "Voting on a cluster.\n")
for c in CANDS:
    write(os.path.join(d, "candidate-%s.md" % c), "---\nname: %s\nID: %s\n---\nBio.\n"
          % (c.title(), c))
p = os.path.join(work, "elections", "past", "one")
write(os.path.join(p, "election.yaml"), "name: Past\nstart_datetime: 2020-01-01 00:00:00\n"
      "end_datetime: 2020-02-01 00:00:00\nelection_officers:\n  - olga\n")
write(os.path.join(p, "voters.yaml"), "eligible_voters:\n  - c000\n")
write(os.path.join(p, "election_desc.md"), "Closed.\n")
for c in ("emu", "koala"):  # not the club's: its published results are no secret
    write(os.path.join(p, "candidate-%s.md" % c), "---\nname: %s\nID: %s\n---\nBio.\n"
          % (c.title(), c))
git(work, "init", "-q", "-b", "main")
git(work, "add", "-A")
git(work, "commit", "-q", "-m", "cluster")


def web_host(name, order, socket_only=None, **extra):
    """urna.fcgi (+ the shared secrets of host A) for one host."""
    hosts = socket_only or ",".join(nodes[i - 1].tcp_host for i in order)
    kw = dict(repo_url=work, workers=4, lease_ttl=6, db_host=hosts, db_user="urna",
              db_password=PASSWORD, db_name="urna_test")
    if host_a:
        kw.update(session_key=host_a.settings["session_key"],
                  ballot_key=host_a.ballot_key, key_dir=host_a.key_dir)
    kw.update(extra)
    u = t.watch(Urna(g1, **kw))
    u.name = "urna-" + name
    return u


host_a = None
host_a = web_host("a", (1, 2, 3))
host_b = web_host("b", (2, 1, 3))
# Host C: through g3 only, by its unix socket (reachable while g3's link is down).
host_c = web_host("c", None, socket_only="unix://" + g3.socket, db_user="root", db_password="")
host_a.migrate()
rc, out = host_a.sync(check=False)
t.equal("urna-sync on host A stores the repository through the cluster", rc, 0, out)
front_hosts = []
for u, ns_name in ((host_a, "w1"), (host_b, "w2")):
    ns, addr = net.add(ns_name)
    u.netns = ns
    u.start()
    ngx = t.watch(Nginx(u, listen_host=addr, netns=ns, port=8080))
    ngx.start(timeout=30)
    front_hosts.append((u, ngx))
host_c.start()
ngx_c = t.watch(Nginx(host_c)).start()


class Front(Server):
    """nginx balancing between the web hosts (round robin), as a site's
    load balancer would: a host that refuses connections or answers 502 is
    taken out for a while and the request goes to the other."""

    name = "front"
    comm = "nginx"
    writes_pidfile = True

    def __init__(self, upstreams):
        super().__init__()
        self.port = free_port()
        self.conf = os.path.join(self.dir, "front.conf")
        self.pidfile = os.path.join(self.dir, "nginx.pid")
        self.access_log = os.path.join(self.dir, "access.log")
        self.error_log = os.path.join(self.dir, "error.log")
        self.log_files = [self.log, self.error_log]
        os.makedirs(os.path.join(self.dir, "tmp"), exist_ok=True)
        with open(self.conf, "w") as f:
            f.write("""daemon off;
worker_processes 1;
pid %(dir)s/nginx.pid;
error_log %(dir)s/error.log info;
events { worker_connections 512; }
http {
    access_log %(dir)s/access.log;
    client_body_temp_path %(dir)s/tmp/body;
    proxy_temp_path %(dir)s/tmp/proxy;
    fastcgi_temp_path %(dir)s/tmp/fastcgi;
    uwsgi_temp_path %(dir)s/tmp/uwsgi;
    scgi_temp_path %(dir)s/tmp/scgi;
    log_format up '$request $status $upstream_addr $upstream_status';
    upstream webs {
%(servers)s
    }
    server {
        listen 127.0.0.1:%(port)d;
        access_log %(dir)s/upstream.log up;
        location / {
            proxy_pass http://webs;
            proxy_set_header Host $http_host;
            proxy_next_upstream error timeout http_502;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
        }
    }
}
""" % {"dir": self.dir, "port": self.port,
       "servers": "\n".join("        server %s max_fails=1 fail_timeout=10s;" % u
                            for u in upstreams)})

    def start(self, timeout=30):
        self._spawn([which("nginx"), "-p", self.dir + "/", "-e", self.error_log, "-c", self.conf])
        self.wait_ready(lambda: _tcp_connectable(self.port), timeout, "listening")
        return self

    def upstreams_used(self):
        with open(os.path.join(self.dir, "upstream.log")) as f:
            return Counter(line.split()[-2] for line in f if line.strip())


front = t.watch(Front(["%s:%d" % (n.listen_host, n.port) for _, n in front_hosts])).start()
t.check("both web hosts run in their own namespace",
        all(u.netns and n.netns == u.netns for u, n in front_hosts))
r = Http(front.port).get("/urna/health")
t.check("health through the front", r.status == 200, r)
print("# web hosts up after %s" % elapsed())
t.equal("every table has a primary key (Galera needs one)", g1.sql(
    "SELECT t.table_name FROM information_schema.tables t WHERE t.table_schema = 'urna_test' "
    "AND NOT EXISTS (SELECT 1 FROM information_schema.statistics s WHERE s.table_schema = "
    "t.table_schema AND s.table_name = t.table_name AND s.index_name = 'PRIMARY')").strip(), "")


# ---------------------------------------------------------------------------
def passcode_fields(page):
    pc = re.search(r'name="passcode" id="passcode" value="([^"]*)"', page)
    sig = re.search(r'name="passcode_sig" value="([^"]*)"', page)
    return (html.unescape(pc.group(1)) if pc else "", html.unescape(sig.group(1)) if sig else "")


def ranking(i, wave):
    """Voter i's ranking in a wave: one of the 24 orders of the candidates,
    1 to 4 of them ranked, so that most voters' ballots differ."""
    import itertools
    perms = list(itertools.permutations(CANDS))
    order = perms[(i * 7 + wave * 5) % len(perms)]
    n = 1 + (i + wave) % 4
    return {order[k]: k + 1 for k in range(n)}


def encode(ranks):
    return "&".join("%s=%d" % (c, ranks[c]) for c in sorted(ranks))


VOTE = "/urna/elections/%s/vote" % EID
PAGE = "/urna/elections/%s" % EID
BALLOT = "/urna/elections/%s/ballot" % EID
RETRY = (None, 500, 502, 503, 504)


class Voter:
    def __init__(self, i):
        self.i = i
        self.login = "c%03d" % i
        self.h = Http(front.port, timeout=90)
        for _ in range(20):  # through the front: either host
            try:
                r = self.h.get("/urna/login")
                self.h.post("/urna/login", {"csrf": csrf_of(r.text), "login": self.login})
                if "urna_session" in self.h.cookies:
                    break
            except Exception:
                pass
            time.sleep(0.3)
        self.passcode = self.sig = ""
        self.ranks = None
        self.answers = []
        self.saw_voted = None

    def submit(self, ranks, deadline):
        """Casts (or re-casts) until stored; retries what failed cleanly."""
        self.ranks = ranks
        while time.monotonic() < deadline:
            try:
                page = self.h.get(VOTE)
                if page.status != 200:
                    self.answers.append(page.status)
                    time.sleep(0.3)
                    continue
                if not self.passcode:
                    self.passcode, self.sig = passcode_fields(page.text)
                form = [("csrf", csrf_of(page.text)), ("passcode", self.passcode),
                        ("passcode_sig", self.sig), ("passcode_saved", "yes")]
                form += [("rank/main/%s" % c, str(ranks.get(c, ""))) for c in CANDS]
                r = self.h.request("POST", VOTE, body=urlencode(form).encode(),
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
            except Exception as e:
                self.answers.append(type(e).__name__)
                time.sleep(0.3)
                continue
            # Stored: 303 to the voted page (?changed=1 after a re-cast).
            ok = r.status == 303 and r.header("Location", "").split("?")[0].endswith("/voted")
            self.answers.append(r.status if ok or r.status in RETRY else (r.status, r.text[:300]))
            if ok:
                # The next page, on whichever host and node the front picks.
                try:
                    self.saw_voted = 'data-badge="voted"' in self.h.get(PAGE).text
                except Exception:
                    self.saw_voted = None
                return True
            if r.status not in RETRY:
                return False
            time.sleep(0.3)
        return False

    def view(self):
        for _ in range(10):
            try:
                page = self.h.get(BALLOT)
                r = self.h.request("POST", BALLOT, body=urlencode(
                    [("csrf", csrf_of(page.text)), ("passcode", self.passcode)]).encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
                if r.status == 200:
                    return {a: int(k) for a, k in
                            re.findall(r'data-aid="([^"]+)" data-rank="(\d+)"', r.text)}
            except Exception:
                pass
            time.sleep(0.3)
        return None


def voted_rows(node):
    return int(node.sql("SELECT COUNT(*) FROM voters_voted WHERE election_id = '%s'" % EID,
                        database="urna_test").strip())


def wave(voters, wave_no, fault, when_stored=8, budget=100):
    """All voters submit at once; fault() runs once `when_stored` of them
    are stored, with the others in flight or still to come."""
    deadline = time.monotonic() + budget
    results = {}
    stored = threading.Semaphore(0)
    go = threading.Barrier(len(voters) + 1)

    def run(v):
        go.wait()
        results[v.login] = v.submit(ranking(v.i, wave_no), deadline)
        stored.release()

    threads = [threading.Thread(target=run, args=(v,), daemon=True) for v in voters]
    for th in threads:
        th.start()
    go.wait()
    start = time.monotonic()
    for _ in range(when_stored):
        stored.acquire(timeout=60)
    at = len(results)
    info = fault()
    for th in threads:
        th.join(budget + 30)
    print("# wave %d: the fault came when %d of %d were stored" % (wave_no, at, len(voters)))
    return results, info, time.monotonic() - start


def consistency(what, voters, wave_no, live_nodes):
    """Exactly one ballot per voter, on every live node, the voter's last."""
    counts = [(voted_rows(n), int(n.sql("SELECT COUNT(*) FROM sealed_ballots WHERE "
                                        "election_id = '%s'" % EID, database="urna_test")))
              for n in live_nodes]
    t.equal("%s: on every node, %d voted marks and %d ballots" % (what, N, N), counts,
            [(N, N)] * len(live_nodes))
    dup = live_nodes[0].sql("SELECT login, COUNT(*) FROM voters_voted WHERE election_id = '%s' "
                            "GROUP BY login HAVING COUNT(*) > 1" % EID, database="urna_test")
    t.equal("%s: no voter marked twice" % what, dup.strip(), "")
    opened = Counter(encode(b["main"] and dict(
        (kv.split("=")[0], int(kv.split("=")[1])) for kv in b["main"].split("&")))
        for b, _ in sealed_ballots(live_nodes[0], host_a, EID) if b)
    want = Counter(encode(ranking(v.i, wave_no)) for v in voters)
    t.equal("%s: the ballots, opened with the private key, are exactly the voters' last ones"
            % what, opened, want)


def agree(what, live_nodes):
    tables = [x for x in live_nodes[0].sql("SHOW TABLES", database="urna_test").split()]
    sums = [n.sql("CHECKSUM TABLE " + ", ".join(tables), database="urna_test") for n in live_nodes]
    t.check("%s: the %d nodes agree row for row (CHECKSUM TABLE of all %d tables)"
            % (what, len(live_nodes), len(tables)), len(set(sums)) == 1 and sums[0], sums)


PROBE = os.path.join(BUILDDIR, "t", "unit", "galera_probe")
if os.access(PROBE, os.X_OK):
    r = subprocess.run([PROBE, "--report_level=short"], env=dict(
        os.environ, URNA_GALERA_A=g1.tcp_host, URNA_GALERA_B=g2.tcp_host, URNA_TEST_DB_USER="urna",
        URNA_TEST_DB_PASSWORD=PASSWORD, URNA_TEST_DB_NAME="urna_test"), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, timeout=120)
    t.check("t/unit/galera_probe: a COMMIT refused by certification (a conflicting write on the "
            "other node) is run again once, and given up with the 1213 after the bounded "
            "attempts; sessions read with wsrep_sync_wait = 1", r.returncode == 0 and
            "3 test cases" in r.stdout, r.stdout)
else:
    t.check("t/unit/galera_probe is built (make check builds it)", False, PROBE)

voters = [Voter(i) for i in range(N)]
t.check("%d voters signed in through the front" % N,
        all("urna_session" in v.h.cookies for v in voters))

# ---------------------------------------------------------------------------
t.section("0. every voter casts twice at once, through host A (g1) and host B (g2)")


def cert_conflicts():
    return sum(int(n.status("wsrep_local_cert_failures") or 0) +
               int(n.status("wsrep_local_bf_aborts") or 0) for n in nodes)


def clients_of(node):
    """The addresses urna is connected to `node` from."""
    return set(x.rsplit(":", 1)[0] for x in node.sql(
        "SELECT host FROM information_schema.processlist WHERE user = 'urna'").split())


for u, n in front_hosts:  # a page each, so that every host has connected
    Http(n.port, host=n.listen_host).get("/urna/health")
t.equal("host A works on g1, host B on g2 (the first ready node of each's db_host)",
        (clients_of(g1), clients_of(g2)), ({front_hosts[0][1].listen_host},
                                           {front_hosts[1][1].listen_host}))
conflicts_before = cert_conflicts()
pairs = {}


def twice(v):
    """A double submission on two nodes: the same form (one booth page's
    passcode) posted to both hosts at the same moment."""
    ranks = ranking(v.i, 0)
    v.ranks = ranks
    v.passcode, v.sig = passcode_fields(v.h.get(VOTE).text)
    go = threading.Barrier(2)
    out = []

    def one(ngx):
        h = Http(ngx.port, host=ngx.listen_host, timeout=90)
        h.cookies = dict(v.h.cookies)
        page = h.get(VOTE)
        form = [("csrf", csrf_of(page.text)), ("passcode", v.passcode), ("passcode_sig", v.sig),
                ("passcode_saved", "yes")]
        form += [("rank/main/%s" % c, str(ranks.get(c, ""))) for c in CANDS]
        body = urlencode(form).encode()
        go.wait()
        r = h.request("POST", VOTE, body=body,
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
        where = r.header("Location", "") if r.status == 303 else ""
        out.append("cast" if where.endswith("/voted") else
                   "changed" if where.endswith("/voted?changed=1") else
                   (r.status, r.text[:300]))

    ths = [threading.Thread(target=one, args=(n,)) for _, n in front_hosts]
    for th in ths:
        th.start()
    for th in ths:
        th.join(120)
    pairs[v.login] = sorted(out, key=str)


ths = [threading.Thread(target=twice, args=(v,)) for v in voters]
for th in ths:
    th.start()
for th in ths:
    th.join(180)
conflicts = cert_conflicts() - conflicts_before
print("# 0: answers %s; Galera certification failures + BF aborts: %d"
      % (dict(Counter(tuple(x) for x in pairs.values())), conflicts))
t.check("of every voter's two, one is cast and the other re-casts it (the loser of a "
        "conflict is retried, sees the winner's row and re-casts)",
        all(pairs.get(v.login) == ["cast", "changed"] for v in voters),
        [(k, x) for k, x in pairs.items() if x != ["cast", "changed"]][:5])
# Whether the two land in one certification conflict depends on timing
# (often the second INSERT already sees the first's replicated row and
# fails as a duplicate): both paths end in one ballot. The conflict itself
# is forced below with t/unit/galera_probe.
consistency("after the double submissions", voters, 0, nodes)
agree("after the double submissions", nodes)

# ---------------------------------------------------------------------------
t.section("1. kill -9 node g1 (host A's node) while the %d re-cast" % N)
results, _, took = wave(voters, 1, g1.kill9)
statuses = Counter(a if isinstance(a, (int, str)) else a[0] for v in voters for a in v.answers)
print("# wave 1: %d voters in %.1f s; answers: %s" % (N, took, dict(statuses)))
t.check("every voter's ballot is stored in the end (retrying what failed)",
        all(results.get(v.login) for v in voters),
        [(v.login, v.answers) for v in voters if not results.get(v.login)][:5])
t.check("no answer other than success or a clean failure to retry (no 4xx)",
        all(isinstance(a, (int, str)) for v in voters for a in v.answers),
        [a for v in voters for a in v.answers if not isinstance(a, (int, str))][:3])
deadline = time.monotonic() + 20  # the survivors evict g1 after evs.suspect_timeout
while g2.status("wsrep_cluster_size") != "2" and time.monotonic() < deadline:
    time.sleep(0.2)
t.equal("g2 and g3 stay primary, 2 nodes", [(n.status("wsrep_cluster_size"),
                                             n.status("wsrep_cluster_status")) for n in (g2, g3)],
        [("2", "Primary")] * 2)
consistency("after g1 died", voters, 1, [g2, g3])
t.check("every voter saw 'voted' on the next page (whichever host served it)",
        all(v.saw_voted for v in voters), [v.login for v in voters if not v.saw_voted][:10])
views = {v.login: v.view() for v in voters[:10]}
t.check("the ballots open with the voters' passcodes and are theirs",
        all(views[v.login] == v.ranks for v in voters[:10]), views)
t0 = time.monotonic()
g1.start()
how = "IST" if "IST received" in open(g1.error_log).read() else "SST"
print("# g1 rejoined by %s in %.1f s" % (how, time.monotonic() - t0))
t.check("g1 restarted rejoins the cluster (synced, 3 nodes)",
        g1.synced() and g1.status("wsrep_cluster_size") == "3")
agree("after g1 rejoined", nodes)

# ---------------------------------------------------------------------------
t.section("2. g3's link cut while the %d re-cast" % N)
probe = voters[0]
c_http = Http(ngx_c.port, timeout=60)
c_http.cookies = dict(probe.h.cookies)
r = c_http.get(PAGE)
t.check("before the cut, host C (through g3) shows c000 'voted'",
        r.status == 200 and 'data-badge="voted"' in r.text, r.status)
c_answers = []
late = [Voter(i) for i in range(N, N + 5)]  # they try to vote through host C only


def cut():
    net.cut("g3")
    t_cut = time.monotonic()
    while g3.status("wsrep_cluster_status") == "Primary" and time.monotonic() - t_cut < 30:
        time.sleep(0.1)
    c_answers.append(("non-primary after", round(time.monotonic() - t_cut, 1),
                      g3.status("wsrep_cluster_status")))
    time.sleep(1.2)  # past the snapshot cache's second
    for path in (PAGE, VOTE, "/urna/health"):
        r = c_http.get(path)
        c_answers.append((path, r.status, 'data-badge="voted"' in r.text,
                          "You have not voted" in r.text))
    for v in late:
        h = Http(ngx_c.port, timeout=60)
        h.cookies = dict(v.h.cookies)
        # A valid form (its token from the front; the hosts share session_key).
        form = [("csrf", csrf_of(v.h.get(VOTE).text)),
                ("passcode", "a long enough passcode 1"), ("passcode_saved", "yes"),
                ("rank/main/dingo", "1")]
        r = h.request("POST", VOTE, body=urlencode(form).encode(),
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
        c_answers.append(("cast via C", v.login, r.status))


results, _, took = wave(voters, 2, cut)
print("# wave 2: %.1f s; host C: %s" % (took, c_answers))
t.check("g3 became non-primary", c_answers and c_answers[0][2] == "non-Primary", c_answers)
t.check("host C answers 503 for the election page, the booth and health (no stale state)",
        [a[1] for a in c_answers[1:4]] == [503, 503, 503], c_answers)
t.check("... and never a page without c000's 'voted' badge",
        not any(a[1] == 200 and not a[2] for a in c_answers[1:3]), c_answers)
t.check("casts through host C are refused with 503",
        all(a[2] == 503 for a in c_answers[4:]) and len(c_answers) == 9, c_answers)
t.check("through the front, every voter re-cast", all(results.get(v.login) for v in voters),
        [(v.login, v.answers) for v in voters if not results.get(v.login)][:5])
consistency("during the cut", voters, 2, [g1, g2])
net.mend("g3")
deadline = time.monotonic() + 60
while not g3.synced() and time.monotonic() < deadline:
    time.sleep(0.2)
t.check("g3's link back: it rejoins (synced, 3 nodes)",
        g3.synced() and g3.status("wsrep_cluster_size") == "3")
agree("after g3 rejoined", nodes)
t.equal("the casts tried through the cut node left nothing", g1.sql(
    "SELECT COUNT(*) FROM voters_voted WHERE login IN (%s)" % ",".join(
        "'%s'" % v.login for v in late), database="urna_test").strip(), "0")
time.sleep(1.2)
r = c_http.get(PAGE)
t.check("host C serves again, c000 'voted', without a restart",
        r.status == 200 and 'data-badge="voted"' in r.text, r.status)

# ---------------------------------------------------------------------------
t.section("3. kill -9 web host A while the %d re-cast again" % N)


def kill_host_a():
    for server in front_hosts[0]:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait_exit(10)


results, _, took = wave(voters, 3, kill_host_a)
used = front.upstreams_used()
print("# wave 3: %.1f s; upstreams: %s" % (took, dict(used)))
t.check("web host A is gone", not front_hosts[0][0].running() and not front_hosts[0][1].running())
t.check("every voter re-cast through host B", all(results.get(v.login) for v in voters),
        [(v.login, v.answers) for v in voters if not results.get(v.login)][:5])
consistency("after host A died", voters, 3, nodes)
views = {v.login: v.view() for v in voters[-10:]}
t.check("the last ballots open with the passcodes (through host B)",
        all(views[v.login] == v.ranks for v in voters[-10:]), views)

# ---------------------------------------------------------------------------
t.section("4. urna-sync and urna-tally while node g2 (host B's) dies")
insert_sealed_ballots(g1, host_a, "past/one", [{"main": "emu=1"}, {"main": "koala=1"},
                                              {"main": "emu=1&koala=2"}])


def run_bg(prog, extra=()):
    env = dict(os.environ, URNA_TEST_PAUSE="3")
    return subprocess.Popen([prog, "--config", host_b.config_path] + list(extra), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


ps = [run_bg(SYNC, ["--full"]), run_bg(TALLY)]
time.sleep(1.5)
g2.kill9()
outs = [(p.wait(120), p.stdout.read()) for p in ps]
print("# while g2 died: %s" % outs)
t.check("each completed (exit 0) or failed cleanly (exit 1 with a message), no crash",
        all(rc in (0, 1) and out.strip() for rc, out in outs) and
        not any(x in out for _, out in outs for x in ("terminate called", "Aborted", "what()")),
        outs)
again = []
for prog in (SYNC, TALLY):
    deadline = time.monotonic() + 30
    while True:
        r = subprocess.run([prog, "--config", host_b.config_path], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=60)
        if "holds the" not in r.stdout or time.monotonic() > deadline:
            break
        time.sleep(1)  # a lease left by a run that died expires (lease_ttl)
    again.append((r.returncode, r.stdout))
t.check("the next cron runs of both work on g1/g3", all(rc == 0 for rc, _ in again), again)
t.equal("the closed election is counted once, with its 3 ballots", g1.sql(
    "SELECT COUNT(*), MAX(ballot_count) FROM results WHERE election_id = 'past/one'",
    database="urna_test").strip(), "1\t3")
g2.start()
t.check("g2 rejoins", g2.synced() and g2.status("wsrep_cluster_size") == "3")
agree("at the end", nodes)

# ---------------------------------------------------------------------------
t.section("5. the secret ballot in the cluster: binary log and write-sets")
binlogs = sorted(os.path.join(g1.datadir, f) for f in os.listdir(g1.datadir)
                 if re.match(r"binlog\.\d+$", f))
decoded = subprocess.run([which("mariadb-binlog"), "--no-defaults", "-vv",
                          "--base64-output=DECODE-ROWS"] + binlogs, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT).stdout.decode("utf-8", "replace")
t.check("g1's binary log decodes and holds the voters' marks (the check can see rows)",
        "voters_voted" in decoded and "'c000'" in decoded and "sealed_ballots" in decoded,
        decoded[:2000])
plain = ["urna-ballot-v1"] + sorted({encode(ranking(v.i, w)) for v in voters
                                     for w in (0, 1, 2, 3)})
found = [s for s in plain if s in decoded]
t.equal("no ballot plaintext in it (%d rankings and the plaintext header searched)" % len(plain),
        found, [])
for n in nodes:
    with open(os.path.join(n.datadir, "galera.cache"), "rb") as f:
        cache = f.read()
    t.check("node %d's gcache (Galera write-sets) holds the logins, no ballot plaintext"
            % n.index, b"c000" in cache and not [s for s in plain if s.encode() in cache])
print("# the whole test took %s" % elapsed())
t.done()
