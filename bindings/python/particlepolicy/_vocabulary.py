"""The public vocabulary as enums, built from the library's own name functions.

Members are named by the library's spelling in upper case (``Outcome.AUTO_APPROVE``
for ``auto_approve``) and carry the library's numbers, which this module never
writes down: ``_native.names`` counts up (or down, for error codes) until the
library answers NULL, so a value appended to the library appears here without
an edit.
``_vocabulary.pyi`` lists the members for type checkers; a test keeps the two
in step.
"""
from __future__ import annotations

import enum
from typing import Iterable

from . import _native


class Vocabulary(enum.Enum):
    """A named value of the library; ``str()`` gives the library's spelling."""

    def __str__(self) -> str:
        return self.name.lower()

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"

    @classmethod
    def from_name(cls, name: str):
        """The member spelt ``name`` as the library spells it (``"auto_approve"``)."""
        member = cls.__members__.get(name.upper()) if name == name.lower() else None
        if member is None:
            raise ValueError(f"unknown {cls.__name__.lower()} {name!r}; one of: "
                             + ", ".join(str(m) for m in cls))
        return member


class Bits(enum.Flag):
    """A set of named bits; ``str()`` joins the library's names with commas."""

    @property
    def names(self) -> tuple[str, ...]:
        """The library's names of the bits set, in bit order."""
        return tuple(m.name.lower() for m in type(self) if m in self)

    def __str__(self) -> str:
        return ",".join(self.names)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        cls = type(self).__name__
        members = [f"{cls}.{m.name}" for m in type(self) if m in self]
        return "|".join(members) if members else f"{cls}(0)"

    @classmethod
    def from_names(cls, names: Iterable[str]):
        """The set of the bits named (the library's spelling)."""
        value = cls(0)
        for name in names:
            member = cls.__members__.get(name.upper()) if name == name.lower() else None
            if member is None:
                raise ValueError(f"unknown {cls.__name__.lower()} {name!r}")
            value |= member
        return value


class Code(Vocabulary):
    """An error code of the library."""

    @property
    def text(self) -> str:
        """One-sentence English description of the code."""
        return _native.error_text(self.value) or ""


class ActionBase(Vocabulary):
    """An operator action, with the role and API scopes that grant it."""

    @property
    def min_role(self) -> "Role":
        """The least role that may perform the action."""
        return Role(_native.action_min_role(self.value))

    @property
    def scopes(self) -> tuple[str, ...]:
        """The API scopes that grant the action, any one of them (none for
        billing: API users never may)."""
        return _native.action_scopes(self.value)


class OperationBase(Vocabulary):
    """An operator action that changes a device record, with the action it
    is authorized as."""

    @property
    def action(self) -> "Action":
        return Action(_native.operation_action(self.value))


class FindingBase(Vocabulary):
    """A security finding's code, with its fixed severity."""

    @property
    def severity(self) -> "Severity":
        return Severity(_native.finding_severity(self.value))


def _members(kind: str) -> list[tuple[str, int]]:
    members = []
    for name, value in _native.names(kind):
        if not name.isidentifier() or name != name.lower():
            raise ImportError(f"particlepolicy: unexpected name {name!r} in the library")
        members.append((name.upper(), value))
    return members


def _enum(cls_name: str, kind: str, base=Vocabulary):
    return base(cls_name, _members(kind), module=__name__, qualname=cls_name)


def _bits(cls_name: str, kind: str):
    members = [(name, 1 << index) for name, index in _members(kind)]
    return Bits(cls_name, members, module=__name__, qualname=cls_name)


Outcome = _enum("Outcome", "outcome")
Outcome.__doc__ = "How a device is admitted (docs/spec.md §3): ok, limited, quarantine, ..."

Reason = _enum("Reason", "reason")
Reason.__doc__ = "Why: one per decision-table rule, plus the family answers."

Role = _enum("Role", "role")
Role.__doc__ = "A team member's role, least to most: view_only ... owner."

ErrorCode = _enum("ErrorCode", "error", Code)
ErrorCode.__doc__ = "The library's stable error codes (0 is ok, errors are negative)."

Privilege = _bits("Privilege", "privilege")
Privilege.__doc__ = "What an admitted device may do: a set of bits."

Advisory = _bits("Advisory", "advisory")
Advisory.__doc__ = "Flags beside the outcome that never change it."

Action = _enum("Action", "action", ActionBase)
Action.__doc__ = "What an operator wants to do (docs/spec.md §4): view_devices ... billing."

AuthzReason = _enum("AuthzReason", "authz_reason")
AuthzReason.__doc__ = "Why an action was allowed or denied (docs/authorization.md)."

ActorKind = _enum("ActorKind", "actor_kind")
ActorKind.__doc__ = "Who acts: a human with a role, or an API user with scopes."

DeviceState = _enum("DeviceState", "device_state")
DeviceState.__doc__ = "Where a device stands in the product acted on."

Severity = _enum("Severity", "severity")
Severity.__doc__ = "A finding's severity, least to most: info, warning, critical."

FindingCode = _enum("FindingCode", "finding", FindingBase)
FindingCode.__doc__ = "What a security check found (docs/security-checks.md)."

SimState = _enum("SimState", "sim_state")
SimState.__doc__ = "SIM data use against its limit: active, notify, paused."

Effect = _bits("Effect", "effect")
Effect.__doc__ = "What a decision tells the cloud to write (docs/lifecycle.md): a set of bits."

Operation = _enum("Operation", "operation", OperationBase)
Operation.__doc__ = "An operator action as a transition of a device record: add_device ..."

Refusal = _enum("Refusal", "refusal")
Refusal.__doc__ = "Why an operation was not applied: none (applied), invalid_input, ..."

ChangeKind = _enum("ChangeKind", "change_kind")
ChangeKind.__doc__ = "What a change of a policy diff is about (docs/diff.md)."

Direction = _enum("Direction", "direction")
Direction.__doc__ = "Which way a change moves: neutral, tightening, loosening."
