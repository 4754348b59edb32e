"""Erasing a person from the store, and compacting the file so their text is really gone.

A part of :class:`~stakeholder_map.store.Store` (it mixes this class in).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import duckdb

from .connection import connect, translate
from .reports import ErasureReport

__all__ = ["Erasure"]


class Erasure:
    """Erase a person with everything recorded about them (mixed into :class:`Store`)."""

    # ------------------------------------------------------------- privacy

    def erase_person(self, name: str, stakeholder_id: str, *, compact: bool = True,
                     by: str | None = None) -> ErasureReport:
        """Remove a person from a map with everything recorded about them, in one transaction.

        Their row goes, and with it every tie from or to them, their
        engagements, their stance history, the change records of every
        engagement that ever concerned them, and their rows and ties in every
        version of the map (also when they left the map in a later import). Other people's free-text notes
        are not searched for their name.

        The audit log gets one row (``by`` = who erased): the person's id and
        the rows removed per table, never their name, notes or touchpoint text.
        The log's earlier rows hold no such text either (only ids, dates and
        counts), so nothing of the person but their id stays in it.

        Parameters
        ----------
        name : str
            The map.
        stakeholder_id : str
            The person's id.
        compact : bool
            Then rewrite the database file (:meth:`compact`), so that the
            removed rows leave no bytes behind in it. Default True.
        by : str, optional
            Who erased (the audit log's actor).

        Returns
        -------
        ErasureReport
            Rows removed per table.

        Raises
        ------
        MapNotFound, UnknownStakeholder

        Examples
        --------
        >>> from io import BytesIO
        >>> from stakeholder_map.store import Store
        >>> from stakeholder_map.ingest import read_map
        >>> with Store(":memory:") as store:
        ...     _ = store.import_map("M", read_map(BytesIO(b"id,name,stance\\n1,Ann,skeptic\\n2,Bo,\\n"),
        ...                                        BytesIO(b"source,target\\n1,2\\n2,1\\n")))
        ...     report = store.erase_person("M", "1")
        ...     print(report.people, report.ties, report.stance_history, store.people("M")["id"].tolist())
        1 2 1 ['2']
        """
        with self.atomic():
            map_id = self._map_id(name)
            if not self._query("SELECT 1 FROM person_versions WHERE map_id = ? AND id = ?", [map_id, stakeholder_id]):
                self._check_person(map_id, stakeholder_id)  # someone who left the map is still in its versions

            def delete(sql: str, params: list) -> int:
                return int(self._query(sql, params)[0][0])

            changes = delete("""DELETE FROM engagement_changes WHERE map_id = ?
                                AND (json_extract_string(before, '$.stakeholder_id') = ?
                                     OR json_extract_string(after, '$.stakeholder_id') = ?)""",
                             [map_id, stakeholder_id, stakeholder_id])
            ties = delete("DELETE FROM ties WHERE map_id = ? AND (source = ? OR target = ?)",
                          [map_id, stakeholder_id, stakeholder_id])
            events = delete("DELETE FROM engagements WHERE map_id = ? AND stakeholder_id = ?", [map_id, stakeholder_id])
            history = delete("DELETE FROM stance_history WHERE map_id = ? AND stakeholder_id = ?",
                             [map_id, stakeholder_id])
            surveyed = sum(delete(f"DELETE FROM {table} WHERE map_id = ? AND (? IN ({columns}))",
                                  [map_id, stakeholder_id])
                           for table, columns in (("survey_responses", "respondent, named"),
                                                  ("survey_invitations", "stakeholder_id"),
                                                  ("survey_ties", "source, target")))
            people = delete("DELETE FROM stakeholders WHERE map_id = ? AND id = ?", [map_id, stakeholder_id])
            versioned = (delete("DELETE FROM person_versions WHERE map_id = ? AND id = ?", [map_id, stakeholder_id])
                         + delete("DELETE FROM tie_versions WHERE map_id = ? AND (source = ? OR target = ?)",
                                  [map_id, stakeholder_id, stakeholder_id]))
            self._query("UPDATE maps SET updated_at = ? WHERE map_id = ?", [datetime.now(), map_id])
            self._audit("erase_person", by=by, map_id=map_id, map_name=name, subject=stakeholder_id,
                        detail={"people": people, "ties": ties, "engagements": events, "stance_history": history,
                                "engagement_changes": changes, "survey_rows": surveyed,
                                "version_rows": versioned})
        compacted = self.compact() if compact else False
        return ErasureReport(name, stakeholder_id, people, ties, events, history, changes, compacted)

    def compact(self) -> bool:
        """Rewrite the database file so that deleted rows leave no bytes behind in it.

        DuckDB marks deleted rows and reuses their blocks later; until then
        their bytes stay in the file. This copies every table into a fresh
        file, swaps it in (an atomic rename) and reopens it; threads sharing
        this ``Store`` carry on with the new file. Does nothing in memory or
        read-only, nor inside an :meth:`atomic` block (the rewrite needs the
        transaction to be over). Returns whether the file was rewritten.

        Only this ``Store`` may have the file open in this process (the
        dashboard shares one; each CLI command opens its own).
        """
        if self.path == ":memory:" or self.read_only or getattr(self._local, "depth", 0):
            return False
        path = Path(self.path)
        fresh = path.with_name(path.name + ".compacting")
        with self._writing:
            for leftover in (fresh, Path(f"{fresh}.wal")):
                leftover.unlink(missing_ok=True)
            con = self._root
            try:
                con.execute("CHECKPOINT")
                source = con.execute("SELECT current_database()").fetchone()[0]
                con.execute("ATTACH '" + str(fresh).replace("'", "''") + "' AS stakeholder_map_compacted")
                try:
                    con.execute('COPY FROM DATABASE "' + source.replace('"', '""') + '" TO stakeholder_map_compacted')
                finally:
                    con.execute("DETACH stakeholder_map_compacted")
            except duckdb.Error as e:
                fresh.unlink(missing_ok=True)
                raise translate(e) from None
            with self._cursors:
                self._generation += 1
                self._root.close()
                os.replace(fresh, path)
                self._root = connect(self.path, read_only=False, timeout=self._timeout)
        return True
