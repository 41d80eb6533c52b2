#!/usr/bin/python3
"""End-to-end checks of urna-tally's scheduled mode, the results pages and
the ballot export (issue 4) against real servers: a private MariaDB,
urna.fcgi (demo login) behind nginx, and a git repository built from
examples/meta plus closed test elections while the test runs.

Ballots are inserted with SQL in the stored encoding (ballots rows with
random ids, "answer=rank&..."; tally/ranking_codec.h), then urna-tally runs:

- a Schulze election (4 candidates, 2 seats, receipts):
  winners, full ranking, coloured pairwise matrix, turnout; the export is
  for officers only (anonymous and a voter get 403), Elekto CSV with a
  receipt column, BLT; the CSV recounts offline to the same winners;
- a tie (delete_after): the count erased the sealed links and the
  ciphertexts but kept the "voted" marks, and later runs keep its results;
- a second run changes nothing (same tallied_at, same body); a malformed
  ranking row added later is re-tallied, counted invalid and shown;
- a referendum (plurality Yes/No + approval, officers-first, public
  ballots): 403 for everyone but the officer until results.md is pushed,
  then public; the SVG chart; the public CSV with "# question:" blocks;
- an IRV election: the rounds table, and the rounds as a stacked chart;
- Wikipedia's 45-voter Schulze example: the strongest-paths table holds
  the published p[X,Y]; ranked pairs over the same ballots: locked pairs;
- the page read at a glance (issue 10, 7-9): percentages with their base,
  the same order in chart and table, a header on every column, a chart per
  method, no fixed pixel width, no repeated headings, words per method and
  seat count; at 390 px in headless Chromium (when there is one) nothing
  scrolls sideways and no chart text is cut off;
- a parent with two children: the consolidated result (naming the children
  whose ballots each question counts) and the chooser;
- a running election has no results (404); a held lock skips the run;
- in Spanish (Accept-Language: es, issue 10): every results page above
  (Schulze with strongest paths, ranked pairs, IRV/STV rounds, an IRV
  round tie decided by lot, Yes/No and approval percentages, ties, the
  parent's consolidated result) has lang="es", its sentences in Spanish,
  numbers and dates as Spanish writes them ("63,6 %", "1 de diciembre de
  2026, 14:03 UTC"), urna-tally's stored notes and reasons translated, and
  none of the page's English phrases left; the refusals too.
"""

import base64
import fcntl
import hashlib
import hmac
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import (BUILDDIR, Checks, Http, MariaDB, Nginx, SRCDIR, Urna,  # noqa: E402
                     csrf_of, git, insert_sealed_ballots, seal_ballot, sealed_ballots, write)

t = Checks("results_test")
TALLY = os.path.join(BUILDDIR, "urna-tally")
t.require_binaries("mariadb-install-db", "mariadbd", "mariadb", "nginx", "git",
                   os.path.join(BUILDDIR, "urna.fcgi"), os.path.join(BUILDDIR, "urna-sync"),
                   TALLY)
EXAMPLES = os.path.join(SRCDIR, "examples", "meta")


PAST = "start_datetime: 2020-01-01 00:00:00\nend_datetime: 2020-02-01 00:00:00\n"
BOARD, REF, IRV, UNI = "board/2020", "referendum/2020", "irv/2020", "uni-2020"
BOARD_VOTERS = ["v%02d" % i for i in range(1, 21)]


def candidates(d, ids):
    for cid in ids:
        write(os.path.join(d, "candidate-%s.md" % cid),
              "-------\nname: Cand <%s>\nID: %s\n-------\nHello.\n" % (cid.upper(), cid))


db = t.watch(MariaDB())
db.start()
work = os.path.join(db.dir, "meta-work")
shutil.copytree(EXAMPLES, work)
root = os.path.join(work, "elections")

d = os.path.join(root, BOARD)
write(os.path.join(d, "election.yaml"),
      "name: Board 2020\norganization: E2E\n" + PAST + "no_winners: 2\n"
      "receipts: true\nelection_officers:\n  - olga\n")
write(os.path.join(d, "voters.yaml"),
      "eligible_voters:\n" + "".join("  - %s\n" % v for v in BOARD_VOTERS + ["alice"]))
write(os.path.join(d, "election_desc.md"), "Board.\n")
candidates(d, ["a", "b", "c", "d"])

d = os.path.join(root, IRV)
write(os.path.join(d, "election.yaml"),
      "name: IRV 2020\n" + PAST + "method: irv\nelection_officers:\n  - olga\n")
write(os.path.join(d, "voters.yaml"), "eligible_voters:\n" +
      "".join("  - i%02d\n" % i for i in range(1, 11)))
write(os.path.join(d, "election_desc.md"), "IRV.\n")
candidates(d, ["a", "b", "c"])

d = os.path.join(root, REF)
write(os.path.join(d, "election.yaml"),
      "name: Referendum 2020\n" + PAST + "results_visibility: officers-first\n"
      "public_ballots: true\nelection_officers:\n  - olga\nquestions:\n"
      "  - id: q1\n    title: Adopt <the> motion?\n    method: plurality\n    answers:\n"
      "      - id: \"yes\"\n        text: \"Yes\"\n      - id: \"no\"\n        text: \"No\"\n"
      "  - id: q2\n    title: Which days?\n    method: approval\n    max_selections: 2\n"
      "    answers:\n      - id: x\n        text: Monday\n      - id: y\n        text: Tuesday\n"
      "      - id: z\n        text: Friday\n")
write(os.path.join(d, "voters.yaml"), "eligible_voters:\n" +
      "".join("  - r%02d\n" % i for i in range(1, 13)))
write(os.path.join(d, "election_desc.md"), "Referendum.\n")

# Schulze ties (issue 13): the same ballots, A > C only, so A and B are
# both unbeaten (p = 0 both ways) and tie for the one seat. Without a
# tie-break the officers decide; with tie_break: tbrc the seeded TBRC does.
TIE, TBRK = "tie/2020", "tiebreak/2020"
for eid, extra in ((TIE, "delete_after: true\n"),
                   (TBRK, "tie_break: tbrc\ntie_break_seed: draw-2020-02-02\n")):
    d = os.path.join(root, eid)
    write(os.path.join(d, "election.yaml"),
          "name: Tie 2020\n" + PAST + extra + "election_officers:\n  - olga\n")
    write(os.path.join(d, "voters.yaml"), "eligible_voters:\n  - t1\n  - t2\n  - t3\n")
    write(os.path.join(d, "election_desc.md"), "Tie.\n")
    candidates(d, ["a", "b", "c"])

# Wikipedia's Schulze example (t/data/validation/wikipedia-schulze-45):
# 45 ballots whose strongest paths are published; ranked pairs over the
# same ballots.
WIKI, RP, STV = "wiki/2020", "pairs/2020", "stv/2020"
WIKI_ORDERS = [(5, "acbed"), (5, "adecb"), (8, "bedac"), (3, "cabed"), (7, "caebd"),
               (2, "cbade"), (7, "dceba"), (8, "ebadc")]
WIKI_P = {"a": [None, 28, 28, 30, 24], "b": [25, None, 28, 33, 24], "c": [25, 29, None, 29, 24],
          "d": [25, 28, 28, None, 24], "e": [25, 28, 28, 31, None]}
for eid, method in ((WIKI, ""), (RP, "method: ranked-pairs\n")):
    d = os.path.join(root, eid)
    write(os.path.join(d, "election.yaml"),
          "name: Wiki 2020\n" + PAST + method + "election_officers:\n  - olga\n")
    write(os.path.join(d, "voters.yaml"), "eligible_voters:\n" +
          "".join("  - w%02d\n" % i for i in range(1, 46)))
    write(os.path.join(d, "election_desc.md"), "Wiki.\n")
    candidates(d, ["a", "b", "c", "d", "e"])

d = os.path.join(root, STV)
write(os.path.join(d, "election.yaml"), "name: STV 2020\n" + PAST +
      "method: stv\nno_winners: 2\nelection_officers:\n  - olga\n")
write(os.path.join(d, "voters.yaml"), "eligible_voters:\n" +
      "".join("  - s%02d\n" % i for i in range(1, 13)))
write(os.path.join(d, "election_desc.md"), "STV.\n")
candidates(d, ["a", "b", "c", "d"])

# IRV with a tie in the rounds: B and C both last in round 1 with no
# earlier round to decide, so by lot with the seed (the round's note).
IRVTIE = "irvtie/2020"
d = os.path.join(root, IRVTIE)
write(os.path.join(d, "election.yaml"), "name: IRV tie 2020\n" + PAST +
      "method: irv\ntie_break_seed: lot-2020\nelection_officers:\n  - olga\n")
