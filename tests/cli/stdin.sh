#!/bin/sh
# `-` is standard input for every command that reads a file: the policy
# (--policy - or a POLICY argument), devices, a device, case files,
# requests and audit records.  Each gives what the same file gives.  Two
# files cannot both be standard input.
# shellcheck source=tests/cli/lib.sh
. "${top_srcdir:-.}/tests/cli/lib.sh"
cd "$DATA"

# same_stdin FILE ARGS...: ARGS with `-` read FILE from standard input, and
# with FILE in place of `-`: same status, same output.
same_stdin() {
    file=$1
    shift
    with_file=""
    for a in "$@"; do
        [ "$a" = - ] && a=$file
        with_file="$with_file $a"
    done
    # shellcheck disable=SC2086 # word splitting on purpose
    run "$PPOLICY" $with_file
    cp "$TMP/out" "$TMP/file.out"
    want=$status
    set +e
    "$PPOLICY" "$@" <"$file" >"$TMP/out" 2>"$TMP/err"
    status=$?
    set -e
    checks=$((checks + 1))
    [ "$status" = "$want" ] || fail "ppolicy $* < $file: status $status, with the file $want"
    checks=$((checks + 1))
    sed 's/<stdin>/FILE/g' "$TMP/out" >"$TMP/stdin.masked"
    sed "s|$file|FILE|g" "$TMP/file.out" >"$TMP/file.masked"
    cmp -s "$TMP/stdin.masked" "$TMP/file.masked" ||
        fail "ppolicy $* < $file: output differs from the file's"
    checks=$((checks + 1))
    [ -s "$TMP/out" ] || fail "ppolicy $* < $file: no output"
}

same_stdin policy.yaml validate -
same_stdin policy.yaml fingerprint -
same_stdin custom-platforms.yaml platforms --policy -
same_stdin custom-platforms.yaml families -p -
same_stdin devices.json decide --policy policy.yaml -
same_stdin policy.yaml decide --policy - devices.json
same_stdin authz-device.yaml explain --policy authz-policy.yaml -
same_stdin passing.cases.yaml test -
same_stdin policy.yaml test --policy - passing.cases.yaml
same_stdin authz-device.yaml authorize --policy authz-policy.yaml --actor dev \
    --action approve_quarantined --product 100 -
same_stdin requests.yaml authorize --policy authz-policy.yaml --batch -
same_stdin audit-records.yaml audit --policy policy.yaml -

for args in "decide -p - -" "explain -p - -" "test -p - -" "audit -p - -" \
    "authorize -p - --batch -" "test - -"; do
    # shellcheck disable=SC2086
    expect_status 2 "$PPOLICY" $args </dev/null
    contains "$TMP/err" "cannot both be standard input"
done

finish
