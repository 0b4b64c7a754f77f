"""Device records and models, and their conversion to the C structures."""
from __future__ import annotations

import ctypes
import difflib
from array import array
from dataclasses import dataclass, fields
from itertools import accumulate, repeat
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _native

Text = Union[str, bytes]
PlatformRef = Union[int, str]   # a platform ID, or a platform name ("bsom")

_UINT32_MAX = 0xFFFFFFFF


@dataclass(frozen=True)
class Device:
    """A device record with the field names of docs/spec.md §2.

    ``id`` and ``device_os`` are required by the library; passing None (or a
    malformed value) is not an exception but a ``deny`` decision with reason
    ``invalid_input`` and an ``error`` code, like every other invalid input.
    ``platform_id`` may be a platform name from the policy's table; None lets
    the SKU decide.  Strings may be ``bytes``, passed as they are.  Product
    IDs are 0 when absent.
    """

    id: Optional[Text]
    device_os: Optional[Text]
    platform_id: Optional[PlatformRef] = None
    sku: Optional[Text] = None
    owner: Optional[Text] = None
    cloud_product_id: int = 0
    firmware_product_id: int = 0
    denied_in: int = 0
    removed_from: int = 0
    quarantined_in: int = 0
    development: bool = False
    firmware_version: int = 0

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> "Device":
        """A Device from a mapping keyed as in docs/spec.md §2 (JSON, say).

        None values mean absent.  ``note`` is ignored, as by the CLI; any
        other unknown key raises TypeError, so a misspelt field is not
        silently dropped.
        """
        unknown = record.keys() - _KEYS
        if unknown:
            _refuse(unknown)
        values = {k: v for k, v in record.items() if v is not None and k != "note"}
        values.setdefault("id", None)
        values.setdefault("device_os", None)
        return cls(**values)


_FIELD_NAMES = [f.name for f in fields(Device)]


@dataclass(frozen=True)
class Model:
    """A device model for family questions: a platform and/or a SKU."""

    platform_id: Optional[PlatformRef] = None
    sku: Optional[Text] = None


def _text(field: str, value: Optional[Text]) -> Optional[bytes]:
    if value is None:
        return None
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{field} must be str or bytes, not {type(value).__name__}")


def check_uint32(field: str, value: Any, limit: int = _UINT32_MAX) -> int:
    # Checked here because ctypes would silently truncate to 32 bits.
    if value is None:
        return 0
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{field} must be an int, not {type(value).__name__}")
    if not 0 <= value <= limit:
        raise ValueError(f"{field} must be 0 to {limit}, found {value}")
    return value


def platform_number(value: Optional[PlatformRef],
                    names: Mapping[str, int]) -> int:
    """The C platform_id for a platform ID, name (case-insensitive) or None."""
    if value is None:
        return _native.PLATFORM_UNSPECIFIED
    if isinstance(value, str):
        number = names.get(value.lower())
        if number is None:
            raise ValueError(f"unknown platform name {value!r}; the policy knows: "
                             + ", ".join(sorted(names)))
        return number
    return check_uint32("platform_id", value, _UINT32_MAX - 1)


_KEYS = frozenset(_FIELD_NAMES) | {"note"}
_NUMBERS = ("cloud_product_id", "firmware_product_id", "denied_in", "removed_from",
            "quarantined_in", "firmware_version")


def _refuse(unknown: Any) -> None:
    key = sorted(map(str, unknown))[0]
    hint = difflib.get_close_matches(key, _FIELD_NAMES, 1)
    raise TypeError(f"unknown device field {key!r}"
                    + (f" (did you mean {hint[0]!r}?)" if hint else ""))


# A pp_device's values in structure order.
_ROW_KEYS = ("id", "device_os", "sku", "owner", "platform_id") + _NUMBERS + ("development",)