write(os.path.join(d, "voters.yaml"), "eligible_voters:\n" +
      "".join("  - x%02d\n" % i for i in range(1, 8)))
write(os.path.join(d, "election_desc.md"), "IRV tie.\n")
candidates(d, ["a", "b", "c"])

# Voted through the web booth while running, then closed by a commit.
BOOTH = "booth/2026"
d = os.path.join(root, BOOTH)
write(os.path.join(d, "election.yaml"),
      "name: Booth 2026\nstart_datetime: 2020-01-01 00:00:00\n"
      "end_datetime: 2099-01-01 00:00:00\nelection_officers:\n  - olga\n")
write(os.path.join(d, "voters.yaml"), "eligible_voters:\n  - alice\n  - bob\n  - carol\n")
write(os.path.join(d, "election_desc.md"), "Booth.\n")
candidates(d, ["ann", "ben", "cy"])

# A closed copy of the example parent (children inherit the dates).
shutil.copytree(os.path.join(root, "university-2026"), os.path.join(root, UNI))
p = os.path.join(root, UNI, "election.yaml")
with open(p) as f:
    text = f.read()
text = re.sub(r"^start_datetime:.*\n", "", text, flags=re.M)
text = re.sub(r"^end_datetime:.*\n", PAST, text, flags=re.M)
# delete_after on the parent: the children's ballots are erased once the
# parent's and their own results are stored (checked below).
text = re.sub(r"^delete_after:.*\n", "", text, flags=re.M) + "delete_after: true\n"
write(p, text)

git(work, "init", "-q", "-b", "main")
git(work, "add", "-A")
git(work, "commit", "-q", "-m", "fixture")
origin = os.path.join(db.dir, "origin.git")
subprocess.run(["git", "clone", "-q", "--bare", work, origin], check=True)
git(work, "remote", "add", "origin", origin)

app = t.watch(Urna(db, workers=2, auth="demo", repo_url=origin, repo_branch="main",
                   scrypt_n=1024))
app.migrate()
rc, out = app.sync(check=False)
t.equal("urna-sync stores the fixture", rc, 0, out[-2000:])
app.start()
ngx = t.watch(Nginx(app))
ngx.start()
PORT = ngx.port
key = app.settings["session_key"].encode()
anon = Http(PORT)


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign_in(login):
    """Signed in through the demo login page, else with a cookie made the
    way urna makes them."""
    h = Http(PORT)
    r = h.get("/urna/login")
    m = re.search(r'name="csrf" value="([^"]*)"', r.text)
    if r.status == 200 and m and ('value="%s"' % login) in r.text:
        h.post("/urna/login", {"csrf": html.unescape(m.group(1)), "login": login})
    if "urna_session" not in h.cookies:
        payload = "v1|%s|%d|%s" % (login, time.time() + 3600, os.urandom(16).hex())
        mac = hmac.new(key, ("session|" + payload).encode(), hashlib.sha256).digest()
        h.cookies["urna_session"] = "%s.%s" % (b64(payload.encode()), b64(mac))
    return h


olga = sign_in("olga")
alice = sign_in("alice")


