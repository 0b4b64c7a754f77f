#!/bin/sh
# No decision, authorization or check costs more because a table in the
# policy is larger (docs/performance.md, "Cost against table sizes").
# tests/lookup_cost makes the same calls on a policy with every table at size
# 0 and at size $LOOKUP_COST_N (default 5000: SKU prefixes of every length,
# platforms, SKU families, an API user's scopes, canary fingerprints,
# approved integrations, a team set); callgrind counts the instructions of
# each call, which do not depend on the machine or its load.  Each call on
# the large policy must cost at most 1.5 times the same call on the small one.
set -eu
if ! command -v valgrind >/dev/null 2>&1 || ! command -v callgrind_annotate >/dev/null 2>&1; then
    echo "SKIP: valgrind is not installed (scripts/install-deps.sh installs it)"
    exit 77
fi
prog=${top_builddir:-.}/tests/lookup_cost
large=${LOOKUP_COST_N:-5000}
calls=200
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for n in 0 "$large"; do
    valgrind -q --tool=callgrind --callgrind-out-file="$tmp/cg.$n" "$prog" "$n" "$calls"
    callgrind_annotate --inclusive=yes --threshold=100 "$tmp/cg.$n" >"$tmp/annotated.$n"
done

# Inclusive instructions of a function: the largest first column of the
# lines naming it ("N (P%)  file:function [object]", and one per file whose
# code is inlined into it, the whole function's under its file's full path).
inclusive() {
    awk -v fn="$1" '{ name = $0; sub(/ \[[^]]*\]$/, "", name) }
        name ~ (":" fn "$") { v = $1; gsub(/,/, "", v); if (v + 0 > max) max = v + 0 }
        END { if (max > 0) print max }' "$2"
}

status=0
printf '%-22s %14s %14s %7s\n' "call" "N=0" "N=$large" "ratio"
for fn in pp_decide pp_authorize pp_check_token pp_check_integrations; do
    per=$calls
    [ "$fn" = pp_decide ] && per=$((calls * 2))
    small_ir=$(inclusive "$fn" "$tmp/annotated.0")
    large_ir=$(inclusive "$fn" "$tmp/annotated.$large")
    if [ -z "$small_ir" ] || [ -z "$large_ir" ]; then
        echo "no callgrind figure for $fn" >&2
        status=1
        continue
    fi
    line=$(awk -v s="$small_ir" -v l="$large_ir" -v c="$per" -v fn="$fn" 'BEGIN {
        printf "%-22s %14.0f %14.0f %7.2f", fn, s / c, l / c, l / s }')
    echo "$line instructions per call"
    if ! awk -v s="$small_ir" -v l="$large_ir" 'BEGIN { exit !(l <= 1.5 * s) }'; then
        echo "FAIL: $fn costs more than 1.5x on the large policy" >&2
        status=1
    fi
done
exit $status
