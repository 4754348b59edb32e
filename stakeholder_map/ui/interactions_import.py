"""The Data page's "Collaboration metadata" section: an e-mail or meeting log into the current map's ties.

The page calls :func:`section` with the current map. The same calls as
``stakeholder-map interactions import``: :func:`read_interactions` checks the
file (only who, whom and when are read), :meth:`Member.import_interactions`
replaces the map's ties of the kind, checked and recorded as the session's
member (:func:`stakeholder_map.ui.state.member`: the signed-in admin in team
mode, else the local user, as the CLI's writes are).
"""

from __future__ import annotations

from io import BytesIO

import streamlit as st

from stakeholder_map.errors import ContractError, StakeholderMapError
from stakeholder_map.ingest_interactions import INTERACTION_KINDS, read_interactions
from stakeholder_map.presentation.text import markdown_text
from stakeholder_map.store import DEFAULT_HALF_LIFE_DAYS, DEFAULT_MAX_RECIPIENTS, InteractionReport
from stakeholder_map.ui import state

__all__ = ["section", "report_lines"]

#: Widget keys of the section (the upload box's key has a round that goes up after each import: a new, empty box).
UPLOAD = "interactions_upload:"
ROUND = "interactions_round"
KIND = "interactions_kind"
MAX_RECIPIENTS = "interactions_max_recipients"
HALF_LIFE = "interactions_half_life"
#: The last import's report, shown once in the section (open) after the rerun that follows the import.
REPORT = "interactions_report"
_AUTOMATIC = "automatic (meeting for .ics, else email)"


def report_lines(report: InteractionReport) -> list[str]:
    """What an import did, one Markdown line per figure (addresses escaped)."""
    examples = ", ".join(markdown_text(a) for a in report.unmatched_examples)
    return [
        f"- ties made: {report.ties:,} {report.kind} (replacing {report.replaced_ties:,})",
        f"- {'messages' if report.kind == 'email' else 'meetings'} read: {report.messages:,} ({report.rows:,} rows)",
        f"- broadcasts dropped: {report.broadcasts_dropped:,} (more than {report.max_recipients} recipients)",
        f"- reciprocated pairs: {report.reciprocated_pairs:,}",
        f"- addresses matching nobody on the map: {report.unmatched_addresses:,} of {report.addresses:,}"
        + (f" (e.g. {examples})" if examples else ""),
        f"- weights: half-life {report.half_life_days:g} days, as of {markdown_text(report.as_of or '')}",
    ] + [f"- warning: {markdown_text(w)}" for w in report.warnings]


def section(name: str | None) -> None:
    """Draw the section for the current map (nothing without one)."""
    if name is None:
        return
    done = st.session_state.pop(REPORT, None)
    with st.expander("Collaboration metadata: ties from an e-mail or meeting log", expanded=done is not None):
        if done:
            st.success(done)
        st.caption(
            "A CSV with one row per message (timestamp, sender, recipients separated by ;), one row per "
            "sender–recipient pair, or a calendar (.ics). Only who wrote to or met whom, and when, is read — "
            "never a subject, body or any other column. People are matched by the e-mail column of the map; "
            "the ties replace the map's earlier ties of that kind. See the README, “Collaboration metadata”.")
        round_ = st.session_state.get(ROUND, 0)
        file = st.file_uploader("E-mail or meeting log", type=["csv", "tsv", "txt", "ics"],
                                key=f"{UPLOAD}{round_}")
        kind_column, limit_column, half_column = st.columns(3)
        kind = kind_column.selectbox("Tie kind", [_AUTOMATIC, *INTERACTION_KINDS], key=KIND)
        limit = limit_column.number_input("Broadcast above (recipients)", min_value=1, step=1,
                                          value=DEFAULT_MAX_RECIPIENTS, key=MAX_RECIPIENTS)
        half_life = half_column.number_input("Half-life (days)", min_value=1.0, step=15.0, format="%.0f",
                                             value=DEFAULT_HALF_LIFE_DAYS, key=HALF_LIFE,
                                             help="A message this many days older than the newest one counts half.")
        if not st.button("Make ties", type="primary", disabled=file is None, key="interactions_import"):
            return
        try:
            with st.spinner("Reading the log and making ties…"):
                log = read_interactions(BytesIO(file.getvalue()), name=file.name)
                report = state.member().import_interactions(
                    name, log, kind=None if kind == _AUTOMATIC else kind, max_recipients=int(limit),
                    half_life_days=float(half_life))
        except ContractError as refused:
            st.error(markdown_text(refused.summary().splitlines()[0]) + "\n\n"
                     + "\n".join(f"- {markdown_text(str(p))}" for p in refused.problems)
                     + (f"\n\n… and {refused.more} more" if refused.more else ""))
            return
        except StakeholderMapError as e:
            st.error(markdown_text(str(e)))
            return
        st.session_state[ROUND] = round_ + 1
        st.session_state[REPORT] = (f"Made ties from {markdown_text(file.name)} in the map {markdown_text(name)}:"
                                    "\n\n" + "\n".join(report_lines(report)))
        st.rerun()
