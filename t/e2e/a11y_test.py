#!/usr/bin/python3
"""Accessibility and phone width of every page state (issue 10,
"Accessibility" and "Tests"): a private MariaDB, urna.fcgi (auth = demo,
signing in by the demo sign-in page's buttons) behind nginx, headless
Chromium over WebDriver, and axe-core (the npm package pinned in
t/browser/package-lock.json, installed by `./dev.sh test`) injected into
each page by t/lib/browser.py.

The metadata is examples/meta with the demo's dates (t/lib/demo.py:
running elections close in weeks) plus closed elections counted by
urna-tally so that every results page exists: Schulze (the example
steering/2025, the demo's ballots), IRV, STV, a referendum with a Yes/No
plurality question and an approval question, and a closed copy of the
example parent process.

Every page state, each at 1280 and 390 px (screenshots
t/artifacts/a11y-<state>-<width>.png): axe with the WCAG 2.0/2.1 A and AA
rules and the best practices, zero violations of impact moderate or above;
at 390 px no horizontal scrolling. The states: home (anonymous, signed in),
the sign-in page, election pages (running, upcoming, closed with results,
parent, child), a candidate, the booth with JavaScript and without (a second
browser with scripts disabled), the parent's booth, a refused ballot, the
voted page, "view my ballot" (asked, shown), the exception form and its
confirmation, the officers' pages (an election, a parent), the results
pages, and the 404 and 403 error pages. Ballots are cast by ticking a
box "I have written this passcode down" (passcode_saved) when the booth has one.

Once over all of them: a skip link is the first Tab stop and leads to an
element of the page; the focus ring of the first Tab stops has a contrast
of at least 3:1 against what is behind it; no link or form opens a new tab
(target=_blank). The findings are printed page by page at the end.
Skips (77) without chromium/chromedriver or without axe-core (npm ci in
t/browser).
"""

import os
import re
import shutil
import subprocess
import sys
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import (BUILDDIR, Checks, MariaDB, Nginx, SRCDIR, Urna, git,  # noqa: E402
                     insert_sealed_ballots, write)
from webdriver import ChromeDriver, WebDriverError, chromium_binary  # noqa: E402
from browser import PageChecker, axe_path, axe_version  # noqa: E402
import demo  # noqa: E402

t = Checks("a11y_test")
TALLY = os.path.join(BUILDDIR, "urna-tally")
t.require_binaries("mariadb-install-db", "mariadbd", "mariadb", "nginx", "git", "chromedriver",
                   os.path.join(BUILDDIR, "urna.fcgi"), os.path.join(BUILDDIR, "urna-sync"), TALLY)
if not chromium_binary():
    t.skip("chromium is not installed")
if not os.path.exists(axe_path()):
    t.skip("axe-core is not installed: run `npm ci` in t/browser (./dev.sh test does)")
print("# axe-core %s" % axe_version(), flush=True)
ARTIFACTS = os.path.join(BUILDDIR, "t", "artifacts")
os.makedirs(ARTIFACTS, exist_ok=True)
for name in os.listdir(ARTIFACTS):  # a screenshot left by an earlier run proves nothing
    if name.startswith("a11y-") and name.endswith(".png"):
        os.unlink(os.path.join(ARTIFACTS, name))

# ---------------------------------------------------------------------------
# The metadata: the demo's examples plus closed elections for every method.
db = t.watch(MariaDB())
db.start()
work = os.path.join(db.dir, "meta-work")
demo.relative_dates(os.path.join(SRCDIR, "examples", "meta"), work)
root = os.path.join(work, "elections")
PAST = "start_datetime: 2020-01-01 00:00:00\nend_datetime: 2020-02-01 00:00:00\n"
IRV, STV, REF, UNI = "irv/2020", "stv/2020", "referendum/2020", "uni-2020"


def candidates(d, people):
    for cid, name in people:
        write(os.path.join(d, "candidate-%s.md" % cid),
              "-------\nname: %s\nID: %s\n-------\n%s stands for the board.\n" % (name, cid, name))


