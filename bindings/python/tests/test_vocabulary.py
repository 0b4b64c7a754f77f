"""The enums come from the library's name functions, and read well."""
from __future__ import annotations

import ast
import os
import unittest

import particlepolicy
from particlepolicy import (Advisory, ErrorCode, Outcome, Privilege, Reason, Role,
                            _native)
from particlepolicy._native import lib


def library_names(name_of, start=0, step=1):
    return [name for name, _ in _native.enumerate_names(name_of, start, step)]


class TestVocabulary(unittest.TestCase):

    CASES = [
        (Outcome, lib.pp_outcome_name, 0, 1),
        (Reason, lib.pp_reason_name, 0, 1),
        (Role, lib.pp_role_name, 0, 1),
        (ErrorCode, lib.pp_error_name, 0, -1),
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
                               (Role, lib.pp_role_from_name)):
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
        for cls in (Outcome, Reason, Role, ErrorCode, Privilege, Advisory):
            with self.subTest(enum=cls.__name__):
                self.assertEqual(listed[cls.__name__], [m.name for m in cls])


if __name__ == "__main__":
    unittest.main()
