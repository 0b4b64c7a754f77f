#!/bin/sh
# make bench-cli: how fast `ppolicy decide` streams a fleet.  Generates a
# JSON Lines fleet of realistic records against examples/policy.yaml (and
# the same records as a JSON list and a YAML list), runs decide on each
# several times, and prints the median records per second (CPU time of
# the process, and wall time), the peak resident memory, and callgrind's
# instructions per record (100,000 records, startup subtracted) when
# valgrind is installed.  Figures, not a test: nothing here fails on speed.
#   top_builddir=BUILD top_srcdir=SOURCE bench/cli.sh [RECORDS] [RUNS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/..}" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
records=${1:-1000000}
runs=${2:-5}
ppolicy=$top_builddir/cli/ppolicy
[ -x "$top_builddir/cli/.libs/ppolicy" ] && ppolicy=$top_builddir/cli/.libs/ppolicy
export LD_LIBRARY_PATH="$top_builddir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
policy=$top_srcdir/examples/policy.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$records" "$tmp" <<'PY'
import random, sys
n, tmp = int(sys.argv[1]), sys.argv[2]
r = random.Random(15)
oses = ["3.3.1", "4.2.0", "5.6.0", "6.1.1", "2.3.0", "1.5.2", "5.8.0", "6.2.1"]
platforms = [26, 23, 32, 12, 13, 25]
products = [14001, 14002, 14003, 14005, 0]
owners = ["kim@contractor.example", "fay@brightwater.example", "mallory@example.net", None]
lines = []
for i in range(n):
    rec = '{"id":"%024x","platform_id":%d,"device_os":"%s","cloud_product_id":%d,"firmware_product_id":%d' % (
        r.getrandbits(96), r.choice(platforms), r.choice(oses), r.choice(products), r.choice(products))
    owner = r.choice(owners)
    if owner:
        rec += ',"owner":"%s"' % owner
    lines.append(rec + "}")
open(tmp + "/fleet.jsonl", "w").write("\n".join(lines) + "\n")
open(tmp + "/fleet.json", "w").write("[\n" + ",\n".join(lines) + "\n]\n")
open(tmp + "/fleet.yaml", "w").write("".join("- " + l + "\n" for l in lines))
open(tmp + "/head.jsonl", "w").write("\n".join(lines[:100000]) + "\n")
open(tmp + "/empty.jsonl", "w").write("")
PY

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "ppolicy decide, $records records ($(wc -c <"$tmp/fleet.jsonl") bytes of JSON Lines), $runs runs each"
echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| input | records/s (CPU) | records/s (wall) | peak RSS | instructions/record |"
echo "|---|---:|---:|---:|---:|"
sample_records=$((records < 100000 ? records : 100000))
for input in fleet.jsonl fleet.json fleet.yaml; do
    # GNU time reports the peak memory of ppolicy itself (a Python parent's
    # would count into its child's); without it, CPU time from the shell.
    : >"$tmp/times"
    i=0
    while [ $i -lt "$runs" ]; do
        if [ -x /usr/bin/time ]; then
            /usr/bin/time -o "$tmp/one" -f "%U %S %e %M" \
                "$ppolicy" decide --policy "$policy" --no-progress "$tmp/$input" >/dev/null
        else
            start=$(date +%s.%N)
            "$ppolicy" decide --policy "$policy" --no-progress "$tmp/$input" >/dev/null
            end=$(date +%s.%N)
            echo "$start $end" | awk '{ printf "%f 0 %f 0\n", $2 - $1, $2 - $1 }' >"$tmp/one"
        fi
        cat "$tmp/one" >>"$tmp/times"
        i=$((i + 1))
    done
    # Medians of CPU time (user + system) and of wall time, the highest
    # peak RSS (POSIX awk: sorted by sort(1), not asort).
    median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
    cpu_s=$(awk '{ print $1 + $2 }' "$tmp/times" | median)
    wall_s=$(awk '{ print $3 }' "$tmp/times" | median)
    rss_kb=$(awk '$4 > m { m = $4 } END { print m + 0 }' "$tmp/times")
    row=$(awk -v n="$records" -v name="$input" -v cpu="$cpu_s" -v wall="$wall_s" -v rss="$rss_kb" \
        -v gnu="$([ -x /usr/bin/time ] && echo 1)" 'BEGIN {
            printf "| %s | %.0f | %.0f | %s |", name, n / cpu, n / wall,
                gnu ? sprintf("%.1f MiB", rss / 1024) : "n/a"
        }')
    printf '%s' "$row"
    if command -v valgrind >/dev/null 2>&1; then
        sample=$tmp/head.jsonl
        case $input in
        fleet.json) { echo "["; sed '$!s/$/,/' "$tmp/head.jsonl"; echo "]"; } >"$tmp/head.json"; sample=$tmp/head.json ;;
        fleet.yaml) sed 's/^/- /' "$tmp/head.jsonl" >"$tmp/head.yaml"; sample=$tmp/head.yaml ;;
        esac
        count() {
            valgrind --tool=callgrind --callgrind-out-file=/dev/null "$ppolicy" decide --policy "$policy" \
                --no-progress "$1" 2>&1 >/dev/null | sed -n 's/.*refs: *//p' | tr -d ,
        }
        total=$(count "$sample")
        base=$(count "$tmp/empty.jsonl")
        echo " $(( (total - base) / sample_records )) |"
    else
        echo " (valgrind not installed) |"
    fi
done
