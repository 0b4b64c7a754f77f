"""The policy diff (docs/diff.md): what a new policy changes, before it
ships, as data.  ``Policy.diff(other)`` builds it; the extension module
(native/diff.c) hands over plain tuples that this module gives their shape."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Tuple

from . import _native
from ._audit import Finding
from ._authorize import Authorization, authorization
from ._device import Device
from ._errors import raise_for
from ._results import Decision, build_decision
from ._vocabulary import (Action, ActorKind, ChangeKind, Direction, FindingCode, Privilege,
                          Severity)


@dataclass(frozen=True)
class Change:
    """One semantic change, in the policy's words.  ``direction`` is loosening
    when some device or person may gain by it.  Fields a kind does not use
    are 0 or None; values are text as the YAML spells them."""

    kind: ChangeKind
    direction: Direction
    product_id: int
    organization: Optional[str]
    subject: Optional[str]
    key: Optional[str]
    old: Optional[str]
    new: Optional[str]
    findings_introduced: int
    findings_resolved: int


@dataclass(frozen=True)
class DiffFinding:
    """A security finding one policy has and the other has not.  ``change``
    is the index in ``PolicyDiff.changes`` of the change it comes with."""

    introduced: bool
    change: Optional[int]
    finding: Finding


@dataclass(frozen=True)
class DeviceClass:
    """A class of device records whose decision changes: every record the
    description covers decides as ``old`` under the old policy and as
    ``new`` under the new one (product IDs are the representative's)."""

    description: str
    representative: Device
    old: Decision
    new: Decision
    privileges_gained: Privilege
    privileges_lost: Privilege


@dataclass(frozen=True)
class AuthorizationChange:
    """An answer of ``Policy.authorize`` (without a device) that changes.
    ``actor`` None stands for everyone on neither policy's teams of the
    product."""

    actor: Optional[str]
    actor_kind: ActorKind
    action: Action
    product_id: int
    old: Authorization
    new: Authorization


@dataclass(frozen=True)
class PolicyDiff:
    """What the new policy changes against the old one.  ``device_classes``
    covers every possible record: an empty tuple means no record at all
    decides differently.  ``classes_examined`` is how many classes were
    decided to know it."""

    changes: Tuple[Change, ...]
    findings: Tuple[DiffFinding, ...]
    device_classes: Tuple[DeviceClass, ...]
    classes_examined: int
    authorizations: Tuple[AuthorizationChange, ...]
    _handle: Any = field(repr=False, compare=False)
    _names: Any = field(repr=False, compare=False)

    def class_of(self, device: Any) -> Tuple[Optional[int], Decision, Decision]:
        """The index in ``device_classes`` of the changed class a record
        belongs to (None when its class decides the same under both), and the
        two decisions its class predicts for it.  Platform names in the
        record are the new policy's."""
        rc, index, old, new = _native.diff_class_of(self._handle, self._names, device)
        del rc  # an invalid record: the decisions carry the error
        return (None if index < 0 else index), build_decision(old), build_decision(new)

    def __bool__(self) -> bool:
        return bool(self.changes or self.device_classes or self.authorizations)


def _device(fields: Tuple[Any, ...]) -> Device:
    (id_, device_os, platform_id, sku, owner, cloud, firmware, denied, removed, quarantined,
     development, firmware_version) = fields
    return Device(id_, device_os, platform_id, sku, owner, cloud, firmware, denied, removed,
                  quarantined, development, firmware_version)


def diff(old: Any, new: Any, max_classes: int) -> PolicyDiff:
    """The diff of two policy handles (see Policy.diff)."""
    rc, message, handle = _native.diff(old, new, max_classes)
    if rc:
        raise_for(rc, f"diff: {message}")
    changes, findings, classes, examined, authorizations = _native.diff_report(handle)
    return PolicyDiff(
        tuple(Change(ChangeKind(kind), Direction(direction), *rest)
              for kind, direction, *rest in changes),
        tuple(DiffFinding(bool(introduced), None if change < 0 else change,
                          Finding(FindingCode(code), Severity(severity), product_id, record,
                                  subject, message))
              for introduced, change, (code, severity, product_id, record, subject, message)
              in findings),
        tuple(DeviceClass(description, _device(record), build_decision(old_d),
                          build_decision(new_d), Privilege(gained), Privilege(lost))
              for description, record, old_d, new_d, gained, lost in classes),
        examined,
        tuple(AuthorizationChange(actor, ActorKind(kind), Action(action), product_id,
                                  authorization(old_a), authorization(new_a))
              for actor, kind, action, product_id, old_a, new_a in authorizations),
        handle, new)
