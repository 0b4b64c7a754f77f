"""What the library answers: decisions, verdicts and views of a policy."""
from __future__ import annotations

import ctypes
import functools
import struct
from dataclasses import dataclass
from typing import Any, List, Optional

from . import _native
from ._vocabulary import Advisory, ErrorCode, Outcome, Privilege, Reason


@dataclass(frozen=True)
class CloudProductStatus:
    """The device's standing in its cloud product when the firmware claims
    another one (SPEC §3): today always ``limited`` privileges there."""

    product_id: int
    status: Outcome


@dataclass(frozen=True, repr=False)
class Decision:
    """The admission decision for one device (SPEC §3).

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


_OUTCOMES = {m.value: m for m in Outcome}
_REASONS = {m.value: m for m in Reason}
# pp_decision is eight 32-bit fields: read a whole array in one pass.
_DECISION = struct.Struct("=4i4I")
assert _DECISION.size == ctypes.sizeof(_native.Decision)


@functools.lru_cache(maxsize=4096)
def _decision(outcome: int, reason: int, rule: int, error: int, product_id: int,
              limited_in: int, privileges: int, advisories: int) -> Decision:
    # Decisions repeat (a fleet has few distinct ones) and are immutable, so
    # equal answers share one object; the cache is bounded.
    status = CloudProductStatus(limited_in, Outcome.LIMITED) if limited_in else None
    return Decision(_OUTCOMES[outcome], _REASONS[reason], rule, product_id,
                    Privilege(privileges), Advisory(advisories), status,
                    ErrorCode(error) if error else None)


def decisions_from(out: Any) -> List[Decision]:
    """Decisions for an array of pp_decision (or a single one)."""
    return [_decision(*raw) for raw in _DECISION.iter_unpack(memoryview(out).cast("B"))]


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
