#!/usr/bin/python3
"""End-to-end checks of signing in and out (issue 5) against real servers.

A private MariaDB, urna.fcgi behind nginx (the shipped sample), a metadata
repository built while the test runs and synced by urna-sync, and a fake
GitHub OAuth provider (t/lib/fake_oauth.py). Checks, through the browser's
side of the flow (a cookie-keeping client that follows redirects by hand):

- GitHub mode: a successful sign-in (authorize parameters, lower-cased
  login, back to `next`, no token or secret in urna's log); refused with a
  clear 400/502 page and no session: a state mismatch, a callback from
  another browser, denied consent, a bad code, the token endpoint down /
  slow (timeout) / answering garbage / 500, the user endpoint failing;
  open-redirect attempts in `next` land on urna's home page;
- sessions: an expired (validly signed) cookie and a tampered one are
  anonymous; logout without its form token is 403, with it clears the
  cookie; after logout (issue 9) the saved cookie and token are refused
  (a vote POST 403 and nothing stored, the booth and the officers' page
  send to sign-in), in every browser of that login; signing in again works;
- replays (issue 9): a used `urna_login` cookie with its state and another
  code is refused before the provider is asked; a used demo form token too;
- demo mode: the example voters to pick, the banner on every page, the form
  token required; who is who, in Spanish too;
- with Accept-Language: es, the refused sign-ins' pages (denied consent, a
  bad or missing code, a provider error, a provider answering garbage) say
  why in Spanish, with no English left;
- remote_user mode (issue 9): the shipped nginx and Apache samples as they
  are sign nobody in, whatever Basic header a client sends (urna trusts
  only URNA_AUTH_USER, never REMOTE_USER), and the refusal is logged; with
  their auth block enabled as the docs say (an htpasswd made here): the
  right password signs in as that user, a wrong one is 401, a Basic
  header elsewhere signs nobody in;
- urna's security headers (through Apache) equal conf/nginx/urna.conf's.

Skips (77) only if a server program or a binary is missing.
"""

import base64
import hashlib
import hmac
import html
import http.client
import os
import re
import shutil
import ssl
import subprocess
import sys
import time
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import (BUILDDIR, Apache, Checks, Http, MariaDB, Nginx, Urna,  # noqa: E402
                     csrf_of, free_port, git)
from fake_oauth import FakeOAuth  # noqa: E402

t = Checks("login_test")
t.require_binaries("mariadb-install-db", "mariadbd", "mariadb", "nginx", "apache2", "openssl",
                   "git", os.path.join(BUILDDIR, "urna.fcgi"), os.path.join(BUILDDIR, "urna-sync"))

CLIENT_ID, CLIENT_SECRET = "urna-e2e-client", "e2e-secret-" + os.urandom(6).hex()


def utc(offset_days):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(time.time() + offset_days * 86400))


def make_repo(base):
    """A one-election metadata repository (a bare origin urna-sync pulls)."""
    work = os.path.join(base, "meta-work")
    d = os.path.join(work, "elections", "board", "2026")
    os.makedirs(d)
    with open(os.path.join(d, "election.yaml"), "w") as f:
        f.write("name: Board 2026\norganization: E2E\nstart_datetime: %s\nend_datetime: %s\n"
                "no_winners: 1\nelection_officers:\n  - olga\n" % (utc(-1), utc(30)))
    with open(os.path.join(d, "voters.yaml"), "w") as f:
        f.write("eligible_voters:\n  - alice\n  - Bob\n")
    with open(os.path.join(d, "election_desc.md"), "w") as f:
        f.write("The board.\n")
    with open(os.path.join(d, "candidate-cand.md"), "w") as f:
        f.write("-------\nname: Cand\nID: cand\n-------\nHello.\n")
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "fixture")
    origin = os.path.join(base, "origin.git")
    subprocess.run(["git", "clone", "-q", "--bare", work, origin], check=True)
    return origin


def location(r):
    return r.header("Location") or ""


def path_of(url):
    """The path and query of an absolute URL (what the browser would request)."""
    u = urllib.parse.urlsplit(url)
    return u.path + ("?" + u.query if u.query else "")


def no_session(client):
    return "urna_session" not in client.cookies


def signed_in_as(client, login):
    r = client.get("/urna/")
    return r.status == 200 and ("Signed in as <strong>%s</strong>" % login) in r.text


def anonymous(client, cookie_header=None):
    r = client.get("/urna/", headers={"Cookie": cookie_header} if cookie_header else None,
                   cookies=cookie_header is None)
    return r.status == 200 and "Signed in as" not in r.text and ">Sign in<" in r.text


