#!/usr/bin/python3
"""End-to-end checks of exception requests and the officers' page (issue 5)
against real servers: a private MariaDB, urna.fcgi (demo login) behind
nginx, and a metadata repository built while the test runs and synced by
urna-sync. Three elections: alpha (officer olga), beta (officer oscar),
gamma (olga; exception requests already due).

- exception form: only signed in; CSRF; required fields and length limits
  with clear messages; one request per user and election (409 on the
  second); none for an eligible voter (409) or after exception_due (403);
- officers' page: anonymous → sign in; a voter and an officer of another
  election → 403 (Elekto #83); each officer sees their election's requests
  only, escaped; marking reviewed works only within the officer's own
  election; turnout, who voted and who has not yet (after a vote through
  the booth), each child's group under the child's name; the results
  section links the results and downloads once urna-tally stored them
  (delta, closed); exception texts follow one rule (gamma: past its due
  date, no invitation); the live commit and the last sync error after a
  broken push;
- in Spanish (Accept-Language: es): the exception form, each of its
  messages (the fields, the limits, one request only, closed with the date,
  too many in an hour), the page after sending, and the officers' page
  with its dates, numbers and percentages, with no English left.

Skips (77) only if a server program or a binary is missing.
"""

import base64
import hashlib
import hmac
import html
import os
import re
import subprocess
import sys
import time
from urllib.parse import urlencode

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import (BUILDDIR, Checks, Http, MariaDB, Nginx, Urna, csrf_of, git,  # noqa: E402
                     insert_sealed_ballots)

t = Checks("admin_test")
TALLY = os.path.join(BUILDDIR, "urna-tally")
t.require_binaries("mariadb-install-db", "mariadbd", "mariadb", "nginx", "git",
                   os.path.join(BUILDDIR, "urna.fcgi"), os.path.join(BUILDDIR, "urna-sync"), TALLY)


def utc(offset_days):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(time.time() + offset_days * 86400))


def election(work, eid, officer, voters, start, due, end=30):
    d = os.path.join(work, "elections", eid)
    os.makedirs(d)
    with open(os.path.join(d, "election.yaml"), "w") as f:
        f.write("name: %s\norganization: E2E\nstart_datetime: %s\nend_datetime: %s\n"
                "no_winners: 1\nelection_officers:\n  - %s\n"
                "eligibility: Members only.\n"
                "exception_description: Ask if you are a member who is missing.\n"
                "exception_due: %s\n" % (eid.title(), utc(start), utc(end), officer, utc(due)))
    with open(os.path.join(d, "voters.yaml"), "w") as f:
        f.write("eligible_voters:\n" + "".join("  - %s\n" % v for v in voters))
    with open(os.path.join(d, "election_desc.md"), "w") as f:
        f.write("About %s.\n" % eid)
    for cid in ("ann", "ben"):
        with open(os.path.join(d, "candidate-%s.md" % cid), "w") as f:
            f.write("-------\nname: %s\nID: %s\n-------\nHello.\n" % (cid.title(), cid))


ALPHA, BETA, GAMMA, DELTA = "alpha/2026", "beta/2026", "gamma/2026", "delta/2026"

db = t.watch(MariaDB())
db.start()
work = os.path.join(db.dir, "meta-work")
election(work, ALPHA, "olga", ["alice", "bob"], -1, 10)
election(work, BETA, "oscar", ["carol"], -1, 10)
election(work, GAMMA, "olga", ["alice"], -5, -2)
# Closed, with ballots that urna-tally counts (results and downloads).
election(work, DELTA, "olga", ["alice", "bob", "dan"], -20, -19, end=-10)
# A parent with two children; its officer is an officer of both.
UNI = "uni/2026"
udir = os.path.join(work, "elections", UNI)
os.makedirs(udir)
with open(os.path.join(udir, "election.yaml"), "w") as f:
    f.write("name: Uni\nstart_datetime: %s\nend_datetime: %s\nelection_officers:\n  - uma\n"
            "exception_description: Ask.\nexception_due: %s\nchildren:\n  - students\n"
            "  - staff\n" % (utc(-1), utc(30), utc(10)))
