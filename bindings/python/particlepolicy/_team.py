"""Team sets built at run time from the caller's own database."""
from __future__ import annotations

from typing import Iterable, Tuple, Union

from . import _native
from ._errors import raise_for
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
        handle = _native.team_new()
        if isinstance(handle, int):
            raise_for(handle, "team set")
        self._handle = handle
        for organization, user, role in members:
            self.add(organization, user, role)

    def add(self, organization: str, user: str, role: Union[Role, str]) -> None:
        """Record that ``user`` belongs to ``organization`` with ``role``
        (a Role or its name); adding the same pair again changes the role."""
        if not isinstance(organization, str) or not isinstance(user, str):
            raise TypeError("organization and user must be str")
        rc = _native.team_add(self._handle, organization.encode("utf-8"),
                              user.encode("utf-8"), role_of(role).value)
        if rc:
            raise_for(rc, f"team member {organization!r}/{user!r}")

    def __len__(self) -> int:
        return _native.team_size(self._handle)

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
