"""What the library answers: decisions, verdicts and views of a policy."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from ._vocabulary import Advisory, Effect, ErrorCode, Outcome, Privilege, Reason


@dataclass(frozen=True)
class CloudProductStatus:
    """The device's standing in its cloud product when the firmware claims
    another one (docs/spec.md §3): today always ``limited`` privileges there."""

    product_id: int
    status: Outcome


@dataclass(frozen=True, repr=False)
class Decision:
    """The admission decision for one device (docs/spec.md §3).

    ``rule`` is the decision-table row that decided (docs/decisions.md);
    ``product_id`` the product in question (0 = none).  ``error`` is None for
    a valid record, else the code of the invalid input (the decision is then
    ``deny`` / ``invalid_input`` / rule 0 with no privileges).  ``effects``
    are the record changes the cloud must make (docs/lifecycle.md; empty is
    none): ``JOIN``, ``ENTER_QUARANTINE`` and ``ENTER_DENIED_LIST`` concern
    ``product_id``, the products left are ``leaves_denied`` and
    ``leaves_quarantine`` (0 = none); ``Policy.apply_effects`` makes the
    record to store.
    """

    outcome: Outcome
    reason: Reason
    rule: int
    product_id: int
    privileges: Privilege
    advisories: Advisory
    cloud_product_status: Optional[CloudProductStatus] = None
    error: Optional[ErrorCode] = None
    effects: Effect = Effect(0)
    leaves_denied: int = 0
    leaves_quarantine: int = 0

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
        if self.effects:
            parts.append(f"effects={self.effects}")
        if self.leaves_denied:
            parts.append(f"leaves_denied={self.leaves_denied}")
        if self.leaves_quarantine:
            parts.append(f"leaves_quarantine={self.leaves_quarantine}")
        if self.cloud_product_status is not None:
            parts.append(f"limited_in={self.cloud_product_status.product_id}")
        if self.error is not None:
            parts.append(f"error={self.error}")
        return f"<Decision {' '.join(parts)}>"


def build_decision(raw: Tuple[int, ...]) -> Decision:
    """The Decision for a pp_decision's eleven fields, in structure order.

    The extension builds Decisions itself from decision_tables() and calls
    this for values those lack (it raises ValueError for a value unknown
    here); tests check the two agree."""
    (outcome, reason, rule, error, product_id, limited_in, privileges, advisories,
     effects, leaves_denied, leaves_quarantine) = raw
    for cls, bits in ((Privilege, privileges), (Advisory, advisories), (Effect, effects)):
        if bits >> len(cls):    # some Pythons' Flag keeps unknown bits
            raise ValueError(f"{bits} is not a valid {cls.__name__}")
    return Decision(Outcome(outcome), Reason(reason), rule, product_id,
                    Privilege(privileges), Advisory(advisories),
                    CloudProductStatus(limited_in, Outcome.LIMITED) if limited_in else None,
                    ErrorCode(error) if error else None, Effect(effects), leaves_denied,
                    leaves_quarantine)


def decision_tables() -> Dict[str, Any]:
    """What the extension needs to build a Decision itself: the classes, and
    the members by value (error codes by -code, flag sets by bit pattern)."""
    def by_value(cls: Any, count: int, value: Any = int) -> Tuple[Any, ...]:
        return tuple(cls(value(i)) for i in range(count))
    return {
        "decision": build_decision, "decision_type": Decision,
        "status_type": CloudProductStatus, "limited": Outcome.LIMITED,
        "outcomes": by_value(Outcome, len(Outcome)),
        "reasons": by_value(Reason, len(Reason)),
        "errors": (None,) + by_value(ErrorCode, len(ErrorCode), lambda i: -i)[1:],
        "privileges": by_value(Privilege, 1 << len(Privilege)),
        "advisories": by_value(Advisory, 1 << len(Advisory)),
        "effects": by_value(Effect, 1 << len(Effect)),
    }


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
