"""Accessibility and layout checks of a page open in a WebDriver session
(t/lib/webdriver.py), for t/e2e/a11y_test.py. Python 3 standard library.

    from browser import PageChecker, axe_path
    pc = PageChecker(t, artifacts_dir)          # t: harness.Checks
    pc.check_state(b, "booth")                  # one page state, two widths

For each page state, check_state() sets the window 1280 px wide, then
390 px, and at each width saves t/artifacts/<state>-<width>.png and runs
axe-core (t/browser/node_modules/axe-core/axe.min.js, injected into the
page through the session's execute-script, which works with the page's
own scripts disabled too, timers aside: see run_axe) with the WCAG 2.0/2.1 A and AA rules and the best
practices; at 390 px it also measures whether the page scrolls sideways
(document.documentElement.scrollWidth > innerWidth). It makes two checks,
so that a failure names the page state and the rules:

    STATE: axe, 1280 and 390 px: no moderate, serious or critical violation
    STATE: 390 px wide: no horizontal scrolling

and records what it found in `pc.report` (state -> findings) for the
summary printed by report_lines(). It also records, for the checks that
a11y_test.py makes once over every page: the first element the Tab key
reaches (a skip link?), the contrast of the focus ring of the first three
Tab stops against what is behind them, and any link opening a new tab
(target=_blank).
"""

import json
import os

from harness import SRCDIR

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
IMPACTS = ("moderate", "serious", "critical")
WIDTHS = (1280, 390)
HEIGHT = 900
TAB = "\ue004"


def axe_path():
    return os.path.join(SRCDIR, "t", "browser", "node_modules", "axe-core", "axe.min.js")


def axe_version():
    try:
        with open(os.path.join(os.path.dirname(axe_path()), "package.json")) as f:
            return json.load(f)["version"]
    except (OSError, ValueError, KeyError):
        return None


_AXE_SOURCE = []


def _axe_source():
    if not _AXE_SOURCE:
        with open(axe_path()) as f:
            _AXE_SOURCE.append(f.read())
    return _AXE_SOURCE[0]


def set_width(b, width, height=HEIGHT):
    """Makes the page's viewport (innerWidth) `width` CSS pixels and returns
    innerWidth. Headless Chromium keeps a window at least 500 px wide, so the
    viewport is set through the DevTools protocol
    (Emulation.setDeviceMetricsOverride, a phone below 600 px: mobile and
    touch); a width that cannot be reached raises, so that no check ever
    measures another width than it says."""
    b.cmd("POST", "/window/rect", {"width": max(width, 800), "height": height})
    b.cmd("POST", "/goog/cdp/execute", {"cmd": "Emulation.setDeviceMetricsOverride", "params": {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}})
    b.cmd("POST", "/goog/cdp/execute", {"cmd": "Emulation.setTouchEmulationEnabled", "params": {
        "enabled": width < 600}})
    inner = b.execute("return window.innerWidth;")
    if inner != width:
        raise RuntimeError("the viewport is %s px wide, not %d" % (inner, width))
    return inner


_NO_TIMERS_JS = """
window.setTimeout = function (fn) {
  var args = Array.prototype.slice.call(arguments, 2);
  Promise.resolve().then(function () { fn.apply(null, args); });
  return 0;
};
window.clearTimeout = function () {};
window.requestAnimationFrame = function (fn) {
  Promise.resolve().then(function () { fn(0); });
  return 0;
};
return true;
"""