def _row(device: Union[Device, Mapping[str, Any]]) -> Tuple[Any, ...]:
    if isinstance(device, Device):
        return tuple(map(device.__dict__.get, _ROW_KEYS))
    if isinstance(device, Mapping):
        unknown = device.keys() - _KEYS
        if unknown:
            _refuse(unknown)
        return tuple(map(device.get, _ROW_KEYS))
    raise TypeError("a device is a particlepolicy.Device or a mapping, not "
                    + type(device).__name__)


def device_values(device: Union[Device, Mapping[str, Any]],
                  platforms: Mapping[str, int]) -> Tuple[Any, ...]:
    """The field values of a pp_device, in order, for a Device or a mapping
    (one tuple, so that ctypes builds the structure in a single call)."""
    (id_, device_os, sku, owner, platform, cloud, firmware, denied, removed, quarantined,
     version, development) = _row(device)
    a = id_.encode("utf-8") if type(id_) is str else _text("id", id_)
    b = device_os.encode("utf-8") if type(device_os) is str else _text("device_os", device_os)
    c = _text("sku", sku)
    d = _text("owner", owner)
    numbers = (cloud, firmware, denied, removed, quarantined, version)
    # The common case in one test: plain ints (not bools), and the bits of
    # them all below 2**32 (a negative one sets every bit above).
    if not (type(cloud) is type(firmware) is type(denied) is type(removed)
            is type(quarantined) is type(version) is type(platform) is int
            and (cloud | firmware | denied | removed | quarantined | version) >> 32 == 0
            and 0 <= platform < _UINT32_MAX):
        platform = platform_number(platform, platforms)
        numbers = tuple(map(check_uint32, _NUMBERS, numbers))
    if development is not None and not isinstance(development, int):  # bool is an int
        raise TypeError("development must be a bool, not " + type(development).__name__)
    return (a, 0 if a is None else len(a), b, 0 if b is None else len(b),
            c, 0 if c is None else len(c), d, 0 if d is None else len(d),
            platform) + numbers + (1 if development else 0,)


