#!/bin/sh
# Stage the package for this build tree and print where:
#   top_builddir=BUILD top_srcdir=SOURCE bindings/python/stage.sh
# writes BUILD/bindings/python/stage/particlepolicy/: the Python files, and
# the extension module compiled against BUILD/.libs/libparticlepolicy.so,
# whose directory it records (so nothing needs LD_LIBRARY_PATH).  The source
# tree is not written to (make distcheck makes it read-only).  The tests,
# the benchmarks and the examples' comparison use this; users run
# `pip install bindings/python` instead (docs/python.md).
# Exit 77 when python3 or its headers are missing, 99 when the build fails.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/../..}" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
libdir="$top_builddir/.libs"
python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null 2>&1; then
    echo "SKIP: $python is not installed (scripts/install-deps.sh installs it)" >&2
    exit 77
fi
if ! "$python" -c 'import os, sys, sysconfig
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'; then
    echo "SKIP: Python.h is missing for $python (Debian: python3-dev; scripts/install-deps.sh installs it)" >&2
    exit 77
fi
if [ ! -f "$libdir/libparticlepolicy.so" ]; then
    echo "error: $libdir/libparticlepolicy.so is missing: build the library first" >&2
    exit 99
fi
stage="$top_builddir/bindings/python/stage"
PYTHONDONTWRITEBYTECODE=1 "$python" "$here/build_backend/particlepolicy_build.py" stage "$stage" \
    --include-dir "$top_srcdir/include" --library-dir "$libdir" --werror >&2 || exit 99
echo "$stage"
