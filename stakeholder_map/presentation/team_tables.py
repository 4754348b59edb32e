"""The Admin page's tables: the members of a map and the audit log, as an admin reads them.

Plain frames in, plain frames out (``Store.members`` and ``Store.audit_log``); the page and the CLI
draw them.

Examples
--------
>>> import pandas as pd
>>> members = pd.DataFrame({"email": ["ann@x.org", "bo@x.org"], "map": ["*", "M"], "role": ["admin", "viewer"],
...                         "added_at": [None, None], "added_by": ["secrets.toml", "ann@x.org"]})
>>> member_choices(members)
{('ann@x.org', '*'): 'ann@x.org · admin · every map', ('bo@x.org', 'M'): 'bo@x.org · viewer · M'}
"""

from __future__ import annotations

import pandas as pd

from ..schema import cell_text

__all__ = ["EVERY_MAP", "ALL_MAPS_LABEL", "member_table", "member_choices", "audit_table"]

#: How the members table names the row of every map.
EVERY_MAP = "*"
#: How a person reads it.
ALL_MAPS_LABEL = "every map"


def _scope(value: object) -> str:
    text = cell_text(value)
    return ALL_MAPS_LABEL if text == EVERY_MAP else text


def member_table(members: pd.DataFrame) -> pd.DataFrame:
    """Members as the page shows them: ``email, role, map`` ("every map" for ``*``), ``added, added by``."""
    return pd.DataFrame({
        "email": [cell_text(v) for v in members["email"]],
        "role": [cell_text(v) for v in members["role"]],
        "map": [_scope(v) for v in members["map"]],
        "added": members["added_at"].to_numpy(),
        "added by": [cell_text(v) for v in members["added_by"]],
    }, columns=["email", "role", "map", "added", "added by"])


def member_choices(members: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(email, map) → "email · role · map" for a picker, in the table's order."""
    return {(cell_text(e), cell_text(m)): f"{cell_text(e)} · {cell_text(r)} · {_scope(m)}"
            for e, m, r in zip(members["email"], members["map"], members["role"])}


def audit_table(log: pd.DataFrame) -> pd.DataFrame:
    """The audit log newest first: ``at, who, map, action, subject, detail`` (who: empty actor shown as "–").

    >>> log = pd.DataFrame({"at": pd.to_datetime(["2026-01-05 09:00", "2026-01-06 10:00"]),
    ...                     "actor": ["ann@x.org", None], "map": ["M", "M"], "action": ["log", "erase"],
    ...                     "subject": ["1", "p7"], "detail": [None, None]})
    >>> audit_table(log)[["who", "action"]].values.tolist()
    [['–', 'erase'], ['ann@x.org', 'log']]
    """
    out = pd.DataFrame({
        "at": log["at"].to_numpy(),
        "who": [cell_text(v) or "–" for v in log["actor"]],
        "map": [_scope(v) for v in log["map"]],
        "action": [cell_text(v) for v in log["action"]],
        "subject": [cell_text(v) for v in log["subject"]],
        "detail": [cell_text(v) for v in log["detail"]],
    }, columns=["at", "who", "map", "action", "subject", "detail"])
    return out.iloc[::-1].reset_index(drop=True)
