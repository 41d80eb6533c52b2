#!/usr/bin/python3
"""End-to-end checks of the public election pages and the webhook (issue 3,
items 4 and 5) against real servers.

A private MariaDB, urna.fcgi behind nginx (the shipped sample), and a real
git repository built from examples/meta while the test runs (a working
clone pushing to a bare "origin" that urna-sync pulls). Checks:

- the list page puts every top-level election under running / upcoming /
  completed as its dates say, and lists children under their parent in a
  <details> block;
- every election page and a candidate page of each election answer 200
  with their names; results.md is shown when present; an unknown election
  or candidate is 404;
- dates without ":00" seconds, spans as people say them; the method line
  in voters' words; status badges (voted in a completed election), each
  with its own colour and icon; one rule for exception texts, and the
  example repository follows it; a skip link first, landmarks, labelled
  navs, <th scope> on the public pages and the officers' page (issue 10);
- with Accept-Language: es every page this test visits (home, running,
  upcoming, completed, parent and child elections, a candidate, the
  exception form, the officers' page, the demo sign-in page) is Spanish:
  lang="es", its key sentences, dates such as "15 de junio de 2036,
  23:59:59 UTC", spans such as "cierra en 3 semanas", and none of a list
  of the English sentences of those templates;
- the webhook: 403 without or with a wrong X-Hub-Signature-256, 202 with a
  valid one, 429 with Retry-After when repeated too fast, 200 for a ping;
- a new commit (an election renamed) pushed and synced shows on the pages
  without restarting urna.fcgi; `urna-sync --if-requested` syncs only after
  a webhook; a broken commit makes urna-sync fail non-zero and the last
  good snapshot stays live.

Skips (77) only if a server program or a binary is missing.
"""

import base64
import datetime
import glob
import html as htmllib
import hashlib
import hmac
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import BUILDDIR, SRCDIR, Checks, Http, MariaDB, Nginx, Urna  # noqa: E402
from html.parser import HTMLParser  # noqa: E402

t = Checks("pages_test")
SYNC = os.path.join(BUILDDIR, "urna-sync")
t.require_binaries("mariadb-install-db", "mariadbd", "mariadb", "nginx", "git",
                   os.path.join(BUILDDIR, "urna.fcgi"), SYNC)
EXAMPLES = os.path.join(SRCDIR, "examples", "meta")
if not os.path.isdir(os.path.join(EXAMPLES, "elections")):
    t.skip("examples/meta/elections is missing")

SECRET = "e2e-webhook-secret-" + os.urandom(6).hex()
MIN_INTERVAL = 3  # seconds between accepted webhooks


# ---------------------------------------------------------------------------
# The example repository, read just enough to know what the pages must show
# (top-level `key: value` lines of election.yaml; no YAML library needed).
def yaml_scalar(text, key):
    m = re.search(r"^%s:[ \t]*(.*?)[ \t]*$" % re.escape(key), text, re.M)
    if not m:
        return None
    v = m.group(1)
    v = re.sub(r"\s+#.*$", "", v)
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        v = v[1:-1]
    return v


def parse_date(v):
    if not v:
        return None
    v = v.strip().replace("Z", "+00:00")
    if re.fullmatch(r"\d{4}-\d\d-\d\d", v):
        v += " 00:00:00"
    d = datetime.datetime.fromisoformat(v.replace(" ", "T", 1))
    if d.tzinfo is None:
        d = d.replace(tzinfo=datetime.timezone.utc)
    return d.timestamp()


def html_text(s):
    """How CTemplate's HTML escaping shows `s`."""
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def read_elections(root):
    out = {}
    for path in sorted(glob.glob(os.path.join(root, "elections", "**", "election.*"),
                                 recursive=True)):
        if not path.endswith((".yaml", ".yml")):
            continue
        folder = os.path.dirname(path)
        eid = os.path.relpath(folder, os.path.join(root, "elections"))
        with open(path, encoding="utf-8") as f:
            text = f.read()
        cands = []
        for c in sorted(glob.glob(os.path.join(folder, "candidate-*.md"))):
            with open(c, encoding="utf-8") as f:
                # Front matter between lines of three or more dashes (Elekto).
                front = re.split(r"^-{3,}[ \t]*$", f.read(), maxsplit=2, flags=re.M)
            name = yaml_scalar(front[1], "name") if len(front) > 2 else None
            cid = os.path.basename(c)[len("candidate-"):-len(".md")]
            cands.append((cid, name or cid))
        out[eid] = {
            "id": eid, "path": path, "name": yaml_scalar(text, "name") or eid,
            "exception_description": yaml_scalar(text, "exception_description"),
            "start": parse_date(yaml_scalar(text, "start_datetime")),
            "end": parse_date(yaml_scalar(text, "end_datetime")),
            "candidates": cands,
            "results": os.path.exists(os.path.join(folder, "results.md")),
        }
    # Children: folders below an election; they inherit missing dates.
    for eid, e in out.items():
        parent = os.path.dirname(eid)
        while parent and parent not in out:
            parent = os.path.dirname(parent)
        e["parent"] = parent or None
        if parent:
            e["start"] = e["start"] or out[parent]["start"]
            e["end"] = e["end"] or out[parent]["end"]
    return out


