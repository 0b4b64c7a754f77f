#!/bin/sh
# Proof from a clean machine: configure and install this source tree into a
# temporary prefix, then build and run, outside the source and build trees,
# the consumers a user would write:
#   1. the README's C example, built with pkg-config,
#   2. the same file built with CMake (find_package(particlepolicy)),
#   3. a Python program in a fresh venv after `pip install bindings/python`
#      (offline), run with no LD_LIBRARY_PATH or other variable,
#   4. a Go module outside the repository that requires the binding through
#      a replace directive (offline: GOPROXY=off).
# Each runs with a clean environment (PATH and HOME only) and must print
# what the README says.  Also checks what make install put in the prefix:
# the licence and docs, the man pages, the .pc and CMake files.
#
#   tests/check-consumers.sh            (CI runs it after scripts/test.sh)
#   KEEP=1 tests/check-consumers.sh     keeps the scratch directory
set -eu
src=$(cd "${top_srcdir:-$(dirname "$0")/..}" && pwd)
tmp=$(mktemp -d)
[ -n "${KEEP:-}" ] && echo "scratch: $tmp" || trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
step() { printf '%s: %s\n' "$(date +%T)" "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# A user's shell after the install: no variable pointing at the library.
clean() { env -i PATH="$PATH" HOME="$tmp/home" "$@"; }
mkdir -p "$tmp/home"
# What a user's builds must not touch: the source tree (when it is a git
# checkout, its status before and after).
tree_state() { git -C "$src" status --porcelain --untracked-files=all 2>/dev/null || true; }
tree_before=$(tree_state)

step "configure --prefix=$prefix and make install"
[ -x "$src/configure" ] || (cd "$src" && autoreconf -fi >/dev/null 2>&1)
mkdir "$tmp/build"
(cd "$tmp/build" && "$src/configure" -q --prefix="$prefix" >/dev/null &&
    make -j"${JOBS:-2}" install >make.log 2>&1) || { tail -n 30 "$tmp/build/make.log"; fail "install"; }

step "what the install holds"
for f in include/particlepolicy.h lib/pkgconfig/particlepolicy.pc \
         lib/cmake/particlepolicy/particlepolicyConfig.cmake \
         lib/cmake/particlepolicy/particlepolicyConfigVersion.cmake \
         share/doc/libparticlepolicy/LICENSE share/doc/libparticlepolicy/NEWS \
         share/man/man1/ppolicy.1 share/man/man3/particlepolicy.3 \
         share/man/man3/pp_decide.3 share/man/man3/pp_decide_many.3; do
    [ -f "$prefix/$f" ] || fail "make install did not install $f"
done
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
pkg-config --validate particlepolicy || fail "pkg-config --validate"
[ "$(pkg-config --variable=prefix particlepolicy)" = "$prefix" ] || fail "the .pc file's prefix"
grep -q '^License: Apache-2.0$' "$prefix/lib/pkgconfig/particlepolicy.pc" || fail "no License in the .pc file"
libdir=$(pkg-config --variable=libdir particlepolicy)

# The README's C example inside a main that reads the example policy; the
# comment after its printf says what it prints.
awk '/^## Using the library/ { on = 1 } on && /^```c$/ { code = 1; next }
     code && /^```$/ { exit } code' "$src/README.md" > "$tmp/snippet.c"
grep -q pp_decide "$tmp/snippet.c" || fail "no C example under 'Using the library' in README.md"
want=$(sed -n 's|.*dec\.rule); */\* \(.*\) \*/$|\1|p' "$tmp/snippet.c")
[ -n "$want" ] || fail "the README's C example does not say what it prints (/* ... */ after its printf)"
mkdir "$tmp/c"
{
    grep '^#include' "$tmp/snippet.c"
    cat <<'C'
#include <stdio.h>
#include <stdlib.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = malloc(1 << 20);
    *len = f && buf ? fread(buf, 1, 1 << 20, f) : 0;
    if (f)
        fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    size_t yaml_len;
    char *yaml = argc > 1 ? slurp(argv[1], &yaml_len) : NULL;
    if (yaml == NULL)
        return 2;
C
    grep -v '^#include' "$tmp/snippet.c" | sed 's/^/    /'
    printf '    free(yaml);\n    return 0;\n}\n'
} > "$tmp/c/app.c"

step "C with pkg-config"
# A prefix the loader does not search: the program records it (rpath).
cc -std=c99 -Wall -Wextra -Werror -o "$tmp/c/app-pc" "$tmp/c/app.c" \
    $(pkg-config --cflags --libs particlepolicy) -Wl,-rpath,"$libdir"
got=$(cd "$tmp" && clean "$tmp/c/app-pc" "$src/examples/policy.yaml")
[ "$got" = "$want" ] || fail "C (pkg-config) printed '$got', README says '$want'"
echo "  $got"

step "C with CMake"
command -v cmake >/dev/null || fail "cmake is missing (scripts/install-deps.sh installs it)"
cat > "$tmp/c/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.13)
project(ppconsumer C)
find_package(particlepolicy 0.1 REQUIRED)
add_executable(app app.c)
target_link_libraries(app PRIVATE particlepolicy::particlepolicy)
CMAKE
clean cmake -S "$tmp/c" -B "$tmp/c/build" -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/cmake.log" 2>&1 ||
    { cat "$tmp/cmake.log"; fail "cmake configure"; }
clean cmake --build "$tmp/c/build" >>"$tmp/cmake.log" 2>&1 || { cat "$tmp/cmake.log"; fail "cmake build"; }
got=$(cd "$tmp" && clean "$tmp/c/build/app" "$src/examples/policy.yaml")
[ "$got" = "$want" ] || fail "C (CMake) printed '$got', README says '$want'"
echo "  $got"
# The version file refuses what this is not.
sed 's/find_package(particlepolicy 0.1 REQUIRED)/find_package(particlepolicy 1.0 REQUIRED)/' \
    "$tmp/c/CMakeLists.txt" > "$tmp/c/v1.txt"
mkdir "$tmp/c1" && mv "$tmp/c/v1.txt" "$tmp/c1/CMakeLists.txt" && cp "$tmp/c/app.c" "$tmp/c1/"
if clean cmake -S "$tmp/c1" -B "$tmp/c1/build" -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/cmake1.log" 2>&1; then
    fail "find_package(particlepolicy 1.0) accepted version 0.x"
fi
grep -q 'version: 0.1' "$tmp/cmake1.log" || { cat "$tmp/cmake1.log"; fail "find_package 1.0 failed for another reason"; }
echo "  find_package(particlepolicy 1.0) refused: the installed version is 0.x"

step "Python in a fresh venv"
python3 -m venv "$tmp/venv" || fail "python3 -m venv (scripts/install-deps.sh installs python3-venv)"
# Building the binding finds the library with pkg-config (PKG_CONFIG_PATH
# names the prefix, as for the C build); nothing is downloaded, and nothing
# is written into the source tree.
env -i PATH="$PATH" HOME="$tmp/home" PKG_CONFIG_PATH="$PKG_CONFIG_PATH" PYTHONDONTWRITEBYTECODE=1 \
    "$tmp/venv/bin/pip" install --quiet --no-index --disable-pip-version-check "$src/bindings/python" \
    >"$tmp/pip.log" 2>&1 || { cat "$tmp/pip.log"; fail "pip install bindings/python"; }
cat > "$tmp/consumer.py" <<'PY'
import sys
from particlepolicy import Policy
with Policy.from_file(sys.argv[1]) as policy:
    d = policy.decide({"id": "269e0d37f2a74de452e6b438", "platform_id": 26,
                       "device_os": "6.1.1", "cloud_product_id": 14001})
    print(d.outcome, d.reason, d.rule)
PY
got=$(cd "$tmp" && clean "$tmp/venv/bin/python" "$tmp/consumer.py" "$src/examples/policy.yaml" 2>&1) ||
    fail "Python consumer: $got"
[ "$got" = "ok member 7" ] || fail "Python consumer printed '$got', README says 'ok member 7'"
echo "  $got"

step "Go module outside the repository"
command -v go >/dev/null || fail "go is missing (scripts/install-deps.sh installs golang-go)"
mkdir "$tmp/goapp"
cat > "$tmp/goapp/go.mod" <<GOMOD
module example.com/ppconsumer

go 1.19

require particlepolicy v0.0.0

replace particlepolicy => $src/bindings/go
GOMOD
cat > "$tmp/goapp/main.go" <<'GO'
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"os"

	"particlepolicy"
)

func main() {
	policy, err := particlepolicy.LoadPolicyFile(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	defer policy.Close()
	var d particlepolicy.Device
	if err := json.Unmarshal([]byte(`{"id": "269e0d37f2a74de452e6b438",
		"platform_id": "tracker", "device_os": "6.1.1", "cloud_product_id": 14001}`), &d); err != nil {
		log.Fatal(err)
	}
	dec, err := policy.Decide(d)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(dec.Outcome, dec.Reason, dec.Rule)
}
GO
gocache=${GOCACHE:-$(go env GOCACHE)}
(cd "$tmp/goapp" && env -i PATH="$PATH" HOME="$tmp/home" GOCACHE="$gocache" GOPATH="$tmp/gopath" \
    GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=1 \
    PKG_CONFIG_PATH="$PKG_CONFIG_PATH" CGO_LDFLAGS="-Wl,-rpath,$libdir" \
    go build -o app . ) >"$tmp/go.log" 2>&1 || { cat "$tmp/go.log"; fail "go build"; }
got=$(cd "$tmp" && clean "$tmp/goapp/app" "$src/examples/policy.yaml" 2>&1) || fail "Go consumer: $got"
[ "$got" = "ok member 7" ] || fail "Go consumer printed '$got', README says 'ok member 7'"
echo "  $got"

[ "$(tree_state)" = "$tree_before" ] || fail "the consumers' builds changed the source tree: $(tree_state)"
step "consumers: C (pkg-config, CMake), Python (venv), Go (module outside the tree) all decide from $prefix"