with open(os.path.join(udir, "voters.yaml"), "w") as f:
    f.write("eligible_voters:\n  - id: sam\n    children: [students]\n  - id: stan\n"
            "    children: [staff]\n  - both\n")
with open(os.path.join(udir, "election_desc.md"), "w") as f:
    f.write("Uni.\n")
for child in ("students", "staff"):
    cd = os.path.join(udir, child)
    os.makedirs(cd)
    with open(os.path.join(cd, "election.yaml"), "w") as f:
        f.write("name: %s\n" % child.title())
    with open(os.path.join(cd, "election_desc.md"), "w") as f:
        f.write("%s.\n" % child)
    for cid in ("ann", "ben"):
        with open(os.path.join(cd, "candidate-%s.md" % cid), "w") as f:
            f.write("-------\nname: %s\nID: %s\n-------\nHello.\n" % (cid.title(), cid))
git(work, "init", "-q", "-b", "main")
git(work, "add", "-A")
git(work, "commit", "-q", "-m", "fixture")
origin = os.path.join(db.dir, "origin.git")
subprocess.run(["git", "clone", "-q", "--bare", work, origin], check=True)
git(work, "remote", "add", "origin", origin)

app = t.watch(Urna(db, workers=2, auth="demo", repo_url=origin, repo_branch="main",
                   scrypt_n=1024, exception_requests_per_hour="2"))
app.migrate()
rc, out = app.sync(check=False)
t.equal("urna-sync stores the fixture", rc, 0, out[-2000:])
app.start()
ngx = t.watch(Nginx(app))
ngx.start()
PORT = ngx.port
key = app.settings["session_key"].encode()


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign_in(login):
    """A client signed in as `login`: through the demo login page for the
    people in the data, else a session cookie made the way urna makes them
    (people outside the voter lists are who ask for exceptions)."""
    h = Http(PORT)
    r = h.get("/urna/login")
    m = re.search(r'name="csrf" value="([^"]*)"', r.text)
    if m and ('value="%s"' % login) in r.text:
        h.post("/urna/login", {"csrf": html.unescape(m.group(1)), "login": login})
    else:
        payload = "v1|%s|%d|%s" % (login, time.time() + 3600, os.urandom(16).hex())
        mac = hmac.new(key, ("session|" + payload).encode(), hashlib.sha256).digest()
        h.cookies["urna_session"] = "%s.%s" % (b64(payload.encode()), b64(mac))
    return h


def base(eid):
    return "/urna/elections/" + eid


def ask(h, eid, fields, csrf=True):
    page = h.get(base(eid) + "/exception").text
    form = dict(fields)
    if csrf:
        form["csrf"] = csrf_of(page)
    return h.post(base(eid) + "/exception", form)


def turnout(p, eid):
    m = re.search(r'<tr class="turnout-row" data-id="%s">.*?<td class="eligible">(\d+)</td>'
                  r'<td class="voted">(\d+)</td><td class="percent">([^<]*)</td>' % re.escape(eid),
                  p, re.S)
    return m.groups() if m else None


GOOD = {"name": "Zed <script>alert(1)</script>", "contact": "zed@example.org",
        "reason": "I review every PR.\nSecond line.", "comments": ""}

def who(p, eid, which):
    """The logins of one election's 'voted-list' or 'not-voted-list'."""
    m = re.search(r'<div class="%s" data-id="%s">(.*?)</div>' % (which, re.escape(eid)), p, re.S)
    return re.findall(r'<li class="login">([^<]*)</li>', m.group(1)) if m else None


# ---------------------------------------------------------------------------
t.section("exception requests")
anon = Http(PORT)
r = anon.get(base(ALPHA) + "/exception")
t.check("anonymous: sent to sign in first",
        r.status == 303 and (r.header("Location") or "").startswith("/urna/login?next="), r)
t.equal("anonymous POST is 403", anon.post(base(ALPHA) + "/exception", GOOD).status, 403)

zed = sign_in("zed")
r = zed.get(base(ALPHA) + "/exception")
t.check("a signed-in non-voter gets the form",
        r.status == 200 and 'class="exception-form"' in r.text and "Ask if you are a member" in r.text,
        r.text[:3000])
