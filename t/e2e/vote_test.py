#!/usr/bin/python3
"""End-to-end checks of voting (issue 5) with plain HTTP through nginx,
urna.fcgi and a private MariaDB.

The metadata repository is examples/meta plus two elections built while
the test runs: e2e/closing (receipts; its end passes during the test) and
e2e/multi (a ranked, a Yes/No and an approval question). Sign-in is the demo
login (auth = demo); when the login page is missing, the session cookie is
made here exactly as src/web/session.cc makes it.

Checks: badges (eligible, not eligible, officer, voted); the booth (random
order, pre-filled passcode, the warning about it, the "written down" box
and the copy button); refusals that store nothing (no CSRF token 403,
empty ballot, bad rank, short passcode, the box not ticked, ineligible
voter, after the deadline); casting answers 303 to a GET page without the
passcode (Post/Redirect/Get), and the same booth page sent again stores
nothing (issue 10); viewing with the passcode (wrong passcode refused;
ranks shown once, ties grouped; the receipt); re-casting (wrong passcode
changes nothing); two concurrent first votes store exactly one ballot;
multi-question and parent/children ballots; the stored encoding; nothing
secret in the log. In Spanish (Accept-Language: es, issue 10 "two
languages"): the booth (lang="es", its help, passcode box, copy button and
the script's data-text-* words), a refused ballot's messages (whole
sentences with the question's title), the voted page, re-casting, the
view page (wrong passcode, ties, "not chosen", the receipt), the refusals
of an ineligible voter and after the deadline (a Spanish date), each with
no English sentence of these pages left.
"""

import base64
import datetime
import hashlib
import hmac
import html
import os
import re
import shutil
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import (BUILDDIR, Checks, Http, MariaDB, Nginx, SRCDIR, Urna,  # noqa: E402
                     ballot_count, csrf_of, git, sealed_ballots, write)

t = Checks("vote_test")
t.require_binaries("mariadb-install-db", "mariadbd", "mariadb", "nginx", "git",
                   os.path.join(BUILDDIR, "urna.fcgi"), os.path.join(BUILDDIR, "urna-sync"))
EXAMPLES = os.path.join(SRCDIR, "examples", "meta")
if not os.path.isdir(os.path.join(EXAMPLES, "elections")):
    t.skip("examples/meta/elections is missing")

# Seconds from building the repository until e2e/closing closes: enough to
# sync, start the servers and vote once in it.
CLOSING_IN = 45
STEERING = "steering/2026"


# ---------------------------------------------------------------------------
def utc(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def candidate(folder, cid, name):
    write(os.path.join(folder, "candidate-%s.md" % cid),
          "-------\nname: %s\nID: %s\n-------\n\nStatement of %s.\n" % (name, cid, name))


def build_repository(work, closing_end):
    shutil.copytree(EXAMPLES, work)
    root = os.path.join(work, "elections", "e2e")
    closing = os.path.join(root, "closing")
    write(os.path.join(closing, "election.yaml"), """name: Closing Soon
organization: e2e
start_datetime: 2026-01-01 00:00:00
end_datetime: %s
no_winners: 1
allow_no_opinion: True
receipts: True
election_officers:
  - olga
""" % utc(closing_end))
    write(os.path.join(closing, "election_desc.md"), "Closes while the test runs.\n")
    write(os.path.join(closing, "voters.yaml"), "eligible_voters:\n  - alice\n  - bob\n")
    for cid, name in (("ann", "Ann"), ("ben", "Ben"), ("cy", "Cy")):
        candidate(closing, cid, name)
    multi = os.path.join(root, "multi")
    write(os.path.join(multi, "election.yaml"), """name: Several Questions
organization: e2e
start_datetime: 2026-01-01 00:00:00
end_datetime: 2036-01-01 00:00:00
election_officers:
  - olga
questions:
  - id: seats
    title: Who should sit on the board?
    method: irv
    from_candidates: true
  - id: budget
    title: Approve the budget?
    method: plurality
    answers:
      - id: "yes"
        text: "Yes"
      - id: "no"
        text: "No"
  - id: tools
    title: Which tools should we support?
    method: approval
    max_selections: 2
    answers:
      - id: git
        text: Git
      - id: hg
        text: Mercurial
      - id: svn
        text: Subversion
""")
    write(os.path.join(multi, "election_desc.md"), "Three questions on one ballot.\n")
    write(os.path.join(multi, "voters.yaml"), "eligible_voters:\n  - alice\n  - bob\n")
    for cid, name in (("dee", "Dee"), ("eli", "Eli")):
        candidate(multi, cid, name)
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "examples/meta + e2e elections")


# ---------------------------------------------------------------------------
db = t.watch(MariaDB())
db.start()
work = os.path.join(db.dir, "meta-work")
closing_end = int(time.time()) + CLOSING_IN
build_repository(work, closing_end)
app = t.watch(Urna(db, workers=4, repo_url=work, repo_branch="main"))
app.migrate()
rc, out = app.sync(check=False)
t.equal("urna-sync stores the test repository", rc, 0, out[-3000:])
app.start()
ngx = t.watch(Nginx(app))
ngx.start()
PORT = ngx.port
KEY = app.settings["session_key"]


def forge_session(login, ttl=3600):
    """The cookie src/web/session.cc writes: b64url(payload).b64url(mac)."""
    def b64(b):
        return base64.urlsafe_b64encode(b).rstrip(b"=").decode()
    payload = "v1|%s|%d|%s" % (login, int(time.time()) + ttl, os.urandom(16).hex())
    mac = hmac.new(KEY.encode(), b"session|" + payload.encode(), hashlib.sha256).digest()
    return b64(payload.encode()) + "." + b64(mac)


