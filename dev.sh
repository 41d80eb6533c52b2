#!/bin/sh
# The two commands of the README, for a fresh Debian 12 machine (as root):
#
#   ./dev.sh demo   install the demo's packages (DEMO_PACKAGES), build, start
#                   the demo in .demo/ (private MariaDB, urna.fcgi, nginx on
#                   127.0.0.1:8080 with the shipped snippet, the examples'
#                   dates moved relative to today) and stay in the
#                   foreground until Ctrl-C, which stops exactly what it
#                   started.
#   ./dev.sh stop   stop a demo running in .demo/ (from another terminal), by
#                   its recorded PIDs.
#   ./dev.sh test   install packages (DEMO_PACKAGES and TEST_PACKAGES) and
#                   axe-core (npm ci in t/browser), build, run `make check` (with the fuzz
#                   harnesses, 30 s each), `make check-asan`, then (as root)
#                   the Debian package test; the last line printed is
#                   "N passed, N failed" (exit 1 if any failed).
#   ./dev.sh package  build the .deb and test it as installed
#                   (t/package/package_test.py: dpkg -i, run, dpkg -P; root).
#
# Both can run again: packages already installed are not reinstalled, the
# build is incremental, a previous demo is stopped by its recorded PIDs.
# Environment: URNA_DEMO_PORT (default 8080), JOBS (make -j, default 2).
set -u

cd "$(dirname "$0")" || exit 1
ROOT=$(pwd)
JOBS=${JOBS:-2}
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3

# What the demo needs: the build (configure also requires Boost.Test), a
# private MariaDB, nginx, git, and python3 with cryptography (the demo
# seals the completed example election's ballots, t/lib/harness.py).
DEMO_PACKAGES="build-essential autoconf automake pkg-config libfcgi-dev
  libctemplate-dev libmysqlcppconn-dev libgit2-dev libjsoncpp-dev
  libboost-test-dev libyaml-cpp-dev libcmark-dev libcurl4-openssl-dev libssl-dev zlib1g-dev
  mariadb-server mariadb-client nginx git python3 python3-cryptography gettext"
# What only the tests need besides: Apache and mod_fcgid, spawn-fcgi,
# headless Chromium and its driver, curl, wrk, Galera, the Debian package
# tools, clang for the fuzzers.
TEST_PACKAGES="apache2 libapache2-mod-fcgid spawn-fcgi chromium chromium-driver
  curl wrk
  debhelper lintian fakeroot adduser systemd man-db galera-4 rsync iproute2
  clang libclang-rt-14-dev llvm"

# Node.js and npm for axe-core (t/browser/), installed from Debian only
# where no npm is on the PATH: a machine with Node.js from elsewhere (its
# nodejs package bundles npm and conflicts with Debian's npm) keeps its own,
# and one failed transaction never holds back the other packages.
NODE_PACKAGES="nodejs npm"

say() { printf '%s\n' "dev.sh: $*"; }

