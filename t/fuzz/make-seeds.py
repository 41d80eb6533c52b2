#!/usr/bin/env python3
"""Writes the seed corpora t/fuzz/<harness>/ from real examples of the tree
(t/data, t/unit/meta_fixtures, examples/meta, t/data/sequent). Run from the
top of the source tree after changing an input format; the seeds are
committed. t/fuzz/ballot_open/ holds plaintexts with a mode byte >= 128:
the harness seals them itself (a sealed ballot made here would need the
harness's key), opens, unpads and decodes them."""
import base64, hashlib, hmac, os, sys

top = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
fz = os.path.join(top, "t", "fuzz")


def put(harness, name, data):
    d = os.path.join(fz, harness)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def head(path, lines=40, limit=6000):
    with open(os.path.join(top, path), "rb") as f:
        out = b"".join(f.readlines()[:lines])
    return out[:limit]


# request: CGI variables, an empty line, the body.
put("request", "get-election", "REQUEST_METHOD=GET\nREQUEST_URI=/urna/elections/steering/2027?tab=candidates&x=%C3%A9\n"
    "QUERY_STRING=tab=candidates&x=%C3%A9\nHTTP_COOKIE=urna_session=djF8YW5u.bWFj; other=\"q\"\nHTTP_HOST=vote.example.org\n"
    "HTTPS=on\n\n")
put("request", "post-vote", "REQUEST_METHOD=POST\nREQUEST_URI=/urna/elections/steering/2027/vote\n"
    "CONTENT_TYPE=application/x-www-form-urlencoded; charset=UTF-8\nCONTENT_LENGTH=61\n"
    "HTTP_ORIGIN=https://vote.example.org\nREMOTE_ADDR=192.0.2.1\n\n"
    "csrf=abc&rank%2Fmain%2Fann=1&rank/main/ben=2&passcode=a+b+c")
put("request", "no-uri", "REQUEST_METHOD=GET\nSCRIPT_NAME=/urna\nPATH_INFO=/login\nQUERY_STRING=next=%2Furna%2F\n\n")
put("request", "small-limits", "X_SMALL=1\nX_PREFIX=\nREQUEST_METHOD=POST\nREQUEST_URI=/a/b\n"
    "CONTENT_TYPE=application/x-www-form-urlencoded\n\na=1&b=2&c=3&d=4")
put("request", "webhook", "REQUEST_METHOD=POST\nREQUEST_URI=/urna/webhook\nCONTENT_TYPE=application/json\n"
    "HTTP_X_HUB_SIGNATURE_256=sha256=00\nHTTP_X_GITHUB_EVENT=push\n\n{\"ref\":\"refs/heads/main\"}")

# session: mode byte (even: Cookie header, odd: payload signed with the
# harness's key), the value, "\n", a submitted CSRF token.
key = b"fuzz-session-key-0123456789abcdefghijklmnopqrstuvwxyz"
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
payload = b"v1|ann|1800003600|0123456789abcdef0123456789abcdef"
cookie = b64(payload) + "." + b64(hmac.new(key, b"session|" + payload, hashlib.sha256).digest())
csrf = b64(hmac.new(key, b"csrf|ann|0123456789abcdef0123456789abcdef", hashlib.sha256).digest())
put("session", "valid-cookie", "\x00urna_session=" + cookie + "; theme=dark\n" + csrf)
put("session", "valid-cookie-bad-token", "\x00urna_session=" + cookie + "\nAAAA")
put("session", "expired", "\x01v1|ann|1700000000|0123456789abcdef0123456789abcdef\n")
put("session", "payload", "\x01" + payload.decode() + "\n" + csrf)
put("session", "tampered", "\x00urna_session=" + cookie[:-2] + "xx\n")

# ballot_form: rules byte, urlencoded body.
put("ballot_form", "ranked", "\x01csrf=x&rank%2Fmain%2Fann=1&rank%2Fmain%2Fben=2&rank%2Fmain%2Fcid=&pick%2Fyn=yes")
put("ballot_form", "all-ranked", "\x00rank/main/ann=2&rank/main/ben=1&rank/main/cid=3&rank/main/d.e_f-1=4"
    "&pick/yn=no&pick/board=a1&pick/board=a3")
put("ballot_form", "approval", "\x03pick/board=a1&pick/board=a2&pick/board=a5")
put("ballot_form", "stored", "\x01ann=1&ben=2&d.e_f-1=2")
put("ballot_form", "unknown", "\x01rank/other/ann=1&pick/yn=maybe")

