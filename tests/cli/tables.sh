#!/bin/sh
# ppolicy fingerprint, platforms, families: the built-in tables (golden,
# reviewed against docs/hardware.md), a policy's own additions, and
# fingerprints that ignore layout but not rules.
# shellcheck source=tests/cli/lib.sh
. "${top_srcdir:-.}/tests/cli/lib.sh"
cd "$DATA"

expect_status 0 "$PPOLICY" platforms
golden platforms.out "$TMP/out"
expect_status 0 "$PPOLICY" families
golden families.out "$TMP/out"
# The markdown form docs/hardware.md shows (tests/check-hardware-docs.sh
# checks the page against it).
expect_status 0 "$PPOLICY" platforms --format markdown
golden platforms.md "$TMP/out"
expect_status 0 "$PPOLICY" families -f markdown -p custom-platforms.yaml
golden families-custom.md "$TMP/out"
expect_status 2 "$PPOLICY" platforms --format html
contains "$TMP/err" "unknown format 'html'"

# A policy's own platforms and SKUs appear in its tables.
expect_status 0 "$PPOLICY" platforms --policy custom-platforms.yaml
golden platforms-custom.out "$TMP/out"
expect_status 0 "$PPOLICY" families -p custom-platforms.yaml
golden families-custom.out "$TMP/out"
expect_status 1 "$PPOLICY" platforms -p bad-family.yaml
expect_status 2 "$PPOLICY" families -p no-such-policy.yaml

# Fingerprints: 16 hex digits; the same for the same rules written
# differently; different when a rule changes.
expect_status 0 "$PPOLICY" fingerprint policy.yaml
fp=$(cat "$TMP/out")
checks=$((checks + 1))
printf '%s\n' "$fp" | grep -Eqx '[0-9a-f]{16}' || fail "fingerprint is not 16 hex digits: $fp"
expect_status 0 "$PPOLICY" fingerprint policy-reordered.yaml
checks=$((checks + 1))
[ "$(cat "$TMP/out")" = "$fp" ] || fail "reordering the policy changed its fingerprint"
expect_status 0 "$PPOLICY" fingerprint - <policy.yaml
checks=$((checks + 1))
[ "$(cat "$TMP/out")" = "$fp" ] || fail "the fingerprint from standard input differs"
expect_status 0 "$PPOLICY" fingerprint policy-changed.yaml
checks=$((checks + 1))
[ "$(cat "$TMP/out")" != "$fp" ] || fail "changing a rule kept the fingerprint"
# validate shows the same fingerprint.
"$PPOLICY" validate policy.yaml >"$TMP/validate"
contains "$TMP/validate" "fingerprint $fp"

expect_status 1 "$PPOLICY" fingerprint bad-key.yaml
contains "$TMP/err" "bad-key.yaml:6:5: error: "
checks=$((checks + 1))
[ ! -s "$TMP/out" ] || fail "fingerprint printed something for an invalid policy"
expect_status 2 "$PPOLICY" fingerprint no-such-policy.yaml

finish
