#!/usr/bin/env python3
"""The oracle's built-in tables against the fact lists.

    facts.py DATA_DIR

DATA_DIR holds published-platforms.txt (every platform of
@particle/device-constants) and published-skus.txt (Particle's published
SKUs with the platform and family each must get); docs/hardware.md says
where they come from.  The oracle must hold exactly those platforms and
place every SKU as listed, by its own reading of the prefix rule: then the
differential test compares the library against the published facts, not
against a second copy of the library's table.  Exits 1 on any difference.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from oracle import Policy  # noqa: E402


def rows(path):
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            fields = line.split()
            if fields and not fields[0].startswith("#"):
                yield lineno, fields


def main():
    data = sys.argv[1]
    policy = Policy.builtin()
    problems = []

    platforms = list(rows(os.path.join(data, "published-platforms.txt")))
    for lineno, (pid, name, eligible, family) in platforms:
        p = policy.platforms.get(int(pid))
        want = (name, eligible == "yes",
                None if family in ("-", "by-sku") else family)
        got = None if p is None else (p.name, p.eligible, p.family)
        if got != want:
            problems.append("platforms line %d: oracle has %s, want %s"
                            % (lineno, got, want))
    if len(policy.platforms) != len(platforms):
        problems.append("oracle has %d platforms, the list %d"
                        % (len(policy.platforms), len(platforms)))

    skus = list(rows(os.path.join(data, "published-skus.txt")))
    for lineno, fields in skus:
        sku, platform, family = fields[0], int(fields[2]), fields[3]
        entry = policy.sku_lookup(sku.lower().encode("ascii"))
        got = None if entry is None else (entry.platform, entry.family or "-")
        if got != (platform, family):
            problems.append("skus line %d: %s: oracle gives %s, want %s"
                            % (lineno, sku, got, (platform, family)))

    for problem in problems:
        print("oracle facts: " + problem)
    print("oracle facts: %d platforms, %d published SKUs, %d differences"
          % (len(platforms), len(skus), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
