"""A minimal W3C WebDriver client for urna's browser tests (Python 3
standard library only): chromedriver started on a free loopback port with
its PID recorded and stopped by that PID (t/lib/harness.py), and headless
Chromium sessions with a fresh profile each.

    from webdriver import ChromeDriver
    drv = t.watch(ChromeDriver()).start()
    b = drv.session()                     # javascript=False for a no-JS browser
    b.get("http://127.0.0.1:8080/urna/")
    b.find("a.button.vote").click()
    b.drag(b.find(".rank-row .handle"), b.find("ol.js-ranking"))
    b.screenshot("/tmp/booth.png")
    b.quit()

Only what the tests use: navigation, finding elements by CSS, click, keys,
text/attributes, select options, script, cookies, screenshots and pointer
actions. Errors raise WebDriverError with the driver's message.
"""

import base64
import http.client
import json
import os
import shutil
import signal
import tempfile
import time

from harness import Server, StartError, free_port, make_tmpdir, which, _tmpdirs  # noqa: F401

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--disable-crash-reporter", "--disable-breakpad"]


def chromium_binary():
    for p in ("/usr/lib/chromium/chromium", which("chromium"), which("chromium-browser"),
              which("google-chrome")):
        if p and os.access(p, os.X_OK):
            return p
    return None


class WebDriverError(RuntimeError):
    def __init__(self, status, error, message):
        super().__init__("%s %s: %s" % (status, error, message))
        self.status = status
        self.error = error


