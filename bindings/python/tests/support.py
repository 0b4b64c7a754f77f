"""Shared test fixtures: where the source and build trees are, the example
policy and fleet."""
from __future__ import annotations

import json
import os
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP_SRCDIR = os.path.abspath(os.environ.get("top_srcdir")
                             or os.path.join(HERE, "..", "..", ".."))
# run-tests.sh passes the build tree (the library the package was built against).
TOP_BUILDDIR = os.path.abspath(os.environ.get("top_builddir") or os.getcwd())
EXAMPLES = os.path.join(TOP_SRCDIR, "examples")
TEST_DATA = os.path.join(TOP_SRCDIR, "tests", "data")
HEADER = os.path.join(TOP_SRCDIR, "include", "particlepolicy.h")
POLICY_YAML = os.path.join(EXAMPLES, "policy.yaml")


def read_text(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def fleet() -> list:
    """The example fleet: a list of dicts with the documented keys and a note."""
    with open(os.path.join(EXAMPLES, "fleet.json"), encoding="utf-8") as f:
        return json.load(f)


def expected_lines() -> list:
    """examples/fleet.expected, made by the C example, without the summary."""
    return read_text(os.path.join(EXAMPLES, "fleet.expected")).splitlines()[:-1]


def fleet_line(record: dict, decision) -> str:
    """One line in the C example's format (examples/decide_fleet.c)."""
    ident = record.get("id")
    ident = "-" if ident is None else ident.encode().lower().decode()
    line = (f"{ident} {decision.outcome} {decision.reason} rule={decision.rule} "
            f"product={decision.product_id} limited_in={decision.limited_in} "
            f"privileges={decision.privileges or '-'} "
            f"advisories={decision.advisories or '-'}")
    if decision.error is not None:
        line += f" error={decision.error}"
    return line

# A member of product 14001 (Brightwater Fleet Tracker, tracker family,
# auto-approve, released firmware 23) in examples/policy.yaml.
MEMBER = {"id": "269e0d37f2a74de452e6b438", "platform_id": 26, "sku": "T404MEA",
          "device_os": "6.1.1", "cloud_product_id": 14001,
          "firmware_product_id": 14001, "firmware_version": 23}

# An unowned-or-owned legacy tracker new to 14001: rules 13-15 decide it.
NEWCOMER = {"id": "81e74ef5e8e25d940ed90475", "platform_id": 26,
            "device_os": "3.3.1", "firmware_product_id": 14001,
            "firmware_version": 23}


class ExamplePolicyTest(unittest.TestCase):
    """A test case with examples/policy.yaml loaded once, as cls.policy."""

    policy = None

    @classmethod
    def setUpClass(cls):
        from particlepolicy import Policy
        cls.policy = Policy.from_file(POLICY_YAML)

    @classmethod
    def tearDownClass(cls):
        cls.policy.close()
