"""The enums come from the library's name functions, and read well."""
from __future__ import annotations

import ast
import os
import unittest

import particlepolicy
from particlepolicy import (Action, ActorKind, Advisory, AuthzReason, DeviceState,
                            ErrorCode, FindingCode, Outcome, Privilege, Reason, Role,
                            Severity, SimState, _native)
from particlepolicy._native import lib


def library_names(name_of, start=0, step=1):
    return [name for name, _ in _native.enumerate_names(name_of, start, step)]


class TestVocabulary(unittest.TestCase):

    CASES = [
        (Outcome, lib.pp_outcome_name, 0, 1),
        (Reason, lib.pp_reason_name, 0, 1),
        (Role, lib.pp_role_name, 0, 1),
        (ErrorCode, lib.pp_error_name, 0, -1),
        (Action, lib.pp_action_name, 0, 1),
        (AuthzReason, lib.pp_authz_reason_name, 0, 1),
        (ActorKind, lib.pp_actor_kind_name, 0, 1),
        (DeviceState, lib.pp_device_state_name, 0, 1),
        (Severity, lib.pp_severity_name, 0, 1),
        (FindingCode, lib.pp_finding_name, 0, 1),
        (SimState, lib.pp_sim_state_name, 0, 1),
    ]

    def test_enums_hold_exactly_the_library_names_and_numbers(self):
        for cls, name_of, start, step in self.CASES:
            with self.subTest(enum=cls.__name__):
                names = library_names(name_of, start, step)
                self.assertEqual([str(m) for m in cls], names)
                for m in cls:
                    self.assertEqual(name_of(m.value).decode(), str(m))

    def test_bit_sets_hold_exactly_the_library_names_by_bit_index(self):
        for cls, name_of in ((Privilege, lib.pp_privilege_name),
                             (Advisory, lib.pp_advisory_name)):
            with self.subTest(flag=cls.__name__):
                names = library_names(name_of)
                self.assertEqual([str(m) for m in cls], names)
                for index, m in enumerate(cls):
                    self.assertEqual(m.value, 1 << index)

    def test_known_values_agree_with_the_spec(self):
        self.assertEqual(str(Outcome.REAPPEAR_AS_DENIED), "reappear_as_denied")
        self.assertEqual(Reason.MEMBER.value, 8)          # rule 7's reason
        self.assertEqual(ErrorCode.INVALID_DEVICE_ID.value, -15)
        self.assertEqual(Privilege.PRODUCT_WEBHOOKS.value, 8)
        self.assertEqual([str(r) for r in Role],
                         ["view_only", "support", "developer", "administrator", "owner"])

    def test_reverse_lookups_agree_with_the_library(self):
        for cls, from_name in ((Outcome, lib.pp_outcome_from_name),
                               (Reason, lib.pp_reason_from_name),
                               (Role, lib.pp_role_from_name),
                               (Action, lib.pp_action_from_name),
                               (AuthzReason, lib.pp_authz_reason_from_name),
                               (FindingCode, lib.pp_finding_from_name)):
            for m in cls:
                self.assertIs(cls.from_name(str(m)), m)
                self.assertEqual(from_name(str(m).encode(), len(str(m))), m.value)
            self.assertEqual(from_name(b"nonsense", 8), -1)

    def test_from_name_rejects_other_spellings(self):
        for bad in ("OK", "Ok", "okay", ""):
            with self.subTest(name=bad), self.assertRaises(ValueError):
                Outcome.from_name(bad)
        with self.assertRaisesRegex(ValueError, "one of: view_only, support"):
            Role.from_name("admin")

    def test_str_format_and_repr_are_readable(self):
        self.assertEqual(str(Outcome.AUTO_APPROVE), "auto_approve")
        self.assertEqual(f"{Outcome.AUTO_APPROVE:>14}", "  auto_approve")
        self.assertEqual(repr(Outcome.AUTO_APPROVE), "Outcome.AUTO_APPROVE")
        both = Privilege.OTA_UPDATES | Privilege.CUSTOMER_CLAIM
        self.assertEqual(str(both), "ota_updates,customer_claim")
        self.assertEqual(repr(both), "Privilege.OTA_UPDATES|Privilege.CUSTOMER_CLAIM")
        self.assertEqual(repr(Advisory(0)), "Advisory(0)")
        self.assertEqual(str(Advisory(0)), "")

    def test_bit_sets_convert_from_and_to_names(self):
        bits = Advisory.from_names(["leaves_quarantine", "ota_update_pending"])
        self.assertEqual(bits.names, ("ota_update_pending", "leaves_quarantine"))
        self.assertIn(Advisory.LEAVES_QUARANTINE, bits)
        self.assertNotIn(Advisory.DEVELOPMENT_DEVICE, bits)
        self.assertEqual(Privilege.from_names([]), Privilege(0))
        with self.assertRaises(ValueError):
            Privilege.from_names(["root"])

    def test_authorization_and_audit_values_agree_with_the_header(self):
        self.assertEqual(Action.BILLING.value, 15)
        self.assertEqual(str(AuthzReason.NOT_FOR_API_USERS), "not_for_api_users")
        self.assertEqual(AuthzReason.GRANTED_BY_SCOPE.value, 11)
        self.assertEqual([str(k) for k in ActorKind], ["human", "api_user"])
        self.assertEqual([str(s) for s in DeviceState],
                         ["none", "member", "quarantined", "denied"])
        self.assertEqual([str(s) for s in Severity], ["info", "warning", "critical"])
        self.assertEqual(FindingCode.INVALID_RECORD.value, 13)
        self.assertEqual([str(s) for s in SimState], ["active", "notify", "paused"])

    def test_actions_carry_the_library_table_of_roles_and_scopes(self):
        for action in Action:
            self.assertIs(action.min_role, Role(lib.pp_action_min_role(action.value)))
            scopes = library_names(lambda i, a=action.value: lib.pp_action_scope(a, i))
            self.assertEqual(action.scopes, tuple(scopes))
        self.assertIs(Action.VIEW_DEVICES.min_role, Role.VIEW_ONLY)
        self.assertEqual(Action.VIEW_DEVICES.scopes, ("devices:list", "devices:get"))
        self.assertIs(Action.MANAGE_TEAM.min_role, Role.ADMINISTRATOR)
        self.assertEqual(Action.MANAGE_TEAM.scopes, ("teams.users:*",))
        self.assertIs(Action.BILLING.min_role, Role.OWNER)
        self.assertEqual(Action.BILLING.scopes, ())

    def test_finding_codes_carry_their_fixed_severity(self):
        for code in FindingCode:
            self.assertIs(code.severity, Severity(lib.pp_finding_severity(code.value)))
        self.assertIs(FindingCode.CANARY_TOKEN_USED.severity, Severity.CRITICAL)
        self.assertIs(FindingCode.LTS_NOT_REQUIRED.severity, Severity.INFO)
        self.assertIs(FindingCode.SIM_DATA_PAUSED.severity, Severity.WARNING)

    def test_error_codes_have_text(self):
        self.assertEqual(ErrorCode.INVALID_DEVICE_ID.text,
                         lib.pp_error_text(-15).decode())
        for code in ErrorCode:
            self.assertTrue(code.text)

    def test_type_stub_lists_the_same_members(self):
        stub = os.path.join(os.path.dirname(particlepolicy.__file__), "_vocabulary.pyi")
        with open(stub, encoding="utf-8") as f:
            tree = ast.parse(f.read())
        # Members are the public `NAME: int` lines of each class.
        listed = {node.name: [stmt.target.id for stmt in node.body
                              if isinstance(stmt, ast.AnnAssign)
                              and not stmt.target.id.startswith("_")]
                  for node in tree.body if isinstance(node, ast.ClassDef)}
        for cls in (Outcome, Reason, Role, ErrorCode, Privilege, Advisory, Action,
                    AuthzReason, ActorKind, DeviceState, Severity, FindingCode, SimState):
            with self.subTest(enum=cls.__name__):
                self.assertEqual(listed[cls.__name__], [m.name for m in cls])


if __name__ == "__main__":
    unittest.main()
