"""Device records and models, and their conversion to the C structures."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, fields
from typing import Any, List, Mapping, Optional, Tuple, Union

from . import _native

Text = Union[str, bytes]
PlatformRef = Union[int, str]   # a platform ID, or a platform name ("bsom")

_UINT32_MAX = 0xFFFFFFFF


@dataclass(frozen=True)
class Device:
    """A device record with the SPEC's field names (§2).

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
        """A Device from a mapping with the SPEC's keys (a JSON object, say).

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


def device_values(device: Union[Device, Mapping[str, Any]],
                  platforms: Mapping[str, int]) -> Tuple[Any, ...]:
    """The field values of a pp_device, in order, for a Device or a mapping
    (one tuple, so that ctypes builds the structure in a single call)."""
    if isinstance(device, Device):
        get = device.__dict__.get
    elif isinstance(device, Mapping):
        unknown = device.keys() - _KEYS
        if unknown:
            _refuse(unknown)
        get = device.get
    else:
        raise TypeError("a device is a particlepolicy.Device or a mapping, not "
                        + type(device).__name__)
    values: List[Any] = []
    for name in ("id", "device_os", "sku", "owner"):
        value = get(name)
        data = value.encode("utf-8") if type(value) is str else _text(name, value)
        values += (data, 0 if data is None else len(data))
    values.append(platform_number(get("platform_id"), platforms))
    for name in _NUMBERS:
        value = get(name)
        values.append(value if type(value) is int and 0 <= value <= _UINT32_MAX
                      else check_uint32(name, value))
    development = get("development")
    if development is not None and not isinstance(development, int):  # bool is an int
        raise TypeError("development must be a bool, not " + type(development).__name__)
    values.append(1 if development else 0)
    return tuple(values)


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
