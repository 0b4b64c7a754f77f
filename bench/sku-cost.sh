#!/bin/sh
# The SKU table's size against the cost of a decision, in instructions
# (callgrind; docs/performance.md, "Cost against table sizes"): the calls of
# tests/lookup_cost on the built-in SKU table and on 5,000 and 1,000,000
# more prefixes (every length 4-32, half starting like the record's SKU;
# nothing else added).  Fails when a decision on 1,000,000 prefixes costs
# more than 1.5 times one on the built-in table, or when the SKU lookup
# costs more than 1.1 times on 1,000,000 prefixes as on 5,000 (the count of
# prefixes must not matter, only the lengths present and the tables' load
# factor: 317 and 328 on 2026-12-03).  make bench-sku-cost; a few
# minutes, most of it loading the large policy under callgrind.
#   top_builddir=BUILD bench/sku-cost.sh [CALLS]
set -eu
if ! command -v valgrind >/dev/null 2>&1 || ! command -v callgrind_annotate >/dev/null 2>&1; then
    echo "sku-cost: valgrind is not installed (scripts/install-deps.sh installs it)" >&2
    exit 77
fi
prog=${top_builddir:-.}/tests/lookup_cost
calls=${1:-1000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Inclusive instructions of a function per call: the largest of the lines
# naming it ("N (P%)  file:fn [obj]", and one per file whose code is
# inlined into it, the whole function's under its own file's full path).
per_call() {
    awk -v fn="$1" -v c="$3" '{ name = $0; sub(/ \[[^]]*\]$/, "", name) }
        name ~ (":" fn "$") { v = $1; gsub(/,/, "", v); if (v + 0 > max) max = v + 0 }
        END { if (max > 0) printf "%.0f", max / c }' "$2"
}

sizes="0 5000 1000000"
for n in $sizes; do
    valgrind -q --tool=callgrind --callgrind-out-file="$tmp/cg.$n" "$prog" "$n" "$calls" 0
    callgrind_annotate --inclusive=yes --threshold=100 "$tmp/cg.$n" >"$tmp/annotated.$n"
done

printf '| instructions (callgrind) | built-in | +5,000 prefixes | +1,000,000 prefixes | 1,000,000 / built-in |\n'
printf '|---|--:|--:|--:|--:|\n'
status=0
for fn in pp_decide ppi_sku_find; do
    # pp_decide runs twice a round (a record with a SKU, one lacking one),
    # the SKU lookup once a round that has a SKU to look up.
    per=$calls
    [ "$fn" = pp_decide ] && per=$((calls * 2))
    set -- $(for n in $sizes; do per_call "$fn" "$tmp/annotated.$n" "$per"; echo; done)
    if [ $# != 3 ]; then
        echo "sku-cost: no callgrind figure for $fn" >&2
        exit 1
    fi
    ratio=$(awk -v a="$1" -v c="$3" 'BEGIN { printf "%.2f", c / a }')
    printf '| `%s` | %s | %s | %s | %s |\n' "$fn" "$1" "$2" "$3" "$ratio"
    if [ "$fn" = pp_decide ] && ! awk -v a="$1" -v c="$3" 'BEGIN { exit !(c <= 1.5 * a) }'; then
        echo "FAIL: a decision on 1,000,000 prefixes costs more than 1.5x one on the built-in table" >&2
        status=1
    fi
    if [ "$fn" = ppi_sku_find ] && ! awk -v b="$2" -v c="$3" 'BEGIN { exit !(c <= 1.1 * b) }'; then
        echo "FAIL: the SKU lookup costs more than 1.1x on 1,000,000 prefixes as on 5,000" >&2
        status=1
    fi
done
exit $status
