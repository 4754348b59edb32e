"""What changed between two versions of a map: who joined, who left, what moved, which ties came or went.

Every import of a map is kept as a version (:mod:`stakeholder_map.store.versions`).
:func:`compare_versions` compares two versions' frames (pure: frames in, a
:class:`MapChanges` out); :func:`map_changes` picks the versions (the latest
against the one before it, against the last one before a date, or two given
numbers) and reads their frames from the store.

A person is matched across versions by id. A changed person gets one row per
changed field; e-mail addresses and notes are never compared or shown (they are
private, and a changed address is not a change in the organisation). A custom
column counts only when both versions' files have it: a column added to or
dropped from the file is not a change of every person. Ties are compared as a
multiset of ``(source, target, kind, weight)``: a file may repeat a tie, and one
copy more or less is one tie added or removed; a tie whose weight changed is
the old one removed and the new one added.

Examples
--------
>>> import pandas as pd
>>> before = pd.DataFrame({"id": ["1", "2"], "name": ["Ann", "Bo"], "department": ["IT", "HR"],
...                        "stance": pd.array([-1, None], dtype="Int64")})
>>> after = pd.DataFrame({"id": ["1", "3"], "name": ["Ann", "Cy"], "department": ["IT", "HR"],
...                       "stance": pd.array([1, 2], dtype="Int64")})
>>> ties = pd.DataFrame({"source": ["1"], "target": ["2"], "weight": [1.0], "kind": [None]})
>>> c = compare_versions("M", before, ties, after, ties.iloc[0:0], from_version=1, to_version=2,
...                      from_at=None, to_at=pd.Timestamp("2026-03-01"))
>>> c.joined["id"].tolist(), c.left["id"].tolist(), c.stance_moves()[["id", "before", "after"]].values.tolist()
(['3'], ['2'], [['1', -1, 1]])
>>> c.summary()["ties_removed"], c.is_empty()
(1, False)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import schema as s
from ..errors import VersionNotFound

if TYPE_CHECKING:  # for the annotation only: the store is passed in, never imported here
    from ..store import Store

__all__ = ["MapChanges", "compare_versions", "map_changes", "PERSON_FIELDS", "PEOPLE_COLUMNS", "CHANGED_COLUMNS",
           "TIE_COLUMNS", "CODED_FIELDS", "ATTRIBUTE_PREFIX"]

#: The fields of a person compared between versions, in the order changes are listed.
PERSON_FIELDS = (s.NAME, s.DEPARTMENT, s.ROLE, s.SENIORITY, s.STANCE, s.INFLUENCE, s.INTEREST)
#: Fields holding a code (−2…2 or 1…5), compared and reported as integers.
CODED_FIELDS = (s.SENIORITY, s.STANCE, s.INFLUENCE, s.INTEREST)
#: The columns of ``joined`` and ``left``.
PEOPLE_COLUMNS = (s.ID, *PERSON_FIELDS)
#: The columns of ``changed``: one row per changed field.
CHANGED_COLUMNS = (s.ID, s.NAME, s.DEPARTMENT, "field", "before", "after")
#: The columns of ``ties_added`` and ``ties_removed``.
TIE_COLUMNS = (s.SOURCE, s.TARGET, s.KIND, s.WEIGHT)
#: ``field`` of a changed custom attribute: this prefix and the column's name.
ATTRIBUTE_PREFIX = "attribute:"


@dataclass(frozen=True)
class MapChanges:
    """What changed in a map from one version to another.

    Attributes
    ----------
    map : str
        The map.
    from_version : int or None
        The version compared from; None when there is nothing before (everyone "joined").
    to_version : int
        The version compared to.
    from_at, to_at : datetime
        When those versions were imported (``from_at`` None with ``from_version``).
    joined : DataFrame
        People in ``to_version`` and not in ``from_version`` (:data:`PEOPLE_COLUMNS`), as they are now.
    left : DataFrame
        People in ``from_version`` and not in ``to_version``, as they were.
    changed : DataFrame
        One row per changed field of a person in both (:data:`CHANGED_COLUMNS`): ``name`` and
        ``department`` as they are now; ``field`` one of :data:`PERSON_FIELDS` or
        ``"attribute:<column>"``; ``before``/``after`` plain values (int codes, text, or None for unknown).
    ties_added, ties_removed : DataFrame
        Ties (:data:`TIE_COLUMNS`) in one version and not the other, one row per copy.
    """

    map: str
    from_version: int | None
    to_version: int
    from_at: datetime | None
    to_at: datetime
    joined: pd.DataFrame
    left: pd.DataFrame
    changed: pd.DataFrame
    ties_added: pd.DataFrame
    ties_removed: pd.DataFrame

    def stance_moves(self) -> pd.DataFrame:
        """The rows of ``changed`` whose field is the stance, ``before``/``after`` as ``Int64`` codes."""
        moves = self.changed[self.changed["field"] == s.STANCE].reset_index(drop=True)
        return moves.astype({"before": "Int64", "after": "Int64"})

    def changed_ids(self) -> list[str]:
        """The ids of the people with at least one changed field, in the order ``changed`` lists them."""
        return list(dict.fromkeys(self.changed[s.ID].tolist()))

    def is_empty(self) -> bool:
        """Whether nothing changed (nobody joined or left, no field, no tie)."""
        return not (len(self.joined) or len(self.left) or len(self.changed) or len(self.ties_added)
                    or len(self.ties_removed))

    def summary(self) -> dict[str, Any]:
        """Counts per category, and the versions compared (plain values, fit for JSON).

        ``changed_fields`` counts the changed rows per field (``stance``, ``attribute:site`` …).
        """
        return {
            "map": self.map, "from_version": self.from_version, "to_version": self.to_version,
            "from_at": self.from_at.isoformat() if self.from_at is not None else None,
            "to_at": self.to_at.isoformat(),
            "joined": len(self.joined), "left": len(self.left), "changed_people": len(self.changed_ids()),
            "stance_moves": int((self.changed["field"] == s.STANCE).sum()),
            "changed_fields": {str(k): int(v) for k, v in Counter(self.changed["field"]).items()},
            "ties_added": len(self.ties_added), "ties_removed": len(self.ties_removed),
        }


def _plain(value: Any) -> Any:
    """A cell as a plain value: None for missing or empty text, int for whole numbers."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        return value.strip() or None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _people(frame: pd.DataFrame) -> pd.DataFrame:
    """The compared columns of a people frame (missing ones read as unknown), indexed by id as text."""
    out = pd.DataFrame({s.ID: frame[s.ID].astype(str).to_numpy()}) if len(frame) else pd.DataFrame({s.ID: []})
    for column in PERSON_FIELDS:
        values = frame[column].tolist() if column in frame else [None] * len(frame)
        out[column] = pd.array(values, dtype="Int64") if column in CODED_FIELDS else pd.Series(
            [_plain(v) for v in values], dtype=object)
    return out


