#!/bin/sh
# The whole test suite: unit tests, export and header checks, the example,
# then a full distcheck (tarball builds, tests pass, install/uninstall clean).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/build.sh"
cd "$top/build"
make -j"$(nproc)" check || { cat test-suite.log; exit 1; }
grep -h "Checks:" tests/*.log
make -j"$(nproc)" distcheck >distcheck.log 2>&1 || { tail -n 80 distcheck.log; exit 1; }
grep -A3 'archives ready for distribution' distcheck.log
