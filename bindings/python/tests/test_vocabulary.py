"""The enums come from the library's name functions, and read well."""
from __future__ import annotations

import ast
import os
import re
import unittest

import particlepolicy
from particlepolicy import (Action, ActorKind, Advisory, AuthzReason, ChangeKind, DeviceState,
                            Direction, Effect, ErrorCode, FindingCode, Operation, Outcome,
                            Privilege, Reason, Refusal, Role, Severity, SimState)

from support import HEADER, read_text


def header_enum(typedef: str) -> list:
    """[(name, value)] of one of the header's enums: the quoted name in the
    comment beside a value, else the identifier after the enum's prefix."""
    body = re.search(rf"typedef enum {typedef} \{{(.*?)\}} {typedef};",
                     read_text(HEADER), re.S).group(1)
    items = re.findall(r"\b(PP_\w+)\s*=\s*(-?\d+)\s*,?\s*(?:/\*\s*\"(\w+)\")?", body)
    prefix = os.path.commonprefix([ident for ident, _, _ in items])
    prefix = prefix[:prefix.rindex("_") + 1]
    return [(quoted or ident[len(prefix):].lower(), int(value))
            for ident, value, quoted in items]


def header_bits(prefix: str) -> list:
    """[(name, bit index)] of the header's #define PREFIX_X (1u << i) /* "x" */."""
    return [(name, int(index)) for index, name in re.findall(
        rf"#define {prefix}_\w+\s+\(1u << (\d+)\)\s*/\*\s*\"(\w+)\"", read_text(HEADER))]


class TestVocabulary(unittest.TestCase):

    CASES = [
        (Outcome, "pp_outcome"), (Reason, "pp_reason"), (Role, "pp_role"),
        (ErrorCode, "pp_error_code"), (Action, "pp_action"),
        (AuthzReason, "pp_authz_reason"), (ActorKind, "pp_actor_kind"),
        (DeviceState, "pp_device_state"), (Severity, "pp_severity"),
        (FindingCode, "pp_finding_code"), (SimState, "pp_sim_state"),
        (ChangeKind, "pp_change_kind"), (Direction, "pp_direction"),
    ]

    def test_enums_hold_exactly_the_header_names_and_numbers(self):
        for cls, typedef in self.CASES:
            with self.subTest(enum=cls.__name__):
                self.assertEqual([(str(m), m.value) for m in cls], header_enum(typedef))
        self.assertGreater(len(header_enum("pp_reason")), 16)

    def test_bit_sets_hold_exactly_the_header_names_by_bit_index(self):
        for cls, prefix in ((Privilege, "PP_PRIVILEGE"), (Advisory, "PP_ADVISORY")):
            with self.subTest(flag=cls.__name__):
                bits = header_bits(prefix)
                self.assertTrue(bits)
                self.assertEqual([(str(m), m.value) for m in cls],
                                 [(name, 1 << index) for name, index in bits])

    def test_known_values_agree_with_the_spec(self):
        self.assertEqual(str(Outcome.REAPPEAR_AS_DENIED), "reappear_as_denied")
        self.assertEqual(Reason.MEMBER.value, 8)          # rule 7's reason
        self.assertEqual(ErrorCode.INVALID_DEVICE_ID.value, -15)
        self.assertEqual(Privilege.PRODUCT_WEBHOOKS.value, 8)
        self.assertEqual([str(r) for r in Role],
                         ["view_only", "support", "developer", "administrator", "owner"])

    def test_reverse_lookups_find_every_member(self):
        for cls in (Outcome, Reason, Role, Action, AuthzReason, FindingCode):
            for m in cls:
                self.assertIs(cls.from_name(str(m)), m)
            with self.assertRaises(ValueError):
                cls.from_name("nonsense")

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
            self.assertIsInstance(action.min_role, Role)
            self.assertIsInstance(action.scopes, tuple)
            for scope in action.scopes:
                self.assertRegex(scope, r"^[a-z.]+:[a-z*]+$")
        self.assertEqual(sum(1 for a in Action if not a.scopes), 1)     # billing
        self.assertIs(Action.VIEW_DEVICES.min_role, Role.VIEW_ONLY)
        self.assertEqual(Action.VIEW_DEVICES.scopes, ("devices:list", "devices:get"))
        self.assertIs(Action.MANAGE_TEAM.min_role, Role.ADMINISTRATOR)
        self.assertEqual(Action.MANAGE_TEAM.scopes, ("teams.users:*",))
        self.assertIs(Action.BILLING.min_role, Role.OWNER)
        self.assertEqual(Action.BILLING.scopes, ())

    def test_finding_codes_carry_their_fixed_severity(self):
        for code in FindingCode:
            self.assertIsInstance(code.severity, Severity)
        self.assertIs(FindingCode.CANARY_TOKEN_USED.severity, Severity.CRITICAL)
        self.assertIs(FindingCode.LTS_NOT_REQUIRED.severity, Severity.INFO)
        self.assertIs(FindingCode.SIM_DATA_PAUSED.severity, Severity.WARNING)

    def test_error_codes_have_text(self):
        self.assertEqual(ErrorCode.INVALID_DEVICE_ID.text,
                         "device ID must be 24 hexadecimal characters")
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
                    AuthzReason, ActorKind, DeviceState, Severity, FindingCode, SimState,
                    Effect, Operation, Refusal, ChangeKind, Direction):
            with self.subTest(enum=cls.__name__):
                self.assertEqual(listed[cls.__name__], [m.name for m in cls])


if __name__ == "__main__":
    unittest.main()
