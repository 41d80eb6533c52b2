#!/usr/bin/python3
"""Message lengths that do not tell the vote (issue 9 §5, docs/voting.md
"Message length"), through nginx with the shipped snippet, urna.fcgi and a
private MariaDB.

One election, e2e/pad: a ranked question over three candidates (no opinion
allowed) and a Yes/No question. Every possible ballot — each candidate
unranked or ranked 1, 2 or 3 (equal ranks included), times Yes, No or
blank: 4^3 x 3 = 192, of which 191 are not empty — is

- built as a browser builds it from the served booth (the form's controls
  in document order, the chosen <option> of each select, the checked
  radio, encoded as application/x-www-form-urlencoded is by browsers):
  every one has the same length, and so do the real requests;
- cast by its own voter through nginx: accepted, and the sealed ballot
  (opened here with the private key) holds exactly the ranks chosen;
- viewed with its passcode ("view my ballot"): the response has the same
  length for all 191, its content shows the ballot, and nginx's access log
  records the same byte count for every one of these responses.

Also: the old, unpadded values ("" for no opinion, "no" for No, no radio
at all) are still accepted.

Skips (77) only if a server program or a binary is missing.
"""

import html
import html.parser
import itertools
import os
import re
import shutil
import sys
from urllib.parse import urlencode

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import (BUILDDIR, Checks, Http, MariaDB, Nginx, Urna, csrf_of, git,  # noqa: E402
                     sealed_ballots, write)

t = Checks("padding_test")
t.require_binaries("mariadb-install-db", "mariadbd", "mariadb", "nginx", "git",
                   os.path.join(BUILDDIR, "urna.fcgi"), os.path.join(BUILDDIR, "urna-sync"),
                   os.path.join(BUILDDIR, "urna-tally"))

EID = "e2e/pad"
CANDIDATES = [("ann", "Ann"), ("benedict", "Benedict Long-Name"), ("cy", "Cy")]
VOTERS = ["v%03d" % i for i in range(200)]


def build_repository(work):
    root = os.path.join(work, "elections", "e2e", "pad")
    write(os.path.join(root, "election.yaml"), """name: Padding
organization: e2e
start_datetime: 2026-01-01 00:00:00
end_datetime: 2036-01-01 00:00:00
allow_no_opinion: true
election_officers:
  - olga
questions:
  - id: seats
    title: Who should sit on the board?
    method: schulze
    from_candidates: true
  - id: budget
    title: Approve the budget?
    method: plurality
    answers:
      - id: "yes"
        text: "Yes"
      - id: "no"
        text: "No"
""")
    write(os.path.join(root, "election_desc.md"), "Every ballot the same size.\n")
    write(os.path.join(root, "voters.yaml"),
          "eligible_voters:\n" + "".join("  - %s\n" % v for v in VOTERS))
    for cid, name in CANDIDATES:
        write(os.path.join(root, "candidate-%s.md" % cid),
              "---\nname: %s\nID: %s\n---\n\nStatement.\n" % (name, cid))
    js = os.path.join(work, "elections", "e2e", "padjs")
    write(os.path.join(js, "election.yaml"), """name: Padding with approval
organization: e2e
start_datetime: 2026-01-01 00:00:00
end_datetime: 2036-01-01 00:00:00
election_officers:
  - olga
questions:
  - id: tools
    title: Which tools should we support?
    method: approval
    answers:
      - id: git
        text: Git
      - id: hg
        text: Mercurial
      - id: subversion
        text: Subversion
  - id: budget
    title: Approve the budget?
    method: plurality
    answers:
      - id: "yes"
        text: "Yes"
      - id: "no"
        text: "No"
""")
    write(os.path.join(js, "election_desc.md"), "Approval, padded by the booth's script.\n")
    write(os.path.join(js, "voters.yaml"), "eligible_voters:\n  - jsvoter\n")
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "padding election")