def _attributes(frame: pd.DataFrame) -> dict[str, dict]:
    if s.ATTRIBUTES not in frame:
        return {}
    return {str(i): (a if isinstance(a, dict) else {}) for i, a in zip(frame[s.ID], frame[s.ATTRIBUTES])}


_NO_KIND = "\0"  # a missing kind while counting (group keys cannot be None)
_TIE_KEY = [s.SOURCE, s.TARGET, s.KIND, s.WEIGHT]


def _tie_counts(ties: pd.DataFrame | None) -> pd.DataFrame:
    """How many copies of each (source, target, kind, weight) a version holds (``copies``)."""
    if ties is None or ties.empty:
        return pd.DataFrame({**{c: pd.Series(dtype=object) for c in _TIE_KEY[:3]},
                             s.WEIGHT: pd.Series(dtype="float64"), "copies": pd.Series(dtype="int64")})
    kinds = ties[s.KIND] if s.KIND in ties else pd.Series([None] * len(ties), index=ties.index)
    weights = ties[s.WEIGHT] if s.WEIGHT in ties else pd.Series([1.0] * len(ties), index=ties.index)
    frame = pd.DataFrame({s.SOURCE: ties[s.SOURCE].astype(str).tolist(), s.TARGET: ties[s.TARGET].astype(str).tolist(),
                          s.KIND: [k.strip() if isinstance(k, str) and k.strip() else _NO_KIND for k in kinds.tolist()],
                          s.WEIGHT: weights.astype(float).tolist()})
    return frame.groupby(_TIE_KEY, sort=False).size().rename("copies").reset_index()


def _tie_difference(more: pd.DataFrame, fewer: pd.DataFrame) -> pd.DataFrame:
    """The ties ``more`` holds beyond ``fewer`` (a multiset difference), one row per copy, sorted."""
    both = more.merge(fewer, on=_TIE_KEY, how="left", suffixes=("", "_other"))
    extra = (both["copies"] - both["copies_other"].fillna(0)).clip(lower=0).astype("int64")
    frame = both.loc[both.index.repeat(extra), _TIE_KEY]
    frame = frame.sort_values(_TIE_KEY, kind="stable").reset_index(drop=True)
    frame[s.KIND] = frame[s.KIND].astype(object).where(frame[s.KIND] != _NO_KIND, None)
    return frame.astype({s.SOURCE: object, s.TARGET: object, s.WEIGHT: "float64"})


