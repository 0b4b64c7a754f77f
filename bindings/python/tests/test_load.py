"""Loading policies: success, and errors with code, line, column and message."""
from __future__ import annotations

import glob
import os
import re
import tempfile
import unittest

from particlepolicy import (ErrorCode, Limits, ParticlePolicyError, Policy,
                            PolicyError)

from support import POLICY_YAML, TEST_DATA

MINIMAL = "version: 1\nproducts:\n  - id: 7\n    name: seven\n    family: argon\n"


def invalid_cases():
    """tests/data/invalid/*.yaml, each with `# expect: LINE:COL CODE TEXT`
    (TEXT a substring of the message), as tests/check_load.c reads them."""
    for path in sorted(glob.glob(os.path.join(TEST_DATA, "invalid", "*.yaml"))):
        with open(path, "rb") as f:     # some cases are not UTF-8 on purpose
            first = f.readline().decode("utf-8").rstrip("\n")
        m = re.match(r"# expect: (\d+):(\d+) (\w+) (.*)$", first)
        if m:
            yield path, int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)


class TestLoad(unittest.TestCase):

    def test_from_yaml_accepts_text_and_bytes(self):
        with Policy.from_yaml(MINIMAL) as a, Policy.from_yaml(MINIMAL.encode()) as b:
            self.assertEqual(list(a.products), [7])
            self.assertEqual(a.fingerprint, b.fingerprint)

    def test_validate_returns_every_error_in_source_order(self):
        text = ("version: 1\nproducts:\n  - {id: 0, name: p, family: argon}\n"
                "  - {id: 2, name: q, famly: argon}\n")
        errors = Policy.validate(text, source="p.yaml")
        self.assertEqual([(e.code, e.line) for e in errors],
                         [(ErrorCode.OUT_OF_RANGE, 3), (ErrorCode.MISSING_KEY, 4),
                          (ErrorCode.UNKNOWN_KEY, 4)])
        self.assertTrue(str(errors[2]).startswith("p.yaml:4:"))
        with self.assertRaises(PolicyError) as raised:
            Policy.from_yaml(text)
        self.assertEqual(raised.exception.code, errors[0].code)
        self.assertEqual(Policy.validate(MINIMAL), [])

    def test_from_file_loads_the_example_policy(self):
        with Policy.from_file(POLICY_YAML) as policy:
            self.assertEqual(sorted(policy.products),
                             [14001, 14002, 14003, 14004, 14005, 14006])

    def test_every_valid_data_file_loads(self):
        paths = sorted(glob.glob(os.path.join(TEST_DATA, "valid", "*.yaml")))
        self.assertTrue(paths)
        for path in paths:
            with self.subTest(file=os.path.basename(path)):
                Policy.from_file(path).close()

    def test_every_invalid_data_file_fails_with_its_code_line_column_and_message(self):
        cases = list(invalid_cases())
        self.assertGreater(len(cases), 20)
        for path, line, column, code, message in cases:
            with self.subTest(file=os.path.basename(path)):
                with self.assertRaises(PolicyError) as caught:
                    Policy.from_file(path)
                e = caught.exception
                self.assertEqual((str(e.code), e.line, e.column),
                                 (code, line, column))
                self.assertIn(message, e.message)
                self.assertEqual(e.source, path)

    def test_policy_error_carries_position_and_reads_like_a_compiler(self):
        text = MINIMAL + "    famly: argon\n"
        with self.assertRaises(PolicyError) as caught:
            Policy.from_yaml(text, source="fleet.yaml")
        e = caught.exception
        self.assertIs(e.code, ErrorCode.UNKNOWN_KEY)
        self.assertEqual((e.line, e.column), (6, 5))
        self.assertEqual(e.offset, text.index("famly"))
        self.assertIn("did you mean 'family'?", e.message)
        self.assertEqual(str(e), f"fleet.yaml:6:5: {e.message} (unknown_key)")
        self.assertIn("line=6, column=5", repr(e))
        self.assertIsInstance(e, ParticlePolicyError)
        self.assertIsInstance(e, ValueError)

    def test_yaml_syntax_error_has_a_position(self):
        with self.assertRaises(PolicyError) as caught:
            Policy.from_yaml("version: 1\nproducts: [\n")
        self.assertIs(caught.exception.code, ErrorCode.YAML_SYNTAX)
        self.assertGreater(caught.exception.line, 0)
        self.assertTrue(str(caught.exception).startswith("<policy>:"))

    def test_from_file_error_names_the_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write("version: 2\n")
        try:
            with self.assertRaises(PolicyError) as caught:
                Policy.from_file(f.name)
            self.assertIs(caught.exception.code, ErrorCode.UNSUPPORTED_SCHEMA_VERSION)
            self.assertTrue(str(caught.exception).startswith(f.name + ":1:"))
        finally:
            os.unlink(f.name)

    def test_missing_file_raises_os_error(self):
        with self.assertRaises(FileNotFoundError):
            Policy.from_file(os.path.join(TEST_DATA, "no-such-policy.yaml"))

    def test_limits_are_passed_to_the_library(self):
        two = MINIMAL + "  - id: 8\n    name: eight\n    family: argon\n"
        Policy.from_yaml(two, limits=Limits(max_products=2)).close()
        with self.assertRaises(PolicyError) as caught:
            Policy.from_yaml(two, limits=Limits(max_products=1))
        self.assertIs(caught.exception.code, ErrorCode.LIMIT_EXCEEDED)
        with self.assertRaises(PolicyError) as caught:
            Policy.from_yaml(two, limits=Limits(max_input_bytes=16))
        self.assertIs(caught.exception.code, ErrorCode.LIMIT_EXCEEDED)

    def test_limits_reject_values_c_cannot_hold(self):
        for bad in (Limits(max_depth=-1), Limits(max_nodes=2 ** 32),
                    Limits(max_aliases="9")):  # type: ignore[arg-type]
            with self.subTest(limits=bad), self.assertRaises(ValueError):
                Policy.from_yaml(MINIMAL, limits=bad)

    def test_policy_cannot_be_constructed_directly(self):
        with self.assertRaisesRegex(TypeError, "from_yaml"):
            Policy()


if __name__ == "__main__":
    unittest.main()