def voters(d, logins):
    write(os.path.join(d, "voters.yaml"), "eligible_voters:\n" + "".join("  - %s\n" % v for v in logins))


d = os.path.join(root, IRV)
write(os.path.join(d, "election.yaml"), "name: 2020 Treasurer Election\norganization: Example "
      "Foundation\n" + PAST + "method: irv\nelection_officers:\n  - olga\n")
voters(d, ["i%02d" % i for i in range(1, 11)])
write(os.path.join(d, "election_desc.md"), "One treasurer, by instant runoff.\n")
candidates(d, [("ana", "Ana Lima"), ("ben", "Ben Okafor"), ("chen", "Chen Wei")])

d = os.path.join(root, STV)
write(os.path.join(d, "election.yaml"), "name: 2020 Board Election\norganization: Example "
      "Foundation\n" + PAST + "method: stv\nno_winners: 2\nelection_officers:\n  - olga\n")
voters(d, ["s%02d" % i for i in range(1, 13)])
write(os.path.join(d, "election_desc.md"), "Two board seats, by single transferable vote.\n")
candidates(d, [("dev", "Dev Patel"), ("eva", "Eva Novak"), ("finn", "Finn Berg"),
               ("gia", "Gia Russo")])

d = os.path.join(root, REF)
write(os.path.join(d, "election.yaml"),
      "name: 2020 Referendum\norganization: Example Foundation\n" + PAST +
      "election_officers:\n  - olga\nquestions:\n"
      "  - id: q1\n    title: Adopt the new bylaws?\n    method: plurality\n    answers:\n"
      "      - id: \"yes\"\n        text: \"Yes\"\n      - id: \"no\"\n        text: \"No\"\n"
      "  - id: q2\n    title: Which days suit the meetings?\n    method: approval\n"
      "    max_selections: 2\n    answers:\n      - id: mon\n        text: Monday\n"
      "      - id: tue\n        text: Tuesday\n      - id: fri\n        text: Friday\n")
voters(d, ["r%02d" % i for i in range(1, 13)])
write(os.path.join(d, "election_desc.md"), "Two questions for the members.\n")

# A closed copy of the example parent process (children inherit the dates).
shutil.copytree(os.path.join(root, "university-2026"), os.path.join(root, UNI))
p = os.path.join(root, UNI, "election.yaml")
with open(p) as f:
    text = f.read()
text = re.sub(r"^start_datetime:.*\n", "", text, flags=re.M)
text = re.sub(r"^end_datetime:.*\n", PAST, text, flags=re.M)
text = re.sub(r"^exception_due:.*\n", "", text, flags=re.M)
text = re.sub(r"^name: .*$", "name: Electoral Process 2020", text, count=1, flags=re.M)
write(p, text)

git(work, "init", "-q", "-b", "main")
git(work, "add", "-A")
git(work, "commit", "-q", "-m", "a11y fixture")

app = t.watch(Urna(db, workers=2, auth="demo", repo_url=work, repo_branch="main",
                   scrypt_n=1024))
app.migrate()
rc, out = app.sync(check=False)
t.equal("urna-sync stores the fixture", rc, 0, out[-2000:])
demo.seed_completed_election(db, app)  # steering/2025: Schulze, the demo's ballots
insert_sealed_ballots(db, app, IRV, [{"main": x} for x in
                                     ["ana=1&ben=2"] * 4 + ["ana=2&ben=1"] * 3 + ["ben=2&chen=1"] * 3])
insert_sealed_ballots(db, app, STV, [{"main": x} for x in
                                     ["dev=1&eva=2&finn=3"] * 5 + ["eva=1&dev=2"] * 3 +
                                     ["finn=1&gia=2"] * 2 + ["gia=1&finn=2&eva=3"] * 2])
