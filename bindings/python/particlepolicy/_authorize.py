"""Operator authorization (docs/spec.md §4, docs/authorization.md): actors, the
answer, and the conversions to and from the C structures."""
from __future__ import annotations

from ctypes import byref
from dataclasses import dataclass
from typing import Any, Optional, Union

from . import _native
from ._native import lib
from ._vocabulary import Action, ActorKind, AuthzReason, DeviceState, ErrorCode, Role


@dataclass(frozen=True)
class Actor:
    """Who acts: a person (``ActorKind.HUMAN``, looked up on the product's
    team with a role) or an API user (``ActorKind.API_USER``, holding exactly
    its scopes).  Names are exact: case matters."""

    name: Union[str, bytes]
    kind: ActorKind = ActorKind.HUMAN

    @classmethod
    def api_user(cls, name: Union[str, bytes]) -> "Actor":
        return cls(name, ActorKind.API_USER)


@dataclass(frozen=True)
class Authorization:
    """May the actor do that?  True in a boolean context when allowed.

    ``role`` is the actor's effective role on the product (None for an API
    user or a non-member), ``required_role`` and ``required_scope`` what the
    action needs (``required_scope`` None for billing), ``device_state`` the
    device's standing read from the record (None when no device played a
    part), ``ota_update_pending`` whether an allowed add/approve/re-approve
    puts the device on the product's released firmware at once.  ``error`` is
    None, or the code of invalid input (then the answer is a denial with
    reason ``invalid_input``).
    """

    allowed: bool
    reason: AuthzReason
    role: Optional[Role]
    required_role: Optional[Role]
    required_scope: Optional[str]
    device_state: Optional[DeviceState]
    ota_update_pending: bool = False
    error: Optional[ErrorCode] = None

    def __bool__(self) -> bool:
        return self.allowed


def action_of(action: Union[Action, str]) -> Action:
    if isinstance(action, Action):
        return action
    if isinstance(action, str):
        return Action.from_name(action)
    raise TypeError(f"action must be an Action or its name, not {type(action).__name__}")


def actor_struct(actor: Union[Actor, str]) -> _native.Actor:
    """The pp_actor for an Actor, or a plain name (a person)."""
    if isinstance(actor, (str, bytes)):
        actor = Actor(actor)
    elif not isinstance(actor, Actor):
        raise TypeError(f"actor must be an Actor or a name, not {type(actor).__name__}")
    if not isinstance(actor.kind, ActorKind):
        raise TypeError(f"Actor.kind must be an ActorKind, not {type(actor.kind).__name__}")
    name = actor.name
    if isinstance(name, str):
        name = name.encode("utf-8")
    elif not isinstance(name, bytes):
        raise TypeError(f"Actor.name must be str or bytes, not {type(name).__name__}")
    # (pointer, length): an embedded NUL reaches the library, which refuses it.
    return _native.Actor(name, len(name), actor.kind.value)


def _optional(enum: Any, value: int) -> Any:
    return None if value < 0 else enum(value)


def authorize(policy: Any, team: Any, actor: _native.Actor, action: Action,
              product_id: int, device: Optional[_native.Device]) -> Authorization:
    """Call pp_authorize with C pointers the caller holds for the call."""
    out = _native.Authorization()
    lib.pp_authorize(byref(out), policy, team, byref(actor), action.value, product_id,
                     byref(device) if device is not None else None)
    return Authorization(bool(out.allowed), AuthzReason(out.reason),
                         _optional(Role, out.role), _optional(Role, out.required_role),
                         _native.text(out.required_scope),
                         _optional(DeviceState, out.device_state),
                         bool(out.ota_update_pending),
                         ErrorCode(out.error) if out.error else None)


def scope_grants(granted: str, required: str) -> bool:
    """Whether an API user's granted scope grants a required one: equal, or
    ``resource:*`` for a required scope on exactly that resource."""
    if not isinstance(granted, str) or not isinstance(required, str):
        raise TypeError("scopes must be str")
    g, r = granted.encode("utf-8"), required.encode("utf-8")
    return lib.pp_scope_grants(g, len(g), r, len(r)) == 1
