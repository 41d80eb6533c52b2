#!/usr/bin/python3
"""Parent and children elections end to end (DESIGN.md §1, §3, §5): a real
MariaDB, urna.fcgi (demo login) behind nginx, urna-sync from a git
repository made from examples/meta while the test runs, and urna-tally.

The example parent university-2026 ("Electoral Process", children Students
then Professors, Yes/No questions q1 (both), q2 (Students), q3
(Professors), pipes) is made running by the first commit, with two more
voters assigned to both children (ivan, judy) and exceptions open; a
second commit closes it. Then:

- carol (both children) signs in once, opens the parent's booth, confirms
  ONE passcode there (issue 10: refused without the "written down" box),
  is led to Students, votes, is led to Professors with the passcode carried
  in the form (sending the Students page again stores nothing), votes, ends
  on a GET page, and sees Voted on both, without signing in again; the one
  passcode opens both ballots, and the parent's "view my ballot" shows
  each child;
- alice (Students only) never gets Professors' booth (403 for GET and
  POST), and the parent lists only Students for her;
- heidi (a voter elsewhere, not on the parent's list) is Not eligible, with
  the exception link; the parent's booth refuses her;
- the parent itself takes no ballot (400), has no ballot page (404);
- ivan votes in Students, leaves, signs in again later: the parent's booth
  asks for the passcode he used and continues with Professors with it (a
  passcode that opens none of his ballots is refused);
- carol votes in the copy without pipes from each child's own booth, with
  two passcodes: the parent's view with one of them shows that child and
  says the other was cast with another passcode;
- the officer olga sees turnout and who voted per child on the parent's
  admin page (a voter gets 403 there);
- after the close and urna-tally: the consolidated result (q1 adds both
  children's ballots, q2 and q3 copied from their child), exact counts;
  the chooser links each child's result, which counts only its ballots;
  the per-child q1 counts add up to the consolidated one; a second
  urna-tally changes nothing;
- in Spanish (Accept-Language: es): erin's parent booth (the steps, the
  one passcode, the copy button), a refused start, the carried Students
  booth and a refused (empty) carried ballot, all without storing
  anything; carol's process voted page, the parent's booth all done, and
  the parent's view of both ballots; ivan's refused resume; no English
  sentence of these pages left;
- headless Chromium (t/lib/webdriver.py): judy signs in once and votes in
  both children by clicking; screenshots of the parent's booth, a child's
  booth and the consolidated result go to $URNA_BUILDDIR/t/artifacts/.
  Without Chromium, judy votes over HTTP instead (so the counts stay the
  same) and the browser checks are reported as skipped.
"""

import base64
import hashlib
import hmac
import html
import os
import re
import shutil
import subprocess
import sys
import time
from urllib.parse import urlencode

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import (BUILDDIR, Checks, Http, MariaDB, Nginx, SRCDIR, Urna,  # noqa: E402
                     ballot_count, csrf_of, git, read, write)

t = Checks("parent_test")
TALLY = os.path.join(BUILDDIR, "urna-tally")
t.require_binaries("mariadb-install-db", "mariadbd", "mariadb", "nginx", "git",
                   os.path.join(BUILDDIR, "urna.fcgi"), os.path.join(BUILDDIR, "urna-sync"),
                   TALLY)
EXAMPLES = os.path.join(SRCDIR, "examples", "meta")
if not os.path.isdir(os.path.join(EXAMPLES, "elections", "university-2026")):
    t.skip("examples/meta/elections/university-2026 is missing")
ARTIFACTS = os.path.join(BUILDDIR, "t", "artifacts")

P = "university-2026"
STU, PROF = P + "/students", P + "/professors"
D = "university-defaults"  # a copy without pipes


def set_dates(path, lines):
    """Replaces the date fields of an election.yaml by `lines`."""
    text = re.sub(r"^(start_datetime|end_datetime|exception_due):.*\n", "", read(path),
                  flags=re.M)
    write(path, re.sub(r"^(name: .*\n)", lambda m: m.group(1) + lines, text, count=1, flags=re.M))


# ---------------------------------------------------------------------------
# The repository: examples/meta, the parent running, two more voters.
db = t.watch(MariaDB())
db.start()
work = os.path.join(db.dir, "meta-work")
shutil.copytree(EXAMPLES, work)
parent_yaml = os.path.join(work, "elections", P, "election.yaml")
set_dates(parent_yaml, "start_datetime: 2020-01-01 00:00:00\nend_datetime: 2099-01-01 00:00:00\n"
          "exception_due: 2098-12-01 00:00:00\n")
voters_yaml = os.path.join(work, "elections", P, "voters.yaml")
write(voters_yaml, read(voters_yaml) + "  - id: ivan\n    children: [students, professors]\n"
      "  - id: judy\n    children: [professors, students]\n")
# The same process without pipes: the default consolidation.
shutil.copytree(os.path.join(work, "elections", P), os.path.join(work, "elections", D))
d_yaml = os.path.join(work, "elections", D, "election.yaml")
write(d_yaml, re.sub(r"\n# The consolidated results.*", "\n", read(parent_yaml), flags=re.S)
      .replace("name: Electoral Process\n", "name: Default Process\n"))
git(work, "init", "-q", "-b", "main")
git(work, "add", "-A")
git(work, "commit", "-q", "-m", "examples/meta, the university running")
origin = os.path.join(db.dir, "origin.git")
subprocess.run(["git", "clone", "-q", "--bare", work, origin], check=True)
git(work, "remote", "add", "origin", origin)

app = t.watch(Urna(db, workers=2, auth="demo", repo_url=origin, repo_branch="main",
                   scrypt_n=1024))
