"""Policy.diff (docs/diff.md): the example policy changed three ways, an
empty diff for a reformatted policy, every fleet record against its class,
and errors."""
from __future__ import annotations

import unittest

from particlepolicy import (Action, ChangeKind, Device, Direction, ErrorCode, FindingCode,
                            Outcome, ParticlePolicyError, Policy, Privilege)
from particlepolicy._diff import AuthorizationChange, DeviceClass, PolicyDiff

from support import POLICY_YAML, fleet, read_text

AUTO_APPROVE = ("    family: bsom\n    unrecognized_devices: quarantine\n",
                "    family: bsom\n    unrecognized_devices: auto_approve\n")
DROP_FAY = ("      - {user: fay@brightwater.example, role: developer, two_step: true}\n", "")
LEGACY_5 = ("legacy_device_os_below: 4.0.0-0", "legacy_device_os_below: 5.0.0")


def changed(change):
    text = read_text(POLICY_YAML)
    assert text.count(change[0]) == 1, change[0]
    return Policy.from_yaml(text.replace(*change))


class TestDiff(unittest.TestCase):

    def setUp(self):
        self.old = Policy.from_file(POLICY_YAML)
        self.addCleanup(self.old.close)

    def diff(self, change):
        new = changed(change)
        self.addCleanup(new.close)
        return new, self.old.diff(new)

    def test_auto_approve_is_one_loosening_change_whose_classes_gain(self):
        _, d = self.diff(AUTO_APPROVE)
        self.assertIsInstance(d, PolicyDiff)
        self.assertTrue(d)
        (c,) = d.changes
        self.assertEqual((c.kind, c.direction, c.product_id, c.key, c.old, c.new),
                         (ChangeKind.PRODUCT_CHANGED, Direction.LOOSENING, 14002,
                          "unrecognized_devices", "quarantine", "auto_approve"))
        # auto_approve_enabled and auto_approve_readmits_denied, both brought by it.
        self.assertEqual(c.findings_introduced, 2)
        self.assertEqual([(f.introduced, f.change, f.finding.code) for f in d.findings],
                         [(True, 0, FindingCode.AUTO_APPROVE_ENABLED),
                          (True, 0, FindingCode.AUTO_APPROVE_READMITS_DENIED)])
        self.assertEqual(len(d.device_classes), 5)
        self.assertGreater(d.classes_examined, 1000)
        self.assertEqual(d.authorizations, ())
        gains = [k for k in d.device_classes if k.privileges_gained]
        self.assertEqual(len(gains), 4)
        for i, k in enumerate(d.device_classes):
            self.assertIsInstance(k, DeviceClass)
            self.assertIn("firmware claims 14002", k.description)
            self.assertEqual(k.old.rule, 12)
            self.assertIsInstance(k.representative, Device)
            self.assertEqual(d.class_of(k.representative), (i, k.old, k.new))
        self.assertEqual(gains[0].privileges_gained, Privilege(15))
        self.assertIs(gains[0].new.outcome, Outcome.AUTO_APPROVE)

    def test_every_fleet_record_decides_as_its_class_predicts(self):
        for change in (AUTO_APPROVE, DROP_FAY, LEGACY_5):
            new, d = self.diff(change)
            for record in fleet():
                record = {k: v for k, v in record.items() if k != "note"}
                index, old, now = d.class_of(record)
                with self.subTest(change=change[1], id=record.get("id")):
                    self.assertEqual(old, self.old.decide(record))
                    self.assertEqual(now, new.decide(record))
                    self.assertEqual(index is not None, old != now)

    def test_dropping_a_member_loses_her_actions(self):
        _, d = self.diff(DROP_FAY)
        (c,) = d.changes
        self.assertEqual((c.kind, c.direction, c.organization, c.subject, c.old),
                         (ChangeKind.MEMBER_REMOVED, Direction.TIGHTENING, "brightwater",
                          "fay@brightwater.example", "developer"))
        self.assertEqual(len(d.authorizations), 48)
        lost = [a for a in d.authorizations if a.old.allowed and not a.new.allowed]
        self.assertEqual(len(lost), 39)
        self.assertIsInstance(lost[0], AuthorizationChange)
        self.assertEqual({a.actor for a in d.authorizations}, {"fay@brightwater.example"})
        self.assertIn(Action.APPROVE_QUARANTINED, {a.action for a in lost})
        self.assertTrue(all(k.privileges_lost and not k.privileges_gained
                            for k in d.device_classes))

    def test_raising_the_legacy_threshold_auto_approves_4x_devices(self):
        _, d = self.diff(LEGACY_5)
        (c,) = d.changes
        self.assertEqual((c.kind, c.key, c.old, c.new),
                         (ChangeKind.SETTING, "legacy_device_os_below", "4.0.0-0", "5.0.0"))
        self.assertTrue(any(k.old.rule == 10 and k.new.rule == 13 and k.privileges_gained
                            for k in d.device_classes))

    def test_a_policy_against_itself_is_empty(self):
        d = self.old.diff(self.old)
        self.assertFalse(d)
        self.assertEqual((d.changes, d.findings, d.device_classes, d.authorizations),
                         ((), (), (), ()))

    def test_the_class_limit_and_a_closed_policy_raise(self):
        new = changed(LEGACY_5)
        self.addCleanup(new.close)
        with self.assertRaises(ParticlePolicyError) as caught:
            self.old.diff(new, max_classes=100)
        self.assertIs(caught.exception.code, ErrorCode.LIMIT_EXCEEDED)
        new.close()
        with self.assertRaises(ValueError):
            self.old.diff(new)
        with self.assertRaises(TypeError):
            self.old.diff("policy.yaml")


if __name__ == "__main__":
    unittest.main()