def run_axe(b):
    """axe.run on the whole document; returns the violations of impact
    moderate or above: [{id, impact, help, targets: [css selector, ...]}]."""
    if not b.execute("return typeof window.axe === 'object';"):
        if not getattr(b, "javascript", True):
            # With the page's scripts disabled, a script run through
            # WebDriver still runs and its promises settle, but timers never
            # fire, and axe waits on setTimeout: run them as microtasks.
            b.execute(_NO_TIMERS_JS)
        b.execute(_axe_source() + "\nreturn true;")
    script = """
        var done = arguments[arguments.length - 1];
        window.axe.run(document, {runOnly: {type: 'tag', values: arguments[0]},
                                  resultTypes: ['violations']})
          .then(function (r) {
            done(r.violations.map(function (v) {
              return {id: v.id, impact: v.impact, help: v.help,
                      targets: v.nodes.map(function (n) { return n.target.join(' '); })};
            }));
          }, function (e) { done({error: String(e)}); });
    """
    got = b.cmd("POST", "/execute/async", {"script": script, "args": [AXE_TAGS]}, timeout=120)
    if isinstance(got, dict) and "error" in got:
        raise RuntimeError("axe.run failed: " + got["error"])
    return [v for v in got if v.get("impact") in IMPACTS]


def widths_of(b):
    return b.execute("return [document.documentElement.scrollWidth, window.innerWidth];")


def press_tab(b, times=1):
    acts = []
    for _ in range(times):
        acts += [{"type": "keyDown", "value": TAB}, {"type": "keyUp", "value": TAB}]
    b.cmd("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": acts}]})
    b.cmd("DELETE", "/actions")


# The WCAG contrast ratio of the focused element's outline against the
# first opaque background behind it (the outline is drawn outside the
# element, so its parent's), and a description of the element.
_FOCUS_JS = r"""
function rgba(c) {
  var m = c.match(/rgba?\(([^)]+)\)/);
  if (!m) return null;
  var p = m[1].split(',').map(function (x) { return parseFloat(x); });
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
}
function lum(c) {
  var v = c.slice(0, 3).map(function (x) {
    x = x / 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
}
function behind(el) {
  for (var n = el.parentElement; n; n = n.parentElement) {
    var c = rgba(getComputedStyle(n).backgroundColor);
    if (c && c[3] > 0.99) return c;
  }
  return [255, 255, 255, 1];
}
var el = document.activeElement;
if (!el || el === document.body) return null;
var s = getComputedStyle(el);
var desc = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
  (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') +
  ' "' + (el.textContent || el.value || '').trim().slice(0, 40) + '"';
var out = {el: desc, href: el.getAttribute('href'), outline: s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor,
           ratio: 0, target_exists: false};
if (el.tagName === 'A' && (el.getAttribute('href') || '').charAt(0) === '#') {
  out.target_exists = !!document.getElementById(el.getAttribute('href').slice(1));
}
var width = parseFloat(s.outlineWidth) || 0;
var oc = rgba(s.outlineColor);
if (s.outlineStyle !== 'none' && width > 0 && oc) {
  var bg = behind(el);
  // A translucent ring is blended with what is behind it.
  var a = oc[3];
  var ring = [0, 1, 2].map(function (i) { return oc[i] * a + bg[i] * (1 - a); });
  var l1 = lum(ring), l2 = lum(bg);
  out.ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  out.behind = 'rgb(' + bg.slice(0, 3).join(',') + ')';
}
return out;
"""


def focus_stops(b, count=3):
    """The first `count` Tab stops from the top of the page, each as
    {el, href, outline, ratio, behind, target_exists}."""
    b.execute("if (document.activeElement) document.activeElement.blur();"
              "window.scrollTo(0, 0);")
    # Start from the document itself, as after loading the page.
    b.execute("document.documentElement.setAttribute('tabindex', '-1');"
              "document.documentElement.focus();"
              "document.documentElement.removeAttribute('tabindex');")
    out = []
    for _ in range(count):
        press_tab(b)
        info = b.execute(_FOCUS_JS)
        if info is None:
            break
        out.append(info)
    return out