app.migrate()
rc, out = app.sync(check=False)
t.equal("urna-sync stores the repository with the running parent", rc, 0, out[-3000:])
app.start()
ngx = t.watch(Nginx(app))
ngx.start()
PORT = ngx.port
KEY = app.settings["session_key"]


def forge_session(login):
    """The cookie src/web/session.cc writes (when the demo page is missing)."""
    def b64(b):
        return base64.urlsafe_b64encode(b).rstrip(b"=").decode()
    payload = "v1|%s|%d|%s" % (login, int(time.time()) + 3600, os.urandom(16).hex())
    mac = hmac.new(KEY.encode(), b"session|" + payload.encode(), hashlib.sha256).digest()
    return b64(payload.encode()) + "." + b64(mac)


class SpanishHttp(Http):
    """An Http client whose browser asks for Spanish (Accept-Language: es)."""

    def request(self, method, path, body=None, headers=None, cookies=True):
        h = {"Accept-Language": "es"}
        h.update(headers or {})
        return super().request(method, path, body=body, headers=h, cookies=cookies)


def sign_in(login, spanish=False):
    """An Http client signed in as `login` through the demo login page."""
    h = SpanishHttp(PORT) if spanish else Http(PORT)
    r = h.get("/urna/login?next=/urna/")
    m = re.search(r'name="csrf" value="([^"]*)"', r.text) if r.status == 200 else None
    if m and "demo-voters" in r.text:
        h.post("/urna/login", {"csrf": html.unescape(m.group(1)), "login": login})
    if "urna_session" not in h.cookies:
        h.cookies["urna_session"] = forge_session(login)
    return h


def base(eid):
    return "/urna/elections/" + eid


def passcode_of(page):
    m = re.search(r'<input type="text" name="passcode" id="passcode" value="([^"]*)"', page)
    return html.unescape(m.group(1)) if m else ""


def post(h, path, pairs):
    return h.request("POST", path, body=urlencode(pairs).encode(),
                     headers={"Content-Type": "application/x-www-form-urlencoded"})


def next_href(page):
    """The href of the booth's Continue / Next button, or None."""
    m = re.search(r'<a class="button next" href="([^"]*)"', page)
    return html.unescape(m.group(1)) if m else None


def booth_questions(page):
    return re.findall(r'<fieldset class="question" data-qid="([^"]+)"', page)


def steps(page):
    """The parent booth's list: [(child vote URL, name, state)]."""
    out = []
    for url, name, rest in re.findall(r'<li class="step"><bdi><a href="([^"]*)">([^<]*)</a></bdi>\n(.*?)</li>',
                                      page):
        state = ("voted" if "voted</span>" in rest and "not voted" not in rest else
                 "todo" if "not voted yet" in rest else "closed")
        out.append((html.unescape(url), html.unescape(name), state))
    return out


def you_children(page):
    """The children the election page says the signed-in voter may vote in."""
    m = re.search(r"you may vote in (.*?)\.\n", page)
    part = m.group(1) if m else ""
    return [html.unescape(n) for n in re.findall(r'<a href="[^"]*">([^<]*)</a>', part)]


def child_badges(page, eid):
    """The badges of one child in the parent page's list of children."""
    m = re.search(r'<li class="election child[^"]*" data-id="%s">.*\n<span class="badges">(.*)\n'
                  % re.escape(eid), page)
    return m.group(1) if m else None


def badges(page):
    return re.findall(r'data-badge="([a-z-]+)"', page)


def lang_of(page):
    m = re.search(r'<html lang="([^"]*)"', page)
    return m.group(1) if m else None


def missing(page, phrases):
    return [p for p in phrases if p not in page]


def left(page, phrases):
    return [p for p in phrases if p in page]


# English sentences of the parent's booth, a carried child booth, the
# process's voted page and its view page: none may be left in Spanish.
EN_PARENT = ["You vote in these elections", "not voted yet", ">voted</span>", "not open",
             "View my ballots", "Your passcode", "One passcode is used", "Write this passcode down",
             "I have written this passcode down", ">Copy</button>", "Continue: vote in",
             "You have voted in all", "You have already voted", "Your ballot was not stored",
             "Vote · ", "part of <bdi>", "This ballot gets the passcode", "Cast my ballot",
             "Your ballots", "Back to the process", "Each ballot is stored", "does not open",
             "Choose one answer.", "You have not chosen", "Your ballot is stored", "Passcode"]


def sql(q):
    return db.sql(q, database=db.database).strip()


def ballots(eid):
    return ballot_count(db, eid)


def voted_in(login):
    """The elections of the university process `login` has a voted mark in."""
    return sql("SELECT election_id FROM voters_voted WHERE login = '%s' AND election_id LIKE "
               "'%s%%' ORDER BY election_id" % (login, P)).splitlines()


def hidden_fields(page, form_class):
    """The hidden inputs of the page's form of class `form_class`, in order."""
    m = re.search(r'<form method="post" action="([^"]*)" class="%s"(.*?)</form>' % form_class,
                  page, re.S)
    if not m:
        return None, []
    return html.unescape(m.group(1)), [
        (html.unescape(n), html.unescape(v))
        for n, v in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)"', m.group(2))]


def vote_child(h, eid, picks):
    """Opens the child's own booth and casts `picks` ({question: answer})
    with the passcode it suggests (kept as r.passcode)."""
    page = h.get(base(eid) + "/vote").text
    _, fields = hidden_fields(page, "booth-form")
    form = fields + [("pick/" + q, a) for q, a in picks.items()]
    pc = passcode_of(page)
    form += [("passcode", pc), ("passcode_saved", "yes")]
    r = post(h, base(eid) + "/vote", form)
    r.passcode = pc
    return r


