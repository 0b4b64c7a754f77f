#!/bin/sh
# The public header must compile on its own, cleanly, as C99 and as C++.
set -eu
hdr="$top_srcdir/include/particlepolicy.h"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '#include "particlepolicy.h"\nint main(void) { return pp_version_number() == 0; }\n' > "$tmp/h.c"
cp "$tmp/h.c" "$tmp/h.cpp"
${CC:-cc} -std=c99 -Wall -Wextra -pedantic -Werror -I"$top_srcdir/include" -c "$tmp/h.c" -o "$tmp/c.o"
echo "header: C99 -pedantic -Werror ok"
${CXX:-c++} -std=c++11 -Wall -Wextra -pedantic -Werror -I"$top_srcdir/include" -c "$tmp/h.cpp" -o "$tmp/cpp.o"
echo "header: C++11 -pedantic -Werror ok"
