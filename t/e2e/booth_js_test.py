#!/usr/bin/python3
"""The booth's JavaScript and the page helpers in a real browser (issue 10,
defects 3, 7 and 11, and the error summary): headless Chromium over W3C
WebDriver (t/lib/webdriver.py) against nginx, urna.fcgi (demo login) and a
private MariaDB, with a small election repository built here.

- Keyboard (static/booth.js): a rank changed in a select with the arrow
  keys or by typing moves the row and keeps the focus on that select; every
  move is said in the polite live region ("Ivan: rank 2 of 5"); the
  handle's arrow keys and a drag keep the focus on the row's handle; Tab
  goes through the rows in the order they are shown.
- The words (list titles, empty lists, announcements) come from the page's
  data-text-* attributes, none from booth.js or urna.css.
- Touch at 390 px: rows, handles and selects at least 44 px; no sideways
  scrolling in the booth; a touch drag moves a row.
- Dates (static/urna.js): with the browser in America/New_York every UTC
  <time> gets the local time next to it; in UTC none.
- Copy buttons (static/urna.js) on a small page of this test's own, served
  by the same nginx: shown, copying (clipboard API, then the
  execCommand fallback), "Copied" said in a live region.
- A refused ballot: the error summary has the focus (with and without
  JavaScript), and a message about a question links to it.
- In Spanish (issue 10 "two languages"): a Chromium whose language is
  Spanish (--lang=es, intl.accept_languages "es": it sends
  Accept-Language: es) goes through the booth: lang="es", the list titles,
  the empty ranking, the help, the passcode box, "Copiar", the handle's
  label, the live region after keyboard moves, the local time phrase (in
  New York) are Spanish; at 390 px no sideways scrolling; the confirm box
  ticked, the ballot cast, the voted page and "view my ballot" Spanish.
  Screenshots of the Spanish booth at 1280 and 390 px, the voted page and
  the ballot go to $URNA_BUILDDIR/t/artifacts/booth-es-*.png.
Skips (77) without chromium/chromedriver.
"""

import datetime
import os
import re
import shutil
import sys
import tempfile
import time
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import harness  # noqa: E402
from harness import BUILDDIR, Checks, MariaDB, Nginx, SRCDIR, Urna, git, write  # noqa: E402
import webdriver  # noqa: E402
from webdriver import ELEMENT, ChromeDriver, Element, Session, chromium_binary  # noqa: E402

t = Checks("booth_js_test")
t.require_binaries("mariadb-install-db", "mariadbd", "mariadb", "nginx", "git", "chromedriver",
                   os.path.join(BUILDDIR, "urna.fcgi"), os.path.join(BUILDDIR, "urna-sync"))
if not chromium_binary():
    t.skip("chromium is not installed")

UP, DOWN, TAB = "\ue013", "\ue015", "\ue004"


