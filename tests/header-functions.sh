#!/bin/sh
# The functions the public header declares (every PP_API line), sorted: the
# list the export, symbol-map and man-page checks compare against.
set -eu
sed -n 's/^PP_API [^(]*[ *]\(pp_[a-z_0-9]*\)(.*/\1/p' "${top_srcdir:-.}/include/particlepolicy.h" | sort
