#!/bin/sh
# Every function of the public header has a section-3 man page: it is named
# in the NAME line of exactly one page of docs/man3/, every pp_ name there is
# a function of the header, every page is installed (man3_pages in
# Makefile.am), and, where groff is installed, every page formats without a
# warning.
set -eu
src=${top_srcdir:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
sh "$src/tests/header-functions.sh" > "$tmp/declared"
sh "$src/docs/man3/names.sh" "$src"/docs/man3/*.3 > "$tmp/pages"
awk '$2 ~ /^pp_/ { print $2 }' "$tmp/pages" | sort > "$tmp/named"

missing=$(comm -23 "$tmp/declared" "$tmp/named")
if [ -n "$missing" ]; then
    echo "functions of include/particlepolicy.h no man page names (add each to the NAME line and"
    echo "SYNOPSIS of the docs/man3/ page of its group, or write a page and list it in man3_pages):"
    printf '  %s\n' $missing
    fail=1
fi
unknown=$(comm -13 "$tmp/declared" "$tmp/named" | sort -u)
if [ -n "$unknown" ]; then
    echo "man pages name functions the header does not declare:"; printf '  %s\n' $unknown
    fail=1
fi
twice=$(uniq -d "$tmp/named")
if [ -n "$twice" ]; then
    echo "functions named by more than one page (one page per function):"; printf '  %s\n' $twice
    fail=1
fi

for page in "$src"/docs/man3/*.3; do
    base=$(basename "$page")
    grep -q "docs/man3/$base\b" "$src/Makefile.am" ||
        { echo "docs/man3/$base is not in man3_pages in Makefile.am: make install would skip it"; fail=1; }
    if command -v groff >/dev/null; then
        warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
        [ -z "$warnings" ] || { echo "$base: groff warns:"; echo "$warnings"; fail=1; }
    fi
done

[ "$fail" -eq 0 ] || exit 1
echo "man pages: $(wc -l < "$tmp/declared") functions of the header named by $(ls "$src"/docs/man3/*.3 | wc -l) pages in docs/man3"
