#!/usr/bin/python3
"""Voting in a real browser (issue 5): headless Chromium driven over W3C
WebDriver (t/lib/webdriver.py, chromedriver tracked by PID) against nginx,
urna.fcgi and a private MariaDB with examples/meta synced from a git
origin by urna-sync.

Signing in is GitHub OAuth against the local fake provider
(t/lib/fake_oauth.py, auth = github): the browser follows urna's /login
to the provider's consent page, types the login to sign in as, authorizes,
and is sent through urna's callback back to the election page.

With JavaScript: see Eligible, open the booth, rank by drag-and-drop
(pointer actions) and check the selects follow, tick "I have written this
passcode down", cast, land on the Voted page (a GET after 303): reloading
it changes nothing and the ballot count stays (issue 10); view the ballot
with the passcode (ranks once, no list numbers), a wrong passcode refused,
re-cast.
Without JavaScript (a second browser, scripts disabled): the same booth as
a plain form, ranks chosen with the selects (one by keyboard), cast, view.
Ineligible (a login not on the voter list): "not eligible" and the
exception link; the booth refused, opened and posted; the exception form
filled in and sent, the confirmation shown.
The deadline: a pushed commit moves end_datetime a few seconds ahead,
urna-sync makes it live; a booth opened before the end is refused when
cast after it, the booth is refused, the election page shows it closed.
Screenshots go to $URNA_BUILDDIR/t/artifacts/. Skips (77) without
chromium/chromedriver.
"""

import datetime
import os
import shutil
import subprocess
import sys
import time
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import (BUILDDIR, Checks, MariaDB, Nginx, SRCDIR, Urna, ballot_count,  # noqa: E402
                     git)
from webdriver import ChromeDriver, WebDriverError, chromium_binary  # noqa: E402
from fake_oauth import FakeOAuth  # noqa: E402

t = Checks("browser_test")
t.require_binaries("mariadb-install-db", "mariadbd", "mariadb", "nginx", "git", "chromedriver",
                   os.path.join(BUILDDIR, "urna.fcgi"), os.path.join(BUILDDIR, "urna-sync"))
if not chromium_binary():
    t.skip("chromium is not installed")
EXAMPLES = os.path.join(SRCDIR, "examples", "meta")
ARTIFACTS = os.path.join(BUILDDIR, "t", "artifacts")
SCREENSHOTS = ("election.png", "booth.png", "booth-nojs.png", "voted.png", "election-voted.png",
               "election-ineligible.png", "booth-refused-ineligible.png", "exception-form.png",
               "exception-sent.png", "refused-after-deadline.png", "election-closed.png")
os.makedirs(ARTIFACTS, exist_ok=True)
for name in SCREENSHOTS:  # a screenshot left by an earlier run proves nothing
    if os.path.exists(os.path.join(ARTIFACTS, name)):
        os.unlink(os.path.join(ARTIFACTS, name))
EID = "steering/2026"


CLIENT_ID, CLIENT_SECRET = "urna-browser", "browser-secret-" + os.urandom(6).hex()


db = t.watch(MariaDB())
db.start()
# A working clone pushing to a bare origin that urna-sync pulls.
work = os.path.join(db.dir, "meta-work")
shutil.copytree(EXAMPLES, work)
git(work, "init", "-q", "-b", "main")
git(work, "add", "-A")
git(work, "commit", "-q", "-m", "examples/meta")
origin = os.path.join(db.dir, "origin.git")
subprocess.run(["git", "clone", "-q", "--bare", work, origin], check=True)
git(work, "remote", "add", "origin", origin)
fake = t.watch(FakeOAuth(CLIENT_ID, CLIENT_SECRET))
fake.set(page=True, login="nobody-typed-yet")
fake.start()
app = t.watch(Urna(db, workers=2, auth="github", repo_url=origin, repo_branch="main",
                   oauth_client_id=CLIENT_ID, oauth_client_secret=CLIENT_SECRET,
                   oauth_authorize_url=fake.authorize_url,
                   oauth_token_url=fake.token_url, oauth_user_url=fake.user_url))
ngx = t.watch(Nginx(app))
app.settings["base_url"] = ngx.url
app.write_config()
app.migrate()
rc, out = app.sync(check=False)
t.equal("urna-sync stores examples/meta", rc, 0, out[-2000:])
app.start()
ngx.start()
BASE = ngx.url
ELECTION = BASE + "/urna/elections/" + EID
drv = t.watch(ChromeDriver())
drv.start()