def utc(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


# ---------------------------------------------------------------------------
# The elections: one with "no opinion" (five candidates), one that asks to
# rank everyone (three); both running, closing at fixed UTC times.
db = t.watch(MariaDB())
db.start()
work = os.path.join(db.dir, "meta-work")
STARTED = utc(time.time() - 3600)
CANDIDATES = {"booth/open": [("ivan-p", "Ivan Petrov"), ("lena-w", "Lena Weber"),
                             ("kim-s", "Kim Sato"), ("hana-k", "Hana Kovac"),
                             ("jorge-r", "Jorge Ruiz")],
              "booth/all": [("ann", "Ann Lee"), ("ben", "Ben Ode"), ("cat", "Cat Moss")]}
ENDS = {"booth/open": "2099-01-01 00:00:00",  # 2098-12-31 19:00 in New York
        "booth/all": "2099-06-30 16:30:15"}   # 12:30:15 the same day in New York
for eid, people in CANDIDATES.items():
    d = os.path.join(work, "elections", eid)
    write(os.path.join(d, "election.yaml"),
          "name: Booth %s\nstart_datetime: %s\nend_datetime: %s\nno_winners: 1\n"
          "allow_no_opinion: %s\nelection_officers:\n  - olga\n"
          % (eid.split("/")[1], STARTED, ENDS[eid], "False" if eid == "booth/all" else "True"))
    write(os.path.join(d, "voters.yaml"), "eligible_voters:\n  - alice\n  - bob\n")
    write(os.path.join(d, "election_desc.md"), "The booth's own test.\n")
    for cid, name in people:
        write(os.path.join(d, "candidate-%s.md" % cid), "---\nname: %s\nID: %s\n---\nBio.\n"
              % (name, cid))
git(work, "init", "-q", "-b", "main")
git(work, "add", "-A")
git(work, "commit", "-q", "-m", "booth test")

app = t.watch(Urna(db, workers=2, auth="demo", repo_url=work, repo_branch="main"))
app.migrate()
rc, out = app.sync(check=False)
t.equal("urna-sync stores the test elections", rc, 0, out[-2000:])
app.start()
# nginx serves a copy of static/ with one page of this test's own (the copy
# buttons, independent of the pages that use them).
static_dir = os.path.join(db.dir, "static-copy")
os.makedirs(static_dir)
static_dir = harness._copy_static(static_dir)
COPY_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>copy</title>
<link rel="stylesheet" href="urna.css"><script src="urna.js" defer></script></head>
<body><main>
<label for="passcode">Passcode</label>
<input type="text" id="passcode" class="passcode" value="ABCD-EFGH-JKMN-PQRS-TVWX">
<button type="button" class="copy" id="copy1" data-copy-target="passcode" hidden
 data-text-copied="Copied" data-text-copy-failed="Copy it yourself">Copy</button>
<p data-text-copied="Copied from the page"><button type="button" class="copy" id="copy2"
 data-copy-target="nothing-here" hidden>Copy</button></p>
</main></body></html>
"""
write(os.path.join(static_dir, "copy-test.html"), COPY_PAGE)
os.chmod(os.path.join(static_dir, "copy-test.html"), 0o644)
ngx = t.watch(Nginx(app, static_dir=static_dir))
ngx.start()
BASE = ngx.url
OPEN = BASE + "/urna/elections/booth/open"
ALL = BASE + "/urna/elections/booth/all"
drv = t.watch(ChromeDriver())
drv.start()


def sign_in(b, login, where):
    """The demo login: the sign-in page lists the voters; click one."""
    path = urllib.parse.urlparse(where).path
    b.get(BASE + "/urna/login?next=" + urllib.parse.quote(path, safe=""))
    b.click_and_wait(b.find('form.demo-voters button[value="%s"]' % login))
    return t.check("%s is signed in" % login, b.exists("header.top .who"), b.source[:1500])


def cdp(b, cmd, **params):
    return b.cmd("POST", "/goog/cdp/execute", {"cmd": cmd, "params": params})


def keys(b, *strokes):
    """Keys typed at whatever has the focus (WebDriver key actions: unlike
    an element's send_keys, nothing is focused first)."""
    acts = []
    for k in strokes:
        for ch in k:
            acts += [{"type": "keyDown", "value": ch}, {"type": "keyUp", "value": ch}]
    b.cmd("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": acts}]})
    b.cmd("DELETE", "/actions")


def focus(b, el):
    b.execute("arguments[0].focus()", el)


def active(b):
    """The focused element, as WebDriver sees it (works without page scripts)."""
    v = b.cmd("GET", "/element/active")
    return Element(b, v[ELEMENT]) if v and ELEMENT in v else None


def same(b, x, y):
    return b.execute("return arguments[0] === arguments[1]", x, y)


def row(b, aid):
    return b.find('li.rank-row[data-aid="%s"]' % aid)


def order(b, css):
    return [r.attribute("data-aid") for r in b.find_all(css + " > li.rank-row")]


def rank(b, aid):
    return row(b, aid).find("select.rank").prop("value").lstrip("0")


def status(b):
    return b.find(".booth-status").prop("textContent").replace("\u00a0", " ").strip()


