"""A compiled policy and the questions it answers."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, fields
from types import MappingProxyType
from typing import Any, Iterable, List, Mapping, Optional, Tuple, Union

from . import _audit, _diff, _native
from ._audit import Finding, IntegrationRecord, RecordLike, SimRecord, TokenRecord
from ._authorize import Actor, Authorization, action_of, actor_fields, authorization
from ._device import Device, Model, PlatformRef, check_uint32, model_fields, refuse
from ._errors import PolicyError, raise_for
from ._lifecycle import Transition, next_device, operation_of, transition
from ._results import Decision, Platform, Product, SkuPrefix, Verdict, decision_tables
from ._team import Team
from ._vocabulary import Action, ErrorCode, Operation, Reason, SimState

DeviceLike = Union[Device, Mapping[str, Any]]
ModelLike = Union[Model, PlatformRef]

# What the extension's C code needs from the Python side.
_native.register(device_type=Device, refuse=refuse, **decision_tables())


@dataclass(frozen=True)
class Limits:
    """Limits for untrusted policy text; 0 keeps the library's default
    (16 MiB input, depth 32, 64 aliases, 8,000,000 nodes, 100,000 products,
    1,000,000 members)."""

    max_input_bytes: int = 0
    max_depth: int = 0
    max_aliases: int = 0
    max_nodes: int = 0
    max_products: int = 0
    max_members: int = 0

    def _options(self) -> Tuple[int, ...]:
        """The limits in pp_load_options order, checked to fit."""
        out = []
        for f in fields(self):
            value = getattr(self, f.name)
            limit = 2 * sys.maxsize + 1 if f.name == "max_input_bytes" else 0xFFFFFFFF
            if not isinstance(value, int) or isinstance(value, bool) \
                    or not 0 <= value <= limit:
                raise ValueError(f"Limits.{f.name} must be an int from 0 to {limit}")
            out.append(value)
        return tuple(out)


def _team_handle(team: Optional[Team]) -> Any:
    """The extension's handle of a team set; None is no set (NULL)."""
    if team is None:
        return None
    if not isinstance(team, Team):
        raise TypeError(f"team must be a particlepolicy.Team, not {type(team).__name__}")
    return team._handle