class BoothForm(html.parser.HTMLParser):
    """The booth form's controls in document order, as a browser sees them:
    [("input", type, name, value, checked) | ("select", name, [values],
    selected value)]."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.controls = []
        self.in_form = False
        self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "booth":
            self.in_form = True
        if not self.in_form:
            return
        if tag == "input" and a.get("name"):
            self.controls.append(("input", a.get("type", "text"), a["name"], a.get("value", ""),
                                  "checked" in a))
        elif tag == "select":
            self.select = ["select", a["name"], [], None]
            self.controls.append(self.select)
        elif tag == "option" and self.select is not None:
            self.select[2].append(a.get("value", ""))
            if "selected" in a:
                self.select[3] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        if tag == "select":
            self.select = None


def parse_booth(page):
    p = BoothForm()
    p.feed(page)
    return p.controls


def browser_encode(s):
    """application/x-www-form-urlencoded as browsers write it (WHATWG URL
    standard): A-Z a-z 0-9 * - . _ as they are, space as +, the rest %XX."""
    out = []
    for b in s.encode("utf-8"):
        c = chr(b)
        if c.isascii() and (c.isalnum() or c in "*-._"):
            out.append(c)
        elif c == " ":
            out.append("+")
        else:
            out.append("%%%02X" % b)
    return "".join(out)


def form_body(controls, choose):
    """The body a browser submits: `choose(name, values)` picks the value of
    each select and radio group; other inputs as served, and the required
    "I have written this passcode down" box ticked (a first vote needs it)."""
    pairs, radios_done = [], set()
    for c in controls:
        if c[0] == "select":
            pairs.append((c[1], choose(c[1], c[2])))
        elif c[1] == "radio":
            name = c[2]
            if name in radios_done:
                continue
            radios_done.add(name)
            values = [x[3] for x in controls if x[0] == "input" and x[1] == "radio"
                      and x[2] == name]
            v = choose(name, values)
            if v is not None:
                pairs.append((name, v))
        elif c[1] in ("hidden", "text", "password"):
            pairs.append((c[2], c[3]))
        elif c[1] == "checkbox" and c[2] == "passcode_saved":
            pairs.append((c[2], c[3]))
    return "&".join(browser_encode(n) + "=" + browser_encode(v) for n, v in pairs)


def rank_of(value):
    """The rank a select value means: 0 for no opinion."""
    return int(value) if value.strip("0") else 0


def all_ballots():
    """Every ballot: ({candidate: rank 0..3}, budget 'yes' | 'no' | None)."""
    for ranks in itertools.product(range(4), repeat=3):
        for budget in ("yes", "no", None):
            yield dict(zip([c for c, _ in CANDIDATES], ranks)), budget


def chooser(ballot):
    ranks, budget = ballot

    def choose(name, values):
        if name.startswith("rank/seats/"):
            want = ranks[name.split("/")[2]]
            return [v for v in values if rank_of(v) == want][0]
        if name == "pick/budget":
            want = budget or ""
            return [v for v in values if v.rstrip("*") == want][0]
        raise AssertionError(name)
    return choose


def expected_plain(ballot):
    """The stored parts: seats 'id=rank&...' (sorted, unranked left out),
    budget 'yes=1' or ''."""
    ranks, budget = ballot
    seats = "&".join("%s=%d" % (c, r) for c, r in sorted(ranks.items()) if r)
    return {"seats": seats, "budget": "%s=1" % budget if budget else ""}


def shown_ballot(page):
    """The view page's content: ({candidate: rank}, budget or None)."""
    seats = re.search(r'<section class="question" data-qid="seats">(.*?)</section>', page, re.S)
    budget = re.search(r'<section class="question" data-qid="budget">(.*?)</section>', page, re.S)
    ranks = {aid: int(r) for aid, r in
             re.findall(r'data-aid="([^"]+)" data-rank="(\d+)"', seats.group(1))}
    picked = re.findall(r'<li data-aid="([^"]+)" data-rank="1">', budget.group(1))
    return ranks, picked[0] if picked else None


# ---------------------------------------------------------------------------
db = t.watch(MariaDB())
db.start()
work = os.path.join(db.dir, "meta-work")
build_repository(work)
app = t.watch(Urna(db, workers=2, repo_url=work, repo_branch="main"))
app.migrate()
rc, out = app.sync(check=False)
t.equal("urna-sync stores the test repository", rc, 0, out[-3000:])
app.start()
ngx = t.watch(Nginx(app))
ngx.start()


def sign_in(login):
    h = Http(ngx.port)
    r = h.get("/urna/login?next=/urna/")
    h.post("/urna/login", {"csrf": csrf_of(r.text), "login": login})
    return h