def focus_is(b, el):
    a = active(b)
    return a is not None and same(b, a, el)


def describe_focus(b):
    return b.execute("var a = document.activeElement; return a ? a.outerHTML.slice(0, 200) : null")


def shot(b, name):
    """A screenshot into $URNA_BOOTH_SHOTS when set (t/artifacts stays the
    browser test's)."""
    if os.environ.get("URNA_BOOTH_SHOTS"):
        b.screenshot(os.path.join(os.environ["URNA_BOOTH_SHOTS"], name + ".png"))


def tick_confirm(b):
    """Ticks the booth's "I have written this passcode down" box."""
    for box in b.find_all('input[type="checkbox"][name="passcode_saved"]'):
        if not box.selected:
            box.click()


# ---------------------------------------------------------------------------
t.section("keyboard: a select changed by arrow keys keeps the focus")
b = drv.session(javascript=True, window=(1280, 1000))
sign_in(b, "alice", OPEN)
b.get(OPEN + "/vote")
t.check("booth.js ran: everyone in Not ranked",
        b.exists("form.booth-form.js") and len(order(b, "ul.unranked")) == 5
        and not order(b, "ol.js-ranking"), b.source[:2000])
ivan = row(b, "ivan-p").find("select.rank")
focus(b, ivan)
keys(b, DOWN)
t.equal("Down on Ivan's select: rank 1, his row in the ranking",
        (rank(b, "ivan-p"), order(b, "ol.js-ranking")), ("1", ["ivan-p"]))
t.check("... and the focus is still on Ivan's select (not on the page body)",
        focus_is(b, ivan), describe_focus(b))
t.equal("... the live region says the move", status(b), "Ivan Petrov: rank 1 of 5")
keys(b, DOWN)
t.check("Down again: rank 2, focus kept",
        rank(b, "ivan-p") == "2" and focus_is(b, ivan), describe_focus(b))
t.equal("... announced", status(b), "Ivan Petrov: rank 2 of 5")
lena = row(b, "lena-w").find("select.rank")
focus(b, lena)
keys(b, DOWN)
t.equal("Lena rank 1 goes above Ivan (2)", order(b, "ol.js-ranking"), ["lena-w", "ivan-p"])
t.check("... with the focus on Lena's select", focus_is(b, lena), describe_focus(b))
keys(b, DOWN, DOWN)
t.equal("Lena Down twice (3): her row moves below Ivan", order(b, "ol.js-ranking"),
        ["ivan-p", "lena-w"])
t.check("... the focus moved with her select", focus_is(b, lena), describe_focus(b))
t.equal("... announced", status(b), "Lena Weber: rank 3 of 5")
keys(b, UP)
t.equal("Lena Up (2): equal to Ivan, the rows keep their order", order(b, "ol.js-ranking"),
        ["ivan-p", "lena-w"])
t.equal("... announced", status(b), "Lena Weber: rank 2 of 5")
keys(b, UP, UP)
t.check("Lena Up twice more: no opinion, back in Not ranked, focus kept",
        rank(b, "lena-w") == "" and "lena-w" in order(b, "ul.unranked") and focus_is(b, lena),
        describe_focus(b))
t.equal("... announced", status(b), "Lena Weber: no opinion")
kim = row(b, "kim-s").find("select.rank")
focus(b, kim)
keys(b, "1")
t.check("typing 1 on Kim's select: rank 1, at the top, focus kept",
        order(b, "ol.js-ranking")[0] == "kim-s" and focus_is(b, kim), describe_focus(b))
t.equal("... announced", status(b), "Kim Sato: rank 1 of 5")

t.section("keyboard: the handle's arrow keys, a drag, Tab order")
hana = row(b, "hana-k").find(".handle")
pool_top = order(b, "ul.unranked")[0]
h = row(b, pool_top).find(".handle")
focus(b, h)
keys(b, UP)
t.check("Up on the handle of the top of Not ranked: into the ranking, focus on the handle",
        order(b, "ol.js-ranking")[-1] == pool_top and focus_is(b, h), describe_focus(b))
