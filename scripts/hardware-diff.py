#!/usr/bin/env python3
"""Every difference between the built-in hardware table and Particle's data.

    scripts/hardware-diff.py --constants FILE --carriers FILE [--ppolicy PATH]

--constants is src/constants.json of the npm package
@particle/device-constants, or the .tgz that `npm pack` downloads;
--carriers is src/assets/files/carriers.json of github.com/particle-iot/docs.
The compiled table is read from the library itself, through `ppolicy
platforms` and `ppolicy families` (PATH defaults to build/cli/ppolicy).

Prints one line per difference and exits 1 when there is any:
- a platform of device-constants that the table lacks (missing), that the
  table names or admits to products differently (different), or a table
  platform device-constants does not have (extra);
- a published SKU (an entry of `skus` with a platformId) that no prefix
  places (missing) or that a prefix places on another platform (different);
- a prefix that places no published SKU (extra).
The choices docs/hardware.md explains are known here (DECIDED, WITHDRAWN),
so that the table at the versions that page names reports no difference;
when a source changes, each choice is checked again.  Python standard
library only.
"""

import argparse
import json
import subprocess
import sys
import tarfile

# SKUs whose published platformId the table departs from, and the platform
# it gives them instead (docs/hardware.md, "Where the sources disagree").
DECIDED = {"E404XTRAY50": 15}

# SKUs an earlier revision of the SKU list published and the checked one no
# longer does; the table still places them (docs/hardware.md).
WITHDRAWN = {"ELC504EMEA": 37, "ELC504EMTY": 37, "ELC524EMEA": 37,
             "ELC524EMTY": 37, "M635MEA": 35}


def load_constants(path):
    """{id: (name, product-eligible)} from constants.json or the npm .tgz."""
    if path.endswith((".tgz", ".tar.gz")):
        with tarfile.open(path) as tar:
            data = json.load(tar.extractfile("package/src/constants.json"))
    else:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    return {p["id"]: (p["name"], bool(p["productEligible"]))
            for p in data.values()}


def load_skus(path):
    """[(SKU, platformId)] of the published SKUs that name a platform."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return [(s["name"], s["platformId"]) for s in data["skus"]
            if "platformId" in s]


def markdown_rows(ppolicy, command):
    """The cells of each row of `ppolicy COMMAND --format markdown`."""
    out = subprocess.run([ppolicy, command, "--format", "markdown"],
                         check=True, capture_output=True, text=True).stdout
    lines = out.splitlines()[2:]  # the header and its rule
    return [[cell.strip() for cell in line.strip("|").split("|")]
            for line in lines]


def load_table(ppolicy):
    """Platforms {id: (name, eligible, family)} and prefixes
    {PREFIX: (platform, family)} as the library holds them."""
    platforms, prefix_platform = {}, {}
    for pid, name, product, family, prefixes in markdown_rows(ppolicy,
                                                              "platforms"):
        platforms[int(pid)] = (name, product == "yes", family)
        for prefix in prefixes.split():
            if prefix != "-":
                prefix_platform[prefix] = int(pid)
    prefix_family = {}
    for family, _platforms, prefixes in markdown_rows(ppolicy, "families"):
        for prefix in prefixes.split():
            if prefix != "-":
                prefix_family[prefix] = family
    return platforms, {p: (pid, prefix_family.get(p, "-"))
                       for p, pid in prefix_platform.items()}


def longest_prefix(prefixes, sku):
    """The table's rule: the longest case-insensitive prefix, or None."""
    upper = sku.upper()
    best = None
    for prefix in prefixes:
        if upper.startswith(prefix) and (best is None or len(prefix) > len(best)):
            best = prefix
    return best


def differences(constants, skus, platforms, prefixes):
    out = []
    yes = {True: "yes", False: "no"}
    for pid, (name, eligible) in sorted(constants.items()):
        if pid not in platforms:
            out.append("missing platform %d %s (product-eligible: %s)"
                       % (pid, name, yes[eligible]))
            continue
        tname, teligible, _family = platforms[pid]
        if tname != name:
            out.append("different platform %d: named %s in the table, %s in "
                       "device-constants" % (pid, tname, name))
        if teligible != eligible:
            out.append("different platform %d %s: product-eligible %s in the "
                       "table, %s in device-constants"
                       % (pid, name, yes[teligible], yes[eligible]))
    for pid in sorted(set(platforms) - set(constants)):
        out.append("extra platform %d %s: not in device-constants"
                   % (pid, platforms[pid][0]))

    used = set()
    published = {name for name, _pid in skus}
    withdrawn_skus = [(n, p) for n, p in sorted(WITHDRAWN.items())
                      if n not in published]
    for name, pid in skus + withdrawn_skus:
        withdrawn = (name, pid) in withdrawn_skus
        want = DECIDED.get(name, pid)
        prefix = longest_prefix(prefixes, name)
        got = prefixes[prefix][0] if prefix is not None else None
        if prefix is not None:
            used.add(prefix)
        label = "withdrawn SKU" if withdrawn else "SKU"
        if pid not in constants:
            out.append("different %s %s: platform %d is not in "
                       "device-constants" % (label, name, pid))
        if got is None:
            out.append("missing %s %s (platform %d): no prefix places it"
                       % (label, name, want))
        elif got != want:
            out.append("different %s %s: the table gives platform %d (prefix "
                       "%s), the source %d" % (label, name, got, prefix, pid))
        if not withdrawn and name in DECIDED and pid == DECIDED[name]:
            out.append("different SKU %s: the source now gives platform %d "
                       "too; drop the choice (DECIDED, docs/hardware.md)"
                       % (name, pid))
        if not withdrawn and name in WITHDRAWN:
            out.append("different SKU %s: published again; drop it from "
                       "WITHDRAWN and docs/hardware.md" % name)
    for name in sorted(set(DECIDED) - published):
        out.append("extra choice for SKU %s: the source no longer lists it"
                   % name)
    for prefix in sorted(set(prefixes) - used):
        out.append("extra prefix %s (platform %d): places no published SKU"
                   % (prefix, prefixes[prefix][0]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--constants", required=True,
                    help="device-constants src/constants.json or its .tgz")
    ap.add_argument("--carriers", required=True,
                    help="particle-iot/docs src/assets/files/carriers.json")
    ap.add_argument("--ppolicy", default="build/cli/ppolicy")
    args = ap.parse_args()

    constants = load_constants(args.constants)
    skus = load_skus(args.carriers)
    platforms, prefixes = load_table(args.ppolicy)
    diffs = differences(constants, skus, platforms, prefixes)
    for line in diffs:
        print(line)
    print("checked %d platforms and %d published SKUs against %d platforms "
          "and %d prefixes: %s" % (
              len(constants), len(skus), len(platforms), len(prefixes),
              "%d differences" % len(diffs) if diffs else "no difference"))
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
