#!/bin/sh
# make bench-peers: install pinned casbin and cedar-wasm from the npm registry
# into $top_builddir/bench/peers/node_modules-dir (never committed), run the
# library's side of the workload (bench/ppbench --peers, Python), then the
# peers on the same workload (peers.js), which prints the table.
#   top_builddir=BUILD top_srcdir=SOURCE bench/peers/run.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/../..}" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
for tool in node npm; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "error: $tool is needed (Node 20: apt-get install nodejs npm)" >&2
        exit 1
    fi
done
modules=$top_builddir/bench/peers/node_modules-dir
if [ ! -f "$modules/node_modules/casbin/package.json" ] ||
   [ ! -f "$modules/node_modules/@cedar-policy/cedar-wasm/package.json" ]; then
    mkdir -p "$modules"
    npm install --no-audit --no-fund --no-save --prefix "$modules" \
        casbin@5.51.1 @cedar-policy/cedar-wasm@4.13.0 >&2
fi

cache=$top_builddir/bench/cache
mkdir -p "$cache"
# The C runs are short (100,000 calls take ~10 ms): many of them keep a
# busy machine's preemptions out of the median.
c=$("$top_builddir/bench/ppbench" --peers --repeat 21 --cache "$cache")
stage=$(top_srcdir=$top_srcdir top_builddir=$top_builddir "$top_srcdir/bindings/python/stage.sh")
py=$(PYTHONPATH=$stage PYTHONDONTWRITEBYTECODE=1 \
     "${PYTHON:-python3}" "$here/peer_python.py" "$cache/peer-policy.yaml")
# "workload median min max" lines (C, then Python) into the JSON peers.js reads.
json=$(printf '%s\n%s\n' "$c" "$py" | awk '
    function obj(m, lo, hi) { return "{\"median\":" m ",\"min\":" lo ",\"max\":" hi "}" }
    { v = obj($2, $3, $4); if ($1 in c) py[$1] = v; else c[$1] = v }
    END { printf "{\"authorization\":{\"c\":%s,\"python\":%s},", c["authorization"], py["authorization"]
          printf "\"admission\":{\"c\":%s,\"python\":%s}}", c["admission"], py["admission"] }')
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "machine: $(nproc) cores, ${cpu:-unknown CPU}; $(date -u +%Y-%m-%dT%H:%MZ)"
exec node "$here/peers.js" "$modules" "$json"