t.check("... announced with its new rank",
        re.fullmatch(r".+: rank 3 of 5", status(b)) is not None, status(b))
keys(b, DOWN)
t.check("Down: back out, no opinion, focus kept",
        order(b, "ul.unranked")[0] == pool_top and focus_is(b, h), describe_focus(b))
t.check("... announced", status(b).endswith(": no opinion"), status(b))
b.drag(hana, b.find("ol.js-ranking > li.rank-row"), dy=-12)
t.equal("dragging Hana above the first row", order(b, "ol.js-ranking")[0], "hana-k")
t.check("... the focus is on Hana's handle after the drop", focus_is(b, hana), describe_focus(b))
t.equal("... announced", status(b), "Hana Kovac: rank 1 of 5")
t.equal("... the ranking numbered from the top",
        [rank(b, a) for a in order(b, "ol.js-ranking")],
        [str(i + 1) for i in range(len(order(b, "ol.js-ranking")))])
# Tab from the first handle through the question: every stop comes after
# the one before on the screen (same line: to the right; else lower).
fieldset = b.find("fieldset.question")
focus(b, b.find("fieldset.question .handle"))
stops = []
for _ in range(12):
    a = active(b)
    inside = b.execute("return arguments[0].contains(arguments[1])", fieldset, a)
    if not inside:
        break
    stops.append(b.execute("var r = arguments[0].getBoundingClientRect(); "
                           "return [r.top + window.scrollY, r.bottom + window.scrollY, r.left]", a))
    keys(b, TAB)
backwards = [(p, q) for p, q in zip(stops, stops[1:])
             if not (q[0] >= p[1] - 1 or (q[0] < p[1] and q[2] > p[2]))]
t.check("Tab goes through the rows in the order they are shown (%d stops)" % len(stops),
        len(stops) >= 10 and not backwards, backwards or stops)

shot(b, "booth-1280")
t.section("the words come from the page")
texts = b.execute("return Object.assign({}, document.querySelector('.booth-texts').dataset)")
titles = [e.prop("textContent") for e in b.find_all("fieldset.question .list-title")]
t.equal("the list titles are the page's", titles,
        [texts.get("textRankedTitle"), texts.get("textPoolTitle")])
for aid in order(b, "ol.js-ranking"):
    b.drag(row(b, aid).find(".handle"), b.find("ul.unranked"))
empty = b.execute("return getComputedStyle(document.querySelector('ol.js-ranking'), '::before')"
                  ".content")
t.equal("an empty ranking says the page's words", empty,
        '"%s"' % texts.get("textRankedEmpty"))
t.check("the handle's label is the page's, with the name",
        row(b, "ivan-p").find(".handle").attribute("aria-label")
        == texts.get("textHandleLabel", "").replace("{name}", "Ivan Petrov"))
sources = ""
for f in ("booth.js", "urna.js", "urna.css"):
    with open(os.path.join(SRCDIR, "static", f)) as fh:  # code only, not comments
        sources += re.sub(r"/\*.*?\*/|^\s*//[^\n]*$", "", fh.read(), flags=re.S | re.M)
# A text, or a run of two words or more between its placeholders ("your time").
literal = [v for v in texts.values()
           if v in sources or any(" " in part.strip(" :()") and part.strip(" :()") in sources
                                  for part in re.split(r"\{\w+\}", v))]
t.check("none of those words is written in booth.js, urna.js or urna.css", not literal, literal)

t.section("dates: local time next to UTC")
b.quit()
b = drv.session(javascript=True, window=(1280, 1000))
cdp(b, "Emulation.setTimezoneOverride", timezoneId="America/New_York")
sign_in(b, "alice", OPEN)
b.get(OPEN + "/vote")
shot(b, "booth-new-york")
local = b.find_all("time + .local-time")
t.equal("in New York the booth's closing time gets the local time (the day before, no seconds)",
        [e.text for e in local], ["(Dec 31, 2098, 7:00 PM your time)"])
