#!/usr/bin/env python3
"""Does the differential test have teeth?  Each mutant below is oracle.py
with one plausible misreading of docs/spec.md; the test must catch every one.

    tests/oracle/mutants.py --driver PATH [--cases N] [--seed S]

(With LD_LIBRARY_PATH set as run.sh sets it.)  Prints, per mutant, how many
of N cases (default 20000) failed; exits 1 when a mutant survives.  Run it
after changing the generator, to see that it still reaches every corner.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# (name, text in oracle.py, replacement); each text occurs exactly once.
MUTANTS = [
    ("removed (rule 9) checked before denied (rule 8)",
     '    if dev.denied_in == P:\n'
     '        return result("deny", "denied_list", 8)\n'
     '    if dev.removed_from == P:',
     '    if dev.removed_from == P and dev.denied_in != P:'),
    ("legacy includes the threshold",
     "legacy = compare_versions(V, parse_version(policy.legacy_below)) < 0",
     "legacy = compare_versions(V, parse_version(policy.legacy_below)) <= 0"),
    ("prereleases ignored in precedence",
     "    if not pa or not pb:", "    if True:"),
    ("numeric identifiers sort after alphanumeric",
     "return -1 if a_num else 1", "return 1 if a_num else -1"),
    ("device versions limited to 64-bit numbers",
     "    if dev.device_os is None or parse_version(dev.device_os) is None:",
     "    if (dev.device_os is None or parse_version(dev.device_os) is None\n"
     "            or max(parse_version(dev.device_os)[:3]) >= 2**64):"),
    ("shortest SKU prefix wins",
     "len(prefix) > len(best.prefix)", "len(prefix) < len(best.prefix)"),
    ("SKUs case-sensitive", "upper = sku.upper()", "upper = sku"),
    ("SKU contradiction checked before eligibility",
     '    if not platform.eligible:\n'
     '        return 3, "platform_not_product_eligible"\n'
     '    if entry is not None and entry.platform != platform_id:\n'
     '        return 4, "incompatible_platform"   # the SKU contradicts the '
     'platform',
     '    if entry is not None and entry.platform != platform_id:\n'
     '        return 4, "incompatible_platform"\n'
     '    if not platform.eligible:\n'
     '        return 3, "platform_not_product_eligible"'),
    ("sku_required even where no SKU could fit",
     'return 4, "sku_required" if fits else "incompatible_platform"',
     'return 4, "sku_required"'),
    ("P prefers the cloud's product on legacy devices",
     "if legacy and F != 0:", "if C == 0 and F != 0:"),
    ("limited_in also for members", "limited_in = C if C != 0 and C != P "
     "else 0", "limited_in = C"),
    ("removed devices quarantined on Device OS 4+ too",
     "if product.removed_quarantine and legacy:",
     "if product.removed_quarantine:"),
    ("API users count as team members",
     "if any(m.user.encode() == owner for m in org.members):",
     "if any(m.user.encode() == owner for m in org.members) or any("
     "a.name.encode() == owner for a in org.api_users):"),
    ("run-time team ignored",
     "return (product.organization.encode(), owner) in runtime_team",
     "return False"),
    ("product team ignored",
     "    if any(m.user.encode() == owner for m in product.team):\n"
     "        return True\n", ""),
    ("ota_update_pending on development devices too",
     "            elif (product.released_firmware",
     "            if (product.released_firmware"),
    ("device_os_below_minimum includes the minimum",
     "if compare_versions(V, parse_version(product.min_device_os)) < 0:",
     "if compare_versions(V, parse_version(product.min_device_os)) <= 0:"),
    ("leaves_denied_list on Device OS 4+ too",
     "if legacy and F == 0 and dev.denied_in != 0:",
     "if F == 0 and dev.denied_in != 0:"),
    ("C1 controls allowed in owner names",
     'cat in ("Cc", "Cf", "Zl", "Zp")', '(cat in ("Cf", "Zl", "Zp") or o < 0x80)'),
    ("bidi controls allowed in owner names",
     'cat in ("Cc", "Cf", "Zl", "Zp")', 'cat in ("Cc", "Zl", "Zp")'),
    ("owner checked before SKU",
     '    if dev.sku is not None and _SKU.fullmatch(dev.sku) is None:\n'
     '        return "invalid_sku"\n'
     '    if dev.owner is not None and not user_name_valid(dev.owner):\n'
     '        return "invalid_owner"',
     '    if dev.owner is not None and not user_name_valid(dev.owner):\n'
     '        return "invalid_owner"\n'
     '    if dev.sku is not None and _SKU.fullmatch(dev.sku) is None:\n'
     '        return "invalid_sku"'),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--driver", required=True)
    ap.add_argument("--cases", type=int, default=20000)
    ap.add_argument("--seed", default="77")
    args = ap.parse_args()
    source = open(os.path.join(HERE, "oracle.py"), encoding="utf-8").read()
    survivors = 0
    with tempfile.TemporaryDirectory(prefix="pp-mutant-") as tmp:
        for name in ("generate.py", "difftest.py"):
            shutil.copy(os.path.join(HERE, name), tmp)
        for name, old, new in MUTANTS:
            if source.count(old) != 1:
                print("mutant %r no longer applies to oracle.py" % name)
                return 2
            with open(os.path.join(tmp, "oracle.py"), "w",
                      encoding="utf-8") as f:
                f.write(source.replace(old, new))
            proc = subprocess.run(
                [sys.executable, "-B", os.path.join(tmp, "difftest.py"),
                 "--driver", os.path.abspath(args.driver), "--cases",
                 str(args.cases), "--seed", args.seed, "--show", "0"],
                capture_output=True, text=True)
            summary = [line for line in proc.stdout.splitlines()
                       if line.endswith("(seed %s)" % args.seed)]
            caught = proc.returncode != 0
            survivors += not caught
            print("%-8s %-50s %s" % ("caught" if caught else "SURVIVED",
                                     name, summary[0] if summary else
                                     proc.stderr.strip()[-200:]))
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