class PageChecker:
    def __init__(self, checks, artifacts):
        self.t = checks
        self.artifacts = artifacts
        os.makedirs(artifacts, exist_ok=True)
        self.report = {}      # state -> {"axe": {width: [violations]}, "widths": [sw, iw]}
        self.first_stop = {}  # state -> first Tab stop (dict) or None
        self.rings = {}       # state -> [Tab stops]
        self.new_tabs = {}    # state -> [hrefs of links with target=_blank]
        self.screenshots = []

    def check_state(self, b, state, focus=True):
        """Both widths, axe, the width check, screenshots; two checks."""
        found = {"axe": {}, "widths": None}
        for w in WIDTHS:
            set_width(b, w)
            path = os.path.join(self.artifacts, "%s-%d.png" % (state, w))
            b.screenshot(path)
            self.screenshots.append(path)
            found["axe"][w] = run_axe(b)
            if w == 390:
                found["widths"] = widths_of(b)
        self.report[state] = found
        self.new_tabs[state] = b.execute(
            "return Array.prototype.map.call(document.querySelectorAll('[target]'),"
            " function (a) { return (a.getAttribute('href') || a.getAttribute('action') || '') +"
            " ' target=' + a.getAttribute('target'); })"
            ".filter(function (x) { return !/ target=_self$/.test(x); });")
        if focus:
            set_width(b, 1280)
            stops = focus_stops(b)
            self.first_stop[state] = stops[0] if stops else None
            self.rings[state] = stops
        # One line per rule: its id, impact, and where (both widths merged).
        rules = {}
        for w, vs in sorted(found["axe"].items(), reverse=True):
            for v in vs:
                r = rules.setdefault(v["id"], {"impact": v["impact"], "help": v["help"],
                                               "widths": [], "targets": []})
                r["widths"].append(w)
                for tg in v["targets"]:
                    if tg not in r["targets"]:
                        r["targets"].append(tg)
        detail = "\n".join("%s (%s, %s px): %s; %s" % (
            rid, r["impact"], "/".join(str(x) for x in r["widths"]), r["help"],
            ", ".join(r["targets"][:8]) + (" ..." if len(r["targets"]) > 8 else ""))
            for rid, r in sorted(rules.items()))
        name = "%s: axe, 1280 and 390 px: no moderate, serious or critical violation" % state
        if rules:
            name += " (%s)" % ", ".join(sorted(rules))
        self.t.check(name, not rules, detail)
        sw, iw = found["widths"]
        self.t.check("%s: 390 px wide: no horizontal scrolling" % state, sw <= iw,
                     "document.documentElement.scrollWidth %d > innerWidth %d%s" % (
                         sw, iw, self._widest(b) if sw > iw else ""))
        return not rules and sw <= iw

    @staticmethod
    def _widest(b):
        """The elements sticking out at 390 px (for the failure's detail)."""
        set_width(b, 390)
        got = b.execute("""
            var out = [], w = window.innerWidth;
            document.querySelectorAll('body *').forEach(function (e) {
              var r = e.getBoundingClientRect();
              if (r.right > w + 1 && out.length < 6) {
                var p = e.parentElement, parentOut = p && p.getBoundingClientRect().right > w + 1;
                if (!parentOut) out.push(e.tagName.toLowerCase() +
                  (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') +
                  ' right=' + Math.round(r.right));
              }
            });
            return out;""")
        return "\nsticking out: " + "; ".join(got) if got else ""

    def report_lines(self):
        """Every finding, page by page (for the log and the lead)."""
        out = []
        for state, f in self.report.items():
            seen = {}
            for w, vs in f["axe"].items():
                for v in vs:
                    seen.setdefault((v["id"], v["impact"]), []).append((w, v["targets"]))
            sw, iw = f["widths"]
            if not seen and sw <= iw:
                continue
            out.append("%s:" % state)
            for (rid, imp), where in sorted(seen.items()):
                targets = []
                for w, ts in where:
                    for tg in ts:
                        if tg not in targets:
                            targets.append(tg)
                out.append("  %s (%s) at %s px: %s" % (rid, imp, "/".join(str(w) for w, _ in where),
                                                       ", ".join(targets[:10])))
            if sw > iw:
                out.append("  width at 390 px: scrollWidth %d > innerWidth %d" % (sw, iw))
        return out
