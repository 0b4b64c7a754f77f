"""Operator authorization: roles and scopes against actions, device states,
run-time teams, and invalid input that denies or cannot be expressed."""
from __future__ import annotations

import dataclasses
import unittest

from particlepolicy import (Action, Actor, ActorKind, Authorization, AuthzReason,
                            DeviceState, ErrorCode, Policy, Role,
                            Team, scope_grants)

# docs/authorization.md's example, with a member of every role and an API
# user holding wildcard scopes.
POLICY = """
version: 1
organizations:
  - name: acme
    members:
      - {user: olivia, role: owner, two_step: true}
      - {user: ada, role: administrator, two_step: true}
      - {user: dev, role: developer, two_step: true}
      - {user: sam, role: support, two_step: true}
      - {user: vera, role: view_only, two_step: true}
    api_users:
      - {name: ci, scopes: ['devices:import', 'firmware:release']}
      - {name: ops, scopes: ['devices:*', 'teams.users:*']}
products:
  - {id: 100, name: Acme B SoM, organization: acme, family: bsom, released_firmware: 5}
"""

# A B SoM in product 100's quarantine, on product firmware 3 (100 releases 5).
QUARANTINED = {"id": "e00fce68a1b2c3d4e5f60718", "platform_id": 23, "sku": "B404MEA",
               "device_os": "4.0.1", "quarantined_in": 100, "firmware_version": 3}
MEMBER = dict(QUARANTINED, quarantined_in=0, cloud_product_id=100)
BORON = dict(QUARANTINED, platform_id=13, sku=None)

# docs/spec.md §4's table, written out here rather than read from the library.
MIN_ROLE = {
    "view_devices": "view_only", "call_function": "support", "change_sim": "support",
    "add_device": "developer", "approve_quarantined": "developer",
    "deny_quarantined": "developer", "reapprove_denied": "developer",
    "remove_device": "developer", "unclaim_device": "developer",
    "mark_development": "developer", "flash_device": "developer",
    "release_firmware": "developer", "manage_integrations": "developer",
    "manage_team": "administrator", "change_settings": "administrator",
    "billing": "owner",
}
MEMBERS = {"vera": Role.VIEW_ONLY, "sam": Role.SUPPORT, "dev": Role.DEVELOPER,
           "ada": Role.ADMINISTRATOR, "olivia": Role.OWNER}


