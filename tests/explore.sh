#!/bin/sh
# The lifecycle explorer in make check (docs/lifecycle.md, "The explorer"):
#  1. every fresh device under each of the 32 policies, until no new state
#     appears (depth 15), the way back reached exactly where a product
#     auto-approves;
#  2. every record of the domains as a start, to depth 6, under four policies
#     that between them give each product every setting (one policy when
#     PP_TEST_LIGHT is set);
#  3. each deliberately broken transition is caught, with a story.
# The deep run (over a million states) is `make explore-deep`.
set -eu
x="${top_builddir:-.}/tests/explore"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail() { echo "FAIL: $*"; cat "$out"; exit 1; }

"$x" --depth 0 -q >"$out" || fail "fresh devices, every policy"
grep -q '^all invariants hold$' "$out" || fail "no verdict"
grep -q '^way back .*: reached under 24 policies$' "$out" || fail "the way back"
cat "$out"

# PP_TEST_LIGHT (the ASan run, scripts/sanitize.sh): policy 0 alone.
policies=0,13,18,31
[ -z "${PP_TEST_LIGHT:-}" ] || policies=0
"$x" --starts all --depth 6 --policy "$policies" -q >"$out" || fail "every record, policies $policies"
grep -q '^all invariants hold$' "$out" || fail "no verdict"
grep -q '^deepest level: 6$' "$out" || fail "depth 6 not reached"
cat "$out"

# NAME, the invariant it breaks, and a line its story must hold.
while read -r name invariant step; do
    if "$x" --depth 0 --break "$name" >"$out"; then
        fail "--break $name was not caught"
    fi
    grep -q "^VIOLATION of invariant $invariant " "$out" || fail "--break $name: not invariant $invariant"
    grep -q '^story (' "$out" || fail "--break $name: no story"
    grep -q '^  start: record:' "$out" || fail "--break $name: no start record"
    grep -q "$step" "$out" || fail "--break $name: the story does not show '$step'"
    echo "--break $name: caught by invariant $invariant"
done <<'BREAKS'
no-store 5 reconnect: quarantine
unauthorized-approve 1 approve_quarantined in [0-9]*: refused
remove-forgets 3 remove_device in [0-9]*: applied
deny-forgets 4 deny_quarantined in [0-9]*: applied
BREAKS
