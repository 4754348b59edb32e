"""Map versions: every import keeps the map as it was imported, so two versions can be compared.

A part of :class:`~stakeholder_map.store.Store` (it mixes this class in).

Storage grows with the changes, not with a full copy per version. A person's
row (every column of the stakeholders file, custom attributes included) holds
from the version it appeared in (``valid_from``) until the version that changed
or dropped it (``valid_to``, exclusive; NULL while it still holds): a re-import
closes the rows of the people who changed or left and adds rows for the people
who changed or joined, and an unchanged person costs nothing. Ties are kept the
same way per ``(source, target, kind, weight)`` group with the number of
``copies`` the file held (a file may repeat a tie; the versions keep the count
honestly, and a change of count is a change of the group).

The versions are the maps *as imported*: stances logged as touchpoints between
two imports are in the stance history, not in a version. A person erased for
privacy is erased from every version (:meth:`Erasure.erase_person`); deleting a
map deletes its versions.

Examples
--------
>>> from io import BytesIO
>>> from stakeholder_map.store import Store
>>> from stakeholder_map.ingest import read_map
>>> with Store(":memory:") as store:
...     _ = store.import_map("M", read_map(BytesIO(b"id,name,stance\\n1,Ann,skeptic\\n2,Bo,\\n"),
...                                        BytesIO(b"source,target\\n1,2\\n1,2\\n")), by="lead@x.org")
...     _ = store.import_map("M", read_map(BytesIO(b"id,name,stance\\n1,Ann,supporter\\n2,Bo,\\n"),
...                                        BytesIO(b"source,target\\n1,2\\n")), replace=True)
...     print(store.map_versions("M")[["version", "imported_by", "people", "ties"]].values.tolist())
...     print(store.people_at_version("M", 1)["stance"].tolist(), len(store.ties_at_version("M", 1)))
[[1, 'lead@x.org', 2, 2], [2, None, 2, 1]]
[-1, <NA>] 2
"""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd

from .. import schema as s
from ..errors import VersionNotFound
from .frames import typed_people, typed_ties

__all__ = ["VersionRecords", "VERSION_COLUMNS"]

#: The columns of :meth:`VersionRecords.map_versions`.
VERSION_COLUMNS = ("version", "imported_at", "imported_by", "people", "ties")

_PERSON_VALUES = ("name", "department", "role", "seniority", "stance", "influence", "interest", "email", "notes",
                  "attributes")
_SAME_PERSON = " AND ".join(f"i.{c} IS NOT DISTINCT FROM p.{c}" for c in _PERSON_VALUES)
_HELD_AT = "valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)"
_SAME_GROUP = ("i.source = t.source AND i.target = t.target AND i.kind IS NOT DISTINCT FROM t.kind "
               "AND i.weight = t.weight AND i.copies = t.copies")
# The statements of a re-import (built once from the column names above; values are always bound).
#: Close the open row of everyone whose file row changed or who is not in the file any more.
_CLOSE_PEOPLE = ("UPDATE person_versions p SET valid_to = ? WHERE p.map_id = ? AND p.valid_to IS NULL AND NOT EXISTS ("
                 "SELECT 1 FROM incoming_people i WHERE i.id = p.id AND " + _SAME_PERSON + ")")
#: Open a row for everyone in the file without an open row (joined, or changed and just closed).
_OPEN_PEOPLE = ("INSERT INTO person_versions (map_id, id, valid_from, valid_to, seq, " + ", ".join(_PERSON_VALUES)
                + ") SELECT ?, i.id, ?, NULL, i.seq, " + ", ".join("i." + c for c in _PERSON_VALUES)
                + " FROM incoming_people i WHERE NOT EXISTS (SELECT 1 FROM person_versions p"
                  " WHERE p.map_id = ? AND p.valid_to IS NULL AND p.id = i.id)")
_CLOSE_TIES = ("UPDATE tie_versions t SET valid_to = ? WHERE t.map_id = ? AND t.valid_to IS NULL AND NOT EXISTS ("
               "SELECT 1 FROM incoming_ties i WHERE " + _SAME_GROUP + ")")
_OPEN_TIES = ("INSERT INTO tie_versions (map_id, source, target, kind, weight, copies, valid_from, valid_to, seq)"
              " SELECT ?, i.source, i.target, i.kind, i.weight, i.copies, ?, NULL, i.seq FROM incoming_ties i"
              " WHERE NOT EXISTS (SELECT 1 FROM tie_versions t WHERE t.map_id = ? AND t.valid_to IS NULL AND "
              + _SAME_GROUP + ")")
_PEOPLE_AT = ("SELECT id, " + ", ".join(_PERSON_VALUES) + " FROM person_versions WHERE map_id = ? AND " + _HELD_AT
              + " ORDER BY seq, id")
_TIES_AT = ("SELECT source, target, weight, kind, copies FROM tie_versions WHERE map_id = ? AND " + _HELD_AT
            + " ORDER BY seq, source, target")


