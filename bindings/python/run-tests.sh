#!/bin/sh
# The Python binding's tests, against the library built in this tree.
# automake's TESTS_ENVIRONMENT passes top_builddir and top_srcdir; by hand:
#   top_builddir=BUILD top_srcdir=SOURCE bindings/python/run-tests.sh [unittest args]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/../..}" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
lib="$top_builddir/.libs/libparticlepolicy.so"
if [ ! -f "$lib" ]; then
    echo "error: $lib is missing: build the library first" >&2
    exit 99
fi
python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null 2>&1; then
    echo "SKIP: $python is not installed (scripts/install-deps.sh installs it)"
    exit 77
fi
# The just-built library, the package from the source tree, and no
# __pycache__ left in it (distcheck's source tree is read-only).
PARTICLEPOLICY_LIBRARY=$lib
PYTHONPATH=$here${PYTHONPATH:+:$PYTHONPATH}
PYTHONDONTWRITEBYTECODE=1
export PARTICLEPOLICY_LIBRARY PYTHONPATH PYTHONDONTWRITEBYTECODE top_srcdir
echo "python: $("$python" --version 2>&1) ($(command -v "$python")), library: $lib"
exec "$python" -m unittest discover -s "$here/tests" -t "$here/tests" -v "$@"