def start_login(client, next_path=None):
    """GET /urna/login: returns (response, the authorize URL's query)."""
    path = "/urna/login" + ("?next=" + urllib.parse.quote(next_path, safe="") if next_path else "")
    r = client.get(path)
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location(r)).query))
    return r, q


def consent(auth_url):
    """The provider's authorize page: returns the callback path it sends back to."""
    u = urllib.parse.urlsplit(auth_url)
    r = Http(u.port).get(u.path + "?" + u.query)
    return path_of(location(r)) if r.status == 302 else None


def full_login(client, next_path=None):
    r, q = start_login(client, next_path)
    cb = consent(location(r))
    return client.get(cb) if cb else None


def log_text():
    with open(app.log, errors="replace") as f:
        return f.read()


# ---------------------------------------------------------------------------
db = t.watch(MariaDB())
db.start()
origin = make_repo(db.dir)
fake = t.watch(FakeOAuth(CLIENT_ID, CLIENT_SECRET))
fake.start()
app = t.watch(Urna(db, workers=2, auth="github", repo_url=origin, repo_branch="main",
                   oauth_client_id=CLIENT_ID, oauth_client_secret=CLIENT_SECRET,
                   oauth_authorize_url=fake.authorize_url,
                   oauth_token_url=fake.token_url, oauth_user_url=fake.user_url))
ngx = t.watch(Nginx(app))
app.settings["base_url"] = "http://127.0.0.1:%d" % ngx.port
app.write_config()
app.migrate()
rc, out = app.sync(check=False)
t.equal("urna-sync stores the fixture", rc, 0, out[-2000:])
app.start()
ngx.start()

# ---------------------------------------------------------------------------
t.section("GitHub OAuth: a successful sign-in")
web = Http(ngx.port)
r, q = start_login(web, "/urna/elections/board/2026")
t.equal("GET /urna/login redirects (303)", r.status, 303, r)
t.check("to the configured authorize URL", location(r).startswith(fake.authorize_url + "?"),
        location(r))
t.equal("with the client id", q.get("client_id"), CLIENT_ID)
t.equal("with the callback as redirect_uri", q.get("redirect_uri"),
        "http://127.0.0.1:%d/urna/oauth/callback" % ngx.port)
t.equal("with the scope", q.get("scope"), "read:user")
t.check("with a random state", re.fullmatch(r"[0-9a-f]{32}", q.get("state", "")), q)
t.check("the state is bound to the browser by an HttpOnly cookie",
        "urna_login" in web.cookies and any("HttpOnly" in c for c in r.header_all("Set-Cookie")),
        r.headers)
t.check("no session yet", no_session(web), web.cookies)
cb = consent(location(r))
t.check("the provider sends the browser back with a code", cb and "code=" in cb, cb)
r = web.get(cb)
t.equal("the callback redirects (303)", r.status, 303, r)
t.equal("back to `next`", location(r), "/urna/elections/board/2026")
t.check("with a session cookie (HttpOnly, SameSite=Lax, Path=/urna/)",
        any(c.startswith("urna_session=") and "HttpOnly" in c and "SameSite=Lax" in c
            and "Path=/urna/" in c for c in r.header_all("Set-Cookie")), r.headers)
t.check("the sign-in cookie is spent", "urna_login" not in web.cookies, web.cookies)
t.check("signed in as the lower-cased login", signed_in_as(web, "alice"))
r = web.get("/urna/elections/board/2026")
t.check("the election page knows the voter", "you are on the voter list" in r.text, r)
reqs = fake.requests()
tok = [x for x in reqs if x["endpoint"] == "token"]
usr = [x for x in reqs if x["endpoint"] == "user"]
t.check("the code was exchanged with Accept: application/json and the client secret",
        tok and tok[-1]["accept"] == "application/json" and "client_secret" in tok[-1]["form_keys"],
        tok)
t.check("the user endpoint got the token as a Bearer token",
        usr and usr[-1]["authorization"].startswith("Bearer gho_"), usr)
token_used = usr[-1]["authorization"][len("Bearer "):] if usr else "none"
logged = log_text()
t.check("urna's log holds neither the access token nor the client secret nor the code",
        token_used not in logged and CLIENT_SECRET not in logged
        and cb.split("code=")[1].split("&")[0] not in logged, "")
r = web.get("/urna/login?next=%2Furna%2Felections%2Fboard%2F2026")
t.check("GET /login when signed in goes straight to `next`",
        r.status == 303 and location(r) == "/urna/elections/board/2026", r)

# ---------------------------------------------------------------------------
t.section("GitHub OAuth: refused sign-ins, each a clear page and no session")