b.get(ALL + "/vote")
t.equal("... the same day: the time only, with its seconds",
        [e.text for e in b.find_all("time + .local-time")], ["(12:30:15 PM your time)"])
b.get(OPEN)
shown = [e.text for e in b.find_all("time + .local-time")]
t.check("on a page without the phrase: the zone's name (%s)" % shown,
        len(shown) >= 2 and all(re.fullmatch(r"\(.*\d:\d\d [AP]M E[SD]T\)", s) for s in shown),
        shown)
b.quit()
b = drv.session(javascript=True, window=(1280, 1000))
cdp(b, "Emulation.setTimezoneOverride", timezoneId="Etc/UTC")
sign_in(b, "alice", OPEN)
b.get(OPEN + "/vote")
t.check("in UTC: no local time added",
        b.exists("time") and not b.exists(".local-time"), b.source[:1500])

t.section("touch at 390 px")
b.quit()
b = drv.session(javascript=True, window=(600, 900))
# A headless window is at least 500 px wide: a phone's viewport instead.
cdp(b, "Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=2,
    mobile=True)
cdp(b, "Emulation.setTouchEmulationEnabled", enabled=True, maxTouchPoints=1)
sign_in(b, "alice", OPEN)
b.get(OPEN + "/vote")
t.equal("the window is 390 px wide", b.execute("return window.innerWidth"), 390)
t.check("no sideways scrolling in the booth",
        b.execute("return document.documentElement.scrollWidth <= window.innerWidth"),
        b.execute("return [document.documentElement.scrollWidth, window.innerWidth]"))
SIZES = """
var out = [];
document.querySelectorAll('li.rank-row').forEach(function (r) {
  var h = r.querySelector('.handle').getBoundingClientRect();
  var s = r.querySelector('select.rank').getBoundingClientRect();
  var b = r.getBoundingClientRect();
  out.push([r.getAttribute('data-aid'), Math.round(b.height), Math.round(h.width),
            Math.round(h.height), Math.round(s.height), Math.round(b.right)]);
});
return out;"""
sizes = b.execute(SIZES)
small = [s for s in sizes if min(s[1:5]) < 44 or s[5] > 390]
t.check("rows, handles and selects are at least 44 px, inside the window", sizes and not small,
        small or sizes)
dest = b.find("ol.js-ranking")
handle = row(b, "kim-s").find(".handle")
acts = [{"type": "pointerMove", "duration": 0, "origin": {ELEMENT: handle.id}, "x": 0, "y": 0},
        {"type": "pointerDown", "button": 0}, {"type": "pause", "duration": 50}]
acts += [{"type": "pointerMove", "duration": 40, "origin": {ELEMENT: dest.id}, "x": 0, "y": 0}
         for _ in range(5)]
acts += [{"type": "pause", "duration": 50}, {"type": "pointerUp", "button": 0}]
b.cmd("POST", "/actions", {"actions": [{"type": "pointer", "id": "finger",
                                        "parameters": {"pointerType": "touch"},
                                        "actions": acts}]})
b.cmd("DELETE", "/actions")
t.equal("a touch drag moves Kim into the ranking", order(b, "ol.js-ranking"), ["kim-s"])
t.check("... the selects follow, the focus is on Kim's handle",
        rank(b, "kim-s") == "1" and focus_is(b, handle), describe_focus(b))
t.check("still no sideways scrolling",
        b.execute("return document.documentElement.scrollWidth <= window.innerWidth"))
shot(b, "booth-390")

t.section("copy buttons")
b.quit()
b = drv.session(javascript=True, window=(1280, 800))
b.get(BASE + "/urna/static/copy-test.html")
cdp(b, "Browser.grantPermissions", origin=BASE,
    permissions=["clipboardReadWrite", "clipboardSanitizedWrite"])
