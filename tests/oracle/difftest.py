#!/usr/bin/env python3
"""Differential test: the C library (through driver) against oracle.py.

    difftest.py --driver PATH [--cases N] [--seed S] [--per-policy K]
    difftest.py --driver PATH --seed S --policy I [--case J]   (reproduce)

Policy I of seed S and its records come from random.Random("S/I"), so the
pair (S, I) and the case index J reproduce any mismatch exactly.  Each case
compares the full decision of one device record (outcome, reason, rule,
product, limited_in, privileges, advisories, error and pp_decide's result).

Besides the cases, every policy is checked as a whole: it loads; every
eighth policy (I % 8 == 7) instead carries one defect and must fail to load
with the predicted error; the same rules written differently (key and list
order, style, quoting, defaults left out) keep the fingerprint, and one rule
changed alters it; pp_decide_many agrees with pp_decide (the driver checks).

Prints `N passed, M failed` (cases) and the policy checks; exits 1 on any
failure, or when a run of at least COVERAGE_MIN cases has not reached every
rule, reason, outcome, advisory, input error and member family (the
generator must keep exercising the whole table, or a pass proves little).
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from generate import (device_line, gen_device, gen_policy,  # noqa: E402
                      team_line)
from oracle import ADVISORIES, BUILTIN_FAMILIES, decide  # noqa: E402

INVALID_EVERY = 8
COVERAGE_MIN = 10000
GIVE_UP = 20   # policy-level failures after which the run stops
EXPECTED = {
    "rule": {str(r) for r in range(16)},
    "outcome": {"ok", "limited", "quarantine", "auto_approve", "deny",
                "reappear_as_denied"},
    "reason": {"invalid_input", "not_a_product_device", "unknown_product",
               "platform_not_product_eligible", "incompatible_platform",
               "sku_required", "denied_list", "firmware_reports_no_product",
               "member", "removed_from_product", "not_pre_added",
               "member_of_other_product", "unrecognized_device", "unowned",
               "owner_is_team_member", "owner_not_team_member"},
    "advisory": set(ADVISORIES),
    "error": {"ok", "invalid_device_id", "invalid_device_os", "invalid_sku",
              "invalid_owner", "invalid_firmware_version", "invalid_platform"},
    # The family of P for devices admitted as members (rule 7).
    "member_family": set(BUILTIN_FAMILIES),
}


def policy_rng(seed, index):
    return random.Random("%s/%d" % (seed, index))


def first_line(text):
    return text.split("\n", 1)[0]


def readable(dev):
    def show(v):
        if isinstance(v, bytes):
            return repr(v.decode("utf-8", "backslashreplace"))
        return repr(v)
    return ", ".join("%s=%s" % (k, show(v)) for k, v in vars(dev).items())


class Run:
    def __init__(self, args):
        self.args = args
        self.passed = self.failed = 0           # cases
        self.checks = Counter()                 # policy checks: name -> n
        self.check_failures = 0
        self.reported = 0
        self.seen = Counter()
        self.tmp = tempfile.mkdtemp(prefix="pp-oracle-")

    def driver(self, text, stdin=b""):
        path = os.path.join(self.tmp, "policy.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        proc = subprocess.run(self.args.wrapper.split() + [self.args.driver,
                                                           path],
                              input=stdin, capture_output=True)
        return proc.returncode, proc.stdout.decode("utf-8", "replace"), \
            proc.stderr.decode("utf-8", "replace")

    def report(self, index, case, gp, what):
        if self.reported >= self.args.show:
            return
        self.reported += 1
        a = self.args
        where = "" if case is None else " --case %d" % case
        print("MISMATCH seed=%s policy=%d%s" % (a.seed, index,
                                                where.replace(" --", " ")))
        print("  reproduce: tests/oracle/run.sh --seed %s --policy %d%s" % (
            a.seed, index, where))
        print("  policy:")
        for line in gp.text.splitlines():
            print("    | " + line)
        for org, user, role in gp.runtime_team:
            print("  run-time team: %r %r %s" % (org, user, role))
        for line in what:
            print("  " + line)
        sys.stdout.flush()

    def check(self, name, ok, index, gp, what):
        """Count one policy-level check; report it when it failed."""
        if ok:
            self.checks[name] += 1
        else:
            self.check_failures += 1
            self.report(index, None, gp, what)

    def check_invalid(self, index, gp):
        rc, out, err = self.driver(gp.text)
        got = first_line(out).split(" ")
        self.check("invalid policies rejected as predicted",
                   rc == 0 and got[:2] == ["L", gp.expect_error], index, gp,
                   ["defect:  %s" % gp.defect,
                    "library: %s %s" % (first_line(out), err.strip()),
                    "oracle:  L %s" % gp.expect_error])

    def check_fingerprint(self, index, gp, loaded):
        """The same rules in another text share the fingerprint; one rule
        changed gives another (include/particlepolicy.h)."""
        rng = random.Random("%s/%d/fingerprint" % (self.args.seed, index))
        text = gp.reworded(rng)
        rc, out, err = self.driver(text)
        self.check("driver runs (pp_decide_many = pp_decide)", rc == 0,
                   index, gp, ["driver exit %d: %s" % (rc, err.strip())])
        same = first_line(out)
        self.check("fingerprints equal for reworded policies",
                   same == loaded, index, gp,
                   ["fingerprint: %s above, %s for:" % (loaded, same)]
                   + ["    | " + line for line in text.splitlines()])
        what, text = gp.changed(rng)
        other = first_line(self.driver(text)[1])
        self.check("fingerprints differ for changed policies",
                   other.startswith("L ok ") and other != loaded, index, gp,
                   ["fingerprint: %s above, %s after changing %s:" % (
                       loaded, other, what)]
                   + ["    | " + line for line in text.splitlines()])

    def check_valid(self, index, gp, rng, count, only=None):
        team = gp.runtime_set()
        devs = [gen_device(rng, gp) for _ in range(count)]
        if only is not None:
            devs = devs[only:only + 1]
        lines = [team_line(*t) for t in gp.runtime_team]
        lines += [device_line(d) for d in devs]
        rc, out, err = self.driver(gp.text, ("\n".join(lines) + "\n").encode())
        got = out.split("\n")
        loaded = got[0].startswith("L ok ")
        self.check("policies loaded", loaded, index, gp,
                   ["the policy does not load: %s %s" % (got[0],
                                                         err.strip())])
        if not loaded:
            return
        self.check("driver runs (pp_decide_many = pp_decide)", rc == 0,
                   index, gp, ["driver exit %d: %s" % (rc, err.strip())])
        self.check_fingerprint(index, gp, got[0])
        for j, dev in enumerate(devs):
            want = decide(gp.policy, team, dev)
            want_line = "%s %s" % (want.line(), want.error)
            have = got[1 + j] if 1 + j < len(got) else "(no output)"
            self.count(want, gp.policy)
            if have == want_line:
                self.passed += 1
            else:
                self.failed += 1
                self.report(index, j if only is None else only, gp, [
                    "record:  " + readable(dev),
                    "line:    " + device_line(dev),
                    "library: " + have,
                    "oracle:  " + want_line])

    def count(self, d, policy):
        self.seen["rule", str(d.rule)] += 1
        if d.rule == 7:
            self.seen["member_family", policy.products[d.product].family] += 1
        self.seen["outcome", d.outcome] += 1
        self.seen["reason", d.reason] += 1
        self.seen["error", d.error] += 1
        for a in d.advisories:
            self.seen["advisory", a] += 1
        if d.limited_in:
            self.seen["limited_in", "set"] += 1

    def coverage_gaps(self):
        return ["%s %s" % (kind, name)
                for kind, names in EXPECTED.items()
                for name in sorted(names) if not self.seen[kind, name]]

    def policy(self, index, rng, count, only=None):
        invalid = index % INVALID_EVERY == INVALID_EVERY - 1
        gp = gen_policy(rng, invalid=invalid)
        if gp.expect_error:
            self.check_invalid(index, gp)
        else:
            self.check_valid(index, gp, rng, count, only)

    def run(self):
        a = self.args
        if a.policy is not None:
            count = a.per_policy if a.case is None else a.case + 1
            self.policy(a.policy, policy_rng(a.seed, a.policy), count, a.case)
            return
        index = 0
        while self.passed + self.failed < a.cases:
            if self.check_failures >= GIVE_UP:
                print("giving up after %d failed policy checks"
                      % self.check_failures)
                break
            left = a.cases - self.passed - self.failed
            self.policy(index, policy_rng(a.seed, index),
                        min(a.per_policy, left))
            index += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--driver", required=True)
    ap.add_argument("--cases", type=int, default=20000)
    ap.add_argument("--seed", default=None)
    ap.add_argument("--per-policy", type=int, default=2000,
                    help="cases per policy (default 2000)")
    ap.add_argument("--policy", type=int, default=None,
                    help="run only this policy index (reproduce)")
    ap.add_argument("--case", type=int, default=None,
                    help="with --policy: only this case index")
    ap.add_argument("--show", type=int, default=5,
                    help="failures printed in full (default 5)")
    ap.add_argument("--wrapper", default="",
                    help="command to run the driver under, e.g. 'valgrind "
                    "-q --error-exitcode=9 --leak-check=full'")
    ap.add_argument("--stats", action="store_true",
                    help="print how often each rule, reason, ... occurred")
    args = ap.parse_args()
    if args.seed is None:
        args.seed = str(random.SystemRandom().randrange(10**9))
    if args.case is not None and args.policy is None:
        ap.error("--case needs --policy")

    print("oracle: seed %s" % args.seed)
    sys.stdout.flush()
    r = Run(args)
    try:
        r.run()
    finally:
        for name in os.listdir(r.tmp):
            os.unlink(os.path.join(r.tmp, name))
        os.rmdir(r.tmp)
    print("%d passed, %d failed (seed %s)" % (r.passed, r.failed, args.seed))
    print("policy checks: %d failed; passed: %s" % (
        r.check_failures, ", ".join("%s %d" % (name, n)
                                    for name, n in sorted(r.checks.items()))))
    if args.stats:
        for (kind, name), n in sorted(r.seen.items()):
            print("  %-14s %-32s %d" % (kind, name, n))
    gaps = r.coverage_gaps()
    if gaps and r.passed + r.failed >= COVERAGE_MIN:
        print("coverage: never reached: " + ", ".join(gaps))
        return 1
    return 1 if r.failed or r.check_failures else 0


if __name__ == "__main__":
    sys.exit(main())