class SpanishHttp(Http):
    """An Http client whose browser asks for Spanish (Accept-Language: es)."""

    def request(self, method, path, body=None, headers=None, cookies=True):
        h = {"Accept-Language": "es"}
        h.update(headers or {})
        return super().request(method, path, body=body, headers=h, cookies=cookies)


def sign_in(login, spanish=False):
    """An Http client signed in as `login`: the demo login page when there
    is one, else a session cookie made like urna's."""
    h = SpanishHttp(PORT) if spanish else Http(PORT)
    r = h.get("/urna/login?next=/urna/")
    m = re.search(r'name="csrf" value="([^"]*)"', r.text) if r.status == 200 else None
    if m and "demo-voters" in r.text:
        h.post("/urna/login", {"csrf": html.unescape(m.group(1)), "login": login})
    if "urna_session" not in h.cookies:
        h.cookies["urna_session"] = forge_session(login)
    return h


def passcode_of(page):
    m = re.search(r'<input type="text" name="passcode" id="passcode" value="([^"]*)"', page)
    return html.unescape(m.group(1)) if m else ""


def hidden(page, name):
    """The value of the booth's hidden field `name` ("" if none)."""
    m = re.search(r'<input type="hidden" name="%s" value="([^"]*)"' % re.escape(name), page)
    return html.unescape(m.group(1)) if m else ""


def booth_extra(page):
    """The fields a browser sends besides the ballot and the passcode: the
    page's submission id and, for a first vote, the ticked box."""
    out = [("submission", hidden(page, "submission"))]
    if 'name="passcode_saved"' in page:
        out.append(("passcode_saved", "yes"))
    return out


def cast_ok(r, eid):
    """A stored ballot answers 303 to the election's voted page."""
    return r.status == 303 and (r.header("Location") or "").split("?")[0] == base(eid) + "/voted"


def rank_fields(page):
    """The booth's rank selects in page order: [(field name, candidate id)]."""
    return [html.unescape(n) for n in re.findall(r'<select name="(rank/[^"]+)"', page)]


def selected(page):
    """{field: selected value} of the booth's selects."""
    out = {}
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        m = re.search(r'<option value="([^"]*)" selected>', body)
        out[html.unescape(name)] = html.unescape(m.group(1)) if m else None
    return out


def base(eid):
    return "/urna/elections/" + eid


def booth(h, eid):
    return h.get(base(eid) + "/vote")


def vote_form(page, ranks, passcode=None, extra=None, csrf=True, saved=True):
    """The booth form a browser sends for `ranks` ({candidate: rank}) of
    question main, with the pre-filled passcode unless one is given: (form,
    passcode)."""
    pc = passcode_of(page) if passcode is None else passcode
    form = [("csrf", csrf_of(page))] if csrf else []
    for f in rank_fields(page):
        cid = f.split("/", 2)[2]
        form.append((f, str(ranks.get(cid, ""))))
    form.append(("passcode", pc))
    form += [kv for kv in booth_extra(page) if saved or kv[0] != "passcode_saved"]
    form += list((extra or {}).items())
    return form, pc


def vote(h, eid, ranks, passcode=None, extra=None, csrf=True, saved=True):
    """Opens the booth and submits `ranks`. Returns (response, passcode used)."""
    page = booth(h, eid).text
    form, pc = vote_form(page, ranks, passcode, extra, csrf, saved)
    return post(h, base(eid) + "/vote", form), pc


def post(h, path, pairs):
    from urllib.parse import urlencode
    return h.request("POST", path, body=urlencode(pairs).encode(),
                     headers={"Content-Type": "application/x-www-form-urlencoded"})


def view(h, eid, passcode):
    page = h.get(base(eid) + "/ballot").text
    return post(h, base(eid) + "/ballot", [("csrf", csrf_of(page)), ("passcode", passcode)])


def stored_order(page):
    """Candidate ids of the viewed ballot in rank order, with their ranks."""
    return re.findall(r'data-aid="([^"]+)" data-rank="(\d+)"', page)


def sql(q):
    return db.sql(q, database=db.database).strip()


def ballots(eid):
    return ballot_count(db, eid)


def opened(eid):
    """The election's sealed ballots opened with the private key (as
    urna-tally would): [{question: ranking}], receipts apart."""
    return [b for b, _ in sealed_ballots(db, app, eid)]


def voted_rows(eid, login=None):
    w = " AND login = '%s'" % login if login else ""
    return int(sql("SELECT COUNT(*) FROM voters_voted WHERE election_id = '%s'%s" % (eid, w)))


def lang_of(page):
    m = re.search(r'<html lang="([^"]*)"', page)
    return m.group(1) if m else None


def missing(page, phrases):
    """The phrases of `phrases` that `page` lacks."""
    return [p for p in phrases if p not in page]


def left(page, phrases):
    """The (English) phrases of `phrases` that are still on `page`."""
    return [p for p in phrases if p in page]


# English sentences of the booth, voted and view pages (templates/vote.tpl,
# voted.tpl, view_ballot.tpl and src/web/vote_page.cc): none may be left on
# their Spanish pages. (The method line and the dates of the summary come
# from election_view.cc and are checked with it.)
EN_BOOTH = ["Vote: <bdi>", "Voting closes at", "Give <strong>1</strong>", '<p class="help">Choose',
            "Equal numbers mean", "drag the rows", "No answer (leave", "Write this passcode down",
            "I have written this passcode down", ">Copy</button>", '"Copied."',
            "Copying did not work", "your time)", "rank {rank} of {n}", "no opinion",
            "not ranked yet", "Not ranked", "Your ranking", "Drag candidates", "Move {name}",
            "Drag to reorder", ">about</a>", "Your passcode", "Cast my ballot",
            "Vote · ", "receipt code"]
