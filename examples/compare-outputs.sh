#!/bin/sh
# The C, Python and Go examples decide the example fleet and print the same
# bytes: examples/fleet.expected.  automake's TESTS_ENVIRONMENT passes
# top_builddir and top_srcdir; by hand:
#   top_builddir=BUILD top_srcdir=SOURCE examples/compare-outputs.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/..}" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
for tool in python3 go; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: $tool is not installed (scripts/install-deps.sh installs it)"
        exit 77
    fi
done
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
policy="$top_srcdir/examples/policy.yaml"
fleet="$top_srcdir/examples/fleet.json"
expected="$top_srcdir/examples/fleet.expected"

"$top_builddir/examples/decide_fleet" "$policy" "$fleet" > "$tmp/c.out"

staged=0
stage=$(top_srcdir=$top_srcdir top_builddir=$top_builddir \
        "$top_srcdir/bindings/python/stage.sh") || staged=$?
[ "$staged" -eq 0 ] || exit "$staged"
PYTHONPATH="$stage" PYTHONDONTWRITEBYTECODE=1 \
    python3 "$top_srcdir/examples/python/decide_fleet.py" "$policy" "$fleet" > "$tmp/python.out"

. "$top_srcdir/bindings/go/env.sh"
(cd "$top_srcdir/examples/go" && go build -o "$tmp/decide_fleet_go" .)
"$tmp/decide_fleet_go" "$policy" "$fleet" > "$tmp/go.out"

status=0
for lang in c python go; do
    if cmp -s "$expected" "$tmp/$lang.out"; then
        echo "$lang: $(wc -l < "$tmp/$lang.out") lines, identical to examples/fleet.expected"
    else
        echo "$lang: differs from examples/fleet.expected:"
        diff -u "$expected" "$tmp/$lang.out" || true
        status=1
    fi
done
exit $status