def cast_ok(r, eid):
    return r.status == 303 and (r.header("Location") or "").split("?")[0] == base(eid) + "/voted"


def start_form(page, passcode=None, saved=True):
    """The parent booth's start form as a browser sends it: (action, form,
    passcode)."""
    action, fields = hidden_fields(page, "start-form")
    pc = passcode_of(page) if passcode is None else passcode
    form = fields + [("passcode", pc)]
    if saved and 'name="passcode_saved"' in page:
        form.append(("passcode_saved", "yes"))
    return action, form, pc


def carried_form(page, picks):
    """A carried child booth's form (the passcode in its hidden fields)
    with `picks`: (action, form)."""
    action, fields = hidden_fields(page, "booth-form")
    return action, fields + [("pick/" + q, a) for q, a in picks.items()]


def view(h, eid, passcode):
    page = h.get(base(eid) + "/ballot").text
    return post(h, base(eid) + "/ballot", [("csrf", csrf_of(page)), ("passcode", passcode)])


def view_blocks(page):
    """A view page's elections: {election id: [question ids shown] or the
    text saying why not}."""
    out = {}
    for eid, body in re.findall(r'<section class="stored-election" data-id="([^"]*)">(.*?)'
                                r'(?=<section class="stored-election"|</section>\n</section>)',
                                page, re.S):
        why = re.search(r'<p class="notice not-shown">([^<]*)</p>', body)
        out[html.unescape(eid)] = (html.unescape(why.group(1)) if why else
                                   re.findall(r'<section class="question" data-qid="([^"]+)"',
                                              body))
    return out


# The ballots cast below (Yes/No questions; plurality). Expected counts follow.
VOTES = {
    "carol": {STU: {"q1": "yes", "q2": "yes"}, PROF: {"q1": "no", "q3": "yes"}},
    "alice": {STU: {"q1": "yes", "q2": "no"}},
    "ivan": {STU: {"q1": "no", "q2": "yes"}, PROF: {"q1": "no", "q3": "no"}},
    "bob": {PROF: {"q1": "no", "q3": "yes"}},
    "dave": {PROF: {"q1": "no", "q3": "no"}},
    "judy": {STU: {"q1": "yes", "q2": "yes"}, PROF: {"q1": "yes", "q3": "yes"}},
}


def expected(eid, q):
    n = {"yes": 0, "no": 0}
    for v in VOTES.values():
        for child, picks in v.items():
            if (eid == P or child == eid) and q in picks:
                n[picks[q]] += 1
    return n


# ---------------------------------------------------------------------------
t.section("the parent before anyone votes")
anon = Http(PORT)
r = anon.get(base(P))
t.equal("the parent's page is public: 200", r.status, 200, r)
s_at, p_at = r.text.find('href="/urna/elections/%s"' % STU), r.text.find(
    'href="/urna/elections/%s"' % PROF)
t.check("its children are listed, Students before Professors (natural order)",
        0 < s_at < p_at, (s_at, p_at))
r = anon.get(base(P) + "/vote")
t.check("the booth needs a login (redirect or 401/403)", r.status in (302, 303, 401, 403), r)

t.section("carol: one login, both children in order")
carol = sign_in("carol")
session = carol.cookies.get("urna_session")
t.check("carol is signed in through the demo login", bool(session))
r = carol.get(base(P))
t.equal("the parent page names both of carol's children, in order", you_children(r.text),
        ["Students", "Professors"])
t.check("the parent page links its booth: Vote",
        'class="button vote" href="/urna/elections/%s/vote">Vote</a>' % P in r.text, r.text[:3000])
r = carol.get(base(P) + "/vote")
t.equal("the parent's booth: 200", r.status, 200, r)
t.equal("it lists carol's children in natural order, neither voted",
        steps(r.text), [(base(STU) + "/vote", "Students", "todo"),
                        (base(PROF) + "/vote", "Professors", "todo")])
t.check("the parent's booth has no ballot form", 'class="booth-form"' not in r.text)
page = r.text
action, form, carol_pc = start_form(page)
t.check("it starts with ONE passcode for the process: generated, signed for the parent, "
        "a required 'written down' box and the copy button",
        len(carol_pc.replace("-", "")) >= 16 and dict(form).get("passcode_sig")
        and re.search(r'name="passcode_saved" id="passcode_saved" value="yes" required>', page)
        and 'data-copy-target="passcode"' in page, page[-3000:])
t.equal("... and its Continue button posts to the first child", action, base(STU) + "/vote")
t.check("... by name", "Continue: vote in <bdi>Students</bdi>" in page)
_, unsaved, _ = start_form(page, saved=False)
r = post(carol, action, unsaved)
t.check("starting without ticking the box is refused (400), the passcode kept",
        r.status == 400 and "I have written this passcode down" in r.text
        and passcode_of(r.text) == carol_pc and 'class="booth-form"' not in r.text, r)
r = post(carol, action, form)
t.equal("starting opens the Students booth: 200, Students' questions only (q1, q2)",
        (r.status, booth_questions(r.text)), (200, ["q1", "q2"]))
t.check("it says it is part of the process",
        'part of <bdi><a href="%s/vote">Electoral Process</a></bdi>' % base(P) in r.text)
t.check("the passcode goes with the form in hidden fields only, not to type again",
        '<input type="hidden" name="passcode" value="%s">' % html.escape(carol_pc) in r.text
        and 'name="passcode" id="passcode"' not in r.text
        and '<input type="hidden" name="carry" value="process">' in r.text, r.text[-3000:])
