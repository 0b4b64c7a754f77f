"""Deciding: the example fleet, records as dicts and dataclasses, batches,
run-time teams, and input that is invalid or cannot be expressed."""
from __future__ import annotations

import dataclasses
import unittest

from particlepolicy import (Advisory, CloudProductStatus, Decision, Device,
                            ErrorCode, Outcome, Privilege, Reason, Team)

from support import (ExamplePolicyTest, MEMBER, NEWCOMER, expected_lines, fleet,
                     fleet_line)


class TestDecide(ExamplePolicyTest):

    def test_example_fleet_decides_as_the_c_example(self):
        records = fleet()
        got = [fleet_line(r, self.policy.decide(r)) for r in records]
        self.assertEqual(len(got), 39)
        self.assertEqual(got, expected_lines())

    def test_decide_many_equals_one_by_one(self):
        records = fleet()
        self.assertEqual(self.policy.decide_many(records),
                         [self.policy.decide(r) for r in records])
        self.assertEqual(self.policy.decide_many([]), [])
        self.assertEqual(self.policy.decide_many(iter(records[:3])),
                         [self.policy.decide(r) for r in records[:3]])

    def test_member_gets_every_privilege_and_a_frozen_decision(self):
        d = self.policy.decide(Device(**MEMBER))
        self.assertEqual(d, Decision(Outcome.OK, Reason.MEMBER, 7, 14001,
                                     Privilege.OTA_UPDATES | Privilege.PRODUCT_EVENTS
                                     | Privilege.CUSTOMER_CLAIM
                                     | Privilege.PRODUCT_WEBHOOKS,
                                     Advisory(0), None, None))
        self.assertIsNone(d.error)
        self.assertEqual(d.limited_in, 0)
        with self.assertRaises(dataclasses.FrozenInstanceError):
            d.outcome = Outcome.DENY  # type: ignore[misc]
        self.assertEqual(hash(d), hash(self.policy.decide(MEMBER)))

    def test_decision_repr_reads_like_the_fleet_output(self):
        d = self.policy.decide({**MEMBER, "firmware_version": 21})
        self.assertEqual(repr(d), "<Decision ok member rule=7 product_id=14001 "
                         "privileges=ota_updates,product_events,customer_claim,"
                         "product_webhooks advisories=ota_update_pending>")

    def test_dict_and_dataclass_give_the_same_decision(self):
        for record in fleet():
            with self.subTest(id=record["id"]):
                self.assertEqual(self.policy.decide(record),
                                 self.policy.decide(Device.from_dict(record)))

    def test_cloud_product_status_names_the_product_with_limited_privileges(self):
        d = self.policy.decide({"id": "b2f14c942e05319acb5c7427", "platform_id": 10,
                                "device_os": "3.3.1", "cloud_product_id": 13999,
                                "firmware_product_id": 14005})
        self.assertEqual((d.outcome, d.reason, d.rule),
                         (Outcome.QUARANTINE, Reason.MEMBER_OF_OTHER_PRODUCT, 11))
        self.assertEqual(d.cloud_product_status, CloudProductStatus(13999, Outcome.LIMITED))
        self.assertEqual(d.limited_in, 13999)
        self.assertIn("limited_in=13999", repr(d))

    def test_invalid_input_is_a_deny_decision_with_an_error_code(self):
        cases = [
            ({"id": "12bd4acefaecbd389be4bcf"}, ErrorCode.INVALID_DEVICE_ID),
            ({"id": None}, ErrorCode.INVALID_DEVICE_ID),
            ({"device_os": "4.1"}, ErrorCode.INVALID_DEVICE_OS),
            ({"device_os": None}, ErrorCode.INVALID_DEVICE_OS),
            ({"sku": "T404 MEA"}, ErrorCode.INVALID_SKU),
            ({"owner": ""}, ErrorCode.INVALID_OWNER),
            ({"firmware_version": 70000}, ErrorCode.INVALID_FIRMWARE_VERSION),
            ({"platform_id": None, "sku": None}, ErrorCode.INVALID_PLATFORM),
        ]
        for change, code in cases:
            with self.subTest(change=change):
                d = self.policy.decide({**MEMBER, **change})
                self.assertEqual((d.outcome, d.reason, d.rule, d.error, d.privileges),
                                 (Outcome.DENY, Reason.INVALID_INPUT, 0, code,
                                  Privilege(0)))
                self.assertIn(f"error={code}", repr(d))

    def test_owner_is_passed_with_its_length_so_an_embedded_nul_stays(self):
        # A truncating binding would pass "fay@brightwater.example" (a team
        # member: auto_approve); the whole string has a control character.
        owner = "fay@brightwater.example\0mallory"
        d = self.policy.decide({**NEWCOMER, "owner": owner})
        self.assertIs(d.error, ErrorCode.INVALID_OWNER)
        d = self.policy.decide({**NEWCOMER, "owner": owner.split("\0")[0]})
        self.assertIs(d.reason, Reason.OWNER_IS_TEAM_MEMBER)

    def test_strings_may_be_bytes(self):
        as_bytes = {k: v.encode() if isinstance(v, str) else v for k, v in MEMBER.items()}
        self.assertEqual(self.policy.decide(as_bytes), self.policy.decide(MEMBER))

    def test_platform_may_be_given_by_name_in_any_case(self):
        for name in ("tracker", "TRACKER"):
            self.assertEqual(self.policy.decide({**MEMBER, "platform_id": name}),
                             self.policy.decide(MEMBER))
        with self.assertRaisesRegex(ValueError, "unknown platform name 'trakcer'"):
            self.policy.decide({**MEMBER, "platform_id": "trakcer"})

    def test_platform_id_absent_lets_the_sku_decide(self):
        d = self.policy.decide({**MEMBER, "platform_id": None})
        self.assertIs(d.reason, Reason.MEMBER)

    def test_values_c_cannot_hold_raise_instead_of_wrapping(self):
        for change in ({"cloud_product_id": -1}, {"cloud_product_id": 2 ** 32},
                       {"firmware_version": 2 ** 32 + 23}, {"platform_id": 2 ** 32 - 1},
                       {"denied_in": -14001}):
            with self.subTest(change=change), self.assertRaises(ValueError):
                self.policy.decide({**MEMBER, **change})

    def test_wrong_types_raise_type_error(self):
        for change in ({"cloud_product_id": "14001"}, {"cloud_product_id": 14001.0},
                       {"removed_from": True}, {"id": 5}, {"development": "false"}):
            with self.subTest(change=change), self.assertRaises(TypeError):
                self.policy.decide({**MEMBER, **change})
        with self.assertRaises(TypeError):
            self.policy.decide(["not", "a", "device"])  # type: ignore[arg-type]

    def test_unknown_keys_are_refused_with_a_hint_but_note_is_ignored(self):
        with self.assertRaisesRegex(TypeError, "did you mean 'cloud_product_id'"):
            self.policy.decide({**MEMBER, "cloud_product": 14001})
        with self.assertRaisesRegex(TypeError, "unknown device field 'sku_code'"):
            Device.from_dict({**MEMBER, "sku_code": "T404MEA"})
        self.assertEqual(self.policy.decide({**MEMBER, "note": "hello"}),
                         self.policy.decide(MEMBER))

    def test_development_device_is_flagged_and_gets_no_ota(self):
        d = self.policy.decide({**MEMBER, "firmware_version": 21, "development": True})
        self.assertEqual(d.advisories, Advisory.DEVELOPMENT_DEVICE)

    def test_run_time_team_membership_counts_for_rule_14(self):
        outsider = {**NEWCOMER, "owner": "zoe@partner.example"}
        self.assertIs(self.policy.decide(outsider).reason, Reason.OWNER_NOT_TEAM_MEMBER)
        with Team([("brightwater", "zoe@partner.example", "developer")]) as team:
            d = self.policy.decide(outsider, team=team)
            self.assertEqual((d.outcome, d.reason, d.rule),
                             (Outcome.AUTO_APPROVE, Reason.OWNER_IS_TEAM_MEMBER, 14))
            self.assertEqual(self.policy.decide_many([outsider, NEWCOMER], team=team),
                             [d, self.policy.decide(NEWCOMER)])
            # Another organization's team does not count for 14001.
            with Team([("harbor-labs", "zoe@partner.example", "owner")]) as other:
                self.assertIs(self.policy.decide(outsider, team=other).reason,
                              Reason.OWNER_NOT_TEAM_MEMBER)

    def test_team_must_be_a_team(self):
        with self.assertRaises(TypeError):
            self.policy.decide(MEMBER, team="brightwater")  # type: ignore[arg-type]

    def test_is_legacy_follows_the_policy_threshold(self):
        self.assertTrue(self.policy.is_legacy("3.3.1"))
        self.assertFalse(self.policy.is_legacy("4.0.0-beta.1"))
        self.assertFalse(self.policy.is_legacy("v6.1.1"))
        with self.assertRaises(ValueError) as caught:
            self.policy.is_legacy("4.1")
        self.assertIs(caught.exception.code, ErrorCode.INVALID_VERSION)


if __name__ == "__main__":
    unittest.main()
