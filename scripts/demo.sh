#!/bin/sh
# Set everything up on a fresh Debian machine and decide the example fleet.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/build.sh"
cd "$top/build"
echo "== examples/decide_fleet examples/policy.yaml examples/fleet.json"
./examples/decide_fleet "$top/examples/policy.yaml" "$top/examples/fleet.json"