def sign_in(b, login, typed=None):
    """GitHub OAuth in the browser: urna's /login sends it to the provider's
    consent page, where it types the login and authorizes; the provider
    sends it to urna's callback, which signs it in and returns to the
    election page. Returns whether all of that happened."""
    b.get(BASE + "/urna/login?next=" + urllib.parse.quote("/urna/elections/" + EID, safe=""))
    on_consent = b.url.startswith(fake.authorize_url + "?") and b.exists("form.consent-form")
    if not t.check("%s: urna's /login leads to the provider's consent page" % login, on_consent,
                   b.url):
        return False
    field = b.find('form.consent-form input[name="login"]')
    field.clear()
    field.send_keys(typed or login)
    b.click_and_wait(b.find("form.consent-form button.allow"))
    who = b.find_all("header.top .who strong")
    return t.check("%s: back on the election page, signed in as %s" % (login, login),
                   b.url == ELECTION and len(who) == 1 and who[0].text == login,
                   "%s\n%s" % (b.url, b.source[:1500]))


def badges(b):
    return {e.attribute("data-badge") for e in b.find_all("[data-badge]")}


def ranks(b):
    """{candidate id: rank} in the booth: the select's value without its
    fixed-width zeros ("01" -> "1"; "0"/"00", no opinion -> "")."""
    return {r.attribute("data-aid"): r.find("select.rank").prop("value").lstrip("0")
            for r in b.find_all("li.rank-row")}


def order(b, css):
    return [r.attribute("data-aid") for r in b.find_all(css + " > li.rank-row")]


def row(b, aid):
    return b.find('li.rank-row[data-aid="%s"]' % aid)


def stored(b):
    return [(e.attribute("data-aid"), e.attribute("data-rank"))
            for e in b.find_all(".stored-ranking [data-aid]")]


def view_ballot(b, passcode):
    b.get(ELECTION + "/ballot")
    b.find('input[name="passcode"]').send_keys(passcode)
    b.click_and_wait(b.find('form.view-form button[type="submit"]'))


# ---------------------------------------------------------------------------
t.section("with JavaScript: drag-and-drop")
b = drv.session(javascript=True)
sign_in(b, "alice", typed="Alice")  # GitHub logins are case-insensitive
asked = fake.requests()
t.check("the browser went through the provider: consent given for Alice, code exchanged",
        any(r["endpoint"] == "authorize" and r["query"].get("decision") == "allow"
            and r["query"].get("login") == "Alice" for r in asked)
        and [r["endpoint"] for r in asked][-2:] == ["token", "user"], asked)
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
t.check("the booth asks to confirm it is written down (a required box)",
        b.find("input#passcode_saved").prop("required") and
        not b.find("input#passcode_saved").prop("checked"))
b.find("input#passcode_saved").click()
b.click_and_wait(b.find("button.cast"))
t.check("cast: the Voted page, reached by GET after the POST (303)",
        b.url == ELECTION + "/voted" and b.exists("article.voted")
        and "Your ballot is cast" in b.source, b.url + "\n" + b.source[:1500])
t.check("the Voted page does not show the passcode", passcode not in b.source and
        passcode.replace("-", "") not in b.source)
b.screenshot(os.path.join(ARTIFACTS, "voted.png"))
count = ballot_count(db, EID)
voted_text = b.find("article.voted").text
b.cmd("POST", "/refresh", {})
b.wait_for("article.voted")
t.check("reloading the Voted page (F5) shows the same page",
        b.url == ELECTION + "/voted" and b.find("article.voted").text == voted_text,
        b.find("article.voted").text)
t.equal("... and the ballot count is unchanged", ballot_count(db, EID), count)
b.get(ELECTION)
t.equal("the election page shows Voted", badges(b), {"eligible", "voted"})
b.screenshot(os.path.join(ARTIFACTS, "election-voted.png"))

view_ballot(b, "WRONG-WRONG-WRONG-WRONG")
t.check("a wrong passcode does not open the ballot", "does not open" in b.source)
view_ballot(b, passcode)
expect = sorted(((k, v) for k, v in want.items() if v), key=lambda kv: (int(kv[1]), kv[0]))
t.equal("the viewed ballot is the one cast", sorted(stored(b), key=lambda kv: (int(kv[1]), kv[0])),
        expect)
