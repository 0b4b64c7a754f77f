"""The fast paths: a batch of devices written column by column must be the
same pp_device array, and raise the same errors, as records converted one by
one; decisions built without Decision's __init__ must be ordinary ones."""
from __future__ import annotations

import ctypes
import dataclasses
import unittest

from particlepolicy import (Advisory, CloudProductStatus, Decision, Device,
                            ErrorCode, Outcome, Policy, Privilege, Reason)
from particlepolicy import _device, _native, _results

from support import MEMBER, NEWCOMER, POLICY_YAML, fleet

PLATFORMS = {"tracker": 26, "bsom": 23}


def reference(record) -> _native.Device:
    """One record, the plain way: ctypes builds it from its values."""
    return _native.Device(*_device.device_values(record, PLATFORMS))


def fields(dev: _native.Device) -> tuple:
    """A pp_device's meaning: strings by content (None when NULL)."""
    out = []
    for name, _ in _native.Device._fields_:
        if name.endswith("_len"):
            continue
        value = getattr(dev, name)
        if name in ("id", "device_os", "sku", "owner"):
            # Read the pointer itself: a c_char_p field would stop at a NUL.
            ptr = ctypes.c_void_p.from_buffer(dev, getattr(_native.Device, name).offset).value
            value = None if ptr is None else ctypes.string_at(ptr, getattr(dev, name + "_len"))
        out.append((name, value))
    return tuple(out)


# Columns of every kind the batch path handles itself, and some it hands on.
MIXED = [
    MEMBER,
    NEWCOMER,
    {**NEWCOMER, "owner": "fay@brightwater.example"},
    {**MEMBER, "sku": ""},                       # present but empty: not NULL
    {**MEMBER, "owner": "o\0wner", "id": b"269e0d37f2a74de452e6b438"},
    {**MEMBER, "platform_id": "Tracker"},
    {**MEMBER, "platform_id": None, "development": True},
    {**MEMBER, "cloud_product_id": 2 ** 32 - 1, "firmware_version": None},
    {"id": None, "device_os": None},
    {**MEMBER, "id": "caf\u00e9" * 6, "note": "ignored"},
]


class TestDeviceBatch(unittest.TestCase):

    def assertSameArray(self, records):
        batch = _device.devices_array(records, PLATFORMS)
        self.assertEqual(len(batch), len(records))
        for i, record in enumerate(records):
            with self.subTest(i=i):
                self.assertEqual(fields(batch[i]), fields(reference(record)))

    def test_dicts_devices_and_mixtures_give_the_reference_array(self):
        self.assertSameArray(MIXED)
        self.assertSameArray([Device.from_dict(r) for r in MIXED if "note" not in r])
        self.assertSameArray([Device.from_dict(r) if i % 2 else r
                              for i, r in enumerate(MIXED) if "note" not in r])
        self.assertSameArray(fleet())
        self.assertSameArray([Device.from_dict(r) for r in fleet()])

    def test_columns_of_one_kind_each(self):
        self.assertSameArray([{**MEMBER, "sku": None, "owner": None}] * 3)
        self.assertSameArray([{**MEMBER, "sku": b"T404MEA"}, {**MEMBER, "sku": b""}])
        self.assertSameArray([{**MEMBER, "development": 2}, {**MEMBER, "development": 0}])
        self.assertSameArray([Device(id=None, device_os=None)])

    def test_iterables_and_empty_batches(self):
        self.assertSameArray(tuple(MIXED))
        self.assertEqual(len(_device.devices_array(iter(MIXED), PLATFORMS)), len(MIXED))
        self.assertEqual(len(_device.devices_array([], PLATFORMS)), 0)

    def test_the_buffer_outlives_the_records(self):
        records = [{**MEMBER, "owner": "x%d@example.com" % i} for i in range(100)]
        batch = _device.devices_array(records, PLATFORMS)
        del records
        self.assertEqual(ctypes.string_at(batch[99].owner, batch[99].owner_len),
                         b"x99@example.com")

    def test_a_bad_record_raises_what_it_raises_alone(self):
        bad = [({"cloud_product_id": -1}, ValueError), ({"denied_in": 2 ** 32}, ValueError),
               ({"platform_id": 2 ** 32 - 1}, ValueError), ({"platform_id": True}, TypeError),
               ({"removed_from": True}, TypeError), ({"owner": 5}, TypeError),
               ({"id": "\ud800"}, UnicodeEncodeError), ({"development": "no"}, TypeError),
               ({"platform_id": "trakcer"}, ValueError), ({"sku_code": "x"}, TypeError)]
        for change, error in bad:
            record = {**MEMBER, **change}
            with self.subTest(change=change):
                with self.assertRaises(error) as alone:
                    _device.device_values(record, PLATFORMS)
                with self.assertRaises(error) as batched:
                    _device.devices_array([MEMBER, record, NEWCOMER], PLATFORMS)
                self.assertEqual(str(batched.exception), str(alone.exception))
        # Two bad records: the first one's error, as record by record.
        with self.assertRaisesRegex(TypeError, "owner must be str or bytes"):
            _device.devices_array([MEMBER, {**MEMBER, "owner": 5},
                                   {**MEMBER, "cloud_product_id": -1}], PLATFORMS)
        with self.assertRaisesRegex(TypeError, "not list"):
            _device.devices_array([MEMBER, ["not", "a", "device"]], PLATFORMS)