def post(h, path, body):
    return h.request("POST", path, body=body.encode(),
                     headers={"Content-Type": "application/x-www-form-urlencoded"})


base = "/urna/elections/" + EID

# ---------------------------------------------------------------------------
t.section("every ballot makes a request of the same length (built from the served booth)")
probe = sign_in(VOTERS[-1])
page = probe.get(base + "/vote")
t.equal("the booth opens", page.status, 200, page.text[:2000])
controls = parse_booth(page.text)
selects = [c for c in controls if c[0] == "select"]
radios = [c for c in controls if c[0] == "input" and c[1] == "radio"]
t.equal("three rank selects and three radios (Yes, No, leave blank)",
        (len(selects), len(radios)), (3, 3), controls)
t.check("every option value of a select has the same length",
        all(len({len(v) for v in s[2]}) == 1 for s in selects), selects)
t.check("every radio value has the same length", len({len(r[3]) for r in radios}) == 1, radios)
t.check("nothing chosen yet: 'leave blank' is checked",
        [r[3].strip("*") for r in radios if r[4]] == [""], radios)
lengths = {}
for ballot in all_ballots():
    lengths.setdefault(len(form_body(controls, chooser(ballot))), []).append(ballot)
t.equal("192 ballots, one request length", len(lengths), 1,
        {k: v[:3] for k, v in lengths.items()})
t.check("the lengths would differ without padding (the test can fail)",
        len(form_body(controls, lambda n, vs: "" if n.startswith("rank/") else "no"))
        != len(form_body(controls, lambda n, vs: "1" if n.startswith("rank/") else "yes")))

# ---------------------------------------------------------------------------
t.section("each ballot cast by its own voter, then viewed")
ballots = [b for b in all_ballots() if any(b[0].values()) or b[1]]
t.equal("191 ballots that are not empty", len(ballots), 191)
sent_lengths, view_lengths, view_headers, unpadded = set(), set(), set(), set()
accepted = shown_right = 0
passcodes = {}
log_mark = os.path.getsize(ngx.access_log)
for voter, ballot in zip(VOTERS, ballots):
    h = sign_in(voter)
    page = h.get(base + "/vote").text
    booth_controls = parse_booth(page)
    body = form_body(booth_controls, chooser(ballot))
    sent_lengths.add(len(body))
    r = post(h, base + "/vote", body)
    if r.status == 303 and r.header("Location", "").endswith(base + "/voted"):
        accepted += 1
    else:
        t.check("ballot %r accepted" % (ballot,), False, r.text[:2000])
        continue
    passcodes[voter] = [c[3] for c in booth_controls if c[0] == "input" and c[2] == "passcode"][0]
    vpage = h.get(base + "/ballot").text
    v = post(h, base + "/ballot", urlencode([("csrf", csrf_of(vpage)),
                                             ("passcode", passcodes[voter])]))
    view_lengths.add(len(v.body))
    unpadded.add(len(v.body.rstrip(b" ")))
    view_headers.add(v.header("Content-Length"))
    want = ({c: r for c, r in ballot[0].items() if r}, ballot[1])
    if v.status == 200 and shown_ballot(v.text) == want:
        shown_right += 1
    else:
        t.check("the view of %r shows it" % (ballot,), False, v.text[:3000])
t.equal("every ballot accepted", accepted, 191)
t.equal("the requests sent had one length", len(sent_lengths), 1, sent_lengths)
t.equal("every view shows its ballot", shown_right, 191)
t.equal("every view response has the same length", len(view_lengths), 1, sorted(view_lengths))
t.equal("... and the same Content-Length", len(view_headers), 1, view_headers)
t.check("without its padding the view's length would tell the ballot (%d lengths)"
        % len(unpadded), len(unpadded) > 10, sorted(unpadded))

# sealed_ballots opens each with the private key: {question id: ranking}.
stored = sorted(sorted((q, r) for q, r in (p or {}).items() if r)
                for p, _ in sealed_ballots(db, app, EID))
want = sorted(sorted((q, r) for q, r in expected_plain(b).items() if r) for b in ballots)
t.equal("the sealed ballots hold exactly the ballots chosen", stored, want)