t.check("ranks are shown once: the ranking has no list numbers",
        b.find(".stored-ranking").css("list-style-type") == "none"
        and not b.exists("ol.stored-ranking"), b.find(".stored-ranking").css("list-style-type"))
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
t.check("re-cast with the passcode", "Your ballot is changed" in b.source and
        b.url.startswith(ELECTION + "/voted"), b.source[:1500])
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
nb.find("input#passcode_saved").click()
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

# ---------------------------------------------------------------------------
t.section("an ineligible user: refused, offered the exception form")
INELIGIBLE = "mallory"  # not on any voter list of examples/meta
xb = drv.session(javascript=True)
# First a change of mind on the provider's page: Cancel.
xb.get(BASE + "/urna/login?next=" + urllib.parse.quote("/urna/elections/" + EID, safe=""))
xb.click_and_wait(xb.find("form.consent-form button.deny"))
t.check("cancelling on the provider's page: urna says so, with a way to try again",
        "did not allow urna" in xb.source
        and xb.exists('a[href="/urna/login?next=%s"]' % urllib.parse.quote("/urna/elections/" + EID, safe=""))
        and not xb.exists("header.top .who"), xb.source[:2000])
sign_in(xb, INELIGIBLE)
t.equal("%s is not eligible" % INELIGIBLE, badges(xb), {"not-eligible"})
t.check("the election page says why", "you are not on the voter list" in
        xb.find("section.you").text, xb.find("section.you").text)
t.check("... and offers the exception link", xb.exists("a.button.exception"))
xb.screenshot(os.path.join(ARTIFACTS, "election-ineligible.png"))


def refused_page(b, status, words):
    """urna's error page: the status as its heading and a message saying why."""
    found = b.find_all("section.error h1")
    heading = found[0].text if found else ""
    text = b.find("section.error").text if found else ""
    return heading.startswith(str(status)) and words in text


xb.get(ELECTION + "/vote")
t.check("opening the booth is refused with a clear page (403, not on the voter list)",
        refused_page(xb, 403, "not on the voter list") and not xb.exists("form.booth-form"),
        xb.source[:2000])
xb.screenshot(os.path.join(ARTIFACTS, "booth-refused-ineligible.png"))
# A ballot POSTed anyway (a form built in the page, with a valid form token).
xb.get(ELECTION)
csrf = xb.find('input[name="csrf"]').prop("value")
xb.execute("""
    var f = document.createElement('form');
    f.method = 'post'; f.action = arguments[0];
    [['csrf', arguments[1]], ['rank/main/hana-k', '1'], ['passcode', 'ABCD-EFGH-JKMN-PQRS-TVWX']]
      .forEach(function (kv) {
        var i = document.createElement('input');
        i.type = 'hidden'; i.name = kv[0]; i.value = kv[1]; f.appendChild(i);
      });
    document.body.appendChild(f);
""", ELECTION + "/vote", csrf)
xb.and_wait(lambda: xb.execute("document.forms[document.forms.length - 1].submit();"))
t.check("POSTing a ballot to the booth is refused with a clear page (403)",
        refused_page(xb, 403, "not on the voter list"), xb.source[:2000])
t.equal("... and nothing is stored for %s" % INELIGIBLE,
        db.sql("SELECT COUNT(*) FROM voters_voted WHERE login = '%s'" % INELIGIBLE,
               database=db.database).strip(), "0")
xb.get(ELECTION)
xb.click_and_wait(xb.find("a.button.exception"))
t.check("the exception link opens the request form",
        xb.url == ELECTION + "/exception" and xb.exists("form.exception-form"), xb.url)
xb.find("#x-name").send_keys("Mallory Example")
xb.find("#x-contact").send_keys("mallory@example.org")
xb.find("#x-reason").send_keys("I review patches on the mailing list; those are not counted.")
xb.screenshot(os.path.join(ARTIFACTS, "exception-form.png"))
xb.click_and_wait(xb.find('form.exception-form button[type="submit"]'))
t.check("sending it shows the confirmation",
        xb.exists("div.request-sent") and "You asked for an exception"
        in xb.find("div.request-sent").text and not xb.exists("form.exception-form"),
        xb.source[:2000])
