#!/bin/sh
# scripts/hardware-diff.py against sources written from the fact lists
# (tests/data/published-*.txt, shaped like device-constants' constants.json
# and the docs' carriers.json): no difference as they are, and each kind of
# difference found once the sources are changed.
set -eu
command -v python3 >/dev/null 2>&1 || { echo "python3 not found, skipping"; exit 77; }
builddir=$(cd "${top_builddir:-.}" && pwd)
srcdir=$(cd "${top_srcdir:-.}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# sources.py OUT [change...]: write OUT/constants.json and OUT/carriers.json.
cat >"$tmp/sources.py" <<'PY'
import json, os, sys
data, out, changes = sys.argv[1], sys.argv[2], sys.argv[3:]
def rows(name):
    for line in open(os.path.join(data, name), encoding="utf-8"):
        f = line.split()
        if f and not f[0].startswith("#"):
            yield f
constants = {f[1]: {"id": int(f[0]), "name": f[1], "productEligible": f[2] == "yes"}
             for f in rows("published-platforms.txt")}
# As published: the source's own platformId, without the SKUs it withdrew.
skus = [{"name": f[0], "platformId": int(f[1])} for f in rows("published-skus.txt")
        if f[4:] != ["withdrawn"]]
skus.append({"name": "ANT-FLXU"})     # accessories name no platform
if "changed" in changes:
    del constants["sulu"]
    constants["future"] = {"id": 200, "name": "future", "productEligible": True}
    constants["duo"]["productEligible"] = True
    skus = [s for s in skus if not s["name"].startswith("XEN")]
    for s in skus:
        if s["name"] == "B524MEA":
            s["platformId"] = 23
        if s["name"] == "E404XTRAY50":
            s["platformId"] = 15
    skus += [{"name": "ZZTOP1", "platformId": 6},
             {"name": "ELC504EMEA", "platformId": 37}]
os.makedirs(out, exist_ok=True)
json.dump(constants, open(os.path.join(out, "constants.json"), "w"))
json.dump({"skus": skus}, open(os.path.join(out, "carriers.json"), "w"))
PY

diff_of() {
    python3 "$srcdir/scripts/hardware-diff.py" --constants "$1/constants.json" \
        --carriers "$1/carriers.json" --ppolicy "$builddir/cli/ppolicy"
}

python3 "$tmp/sources.py" "$srcdir/tests/data" "$tmp/same"
diff_of "$tmp/same" >"$tmp/out" || { cat "$tmp/out"; echo "FAIL: differences against the fact lists"; exit 1; }
grep -q ': no difference$' "$tmp/out" || { cat "$tmp/out"; echo "FAIL: no summary"; exit 1; }

python3 "$tmp/sources.py" "$srcdir/tests/data" "$tmp/changed" changed
if diff_of "$tmp/changed" >"$tmp/out"; then
    cat "$tmp/out"; echo "FAIL: changed sources gave exit status 0"; exit 1
fi
failed=0
for want in \
    'missing platform 200 future (product-eligible: yes)' \
    'different platform 88 duo: product-eligible no in the table, yes in device-constants' \
    'extra platform 38 sulu: not in device-constants' \
    'missing SKU ZZTOP1 (platform 6): no prefix places it' \
    'different SKU B524MEA: the table gives platform 25 (prefix B5), the source 23' \
    'different SKU E404XTRAY50: the source now gives platform 15 too; drop the choice (DECIDED, docs/hardware.md)' \
    'different SKU ELC504EMEA: published again; drop it from WITHDRAWN and docs/hardware.md' \
    'extra prefix XEN (platform 14): places no published SKU' \
    ': 8 differences'; do
    grep -qF -- "$want" "$tmp/out" || { echo "FAIL: not reported: $want"; failed=1; }
done
[ "$failed" = 0 ] || { cat "$tmp/out"; exit 1; }
echo "hardware-diff: no difference against the fact lists; 8 planted differences found"