action, stu_form = carried_form(r.text, VOTES["carol"][STU])
r = post(carol, action, stu_form)
t.equal("carol's Students ballot is stored; the answer is the Professors booth (q1, q3)",
        (r.status, booth_questions(r.text)), (200, ["q1", "q3"]))
t.check("... which says Students is stored and carries the same passcode",
        "Your ballot in Students is stored." in r.text and
        '<input type="hidden" name="passcode" value="%s">' % html.escape(carol_pc) in r.text, r)
prof_page = r.text
before = (ballots(STU), voted_in("carol"))
r = post(carol, action, stu_form)
t.check("sending the Students page again (F5) changes nothing: the Professors booth again",
        r.status == 200 and booth_questions(r.text) == ["q1", "q3"]
        and "had already been stored" in r.text, r)
t.equal("... the Students ballot count and carol's voted marks unchanged",
        (ballots(STU), voted_in("carol")), before)
action, prof_form = carried_form(prof_page, VOTES["carol"][PROF])
r = post(carol, action, prof_form)
t.check("carol's Professors ballot, the last: 303 to the process's voted page",
        cast_ok(r, P) and carol_pc not in r.header("Location", ""), r)
r = carol.get(r.header("Location") or "/")
t.check("the GET page says she voted in all of her elections, shows no passcode",
        r.status == 200 and "all of your elections" in r.text and carol_pc not in r.text
        and r.text.count('class="badge ok">voted') == 2, r)
t.check("... links 'View my ballots' on the parent",
        'href="%s/ballot">View my ballots' % base(P) in r.text, r)
t.equal("the one passcode opens each child's ballot",
        [view(carol, c, carol_pc).status for c in (STU, PROF)], [200, 200])
r = carol.get(base(P) + "/ballot")
t.check("the parent's 'view my ballot' asks for the one passcode",
        r.status == 200 and 'name="passcode"' in r.text and "every election of this process"
        in r.text, r)
r = view(carol, P, carol_pc)
t.equal("... and shows each child's ballot", (r.status, view_blocks(r.text)),
        (200, {STU: ["q1", "q2"], PROF: ["q1", "q3"]}))
t.check("... with the choices", r.text.count('data-aid="yes" data-rank="1"') == 3
        and r.text.count('data-aid="no" data-rank="1"') == 1, r.text[-3000:])
r = carol.get(base(P) + "/vote")
t.equal("the parent's booth: both voted", [s[2] for s in steps(r.text)], ["voted", "voted"])
t.check("... no Continue, all done", next_href(r.text) is None and "voted in all" in r.text)
r = carol.get(base(P))
t.equal("the parent page marks both children voted", badges(r.text).count("voted"), 2, r.text)
t.check("... and its Vote button now reads Change my votes", ">Change my votes</a>" in r.text)
t.equal("carol signed in once: the same session cookie throughout",
        carol.cookies.get("urna_session"), session)
t.equal("carol's voted marks: one per child, none for the parent", voted_in("carol"),
        [PROF, STU])

t.section("in Spanish (Accept-Language: es)")
erin = sign_in("erin", spanish=True)
r = erin.get(base(P) + "/vote")
page = r.text
t.check("erin's parent booth: 200, lang=\"es\"", r.status == 200 and lang_of(page) == "es", r)
t.equal("... its steps, the one passcode and the start in Spanish", missing(page, [
    "<title>Votar · Electoral Process · urna</title>",
    "Votas en estas elecciones una tras otra, en este orden.",
    '<span class="badge">aún sin votar</span>', "<legend>Tu clave para este proceso</legend>",
    "Tus papeletas de todas estas elecciones usan una sola clave",
    "<strong>Apunta esta clave (o escribe una tuya de al menos", "antes de empezar.</strong>",
    "He apuntado esta clave</label>", ">Copiar</button>", 'data-text-copied="Copiada."',
    "Continuar: votar en <bdi>Students</bdi>"]), [])
t.equal("... no English sentence left", left(page, EN_PARENT), [])
action, form, erin_pc = start_form(page)
_, unsaved, _ = start_form(page, saved=False)
r = post(erin, action, unsaved)
t.check("a start without the box ticked: 400, the reason in Spanish",
        r.status == 400 and lang_of(r.text) == "es"
        and "Tu papeleta no se ha guardado." in r.text
        and "marca «He apuntado esta clave»" in r.text and not left(r.text, EN_PARENT), r)
r = post(erin, action, form)
t.check("the start opens the Students booth (200) in Spanish",
        r.status == 200 and booth_questions(r.text) == ["q1", "q2"]
        and lang_of(r.text) == "es", r)
t.equal("... part of the process, the passcode carried, said in Spanish", missing(r.text, [
    'parte de <bdi><a href="%s/vote">Electoral Process</a></bdi>' % base(P),
    "Esta papeleta lleva la clave que apuntaste al empezar a votar en "
    "<bdi>Electoral Process</bdi>.", ">Emitir mi voto</button>"]), [])
t.equal("... no English sentence left", left(r.text, EN_PARENT), [])
before = (ballots(STU), voted_in("erin"))
action, empty = carried_form(r.text, {})
r = post(erin, action, empty)
t.check("an empty carried ballot: 400, the passcode still carried, the reason in Spanish",
        r.status == 400 and "No has elegido ninguna respuesta" in r.text
        and '<input type="hidden" name="carry" value="process">' in r.text
        and not left(r.text, EN_PARENT), r)