class TestAuthorize(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.policy = Policy.from_yaml(POLICY)

    @classmethod
    def tearDownClass(cls):
        cls.policy.close()

    def check(self, a: Authorization, allowed: bool, reason: AuthzReason) -> None:
        self.assertEqual((a.allowed, a.reason), (allowed, reason), a)
        self.assertIs(bool(a), allowed)

    def test_every_role_and_action_without_a_device_follows_the_spec_table(self):
        cells = 0
        for user, role in MEMBERS.items():
            for action in Action:
                with self.subTest(user=user, action=str(action)):
                    a = self.policy.authorize(user, action, 100)
                    need = Role.from_name(MIN_ROLE[str(action)])
                    if role.value >= need.value:
                        self.check(a, True, AuthzReason.GRANTED_BY_ROLE)
                    else:
                        self.check(a, False, AuthzReason.ROLE_INSUFFICIENT)
                    self.assertIs(a.role, role)
                    self.assertIs(a.required_role, need)
                    self.assertIsNone(a.device_state)
                    self.assertIsNone(a.error)
                    cells += 1
        self.assertEqual(cells, 80)

    def test_the_documented_example_answers(self):
        ci = Actor("ci", ActorKind.API_USER)
        rows = [
            ("dev", "approve_quarantined", QUARANTINED, True, AuthzReason.GRANTED_BY_ROLE, True),
            ("vera", "approve_quarantined", QUARANTINED, False,
             AuthzReason.ROLE_INSUFFICIENT, False),
            (ci, "approve_quarantined", QUARANTINED, True, AuthzReason.GRANTED_BY_SCOPE, True),
            (ci, "remove_device", MEMBER, False, AuthzReason.SCOPE_MISSING, False),
            ("olivia", "billing", None, True, AuthzReason.GRANTED_BY_ROLE, False),
            (ci, "billing", None, False, AuthzReason.NOT_FOR_API_USERS, False),
            ("dev", "approve_quarantined", BORON, False,
             AuthzReason.INCOMPATIBLE_PLATFORM, False),
            ("dev", "flash_device", QUARANTINED, False, AuthzReason.WRONG_DEVICE_STATE, False),
            ("mallory", "view_devices", None, False, AuthzReason.NOT_A_TEAM_MEMBER, False),
        ]
        for actor, action, device, allowed, reason, ota in rows:
            with self.subTest(actor=actor, action=action):
                a = self.policy.authorize(actor, action, 100, device)
                self.check(a, allowed, reason)
                self.assertIs(a.ota_update_pending, ota)

    def test_the_answer_says_what_the_action_needs_and_where_the_device_stands(self):
        a = self.policy.authorize(Actor.api_user("ci"), Action.REMOVE_DEVICE, 100, MEMBER)
        self.assertEqual(a.required_scope, "devices:remove")
        self.assertIs(a.required_role, Role.DEVELOPER)
        self.assertIsNone(a.role)                       # API users hold no role
        self.assertIs(a.device_state, None)             # denied before the device
        a = self.policy.authorize("dev", Action.VIEW_DEVICES, 100, MEMBER)
        self.assertIs(a.device_state, DeviceState.MEMBER)
        self.assertEqual(a.required_scope, "devices:list")
        denied = dict(MEMBER, denied_in=100)           # denied wins over member
        a = self.policy.authorize("dev", Action.REAPPROVE_DENIED, 100, denied)
        self.check(a, True, AuthzReason.GRANTED_BY_ROLE)
        self.assertIs(a.device_state, DeviceState.DENIED)
        a = self.policy.authorize("dev", Action.ADD_DEVICE, 100, dict(MEMBER, cloud_product_id=0))
        self.assertIs(a.device_state, DeviceState.NONE)
        self.assertIsNone(self.policy.authorize("olivia", "billing", 100).required_scope)

    def test_wildcard_scopes_grant_every_verb_of_their_resource(self):
        ops = Actor("ops", ActorKind.API_USER)
        self.check(self.policy.authorize(ops, "remove_device", 100, MEMBER),
                   True, AuthzReason.GRANTED_BY_SCOPE)
        self.check(self.policy.authorize(ops, "manage_team", 100),
                   True, AuthzReason.GRANTED_BY_SCOPE)
        self.check(self.policy.authorize(ops, "call_function", 100, MEMBER),
                   False, AuthzReason.SCOPE_MISSING)   # devices.function is another resource
        self.assertTrue(scope_grants("devices:*", "devices:import"))
        self.assertTrue(scope_grants("teams.users:*", "teams.users:invite"))
        self.assertFalse(scope_grants("devices:*", "devices.function:call"))
        self.assertFalse(scope_grants("devices:import", "devices:*"))

    def test_people_and_api_users_never_stand_in_for_each_other(self):
        self.check(self.policy.authorize("ci", "release_firmware", 100),
                   False, AuthzReason.NOT_A_TEAM_MEMBER)
        self.check(self.policy.authorize(Actor.api_user("dev"), "release_firmware", 100),
                   False, AuthzReason.NOT_A_TEAM_MEMBER)
        self.check(self.policy.authorize("Dev", "release_firmware", 100),
                   False, AuthzReason.NOT_A_TEAM_MEMBER)   # names are exact

    def test_unknown_product_denies(self):
        for product in (0, 101):
            self.check(self.policy.authorize("olivia", "view_devices", product),
                       False, AuthzReason.UNKNOWN_PRODUCT)

    def test_a_run_time_team_adds_people_and_the_largest_role_counts(self):
        with Team([("acme", "tess", "administrator"), ("acme", "vera", "developer"),
                   ("other", "otto", "owner")]) as team:
            a = self.policy.authorize("tess", "manage_team", 100, team=team)
            self.check(a, True, AuthzReason.GRANTED_BY_ROLE)
            self.assertIs(a.role, Role.ADMINISTRATOR)
            a = self.policy.authorize("vera", "flash_device", 100, MEMBER, team=team)
            self.check(a, True, AuthzReason.GRANTED_BY_ROLE)
            self.assertIs(a.role, Role.DEVELOPER)
            self.check(self.policy.authorize("otto", "view_devices", 100, team=team),
                       False, AuthzReason.NOT_A_TEAM_MEMBER)
            self.check(self.policy.authorize(Actor.api_user("tess"), "view_devices", 100,
                                             team=team),
                       False, AuthzReason.NOT_A_TEAM_MEMBER)
        self.check(self.policy.authorize("tess", "manage_team", 100),
                   False, AuthzReason.NOT_A_TEAM_MEMBER)

    def test_invalid_input_is_a_denial_with_an_error_code(self):
        cases = [
            ("", "view_devices", None, ErrorCode.INVALID_ARGUMENT),
            ("ol\0ivia", "view_devices", None, ErrorCode.INVALID_ARGUMENT),
            (b"\xff", "view_devices", None, ErrorCode.INVALID_ARGUMENT),
            ("olivia", "view_devices", dict(MEMBER, id="nothex"), ErrorCode.INVALID_DEVICE_ID),
            ("olivia", "approve_quarantined", dict(QUARANTINED, device_os="four"),
             ErrorCode.INVALID_DEVICE_OS),
            ("olivia", "flash_device", {"id": MEMBER["id"], "device_os": None},
             ErrorCode.INVALID_DEVICE_OS),
        ]
        for actor, action, device, code in cases:
            with self.subTest(actor=actor, action=action, device=device):
                a = self.policy.authorize(actor, action, 100, device)
                self.check(a, False, AuthzReason.INVALID_INPUT)
                self.assertIs(a.error, code)
                self.assertFalse(a.ota_update_pending)

    def test_a_device_plays_no_part_in_an_action_not_about_devices(self):
        a = self.policy.authorize("olivia", "billing", 100, {"id": "bad", "device_os": None})
        self.check(a, True, AuthzReason.GRANTED_BY_ROLE)
        self.assertIsNone(a.device_state)

    def test_values_that_cannot_be_expressed_raise(self):
        with self.assertRaisesRegex(ValueError, "unknown action 'fly'"):
            self.policy.authorize("olivia", "fly", 100)
        with self.assertRaises(TypeError):
            self.policy.authorize("olivia", 3, 100)
        with self.assertRaises(ValueError):
            self.policy.authorize("olivia", "view_devices", -1)
        with self.assertRaises(ValueError):
            self.policy.authorize("olivia", "view_devices", 2 ** 32)
        with self.assertRaises(TypeError):
            self.policy.authorize(42, "view_devices", 100)
        with self.assertRaises(TypeError):
            self.policy.authorize(Actor("olivia", "human"), "view_devices", 100)
        with self.assertRaises(TypeError):
            self.policy.authorize("olivia", "view_devices", 100, team="acme")
        with self.assertRaisesRegex(TypeError, "did you mean 'quarantined_in'"):
            self.policy.authorize("dev", "approve_quarantined", 100,
                                  dict(MEMBER, quarantine_in=100))

    def test_answers_are_frozen_and_a_closed_policy_refuses(self):
        a = self.policy.authorize("olivia", "billing", 100)
        with self.assertRaises(dataclasses.FrozenInstanceError):
            a.allowed = False  # type: ignore[misc]
        policy = Policy.from_yaml(POLICY)
        policy.close()
        with self.assertRaisesRegex(ValueError, "closed"):
            policy.authorize("olivia", "billing", 100)

    def test_equal_answers_are_one_object_and_names_are_exact(self):
        a = self.policy.authorize("dev", Action.APPROVE_QUARANTINED, 100, QUARANTINED)
        self.assertIs(self.policy.authorize(Actor("dev"), "approve_quarantined", 100,
                                            QUARANTINED), a)
        self.assertTrue(a.allowed)
        self.assertIsNot(self.policy.authorize("vera", "approve_quarantined", 100,
                                               QUARANTINED), a)
        with self.assertRaisesRegex(ValueError, "unknown action 'VIEW_DEVICES'"):
            self.policy.authorize("olivia", "VIEW_DEVICES", 100)
        with self.assertRaisesRegex(ValueError, "unknown action 'View_devices'"):
            self.policy.authorize("olivia", "View_devices", 100)

    def test_scope_grants_needs_text(self):
        with self.assertRaises(TypeError):
            scope_grants(b"devices:*", "devices:import")  # type: ignore[arg-type]


if __name__ == "__main__":
    unittest.main()