t.check("a copy button with a target is shown", b.find("#copy1").displayed)
t.check("one whose target is missing stays hidden", not b.find("#copy2").displayed)
b.find("#copy1").click()
copied = b.execute("return navigator.clipboard.readText()")
t.equal("clicking copies the field's value (clipboard API)", copied, "ABCD-EFGH-JKMN-PQRS-TVWX")
region = b.find("#copy1 + .copy-status")
t.check("... and says the page's word in a live region",
        region.prop("textContent").strip() == "Copied" and region.attribute("role") == "status",
        region.prop("outerHTML"))
# Without the clipboard API (an older browser, or plain http on a host
# name): select + execCommand("copy"); the copy event shows what was copied.
b.execute("""
  Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true});
  window.copiedText = null;
  document.addEventListener('copy', function () {
    var a = document.activeElement;
    window.copiedText = a.value.substring(a.selectionStart, a.selectionEnd);
  });
  document.getElementById('passcode').value = 'WXYZ-2345-6789-ABCD-EFGH';""")
b.find("#copy1").click()
t.equal("the fallback copies the field's value", b.execute("return window.copiedText"),
        "WXYZ-2345-6789-ABCD-EFGH")
t.check("... says it again, and gives the focus back to the button",
        region.prop("textContent").strip() == "Copied" and focus_is(b, b.find("#copy1")),
        describe_focus(b))
nb = drv.session(javascript=False, window=(1280, 800))
nb.get(BASE + "/urna/static/copy-test.html")
t.check("without JavaScript the copy button stays hidden", not nb.find("#copy1").displayed)

t.section("a refused ballot: the error summary has the focus")
sign_in(b, "alice", OPEN)
b.get(OPEN + "/vote")
if b.exists("button.copy"):
    t.check("the booth's copy button is shown", b.find("button.copy").displayed)
tick_confirm(b)
b.click_and_wait(b.find("button.cast"))
summary = b.find_all(".notice.errors[role=alert]")
t.check("casting nobody is refused with an error summary", len(summary) == 1, b.source[:2000])
t.check("... which has the focus", summary and focus_is(b, summary[0]), describe_focus(b))
b.get(ALL + "/vote")
row(b, "ann").find("select.rank").select("1")
tick_confirm(b)
# The selects are required here; a browser that does not check sends it.
b.execute("document.querySelector('form.booth-form').noValidate = true")
b.click_and_wait(b.find("button.cast"))
summary = b.find_all(".notice.errors[role=alert]")
t.check("ranking only Ann where everyone must be ranked is refused",
        len(summary) == 1 and "not ranked" in summary[0].text, b.source[:2000])
t.check("... the summary has the focus", summary and focus_is(b, summary[0]), describe_focus(b))
shot(b, "refused-1280")
links = summary[0].find_all('a[href="#q-1"]') if summary else []
t.check("... its message links to the question", len(links) == 1 and b.exists("fieldset#q-1"),
        summary[0].prop("outerHTML") if summary else "")
if links:
    links[0].click()
    a = active(b)
    t.check("following the link focuses an unranked select of that question",
            a is not None and b.execute(
                "var a = arguments[0]; return a.matches('select.rank') && a.value === '' && "
                "!!a.closest('fieldset#q-1')", a), describe_focus(b))
b.quit()
sign_in(nb, "bob", OPEN)
nb.get(OPEN + "/vote")
tick_confirm(nb)
nb.click_and_wait(nb.find("button.cast"))
summary = nb.find_all(".notice.errors[role=alert]")
t.check("without JavaScript: the refused ballot's summary has the focus (autofocus)",
        len(summary) == 1 and focus_is(nb, summary[0]), nb.source[:1500])
nb.quit()

t.section("the booth in Spanish (a Spanish browser)")
ARTIFACTS = os.path.join(BUILDDIR, "t", "artifacts")
ES_SHOTS = ("booth-es-1280.png", "booth-es-390.png", "booth-es-voted.png", "booth-es-ballot.png")
for name in ES_SHOTS:  # a screenshot left by an earlier run proves nothing
    if os.path.exists(os.path.join(ARTIFACTS, name)):
        os.unlink(os.path.join(ARTIFACTS, name))