# ballot_plaintext: plaintexts and padded plaintexts.
plain = b"urna-ballot-v1\nmain\nann=1&ben=2\nyn\nyes=1\nboard\n\n"
put("ballot_plaintext", "plain", plain)
put("ballot_plaintext", "padded", len(plain).to_bytes(4, "big") + plain + b"\0" * 20)
put("ballot_plaintext", "escaped", b"urna-ballot-v1\nq-1\n%C3%A9t%C3%A9=1&x=2\n")

# ballot_open: mode >= 128 seals the rest, then opens it.
put("ballot_open", "seal-padded", b"\x80" + len(plain).to_bytes(4, "big") + plain + b"\0" * 16)
put("ballot_open", "seal-plain", b"\xff" + plain)

# ballot_files: format byte (0 elekto, 1 blt, 2 soc, 3 soi, 4 toc, 5 toi,
# 6 debian), the file.
put("ballot_files", "elekto", b"\x00alice,bob,carol\n1,2,No opinion\nNo opinion,1,2\r\n3,1,2\nNo opinion,No opinion,No opinion\n1,2,7\n")
put("ballot_files", "blt", b"\x01" + b"4 2\n-4\n3 1 2 0\n2 2=3 1 0\n1 3 - 1 0\n0\n\"Ann\"\n\"Bob\"\n\"Cy\"\n\"Dee\"\n\"Board 2026\"\n")
put("ballot_files", "soc-tennessee", b"\x02" + head("t/data/validation/tennessee-100/tennessee.soc"))
put("ballot_files", "soc-schulze", b"\x02" + head("t/data/validation/wikipedia-schulze-45/schulze45.soc"))
put("ballot_files", "soi-irish", b"\x03" + head("t/data/validation/irish-2002-stv/00001-00000001.soi", 60))
put("ballot_files", "toc", b"\x04# NUMBER ALTERNATIVES: 3\n2: {1,3},2\n")
put("ballot_files", "toi-burlington", b"\x05" + head("t/data/validation/burlington-irv/00005-00000001.toi", 60))
put("ballot_files", "debian-2002", b"\x06" + head("t/data/validation/debian/2002_tally.txt", 50))
put("ballot_files", "debian-2008", b"\x06" + head("t/data/validation/debian/2008_vote_001_tally.txt", 50))

# sequent: the JSON files as Sequent writes them.
for name in ("negative-ids.json", "university.json"):
    with open(os.path.join(top, "t", "data", "sequent", name), "rb") as f:
        put("sequent", name, f.read())

# meta: bundles ("== path" lines) of real repositories, voters cut short.
def bundle(repo, dirs, limit=14000):
    out = b""
    for d in dirs:
        base = os.path.join(top, repo, d)
        for fn in sorted(os.listdir(base)):
            p = os.path.join(base, fn)
            if not os.path.isfile(p):
                continue
            with open(p, "rb") as f:
                data = f.read()
            if fn == "voters.yaml":
                data = b"".join(data.splitlines(True)[:12])
            data = data[:3000]
            out += b"== " + os.path.join(d, fn).encode() + b"\n" + data
            if not data.endswith(b"\n"):
                out += b"\n"
    return out[:limit]


def election_dirs(repo):
    root = os.path.join(top, repo)
    for dp, dn, fns in os.walk(root):
        dn.sort()
        if "election.yaml" in fns or "election.json" in fns:
            yield os.path.relpath(dp, root)


# Every repository of the fixtures: a folder with an elections/ folder.
repos = []
for dp, dn, fns in os.walk(os.path.join(top, "t/unit/meta_fixtures")):
    dn.sort()
    if "elections" in dn:
        repos.append(os.path.relpath(dp, top))
n = 0
for repo in ["examples/meta"] + sorted(repos):
    for d in election_dirs(repo):
        if not d.startswith("elections/"):
            continue
        # An election with its children (folders below it) in one bundle.
        kids = [c for c in election_dirs(repo) if c.startswith(d + "/")]
        n += 1
        name = "%s--%s" % (repo.replace("t/unit/meta_fixtures/", "").replace("/", "_"), d.replace("/", "_"))
        put("meta", name, bundle(repo, [d] + kids))
print("meta seeds:", n, file=sys.stderr)
