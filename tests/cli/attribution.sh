#!/bin/sh
# Invalid bytes are attributed exactly (issue 10.3): random records, each
# string field and the note holding a random number of bytes that are not
# text (0 to 80 of them, far more than any fixed table would track), in
# random field order.  A record is reported for bad bytes exactly when one
# of its checked fields held some, and the field named is the first such
# field in input order; a clean field is never blamed for a neighbour's
# bytes, and bad bytes in the note (free text, not checked) never make a
# record invalid; in YAML and in JSON Lines.
# shellcheck source=tests/cli/lib.sh
. "${top_srcdir:-.}/tests/cli/lib.sh"
need_python
cd "$DATA"

# check FORMAT SEED: generate, decide, compare.
check() {
    checks=$((checks + 1))
    python3 - "$1" "$2" "$TMP/records.$1" "$TMP/expected.$1" <<'PY' || fail "cannot generate $1 records"
import json, random, sys
fmt, seed, path, expected_path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
r = random.Random(seed)
# Byte sequences the reader refuses: stray continuation bytes, overlongs,
# surrogates, code points past U+10FFFF, truncated sequences, C0 controls,
# DEL, C1 controls (U+0085, U+009B), and a raw NUL.
BAD = [b"\x80", b"\xbf", b"\xc0\x80", b"\xc1\xbf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
       b"\xf5", b"\xff", b"\xe2\x82", b"\x01", b"\x1b", b"\x7f", b"\xc2\x85", b"\xc2\x9b",
       b"\x00"]
def not_text(b):
    try:
        s = b.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return any((ord(c) < 0x20 and c not in "\t\n\r") or 0x7F <= ord(c) <= 0x9F or
               ord(c) in (0xFFFE, 0xFFFF) for c in s)
CLEAN = {"id": None, "device_os": b"3.3.1", "sku": b"T404MEA", "owner": b"kim@contractor.example",
         "note": "caf\u00e9 \u2713 ok".encode()}
out, expected = [], []
for n in range(1, 1501):
    fields = {"id": ("%024x" % r.getrandbits(96)).encode(), "device_os": CLEAN["device_os"],
              "platform_id": None, "firmware_product_id": None}
    for opt in ("sku", "owner", "note"):
        if r.random() < 0.7:
            fields[opt] = CLEAN[opt]
    order = list(fields)
    r.shuffle(order)
    dirty, altered = set(), False
    for name in order:
        if fields[name] is None or r.random() < 0.6:
            continue
        count = r.choice([1, 2, 31, 32, 33, r.randint(1, 80)])
        value = bytearray(fields[name])
        for _ in range(count):
            at = r.randint(0, len(value))
            value[at:at] = r.choice(BAD)
        fields[name] = bytes(value)
        if not_text(fields[name]):
            dirty.add(name)
        elif name != "note":
            altered = True   # inserted pieces joined into valid text
    parts = []
    for name in order:
        if name == "platform_id":
            parts.append(b'"platform_id": 26')
        elif name == "firmware_product_id":
            parts.append(b'"firmware_product_id": 1001')
        else:
            parts.append(b'"' + name.encode() + b'": "' + fields[name] + b'"')
    line = b"{" + b", ".join(parts) + b"}"
    out.append(b"- " + line if fmt == "yaml" else line)
    blamed = [f for f in order if f in dirty and f != "note"]
    expected.append(blamed[0] if blamed else "~" if altered else "")
open(path, "wb").write(b"\n".join(out) + b"\n")
open(expected_path, "w").write("\n".join(expected) + "\n")
PY
    run "$PPOLICY" decide --policy policy.yaml "$TMP/records.$1"
    checks=$((checks + 1))
    [ "$status" -eq 0 ] || fail "$1: decide exited $status: $(head -c 300 "$TMP/err")"
    json_lines "$TMP/out"
    checks=$((checks + 1))
    python3 - "$TMP/out" "$TMP/expected.$1" "$1" <<'PY' || fail "$1 (seed $2): invalid bytes attributed to the wrong field"
import json, re, sys
got = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
want = open(sys.argv[2]).read().split("\n")[:-1]
assert len(got) == len(want), "%d answers for %d records" % (len(got), len(want))
wrong = 0
for n, (d, field) in enumerate(zip(got, want), 1):
    m = re.search(r"field (\w+): holds bytes that are not UTF-8", d.get("error", ""))
    blamed = m.group(1) if m else ""
    if field == "~":    # text, but no longer a valid value: pp_decide may refuse it
        ok = blamed == ""
    elif field == "":   # a clean record decides normally
        ok = blamed == "" and "error_code" not in d
    else:
        ok = blamed == field and d["error_code"] == "invalid_value"
    if not ok:
        wrong += 1
        if wrong <= 5:
            print("record %d: expected %r, got %s" % (n, field or "no error", d.get("error")))
if wrong:
    sys.exit("%s: %d of %d records wrong" % (sys.argv[3], wrong, len(got)))
PY
}

for seed in 1 2 3; do
    check yaml "$seed"
    check jsonl "$seed"
done

finish
