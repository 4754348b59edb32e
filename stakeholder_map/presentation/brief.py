"""Department brief: one printable page to prepare a meeting with a department.

:func:`brief_page` lays out, for one department, what
:func:`~stakeholder_map.tracking.brief.department_brief_facts` gathers: the
stance mix now and over the last weeks (an inline SVG chart), the milestones that apply and
their status, the suggested approach and pitch angle, the key influencers
and the blockers with what we know of them (their notes) and when we last
talked, the insiders and outsiders who can carry the message, the next
conversations with their best messenger, who moved lately, and the latest
conversation notes.

The result is a self-contained HTML page: inline CSS only, no script, no
image, font or link to fetch (its content policy forbids them), laid out to print on one A4
page (``@media print``: long notes are cut to fit), in the app's stance colours
(:data:`.styles.STANCE_COLOURS`), so it can be downloaded, mailed and printed. Every piece of text that comes from
the user's files (names, roles, departments, notes, activities, milestone
labels) goes through :func:`html.escape`.

Examples
--------
>>> import networkx as nx
>>> G = nx.DiGraph([("a", "b")])
>>> nx.set_node_attributes(G, {"a": "Ann <b>", "b": "Bo"}, "name")
>>> nx.set_node_attributes(G, "R&D", "department")
>>> nx.set_node_attributes(G, {"a": 2, "b": -1}, "stance")
>>> from stakeholder_map.tracking.brief import department_brief_facts
>>> page = brief_page(department_brief_facts(G, "R&D", as_of="2026-11-23"))
>>> page.startswith("<!DOCTYPE html>"), "Ann &lt;b&gt;" in page, "Ann <b>" in page
(True, True, False)
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import pandas as pd

from .. import schema as s
from ..tracking.history import STANCE_ORDER, as_date
from .numbers import decimal, percent
from .styles import STANCE_COLOURS

__all__ = ["brief_page", "pitch_kit_html"]

#: Stances whose colour (the app's, :data:`.styles.STANCE_COLOURS`) is dark enough for white numbers.
_WHITE_TEXT = ("resistant", "champion")
_STATUS_COLOURS = {"met": "#1a7f37", "on track": "#2166ac", "at risk": "#b35900", "missed": "#b2182b"}

#: The page's content policy: inline styles and SVG only; no script, nothing fetched, even if opened online.
_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Helvetica, Arial, sans-serif; font-size: 10.5pt; line-height: 1.35;
       color: #1b1b1b; background: #fff; margin: 0; }
main { max-width: 190mm; margin: 0 auto; padding: 10mm 8mm; }
header { border-bottom: 2px solid #2166ac; margin-bottom: 8px; padding-bottom: 4px; }
h1 { font-size: 19pt; margin: 0; }
h2 { font-size: 12pt; margin: 12px 0 4px; color: #2166ac; border-bottom: 1px solid #d0d7de; }
p { margin: 4px 0; }
.meta { color: #57606a; font-size: 9pt; font-weight: normal; margin-left: 8px; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0 14px; }
table { width: 100%; border-collapse: collapse; font-size: 9pt; margin: 2px 0 4px; }
th, td { text-align: left; vertical-align: top; padding: 2px 4px; border-bottom: 1px solid #e5e7eb; }
th { color: #57606a; font-weight: 600; }
td.num { text-align: right; white-space: nowrap; }
table.fixed { table-layout: fixed; }
table.fixed td { overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; color: #fff; font-size: 8.5pt;
         white-space: nowrap; }
.now { display: flex; align-items: center; gap: 5px; white-space: nowrap; }
.bar { position: relative; height: 9px; background: #eef1f4; border-radius: 2px; width: 70px; flex: none; }
.bar span { position: absolute; left: 0; top: 0; bottom: 0; background: #2166ac; border-radius: 2px; }
.bar i { position: absolute; top: -2px; bottom: -2px; border-left: 2px solid #1b1b1b; }
.legend span { display: inline-block; margin-right: 10px; font-size: 8.5pt; }
.legend b { display: inline-block; width: 10px; height: 10px; margin-right: 3px; vertical-align: -1px;
            border: 1px solid #999; }
.note { color: #3d444d; }
.muted { color: #6e7781; }
.callout { background: #f3f8fc; border-left: 3px solid #2166ac; padding: 4px 8px; margin: 4px 0; }
footer { margin-top: 10px; color: #6e7781; font-size: 8pt; border-top: 1px solid #d0d7de; padding-top: 4px; }
section { break-inside: avoid; page-break-inside: avoid; }
.kit { margin-top: 18px; border-top: 2px solid #2166ac; padding-top: 6px; }
.kit header { border-bottom: none; margin-bottom: 2px; }
.kit ol { margin: 2px 0 4px 18px; padding: 0; }
.kit li { margin: 2px 0; }
.tag { display: inline-block; padding: 0 5px; border-radius: 3px; background: #eef1f4; color: #3d444d;
       font-size: 8.5pt; margin-right: 4px; white-space: nowrap; }
.spark { vertical-align: middle; margin-right: 8px; }
td.day, span.day { white-space: nowrap; }
@page { size: A4; margin: 10mm; }
@media print {
  main { padding: 0; max-width: none; }
  body { font-size: 8pt; line-height: 1.25; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h1 { font-size: 15pt; }
  h2 { font-size: 10pt; margin: 4px 0 1px; break-after: avoid; page-break-after: avoid; }
  p { margin: 2px 0; }
  table { font-size: 7.5pt; }
  th, td { padding: 1px 3px; }
  .badge { font-size: 7pt; }
  footer { margin-top: 6px; }
  /* One A4 page: long notes are cut on paper, to two lines about a person and one line in "their words"
     (the screen shows them whole). */
  .note { display: -webkit-box; -webkit-line-clamp: 2; line-clamp: 2; -webkit-box-orient: vertical;
          overflow: hidden; }
  .note.line { -webkit-line-clamp: 1; line-clamp: 1; }
  /* The pitch kit is the second page. */
  .kit { break-before: page; page-break-before: always; margin-top: 0; border-top: none; padding-top: 0; }
  .kit header { border-bottom: 2px solid #2166ac; }
  .tag { font-size: 7pt; }
}
"""


