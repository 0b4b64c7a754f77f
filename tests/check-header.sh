#!/bin/sh
# The public header must compile on its own, cleanly, as C99 and as C++, and
# so must its initialisers: every struct a caller passes in (a `const pp_x *`
# anywhere in the header) has a PP_X_INIT, and each one compiles with
# -Wextra, whose -Wmissing-field-initializers fails an initialiser that
# forgot a field added to its struct.
set -eu
hdr="$top_srcdir/include/particlepolicy.h"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Structs with a body (not the opaque pp_policy and pp_team) that the
# header takes as input.
sed -n 's/^typedef struct \(pp_[a-z_0-9]*\) {.*/\1/p' "$hdr" | sort -u > "$tmp/defined"
grep -o 'const pp_[a-z_0-9]* \*' "$hdr" | sed 's/const \(pp_[a-z_0-9]*\) \*/\1/' | sort -u > "$tmp/inputs"
structs=$(comm -12 "$tmp/defined" "$tmp/inputs")
[ -n "$structs" ] || { echo "header: found no input structs in $hdr"; exit 1; }
missing=""
{
    printf '#include "particlepolicy.h"\n'
    printf 'int main(void)\n{\n    int used = 0;\n'
    for s in $structs; do
        macro=$(printf 'PP_%s_INIT' "${s#pp_}" | tr '[:lower:]' '[:upper:]')
        grep -q "^#define $macro\b" "$hdr" || missing="$missing $s($macro)"
        printf '    %s v_%s = %s;\n    used += (int)sizeof v_%s;\n' "$s" "$s" "$macro" "$s"
    done
    printf '    return pp_version_number() == 0 && used == 0;\n}\n'
} > "$tmp/h.c"
if [ -n "$missing" ]; then
    echo "header: input structs without an initialiser:$missing"
    exit 1
fi
cp "$tmp/h.c" "$tmp/h.cpp"
${CC:-cc} -std=c99 -Wall -Wextra -pedantic -Werror -I"$top_srcdir/include" -c "$tmp/h.c" -o "$tmp/c.o"
echo "header: C99 -pedantic -Werror ok"
${CXX:-c++} -std=c++11 -Wall -Wextra -pedantic -Werror -I"$top_srcdir/include" -c "$tmp/h.cpp" -o "$tmp/cpp.o"
echo "header: C++11 -pedantic -Werror ok"
echo "header: initialisers of" $structs
