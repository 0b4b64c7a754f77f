"""A compiled policy and the questions it answers."""
from __future__ import annotations

import contextlib
import ctypes
import functools
import os
from ctypes import byref
from dataclasses import dataclass, fields
from types import MappingProxyType
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

from . import _audit, _native
from ._audit import Finding, IntegrationRecord, RecordLike, SimRecord, TokenRecord
from ._authorize import Actor, Authorization, action_of, actor_struct
from ._authorize import authorize as _authorize
from ._device import (Device, Model, PlatformRef, check_uint32, device_values,
                      devices_array, fill_model)
from ._errors import PolicyError, raise_for
from ._handle import Handle
from ._native import PolicyPtr, lib
from ._results import (Decision, Platform, Product, SkuPrefix, Verdict,
                       decision_from, decisions_from)
from ._team import Team
from ._vocabulary import Action, ErrorCode, Reason, SimState

DeviceLike = Union[Device, Mapping[str, Any]]
ModelLike = Union[Model, PlatformRef]


@dataclass(frozen=True)
class Limits:
    """Limits for untrusted policy text; 0 keeps the library's default
    (16 MiB input, depth 32, 64 aliases, 2,000,000 nodes, 100,000 products,
    1,000,000 members)."""

    max_input_bytes: int = 0
    max_depth: int = 0
    max_aliases: int = 0
    max_nodes: int = 0
    max_products: int = 0
    max_members: int = 0

    def _options(self) -> _native.LoadOptions:
        options = _native.LoadOptions()
        options.version = _native.LOAD_OPTIONS_VERSION
        for f in fields(self):
            value = getattr(self, f.name)
            limit = 2 ** (8 * ctypes.sizeof(ctypes.c_size_t)) - 1 \
                if f.name == "max_input_bytes" else 0xFFFFFFFF
            if not isinstance(value, int) or isinstance(value, bool) \
                    or not 0 <= value <= limit:
                raise ValueError(f"Limits.{f.name} must be an int from 0 to {limit}")
            setattr(options, f.name, value)
        return options


def _team_handle(team: Team) -> Handle:
    if not isinstance(team, Team):
        raise TypeError(f"team must be a particlepolicy.Team, not {type(team).__name__}")
    return team._handle


def _team_use(team: Optional[Team]) -> Any:
    """Shared use of a team set for one call; None is no set (NULL)."""
    return contextlib.nullcontext() if team is None else _team_handle(team)