def _e(value: Any) -> str:
    """Escaped text; None and NaN become an empty string."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def _pct(value: float | None) -> str:
    return percent(value)


def _date(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return as_date(value).isoformat()


def _table(headers: list[str], rows: list[list[str]], *, numeric: Iterable[int] = (),
           nowrap: Iterable[int] = (), widths: Iterable[int] = ()) -> str:
    """An HTML table; ``rows`` hold HTML that is already escaped.

    ``widths`` (percent per column) fixes the layout, so a long note wraps in its own column instead of
    squeezing the others (and lengthening every row).
    """
    if not rows:
        return '<p class="muted">None.</p>'
    kind = {i: "num" for i in numeric} | {i: "day" for i in nowrap}
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f'<td class="{kind[i]}">{c}</td>' if i in kind else f"<td>{c}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    cols = "".join(f'<col style="width:{w}%">' for w in widths)
    layout = f'<table class="fixed"><colgroup>{cols}</colgroup>' if cols else "<table>"
    return f"{layout}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _mix_svg(mix: pd.DataFrame, dates: list[date]) -> str:
    """Stacked horizontal bars of the stance mix, one per date (latest last)."""
    width, label_w, row_h, gap = 560, 78, 15, 4
    bar_w = width - label_w - 40
    height = len(dates) * (row_h + gap)
    parts = [f'<svg width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="Stance mix over time">']
    for r, day in enumerate(dates):
        y = r * (row_h + gap)
        rows = mix[mix["date"] == day]
        size = int(rows["count"].sum())
        parts.append(f'<text x="0" y="{y + row_h - 4}" font-size="10" fill="#57606a">{_e(day.isoformat())}</text>')
        x = float(label_w)
        for label in STANCE_ORDER:
            n = int(rows.loc[rows[s.STANCE] == label, "count"].sum())
            if not n or not size:
                continue
            w = bar_w * n / size
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h}" '
                         f'fill="{STANCE_COLOURS[label]}" stroke="#ffffff" stroke-width="0.5">'
                         f"<title>{_e(label)}: {n}</title></rect>")
            if w >= 16:
                dark = label in _WHITE_TEXT
                parts.append(f'<text x="{x + w / 2:.1f}" y="{y + row_h - 4}" font-size="9" text-anchor="middle" '
                             f'fill="{"#ffffff" if dark else "#1b1b1b"}">{n}</text>')
            x += w
        support = int(rows.loc[rows[s.STANCE].isin(["supporter", "champion"]), "count"].sum())
        parts.append(f'<text x="{label_w + bar_w + 4}" y="{y + row_h - 4}" font-size="10" fill="#1b1b1b">'
                     f"{_pct(support / size if size else None)}</text>")
    parts.append("</svg>")
    legend = "".join(f'<span><b style="background:{STANCE_COLOURS[k]}"></b>{_e(k)}</span>' for k in STANCE_ORDER)
    note = '<span class="muted">(right: supporter or better)</span>'
    return "".join(parts) + f'<div class="legend">{legend} {note}</div>'


def _progress_bar(value: float | None, target: float) -> str:
    v = 0.0 if value is None else max(0.0, min(1.0, value))
    return (f'<div class="bar" title="{_pct(value)} of {_pct(target)}"><span style="width:{v * 100:.1f}%"></span>'
            f'<i style="left:{min(target, 1.0) * 100:.1f}%"></i></div>')


def _badge(status: str) -> str:
    colour = _STATUS_COLOURS.get(status, "#57606a")
    return f'<span class="badge" style="background:{colour}">{_e(status)}</span>'


def brief_page(facts: dict, *, map_name: str | None = None) -> str:
    """A print-friendly HTML briefing on one department: the brief on one A4 page, the pitch kit on a second.

    Parameters
    ----------
    facts : dict
        What :func:`~stakeholder_map.tracking.brief.department_brief_facts`
        gathered on the department (a workspace gives it:
        ``Workspace.brief_facts``).
    map_name : str, optional
        Shown in the header.

    Returns
    -------
    str
        A complete HTML document (UTF-8; every CSV-derived text escaped).
    """
    department, seed = facts["department"], facts["seed"]
    as_of, weeks, size, dates = facts["as_of"], facts["weeks"], facts["size"], facts["dates"]
    info, champions, last_talk = facts["people"], facts["champions"], facts["last_talk"]

    def person(pid: str) -> str:
        r = info.get(pid, {})
        mark = ' <span class="badge" style="background:#2166ac">champion pick</span>' if pid in champions else ""
        return f"<b>{_e(r.get(s.NAME, pid))}</b>{mark}"

    def talked(pid: str) -> str:
        if pid not in last_talk:
            return '<span class="muted">not yet</span>'
        day, act = last_talk[pid]
        return (f'<span class="day">{_e(day.isoformat())}</span>'
                + (f" {_e(act)}" if isinstance(act, str) and act else ""))

    # ---- stance mix now and over time
    assumed = facts["assumed"]
    trend = (f"{_pct(facts['support_now'])} supporter or better, {facts['change']:+.0f} points since "
             f"{dates[0].isoformat()}."
             + (f' <span class="muted">{assumed} of {size} stances on the first date are carried back from a '
                f"later record.</span>" if assumed else ""))

    # ---- milestones
    milestone_rows = []
    for r in facts["milestones"]:
        extra = ""
        if r["department_share"] is not None:
            extra = f'<br><span class="muted">{_e(department)}: {_pct(r["department_share"])}</span>'
        elif r["department_engaged"] is not None:
            extra = (f'<br><span class="muted">{_e(department)}: '
                     f'{"champion engaged" if r["department_engaged"] else "no champion engaged yet"}</span>')
        milestone_rows.append([
            _e(r["label"]) + extra,
            f'<div class="now">{_pct(r["value"])}{_progress_bar(r["value"], r["target"])}</div>',
            _pct(r["target"]), _pct(r["projected"]), _e(_date(r["due"])), _badge(r["status"]),
        ])

    # ---- people
    key_people = []
    for key in facts["key_people"]:
        pid = key["id"]
        tags = (' <span class="badge" style="background:#57606a">influencer</span>' if key["influencer"]
                else "") + (' <span class="badge" style="background:#b35900">blocker</span>'
                            if key["blocker"] else "")
        key_people.append([person(pid) + tags, _e(info[pid].get(s.ROLE)),
                           _e(s.stance_label(info[pid].get(s.STANCE))),
                           f'<span class="note">{_e(info[pid].get(s.NOTES))}</span>', talked(pid)])
    insiders = facts["insiders"]
    insider_rows = [[person(pid) + f'<br><span class="muted">{_e(info[pid].get(s.ROLE))}</span>'
                     if len(insiders) <= 2 else person(pid),
                     _e(s.stance_label(info[pid].get(s.STANCE))), talked(pid)] for pid in insiders[:5]]
    outsiders = [[person(p["id"]), _e(p["department"]), _e(s.stance_label(info[p["id"]].get(s.STANCE))),
                  f'{p["weight"]:.0f}'] for p in facts["brokers"]]

    # ---- next conversations
    conversation_rows = [[
        person(r[s.ID]) + (' <span class="badge" style="background:#b35900">blocker</span>' if r["blocker"] else ""),
        _e(r[s.STANCE]), decimal(r["gain"]),
        (_e(r["path_names"]) + f' <span class="muted">({_pct(r["path_probability"])})</span>')
        if r.get("messenger") else '<span class="muted">no chain: talk directly</span>',
        _e(r.get("insider") or ""), talked(r[s.ID]),
    ] for r in facts["conversations"]]

    # ---- what moved, what they said
    moved_rows = [[person(r[s.ID]), f'{_e(r["from"])} → {_e(r["to"])}', _e(_date(r["moved_on"])),
                   "yes" if r["engaged"] else '<span class="muted">no</span>'] for r in facts["moved"]]
    said_rows = [[_e(r["date"].isoformat()), person(r["id"]), _e(r["activity"]), _e(r["stance"]),
                  f'<span class="note line">{_e(r["note"])}</span>'] for r in facts["said"]]

    mix = facts["mix"]
    n_milestones = len(facts["milestones"])
    title = f"{department} — department brief"
    subtitle = " · ".join(x for x in (
        _e(map_name) if map_name else "", f"as of {as_of.isoformat()}", f"{size} people",
        f"{n_milestones} milestone{'s' if n_milestones != 1 else ''}") if x)
    body = f"""