EN_REFUSED = ["Your ballot was not stored", "Choose at most", "too short", "Write your passcode",
              "Your ballot is empty"]
EN_VOTED = ["Your ballot is cast", "Thank you for voting", "stored without your name",
            "You can change it", "View my ballot", "Change my ballot", "Back to the election",
            '"badge ok">voted', "Voted · ", "Your receipt"]
EN_RECAST = ["Change your ballot", "You have already voted", "View the ballot you cast"]
EN_VIEW = ["Your ballot", "Show my ballot", ">Passcode<", "Not chosen", "(tied)",
           "until voting closes", "Back to the election", "left this question blank",
           "no answer for this question", "That passcode does not open", "Enter the passcode"]


def badges(page):
    return set(re.findall(r'data-badge="([a-z-]+)"', page))


secrets_used = []  # passcodes: none may appear in urna's log

# ---------------------------------------------------------------------------
t.section("before the deadline (e2e/closing closes while the test runs)")
CLOSING = "e2e/closing"
bob = sign_in("bob")
r, bob_pc = vote(bob, CLOSING, {"ann": 1, "cy": 2})
secrets_used.append(bob_pc)
if time.time() >= closing_end - 1:
    t.check("the setup was quick enough to vote before e2e/closing closed", False,
            "raise CLOSING_IN")
t.check("a vote before the end is stored (303 to the voted page)", cast_ok(r, CLOSING), r)
r = bob.get(r.header("Location") or "/")
t.check("the voted page says where the receipt is, without a passcode or a receipt code",
        r.status == 200 and "sealed with your ballot" in r.text and bob_pc not in r.text
        and "receipt-code" not in r.text, r)
r = view(bob, CLOSING, bob_pc)
m = re.search(r'<code class="receipt-code">([^<]+)</code>', r.text)
receipt = html.unescape(m.group(1)) if m else ""
t.check("view my ballot shows the receipt made at cast time", r.status == 200 and receipt, r)
hashes = [h for _, h in sealed_ballots(db, app, CLOSING)]
t.check("the stored receipt hash matches the code shown",
        receipt and hashlib.sha256(("urna-receipt\n" + receipt).encode()).hexdigest() in hashes,
        (receipt, hashes))
alice_late = sign_in("alice")
closing_page = booth(alice_late, CLOSING).text  # submitted after the end

# ---------------------------------------------------------------------------
t.section("badges on the election page")
anon = Http(PORT)
r = anon.get(base(STEERING))
t.check("anonymous visitor: no badge, a sign-in link", r.status == 200 and not badges(r.text)
        and "/urna/login?next=" in r.text, badges(r.text))
r = anon.get(base(STEERING) + "/vote")
t.check("the booth sends an anonymous visitor to sign in",
        r.status == 303 and "/urna/login" in (r.header("Location") or ""), r)