t.equal("... nothing stored for erin", (ballots(STU), voted_in("erin")), before)
carol_es = sign_in("carol", spanish=True)
r = carol_es.get(base(P) + "/voted")
t.equal("carol's process voted page in Spanish", missing(r.text, [
    "<h1>Tus papeletas</h1>", "Has votado en todas tus elecciones de <bdi>Electoral Process</bdi>.",
    "tu clave las abre todas", '<span class="badge ok">has votado</span>',
    ">Ver mis papeletas</a>", ">Volver al proceso</a>", 'aria-label="Tus papeletas"']), [])
t.equal("... no English left", left(r.text, EN_PARENT), [])
r = carol_es.get(base(P) + "/vote")
t.check("the parent's booth, all done, in Spanish",
        "Has votado en todas tus elecciones de este proceso." in r.text
        and ">Ver mis papeletas</a> (una sola clave abre" in r.text
        and not left(r.text, EN_PARENT), r)
page = carol_es.get(base(P) + "/ballot").text
t.check("the parent's view asks for the one passcode in Spanish",
        "Una sola clave abre tus papeletas de todas las elecciones de este proceso" in page
        and "<h1>Tus papeletas</h1>" in page, page[-3000:])
r = view(carol_es, P, carol_pc)
t.check("... and shows both children's ballots (200, lang=\"es\")",
        r.status == 200 and lang_of(r.text) == "es"
        and view_blocks(r.text) == {STU: ["q1", "q2"], PROF: ["q1", "q3"]}
        and r.text.count(">Cambiar mi papeleta</button>") == 2 and not left(r.text, EN_PARENT),
        r)

t.section("the parent itself takes no ballot")
page = carol.get(base(P) + "/vote").text
r = post(carol, base(P) + "/vote", [("csrf", csrf_of(carol.get(base(STU) + "/vote").text)),
                                    ("pick/q1", "yes"), ("passcode", "a-long-enough-passcode")])
t.equal("a ballot posted to the parent is refused (400)", r.status, 400, r)
t.equal("the parent's ballot page only asks for a passcode (200)",
        carol.get(base(P) + "/ballot").status, 200)
t.equal("no ballot row is stored for the parent", ballots(P), 0)

t.section("alice: Students only")
alice = sign_in("alice")
r = alice.get(base(P))
t.equal("the parent page names only Students for alice", you_children(r.text), ["Students"])
t.equal("... and marks only Students eligible in the list of children",
        ["eligible" in (child_badges(r.text, c) or "") for c in (STU, PROF)], [True, False],
        r.text[-3000:])
r = alice.get(base(P) + "/vote")
t.equal("alice's parent booth lists Students only", steps(r.text),
        [(base(STU) + "/vote", "Students", "todo")])
t.check("no link to Professors' booth anywhere on it", base(PROF) + "/vote" not in r.text)
r = alice.get(base(PROF) + "/vote")
t.check("Professors' booth is refused to alice (403)",
        r.status == 403 and "not on the voter list" in r.text, r)
page = alice.get(base(STU) + "/vote").text
r = post(alice, base(PROF) + "/vote", [("csrf", csrf_of(page)), ("pick/q1", "yes"),
                                       ("pick/q3", "yes"), ("passcode", passcode_of(page))])
t.equal("a ballot posted to Professors by alice is refused (403)", r.status, 403, r)
t.equal("... and nothing is stored", voted_in("alice"), [])
t.check("Professors' page says alice is not eligible",
        "not-eligible" in badges(alice.get(base(PROF)).text))
r = vote_child(alice, STU, VOTES["alice"][STU])
t.check("alice votes in Students from its own booth (303)", cast_ok(r, STU), r)
r = alice.get(r.header("Location") or "/")
t.check("... nothing is next", r.status == 200 and next_href(r.text) is None
        and "all of your elections" in r.text, r)

t.section("heidi: not on the parent's list")
heidi = sign_in("heidi")
r = heidi.get(base(P))
t.check("the parent page says Not eligible", "not-eligible" in badges(r.text), r.text[:3000])
t.check("... with the exception link",
        'class="button secondary exception" href="%s/exception"' % base(P) in r.text)
page = heidi.get(base(P) + "/exception").text
t.check("the exception page offers her the form", 'class="exception-form"' in page, page[:3000])
r = heidi.post(base(P) + "/exception", {"csrf": csrf_of(page), "name": "Heidi H",
                                        "contact": "heidi@example.org",
                                        "reason": "Staff number 4711, missing from the list."})
t.equal("she sends a request (303)", r.status, 303, r)
r = heidi.get(base(P) + "/vote")
t.check("the parent's booth refuses her (403)",
        r.status == 403 and "not on the voter list" in r.text, r)
t.equal("so does a child's booth (403)", heidi.get(base(STU) + "/vote").status, 403)

t.section("ivan: resuming later")
ivan = sign_in("ivan")
r = ivan.get(base(P) + "/vote")
t.equal("the parent's booth starts with Students", start_form(r.text)[0], base(STU) + "/vote")
r = vote_child(ivan, STU, VOTES["ivan"][STU])
ivan_pc = r.passcode
t.check("ivan votes in Students from its own booth (303)", cast_ok(r, STU), r)
r = ivan.get(r.header("Location") or "/")
t.equal("... is offered Professors through the process's booth, and leaves",
        (r.status, next_href(r.text)), (200, base(P) + "/vote"))
ivan = sign_in("ivan")  # later: a new session
r = ivan.get(base(P) + "/vote")
t.equal("back later, the parent's booth shows Students voted, Professors to do",
        [s[2] for s in steps(r.text)], ["voted", "todo"])
t.check("... asks for the passcode he used (no new one)",
        'type="password" name="passcode"' in r.text and not passcode_of(r.text), r.text[-3000:])
