#!/bin/bash
# The shared library must export only the library's own pp_ names: no
# xxhash, no internal ppi_ helpers, nothing unprefixed.
set -eu
so="${top_builddir:-.}/.libs/libparticlepolicy.so"
[ -f "$so" ] || { echo "missing $so"; exit 1; }
exported=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRVW]$/ { print $3 }')
[ -n "$exported" ] || { echo "no exported symbols found in $so"; exit 1; }
bad=$(printf '%s\n' "$exported" | grep -v '^pp_' || true)
if [ -n "$bad" ]; then
    echo "symbols exported without the pp_ prefix:"; printf '%s\n' "$bad"; exit 1
fi
internal=$(printf '%s\n' "$exported" | grep '^ppi_' || true)
if [ -n "$internal" ]; then
    echo "internal symbols exported:"; printf '%s\n' "$internal"; exit 1
fi
# Every function the header declares must be exported, and nothing more.
declared=$(sh "$top_srcdir/tests/header-functions.sh")
actual=$(printf '%s\n' "$exported" | sort)
if [ "$declared" != "$actual" ]; then
    echo "exports differ from the header's declarations:"
    diff <(printf '%s\n' "$declared") <(printf '%s\n' "$actual") || true
    exit 1
fi
echo "exports: $(printf '%s\n' "$exported" | wc -l) pp_ symbols, all declared in particlepolicy.h"