<header><h1>{_e(department)} <span class="meta">Department brief · {subtitle}</span></h1></header>
<section><h2>Where they stand</h2>
{_mix_svg(mix, dates)}
<p>{trend}</p></section>
<section><h2>Milestones</h2>
{_table(["milestone", "now", "target", "projected", "due", "status"], milestone_rows)}</section>
<section><h2>Suggested approach</h2>
<div class="callout"><p>{_e(facts["approach"])}</p>
<p><b>Pitch angle:</b> {_e(facts["pitch"])}</p></div></section>
<section><h2>Key people: whom others follow, and who blocks</h2>
{_table(["person", "role", "stance", "what we know (notes, motivations)", "last talked"], key_people,
        widths=[22, 17, 9, 38, 14])}</section>
<div class="grid">
<section><h2>Champions inside</h2>
{_table(["person", "stance", "last talked"], insider_rows)}</section>
<div><section><h2>Influence from outside</h2>
{_table(["person", "department", "stance", "tie weight in"], outsiders, numeric=[3])}</section>
<section><h2>What moved (last {weeks} weeks)</h2>
{_table(["person", "from → to", "on", "talked first"], moved_rows, nowrap=[2])}</section></div>
</div>
<section><h2>Next conversations</h2>
{_table(["person", "stance", "adds", "best messenger (chain, chance)", "insider", "last talked"],
        conversation_rows, numeric=[2])}</section>
