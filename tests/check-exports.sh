#!/bin/bash
# The shared library exports exactly the functions the header declares
# (PP_API), each with the symbol version PARTICLEPOLICY_0 from
# lib/particlepolicy.map: no xxhash, no internal ppi_ helpers, nothing
# unprefixed, nothing unversioned.
set -eu
so="${top_builddir:-.}/.libs/libparticlepolicy.so"
map="$top_srcdir/lib/particlepolicy.map"
node=PARTICLEPOLICY_0
[ -f "$so" ] || { echo "missing $so"; exit 1; }
declared=$(sh "$top_srcdir/tests/header-functions.sh")

# The map lists exactly the header's functions.
mapped=$(sed -n 's/^ *\(pp_[a-z_0-9]*\);.*/\1/p' "$map" | sort)
unmapped=$(comm -23 <(printf '%s\n' "$declared") <(printf '%s\n' "$mapped"))
if [ -n "$unmapped" ]; then
    for f in $unmapped; do
        echo "$f is declared PP_API in include/particlepolicy.h but not in lib/particlepolicy.map:"
        echo "  add the line '    $f;' to the global: list of the $node node of lib/particlepolicy.map"
    done
    exit 1
fi
stale=$(comm -13 <(printf '%s\n' "$declared") <(printf '%s\n' "$mapped"))
if [ -n "$stale" ]; then
    echo "lib/particlepolicy.map lists functions the header does not declare:"; printf '  %s\n' $stale
    exit 1
fi

# What the library exports: defined dynamic symbols (readelf -W prints
# "name@@VERSION" for the default version of a versioned symbol).
dyn=$(readelf --dyn-syms -W "$so" | awk '$7 != "UND" && ($5 == "GLOBAL" || $5 == "WEAK") && $4 != "SECTION" && $4 != "FILE" && $8 != "" { print $8 }')
[ -n "$dyn" ] || { echo "no exported symbols found in $so"; exit 1; }
# The version node itself is an absolute symbol named after it.
dyn=$(printf '%s\n' "$dyn" | grep -vx "$node" || true)
unversioned=$(printf '%s\n' "$dyn" | grep -v "@@$node\$" || true)
if [ -n "$unversioned" ]; then
    echo "symbols exported without the version $node (is lib/particlepolicy.map passed to the linker?):"
    printf '%s\n' "$unversioned"; exit 1
fi
exported=$(printf '%s\n' "$dyn" | sed "s/@@$node\$//" | sort)
bad=$(printf '%s\n' "$exported" | grep -v '^pp_' || true)
if [ -n "$bad" ]; then
    echo "symbols exported without the pp_ prefix:"; printf '%s\n' "$bad"; exit 1
fi
if [ "$declared" != "$exported" ]; then
    echo "exports differ from the header's declarations (< header, > library):"
    diff <(printf '%s\n' "$declared") <(printf '%s\n' "$exported") || true
    exit 1
fi
readelf -V -W "$so" | grep -q "Name: $node\$" || { echo "no version definition $node in $so"; exit 1; }
echo "exports: $(printf '%s\n' "$exported" | wc -l) pp_ symbols, all declared in particlepolicy.h, all at version $node"
