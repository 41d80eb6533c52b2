"""A fake GitHub OAuth provider for urna's end-to-end tests.

Speaks the three endpoints urna uses, on 127.0.0.1 and a free port, in a
process of its own that the harness starts, tracks by PID and stops:

    GET  /login/oauth/authorize   302 back to redirect_uri with code + state
                                  (or error=access_denied when denying);
                                  with page=True first a consent page (below)
    POST /login/oauth/access_token  code -> {"access_token": ...}; a wrong,
                                  reused or unknown code -> 200 with
                                  {"error": "bad_verification_code"} (GitHub)
    GET  /user                    Bearer token -> {"login": ...}

Knobs (FakeOAuth.set(...), read from DIR/knobs.json on every request):
    deny=True            the user refuses consent
    login="Alice"        the login /user returns for new codes
    page=True            authorize answers with a consent page, a plain HTML
                         form (no JavaScript needed) where the browser types
                         the login to sign in as (pre-filled with `login`)
                         and chooses Authorize (button.allow) or Cancel
                         (button.deny); it submits back to authorize with
                         decision=allow|deny and login=..., which then
                         redirects as above. For real browsers (browser_test).
    token="ok"|"garbage"|"500"|"slow"     how the token endpoint answers
    user="ok"|"garbage"|"401"             how the user endpoint answers
    slow_seconds=15      how long "slow" sleeps
Being down is FakeOAuth.stop() (the port is then closed); start() again
reuses the port.

    from fake_oauth import FakeOAuth
    fake = t.watch(FakeOAuth(client_id="id", client_secret="secret")).start()
    fake.authorize_url, fake.token_url, fake.user_url

Python 3 standard library only.
"""

import html
import json
import os
import secrets
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, _retry_port, _tcp_connectable, free_port  # noqa: E402


class FakeOAuth(Server):
    name = "fake_oauth"
    comm = "python3"

    def __init__(self, client_id="urna-test", client_secret="urna-test-secret", root=None,
                 port=None):
        super().__init__(root)
        self.client_id = client_id
        self.client_secret = client_secret
        self.port = port or free_port()
        self.knobs_path = os.path.join(self.dir, "knobs.json")
        self.set()

    def set(self, **knobs):
        """Replaces the knobs (unset ones take their defaults)."""
        k = {"deny": False, "login": "Alice", "token": "ok", "user": "ok", "slow_seconds": 15,
             "page": False}
        k.update(knobs)
        tmp = self.knobs_path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(k, f)
        os.replace(tmp, self.knobs_path)
        return self

    def start(self, timeout=30):
        def once():
            self._spawn([sys.executable, os.path.abspath(__file__), "--serve", str(self.port),
                         self.dir, self.client_id, self.client_secret])
            self.wait_ready(lambda: _tcp_connectable(self.port), timeout,
                            "listening on %d" % self.port)
        _retry_port(self, once)
        return self

    @property
    def base(self):
        return "http://127.0.0.1:%d" % self.port

    @property
    def authorize_url(self):
        return self.base + "/login/oauth/authorize"

    @property
    def token_url(self):
        return self.base + "/login/oauth/access_token"

    @property
    def user_url(self):
        return self.base + "/user"

    def requests(self):
        """What the provider was asked, oldest first (DIR/requests.jsonl)."""
        try:
            with open(os.path.join(self.dir, "requests.jsonl")) as f:
                return [json.loads(line) for line in f if line.strip()]
        except OSError:
            return []


# ---------------------------------------------------------------------------
# The server process.
def consent_page(q, login):
    """GitHub's "Authorize application" page, reduced to a form that works
    without JavaScript: the request's parameters ride along as hidden fields."""
    e = html.escape
    hidden = "".join('<input type="hidden" name="%s" value="%s">\n' % (e(k), e(v))
                     for k, v in q.items() if k not in ("decision", "login"))
    return """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Authorize application</title></head>
<body><main class="consent">
<h1>Authorize <span class="client-id">%s</span></h1>
<p>The application wants to know your login (scope <code>%s</code>).</p>
<form method="get" action="/login/oauth/authorize" class="consent-form">
%s<p><label for="login">Sign in as</label>
<input id="login" name="login" value="%s" autocomplete="off"></p>
<p><button type="submit" class="allow" name="decision" value="allow">Authorize</button>
<button type="submit" class="deny" name="decision" value="deny">Cancel</button></p>
</form></main></body></html>
""" % (e(q.get("client_id", "")), e(q.get("scope", "")), hidden, e(login))


