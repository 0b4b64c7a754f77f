#!/bin/sh
# Line and branch coverage of lib/ by the C tests (the Check suite, the
# thread test, the fuzz corpus replay and the ppolicy CLI tests), with gcc
# --coverage in build-coverage/ and gcovr.  Fails below COVERAGE_LINES
# (default 95) % of lines or COVERAGE_BRANCHES (default 85) % of branches.
# Writes build-coverage/coverage.html (per file, line by line) and
# coverage.txt.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
b=${COVERAGE_BUILD:-$top/build-coverage}
lines=${COVERAGE_LINES:-95}
branches=${COVERAGE_BRANCHES:-85}
command -v gcovr >/dev/null || { echo "coverage: gcovr is missing (scripts/harden.sh installs it)" >&2; exit 1; }
[ -x "$top/configure" ] || (cd "$top" && autoreconf -fi >/dev/null 2>&1)
mkdir -p "$b"
# Atomic counters: the thread test updates them from 8 threads at once.
if [ ! -f "$b/Makefile" ]; then
    (cd "$b" && "$top/configure" -q --enable-werror --disable-shared CC=gcc CFLAGS="-O0 -g --coverage -fprofile-update=atomic")
fi
# configure's test programs leave notes gcov cannot place.
find "$b" \( -name '*.gcda' -o -name '*conftest*.gcno' \) -delete
cli_tests=""
for f in "$top"/tests/cli/*.sh; do
    [ "${f##*/}" = lib.sh ] || cli_tests="$cli_tests tests/cli/${f##*/}"
done
make -C "$b" -j"$(nproc)" check \
    TESTS="tests/check_particlepolicy tests/check_threads fuzz/replay.sh $cli_tests" \
    >"$b/coverage-check.log" 2>&1 || { tail -n 40 "$b/coverage-check.log"; exit 1; }
# Branches the compiler adds for exceptions and for code it proves
# unreachable are not the code's branches.
set -- --root "$top" --filter "$top/lib/" --object-directory "$b" \
    --exclude-unreachable-branches --exclude-throw-branches
gcovr "$@" --html-details -o "$b/coverage.html" >/dev/null
gcovr "$@" --branches -o "$b/coverage-branches.txt"
gcovr "$@" | tee "$b/coverage.txt" | tail -n 25
gcovr "$@" --fail-under-line "$lines" --fail-under-branch "$branches" >/dev/null || {
    echo "coverage: below $lines% lines or $branches% branches (see $b/coverage.html)" >&2
    exit 1
}
echo "coverage: at least $lines% lines and $branches% branches of lib/"