r = anon.request("POST", base(STEERING) + "/vote", body="rank/main/hana-k=1",
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
t.equal("an anonymous POST to the booth is 403", r.status, 403, r)

alice = sign_in("alice")
r = alice.get(base(STEERING))
t.check("alice is eligible and has not voted", badges(r.text) == {"eligible"}, badges(r.text))
t.check("the election page links the booth while running",
        'href="/urna/elections/steering/2026/vote">Vote</a>' in r.text)
t.check("... and offers an eligible voter no exception request",
        'href="/urna/elections/steering/2026/exception"' not in r.text)
olga = sign_in("olga")
r = olga.get(base(STEERING))
t.check("olga (officer, not a voter) is not eligible and an officer",
        badges(r.text) == {"not-eligible", "officer"}, badges(r.text))
t.check("... and is offered the exception request, not the booth",
        'href="/urna/elections/steering/2026/exception"' in r.text and
        'href="/urna/elections/steering/2026/vote">' not in r.text)

t.section("the booth")
r = booth(alice, STEERING)
t.equal("GET the booth is 200", r.status, 200, r)
page = r.text
fields = rank_fields(page)
t.equal("one rank select per candidate", sorted(f.split("/")[2] for f in fields),
        ["hana-k", "ivan-p", "jorge-r", "kim-s", "lena-w"])
t.check("ranks 1..5 and no opinion offered",
        all('<option value="%d">' % i in page for i in range(1, 6)) and "no opinion" in page)
pc = passcode_of(page)
t.check("a generated passcode is pre-filled (>= 80 bits: 20 symbols of 32)",
        len(pc.replace("-", "")) >= 16, pc)
t.check("the page says the passcode is needed to view or change the vote",
        "cannot be viewed or changed" in page)
t.check("a required box 'I have written this passcode down' and a copy button",
        re.search(r'<input type="checkbox" name="passcode_saved" id="passcode_saved" value="yes" '
                  r'required>', page) and "I have written this passcode down" in page
        and re.search(r'<button type="button" class="copy" data-copy-target="passcode"[^>]* '
                      r'data-text-copied="Copied."[^>]* hidden>Copy</button>', page), page[-3000:])
t.check("the booth carries a random submission id (32 hex digits)",
        re.fullmatch(r"[0-9a-f]{32}", hidden(page, "submission")), hidden(page, "submission"))
t.check("the 'about' links do not open new tabs", 'class="about' in page and "_blank" not in page)
t.check("the booth works without JavaScript: a plain form posting to itself",
        '<form method="post" action="/urna/elections/steering/2026/vote"' in page
        and '<button type="submit"' in page)
orders = {tuple(rank_fields(booth(alice, STEERING).text)) for _ in range(12)}
t.check("candidates in a fresh random order per page view", len(orders) > 1, orders)
passcodes = {passcode_of(booth(alice, STEERING).text) for _ in range(3)}
t.equal("a fresh passcode per page view", len(passcodes), 3, passcodes)

t.section("refusals store nothing")
before = ballots(STEERING)
r, _ = vote(alice, STEERING, {"hana-k": 1}, csrf=False)
t.equal("no CSRF token: 403", r.status, 403, r)
r = post(alice, base(STEERING) + "/vote", [("csrf", "forged"), ("rank/main/hana-k", "1"),
                                           ("passcode", pc)])
t.equal("a wrong CSRF token: 403", r.status, 403, r)
r, _ = vote(alice, STEERING, {})
t.check("an empty ballot is refused with a message (400)",
        r.status == 400 and "ranks nobody" in r.text, r)
r, _ = vote(alice, STEERING, {"hana-k": 1, "kim-s": 9})
t.check("a rank out of range is refused (400)", r.status == 400 and "from 1 to 5" in r.text, r)
sel = selected(r.text)
t.check("the form comes back with the voter's input",
        sel.get("rank/main/hana-k") == "1" and passcode_of(r.text), sel)
r, _ = vote(alice, STEERING, {"hana-k": 1}, extra={"rank/main/mallory": "2"})
t.check("an unknown candidate is refused (400)", r.status == 400 and "not on it" in r.text, r)
r, _ = vote(alice, STEERING, {"hana-k": 1}, passcode="short")
t.check("a passcode shorter than passcode_min_length is refused (400)",
        r.status == 400 and "too short" in r.text, r)
r, _ = vote(alice, STEERING, {"hana-k": 1, "kim-s": 2}, saved=False)
t.check("the box 'I have written this passcode down' not ticked: refused (400), says why",
        r.status == 400 and "I have written this passcode down" in r.text
        and "Your ballot was not stored" in r.text, r)
sel = selected(r.text)
t.check("... with the voter's input kept (ranks, passcode, the box still unticked)",
        sel.get("rank/main/kim-s") == "2" and passcode_of(r.text)
        and 'value="yes" required checked' not in r.text, sel)
t.equal("nothing was stored", (ballots(STEERING), voted_rows(STEERING, "alice")), (before, 0))
r = alice.get(base(STEERING))
t.check("alice still has not voted", "voted" not in badges(r.text), badges(r.text))

t.section("casting, viewing, re-casting")
first = {"kim-s": 1, "hana-k": 2, "ivan-p": 2, "lena-w": 3}
page = booth(alice, STEERING).text
alice_form, alice_pc = vote_form(page, first)
secrets_used.append(alice_pc)
r = post(alice, base(STEERING) + "/vote", alice_form)
t.check("a valid ballot is cast: 303 See Other to the voted page (Post/Redirect/Get)",
        cast_ok(r, STEERING) and "?" not in r.header("Location"), r)
t.check("... the passcode is in neither the Location nor a cookie",
        alice_pc not in (r.header("Location") or "") and
        not any(alice_pc in v for v in r.header_all("Set-Cookie")), r.headers)
voted_url = r.header("Location")
r = alice.get(voted_url)
t.check("GET the voted page: Your ballot is cast, badge voted, until when, view and change",
        r.status == 200 and "Your ballot is cast" in r.text and 'class="badge ok">voted' in r.text
        and "You can change it until voting closes" in r.text
        and 'href="/urna/elections/steering/2026/ballot"' in r.text
        and 'href="/urna/elections/steering/2026/vote">Change my ballot' in r.text, r)
t.check("... and shows no passcode", alice_pc not in r.text and
        alice_pc.replace("-", "") not in r.text and 'name="passcode"' not in r.text)
t.check("no receipt where the election has none", "receipt" not in r.text)
stored_before = sorted(str(b) for b in opened(STEERING))
r = alice.get(voted_url)
t.check("reloading the voted page changes nothing",
        r.status == 200 and "Your ballot is cast" in r.text and ballots(STEERING) == before + 1, r)
r = post(alice, base(STEERING) + "/vote", alice_form)
t.check("the identical POST sent again (F5, back and resubmit) lands on the voted page",
        cast_ok(r, STEERING), r)
r = alice.get(r.header("Location") or "/")
t.check("... which says it was stored once, and nothing more", r.status == 200 and
        "Your ballot is stored" in r.text and "already been sent" in r.text, r)
t.equal("... the ballot count and the stored ballot are unchanged",
        (ballots(STEERING), sorted(str(b) for b in opened(STEERING))), (before + 1, stored_before))
r = post(alice, base(STEERING) + "/vote",
         [kv if kv[0] != "rank/main/kim-s" else ("rank/main/kim-s", "4") for kv in alice_form])
t.check("the same page changed and sent again is still that page: nothing re-cast",
        cast_ok(r, STEERING) and "again=1" in r.header("Location", ""), r)
t.equal("... the stored ballot unchanged", sorted(str(b) for b in opened(STEERING)), stored_before)
t.equal("one ballot and one 'voted' row", (ballots(STEERING), voted_rows(STEERING, "alice")),
        (before + 1, 1))
rows = [b.get("main") for b in opened(STEERING)]
t.check("the sealed ballot opens (independent implementation) to id=rank sorted by id, "
        "unranked omitted", "hana-k=2&ivan-p=2&kim-s=1&lena-w=3" in rows, rows)
raw = sql("SELECT HEX(ciphertext) FROM sealed_ballots WHERE election_id = '%s'" % STEERING)
t.check("the stored ciphertext holds no answer id (plain or hex)",
        raw and "kim-s" not in raw and "kim-s".encode().hex().upper() not in raw.upper(), raw[:200])
lengths = set(sql("SELECT LENGTH(ciphertext) FROM sealed_ballots WHERE election_id = '%s'"
                  % STEERING).split())
t.equal("every ciphertext of the election has the same length", len(lengths), 1, lengths)
cols = sql("SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY COLUMN_NAME) FROM information_schema.COLUMNS "
           "WHERE TABLE_SCHEMA = '%s' AND TABLE_NAME = 'sealed_ballots'" % db.database)
t.equal("the sealed_ballots table holds id, election, ciphertext, receipt: no voter, no time",
        cols, "ciphertext,election_id,id,receipt_hash")
t.equal("the plaintext ballots table of schema 1-3 gets nothing",
        sql("SELECT COUNT(*) FROM ballots"), "0")
r = alice.get(base(STEERING))
t.check("the election page shows Voted", "voted" in badges(r.text), badges(r.text))
t.check("... and its Vote button now reads Change my vote", ">Change my vote</a>" in r.text)

r = alice.get(base(STEERING) + "/ballot")
t.check("GET /ballot asks for the passcode (no passcode in any URL)",
        r.status == 200 and 'method="post"' in r.text and 'name="passcode"' in r.text, r)
r = view(alice, STEERING, "WRONG-WRONG-WRONG-WRONG")
t.check("viewing with a wrong passcode is refused", r.status == 403 and "does not open" in r.text, r)
r = view(alice, STEERING, alice_pc.lower().replace("-", " "))
t.equal("viewing with the passcode (any case, spaces for dashes) is 200", r.status, 200, r)
t.equal("the viewed ballot is the one cast, in rank order", stored_order(r.text),
        [("kim-s", "1"), ("hana-k", "2"), ("ivan-p", "2"), ("lena-w", "3")])
ranking = re.search(r'<ul class="stored-ranking">(.*?)</ul>', r.text, re.S)
ranking = ranking.group(1) if ranking else ""
t.check("ranks shown once: no numbered list markers, one number per rank (defect 4)",
        "<ol" not in r.text.split('class="stored"')[-1] and
        re.findall(r'<span class="rank">(\d+)</span>', ranking) == ["1", "2", "3"], ranking)
t.check("tied ranks grouped: '2 — Hana, Ivan (tied)'",
        re.search(r'<span class="rank">2</span> — <bdi data-aid="hana-k" data-rank="2">[^<]+</bdi>, '
                  r'<bdi data-aid="ivan-p" data-rank="2">[^<]+</bdi> <span class="tied">\(tied\)</span>',
                  ranking), ranking)
t.check("the view offers to change it while running", 'name="action" value="change"' in r.text)
t.check("the view lists the unranked as no opinion", "No opinion: <bdi>Jorge" in r.text, r.text[-800:])
r = post(alice, base(STEERING) + "/ballot", [("passcode", alice_pc)])
t.equal("viewing without a CSRF token is 403", r.status, 403, r)
r = alice.get(base(STEERING) + "/ballot?passcode=" + alice_pc)
t.check("a passcode in the URL opens nothing (GET only asks)",
        r.status == 200 and not stored_order(r.text) and 'name="passcode"' in r.text, r)
erin = sign_in("erin")
r = view(erin, STEERING, "SOME-PASSCODE-1234")
t.check("viewing without having voted says so (404)",
        r.status == 404 and "have not voted" in r.text, r)

page = alice.get(base(STEERING) + "/ballot").text
r = post(alice, base(STEERING) + "/ballot", [("csrf", csrf_of(page)), ("passcode", alice_pc),
                                             ("action", "change")])
sel = selected(r.text)
t.check("Change my ballot opens the booth filled in with the stored ballot",
        r.status == 200 and sel.get("rank/main/kim-s") == "1" and sel.get("rank/main/lena-w") == "3"
        and sel.get("rank/main/jorge-r") == "0" and 'type="password"' in r.text, sel)
t.equal("... in the stored order", [f.split("/")[2] for f in rank_fields(r.text)][:4],
        ["kim-s", "hana-k", "ivan-p", "lena-w"] if rank_fields(r.text).index("rank/main/hana-k")
        < rank_fields(r.text).index("rank/main/ivan-p") else ["kim-s", "ivan-p", "hana-k", "lena-w"])
r = post(alice, base(STEERING) + "/ballot", [("csrf", csrf_of(page)), ("passcode", "WRONG-1234-5678"),
                                             ("action", "change")])
t.check("... but not with a wrong passcode", r.status == 403 and 'name="rank/' not in r.text, r)

page = booth(alice, STEERING).text
t.check("the booth now asks for the passcode to change the ballot",
        "You have already voted" in page and not passcode_of(page))
second = {"lena-w": 1, "jorge-r": 2}
r, _ = vote(alice, STEERING, second, passcode="WRONG-PASSCODE-123456")
t.check("re-casting with a wrong passcode is refused and says so",
        r.status == 403 and "Nothing was changed" in r.text, r)
r = view(alice, STEERING, alice_pc)
t.equal("... and the ballot is unchanged", stored_order(r.text)[0], ("kim-s", "1"))
r, _ = vote(alice, STEERING, {}, passcode=alice_pc)
t.check("an empty re-cast is refused too", r.status == 400 and "ranks nobody" in r.text, r)
r, _ = vote(alice, STEERING, second, passcode=alice_pc)
t.check("re-casting with the passcode: 303 to the voted page",
        cast_ok(r, STEERING) and "changed=1" in r.header("Location", ""), r)
r = alice.get(r.header("Location"))
t.check("... Your ballot is changed", r.status == 200 and "Your ballot is changed" in r.text, r)
r = view(alice, STEERING, alice_pc)
t.equal("the viewed ballot is the new one", stored_order(r.text), [("lena-w", "1"), ("jorge-r", "2")])
t.equal("still one ballot and one 'voted' row for alice",
        (ballots(STEERING), voted_rows(STEERING, "alice")), (before + 1, 1))

t.section("ineligible voters")
r = booth(olga, STEERING)
t.check("the booth refuses a voter not on the list (403)",
        r.status == 403 and "not on the voter list" in r.text, r)
page = booth(alice, STEERING).text
r = post(olga, base(STEERING) + "/vote", [("csrf", csrf_of(olga.get(base(STEERING)).text)),
                                          ("rank/main/hana-k", "1"), ("passcode", "x" * 20)])
t.check("a POST from a voter not on the list is refused (403)", r.status == 403, r)
t.equal("olga has no 'voted' row", voted_rows(STEERING, "olga"), 0)

t.section("two concurrent first votes store exactly one ballot")
carol = sign_in("carol")
page = booth(carol, STEERING).text
carol_pc = passcode_of(page)
secrets_used.append(carol_pc)
form = [("csrf", csrf_of(page)), ("rank/main/ivan-p", "1"), ("passcode", carol_pc)] + \
    booth_extra(page)
before = ballots(STEERING)
results = []
gate = threading.Barrier(2)


def submit():
    gate.wait()
    results.append(post(carol, base(STEERING) + "/vote", form).status)


threads = [threading.Thread(target=submit) for _ in range(2)]
for th in threads:
    th.start()
for th in threads:
    th.join()
t.check("both submissions (one booth page, a double click) are answered 303",
        results == [303, 303], results)
t.equal("exactly one ballot and one 'voted' row", (ballots(STEERING), voted_rows(STEERING, "carol")),
        (before + 1, 1))
# Two submissions with different passcodes: the second cannot replace the first.
dave = sign_in("dave")
pages = [booth(dave, STEERING).text for _ in range(2)]
forms = [[("csrf", csrf_of(p)), ("rank/main/kim-s", "1"), ("passcode", passcode_of(p))] +
         booth_extra(p) for p in pages]
secrets_used += [passcode_of(p) for p in pages]
results = []
before = ballots(STEERING)


def submit_n(i):
    gate.wait()
    results.append(post(dave, base(STEERING) + "/vote", forms[i]).status)


threads = [threading.Thread(target=submit_n, args=(i,)) for i in range(2)]
for th in threads:
    th.start()
for th in threads:
    th.join()
t.check("different passcodes: one stored (303), one refused (403)", sorted(results) == [303, 403],
        results)
t.equal("exactly one ballot for dave", (ballots(STEERING), voted_rows(STEERING, "dave")),
        (before + 1, 1))

t.section("a ballot of several questions")
MULTI = "e2e/multi"
page = booth(alice, MULTI).text
t.check("ranked selects, Yes/No radios and approval checkboxes",
        'name="rank/seats/dee"' in page and 'type="radio" name="pick/budget"' in page
        and 'type="checkbox" name="pick/tools"' in page, page[:3000])
csrf, pc = csrf_of(page), passcode_of(page)
secrets_used.append(pc)
bad = [("csrf", csrf), ("rank/seats/dee", "1"), ("pick/budget", "yes"), ("pick/tools", "git"),
       ("pick/tools", "hg"), ("pick/tools", "svn"), ("passcode", pc)] + booth_extra(page)
r = post(alice, base(MULTI) + "/vote", bad)
t.check("three approvals where two are allowed: 400", r.status == 400 and "at most 2" in r.text, r)
t.check("the form comes back with the choices kept",
        re.search(r'value="svn" checked', r.text) and re.search(r'value="yes" checked', r.text))
good = [("csrf", csrf), ("rank/seats/dee", "2"), ("rank/seats/eli", "1"), ("pick/budget", "no"),
        ("pick/tools", "hg"), ("passcode", pc)] + booth_extra(page)
r = post(alice, base(MULTI) + "/vote", good)
t.check("a multi-question ballot is cast", cast_ok(r, MULTI), r)
rows = [sorted("%s:%s" % qr for qr in b.items()) for b in opened(MULTI)]
t.equal("one sealed ballot holding every question, each encoded", rows,
        [["budget:no=1", "seats:dee=2&eli=1", "tools:hg=1"]])
r = view(alice, MULTI, pc)
t.check("the view shows every question",
        r.status == 200 and all('data-qid="%s"' % q in r.text for q in ("seats", "budget", "tools")), r)

t.section("a parent sends the voter through the children in order")
PARENT = "university-2026"
r = booth(carol, PARENT)
t.equal("the parent's booth is 200", r.status, 200, r)
stud = r.text.find("/university-2026/students/vote")
prof = r.text.find("/university-2026/professors/vote")
t.check("carol's children listed in natural order", 0 < stud < prof, (stud, prof))
t.check("it continues with the first child", "Continue: vote in <bdi>Students</bdi>" in r.text)
r = post(carol, base(PARENT) + "/vote", [("csrf", csrf_of(r.text))])
t.check("a POST to the parent itself is refused", r.status == 400, r)
page = booth(carol, PARENT + "/students").text
pc = passcode_of(page)
secrets_used.append(pc)
r = post(carol, base(PARENT + "/students") + "/vote",
         [("csrf", csrf_of(page)), ("pick/q1", "yes"), ("pick/q2", "no"), ("passcode", pc)]
         + booth_extra(page))
t.check("a child's ballot cast from its own booth: 303 to its voted page",
        cast_ok(r, PARENT + "/students"), r)
r = carol.get(r.header("Location") or "/")
t.check("after the first child, the Voted page leads on (through the process's booth)",
        r.status == 200 and "Next: vote in <bdi>Professors</bdi>" in r.text
        and '<a class="button next" href="%s/vote">' % base(PARENT) in r.text, r)
page = booth(carol, PARENT + "/professors").text
pc = passcode_of(page)
secrets_used.append(pc)
t.check("the next child's own booth offers to keep one passcode through the process's page",
        "To keep one passcode for all of them" in page, page[-3000:])
r = post(carol, base(PARENT + "/professors") + "/vote",
         [("csrf", csrf_of(page)), ("pick/q1", "no"), ("passcode", pc)] + booth_extra(page))
r = carol.get(r.header("Location") or "/")
t.check("after the last child: all done", r.status == 200 and "all of your elections" in r.text, r)
r = booth(carol, PARENT)
t.check("the parent's booth shows both voted", r.text.count('class="badge ok">voted') == 2, r)
r = carol.get(base(PARENT))
t.check("the parent page marks each child voted", r.text.count('data-badge="voted"') == 2, r)
r = booth(alice, PARENT + "/professors")
t.equal("alice may not vote in professors (403)", r.status, 403, r)

t.section("in Spanish (Accept-Language: es)")
bob_es = sign_in("bob", spanish=True)
r = booth(bob_es, MULTI)
page = r.text
t.check("the booth: 200, lang=\"es\", Vary: Accept-Language",
        r.status == 200 and lang_of(page) == "es"
        and "accept-language" in (r.header("Vary") or "").lower(), r)
t.equal("... its title, heading, help, passcode box and button in Spanish", missing(page, [
    "<title>Votar · Several Questions · urna</title>", "<h1>Votar: <bdi>Several Questions</bdi></h1>",
    "Cierre de la votación: <time", "Da un <strong>1</strong> a tu primera opción",
    "Un mismo número para varios candidatos", '<p class="help">Elige una respuesta.</p>',
    '<p class="help">Elige hasta 2.</p>', "Sin respuesta (dejar esta pregunta en blanco)",
    "<legend>Tu clave</legend>", "<strong>Apunta esta clave", ">Clave</label>",
    "He apuntado esta clave</label>", ">Copiar</button>", ">Emitir mi voto</button>",
    "También puedes arrastrar las filas"]), [])
t.equal("... and the words the scripts show or announce (data-text-*)", missing(page, [
    'data-text-copied="Copiada."', 'data-text-copy-failed="No se ha podido copiar',
    'data-text-ranked-title="Tu orden (tu primera opción arriba)"',
    'data-text-pool-title="Sin ordenar (sin opinión)"',
    'data-text-moved-rank="{name}: puesto {rank} de {n}"',
    'data-text-moved-none="{name}: sin opinión"',
    'data-text-handle-label="Mover a {name} (flechas arriba y abajo)"',
    'data-text-local-time="({time} en tu hora local)"', 'title="Arrastra para cambiar el orden"']),
    [])
t.check("... the rank selects' first option in Spanish",
        re.search(r'<option value="0*"( selected)?>(sin opinión|elige)</option>', page), page)
t.equal("... and no English sentence of the booth left", left(page, EN_BOOTH), [])
csrf = csrf_of(page)
pc = passcode_of(page)
secrets_used.append(pc)
extra = booth_extra(page)
bad = [("csrf", csrf), ("rank/seats/dee", "1"), ("pick/budget", "yes"), ("pick/tools", "git"),
       ("pick/tools", "hg"), ("pick/tools", "svn"), ("passcode", "corta")] + extra[:1]
r = post(bob_es, base(MULTI) + "/vote", bad)
t.check("a refused ballot (three approvals, a short passcode, the box not ticked): 400 in Spanish",
        r.status == 400 and lang_of(r.text) == "es", r)
t.equal("... each message a whole Spanish sentence, the question's title in it", missing(r.text, [
    "<strong>Tu papeleta no se ha guardado.</strong>",
    "Elige como máximo 2 respuestas (Which tools should we support?)",
    "Tu clave es demasiado corta: usa al menos",
    "Apunta tu clave (o cópiala en un lugar seguro) y marca «He apuntado esta clave»."]), [])
t.equal("... no English message left", left(r.text, EN_REFUSED + EN_BOOTH), [])
r = post(bob_es, base(MULTI) + "/vote", [("csrf", csrf), ("passcode", pc)] + extra)
t.check("an empty ballot: 400, said in Spanish for a ballot of several kinds of question",
        r.status == 400 and "Tu papeleta está vacía, así que no se ha guardado." in r.text
        and not left(r.text, EN_REFUSED), r)
good = [("csrf", csrf), ("rank/seats/dee", "1"), ("rank/seats/eli", "1"), ("pick/budget", "***"),
        ("pick/tools", "hg"), ("passcode", pc)] + extra
r = post(bob_es, base(MULTI) + "/vote", good)
t.check("the ballot is cast (303)", cast_ok(r, MULTI), r)
r = bob_es.get(r.header("Location") or "/")
t.check("the voted page: 200, lang=\"es\"", r.status == 200 and lang_of(r.text) == "es", r)
t.equal("... in Spanish", missing(r.text, [
    "<title>Voto emitido · Several Questions · urna</title>", "Tu voto se ha emitido",
    '<span class="badge ok">has votado</span>', "Gracias por votar en <bdi>Several Questions</bdi>.",
    "Tu papeleta se guarda sin tu nombre; solo tu clave la abre.",
    "Puedes cambiarla hasta el cierre de la votación: <time", 'aria-label="Tu papeleta"',
    ">Ver mi papeleta</a>", ">Cambiar mi papeleta</a>", ">Volver a la elección</a>"]), [])
t.equal("... no English sentence left", left(r.text, EN_VOTED), [])
r = booth(bob_es, MULTI)
t.equal("the booth again: changing the ballot, in Spanish", missing(r.text, [
    "<legend>Cambiar tu papeleta</legend>", "Ya has votado. Si envías esta papeleta",
    ">Ver la papeleta que emitiste</a>", ">Tu clave</label>"]), [])
t.equal("... no English left", left(r.text, EN_RECAST + EN_BOOTH), [])
page = bob_es.get(base(MULTI) + "/ballot").text
t.equal("view my ballot asks for the passcode in Spanish", missing(page, [
    "<title>Tu papeleta · Several Questions · urna</title>", "<h1>Tu papeleta</h1>",
    "solo la abre la clave que elegiste al votar", ">Clave</label>", ">Ver mi papeleta</button>",
    ">Volver a la elección</a>"]), [])
t.equal("... no English left", left(page, EN_VIEW), [])
r = post(bob_es, base(MULTI) + "/ballot", [("csrf", csrf_of(page)), ("passcode", "")])
t.check("no passcode: 400, said in Spanish",
        r.status == 400 and "Escribe la clave que elegiste al votar." in r.text, r)
r = post(bob_es, base(MULTI) + "/ballot", [("csrf", csrf_of(page)),
                                          ("passcode", "WRONG-PASSCODE-ES")])
t.check("a wrong passcode: 403, said in Spanish",
        r.status == 403 and "Esa clave no abre tu papeleta. No se ha cambiado nada." in r.text
        and not left(r.text, EN_VIEW), r)
r = view(bob_es, MULTI, pc)
t.check("the right passcode shows the ballot (200, lang=\"es\")",
        r.status == 200 and lang_of(r.text) == "es", r)
t.equal("... in Spanish: the tie, the blank question, the answers not chosen, the change button",
        missing(r.text, ['<span class="tied">(empatados)</span>',
                         "Dejaste esta pregunta en blanco.", "No elegidas: <bdi>",
                         ">Cambiar mi papeleta</button>", "hasta el cierre de la votación (<time",
                         "la cabina de votación se abre con esta papeleta ya rellenada"]), [])
t.equal("... no English left", left(r.text, EN_VIEW), [])
olga_es = sign_in("olga", spanish=True)
r = booth(olga_es, STEERING)
t.check("an officer not on the voter list: 403, said in Spanish with the login",
        r.status == 403 and lang_of(r.text) == "es"
        and "No estás (olga) en el censo de esta elección, así que no puedes votar en ella."
        in r.text and "not on the voter list" not in r.text, r)

t.section("the deadline")
time.sleep(max(0, closing_end - time.time()) + 1.5)
r = post(alice_late, base(CLOSING) + "/vote", [("csrf", csrf_of(closing_page)),
                                               ("rank/main/ann", "1"),
                                               ("passcode", passcode_of(closing_page))]
         + booth_extra(closing_page))
t.check("a vote after the end is refused (403) and says voting closed",
        r.status == 403 and "closed" in r.text, r)
t.equal("... and nothing stored", voted_rows(CLOSING, "alice"), 0)
r, _ = vote(bob, CLOSING, {"ben": 1}, passcode=bob_pc)
t.equal("re-casting after the end is refused", r.status, 403, r)
r = booth(bob, CLOSING)
t.equal("the booth is closed (403)", r.status, 403, r)
r = bob.get(base(CLOSING))
t.check("the election page no longer links the booth", "/e2e/closing/vote" not in r.text)
r = view(bob, CLOSING, bob_pc)
t.check("the ballot can still be viewed, without a change link",
        r.status == 200 and stored_order(r.text)[:1] == [("ann", "1")]
        and "Change my ballot" not in r.text, r)
SPANISH_DATE = (r"\d{1,2} de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|"
                r"octubre|noviembre|diciembre) de \d{4} a las \d{2}:\d{2} UTC")
r = booth(bob_es, CLOSING)
t.check("in Spanish: the closed booth says so with a Spanish date (403)",
        r.status == 403 and lang_of(r.text) == "es"
        and re.search(r"La votación de Closing Soon se cerró el %s\. Ya no se aceptan ni se "
                      r"cambian papeletas\." % SPANISH_DATE, r.text)
        and "closed on" not in r.text, r)
r = view(bob_es, CLOSING, bob_pc)
t.check("... and the receipt on the view page is explained in Spanish",
        r.status == 200 and "Tu código de resguardo: <code" in r.text
        and "Cambiar mi papeleta" not in r.text and not left(r.text, EN_VIEW + ["receipt code"]),
        r)

t.section("nothing secret in the log")
time.sleep(0.3)
with open(app.log, encoding="utf-8", errors="replace") as f:
    log = f.read()
leaked = [p for p in secrets_used if p and (p in log or p.replace("-", "") in log)]
t.check("no passcode in urna's log", not leaked, leaked)
t.check("no ranking in urna's log", "kim-s=1" not in log and "rank/main" not in log)
t.check("wrong passcodes are logged, view and re-cast, with the client (issue 9)",
        "from 127.0.0.1: election %s, login alice: wrong passcode (view)" % STEERING in log
        and "from 127.0.0.1: election %s, login alice: wrong passcode (re-cast)" % STEERING
        in log,
        log[-3000:])
t.check("... never the wrong passcode itself",
        not any(w in log for w in ("WRONG-WRONG", "WRONG-1234", "WRONG-PASSCODE")), "")

t.done()
