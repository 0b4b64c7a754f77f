# Sourced by the ppolicy tests: paths, a scratch directory, and checks that
# say what failed.  Golden files live in tests/cli/golden; run a test with
# PP_UPDATE_GOLDEN=1 to rewrite them (then review the diff).
set -eu
# Stable sort order and error texts (strerror) for the goldens.
LC_ALL=C
export LC_ALL
top_srcdir=$(cd "${top_srcdir:-.}" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
# For the tests that source this file:
# shellcheck disable=SC2034
PPOLICY="$top_builddir/cli/ppolicy"
# shellcheck disable=SC2034
DATA="$top_srcdir/tests/cli/data"
GOLDEN="$top_srcdir/tests/cli/golden"
# shellcheck disable=SC2034
EXAMPLES="$top_srcdir/examples"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
checks=0
failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# run CMD...: stdout in $TMP/out, stderr in $TMP/err, exit status in $status.
run() {
    set +e
    "$@" >"$TMP/out" 2>"$TMP/err"
    status=$?
    set -e
}

# expect_status WANT CMD...: run CMD and check its exit status.
expect_status() {
    want=$1
    shift
    run "$@"
    checks=$((checks + 1))
    if [ "$status" != "$want" ]; then
        fail "exit status $status, expected $want: $*"
        sed 's/^/  stderr: /' "$TMP/err" | head -n 5
    fi
}

# golden NAME FILE: FILE must equal tests/cli/golden/NAME.
golden() {
    checks=$((checks + 1))
    if [ -n "${PP_UPDATE_GOLDEN:-}" ]; then
        cp "$2" "$GOLDEN/$1"
        return
    fi
    if ! diff -u "$GOLDEN/$1" "$2" >"$TMP/diff"; then
        fail "output differs from golden/$1:"
        head -n 40 "$TMP/diff"
    fi
}

# contains FILE TEXT: FILE holds the fixed string TEXT.
contains() {
    checks=$((checks + 1))
    grep -qF -- "$2" "$1" || fail "$(basename "$1") lacks: $2"
}

# need_python: JSON and memory checks use python3; skip (77) without it.
need_python() {
    command -v python3 >/dev/null 2>&1 || {
        echo "SKIP: python3 is needed for this test"
        exit 77
    }
}

# json_lines FILE: every line of FILE is one JSON object (python3's json,
# strict: invalid UTF-8 or a bare control character fails).
json_lines() {
    checks=$((checks + 1))
    python3 - "$1" <<'PY' || fail "$(basename "$1") is not one JSON object per line"
import json, sys
with open(sys.argv[1], "rb") as f:
    for n, raw in enumerate(f, 1):
        try:
            obj = json.loads(raw.decode("utf-8", errors="strict"))
        except Exception as e:
            sys.exit("line %d: %s" % (n, e))
        if not isinstance(obj, dict):
            sys.exit("line %d: not an object" % n)
PY
}

# finish: the summary line, and the status for automake.
finish() {
    echo "$(basename "$0"): $checks checks, $failures failed"
    [ "$failures" -eq 0 ]
}