def compare_versions(name: str, before_people: pd.DataFrame | None, before_ties: pd.DataFrame | None,
                     after_people: pd.DataFrame, after_ties: pd.DataFrame, *, from_version: int | None,
                     to_version: int, from_at: datetime | None, to_at: datetime) -> MapChanges:
    """Compare two versions' people and ties (frames as :meth:`Store.people` / :meth:`Store.ties`).

    Parameters
    ----------
    name : str
        The map (carried into the result).
    before_people, before_ties : DataFrame or None
        The older version; None (with ``from_version`` None) when there is none: everyone joined.
    after_people, after_ties : DataFrame
        The newer version.
    from_version, to_version, from_at, to_at
        Which versions these are and when they were imported (carried into the result).

    Returns
    -------
    MapChanges
        Joined and left people in file order, changed fields per person in the newer file's order and
        :data:`PERSON_FIELDS` order (custom attributes after, by column name), ties sorted.
    """
    before_people = before_people if before_people is not None else pd.DataFrame({s.ID: []})
    old, new = _people(before_people), _people(after_people)
    old_ids, new_ids = set(old[s.ID]), set(new[s.ID])
    joined = new[~new[s.ID].isin(old_ids)].reset_index(drop=True)
    left = old[~old[s.ID].isin(new_ids)].reset_index(drop=True)

    old_attributes, new_attributes = _attributes(before_people), _attributes(after_people)
    # Columns both files have: a column added or dropped is not a change of everyone.
    shared = sorted(set().union(*map(set, old_attributes.values()), set())
                    & set().union(*map(set, new_attributes.values()), set()))
    # Compared as lists of plain values, position by position (a row lookup per person is slow on big maps).
    stayed = new[new[s.ID].isin(old_ids)].reset_index(drop=True)
    was = old.set_index(s.ID).loc[stayed[s.ID]].reset_index()
    ids, names, departments = stayed[s.ID].tolist(), stayed[s.NAME].tolist(), stayed[s.DEPARTMENT].tolist()
    found = []  # (position in the newer file, field order, row)
    for order, field in enumerate(PERSON_FIELDS):
        for i, (before, after) in enumerate(zip(map(_plain, was[field]), map(_plain, stayed[field]))):
            if before != after:
                found.append((i, order, (ids[i], names[i], departments[i], field, before, after)))
    for i, person in enumerate(ids):
        then, now = old_attributes.get(person, {}), new_attributes.get(person, {})
        for order, column in enumerate(shared, start=len(PERSON_FIELDS)):
            before, after = _plain(then.get(column)), _plain(now.get(column))
            if before != after:
                found.append((i, order, (person, names[i], departments[i], ATTRIBUTE_PREFIX + column, before, after)))
    rows = [row for _, _, row in sorted(found, key=lambda f: (f[0], f[1]))]
    changed = pd.DataFrame(rows, columns=list(CHANGED_COLUMNS)).astype(object)

    old_ties, new_ties = _tie_counts(before_ties), _tie_counts(after_ties)
    return MapChanges(map=name, from_version=from_version, to_version=int(to_version), from_at=from_at, to_at=to_at,
                      joined=joined[list(PEOPLE_COLUMNS)], left=left[list(PEOPLE_COLUMNS)], changed=changed,
                      ties_added=_tie_difference(new_ties, old_ties), ties_removed=_tie_difference(old_ties, new_ties))


def _pick_versions(versions: pd.DataFrame, name: str, since: date | None, from_version: int | None,
                   to_version: int | None) -> tuple[int | None, int]:
    numbers = versions["version"].tolist()
    if not numbers:
        raise VersionNotFound(f"map {name!r} has no versions yet: import a file into it first")
    for asked in (from_version, to_version):
        if asked is not None and int(asked) not in numbers:
            raise VersionNotFound(f"map {name!r} has no version {asked} (it has {numbers[0]}–{numbers[-1]})")
    if since is not None and from_version is not None:
        raise ValueError("give either since or from_version, not both")
    to = int(to_version) if to_version is not None else numbers[-1]
    if since is not None:
        start = datetime.combine(since, time.min) if not isinstance(since, datetime) else since
        before = versions[(versions["imported_at"] < pd.Timestamp(start)) & (versions["version"] <= to)]
        return (int(before["version"].iat[-1]) if len(before) else numbers[0]), to
    if from_version is not None:
        return int(from_version), to
    earlier = [n for n in numbers if n < to]
    return (earlier[-1] if earlier else None), to


def map_changes(store: "Store", name: str, *, since: date | None = None, from_version: int | None = None,
                to_version: int | None = None) -> MapChanges:
    """What changed in a map between two of its versions.

    Parameters
    ----------
    store : Store
        The open store.
    name : str
        The map.
    since : date, optional
        Compare with the last version imported before this date (before its first moment), or with the
        first version when none was imported before it.
    from_version : int, optional
        Compare from this version (not with ``since``).
    to_version : int, optional
        Compare up to this version (default the latest).

    Returns
    -------
    MapChanges
        By default the latest version against the one before it; against nothing (everyone joined)
        when it is the first.

    Raises
    ------
    MapNotFound, VersionNotFound
        No such map, or it has no versions, or no version of a number asked for.
    ValueError
        Both ``since`` and ``from_version`` given.
    """
    versions = store.map_versions(name)
    start, end = _pick_versions(versions, name, since, from_version, to_version)
    when = dict(zip(versions["version"], versions["imported_at"]))
    before_people = store.people_at_version(name, start) if start is not None else None
    before_ties = store.ties_at_version(name, start) if start is not None else None
    return compare_versions(name, before_people, before_ties, store.people_at_version(name, end),
                            store.ties_at_version(name, end), from_version=start, to_version=end,
                            from_at=when[start].to_pydatetime() if start is not None else None,
                            to_at=when[end].to_pydatetime())
