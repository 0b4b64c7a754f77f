#!/bin/sh
# The project files a packager or a user needs are there and say the same
# thing everywhere: the Apache License 2.0 at the top and in the Go module,
# the licence in the Python package's metadata and the pkg-config file, NEWS with a section for this version
# and one for unreleased changes, and README linking all of them.
set -eu
src=${top_srcdir:-.}
build=${top_builddir:-.}
fail=0
problem() { echo "$*"; fail=1; }

lic="$src/LICENSE"
if [ ! -f "$lic" ]; then
    problem "LICENSE: missing"
else
    grep -q '^ *Apache License$' "$lic" && grep -q 'Version 2.0, January 2004' "$lic" &&
        grep -q 'END OF TERMS AND CONDITIONS' "$lic" ||
        problem "LICENSE: not the Apache License 2.0 text"
    # Debian ships the standard text; when it is there, ours is that text.
    std=/usr/share/common-licenses/Apache-2.0
    [ ! -f "$std" ] || cmp -s "$lic" "$std" || problem "LICENSE: differs from $std"
    cmp -s "$lic" "$src/bindings/go/LICENSE" ||
        problem "bindings/go/LICENSE: missing or not the same text as LICENSE (Go modules ship their own)"
fi

grep -q '^license = "Apache-2.0"$' "$src/bindings/python/pyproject.toml" ||
    problem "bindings/python/pyproject.toml: no 'license = \"Apache-2.0\"'"

pc="$build/particlepolicy.pc"
grep -q '^License: Apache-2.0$' "$pc" || problem "$pc: no 'License: Apache-2.0' field"
if command -v pkg-config >/dev/null; then
    PKG_CONFIG_PATH="$build" pkg-config --validate particlepolicy || problem "$pc: pkg-config --validate fails"
fi

version=$(sed -n 's/^Version: //p' "$pc")
grep -q '^Unreleased$' "$src/NEWS" || problem "NEWS: no 'Unreleased' section"
grep -q "^$version\$" "$src/NEWS" || problem "NEWS: no section for version $version"

for f in LICENSE NEWS SECURITY.md CONTRIBUTING.md; do
    [ -f "$src/$f" ] || problem "$f: missing"
    grep -q "]($f)" "$src/README.md" || problem "README.md: no link to $f"
done

[ "$fail" -eq 0 ] || exit 1
echo "project files: LICENSE (Apache-2.0, also in bindings/go), NEWS ($version, Unreleased), SECURITY.md, CONTRIBUTING.md; .pc declares the licence"