def _children(pid):
    """PIDs whose parent is pid (from /proc)."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid:
            out.append(int(d))
    return out


def _using_dir(directory):
    """PIDs whose command line names `directory` (our own temporary
    directory: the browsers we started, also the ones that re-parented
    themselves to init)."""
    out = []
    needle = directory.encode()
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == os.getpid():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                if needle in f.read():
                    out.append(int(d))
        except OSError:
            pass
    return out


def _descendants(pid):
    out, todo = [], [pid]
    while todo:
        for c in _children(todo.pop()):
            out.append(c)
            todo.append(c)
    return out


class ChromeDriver(Server):
    """chromedriver on 127.0.0.1:port. stop() ends its sessions, then the
    browsers it started (their PIDs, read from /proc before it exits), then
    chromedriver itself, each by PID."""

    name = "chromedriver"
    comm = "chromedriver"

    def __init__(self, binary=None, root=None):
        super().__init__(root)
        self.binary = binary or which("chromedriver") or "/usr/bin/chromedriver"
        self.port = free_port()
        self.sessions = []
        self.driver_log = os.path.join(self.dir, "chromedriver-verbose.log")

    def start(self, timeout=30):
        # HOME and XDG dirs inside our directory: the browser (and its crash
        # handler) write nothing into the real home directory.
        env = dict(os.environ, HOME=self.dir, XDG_CONFIG_HOME=os.path.join(self.dir, ".config"),
                   XDG_CACHE_HOME=os.path.join(self.dir, ".cache"))
        self._spawn([self.binary, "--port=%d" % self.port, "--allowed-ips=127.0.0.1",
                     "--log-path=" + self.driver_log], env=env)
        self.wait_ready(lambda: self.request("GET", "/status").get("ready", False), timeout,
                        "ready on port %d" % self.port)
        return self

    def request(self, method, path, body=None, timeout=60):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            data = None if body is None else json.dumps(body).encode()
            headers = {"Content-Type": "application/json"} if data is not None else {}
            conn.request(method, path, body=data, headers=headers)
            r = conn.getresponse()
            raw = r.read()
        finally:
            conn.close()
        try:
            payload = json.loads(raw.decode() or "{}")
        except ValueError:
            raise WebDriverError(r.status, "bad response", raw[:300])
        value = payload.get("value")
        if r.status >= 400 or (isinstance(value, dict) and "error" in value and r.status != 200):
            v = value or {}
            raise WebDriverError(r.status, v.get("error"), v.get("message", "")[:2000])
        return value

    def session(self, javascript=True, window=(1200, 1000)):
        """A new headless Chromium with a fresh profile directory."""
        profile = tempfile.mkdtemp(prefix="profile-", dir=self.dir)
        args = CHROMIUM_ARGS + ["--user-data-dir=" + profile,
                                "--window-size=%d,%d" % window]
        prefs = {}
        if not javascript:
            args.append("--blink-settings=scriptEnabled=false")
            prefs["profile.managed_default_content_settings.javascript"] = 2
        opts = {"args": args, "prefs": prefs}
        binary = chromium_binary()
        if binary:
            opts["binary"] = binary
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "acceptInsecureCerts": False,
            "pageLoadStrategy": "normal", "goog:chromeOptions": opts}}}
        value = self.request("POST", "/session", caps, timeout=120)
        s = Session(self, value["sessionId"], javascript)
        self.sessions.append(s)
        return s

    def stop(self, sig=signal.SIGTERM, timeout=30):
        for s in list(self.sessions):
            try:
                s.quit()
            except Exception:
                pass
        pid = self.pid
        browsers = _descendants(pid) if pid else []
        rc = super().stop(sig, timeout)
        # Anything the sessions left behind, by PID: children of chromedriver
        # seen above, and processes naming our directory (profiles live in it).
        deadline = time.monotonic() + 5
        left = set(browsers) | set(_using_dir(self.dir))
        while left and time.monotonic() < deadline:
            left = {p for p in left if os.path.exists("/proc/%d" % p)} & (
                set(_using_dir(self.dir)) | set(browsers))
            time.sleep(0.1)
        for b in left:
            try:
                os.kill(b, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return rc

    def logs(self, lines=80):
        out = super().logs(lines)
        return out


class Element:
    def __init__(self, session, eid):
        self.s = session
        self.id = eid

    def _path(self, suffix=""):
        return "/element/%s%s" % (self.id, suffix)

    def click(self):
        self.s.cmd("POST", self._path("/click"), {})
        return self

    def send_keys(self, text):
        self.s.cmd("POST", self._path("/value"), {"text": text})
        return self

    def clear(self):
        self.s.cmd("POST", self._path("/clear"), {})
        return self

    @property
    def text(self):
        return self.s.cmd("GET", self._path("/text"))

    def attribute(self, name):
        return self.s.cmd("GET", self._path("/attribute/%s" % name))

    def prop(self, name):
        return self.s.cmd("GET", self._path("/property/%s" % name))

    def css(self, name):
        return self.s.cmd("GET", self._path("/css/%s" % name))

    @property
    def displayed(self):
        return self.s.cmd("GET", self._path("/displayed"))

    @property
    def selected(self):
        return self.s.cmd("GET", self._path("/selected"))

    def find(self, css):
        v = self.s.cmd("POST", self._path("/element"), {"using": "css selector", "value": css})
        return Element(self.s, v[ELEMENT])

    def find_all(self, css):
        v = self.s.cmd("POST", self._path("/elements"), {"using": "css selector", "value": css})
        return [Element(self.s, e[ELEMENT]) for e in v]

    def select(self, value):
        """Chooses the <option> with this value in this <select> (by click,
        so it works without JavaScript)."""
        self.click()
        for o in self.find_all("option"):
            if o.attribute("value") == value:
                o.click()
                return self
        raise WebDriverError(404, "no such option", value)


class Session:
    def __init__(self, driver, sid, javascript):
        self.driver = driver
        self.id = sid
        self.javascript = javascript

    def cmd(self, method, path, body=None, timeout=60):
        return self.driver.request(method, "/session/%s%s" % (self.id, path), body, timeout)

    def get(self, url):
        self.cmd("POST", "/url", {"url": url}, timeout=120)
        return self

    @property
    def url(self):
        return self.cmd("GET", "/url")

    @property
    def title(self):
        return self.cmd("GET", "/title")

    @property
    def source(self):
        return self.cmd("GET", "/source")

    def find(self, css):
        v = self.cmd("POST", "/element", {"using": "css selector", "value": css})
        return Element(self, v[ELEMENT])

    def find_all(self, css):
        v = self.cmd("POST", "/elements", {"using": "css selector", "value": css})
        return [Element(self, e[ELEMENT]) for e in v]

    def exists(self, css):
        return bool(self.find_all(css))

    def wait_for(self, css, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            found = self.find_all(css)
            if found:
                return found[0]
            if time.monotonic() > deadline:
                raise WebDriverError(404, "timeout", "no %s after %ss" % (css, timeout))
            time.sleep(0.1)

    def click_and_wait(self, element, timeout=20):
        """Clicks (a submit button, a link) and waits until the page it was
        on is gone: its <html> element goes stale."""
        return self.and_wait(element.click, timeout)

    def and_wait(self, action, timeout=20):
        """Calls action() (something that leaves the page: a click, a script
        submitting a form) and waits for the next page as click_and_wait."""
        old = self.find("html")
        action()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                old.attribute("lang")
            except WebDriverError:
                break  # stale, or "does not belong to the document": a new page
            time.sleep(0.05)
        self.wait_for("body", timeout)
        return self

    def execute(self, script, *args):
        return self.cmd("POST", "/execute/sync", {"script": script, "args": [
            {ELEMENT: a.id} if isinstance(a, Element) else a for a in args]})

    def cookies(self):
        return self.cmd("GET", "/cookie")

    def add_cookie(self, name, value, path="/"):
        self.cmd("POST", "/cookie", {"cookie": {"name": name, "value": value, "path": path,
                                                "httpOnly": True}})

    def screenshot(self, path):
        png = base64.b64decode(self.cmd("GET", "/screenshot"))
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "wb") as f:
            f.write(png)
        return path

    def actions(self, pointer_actions):
        self.cmd("POST", "/actions", {"actions": [{
            "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
            "actions": pointer_actions}]})
        self.cmd("DELETE", "/actions")

    def drag(self, handle, target, dx=0, dy=0, steps=5):
        """Presses on `handle`, moves in a few steps to `target` (plus dx,
        dy from its centre) and releases: pointer events as a user makes."""
        acts = [{"type": "pointerMove", "duration": 0, "origin": {ELEMENT: handle.id}, "x": 0, "y": 0},
                {"type": "pointerDown", "button": 0},
                {"type": "pause", "duration": 50}]
        for i in range(1, steps + 1):
            acts.append({"type": "pointerMove", "duration": 40, "origin": {ELEMENT: target.id},
                         "x": int(dx * i / steps), "y": int(dy if i == steps else dy / 2)})
        acts += [{"type": "pause", "duration": 50}, {"type": "pointerUp", "button": 0}]
        self.actions(acts)

    def quit(self):
        try:
            self.cmd("DELETE", "", timeout=30)
        finally:
            if self in self.driver.sessions:
                self.driver.sessions.remove(self)