r = ask(zed, ALPHA, GOOD, csrf=False)
t.equal("POST without the form token is 403", r.status, 403, r)
r = ask(zed, ALPHA, dict(GOOD, reason="   "))
t.check("a missing reason: 400, the form again with the message and the values kept",
        r.status == 400 and "The reason is required." in r.text and "zed@example.org" in r.text,
        r.text[:3000])
r = ask(zed, ALPHA, dict(GOOD, name="n" * 201))
t.check("a name over 200 characters: 400 with a message",
        r.status == 400
        and "Your name: too long, at most 200 characters (you entered 201)." in r.text,
        r.text[:3000])
r = ask(zed, ALPHA, dict(GOOD, contact="a\x01b"))
t.check("control characters: 400 with a message",
        r.status == 400 and "control characters" in r.text, r.text[:3000])
r = ask(zed, ALPHA, dict(GOOD, reason="x" * 6000))
t.check("a reason over 5000 characters: 400 naming the field and the limit (numbers as "
        "English writes them)",
        r.status == 400
        and "The reason: too long, at most 5,000 characters (you entered 6,000)." in r.text,
        r.text[:3000])
r = ask(zed, ALPHA, dict(GOOD, contact="c" * 201, comments="é" * 5001))
t.check("contact and comments over their limits: 400 naming both fields and limits",
        r.status == 400
        and "How to contact you: too long, at most 200 characters (you entered 201)." in r.text
        and "Your comments: too long, at most 5,000 characters (you entered 5,001)." in r.text,
        r.text[:3000])
r = ask(zed, ALPHA, GOOD)
t.check("a valid request: 303 back to the exception page",
        r.status == 303 and r.header("Location") == base(ALPHA) + "/exception", r)
r = zed.get(base(ALPHA) + "/exception")
t.check("the page then says it was sent, with no form",
        "You asked for an exception" in r.text and "exception-form" not in r.text, r.text[:3000])
r = ask(zed, ALPHA, dict(GOOD, reason="again"))
t.check("a second request is 409 with a clear message",
        r.status == 409 and "only one" in r.text, r)
r = ask(sign_in("zia"), ALPHA, dict(GOOD, comments="é" * 5000, name="ñ" * 200))
t.check("exactly at the limits (in characters, not bytes) is accepted", r.status == 303, r)

zoe = sign_in("zoe")
r = ask(zoe, BETA, {"name": "Zoe", "contact": "zoe@example.org",
                    "reason": "BETA-ONLY-REASON", "comments": "beta comment"})
t.equal("another user's request in beta: 303", r.status, 303, r)
r = ask(zed, BETA, dict(GOOD, reason="ZED-IN-BETA"))
t.equal("the same user may ask in another election: 303", r.status, 303, r)
# Issue 9: exception_requests_per_hour = 2 in this instance.
r = ask(zed, UNI, dict(GOOD, reason="ZED-THIRD-IN-AN-HOUR"))
t.check("a third request in an hour (another election): 429 with a clear message",
        r.status == 429 and "2 exception requests in the last hour" in r.text, r)
r = zed.get(base(UNI) + "/exception")
t.check("nothing stored: the form is still offered in that election",
        'class="exception-form"' in r.text and "You asked for an exception" not in r.text,
        r.text[:3000])
with open(app.log, errors="replace") as f:
    logged = f.read()
t.check("the refused request is in urna's log with the user and the election",
        "exception request by zed in %s refused: more than 2 in an hour" % UNI in logged
        and "ZED-THIRD-IN-AN-HOUR" not in logged, logged[-2000:])
r = ask(zoe, UNI, {"name": "Zoe", "contact": "z", "reason": "mine", "comments": ""})
t.equal("another user is not limited by zed's requests: 303", r.status, 303, r)

alice = sign_in("alice")
r = alice.get(base(ALPHA) + "/exception")
t.check("an eligible voter is told no exception is needed",
        "already on the voter list" in r.text and "exception-form" not in r.text, r.text[:3000])
