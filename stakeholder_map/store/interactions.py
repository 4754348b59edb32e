"""Interaction logs into ties: who e-mailed or met whom, aggregated in DuckDB into weighted ties of one kind.

The log (:class:`~stakeholder_map.ingest_interactions.InteractionLog`: one row
per message and recipient, addresses as small integers) is scanned by DuckDB
straight from Arrow; nothing is looped over in Python. The rules:

- People are matched by e-mail address: the log's (trimmed, lower-case)
  addresses against the map's ``email`` column, trimmed and lower-cased too.
  Two people with one address: the first in file order gets it (a warning
  says how many addresses are shared). Addresses that match nobody are
  counted and a few shown (the most frequent first); their messages' other
  pairs still count.
- A recipient listed twice in one message counts once; a sender writing to
  themselves not at all. A message (or meeting) that lists more than
  ``max_recipients`` addresses besides the sender's is a broadcast and is
  dropped whole.
- ``email``: a tie sender -> each recipient. ``meeting``: a tie organiser ->
  each attendee (linear in the attendees; attendees are not tied to each other).
- Weight of a tie = sum over its messages of ``0.5 ** (age / half_life_days)``
  (compensated sum, rounded to 9 decimals, so that it does not depend on the
  order DuckDB's threads add in; a tie whose weight rounds to 0 is left out),
  age in days before ``as_of``: by default the newest timestamp in the log
  (so the same file always gives the same weights), else the end (24:00 UTC)
  of the given date, and messages after it are left out.
- Reciprocity: a pair with ties both ways is *reciprocated*; the report counts
  such pairs (the ties table has no attribute for it).
- Importing replaces the map's earlier ties of that kind, in one transaction,
  with one audit row (``import_interactions``, counts only, no addresses): a
  re-import of the same log gives the same map.

A part of :class:`~stakeholder_map.store.Store` (it mixes this class in).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pyarrow as pa

from ..errors import StoreError
from ..ingest_interactions import INTERACTION_KINDS, InteractionLog

__all__ = ["InteractionRecords", "InteractionReport", "DEFAULT_MAX_RECIPIENTS", "DEFAULT_HALF_LIFE_DAYS"]

#: A message with more distinct recipients than this is a broadcast and dropped.
DEFAULT_MAX_RECIPIENTS = 25
#: Days after which a message counts half.
DEFAULT_HALF_LIFE_DAYS = 90.0
_DAY_US = 86_400 * 1_000_000
_EXAMPLES = 5


@dataclass(frozen=True)
class InteractionReport:
    """What an interaction import did (all counts are of the whole log, not of one person)."""

    map_name: str
    kind: str
    rows: int
    messages: int
    broadcasts_dropped: int
    after_as_of: int
    pairs_counted: int
    ties: int
    reciprocated_pairs: int
    addresses: int
    unmatched_addresses: int
    unmatched_examples: list[str]
    replaced_ties: int
    as_of: str | None
    max_recipients: int
    half_life_days: float
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The report as plain values (for JSON)."""
        return {k: (list(v) if isinstance(v, list) else v) for k, v in self.__dict__.items()}


def _as_of_micros(as_of: date | None) -> int | None:
    """The end (24:00 UTC) of the day, in microseconds since 1970."""
    if as_of is None:
        return None
    moment = datetime(as_of.year, as_of.month, as_of.day, tzinfo=timezone.utc) + timedelta(days=1)
    return int((moment - datetime(1970, 1, 1, tzinfo=timezone.utc)) / timedelta(microseconds=1))


def _iso(micros: int | None) -> str | None:
    if micros is None:
        return None
    return (datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=int(micros))).isoformat()


