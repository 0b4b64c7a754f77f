#!/bin/sh
# Install the Debian packages the build, tests and demo need (idempotent).
set -eu
# cmake: tests/check-consumers.sh builds a CMake consumer (and installs the
# Python binding into a fresh venv: python3-venv, python3-dev).
# golang-github-casbin-casbin-dev: casbin for Go, a peer of make bench-peers.
packages="build-essential autoconf automake libtool pkg-config libyaml-dev libyajl-dev libxxhash-dev check python3 python3-dev python3-venv golang-go valgrind cmake golang-github-casbin-casbin-dev"
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
$sudo apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
