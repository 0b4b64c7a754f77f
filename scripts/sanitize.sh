#!/bin/sh
# Run the test programs under a dynamic checker, each in a build directory of
# its own beside ./build:
#
#   scripts/sanitize.sh asan       clang -fsanitize=address,undefined (build-asan)
#   scripts/sanitize.sh valgrind   valgrind memcheck, CK_FORK=no (build-valgrind)
#   scripts/sanitize.sh tsan       clang -fsanitize=thread, the thread test and the soak (build-tsan)
#   scripts/sanitize.sh            all three
#
# The programs: the Check suite, the thread test, the fuzz corpus replay and
# (asan) the ppolicy CLI tests and the lifecycle explorer.  Any error report,
# leak included, fails.
# Not run under a checker: the export/header checks and the Python and Go
# bindings (they load the library into another runtime).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
modes=${*:-"asan valgrind tsan"}
jobs=$(nproc)
[ -x "$top/configure" ] || (cd "$top" && autoreconf -fi >/dev/null 2>&1)

# configure_in DIR CC CFLAGS: a fresh static-only build tree.
configure_in() {
    mkdir -p "$1"
    if [ ! -f "$1/Makefile" ]; then
        (cd "$1" && "$top/configure" -q --enable-werror --disable-shared CC="$2" CFLAGS="$3")
    fi
}

# The CLI test scripts but lib.sh and those named.
cli_tests() {
    list=""
    for f in "$top"/tests/cli/*.sh; do
        n=${f##*/}
        case " lib.sh $* " in *" $n "*) continue ;; esac
        list="$list tests/cli/$n"
    done
    echo "$list"
}

unit_tests="tests/check_particlepolicy tests/check_threads fuzz/replay.sh"
status=0
for mode in $modes; do
    echo "== sanitize: $mode"
    case $mode in
    asan)
        b=${ASAN_BUILD:-$top/build-asan}
        configure_in "$b" clang "-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"
        cli_tests=$(cli_tests memory.sh)
        # CK_FORK=no: the Check suite in one process, so LeakSanitizer runs
        # once at its exit, not in each of ~1,600 forked tests (that cost
        # six times the tests themselves).  PP_TEST_LIGHT: the explorer's
        # sweep of every start record runs on one policy, not four (make
        # check runs it in full); the diff's loops run in full here.
        if ! (export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1" \
                     UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
              CK_FORK=no make -C "$b" -j"$jobs" check TESTS="$unit_tests $cli_tests" &&
              PP_TEST_LIGHT=1 make -C "$b" check TESTS=tests/explore.sh) >"$b/sanitize.log" 2>&1; then
            tail -n 60 "$b/sanitize.log"; tail -n 80 "$b/test-suite.log" 2>/dev/null || true
            status=1
        fi
        grep -h -E '^(# (PASS|FAIL|ERROR|SKIP)|.*Checks:)' "$b/sanitize.log" "$b"/tests/*.log 2>/dev/null | sort | uniq -c
        ;;
    valgrind)
        b=${VALGRIND_BUILD:-$top/build-valgrind}
        configure_in "$b" gcc "-g -O1"
        # shellcheck disable=SC2086
        make -C "$b" -j"$jobs" $unit_tests fuzz/fuzz_load fuzz/fuzz_decide fuzz/fuzz_version \
            fuzz/fuzz_device_id fuzz/fuzz_records fuzz/fuzz_authorize fuzz/fuzz_audit >/dev/null
        # nouserintercepts: the Check suite's own malloc (tests/alloc_fail.c)
        # stays in place, so its allocation-failure loop reaches libyaml.
        vg="valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all --track-origins=yes --soname-synonyms=somalloc=nouserintercepts"
        for t in tests/check_particlepolicy tests/check_threads; do
            # CK_FORK=no: one process, so valgrind sees every test.
            # PP_TEST_LIGHT: the long randomized loops run a twentieth of
            # their rounds (tests/load_util.h); ASan runs them all.
            if ! (cd "$b" && CK_FORK=no PP_TEST_LIGHT=1 $vg "./$t" >"$b/$(basename "$t").valgrind.log" 2>&1); then
                tail -n 60 "$b/$(basename "$t").valgrind.log"; status=1
            fi
            grep -h 'Checks:' "$b/$(basename "$t").valgrind.log" || true
        done
        if ! (cd "$b" && top_srcdir="$top" top_builddir=. FUZZ_WRAPPER="$vg" \
              "$top/fuzz/replay.sh" >"$b/replay.valgrind.log" 2>&1); then
            tail -n 60 "$b/replay.valgrind.log"; status=1
        fi
        grep -h 'inputs replayed' "$b/replay.valgrind.log" | tr '\n' ' '; echo
        ;;
    tsan)
        b=${TSAN_BUILD:-$top/build-tsan}
        configure_in "$b" clang "-g -O1 -fsanitize=thread"
        make -C "$b" -j"$jobs" tests/check_threads tests/soak >/dev/null
        if ! (cd "$b" && CK_FORK=no TSAN_OPTIONS="halt_on_error=1:exitcode=66" \
              ./tests/check_threads >"$b/tsan.log" 2>&1); then
            tail -n 60 "$b/tsan.log"; status=1
        fi
        grep -h 'Checks:' "$b/tsan.log" || true
        # The soak: 8 deciders and a swapper retaining and freeing policies.
        if ! (cd "$b" && TSAN_OPTIONS="halt_on_error=1:exitcode=66" \
              ./tests/soak "${SOAK_TSAN_SECONDS:-20}" 5 >"$b/soak.tsan.log" 2>&1); then
            tail -n 60 "$b/soak.tsan.log"; status=1
        fi
        grep -h '^decisions' "$b/soak.tsan.log" || true
        ;;
    *)
        echo "unknown mode: $mode (asan, valgrind or tsan)" >&2
        exit 2
        ;;
    esac
done
exit $status
