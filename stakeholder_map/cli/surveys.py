"""The relationship survey: ``survey create|links|status|close|apply``.

An admin's tool, run as the ``local user``: create a survey of a map from the
question library, write everyone's personal link to a CSV for a mail merge
(``links`` issues fresh tokens and revokes the earlier ones: run it once), follow
the response rate per department, close it, and apply the answers to the map.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..access import Member
from ..surveys import DEFAULT_CONSENT, DEFAULT_QUESTIONS, Question, link_table, survey_definition, survey_link
from .exit_codes import handle_errors
from .options import db_option, format_option, map_option
from .output import emit
from .parsing import parse_date
from .store_access import open_store

_LIBRARY = {q.kind: q for q in DEFAULT_QUESTIONS}


@click.group("survey")
def survey_group() -> None:
    """A relationship survey: who people go to for advice, whom they trust, who helps them learn."""


def _local(store) -> Member:
    return Member(store, None, local=True)


@survey_group.command("create")
@map_option
@click.option("--title", required=True, help="Shown on top of the respondent's page.")
@click.option("--closes", "closes", required=True, help="Last day answers are taken (YYYY-MM-DD).")
@click.option("--question", "questions", multiple=True, type=click.Choice(sorted(_LIBRARY)),
              help="A question of the library by its tie kind (repeat; default: advice, trust, help).")
@click.option("--max-picks", type=click.IntRange(1, 20), default=5, show_default=True,
              help="The most people one may name per question.")
@click.option("--no-strength", is_flag=True, help="Do not ask how often (every tie weighs 1).")
@click.option("--pulse", default=None, help="A question on the change, answered on the stance scale "
              "(e.g. 'How do you feel about the new PM tool?').")
@click.option("--consent", default=DEFAULT_CONSENT, help="The consent text respondents agree to.")
@db_option
@handle_errors
def survey_create_command(map_name, title, closes, questions, max_picks, no_strength, pulse, consent, db) -> None:
    """Create a survey of a map; prints its id."""
    chosen = [Question(_LIBRARY[k].text, k, max_picks) for k in (questions or _LIBRARY)]
    definition = survey_definition(title, closes_on=parse_date(closes, "--closes"), questions=chosen,
                                   consent=consent, strength=not no_strength, pulse=pulse)
    with open_store(db) as store:
        survey_id = _local(store).create_survey(map_name, definition)
    click.echo(f"Survey {survey_id} created on map {map_name!r} ({len(chosen)} questions, closes "
               f"{definition.closes_on.isoformat()}). Next: stakeholder-map survey links {survey_id} --out links.csv "
               "--base-url URL")


@survey_group.command("links")
@click.argument("survey_id", type=int)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
              help="CSV file to write: name, email, link (for a mail merge).")
@click.option("--base-url", required=True, help="The dashboard's address, e.g. https://maps.example.org")
@click.option("--expires", default=None, help="Last day the links work (YYYY-MM-DD; default: the closing day).")
@db_option
@handle_errors
def survey_links_command(survey_id, out, base_url, expires, db) -> None:
    """Write everyone's personal link; earlier links of this survey stop working."""
    from ..export import frame_to_csv

    survey_link(base_url, "")  # a bad base URL is refused before any token is issued
    with open_store(db) as store:
        links = _local(store).issue_links(survey_id, expires_on=parse_date(expires, "--expires"))
    Path(out).write_bytes(frame_to_csv(link_table(links, base_url)))
    click.echo(f"{len(links)} links written to {out}. Earlier links of survey {survey_id} no longer work.")


@survey_group.command("status")
@click.argument("survey_id", type=int)
@db_option
@format_option
@handle_errors
def survey_status_command(survey_id, db, fmt) -> None:
    """Response rate per department (departments under 5 respondents are not shown)."""
    with open_store(db) as store:
        map_name, definition, status = store.survey(survey_id)
        frame = store.survey_status(survey_id)
    if fmt == "table":
        click.echo(f"Survey {survey_id} ({definition.title!r}, map {map_name!r}): {status}, closes "
                   f"{definition.closes_on.isoformat()}")
    emit(frame, fmt, key="departments", extra={"survey": survey_id, "status": status}, safe_csv=True)


@survey_group.command("close")
@click.argument("survey_id", type=int)
@db_option
@handle_errors
def survey_close_command(survey_id, db) -> None:
    """Stop taking answers."""
    with open_store(db) as store:
        _local(store).close_survey(survey_id)
    click.echo(f"Survey {survey_id} is closed.")


@survey_group.command("apply")
@click.argument("survey_id", type=int)
@db_option
@handle_errors
def survey_apply_command(survey_id, db) -> None:
    """Put the answers into the map (ties of each question's kind, pulse into the stance history)."""
    with open_store(db) as store:
        report = _local(store).apply_survey(survey_id)
    click.echo(f"Survey {survey_id} applied: {report.ties} ties from {report.respondents} respondents "
               f"(replacing {report.replaced_ties}), {report.pulse_answers} pulse answers.")
