"""Touchpoints and milestones in the store: log, edit and delete engagements with a change record, and
re-derive the stance history they record; add, list and delete milestones.

Every write takes ``by=`` (who did it): a logged touchpoint keeps it as
``logged_by``, each change record as ``changed_by``, and the write appends one
audit row (ids and dates, never the touchpoint's text) in its own transaction.

A part of :class:`~stakeholder_map.store.Store` (it mixes this class in); it
uses the store's transactions and queries and holds no state of its own.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pandas as pd

from .. import schema as s
from ..errors import StoreError, UnknownStakeholder
from .connection import as_dates
from .tables import MILESTONE_KINDS

__all__ = ["TouchpointRecords"]


class TouchpointRecords:
    """The store's engagements and milestones (mixed into :class:`Store`)."""

    # --------------------------------------------------------- engagements

    def _engagement_row(self, map_id: int, engagement_id: int) -> dict:
        found = self._frame("""SELECT date, stakeholder_id, activity, stance_after, notes FROM engagements
                               WHERE map_id = ? AND seq = ?""", [map_id, engagement_id])
        if found.empty:
            raise StoreError(f"no engagement {engagement_id} in this map")
        row = found.iloc[0].to_dict()
        row["date"] = as_dates(found["date"])[0].isoformat()
        row["stance_after"] = None if pd.isna(row["stance_after"]) else int(row["stance_after"])
        return {k: (None if v is None or (isinstance(v, float) and pd.isna(v)) else v) for k, v in row.items()}

    def _check_person(self, map_id: int, stakeholder_id: str) -> None:
        if not self._query("SELECT 1 FROM stakeholders WHERE map_id = ? AND id = ?", [map_id, stakeholder_id]):
            raise UnknownStakeholder(f"no stakeholder with id {stakeholder_id!r} in this map")

    def _rederive_engagement_stances(self, map_id: int, people: list[str]) -> None:
        """Engagement rows of the stance history follow the engagements; current stances follow the history."""
        now = datetime.now()
        self._query("DELETE FROM stance_history WHERE map_id = ? AND source = 'engagement'", [map_id])
        self._query("""INSERT INTO stance_history
                       SELECT map_id, stakeholder_id, stance_after, date, 'engagement', ?
                       FROM engagements WHERE map_id = ? AND stance_after IS NOT NULL
                       ORDER BY date, seq""", [now, map_id])
        self._stances_follow_history(map_id, people)

    def _stances_follow_history(self, map_id: int, people: list[str]) -> None:
        """Each person's current stance becomes the latest row of their stance history (an engagement's
        wins over another source's of the same day and time); people with no history keep theirs."""
        for person in people:
            latest = self._query("""SELECT stance FROM stance_history WHERE map_id = ? AND stakeholder_id = ?
                                    ORDER BY recorded_on DESC, recorded_at DESC, source = 'engagement' DESC
                                    LIMIT 1""", [map_id, person])
            if latest:
                self._query("UPDATE stakeholders SET stance = ? WHERE map_id = ? AND id = ?",
                            [latest[0][0], map_id, person])

    def _record_change(self, map_id: int, engagement_id: int, action: str,
                       before: dict | None, after: dict | None, by: str | None) -> None:
        self._query("""INSERT INTO engagement_changes (map_id, engagement_id, action, changed_at, before, after,
                                                       changed_by) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    [map_id, engagement_id, action, datetime.now(),
                     json.dumps(before, ensure_ascii=False) if before else None,
                     json.dumps(after, ensure_ascii=False) if after else None, by])

    def log_engagement(self, name: str, *, when: date, stakeholder_id: str, activity: str | None = None,
                       stance_after: int | None = None, notes: str | None = None, by: str | None = None) -> int:
        """Record one touchpoint; a stance after it enters the stance history. Returns its id.

        The person's current stance becomes the latest one in their history.
        ``by`` (who logged it) is kept as its ``logged_by`` and in the audit log.
        """
        with self.atomic():
            map_id = self._map_id(name)
            self._check_person(map_id, stakeholder_id)
            engagement_id = self._query("SELECT coalesce(max(seq), -1) + 1 FROM engagements WHERE map_id = ?",
                                        [map_id])[0][0]
            self._query("""INSERT INTO engagements (map_id, seq, date, stakeholder_id, activity, stance_after, notes,
                                                    logged_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                        [map_id, engagement_id, when, stakeholder_id, activity or None, stance_after,
                         notes or None, by])
            after = self._engagement_row(map_id, engagement_id)
            self._record_change(map_id, engagement_id, "log", None, after, by)
            if stance_after is not None:
                self._rederive_engagement_stances(map_id, [stakeholder_id])
            self._query("UPDATE maps SET updated_at = ? WHERE map_id = ?", [datetime.now(), map_id])
            self._audit("log_engagement", by=by, map_id=map_id, map_name=name, subject=engagement_id,
                        detail={"stakeholder_id": stakeholder_id, "date": after["date"]})
        return engagement_id

    def add_engagements(self, name: str, events: pd.DataFrame, *, by: str | None = None) -> list[int]:
        """Append many touchpoints at once (e.g. an engagements CSV), all or nothing.

        ``events`` has the columns of :attr:`MapData.engagements` with known
        stakeholder ids (see :func:`stakeholder_map.ingest.read_engagements`).
        Each is recorded as logged by ``by``; one audit row covers them all.
        Returns their ids.
        """
        with self.atomic():
            map_id = self._map_id(name)
            first = self._query("SELECT coalesce(max(seq), -1) + 1 FROM engagements WHERE map_id = ?",
                                [map_id])[0][0]
            incoming = events[[s.DATE, s.STAKEHOLDER_ID, s.ACTIVITY, s.STANCE_AFTER, s.NOTES]].reset_index(drop=True)
            incoming.insert(0, "seq", range(first, first + len(incoming)))
            con = self._con
            con.register("incoming", incoming)
            try:
                con.execute("""INSERT INTO engagements (map_id, seq, date, stakeholder_id, activity, stance_after,
                                                        notes, logged_by)
                               SELECT ?, seq, date, stakeholder_id, activity, stance_after, notes, ? FROM incoming""",
                            [map_id, by])
            finally:
                con.unregister("incoming")
            ids = list(range(first, first + len(incoming)))
            for engagement_id in ids:
                self._record_change(map_id, engagement_id, "log", None, self._engagement_row(map_id, engagement_id),
                                    by)
            moved = incoming.loc[incoming[s.STANCE_AFTER].notna(), s.STAKEHOLDER_ID].unique().tolist()
            self._rederive_engagement_stances(map_id, sorted(moved))
            self._query("UPDATE maps SET updated_at = ? WHERE map_id = ?", [datetime.now(), map_id])
            self._audit("add_engagements", by=by, map_id=map_id, map_name=name,
                        detail={"count": len(ids), "first_id": ids[0] if ids else None,
                                "last_id": ids[-1] if ids else None})
        return ids

    def edit_engagement(self, name: str, engagement_id: int, *, when: date | None = None,
                        stakeholder_id: str | None = None, activity: str | None = None,
                        stance_after: int | None = None, notes: str | None = None, by: str | None = None) -> None:
        """Change a touchpoint (every field is replaced); the change is recorded, with ``by`` (who)."""
        with self.atomic():
            map_id = self._map_id(name)
            before = self._engagement_row(map_id, engagement_id)
            person = stakeholder_id or before["stakeholder_id"]
            self._check_person(map_id, person)
            self._query("""UPDATE engagements SET date = ?, stakeholder_id = ?, activity = ?, stance_after = ?,
                           notes = ? WHERE map_id = ? AND seq = ?""",
                        [when or date.fromisoformat(before["date"]), person, activity or None, stance_after,
                         notes or None, map_id, engagement_id])
            after = self._engagement_row(map_id, engagement_id)
            self._record_change(map_id, engagement_id, "edit", before, after, by)
            self._rederive_engagement_stances(map_id, sorted({before["stakeholder_id"], person}))
            self._query("UPDATE maps SET updated_at = ? WHERE map_id = ?", [datetime.now(), map_id])
            self._audit("edit_engagement", by=by, map_id=map_id, map_name=name, subject=engagement_id,
                        detail={"stakeholder_id": person,
                                "changed": sorted(k for k in after if after[k] != before[k])})

    def delete_engagement(self, name: str, engagement_id: int, *, by: str | None = None) -> None:
        """Remove a touchpoint; the deletion (with what it held) is recorded, with ``by`` (who)."""
        with self.atomic():
            map_id = self._map_id(name)
            before = self._engagement_row(map_id, engagement_id)
            self._query("DELETE FROM engagements WHERE map_id = ? AND seq = ?", [map_id, engagement_id])
            self._record_change(map_id, engagement_id, "delete", before, None, by)
            self._rederive_engagement_stances(map_id, [before["stakeholder_id"]])
            self._query("UPDATE maps SET updated_at = ? WHERE map_id = ?", [datetime.now(), map_id])
            self._audit("delete_engagement", by=by, map_id=map_id, map_name=name, subject=engagement_id,
                        detail={"stakeholder_id": before["stakeholder_id"], "date": before["date"]})

    def engagement_changes(self, name: str) -> pd.DataFrame:
        """Every logged, edited or deleted touchpoint: engagement_id, action, changed_at, before, after,
        changed_by (who; None when not recorded)."""
        map_id = self._map_id(name)
        frame = self._frame("""SELECT engagement_id, action, changed_at, before, after, changed_by
                               FROM engagement_changes WHERE map_id = ? ORDER BY changed_at""", [map_id])
        for column in ("before", "after"):
            frame[column] = [json.loads(v) if isinstance(v, str) else None for v in frame[column]]
        frame["changed_by"] = frame["changed_by"].astype(object).where(frame["changed_by"].notna(), None)
        return frame

    # ---------------------------------------------------------- milestones

    def add_milestone(self, name: str, *, due: date, target: float, kind: str = "share",
                      department: str | None = None, min_stance: int = 1, label: str | None = None,
                      by: str | None = None) -> int:
        """A target to reach by ``due``; returns its id. ``by``: who (audit log).

        ``kind="share"``: at least ``target`` (0–1) of the department (or, with no
        department, of everyone) at stance ``min_stance`` or better.
        ``kind="champion_engaged"``: a champion engaged in every department
        (``target`` is the share of departments).
        """
        if kind not in MILESTONE_KINDS:
            raise StoreError(f"unknown milestone kind {kind!r}; use one of {', '.join(MILESTONE_KINDS)}")
        if not 0 < float(target) <= 1:
            raise StoreError("a milestone's target is a share between 0 and 1")
        if not -2 <= int(min_stance) <= 2:
            raise StoreError("a milestone's stance is between -2 and 2")
        with self.atomic():
            map_id = self._map_id(name)
            milestone_id = self._query("SELECT coalesce(max(milestone_id), 0) + 1 FROM milestones WHERE map_id = ?",
                                       [map_id])[0][0]
            self._query("INSERT INTO milestones VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [map_id, milestone_id, label or None, department or None, kind, float(target),
                         int(min_stance), due, datetime.now()])
            self._audit("add_milestone", by=by, map_id=map_id, map_name=name, subject=milestone_id,
                        detail={"kind": kind, "target": float(target), "min_stance": int(min_stance),
                                "department": department or None, "due": due.isoformat()})
        return milestone_id

    def milestones(self, name: str) -> pd.DataFrame:
        """The map's milestones by due date: milestone_id, label, department (None = everyone), kind,
        target, min_stance, due."""
        map_id = self._map_id(name)
        frame = self._frame("""SELECT milestone_id, label, department, kind, target, min_stance, due
                               FROM milestones WHERE map_id = ? ORDER BY due, milestone_id""", [map_id])
        frame["due"] = as_dates(frame["due"])
        for column in ("label", "department"):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        return frame

    def delete_milestone(self, name: str, milestone_id: int, *, by: str | None = None) -> None:
        """Remove a milestone. ``by``: who (audit log)."""
        with self.atomic():
            map_id = self._map_id(name)
            if not self._query("SELECT 1 FROM milestones WHERE map_id = ? AND milestone_id = ?",
                               [map_id, milestone_id]):
                raise StoreError(f"no milestone {milestone_id} in this map")
            self._query("DELETE FROM milestones WHERE map_id = ? AND milestone_id = ?", [map_id, milestone_id])
            self._audit("delete_milestone", by=by, map_id=map_id, map_name=name, subject=milestone_id)