action, form, _ = start_form(r.text, passcode=ivan_pc)
t.equal("... and continues with Professors", action, base(PROF) + "/vote")
_, wrong, _ = start_form(r.text, passcode="NOT-IVANS-PASSCODE-123")
r = post(ivan, action, wrong)
t.check("a passcode that opens none of his ballots is refused (403), nothing opened",
        r.status == 403 and "does not open any of your ballots" in r.text
        and 'class="booth-form"' not in r.text, r)
ivan_es = sign_in("ivan", spanish=True)
page = ivan_es.get(base(P) + "/vote").text
t.check("in Spanish, the resume asks for the passcode he used",
        "Ya has votado en algunas de estas elecciones. Escribe la clave que usaste en ellas"
        in page and ">Tu clave</label>" in page and not left(page, EN_PARENT), page[-3000:])
_, wrong, _ = start_form(page, passcode="NOT-IVANS-PASSCODE-123")
r = post(ivan_es, action, wrong)
t.check("... and refuses a wrong one (403) in Spanish",
        r.status == 403 and "Esa clave no abre ninguna de tus papeletas de este proceso." in r.text
        and not left(r.text, EN_PARENT), r)
r = ivan.get(base(P))
t.check("the parent page shows Students voted only", badges(r.text).count("voted") == 1)
t.check("... and its Vote button reads Continue voting",
        'class="button vote" href="%s/vote">Continue voting</a>' % base(P) in r.text)
r = post(ivan, action, form)
t.equal("his passcode opens the Professors booth, carried", (r.status, booth_questions(r.text)),
        (200, ["q1", "q3"]))
action, form = carried_form(r.text, VOTES["ivan"][PROF])
r = post(ivan, action, form)
t.check("ivan finishes with Professors (303)", cast_ok(r, P), r)
r = ivan.get(r.header("Location"))
t.check("... all done", r.status == 200 and "all of your elections" in r.text, r)
t.equal("... and one passcode opens both of his ballots",
        [view(ivan, c, ivan_pc).status for c in (STU, PROF)], [200, 200])

for login in ("bob", "dave"):
    h = sign_in(login)
    r = vote_child(h, PROF, VOTES[login][PROF])
    t.check("%s votes in Professors" % login, cast_ok(r, PROF), r)

# ---------------------------------------------------------------------------
t.section("judy in a real browser: one login, both children by clicking")
browser_ok = False
drv = None
try:
    from webdriver import ChromeDriver, chromium_binary  # noqa: E402
    have_browser = bool(chromium_binary()) and bool(shutil.which("chromedriver"))
except ImportError:
    have_browser = False


def browser_votes():
    """judy signs in once and votes in both children by clicking."""
    os.makedirs(ARTIFACTS, exist_ok=True)
    global drv
    drv = t.watch(ChromeDriver())
    drv.start()
    B = ngx.url
    b = drv.session(javascript=True)
    b.get(B + "/urna/login?next=" + base(P))
    buttons = [e for e in b.find_all('form.demo-voters button[name="login"]')
               if e.attribute("value") == "judy"]
    if buttons:
        b.click_and_wait(buttons[0])
    else:
        b.get(B + "/urna/health")
        b.add_cookie("urna_session", forge_session("judy"), path="/urna/")
        b.get(B + base(P))
    t.check("judy lands on the parent's page", b.url.endswith(base(P)), b.url)
    cookie = [c["value"] for c in b.cookies() if c["name"] == "urna_session"]
    b.click_and_wait(b.find("a.button.vote"))
    t.check("Vote opens the parent's booth", b.url.endswith(base(P) + "/vote"), b.url)
    t.equal("the booth lists Students, then Professors (natural order, not her voters.yaml order)",
            [li.find("a").text for li in b.find_all("ol.steps li.step")],
            ["Students", "Professors"])
    b.screenshot(os.path.join(ARTIFACTS, "parent-booth.png"))
    b.find("input#passcode_saved").click()
    b.click_and_wait(b.find("form.start-form button.next"))
    t.check("Continue (the box ticked) opens the Students booth",
            b.url.endswith(base(STU) + "/vote") and
            b.exists('fieldset.question[data-qid="q2"]'), b.url)
    b.screenshot(os.path.join(ARTIFACTS, "parent-child-booth.png"))
    for q, a in VOTES["judy"][STU].items():
        b.find('li.choice[data-aid="%s"] input[name="pick/%s"]' % (a, q)).click()
    b.click_and_wait(b.find("button.cast"))
    t.check("judy's Students ballot is stored; the Professors booth follows",
            "Your ballot in Students is stored." in b.source and
            b.exists('fieldset.question[data-qid="q3"]'), b.source[:1500])
    for q, a in VOTES["judy"][PROF].items():
        b.find('li.choice[data-aid="%s"] input[name="pick/%s"]' % (a, q)).click()
    b.click_and_wait(b.find("button.cast"))
    t.check("judy's Professors ballot is cast; all done (a GET page)",
            b.url.endswith(base(P) + "/voted") and "all of your elections" in b.source,
            b.source[:1500])
    b.get(B + base(P))
    t.equal("the parent page shows Voted on both children",
            len(b.find_all('[data-badge="voted"]')), 2)
    t.equal("judy signed in once: the same session cookie throughout",
            [c["value"] for c in b.cookies() if c["name"] == "urna_session"], cookie)
    b.quit()


if have_browser:
    try:
        browser_votes()
        browser_ok = True
    except Exception:  # report it, then finish judy's votes over HTTP
        import traceback
        t.check("the browser part runs to the end", False, traceback.format_exc())
