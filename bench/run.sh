#!/bin/sh
# make bench: the C figures (bench/ppbench), then the Python and Go
# bindings' per-call figures, as one Markdown table.  The generated policies
# are cached in $top_builddir/bench/cache and reused by every later run.
#   top_builddir=BUILD top_srcdir=SOURCE bench/run.sh [--repeat N]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/..}" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
cache=$top_builddir/bench/cache
mkdir -p "$cache"
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr); $(date -u +%Y-%m-%dT%H:%MZ);" \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "medians of repeated runs (min and max beside them); see docs/performance.md"
echo
"$top_builddir/bench/ppbench" --cache "$cache" "$@"

# The Python binding as the tests stage it (bindings/python/stage.sh).
if stage=$(top_srcdir=$top_srcdir top_builddir=$top_builddir \
           "$top_srcdir/bindings/python/stage.sh"); then
    PYTHONPATH=$stage PYTHONDONTWRITEBYTECODE=1 "${PYTHON:-python3}" "$here/bench_python.py" "$cache"
else
    echo "| Python | | | | | not built (bindings/python/stage.sh says why above) | |"
fi
if command -v go >/dev/null 2>&1; then
    tmp=$(mktemp -d)
    trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
    . "$here/go-build.sh"
    "$tmp/gobench" "$cache"
else
    echo "| Go | | | | | go not installed | |"
fi