def refused(what, resp, status, text):
    t.equal("%s: status %d" % (what, status), resp.status, status, resp)
    t.check("%s: a page that says why" % what,
            text in resp.text and resp.header("Content-Type", "").startswith("text/html"),
            resp.text[:3000])
    leaked = any(s in resp.text for s in ("what():", "std::", "gho_", CLIENT_SECRET))
    t.check("%s: nothing internal or secret on the page" % what, not leaked, resp.text[:2000])


b = Http(ngx.port)
r, q = start_login(b)
cb = consent(location(r))
bad_state = re.sub(r"state=[0-9a-f]+", "state=" + "0" * 32, cb)
resp = b.get(bad_state)
refused("state mismatch", resp, 400, "did not start in this browser")
t.check("state mismatch: no session", no_session(b), b.cookies)

other = Http(ngx.port)  # another browser: no sign-in cookie
b = Http(ngx.port)
r, q = start_login(b)
cb = consent(location(r))
resp = other.get(cb)
refused("callback in another browser", resp, 400, "did not start in this browser")
t.check("callback in another browser: no session", no_session(other), other.cookies)
logged = log_text()
t.check("urna's log names both refused callbacks with the client's address (issue 9)",
        "from 127.0.0.1: sign-in refused: (github, 400) state mismatch" in logged
        and "from 127.0.0.1: sign-in refused: (github, 400) no valid sign-in cookie" in logged,
        logged[-3000:])

fake.set(deny=True)
b = Http(ngx.port)
r, q = start_login(b, "/urna/elections/steering/2026")
cb = consent(location(r))
t.check("the provider reports the refusal", cb and "error=access_denied" in cb, cb)
resp = b.get(cb)
refused("denied consent", resp, 400, "did not allow urna")
t.check("denied consent: no session", no_session(b), b.cookies)
t.check("denied consent: signing in again returns to where the visitor started",
        'href="/urna/login?next=%2Furna%2Felections%2Fsteering%2F2026"' in resp.text,
        resp.text[:2000])
fake.set()

b = Http(ngx.port)
r, q = start_login(b)
resp = b.get("/urna/oauth/callback?code=not-a-real-code&state=" + q["state"])
refused("a bad code", resp, 400, "code was not accepted")
t.check("a bad code: no session", no_session(b), b.cookies)

b = Http(ngx.port)
r, q = start_login(b)
cb = consent(location(r))
b.get(cb)
b2 = Http(ngx.port)
r, q2 = start_login(b2)
resp = b2.get(re.sub(r"state=[0-9a-f]+", "state=" + q2["state"], cb))
refused("a code used twice", resp, 400, "code was not accepted")

for knob, what in (({"token": "garbage"}, "token endpoint answers garbage"),
                   ({"token": "500"}, "token endpoint answers 500"),
                   ({"user": "401"}, "user endpoint refuses the token"),
                   ({"user": "garbage"}, "user endpoint answers garbage")):
    fake.set(**knob)
    b = Http(ngx.port)
    r = full_login(b)
    refused(what, r, 502, "could not be reached")
    t.check("%s: no session" % what, no_session(b), b.cookies)
fake.set()

b = Http(ngx.port)
r, q = start_login(b)
cb = consent(location(r))
fake.stop()  # the provider is down: its port is closed
t0 = time.monotonic()
resp = b.get(cb)
refused("token endpoint down", resp, 502, "could not be reached")
t.check("token endpoint down: no session", no_session(b), b.cookies)
fake.start()

# In Spanish (Accept-Language: es): the same refusals, each message translated.
ES = {"Accept-Language": "es-ES,es;q=0.9"}


def refused_es(what, resp, status, spanish, english):
    t.equal("%s (es): status %d" % (what, status), resp.status, status, resp)
    t.check("%s (es): a Spanish page that says why" % what,
            '<html lang="es">' in resp.text and spanish in resp.text
            and ">Volver a iniciar sesión</a>" in resp.text, resp.text[:3000])
    t.check("%s (es): no English left" % what,
            english not in resp.text and "Sign in again" not in resp.text, resp.text[:3000])


fake.set(deny=True)
b = Http(ngx.port)
r, q = start_login(b)
refused_es("denied consent", b.get(consent(location(r)), headers=ES), 400,
           "No has permitido que urna lea el nombre de tu cuenta, así que no has iniciado "
           "sesión.", "did not allow urna")
fake.set()
b = Http(ngx.port)
r, q = start_login(b)
refused_es("a bad code", b.get("/urna/oauth/callback?code=not-a-real-code&state=" + q["state"],
                               headers=ES), 400,
           "No se aceptó el código de inicio de sesión (puede que haya caducado o que ya se "
           "usara).", "code was not accepted")
