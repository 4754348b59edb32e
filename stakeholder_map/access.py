"""Who may do what on a map: the roles, the action table, and :class:`Member`, the store as one person sees it.

Three roles, each including the ones before it: a ``viewer`` reads the map and
its analyses (no notes, e-mail addresses or touchpoint text), an ``editor``
also logs and edits touchpoints, milestones and rotation plans, an ``admin``
also imports, replaces, erases, exports and manages members. A role is held
per map, or for every map (the ``"*"`` row of the members table); a map's own
row wins over the ``"*"`` row. Someone who is not a member may do nothing.

The check happens where the write happens: every write of :class:`Member`
checks the person's role, then calls the store with ``by=`` their address, so
the store records who did it (the audit log, who logged a touchpoint). Pages
and commands may hide buttons too, but hiding is not the check. Without
sign-in (the local single-user tool) the member is ``Member(store, None,
local=True)``: admin everywhere, recorded as :data:`LOCAL_USER`.

No Streamlit and no DuckDB here: the dashboard, the CLI and tests share it.

Examples
--------
The table, one line per action: the least role that allows it.

>>> for action in ACTIONS:
...     print(f"{action:18} {MINIMUM_ROLE[action]}")
read               viewer
read_private       editor
log_touchpoint     editor
edit_touchpoint    editor
delete_touchpoint  editor
milestones         editor
rotation           editor
import             admin
replace            admin
erase              admin
export             admin
members            admin
audit              admin
rename_map         admin
delete_map         admin

>>> allows("viewer", "read"), allows("viewer", "log_touchpoint"), allows("admin", "erase"), allows(None, "read")
(True, False, True, False)
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from .errors import AccessDenied
from .ingest import MapData
from .ingest_interactions import InteractionLog
from .surveys import SurveyDefinition
from .store import (ALL_MAPS, DEFAULT_HALF_LIFE_DAYS, DEFAULT_MAX_RECIPIENTS, MEMBER_ROLES, ErasureReport, SurveyApplyReport,
                    ImportReport, InteractionReport, Store)

__all__ = ["ROLES", "LOCAL_USER", "ALL_MAPS", "ACTIONS", "MINIMUM_ROLE", "allows", "Member"]

#: The roles, least first; each includes the ones before it.
ROLES = MEMBER_ROLES
#: The actor recorded when nobody signs in (the local single-user tool).
LOCAL_USER = "local user"

#: The least role that allows each action.
MINIMUM_ROLE: dict[str, str] = {
    "read": "viewer",
    "read_private": "editor",       # notes, e-mail addresses, touchpoint text
    "log_touchpoint": "editor",
    "edit_touchpoint": "editor",
    "delete_touchpoint": "editor",
    "milestones": "editor",
    "rotation": "editor",
    "import": "admin",              # also creating an empty map
    "replace": "admin",
    "erase": "admin",
    "export": "admin",
    "members": "admin",
    "audit": "admin",
    "rename_map": "admin",
    "delete_map": "admin",
}
#: Every action, in the table's order.
ACTIONS = tuple(MINIMUM_ROLE)

#: What each action is, for a refusal's message ("… may not <what> in map 'M'").
_WHAT = {
    "read": "read", "read_private": "read notes, e-mail addresses and touchpoint text",
    "log_touchpoint": "log a touchpoint", "edit_touchpoint": "edit a touchpoint",
    "delete_touchpoint": "delete a touchpoint", "milestones": "change milestones",
    "rotation": "plan rotations", "import": "import a map", "replace": "replace a map",
    "erase": "erase a person", "export": "export", "members": "manage members",
    "audit": "read the audit log", "rename_map": "rename a map", "delete_map": "delete a map",
}


def allows(role: str | None, action: str) -> bool:
    """Whether ``role`` allows ``action``; None (not a member) allows nothing.

    Raises
    ------
    ValueError
        An unknown action or role (a programming mistake, not a user's).

    Examples
    --------
    >>> allows("editor", "read_private"), allows("editor", "import"), allows(None, "read")
    (True, False, False)
    """
    if action not in MINIMUM_ROLE:
        raise ValueError(f"unknown action {action!r}; the actions are {', '.join(ACTIONS)}")
    if role is None:
        return False
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; the roles are {', '.join(ROLES)}")
    return ROLES.index(role) >= ROLES.index(MINIMUM_ROLE[action])


class Member:
    """The store as one person sees it: every write checked against their role, then recorded as theirs.

    Parameters
    ----------
    store : Store
        The database.
    email : str or None
        The signed-in person's e-mail address (compared lower-cased, without
        surrounding spaces); None when nobody signed in.
    local : bool
        The local single-user tool: admin on every map, recorded as
        :data:`LOCAL_USER`.

    Examples
    --------
    >>> from io import BytesIO
    >>> from datetime import date
    >>> from stakeholder_map.ingest import read_map
    >>> with Store(":memory:") as store:
    ...     me = Member(store, None, local=True)
    ...     _ = me.import_map("M", read_map(BytesIO(b"id,name\\n1,Ann\\n"), None))
    ...     me.add_member("Vi@X.org ", "viewer", "M")
    ...     vi = Member(store, "vi@x.org")
    ...     try:
    ...         vi.log_engagement("M", when=date(2026, 1, 5), stakeholder_id="1")
    ...     except AccessDenied as e:
    ...         print(e)
    ...     print(vi.maps(), vi.role("M"), store.audit_log()["actor"].tolist())
    vi@x.org may not log a touchpoint in map 'M': their role there is viewer; it needs editor.
    ['M'] viewer ['local user', 'local user']
    """

    def __init__(self, store: Store, email: str | None, *, local: bool = False):
        self.store = store
        self.local = bool(local)
        # Compared as the store keeps addresses; an address the store would refuse simply matches no member.
        self.email = (str(email).strip().lower() or None) if email is not None else None

    @property
    def actor(self) -> str:
        """Who the store records for this person's writes: their address, or :data:`LOCAL_USER`."""
        return LOCAL_USER if self.local or not self.email else self.email

    def __repr__(self) -> str:
        return f"Member({self.actor!r}{', local=True' if self.local else ''})"

    # ---------------------------------------------------------------- reads

    def role(self, map_name: str | None) -> str | None:
        """Their role on a map (None: every map, the ``"*"`` row), or None when not a member."""
        if self.local:
            return "admin"
        if self.email is None:
            return None
        return self.store.role_of(self.email, map_name)

    def can(self, map_name: str | None, action: str) -> bool:
        """Whether they may do ``action`` on the map (None: on every map)."""
        return allows(self.role(map_name), action)

    def require(self, map_name: str | None, action: str) -> None:
        """Refuse with :class:`AccessDenied` unless they may do ``action`` on the map."""
        role = self.role(map_name)
        if allows(role, action):
            return
        where = f"in map {map_name!r}" if map_name is not None else "on every map"
        held = (f"their role there is {role}" if role else "they are not a member (ask an admin for access)")
        raise AccessDenied(f"{self.actor} may not {_WHAT[action]} {where}: {held}; it needs {MINIMUM_ROLE[action]}.",
                           who=self.actor, action=action, map_name=map_name, role=role,
                           needed=MINIMUM_ROLE[action])

    def maps(self) -> list[str]:
        """The maps they may read, oldest first."""
        names = self.store.map_names()
        if self.local:
            return names
        return [name for name in names if self.can(name, "read")]

    # ----------------------------------------------------------- touchpoints

    def log_engagement(self, name: str, *, when: date, stakeholder_id: str, activity: str | None = None,
                       stance_after: int | None = None, notes: str | None = None) -> int:
        """:meth:`Store.log_engagement` for an editor or admin of the map."""
        self.require(name, "log_touchpoint")
        return self.store.log_engagement(name, when=when, stakeholder_id=stakeholder_id, activity=activity,
                                         stance_after=stance_after, notes=notes, by=self.actor)

    def add_engagements(self, name: str, events: pd.DataFrame) -> list[int]:
        """:meth:`Store.add_engagements` for an editor or admin of the map."""
        self.require(name, "log_touchpoint")
        return self.store.add_engagements(name, events, by=self.actor)

    def edit_engagement(self, name: str, engagement_id: int, *, when: date | None = None,
                        stakeholder_id: str | None = None, activity: str | None = None,
                        stance_after: int | None = None, notes: str | None = None) -> None:
        """:meth:`Store.edit_engagement` for an editor or admin of the map."""
        self.require(name, "edit_touchpoint")
        self.store.edit_engagement(name, engagement_id, when=when, stakeholder_id=stakeholder_id,
                                   activity=activity, stance_after=stance_after, notes=notes, by=self.actor)

    def delete_engagement(self, name: str, engagement_id: int) -> None:
        """:meth:`Store.delete_engagement` for an editor or admin of the map."""
        self.require(name, "delete_touchpoint")
        self.store.delete_engagement(name, engagement_id, by=self.actor)

    def add_milestone(self, name: str, *, due: date, target: float, kind: str = "share",
                      department: str | None = None, min_stance: int = 1, label: str | None = None) -> int:
        """:meth:`Store.add_milestone` for an editor or admin of the map."""
        self.require(name, "milestones")
        return self.store.add_milestone(name, due=due, target=target, kind=kind, department=department,
                                        min_stance=min_stance, label=label, by=self.actor)

    def delete_milestone(self, name: str, milestone_id: int) -> None:
        """:meth:`Store.delete_milestone` for an editor or admin of the map."""
        self.require(name, "milestones")
        self.store.delete_milestone(name, milestone_id, by=self.actor)

    # ------------------------------------------------------------------ maps

    def import_map(self, name: str, data: MapData, *, replace: bool = False,
                   today: date | None = None) -> ImportReport:
        """:meth:`Store.import_map` for an admin of the map (a new map: an admin of every map)."""
        self.require(name, "replace" if replace and self.store.has_map(name) else "import")
        return self.store.import_map(name, data, replace=replace, today=today, by=self.actor)

    def import_interactions(self, name: str, log: InteractionLog, *, kind: str | None = None,
                            max_recipients: int = DEFAULT_MAX_RECIPIENTS,
                            half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
                            as_of: date | None = None) -> InteractionReport:
        """:meth:`Store.import_interactions` (e-mail or meeting ties from a log) for an admin of the map."""
        self.require(name, "import")
        return self.store.import_interactions(name, log, kind=kind, max_recipients=max_recipients,
                                              half_life_days=half_life_days, as_of=as_of, by=self.actor)

    def create_survey(self, name: str, survey: SurveyDefinition) -> int:
        """:meth:`Store.create_survey` (a relationship survey of the map) for an admin of the map."""
        self.require(name, "import")
        return self.store.create_survey(name, survey, by=self.actor)

    def _survey_map(self, survey_id: int) -> str:
        map_name, _, _ = self.store.survey(survey_id)
        return map_name

    def issue_links(self, survey_id: int, *, expires_on: date | None = None) -> pd.DataFrame:
        """:meth:`Store.issue_links` (fresh personal links, earlier ones revoked) for an admin of the map."""
        self.require(self._survey_map(survey_id), "import")
        return self.store.issue_links(survey_id, expires_on=expires_on, by=self.actor)

    def revoke_link(self, survey_id: int, stakeholder_id: str) -> int:
        """:meth:`Store.revoke_link` for an admin of the map."""
        self.require(self._survey_map(survey_id), "import")
        return self.store.revoke_link(survey_id, stakeholder_id, by=self.actor)

    def close_survey(self, survey_id: int) -> None:
        """:meth:`Store.close_survey` for an admin of the map."""
        self.require(self._survey_map(survey_id), "import")
        self.store.close_survey(survey_id, by=self.actor)

    def apply_survey(self, survey_id: int) -> SurveyApplyReport:
        """:meth:`Store.apply_survey` (responses into ties and stance history) for an admin of the map."""
        self.require(self._survey_map(survey_id), "import")
        return self.store.apply_survey(survey_id, by=self.actor)

    def create_map(self, name: str) -> None:
        """:meth:`Store.create_map` for an admin (of every map, unless the name has its own admin row)."""
        self.require(name, "import")
        self.store.create_map(name, by=self.actor)

    def rename_map(self, old: str, new: str) -> None:
        """:meth:`Store.rename_map` for an admin of the map."""
        self.require(old, "rename_map")
        self.store.rename_map(old, new, by=self.actor)

    def delete_map(self, name: str) -> None:
        """:meth:`Store.delete_map` for an admin of the map."""
        self.require(name, "delete_map")
        self.store.delete_map(name, by=self.actor)

    def erase_person(self, name: str, stakeholder_id: str, *, compact: bool = True) -> ErasureReport:
        """:meth:`Store.erase_person` for an admin of the map."""
        self.require(name, "erase")
        return self.store.erase_person(name, stakeholder_id, compact=compact, by=self.actor)

    # --------------------------------------------------------------- members

    def add_member(self, email: str, role: str, map_name: str | None = None) -> None:
        """:meth:`Store.add_member` for an admin of the map (None: of every map)."""
        self.require(map_name, "members")
        self.store.add_member(email, role, map_name, by=self.actor)

    def remove_member(self, email: str, map_name: str | None = None) -> None:
        """:meth:`Store.remove_member` for an admin of the map (None: of every map)."""
        self.require(map_name, "members")
        self.store.remove_member(email, map_name, by=self.actor)
