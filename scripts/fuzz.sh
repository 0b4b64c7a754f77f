#!/bin/sh
# Build every fuzz target with clang's libFuzzer under ASan+UBSan, then run
# each for SECONDS seconds (default 60) on its corpus; any crash, leak or
# sanitizer report fails the run.  New inputs are kept in a scratch corpus
# (FUZZ_WORK, default build-fuzz/corpus), never written into fuzz/corpus.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     e.g. scripts/fuzz.sh 600 load records
#   FUZZ_JOBS=2 scripts/fuzz.sh 600           two targets at a time
#
# A crash leaves crash-*/leak-*/timeout-* files in FUZZ_WORK/<target>/;
# minimise one, copy it to fuzz/regressions/<target>/ (make check replays
# that directory), and fix the bug.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-"load decide version device_id records authorize audit"}
out=${FUZZ_BUILD:-$top/build-fuzz}
work=${FUZZ_WORK:-$out/corpus}
jobs=${FUZZ_JOBS:-1}
CC=${FUZZ_CC:-clang}
mkdir -p "$out" "$work"

# Sanitizers stop at the first report; leaks count as crashes.
flags="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
       -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Werror"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

# The library, once, as objects without the fuzzer's main.
lib_objs=""
# The CLI's record reader for fuzz_records (the list Makefile.am's
# fuzz_record_reader names).
reader="records input format yaml_events json_events scalars utf8"
for src in "$top"/lib/*.c "$top"/fuzz/fixture.c $(for f in $reader; do echo "$top/cli/$f.c"; done); do
    obj="$out/$(basename "$(dirname "$src")")_$(basename "$src" .c).o"
    # shellcheck disable=SC3013 # -nt: dash, bash and busybox all have it
    stale=0
    for h in "$top/lib/internal.h" "$top/include/particlepolicy.h" "$top"/cli/*.h; do
        [ "$h" -nt "$obj" ] && stale=1
    done
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ $stale = 1 ]; then
        # shellcheck disable=SC2086,SC2046 # flag lists split on purpose
        $CC $flags -fsanitize=fuzzer-no-link -I"$top/include" -I"$top/lib" -I"$top/cli" \
            -c "$src" -o "$obj" $(pkg-config --cflags yaml-0.1 yajl)
    fi
    lib_objs="$lib_objs $obj"
done
for t in $targets; do
    # shellcheck disable=SC2086,SC2046
    $CC $flags -I"$top/include" -I"$top/lib" -I"$top/cli" "$top/fuzz/fuzz_$t.c" $lib_objs \
        $(pkg-config --libs yaml-0.1 yajl) -o "$out/fuzz_$t"
done
echo "built:$(for t in $targets; do printf ' fuzz_%s' "$t"; done) in $out"
[ "$seconds" -gt 0 ] || exit 0

run_one() {
    t=$1
    mkdir -p "$work/$t" "$work/$t.artifacts"
    dict=""
    case $t in load|records) dict="-dict=$top/fuzz/yaml.dict" ;; esac
    # -rss_limit_mb bounds memory; -timeout flags a slow input as a failure.
    # The first directory receives new inputs; the source tree stays as it is.
    seeds="$top/fuzz/corpus/$t"
    [ -d "$top/fuzz/regressions/$t" ] && seeds="$seeds $top/fuzz/regressions/$t"
    rc=0
    # shellcheck disable=SC2086
    (cd "$work/$t.artifacts" && "$out/fuzz_$t" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 $dict \
        "$work/$t" $seeds >"$out/fuzz_$t.log" 2>&1) || rc=$?
    stats=$(grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "$out/fuzz_$t.log" | tr '\n' ' ')
    cov=$(grep -E '^#[0-9]+.*(DONE|INITED)' "$out/fuzz_$t.log" | tail -n 1)
    echo "fuzz_$t: exit $rc; $stats; $cov"
    if [ $rc -ne 0 ]; then
        grep -E 'ERROR|SUMMARY|invariant|runtime error' "$out/fuzz_$t.log" | head -n 20
        ls "$work/$t.artifacts"
    fi
    return $rc
}

status=0
pids=""
running=0
for t in $targets; do
    if [ "$jobs" -le 1 ]; then
        run_one "$t" || status=1
    else
        run_one "$t" >"$out/fuzz_$t.summary" 2>&1 &
        pids="$pids $!:$t"
        running=$((running + 1))
        if [ "$running" -ge "$jobs" ]; then
            for p in $pids; do
                wait "${p%%:*}" || status=1
                cat "$out/fuzz_${p#*:}.summary"
            done
            pids=""
            running=0
        fi
    fi
done
for p in $pids; do
    wait "${p%%:*}" || status=1
    cat "$out/fuzz_${p#*:}.summary"
done
exit $status
