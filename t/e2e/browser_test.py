#!/usr/bin/python3
"""Voting in a real browser (issue 5): headless Chromium driven over W3C
WebDriver (t/lib/webdriver.py, chromedriver tracked by PID) against nginx,
urna.fcgi and a private MariaDB with examples/meta synced.

With JavaScript: sign in (demo), see Eligible, open the booth, rank by
drag-and-drop (pointer actions) and check the selects follow, cast, see
Voted, view the ballot with the passcode, a wrong passcode refused, re-cast.
Without JavaScript (a second browser, scripts disabled): the same booth as
a plain form, ranks chosen with the selects (one by keyboard), cast, view.
Screenshots of the election page and the booth go to
$URNA_BUILDDIR/t/artifacts/. Skips (77) without chromium/chromedriver.
"""

import base64
import hashlib
import hmac
import os
import re
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import BUILDDIR, SRCDIR, Checks, MariaDB, Nginx, Urna  # noqa: E402
from webdriver import ChromeDriver, WebDriverError, chromium_binary  # noqa: E402

t = Checks("browser_test")
t.require_binaries("mariadb-install-db", "mariadbd", "mariadb", "nginx", "git", "chromedriver",
                   os.path.join(BUILDDIR, "urna.fcgi"), os.path.join(BUILDDIR, "urna-sync"))
if not chromium_binary():
    t.skip("chromium is not installed")
EXAMPLES = os.path.join(SRCDIR, "examples", "meta")
ARTIFACTS = os.path.join(BUILDDIR, "t", "artifacts")
os.makedirs(ARTIFACTS, exist_ok=True)
EID = "steering/2026"


