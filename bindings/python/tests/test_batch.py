"""Records as the library receives them, and the batch path: every field of
the pp_device the extension builds (strings by content and NULL-ness, never
NULL with a nonzero length), the same errors for a record alone and in a
batch, the policy held for a whole batch, and Decision objects built once
per distinct answer."""
from __future__ import annotations

import collections.abc
import dataclasses
import unittest

from particlepolicy import (Advisory, CloudProductStatus, Decision, Device, Effect,
                            Outcome, Policy, Privilege, Reason, Team, _native)
from particlepolicy._results import build_decision

from support import ExamplePolicyTest, MEMBER, NEWCOMER, POLICY_YAML, fleet

UNSPECIFIED = 2 ** 32 - 1       # PP_PLATFORM_UNSPECIFIED
STRINGS = ("id", "device_os", "sku", "owner")
NUMBERS = ("cloud_product_id", "firmware_product_id", "denied_in", "removed_from",
           "quarantined_in", "firmware_version")
PLATFORMS = {"tracker": 26, "bsom": 23}


def expected(record) -> tuple:
    """What the library must receive for a record, worked out here: strings
    (pointer set, length, bytes), then platform_id, the numbers and
    development, in pp_device order."""
    get = (lambda k: getattr(record, k)) if isinstance(record, Device) else record.get
    out = []
    for key in STRINGS:
        value = get(key)
        if value is None:
            out.append((False, 0, None))
        else:
            data = value.encode() if isinstance(value, str) else bytes(value)
            out.append((True, len(data), data))
    platform = get("platform_id")
    out.append(UNSPECIFIED if platform is None else
               PLATFORMS[platform.lower()] if isinstance(platform, str) else platform)
    out += [get(key) or 0 for key in NUMBERS]
    out.append(1 if get("development") else 0)
    return tuple(out)


class Record(collections.abc.Mapping):
    """A mapping that is not a dict, and can run code when it is read."""

    def __init__(self, data, on_read=None):
        self.data, self.on_read = data, on_read

    def __getitem__(self, key):
        return self.data[key]

    def __iter__(self):
        if self.on_read is not None:
            self.on_read()
        return iter(self.data)

    def __len__(self):
        return len(self.data)


# Records of every kind the conversion handles.
MIXED = [
    MEMBER,
    NEWCOMER,
    {**NEWCOMER, "owner": "fay@brightwater.example"},
    {**MEMBER, "sku": ""},                       # present but empty: not NULL
    {**MEMBER, "owner": b""},
    {**MEMBER, "owner": bytearray(b"")},
    {**MEMBER, "sku": memoryview(b"T404MEA")},
    {**MEMBER, "owner": "o\0wner", "id": b"269e0d37f2a74de452e6b438"},
    {**MEMBER, "platform_id": "Tracker"},
    {**MEMBER, "platform_id": None, "development": True},
    {**MEMBER, "development": 2},
    {**MEMBER, "cloud_product_id": 2 ** 32 - 1, "firmware_version": None},
    {"id": None, "device_os": None},
    {"id": "", "device_os": "", "sku": "", "owner": ""},
    {**MEMBER, "id": "caf\u00e9" * 6, "note": "ignored"},
    Device(id=None, device_os=None),
    Device(**{**MEMBER, "platform_id": "bsom"}),
    Record({**MEMBER, "owner": "x@example.com"}),
]


