#!/bin/sh
# ppolicy explain: golden accounts for a device per rule of the decision
# table (tests/cli/data/explain.list), the same account whatever form the
# record comes in, the check against pp_decide, and the exit statuses.
# shellcheck source=tests/cli/lib.sh
. "${top_srcdir:-.}/tests/cli/lib.sh"
cd "$DATA"

# The fingerprint line is checked against `ppolicy fingerprint` below and
# masked in the goldens.
mask() { sed 's/^\(fingerprint: *\)[0-9a-f]\{16\}$/\1FINGERPRINT/'; }

: >"$TMP/all"
while IFS= read -r record; do
    case $record in '' | '#'*) continue ;; esac
    expect_status 0 "$PPOLICY" explain --policy policy.yaml "$record"
    { echo "== $record"; mask <"$TMP/out"; } >>"$TMP/all"
    checks=$((checks + 1))
    [ ! -s "$TMP/err" ] || fail "explain wrote to stderr for $record"
done <explain.list
golden explain.out "$TMP/all"

# Each deciding rule appears once with YES and is the last rule line.
checks=$((checks + 1))
awk '/^== /{ if (n) { if (yes != 1 || last != "YES") bad++ } n++; yes = 0 }
     /^rule /{ last = $3; if ($3 == "YES") yes++ }
     END { if (yes != 1 || last != "YES") bad++; exit bad > 0 }' "$TMP/all" ||
    fail "an account does not end at exactly one YES"

record='{id: aa0000000000000000000002, platform_id: tracker, device_os: 3.3.1, firmware_product_id: 1001}'
"$PPOLICY" explain -p policy.yaml "$record" >"$TMP/inline"
printf '%s\n' "$record" >"$TMP/device.yaml"
"$PPOLICY" explain -p policy.yaml "$TMP/device.yaml" >"$TMP/file"
"$PPOLICY" explain -p policy.yaml - <"$TMP/device.yaml" >"$TMP/stdin"
printf 'id: aa0000000000000000000002\nplatform_id: 26\ndevice_os: 3.3.1\nfirmware_product_id: 1001\n' \
    >"$TMP/block.yaml"
"$PPOLICY" explain -p policy.yaml "$(cat "$TMP/block.yaml")" >"$TMP/block"
checks=$((checks + 1))
for form in file stdin block; do
    cmp -s "$TMP/inline" "$TMP/$form" || fail "explain differs between inline and $form"
done

# The fingerprint shown is the policy's.
fp=$("$PPOLICY" fingerprint policy.yaml)
contains "$TMP/inline" "fingerprint:  $fp"
contains "$TMP/inline" "legacy below: 4.0.0-0"

# Not exactly one record, or not YAML: status 2.
expect_status 2 "$PPOLICY" explain -p policy.yaml devices.json
contains "$TMP/err" "devices.json holds more than one device record"
expect_status 2 "$PPOLICY" explain -p policy.yaml - </dev/null
contains "$TMP/err" "<stdin> holds no device record"
expect_status 2 "$PPOLICY" explain -p policy.yaml '{id: [}'
contains "$TMP/err" "<inline>:1:7: error: did not find expected node content (while parsing a flow node at line 1, column 7)"
expect_status 2 "$PPOLICY" explain -p policy.yaml no-such-device.yaml
contains "$TMP/err" "ppolicy: cannot read no-such-device.yaml: No such file or directory"
expect_status 1 "$PPOLICY" explain -p bad-key.yaml "$record"
expect_status 2 "$PPOLICY" explain -p policy.yaml "$record" "$record"

# pp_decide is the authority: when the account disagrees with it (here a
# pp_decide interposed to lie), explain says so and prints its answer.
lib="$top_builddir/.libs/libparticlepolicy.so"
if [ -f "$lib" ] && ${CC:-cc} -shared -fPIC -I"$top_srcdir/include" -o "$TMP/liar.so" \
    "$DATA/liar.c" -ldl 2>"$TMP/cc.err"; then
    expect_status 0 env LD_PRELOAD="$TMP/liar.so" "$PPOLICY" explain -p policy.yaml "$record"
    contains "$TMP/out" "NOTE: this account disagrees with pp_decide, which is the authority"
    contains "$TMP/out" "decision:     quarantine (reason unrecognized_device, rule 12), product 1001"
    contains "$TMP/out" "rule 13  YES  P auto-approves and there is no owner"
    contains "$TMP/err" "ppolicy explain: the account disagrees with pp_decide (rule 13 here, 12 there)"
else
    echo "note: no shared library or no compiler: the disagreement check was not run"
fi

finish