class InteractionRecords:
    """Interaction logs into ties (mixed into :class:`Store`)."""

    def import_interactions(self, name: str, log: InteractionLog, *, kind: str | None = None,
                            max_recipients: int = DEFAULT_MAX_RECIPIENTS,
                            half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
                            as_of: date | None = None, by: str | None = None) -> InteractionReport:
        """Turn an interaction log into the map's ties of ``kind``, replacing the earlier ones.

        Parameters
        ----------
        name : str
            The map.
        log : InteractionLog
            From :func:`stakeholder_map.ingest_interactions.read_interactions`.
        kind : {"email", "meeting"}, optional
            The ties' kind (default: the log's, ``meeting`` for iCalendar, else ``email``).
        max_recipients : int
            Messages with more distinct recipients are broadcasts, dropped.
        half_life_days : float
            A message this many days older than ``as_of`` counts half.
        as_of : date, optional
            Ages are counted back from the end of this day (UTC); later
            messages are left out. Default: the newest timestamp in the log.
        by : str, optional
            Who imported (the audit log).

        Returns
        -------
        InteractionReport

        Raises
        ------
        MapNotFound, StoreError
            No such map; a kind or option out of range.

        Examples
        --------
        >>> from io import BytesIO
        >>> from stakeholder_map.ingest import read_map
        >>> from stakeholder_map.ingest_interactions import read_interactions
        >>> from stakeholder_map.store import Store
        >>> log = read_interactions(BytesIO(b"date,from,to\\n2026-01-01,a@x.org,b@x.org\\n"
        ...                                 b"2026-04-01,A@X.org,b@x.org;zed@y.org\\n2026-04-01,b@x.org,a@x.org\\n"))
        >>> with Store(":memory:") as store:
        ...     _ = store.import_map("M", read_map(BytesIO(b"id,name,email\\n1,Ann,a@x.org\\n2,Bo,b@x.org\\n")))
        ...     report = store.import_interactions("M", log, half_life_days=90)
        ...     store.ties("M").round(3).values.tolist(), report.reciprocated_pairs, report.unmatched_examples
        ([['1', '2', 1.5, 'email'], ['2', '1', 1.0, 'email']], 1, ['zed@y.org'])
        """
        kind = kind or log.kind
        if kind not in INTERACTION_KINDS:
            raise StoreError(f"unknown interaction kind {kind!r}; use one of {', '.join(INTERACTION_KINDS)}")
        if int(max_recipients) < 1:
            raise StoreError("the recipient limit is at least 1")
        if not float(half_life_days) > 0:
            raise StoreError("the half-life is a number of days > 0")
        limit = _as_of_micros(as_of)
        con = self._con
        with self.atomic():
            map_id = self._map_id(name)
            con.register("interaction_log", log.pairs)
            con.register("interaction_addresses", pa.table({
                "code": pa.array(range(len(log.addresses)), type=pa.int32()), "address": log.addresses}))
            try:
                report = self._aggregate(con, map_id, name, log, kind, int(max_recipients),
                                         float(half_life_days), limit)
            finally:
                con.unregister("interaction_log")
                con.unregister("interaction_addresses")
                con.execute("DROP TABLE IF EXISTS interaction_people")
                con.execute("DROP TABLE IF EXISTS interaction_ties")
            self._audit("import_interactions", by=by, map_id=map_id, map_name=name, subject=kind, detail={
                "kind": kind, "rows": report.rows, "messages": report.messages, "ties": report.ties,
                "replaced_ties": report.replaced_ties, "broadcasts_dropped": report.broadcasts_dropped,
                "unmatched_addresses": report.unmatched_addresses, "max_recipients": report.max_recipients,
                "half_life_days": report.half_life_days, "as_of": report.as_of})
        return report

    def _aggregate(self, con, map_id: int, name: str, log: InteractionLog, kind: str, max_recipients: int,
                   half_life_days: float, limit: int | None) -> InteractionReport:
        """The work of :meth:`import_interactions`, inside its transaction.

        Per-row masks and per-message counts are numpy vector operations on the
        log's integer columns (no Python loop); matching, the grouping into
        ties, reciprocity and the write are SQL.
        """
        warnings = list(log.warnings)
        # The log's addresses that are someone's (the first person in file order holding the address).
        con.execute("""CREATE TEMP TABLE interaction_people AS
            WITH owners AS (
                SELECT lower(trim(email)) AS address, min(seq) AS seq, count(*) AS holders
                FROM stakeholders WHERE map_id = ? AND email IS NOT NULL AND trim(email) <> '' GROUP BY 1)
            SELECT a.code, o.seq, o.holders FROM interaction_addresses a JOIN owners o USING (address)""", [map_id])
        found = con.execute("SELECT code, seq, holders FROM interaction_people").fetchnumpy()
        shared = int((found["holders"] > 1).sum())
        if shared:
            warnings.append(f"{shared} address{'es' if shared != 1 else ''} of the log belong to several people "
                            "on the map; each was matched to the first of them")
        person = np.full(len(log.addresses), -1, dtype=np.int64)
        person[np.asarray(found["code"], dtype=np.int64)] = np.asarray(found["seq"], dtype=np.int64)
        columns = {c: log.pairs.column(c).to_numpy() for c in ("message", "at", "sender", "recipient")}
        message, at, sender, recipient = (columns[c] for c in ("message", "at", "sender", "recipient"))
        # A message's size: the addresses it lists besides the sender's own; above the limit it is a broadcast.
        listed = sender != recipient
        sizes = np.bincount(message[listed], minlength=int(message.max(initial=-1)) + 1)
        broadcast = sizes > max_recipients
        counted = listed & ~broadcast[message]
        newest = int(at.max()) if len(at) else None
        as_of = limit if limit is not None else newest
        # The newest message is counted; with a date, what is at or after its end (24:00) is not.
        cutoff = limit - 1 if limit is not None else newest
        late = counted & (at > cutoff) if cutoff is not None else np.zeros(len(at), bool)
        source, target = person[sender], person[recipient]
        kept = counted & ~late & (source >= 0) & (target >= 0) & (source != target)
        appearances = (np.bincount(sender, minlength=len(log.addresses))
                       + np.bincount(recipient, minlength=len(log.addresses)))
        unmatched = np.flatnonzero((person < 0) & (appearances > 0))
        unmatched = unmatched[np.lexsort((unmatched, -appearances[unmatched]))]  # most frequent first
        con.register("interaction_kept", pa.table({
            "message": message[kept], "at": at[kept], "s": source[kept], "r": target[kept]}))
        try:
            # A recipient listed twice in one message counts once (the inner grouping).
            con.execute("""CREATE TEMP TABLE interaction_ties AS
                SELECT s, r, round(fsum(pow(0.5, (CAST(? AS DOUBLE) - "at") / (? * ?))), 9) AS weight,
                       count(*) AS messages
                FROM (SELECT message, s, r, min("at") AS "at" FROM interaction_kept GROUP BY message, s, r)
                GROUP BY s, r""", [as_of, float(_DAY_US), half_life_days])
        finally:
            con.unregister("interaction_kept")
        pairs, ties, reciprocated = con.execute("""
            SELECT coalesce(sum(messages), 0), count(*) FILTER (WHERE weight > 0),
                   (SELECT count(*) FROM interaction_ties a JOIN interaction_ties b ON a.s = b.r AND a.r = b.s
                    WHERE a.s < a.r AND a.weight > 0 AND b.weight > 0)
            FROM interaction_ties""").fetchone()
        replaced = con.execute("SELECT count(*) FROM ties WHERE map_id = ? AND kind = ?", [map_id, kind]).fetchone()[0]
        con.execute("DELETE FROM ties WHERE map_id = ? AND kind = ?", [map_id, kind])
        con.execute("""INSERT INTO ties (map_id, seq, source, target, weight, kind)
            SELECT ?, (SELECT coalesce(max(seq), -1) FROM ties WHERE map_id = ?) + row_number() OVER (ORDER BY t.s, t.r),
                   a.id, b.id, t.weight, ?
            FROM interaction_ties t
            JOIN stakeholders a ON a.map_id = ? AND a.seq = t.s
            JOIN stakeholders b ON b.map_id = ? AND b.seq = t.r
            WHERE t.weight > 0""", [map_id, map_id, kind, map_id, map_id])
        con.execute("UPDATE maps SET updated_at = ? WHERE map_id = ?", [datetime.now(), map_id])
        return InteractionReport(
            map_name=name, kind=kind, rows=log.rows, messages=log.messages,
            broadcasts_dropped=int(np.count_nonzero(broadcast)),
            after_as_of=int(np.count_nonzero(np.bincount(message[late], minlength=len(sizes)))),
            pairs_counted=int(pairs), ties=int(ties), reciprocated_pairs=int(reciprocated),
            addresses=len(log.addresses), unmatched_addresses=len(unmatched),
            unmatched_examples=log.addresses.take(pa.array(unmatched[:_EXAMPLES])).to_pylist(),
            replaced_ties=int(replaced), as_of=_iso(as_of), max_recipients=max_recipients,
            half_life_days=half_life_days, warnings=warnings)
