#!/bin/sh
# make check: replay every fuzz target's seed corpus and regression cases
# through the standalone driver (fuzz/replay.c).  A target that breaks an
# invariant aborts, which fails this test.  FUZZ_WRAPPER runs each replay
# under a checker (scripts/sanitize.sh valgrind).
set -eu
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
status=0
for t in load decide version device_id records authorize audit; do
    set -- "$srcdir/fuzz/corpus/$t"
    [ -d "$srcdir/fuzz/regressions/$t" ] && set -- "$@" "$srcdir/fuzz/regressions/$t"
    # shellcheck disable=SC2086
    ${FUZZ_WRAPPER:-} "$builddir/fuzz/fuzz_$t" "$@" || { echo "FAIL: fuzz_$t"; status=1; }
done
exit $status