def git(repo, *args):
    subprocess.run(["git", "-C", repo, "-c", "user.name=e2e", "-c", "user.email=e2e@localhost",
                    "-c", "commit.gpgsign=false"] + list(args), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


db = t.watch(MariaDB())
db.start()
work = os.path.join(db.dir, "meta-work")
shutil.copytree(EXAMPLES, work)
git(work, "init", "-q", "-b", "main")
git(work, "add", "-A")
git(work, "commit", "-q", "-m", "examples/meta")
app = t.watch(Urna(db, workers=2, repo_url=work, repo_branch="main"))
app.migrate()
rc, out = app.sync(check=False)
t.equal("urna-sync stores examples/meta", rc, 0, out[-2000:])
app.start()
ngx = t.watch(Nginx(app))
ngx.start()
BASE = ngx.url
ELECTION = BASE + "/urna/elections/" + EID
drv = t.watch(ChromeDriver())
drv.start()


def forge_session(login):
    def b64(b):
        return base64.urlsafe_b64encode(b).rstrip(b"=").decode()
    payload = "v1|%s|%d|%s" % (login, int(time.time()) + 3600, os.urandom(16).hex())
    mac = hmac.new(app.settings["session_key"].encode(), b"session|" + payload.encode(),
                   hashlib.sha256).digest()
    return b64(payload.encode()) + "." + b64(mac)


def sign_in(b, login):
    """The demo login page when there is one, else a cookie made like urna's."""
    b.get(BASE + "/urna/login?next=/urna/elections/" + EID)
    buttons = [e for e in b.find_all('form.demo-voters button[name="login"]')
               if e.attribute("value") == login]
    if buttons:
        b.click_and_wait(buttons[0])
    else:
        b.get(BASE + "/urna/health")
        b.add_cookie("urna_session", forge_session(login), path="/urna/")
    b.get(ELECTION)


def badges(b):
    return {e.attribute("data-badge") for e in b.find_all("[data-badge]")}


def ranks(b):
    """{candidate id: select value} in the booth."""
    return {r.attribute("data-aid"): r.find("select.rank").prop("value")
            for r in b.find_all("li.rank-row")}


def order(b, css):
    return [r.attribute("data-aid") for r in b.find_all(css + " > li.rank-row")]


def row(b, aid):
    return b.find('li.rank-row[data-aid="%s"]' % aid)


def stored(b):
    return [(li.attribute("data-aid"), li.attribute("data-rank"))
            for li in b.find_all("ol.stored-ranking li")]


def view_ballot(b, passcode):
    b.get(ELECTION + "/ballot")
    b.find('input[name="passcode"]').send_keys(passcode)
    b.click_and_wait(b.find('form.view-form button[type="submit"]'))


# ---------------------------------------------------------------------------
t.section("with JavaScript: drag-and-drop")
b = drv.session(javascript=True)
sign_in(b, "alice")
t.equal("alice is signed in and eligible, not yet voted", badges(b), {"eligible"})
b.screenshot(os.path.join(ARTIFACTS, "election.png"))
b.click_and_wait(b.find("a.button.vote"))
t.check("the Vote link opens the booth", b.url.endswith("/steering/2026/vote"), b.url)
t.check("booth.js ran: two lists, everyone unranked",
        b.exists("form.booth-form.js") and len(order(b, "ul.unranked")) == 5
        and not order(b, "ol.js-ranking"), b.source[:2000])
t.check("drag handles are shown", row(b, "kim-s").find(".handle").displayed)
ranked = b.find("ol.js-ranking")
b.drag(row(b, "kim-s").find(".handle"), ranked)
t.equal("dragging kim-s into the ranking", order(b, "ol.js-ranking"), ["kim-s"])
b.drag(row(b, "hana-k").find(".handle"), row(b, "kim-s"), dy=12)
b.drag(row(b, "lena-w").find(".handle"), row(b, "kim-s"), dy=-12)
t.equal("dropped below and above kim-s", order(b, "ol.js-ranking"), ["lena-w", "kim-s", "hana-k"])
t.equal("the selects follow the drag", ranks(b),
        {"lena-w": "1", "kim-s": "2", "hana-k": "3", "ivan-p": "", "jorge-r": ""})
b.drag(row(b, "hana-k").find(".handle"), b.find("ul.unranked"))
b.drag(row(b, "hana-k").find(".handle"), row(b, "lena-w"), dy=-12)
t.equal("dragged out and back in at the top", order(b, "ol.js-ranking"),
        ["hana-k", "lena-w", "kim-s"])
# The handle works from the keyboard too: up from the top of "Not ranked"
# joins the ranking at the end, down from its end leaves it.
UP, DOWN = "\ue013", "\ue015"
pool_top = order(b, "ul.unranked")[0]
row(b, pool_top).find(".handle").send_keys(UP)
t.equal("arrow up moves a row into the ranking", order(b, "ol.js-ranking")[-1], pool_top)
row(b, pool_top).find(".handle").send_keys(UP)
t.equal("... and up again past the row above", order(b, "ol.js-ranking")[-2], pool_top)
t.equal("... with the selects renumbered", ranks(b)[pool_top], str(len(order(b, "ol.js-ranking")) - 1))
row(b, pool_top).find(".handle").send_keys(DOWN + DOWN)
t.equal("arrow down twice moves it back out", order(b, "ul.unranked")[0], pool_top)
t.equal("... its select is no opinion again", ranks(b)[pool_top], "")
# A select changed by hand re-sorts the rows (and keeps equal ranks).
row(b, "jorge-r").find("select.rank").select("2")
t.equal("choosing a rank in a select moves the row", order(b, "ol.js-ranking"),
        ["hana-k", "lena-w", "jorge-r", "kim-s"])
b.screenshot(os.path.join(ARTIFACTS, "booth.png"))
want = ranks(b)
passcode = b.find("input#passcode").prop("value")
t.check("a passcode is pre-filled", len(passcode) >= 16, passcode)
b.click_and_wait(b.find("button.cast"))
t.check("cast: the Voted page", b.exists("article.voted") and "Your ballot is cast" in b.source,
        b.source[:1500])
t.check("the Voted page shows the passcode", passcode in b.find("code.passcode").text)
b.screenshot(os.path.join(ARTIFACTS, "voted.png"))
b.get(ELECTION)
t.equal("the election page shows Voted", badges(b), {"eligible", "voted"})
b.screenshot(os.path.join(ARTIFACTS, "election-voted.png"))

view_ballot(b, "WRONG-WRONG-WRONG-WRONG")
t.check("a wrong passcode does not open the ballot", "does not open" in b.source)
view_ballot(b, passcode)
expect = sorted(((k, v) for k, v in want.items() if v), key=lambda kv: (int(kv[1]), kv[0]))
t.equal("the viewed ballot is the one cast", sorted(stored(b), key=lambda kv: (int(kv[1]), kv[0])),
        expect)
b.click_and_wait(b.find("button.change"))
t.check("Change my ballot opens the booth with the passcode filled in",
        b.find('input#passcode[type="password"]').prop("value") == passcode, b.url)
t.equal("... and the stored ranking in place", ranks(b), want)
got = order(b, "ol.js-ranking")
t.check("... in rank order (equal ranks in any order)",
        got[0] == "hana-k" and set(got[1:3]) == {"lena-w", "jorge-r"} and got[3] == "kim-s", got)
b.drag(row(b, "ivan-p").find(".handle"), b.find("ol.js-ranking"))
b.find("input#passcode").clear()
b.find("input#passcode").send_keys("NOT-MY-PASSCODE-0000")
b.click_and_wait(b.find("button.cast"))
t.check("re-casting with a wrong passcode changes nothing and says so",
        "Nothing was changed" in b.source, b.source[:1500])
for aid in ("hana-k", "lena-w", "jorge-r", "kim-s"):
    b.drag(row(b, aid).find(".handle"), b.find("ul.unranked"))
t.equal("only ivan-p ranked now", ranks(b)["ivan-p"], "1")
b.find("input#passcode").clear()
b.find("input#passcode").send_keys(passcode)
b.click_and_wait(b.find("button.cast"))
t.check("re-cast with the passcode", "Your ballot is changed" in b.source, b.source[:1500])
view_ballot(b, passcode)
t.equal("the viewed ballot is the new one", stored(b), [("ivan-p", "1")])
b.quit()

# ---------------------------------------------------------------------------
t.section("without JavaScript: the plain form")
nb = drv.session(javascript=False)
sign_in(nb, "bob")
t.equal("bob is eligible", badges(nb), {"eligible"})
nb.get(ELECTION + "/vote")
t.check("scripts are off: no JS lists, no drag handles",
        not nb.exists("form.booth-form.js") and not nb.exists("ol.js-ranking")
        and not row(nb, "kim-s").find(".handle").displayed)
nb.screenshot(os.path.join(ARTIFACTS, "booth-nojs.png"))
row(nb, "ivan-p").find("select.rank").select("1")
row(nb, "jorge-r").find("select.rank").select("2")
# Fully by keyboard: focus the select and type the rank.
row(nb, "lena-w").find("select.rank").send_keys("3")
t.equal("the selects hold the ranks", ranks(nb),
        {"ivan-p": "1", "jorge-r": "2", "lena-w": "3", "hana-k": "", "kim-s": ""})
nb_pass = nb.find("input#passcode").prop("value")
nb.click_and_wait(nb.find("button.cast"))
t.check("cast without JavaScript: the Voted page", "Your ballot is cast" in nb.source,
        nb.source[:1500])
nb.get(ELECTION)
t.equal("bob's election page shows Voted", badges(nb), {"eligible", "voted"})
view_ballot(nb, nb_pass)
t.equal("bob's viewed ballot", stored(nb), [("ivan-p", "1"), ("jorge-r", "2"), ("lena-w", "3")])
nb.get(ELECTION + "/vote")
nb.find("input#passcode").send_keys("wrong passcode here")
row(nb, "kim-s").find("select.rank").select("1")
nb.click_and_wait(nb.find("button.cast"))
t.check("no-JS re-cast with a wrong passcode is refused", "Nothing was changed" in nb.source)
nb.quit()

t.section("artifacts")
for name in ("election.png", "booth.png", "voted.png", "booth-nojs.png"):
    p = os.path.join(ARTIFACTS, name)
    t.check("screenshot %s saved" % name, os.path.getsize(p) > 1000 if os.path.exists(p) else False, p)

t.done()
