#!/bin/sh
# ppolicy validate: a one-line summary per valid policy, compiler-style errors
# (FILE:LINE:COLUMN: error: MESSAGE [code]) with did-you-mean hints, and the
# exit statuses 0 valid, 1 invalid, 2 usage or unreadable.
# shellcheck source=tests/cli/lib.sh
. "${top_srcdir:-.}/tests/cli/lib.sh"
cd "$DATA"

# Fingerprints are checked by tables.sh; here they are masked so a change of
# the canonical form does not churn these goldens.
mask() { sed 's/fingerprint [0-9a-f]\{16\}$/fingerprint FINGERPRINT/' "$1" >"$1.masked"; }

expect_status 0 "$PPOLICY" validate policy.yaml policy-reordered.yaml
mask "$TMP/out"
golden validate-ok.out "$TMP/out.masked"
checks=$((checks + 1))
[ ! -s "$TMP/err" ] || fail "validate wrote to stderr for valid policies"

expect_status 0 "$PPOLICY" validate --quiet policy.yaml
checks=$((checks + 1))
[ ! -s "$TMP/out" ] || fail "validate --quiet printed something"

# Every file is checked, bad ones reported in order; the status is 1.
expect_status 1 "$PPOLICY" validate bad-family.yaml policy.yaml bad-key.yaml bad-syntax.yaml \
    bad-version.yaml
golden validate-errors.err "$TMP/err"
mask "$TMP/out"
golden validate-errors.out "$TMP/out.masked"

# Every schema error of a file in one run, in source order, each with its
# source line and a caret under its column (in characters); --max-errors
# shows fewer and says how many more there are; JSON gives them as data.
expect_status 1 "$PPOLICY" validate many-errors.yaml
golden validate-many.err "$TMP/err"
checks=$((checks + 1))
[ "$(grep -c ': error: ' "$TMP/err")" -eq 5 ] || fail "validate did not report all 5 errors"
expect_status 1 "$PPOLICY" validate --max-errors 2 many-errors.yaml
checks=$((checks + 1))
[ "$(grep -c ': error: ' "$TMP/err")" -eq 2 ] || fail "--max-errors 2 did not show 2 errors"
contains "$TMP/err" "many-errors.yaml: 3 more errors not shown (--max-errors 2)"
expect_status 2 "$PPOLICY" validate --max-errors 101 many-errors.yaml
contains "$TMP/err" "--max-errors: expected 1 to 100, found '101'"
expect_status 2 "$PPOLICY" validate --max-errors 0 many-errors.yaml
# The check stops at 100 errors (the library's limit), and says so.
awk 'BEGIN { print "version: 1\nproducts:"; for (i = 1; i <= 150; i++) print "  - {id: " i ", name: P, family: nofamily}" }' \
    >"$TMP/150-errors.yaml"
expect_status 1 "$PPOLICY" validate --max-errors 100 "$TMP/150-errors.yaml"
checks=$((checks + 1))
[ "$(grep -c ': error: ' "$TMP/err")" -eq 100 ] || fail "validate did not show 100 errors"
contains "$TMP/err" "150-errors.yaml: stopped after 100 errors"

# Standard input.
expect_status 1 "$PPOLICY" validate - <bad-key.yaml
contains "$TMP/err" "<stdin>:6:5: error: products[0]: unknown key 'unrecognised_devices' (did you mean 'unrecognized_devices'?) [unknown_key]"
expect_status 0 "$PPOLICY" validate - <policy.yaml
contains "$TMP/out" "<stdin>: valid: 3 products"

# Unreadable beats invalid: 2.
expect_status 2 "$PPOLICY" validate bad-key.yaml no-such-file.yaml
contains "$TMP/err" "ppolicy: cannot read no-such-file.yaml: No such file or directory"
expect_status 2 "$PPOLICY" validate .
contains "$TMP/err" "ppolicy: cannot read .: Is a directory"
expect_status 2 "$PPOLICY" validate
contains "$TMP/err" "ppolicy validate: no policy file given"

# Hostile policy text: the library's limits answer, ppolicy reports them.
: >"$TMP/empty.yaml"
expect_status 1 "$PPOLICY" validate "$TMP/empty.yaml"
contains "$TMP/err" "error:"
head -c 17000000 /dev/zero | tr '\0' '#' >"$TMP/huge.yaml"
expect_status 1 "$PPOLICY" validate "$TMP/huge.yaml"
contains "$TMP/err" "[limit_exceeded]"
awk 'BEGIN { s = "version: 1\nproducts: "; for (i = 0; i < 10000; i++) s = s "["; print s }' \
    >"$TMP/deep.yaml"
expect_status 1 "$PPOLICY" validate "$TMP/deep.yaml"
contains "$TMP/err" "[limit_exceeded]"
printf 'version: 1\n\001\377\000\n' >"$TMP/binary.yaml"
expect_status 1 "$PPOLICY" validate "$TMP/binary.yaml"
contains "$TMP/err" "[yaml_syntax]"

# The example policy is valid.
expect_status 0 "$PPOLICY" validate "$EXAMPLES/policy.yaml"

finish