if not browser_ok:
    if not have_browser:
        print("# SKIPPED: no chromium/chromedriver; judy votes over HTTP instead")
    judy = sign_in("judy")
    for child in (STU, PROF):
        if child not in voted_in("judy"):
            r = vote_child(judy, child, VOTES["judy"][child])
            t.check("judy votes in %s (HTTP)" % child, cast_ok(r, child), r)
t.equal("judy's voted marks: both children", voted_in("judy"), [PROF, STU])

# ---------------------------------------------------------------------------
t.section("the officer's page: turnout per child")
olga = sign_in("olga")
r = olga.get(base(P) + "/admin")
t.equal("olga's admin page of the parent: 200", r.status, 200, r)
rows = {html.unescape(eid): (int(el), int(vo)) for eid, el, vo in re.findall(
    r'<tr class="turnout-row" data-id="([^"]*)">.*?<td class="eligible">(\d+)</td>'
    r'<td class="voted">(\d+)</td>', r.text)}
t.equal("turnout per child: Students 4 of 5, Professors 5 of 5", rows,
        {STU: (5, 4), PROF: (5, 5)})
lists = {html.unescape(eid): sorted(re.findall(r'<li class="login">([^<]*)</li>', body))
         for eid, body in re.findall(r'<div class="voted-list" data-id="([^"]*)">(.*?)</div>',
                                     r.text, re.S)}
t.equal("who voted in which child", lists,
        {STU: ["alice", "carol", "ivan", "judy"], PROF: ["bob", "carol", "dave", "ivan", "judy"]})
t.check("heidi's exception request is on the parent's admin page",
        '<span class="login">heidi</span>' in r.text and "Staff number 4711" in r.text)
t.equal("a voter gets 403 on the parent's admin page", carol.get(base(P) + "/admin").status, 403)
t.equal("no results while running (404)", anon.get(base(P) + "/results").status, 404)

t.section("a parent without pipes: voting")
DVOTES = {"carol": {"students": {"q1": "yes", "q2": "no"}, "professors": {"q1": "no", "q3": "no"}},
          "alice": {"students": {"q1": "yes", "q2": "yes"}},
          "bob": {"professors": {"q1": "yes", "q3": "yes"}}}
r = anon.get(base(D))
d_questions = re.findall(r'<tr class="question" data-id="([^"]+)"', r.text)
t.equal("its page lists every question of its children, each id once", d_questions,
        ["q1", "q2", "q3"])
d_passcodes = {}
for login, children in DVOTES.items():
    h = sign_in(login)
    for child, picks in children.items():
        r = vote_child(h, D + "/" + child, picks)
        d_passcodes[(login, child)] = r.passcode
        t.check("%s votes in %s/%s" % (login, D, child), cast_ok(r, D + "/" + child), r)
r = view(carol, D, d_passcodes[("carol", "students")])
blocks = view_blocks(r.text)
t.check("carol's two passcodes: the parent's view with one shows that child, and says the "
        "other was cast with another passcode",
        r.status == 200 and blocks.get(D + "/students") == ["q1", "q2"] and
        "another passcode" in str(blocks.get(D + "/professors")), blocks)
lengths = {len(view(carol, D, d_passcodes[("carol", c)]).body) for c in ("students", "professors")}
t.equal("... a view page's length does not depend on which ballot it shows", len(lengths), 1,
        lengths)
carol_es = sign_in("carol", spanish=True)
pages = [view(carol_es, D, d_passcodes[("carol", c)]) for c in ("students", "professors")]
t.check("... nor in Spanish (the bound is taken in the page's language)",
        all(p.status == 200 and lang_of(p.text) == "es" for p in pages)
        and len({len(p.body) for p in pages}) == 1
        and "Esta clave no abre tu papeleta aquí" in pages[0].text,
        [len(p.body) for p in pages])

# ---------------------------------------------------------------------------
t.section("closing and counting")
set_dates(parent_yaml, "start_datetime: 2020-01-01 00:00:00\nend_datetime: 2020-06-01 00:00:00\n")
set_dates(d_yaml, "start_datetime: 2020-01-01 00:00:00\nend_datetime: 2020-06-01 00:00:00\n")
git(work, "add", "-A")
git(work, "commit", "-q", "-m", "close the university")
git(work, "push", "-q", "origin", "main")
rc, out = app.sync(check=False)
t.equal("urna-sync takes the closing commit", rc, 0, out[-2000:])
deadline = time.monotonic() + 10  # the web notices the new snapshot
while carol.get(base(STU) + "/vote").status != 403 and time.monotonic() < deadline:
    time.sleep(0.25)
r = carol.get(base(STU) + "/vote")
t.check("the children's booths are closed now (403)", r.status == 403 and "closed" in r.text, r)
t.equal("so is the parent's (403)", carol.get(base(P) + "/vote").status, 403)


def tally():
    r = subprocess.run([TALLY, "--config", app.config_path], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=300)
    return r.returncode, r.stdout


rc, out = tally()
t.equal("urna-tally exits 0", rc, 0, out)
t.check("it tallies the children and the parent",
        "%s: tallied 4 ballots" % STU in out and "%s: tallied 5 ballots" % PROF in out and
        "%s: tallied 9 ballots" % P in out, out)
t.check("... and the parent without pipes", "%s: tallied 4 ballots" % D in out, out)


def results(h, eid):
    return h.get(base(eid) + "/results")


def counts(page):
    """{question id: ({answer id: votes}, cast, winners)} of a results page."""
    out = {}
    for qid, body in re.findall(
            r'<section class="question-result" data-id="([^"]*)"(.*?)</section>', page, re.S):
        votes = {aid: int(v) for aid, v in re.findall(
            r'<tr class="rank" data-id="([^"]*)">.*?<span class="score">(\d+)</span>', body)}
        cast = re.search(r'<dd class="q-cast">(\d+)</dd>', body)
        win = re.search(r'class="winner-names">([^<]*)<', body)
        out[qid] = (votes, int(cast.group(1)) if cast else None,
                    win and html.unescape(win.group(1)))
    return out


