"""Who did what: the store's audit log, written inside each write's own transaction, and read back.

Every write method of :class:`~stakeholder_map.store.Store` takes ``by=`` (the
signed-in person's e-mail address, ``"local user"`` without sign-in, None from
library code that does not say) and appends one row here in the same
transaction: the write and its row land together or not at all. The log
belongs to the database, not to a map: deleting or replacing a map keeps it.

A row holds the action (the store method's name, e.g. ``log_engagement``), its
subject (an engagement or milestone id, a stakeholder id, a member's address)
and a small JSON ``detail`` of ids, counts, dates and roles — never names,
notes or touchpoint text, so that erasing a person leaves nothing of them here
beyond their id.

A part of :class:`~stakeholder_map.store.Store` (it mixes this class in).
"""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd

__all__ = ["AuditRecords", "AUDIT_COLUMNS"]

#: The columns of :meth:`AuditRecords.audit_log`.
AUDIT_COLUMNS = ["at", "actor", "map", "action", "subject", "detail"]


class AuditRecords:
    """The store's audit log (mixed into :class:`Store`)."""

    def _audit(self, action: str, *, by: str | None, map_id: int | None = None, map_name: str | None = None,
               subject: object = None, detail: dict | None = None) -> None:
        """Append one row; call it inside the write's :meth:`atomic` block."""
        self._query('INSERT INTO audit_log ("at", actor, map_id, map, action, subject, detail) '
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [datetime.now(), by.strip() if isinstance(by, str) and by.strip() else None, map_id, map_name,
                     action, None if subject is None else str(subject),
                     json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str) if detail else None])

    def audit_log(self, map_name: str | None = None) -> pd.DataFrame:
        """Who did what, oldest first: at, actor, map, action, subject, detail (JSON text).

        Parameters
        ----------
        map_name : str, optional
            Only the rows of this map (under any name it had: a rename
            follows it). Default: every row, those about members of every map
            and those of deleted maps included.

        Raises
        ------
        MapNotFound
            ``map_name`` names no map.

        Examples
        --------
        >>> from stakeholder_map.store import Store
        >>> with Store(":memory:") as store:
        ...     store.create_map("M", by="ann@x.org")
        ...     store.rename_map("M", "Pilot", by="ann@x.org")
        ...     store.audit_log("Pilot")[["actor", "map", "action", "detail"]].values.tolist()
        [['ann@x.org', 'M', 'create_map', None], ['ann@x.org', 'Pilot', 'rename_map', '{"from": "M", "to": "Pilot"}']]
        """
        if map_name is None:
            frame = self._frame('SELECT "at", actor, map, action, subject, detail FROM audit_log ORDER BY "at", rowid')
        else:
            map_id = self._map_id(map_name)
            frame = self._frame("""SELECT "at", actor, map, action, subject, detail FROM audit_log
                                   WHERE map_id = ? ORDER BY "at", rowid""", [map_id])
        for column in AUDIT_COLUMNS[1:]:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        return frame
