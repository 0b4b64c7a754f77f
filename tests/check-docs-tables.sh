#!/bin/sh
# The tables docs/*.md marks as generated are exactly what ppolicy prints
# (scripts/docs-tables.py rewrites them).
set -eu
command -v python3 >/dev/null 2>&1 || { echo "python3 not found, skipping"; exit 77; }
builddir=$(cd "${top_builddir:-.}" && pwd)
cd "${top_srcdir:-.}"
python3 scripts/docs-tables.py --check --ppolicy "$builddir/cli/ppolicy" docs/*.md
echo "docs tables: every generated table matches ppolicy"