class Policy:
    """A compiled, immutable policy (``Policy.from_yaml``, ``Policy.from_file``).

    Any number of threads may decide with one policy at once.  Free it with
    ``close()`` or a ``with`` block (calls in flight finish with the policy
    they started with); the garbage collector frees it otherwise.
    """

    _handle: Any    # _native.Policy

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise TypeError("create a Policy with Policy.from_yaml() or Policy.from_file()")

    # ---- loading ----

    @classmethod
    def from_yaml(cls, text: Union[str, bytes], *, limits: Optional[Limits] = None,
                  source: Optional[str] = None) -> "Policy":
        """Compile policy text (YAML, schema version 1).

        Raises PolicyError with code, line, column, offset and message when
        the text is not a valid policy; ``source`` names it in the message.
        """
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        loaded = _native.load(data, limits._options() if limits is not None else None)
        if isinstance(loaded, tuple):       # (code, message, line, column, offset)
            code, message, line, column, offset = loaded
            raise PolicyError(ErrorCode(code), message, line, column, offset, source)
        self = object.__new__(cls)
        self._handle = loaded
        return self

    @staticmethod
    def validate(text: Union[str, bytes], *, limits: Optional[Limits] = None,
                 source: Optional[str] = None) -> List[PolicyError]:
        """Check policy text as from_yaml does, but return every error it
        finds in one run (at most 100), in source order, without raising or
        building a policy: an empty list when the text loads."""
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        found = _native.validate(data, limits._options() if limits is not None else None)
        return [PolicyError(ErrorCode(code), message, line, column, offset, source)
                for code, message, line, column, offset in found]

    @classmethod
    def from_file(cls, path: Union[str, "os.PathLike[str]"], *,
                  limits: Optional[Limits] = None) -> "Policy":
        """Read and compile a policy file; errors name the file."""
        with open(path, "rb") as f:
            data = f.read()
        return cls.from_yaml(data, limits=limits, source=os.fspath(path))

    # ---- deciding ----

    def decide(self, device: DeviceLike, *, team: Optional[Team] = None) -> Decision:
        """Decide admission for one device: a Device or a mapping with the
        documented field names.  Invalid input is a ``deny`` decision with an
        ``error`` code, not an exception; values that cannot be expressed at
        all (wrong types, negative IDs, unknown platform names) raise
        TypeError or ValueError."""
        return _decide(self._handle, device, None if team is None else _team_handle(team))

    def decide_many(self, devices: Iterable[DeviceLike], *,
                    team: Optional[Team] = None) -> List[Decision]:
        """Decide many devices in one call into the library, in order (the
        GIL is released while the library decides a large batch)."""
        return _decide_many(self._handle, devices,
                            None if team is None else _team_handle(team))

    def is_legacy(self, device_os: str) -> bool:
        """Whether devices on this Device OS version are legacy (report their
        firmware's product; quarantine and auto-approve apply)."""
        rc = _native.is_legacy(self._handle, device_os.encode("utf-8"))
        if rc < 0:
            raise_for(rc, f"device_os {device_os!r}")
        return rc == 1

    # ---- operator authorization ----

    def authorize(self, actor: Union[Actor, str], action: Union[Action, str],
                  product_id: int, device: Optional[DeviceLike] = None, *,
                  team: Optional[Team] = None) -> Authorization:
        """May ``actor`` (an Actor, or a person's name) perform ``action`` (an
        Action or its name) on product ``product_id`` and, for an action that
        targets a device, on ``device`` as it stands now?

        Like ``decide``, invalid input is an answer, not an exception: an
        invalid actor name or device record is a denial with reason
        ``invalid_input`` and an ``error`` code.  Values that cannot be
        expressed (wrong types, an unknown action name, a product ID outside
        32 bits) raise TypeError or ValueError.
        """
        name, kind = actor_fields(actor)
        what = action_of(action)
        product = check_uint32("product_id", product_id)
        return authorization(_native.authorize(self._handle, _team_handle(team), name, kind,
                                               what.value, product, device))

    # ---- the device lifecycle (docs/lifecycle.md) ----

    def apply_effects(self, device: DeviceLike, decision: Decision) -> Device:
        """The record to store after ``decision``, the decision made for
        ``device``: its effects applied.  A decision made for another record
        (or with unknown effects) raises ParticlePolicyError
        (``invalid_argument``)."""
        if not isinstance(decision, Decision):
            raise TypeError(f"decision must be a Decision, not {type(decision).__name__}")
        rc, fields = _native.apply_effects(self._handle, device, decision.product_id,
                                           decision.effects.value, decision.leaves_denied,
                                           decision.leaves_quarantine)
        if rc < 0:
            raise_for(rc, "the decision does not fit this record")
        return next_device(device, fields)

    def operate(self, actor: Union[Actor, str], operation: Union[Operation, str],
                product_id: int, device: DeviceLike, *,
                team: Optional[Team] = None) -> Transition:
        """Perform ``operation`` (an Operation or its name) by ``actor`` on
        ``device`` in product ``product_id``, as a transition of the record:
        applied only when ``authorize`` allows the operation's action on that
        device.  Like ``authorize``, invalid input is an answer (refusal
        ``invalid_input`` with an ``error`` code), not an exception."""
        name, kind = actor_fields(actor)
        op = operation_of(operation)
        product = check_uint32("product_id", product_id)
        return transition(device, _native.operate(self._handle, _team_handle(team), name, kind,
                                                  op.value, product, device))

    # ---- security checks ----

    def audit(self, *, integrations: Iterable[RecordLike[IntegrationRecord]] = (),
              tokens: Iterable[RecordLike[TokenRecord]] = (),
              sims: Iterable[RecordLike[SimRecord]] = (),
              devices: Iterable[DeviceLike] = ()) -> List[Finding]:
        """Every security check but ``check_token``, in the order of
        docs/security-checks.md: the policy, then the records given (each a
        record dataclass or a mapping with its field names).  A record that
        cannot be checked is an ``invalid_record`` finding."""
        return _audit.findings(_native.audit(
            self._handle, _audit.integration_rows(integrations), _audit.token_rows(tokens),
            _audit.sim_rows(sims), devices), "audit")

    def check_policy(self) -> List[Finding]:
        """two_step_disabled, organization_level_api_user,
        auto_approve_enabled, lts_not_required: the policy alone."""
        return _audit.findings(_native.check_policy(self._handle), "check_policy")

    def check_integrations(self, records: Iterable[RecordLike[IntegrationRecord]]
                           ) -> List[Finding]:
        """insecure_transport, ssl_not_enforced, unaccounted_integration."""
        return _audit.findings(_native.check_integrations(
            self._handle, _audit.integration_rows(records)), "check_integrations")

    def check_tokens(self, records: Iterable[RecordLike[TokenRecord]]) -> List[Finding]:
        """full_control_human_token, owner_account_token."""
        return _audit.findings(_native.check_tokens(self._handle, _audit.token_rows(records)),
                               "check_tokens")

    def check_sims(self, records: Iterable[RecordLike[SimRecord]]) -> List[Finding]:
        """sim_data_notify, sim_data_paused."""
        return _audit.findings(_native.check_sims(self._handle, _audit.sim_rows(records)),
                               "check_sims")

    def check_devices(self, devices: Iterable[DeviceLike]) -> List[Finding]:
        """device_os_below_minimum in the product the admission decision names."""
        return _audit.findings(_native.check_devices(self._handle, devices), "check_devices")

    def check_token(self, token: Union[str, bytes]) -> List[Finding]:
        """canary_token_used when a presented token is one of the policy's
        canaries.  The token is hashed by the library and kept nowhere.  An
        empty token raises ParticlePolicyError (invalid_argument)."""
        return _audit.findings(_native.check_token(self._handle, _audit.token_bytes(token)),
                               "check_token")

    def sim_state(self, usage_bytes: int, limit_bytes: int) -> SimState:
        """A SIM's state for its data use against its limit, under the
        policy's ``settings.sim_notify_percent`` (a limit of 0 is paused)."""
        usage = _audit.check_uint64("usage_bytes", usage_bytes)
        limit = _audit.check_uint64("limit_bytes", limit_bytes)
        rc, state = _native.sim_state(self._handle, usage, limit)
        if rc:
            raise_for(rc, "sim_state")
        return SimState(state)

    # ---- families ----

    def may_join(self, product_id: int, model: ModelLike) -> Verdict:
        """May a device of this model (a Model, a SKU or a platform ID) join
        the product?  The reason says why not."""
        platform, sku = model_fields(model)
        return _verdict(_native.may_join(self._handle, check_uint32("product_id", product_id),
                                         platform, sku), model)

    def may_share(self, a: ModelLike, b: ModelLike) -> Verdict:
        """May devices of models a and b share one product?"""
        return _verdict(_native.may_share(self._handle, *model_fields(a), *model_fields(b)),
                        (a, b))

    # ---- comparing ----

    def diff(self, other: "Policy", *, max_classes: int = 0) -> "_diff.PolicyDiff":
        """What ``other`` (the new policy) changes against this one
        (docs/diff.md): the semantic changes with the findings they bring or
        resolve, every class of device records whose decision changes (over
        every possible record), and every operator answer that changes.
        ``max_classes`` bounds the work (0: the library's default); past it
        ParticlePolicyError with code LIMIT_EXCEEDED.  The GIL is released
        while the library compares."""
        if not isinstance(other, Policy):
            raise TypeError(f"diff() takes a Policy, not {type(other).__name__}")
        if not isinstance(max_classes, int) or isinstance(max_classes, bool) or max_classes < 0:
            raise TypeError("max_classes must be a non-negative int")
        return _diff.diff(self._handle, other._handle, max_classes)

    # ---- reading the compiled policy ----

    @property
    def fingerprint(self) -> int:
        """64-bit hash of the policy's canonical form, for audit logs: equal
        for texts that differ only in order, comments or layout."""
        return _native.fingerprint(self._handle)

    @property
    def legacy_below(self) -> str:
        """The Device OS version below which devices are legacy."""
        return _native.legacy_below(self._handle) or ""

    @property
    def families(self) -> Tuple[str, ...]:
        """The family names: built-in plus the policy's own."""
        return _native.families(self._handle)

    @property
    def products(self) -> Mapping[int, Product]:
        """The products by ID (a read-only mapping)."""
        out = {}
        for (pid, name, organization, family, auto_approve, removed_quarantine,
             released_firmware, min_device_os) in _native.products(self._handle):
            out[pid] = Product(pid, name or "", organization, family or "",
                               "auto_approve" if auto_approve else "quarantine",
                               "quarantine" if removed_quarantine else "deny",
                               released_firmware or None, min_device_os)
        return MappingProxyType(dict(sorted(out.items())))

    @property
    def platforms(self) -> Tuple[Platform, ...]:
        """The platform table: built-in plus the policy's own."""
        return tuple(Platform(pid, name or "", bool(eligible), family)
                     for pid, name, eligible, family in _native.platforms(self._handle))

    @property
    def skus(self) -> Tuple[SkuPrefix, ...]:
        """The SKU prefix table: built-in plus the policy's own."""
        return tuple(SkuPrefix(prefix or "", platform_id, family)
                     for prefix, platform_id, family in _native.skus(self._handle))

    # ---- lifetime ----

    def close(self) -> None:
        """Free the policy now (calls in flight finish first); idempotent."""
        self._handle.close()

    @property
    def closed(self) -> bool:
        return self._handle.closed

    def __enter__(self) -> "Policy":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        try:
            return (f"<Policy {len(self.products)} products "
                    f"fingerprint={self.fingerprint:016x} "
                    f"legacy_below={self.legacy_below}>")
        except ValueError:
            return "<Policy closed>"


# The hot paths call the extension without an attribute lookup.
_decide = _native.decide
_decide_many = _native.decide_many


def _verdict(answer: Tuple[Any, ...], what: object) -> Verdict:
    rc, allowed, reason, family_a, family_b = answer
    if rc:
        raise_for(rc, f"model {what!r}")
    return Verdict(bool(allowed), Reason(reason), family_a, family_b)


def compare_versions(a: str, b: str) -> int:
    """Compare two Device OS versions by semver 2.0 precedence (build
    metadata ignored, optional leading 'v'): -1, 0 or 1.  Raises
    ParticlePolicyError (a ValueError) for an invalid version."""
    rc, cmp = _native.version_compare(a.encode("utf-8"), b.encode("utf-8"))
    if rc:
        raise_for(rc, f"versions {a!r}, {b!r}")
    return cmp