def tally(*extra):
    r = subprocess.run([TALLY, "--config", app.config_path] + list(extra),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    return r.returncode, r.stdout


def sql_str(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def insert_ballots(eid, ballots, receipts=False):
    """ballots: list of {question: ranking}; each sealed to the instance's
    ballot key as the web worker seals it (t/lib/harness.py)."""
    insert_sealed_ballots(db, app, eid, ballots, receipts)


def insert_plaintext_ballots(eid, ballots):
    """A ballot as schema versions 1-3 stored it (plaintext rows, one per
    question): urna-tally still counts those."""
    rows = []
    for b in ballots:
        bid = os.urandom(16).hex()
        for q, ranking in b.items():
            rows.append("(UNHEX('%s'), %s, %s, %s, NULL)" % (bid, sql_str(eid), sql_str(q),
                                                             sql_str(ranking)))
    db.sql("INSERT INTO ballots (id, election_id, question_id, ranking, receipt_hash) VALUES "
           + ",\n".join(rows) + ";", database=db.database)


def mark_voted(eid, logins):
    db.sql("INSERT INTO voters_voted (election_id, login, salt, sealed) VALUES " +
           ",".join("(%s, %s, UNHEX('%s'), UNHEX('%s'))" % (sql_str(eid), sql_str(v),
                                                            os.urandom(16).hex(),
                                                            os.urandom(60).hex())
                    for v in logins) + ";", database=db.database)


def query(q):
    return db.sql(q, database=db.database).strip()


SAVE = os.environ.get("URNA_SAVE_PAGES")  # a directory: keep the pages seen


def results(h, eid):
    r = h.get("/urna/elections/%s/results" % eid)
    if SAVE and r.status == 200:
        with open(os.path.join(SAVE, eid.replace("/", "-") + ".html"), "wb") as f:
            f.write(r.body)
    return r


def questions(page):
    """{question id: its <section> markup} of a results page."""
    return dict(re.findall(r'<section class="question-result" data-id="([^"]*)"(.*?)</section>',
                           page, re.S))


def table_order(body):
    """Answer ids of the ranking table, top to bottom."""
    return re.findall(r'<tr class="rank" data-id="([^"]*)"', body)


def chart_order(body):
    """Answer ids of the chart's bars (or stacks), top to bottom."""
    m = re.search(r"<svg.*?</svg>", body, re.S)
    return re.findall(r'<g class="(?:bar|stack)(?: winner)?" data-id="([^"]*)"',
                      m.group(0)) if m else []


def headers_ok(page):
    """Every table: each header cell has a scope, no header cell is empty,
    and every body row has a row header and as many cells as the header."""
    problems = []
    for table in re.findall(r"<table.*?</table>", page, re.S):
        head = re.search(r"<thead>(.*?)</thead>", table, re.S)
        if not head:
            problems.append("no thead: " + table[:200])
            continue
        ths = re.findall(r"<th([^>]*)>(.*?)</th>", head.group(1), re.S)
        for attrs, text in ths:
            if 'scope="col"' not in attrs or not re.sub(r"<[^>]*>", "", text).strip():
                problems.append("header cell %r %r" % (attrs, text))
        for row in re.findall(r"<tbody>.*?</tbody>", table, re.S)[0].split("</tr>")[:-1]:
            cells = re.findall(r"<t([hd])([^>]*)>", row)
            if len(cells) != len(ths) or not any(k == "h" and 'scope="row"' in a
                                                 for k, a in cells):
                problems.append("row %r" % row[:300])
    return problems


def headings(page):
    main = page.split("<main", 1)[-1]
    return [(int(n), html.unescape(re.sub(r"<[^>]*>", "", text)).strip())
            for n, text in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", main, re.S)]


def headings_ok(page):
    """One h1; no h2 repeats the h1 or another h2; below an h2 no heading
    text repeats."""
    hs = headings(page)
    problems = []
    if [n for n, _ in hs].count(1) != 1:
        problems.append("h1 count")
    h1 = [text for n, text in hs if n == 1][:1]
    seen = set()
    for n, text in hs:
        if n == 2:
            if text in seen or (h1 and text in h1[0]):
                problems.append("h2 repeated: " + text)
            seen.add(text)
            under = set()
        elif n > 2:
            if text in under:
                problems.append("repeated under one h2: " + text)
            under.add(text)
    return problems


def svg_fixed_width(page):
    return [tag for tag in re.findall(r"<svg[^>]*>", page)
            if re.search(r' (width|height)="\d+(px)?"', tag) or 'viewBox="' not in tag]


# ---------------------------------------------------------------------------
t.section("before the tally")
r = results(anon, BOARD)
t.check("no results before urna-tally: 404 with a clear message",
        r.status == 404 and "not been counted yet" in r.text, r)
r = results(anon, "steering/2026")
t.check("a running election has no results (404)",
        r.status == 404 and "has not closed" in r.text, r)

# Schulze: a > b > c > d; 5 + 3 + 2 ranked ballots and one blank.
BOARD_BALLOTS = (["a=1&b=2&c=3&d=4"] * 5 + ["a=2&b=1&c=3&d=4"] * 3 +
                 ["a=2&b=3&c=1&d=4"] * 2 + [""])
insert_ballots(BOARD, [{"main": x} for x in BOARD_BALLOTS], receipts=True)
mark_voted(BOARD, BOARD_VOTERS[:len(BOARD_BALLOTS)])
# The IRV election's ballots are plaintext rows as schema 1-3 stored them:
# a database upgraded during an election still counts them.
insert_plaintext_ballots(IRV, [{"main": x} for x in
                               ["a=1&b=2"] * 4 + ["a=2&b=1"] * 3 + ["b=2&c=1"] * 2])
insert_ballots(REF, [{"q1": "yes=1", "q2": "x=1&y=1"}] * 5 + [{"q1": "no=1", "q2": "y=1"}] * 3 +
               [{"q1": "yes=1", "q2": "z=1"}] * 2 + [{"q1": "no=1", "q2": ""}])
insert_ballots(UNI + "/students", [{"q1": "yes=1", "q2": "yes=1"}, {"q1": "yes=1", "q2": ""},
                                   {"q1": "no=1", "q2": "no=1"}])
insert_ballots(UNI + "/professors", [{"q1": "no=1", "q3": "yes=1"}] * 2)
for eid in (TIE, TBRK):
    insert_ballots(eid, [{"main": "a=1&c=2"}] * 3)
insert_ballots(STV, [{"main": "a=1&b=2"}] * 6 + [{"main": "b=1&c=2"}] * 2 +
               [{"main": "c=1&d=2"}] * 3 + [{"main": "c=2&d=1"}])
insert_ballots(IRVTIE, [{"main": "a=1"}] * 3 + [{"main": "a=2&b=1"}] * 2 + [{"main": "c=1"}] * 2)
for eid in (WIKI, RP):
    insert_ballots(eid, [{"main": "&".join("%s=%d" % (c, order.index(c) + 1)
                                           for c in sorted(order))}
                         for n, order in WIKI_ORDERS for _ in range(n)])
mark_voted(TIE, ["t1", "t2", "t3"])

t.section("urna-tally")
rc, out = tally()
t.equal("urna-tally exits 0", rc, 0, out)
t.check("urna-tally reports the board tallied", "board/2020: tallied 11 ballots" in out, out)
t.check("a running election is not tallied", "steering/2026" not in out, out)
n = query("SELECT COUNT(*) FROM results")
t.check("results stored for the closed elections (board, irv, referendum, uni + 2 children, "
        "steering/2025, tie, tiebreak, wiki, pairs, stv, irvtie)", n == "13", n)

t.section("the results page (Schulze)")
r = results(anon, BOARD)
t.equal("board results are public: 200", r.status, 200, r)
page = r.text
m = re.search(r'class="winner-names">([^<]*)<', page)
t.equal("winners are A and B", m and html.unescape(m.group(1)), "Cand <A>, Cand <B>", page[:3000])
order = re.findall(r'<tr class="rank" data-id="([^"]*)"', page)
t.equal("full ranking a, b, c, d", order, ["a", "b", "c", "d"])
t.check("names are escaped", "Cand &lt;A&gt;" in page and "Cand <A>" not in page)
t.check("pairwise matrix with coloured cells",
        'class="matrix"' in page and re.search(r'<td class="win\d"', page) and
        re.search(r'<td class="loss\d"', page), page[-4000:])
# a over b: 5 + 2 = 7 ballots
t.check("matrix cell a over b is 7", re.search(r'title="Cand &lt;A&gt; over Cand &lt;B&gt;: 7 to 3"',
                                               page), page[-4000:])
t.check("turnout: 21 eligible, 11 cast, 52.4%",
        '<dd class="eligible">21</dd>' in page and '<dd class="cast">11</dd>' in page and
        "52.4%" in page, page[:3000])
t.check("one blank ballot shown", '<dd class="q-blank">1</dd>' in page)
t.check("the page links its stylesheet (matrix colours; no inline styles under the CSP)",
        '<link rel="stylesheet" href="/urna/static/results.css">' in page and
        ".matrix td.win4" in anon.get("/urna/static/results.css").text)
body = questions(page)["main"]
t.check("a chart for a ranked question too: each candidate's one-to-one wins, ties and losses",
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart stacked" role="img"' in body and
        "<title>Cand &lt;B&gt; — Loses to: 1</title>" in body and
        "beats, ties with and loses to" in body, body[:4000])
t.equal("chart and table in the same order (winner first)", chart_order(body), table_order(body))
t.check("the table states each one's record: A beats 3, D loses to 3",
        re.search(r'data-id="a">.*?<td class="num">3</td><td class="num">0</td>'
                  r'<td class="num">0</td>', body) and
        re.search(r'data-id="d">.*?<td class="num">0</td><td class="num">0</td>'
                  r'<td class="num">3</td>', body), body[:4000])
t.equal("every table has a header on every column and a header on every row",
        headers_ok(page), [])
t.equal("headings: one h1, the question's h2 does not repeat it", headings_ok(page), [])
t.check("... a lone question unnamed in the definition is 'The count'",
        '<h2>The count</h2>' in page, headings(page))
t.check("words per seat count: 'Winners:', '2 seats'; never 'Winner(s)' or 'seat(s)'",
        "<strong>Winners:</strong>" in page and '<span class="seats">2 seats</span>' in page and
        "(s)" not in page.split("<main", 1)[-1], page[:3000])
t.check("the strongest paths of a Schulze count (README) are on the page",
        "<h3>Strongest paths</h3>" in page and 'class="matrix paths"' in page, page[-4000:])
t.check("the matrix's own cells carry no stray title (it was the question's)",
        '<td class="self" title="">' in page and 'class="self" title="Board' not in page)
t.equal("no chart has a fixed pixel width", svg_fixed_width(page), [])
t.check("the export is not offered to an anonymous visitor", "ballots.csv" not in page)
t.check("the election page links to the results",
        'href="/urna/elections/board/2020/results"' in anon.get("/urna/elections/board/2020").text)

t.section("a Schulze tie (p = 0 both ways) is shown as a tie")
r = results(anon, TIE)
tpage = r.text
t.equal("tie results: 200", r.status, 200, r)
m = re.search(r'class="winner-names">([^<]*)<', tpage)
t.equal("no winner is declared", m and html.unescape(m.group(1)), "none yet (tie)", tpage[:3000])
t.check("the banner names both and says the officers decide",
        re.search(r'<p class="banner tie" role="note"><strong>Tie:</strong> <bdi class="tied-names">Cand &lt;A&gt;, '
                  r'Cand &lt;B&gt;</bdi> are tied for the last seat\. No tie-break is configured: '
                  r'the officers decide\.</p>', tpage), tpage[:4000])
t.equal("A and B share the first place, C below",
        re.findall(r'<tr class="rank" data-id="(\w)"><td class="position">(\d+)</td>', tpage),
        [("a", "1"), ("b", "1"), ("c", "3")])
t.equal("both are marked tied", len(re.findall(r'<span class="badge warn">tied</span>', tpage)), 2)
r = results(anon, TBRK)
tpage = r.text
m = re.search(r'class="winner-names">([^<]*)<', tpage)
t.check("with tie_break: tbrc one of the two is elected",
        m and html.unescape(m.group(1)) in ("Cand <A>", "Cand <B>"), tpage[:3000])
t.check("the banner says which tie-break decided, with the seed",
        re.search(r'are tied for the last seat\. Broken by the configured tie-break: the '
                  r'tie-breaking ranking of the candidates \(TBRC[^<]*draw-2020-02-02', tpage),
        tpage[:4000])

tie_csv = os.path.join(db.dir, "tie.csv")
with open(tie_csv, "w") as f:
    f.write("a,b,c\n" + "1,No opinion,2\n" * 3)
out = subprocess.run([TALLY, tie_csv], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                     text=True).stdout
t.check("urna-tally (text) prints the tie and that the officers decide",
        "Winners: (none)" in out and "TIE: a, b are tied for the last seat. No tie-break is "
        "configured: the officers decide" in out and "Ranking: a = b > c" in out, out)
out = subprocess.run([TALLY, "--json", tie_csv], stdout=subprocess.PIPE, text=True).stdout
try:
    j = json.loads(out)
except ValueError:
    j = {}
t.check("urna-tally --json: tie_at_boundary, tied [a, b], no winners",
        j.get("tie_at_boundary") is True and j.get("tied") == [0, 1] and j.get("winners") == [],
        out[:2000])
out = subprocess.run([TALLY, "--results-md", tie_csv], stdout=subprocess.PIPE, text=True).stdout
t.check("urna-tally --results-md: the draft states the tie",
        "**Tie:** a, b are tied for the last seat. No tie-break is configured: the officers "
        "decide" in out and "1. a = b" in out, out)
out = subprocess.run([TALLY, "--json", "--tie-break", "tbrc", "--seed", "x", tie_csv],
                     stdout=subprocess.PIPE, text=True).stdout
try:
    j = json.loads(out)
except ValueError:
    j = {}
t.check("urna-tally --tie-break tbrc: one winner from the two, the TBRC in the JSON",
        len(j.get("winners", [])) == 1 and j["winners"][0] in (0, 1) and
        sorted(j.get("tbrc", [])) == [0, 1, 2] and "TBRC" in j.get("tie_break", ""), out[:2000])

t.section("delete_after")
t.equal("sealed links erased", query("SELECT COUNT(*) FROM voters_voted WHERE election_id = "
                                     "'tie/2020' AND sealed IS NOT NULL"), "0")
t.equal("voted marks kept", query("SELECT COUNT(*) FROM voters_voted WHERE election_id = "
                                  "'tie/2020'"), "3")
t.equal("the ciphertexts are erased with the count", query(
    "SELECT COUNT(*) FROM sealed_ballots WHERE election_id = 'tie/2020'"), "0")
t.equal("... and the results keep the ballot count", query(
    "SELECT ballot_count, links_erased FROM results WHERE election_id = 'tie/2020'"), "3\t1")
tpage = results(anon, TIE).text
t.check("the page says the links were erased, in a sentence",
        "After the count, the links between voters and their ballots were erased, as this "
        "election asked." in tpage and "delete_after" not in tpage.split("<main", 1)[-1],
        tpage[:3000])
t.equal("without delete_after the board keeps its links", query(
    "SELECT COUNT(*) FROM voters_voted WHERE election_id = 'board/2020' AND sealed IS NOT NULL"),
    "11")

t.section("the ballot export: permissions and content")
for who, h in (("anonymous", anon), ("a voter", alice)):
    for ext in ("csv", "blt"):
        r = h.get("/urna/elections/board/2020/ballots." + ext)
        t.check("ballots.%s for %s is 403" % (ext, who),
                r.status == 403 and "officers only" in r.text, r)
r = olga.get("/urna/elections/board/2020/ballots.csv")
t.check("ballots.csv for the officer is 200 text/csv",
        r.status == 200 and r.header("Content-Type", "").startswith("text/csv"), r)
t.check("ballots.csv is an attachment",
        'filename="board-2020-ballots.csv"' in (r.header("Content-Disposition") or ""), r)
lines = r.text.splitlines()
t.equal("CSV header: candidate ids and the receipt column", lines[0], "a,b,c,d,receipt")
rows = [",".join(l.split(",")[:4]) for l in lines[1:]]
want = sorted(["1,2,3,4"] * 5 + ["2,1,3,4"] * 3 + ["2,3,1,4"] * 2 +
              ["No opinion,No opinion,No opinion,No opinion"])
t.equal("CSV rows: every ballot, as ranks or No opinion", sorted(rows), want)
t.check("every CSV row has a receipt hash",
        all(re.fullmatch(r"[0-9a-f]{64}", l.split(",")[4]) for l in lines[1:]), lines[:3])
t.check("the officer's page offers the export", "ballots.csv" in results(olga, BOARD).text)
csv_path = os.path.join(db.dir, "board.csv")
with open(csv_path, "w") as f:
    f.write("\n".join(",".join(l.split(",")[:4]) for l in lines) + "\n")
r2 = subprocess.run([TALLY, "--seats", "2", "--json", csv_path], stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT, text=True)
try:
    offline = json.loads(r2.stdout)
except ValueError:
    offline = {}
t.equal("the exported CSV recounts offline to the same winners",
        offline.get("winner_ids"), ["a", "b"], r2.stdout[:2000])
r = olga.get("/urna/elections/board/2020/ballots.blt")
blt = r.text.splitlines()
t.check("ballots.blt for the officer: header 4 2, 10 ranked + 1 blank ballot lines",
        r.status == 200 and blt[0] == "4 2" and
        len([l for l in blt if l.startswith("1 ")]) == 11 and blt.count("1 0") == 1, r.text[:500])

t.section("idempotence and a malformed ranking")
before = query("SELECT election_id, tallied_at, MD5(body), MD5(ballots_csv) FROM results "
               "ORDER BY election_id")
time.sleep(1.1)
rc, out = tally()
t.equal("second urna-tally exits 0", rc, 0, out)
t.check("second run: everything up to date", "0 tallied" in out and "up to date" in out, out)
t.check("second run: the erased tie's results are final",
        "tie/2020: results final (3 ballots" in out, out)
t.equal("second run changed nothing", query("SELECT election_id, tallied_at, MD5(body), "
                                            "MD5(ballots_csv) FROM results ORDER BY election_id"),
        before)
rc, out = tally("--quiet")
t.check("--quiet with nothing to do prints nothing (cron mails any output)",
        rc == 0 and out == "", repr(out))
insert_ballots(BOARD, [{"main": "a%ZZ=1&b=2"}])
rc, out = tally()
t.check("a new ballot row makes the board stale: re-tallied",
        rc == 0 and "board/2020: tallied 12 ballots" in out and "1 tallied" in out, out)
page = results(anon, BOARD).text
t.check("the malformed ranking is counted invalid",
        '<dd class="q-invalid">1</dd>' in page and '<dd class="q-cast">12</dd>' in page,
        page[-3000:])
t.check("and its reason shown", "1 invalid: malformed ranking: bad percent escape" in page,
        page[-3000:])
m = re.search(r'class="winner-names">([^<]*)<', page)
t.equal("winners unchanged", m and html.unescape(m.group(1)), "Cand <A>, Cand <B>")
lines = olga.get("/urna/elections/board/2020/ballots.csv").text.splitlines()
t.check("the malformed row is exported with 0 in every cell",
        sum(1 for l in lines if l.startswith("0,0,0,0,")) == 1, lines)

t.section("sealed ballots that do not open")
# One sealed to another key, one sealed for another election (moved rows),
# one with a flipped byte: each counted invalid with its reason, never
# dropped, and reported to the officers.
other_key = "x25519:" + base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
bad = [seal_ballot(app.ballot_key, [("main", "b=1")], IRV),  # another election
       bytearray(seal_ballot(app.ballot_key, [("main", "b=1")], BOARD))]
bad[1][60] ^= 1  # tampered
try:
    bad.append(seal_ballot(other_key, [("main", "b=1")], BOARD))
except ValueError:  # a random 32 bytes may be a low-order point: skip that one
    pass
db.sql("INSERT INTO sealed_ballots (id, election_id, ciphertext) VALUES " +
       ",".join("(UNHEX('%s'), 'board/2020', UNHEX('%s'))" % (os.urandom(16).hex(), bytes(c).hex())
                for c in bad) + ";", database=db.database)
rc, out = tally()
n_bad = len(bad)
t.check("urna-tally re-tallies and reports the sealed ballots that do not open",
        rc == 0 and "board/2020: tallied %d ballots" % (12 + n_bad) in out and
        "%d sealed ballots of board/2020 did not open" % n_bad in out, out)
page = results(olga, BOARD).text
t.check("they are counted invalid, with their reason, on the results page",
        '<dd class="q-invalid">%d</dd>' % (1 + n_bad) in page and
        "a sealed ballot that does not open with the election&#39;s key" in page and
        ("%d sealed ballots of board/2020 did not open with the election&#39;s key; they are "
         "counted as invalid in every question." % n_bad) in page, page[-3000:])
m = re.search(r'class="winner-names">([^<]*)<', page)
t.equal("winners still unchanged", m and html.unescape(m.group(1)), "Cand <A>, Cand <B>")

t.section("officers-first results, chart, public ballots")
for who, h in (("anonymous", anon), ("a voter", alice)):
    r = results(h, REF)
    t.check("referendum results for %s: 403 until results.md" % who,
            r.status == 403 and "officers first" in r.text, r)
    r = h.get("/urna/elections/%s/ballots.csv" % REF)
    t.equal("referendum ballots for %s: 403 until results.md" % who, r.status, 403, r)
r = results(olga, REF)
page = r.text
t.check("the officer sees them, with a notice", r.status == 200 and "officers-only" in page, r)
t.check("and a results.md draft to commit", 'class="results-draft"' in page and
        "Review it, then commit it" in page and "Tuesday" in page.split("results-draft", 1)[-1],
        page[-3000:])
t.check("the draft is not shown to others", "results-draft" not in results(anon, BOARD).text)
t.check("a server-rendered SVG chart per selection question",
        page.count("<svg") == 2 and "<script" not in page.split("<main", 1)[-1], page[-3000:])
t.check("the chart marks the winner and escapes the title",
        'class="bar winner"' in page and "Adopt &lt;the&gt; motion?" in page and
        "Adopt <the>" not in page)
winners = re.findall(r'class="winner-names">([^<]*)<', page)
t.equal("Yes wins q1, Tuesday wins q2", winners, ["Yes", "Tuesday"])
t.check("q2's blank ballot", re.search(r'data-id="q2".*?<dd class="q-blank">1</dd>', page, re.S))
qs = questions(page)
t.check("Yes/No: votes and percentages of the valid ballots, with the base stated",
        re.search(r'data-id="yes">.*?<span class="score">7</span></td><td class="num">63\.6%</td>',
                  qs["q1"]) and
        re.search(r'data-id="no">.*?<span class="score">4</span></td><td class="num">36\.4%</td>',
                  qs["q1"]) and
        "Percentages are of the valid ballots: 11 of 11 cast (0 blank, 0 invalid)." in qs["q1"],
        qs["q1"][:3000])
t.check("approval: percentages of the valid ballots that approve each answer",
        re.search(r'data-id="y">.*?<span class="score">8</span></td><td class="num">80\.0%</td>',
                  qs["q2"]) and
        re.search(r'data-id="z">.*?<span class="score">2</span></td><td class="num">20\.0%</td>',
                  qs["q2"]) and
        "Percentages are of the valid ballots that approve each answer: 10 of 11 cast (1 blank, "
        "0 invalid)." in qs["q2"], qs["q2"][:3000])
t.check("the chart writes the same percentages", ">7 · 63.6%</text>" in qs["q1"] and
        ">8 · 80.0%</text>" in qs["q2"], qs["q2"][:3000])
for qid in ("q1", "q2"):
    t.equal("%s: chart and table in the same order (winner first)" % qid,
            chart_order(qs[qid]), table_order(qs[qid]))
t.equal("approval: Tuesday, Monday, Friday in both", table_order(qs["q2"]), ["y", "x", "z"])
t.check("words: Yes/No says 'Outcome:' and no seats; approval with 1 seat says 'Winner:' and "
        "'1 seat', its winner is a 'winner', not 'elected'",
        "<strong>Outcome:</strong>" in qs["q1"] and 'class="seats"' not in qs["q1"] and
        "<strong>Winner:</strong>" in qs["q2"] and '<span class="seats">1 seat</span>' in qs["q2"]
        and '<span class="badge ok">winner</span>' in qs["q2"] and "elected" not in qs["q2"],
        page[:6000])
t.check("the method in words: 'Yes or no: the answer with more votes carries'",
        "Yes or no: the answer with more votes carries" in qs["q1"] and
        "Approval: each ballot may pick several answers" in qs["q2"], page[:6000])
t.equal("referendum: headers on every column", headers_ok(page), [])
t.equal("referendum: no fixed pixel width", svg_fixed_width(page), [])
write(os.path.join(root, REF, "results.md"), "## Results\n\nThe motion passed.\n")
git(work, "add", "-A")
git(work, "commit", "-q", "-m", "publish the referendum's results")
git(work, "push", "-q", "origin", "main")
rc, out = app.sync(check=False)
t.equal("urna-sync takes results.md", rc, 0, out[-2000:])


def ref_public():
    r = results(anon, REF)
    return r.status == 200, r


deadline = time.monotonic() + 10
ok, r = ref_public()
while not ok and time.monotonic() < deadline:
    time.sleep(0.25)
    ok, r = ref_public()
t.check("after results.md the referendum results are public",
        ok and "The motion passed." in r.text and "officers-only" not in r.text, r)
t.check("the published results.md sits under the page's headings (its ## is an h3 there)",
        '<div class="markdown"><h3>Results</h3>' in r.text, r.text[-2000:])
t.equal("headings: one h1, one h2 per question, none repeated", headings_ok(r.text), [])
r = anon.get("/urna/elections/%s/ballots.csv" % REF)
t.check("public_ballots: anyone downloads the CSV, one block per question",
        r.status == 200 and r.text.startswith("# question: q1\nyes,no\n") and
        "# question: q2\nx,y,z\n" in r.text, r)
t.equal("no BLT for a referendum without ranked questions",
        anon.get("/urna/elections/%s/ballots.blt" % REF).status, 404)
rc, out = tally()
t.check("the new commit alone does not re-tally (definition unchanged)",
        rc == 0 and "0 tallied" in out, out)

t.section("IRV rounds and a parent's consolidated result")
page = results(anon, IRV).text
t.check("IRV shows the rounds table", 'class="rounds"' in page and "excluded" in page, page[-3000:])
m = re.search(r'class="winner-names">([^<]*)<', page)
t.equal("IRV winner is B (C's ballots transfer)", m and html.unescape(m.group(1)), "Cand <B>")
body = questions(page)["main"]
t.check("the rounds in sentences: 'Cand <C> is excluded.', then 'Cand <B> is elected.'",
        re.search(r'<th scope="row">1</th>.*?<td class="action">Cand &lt;C&gt; is excluded\.</td>',
                  body) and
        re.search(r'<th scope="row">2</th>.*?<td class="action">Cand &lt;B&gt; is elected\.</td>',
                  body), body[-3000:])
t.check("the transfer shows in the next round: B (+2)",
        '<td class="elected">5 <span class="transfer">(+2)</span></td>' in body, body[-3000:])
t.check("the ranking gives first preferences and the round of each outcome",
        re.search(r'data-id="b">.*?<td class="num">3</td><td class="result"><span class="badge ok">'
                  r'elected</span> <span class="round-result">Elected in round 2</span>', body) and
        "Excluded in round 1" in body, body[:3000])
t.check("a chart of the rounds: one stacked bar per round, the majority marked",
        '<g class="stack" data-id="1">' in body and '<g class="stack" data-id="2">' in body and
        "<title>Round 2 — Cand &lt;B&gt;: 5</title>" in body and ">Majority: 5</text>" in body,
        body[:4000])
t.equal("the chart's legend follows the table's order", re.findall(
    r'<rect x="0" y="\d+" width="12" height="12" fill="[^"]*"/><text x="18" y="\d+" '
    r'font-size="14">([^<]*)</text>', body), ["Cand &lt;B&gt;", "Cand &lt;A&gt;", "Cand &lt;C&gt;",
                                              "Exhausted"])
t.check("IRV: 'Winner:' and '1 seat'", "<strong>Winner:</strong>" in body and
        '<span class="seats">1 seat</span>' in body, body[:2000])
t.equal("IRV: headers on every column", headers_ok(page), [])

page = results(anon, STV).text
body = questions(page).get("main", "")
t.check("STV: 'Elected:', '2 seats', the quota, A's surplus transferred, in sentences",
        "<strong>Elected:</strong>" in body and '<span class="seats">2 seats</span>' in body and
        "Quota to be elected: 5." in body and
        "The surplus of Cand &lt;A&gt; is transferred (1)." in body and ">Quota: 5</text>" in body,
        body)
t.equal("STV: the rounds chart's legend follows the table's order", re.findall(
    r'<rect x="0" y="\d+" width="12" height="12" fill="[^"]*"/><text x="18" y="\d+" '
    r'font-size="14">Cand &lt;(\w)&gt;</text>', body), [x.upper() for x in table_order(body)])
t.equal("STV: headers on every column", headers_ok(page), [])

t.section("strongest paths (Wikipedia's 45 voters) and locked pairs")
page = results(anon, WIKI).text
body = questions(page).get("main", "")
t.equal("Schulze ranks E > A > C > B > D (published)", table_order(body),
        ["e", "a", "c", "b", "d"])
paths = re.search(r'<table class="matrix paths">(.*?)</table>', body, re.S)
got = {}
if paths:
    cols = [html.unescape(c) for c in re.findall(r'<th scope="col" dir="auto">([^<]*)</th>',
                                                 paths.group(1))]
    for name, cells in re.findall(r'<tr><th scope="row" dir="auto">([^<]*)</th>(.*?)</tr>',
                                  paths.group(1)):
        vals = re.findall(r"<td[^>]*>([^<]*)</td>", cells)
        got[html.unescape(name)] = dict(zip(cols, vals))
want = {}
for x in "abcde":
    want["Cand <%s>" % x.upper()] = {
        "Cand <%s>" % y.upper(): ("" if v is None else str(v)) for y, v in zip("abcde", WIKI_P[x])}
t.equal("the strongest-paths table holds the published p[X,Y]", got, want, body[-5000:])
t.check("p cells say both directions: E to A 25, A to E 24, E wins it",
        re.search(r'<td class="win\d" title="Strongest path from Cand &lt;E&gt; to Cand &lt;A&gt;: '
                  r'25; from Cand &lt;A&gt; to Cand &lt;E&gt;: 24">25</td>', body), body[-5000:])
t.equal("table, matrices and chart in the same order", chart_order(body), table_order(body))
t.equal("Wiki: headers on every column", headers_ok(page), [])
page = results(anon, RP).text
body = questions(page).get("main", "")
t.check("ranked pairs: the locked pairs in order, strongest first, and no strongest paths",
        re.search(r'<h3>Locked pairs</h3>.*?<ol class="locked"><li dir="auto">Cand &lt;B&gt; over '
                  r'Cand &lt;D&gt; \(33 to 12\)</li><li dir="auto">Cand &lt;E&gt; over Cand '
                  r'&lt;D&gt; \(31 to 14\)</li>', body, re.S) and "Strongest paths" not in body,
        body[-4000:])
r = results(anon, UNI)
page = r.text
t.check("the parent's consolidated result: 200 with a chooser",
        r.status == 200 and 'class="chooser"' in page and
        'href="/urna/elections/uni-2020/students/results"' in page and
        'href="/urna/elections/uni-2020/professors/results"' in page, r)
m = re.search(r'data-id="q1".*?class="winner-names">([^<]*)<', page, re.S)
t.equal("consolidated q1: No (3) beats Yes (2)", m and m.group(1), "No")
qs = questions(page)
t.check("each consolidated question names the children whose ballots it counts",
        '<p class="sources">Counts the ballots of: <bdi>Professors, Students</bdi></p>' in qs["q1"]
        and '<p class="sources">Counts the ballots of: <bdi>Students</bdi></p>' in qs["q2"] and
        "ballots from" not in page, page[-6000:])
t.check("a Yes/No tie reads as undecided, said once",
        "not decided (a tie)" in qs["q2"] and
        "both answers have the same number of votes, so the question is not decided." in qs["q2"]
        and "tied for the last seat" not in qs["q2"] and "seats left open" not in qs["q2"],
        qs["q2"])
t.check("consolidated q1 counts 5 ballots", re.search(r'data-id="q1".*?<dd class="q-cast">5</dd>',
                                                      page, re.S), page[-3000:])
r = olga.get("/urna/elections/%s/ballots.csv" % UNI)
t.check("the parent's export is its children's, one block each",
        r.status == 200 and r.text.startswith("# election: uni-2020/students\n# question: q1\n")
        and "# election: uni-2020/professors\n# question: q1\nyes,no\n" in r.text, r)
r = results(anon, UNI + "/students")
m = re.search(r'data-id="q1".*?class="winner-names">([^<]*)<', r.text, re.S)
t.check("a child's own result, with the chooser back to the consolidated one",
        r.status == 200 and m and m.group(1) == "Yes" and
        'href="/urna/elections/uni-2020/results"' in r.text, r)
t.equal("delete_after on the parent: the children's ballots are erased after both counts",
        query("SELECT COUNT(*) FROM sealed_ballots WHERE election_id LIKE 'uni-2020/%'"), "0")
rc, out = tally()
t.check("and the results stay final (not recounted with no ballots)",
        rc == 0 and "uni-2020: results final (5 ballots" in out and
        "uni-2020/students: results final (3 ballots" in out, out)
m = re.search(r'data-id="q1".*?<dd class="q-cast">(\d+)</dd>', results(anon, UNI).text, re.S)
t.equal("the consolidated result still counts 5 ballots", m and m.group(1), "5")

t.section("in Spanish (Accept-Language: es)")
ES = {"Accept-Language": "es"}
NBSP = "\u00a0"
MONTHS = ("enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|"
          "diciembre")
# English of results.tpl and results_page.cc (and of urna-tally's stored
# notes) that must not be left on a Spanish page. The definitions' own
# texts, the results.md draft and the published results.md are the
# officers' words and stay as written (not searched).
ENGLISH = [
    "Results:", "Part of", "Voting closed", "Voters on the list", "Ballots they may cast",
    "one per voter and child", "in all children", "Eligible voters", "Ballots cast", "Turnout",
    ">Counted<", "definition at commit", "Consolidated", "Only the election officers",
    "There is nothing to show", "links between voters", "Winner:", "Winners:", "Elected:",
    "Outcome:", "none yet", "not decided", "Tie:", "are tied for", "both answers",
    "No tie-break", "Broken by", "Counts the ballots of", "Ranking table", ">Rank<", ">Result<",
    ">Answer<", ">Candidate<", ">Votes<", ">Approvals<", ">Share<", ">Points<", "Beats",
    "Ties with", "Loses to", "First preferences", ">elected<", ">winner<", ">carried<",
    ">tied<", "Elected in round", "Excluded in round", "Percentages are", "A ballot may approve",
    "Pairwise preferences", "Each cell", "Pairwise comparisons", "Preferred to",
    "Strongest path", "Path to", "Locked pairs", "Pairwise wins", ">Rounds<", "Quota",
    "Majority", "Rounds table", ">Round<", "Round ", "Exhausted", "What happened",
    "In brackets", ">Ballots<", ">Cast<", ">Valid<", ">Blank<", ">Invalid<", " invalid: ",
    "is elected", "are elected", "is excluded", "are excluded", "The surplus", "tie decided",
    "Tie decided", "The tie was decided", "As many candidates", "seats but only",
    " seat<", " seats<", "votes for each answer", "approvals of each answer", "winner first",
    "one-to-one", "in each round", " over ", "Yes or no:", "Schulze method", "Ranked pairs:",
    "Instant-runoff", "Single transferable", "Plurality:", "Approval:", "Borda count",
    "The count", "Anonymized ballots", "Every ballot", "Elekto's format", "Draft of results.md",
    "Review it", "Generated by urna-tally", "Show the Markdown", "Published results",
    "did not open", "sealed ballot", "malformed ranking", "seed &quot;", "ascending",
    "the officers decide", "Results of this process", " · results<", "were tied",
]


def es_page(h, eid):
    r = h.get("/urna/elections/%s/results" % eid, headers=ES)
    if SAVE and r.status == 200:
        with open(os.path.join(SAVE, eid.replace("/", "-") + "-es.html"), "wb") as f:
            f.write(r.body)
    return r


def leftover_english(page):
    main = re.sub(r'<pre class="markdown-source">.*?</pre>', "", page, flags=re.S)
    main = re.sub(r'<div class="markdown">.*?</div>', "", main, flags=re.S)
    return [x for x in ENGLISH if x in main]


def spanish_ok(what, r):
    t.check("%s in Spanish: 200, lang=\"es\"" % what,
            r.status == 200 and '<html lang="es">' in r.text, r)
    t.equal("%s in Spanish: none of the page's English left" % what, leftover_english(r.text), [])
    t.equal("%s in Spanish: headers on every column" % what, headers_ok(r.text), [])
    t.equal("%s in Spanish: headings as in English" % what, headings_ok(r.text), [])


def es_percent(part, whole):
    return ("%.1f" % (100.0 * part / whole)).replace(".", ",") + NBSP + "%"


# Schulze (board): words, numbers, the date, the stored notes and reasons.
r = es_page(olga, BOARD)
spanish_ok("Schulze (board)", r)
page = r.text
t.check("board: 'Ganadoras:', '2 puestos', 'El recuento', the method in words",
        "<strong>Ganadoras:</strong>" in page and '<span class="seats">2 puestos</span>' in page
        and "<h2>El recuento</h2>" in page and
        "Método Schulze: papeletas con clasificación, candidaturas comparadas una a una" in page,
        page[:4000])
t.check("board: the <title> in Spanish", "<title>Board 2020 · resultados · urna</title>" in page,
        page[:600])
m = re.search(r'<dd class="turnout-percent">([^<]*)</dd>', page)
t.equal("board: the turnout as Spanish writes it (decimal comma, no-break space before %)",
        m and m.group(1), es_percent(12 + n_bad, 21))
t.check("board: the count's date in Spanish, UTC said",
        re.search(r'<dt>Recuento</dt><dd><time datetime="[^"]*">\d{1,2} de (%s) de \d{4}, '
                  r'\d{1,2}:\d\d UTC</time>' % MONTHS, page), page[:4000])
t.check("board: the pairwise record, its chart and the matrix in Spanish",
        "<th scope=\"col\" class=\"num\">Gana a</th>" in page and
        "<title>Cand &lt;B&gt; — Pierde con: 1</title>" in page and
        "<h3>Preferencias por pares</h3>" in page and
        'title="Cand &lt;A&gt; frente a Cand &lt;B&gt;: 7 a 3"' in page and
        "<h3>Caminos más fuertes</h3>" in page, page[-6000:])
t.check("board: urna-tally's invalid reasons, in Spanish with their counts",
        "1 no válida: clasificación mal formada: secuencia de escape con % incorrecta" in page and
        ("%d no válidas: una papeleta sellada que no se abre con la clave de la elección "
         "(manipulada, truncada o sellada con otra clave)" % n_bad) in page, page[-4000:])
t.check("board: urna-tally's note on the sealed ballots, in Spanish",
        ("%d papeletas selladas de board/2020 no se abrieron con la clave de la elección; "
         "cuentan como no válidas en todas las preguntas." % n_bad) in page, page[-4000:])
t.check("board: the export offered in Spanish (officer)",
        "<h2>Papeletas anonimizadas</h2>" in page and "(solo visibles para los responsables)" in page
        and "(formato de Elekto)" in page and 'href="/urna/elections/board/2020/ballots.blt"' in page,
        page[-3000:])
t.equal("board: the same order as in English", table_order(page),
        table_order(results(olga, BOARD).text))

# Strongest paths (Wikipedia's 45 voters) and locked pairs.
r = es_page(anon, WIKI)
spanish_ok("Schulze (wiki)", r)
body = questions(r.text).get("main", "")
t.check("wiki: strongest paths with their titles in Spanish",
        re.search(r'<td class="win\d" title="Camino más fuerte de Cand &lt;E&gt; a Cand &lt;A&gt;: '
                  r'25; de Cand &lt;A&gt; a Cand &lt;E&gt;: 24">25</td>', body) and
        '<span class="visually-hidden">Camino a →</span>' in body, body[-5000:])
t.equal("wiki: Spanish ranks E > A > C > B > D too", table_order(body), ["e", "a", "c", "b", "d"])
r = es_page(anon, RP)
spanish_ok("ranked pairs", r)
t.check("ranked pairs: the locked pairs in Spanish",
        '<h3>Pares fijados</h3>' in r.text and
        '<li dir="auto">Cand &lt;B&gt; sobre Cand &lt;D&gt; (33 a 12)</li>' in r.text,
        r.text[-4000:])

# IRV and STV rounds.
r = es_page(anon, IRV)
spanish_ok("IRV", r)
body = questions(r.text)["main"]
t.check("IRV: the rounds in Spanish sentences",
        re.search(r'<th scope="row">1</th>.*?<td class="action">Queda eliminada Cand &lt;C&gt;\.</td>',
                  body) and
        re.search(r'<th scope="row">2</th>.*?<td class="action">Sale elegida Cand &lt;B&gt;\.</td>',
                  body) and "Mayoría necesaria para ganar: 5." in body and
        "<strong>Ganadora:</strong>" in body and '<span class="seats">1 puesto</span>' in body,
        body[-3000:])
t.check("IRV: the ranking's outcome per round and the rounds chart in Spanish",
        '<span class="badge ok">elegida</span> <span class="round-result">Elegida en la vuelta 2'
        '</span>' in body and "Eliminada en la vuelta 1" in body and
        "<title>Vuelta 2 — Cand &lt;B&gt;: 5</title>" in body and ">Mayoría: 5</text>" in body and
        ">Agotadas</text>" in body, body[:4000])
r = es_page(anon, STV)
spanish_ok("STV", r)
body = questions(r.text).get("main", "")
t.check("STV: 'Elegidas:', '2 puestos', the quota, A's surplus in Spanish",
        "<strong>Elegidas:</strong>" in body and '<span class="seats">2 puestos</span>' in body and
        "Cuota para salir elegida: 5." in body and
        "Se transfiere el excedente de Cand &lt;A&gt; (1)." in body and ">Cuota: 5</text>" in body,
        body)

# An IRV tie in the rounds, decided by lot: the stored round note and the
# tie-break, in English and in Spanish (same seed, same values).
r = results(anon, IRVTIE)
en_body = html.unescape(questions(r.text).get("main", ""))
t.check("IRV tie (English): the round's note as a sentence, with the seed",
        r.status == 200 and 'The tie was decided by lot: sha256(seed + "\\n" + id) order, seed '
        '"lot-2020".' in en_body and "Broken by the configured tie-break: lot: sha256" in en_body,
        en_body[-4000:])
t.check("IRV tie (English): a tie in a round that decided no seat is said as one (not 'tied for "
        "the last 0 seats')",
        re.search(r'<bdi class="tied-names">Cand <[BC]>, Cand <[BC]></bdi> were tied in a round of '
                  r'the count\.', en_body) and "last 0 seats" not in en_body, en_body[:3000])
r = es_page(anon, IRVTIE)
spanish_ok("IRV tie", r)
es_body = html.unescape(questions(r.text).get("main", ""))
t.check("IRV tie (Spanish): the round's note and the tie-break translated, with the seed",
        'El empate se decidió por sorteo: orden de sha256(seed + "\\n" + id), semilla «lot-2020».'
        in es_body and "Empate:" in es_body and
        'Resuelto con el desempate configurado: sorteo: sha256(seed + "\\n" + id) ascendente, '
        'semilla «lot-2020».' in es_body, es_body[-4000:])
t.check("IRV tie (Spanish): the tied names in a sentence around them",
        re.search(r'<bdi class="tied-names">Cand &lt;[BC]&gt;, Cand &lt;[BC]&gt;</bdi> empataron en '
                  r'una vuelta del recuento\.', r.text), r.text[:5000])

# Ties at the boundary (Schulze).
r = es_page(anon, TIE)
spanish_ok("tie", r)
t.check("tie: no winner yet, the banner in Spanish",
        'class="winner-names">ninguna todavía (empate)<' in r.text and
        re.search(r'<strong>Empate:</strong> <bdi class="tied-names">Cand &lt;A&gt;, Cand &lt;B&gt;'
                  r'</bdi> empatan por el último puesto\. No hay desempate configurado: deciden los '
                  r'responsables\.</p>', r.text) and
        r.text.count('<span class="badge warn">empatada</span>') == 2 and
        "se borraron los vínculos entre los votantes y sus papeletas" in r.text, r.text[:5000])
r = es_page(anon, TBRK)
spanish_ok("tie-break", r)
t.check("tie-break: TBRC in Spanish with the seed",
        "Resuelto con el desempate configurado: la clasificación de desempate de las candidaturas "
        "(TBRC: papeletas en el orden aleatorio de" in r.text and "semilla «draw-2020-02-02»"
        in r.text, r.text[:5000])

# Yes/No and approval: percentages.
r = es_page(olga, REF)
spanish_ok("referendum", r)
qs = questions(r.text)
t.check("Yes/No in Spanish: 'Resultado:', 'aprobada', the method, percentages with a comma",
        "<strong>Resultado:</strong>" in qs["q1"] and
        '<span class="badge ok">aprobada</span>' in qs["q1"] and
        "Sí o no: se aprueba la respuesta con más votos" in qs["q1"] and
        re.search(r'data-id="yes">.*?<span class="score">7</span></td><td class="num">63,6%s%%</td>'
                  % NBSP, qs["q1"]) and
        re.search(r'data-id="no">.*?<span class="score">4</span></td><td class="num">36,4%s%%</td>'
                  % NBSP, qs["q1"]) and
        "Porcentajes sobre los votos válidos: 11 de 11 emitidos (en blanco: 0; no válidos: 0)."
        in qs["q1"], qs["q1"][:3000])
t.check("Yes/No in Spanish: the chart writes the same numbers and its name",
        ">7 · 63,6%s%%</text>" % NBSP in qs["q1"] and
        "votos de cada respuesta, primero la ganadora" in qs["q1"], qs["q1"][-3000:])
t.check("approval in Spanish: percentages and their base",
        re.search(r'data-id="y">.*?<span class="score">8</span></td><td class="num">80,0%s%%</td>'
                  % NBSP, qs["q2"]) and ">8 · 80,0%s%%</text>" % NBSP in qs["q2"] and
        "Aprobación: cada papeleta puede elegir varias respuestas" in qs["q2"] and
        "más del 100 %" in qs["q2"] and "<strong>Ganadora:</strong>" in qs["q2"],
        qs["q2"][:3000])
t.check("referendum: the draft for the officers in Spanish (its Markdown as urna-tally wrote it)",
        "Borrador de results.md" in r.text and "Mostrar el Markdown" in r.text and
        "<h2>Resultados publicados</h2>" in r.text, r.text[-3000:])

# The parent's consolidated result and a child's.
r = es_page(anon, UNI)
spanish_ok("parent (consolidated)", r)
qs = questions(r.text)
t.check("parent: the chooser, the turnout words and the consolidated note in Spanish",
        '<strong class="current">Consolidado</strong>' in r.text and
        'aria-label="Resultados de este proceso"' in r.text and
        "<dt>Votantes del censo</dt>" in r.text and "(uno por votante y elección incluida)" in r.text
        and "Resultado consolidado:" in r.text, r.text[:5000])
t.check("parent: the children whose ballots each question counts, and a Yes/No tie, in Spanish",
        '<p class="sources">Cuenta los votos de: <bdi>Professors, Students</bdi></p>' in qs["q1"] and
        "sin decidir (empate)" in qs["q2"] and
        "las dos respuestas tienen el mismo número de votos, así que la pregunta no queda "
        "decidida." in qs["q2"], r.text[-6000:])
r = es_page(anon, UNI + "/students")
spanish_ok("child", r)
t.check("child: 'Forma parte de' its parent, the chooser back to 'Consolidado'",
        '<p class="breadcrumb">Forma parte de <bdi><a class="parent"' in r.text and
        'href="/urna/elections/uni-2020/results">Consolidado</a>' in r.text, r.text[:3000])

# Refusals: the error page says them in Spanish.
r = anon.get("/urna/elections/steering/2026/results", headers=ES)
t.check("a running election's results: 404 in Spanish",
        r.status == 404 and "la votación aún no ha terminado" in r.text, r)
r = anon.get("/urna/elections/board/2020/ballots.csv", headers=ES)
t.check("the export for an anonymous visitor: 403 in Spanish",
        r.status == 403 and "solo están disponibles para sus responsables; si eres responsable, "
        "inicia sesión." in r.text, r)
r = anon.get("/urna/elections/%s/ballots.blt" % REF, headers=ES)
t.check("no BLT for the referendum: 404 in Spanish",
        r.status == 404 and "no tiene ninguna pregunta con clasificación" in r.text, r)
r = results(anon, BOARD)
t.check("English stays English (no Accept-Language)",
        '<html lang="en">' in r.text and "<strong>Winners:</strong>" in r.text and
        '<dd class="turnout-percent">%.1f%%</dd>' % (100.0 * (12 + n_bad) / 21) in r.text,
        r.text[:3000])

t.section("the web booth's encoding, counted after the close")


def booth_vote(login, ranks):
    h = sign_in(login)
    page = h.get("/urna/elections/%s/vote" % BOOTH).text
    m = re.search(r'<input type="text" name="passcode" id="passcode" value="([^"]*)"', page)
    fields = [html.unescape(n) for n in re.findall(r'<select name="(rank/[^"]+)"', page)]
    form = [("csrf", csrf_of(page))]
    for f in fields:
        form.append((f, str(ranks.get(f.split("/", 2)[2], ""))))
    form.append(("passcode", html.unescape(m.group(1)) if m else ""))
    form.append(("passcode_saved", "yes"))  # "I have written this passcode down"
    from urllib.parse import urlencode
    return h.request("POST", "/urna/elections/%s/vote" % BOOTH, body=urlencode(form).encode(),
                     headers={"Content-Type": "application/x-www-form-urlencoded"}), fields


r, fields = booth_vote("alice", {"ann": 1, "ben": 2})
if r.status == 404 or not fields:
    t.check("the booth is not there yet (SKIPPED part): %s" % r.status, True)
else:
    t.check("alice votes through the booth", r.status in (200, 303), r)
    r, _ = booth_vote("bob", {"ben": 1})
    t.check("bob votes through the booth", r.status in (200, 303), r)
    r, _ = booth_vote("carol", {"ann": 1, "ben": 1, "cy": 2})
    t.check("carol votes through the booth", r.status in (200, 303), r)
    stored = sorted(b["main"] for b, _ in sealed_ballots(db, app, BOOTH))
    t.equal("the booth stored the documented encoding (sealed; opened here)", stored,
            ["ann=1&ben=1&cy=2", "ann=1&ben=2", "ben=1"])
    rc, out = tally()
    t.check("not tallied while running", rc == 0 and BOOTH not in out, out)
    p = os.path.join(root, BOOTH, "election.yaml")
    with open(p) as f:
        text = f.read()
    write(p, text.replace("2099-01-01", "2020-02-01"))
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "close the booth election")
    git(work, "push", "-q", "origin", "main")
    rc, out = app.sync(check=False)
    t.equal("urna-sync takes the new end date", rc, 0, out[-2000:])
    rc, out = tally()
    t.check("tallied once closed", rc == 0 and "%s: tallied 3 ballots" % BOOTH in out, out)
    deadline = time.monotonic() + 10  # the web notices the new snapshot
    r = results(anon, BOOTH)
    while r.status != 200 and time.monotonic() < deadline:
        time.sleep(0.25)
        r = results(anon, BOOTH)
    page = r.text
    m = re.search(r'class="winner-names">([^<]*)<', page)
    t.equal("the booth's ballots count: Ann wins", m and html.unescape(m.group(1)), "Cand <ANN>")
    t.check("all three booth ballots valid", '<dd class="q-valid">3</dd>' in page, page[-3000:])

t.section("at 390 px in headless Chromium: nothing scrolls sideways, no chart text is cut off")
try:
    from webdriver import ChromeDriver, chromium_binary  # noqa: E402
    have_browser = bool(chromium_binary()) and bool(shutil.which("chromedriver"))
except ImportError:
    have_browser = False
# For each page: the page's scroll width, the viewport, and every chart's
# width with what of its text lies outside it.
MEASURE = """
const out = {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, charts: [],
             tables: [...document.querySelectorAll('table.ranking')].map(
                 t => t.getBoundingClientRect().right)};
for (const svg of document.querySelectorAll('figure.chart svg')) {
  const box = svg.getBoundingClientRect();
  const cut = [];
  for (const t of svg.querySelectorAll('text')) {
    const r = t.getBoundingClientRect();
    if (r.right > box.right + 1 || r.left < box.left - 1) cut.push(t.textContent);
  }
  out.charts.push({left: box.left, right: box.right, width: box.width, cut: cut,
                   font: svg.querySelector('text').getBoundingClientRect().height});
}
return out;
"""
if not have_browser:
    print("# SKIPPED: no chromium/chromedriver for the 390 px check")
else:
    drv = t.watch(ChromeDriver())
    drv.start()
    b = drv.session(javascript=False, window=(390, 900))
    # Headless Chromium keeps a window at least 500 px wide: the phone's
    # viewport is set through the DevTools protocol instead.
    b.cmd("POST", "/goog/cdp/execute", {"cmd": "Emulation.setDeviceMetricsOverride", "params": {
        "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}})
    for eid in (BOARD, REF, IRV, WIKI, UNI):
        b.get(ngx.url + "/urna/elections/%s/results" % eid)
        if SAVE:
            b.screenshot(os.path.join(SAVE, eid.replace("/", "-") + "-390.png"))
            b.execute("document.querySelector('figure.chart').scrollIntoView()")
            b.screenshot(os.path.join(SAVE, eid.replace("/", "-") + "-chart-390.png"))
        m = b.execute(MEASURE)
        t.equal("%s: the viewport is 390 px wide" % eid, m["inner"], 390)
        t.check("%s at 390 px: no horizontal scrolling (%s <= %s)" % (eid, m["scroll"], m["inner"]),
                m["scroll"] <= m["inner"], m)
        t.check("%s at 390 px: the ranking tables fit too (no scrolling inside them)" % eid,
                m["tables"] and all(x <= m["inner"] for x in m["tables"]), m)
        t.check("%s at 390 px: every chart fits the viewport and scales (wider than 250 px), "
                "no text cut off, text at least 9 px" % eid,
                m["charts"] and all(c["right"] <= m["inner"] + 0.5 and c["width"] > 250 and
                                    not c["cut"] and c["font"] >= 9 for c in m["charts"]), m)
    b.quit()

t.section("the lock")
lock = open(os.path.join(app.settings["state_dir"], "urna-tally.lock"), "a+")
fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
rc, out = tally()
t.check("a held lock: urna-tally skips and exits 0", rc == 0 and "skipped" in out, out)
fcntl.flock(lock, fcntl.LOCK_UN)
lock.close()

t.done()