insert_sealed_ballots(db, app, REF, [{"q1": "yes=1", "q2": "mon=1&tue=1"}] * 5 +
                      [{"q1": "no=1", "q2": "tue=1"}] * 3 + [{"q1": "yes=1", "q2": "fri=1"}] * 2)
insert_sealed_ballots(db, app, UNI + "/students", [{"q1": "yes=1", "q2": "yes=1"},
                                                   {"q1": "yes=1", "q2": "no=1"},
                                                   {"q1": "no=1", "q2": "no=1"}])
insert_sealed_ballots(db, app, UNI + "/professors", [{"q1": "no=1", "q3": "yes=1"}] * 2)
r = subprocess.run([TALLY, "--config", app.config_path], stdout=subprocess.PIPE,
                   stderr=subprocess.STDOUT, text=True, timeout=300)
t.equal("urna-tally counts the closed elections", r.returncode, 0, r.stdout[-2000:])
app.start()
ngx = t.watch(Nginx(app))
ngx.start()
BASE = ngx.url + "/urna"
drv = t.watch(ChromeDriver())
drv.start()
pc = PageChecker(t, ARTIFACTS)


def state(b, name, url=None, focus=True):
    """Opens url (if given) and checks the page state as a11y-<name>."""
    if url:
        b.get(BASE + url)
    try:
        pc.check_state(b, "a11y-" + name, focus=focus)
    except WebDriverError as e:
        t.check("a11y-%s: the checks ran" % name, False, e)


def sign_in(b, login, then):
    """The demo sign-in page's button for `login`, back to `then`."""
    b.get(BASE + "/login?next=" + urllib.parse.quote("/urna" + then, safe=""))
    buttons = [e for e in b.find_all('form.demo-voters button[name="login"]')
               if e.attribute("value") == login]
    if not t.check("%s: a button on the demo sign-in page" % login, buttons, b.source[:1500]):
        return False
    b.click_and_wait(buttons[0])
    who = b.find_all("header.top .who strong")
    return t.check("%s: signed in" % login, who and who[0].text == login, b.source[:1500])


def confirm(b):
    """Ticks the booth's "I have written this passcode down" box (passcode_saved),
    so that a cast is not stopped by the browser before it is sent)."""
    for box in b.find_all('input[type="checkbox"][name="passcode_saved"]'):
        if not box.selected:
            box.click()


def cast(b):
    confirm(b)
    b.click_and_wait(b.find("button.cast"))


# ---------------------------------------------------------------------------
t.section("anonymous")
b = drv.session(javascript=True)
state(b, "home-anonymous", "/")
state(b, "login", "/login")
state(b, "election-running", "/elections/steering/2026")
state(b, "election-upcoming", "/elections/code-of-conduct/2036")
state(b, "election-closed", "/elections/steering/2025")
state(b, "election-parent", "/elections/university-2026")
state(b, "election-child", "/elections/university-2026/students")
state(b, "candidate", "/elections/steering/2026/candidates/kim-s")
state(b, "results-schulze", "/elections/steering/2025/results")
state(b, "results-irv", "/elections/%s/results" % IRV)
state(b, "results-stv", "/elections/%s/results" % STV)
state(b, "results-plurality-approval", "/elections/%s/results" % REF)
state(b, "results-parent", "/elections/%s/results" % UNI)
state(b, "error-404", "/no/such/page")
t.check("the 404 page is the error page", b.exists("section.error"), b.source[:1000])

t.section("a voter with JavaScript")
if sign_in(b, "alice", "/"):
    state(b, "home-signed-in")
b.get(BASE + "/elections/steering/2026/vote")
state(b, "booth-js")
if b.exists("button.cast"):
    # Nobody ranked: refused, with the reasons.
    cast(b)
    t.check("a ballot ranking nobody is refused", b.exists(".errors"), b.source[:1500])
    state(b, "booth-refused")
