#!/usr/bin/python3
"""The shipped web-server samples pass urna what it needs.

nginx and Apache, each including conf/nginx/urna.conf or
conf/apache/urna.conf exactly as shipped (placeholders replaced), in front
of a fake FastCGI application (in this process) that records the CGI
variables and body it receives. Independent of urna.fcgi, so a broken
sample is found even when the handler does not build. Skips (77) if nginx or
apache2 is missing.
"""

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
                resp = b"Status: 200 OK\r\nContent-Type: application/json\r\n\r\n" + out
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
servers = [t.watch(Nginx(socket_path=app.path)), t.watch(Apache(socket_path=app.path))]
for s in servers:
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

t.done()
