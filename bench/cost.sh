#!/bin/sh
# make bench-cost: instructions per decision on the large policy, counted by
# callgrind (bench/cost.c says how), as rows of ppbench's table.  Also
# writes the profile of each workload to $top_builddir/bench/cost/ (read it
# with callgrind_annotate --inclusive=yes FILE).
#   top_builddir=BUILD top_srcdir=SOURCE bench/cost.sh
set -eu
top_builddir=$(cd "${top_builddir:-.}" && pwd)
if ! command -v valgrind >/dev/null 2>&1; then
    echo "error: valgrind is needed (scripts/install-deps.sh installs it)" >&2
    exit 1
fi
cache=$top_builddir/bench/cache
out=$top_builddir/bench/cost
mkdir -p "$cache" "$out"
rm -f "$out"/cg.out*
# The policy text is generated (and cached) outside valgrind, which would
# take minutes over it.
"$top_builddir/bench/ppbench" --cost --cache "$cache" >/dev/null
"$top_builddir/libtool" --mode=execute valgrind -q --tool=callgrind --instr-atstart=no \
    --collect-atstart=no --toggle-collect=pp_decide --toggle-collect=pp_decide_many --dump-instr=yes \
    --callgrind-out-file="$out/cg.out" \
    "$top_builddir/bench/ppbench" --cost --cache "$cache" >"$out/workloads.txt"
echo "| figure | median | min | max | unit | workload | target |"
echo "|---|--:|--:|--:|---|---|---|"
# workloads.txt: "workload NAME RECORDS TARGET TEXT"; each dump names its
# workload ("desc: Trigger: Client Request: NAME") and gives "totals: IR".
for f in "$out"/cg.out.*; do
    name=$(sed -n 's/^desc: Trigger: Client Request: //p' "$f")
    ir=$(sed -n 's/^totals: //p' "$f")
    mv "$f" "$out/$name.callgrind"
    awk -v name="$name" -v ir="$ir" '$1 == "workload" && $2 == name {
        n = $3; target = $4; $1 = $2 = $3 = $4 = ""; sub(/^ +/, "")
        per = ir / n
        t = ""
        if (target > 0)
            t = per <= target ? "<= " target ": met" : sprintf("<= %s: missed by %.0f%%", target, (per / target - 1) * 100)
        printf "| instructions, %s | %.0f | %.0f | %.0f | instructions/decision | large policy, %d records: %s | %s |\n", name, per, per, per, n, $0, t
    }' "$out/workloads.txt"
done
