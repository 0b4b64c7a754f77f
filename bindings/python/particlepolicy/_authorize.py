"""Operator authorization (docs/spec.md §4, docs/authorization.md): actors,
the answer, and what the extension module takes and gives back."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple, Union

from . import _native
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


# Action by its name, the library's spelling: what Action.from_name finds,
# without its per-call lookups (from_name still gives the error).
_ACTIONS = {name.lower(): member for name, member in Action.__members__.items()}
_HUMAN = ActorKind.HUMAN.value


def action_of(action: Union[Action, str]) -> Action:
    if isinstance(action, Action):
        return action
    if isinstance(action, str):
        member = _ACTIONS.get(action)
        return member if member is not None else Action.from_name(action)
    raise TypeError(f"action must be an Action or its name, not {type(action).__name__}")


def actor_fields(actor: Union[Actor, str]) -> Tuple[bytes, int]:
    """(name, kind) of an Actor, or of a plain name (a person)."""
    if type(actor) is str:      # the common case: what Actor(actor) gives
        return actor.encode("utf-8"), _HUMAN
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
    return name, actor.kind.value


def _optional(enum: Any, value: int) -> Any:
    return None if value < 0 else enum(value)


def _build(answer: Tuple[Any, ...]) -> Authorization:
    allowed, reason, error, role, required_role, device_state, scope, ota = answer
    return Authorization(bool(allowed), AuthzReason(reason), _optional(Role, role),
                         _optional(Role, required_role), scope,
                         _optional(DeviceState, device_state), bool(ota),
                         ErrorCode(error) if error else None)


# Answers repeat and are immutable, so equal answers share one object, as
# decisions do: built once per distinct answer tuple.  The answers are few
# (reasons, roles and states, the library's own scope strings); the limit
# only keeps a surprise bounded.
_CACHE_LIMIT = 4096
_answers: Dict[Tuple[Any, ...], Authorization] = {}


def authorization(answer: Tuple[Any, ...]) -> Authorization:
    """The Authorization for the extension's answer tuple (pp_authorization)."""
    found = _answers.get(answer)
    if found is None:
        found = _build(answer)      # raises for a value the enums lack
        if len(_answers) >= _CACHE_LIMIT:
            _answers.clear()
        _answers[answer] = found
    return found


def scope_grants(granted: str, required: str) -> bool:
    """Whether an API user's granted scope grants a required one: equal, or
    ``resource:*`` for a required scope on exactly that resource."""
    if not isinstance(granted, str) or not isinstance(required, str):
        raise TypeError("scopes must be str")
    return _native.scope_grants(granted.encode("utf-8"), required.encode("utf-8"))