class TestRecords(ExamplePolicyTest):

    def records(self, devices):
        return _native.device_records(self.policy._handle, devices)

    def test_every_field_reaches_the_library_as_given(self):
        for records in (MIXED, fleet(), [Device.from_dict(r) for r in fleet()]):
            got = self.records(records)
            self.assertEqual(len(got), len(records))
            for record, fields in zip(records, got):
                with self.subTest(record=record):
                    self.assertEqual(fields, expected(record))

    def test_no_string_is_null_with_a_nonzero_length(self):
        # docs/spec.md §7 and the header: NULL with a length is invalid
        # input; the binding's absent strings are (NULL, 0), present ones
        # (even empty) have a pointer.
        records = MIXED + fleet() + [{**MEMBER, k: v} for k in STRINGS
                                     for v in (None, "", b"", bytearray(), "x", b"\0")]
        checked = 0
        for fields in self.records(records):
            for present, length, data in fields[:4]:
                self.assertTrue(present or length == 0)
                self.assertEqual(data is None, not present)
                checked += 1
        self.assertEqual(checked, 4 * len(records))
        empty = self.records([{**MEMBER, "sku": ""}, {**MEMBER, "sku": None}])
        self.assertEqual([r[2] for r in empty], [(True, 0, b""), (False, 0, None)])

    def test_a_bad_record_raises_what_it_raises_alone(self):
        bad = [({"cloud_product_id": -1}, ValueError, "cloud_product_id must be 0 to 4294967295, found -1"),
               ({"denied_in": 2 ** 32}, ValueError, "denied_in must be 0 to 4294967295"),
               ({"platform_id": 2 ** 32 - 1}, ValueError, "platform_id must be 0 to 4294967294"),
               ({"platform_id": True}, TypeError, "platform_id must be an int, not bool"),
               ({"removed_from": True}, TypeError, "removed_from must be an int, not bool"),
               ({"owner": 5}, TypeError, "owner must be str or bytes, not int"),
               ({"id": "\ud800"}, UnicodeEncodeError, "surrogates not allowed"),
               ({"development": "no"}, TypeError, "development must be a bool, not str"),
               ({"platform_id": "trakcer"}, ValueError,
                "unknown platform name 'trakcer'; the policy knows: "),
               ({"sku_code": "x"}, TypeError, "unknown device field 'sku_code'")]
        for change, error, message in bad:
            record = {**MEMBER, **change}
            with self.subTest(change=change):
                with self.assertRaises(error) as alone:
                    self.policy.decide(record)
                with self.assertRaises(error) as batched:
                    self.policy.decide_many([MEMBER, record, NEWCOMER])
                self.assertIn(message, str(alone.exception))
                self.assertEqual(str(batched.exception), str(alone.exception))
        # Two bad records: the first one's error, as record by record; the
        # first bad field of a record, in pp_device order.
        with self.assertRaisesRegex(TypeError, "owner must be str or bytes"):
            self.policy.decide_many([MEMBER, {**MEMBER, "owner": 5},
                                     {**MEMBER, "cloud_product_id": -1}])
        with self.assertRaisesRegex(TypeError, "sku must be str or bytes"):
            self.policy.decide({**MEMBER, "sku": 1, "cloud_product_id": -1})
        with self.assertRaisesRegex(TypeError, "not list"):
            self.policy.decide_many([MEMBER, ["not", "a", "device"]])
        # A bad record past the first chunk of a large batch.
        with self.assertRaisesRegex(ValueError, "firmware_version must be 0 to"):
            self.policy.decide_many([MEMBER] * 600 + [{**MEMBER, "firmware_version": -5}])

    def test_strings_outlive_the_records_that_held_them(self):
        records = [{**MEMBER, "owner": "x%d@example.com" % i} for i in range(100)]
        got = self.records(records)
        del records
        self.assertEqual(got[99][3], (True, 15, b"x99@example.com"))


