#!/bin/sh
# make bench-go-cost: instructions per Policy.Decide call and per record of
# Policy.DecideMany (callgrind), on the small policy bench/ppbench caches
# (make bench writes it), with the records of bench/go/main.go.  Each figure
# is the difference of two runs of the same program, with 0 and with CALLS
# calls (records), divided by CALLS: the binding's work, cgo's call and the
# library's decision, without the program's start.  The collector is off
# (GOGC=off: DecideMany's answers are the only allocation, and a collection
# would land in one run and not the other) and so is asynchronous preemption
# (its signals trip callgrind).  Figures, not a test.
#   top_builddir=BUILD top_srcdir=SOURCE bench/go-cost.sh [CALLS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/..}" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
calls=${1:-200000}
cache=$top_builddir/bench/cache
for tool in valgrind go; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "go-cost: $tool is not installed (scripts/install-deps.sh installs it)" >&2
        exit 77
    fi
done
if [ ! -f "$cache/small-policy.yaml" ]; then
    echo "go-cost: $cache/small-policy.yaml is missing: run make bench first" >&2
    exit 77
fi
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
. "$here/go-build.sh"
count() {
    GOGC=off GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        "$tmp/gobench" --count "$1" "$2" "$cache" 2>&1 | sed -n 's/.*refs: *//p' | tr -d ,
}
echo "| call | instructions | of |"
echo "|---|--:|---|"
base=$(count decide 0)
one=$(count decide "$calls")
many=$(count decide_many "$calls")
echo "| Go Policy.Decide, small policy | $(( (one - base) / calls )) | per call, $calls calls |"
echo "| Go Policy.DecideMany, small policy | $(( (many - base) / calls )) | per record, $calls records in DecideMany calls of up to 200,000 |"
