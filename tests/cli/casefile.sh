#!/bin/sh
# ppolicy test: the shipped example cases pass; failures are reported with
# expected and actual values (golden); --policy overrides the file's policy;
# a malformed case file is an error with its position (golden); statuses.
# shellcheck source=tests/cli/lib.sh
. "${top_srcdir:-.}/tests/cli/lib.sh"

# The example policy's own test file, as `make check` promises.
expect_status 0 "$PPOLICY" test "$EXAMPLES/fleet.cases.yaml"
checks=$((checks + 1))
grep -Eq '^[1-9][0-9]* passed, 0 failed$' "$TMP/out" || fail "examples/fleet.cases.yaml: $(cat "$TMP/out")"
cat "$TMP/out"
# It covers every outcome of the example fleet.
for outcome in ok limited quarantine auto_approve deny reappear_as_denied; do
    contains "$EXAMPLES/fleet.cases.yaml" "outcome: $outcome,"
done

cd "$DATA"
expect_status 0 "$PPOLICY" test passing.cases.yaml
contains "$TMP/out" "3 passed, 0 failed"

expect_status 1 "$PPOLICY" test failing.cases.yaml
golden test-failing.out "$TMP/out"

# The same cases against another policy: what the change breaks.
expect_status 1 "$PPOLICY" test --policy policy-changed.yaml passing.cases.yaml
golden test-policy-changed.out "$TMP/out"

# Several files: one summary; a failure anywhere fails the run.
expect_status 1 "$PPOLICY" test passing.cases.yaml failing.cases.yaml
contains "$TMP/out" "4 passed, 10 failed"

# Malformed case files: status 2 (1 for an invalid policy), an error with
# the position; the cases before the problem still count.
: >"$TMP/errors"
for f in cases-bad/*.yaml; do
    run "$PPOLICY" test "$f"
    want=2
    [ "$f" = cases-bad/invalid-policy.yaml ] && want=1
    checks=$((checks + 1))
    [ "$status" = "$want" ] || fail "$f: status $status, expected $want"
    cat "$TMP/err" >>"$TMP/errors"
done
golden test-errors.err "$TMP/errors"
expect_status 2 "$PPOLICY" test passing.cases.yaml no-such-cases.yaml
contains "$TMP/err" "ppolicy: cannot read no-such-cases.yaml: No such file or directory"
contains "$TMP/out" "3 passed, 0 failed"

finish
