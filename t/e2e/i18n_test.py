#!/usr/bin/python3
"""Two languages through real servers (issue 10, docs/i18n.md).

A private MariaDB, urna.fcgi (4 workers) behind nginx, the example
elections, and the catalogs `make` built (harness.Urna points locale_dir
at po/locale). Checks:

- Accept-Language: es gives the list page in Spanish with <html lang="es">
  and Vary: Accept-Language; es-AR and a preferred language urna lacks
  followed by es also give Spanish; fr alone, none, and es;q=0 give the
  default (English);
- error pages in Spanish: 404 (page, election), 405 with its method
  filled into the translated sentence, and the demo sign-in page; signed
  in, the layout's "Signed in as" and "Sign out" are Spanish too;
- thread safety: 400 requests from 16 client threads alternating en / es
  (and 404s) on 4 workers, each response wholly in its own language;
- `language = es` in urna.conf: Spanish for a browser without
  Accept-Language or with fr, English when asked for;
- `language = fr` (no catalog) and a locale_dir without Spanish stop
  urna.fcgi at start-up with a message naming the missing catalog.

Skips (77) only if a server program or a binary is missing.
"""

import os
import re
import shutil
import subprocess
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import (BUILDDIR, SRCDIR, Checks, Http, MariaDB, Nginx, Urna, csrf_of,  # noqa: E402
                     git)

t = Checks("i18n_test")
SYNC = os.path.join(BUILDDIR, "urna-sync")
FCGI = os.path.join(BUILDDIR, "urna.fcgi")
t.require_binaries("mariadb-install-db", "mariadbd", "mariadb", "nginx", "git", FCGI, SYNC)
EXAMPLES = os.path.join(SRCDIR, "examples", "meta")
MO = os.path.join(BUILDDIR, "po", "locale", "es", "LC_MESSAGES", "urna.mo")
t.check("make built the Spanish catalog (%s)" % MO, os.path.exists(MO))

# What each language's pages must say, and must not: strings of the
# converted templates (layout, home, error, login) and C++ messages.
ES = ["<h1>Elecciones</h1>", "Elecciones gestionadas con", "Iniciar sesión</a>"]
EN = ["<h1>Elections</h1>", "Elections run with", "Sign in</a>"]


def lang_of(page):
    m = re.search(r'<html lang="([^"]*)"', page)
    return m.group(1) if m else None


def wholly(page, lang):
    """"" when `page` is wholly in `lang` (its own strings all there, none
    of the other language's), else what is wrong."""
    want, other = (ES, EN) if lang == "es" else (EN, ES)
    if lang_of(page) != lang:
        return "lang=%r" % lang_of(page)
    missing = [s for s in want if s not in page]
    stray = [s for s in other if s in page]
    return "" if not missing and not stray else "missing %r, stray %r" % (missing, stray)


db = t.watch(MariaDB())
db.start()
origin = os.path.join(db.dir, "origin.git")
work = os.path.join(db.dir, "work")
shutil.copytree(EXAMPLES, work)
git(work, "init", "-q", "-b", "main")
git(work, "add", "-A")
git(work, "commit", "-q", "-m", "examples/meta")
subprocess.run(["git", "clone", "-q", "--bare", work, origin], check=True)

app = t.watch(Urna(db, workers=4, repo_url=origin, repo_branch="main"))
app.migrate()
rc, out = app.sync(check=False)
t.equal("urna-sync succeeds", rc, 0, out[-3000:])
app.start()
ngx = t.watch(Nginx(app))
ngx.start()
web = Http(ngx.port)


def get(path, accept=None, client=None, **kw):
    headers = {"Accept-Language": accept} if accept is not None else {}
    return (client or web).get(path, headers=headers, **kw)


# ---------------------------------------------------------------------------
t.section("Accept-Language chooses the page language")
r = get("/urna/", "es")
t.equal("GET /urna/ (es) is 200", r.status, 200, r)
t.equal("Accept-Language: es → Spanish, lang=\"es\"", wholly(r.text, "es"), "", r.text[:1500])
t.check("the Spanish page names its child elections with a plural",
        re.search(r"<summary>\d+ elecciones incluidas</summary>", r.text), r.text[:3000])
t.check("Vary: Accept-Language", "Accept-Language" in (r.header("Vary") or ""), r.headers)
for accept in ("es-AR", "es-ar,es;q=0.9", "fr, es;q=0.5", "de-DE;q=0.9, *;q=0.1, es"):
    r = get("/urna/", accept)
    t.equal("Accept-Language: %s → Spanish" % accept, wholly(r.text, "es"), "")
for accept in (None, "fr", "fr-CH, fr;q=0.9", "es;q=0", "*", "en-US,en;q=0.9,es;q=0.8"):
    r = get("/urna/", accept)
    t.equal("Accept-Language: %s → English (the default)" % accept, wholly(r.text, "en"), "")
    t.check("... and the English page says 3 child elections, not \"3 child election\"",
            re.search(r"<summary>\d+ child elections?</summary>", r.text), r.text[:3000])

t.section("error pages and sign-in in Spanish")
r = get("/urna/no-such-page", "es")
t.equal("404 (es)", r.status, 404, r)
t.equal("the 404 page is Spanish", lang_of(r.text), "es")
t.check("... with the translated title and message",
        "No encontrado" in r.text and "Esta página no existe." in r.text
        and "Identificador de la solicitud:" in r.text and "Volver a las elecciones" in r.text,
        r.text[:2000])
t.check("... and no English left of it",
        "Not Found" not in r.text and "There is no such page" not in r.text
        and "Request id" not in r.text, r.text[:2000])
