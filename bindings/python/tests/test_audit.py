"""Security checks: each kind of finding, the snprintf-style second call,
subjects copied out of policy and caller memory, SIM states and canaries."""
from __future__ import annotations

import dataclasses
import gc
import unittest

from particlepolicy import (ErrorCode, Finding, FindingCode, IntegrationRecord,
                            ParticlePolicyError, Policy, Severity, SimRecord, SimState,
                            TokenRecord, canary_fingerprint)

CANARY = "pp-canary-7f3a9c1e"

# docs/security-checks.md's example, with a canary token for acme.
POLICY = f"""
version: 1
settings: {{require_lts: true, sim_notify_percent: 80}}
organizations:
  - name: acme
    canary_tokens: [{canary_fingerprint(CANARY):016x}]
    members:
      - {{user: olivia, role: owner, two_step: true}}
      - {{user: nate, role: developer}}
    api_users:
      - {{name: org-bot, scopes: ['devices:list'], organization_level: true}}
products:
  - id: 100
    name: Acme B SoM
    organization: acme
    family: bsom
    require_lts: true
    min_device_os: 4.0.1
    approved_integrations: [https://hooks.acme.example/particle, https://api.acme.example/]
  - {{id: 200, name: Acme Auto, organization: acme, family: tracker,
     unrecognized_devices: auto_approve}}
"""

POLICY_FINDINGS = [
    (FindingCode.TWO_STEP_DISABLED, "nate"),
    (FindingCode.ORGANIZATION_LEVEL_API_USER, "org-bot"),
    (FindingCode.AUTO_APPROVE_ENABLED, "Acme Auto"),
    (FindingCode.AUTO_APPROVE_READMITS_DENIED, "Acme Auto"),
    (FindingCode.LTS_NOT_REQUIRED, "Acme Auto"),
]

OLD_DEVICE = {"id": "e00fce68a1b2c3d4e5f60718", "platform_id": 23,
              "device_os": "3.0.0", "cloud_product_id": 100}


def shape(findings):
    return [(f.code, f.subject) for f in findings]