class Policy:
    """A compiled, immutable policy (``Policy.from_yaml``, ``Policy.from_file``).

    Any number of threads may decide with one policy at once.  Free it with
    ``close()`` or a ``with`` block (``close`` waits for decisions in flight);
    the garbage collector frees it otherwise.
    """

    _handle: Handle
    _platform_ids: Mapping[str, int]

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
        options = limits._options() if limits is not None else None
        ptr = PolicyPtr()
        err = _native.Error()
        rc = lib.pp_policy_load(byref(ptr), data, len(data),
                                byref(options) if options is not None else None,
                                byref(err))
        if rc:
            if rc == ErrorCode.OUT_OF_MEMORY.value:
                raise MemoryError("particlepolicy: out of memory loading the policy")
            raise PolicyError(ErrorCode(err.code), err.message.decode("utf-8", "replace"),
                              err.line, err.column, err.offset, source)
        self = object.__new__(cls)
        self._handle = Handle(self, ptr, lib.pp_policy_free, "policy")
        self._platform_ids = MappingProxyType(
            {p.name.lower(): p.id for p in self.platforms})
        return self

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
        field names of docs/spec.md §2.  Invalid input is a ``deny`` decision
        with an ``error`` code, not an exception; values that cannot be
        expressed at all (wrong types, negative IDs, unknown platform names)
        raise TypeError or ValueError."""
        dev = _native.Device(*device_values(device, self._platform_ids))
        out = _native.Decision()
        # ctypes passes a structure by reference where a pointer is declared.
        with self._handle as policy:
            if team is None:
                lib.pp_decide(out, policy, None, dev)
            else:
                with _team_handle(team) as t:
                    lib.pp_decide(out, policy, t, dev)
        return decision_from(out)

    def decide_many(self, devices: Iterable[DeviceLike], *,
                    team: Optional[Team] = None) -> List[Decision]:
        """Decide many devices in one call to the library, in order."""
        devs = self._devices_array(devices)
        n = len(devs)
        if n == 0:
            return []
        out = (_native.Decision * n)()
        with self._handle as policy:
            if team is None:
                lib.pp_decide_many(out, policy, None, devs, n)
            else:
                with _team_handle(team) as t:
                    lib.pp_decide_many(out, policy, t, devs, n)
        return decisions_from(out)

    def is_legacy(self, device_os: str) -> bool:
        """Whether devices on this Device OS version are legacy (report their
        firmware's product; quarantine and auto-approve apply)."""
        data = device_os.encode("utf-8")
        with self._handle as policy:
            rc = lib.pp_is_legacy(policy, data, len(data))
        if rc < 0:
            raise_for(rc, f"device_os {device_os!r}")
        return bool(rc == 1)

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
        who = actor_struct(actor)
        what = action_of(action)
        product = check_uint32("product_id", product_id)
        dev = None if device is None \
            else _native.Device(*device_values(device, self._platform_ids))
        with self._handle as policy, _team_use(team) as t:
            return _authorize(policy, t, who, what, product, dev)

    # ---- security checks ----

    def audit(self, *, integrations: Iterable[RecordLike[IntegrationRecord]] = (),
              tokens: Iterable[RecordLike[TokenRecord]] = (),
              sims: Iterable[RecordLike[SimRecord]] = (),
              devices: Iterable[DeviceLike] = ()) -> List[Finding]:
        """Every security check but ``check_token``, in the order of
        docs/security-checks.md: the policy, then the records given (each a
        record dataclass or a mapping with its field names).  A record that
        cannot be checked is an ``invalid_record`` finding."""
        ia = _audit.integrations_array(integrations)
        ta = _audit.tokens_array(tokens)
        sa = _audit.sims_array(sims)
        da = self._devices_array(devices)
        records = _audit.audit_input(ia, ta, sa, da)
        with self._handle as policy:
            return _audit.findings(
                lambda total, out, cap: lib.pp_audit(total, out, cap, policy, byref(records)),
                "audit")

    def check_policy(self) -> List[Finding]:
        """two_step_disabled, organization_level_api_user,
        auto_approve_enabled, lts_not_required: the policy alone."""
        with self._handle as policy:
            return _audit.findings(
                lambda total, out, cap: lib.pp_check_policy(total, out, cap, policy),
                "check_policy")

    def check_integrations(self, records: Iterable[RecordLike[IntegrationRecord]]
                           ) -> List[Finding]:
        """insecure_transport, ssl_not_enforced, unaccounted_integration."""
        arr = _audit.integrations_array(records)
        with self._handle as policy:
            return _audit.findings(
                lambda total, out, cap: lib.pp_check_integrations(total, out, cap, policy,
                                                                  arr, len(arr)),
                "check_integrations")

    def check_tokens(self, records: Iterable[RecordLike[TokenRecord]]) -> List[Finding]:
        """full_control_human_token, owner_account_token."""
        arr = _audit.tokens_array(records)
        with self._handle as policy:
            return _audit.findings(
                lambda total, out, cap: lib.pp_check_tokens(total, out, cap, policy,
                                                            arr, len(arr)),
                "check_tokens")

    def check_sims(self, records: Iterable[RecordLike[SimRecord]]) -> List[Finding]:
        """sim_data_notify, sim_data_paused."""
        arr = _audit.sims_array(records)
        with self._handle as policy:
            return _audit.findings(
                lambda total, out, cap: lib.pp_check_sims(total, out, cap, policy,
                                                          arr, len(arr)),
                "check_sims")

    def check_devices(self, devices: Iterable[DeviceLike]) -> List[Finding]:
        """device_os_below_minimum in the product the admission decision names."""
        arr = self._devices_array(devices)
        with self._handle as policy:
            return _audit.findings(
                lambda total, out, cap: lib.pp_check_devices(total, out, cap, policy,
                                                             arr, len(arr)),
                "check_devices")

    def check_token(self, token: Union[str, bytes]) -> List[Finding]:
        """canary_token_used when a presented token is one of the policy's
        canaries.  The token is hashed by the library and kept nowhere.  An
        empty token raises ParticlePolicyError (invalid_argument)."""
        data = _audit.token_bytes(token)
        with self._handle as policy:
            return _audit.findings(
                lambda total, out, cap: lib.pp_check_token(total, out, cap, policy,
                                                           data, len(data)),
                "check_token")

    def sim_state(self, usage_bytes: int, limit_bytes: int) -> SimState:
        """A SIM's state for its data use against its limit, under the
        policy's ``settings.sim_notify_percent`` (a limit of 0 is paused)."""
        usage = _audit.check_uint64("usage_bytes", usage_bytes)
        limit = _audit.check_uint64("limit_bytes", limit_bytes)
        state = ctypes.c_int32()
        with self._handle as policy:
            rc = lib.pp_sim_state_of(byref(state), policy, usage, limit)
        if rc:
            raise_for(rc, "sim_state")
        return SimState(state.value)

    def _devices_array(self, devices: Iterable[DeviceLike]) -> Any:
        return devices_array(devices, self._platform_ids)

    # ---- families ----

    def may_join(self, product_id: int, model: ModelLike) -> Verdict:
        """May a device of this model (a Model, a SKU or a platform ID) join
        the product?  The reason says why not."""
        m = _native.Model()
        fill_model(m, model, self._platform_ids)
        out = _native.Verdict()
        with self._handle as policy:
            rc = lib.pp_may_join(byref(out), policy,
                                 check_uint32("product_id", product_id), byref(m))
            verdict = self._verdict(policy, rc, out, model)
        return verdict

    def may_share(self, a: ModelLike, b: ModelLike) -> Verdict:
        """May devices of models a and b share one product?"""
        ma, mb = _native.Model(), _native.Model()
        fill_model(ma, a, self._platform_ids)
        fill_model(mb, b, self._platform_ids)
        out = _native.Verdict()
        with self._handle as policy:
            rc = lib.pp_may_share(byref(out), policy, byref(ma), byref(mb))
            verdict = self._verdict(policy, rc, out, (a, b))
        return verdict

    @staticmethod
    def _verdict(policy: Any, rc: int, out: _native.Verdict, what: object) -> Verdict:
        if rc:
            raise_for(rc, f"model {what!r}")
        return Verdict(bool(out.allowed), Reason(out.reason),
                       _native.text(lib.pp_family_name(policy, out.family_a)),
                       _native.text(lib.pp_family_name(policy, out.family_b)))

    # ---- reading the compiled policy ----

    @property
    def fingerprint(self) -> int:
        """64-bit hash of the policy's canonical form, for audit logs: equal
        for texts that differ only in order, comments or layout."""
        with self._handle as policy:
            return int(lib.pp_policy_fingerprint(policy))

    @property
    def legacy_below(self) -> str:
        """The Device OS version below which devices are legacy."""
        with self._handle as policy:
            return _native.text(lib.pp_policy_legacy_below(policy)) or ""

    @property
    def families(self) -> Tuple[str, ...]:
        """The family names: built-in plus the policy's own."""
        with self._handle as policy:
            names = _native.enumerate_names(functools.partial(lib.pp_family_name, policy))
        return tuple(name for name, _ in names)

    @property
    def products(self) -> Mapping[int, Product]:
        """The products by ID (a read-only mapping)."""
        with self._handle as policy:
            out: Dict[int, Product] = {}
            info = _native.ProductInfo()
            for i in range(lib.pp_policy_product_count(policy)):
                if lib.pp_policy_product_at(byref(info), policy, i) == 0:
                    out[info.id] = Product(
                        info.id, _native.text(info.name) or "",
                        _native.text(info.organization),
                        _native.text(lib.pp_family_name(policy, info.family)) or "",
                        "auto_approve" if info.auto_approve else "quarantine",
                        "quarantine" if info.removed_quarantine else "deny",
                        info.released_firmware or None,
                        _native.text(info.min_device_os))
        return MappingProxyType(dict(sorted(out.items())))

    @property
    def platforms(self) -> Tuple[Platform, ...]:
        """The platform table: built-in plus the policy's own."""
        with self._handle as policy:
            out: List[Platform] = []
            info = _native.PlatformInfo()
            while lib.pp_policy_platform_at(byref(info), policy, len(out)) == 0:
                out.append(Platform(info.id, _native.text(info.name) or "",
                                    bool(info.product_eligible),
                                    _native.text(lib.pp_family_name(policy, info.family))))
        return tuple(out)

    @property
    def skus(self) -> Tuple[SkuPrefix, ...]:
        """The SKU prefix table: built-in plus the policy's own."""
        with self._handle as policy:
            out: List[SkuPrefix] = []
            info = _native.SkuInfo()
            while lib.pp_policy_sku_at(byref(info), policy, len(out)) == 0:
                out.append(SkuPrefix(_native.text(info.prefix) or "", info.platform_id,
                                     _native.text(lib.pp_family_name(policy, info.family))))
        return tuple(out)

    # ---- lifetime ----

    def close(self) -> None:
        """Free the policy now (after decisions in flight); idempotent."""
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


def compare_versions(a: str, b: str) -> int:
    """Compare two Device OS versions by semver 2.0 precedence (build
    metadata ignored, optional leading 'v'): -1, 0 or 1.  Raises
    ParticlePolicyError (a ValueError) for an invalid version."""
    da, db = a.encode("utf-8"), b.encode("utf-8")
    cmp = ctypes.c_int()
    rc = lib.pp_version_compare(byref(cmp), da, len(da), db, len(db))
    if rc:
        raise_for(rc, f"versions {a!r}, {b!r}")
    return cmp.value