t.section("the consolidated result")
r = results(anon, P)
t.equal("the parent's results are public: 200", r.status, 200, r)
whole = counts(r.text)
t.equal("it shows q1, q2 and q3", sorted(whole), ["q1", "q2", "q3"], r.text[-3000:])
t.equal("q1 counts the ballots of both children: Yes 4, No 5", whole.get("q1", ({},))[0],
        expected(P, "q1"))
t.equal("... 9 ballots, No wins", whole.get("q1", (0, 0, 0))[1:], (9, "No"))
t.equal("q2 is copied from Students: Yes 3, No 1, 4 ballots",
        whole.get("q2", (0, 0))[:2], (expected(STU, "q2"), 4))
t.equal("q3 is copied from Professors: Yes 3, No 2, 5 ballots",
        whole.get("q3", (0, 0))[:2], (expected(PROF, "q3"), 5))
t.check("the chooser links each child's result",
        'class="chooser"' in r.text and 'href="%s/results"' % base(STU) in r.text and
        'href="%s/results"' % base(PROF) in r.text, r.text[:3000])
t.check("... and marks the consolidated one current",
        '<strong class="current">Consolidated</strong>' in r.text)
t.check("Yes/No questions read as decided: 'Outcome:', 'carried', no seat count",
        "<strong>Outcome:</strong>" in r.text and '<span class="badge ok">carried</span>' in r.text
        and "seat(s)" not in r.text, r.text[:3000])
m = re.search(r'<dd class="voters">(\d+)</dd>', r.text)
t.check("turnout names the people on the list apart from the ballots they may cast",
        m is not None and '(one per voter and child)' in r.text, r.text[:3000])

t.section("each child's own result")
stu = counts(results(anon, STU).text)
prof = counts(results(anon, PROF).text)
t.equal("Students: q1 Yes 3, No 1 (its own 4 ballots); q2; no q3",
        (stu.get("q1", ({},))[0], stu.get("q1", (0, 0))[1], sorted(stu)),
        (expected(STU, "q1"), 4, ["q1", "q2"]))
t.equal("Students' q1 winner is Yes (the consolidated one is No)", stu.get("q1", (0, 0, 0))[2],
        "Yes")
t.equal("Professors: q1 Yes 1, No 4 (its own 5 ballots); q3; no q2",
        (prof.get("q1", ({},))[0], prof.get("q1", (0, 0))[1], sorted(prof)),
        (expected(PROF, "q1"), 5, ["q1", "q3"]))
r = results(anon, STU)
t.check("a child's chooser links back to the consolidated result and the other child",
        'href="%s/results"' % base(P) in r.text and 'href="%s/results"' % base(PROF) in r.text)

t.section("no ballot counted twice")
try:
    per_child = {a: stu["q1"][0][a] + prof["q1"][0][a] for a in ("yes", "no")}
    t.equal("Students' q1 + Professors' q1 == consolidated q1, per answer", per_child,
            whole["q1"][0])
    t.equal("... and in ballots", stu["q1"][1] + prof["q1"][1], whole["q1"][1])
except (KeyError, TypeError) as e:
    t.check("per-child q1 counts are readable", False, repr(e))
t.equal("ballot rows: 4 in Students, 5 in Professors, none in the parent",
        (ballots(STU), ballots(PROF), ballots(P)), (4, 5, 0))
t.equal("voted marks: 4 + 5, none for the parent",
        sql("SELECT election_id, COUNT(*) FROM voters_voted WHERE election_id LIKE '%s%%' "
            "GROUP BY election_id ORDER BY election_id" % P).splitlines(),
        [PROF + "\t5", STU + "\t4"])

t.section("urna-tally again")
snapshot = "SELECT election_id, tallied_at, ballot_count, MD5(body) FROM results ORDER BY 1"
before = sql(snapshot)
time.sleep(1.1)
rc, out = tally()
t.equal("a second urna-tally exits 0", rc, 0, out)
t.check("it finds every result up to date",
        all("%s: results up to date" % e in out for e in (P, STU, PROF, D)) and
        "0 tallied" in out,
        out)
t.equal("the stored results are unchanged", sql(snapshot), before)
t.equal("the consolidated page is unchanged", counts(results(anon, P).text), whole)

t.section("a parent without pipes: the default consolidation")
r = results(anon, D)
t.equal("its results: 200", r.status, 200, r)
dres = counts(r.text)
t.equal("every question of its children, each id once, as its page lists them",
        re.findall(r'<section class="question-result" data-id="([^"]*)"', r.text), d_questions)
t.equal("q1 adds up both children: Yes 3, No 1", dres.get("q1", ({},))[0], {"yes": 3, "no": 1})
t.equal("q2 from Students alone: Yes 1, No 1", dres.get("q2", ({},))[0], {"yes": 1, "no": 1})
t.equal("q3 from Professors alone: Yes 1, No 1", dres.get("q3", ({},))[0], {"yes": 1, "no": 1})

if browser_ok:
    b = drv.session(javascript=True)
    b.get(ngx.url + base(P) + "/results")
    b.screenshot(os.path.join(ARTIFACTS, "parent-results.png"))
    b.quit()
    for name in ("parent-booth.png", "parent-child-booth.png", "parent-results.png"):
        path = os.path.join(ARTIFACTS, name)
        t.check("screenshot %s saved" % name,
                os.path.exists(path) and os.path.getsize(path) > 1000, path)

t.done()