class TestAudit(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.policy = Policy.from_yaml(POLICY)

    @classmethod
    def tearDownClass(cls):
        cls.policy.close()

    def test_the_policy_alone_gives_its_documented_findings(self):
        found = self.policy.check_policy()
        self.assertEqual(sorted(shape(found), key=lambda x: x[0].value),
                         sorted(POLICY_FINDINGS, key=lambda x: x[0].value))
        for f in found:
            self.assertIs(f.severity, f.code.severity)
            self.assertTrue(f.message)
        auto = next(f for f in found if f.code is FindingCode.AUTO_APPROVE_ENABLED)
        self.assertEqual(auto.product_id, 200)

    def test_integrations_each_kind_of_finding(self):
        records = [
            IntegrationRecord(100, "http://evil.example/", True),
            IntegrationRecord(100, "https://hooks.acme.example/particle", False),
            IntegrationRecord(100, "https://hooks.acme.example/particle", True),
            IntegrationRecord(100, "https://api.acme.example/v2/events", True),
            IntegrationRecord(100, "https://hooks.acme.example/particle2", True),
            IntegrationRecord(200, "https://hooks.acme.example/particle", True),
            IntegrationRecord(999, "https://hooks.acme.example/particle", True),
            {"product_id": 100, "url": None, "enforce_ssl": True},
        ]
        found = self.policy.check_integrations(records)
        self.assertEqual([(f.record, f.code) for f in found], [
            (0, FindingCode.INSECURE_TRANSPORT), (0, FindingCode.UNACCOUNTED_INTEGRATION),
            (1, FindingCode.SSL_NOT_ENFORCED),
            (4, FindingCode.UNACCOUNTED_INTEGRATION),
            (5, FindingCode.UNACCOUNTED_INTEGRATION),
            (6, FindingCode.UNACCOUNTED_INTEGRATION),
            (7, FindingCode.INVALID_RECORD),
        ])
        self.assertEqual(found[0].subject, "http://evil.example/")
        self.assertIs(found[0].severity, Severity.CRITICAL)
        self.assertEqual(found[0].product_id, 100)
        self.assertIsNone(found[-1].subject)

    def test_tokens_each_kind_of_finding(self):
        found = self.policy.check_tokens([
            TokenRecord(100, "olivia", full_control=True, human=True),
            TokenRecord(100, "nate", full_control=True, human=False),
            TokenRecord(0, "nate", full_control=True, human=True),
            TokenRecord(100, "", False, True),
        ])
        self.assertEqual([(f.record, f.code, f.subject) for f in found], [
            (0, FindingCode.FULL_CONTROL_HUMAN_TOKEN, "olivia"),
            (0, FindingCode.OWNER_ACCOUNT_TOKEN, "olivia"),
            (2, FindingCode.FULL_CONTROL_HUMAN_TOKEN, "nate"),
            (3, FindingCode.INVALID_RECORD, None),
        ])

    def test_sims_each_kind_of_finding(self):
        found = self.policy.check_sims([
            SimRecord("8901000000000000001", 799, 1000),
            SimRecord("8901000000000000002", 800, 1000),
            SimRecord("8901000000000000003", 1000, 1000),
            SimRecord(b"", 1, 1000),
        ])
        self.assertEqual([(f.record, f.code, f.subject) for f in found], [
            (1, FindingCode.SIM_DATA_NOTIFY, "8901000000000000002"),
            (2, FindingCode.SIM_DATA_PAUSED, "8901000000000000003"),
            (3, FindingCode.INVALID_RECORD, None),
        ])

    def test_devices_below_the_minimum_and_invalid_records(self):
        current = dict(OLD_DEVICE, device_os="4.0.1")
        bad = dict(OLD_DEVICE, id="XYZ")
        found = self.policy.check_devices([current, OLD_DEVICE, bad])
        self.assertEqual([(f.record, f.code, f.subject) for f in found], [
            (1, FindingCode.DEVICE_OS_BELOW_MINIMUM, OLD_DEVICE["id"]),
            (2, FindingCode.INVALID_RECORD, "XYZ"),
        ])
        self.assertEqual(found[0].product_id, 100)
        self.assertIn("invalid_device_id", found[1].message)

    def test_a_presented_canary_is_found_and_never_repeated(self):
        found = self.policy.check_token(CANARY)
        self.assertEqual(shape(found), [(FindingCode.CANARY_TOKEN_USED, "acme")])
        self.assertIs(found[0].severity, Severity.CRITICAL)
        self.assertNotIn(CANARY, str(found[0]) + repr(found[0]))
        self.assertEqual(self.policy.check_token(CANARY.encode()), found)
        self.assertEqual(self.policy.check_token("an ordinary token"), [])
        with self.assertRaises(ParticlePolicyError) as e:
            self.policy.check_token("")
        self.assertIs(e.exception.code, ErrorCode.INVALID_ARGUMENT)
        with self.assertRaises(TypeError):
            self.policy.check_token(None)  # type: ignore[arg-type]

    def test_audit_is_every_check_in_order(self):
        integrations = [IntegrationRecord(100, "http://evil.example/", True)]
        tokens = [TokenRecord(100, "olivia", True, True)]
        sims = [SimRecord("8901", 10, 10)]
        devices = [OLD_DEVICE]
        found = self.policy.audit(integrations=integrations, tokens=tokens, sims=sims,
                                  devices=devices)
        self.assertEqual(found, self.policy.check_policy()
                         + self.policy.check_integrations(integrations)
                         + self.policy.check_tokens(tokens)
                         + self.policy.check_sims(sims)
                         + self.policy.check_devices(devices))
        self.assertEqual(len(found), len(POLICY_FINDINGS) + 2 + 2 + 1 + 1)
        self.assertEqual(self.policy.audit(), self.policy.check_policy())

    def test_more_findings_than_the_first_array_holds_are_all_returned(self):
        n = 150   # two findings each, far past the first guess
        records = [IntegrationRecord(100, f"http://h{i}.example/", True) for i in range(n)]
        found = self.policy.audit(integrations=records)
        self.assertEqual(len(found), len(POLICY_FINDINGS) + 2 * n)
        integration = found[len(POLICY_FINDINGS):]
        self.assertEqual([f.record for f in integration[::2]], list(range(n)))
        self.assertEqual([f.subject for f in integration[1::2]],
                         [f"http://h{i}.example/" for i in range(n)])

    def test_subjects_are_copies_that_outlive_policy_and_records(self):
        policy = Policy.from_yaml(POLICY)
        records = [IntegrationRecord(100, bytearray(b"http://gone.example/"), True)]
        found = policy.audit(integrations=records)
        policy.close()
        records[0].url[:] = b"X" * 20   # the caller reuses its buffer
        del records
        gc.collect()
        k = len(POLICY_FINDINGS)
        self.assertEqual([f.subject for f in found[:k]], [s for _, s in POLICY_FINDINGS])
        self.assertEqual(found[k].subject, "http://gone.example/")
        with self.assertRaisesRegex(ValueError, "closed"):
            policy.check_policy()

    def test_records_may_be_mappings_and_wrong_values_raise(self):
        self.assertEqual(
            self.policy.check_sims([{"iccid": "8901", "usage_bytes": 10, "limit_bytes": 10}]),
            self.policy.check_sims([SimRecord("8901", 10, 10)]))
        with self.assertRaises(TypeError):
            self.policy.check_sims([{"iccid": "8901", "usage": 10, "limit_bytes": 10}])
        with self.assertRaises(ValueError):
            self.policy.check_sims([SimRecord("8901", -1, 10)])
        with self.assertRaises(ValueError):
            self.policy.check_sims([SimRecord("8901", 2 ** 64, 10)])
        with self.assertRaises(TypeError):
            self.policy.check_integrations([IntegrationRecord(100, 42, True)])  # type: ignore
        with self.assertRaises(ValueError):
            self.policy.check_tokens([TokenRecord(-5, "olivia", False, True)])
        with self.assertRaises(TypeError):
            self.policy.check_tokens(["olivia"])
        with self.assertRaises(TypeError):    # every field is required
            self.policy.check_integrations([{"product_id": 100, "url": "https://x/"}])
        with self.assertRaises(TypeError):
            self.policy.check_tokens([{"product_id": 100, "owner": "olivia"}])
        with self.assertRaises(TypeError):
            self.policy.audit(devices=[42])

    def test_findings_are_frozen(self):
        f = self.policy.check_policy()[0]
        self.assertIsInstance(f, Finding)
        with self.assertRaises(dataclasses.FrozenInstanceError):
            f.subject = "x"  # type: ignore[misc]


class TestSimStateAndFingerprint(unittest.TestCase):

    def test_sim_state_follows_the_policy_notify_share(self):
        with Policy.from_yaml(POLICY) as policy:
            cases = [(799, 1000, SimState.ACTIVE), (800, 1000, SimState.NOTIFY),
                     (999, 1000, SimState.NOTIFY), (1000, 1000, SimState.PAUSED),
                     (0, 0, SimState.PAUSED), (2 ** 64 - 2, 2 ** 64 - 1, SimState.NOTIFY)]
            for usage, limit, state in cases:
                with self.subTest(usage=usage, limit=limit):
                    self.assertIs(policy.sim_state(usage, limit), state)
            with self.assertRaises(ValueError):
                policy.sim_state(-1, 10)
            with self.assertRaises(TypeError):
                policy.sim_state(1.5, 10)  # type: ignore[arg-type]
        with Policy.from_yaml("version: 1\n") as default:
            self.assertIs(default.sim_state(899, 1000), SimState.ACTIVE)
            self.assertIs(default.sim_state(900, 1000), SimState.NOTIFY)

    def test_canary_fingerprint_is_xxh3_64_of_the_token(self):
        self.assertEqual(canary_fingerprint(""), 0x2D06800538D394C2)  # XXH3-64 of no bytes
        self.assertEqual(canary_fingerprint("tok"), canary_fingerprint(b"tok"))
        self.assertNotEqual(canary_fingerprint("tok"), canary_fingerprint("tok2"))
        with self.assertRaises(TypeError):
            canary_fingerprint(None)  # type: ignore[arg-type]


if __name__ == "__main__":
    unittest.main()