b = Http(ngx.port)
r, q = start_login(b)
refused_es("no code", b.get("/urna/oauth/callback?state=" + q["state"], headers=ES), 400,
           "El servicio de inicio de sesión no envió un código válido.", "no usable code")
b = Http(ngx.port)
r, q = start_login(b)
refused_es("the provider's error", b.get("/urna/oauth/callback?error=server_error&state="
                                         + q["state"], headers=ES), 400,
           "El servicio de inicio de sesión no te dejó entrar.", "refused to sign you in")
fake.set(token="garbage")
b = Http(ngx.port)
r, q = start_login(b)
refused_es("token endpoint answers garbage", b.get(consent(location(r)), headers=ES), 502,
           "No se pudo contactar con el servicio de inicio de sesión", "could not be reached")
fake.set()

fake.set(token="slow", slow_seconds=20)
b = Http(ngx.port)
r, q = start_login(b)
cb = consent(location(r))
t0 = time.monotonic()
resp = b.get(cb)
took = time.monotonic() - t0
refused("token endpoint too slow", resp, 502, "could not be reached")
t.check("urna gives up after its timeout (about 10 s)", 5 < took < 18, "%.1f s" % took)
fake.set()
r = web.get("/urna/health")
t.equal("urna still serves after all that", r.status, 200, r)
t.check("and the signed-in browser is still signed in", signed_in_as(web, "alice"))

# ---------------------------------------------------------------------------
t.section("open redirects in `next` end on urna's home page")
for evil in ("//evil.example/", "http://evil.example/urna/", "https:evil.example",
             "/\\evil.example", "/urna/../../evil", "/urna/%2e%2e/x", "evil.example",
             "/\t/evil.example", "/urna/oauth/callback"):
    b = Http(ngx.port)
    r = full_login(b, evil)
    t.check("next=%r lands on /urna/" % evil, r is not None and r.status == 303
            and location(r) == "/urna/", r and location(r))
b = Http(ngx.port)
r = full_login(b, "/urna/elections/board/2026/candidates/cand?x=1")
t.equal("a path inside urna with a query is kept", location(r),
        "/urna/elections/board/2026/candidates/cand?x=1")

# ---------------------------------------------------------------------------
t.section("sessions: expired and tampered cookies are anonymous")
key = app.settings["session_key"].encode()


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(login, expires):
    payload = "v1|%s|%d|%s" % (login, expires, "ab" * 16)
    mac = hmac.new(key, ("session|" + payload).encode(), hashlib.sha256).digest()
    return "urna_session=%s.%s" % (b64(payload.encode()), b64(mac))


t.check("a validly signed, unexpired cookie is a session (the forgery helper works)",
        "Signed in as <strong>alice</strong>" in web.get(
            "/urna/", headers={"Cookie": forge("alice", time.time() + 600)}, cookies=False).text)
t.check("an expired session is anonymous", anonymous(web, forge("alice", time.time() - 5)))
real = web.cookies["urna_session"]
tampered = real[:-2] + ("AA" if real[-2:] != "AA" else "BB")
t.check("a tampered session cookie is anonymous", anonymous(web, "urna_session=" + tampered))
payload, mac = real.split(".")
raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
other_login = raw.replace("|alice|", "|olga|")
t.check("a cookie re-signed for another login without the key is anonymous",
        anonymous(web, "urna_session=%s.%s" % (b64(other_login.encode()), mac)))

# ---------------------------------------------------------------------------
t.section("logout")
r = web.post("/urna/logout", {})
refused("logout without the form token (CSRF)", r, 403, "did not come from urna")
t.check("still signed in after the refused logout", signed_in_as(web, "alice"))
r = web.post("/urna/logout", {"csrf": "forged"})
t.equal("logout with a wrong token is 403", r.status, 403, r)
page = web.get("/urna/").text
m = re.search(r'name="csrf" value="([^"]+)"', page)
r = web.post("/urna/logout", {"csrf": m.group(1) if m else ""})
t.check("logout with the token: 303 home, cookie cleared",
        r.status == 303 and location(r) == "/urna/" and no_session(web)
        and any("Max-Age=0" in c for c in r.header_all("Set-Cookie")), r.headers)
t.check("anonymous after logout", anonymous(web))

# ---------------------------------------------------------------------------
t.section("logout ends the session: an old cookie and token are refused (issue 9)")
ELECTION = "/urna/elections/board/2026"
# A worker may use what it read about a login's sign-outs for up to this
# long (src/web/session_check.h: kSessionCheckCacheSeconds); waiting it out
# means no worker holds a reading from before the logout.
CACHE_WINDOW = 2.2


