#!/usr/bin/python3
"""The translations are complete and po/urna.pot is up to date.

For every language of po/LINGUAS: po/<lang>.po passes msgfmt --check, and
every msgid of po/urna.pot has a translation there that is not fuzzy (also
msgcmp's view of it). po/urna.pot is regenerated from the sources into a
temporary file (po/make-pot, as `make update-po` does) and must hold the
same messages (msgctxt, msgid, msgid_plural) as the committed one. And
po/extract_templates.py on a small template: multi-line markers, one entry
per msgid with every reference, errors with FILE:LINE.
"""

import os
import re
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import SRCDIR, Checks  # noqa: E402

t = Checks("po_test")
t.require_binaries("msgfmt", "msgcmp", "xgettext", "msgcat")

PO = os.path.join(SRCDIR, "po")


def unquote(s):
    s = s.strip()
    assert s.startswith('"') and s.endswith('"'), s
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}[m.group(1)],
                  s[1:-1])


def parse_po(path):
    """Entries of a PO file: dicts with ctx, id, plural, strs, fuzzy, refs."""
    entries, cur, field = [], None, None

    def flush():
        if cur is not None and "id" in cur:
            entries.append(cur)

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#~"):
                continue  # obsolete
            if not line.strip() or (line.startswith("#") and cur is not None and "id" in cur):
                flush()
                cur, field = None, None
                if not line.strip():
                    continue
            if cur is None:
                cur = {"strs": {}, "fuzzy": False, "refs": []}
            if line.startswith("#,"):
                cur["fuzzy"] = cur["fuzzy"] or "fuzzy" in line
                continue
            if line.startswith("#:"):
                cur["refs"] += line[2:].split()
                continue
            if line.startswith("#"):
                continue
            m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
            if m:
                kw = m.group(1)
                field = {"msgctxt": "ctx", "msgid": "id", "msgid_plural": "plural"}.get(kw)
                if field is None:
                    field = ("str", int(m.group(2) or 0))
                    cur["strs"][field[1]] = unquote(m.group(3))
                else:
                    cur[field] = unquote(m.group(3))
            elif line.startswith('"'):
                if isinstance(field, tuple):
                    cur["strs"][field[1]] += unquote(line)
                else:
                    cur[field] += unquote(line)
        flush()
    return entries


def key(e):
    return (e.get("ctx"), e["id"], e.get("plural"))


def messages(path):
    return {key(e) for e in parse_po(path) if e["id"] != ""}


langs = [l.split("#")[0].strip() for l in open(os.path.join(PO, "LINGUAS"))]
langs = [l for l in langs if l]
t.check("po/LINGUAS names at least Spanish", "es" in langs, langs)
pot = os.path.join(PO, "urna.pot")
pot_messages = messages(pot)
t.check("po/urna.pot has messages", len(pot_messages) > 50, len(pot_messages))

