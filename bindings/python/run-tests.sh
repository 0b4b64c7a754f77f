#!/bin/sh
# The Python binding's tests, against the library built in this tree.
# automake's TESTS_ENVIRONMENT passes top_builddir and top_srcdir; by hand:
#   top_builddir=BUILD top_srcdir=SOURCE bindings/python/run-tests.sh [unittest args]
# The package is staged in the build tree (stage.sh), so no environment
# variable points at the library: the extension records where it is.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/../..}" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
export top_srcdir top_builddir
status=0
stage=$("$here/stage.sh") || status=$?
if [ "$status" -ne 0 ]; then
    exit "$status"
fi
python=${PYTHON:-python3}
# The staged package, and no __pycache__ left anywhere.
PYTHONPATH=$stage${PYTHONPATH:+:$PYTHONPATH}
PYTHONDONTWRITEBYTECODE=1
export PYTHONPATH PYTHONDONTWRITEBYTECODE
echo "python: $("$python" --version 2>&1) ($(command -v "$python")), package staged in $stage"
exec "$python" -m unittest discover -s "$here/tests" -t "$here/tests" -v "$@"