class TestDecisions(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.policy = Policy.from_file(POLICY_YAML)

    @classmethod
    def tearDownClass(cls):
        cls.policy.close()

    def test_decide_many_over_mixed_records_equals_one_by_one(self):
        self.assertEqual(self.policy.decide_many(MIXED),
                         [self.policy.decide(r) for r in MIXED])

    def test_a_built_decision_is_an_ordinary_frozen_dataclass(self):
        _results._cache.clear()
        raw = (Outcome.QUARANTINE.value, Reason.MEMBER_OF_OTHER_PRODUCT.value, 11,
               ErrorCode.INVALID_OWNER.value, 14005, 13999,
               Privilege.OTA_UPDATES.value, Advisory.DEVELOPMENT_DEVICE.value)
        built = _results._decision(raw)
        plain = Decision(Outcome.QUARANTINE, Reason.MEMBER_OF_OTHER_PRODUCT, 11, 14005,
                         Privilege.OTA_UPDATES, Advisory.DEVELOPMENT_DEVICE,
                         CloudProductStatus(13999, Outcome.LIMITED), ErrorCode.INVALID_OWNER)
        self.assertEqual(built, plain)
        self.assertEqual(hash(built), hash(plain))
        self.assertEqual(repr(built), repr(plain))
        self.assertEqual(dataclasses.asdict(built), dataclasses.asdict(plain))
        self.assertEqual(list(vars(built)), [f.name for f in dataclasses.fields(Decision)])
        with self.assertRaises(dataclasses.FrozenInstanceError):
            built.rule = 7  # type: ignore[misc]
        self.assertIsNone(_results._decision(raw[:3] + (0,) + raw[4:]).error)

    def test_a_value_unknown_to_the_binding_raises(self):
        with self.assertRaises(ValueError):
            _results._decision((99, 0, 0, 0, 0, 0, 0, 0))
        with self.assertRaises(ValueError):
            _results._decision((0, 0, 0, 0, 0, 0, 1 << 31, 0))

    def test_equal_decisions_in_a_batch_are_one_object(self):
        _results._cache.clear()
        got = self.policy.decide_many([MEMBER] * 3 + [NEWCOMER] * 2 + [MEMBER])
        self.assertEqual(len({id(d) for d in got}), 2)
        self.assertIs(got[0], got[5])

    def test_the_cache_stays_bounded(self):
        _results._cache.clear()
        for i in range(_results._CACHE_SIZE + 10):
            _results._decision((0, 0, 7, 0, i, 0, 0, 0))
        self.assertLessEqual(len(_results._cache), _results._CACHE_SIZE)


if __name__ == "__main__":
    unittest.main()
