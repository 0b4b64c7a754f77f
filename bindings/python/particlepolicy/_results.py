"""What the library answers: decisions, verdicts and views of a policy."""
from __future__ import annotations

import ctypes
import struct
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from . import _native
from ._vocabulary import Advisory, ErrorCode, Outcome, Privilege, Reason


@dataclass(frozen=True)
class CloudProductStatus:
    """The device's standing in its cloud product when the firmware claims
    another one (docs/spec.md §3): today always ``limited`` privileges
    there."""

    product_id: int
    status: Outcome


@dataclass(frozen=True, repr=False)
class Decision:
    """The admission decision for one device (docs/spec.md §3).

    ``rule`` is the decision-table row that decided (docs/decisions.md);
    ``product_id`` the product in question (0 = none).  ``error`` is None for
    a valid record, else the code of the invalid input (the decision is then
    ``deny`` / ``invalid_input`` / rule 0 with no privileges).
    """

    outcome: Outcome
    reason: Reason
    rule: int
    product_id: int
    privileges: Privilege
    advisories: Advisory
    cloud_product_status: Optional[CloudProductStatus] = None
    error: Optional[ErrorCode] = None

    @property
    def limited_in(self) -> int:
        """The cloud product where the device holds limited privileges, or 0
        (the C API's ``limited_in``)."""
        status = self.cloud_product_status
        return status.product_id if status is not None else 0

    def __repr__(self) -> str:
        parts = [f"{self.outcome}", f"{self.reason}", f"rule={self.rule}",
                 f"product_id={self.product_id}",
                 f"privileges={self.privileges or '-'}",
                 f"advisories={self.advisories or '-'}"]
        if self.cloud_product_status is not None:
            parts.append(f"limited_in={self.cloud_product_status.product_id}")
        if self.error is not None:
            parts.append(f"error={self.error}")
        return f"<Decision {' '.join(parts)}>"


# pp_decision is eight 32-bit fields: read a whole array in one pass.
_DECISION = struct.Struct("=4i4I")
assert _DECISION.size == ctypes.sizeof(_native.Decision)

# Members by value: a dict lookup instead of an Enum call (which costs
# microseconds for a Flag); the flag sets fill in as they are first seen.
_OUTCOMES = {m.value: m for m in Outcome}
_REASONS = {m.value: m for m in Reason}
_ERRORS: Dict[int, Optional[ErrorCode]] = {m.value: m for m in ErrorCode}
_ERRORS[0] = None
_PRIVILEGES: Dict[int, Privilege] = {}
_ADVISORIES: Dict[int, Advisory] = {}

# Decisions repeat (a fleet has few distinct ones) and are immutable, so equal
# answers share one object.  The cache is bounded: emptied when full.
_CACHE_SIZE = 4096
_cache: Dict[Tuple[int, ...], Decision] = {}
_new = object.__new__
_set = object.__setattr__


def _member(members: Dict[int, Any], cls: Any, value: int) -> Any:
    member = members.get(value)
    if member is None:
        member = members[value] = cls(value)   # ValueError for a value unknown here
    return member


def _decision(raw: Tuple[int, ...]) -> Decision:
    outcome, reason, rule, error, product_id, limited_in, privileges, advisories = raw
    # What Decision's __init__ does, without its eight frozen __setattr__
    # calls: it has no __post_init__ to skip.
    decision = _new(Decision)
    _set(decision, "__dict__", {
        "outcome": _OUTCOMES.get(outcome) or Outcome(outcome),
        "reason": _REASONS.get(reason) or Reason(reason),
        "rule": rule,
        "product_id": product_id,
        "privileges": _member(_PRIVILEGES, Privilege, privileges),
        "advisories": _member(_ADVISORIES, Advisory, advisories),
        "cloud_product_status":
            CloudProductStatus(limited_in, Outcome.LIMITED) if limited_in else None,
        "error": _ERRORS[error] if error in _ERRORS else ErrorCode(error),
    })
    if len(_cache) >= _CACHE_SIZE:
        _cache.clear()
    _cache[raw] = decision
    return decision


def decision_from(out: _native.Decision) -> Decision:
    """The Decision for one pp_decision."""
    raw = _DECISION.unpack(out)
    return _cache.get(raw) or _decision(raw)


def decisions_from(out: Any) -> List[Decision]:
    """Decisions for an array of pp_decision."""
    # Equal answers within the array share one object whatever the cache
    # holds; a Decision is always true, so `or` builds only the new ones.
    seen: Dict[Tuple[int, ...], Decision] = {}
    known, keep, cached = seen.get, seen.setdefault, _cache.get
    return [known(raw) or keep(raw, cached(raw) or _decision(raw))
            for raw in _DECISION.iter_unpack(memoryview(out).cast("B"))]


@dataclass(frozen=True)
class Verdict:
    """The answer to a family question: may a model join a product, may two
    models share one.  True in a boolean context when allowed."""

    allowed: bool
    reason: Reason
    family_a: Optional[str]
    family_b: Optional[str]

    def __bool__(self) -> bool:
        return self.allowed


@dataclass(frozen=True)
class Product:
    """A product as the policy compiled it."""

    id: int
    name: str
    organization: Optional[str]
    family: str
    unrecognized_devices: str     # "quarantine" or "auto_approve"
    removed_devices: str          # "deny" or "quarantine"
    released_firmware: Optional[int]
    min_device_os: Optional[str]


@dataclass(frozen=True)
class Platform:
    """A platform of the policy's table (built-in plus the policy's own)."""

    id: int
    name: str
    product_eligible: bool
    family: Optional[str]         # None when only the SKU decides


@dataclass(frozen=True)
class SkuPrefix:
    """A SKU prefix of the policy's table: longest prefix wins."""

    prefix: str
    platform_id: int
    family: Optional[str]         # None: not product-eligible
