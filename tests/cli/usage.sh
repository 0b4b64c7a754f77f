#!/bin/sh
# ppolicy's command line: help for the program and each command, the
# version, and exit status 2 with a pointer to --help for every usage error.
# shellcheck source=tests/cli/lib.sh
. "${top_srcdir:-.}/tests/cli/lib.sh"

expect_status 0 "$PPOLICY" --help
for cmd in validate decide explain test fingerprint platforms families; do
    contains "$TMP/out" "  $cmd "
done
contains "$TMP/out" "Exit status: 0 success, 1 invalid policy or failed tests, 2 bad usage"
expect_status 0 "$PPOLICY" -h
expect_status 0 "$PPOLICY" help
contains "$TMP/out" "Usage: ppolicy COMMAND"

for cmd in validate decide explain test fingerprint platforms families; do
    expect_status 0 "$PPOLICY" "$cmd" --help
    contains "$TMP/out" "Usage: ppolicy $cmd"
    contains "$TMP/out" "Exit status"
    expect_status 0 "$PPOLICY" "$cmd" -h
    contains "$TMP/out" "Usage: ppolicy $cmd"
    expect_status 0 "$PPOLICY" help "$cmd"
    contains "$TMP/out" "Usage: ppolicy $cmd"
    expect_status 2 "$PPOLICY" "$cmd" --no-such-option
    contains "$TMP/err" "ppolicy $cmd: unknown option '--no-such-option'"
    contains "$TMP/err" "Try 'ppolicy $cmd --help'."
    expect_status 2 "$PPOLICY" "$cmd" -Z
    contains "$TMP/err" "ppolicy $cmd: unknown option '-Z'"
done

expect_status 0 "$PPOLICY" --version
contains "$TMP/out" "ppolicy 0.1.0 (libparticlepolicy 0.1.0)"
expect_status 0 "$PPOLICY" -V

expect_status 2 "$PPOLICY"
contains "$TMP/err" "Usage: ppolicy COMMAND"
expect_status 2 "$PPOLICY" frobnicate
contains "$TMP/err" "ppolicy: unknown command 'frobnicate'"
expect_status 2 "$PPOLICY" help frobnicate
expect_status 2 "$PPOLICY" decide --policy
contains "$TMP/err" "ppolicy decide: option '--policy' needs a value"
expect_status 2 "$PPOLICY" explain -p
contains "$TMP/err" "ppolicy explain: option '-p' needs a value"
expect_status 2 "$PPOLICY" decide
contains "$TMP/err" "ppolicy decide: --policy is required"
expect_status 2 "$PPOLICY" explain "{id: x}"
contains "$TMP/err" "ppolicy explain: --policy is required"
expect_status 2 "$PPOLICY" fingerprint
expect_status 2 "$PPOLICY" fingerprint a.yaml b.yaml
contains "$TMP/err" "ppolicy fingerprint: give exactly one policy file"
expect_status 2 "$PPOLICY" platforms extra
contains "$TMP/err" "ppolicy platforms: unexpected argument 'extra'"
expect_status 2 "$PPOLICY" test
contains "$TMP/err" "ppolicy test: no case file given"

# The manual page is well-formed (when man is installed).
if command -v man >/dev/null 2>&1; then
    checks=$((checks + 1))
    MANWIDTH=80 man -l "$top_srcdir/docs/ppolicy.1" >"$TMP/man" 2>"$TMP/man.err" ||
        fail "man cannot format docs/ppolicy.1"
    contains "$TMP/man" "validate product policies, decide device fleets"
fi

finish
