"""Team sets built at run time from the caller's own database."""
from __future__ import annotations

import ctypes
from typing import Iterable, Tuple, Union

from ._errors import raise_for
from ._handle import Handle
from ._native import TeamPtr, lib
from ._vocabulary import Role

Member = Tuple[str, str, Union[Role, str]]   # (organization, user, role)


def role_of(role: Union[Role, str]) -> Role:
    return role if isinstance(role, Role) else Role.from_name(role)


class Team:
    """Memberships (organization, user, role) that count for rule 14 in
    addition to the policy's own teams: pass it to ``Policy.decide(...,
    team=...)``.

    Adding while other threads decide with the set is safe: ``add`` waits for
    the decisions in flight.  Free it with ``close()`` or a ``with`` block;
    the garbage collector frees it otherwise.
    """

    def __init__(self, members: Iterable[Member] = ()) -> None:
        ptr = TeamPtr()
        rc = lib.pp_team_new(ctypes.byref(ptr), None)
        if rc:
            raise_for(rc, "team set")
        self._handle = Handle(self, ptr, lib.pp_team_free, "team set")
        for organization, user, role in members:
            self.add(organization, user, role)

    def add(self, organization: str, user: str, role: Union[Role, str]) -> None:
        """Record that ``user`` belongs to ``organization`` with ``role``
        (a Role or its name); adding the same pair again changes the role."""
        if not isinstance(organization, str) or not isinstance(user, str):
            raise TypeError("organization and user must be str")
        org = organization.encode("utf-8")
        name = user.encode("utf-8")
        value = role_of(role).value
        rc = self._handle.exclusive(
            lambda ptr: lib.pp_team_add(ptr, org, len(org), name, len(name), value))
        if rc:
            raise_for(rc, f"team member {organization!r}/{user!r}")

    def __len__(self) -> int:
        with self._handle as ptr:
            return int(lib.pp_team_size(ptr))

    def close(self) -> None:
        """Free the set now (after decisions in flight); idempotent."""
        self._handle.close()

    @property
    def closed(self) -> bool:
        return self._handle.closed

    def __enter__(self) -> "Team":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        try:
            return f"<Team {len(self)} members>"
        except ValueError:
            return "<Team closed>"
