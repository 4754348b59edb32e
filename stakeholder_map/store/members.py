"""Members of the team and their roles, per map or for every map (``"*"``), in the store.

Addresses are kept lower-cased without surrounding spaces, one row per
address and map. A map's own row wins over the ``"*"`` row
(:meth:`MemberRecords.role_of`). What each role may do is
:mod:`stakeholder_map.access`'s business; the store only keeps the rows, and
refuses removing (or demoting) the last admin, which would lock everyone out
of managing the team. Every change is one audit row, in the same transaction.

A part of :class:`~stakeholder_map.store.Store` (it mixes this class in).
"""

from __future__ import annotations

import re
from datetime import datetime

import pandas as pd

from ..errors import StoreError
from .tables import ALL_MAPS, MEMBER_ROLES

__all__ = ["MemberRecords", "normalise_email", "MEMBER_COLUMNS"]

#: The columns of :meth:`MemberRecords.members`.
MEMBER_COLUMNS = ["email", "map", "role", "added_at", "added_by"]
#: A letter or digit, more, an @, a letter or digit, more; no spaces, commas, semicolons, quotes or angle
#: brackets (one plain address, never text a spreadsheet would run as a formula).
_EMAIL = re.compile(r"[^\W_][^@\s,;<>\"'()]*@[^\W_][^@\s,;<>\"'()]*")
_MAX_EMAIL = 254


def normalise_email(email: object) -> str:
    """An e-mail address as members are kept: stripped and lower-cased; a clear error if it is none.

    Raises
    ------
    StoreError
        Not one plain address (names the value).

    Examples
    --------
    >>> normalise_email("  Ann.Lee@Example.ORG ")
    'ann.lee@example.org'
    >>> normalise_email("Ann Lee")
    Traceback (most recent call last):
    ...
    stakeholder_map.errors.StoreError: 'Ann Lee' is not an e-mail address (like name@example.org)
    """
    text = str(email if email is not None else "").strip().lower()
    if not _EMAIL.fullmatch(text) or len(text) > _MAX_EMAIL:
        raise StoreError(f"{str(email if email is not None else '')[:80]!r} is not an e-mail address "
                         "(like name@example.org)")
    return text


def _check_role(role: object) -> str:
    text = str(role if role is not None else "").strip().lower()
    if text not in MEMBER_ROLES:
        raise StoreError(f"unknown role {role!r}; use one of {', '.join(MEMBER_ROLES)}")
    return text


class MemberRecords:
    """The store's members table (mixed into :class:`Store`)."""

    def _member_map(self, map_name: str | None) -> tuple[str, int | None]:
        """The ``map`` a row holds (a map's name, or ``"*"``) and the map's id (None for every map)."""
        if map_name is None or map_name == ALL_MAPS:
            return ALL_MAPS, None
        return map_name, self._map_id(map_name)

    def _admin_rows(self) -> int:
        return int(self._query("SELECT count(*) FROM members WHERE role = 'admin'")[0][0])

    def add_member(self, email: str, role: str, map_name: str | None = None, *, by: str | None = None) -> None:
        """Give someone a role on a map (None or ``"*"``: on every map); an existing row's role is replaced.

        Parameters
        ----------
        email : str
            Their e-mail address (kept lower-cased).
        role : str
            ``viewer``, ``editor`` or ``admin``.
        map_name : str, optional
            An existing map; None for every map, present and future.
        by : str, optional
            Who made the change (recorded in the row and the audit log).

        Raises
        ------
        StoreError
            Not an address, an unknown role, or the last admin demoted.
        MapNotFound
            No map of that name.

        Examples
        --------
        >>> from stakeholder_map.store import Store
        >>> with Store(":memory:") as store:
        ...     store.create_map("M")
        ...     store.add_member("Ann@X.org", "admin", by="local user")
        ...     store.add_member("bo@x.org", "viewer", "M")
        ...     store.members("M")[["email", "map", "role"]].values.tolist()
        [['ann@x.org', '*', 'admin'], ['bo@x.org', 'M', 'viewer']]
        """
        email, role = normalise_email(email), _check_role(role)
        with self.atomic():
            where, map_id = self._member_map(map_name)
            found = self._query("SELECT role FROM members WHERE email = ? AND map = ?", [email, where])
            previous = found[0][0] if found else None
            if previous == "admin" and role != "admin" and self._admin_rows() == 1:
                raise StoreError(f"{email} is the last admin; make someone else an admin before changing "
                                 "their role")
            self._query("DELETE FROM members WHERE email = ? AND map = ?", [email, where])
            self._query("INSERT INTO members (email, map, role, added_at, added_by) VALUES (?, ?, ?, ?, ?)",
                        [email, where, role, datetime.now(), by])
            self._audit("add_member", by=by, map_id=map_id, map_name=where, subject=email,
                        detail={"role": role, "previous": previous})

    def remove_member(self, email: str, map_name: str | None = None, *, by: str | None = None) -> None:
        """Take someone's role on a map (None or ``"*"``: their every-map row) away.

        Raises
        ------
        StoreError
            They hold no role there, or they are the last admin.
        MapNotFound
            No map of that name.
        """
        email = normalise_email(email)
        with self.atomic():
            where, map_id = self._member_map(map_name)
            found = self._query("SELECT role FROM members WHERE email = ? AND map = ?", [email, where])
            scope = "every map" if where == ALL_MAPS else f"map {where!r}"
            if not found:
                raise StoreError(f"{email} has no role on {scope}")
            if found[0][0] == "admin" and self._admin_rows() == 1:
                raise StoreError(f"{email} is the last admin; make someone else an admin before removing them")
            self._query("DELETE FROM members WHERE email = ? AND map = ?", [email, where])
            self._audit("remove_member", by=by, map_id=map_id, map_name=where, subject=email,
                        detail={"role": found[0][0]})

    def members(self, map_name: str | None = None) -> pd.DataFrame:
        """Member rows by address: email, map (``"*"`` = every map), role, added_at, added_by.

        With ``map_name``, the rows that hold on that map: its own and the
        every-map ones (a map's own row wins, see :meth:`role_of`).
        """
        if map_name is None:
            frame = self._frame("SELECT email, map, role, added_at, added_by FROM members "
                                "ORDER BY email, map <> '*', map")
        else:
            self._map_id(map_name)
            frame = self._frame("""SELECT email, map, role, added_at, added_by FROM members
                                   WHERE map = ? OR map = '*' ORDER BY email, map <> '*', map""", [map_name])
        frame["added_by"] = frame["added_by"].astype(object).where(frame["added_by"].notna(), None)
        return frame

    def role_of(self, email: str | None, map_name: str | None) -> str | None:
        """Someone's role on a map (None: their every-map role); a map's own row wins; None if none.

        Examples
        --------
        >>> from stakeholder_map.store import Store
        >>> with Store(":memory:") as store:
        ...     store.create_map("M")
        ...     store.add_member("ann@x.org", "admin")
        ...     store.add_member("ann@x.org", "viewer", "M")
        ...     store.role_of("ANN@x.org", "M"), store.role_of("ann@x.org", None), store.role_of("bo@x.org", "M")
        ('viewer', 'admin', None)
        """
        if not email:
            return None
        email = str(email).strip().lower()
        where = ALL_MAPS if map_name is None else map_name
        found = self._query("""SELECT role FROM members WHERE email = ? AND map IN (?, '*')
                               ORDER BY map = '*' LIMIT 1""", [email, where])
        return found[0][0] if found else None