r = ask(alice, ALPHA, GOOD)
t.equal("an eligible voter's POST is 409", r.status, 409, r)
r = zed.get(base(GAMMA) + "/exception")
t.check("after exception_due: closed, no form",
        "closed on" in r.text and "exception-form" not in r.text, r.text[:3000])
# Issue 10 §6: one rule for every text; the description invites requests, so
# it is shown only while the form exists.
t.check("after exception_due: the exception page does not invite requests",
        "Ask if you are a member" not in r.text, r.text[:3000])
r = zed.get(base(GAMMA))
t.check("after exception_due: the election page says closed, without the invitation or a link",
        "Exception requests closed on" in r.text and "Ask if you are a member" not in r.text
        and "/exception\"" not in r.text and "Requests are accepted" not in r.text, r.text[:4000])
r = zed.get(base(ALPHA))
t.check("before exception_due: the invitation, the due date and the link together",
        "Ask if you are a member" in r.text and "Requests are accepted until" in r.text
        and 'href="%s/exception"' % base(ALPHA) in r.text and "closed on" not in r.text,
        r.text[:4000])
r = zed.post(base(GAMMA) + "/exception", dict(GOOD, csrf=csrf_of(zed.get("/urna/").text)))
t.check("after exception_due: POST is 403 with the date", r.status == 403 and "closed on" in r.text,
        r)

# ---------------------------------------------------------------------------
t.section("the officers' page: who may see it")
r = anon.get(base(ALPHA) + "/admin")
t.check("anonymous: sent to sign in",
        r.status == 303 and (r.header("Location") or "").startswith("/urna/login?next="), r)
t.equal("a voter gets 403", alice.get(base(ALPHA) + "/admin").status, 403)
oscar = sign_in("oscar")
olga = sign_in("olga")
r = oscar.get(base(ALPHA) + "/admin")
t.check("an officer of another election gets 403 (Elekto #83)",
        r.status == 403 and "BETA" not in r.text and "I review every PR" not in r.text, r)
t.equal("and olga (alpha, gamma) gets 403 on beta", olga.get(base(BETA) + "/admin").status, 403)
t.equal("a requester gets 403", zed.get(base(ALPHA) + "/admin").status, 403)

r = olga.get(base(ALPHA) + "/admin")
t.equal("the officer of alpha gets 200", r.status, 200, r)
page = r.text
t.check("alpha's page lists zed's request", "I review every PR." in page and "zed@example.org" in page,
        page[:4000])
t.check("and nothing from beta", "BETA-ONLY-REASON" not in page and "ZED-IN-BETA" not in page
        and "zoe" not in page, page[:4000])
t.check("requests are HTML-escaped", "<script>alert(1)" not in page
        and "&lt;script&gt;alert(1)" in page, page[:4000])
t.check("line breaks in the reason are kept", "I review every PR.\nSecond line." in page,
        page[:4000])
t.check("the officers' page shows the ballot key's fingerprint and where it comes from",
        '<code class="fingerprint">%s</code> <span class="muted">(the site&#39;s default '
        '(urna.conf))</span>' % app.key_fingerprint in page, page[-3000:])
r = oscar.get(base(BETA) + "/admin")
t.check("beta's officer sees beta's requests only",
        r.status == 200 and "BETA-ONLY-REASON" in r.text and "ZED-IN-BETA" in r.text
        and "I review every PR" not in r.text, r.text[:4000])
t.check("the link to the officers' page shows for the officer only",
        "/admin\"" in olga.get(base(ALPHA)).text and "/admin\"" not in alice.get(base(ALPHA)).text)

t.section("a parent election")
uma = sign_in("uma")
r = uma.get(base(UNI) + "/admin")
t.check("the parent's officer gets the parent's page", r.status == 200, r)
t.equal("turnout per child, in natural order",
        [turnout(r.text, UNI + "/students"), turnout(r.text, UNI + "/staff")],
        [("2", "0", "0.0%"), ("2", "0", "0.0%")], r.text[:4000])