class VersionRecords:
    """The versions of each map (mixed into :class:`Store`)."""

    # --------------------------------------------------------------- write

    def _record_version(self, map_id: int, people: pd.DataFrame, ties: pd.DataFrame, custom_columns: list[str],
                        *, at: datetime, by: str | None) -> int:
        """Record the import just written as the map's next version (inside the import's transaction).

        ``people`` holds the attributes already as JSON text (as written to the stakeholders table), so a
        person whose file row did not change matches their open row exactly.
        """
        version = int(self._query("SELECT coalesce(max(version), 0) + 1 FROM map_versions WHERE map_id = ?",
                                  [map_id])[0][0])
        self._query("INSERT INTO map_versions VALUES (?, ?, ?, ?, ?)",
                    [map_id, version, at, by, json.dumps(custom_columns)])
        incoming = people[[s.ID, *_PERSON_VALUES]].copy()
        incoming.insert(1, "seq", range(len(incoming)))
        groups = self._tie_groups(ties)
        con = self._con
        con.register("incoming_people", incoming)
        con.register("incoming_ties", groups)
        try:
            con.execute(_CLOSE_PEOPLE, [version, map_id])
            con.execute(_OPEN_PEOPLE, [map_id, version, map_id])
            con.execute(_CLOSE_TIES, [version, map_id])
            con.execute(_OPEN_TIES, [map_id, version, map_id])
        finally:
            con.unregister("incoming_people")
            con.unregister("incoming_ties")
        return version

    @staticmethod
    def _tie_groups(ties: pd.DataFrame) -> pd.DataFrame:
        """The file's ties per (source, target, kind, weight): how many copies, and the first one's row."""
        frame = pd.DataFrame({"source": ties[s.SOURCE].astype(str), "target": ties[s.TARGET].astype(str),
                              "kind": ties[s.KIND].astype(object).where(ties[s.KIND].notna(), None),
                              "weight": ties[s.WEIGHT].astype(float), "seq": range(len(ties))})
        if frame.empty:
            return frame.assign(copies=pd.Series(dtype="int64"))
        grouped = (frame.assign(kind=frame["kind"].fillna("\0"))  # groupby drops None keys; "\0" is no kind
                   .groupby(["source", "target", "kind", "weight"], sort=False)["seq"]
                   .agg(["size", "min"]).reset_index()
                   .rename(columns={"size": "copies", "min": "seq"}))
        grouped["kind"] = grouped["kind"].where(grouped["kind"] != "\0", None)
        return grouped

    # ---------------------------------------------------------------- read

    def map_versions(self, name: str) -> pd.DataFrame:
        """The map's versions, oldest first: one per import (or re-import).

        Returns
        -------
        DataFrame
            ``version`` (int, from 1), ``imported_at`` (Timestamp), ``imported_by`` (who imported, None when
            not recorded), ``people`` and ``ties`` (how many the version holds; a repeated tie counts per copy).
        """
        map_id = self._map_id(name)
        frame = self._frame("""
            SELECT v.version, v.imported_at, v.imported_by,
                   (SELECT count(*) FROM person_versions p WHERE p.map_id = v.map_id
                       AND p.valid_from <= v.version AND (p.valid_to IS NULL OR p.valid_to > v.version)) AS people,
                   (SELECT coalesce(sum(t.copies), 0) FROM tie_versions t WHERE t.map_id = v.map_id
                       AND t.valid_from <= v.version AND (t.valid_to IS NULL OR t.valid_to > v.version)) AS ties
            FROM map_versions v WHERE v.map_id = ? ORDER BY v.version""", [map_id])
        frame = frame.astype({"version": "int64", "people": "int64", "ties": "int64"})
        frame["imported_at"] = pd.to_datetime(frame["imported_at"])
        frame["imported_by"] = frame["imported_by"].astype(object).where(frame["imported_by"].notna(), None)
        return frame[list(VERSION_COLUMNS)]

    def _version_map_id(self, name: str, version: int) -> int:
        map_id = self._map_id(name)
        if not self._query("SELECT 1 FROM map_versions WHERE map_id = ? AND version = ?", [map_id, int(version)]):
            raise VersionNotFound(f"map {name!r} has no version {version}")
        return map_id

    def people_at_version(self, name: str, version: int) -> pd.DataFrame:
        """The map's people as imported in ``version`` (columns as :meth:`Store.people`).

        Ordered by each person's row in the import that last changed them (a person unchanged since an
        earlier import keeps that import's position), ties of order broken by id.

        Raises
        ------
        MapNotFound, VersionNotFound
        """
        map_id = self._version_map_id(name, version)
        frame = self._frame(_PEOPLE_AT, [map_id, int(version), int(version)])
        return typed_people(frame).reset_index(drop=True)

    def ties_at_version(self, name: str, version: int) -> pd.DataFrame:
        """The map's ties as imported in ``version``, one row per tie (a repeated tie once per copy).

        Columns as :meth:`Store.ties`; ordered by the file row of each group's first copy.

        Raises
        ------
        MapNotFound, VersionNotFound
        """
        map_id = self._version_map_id(name, version)
        frame = self._frame(_TIES_AT, [map_id, int(version), int(version)])
        frame = frame.loc[frame.index.repeat(frame.pop("copies").astype("int64"))].reset_index(drop=True)
        return typed_ties(frame)

    def version_columns(self, name: str, version: int) -> list[str]:
        """The custom attribute columns of the file imported as ``version``, in file order."""
        map_id = self._version_map_id(name, version)
        return json.loads(self._query("SELECT custom_columns FROM map_versions WHERE map_id = ? AND version = ?",
                                      [map_id, int(version)])[0][0])
