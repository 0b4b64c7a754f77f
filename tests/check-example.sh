#!/bin/sh
# The C example, run on the example fleet, prints exactly the expected lines.
set -eu
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"${top_builddir:-.}/examples/decide_fleet" "$top_srcdir/examples/policy.yaml" \
    "$top_srcdir/examples/fleet.json" > "$out"
if ! diff -u "$top_srcdir/examples/fleet.expected" "$out"; then
    echo "example output differs from examples/fleet.expected"; exit 1
fi
echo "example: $(wc -l < "$out") lines match examples/fleet.expected"