# Issue 10 §5: each child's group is labelled with the child's name.
for child, name in ((UNI + "/students", "Students"), (UNI + "/staff", "Staff")):
    m = re.search(r'<h4 dir="auto" data-id="%s">([^<]*)</h4>\s*<div class="who">\s*'
                  r'<div class="voted-list" data-id="%s">' % (re.escape(child), re.escape(child)),
                  r.text)
    t.equal("the who-has-voted group of %s is headed by the child's name" % child,
            m.group(1) if m else None, name, r.text[-6000:])
t.check("no group is headed by the parent's name",
        not re.search(r'<h4 dir="auto"[^>]*>Uni</h4>', r.text), r.text[-6000:])
t.check("each child lists who has not voted yet: sam and both in Students",
        who(r.text, UNI + "/students", "not-voted-list") == ["sam", "both"], r.text[-6000:])
t.equal("the parent's officer is an officer of a child",
        uma.get(base(UNI + "/staff") + "/admin").status, 200)
t.equal("a child's voter is not", sign_in("sam").get(base(UNI + "/students") + "/admin").status,
        403)
t.equal("alpha's officer is not", olga.get(base(UNI) + "/admin").status, 403)
r = sign_in("sam").get(base(UNI) + "/exception")
t.check("a voter of a child needs no exception in the parent",
        "already on the voter list" in r.text, r.text[:3000])

# ---------------------------------------------------------------------------
t.section("marking requests reviewed")
rid = re.search(r'data-rid="(\d+)"', page)
rid = rid.group(1) if rid else "0"
r = olga.post(base(ALPHA) + "/admin", {"action": "review", "request": rid, "reviewed": "1"})
t.equal("without the form token: 403", r.status, 403, r)
r = olga.post(base(ALPHA) + "/admin", {"action": "review", "request": rid, "reviewed": "1",
                                       "csrf": csrf_of(page)})
t.check("with it: 303 back to the page", r.status == 303, r)
page = olga.get(base(ALPHA) + "/admin").text
t.check("the request shows as reviewed",
        re.search(r'class="exception-request reviewed" data-rid="%s"' % rid, page), page[:4000])
t.check("the requester sees that it was reviewed",
        "they have reviewed it" in zed.get(base(ALPHA) + "/exception").text)
bpage = oscar.get(base(BETA) + "/admin").text
r = oscar.post(base(BETA) + "/admin", {"action": "review", "request": rid, "reviewed": "0",
                                       "csrf": csrf_of(bpage)})
t.equal("beta's officer cannot mark alpha's request through beta's page (404)", r.status, 404, r)
r = oscar.post(base(ALPHA) + "/admin", {"action": "review", "request": rid, "reviewed": "0",
                                        "csrf": csrf_of(bpage)})
t.equal("nor through alpha's page (403)", r.status, 403, r)
page = olga.get(base(ALPHA) + "/admin").text
t.check("alpha's request is still reviewed",
        re.search(r'class="exception-request reviewed" data-rid="%s"' % rid, page), page[:4000])
r = olga.post(base(ALPHA) + "/admin", {"action": "review", "request": "12abc", "reviewed": "1",
                                       "csrf": csrf_of(page)})
t.equal("a malformed request id is 400", r.status, 400, r)

# ---------------------------------------------------------------------------
t.section("turnout and who voted")


t.equal("alpha before any vote: 2 eligible, 0 voted", turnout(page, ALPHA), ("2", "0", "0.0%"))
t.check("nobody has voted yet", "Nobody has voted yet" in page)
booth = alice.get(base(ALPHA) + "/vote").text
form = [("csrf", csrf_of(booth))]
for name in re.findall(r'<select name="(rank/[^"]+)"', booth):
    form.append((html.unescape(name), "1" if name.endswith("/ann") else "2"))
