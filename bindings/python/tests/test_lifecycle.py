"""The device lifecycle (docs/lifecycle.md): decisions' effects, the record
to store after them, and operator actions as transitions of a record."""
from __future__ import annotations

import dataclasses
import unittest

from particlepolicy import (Action, Actor, AuthzReason, Decision, Device, Effect, ErrorCode,
                            Operation, ParticlePolicyError, Policy, Refusal, Transition)

from support import NEWCOMER, ExamplePolicyTest, fleet

POLICY = """
version: 1
organizations:
  - name: acme
    members:
      - {user: dev, role: developer, two_step: true}
      - {user: vera, role: view_only, two_step: true}
    api_users:
      - {name: ci, scopes: ['devices:import', 'devices:remove', 'firmware:release']}
products:
  - {id: 100, name: Acme B SoM, organization: acme, family: bsom, released_firmware: 5}
  - {id: 200, name: Acme Auto, organization: acme, family: bsom,
     unrecognized_devices: auto_approve}
"""

# A legacy B SoM whose firmware claims product 100, never seen before.
NEW = Device(id="e00fce68a1b2c3d4e5f60718", device_os="3.3.1", platform_id="bsom",
             owner="customer@example.com", firmware_product_id=100, firmware_version=3)


class TestLifecycle(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.policy = Policy.from_yaml(POLICY)

    @classmethod
    def tearDownClass(cls):
        cls.policy.close()

    def test_quarantine_approve_remove_reappear_and_leave_the_denied_list(self):
        p = self.policy
        d = p.decide(NEW)
        self.assertEqual((d.rule, d.effects), (12, Effect.ENTER_QUARANTINE))
        device = p.apply_effects(NEW, d)
        self.assertEqual(device.quarantined_in, 100)
        self.assertEqual(p.decide(device).effects, Effect(0))   # settled at once

        refused = p.operate("vera", Operation.APPROVE_QUARANTINED, 100, device)
        self.assertFalse(refused)
        self.assertIs(refused.refusal, Refusal.NOT_AUTHORIZED)
        self.assertIs(refused.authorization.reason, AuthzReason.ROLE_INSUFFICIENT)
        self.assertEqual(refused.device, device)

        t = p.operate("dev", "approve_quarantined", 100, device)
        self.assertIsInstance(t, Transition)
        self.assertTrue(t.applied and t.authorization.ota_update_pending)
        self.assertIs(t.refusal, Refusal.NONE)
        device = t.device
        self.assertEqual((device.cloud_product_id, device.quarantined_in), (100, 0))
        self.assertEqual(device.platform_id, "bsom")        # the caller's values stay
        self.assertEqual(p.decide(device).rule, 7)

        device = p.operate(Actor.api_user("ci"), Operation.RELEASE_FIRMWARE, 100, device).device
        self.assertEqual((device.firmware_version, device.firmware_product_id), (5, 100))
        device = p.operate("dev", Operation.REMOVE_DEVICE, 100, device).device
        self.assertEqual((device.cloud_product_id, device.removed_from), (0, 100))
        d = p.decide(device)
        self.assertEqual(d.effects, Effect.ENTER_DENIED_LIST)
        device = p.apply_effects(device, d)
        self.assertEqual((device.denied_in, device.removed_from), (100, 0))

        # Non-product firmware takes it off the Denied list: the way back.
        tinker = p.decide(dataclasses.replace(device, firmware_product_id=0))
        self.assertEqual(tinker.effects, Effect.LEAVE_DENIED_LIST)
        self.assertEqual(tinker.leaves_denied, 100)

    def test_auto_approve_joins_and_unclaim_drops_the_owner(self):
        unowned = Device(id=NEW.id, device_os="3.3.1", platform_id=23, firmware_product_id=200)
        d = self.policy.decide(unowned)
        self.assertEqual((d.rule, d.effects), (13, Effect.JOIN))
        member = self.policy.apply_effects(unowned, d)
        self.assertEqual(member.cloud_product_id, 200)
        owned = Device(id=NEW.id, device_os="3.3.1", platform_id=23, cloud_product_id=200,
                       firmware_product_id=200, owner="customer@example.com")
        t = self.policy.operate("dev", Operation.UNCLAIM_DEVICE, 200, owned)
        self.assertTrue(t)
        self.assertIsNone(t.device.owner)
        t = self.policy.operate("dev", Operation.MARK_DEVELOPMENT, 200, owned)
        self.assertTrue(t.device.development)
        self.assertEqual(t.device.owner, "customer@example.com")

    def test_mappings_work_and_give_devices(self):
        record = {"id": NEW.id, "device_os": "3.3.1", "platform_id": "bsom",
                  "firmware_product_id": 100, "note": "ignored"}
        d = self.policy.decide(record)
        device = self.policy.apply_effects(record, d)
        self.assertIsInstance(device, Device)
        self.assertEqual(device.quarantined_in, 100)
        t = self.policy.operate("dev", "deny_quarantined", 100, {**record, "quarantined_in": 100})
        self.assertEqual((t.device.denied_in, t.device.quarantined_in), (100, 0))

    def test_a_decision_for_another_record_is_refused(self):
        d = self.policy.decide(Device(id=NEW.id, device_os="3.3.1", platform_id=23, denied_in=100))
        self.assertEqual(d.effects, Effect.LEAVE_DENIED_LIST)
        other = Device(id=NEW.id, device_os="3.3.1", platform_id=23, denied_in=200)
        with self.assertRaises(ParticlePolicyError) as ctx:
            self.policy.apply_effects(other, d)
        self.assertIs(ctx.exception.code, ErrorCode.INVALID_ARGUMENT)
        with self.assertRaises(TypeError):
            self.policy.apply_effects(other, "a decision")   # type: ignore[arg-type]

    def test_invalid_input_is_a_refusal_and_bad_values_raise(self):
        t = self.policy.operate("", Operation.APPROVE_QUARANTINED, 100, NEW)
        self.assertIs(t.refusal, Refusal.INVALID_INPUT)
        self.assertIs(t.error, ErrorCode.INVALID_ARGUMENT)
        self.assertEqual(t.device, NEW)
        bad = Device(id="nope", device_os="3.3.1", platform_id=23, quarantined_in=100)
        t = self.policy.operate("dev", Operation.APPROVE_QUARANTINED, 100, bad)
        self.assertIs(t.error, ErrorCode.INVALID_DEVICE_ID)
        t = self.policy.operate("dev", Operation.RELEASE_FIRMWARE, 100, NEW)
        self.assertIs(t.refusal, Refusal.NO_UPDATE_PENDING)
        with self.assertRaises(ValueError):
            self.policy.operate("dev", "flash", 100, NEW)
        with self.assertRaises(TypeError):
            self.policy.operate("dev", 3, 100, NEW)          # type: ignore[arg-type]
        with self.assertRaises(ValueError):
            self.policy.operate("dev", Operation.ADD_DEVICE, -1, NEW)

    def test_vocabulary(self):
        self.assertEqual([str(o) for o in Operation][:3],
                         ["add_device", "approve_quarantined", "deny_quarantined"])
        self.assertIs(Operation.UNMARK_DEVELOPMENT.action, Action.MARK_DEVELOPMENT)
        self.assertEqual(str(Effect.JOIN | Effect.LEAVE_QUARANTINE), "join,leave_quarantine")
        self.assertEqual(Effect.from_names(["enter_denied_list"]), Effect.ENTER_DENIED_LIST)
        self.assertIs(Refusal.from_name("not_authorized"), Refusal.NOT_AUTHORIZED)

    def test_closed_policy_raises(self):
        p = Policy.from_yaml(POLICY)
        d = p.decide(NEW)
        p.close()
        with self.assertRaisesRegex(ValueError, "closed"):
            p.operate("dev", Operation.ADD_DEVICE, 100, NEW)
        self.assertIsInstance(d, Decision)


class TestExampleFleetEffects(ExamplePolicyTest):

    def test_every_decision_of_the_fleet_applies_and_settles(self):
        for record in fleet():
            d = self.policy.decide(record)
            if d.error is not None:
                self.assertEqual(d.effects, Effect(0))
                continue
            stored = self.policy.apply_effects(record, d)
            again = self.policy.decide(stored)
            self.assertEqual(again.effects, Effect(0), record.get("note"))
            self.assertEqual(again.privileges, d.privileges)

    def test_newcomer_auto_approved(self):
        d = self.policy.decide(NEWCOMER)
        self.assertEqual(d.effects, Effect.JOIN)


if __name__ == "__main__":
    unittest.main()
