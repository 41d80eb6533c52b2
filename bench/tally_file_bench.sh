#!/bin/sh
# Whole-process benchmark of offline urna-tally (issue 13 §5; not a test,
# nothing is asserted): `urna-tally --method schulze FILE` on a generated
# ballot file of BALLOTS ballots x CANDIDATES candidates in each of Elekto
# CSV, BLT and PrefLib .soi, on one core (taskset -c 0), timed with GNU
# time: reading the file, counting and printing, start to exit.
#
#   bench/tally_file_bench.sh [BUILDDIR]
#
# Environment: BALLOTS (1000000), CANDIDATES (20), RUNS (runs per file, 5;
# the table shows their median and range), METHOD (schulze), OLD_TALLY
# (another build's urna-tally: timed in turn with this one, and its output
# must be the same), KEEP (a folder to keep the generated files in and
# reuse them; by default a temporary folder removed at the end).
# Needs: python3, GNU time (/usr/bin/time), a built urna-tally.
URNA_BUILDDIR=${1:-${URNA_BUILDDIR:-}}
if [ -n "$URNA_BUILDDIR" ]; then
  URNA_BUILDDIR=$(cd "$URNA_BUILDDIR" 2>/dev/null && pwd) || { echo "no such build directory: ${1:-$URNA_BUILDDIR}" >&2; exit 1; }
fi
cd "$(dirname "$0")/.." || exit 1
URNA_SRCDIR=$(pwd)
URNA_BUILDDIR=${URNA_BUILDDIR:-$URNA_SRCDIR}
export URNA_SRCDIR URNA_BUILDDIR
[ -x /usr/bin/time ] || { echo "missing: /usr/bin/time (apt-get install time)" >&2; exit 1; }
[ -x "$URNA_BUILDDIR/urna-tally" ] || { echo "build first: $URNA_BUILDDIR/urna-tally not found" >&2; exit 1; }
PY=/usr/bin/python3; [ -x $PY ] || PY=python3
exec $PY - <<'EOF'
import os, re, shutil, subprocess, sys, tempfile

src, build = os.environ["URNA_SRCDIR"], os.environ["URNA_BUILDDIR"]
n_ballots = int(os.environ.get("BALLOTS", "1000000"))
n_cand = int(os.environ.get("CANDIDATES", "20"))
runs = int(os.environ.get("RUNS", "5"))
method = os.environ.get("METHOD", "schulze")
keep = os.environ.get("KEEP")
binaries = [("urna-tally", os.path.join(build, "urna-tally"))]
if os.environ.get("OLD_TALLY"):
    binaries.append(("OLD_TALLY", os.path.abspath(os.environ["OLD_TALLY"])))
pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []

work = keep or tempfile.mkdtemp(prefix="urna-tally-bench-")
os.makedirs(work, exist_ok=True)
files = []
gens = []
for ext in ("csv", "blt", "soi"):
    path = os.path.join(work, "ballots-%d-%d.%s" % (n_ballots, n_cand, ext))
    files.append(path)
    if not os.path.exists(path):
        # Written under another name (same extension: it gives the format),
        # renamed when complete, so KEEP never holds half a file.
        tmp = os.path.join(work, ".partial-" + os.path.basename(path))
        gens.append((subprocess.Popen([sys.executable, os.path.join(src, "bench", "gen_ballots.py"),
                                       tmp, "--ballots", str(n_ballots),
                                       "--candidates", str(n_cand)]), tmp, path))
for g, tmp, path in gens:
    if g.wait():
        sys.exit("gen_ballots.py failed")
    os.rename(tmp, path)


def timed(argv):
    """(exit status, seconds, peak RSS MiB, stdout) of argv under GNU time."""
    r = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M"] + argv, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    m = re.search(r"TIME (\S+) (\d+)", r.stderr)
    if r.returncode:
        print("%s exited %d: %s" % (argv[-1], r.returncode, r.stderr[-2000:]), file=sys.stderr)
    return r.returncode, float(m.group(1)), int(m.group(2)) / 1024, r.stdout


def median(xs):
    xs = sorted(xs)
    return (xs[len(xs) // 2] + xs[(len(xs) - 1) // 2]) / 2


rows = []
for path in files:
    size = os.path.getsize(path) / 1e6
    times = {label: [] for label, _ in binaries}
    rss = {label: [] for label, _ in binaries}
    outputs = {}
    for run in range(runs):
        for label, binary in binaries:
            rc, secs, mem, out = timed(pin + [binary, "--method", method, path])
            times[label].append(secs if rc == 0 else float("nan"))
            rss[label].append(mem)
            outputs.setdefault(label, out)
            print("%-5s run %d %-10s %6.2f s  %5.0f MiB" % (path.rsplit(".", 1)[1], run + 1, label,
                                                           secs, mem), flush=True)
    same = len({outputs[l] for l, _ in binaries}) == 1
    if not same:
        print("warning: OLD_TALLY printed another result for %s" % path, file=sys.stderr)
    rows.append((path.rsplit(".", 1)[1], size, times, rss, same))

cpu = ""
try:
    with open("/proc/cpuinfo") as f:
        m = re.search(r"model name\s*:\s*(.*)", f.read())
        cpu = m.group(1) if m else ""
except OSError:
    pass
try:
    load = open("/proc/loadavg").read().split()[0]
except OSError:
    load = "?"
print("\nurna-tally --method %s FILE, %d ballots x %d candidates, whole process on one core;"
      " median (range) of %d runs; %d CPUs (%s), load average %s\n"
      % (method, n_ballots, n_cand, runs, os.cpu_count(), cpu, load))
head = "| file | size |" + "".join(" %s | peak RSS |" % label for label, _ in binaries)
print(head)
print("|---|---:|" + "---:|---:|" * len(binaries))
for ext, size, times, rss, same in rows:
    line = "| %s | %.0f MB |" % (ext, size)
    for label, _ in binaries:
        t = times[label]
        line += " %.2f s (%.2f–%.2f) | %.0f MiB |" % (median(t), min(t), max(t), median(rss[label]))
    print(line + ("" if same else " outputs differ"))
if not keep:
    shutil.rmtree(work, ignore_errors=True)
EOF