def serve(port, directory, client_id, client_secret):
    codes = {}   # code -> login (single use)
    tokens = {}  # access token -> login

    def knobs():
        with open(os.path.join(directory, "knobs.json")) as f:
            return json.load(f)

    def record(entry):
        with open(os.path.join(directory, "requests.jsonl"), "a") as f:
            f.write(json.dumps(entry) + "\n")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            sys.stderr.write("fake_oauth: %s\n" % (fmt % args))

        def send(self, status, body, ctype="application/json", headers=()):
            data = body.encode() if isinstance(body, str) else body
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            q = dict(urllib.parse.parse_qsl(url.query))
            k = knobs()
            if url.path == "/login/oauth/authorize":
                record({"endpoint": "authorize", "query": q})
                back = q.get("redirect_uri", "")
                if q.get("client_id") != client_id or not back:
                    return self.send(404, "unknown application", "text/plain")
                decision = q.get("decision")
                if k.get("page") and decision not in ("allow", "deny"):
                    return self.send(200, consent_page(q, k["login"]), "text/html; charset=utf-8")
                login = (q.get("login") or "").strip() if decision else ""
                if k["deny"] or decision == "deny":
                    extra = {"error": "access_denied",
                             "error_description": "The user has denied your application access."}
                else:
                    code = secrets.token_hex(10)
                    codes[code] = login or k["login"]
                    extra = {"code": code}
                extra["state"] = q.get("state", "")
                sep = "&" if "?" in back else "?"
                return self.send(302, "", "text/plain",
                                 [("Location", back + sep + urllib.parse.urlencode(extra))])
            if url.path == "/user":
                auth = self.headers.get("Authorization", "")
                record({"endpoint": "user", "authorization": auth,
                        "accept": self.headers.get("Accept", "")})
                if k["user"] == "garbage":
                    return self.send(200, "<html>Unicorn!</html>", "text/html")
                tok = auth[len("Bearer "):] if auth.startswith("Bearer ") else None
                if k["user"] == "401" or tok not in tokens:
                    return self.send(401, json.dumps({"message": "Bad credentials"}))
                return self.send(200, json.dumps({"login": tokens[tok], "id": 4242,
                                                  "type": "User"}))
            self.send(404, "not found", "text/plain")

        def do_POST(self):
            url = urllib.parse.urlsplit(self.path)
            n = int(self.headers.get("Content-Length") or 0)
            form = dict(urllib.parse.parse_qsl(self.rfile.read(n).decode()))
            k = knobs()
            if url.path != "/login/oauth/access_token":
                return self.send(404, "not found", "text/plain")
            record({"endpoint": "token", "form_keys": sorted(form),
                    "redirect_uri": form.get("redirect_uri"),
                    "accept": self.headers.get("Accept", "")})
            if k["token"] == "slow":
                time.sleep(float(k["slow_seconds"]))
            if k["token"] == "garbage":
                return self.send(200, "\x00\x01 this is not JSON {{{", "text/plain")
            if k["token"] == "500":
                return self.send(500, "<h1>Internal Server Error</h1>", "text/html")
            if form.get("client_id") != client_id or form.get("client_secret") != client_secret:
                return self.send(200, json.dumps({"error": "incorrect_client_credentials"}))
            login = codes.pop(form.get("code", ""), None)
            if login is None:
                return self.send(200, json.dumps({
                    "error": "bad_verification_code",
                    "error_description": "The code passed is incorrect or expired."}))
            tok = "gho_" + secrets.token_hex(16)
            tokens[tok] = login
            self.send(200, json.dumps({"access_token": tok, "token_type": "bearer",
                                       "scope": "read:user"}))

    ThreadingHTTPServer.allow_reuse_address = True
    httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    httpd.daemon_threads = True
    sys.stderr.write("fake_oauth: listening on 127.0.0.1:%d\n" % port)
    sys.stderr.flush()
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--serve":
        import signal
        signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
        serve(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5])
    else:
        print(__doc__)
        sys.exit(2)
