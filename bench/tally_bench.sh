#!/bin/sh
# Tally benchmark (not a test): builds bench/tally_bench in BUILDDIR and runs
# it pinned to one core. Prints a Markdown table (seconds, peak RSS);
# docs/tally.md has the figures of one run.
#
#   bench/tally_bench.sh [BUILDDIR] [BALLOTS [CANDIDATES [SEATS]]]
set -e
builddir=${1:-.}
[ $# -gt 0 ] && shift
make -C "$builddir" bench/tally_bench >/dev/null
if command -v taskset >/dev/null 2>&1; then
  exec taskset -c 0 "$builddir/bench/tally_bench" "$@"
fi
exec "$builddir/bench/tally_bench" "$@"