pc = re.search(r'name="passcode"[^>]*value="([^"]*)"', booth)
form.append(("passcode", html.unescape(pc.group(1)) if pc else ""))
form.append(("passcode_saved", "yes"))  # "I have written this passcode down"
r = alice.request("POST", base(ALPHA) + "/vote", body=urlencode(form).encode(),
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
t.check("alice votes through the booth", r.status in (200, 303), r)
page = olga.get(base(ALPHA) + "/admin").text
t.equal("alpha after alice's vote: 1 of 2, 50%", turnout(page, ALPHA), ("2", "1", "50.0%"))
t.check("alice is listed as having voted (her login, not her ballot)",
        who(page, ALPHA, "voted-list") == ["alice"] and "Ann" not in page.split('id="turnout"')[1]
        .split('id="exceptions"')[0], page[:4000])
t.equal("who has not voted yet: bob, next to who has (issue 10 §5)",
        who(page, ALPHA, "not-voted-list"), ["bob"], page[:6000])

# ---------------------------------------------------------------------------
t.section("results on the officers' page (issue 10 §5)")
t.check("running: the results appear after voting closes; no results link yet",
        "the results appear here after voting closes" in page
        and 'class="results-link"' not in page, page[-3000:])
r = olga.get(base(DELTA) + "/admin")
t.check("closed, not counted: says the results appear once urna-tally has counted",
        r.status == 200 and "once <code>urna-tally</code> has counted" in r.text
        and 'class="results-link"' not in r.text, r.text[-3000:])
insert_sealed_ballots(db, app, DELTA, [{"main": "ann=1&ben=2"}, {"main": "ben=1"}])
db.sql("INSERT INTO voters_voted (election_id, login, salt, sealed) VALUES "
       + ",".join("('%s', '%s', UNHEX('%s'), UNHEX('%s'))" % (DELTA, v, os.urandom(16).hex(),
                                                            os.urandom(60).hex())
                  for v in ("alice", "bob")) + ";", database=db.database)
tr = subprocess.run([TALLY, "--config", app.config_path], stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT, text=True, timeout=300)
t.check("urna-tally counts delta", tr.returncode == 0 and DELTA in tr.stdout, tr.stdout)
r = olga.get(base(DELTA) + "/admin")
t.check("counted: the officers' page links the results and the downloads",
        'class="results-link" href="%s/results"' % base(DELTA) in r.text
        and 'href="%s/ballots.csv"' % base(DELTA) in r.text
        and 'href="%s/ballots.blt"' % base(DELTA) in r.text
        and "appear after" not in r.text and "2 ballots" in r.text, r.text[-3000:])
t.equal("... and the results link works for the officer",
        olga.get(base(DELTA) + "/results").status, 200)
t.equal("... and so does the CSV download", olga.get(base(DELTA) + "/ballots.csv").status, 200)
t.equal("who has not voted in delta: dan", who(r.text, DELTA, "not-voted-list"), ["dan"], r.text[:6000])
r = olga.get(base(ALPHA) + "/admin")
t.check("exceptions on the officers' page follow the same rule: alpha takes requests until…",
        'class="requests-open"' in r.text and "requests-closed" not in r.text, r.text[:6000])
r = olga.get(base(GAMMA) + "/admin")
t.check("… and gamma's closed", 'class="muted requests-closed"' in r.text
        and "requests-open" not in r.text, r.text[:6000])
page = olga.get(base(ALPHA) + "/admin").text

# ---------------------------------------------------------------------------
t.section("in Spanish (Accept-Language: es)")
ES = {"Accept-Language": "es-ES,es;q=0.9"}
MONTHS = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
ES_DATE = r"\d{1,2} de (?:%s) de \d{4}, \d\d:\d\d(?::\d\d)? UTC" % MONTHS


def spanish(what, text, want, english):
    """The page is Spanish: lang="es", each of `want` (strings or regexes
    given as re.Pattern), none of `english`."""
    t.check("%s: <html lang=\"es\">" % what, '<html lang="es">' in text, text[:300])
    for w in want:
        found = w.search(text) if isinstance(w, re.Pattern) else w in text
        t.check("%s: %r" % (what, getattr(w, "pattern", w)), found, text[:4000])
    left = [e for e in english if e in text]
    t.equal("%s: no English left" % what, left, [], text[:4000])


def ask_es(h, eid, fields):
    page = h.get(base(eid) + "/exception", headers=ES).text
    return h.post(base(eid) + "/exception", dict(fields, csrf=csrf_of(page)), headers=ES)


FORM_EN = ["Request an exception", "Your name", "How to contact you", "Why should you",
           "Anything else", "Send the request", "Requests are accepted", "Signed in as",
           "Back to ", "Who can vote", "Please correct", " at ", "is required", "too long",
           "control characters"]
zara = sign_in("zara")
r = zara.get(base(ALPHA) + "/exception", headers=ES)
spanish("the exception form", r.text,
        ["<h1>Solicitar una excepción</h1>", '<label for="x-name">Tu nombre</label>',
         "Cómo contactarte (correo electrónico, usuario de chat…)",
         "¿Por qué deberías poder votar?", "Algo más (opcional)", ">Enviar la solicitud</button>",
         "Sesión iniciada como <strong>zara</strong>",
         re.compile(r"Se admiten solicitudes hasta el <time datetime=\"[0-9T:-]+Z\">%s</time> "
                    r"y solo pueden leerlas los responsables" % ES_DATE),
         "Quién puede votar:", "Volver a <bdi>Alpha/2026</bdi>"], FORM_EN)
r = ask_es(zara, ALPHA, dict(GOOD, reason="  ", name="n" * 201, contact="a\x01b"))
t.equal("the form's errors (es): 400", r.status, 400, r)
spanish("the form's errors", r.text,
        ["Corrige lo siguiente:", "<li>Rellena «El motivo».</li>",
         "<li>«Tu nombre»: demasiado largo, como máximo 200 caracteres (has escrito 201).</li>",
         "<li>«Cómo contactarte» contiene caracteres de control.</li>"], FORM_EN)
r = ask_es(zara, ALPHA, dict(GOOD, comments="x" * 12345))
spanish("a comment over the limit", r.text,
        ["«Tus comentarios»: demasiado largo, como máximo 5000 caracteres (has escrito 12.345)."],
        FORM_EN)
r = ask_es(zed, ALPHA, GOOD)
t.equal("a second request (es): 409", r.status, 409, r)
spanish("409", r.text, ["Ya has enviado una solicitud de excepción para esta elección; solo "
                        "puedes enviar una."], ["You have already sent", "only one"])
r = zed.get(base(ALPHA) + "/exception", headers=ES)
spanish("the page after sending", r.text,
        [re.compile(r"Solicitaste una excepción el <time datetime=\"[0-9T:-]+Z\">%s</time>\. Los "
                    r"responsables de la elección la revisarán: <strong>ya la han revisado</strong>"
                    % ES_DATE)], ["You asked", "they have reviewed", "only one request"])
r = zed.post(base(GAMMA) + "/exception", dict(GOOD, csrf=csrf_of(zed.get("/urna/").text)),
             headers=ES)
t.equal("after exception_due (es): 403", r.status, 403, r)
spanish("403 after exception_due", r.text,
        [re.compile(r"El plazo de solicitudes de excepción de esta elección terminó el %s\."
                    % ES_DATE)], ["closed on", "Exception requests for"])
r = zed.get(base(GAMMA) + "/exception", headers=ES)
spanish("the closed exception page", r.text,
        [re.compile(r"El plazo de solicitudes de excepción de esta elección terminó el <time "
                    r"datetime=\"[0-9T:-]+Z\">%s</time>\." % ES_DATE)], ["closed on"])
r = alice.get(base(ALPHA) + "/exception", headers=ES)
spanish("an eligible voter's exception page", r.text,
        ["Ya estás en el censo de esta elección: no necesitas una excepción."],
        ["already on the voter list"])
r = ask_es(zed, UNI, dict(GOOD, reason="ZED-AGAIN-ES"))
t.equal("a third request in an hour (es): 429", r.status, 429, r)
spanish("429", r.text, ["Has enviado 2 solicitudes de excepción en la última hora, el máximo que "
                        "urna admite de una persona. Vuelve a intentarlo más tarde."],
        ["You have sent", "in the last hour"])

ADMIN_EN = ["Officers' page", "an officer of this election", "Everything about the election",
            ">Turnout<", "Eligible voters", ">Voted<", "Who has voted", "Not voted yet",
            "Turnout is public", "Exception requests", "Requests are accepted", "Requests closed",
            "Mark as", "reviewed</span>", ">Sent<", ">Contact<", ">Reason<", ">Comments<",
            "To let this person vote", "Ballot key", "Ballots are sealed", "Election data",
            "Live commit", "Last sync run", "Last successful sync", "The last sync succeeded",
            "No warnings", "Results are shown", ">Results</h2>", "downloads:", "ballots (CSV)",
            "ballots)", "the results appear", " at ", "Signed in as", "the site&#39;s default",
            "Running<", "closes in", "Nobody has voted", "Everyone on the list"]
r = olga.get(base(ALPHA) + "/admin", headers=ES)
t.equal("the officers' page (es): 200", r.status, 200, r)
spanish("the officers' page", r.text,
        ["<title>Responsables · Alpha/2026 · urna</title>", "<h1>Página de los responsables</h1>",
         "<bdi>Sesión iniciada como <strong>olga</strong></bdi>, responsable de esta elección.",
         "<h2>Participación</h2>", '<th scope="col">Votantes en el censo</th>',
         '<td class="eligible">2</td><td class="voted">1</td><td class="percent">50,0\u00a0%</td>',
         "Quién ha votado y quién todavía no", "<strong>Han votado</strong>",
         "<strong>Todavía no han votado</strong>", "<h2>Solicitudes de excepción <span",
         re.compile(r"Se admiten solicitudes hasta el <time datetime=\"[0-9T:-]+Z\">%s</time>\."
                    % ES_DATE),
         re.compile(r"<dt>Enviada</dt><dd><time datetime=\"[0-9T:-]+Z\">%s</time>" % ES_DATE),
         ">Marcar como no revisada</button>", '<span class="badge ok">revisada</span>',
         "Clave pública de las papeletas", "la predeterminada del sitio (urna.conf)",
         "Datos de la elección (sincronización con git)", "Commit en uso",
         re.compile(r"<dt>Última sincronización</dt><dd>%s</dd>" % ES_DATE),
         "La última sincronización fue correcta.",
         "los resultados aparecerán aquí cuando termine la votación",
         re.compile(r"badge phase running\">En curso</span> · cierra en \d+ (?:días|semanas)")],
        ADMIN_EN)
r = olga.get(base(DELTA) + "/admin", headers=ES)
spanish("a counted election's officers' page", r.text,
        [re.compile(r">Resultados</a> \(recuento del <time datetime=\"[0-9T:-]+Z\">%s</time>, "
                    r"2 votos\) · descargas: <a class=\"download csv\" href=\"[^\"]+\">papeletas "
                    r"\(CSV\)</a>" % ES_DATE),
         re.compile(r"badge phase closed\">Finalizada</span> · cerró hace \d+ días"),
         '<td class="percent">66,7\u00a0%</td>'], ADMIN_EN)
r = uma.get(base(UNI) + "/admin", headers=ES)
spanish("a parent's officers' page", r.text,
        ["Los votantes votan en las elecciones incluidas en esta; la participación se da por "
         "cada una.", "Todavía no ha votado nadie."], ADMIN_EN + ["Voters vote in the children"])

# ---------------------------------------------------------------------------
t.section("sync state on the officers' page")
head = git(work, "rev-parse", "HEAD")
t.check("the live commit is shown", head in page, head)
t.check("and that the last sync succeeded", "sync-ok" in page)
yaml_path = os.path.join(work, "elections", ALPHA, "election.yaml")
with open(yaml_path) as f:
    text = f.read()
with open(yaml_path, "w") as f:
    f.write(re.sub(r"^end_datetime: .*$", "end_datetime: not-a-date", text, flags=re.M))
git(work, "commit", "-q", "-am", "broken")
git(work, "push", "-q", "origin", "main")
rc, out = app.sync(check=False)
t.check("urna-sync fails on the broken commit", rc != 0, out[-2000:])
page = olga.get(base(ALPHA) + "/admin").text
t.check("the officers' page shows the sync error and the commit",
        "sync-error" in page and "end_datetime" in page
        and git(work, "rev-parse", "HEAD") in page, page[-4000:])
t.check("the last good commit stays live", head in page)

t.done()
