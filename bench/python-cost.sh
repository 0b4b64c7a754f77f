#!/bin/sh
# make bench-python-cost: instructions per Policy.decide call and per record
# of Policy.decide_many (callgrind), on the small policy bench/ppbench
# caches (make bench writes it), with the records of bench/bench_python.py.
# Each figure is the difference of two runs of the same interpreter, with
# 0 and with CALLS calls (records), divided by CALLS: the Python method
# call, the record's conversion, the library's decision and the Decision
# handed back, without the interpreter's start.  Figures, not a test.
#   top_builddir=BUILD top_srcdir=SOURCE bench/python-cost.sh [CALLS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/..}" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
calls=${1:-20000}
cache=$top_builddir/bench/cache
if ! command -v valgrind >/dev/null 2>&1; then
    echo "python-cost: valgrind is not installed (scripts/install-deps.sh installs it)" >&2
    exit 77
fi
if [ ! -f "$cache/small-policy.yaml" ]; then
    echo "python-cost: $cache/small-policy.yaml is missing: run make bench first" >&2
    exit 77
fi
export top_builddir top_srcdir
stage=$("$top_srcdir/bindings/python/stage.sh")
# The interpreter itself, not a wrapper script in front of it (pyenv's shims
# are shell scripts, which valgrind would count instead).
python=$("${PYTHON:-python3}" -c 'import sys; print(sys.executable)')
count() {
    PYTHONPATH=$stage PYTHONDONTWRITEBYTECODE=1 valgrind --tool=callgrind \
        --callgrind-out-file=/dev/null "$python" "$here/bench_python.py" --count "$1" "$2" "$cache" 2>&1 |
        sed -n 's/.*refs: *//p' | tr -d ,
}
echo "| call | instructions | of |"
echo "|---|--:|---|"
base=$(count decide 0)
one=$(count decide "$calls")
many=$(count decide_many "$calls")
echo "| Python Policy.decide, small policy | $(( (one - base) / calls )) | per call, $calls calls |"
echo "| Python Policy.decide_many, small policy | $(( (many - base) / calls )) | per record, $calls records in one call |"