def phase(e, now):
    if now < e["start"]:
        return "upcoming"
    if now < e["end"]:
        return "running"
    return "closed"


def git(repo, *args, check=True):
    r = subprocess.run(["git", "-C", repo, "-c", "user.name=e2e", "-c", "user.email=e2e@localhost",
                        "-c", "commit.gpgsign=false"] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if check and r.returncode != 0:
        raise RuntimeError("git %s: %s" % (" ".join(args), r.stdout))
    return r.stdout


def section_of(body, eid):
    """Which group of the list page (running/upcoming/closed) holds eid."""
    at = body.find('data-id="%s"' % eid)
    if at < 0:
        return None
    best, where = None, -1
    for key in ("running", "upcoming", "closed"):
        p = body.find('id="%s"' % key)
        if where < p < at:
            best, where = key, p
    return best


def wait_for(fn, timeout=10):
    deadline = time.monotonic() + timeout
    r = fn()
    while not r[0] and time.monotonic() < deadline:
        time.sleep(0.25)
        r = fn()
    return r


class Outline(HTMLParser):
    """What the accessibility checks need from a page: its focusable
    elements in order, landmarks, navs, table headers, ids."""
    FOCUSABLE = {"a", "button", "input", "select", "textarea", "summary"}

    def __init__(self, text):
        super().__init__()
        self.focusable, self.tags, self.navs, self.ths, self.ids = [], [], [], [], set()
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if "id" in a:
            self.ids.add(a["id"])
        if tag in self.FOCUSABLE and not (tag == "input" and a.get("type") == "hidden") \
                and not (tag == "a" and "href" not in a):
            self.focusable.append((tag, a))
        if tag == "nav":
            self.navs.append(a)
        if tag == "th":
            self.ths.append(a)


def accessible(what, text):
    """Issue 10, accessibility: a skip link first, landmarks, labelled
    navs, every table header with its scope."""
    o = Outline(text)
    first = o.focusable[0] if o.focusable else (None, {})
    t.check("%s: the first focusable element is the skip link to #main" % what,
            first[0] == "a" and first[1].get("href") == "#main"
            and "skip-link" in first[1].get("class", "") and "main" in o.ids, first)
    t.check("%s: 'Skip to content'" % what, ">Skip to content</a>" in text)
    for landmark in ("header", "main", "footer", "nav"):
        t.check("%s: has <%s>" % (what, landmark), landmark in o.tags)
    t.check("%s: every <nav> has an aria-label" % what, all(n.get("aria-label") for n in o.navs),
            o.navs)
    t.check("%s: every <th> has scope" % what,
            all(th.get("scope") in ("col", "row") for th in o.ths), o.ths)


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def signed_in(login):
    """A client with a session cookie made the way urna makes them."""
    h = Http(ngx.port)
    payload = "v1|%s|%d|%s" % (login, time.time() + 3600, os.urandom(16).hex())
    mac = hmac.new(app.settings["session_key"].encode(), ("session|" + payload).encode(),
                   hashlib.sha256).digest()
    h.cookies["urna_session"] = "%s.%s" % (b64(payload.encode()), b64(mac))
    return h


def badge_of(page, eid):
    """The status badges of one election's row on the home page."""
    at = page.find('data-id="%s"' % eid)
    end = page.find("</li>", at)
    return re.findall(r'<span class="badge status ([a-z-]+)">', page[at:end]) if at >= 0 else None


def sign(body):
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


# ---------------------------------------------------------------------------
db = t.watch(MariaDB())
db.start()
tmp = db.dir
origin = os.path.join(tmp, "origin.git")
work = os.path.join(tmp, "work")
shutil.copytree(EXAMPLES, work)
git(work, "init", "-q", "-b", "main")
git(work, "add", "-A")
git(work, "commit", "-q", "-m", "examples/meta")
subprocess.run(["git", "clone", "-q", "--bare", work, origin], check=True)
git(work, "remote", "add", "origin", origin)

app = t.watch(Urna(db, workers=2, repo_url=origin, repo_branch="main",
                   webhook_secret=SECRET, webhook_min_interval=MIN_INTERVAL))
app.migrate()
rc, out = app.sync(check=False)
t.equal("first urna-sync succeeds", rc, 0, out[-3000:])
app.start()
ngx = t.watch(Nginx(app))
ngx.start()
web = Http(ngx.port)
urna_pid = app.pid
elections = read_elections(work)
now = time.time()

# ---------------------------------------------------------------------------
t.section("the list page")
r = web.get("/urna/")
t.equal("GET /urna/ is 200", r.status, 200, r)
home = r.text
tops = [e for e in elections.values() if not e["parent"]]
phases = {phase(e, now) for e in tops}
t.check("the examples have running, upcoming and completed elections",
        phases == {"running", "upcoming", "closed"}, phases)
for e in tops:
    t.equal("%s listed as %s" % (e["id"], phase(e, now)), section_of(home, e["id"]),
            phase(e, now))
    t.check("%s listed with its name" % e["id"], html_text(e["name"]) in home, e["name"])
for e in elections.values():
    if not e["parent"]:
        continue
    p_at = home.find('data-id="%s"' % e["parent"])
    d_at = home.find("<details", p_at)
    c_at = home.find('data-id="%s"' % e["id"])
    end_at = home.find("</details>", d_at)
    t.check("child %s listed under its parent in <details>" % e["id"],
            0 <= p_at < d_at < c_at < end_at, (p_at, d_at, c_at, end_at))
    t.equal("child %s listed once" % e["id"], home.count('data-id="%s"' % e["id"]), 1)
# Newest first inside each group.
for key in ("running", "upcoming", "closed"):
    listed = [e for e in tops if phase(e, now) == key]
    listed.sort(key=lambda e: home.find('data-id="%s"' % e["id"]))
    starts = [e["start"] for e in listed]
    t.check("%s elections newest first" % key, starts == sorted(starts, reverse=True),
            [e["id"] for e in listed])

t.section("election, candidate and results pages")
for e in elections.values():
    url = "/urna/elections/" + e["id"]
    r = web.get(url)
    t.check("GET %s is 200 with its name" % url,
            r.status == 200 and html_text(e["name"]) in r.text, r)
    if e["results"]:
        t.check("%s shows its published results.md" % e["id"], "Published results" in r.text, r)
    if e["parent"]:
        t.check("%s links to its parent" % e["id"],
                'href="/urna/elections/%s"' % e["parent"] in r.text, r)
    for cid, cname in e["candidates"][:2]:
        t.check("%s links candidate %s" % (e["id"], cid),
                'href="%s/candidates/%s"' % (url, cid) in r.text, cid)
        c = web.get("%s/candidates/%s" % (url, cid))
        t.check("GET %s/candidates/%s is 200 with the name" % (url, cid),
                c.status == 200 and html_text(cname) in c.text, c)
t.check("at least one example has results.md", any(e["results"] for e in elections.values()))
t.check("at least one example has candidates", any(e["candidates"] for e in elections.values()))
some = next(e for e in elections.values() if e["candidates"])
for url in ("/urna/elections/no-such-election", "/urna/elections/%s/candidates/nobody" % some["id"],
            "/urna/elections/no/such/candidates/x"):
    r = web.get(url)
    t.check("GET %s is 404" % url, r.status == 404 and "Request id" in r.text, r)

t.section("dates people read (issue 10 §11)")
for url in ["/urna/"] + ["/urna/elections/" + e["id"] for e in elections.values()]:
    text = web.get(url).text
    t.check("%s: no ':00' seconds in the dates shown" % url,
            not re.search(r">[^<]*\d:\d\d:00 (?:[AP]M )?UTC<", text),
            re.findall(r">[^<]*:00 (?:[AP]M )?UTC<", text)[:3])
    t.check("%s: dates as people write them, in UTC (\"June 15, 2036 at 11:59:59 PM UTC\")" % url,
            re.search(r"<time datetime=\"[^\"]+\">[A-Z][a-z]+ \d{1,2}, \d{4} at \d{1,2}:\d\d"
                      r"(?::\d\d)? [AP]M UTC</time>", text)
            and not re.search(r'<time datetime="[^"]+">\d{4}-', text), url)
    t.check("%s: <time datetime> in ISO UTC for urna.js" % url,
            re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">', text), url)
    spans = re.findall(r"(?:closes in|opens in|closed) ([^<·]*?)(?: ago)?(?=<|$| ·)", text)
    t.check("%s: time spans in one or two units, never hundreds of days" % url,
            spans and not any(re.search(r"\d{3,} days|\d+ days \d+ hours", x)
                              and not re.match(r"1[0-3]? days", x) for x in spans), spans)
r = web.get("/urna/elections/steering/2026")
t.check("steering/2026 closes in years, not thousands of days",
        re.search(r'<dd class="when">closes in \d+ years?( \d+ months?)?</dd>', r.text), r.text[:3000])

t.section("words voters understand (issue 10 §8)")
for e in elections.values():
    text = web.get("/urna/elections/" + e["id"]).text
    t.check("%s: no 'to elect', 'seat(s)' or 'pick one'" % e["id"],
            "to elect" not in text and "seat(s)" not in text and "pick one" not in text)
text = web.get("/urna/elections/university-2026/students").text
t.equal("a Yes/No question says 'Choose one answer'",
        re.findall(r'<td class="instruction"[^>]*>([^<]*)</td>', text),
        ["Choose one answer", "Choose one answer"], text[-3000:])
text = web.get("/urna/elections/steering/2026").text
t.equal("the steering election says 'Rank the candidates · 3 seats to fill'",
        re.findall(r'<td class="instruction"[^>]*>([^<]*)</td>', text),
        [htmllib.escape("Rank the candidates · 3 seats to fill", quote=False)], text[-3000:])
alice = signed_in("alice")
booth = alice.get("/urna/elections/university-2026/students/vote")
t.check("the booth of a Yes/No question says 'Choose one answer' too",
        booth.status == 200 and booth.text.count('<p class="muted method">Choose one answer</p>') == 2
        and "to elect" not in booth.text, booth.text[:3000])

t.section("statuses that look different (issue 10 §10)")
db.sql("INSERT INTO voters_voted (election_id, login, salt, sealed) VALUES "
       "('steering/2025', 'alice', UNHEX('%s'), UNHEX('%s'));"
       % (os.urandom(16).hex(), os.urandom(60).hex()), database=db.database)
home_a = alice.get("/urna/")
t.equal("alice's home page: 200", home_a.status, 200)
t.equal("a completed election alice voted in says 'voted'", badge_of(home_a.text, "steering/2025"),
        ["voted"], home_a.text[:4000])
t.equal("a running one she has not voted in says 'eligible'",
        badge_of(home_a.text, "steering/2026"), ["eligible"])
t.equal("alice in the upcoming election: eligible", badge_of(home_a.text, "code-of-conduct/2036"),
        ["eligible"])
t.equal("the Students child: eligible; Professors: nothing",
        [badge_of(home_a.text, "university-2026/students"),
         badge_of(home_a.text, "university-2026/professors")], [["eligible"], []])
t.equal("olga: not eligible and officer", badge_of(signed_in("olga").get("/urna/").text,
                                                  "steering/2026"), ["not-eligible", "officer"])
r = alice.get("/urna/elections/steering/2025")
t.check("the completed election's page says alice voted, and not that she may change it",
        'data-badge="voted" class="badge status voted">voted</span> you voted in this election.'
        in r.text and "change your ballot" not in r.text, r.text[:4000])
for key in ("running", "upcoming", "closed"):
    t.check("the home page heads the %s group with its status badge" % key,
            re.search(r'<h2 id="%s-title"><span class="badge phase %s">' % (key, key), home_a.text))
with open(os.path.join(SRCDIR, "static", "urna.css"), encoding="utf-8") as f:
    css = f.read()
looks = {}
for sel in (".badge.phase.running", ".badge.phase.upcoming", ".badge.phase.closed",
            ".badge.status.eligible", ".badge.status.voted", ".badge.status.not-eligible",
            ".badge.status.officer"):
    rule = re.search(re.escape(sel) + r" \{([^}]*)\}", css)
    icon = re.search(re.escape(sel) + r'::before \{ content: "([^"]+)"', css)
    color = re.search(r"(?:^|;)\s*color: ([^;]+);", rule.group(1)) if rule else None
    bg = re.search(r"background: ([^;]+);", rule.group(1)) if rule else None
    looks[sel] = ((color.group(1) if color else None, bg.group(1) if bg else None),
                  icon.group(1) if icon else None)
t.check("every status has a colour and an icon in urna.css",
        all(c[0] and i for c, i in looks.values()), looks)
t.equal("... each its own colour", len({c for c, _ in looks.values()}), len(looks), looks)
t.equal("... and its own icon", len({i for _, i in looks.values()}), len(looks), looks)

t.section("one rule for exception requests, and the examples follow it (issue 10 §6)")
zed = signed_in("zed")
DENIALS = re.compile(r"no exception|not accept|were accepted|closed|cannot request", re.I)
for e in elections.values():
    desc = e["exception_description"]
    t.check("%s: its exception_description does not deny requests" % e["id"],
            not desc or not DENIALS.search(desc), desc)
    page = zed.get("/urna/elections/" + e["id"]).text
    xpage = zed.get("/urna/elections/%s/exception" % e["id"])
    form = 'class="exception-form"' in xpage.text
    link = 'href="/urna/elections/%s/exception"' % e["id"] in page
    opened = 'class="muted requests-open"' in page
    closed = 'class="muted requests-closed"' in page
    t.check("%s: the form, the link and 'Requests are accepted' go together" % e["id"],
            form == link == opened and not (opened and closed), (form, link, opened, closed))
    if desc:
        shown = html_text(desc) in page
        t.check("%s: the invitation shows exactly while the form exists" % e["id"],
                shown == form and (html_text(desc) in xpage.text) == form, (shown, form))
    else:
        t.check("%s: no description, no form and nothing about requests" % e["id"],
                not form and not opened and not closed
                and "does not take exception requests" in xpage.text, xpage.text[:3000])
    t.check("%s: no 'No exception requests' next to an open form" % e["id"],
            not (form and DENIALS.search(re.sub(r"<[^>]+>", " ", xpage.text.split("<form")[0])
                                         .split("Request an exception", 1)[-1])), e["id"])

t.section("in Spanish (Accept-Language: es)")
ES = {"Accept-Language": "es-ES,es;q=0.9"}
MONTHS = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
ES_TIME = re.compile(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">\d{1,2} de (?:%s) de '
                     r'\d{4}, \d\d:\d\d(?::\d\d)? UTC</time>' % MONTHS)
# English sentences of the pages this test shows (home, election, candidate,
# exception, officers', sign-in), none of which may be left in Spanish.
ENGLISH = ["closes in", "opens in", " ago<", " ago ·", "Running<", "Upcoming<", "Completed<",
           " AM UTC", " PM UTC", "Voting opens", "Voting closes", ">Status<", ">Officers<",
           "Eligible voters", "Ballot key", "How to vote", "Counted by", ">Choices<",
           ">Question<", "Rank the candidates", "seats to fill", "Choose one", "On the ballot",
           "Requests are accepted", "closed on", "to see whether you can vote",
           "Published results", "Who can vote", "Elections in this process", "Part of ",
           "Candidate in", "Back to ", "Request an exception", "Officers&#39; page",
           "Your standing", "you are on the voter list", "you may vote in", "you voted in",
           "View my ballot", "Signed in as", ">eligible<", ">voted<", ">not eligible<",
           ">officer<", "Instant-runoff",
           "Most votes", "Questions (consolidated", "This election", "the 3 candidates",
           "Skip to content", "Elections run with"]


def urnas_own(text):
    """`text` without what the election's repository wrote (descriptions,
    bios, results.md, eligibility and exception texts: English in the
    examples), which no catalog translates."""
    text = re.sub(r'<section class="[^"]*markdown">.*?</section>', "", text, flags=re.S)
    text = re.sub(r'<div class="markdown">.*?</div>', "", text, flags=re.S)
    return re.sub(r'<p class="pre">.*?</p>', "", text, flags=re.S)


def spanish(what, text, want):
    t.check("%s (es): <html lang=\"es\">" % what, '<html lang="es">' in text, text[:300])
    for w in want:
        found = w.search(text) if isinstance(w, re.Pattern) else w in text
        t.check("%s (es): %r" % (what, getattr(w, "pattern", w)), found, text[:5000])
    left = [e for e in ENGLISH if e in urnas_own(text)]
    t.equal("%s (es): no English sentence left" % what, left, [], text[:5000])


r = web.get("/urna/", headers=ES)
spanish("home", r.text,
        ['<h2 id="running-title"><span class="badge phase running">En curso</span>',
         '<h2 id="upcoming-title"><span class="badge phase upcoming">Próximas</span>',
         '<h2 id="closed-title"><span class="badge phase closed">Finalizadas</span>', ES_TIME,
         re.compile(r'<span class="when">cierra en \d+ (?:años?|meses|semanas)'),
         re.compile(r'<span class="when">abre en \d+ años?'),
         re.compile(r'<span class="when">cerró hace \d+ (?:días|semanas|meses|años?)'),
         "15 de junio de 2036, 23:59:59 UTC</time>"])
r = alice.get("/urna/", headers=ES)
spanish("alice's home", r.text, ['<span class="badge status voted">has votado</span>',
                                 '<span class="badge status eligible">con derecho a voto</span>'])
t.equal("... the same badges as in English", badge_of(r.text, "steering/2025"), ["voted"])
r = web.get("/urna/elections/steering/2026", headers=ES)
spanish("a running election", r.text,
        ['<span class="badge phase running">En curso</span>', "<dt>Apertura de la votación</dt>",
         "<dt>Cierre de la votación</dt>", ES_TIME,
         re.compile(r'<dd class="when">cierra en \d+ años?( y \d+ meses?)?</dd>'),
         "<dt>Votantes en el censo</dt>", "Clave pública de las papeletas",
         'aria-label="Esta elección"', ">Votar</a>", ">Solicitar una excepción</a>",
         re.compile(r"Se admiten solicitudes hasta el %s\." % ES_TIME.pattern),
         '<h2 dir="auto">En la papeleta</h2>', "Ordena a los candidatos · 3 puestos que cubrir",
         "para ver si puedes votar"])
r = alice.get("/urna/elections/steering/2025", headers=ES)
spanish("a completed election alice voted in", r.text,
        ['<span class="badge phase closed">Finalizada</span>',
         re.compile(r'<dd class="when">cerró hace \d+ (?:semanas|meses|años?)'),
         'class="badge status voted">has votado</span> votaste en esta elección.',
         ">Ver mi papeleta</a>", ">Resultados</a>",
         re.compile(r"El plazo de solicitudes de excepción terminó el %s\." % ES_TIME.pattern)])
r = web.get("/urna/elections/code-of-conduct/2036", headers=ES)
spanish("an upcoming election", r.text,
        ['<span class="badge phase upcoming">Próxima</span>',
         re.compile(r'<dd class="when">abre en \d+ años?'),
         ">15 de junio de 2036, 23:59:59 UTC</time>"])
r = alice.get("/urna/elections/university-2026", headers=ES)
spanish("a parent", r.text,
        ["<h2>Elecciones de este proceso <span", "Preguntas (reunidas de las elecciones incluidas)",
         "Elige una respuesta", "Más votos (mayoría simple)",
         '<span class="badge status eligible">con derecho a voto</span> puedes votar en'])
r = web.get("/urna/elections/university-2026/students", headers=ES)
spanish("a child", r.text, ['Forma parte de <a class="parent" href="/urna/elections/university-2026">'])
some_c = next(e for e in elections.values() if e["candidates"])
r = web.get("/urna/elections/%s/candidates/%s" % (some_c["id"], some_c["candidates"][0][0]),
            headers=ES)
spanish("a candidate", r.text, ["Candidato en <bdi>", "Volver a <bdi>"])
r = web.get("/urna/elections/%s/candidates/nobody" % some_c["id"], headers=ES)
t.check("an unknown candidate (es): 404 in Spanish",
        r.status == 404 and "Esta elección no tiene ese candidato." in r.text, r.text[:2000])
r = zed.get("/urna/elections/steering/2026/exception", headers=ES)
spanish("the exception form", r.text,
        ["<h1>Solicitar una excepción</h1>", ">Enviar la solicitud</button>",
         re.compile(r"Se admiten solicitudes hasta el %s y solo pueden leerlas" % ES_TIME.pattern)])
r = zed.get("/urna/elections/code-of-conduct/2036/exception", headers=ES)
spanish("an exception page of an election taking none", r.text,
        ["Esta elección no admite solicitudes de excepción."])
r = signed_in("olga").get("/urna/elections/steering/2026/admin", headers=ES)
spanish("the officers' page", r.text,
        ["<h1>Página de los responsables</h1>", "<h2>Participación</h2>",
         re.compile(r'<td class="percent">\d+,\d\u00a0%</td>'), "Todavía no han votado",
         "los resultados aparecerán aquí cuando termine la votación"])
r = web.get("/urna/login", headers=ES)
roles = re.sub(r"\s+", " ", r.text)
spanish("the demo sign-in page", r.text,
        ["Responsable de ", "Votante en ", "(votación abierta)",
         "No está en ningún censo: no puede votar, puede solicitar una excepción"])
t.check("the demo sign-in page (es): no English role left",
        not any(e in roles for e in ("Election officer of", "Voter in", "(voting now)",
                                     "(not open yet)", "(closed)", "Not on any voter list")),
        roles[:4000])

t.section("accessibility of the layout (issue 10)")
pages = [("home", web.get("/urna/").text), ("home, signed in", home_a.text),
         ("login", web.get("/urna/login").text),
         ("exception form", zed.get("/urna/elections/steering/2026/exception").text),
         ("officers' page", signed_in("olga").get("/urna/elections/steering/2026/admin").text)]
for e in elections.values():
    pages.append((e["id"], web.get("/urna/elections/" + e["id"]).text))
    for cid, _ in e["candidates"][:1]:
        pages.append(("%s candidate" % e["id"],
                      web.get("/urna/elections/%s/candidates/%s" % (e["id"], cid)).text))
for what, text in pages:
    accessible(what, text)
with open(os.path.join(SRCDIR, "static", "urna.css"), encoding="utf-8") as f:
    css = f.read()
t.check("the focus ring is not the old #ffbf47 (1.6:1 on the page) and states its ratio",
        not re.search(r":focus-visible \{[^}]*#ffbf47", css)
        and re.search(r":focus-visible \{ outline: 3px solid #000;", css)
        and "3.45:1" in css, css[:400])

t.section("phone width, 390 px (issue 10 §7)")
try:
    from webdriver import ChromeDriver, chromium_binary  # noqa: E402
except ImportError:
    chromium_binary = None
if chromium_binary and chromium_binary() and shutil.which("chromedriver"):
    drv = t.watch(ChromeDriver())
    drv.start()
    phone = drv.session(javascript=True, window=(390, 844))
    # Headless Chromium keeps a window at least 500 px wide: emulate the
    # phone's viewport (chromedriver's DevTools endpoint).
    phone.cmd("POST", "/goog/cdp/execute", {"cmd": "Emulation.setDeviceMetricsOverride", "params": {
        "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}})
    BASE = "http://127.0.0.1:%d" % ngx.port
    phone.get(BASE + "/urna/")
    t.check("the viewport is 390 px wide", phone.execute("return window.innerWidth") == 390,
            phone.execute("return window.innerWidth"))
    urls = ["/urna/"] + ["/urna/elections/" + e["id"] for e in elections.values()]
    urls += ["/urna/elections/%s/candidates/%s" % (e["id"], c[0])
             for e in elections.values() for c in e["candidates"][:1]]
    for url in urls:
        phone.get(BASE + url)
        w = phone.execute("return [document.documentElement.scrollWidth, window.innerWidth]")
        t.check("%s at 390 px: no horizontal scrolling" % url, w[0] <= w[1], w)
    phone.get(BASE + "/urna/elections/university-2026/students")
    cells = phone.execute(
        "return [...document.querySelectorAll('table.questions td')].map(c => "
        "getComputedStyle(c).display)")
    t.check("the election page's question table stacks its cells at 390 px",
            cells and all(d == "block" for d in cells), cells)
    top = phone.execute("var s = document.querySelector('.skip-link');"
                        "var before = s.getBoundingClientRect().bottom; s.focus();"
                        "return [before, s.getBoundingClientRect().top, document.activeElement === s]")
    t.check("the skip link is out of sight until focused, then on screen",
            top[0] <= 0 and top[1] >= 0 and top[2], top)
    phone.quit()
else:
    t.section("no chromium/chromedriver: the 390 px checks are not run")

t.section("the webhook")
body = b'{"ref":"refs/heads/main","after":"0000000000000000000000000000000000000000"}'
json_h = {"Content-Type": "application/json", "X-GitHub-Event": "push"}
r = web.request("POST", "/urna/webhook", body=body, headers=json_h)
t.equal("webhook without a signature is 403", r.status, 403, r)
r = web.request("POST", "/urna/webhook", body=body,
                headers=dict(json_h, **{"X-Hub-Signature-256": "sha256=" + "0" * 64}))
t.equal("webhook with a wrong signature is 403", r.status, 403, r)
r = web.request("POST", "/urna/webhook", body=body + b" ",
                headers=dict(json_h, **{"X-Hub-Signature-256": sign(body)}))
t.equal("webhook signed for another body is 403", r.status, 403, r)
r = web.request("POST", "/urna/webhook", body=body,
                headers=dict(json_h, **{"X-GitHub-Event": "ping", "X-Hub-Signature-256": sign(body)}))
t.equal("webhook ping is 200", r.status, 200, r)
started = time.monotonic()
r = web.request("POST", "/urna/webhook", body=body,
                headers=dict(json_h, **{"X-Hub-Signature-256": sign(body)}))
t.equal("webhook with a valid signature is 202", r.status, 202, r)
t.check("webhook answers quickly", time.monotonic() - started < 2, time.monotonic() - started)
r = web.request("POST", "/urna/webhook", body=body,
                headers=dict(json_h, **{"X-Hub-Signature-256": sign(body)}))
t.equal("a second webhook at once is 429", r.status, 429, r)
t.check("429 says when to retry", (r.header("Retry-After") or "").isdigit(), r.headers)
r = web.request("GET", "/urna/webhook")
t.equal("GET /urna/webhook is 405", r.status, 405, r)

t.section("a pushed commit goes live without a restart")
target = next(e for e in tops if phase(e, now) == "running" and not e["parent"])
new_name = "Renamed by the e2e test %s" % os.urandom(3).hex()


def rename(e, name):
    with open(e["path"], encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"^name:.*$", "name: %s" % name.replace("\\", ""), text, count=1, flags=re.M)
    with open(e["path"], "w", encoding="utf-8") as f:
        f.write(text)
    git(work, "commit", "-q", "-am", "rename " + e["id"])
    git(work, "push", "-q", "origin", "main")


rename(target, new_name)
rc, out = app.sync(check=False)
t.equal("urna-sync after the rename succeeds", rc, 0, out[-3000:])
r = wait_for(lambda: ((lambda r: (new_name in r.text, r))(web.get("/urna/elections/" + target["id"]))))
t.check("the election page shows the new name", r[0], r[1])
t.check("the list page shows the new name", new_name in web.get("/urna/").text)
t.equal("urna.fcgi was not restarted", app.pid, urna_pid)

help_rc, help_out = app.run_tool([SYNC, "--help"], check=False)
if "--if-requested" in help_out:
    t.section("urna-sync --if-requested honours the webhook")
    time.sleep(MIN_INTERVAL + 0.5)  # past the rate limit of the webhook above
    # The webhook above requested a sync, which the plain sync consumed or
    # not; start from a clean state by running --if-requested once.
    app.run_tool([SYNC, "--config", app.config_path, "--if-requested"], check=False)
    second = "Renamed again %s" % os.urandom(3).hex()
    rename(target, second)
    rc, out = app.run_tool([SYNC, "--config", app.config_path, "--if-requested"], check=False)
    t.equal("--if-requested without a webhook exits 0", rc, 0, out[-2000:])
    time.sleep(1.5)
    t.check("--if-requested without a webhook did not sync",
            second not in web.get("/urna/elections/" + target["id"]).text)
    r = web.request("POST", "/urna/webhook", body=body,
                    headers=dict(json_h, **{"X-Hub-Signature-256": sign(body)}))
    t.equal("webhook after the interval is 202 again", r.status, 202, r)
    rc, out = app.run_tool([SYNC, "--config", app.config_path, "--if-requested"], check=False)
    t.equal("--if-requested after a webhook exits 0", rc, 0, out[-2000:])
    r = wait_for(lambda: ((lambda r: (second in r.text, r))(web.get("/urna/elections/" + target["id"]))))
    t.check("--if-requested after a webhook synced the new commit", r[0], r[1])
    new_name = second
else:
    t.section("urna-sync has no --if-requested mode yet: those checks are not run")

t.section("a broken commit keeps the last good snapshot")
with open(target["path"], encoding="utf-8") as f:
    good_text = f.read()
broken = re.sub(r"^name:.*$", "name: [Broken by the e2e test", good_text, count=1, flags=re.M)
with open(target["path"], "w", encoding="utf-8") as f:
    f.write(broken)
git(work, "commit", "-q", "-am", "broken YAML")
git(work, "push", "-q", "origin", "main")
rc, out = app.sync(check=False)
t.check("urna-sync of a broken commit exits non-zero", rc != 0, out[-3000:])
t.check("urna-sync names the broken file", "election.yaml" in out, out[-3000:])
time.sleep(1.5)  # the snapshot cache looks at the database once a second
r = web.get("/urna/elections/" + target["id"])
t.check("the page still shows the last good snapshot",
        r.status == 200 and new_name in r.text and "Broken" not in r.text, r)
t.equal("the list page still answers", web.get("/urna/").status, 200)
t.equal("urna.fcgi still the same process", app.pid, urna_pid)

t.done()
