#!/usr/bin/python3
"""Writes the translatable texts of CTemplate files as a POT file.

    po/extract_templates.py templates/*.tpl > templates.pot

A translatable text is marked [[...]] in a template (docs/i18n.md); its
msgid is the text between the brackets with every run of white space made
one space and none at either end, exactly as src/i18n/template_text.cc
computes it at start-up. Each entry gets a "#: FILE:LINE" reference for
every place it appears (the line of its "[["). An unclosed or nested
marker stops with FILE:LINE (urna.fcgi would refuse the template too).
Python 3 standard library only.
"""

import re
import sys


def normalize(text):
    return " ".join(re.split(r"[ \t\r\n]+", text)).strip()


def markers(path, text):
    """Yields (line, msgid) for each [[...]] of text."""
    pos = 0
    while True:
        start = text.find("[[", pos)
        stray = text.find("]]", pos)
        if start < 0:
            if stray >= 0:
                raise SystemExit('%s:%d: "]]" without "[["' % (path, text.count("\n", 0, stray) + 1))
            return
        if 0 <= stray < start:
            raise SystemExit('%s:%d: "]]" without "[["' % (path, text.count("\n", 0, stray) + 1))
        end = text.find("]]", start + 2)
        line = text.count("\n", 0, start) + 1
        if end < 0:
            raise SystemExit('%s:%d: "[[" without "]]"' % (path, line))
        nested = text.find("[[", start + 2)
        if 0 <= nested < end:
            raise SystemExit('%s:%d: "[[" inside a translatable text' % (path, line))
        msgid = normalize(text[start + 2:end])
        if not msgid:
            raise SystemExit('%s:%d: empty "[[]]"' % (path, line))
        yield line, msgid
        pos = end + 2


def po_string(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")


def main(paths):
    order, refs = [], {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for line, msgid in markers(path, text):
            if msgid not in refs:
                order.append(msgid)
                refs[msgid] = []
            refs[msgid].append("%s:%d" % (path, line))
    out = sys.stdout
    out.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
              '"Content-Transfer-Encoding: 8bit\\n"\n')
    for msgid in order:
        out.write("\n")
        out.write("#: %s\n" % " ".join(refs[msgid]))
        # Templates are HTML, not printf formats: never let msgfmt guess.
        if "%" in msgid:
            out.write("#, no-c-format\n")
        out.write("msgid %s\nmsgstr \"\"\n" % po_string(msgid))


if __name__ == "__main__":
    main(sys.argv[1:])
