#!/bin/sh
# Mutation testing of lib/ (docs/testing.md, "Mutation testing"): apply each
# mutant of a list, one at a time, to a copy of the tree and report whether
# the tests kill it.
#   scripts/mutate.sh [--list FILE] [--quick] [NAME...]
# FILE (default scripts/mutants.txt) holds one mutant a line, five fields
# separated by tabs: a name, a file under lib/, the exact text to replace
# (it must occur exactly once in the file), its replacement, and why the
# mutant matters.  A why that starts with "EQUIVALENT:" marks a mutant that
# no test can kill (the why says why); those are listed, not run.
# NAMEs run only those mutants.
#
# Each mutant is first run against the unit-test binary
# (tests/check_particlepolicy, about 10 s); one that survives it is run
# against the whole of `make check` (every test CI's suite runs but the
# distcheck), and only one that survives that survives.  --quick stops after
# the unit tests.  The tree is copied (tracked files as they are in the work
# tree, uncommitted changes included) to $MUTATE_DIR (default
# ./build-mutate), configured and built there once; the work tree is never
# changed.  Run it niced: nice -n 10 scripts/mutate.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
list=$top/scripts/mutants.txt
quick=no
while [ $# -gt 0 ]; do
    case $1 in
    --list) list=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
    --quick) quick=yes; shift ;;
    --) shift; break ;;
    -*) echo "usage: scripts/mutate.sh [--list FILE] [--quick] [NAME...]" >&2; exit 2 ;;
    *) break ;;
    esac
done
work=${MUTATE_DIR:-$top/build-mutate}
jobs=${MUTATE_JOBS:-2}
log=$work/mutate.log

# Every line of the list well-formed before anything is built.
awk -F'\t' '/^#/ || /^$/ { next }
    NF != 5 || $1 == "" || $2 !~ /^lib\/[a-z0-9_]+\.[ch]$/ || $3 == "" {
        printf "%s:%d: expected five tab-separated fields (name, lib/ file, text, replacement, why)\n",
               FILENAME, FNR > "/dev/stderr"; bad = 1 }
    seen[$1]++ { printf "%s:%d: mutant %s listed twice\n", FILENAME, FNR, $1 > "/dev/stderr"; bad = 1 }
    END { exit bad }' "$list"

# Field N of $line: cut keeps empty fields (an empty replacement), read
# would not.
field() { printf '%s\n' "$line" | cut -f"$1"; }
# FILE with TEXT replaced by REPLACEMENT ("\n" is a newline in both), on
# stdout; fails unless TEXT occurs exactly once.
mutated() {
    FIND=$2 REPLACE=$3 perl -0777 -pe '
        my ($f, $r) = ($ENV{FIND}, $ENV{REPLACE});
        s/\\n/\n/g for $f, $r;
        my $n = () = /\Q$f\E/g;
        die "the text occurs $n times, not once\n" if $n != 1;
        s/\Q$f\E/$r/' "$1"
}
unit() {
    (cd "$build" && make -s tests/check_particlepolicy >/dev/null 2>&1) || return 2
    (cd "$build" && CK_DEFAULT_TIMEOUT=20 timeout 600 tests/check_particlepolicy >/dev/null 2>&1)
}
whole() {
    (cd "$build" && timeout 1800 make -j"$jobs" check >"$work/check.log" 2>&1)
}
failed_tests() {
    grep -h '^FAIL:\|^ERROR:' "$work/check.log" | awk '{ print $2 }' | tr '\n' ' '
}

# Every mutant applies (its text occurs exactly once) before anything runs.
while IFS= read -r line <&3; do
    case $line in '#'* | '') continue ;; esac
    mutated "$top/$(field 2)" "$(field 3)" "$(field 4)" >/dev/null ||
        { echo "mutant $(field 1) does not apply to $(field 2)" >&2; exit 1; }
done 3<"$list"

mkdir -p "$work"
src=$work/src
build=$work/build
if [ ! -f "$build/Makefile" ]; then
    echo "copying the tree to $src and building it in $build (once)"
    rm -rf "$src" "$build"
    mkdir -p "$src" "$build"
    (cd "$top" && git ls-files -z | tar --null -T - -cf -) | tar -xf - -C "$src"
    (cd "$src" && autoreconf -fi >/dev/null 2>&1)
    # No -Werror: a mutant may well draw a warning, and is still a mutant.
    (cd "$build" && "$src/configure" -q >/dev/null)
fi
# Keep the copy in step with the work tree (new tests, new code) without
# copying it afresh: only the files that differ, so make rebuilds little.
(cd "$top" && git ls-files) | while IFS= read -r f; do
    cmp -s "$top/$f" "$src/$f" 2>/dev/null || { mkdir -p "$src/$(dirname "$f")" && cp "$top/$f" "$src/$f"; }
done
(cd "$build" && make -j"$jobs" >/dev/null && make -j"$jobs" check TESTS= >/dev/null)

unit || { echo "the unit tests fail without a mutant: fix that first" >&2; exit 1; }

: >"$log"
total=0 killed_unit=0 killed_check=0 survived=0 equivalent=0 broken=0
survivors=
start=$(date +%s)
while IFS= read -r line <&3; do
    case $line in '#'* | '') continue ;; esac
    name=$(field 1) file=$(field 2) find=$(field 3) replace=$(field 4) why=$(field 5)
    if [ $# -gt 0 ]; then
        want=no
        for n in "$@"; do [ "$n" = "$name" ] && want=yes; done
        [ $want = yes ] || continue
    fi
    case $why in
    EQUIVALENT:*)
        equivalent=$((equivalent + 1))
        printf '%-34s equivalent (not run)\n' "$name" | tee -a "$log"
        continue ;;
    esac
    total=$((total + 1))
    target=$src/$file
    cp "$target" "$work/original"
    mutated "$work/original" "$find" "$replace" >"$work/mutant"
    cp "$work/mutant" "$target"
    t0=$(date +%s)
    set +e
    unit
    rc=$?
    set -e
    if [ $rc = 2 ]; then
        result="does not build"
        broken=$((broken + 1))
    elif [ $rc != 0 ]; then
        result="killed by the unit tests"
        killed_unit=$((killed_unit + 1))
    elif [ $quick = yes ]; then
        result="SURVIVED the unit tests"
        survived=$((survived + 1))
        survivors="$survivors $name"
    elif whole; then
        result="SURVIVED make check"
        survived=$((survived + 1))
        survivors="$survivors $name"
    else
        result="killed by make check: $(failed_tests)"
        killed_check=$((killed_check + 1))
    fi
    # A fresh mtime, so the next build compiles the original again.
    cp "$work/original" "$target"
    touch "$target"
    printf '%-34s %-60s %4ss\n' "$name" "$result" $(($(date +%s) - t0)) | tee -a "$log"
done 3<"$list" </dev/null
(cd "$build" && make -s >/dev/null 2>&1) || true

killed=$((killed_unit + killed_check))
run=$((total - broken))
echo
echo "$run mutants run in $(($(date +%s) - start)) s: $killed killed" \
     "($killed_unit by the unit tests, $killed_check more by make check), $survived survived;" \
     "$equivalent equivalent not run"
[ $run -gt 0 ] && awk -v k=$killed -v n=$run 'BEGIN { printf "score: %.1f%% of non-equivalent mutants killed\n", 100 * k / n }'
[ -n "$survivors" ] && echo "survivors:$survivors"
[ $broken = 0 ] || { echo "$broken mutants did not apply or build: fix the list" >&2; exit 1; }
[ -z "$survivors" ]