b.get(BASE + "/elections/steering/2026/vote")
passcode = None
if b.exists("li.rank-row select.rank"):
    b.find('li.rank-row[data-aid="kim-s"] select.rank').select("1")
    b.find('li.rank-row[data-aid="hana-k"] select.rank').select("2")
    passcode = b.find("input#passcode").prop("value")
    cast(b)
    t.check("the ballot is cast", b.exists("article.voted") or "cast" in b.source.lower(),
            b.source[:1500])
    state(b, "voted")
b.get(BASE + "/elections/steering/2026/ballot")
state(b, "view-ballot-ask")
if passcode and b.exists('input[name="passcode"]'):
    b.find('input[name="passcode"]').send_keys(passcode)
    b.click_and_wait(b.find('form.view-form button[type="submit"]'))
    t.check("the ballot is shown", b.exists(".stored-ranking"), b.source[:1500])
    state(b, "view-ballot-shown")
b.get(BASE + "/elections/university-2026/vote")
state(b, "booth-parent")
b.quit()

t.section("a voter without JavaScript")
nb = drv.session(javascript=False)
if sign_in(nb, "bob", "/elections/steering/2026/vote"):
    t.check("scripts are off: the plain booth", not nb.exists("form.booth-form.js"))
    state(nb, "booth-nojs")

t.section("someone on no voter list")
xb = drv.session(javascript=True)
if sign_in(xb, "guest", "/elections/steering/2026"):
    state(xb, "election-not-eligible")
    state(xb, "error-403", "/elections/steering/2026/vote")
    t.check("the 403 page is the error page", xb.exists("section.error"), xb.source[:1000])
    xb.get(BASE + "/elections/steering/2026/exception")
    state(xb, "exception-form")
    if xb.exists("form.exception-form"):
        xb.find("#x-name").send_keys("Gus Guest")
        xb.find("#x-contact").send_keys("gus@example.org")
        xb.find("#x-reason").send_keys("I translate the documentation; that is not counted.")
        xb.click_and_wait(xb.find('form.exception-form button[type="submit"]'))
        t.check("the request is sent", xb.exists("div.request-sent"), xb.source[:1500])
        state(xb, "exception-sent")
xb.quit()

t.section("the officer")
ob = drv.session(javascript=True)
if sign_in(ob, "olga", "/elections/steering/2026/admin"):
    state(ob, "admin")
    state(ob, "admin-parent", "/elections/university-2026/admin")
    state(ob, "admin-closed", "/elections/steering/2025/admin")
ob.quit()

# ---------------------------------------------------------------------------
t.section("skip link, focus ring, new tabs: every page above")
no_skip = {s: f for s, f in pc.first_stop.items()
           if not (f and f.get("href", "") and f["href"].startswith("#") and f["target_exists"])}
t.check("a skip link to the page's content is the first Tab stop on every page", not no_skip,
        "\n".join("%s: first Tab stop %s" % (s, (f or {}).get("el", "none"))
                  for s, f in sorted(no_skip.items())))
weak = []
for s, stops in sorted(pc.rings.items()):
    for f in stops:
        if f["ratio"] < 3:
            weak.append("%s: %s: outline %s behind %s: %.2f:1" % (
                s, f["el"], f["outline"], f.get("behind", "-"), f["ratio"]))
t.check("the focus ring has a contrast of at least 3:1 against what is behind it "
        "(first three Tab stops of every page)", pc.rings and not weak, "\n".join(weak[:40]))
blank = {s: v for s, v in pc.new_tabs.items() if v}
t.check("no link or form opens a new tab (target=_blank) on any page", not blank,
        "\n".join("%s: %s" % (s, ", ".join(v)) for s, v in sorted(blank.items())))
t.check("screenshots saved at both widths for every page state",
        len(pc.screenshots) == 2 * len(pc.report) and all(
            os.path.getsize(p) > 1000 for p in pc.screenshots), pc.screenshots)

print("# ===== findings, page by page (rule id (impact) at widths: targets) =====")
for line in pc.report_lines() or ["(none)"]:
    print("# " + line)
t.done()