def sql1(q):
    return db.sql(q, database=db.database).strip()


def stored():
    return (sql1("SELECT COUNT(*) FROM sealed_ballots"), sql1("SELECT COUNT(*) FROM voters_voted"))


def browser_as(login):
    fake.set(login=login)
    b = Http(ngx.port)
    full_login(b)
    fake.set()
    return b


def token_of(client, path="/urna/"):
    return csrf_of(client.get(path).text)


def vote_form(client):
    """The booth's form, filled in: [(field, value)] with its CSRF token."""
    page = client.get(ELECTION + "/vote").text
    pc = re.search(r'name="passcode" id="passcode" value="([^"]*)"', page)
    form = [("csrf", csrf_of(page))]
    form += [(html.unescape(f), "1") for f in re.findall(r'<select name="(rank/[^"]+)"', page)]
    return form + [("passcode", html.unescape(pc.group(1)) if pc else ""),
                   ("passcode_saved", "yes")]  # "I have written this passcode down"


def post_form(client, path, pairs, cookie=None):
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if cookie is not None:
        headers["Cookie"] = "urna_session=" + cookie
    return client.request("POST", path, body=urllib.parse.urlencode(pairs).encode(),
                          headers=headers, cookies=cookie is None)


def with_cookie(cookie):
    h = Http(ngx.port)
    h.cookies["urna_session"] = cookie
    return h


a1 = browser_as("alice")
a2 = browser_as("alice")  # alice in a second browser
t.check("alice is signed in in two browsers", signed_in_as(a1, "alice") and signed_in_as(a2, "alice"))
form = vote_form(a1)
t.check("the booth gives alice a form (token, a rank, a passcode)",
        form[0][1] and len(form) == 4 and form[2][1], form)
old_cookie, old_token = a1.cookies["urna_session"], form[0][1]
other_cookie, other_token = a2.cookies["urna_session"], token_of(a2)
before = stored()
t.equal("no ballot stored yet", before, ("0", "0"))
r = a1.post("/urna/logout", {"csrf": token_of(a1)})
t.check("logout: 303 home, cookie cleared", r.status == 303 and no_session(a1), r)
logged = log_text()
t.check("the log says every session of that login ended",
        "signed out alice (every session of that login ended)" in logged, logged[-1500:])
t.equal("session_ends has alice's row", sql1("SELECT COUNT(*) FROM session_ends WHERE login = 'alice'"),
        "1")
time.sleep(CACHE_WINDOW)
r = post_form(Http(ngx.port), ELECTION + "/vote", form, cookie=old_cookie)
refused("a vote POST with the saved cookie and token after logout", r, 403, "This session has ended")
t.check("... clears the old cookie", any(c.startswith("urna_session=;") and "Max-Age=0" in c
                                         for c in r.header_all("Set-Cookie")), r.headers)
t.equal("... and stores nothing (sealed_ballots, voters_voted)", stored(), before)
r = with_cookie(old_cookie).get(ELECTION + "/vote")
t.check("the booth with the old cookie sends the visitor to sign in",
        r.status == 303 and location(r).startswith("/urna/login?next="), r)
r = post_form(Http(ngx.port), ELECTION + "/ballot", [("csrf", old_token), ("passcode", "x" * 20)],
              cookie=old_cookie)
t.equal("viewing a ballot with the old cookie and token is 403", r.status, 403, r)
r = post_form(Http(ngx.port), "/urna/logout", [("csrf", old_token)], cookie=old_cookie)
t.equal("logout again with the old cookie is 403 (nothing to end)", r.status, 403, r)
t.check("the old cookie is anonymous on the home page",
        anonymous(web, "urna_session=" + old_cookie))
t.check("the election page does not know the old cookie's voter",
        "you are on the voter list" not in with_cookie(old_cookie).get(ELECTION).text)
t.check("logout in one browser ended alice's session in the other one too", anonymous(a2),
        a2.get("/urna/").text[:1500])
r = post_form(Http(ngx.port), ELECTION + "/vote", [("csrf", other_token)] + form[1:],
              cookie=other_cookie)
t.equal("a vote POST from the other browser is 403", r.status, 403, r)
t.equal("... and stores nothing", stored(), before)

r = full_login(a1)
t.check("signing in again right after logout works", r is not None and r.status == 303
        and signed_in_as(a1, "alice"), r)
form2 = vote_form(a1)
r = post_form(a1, ELECTION + "/vote", form2)
t.check("the new session votes (the same form with its new token): 303 to the voted page",
        r.status == 303 and location(r).endswith("/voted"), r.text[:2000])