def spanish_session(window):
    """A headless Chromium (as ChromeDriver.session makes it) whose language
    is Spanish: its interface (--lang) and the languages it asks web sites
    for (intl.accept_languages, sent as Accept-Language)."""
    profile = tempfile.mkdtemp(prefix="profile-es-", dir=drv.dir)
    opts = {"args": webdriver.CHROMIUM_ARGS + ["--user-data-dir=" + profile, "--lang=es",
                                               "--window-size=%d,%d" % window],
            "prefs": {"intl.accept_languages": "es"}}
    if chromium_binary():
        opts["binary"] = chromium_binary()
    caps = {"capabilities": {"alwaysMatch": {
        "browserName": "chrome", "acceptInsecureCerts": False, "pageLoadStrategy": "normal",
        "goog:chromeOptions": opts}}}
    value = drv.request("POST", "/session", caps, timeout=120)
    s = Session(drv, value["sessionId"], True)
    drv.sessions.append(s)
    return s


def es_shot(b, name):
    b.screenshot(os.path.join(ARTIFACTS, name))


def visible_text(b):
    return b.execute("return document.body.innerText")


# English the Spanish booth, voted and ballot pages must not show (their
# own words; the method line and the summary's dates are election_view's).
EN_WORDS = ["Your ranking", "Not ranked", "Drag candidates", "Give 1 to", "no opinion",
            "Your passcode", "Write this passcode down", "I have written", "Copy\n", "Cast my",
            "your time", "Your ballot", "Thank you for voting", "View my ballot", "Change my",
            "Back to the election", "Passcode", "Show my ballot", "No opinion:"]

es = spanish_session((1280, 1000))
cdp(es, "Emulation.setTimezoneOverride", timezoneId="America/New_York")
sign_in(es, "bob", OPEN)
es.get(OPEN + "/vote")
t.check("the browser asks for Spanish (navigator.language)",
        es.execute("return navigator.language").startswith("es"),
        es.execute("return navigator.languages"))
t.equal("the booth is served in Spanish: <html lang=\"es\">",
        es.execute("return document.documentElement.lang"), "es")
t.check("booth.js ran: everyone in the Spanish \"not ranked\" list",
        es.exists("form.booth-form.js") and len(order(es, "ul.unranked")) == 5, es.source[:2000])
t.equal("the list titles are Spanish",
        [e.prop("textContent") for e in es.find_all("fieldset.question .list-title")],
        ["Tu orden (tu primera opción arriba)", "Sin ordenar (sin opinión)"])
t.equal("the empty ranking says so in Spanish",
        es.execute("return getComputedStyle(document.querySelector('ol.js-ranking'), '::before')"
                   ".content"), '"Arrastra aquí a los candidatos, tu primera opción arriba."')
t.equal("the handle's label is Spanish, with the name",
        row(es, "ivan-p").find(".handle").attribute("aria-label"),
        "Mover a Ivan Petrov (flechas arriba y abajo)")
help_text = es.find("fieldset.question p.help").text
t.check("the help is Spanish", help_text.startswith("Da un 1 a tu primera opción, un 2 a la "
                                                    "siguiente, y así hasta 5.")
        and "Deja sin opinión a quien no quieras ordenar" in help_text, help_text)
t.equal("the passcode box: Spanish legend, label and confirm box",
        [es.find("fieldset.passcode legend").text, es.find('label[for="passcode"]').text,
         es.find('label[for="passcode_saved"]').text],
        ["Tu clave", "Clave", "He apuntado esta clave"])
copy = es.find("fieldset.passcode button.copy")
t.check("the copy button is shown and says Copiar", copy.displayed and copy.text == "Copiar",
        copy.prop("outerHTML"))
t.check("the cast button is Spanish", es.find("button.cast").text == "Emitir mi voto")
local = [e.text for e in es.find_all("time + .local-time")]
t.check("in New York the closing time gets the local time in Spanish (%s)" % local,
        len(local) == 1 and re.fullmatch(r"\(31 dic\.? 2098, 19:00 en tu hora local\)", local[0]),
        local)