xb.screenshot(os.path.join(ARTIFACTS, "exception-sent.png"))
t.equal("... and the officers have it to review",
        db.sql("SELECT CONCAT(name, '|', contact) FROM exception_requests WHERE election_id = "
               "'%s' AND login = '%s'" % (EID, INELIGIBLE), database=db.database).strip(),
        "Mallory Example|mallory@example.org")
xb.quit()

# ---------------------------------------------------------------------------
t.section("the deadline: a pushed commit closes the election while the test runs")
CLOSES_IN = 15  # seconds: enough to push, sync and open the booth once
cb = drv.session(javascript=True)
sign_in(cb, "carol")
t.equal("carol is eligible", badges(cb), {"eligible"})
end = int(time.time()) + CLOSES_IN
yaml = os.path.join(work, "elections", "steering", "2026", "election.yaml")
with open(yaml) as f:
    text = f.read()
end_dt = datetime.datetime.fromtimestamp(end, datetime.timezone.utc)
end_utc = end_dt.strftime("%Y-%m-%d %H:%M:%S")
# The page writes dates for people ("December 2, 2026 at 12:14:17 AM UTC")
# and keeps the exact instant in <time datetime="...Z">.
end_iso = 'datetime="%s"' % end_dt.strftime("%Y-%m-%dT%H:%M:%SZ")
with open(yaml, "w") as f:
    # Exception requests may not be due after the end: they close with it.
    f.write(text.replace("end_datetime: 2036-01-01 00:00:00", "end_datetime: " + end_utc)
            .replace("exception_due: 2035-12-01 00:00:00", "exception_due: " + end_utc))
git(work, "commit", "-q", "-am", "steering/2026: voting closes now")
git(work, "push", "-q", "origin", "main")
rc, out = app.sync(check=False)
t.equal("urna-sync makes the new end live", rc, 0, out[-2000:])
# The workers look for a new live snapshot at most once a second.
deadline = time.monotonic() + 5
while True:
    cb.get(ELECTION)
    if end_iso in cb.source or time.monotonic() > deadline:
        break
    time.sleep(0.25)
t.check("the election page shows the new end, still running",
        end_iso in cb.source and cb.exists("article.election.phase-running"),
        cb.find("dl.facts").text)
cb.click_and_wait(cb.find("a.button.vote"))
row(cb, "kim-s").find("select.rank").select("1")
cb.find("input#passcode_saved").click()
t.check("the booth opened before the end", time.time() < end - 1 and cb.exists("form.booth-form"),
        "too slow: raise CLOSES_IN")
time.sleep(max(0, end - time.time()) + 1.5)
cb.click_and_wait(cb.find("button.cast"))
t.check("casting after the end is refused with a clear page (403, closed)",
        refused_page(cb, 403, "closed on") and "no longer accepted" in cb.source
        and not cb.exists("article.voted"), cb.source[:2000])
cb.screenshot(os.path.join(ARTIFACTS, "refused-after-deadline.png"))
t.equal("... and nothing is stored for carol",
        db.sql("SELECT COUNT(*) FROM voters_voted WHERE login = 'carol'",
               database=db.database).strip(), "0")
cb.get(ELECTION + "/vote")
t.check("the booth is refused after the end", refused_page(cb, 403, "closed on")
        and not cb.exists("form.booth-form"), cb.source[:2000])
cb.get(ELECTION)
t.check("the election page shows it closed, with no Vote button",
        cb.exists("article.election.phase-closed") and cb.exists("span.badge.phase.closed")
        and "closed" in cb.find("dd.when").text and not cb.exists("a.button.vote")
        and not cb.exists("a.button.exception"),
        cb.source[:2000])
cb.screenshot(os.path.join(ARTIFACTS, "election-closed.png"))
cb.quit()
# alice voted before the end: her ballot can still be viewed, not changed.
ab = drv.session(javascript=False)
sign_in(ab, "alice")
t.check("alice's page after the end: voted, no Vote button",
        "voted" in badges(ab) and not ab.exists("a.button.vote"), badges(ab))
view_ballot(ab, passcode)
t.check("alice's ballot can still be viewed, without a change button",
        stored(ab) == [("ivan-p", "1")] and not ab.exists("button.change"), ab.source[:1500])
ab.quit()

t.section("artifacts")
for name in SCREENSHOTS:
    p = os.path.join(ARTIFACTS, name)
    t.check("screenshot %s saved" % name, os.path.getsize(p) > 1000 if os.path.exists(p) else False, p)

t.done()