t.equal("one ballot and one voter row stored", stored(), ("1", "1"))
r = post_form(Http(ngx.port), ELECTION + "/vote", [("csrf", old_token)] + form2[1:],
              cookie=old_cookie)
t.check("the old cookie still cannot re-cast", r.status == 403 and stored() == ("1", "1"), r)

t.section("logout ends an officer's session on the officers' page (issue 9)")
o1, o2 = browser_as("olga"), browser_as("olga")
admin = ELECTION + "/admin"
t.equal("olga's officers' page (first browser)", o1.get(admin).status, 200)
t.equal("olga's officers' page (second browser)", o2.get(admin).status, 200)
o_cookie, o_token = o2.cookies["urna_session"], token_of(o2, admin)
t.check("the officers' page has a form token", bool(o_token))
r = o1.post("/urna/logout", {"csrf": token_of(o1)})
t.equal("olga signs out in the first browser", r.status, 303, r)
time.sleep(CACHE_WINDOW)
r = with_cookie(o_cookie).get(admin)
t.check("the officers' page refuses the other browser's cookie (to sign in)",
        r.status == 303 and location(r).startswith("/urna/login?next="), r)
r = post_form(Http(ngx.port), admin, [("csrf", o_token), ("action", "review"), ("reviewed", "1")], cookie=o_cookie)
refused("an officers' POST with the old cookie and token", r, 403, "This session has ended")
o3 = browser_as("olga")
t.equal("olga signs in again: the officers' page", o3.get(admin).status, 200)

t.section("OAuth: a used state cannot sign in again (issue 9)")
b = Http(ngx.port)
r, q = start_login(b)
auth_url = location(r)
saved_login_cookie = b.cookies.get("urna_login")
cb = consent(auth_url)
r = b.get(cb)
t.check("the first use of the state signs alice in", r.status == 303 and signed_in_as(b, "alice"), r)
fake.set(login="Bob")
cb2 = consent(auth_url)  # the attacker: the same state, another account's code
fake.set()
t.check("the provider gives another code for the same state",
        cb2 and "state=" + q["state"] in cb2 and cb2 != cb, (cb, cb2))
tokens_before = len([x for x in fake.requests() if x["endpoint"] == "token"])
replay = Http(ngx.port)
replay.cookies["urna_login"] = saved_login_cookie
resp = replay.get(cb2)
refused("the used urna_login cookie with its state and another code", resp, 400, "used already")
t.check("... signs nobody in", no_session(replay) and anonymous(replay), replay.cookies)
t.equal("... and never reaches the provider's token endpoint",
        len([x for x in fake.requests() if x["endpoint"] == "token"]), tokens_before)
t.check("the log names the replay", "state used before (a replay)" in log_text())
t.check("the spent state is recorded once",
        sql1("SELECT COUNT(*) FROM login_states_used WHERE state = '%s'" % q["state"]) == "1")
r = Http(ngx.port)
resp = r.get(cb)
refused("the first callback again in a browser without the cookie", resp, 400,
        "did not start in this browser")

# ---------------------------------------------------------------------------
t.section("demo mode")
app.settings["auth"] = "demo"
app.write_config()
app.restart()
d = Http(ngx.port)
r = d.get("/urna/login?next=%2Furna%2Felections%2Fboard%2F2026")
t.equal("GET /urna/login is the demo list", r.status, 200, r)
for login in ("alice", "bob", "olga"):
    t.check("lists %s" % login, 'value="%s"' % login in r.text, r.text[:3000])
for path in ("/urna/", "/urna/login", "/urna/elections/board/2026", "/urna/no/such/page"):
    t.check("the demo banner on %s" % path,
            "Demo login — not for real elections" in Http(ngx.port).get(path).text)
token = re.search(r'name="csrf" value="([^"]+)"', r.text)
r = d.post("/urna/login", {"login": "alice"})
t.equal("demo POST without the form token is 403", r.status, 403, r)
r = d.post("/urna/login", {"login": "mallory", "csrf": token.group(1) if token else ""})
t.equal("demo POST for someone not in the data is 400", r.status, 400, r)
demo_login_cookie = d.cookies.get("urna_login")
logged = log_text()
t.check("urna's log names the refused demo sign-ins (no form token, someone not in the data)",
        "sign-in refused: (demo) form token mismatch" in logged
        and "sign-in refused: (demo) 'mallory' is not in the election data" in logged,
        logged[-3000:])
r = d.post("/urna/login", {"login": "olga", "csrf": token.group(1) if token else ""})
t.check("demo POST signs in and returns to next",
        r.status == 303 and location(r) == "/urna/elections/board/2026", r)
