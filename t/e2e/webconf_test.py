#!/usr/bin/python3
"""The shipped web-server samples pass urna what it needs.

nginx and Apache, each including conf/nginx/urna.conf or
conf/apache/urna.conf exactly as shipped (placeholders replaced), in front
of a fake FastCGI application (in this process) that records the CGI
variables and body it receives. Independent of urna.fcgi, so a broken
sample is found even when the handler does not build. Skips (77) if nginx or
apache2 is missing.

Issue 9: with the samples as shipped, a client's own `Authorization: Basic
olga:anything` reaches the application as no URNA_AUTH_USER (nginx's
REMOTE_USER is then "olga", which urna ignores); with the auth block
enabled as the samples say (an htpasswd made here), the right password
passes URNA_AUTH_USER on /urna/login only, a wrong one is 401. The
security headers come once each, also on the servers' own 404/413/502/503
pages, with CSP `form-action 'self'`, and no HSTS over plain HTTP.
"""

import base64
import hashlib

import json
import os
import socket
import struct
import sys
import threading

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Apache, Checks, Http, Nginx, make_tmpdir, _tmpdirs  # noqa: E402

t = Checks("webconf_test")
t.require_binaries("nginx", "apache2")


class FakeApp:
    """A FastCGI responder on a unix socket: answers every request with the
    JSON of its parameters and body."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        os.chmod(path, 0o666)
        self.sock.listen(16)
        self.seen = []
        threading.Thread(target=self.loop, daemon=True).start()

    @staticmethod
    def read_exact(c, n):
        buf = b""
        while len(buf) < n:
            d = c.recv(n - len(buf))
            if not d:
                raise EOFError
            buf += d
        return buf

    @staticmethod
    def pairs(data):
        out, i = {}, 0
        while i < len(data):
            lens = []
            for _ in range(2):
                if data[i] < 128:
                    lens.append(data[i])
                    i += 1
                else:
                    lens.append(struct.unpack("!I", data[i:i + 4])[0] & 0x7fffffff)
                    i += 4
            k = data[i:i + lens[0]].decode("latin-1")
            i += lens[0]
            v = data[i:i + lens[1]].decode("latin-1")
            i += lens[1]
            out[k] = v
        return out

    def loop(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(c,), daemon=True).start()

    def serve(self, c):
        try:
            while True:  # several requests per connection (fastcgi_keep_conn)
                params, body, rid = b"", b"", 1
                while True:
                    h = self.read_exact(c, 8)
                    _, rtype, rid, clen, pad = struct.unpack("!BBHHBx", h)
                    content = self.read_exact(c, clen + pad)[:clen]
                    if rtype == 4:
                        params += content
                    elif rtype == 5:
                        if clen == 0:
                            break
                        body += content
                p = self.pairs(params)
                self.seen.append(p)
                out = json.dumps({"params": p, "body": body.decode("latin-1")}).encode()
                # One security header of its own, as urna sends them all: the
                # web server must not send a second copy.
                resp = (b"Status: 200 OK\r\nContent-Type: application/json\r\n"
                        b"Content-Security-Policy: from-the-app\r\n\r\n" + out)
                data = b""
                for i in range(0, len(resp), 65535):
                    chunk = resp[i:i + 65535]
                    data += struct.pack("!BBHHBx", 1, 6, rid, len(chunk), 0) + chunk
                data += struct.pack("!BBHHBx", 1, 6, rid, 0, 0)
                data += struct.pack("!BBHHBx", 1, 3, rid, 8, 0) + struct.pack("!IB3x", 0, 0)
                c.sendall(data)
        except (EOFError, OSError):
            pass
        finally:
            c.close()


d = make_tmpdir("fakeapp")
_tmpdirs.append(d)
app = FakeApp(os.path.join(d, "app.sock"))
htpasswd = os.path.join(d, "htpasswd")
with open(htpasswd, "w") as f:  # {SHA}: read by both nginx and Apache
    f.write("Ruth:{SHA}%s\n" % base64.b64encode(hashlib.sha1(b"ruth-pw").digest()).decode())
os.chmod(d, 0o755)
os.chmod(htpasswd, 0o644)
servers = [t.watch(Nginx(socket_path=app.path)), t.watch(Apache(socket_path=app.path))]
authed = [t.watch(Nginx(socket_path=app.path, htpasswd=htpasswd)),
          t.watch(Apache(socket_path=app.path, htpasswd=htpasswd))]
for s in servers + authed:
    rc, out = s.check_config()
    t.check("%s accepts the wrapper including the shipped sample" % s.name, rc == 0, out)
    s.start()

for s in servers:
    t.section(s.name)
    c = Http(s.port)
    r = c.request("POST", "/urna/elections/x%2Fy/vote?lang=en&q=%C3%A9",
                  body="a=1&b=%00", headers={"Content-Type": "application/x-www-form-urlencoded",
                                             "Cookie": "urna_session=abc; other=1"})
    ok = r.status == 200 and r.header("Content-Type", "").startswith("application/json")
    t.check("%s passes /urna/... to the FastCGI socket" % s.name, ok, r)
    if not ok:
        continue
    got = json.loads(r.body)
    p, body = got["params"], got["body"]
    want = {
        "REQUEST_METHOD": "POST",
        "REQUEST_URI": "/urna/elections/x%2Fy/vote?lang=en&q=%C3%A9",
        "QUERY_STRING": "lang=en&q=%C3%A9",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": "9",
        "HTTP_COOKIE": "urna_session=abc; other=1",
    }
    for k, v in want.items():
        t.equal("%s passes %s" % (s.name, k), p.get(k), v)
    t.equal("%s passes the body unchanged" % s.name, body, "a=1&b=%00")
    t.check("%s passes REMOTE_ADDR" % s.name, p.get("REMOTE_ADDR") == "127.0.0.1", p)
    t.check("%s does not claim HTTPS over plain HTTP" % s.name,
            p.get("HTTPS", "") in ("", "off"), p.get("HTTPS"))
    t.check("%s passes no REMOTE_USER without authentication" % s.name,
            p.get("REMOTE_USER", "") == "", p.get("REMOTE_USER"))

    r = c.get("/urna/static/urna.css")
    t.check("%s serves /urna/static/ itself" % s.name,
            r.status == 200 and not r.header("Content-Type", "").startswith("application/json"), r)
    r = c.get("/urna/static/no-such-file.css")
    t.check("%s answers 404 for a missing asset without asking urna" % s.name, r.status == 404, r)
    r = c.get("/urna")
    t.check("%s redirects /urna to /urna/" % s.name,
            r.status == 301 and r.header("Location", "").endswith("/urna/"), r)
    r = c.get("/urnax/health")
    t.check("%s leaves /urnax alone" % s.name,
            not r.header("Content-Type", "").startswith("application/json"), r)
    r = c.get("/urna/")
    t.check("%s passes /urna/ itself" % s.name,
            r.status == 200 and json.loads(r.body)["params"].get("REQUEST_URI") == "/urna/", r)

    # Issue 9 §3: the shipped sample authenticates nobody, whatever a client
    # claims in its own Authorization header.
    forged = {"Authorization": "Basic " + base64.b64encode(b"olga:anything").decode()}
    for path in ("/urna/login", "/urna/"):
        r = c.get(path, headers=forged)
        p = json.loads(r.body)["params"] if r.status == 200 else {}
        t.check("%s (as shipped) passes %s with a client's Basic header, and no URNA_AUTH_USER"
                % (s.name, path), r.status == 200 and "URNA_AUTH_USER" not in p, r)
    r = c.get("/urna/login", headers=dict(forged, **{"URNA-AUTH-USER": "olga",
                                                      "URNA_AUTH_USER": "olga"}))
    p = json.loads(r.body)["params"] if r.status == 200 else {}
    t.check("%s: a client's URNA-AUTH-USER header is no URNA_AUTH_USER parameter" % s.name,
            r.status == 200 and "URNA_AUTH_USER" not in p, p)

    # Issue 9 §7: each security header once, the application's where it
    # sent one (Apache) or the sample's in its place (nginx); the same on the
    # server's own error pages.
    def one(r, name):
        v = r.header_all(name)
        return v[0] if len(v) == 1 else v

    r = c.get("/urna/")
    csp = one(r, "Content-Security-Policy")
    if s.name == "nginx":
        t.check("nginx sends its CSP (form-action 'self') instead of the app's, once",
                isinstance(csp, str) and "form-action 'self'" in csp
                and "frame-ancestors 'none'" in csp, r.headers)
    else:
        t.equal("apache keeps the app's own CSP, once", csp, "from-the-app")
    for name, want in (("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff"),
                       ("Referrer-Policy", "same-origin")):
        t.equal("%s adds %s once where the app sent none" % (s.name, name), one(r, name), want)
    t.equal("%s sends no HSTS over plain HTTP" % s.name,
            r.header_all("Strict-Transport-Security"), [])
    own = [("a missing asset", c.get("/urna/static/no-such-file.css"), 404),
           ("the static CSS", c.get("/urna/static/urna.css"), 200)]
    if s.name == "nginx":  # Apache takes 1 GB by default; urna answers 413 itself
        own.append(("a body over client_max_body_size", c.request(
            "POST", "/urna/elections/x/vote", body="a" * (1024 * 1024 + 10),
            headers={"Content-Type": "application/x-www-form-urlencoded"}), 413))
    for what, r, status in own:
        t.check("%s: %s is %d with the security headers once (CSP with form-action)"
                % (s.name, what, status),
                r.status == status and one(r, "X-Frame-Options") == "DENY"
                and one(r, "X-Content-Type-Options") == "nosniff"
                and "form-action 'self'" in str(one(r, "Content-Security-Policy")), r.headers)

for s in authed:
    t.section("%s with the auth = remote_user block enabled" % s.name)
    c = Http(s.port)
    r = c.get("/urna/login")
    t.equal("%s asks for credentials on /urna/login (401)" % s.name, r.status, 401)
    t.check("%s: its 401 page has the security headers once" % s.name,
            r.header_all("X-Frame-Options") == ["DENY"]
            and r.header_all("X-Content-Type-Options") == ["nosniff"]
            and len(r.header_all("Content-Security-Policy")) == 1, r.headers)
    r = c.get("/urna/login", headers={
        "Authorization": "Basic " + base64.b64encode(b"Ruth:wrong").decode()})
    t.equal("%s: a wrong password is 401" % s.name, r.status, 401)
    seen = len(app.seen)
    r = c.get("/urna/login?next=%2Furna%2F", headers={
        "Authorization": "Basic " + base64.b64encode(b"Ruth:ruth-pw").decode()})
    p = json.loads(r.body)["params"] if r.status == 200 else {}
    t.check("%s: the right password passes URNA_AUTH_USER=Ruth on /urna/login" % s.name,
            r.status == 200 and p.get("URNA_AUTH_USER") == "Ruth"
            and p.get("REQUEST_URI") == "/urna/login?next=%2Furna%2F", r)
    t.check("%s: the login location still has the security headers" % s.name,
            r.header_all("X-Frame-Options") == ["DENY"]
            and len(r.header_all("Content-Security-Policy")) == 1, r.headers)
    t.equal("%s: the wrong password never reached the app" % s.name, len(app.seen), seen + 1)
    forged = {"Authorization": "Basic " + base64.b64encode(b"olga:anything").decode()}
    r = c.get("/urna/elections/x", headers=forged)
    p = json.loads(r.body)["params"] if r.status == 200 else {}
    t.check("%s: other routes pass no URNA_AUTH_USER, whatever the client sends" % s.name,
            r.status == 200 and "URNA_AUTH_USER" not in p, r)

# The servers' own pages while the application is down.
app.sock.close()
os.unlink(app.path)
for s in servers:
    r = Http(s.port).get("/urna/elections")
    t.check("%s: its own %d page (application down) has the security headers once"
            % (s.name, r.status), r.status in (502, 503)
            and r.header_all("X-Frame-Options") == ["DENY"]
            and r.header_all("X-Content-Type-Options") == ["nosniff"]
            and len(r.header_all("Content-Security-Policy")) == 1
            and "form-action 'self'" in r.header("Content-Security-Policy", ""), r.headers)

t.done()
