#!/bin/sh
# The hardening gates CI runs after scripts/test.sh (docs/testing.md):
#  1. the C tests under ASan+UBSan, 2. under valgrind memcheck,
#  3. the thread test under ThreadSanitizer, 4. every fuzzer for
#  HARDEN_FUZZ_SECONDS (default 30) under ASan+UBSan, two at a time,
#  5. line and branch coverage of lib/ with its gate.
# Each step prints its figures and the time it took; any failure fails.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh"
# What these steps need beyond the build: clang with its sanitizer and
# libFuzzer runtimes, llvm-symbolizer for readable reports, valgrind, gcovr.
missing=""
for p in clang libclang-rt-dev llvm valgrind gcovr; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "installing:$missing"
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi
# shellcheck disable=SC3013 # -nt: dash, bash and busybox all have it
if ! { [ -x "$top/configure" ] && [ "$top/configure" -nt "$top/configure.ac" ] &&
       [ "$top/Makefile.in" -nt "$top/Makefile.am" ]; }; then
    (cd "$top" && autoreconf -fi >/dev/null 2>&1)
fi

step() {
    name=$1
    shift
    start=$(date +%s)
    echo "==== $name"
    if "$@"; then
        echo "==== $name: ok ($(( $(date +%s) - start )) s)"
    else
        echo "==== $name: FAILED ($(( $(date +%s) - start )) s)"
        exit 1
    fi
}
step "ASan+UBSan" "$top/scripts/sanitize.sh" asan
step "valgrind" "$top/scripts/sanitize.sh" valgrind
step "ThreadSanitizer" "$top/scripts/sanitize.sh" tsan
step "fuzz" env FUZZ_JOBS="$(nproc)" "$top/scripts/fuzz.sh" "${HARDEN_FUZZ_SECONDS:-30}"
step "coverage" "$top/scripts/coverage.sh"
