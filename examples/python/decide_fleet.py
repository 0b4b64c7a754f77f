#!/usr/bin/env python3
"""decide_fleet: decide which product every device of a fleet belongs to.

    decide_fleet.py POLICY.yaml FLEET.json

The Python twin of examples/decide_fleet.c, printing the same lines: one per
device,

    ID OUTCOME REASON rule=N product=P limited_in=C privileges=a,b advisories=x,y

then a summary.  Needs the particlepolicy package (`pip install
bindings/python`, which finds the installed C library).
"""
import json
import sys
from collections import Counter

from particlepolicy import Outcome, Policy, PolicyError


def line(record, decision):
    ident = record.get("id")
    # IDs are reported in lower case; bytes.lower() is ASCII-only, like C's.
    ident = "-" if ident is None else ident.encode().lower().decode()
    text = (f"{ident} {decision.outcome} {decision.reason} rule={decision.rule} "
            f"product={decision.product_id} limited_in={decision.limited_in} "
            f"privileges={decision.privileges or '-'} "
            f"advisories={decision.advisories or '-'}")
    if decision.error is not None:
        text += f" error={decision.error}"
    return text


def main(argv):
    if len(argv) != 3:
        print(f"usage: {argv[0]} POLICY.yaml FLEET.json", file=sys.stderr)
        return 2
    try:
        policy = Policy.from_file(argv[1])
    except PolicyError as e:
        print(f"{e.source}:{e.line}:{e.column}: error: {e.message}", file=sys.stderr)
        return 1
    except OSError as e:
        print(e, file=sys.stderr)
        return 1
    with policy, open(argv[2], encoding="utf-8") as f:
        fleet = json.load(f)
        decisions = policy.decide_many(fleet)   # one call for the whole fleet
    for record, decision in zip(fleet, decisions):
        print(line(record, decision))
    counts = Counter(d.outcome for d in decisions)
    print(f"{len(decisions)} devices:" + "".join(f" {o}={counts[o]}" for o in Outcome))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