<section><h2>In their words (latest notes)</h2>
{_table(["date", "person", "activity", "stance", "note"], said_rows, nowrap=[0],
        widths=[11, 19, 10, 9, 51])}</section>
<footer>Stakeholder Map, {_e(datetime.now().strftime("%Y-%m-%d %H:%M"))}. A stance on a date is the latest
recorded on or before it. "Adds": expected extra adopters if convinced (seed {int(seed)}); "chance": product of
the chain's tie probabilities.</footer>"""
    if facts.get("kit") is not None:
        body += "\n" + pitch_kit_html(facts)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">'
            f"<title>{_e(title)}</title><style>{_CSS}</style></head>"
            f"<body><main>{body}\n</main></body></html>\n")


def _sparkline(values: list[float], *, width: int = 120, height: int = 28) -> str:
    """A small line of shares (0..1) over time, latest right; no text (the caption says the numbers)."""
    if len(values) < 2:
        return ""
    step = width / (len(values) - 1)
    points = " ".join(f"{i * step:.1f},{height - 2 - v * (height - 4):.1f}" for i, v in enumerate(values))
    last_x, last_y = (len(values) - 1) * step, height - 2 - values[-1] * (height - 4)
    return (f'<svg class="spark" width="{width + 4}" height="{height}" viewBox="-2 0 {width + 4} {height}" '
            f'role="img" aria-label="Share supporter or better, week by week">'
            f'<line x1="0" y1="{height - 2}" x2="{width}" y2="{height - 2}" stroke="#d0d7de"/>'
            f'<polyline points="{points}" fill="none" stroke="{STANCE_COLOURS["supporter"]}" stroke-width="2"/>'
            f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2.5" fill="{STANCE_COLOURS["champion"]}"/></svg>')


def _people_list(info: dict, ids: list[str], *, role: bool = True) -> str:
    """Bold names with their role and stance, comma-separated (escaped)."""
    parts = []
    for pid in ids:
        r = info.get(pid, {})
        extra = ", ".join(x for x in ((_e(r.get(s.ROLE)) if role else ""),
                                     _e(s.stance_label(r.get(s.STANCE)))) if x)
        parts.append(f"<b>{_e(r.get(s.NAME, pid))}</b>" + (f' <span class="muted">({extra})</span>' if extra else ""))
    return "; ".join(parts)


def _motivations(kit: dict, department: str, info: dict, size: int) -> str:
    roles = ", ".join(f"{_e(role)} ({n})" for role, n in kit["roles"])
    lines = [f"<p><b>Their work:</b> {roles}.</p>" if roles else
             '<p class="muted">No roles recorded for its people.</p>']
    if kit["notes_hidden"]:
        lines.append('<p class="muted">Notes are not shown to viewers: ask an editor of this map what moves them.</p>')
        return "".join(lines)
    if not kit["noted"]:
        lines.append(f'<p class="muted">No notes about {_e(department)}\'s people or conversations with them yet, so '
                     "nothing here says what motivates them. Ask (questions below), and log what they say on the "
                     "Engagement page.</p>")
        return "".join(lines)
    rows = [[_e(t["theme"]), f'{len(t["people"])}',
             f'<span class="note">“{_e(t["quote"][1])}”</span> <span class="muted">— on '
             f'{_e(info.get(t["quote"][0], {}).get(s.NAME, t["quote"][0]))}</span>'] for t in kit["themes"][:5]]
    lines.append(f'<p class="muted">From the notes on {len(kit["noted"])} of its {size} people and on conversations '
                 "with them: themes that recur (words found in the notes; read them before you rely on them).</p>")
    lines.append(_table(["theme", "people", "in the notes"], rows, numeric=[1], widths=[24, 8, 68])
                 if rows else '<p class="muted">The notes touch none of the usual themes (cost, risk, dates, '
                              "reporting, tool overlap, training, workload): read them in the brief.</p>")
    return "".join(lines)


def _pilot(kit: dict, department: str, weeks: int) -> str:
    pilot = kit["pilot"]
    if pilot is None:
        return ('<p class="muted">No pilot department yet: choose one on the Champions page (pilot ranking), '
                "then bring its results here.</p>")
    name = _e(pilot["department"])
    why = (f"{name} is the pilot department." if pilot["source"] == "chosen" else
           f'<span class="muted">{name} is the suggested pilot (top of the Champions page\'s pilot ranking); '
           "name the actual pilot when you make the brief.</span>")
    own = (f" <b>{_e(department)} is the pilot:</b> these are its own results, to share with the departments "
           "that watch it." if kit["is_pilot"] else "")
    moved = f'{pilot["moved_up"]} people moved towards support, {pilot["moved_down"]} away'
    return (f'<p>{_sparkline(pilot["support"])}<b>{name}: {_pct(pilot["support_now"])} supporter or better</b>, '
            f'{pilot["change"]:+.0f} points in {weeks} weeks; {moved}; {pilot["champions"]} champions of '
            f'{pilot["size"]}; {pilot["talked"]} conversations logged.{own}</p><p>{why}</p>')


def _asks(kit: dict, department: str) -> str:
    rows = []
    for r in kit["asks"]:
        here = ""
        if r.get("department_share") is not None:
            here = f'{_e(department)}: {_pct(r["department_share"])}'
        elif r.get("department_engaged") is not None:
            here = f'{_e(department)}: ' + ("champion engaged" if r["department_engaged"] else "none engaged yet")
        else:
            here = f'{_pct(r["value"])} of {_pct(r["target"])}'
        rows.append([_e(r["label"]), here, _badge(r["status"])])
    if not rows:
        return '<p class="muted">No milestone applies to them yet: agree one with them (see the questions).</p>'
    return _table(["milestone", "where they are", "status"], rows, widths=[60, 26, 14])


def _carriers(kit: dict, info: dict, department: str) -> str:
    if kit["champions"]:
        whose = ("the champion picks who work there" if kit["champions_from"] == "picks"
                 else "its supporters others follow most")
        inside = f'<p><b>Champions inside</b> <span class="muted">({whose})</span>: ' \
                 f'{_people_list(info, kit["champions"])}.</p>'
    else:
        inside = (f'<p><b>Champions inside:</b> <span class="muted">nobody in {_e(department)} supports it yet: '
                  "start with the messengers below.</span></p>")
    messengers = "".join(
        f'<li><b>{_e(m["name"])}</b> <span class="muted">({_e(m["department"])}, {_e(m["stance"])})</span> → '
        f'{_e(", ".join(str(n) for n in m["reaches"]))}</li>' for m in kit["messengers"])
    messengers = (f"<p><b>Messengers</b> (who reaches whom best, from the next conversations):</p><ol>{messengers}</ol>"
                  if messengers else '<p class="muted">No messenger found: talk to them directly.</p>')
    outside = (f'<p><b>Supporters outside who influence them:</b> {_people_list(info, kit["outside"])}.</p>'
               if kit["outside"] else "")
    return inside + messengers + outside


def pitch_kit_html(facts: dict) -> str:
    """The pitch kit of the brief's department, as an HTML ``<div>`` (its own A4 page when printed).

    What moves them (roles, themes of the notes, in their words), the pilot's results, what is asked of
    them, who carries it and the open questions that leave decisions to them
    (:func:`~stakeholder_map.tracking.pitch_kit.pitch_kit`). Every CSV-derived text is escaped.
    """
    kit, department, info = facts["kit"], facts["department"], facts["people"]
    questions = "".join(f'<li><span class="tag">{_e(q["decision"])}</span>{_e(q["question"])}</li>'
                        for q in kit["questions"])
    return f"""<div class="kit">
<header><h1>{_e(department)} <span class="meta">Pitch kit · for the moment they are ready · as of
{facts["as_of"].isoformat()}</span></h1></header>
<section><h2>What moves them</h2>{_motivations(kit, department, info, facts["size"])}</section>
<section><h2>Results to bring</h2>{_pilot(kit, department, facts["weeks"])}</section>
<section><h2>What the plan asks of them</h2>{_asks(kit, department)}</section>
<section><h2>Who carries it</h2>{_carriers(kit, info, department)}</section>
<section><h2>Questions to ask: decisions they can own</h2>
<p class="muted">Leave the idea open: these hand them the choices, rather than a finished plan.</p>
<ol>{questions}</ol></section>
</div>"""
