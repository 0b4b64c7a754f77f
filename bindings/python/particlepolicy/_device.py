"""Device records and models.  The extension module converts them to the C
structures (native/device.c) with the checks and messages documented in
docs/python.md; this module holds the dataclasses and the error for unknown
keys."""
from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, fields
from typing import Any, Iterable, Mapping, Optional, Tuple, Union

Text = Union[str, bytes]
PlatformRef = Union[int, str]   # a platform ID, or a platform name ("bsom")

_UINT32_MAX = 0xFFFFFFFF
# With slots (Python 3.10 on) the extension reads a Device's fields at their
# offsets in the object, the cheapest way to take a record.
_SLOTS = {"slots": True} if sys.version_info >= (3, 10) else {}


@dataclass(frozen=True, **_SLOTS)
class Device:
    """A device record with the library's field names (docs/spec.md §2).

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
        """A Device from a mapping with the documented keys (a JSON object,
        say).

        None values mean absent.  ``note`` is ignored, as by the CLI; any
        other unknown key raises TypeError, so a misspelt field is not
        silently dropped.
        """
        unknown = record.keys() - _KEYS
        if unknown:
            refuse(unknown)
        values = {k: v for k, v in record.items() if v is not None and k != "note"}
        values.setdefault("id", None)
        values.setdefault("device_os", None)
        return cls(**values)


_FIELD_NAMES = [f.name for f in fields(Device)]
_KEYS = frozenset(_FIELD_NAMES) | {"note"}


@dataclass(frozen=True)
class Model:
    """A device model for family questions: a platform and/or a SKU."""

    platform_id: Optional[PlatformRef] = None
    sku: Optional[Text] = None


def refuse(unknown: Iterable[Any]) -> None:
    """Raise the TypeError for keys that are not device fields."""
    key = sorted(map(str, unknown))[0]
    hint = difflib.get_close_matches(key, _FIELD_NAMES, 1)
    raise TypeError(f"unknown device field {key!r}"
                    + (f" (did you mean {hint[0]!r}?)" if hint else ""))


def check_uint32(field: str, value: Any, limit: int = _UINT32_MAX) -> int:
    """An int the C field can hold (None is 0); no silent wrapping."""
    if value is None:
        return 0
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{field} must be an int, not {type(value).__name__}")
    if not 0 <= value <= limit:
        raise ValueError(f"{field} must be 0 to {limit}, found {value}")
    return value


def model_fields(model: Union[Model, PlatformRef]) -> Tuple[Any, Any]:
    """(platform, sku) of a Model, a SKU (str) or a platform ID (int), for
    the extension to convert."""
    if isinstance(model, str):
        return None, model
    if isinstance(model, int) and not isinstance(model, bool):
        return model, None
    if not isinstance(model, Model):
        raise TypeError("a model is a particlepolicy.Model, a SKU (str) or a "
                        f"platform ID (int), not {type(model).__name__}")
    return model.platform_id, model.sku

