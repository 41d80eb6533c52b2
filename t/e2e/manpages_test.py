#!/usr/bin/python3
"""Every command-line option of every program is in its man page.

The options are taken from the programs' sources (src/bin/*.cc): every
string literal that is an option ("--config", "-q") is one the program
accepts or prints in its usage, so an option added there without its
paragraph in man/ fails here. Also: each page is valid roff for man(1)
(no warnings from `man --warnings`), and `make install`'s list holds it.
"""

import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import SRCDIR, Checks, which  # noqa: E402

t = Checks("manpages_test")

PAGES = {
    "urna.fcgi.8": ["urna_fcgi.cc"],
    "urna-sync.8": ["urna_sync.cc"],
    "urna-tally.1": ["urna_tally.cc", "tally_cron.cc"],
    "urna-import.1": ["urna_import.cc"],
}
OPTION = re.compile(r'"(--?[a-z][a-z0-9-]*)[ "\\]')


def options_of(source):
    text = open(os.path.join(SRCDIR, "src", "bin", source)).read()
    # Only string literals: comments may mention other programs' options.
    text = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("//"))
    return set(OPTION.findall(text))


def roff_has_option(page_text, option):
    # In roff a hyphen is written \- ; an option is set bold (.B/.BR/.BI or \fB).
    return option.replace("-", "\\-") in page_text


all_sources = set(f for f in os.listdir(os.path.join(SRCDIR, "src", "bin")) if f.endswith(".cc"))
t.equal("every program source in src/bin has its man page (or is listed here)",
        all_sources - set(s for v in PAGES.values() for s in v), set())

for page, sources in PAGES.items():
    path = os.path.join(SRCDIR, "man", page)
    t.check("man/%s exists" % page, os.path.exists(path))
    if not os.path.exists(path):
        continue
    text = open(path).read()
    opts = set().union(*(options_of(s) for s in sources))
    t.check("%s: options found in %s" % (page, ", ".join(sources)), "--help" in opts or "-h" in opts,
            sorted(opts))
    missing = sorted(o for o in opts if not roff_has_option(text, o))
    t.equal("%s names every option of %s" % (page, ", ".join(sources)), missing, [],
            "options in the source: %s" % sorted(opts))
    name = page.rsplit(".", 1)[0]
    section = page.rsplit(".", 1)[1]
    t.check("%s: .TH names the program and section %s" % (page, section),
            re.search(r'^\.TH %s %s ' % (re.escape(name.upper()), section), text, re.M), text[:200])

makefile = open(os.path.join(SRCDIR, "man", "local.am")).read()
for page in list(PAGES) + ["urna.conf.5"]:
    t.check("man/local.am installs %s" % page, "man/" + page in makefile)

if which("man"):
    for page in list(PAGES) + ["urna.conf.5"]:
        r = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z",
                            os.path.join(SRCDIR, "man", page)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                           env=dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="80"))
        t.check("man --warnings: %s renders without warnings" % page,
                r.returncode == 0 and r.stderr.strip() == "", r.stderr)
t.done()
