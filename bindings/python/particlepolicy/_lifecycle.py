"""The device lifecycle (docs/lifecycle.md): the record to store after a
decision's effects or an operator action, and what the extension module
takes and gives back for them."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Tuple, Union

from ._authorize import Authorization, authorization
from ._device import Device
from ._vocabulary import ErrorCode, Operation, Refusal

DeviceLike = Union[Device, Mapping[str, Any]]


@dataclass(frozen=True)
class Transition:
    """The answer to ``Policy.operate``: ``applied`` (then ``device`` is the
    record to store) or a ``refusal`` (then ``device`` is the record as it
    was), with the ``authorization`` the operation was given.  ``error`` is
    None, or the code of invalid input (the refusal is then
    ``invalid_input``).  True in a boolean context when applied."""

    applied: bool
    refusal: Refusal
    authorization: Authorization
    device: Device
    error: Optional[ErrorCode] = None

    def __bool__(self) -> bool:
        return self.applied


def operation_of(operation: Union[Operation, str]) -> Operation:
    if isinstance(operation, Operation):
        return operation
    if isinstance(operation, str):
        return Operation.from_name(operation)
    raise TypeError("operation must be an Operation or its name, not "
                    f"{type(operation).__name__}")


def next_device(device: DeviceLike, fields: Tuple[Any, ...]) -> Device:
    """``device`` as a Device with the fields the library may change set from
    the extension's tuple; its strings stay the caller's (only an unclaim
    drops the owner)."""
    base = device if isinstance(device, Device) else Device.from_dict(device)
    cloud, firmware, denied, removed, quarantined, version, development, owner_kept = fields
    return dataclasses.replace(
        base, cloud_product_id=cloud, firmware_product_id=firmware, denied_in=denied,
        removed_from=removed, quarantined_in=quarantined, firmware_version=version,
        development=development, owner=base.owner if owner_kept else None)


def transition(device: DeviceLike, answer: Tuple[Any, ...]) -> Transition:
    """The Transition for the extension's answer tuple."""
    applied, refusal, error, authz, fields = answer
    return Transition(bool(applied), Refusal(refusal), authorization(authz),
                      next_device(device, fields), ErrorCode(error) if error else None)