r = get("/urna/elections/no/such/election", "es")
t.equal("unknown election: 404 (es)", r.status, 404, r)
t.check("... \"Esta elección no existe.\"", "Esta elección no existe." in r.text, r.text[:2000])
r = get("/urna/no-such-page", "fr")
t.check("404 (fr) is English", lang_of(r.text) == "en" and "There is no such page." in r.text,
        r.text[:2000])
r = web.post("/urna/", {}, headers={"Accept-Language": "es"})
t.equal("POST /urna/: 405 (es)", r.status, 405, r)
t.check("... \"Esta dirección no acepta solicitudes POST.\" (a placeholder in a translation)",
        "Esta dirección no acepta solicitudes POST." in r.text, r.text[:2000])
t.check("... under the translated title", "Método no permitido" in r.text, r.text[:2000])
r = get("/urna/login", "es")
t.equal("the demo sign-in page (es) is 200", r.status, 200, r)
t.check("... in Spanish", lang_of(r.text) == "es" and "Acceso de demostración" in r.text
        and "<h1>Iniciar sesión</h1>" in r.text, r.text[:2000])
voter = re.search(r'name="login" value="([^"]+)"', r.text)
t.check("... listing the example voters", voter, r.text[:2000])
if voter:
    signed = Http(ngx.port)
    page = get("/urna/login", "es", client=signed)
    r = signed.post("/urna/login", {"csrf": csrf_of(page.text), "login": voter.group(1)},
                    headers={"Accept-Language": "es"})
    t.equal("demo sign-in: 303", r.status, 303, r)
    r = get("/urna/", "es", client=signed)
    t.check("signed in (es): \"Sesión iniciada como\" and \"Cerrar sesión\"",
            "Sesión iniciada como <strong>%s</strong>" % voter.group(1) in r.text
            and "Cerrar sesión" in r.text and "Sign out" not in r.text, r.text[:2000])
    r = get("/urna/", "en", client=signed)
    t.check("signed in (en): \"Signed in as\" and \"Sign out\"",
            "Signed in as <strong>%s</strong>" % voter.group(1) in r.text
            and "Sign out" in r.text, r.text[:2000])

# ---------------------------------------------------------------------------
t.section("many concurrent requests in both languages")
results, lock = [], threading.Lock()


def client(k):
    c = Http(ngx.port)
    for i in range(25):
        lang = "es" if (k + i) % 2 else "en"
        path = "/urna/" if i % 5 else "/urna/nope-%d-%d" % (k, i)
        try:
            r = get(path, {"es": "es-ES,es;q=0.9", "en": "en-GB,en;q=0.8"}[lang], client=c)
            if path == "/urna/":
                problem = wholly(r.text, lang) if r.status == 200 else "status %d" % r.status
            else:
                want = "Esta página no existe." if lang == "es" else "There is no such page."
                other = "There is no such page." if lang == "es" else "Esta página no existe."
                problem = "" if (r.status == 404 and lang_of(r.text) == lang and want in r.text
                                 and other not in r.text) else "404 page: %r" % r.text[:300]
        except Exception as e:  # noqa: BLE001 - any failure is a result
            problem = repr(e)
        with lock:
            results.append((lang, path, problem))


threads = [threading.Thread(target=client, args=(k,)) for k in range(16)]
for th in threads:
    th.start()
for th in threads:
    th.join()
bad = [r for r in results if r[2]]
t.equal("400 requests answered", len(results), 400)
t.equal("every response wholly in its own language", bad[:5], [], "%d bad" % len(bad))

# ---------------------------------------------------------------------------
t.section("language = es in urna.conf")
app.settings["language"] = "es"
app.write_config()
app.restart()
for accept in (None, "fr", "fr-FR,fr;q=0.9", "*"):
    r = get("/urna/", accept)
    t.equal("language = es, Accept-Language: %s → Spanish" % accept, wholly(r.text, "es"), "")
r = get("/urna/", "en")
t.equal("language = es, Accept-Language: en → English", wholly(r.text, "en"), "")
r = get("/urna/missing", None)
t.check("language = es: a 404 without Accept-Language is Spanish",
        r.status == 404 and "Esta página no existe." in r.text, r)

t.section("a language without a catalog stops urna.fcgi")


def start_fails(settings):
    conf = os.path.join(app.dir, "bad.conf")
    with open(app.config_path) as f:
        text = f.read()
    for k, v in settings.items():
        text = re.sub(r"^%s = .*$\n?" % k, "", text, flags=re.M) + "%s = %s\n" % (k, v)
    text = re.sub(r"^listen = .*$", "listen = " + os.path.join(app.dir, "bad.sock"), text,
                  flags=re.M)
    with open(conf, "w") as f:
        f.write(text)
    try:
        r = subprocess.run([FCGI, "--config", conf], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=30)
        return r.returncode, r.stdout
    except subprocess.TimeoutExpired:
        return None, "still running after 30 s"


rc, out = start_fails({"language": "fr"})
t.equal("language = fr: urna.fcgi exits 1", rc, 1, out)
t.check("... naming the language and the missing catalog",
        "language = fr" in out and "fr/LC_MESSAGES/urna.mo" in out and "en, es" in out, out)
empty = os.path.join(app.dir, "no-locale")
os.makedirs(empty, exist_ok=True)
rc, out = start_fails({"language": "es", "locale_dir": empty})
t.equal("language = es with a locale_dir without it: exits 1", rc, 1, out)
t.check("... naming the missing catalog", "es/LC_MESSAGES/urna.mo" in out, out)
rc, out = start_fails({"language": "e s"})
t.equal("language = 'e s': a configuration error", rc, 1, out)
t.check("... naming the key", "key 'language'" in out, out)

t.done()
