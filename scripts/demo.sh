#!/bin/sh
# Set everything up on a fresh Debian machine and decide the example fleet:
# with the C example program, then with the ppolicy command-line tool.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/build.sh"
cd "$top/build"
ex="$top/examples"
echo "== examples/decide_fleet examples/policy.yaml examples/fleet.json"
./examples/decide_fleet "$ex/policy.yaml" "$ex/fleet.json"
echo
echo "== ppolicy validate examples/policy.yaml"
./cli/ppolicy validate "$ex/policy.yaml"
echo
echo "== ppolicy decide --summary examples/fleet.json (first 3 JSON lines, then the summary)"
./cli/ppolicy decide --policy "$ex/policy.yaml" --summary "$ex/fleet.json" \
    > decisions.jsonl 2> summary.txt
head -n 3 decisions.jsonl
cat summary.txt
echo
echo "== ppolicy explain: why is this tracker quarantined?"
./cli/ppolicy explain --policy "$ex/policy.yaml" '{id: 11e20b8f6b0d549b6f03675a, platform_id: tracker,
  device_os: 3.3.1, firmware_product_id: 14001, owner: mallory@example.net}'
echo
echo "== ppolicy test examples/fleet.cases.yaml"
./cli/ppolicy test "$ex/fleet.cases.yaml"
