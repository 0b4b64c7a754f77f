#!/bin/sh
# Differential test of the decision engine against tests/oracle/oracle.py,
# after checking the oracle's tables against the published facts (facts.py).
#
#   tests/oracle/run.sh [N] [SEED] [difftest.py options...]
#
# N cases (default 20000: a few seconds, for make check), SEED a seed (default
# $ORACLE_SEED, else 2001, so make check and CI are repeatable: a random seed
# can miss the run's coverage gate by chance; ORACLE_SEED=random draws a
# fresh one and prints it).  Extra options go to
# difftest.py, e.g. `--seed S --policy I --case J` reproduces one mismatch.
# Takes top_builddir and top_srcdir from the environment, as automake's
# TESTS_ENVIRONMENT passes them (defaults: the current directory, and the
# source tree holding this script).  Exit 77 (skip) without python3.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$here/../..}
top_builddir=${top_builddir:-.}
srcdir=$(cd "$top_srcdir" && pwd)
builddir=$(cd "$top_builddir" && pwd)

if ! command -v python3 >/dev/null 2>&1; then
    echo "oracle: python3 not found, skipping"; exit 77
fi
if [ ! -e "$builddir/.libs/libparticlepolicy.so" ]; then
    echo "oracle: no shared library in $builddir/.libs, skipping"; exit 77
fi

# Build the driver against the library of this build tree (always: it takes
# a fraction of a second, and a stale driver would test a stale library).
mkdir -p "$builddir/tests/oracle"
driver=$builddir/tests/oracle/driver
${CC:-cc} -std=gnu17 -O2 -Wall -Wextra -Wshadow -Wstrict-prototypes \
    -Wmissing-prototypes -Wformat=2 -Werror -I"$srcdir/include" \
    "$srcdir/tests/oracle/driver.c" -o "$driver" \
    -L"$builddir/.libs" -Wl,-rpath,"$builddir/.libs" -lparticlepolicy

cases=20000
seed=${ORACLE_SEED:-2001}
[ "$seed" = random ] && seed=
case ${1:-} in [0-9]*) cases=$1; shift ;; esac
case ${1:-} in [0-9]*) seed=$1; shift ;; esac

LD_LIBRARY_PATH=$builddir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
PYTHONDONTWRITEBYTECODE=1   # no __pycache__ in the source tree
export LD_LIBRARY_PATH PYTHONDONTWRITEBYTECODE
python3 "$srcdir/tests/oracle/facts.py" "$srcdir/tests/data"
exec python3 "$srcdir/tests/oracle/difftest.py" --driver "$driver" \
    --cases "$cases" ${seed:+--seed "$seed"} "$@"
