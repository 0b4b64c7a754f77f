#!/bin/sh
# ppolicy decide's effects and --next-record: what each decision writes (one
# record per effect in data/lifecycle.yaml), the record to store after it,
# the fixpoint (deciding the stored records again writes nothing more), and
# the effects line of explain.
# shellcheck source=tests/cli/lib.sh
. "${top_srcdir:-.}/tests/cli/lib.sh"
need_python
cd "$DATA"

# Without the option: effects on every line, no next_record.
expect_status 0 "$PPOLICY" decide --policy policy.yaml lifecycle.yaml
golden decide-effects.out "$TMP/out"
json_lines "$TMP/out"
checks=$((checks + 1))
! grep -q next_record "$TMP/out" || fail "next_record without --next-record"

expect_status 0 "$PPOLICY" decide --policy policy.yaml --next-record lifecycle.yaml
golden decide-next-record.out "$TMP/out"
json_lines "$TMP/out"
cp "$TMP/out" "$TMP/first.out"
expect_status 0 "$PPOLICY" decide -p policy.yaml -n lifecycle.yaml
checks=$((checks + 1))
cmp -s "$TMP/out" "$TMP/first.out" || fail "-n differs from --next-record"

# Every effect is in the golden, and a malformed record stores nothing.
for e in join enter_quarantine enter_denied_list leave_denied_list leave_quarantine \
    '"leaves_denied":1001' '"leaves_quarantine":1002' '"next_record":null'; do
    contains "$TMP/first.out" "$e"
done

# The next records, decided again, write nothing and grant the same
# privileges (docs/lifecycle.md, rule 5).
checks=$((checks + 1))
python3 - "$TMP/first.out" "$TMP/next.json" <<'PY' || fail "could not collect the next records"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
json.dump([l["next_record"] for l in lines if l["next_record"] is not None],
          open(sys.argv[2], "w"))
PY
expect_status 0 "$PPOLICY" decide --policy policy.yaml "$TMP/next.json"
checks=$((checks + 1))
python3 - "$TMP/first.out" "$TMP/out" <<'PY' || fail "a second reconnect is not a fixpoint"
import json, sys
first = [json.loads(l) for l in open(sys.argv[1])]
first = [l for l in first if l["next_record"] is not None]
again = [json.loads(l) for l in open(sys.argv[2])]
assert len(first) == len(again), (len(first), len(again))
for a, b in zip(first, again):
    assert b["effects"] == [], b
    assert a["privileges"] == b["privileges"], (a, b)
PY

# explain names the effects in its text.
expect_status 0 "$PPOLICY" explain --policy policy.yaml \
    '{id: cc0000000000000000000003, platform_id: tracker, device_os: 3.3.1, firmware_product_id: 1001, removed_from: 1001}'
contains "$TMP/out" "effects:      enter_denied_list"
expect_status 0 "$PPOLICY" explain --policy policy.yaml \
    '{id: cc0000000000000000000004, platform_id: tracker, device_os: 3.3.1, denied_in: 1001}'
contains "$TMP/out" "effects:      leave_denied_list (leaves product 1001's Denied list)"

finish
