#!/bin/sh
# The names each section-3 page documents, from its NAME line (the names
# before "\-"), one "PAGE NAME" line per name: make install writes a ".so"
# page for every NAME that is not the PAGE itself, so `man pp_team_add`
# finds pp_team_new(3); tests/check-man.sh checks them against the header.
#   docs/man3/names.sh docs/man3/*.3
set -eu
for page in "$@"; do
    base=$(basename "$page" .3)
    awk '/^\.SH NAME/ { on = 1; next } /^\.SH/ { on = 0 } on' "$page" |
        sed 's/ *\\-.*//' | tr ',' '\n' | sed 's/^ *//; s/ *$//' | grep -v '^$' |
        while read -r name; do printf '%s %s\n' "$base" "$name"; done
done
