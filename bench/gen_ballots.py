#!/usr/bin/python3
"""Writes a large ballot file for the urna-tally whole-process benchmark.

    bench/gen_ballots.py FILE [--ballots 1000000] [--candidates 20] [--seed 1]

The format follows FILE's extension: .csv (Elekto: a header of ids, then
one row a ballot, `No opinion` for unranked), .blt (one line a ballot,
weight 1, candidate names and a title at the end) or .soi/.toi (PrefLib
2022, one line a ballot with count 1). Ballots are drawn as in
bench/tally_bench.cc: a fixed popularity plus personal noise, truncated
after a random number of ranks (1..C), so there is structure as in real
elections. Deterministic for a seed. Python 3 standard library only.
"""

import argparse
import os
import random


def rankings(n_ballots, n, seed):
    rng = random.Random(seed)
    gauss = rng.gauss
    cands = range(n)
    for _ in range(n_ballots):
        key = [-0.3 * i + gauss(0.0, 3.0) for i in cands]
        order = sorted(cands, key=key.__getitem__, reverse=True)
        yield order[:rng.randint(1, n)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--ballots", type=int, default=1000000)
    ap.add_argument("--candidates", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    n = a.candidates
    ext = os.path.splitext(a.file)[1].lower()
    ids = ["c%02d" % i for i in range(n)]
    with open(a.file, "w", encoding="utf-8", newline="") as f:
        out = []
        if ext == ".csv":
            out.append(",".join(ids) + "\n")
        elif ext == ".blt":
            out.append("%d 1\n" % n)
        elif ext in (".soi", ".toi"):
            out.append("# FILE NAME: %s\n# TITLE: Benchmark\n# DATA TYPE: %s\n"
                       "# NUMBER ALTERNATIVES: %d\n" % (os.path.basename(a.file), ext[1:], n))
            for i in range(n):
                out.append("# ALTERNATIVE NAME %d: Candidate %s\n" % (i + 1, ids[i]))
            out.append("# NUMBER VOTERS: %d\n# NUMBER UNIQUE ORDERS: %d\n" % (a.ballots, a.ballots))
        else:
            ap.error("unknown extension %r (.csv, .blt, .soi, .toi)" % ext)
        for order in rankings(a.ballots, n, a.seed):
            if ext == ".csv":
                cells = ["No opinion"] * n
                for r, c in enumerate(order):
                    cells[c] = str(r + 1)
                out.append(",".join(cells) + "\n")
            elif ext == ".blt":
                out.append("1 " + " ".join(str(c + 1) for c in order) + " 0\n")
            else:
                out.append("1: " + ",".join(str(c + 1) for c in order) + "\n")
            if len(out) >= 10000:
                f.write("".join(out))
                out = []
        if ext == ".blt":
            out.append("0\n")
            out.extend('"Candidate %s"\n' % i for i in ids)
            out.append('"Benchmark"\n')
        f.write("".join(out))


if __name__ == "__main__":
    main()
