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

# Malformed case files: status 2 (1 for an invalid policy), every problem
# with its position, the key and a did-you-mean when a word is close; and
# nothing is run or counted (standard output stays empty).
: >"$TMP/errors"
for f in cases-bad/*.yaml; do
    run "$PPOLICY" test "$f"
    want=2
    [ "$f" = cases-bad/invalid-policy.yaml ] && want=1
    checks=$((checks + 1))
    [ "$status" = "$want" ] || fail "$f: status $status, expected $want"
    checks=$((checks + 1))
    [ ! -s "$TMP/out" ] || fail "$f: a malformed case file printed counts: $(cat "$TMP/out")"
    cat "$TMP/err" >>"$TMP/errors"
done
golden test-errors.err "$TMP/errors"
# A good file beside a bad one: the bad one is reported, nothing runs.
expect_status 2 "$PPOLICY" test passing.cases.yaml no-such-cases.yaml
contains "$TMP/err" "ppolicy: cannot read no-such-cases.yaml: No such file or directory"
checks=$((checks + 1))
[ ! -s "$TMP/out" ] || fail "counts printed beside an unreadable case file: $(cat "$TMP/out")"
expect_status 2 "$PPOLICY" test passing.cases.yaml cases-bad/bad-outcome.yaml
checks=$((checks + 1))
[ ! -s "$TMP/out" ] || fail "counts printed before a malformed case file's error"

# Several problems in one file, each reported once, with did-you-mean.
expect_status 2 "$PPOLICY" test typos.cases.yaml
golden test-typos.err "$TMP/err"
expect_status 2 "$PPOLICY" test --format json typos.cases.yaml
golden test-typos.json "$TMP/out"
json_lines "$TMP/out"

# -v lists every case; --run selects by name (a regular expression).
expect_status 0 "$PPOLICY" test -v passing.cases.yaml
golden test-verbose.out "$TMP/out"
expect_status 0 "$PPOLICY" test --run 'B SoM' passing.cases.yaml
checks=$((checks + 1))
[ "$(cat "$TMP/out")" = "1 passed, 0 failed, 2 skipped (--run)" ] ||
    fail "--run 'B SoM': $(cat "$TMP/out")"
expect_status 1 "$PPOLICY" test -v --run '^only the (rule|reason)' failing.cases.yaml
golden test-run.out "$TMP/out"
expect_status 1 "$PPOLICY" test --run '^case 3$' -v failing.cases.yaml passing.cases.yaml
contains "$TMP/out" "failing.cases.yaml:16:5: FAIL case 3"
contains "$TMP/out" "0 passed, 1 failed, 13 skipped (--run)"
expect_status 2 "$PPOLICY" test --run '(' passing.cases.yaml
contains "$TMP/err" "ppolicy test: --run: invalid pattern '('"

# --format json: one document with every case.
expect_status 1 "$PPOLICY" test --format json passing.cases.yaml failing.cases.yaml
golden test-failing.json "$TMP/out"
json_lines "$TMP/out"

# --junit FILE: a JUnit XML report beside the usual output.
expect_status 1 "$PPOLICY" test --junit "$TMP/report.xml" --run 'wrong|tracker' \
    passing.cases.yaml failing.cases.yaml
checks=$((checks + 1))
grep -q "passed, " "$TMP/out" || fail "--junit changed the text output"
golden test-junit.xml "$TMP/report.xml"
if command -v python3 >/dev/null 2>&1; then
    checks=$((checks + 1))
    python3 - "$TMP/report.xml" <<'PY' || fail "the JUnit report is not what CI systems read"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
suites = root.findall("testsuite")
assert len(suites) == 2, len(suites)
cases = root.iter("testcase")
n = f = s = 0
for c in cases:
    n += 1
    f += c.find("failure") is not None
    s += c.find("skipped") is not None
assert (n, f, s) == (int(root.get("tests")), int(root.get("failures")), int(root.get("skipped"))), (n, f, s)
assert f > 0 and s > 0 and n - f - s > 0, (n, f, s)
PY
fi
expect_status 2 "$PPOLICY" test --junit /no/such/dir/report.xml passing.cases.yaml
contains "$TMP/err" "ppolicy test: cannot write /no/such/dir/report.xml: No such file or directory"

# Standard input: the policy path is relative to the current directory.
expect_status 0 "$PPOLICY" test - <passing.cases.yaml
contains "$TMP/out" "3 passed, 0 failed"

finish