with open(ngx.access_log, encoding="utf-8", errors="replace") as f:
    f.seek(log_mark)
    log = f.read()
view_bytes = re.findall(r'"POST /urna/elections/e2e/pad/ballot HTTP/1\.[01]" 200 (\d+) ', log)
t.equal("nginx logged 191 views", len(view_bytes), 191)
t.equal("... all with the same byte count", len(set(view_bytes)), 1, sorted(set(view_bytes)))

# ---------------------------------------------------------------------------
t.section("the old, unpadded values are still accepted")
h = sign_in(VOTERS[195])
page = h.get(base + "/vote").text
r = post(h, base + "/vote", urlencode([("csrf", csrf_of(page)), ("rank/seats/ann", "1"),
                                       ("rank/seats/cy", ""), ("pick/budget", "no"),
                                       ("passcode", re.search(r'id="passcode" value="([^"]*)"',
                                                              page).group(1)),
                                       ("passcode_saved", "yes")]))
t.check("'' for no opinion, 'no' for No: cast", r.status == 303, r.text[:2000])

# ---------------------------------------------------------------------------
t.section("approval: a box that is not ticked sends nothing, so booth.js pads")
# Without JavaScript the approval boxes still tell how many were ticked
# (docs/voting.md says so); with it, the "pad" field makes up the rest.
JS_BASE = "/urna/elections/e2e/padjs"
h = sign_in("jsvoter")
page = h.get(JS_BASE + "/vote").text
m = re.search(r'<input type="hidden" name="pad" value="" data-pad-to="(\d+)">', page)
t.check("the booth has the pad field with the election's length", m, page[:3000])
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
try:
    from webdriver import ChromeDriver, chromium_binary
    have_browser = bool(chromium_binary()) and shutil.which("chromedriver")
except ImportError:
    have_browser = False
if not have_browser:
    print("# chromium or chromedriver missing: the JavaScript padding is not tried")
else:
    drv = t.watch(ChromeDriver())
    drv.start()
    b = drv.session(javascript=True)
    url = "http://127.0.0.1:%d" % ngx.port
    b.get(url + "/urna/login?next=" + JS_BASE.replace("/", "%2F"))
    b.click_and_wait(b.find('button[name="login"][value="jsvoter"]'))
    # Measures the body the form would send after booth.js's submit handler
    # ran (the same serializer as a submission), without leaving the page.
    measure = """
        var f = document.getElementById("booth");
        f.addEventListener("submit", function (e) { e.preventDefault(); }, {once: true});
        f.requestSubmit();
        var all = new URLSearchParams(new FormData(f)).toString();
        var d = new FormData(f); d.delete("pad");
        return [all.length, new URLSearchParams(d).toString().length];
    """
    with_pad, without_pad = set(), set()
    for ticked in itertools.product([False, True], repeat=3):
        for budget in ("yes", "no", ""):
            b.get(url + JS_BASE + "/vote")
            for aid, on in zip(("git", "hg", "subversion"), ticked):
                if on:
                    b.find('li.choice[data-aid="%s"] input[type="checkbox"]' % aid).click()
            sel = ('li.choice[data-aid="%s"] input' % budget) if budget else "li.choice.blank input"
            b.find(sel).click()
            b.find("input#passcode_saved").click()  # required: else no submit event
            a, n = b.execute(measure)
            with_pad.add(a)
            without_pad.add(n)
    t.equal("24 ballots with JavaScript: one request length", len(with_pad), 1, sorted(with_pad))
    t.check("... while without the pad they differ (%d lengths)" % len(without_pad),
            len(without_pad) > 1, sorted(without_pad))
    b.get(url + JS_BASE + "/vote")
    b.find('li.choice[data-aid="hg"] input[type="checkbox"]').click()
    b.find('li.choice[data-aid="no"] input').click()
    b.find("input#passcode_saved").click()
    b.click_and_wait(b.find("button.cast"))
    t.check("a padded ballot is cast (the server ignores pad)", "Your ballot is cast" in b.source,
            b.source[:2000])
    got = [p for p, _ in sealed_ballots(db, app, "e2e/padjs")]
    t.equal("... and stored as chosen", [{k: v for k, v in p.items() if v} for p in got],
            [{"tools": "hg=1", "budget": "no=1"}])
    b.quit()

t.done()