# A batch is written column by column into one buffer: the structures, then
# every string they point to.  Each column is checked and converted by C-level
# calls (set(map(type, ...)), array(), str.encode), which is what makes
# decide_many cheap per record; anything out of the ordinary goes to
# device_values record by record, which also raises the error the first bad
# record deserves.
_SIZE = ctypes.sizeof(_native.Device)
_WORD = {4: "I", 8: "Q"}[ctypes.sizeof(ctypes.c_void_p)]
assert ctypes.sizeof(ctypes.c_size_t) == ctypes.sizeof(ctypes.c_void_p)
_WORDS = _SIZE // ctypes.sizeof(ctypes.c_void_p)   # structure stride in words
_U32S = _SIZE // 4                                  # and in 32-bit fields
# Word index of each string's pointer and length; index of each 32-bit field.
_STRING_AT = tuple((getattr(_native.Device, name).offset // ctypes.sizeof(ctypes.c_void_p),
                    getattr(_native.Device, name + "_len").offset
                    // ctypes.sizeof(ctypes.c_void_p))
                   for name in _ROW_KEYS[:4])
_U32_AT = tuple(getattr(_native.Device, name).offset // 4 for name in _ROW_KEYS[4:])
assert all(getattr(_native.Device, name).size == 4 for name in _ROW_KEYS[4:])
assert array("I").itemsize == 4
_NONE = type(None)
_TEXT_TYPES = frozenset((str, bytes, _NONE))


class _Unusual(Exception):
    """A batch the column path leaves to device_values."""


def _columns(records: Sequence[Any]) -> List[List[Any]]:
    """The batch's values column by column (absent keys None)."""
    kinds = set(map(type, records))
    if kinds == {Device}:
        dicts: Sequence[Any] = list(map(vars, records))
    elif kinds == {dict} and not set().union(*records) - _KEYS:
        dicts = records
    else:
        raise _Unusual            # other mappings, mixtures, unknown keys
    return [list(map(dict.get, dicts, repeat(key))) for key in _ROW_KEYS]


def _numbers(column: List[Any]) -> List[Any]:
    kinds = set(map(type, column))
    if kinds <= {int}:
        return column             # array("I") refuses what is beyond 32 bits
    if kinds <= {int, _NONE}:
        return [0 if value is None else value for value in column]
    raise _Unusual                # bool and other int-likes: device_values says


def _platforms(column: List[Any], platforms: Mapping[str, int]) -> List[Any]:
    kinds = set(map(type, column))
    if kinds <= {int}:
        if min(column) < 0 or max(column) >= _UINT32_MAX:
            raise _Unusual
        return column
    if kinds <= {int, str, _NONE}:
        return [platform_number(value, platforms) for value in column]
    raise _Unusual


def _flags(column: List[Any]) -> List[Any]:
    if set(map(type, column)) <= {bool, int, _NONE}:
        return list(map(bool, column))
    raise _Unusual


def _batch(records: Sequence[Any], platforms: Mapping[str, int]) -> Any:
    n = len(records)
    columns = _columns(records)
    # The strings, encoded, and where each column's land after the structures.
    parts: List[bytes] = []
    placed = []
    end = 0
    for column, at in zip(columns, _STRING_AT):
        kinds = set(map(type, column))
        if kinds == {_NONE}:
            continue                          # NULL, 0: the buffer's zeros
        if kinds == {str}:
            data = list(map(str.encode, column))
        elif kinds <= _TEXT_TYPES:
            data = [b"" if value is None else value.encode() if type(value) is str
                    else value for value in column]
        else:
            raise _Unusual
        lengths = list(map(len, data))
        starts = list(accumulate(lengths, initial=end))
        end = starts.pop()
        parts += data
        placed.append((at, column if _NONE in kinds else None, starts, lengths))
    buf = bytearray(n * _SIZE + end)
    buf[n * _SIZE:] = b"".join(parts)
    out = (_native.Device * n).from_buffer(buf)   # keeps buf, strings and all, alive
    base = ctypes.addressof(out) + n * _SIZE
    words = memoryview(buf)[:n * _SIZE].cast(_WORD)
    for (ptr_at, len_at), absent, starts, lengths in placed:
        pointers = list(map(base.__add__, starts))
        if absent is not None:
            pointers = [0 if value is None else p for value, p in zip(absent, pointers)]
        words[ptr_at::_WORDS] = array(_WORD, pointers)
        words[len_at::_WORDS] = array(_WORD, lengths)
    u32 = memoryview(buf)[:n * _SIZE].cast("I")
    values = [_platforms(columns[4], platforms)]
    values += map(_numbers, columns[5:11])
    values.append(_flags(columns[11]))
    for at, column in zip(_U32_AT, values):
        u32[at::_U32S] = array("I", column)       # OverflowError beyond 32 bits
    return out


def devices_array(devices: Iterable[Any], platforms: Mapping[str, int]) -> Any:
    """A pp_device array (ctypes) for Devices and/or mappings, strings and
    all in one buffer that the array keeps alive."""
    records = devices if isinstance(devices, (list, tuple)) else list(devices)
    if records:
        try:
            return _batch(records, platforms)
        except (_Unusual, TypeError, ValueError, OverflowError):
            # device_values raises the error of the first bad record, if any
            pass
    rows = [device_values(d, platforms) for d in records]
    return (_native.Device * len(rows))(*rows)  # type: ignore[misc]


def fill_model(out: _native.Model, model: Union[Model, PlatformRef],
               platforms: Mapping[str, int]) -> None:
    """Fill a pp_model from a Model, a SKU (str) or a platform ID (int)."""
    if isinstance(model, str):
        model = Model(sku=model)
    elif isinstance(model, int) and not isinstance(model, bool):
        model = Model(platform_id=model)
    elif not isinstance(model, Model):
        raise TypeError("a model is a particlepolicy.Model, a SKU (str) or a "
                        f"platform ID (int), not {type(model).__name__}")
    out.platform_id = platform_number(model.platform_id, platforms)
    sku = _text("sku", model.sku)
    if sku is not None:
        out.sku = sku
        out.sku_len = len(sku)
