"""The lifecycle stories of examples/stories, replayed through the binding:
every step must give what ``ppolicy replay`` gives (its JSON in
tests/cli/golden), so Python and the CLI tell the same story."""
from __future__ import annotations

import dataclasses
import glob
import json
import os
import unittest

from particlepolicy import Actor, Device

from support import TOP_SRCDIR, ExamplePolicyTest

GOLDEN = os.path.join(TOP_SRCDIR, "tests", "cli", "golden")


def record(device: Device) -> dict:
    """A Device as ppolicy prints a record (absent strings null)."""
    return dataclasses.asdict(device)


class TestStories(ExamplePolicyTest):

    def step(self, device: Device, st: dict) -> Device:
        """Play one step of the CLI's story on device; check it; return the
        record after it."""
        kind = st["event"]
        if kind == "reconnect":
            d = self.policy.decide(device)
            want = st["decision"]
            self.assertEqual((str(d.outcome), str(d.reason), d.rule, d.product_id),
                             (want["outcome"], want["reason"], want["rule"], want["product_id"]))
            self.assertEqual(list(d.privileges.names), want["privileges"])
            self.assertEqual(list(d.advisories.names), want["advisories"])
            self.assertEqual(list(d.effects.names), want["effects"])
            self.assertEqual(d.leaves_denied, want.get("leaves_denied", 0))
            self.assertEqual(d.leaves_quarantine, want.get("leaves_quarantine", 0))
            return self.policy.apply_effects(device, d)
        if kind == "operate":
            actor = (Actor.api_user(st["actor"]) if st["actor_kind"] == "api_user"
                     else st["actor"])
            t = self.policy.operate(actor, st["operation"], st["product_id"], device)
            want = st["answer"]
            self.assertEqual((t.applied, str(t.refusal), t.authorization.allowed,
                              str(t.authorization.reason)),
                             (want["applied"], want["refusal"], want["allowed"], want["reason"]))
            return t.device
        if kind == "flash":
            return dataclasses.replace(device, firmware_product_id=st["firmware_product_id"],
                                       firmware_version=st["firmware_version"])
        if kind == "device_os":
            return dataclasses.replace(device, device_os=st["device_os"])
        self.assertEqual(kind, "claim")
        return dataclasses.replace(device, owner=st["owner"])

    def test_every_story_replays_as_the_cli_replays_it(self):
        stories = sorted(glob.glob(os.path.join(GOLDEN, "replay-*.json")))
        self.assertGreaterEqual(len(stories), 6)
        for path in stories:
            with open(path, encoding="utf-8") as f:
                story = json.load(f)
            with self.subTest(story=story["story"]):
                device = Device.from_dict(story["start"])
                self.assertEqual(record(device), story["start"])
                for st in story["steps"]:
                    device = self.step(device, st)
                    self.assertEqual(record(device), st["record"], f"step {st['step']}")


if __name__ == "__main__":
    unittest.main()