t.check("signed in as olga", signed_in_as(d, "olga"))
replay = Http(ngx.port)
replay.cookies["urna_login"] = demo_login_cookie
r = replay.post("/urna/login", {"login": "alice", "csrf": token.group(1) if token else ""})
refused("demo: the used form token and cookie again, for another voter (issue 9)", r, 403,
        "used already")
t.check("demo: the replay signs nobody in", no_session(replay) and anonymous(replay),
        replay.cookies)
d2 = Http(ngx.port)
r = d2.get("/urna/login")
token2 = re.search(r'name="csrf" value="([^"]+)"', r.text)
r = d2.post("/urna/login", {"login": "alice", "csrf": token2.group(1) if token2 else ""})
t.check("demo: a fresh form signs in", r.status == 303 and signed_in_as(d2, "alice"), r)
t.equal("no OAuth callback in demo mode", d.get("/urna/oauth/callback?code=x&state=y").status,
        404)
r = Http(ngx.port).get("/urna/login", headers={"Accept-Language": "es"})
roles = re.sub(r"\s+", " ", r.text)
t.check("the demo sign-in page in Spanish says who is who (issue 10 §12)",
        '<html lang="es">' in r.text and "<h1>Iniciar sesión</h1>" in r.text
        and 'aria-label="Usuarios de ejemplo"' in r.text
        and '<li class="role-officer">Responsable de Board 2026</li>' in roles
        and '<li class="role-voter">Votante en Board 2026 (votación abierta)</li>' in roles
        and "No está en ningún censo: no puede votar, puede solicitar una excepción" in roles,
        roles[:4000])
t.check("... with none of the English roles left",
        not any(e in roles for e in ("Election officer of", "Voter in", "(voting now)",
                                     "Not on any voter list", "Example logins")), roles[:4000])
r = Http(ngx.port).post("/urna/login", {"login": "alice"}, headers={"Accept-Language": "es"})
t.check("demo POST without the form token (es): 403 in Spanish",
        r.status == 403 and '<html lang="es">' in r.text and "did not come from urna" not in r.text,
        r.text[:2000])

# ---------------------------------------------------------------------------
t.section("remote_user mode: the shipped samples as they are authenticate nobody (issue 9)")
app.settings["auth"] = "remote_user"
app.write_config()
app.restart()
apache = t.watch(Apache(app))
apache.start()
forged = {"Authorization": "Basic " + base64.b64encode(b"olga:anything").decode()}
for server in (ngx, apache):
    for path in ("/urna/login", "/urna/login?next=%2Furna%2Felections%2Fboard%2F2026"):
        c = Http(server.port)
        r = c.get(path, headers=forged)
        refused("%s as shipped, a client's own Basic olga:anything on %s" % (server.name, path),
                r, 403, "did not tell urna who you are")
        t.check("%s as shipped: olga is not signed in" % server.name,
                no_session(c) and anonymous(c), c.cookies)
r = Http(ngx.port).get("/urna/login")
refused("nginx as shipped, no credentials", r, 403, "did not tell urna who you are")
logged = log_text()
t.check("urna's log names the refused sign-in, the client and the forged REMOTE_USER",
        "sign-in refused: auth = remote_user: REMOTE_USER 'olga' without URNA_AUTH_USER" in logged
        and "from 127.0.0.1" in logged, logged[-3000:])
t.check("urna's log never holds the password a client sent", "anything" not in logged,
        logged[-3000:])

t.section("remote_user mode: the samples' auth block enabled as docs/login.md says")
auth_dir = os.path.join(app.dir, "auth")
os.makedirs(auth_dir, exist_ok=True)
os.chmod(auth_dir, 0o755)
htpasswd = os.path.join(auth_dir, "htpasswd")
with open(htpasswd, "w") as f:  # {SHA}: read by both nginx and Apache
    f.write("Ruth:{SHA}%s\n" % base64.b64encode(hashlib.sha1(b"ruth-pw").digest()).decode())
