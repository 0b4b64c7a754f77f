"""A compiled policy: fingerprint, what it holds, family questions, versions,
and its lifetime."""
from __future__ import annotations

import gc
import unittest
import weakref

from particlepolicy import (ErrorCode, Model, ParticlePolicyError, Platform,
                            Policy, Product, Reason, SkuPrefix, compare_versions)

from support import ExamplePolicyTest, MEMBER, POLICY_YAML, read_text

A = "version: 1\nproducts:\n  - id: 7\n    name: seven\n    family: argon\n" \
    "  - id: 8\n    name: eight\n    family: boron\n"
# The same rules: other order, other layout, a comment.
A_REORDERED = "# the same\nversion: 1\nproducts:\n" \
    "  - {family: boron, name: eight, id: 8}\n  - {id: 7, family: argon, name: seven}\n"
B = A.replace("family: boron", "family: bsom")


class TestPolicy(ExamplePolicyTest):

    def test_fingerprint_ignores_layout_and_order_but_not_rules(self):
        with Policy.from_yaml(A) as a, Policy.from_yaml(A_REORDERED) as a2, \
                Policy.from_yaml(B) as b:
            self.assertEqual(a.fingerprint, a2.fingerprint)
            self.assertNotEqual(a.fingerprint, b.fingerprint)
            self.assertTrue(0 <= a.fingerprint < 2 ** 64)

    def test_fingerprint_is_stable_across_loads(self):
        with Policy.from_yaml(read_text(POLICY_YAML)) as again:
            self.assertEqual(again.fingerprint, self.policy.fingerprint)

    def test_products_are_read_back_as_compiled(self):
        products = self.policy.products
        self.assertEqual(products[14001], Product(
            14001, "Brightwater Fleet Tracker", "brightwater", "tracker",
            "auto_approve", "deny", 23, None))
        self.assertEqual(products[14002].removed_devices, "quarantine")
        self.assertEqual(products[14002].unrecognized_devices, "quarantine")
        self.assertIsNone(products[14002].released_firmware)
        self.assertEqual(products[14005].min_device_os, "2.3.0")
        self.assertEqual(products[14004].family, "photon2")
        self.assertNotIn(15999, products)
        with self.assertRaises(TypeError):
            products[1] = products[14001]  # type: ignore[index]

    def test_product_without_organization_reads_none(self):
        with Policy.from_yaml(A) as a:
            self.assertIsNone(a.products[7].organization)

    def test_platform_and_sku_tables_list_the_built_ins(self):
        platforms = {p.name: p for p in self.policy.platforms}
        self.assertEqual(platforms["bsom"], Platform(23, "bsom", True, "bsom"))
        self.assertEqual(platforms["xenon"], Platform(14, "xenon", False, None))
        self.assertIsNone(platforms["p2"].family)   # the SKU decides
        # Every platform of Particle's device-constants (docs/hardware.md).
        self.assertEqual(platforms["tachyon"], Platform(42, "tachyon", True, "tachyon"))
        self.assertEqual(platforms["duo"], Platform(88, "duo", False, None))
        self.assertEqual(len(self.policy.platforms), 26)   # examples/policy.yaml adds none
        skus = {s.prefix: s for s in self.policy.skus}
        self.assertEqual(skus["E404X"], SkuPrefix("E404X", 15, "esomx"))
        self.assertEqual(skus["PHN2"].family, "photon2")
        self.assertEqual(skus["SPKBTTN"], SkuPrefix("SPKBTTN", 6, "photon"))

    def test_families_include_photon2(self):
        families = self.policy.families
        self.assertIn("photon2", families)
        self.assertIn("tracker", families)
        self.assertEqual(len(families), len(set(families)))

    def test_legacy_threshold(self):
        self.assertEqual(self.policy.legacy_below, "4.0.0-0")

    def test_may_share_answers_by_sku_and_platform(self):
        cases = [
            (("P2MOD10", "PHN2MEA"), False, Reason.DIFFERENT_FAMILIES, "p2", "photon2"),
            (("B404XMEA", "B402MEA"), True, Reason.SAME_FAMILY, "bsom", "bsom"),
            (("E404XMEA", "E404MEA"), False, Reason.DIFFERENT_FAMILIES, "esomx", "electron"),
            ((10, "E404MEA"), True, Reason.SAME_FAMILY, "electron", "electron"),
            ((Model(platform_id="xenon"), 13), False,
             Reason.PLATFORM_NOT_PRODUCT_ELIGIBLE, None, "boron"),
            ((32, "P2MOD10"), False, Reason.SKU_REQUIRED, None, "p2"),
        ]
        for (a, b), allowed, reason, fa, fb in cases:
            with self.subTest(a=a, b=b):
                v = self.policy.may_share(a, b)
                self.assertEqual((v.allowed, bool(v), v.reason, v.family_a, v.family_b),
                                 (allowed, allowed, reason, fa, fb))

    def test_may_join_answers_for_a_product(self):
        self.assertTrue(self.policy.may_join(14001, "MON404E"))
        v = self.policy.may_join(14002, Model(platform_id=25, sku="B524MEA"))
        self.assertEqual((v.allowed, v.reason, v.family_a, v.family_b),
                         (False, Reason.INCOMPATIBLE_PLATFORM, "b5som", "bsom"))
        self.assertIs(self.policy.may_join(14003, 32).reason, Reason.SKU_REQUIRED)
        self.assertIs(self.policy.may_join(15999, "P2MOD10").reason,
                      Reason.UNKNOWN_PRODUCT)

    def test_family_questions_raise_for_malformed_models(self):
        with self.assertRaises(ParticlePolicyError) as caught:
            self.policy.may_share("B524 MEA", "B524MEA")
        self.assertIs(caught.exception.code, ErrorCode.INVALID_SKU)
        with self.assertRaises(ParticlePolicyError) as caught:
            self.policy.may_join(14001, Model())
        self.assertIs(caught.exception.code, ErrorCode.INVALID_PLATFORM)
        with self.assertRaises(TypeError):
            self.policy.may_join(14001, 2.5)  # type: ignore[arg-type]
        with self.assertRaises(ValueError):     # would wrap to 14001 in C
            self.policy.may_join(14001 - 2 ** 32, "MON404E")

    def test_compare_versions_uses_semver_precedence(self):
        cases = [("1.0.0-rc.1", "1.0.0", -1), ("v3.3.1", "3.3.1", 0),
                 ("5.4.0+ledger", "5.4.0", 0), ("4.0.0-beta.10", "4.0.0-beta.2", 1),
                 ("3.0.1-p2.1", "3.0.1", -1)]
        for a, b, want in cases:
            with self.subTest(a=a, b=b):
                self.assertEqual(compare_versions(a, b), want)
                self.assertEqual(compare_versions(b, a), -want)
        with self.assertRaises(ParticlePolicyError) as caught:
            compare_versions("01.2.3", "1.2.3")
        self.assertIs(caught.exception.code, ErrorCode.INVALID_VERSION)
        self.assertEqual(str(caught.exception), "versions '01.2.3', '1.2.3': a version "
                         "is not a valid semantic version (invalid_version)")
        self.assertTrue(repr(caught.exception).startswith(
            "ParticlePolicyError(ErrorCode.INVALID_VERSION, "))

    def test_repr_shows_products_and_fingerprint(self):
        text = repr(self.policy)
        self.assertIn("6 products", text)
        self.assertIn(f"fingerprint={self.policy.fingerprint:016x}", text)

    def test_close_is_idempotent_and_later_use_raises(self):
        policy = Policy.from_yaml(A)
        self.assertFalse(policy.closed)
        policy.close()
        policy.close()
        self.assertTrue(policy.closed)
        self.assertEqual(repr(policy), "<Policy closed>")
        for use in (lambda: policy.decide(MEMBER), lambda: policy.fingerprint,
                    lambda: policy.decide_many([MEMBER]), lambda: policy.products,
                    lambda: policy.may_share(6, 8), lambda: policy.is_legacy("1.0.0")):
            with self.assertRaisesRegex(ValueError, "policy is closed"):
                use()

    def test_with_block_closes(self):
        with Policy.from_yaml(A) as policy:
            self.assertFalse(policy.closed)
        self.assertTrue(policy.closed)

    def test_garbage_collector_frees_an_unclosed_policy(self):
        policy = Policy.from_yaml(A)
        handle = weakref.ref(policy._handle)   # its deallocation frees the C policy
        ref = weakref.ref(policy)
        del policy
        gc.collect()
        self.assertIsNone(ref())
        self.assertIsNone(handle())

if __name__ == "__main__":
    unittest.main()