class TestBatches(unittest.TestCase):

    def setUp(self):
        self.policy = Policy.from_file(POLICY_YAML)

    def tearDown(self):
        self.policy.close()

    def test_decide_many_over_mixed_records_equals_one_by_one(self):
        for n in (1, _native.RELEASE_MIN - 1, _native.RELEASE_MIN, 257, 1000):
            records = (MIXED * (n // len(MIXED) + 1))[:n]
            with self.subTest(n=n):
                self.assertEqual(self.policy.decide_many(records),
                                 [self.policy.decide(r) for r in records])

    def test_a_batch_keeps_the_policy_it_started_with(self):
        # A record of the second chunk closes the policy while it is read:
        # the batch finishes with the policy it holds, later calls refuse.
        closer = Record(NEWCOMER, on_read=self.policy.close)
        records = [MEMBER] * 300 + [closer] + [NEWCOMER] * 300
        expected = [self.policy.decide(MEMBER)] * 300 + [self.policy.decide(NEWCOMER)] * 301
        self.assertEqual(self.policy.decide_many(records), expected)
        self.assertTrue(self.policy.closed)
        with self.assertRaisesRegex(ValueError, "policy is closed"):
            self.policy.decide_many(records)

    def test_a_record_that_closes_the_policy_is_refused_not_decided(self):
        closer = Record(MEMBER, on_read=self.policy.close)
        with self.assertRaisesRegex(ValueError, "policy is closed"):
            self.policy.decide(closer)

    def test_a_team_closed_during_a_batch_stops_it_cleanly(self):
        team = Team([("brightwater", "zoe@partner.example", "developer")])
        closer = Record(NEWCOMER, on_read=team.close)
        with self.assertRaisesRegex(ValueError, "team set is closed"):
            self.policy.decide_many([NEWCOMER] * 300 + [closer] + [NEWCOMER] * 300,
                                    team=team)
        with self.assertRaisesRegex(ValueError, "team set is closed"):
            self.policy.decide(Record(NEWCOMER, on_read=team.close), team=team)


class TestDecisions(ExamplePolicyTest):

    def test_decisions_built_by_the_extension_are_ordinary_frozen_dataclasses(self):
        # Every decision of the fleet, one with limited privileges elsewhere,
        # and invalid input, against the reference builder and __init__.
        records = fleet() + [{"id": "b2f14c942e05319acb5c7427", "platform_id": 10,
                              "device_os": "3.3.1", "cloud_product_id": 13999,
                              "firmware_product_id": 14005},
                             {**MEMBER, "owner": ""}, {**MEMBER, "development": True}]
        _native.clear_decision_cache()
        decisions = self.policy.decide_many(records) + [self.policy.decide(r) for r in records]
        self.assertTrue(any(d.cloud_product_status for d in decisions))
        self.assertTrue(any(d.error for d in decisions))
        self.assertTrue(any(d.effects and d.leaves_quarantine for d in decisions))
        for d in decisions:
            raw = (d.outcome.value, d.reason.value, d.rule,
                   0 if d.error is None else d.error.value, d.product_id, d.limited_in,
                   d.privileges.value, d.advisories.value, d.effects.value, d.leaves_denied,
                   d.leaves_quarantine)
            plain = build_decision(raw)
            self.assertEqual(d, plain)
            self.assertEqual(hash(d), hash(plain))
            self.assertEqual(repr(d), repr(plain))
            self.assertEqual(dataclasses.asdict(d), dataclasses.asdict(plain))
            self.assertEqual(list(vars(d)), [f.name for f in dataclasses.fields(Decision)])
            self.assertIs(type(d), Decision)
            self.assertIs(d.outcome, plain.outcome)
            self.assertIs(d.privileges, Privilege(d.privileges.value))
            if d.cloud_product_status is not None:
                self.assertIs(type(d.cloud_product_status), CloudProductStatus)
                self.assertEqual(list(vars(d.cloud_product_status)), ["product_id", "status"])
            with self.assertRaises(dataclasses.FrozenInstanceError):
                d.rule = 7  # type: ignore[misc]
        plain = Decision(Outcome.QUARANTINE, Reason.MEMBER_OF_OTHER_PRODUCT, 11, 14005,
                         Privilege(0), Advisory(0),
                         CloudProductStatus(13999, Outcome.LIMITED), None,
                         Effect.ENTER_QUARANTINE)
        self.assertIn(plain, decisions)

    def test_a_value_unknown_to_the_binding_raises(self):
        with self.assertRaises(ValueError):
            build_decision((99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        with self.assertRaises(ValueError):
            build_decision((0, 0, 0, 0, 0, 0, 1 << 31, 0, 0, 0, 0))
        with self.assertRaises(ValueError):
            build_decision((0, 0, 0, 0, 0, 0, 0, 0, 1 << 31, 0, 0))

    def test_equal_decisions_are_one_object(self):
        _native.clear_decision_cache()
        self.assertEqual(_native.decision_cache_size(), 0)
        got = self.policy.decide_many([MEMBER] * 3 + [NEWCOMER] * 2 + [MEMBER])
        self.assertEqual(len({id(d) for d in got}), 2)
        self.assertIs(got[0], got[5])
        self.assertEqual(_native.decision_cache_size(), 2)
        self.assertIs(self.policy.decide(MEMBER), got[0])

    def test_equal_answers_in_a_batch_are_one_object_when_the_cache_is_emptied_meanwhile(self):
        emptier = Record(MEMBER, on_read=_native.clear_decision_cache)
        got = self.policy.decide_many([MEMBER] * 300 + [emptier] + [MEMBER] * 300)
        self.assertEqual(len(got), 601)
        self.assertEqual(len({id(d) for d in got}), 1)

    def test_the_cache_stays_bounded_and_a_batch_shares_all_its_answers(self):
        # More products, each with a member, than the cache holds answers.
        n = _native.DECISION_CACHE_LIMIT + 1000
        text = "version: 1\nproducts:\n" + "".join(
            f"  - {{id: {1000 + i}, name: p{i}, family: tracker}}\n" for i in range(n))
        with Policy.from_yaml(text) as policy:
            records = [{**MEMBER, "cloud_product_id": 1000 + i, "firmware_product_id": 0}
                       for i in range(n)]
            got = policy.decide_many(records + records)
            self.assertEqual(len({id(d) for d in got}), n)    # one batch: all shared
            self.assertEqual([d.product_id for d in got[:n]], [1000 + i for i in range(n)])
            self.assertEqual([d.reason for d in got], [Reason.MEMBER] * 2 * n)
            self.assertLessEqual(_native.decision_cache_size(), _native.DECISION_CACHE_LIMIT)
            for record in records[::7]:
                self.assertEqual(policy.decide(record).product_id, record["cloud_product_id"])
                self.assertLessEqual(_native.decision_cache_size(),
                                     _native.DECISION_CACHE_LIMIT)

if __name__ == "__main__":
    unittest.main()