os.chmod(htpasswd, 0o644)
ngx2 = t.watch(Nginx(app, htpasswd=htpasswd))
ngx2.start()
apache2 = t.watch(Apache(app, htpasswd=htpasswd))
apache2.start()
for server in (ngx2, apache2):
    n = server.name
    ru = Http(server.port)
    r = ru.get("/urna/login")
    t.equal("%s: without credentials it asks for them (401)" % n, r.status, 401, r)
    basic = "Basic " + base64.b64encode(b"Ruth:ruth-pw").decode()
    r = ru.get("/urna/login?next=%2Furna%2Felections%2Fboard%2F2026",
               headers={"Authorization": basic})
    t.check("%s: with the right password: signed in, back to next" % n,
            r.status == 303 and location(r) == "/urna/elections/board/2026", r)
    t.check("%s: signed in as the lower-cased user" % n, signed_in_as(ru, "ruth"))
    c = Http(server.port)
    r = c.get("/urna/login", headers={
        "Authorization": "Basic " + base64.b64encode(b"Ruth:wrong").decode()})
    t.check("%s: a wrong password is 401 and no session" % n,
            r.status == 401 and no_session(c), r)
    c = Http(server.port)
    r = c.get("/urna/login", headers=forged)
    t.check("%s: olga:anything is 401 and no session" % n, r.status == 401 and no_session(c), r)
    sneaky = Http(server.port)
    for path in ("/urna/", "/urna/login/", "/urna/elections/board/2026"):
        sneaky.get(path, headers=dict(forged, **{"URNA-AUTH-USER": "olga"}))
    t.check("%s: a Basic or URNA-AUTH-USER header on unprotected routes signs nobody in" % n,
            no_session(sneaky) and anonymous(sneaky), sneaky.cookies)

t.section("remote_user mode: urna.fcgi refuses a FastCGI socket beyond loopback")
for host, refuses in (("0.0.0.0", True), ("127.0.0.1", False)):
    conf = os.path.join(app.dir, "tcp-%s.conf" % host)
    with open(conf, "w") as f:
        for k, v in app.settings.items():
            f.write("%s = %s\n" % (k, "%s:%d" % (host, free_port()) if k == "listen" else v))
    p = subprocess.Popen([os.path.join(BUILDDIR, "urna.fcgi"), "--config", conf],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        out, _ = p.communicate(timeout=3)
        rc = p.returncode
    except subprocess.TimeoutExpired:  # still running: it started
        p.terminate()
        out, _ = p.communicate(timeout=10)
        rc = None
    out = out.decode(errors="replace")
    if refuses:
        t.check("listen = %s:PORT with auth = remote_user: exit 1 naming the danger" % host,
                rc == 1 and "not only on loopback" in out and "URNA_AUTH_USER" in out, (rc, out))
    else:
        t.check("listen = %s:PORT with auth = remote_user: it starts" % host,
                rc is None and "started with" in out, (rc, out))

t.section("security headers of urna and of the samples agree (issue 9)")
via_apache = Http(apache.port).get("/urna/")
via_nginx = Http(ngx.port).get("/urna/")
for name in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options",
             "Referrer-Policy"):
    a, b = via_apache.header_all(name), via_nginx.header_all(name)
    t.check("%s: urna's own (through Apache) and conf/nginx/urna.conf's are the same, once each"
            % name, len(a) == 1 and a == b, (a, b))
t.check("urna's policy has form-action 'self'",
        "form-action 'self'" in via_apache.header("Content-Security-Policy", ""), via_apache.headers)
t.equal("no HSTS over plain HTTP", via_apache.header_all("Strict-Transport-Security") +
        via_nginx.header_all("Strict-Transport-Security"), [])

# Over real TLS (nginx with the sample unmodified, a certificate made here):
# urna sees HTTPS=on and sends HSTS itself, once; the same nginx over plain
# HTTP gets none.
tls_dir = os.path.join(app.dir, "tls")
os.makedirs(tls_dir, exist_ok=True)
crt, tls_key = os.path.join(tls_dir, "c.pem"), os.path.join(tls_dir, "k.pem")
rc = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                     "-subj", "/CN=localhost", "-keyout", tls_key, "-out", crt],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
t.equal("openssl makes a test certificate", rc, 0)
tls_port = free_port()
ngx_tls = t.watch(Nginx(app, extra_server="""
        listen 127.0.0.1:%d ssl;
        ssl_certificate %s;
        ssl_certificate_key %s;
""" % (tls_port, crt, tls_key)))
ngx_tls.start()
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
for path, status in (("/urna/", 200), ("/urna/no/such/page", 404)):
    conn = http.client.HTTPSConnection("127.0.0.1", tls_port, context=ctx, timeout=30)
    conn.request("GET", path)
    resp = conn.getresponse()
    resp.read()
    hsts = resp.msg.get_all("Strict-Transport-Security") or []
    t.check("over HTTPS urna's %d for %s has Strict-Transport-Security once" % (status, path),
            resp.status == status and hsts == ["max-age=31536000"], (resp.status, hsts))
    conn.close()
t.equal("the same nginx over plain HTTP: no HSTS",
        Http(ngx_tls.port).get("/urna/").header_all("Strict-Transport-Security"), [])

t.done()