ivan_es = row(es, "ivan-p").find("select.rank")
focus(es, ivan_es)
keys(es, DOWN)
t.check("a keyboard move (Down on Ivan's select): rank 1, the focus kept",
        rank(es, "ivan-p") == "1" and focus_is(es, ivan_es), describe_focus(es))
t.equal("... announced in Spanish", status(es), "Ivan Petrov: puesto 1 de 5")
kim_es = row(es, "kim-s").find("select.rank")
focus(es, kim_es)
keys(es, "2")
t.equal("typing 2 on Kim's select: announced in Spanish", status(es), "Kim Sato: puesto 2 de 5")
keys(es, UP, UP)
t.equal("Up twice: back to no opinion, announced in Spanish", status(es), "Kim Sato: sin opinión")
keys(es, DOWN, DOWN)
t.equal("... and Down twice: rank 2 again", (rank(es, "kim-s"), order(es, "ol.js-ranking")),
        ("2", ["ivan-p", "kim-s"]))
t.equal("no English word of the booth left", [w for w in EN_WORDS if w in visible_text(es)], [])
es_shot(es, "booth-es-1280.png")

phone = spanish_session((600, 900))
cdp(phone, "Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=2,
    mobile=True)
cdp(phone, "Emulation.setTouchEmulationEnabled", enabled=True, maxTouchPoints=1)
sign_in(phone, "bob", OPEN)
phone.get(OPEN + "/vote")
t.check("at 390 px the Spanish booth has no sideways scrolling",
        phone.execute("return window.innerWidth") == 390
        and phone.execute("return document.documentElement.lang") == "es"
        and phone.execute("return document.documentElement.scrollWidth <= window.innerWidth"),
        phone.execute("return [document.documentElement.scrollWidth, window.innerWidth]"))
es_shot(phone, "booth-es-390.png")
phone.quit()

passcode = es.find("input#passcode").prop("value")
box = es.find("input#passcode_saved")
if not box.selected:
    box.click()
before = harness.ballot_count(db, "booth/open")
es.click_and_wait(es.find("button.cast"))
t.check("the ballot is cast: the voted page (a GET), in Spanish",
        es.url.split("?")[0] == OPEN + "/voted"
        and es.execute("return document.documentElement.lang") == "es"
        and es.find("h1").text.startswith("Tu voto se ha emitido")
        and "Gracias por votar en Booth open." in visible_text(es), es.source[:2000])
t.equal("... one ballot more", harness.ballot_count(db, "booth/open"), before + 1)
t.equal("... its buttons are Spanish", [a.text for a in es.find_all("nav.actions a")],
        ["Ver mi papeleta", "Cambiar mi papeleta", "Volver a la elección"])
t.equal("... no English word left", [w for w in EN_WORDS if w in visible_text(es)], [])
es_shot(es, "booth-es-voted.png")
es.click_and_wait(es.find('nav.actions a[href$="/ballot"]'))
t.equal("view my ballot asks for the passcode in Spanish",
        (es.find("h1").text, es.find('label[for="passcode"]').text,
         es.find("form.view-form button").text), ("Tu papeleta", "Clave", "Ver mi papeleta"))
es.find("input#passcode").send_keys(passcode)
es.click_and_wait(es.find("form.view-form button"))
text = visible_text(es)
t.check("... the ballot shown in Spanish: Ivan 1, Kim 2, the rest without opinion",
        [(e.attribute("data-aid"), e.attribute("data-rank"))
         for e in es.find_all(".stored-ranking [data-aid]")] == [("ivan-p", "1"), ("kim-s", "2")]
        and "Sin opinión:" in text and "Cambiar mi papeleta" in text
        and "hasta el cierre de la votación" in text, text[:2000])
t.equal("... no English word left", [w for w in EN_WORDS if w in text], [])
es_shot(es, "booth-es-ballot.png")
es.quit()

t.done()