for lang in langs:
    path = os.path.join(PO, lang + ".po")
    t.check("po/%s.po exists" % lang, os.path.exists(path))
    if not os.path.exists(path):
        continue
    r = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull, path],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    t.check("msgfmt --check po/%s.po" % lang, r.returncode == 0, r.stdout)
    t.check("po/%s.po: no fuzzy or untranslated message (msgfmt --statistics)" % lang,
            "fuzzy" not in r.stdout and "untranslated" not in r.stdout, r.stdout)
    entries = {key(e): e for e in parse_po(path)}
    header = entries.get((None, "", None))
    t.check("po/%s.po: UTF-8 and a Plural-Forms header" % lang,
            header and "charset=UTF-8" in header["strs"].get(0, "")
            and "Plural-Forms: nplurals=" in header["strs"].get(0, ""), header)
    missing = sorted(k for k in pot_messages if k not in entries)
    fuzzy = sorted(k for k in pot_messages if k in entries and entries[k]["fuzzy"])
    empty = sorted(k for k in pot_messages if k in entries and
                   (not entries[k]["strs"] or not all(entries[k]["strs"].values())))
    t.equal("po/%s.po has every message of po/urna.pot" % lang, missing, [],
            "run make update-po, then translate")
    t.equal("po/%s.po: no fuzzy translation" % lang, fuzzy, [])
    t.equal("po/%s.po: no empty translation" % lang, empty, [])
    r = subprocess.run(["msgcmp", path, pot], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    t.check("msgcmp po/%s.po po/urna.pot (every msgid translated, none fuzzy)" % lang,
            r.returncode == 0, r.stdout)
    # The same {placeholders} as the msgid (urna drops a translation with
    # one the msgid has not; one that loses a placeholder loses a value).
    ph = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
    bad = []
    for k in pot_messages:
        e = entries.get(k)
        if not e or (k[0] or "").endswith("format"):
            continue
        want = set(ph.findall(k[1] + (k[2] or "")))
        for s in e["strs"].values():
            got = set(ph.findall(s))
            if got - want - ({"{n}"} if k[2] else set()) or (not k[2] and want - got):
                bad.append((k, s))
    t.equal("po/%s.po: translations keep the msgid's {placeholders}" % lang, bad, [])

# po/urna.pot is what po/make-pot writes from the sources now.
with tempfile.TemporaryDirectory() as d:
    fresh = os.path.join(d, "urna.pot")
    r = subprocess.run(["sh", os.path.join(PO, "make-pot"), SRCDIR, fresh],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    t.check("po/make-pot runs", r.returncode == 0 and os.path.exists(fresh), r.stdout)
    if os.path.exists(fresh):
        now = messages(fresh)
        t.equal("po/urna.pot is up to date: no message of the sources is missing from it",
                sorted(now - pot_messages), [], "run make update-po")
        t.equal("po/urna.pot is up to date: no message in it that the sources lost",
                sorted(pot_messages - now), [], "run make update-po")
        refs = [r for e in parse_po(fresh) for r in e["refs"]]
        t.check("the template messages are in the POT with their file:line",
                any(re.match(r"templates/home\.tpl:\d+$", r) for r in refs), refs[:20])
        t.check("the C++ messages are in the POT with their file:line",
                any(re.match(r"src/web/server\.cc:\d+$", r) for r in refs), refs[:20])

# The template extractor on its own.
with tempfile.TemporaryDirectory() as d:
    a, b = os.path.join(d, "a.tpl"), os.path.join(d, "b.tpl")
    open(a, "w").write('{{%AUTOESCAPE context="HTML"}}<h1>[[Hello]]</h1>\n'
                       '<p>[[Signed in as\n   <strong>{{LOGIN}}</strong>]] [[Say "hi" \\ 50%]]</p>\n')
    open(b, "w").write("x\n\n[[Hello]]\n")
    r = subprocess.run([sys.executable, os.path.join(PO, "extract_templates.py"), a, b],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    t.check("extract_templates.py runs", r.returncode == 0, r.stderr)
    out = os.path.join(d, "t.pot")
    open(out, "w").write(r.stdout)
    es = {e["id"]: e for e in parse_po(out)}
    t.equal("extract_templates.py: the msgids, whitespace normalised",
            sorted(es), ["", "Hello", 'Say "hi" \\ 50%', "Signed in as <strong>{{LOGIN}}</strong>"])
    t.equal("extract_templates.py: one entry, every reference",
            es.get("Hello", {}).get("refs"), [a + ":1", b + ":3"])
    t.equal("extract_templates.py: a marker's line is that of its [[",
            es.get("Signed in as <strong>{{LOGIN}}</strong>", {}).get("refs"), [a + ":2"])
    r = subprocess.run(["msgfmt", "--check", "-o", os.devnull, out], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    t.check("extract_templates.py writes a valid PO file", r.returncode == 0, r.stdout)
    for text, where in (("a\n[[open", ":2:"), ("]] a", ":1:"), ("[[a [[b]] c]]", ":1:")):
        open(a, "w").write(text)
        r = subprocess.run([sys.executable, os.path.join(PO, "extract_templates.py"), a],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        t.check("extract_templates.py refuses %r with its line" % text,
                r.returncode != 0 and (a + where) in r.stderr, r.stderr)

t.done()