# install_packages LIST...: the Debian packages of the lists not yet installed.
install_packages() {
  missing=
  for p in "$@"; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
    [ "$st" = "install ok installed" ] || missing="$missing $p"
  done
  if [ -z "$missing" ]; then
    say "all Debian packages are installed"
    return 0
  fi
  say "installing:$missing"
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
      say "run as root (or install:$missing)"; return 1
    fi
  else
    SUDO=
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q || return 1
  # The packaged services (mariadb, nginx, apache2) are not needed: the demo
  # and the tests start their own private servers. policy-rc.d keeps apt from
  # starting them (and from failing where no init system runs).
  if [ -z "$SUDO" ] && [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    remove_policy=1
  fi
  $SUDO apt-get install -y -q --no-install-recommends $missing
  rc=$?
  if [ "${remove_policy:-0}" = 1 ]; then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
  return $rc
}

# autoreconf when the build system changed, configure when it is new.
configure_tree() {
  regen=0
  [ -f configure ] && [ -f Makefile.in ] || regen=1
  if [ $regen = 0 ]; then
    for f in configure.ac Makefile.am $(find src t -name local.am); do
      if [ "$f" -nt Makefile.in ] || [ "$f" -nt configure ]; then regen=1; fi
    done
  fi
  if [ $regen = 1 ]; then
    say "autoreconf -fi"
    autoreconf -fi || return 1
  fi
  if [ ! -f Makefile ] || [ ! -f config.status ] || [ configure -nt config.status ]; then
    say "./configure"
    ./configure -q || return 1
  fi
}

build() {
  configure_tree || return 1
  say "make -j$JOBS"
  make -j"$JOBS"
}

# axe-core for t/e2e/a11y_test.py, at the version t/browser/package-lock.json
# pins, into t/browser/node_modules (npm ci: exactly the lock file).
install_axe() {
  if ! command -v npm >/dev/null 2>&1; then
    install_packages $NODE_PACKAGES || say "could not install $NODE_PACKAGES"
  fi
  if ! command -v npm >/dev/null 2>&1; then
    say "npm is missing: t/e2e/a11y_test.py will skip"; return 1
  fi
  versions=$("$PYTHON" -c '
import json, sys
lock = json.load(open("t/browser/package-lock.json"))
want = lock["packages"]["node_modules/axe-core"]["version"]
try:
    have = json.load(open("t/browser/node_modules/axe-core/package.json"))["version"]
except (OSError, ValueError, KeyError):
    have = ""
print(want, have or "-")' 2>/dev/null)
  want=${versions% *}; have=${versions#* }
  if [ -n "$have" ] && [ "$have" = "$want" ]; then
    say "axe-core $have is installed in t/browser/node_modules"; return 0
  fi
  say "npm ci in t/browser (axe-core)"
  (cd t/browser && npm ci --no-audit --no-fund --loglevel=error)
}

cmd_test() {
  install_packages $DEMO_PACKAGES $TEST_PACKAGES ||
    say "package installation failed; trying with what is there"
  install_axe || say "axe-core could not be installed; t/e2e/a11y_test.py will skip"
  rm -rf t/counts
  status=0
  # autoreconf always, so that a stale generated build system never hides a
  # change (cheap next to the test suite).
  say "autoreconf -fi"
  autoreconf -fi || status=1
  [ $status = 0 ] && { say "./configure"; ./configure -q || status=1; }
  [ $status = 0 ] && { say "make -j$JOBS"; make -j"$JOBS" || status=1; }
  # Run the suite even if part of the build failed: whatever can run, runs.
  say "make -j$JOBS check"
  make -j"$JOBS" -k check || status=1
  # The unit tests once more, built with ASan and UBSan in asan-build/
  # (make check-asan; their counts are in t/counts/asan/).
  say "make -j$JOBS check-asan"
  make -j"$JOBS" check-asan || status=1
  # The package built, installed, used and purged (root only: dpkg -i).
  run_package_test || status=1
  if [ -f test-suite.log ] && [ $status != 0 ]; then
    # Show why, above the final line.
    sed -n '/^FAIL\|^ERROR/p' test-suite.log | head -n 20
  fi
  mkdir -p t/counts
  # A failed build or a test that died without reporting still counts.
  if [ $status != 0 ]; then
    out=$(URNA_COUNTS_DIR="$ROOT/t/counts" sh t/summary 2>/dev/null | tail -n 1)
    case "$out" in
      *" 0 failed") echo "0 1" > t/counts/make.count ;;
    esac
  fi
  echo
  URNA_COUNTS_DIR="$ROOT/t/counts" sh t/summary
}

run_package_test() {
  if [ "$(id -u)" -ne 0 ]; then
    say "not root: skipping the Debian package test (t/package/package_test.py)"
    return 0
  fi
  say "the Debian package: build, dpkg -i, use, dpkg -P (t/package/package_test.py)"
  URNA_COUNTS_DIR="$ROOT/t/counts" JOBS=$JOBS sh t/run-test t/package/package_test.py \
    > t/package/package_test.log 2>&1
  rc=$?
  tail -n 3 t/package/package_test.log
  [ $rc = 0 ] || [ $rc = 77 ]
}

cmd_package() {
  install_packages $DEMO_PACKAGES $TEST_PACKAGES || say "package installation failed; trying with what is there"
  build || { say "the build failed"; return 1; }
  mkdir -p t/counts
  run_package_test
  rc=$?
  grep -E '^(not ok|# )' t/package/package_test.log | tail -n 20
  return $rc
}

cmd_demo() {
  install_packages $DEMO_PACKAGES || { say "package installation failed"; return 1; }
  build || { say "the build failed"; return 1; }
  exec "$PYTHON" t/lib/demo.py --dir "$ROOT/.demo" ${URNA_DEMO_PORT:+--port "$URNA_DEMO_PORT"}
}

case "${1:-}" in
  demo) cmd_demo ;;
  test) cmd_test ;;
  package) cmd_package ;;
  stop) exec "$PYTHON" t/lib/demo.py --dir "$ROOT/.demo" --stop ;;
  *) echo "usage: $0 demo|stop|test|package" >&2; exit 2 ;;
esac
