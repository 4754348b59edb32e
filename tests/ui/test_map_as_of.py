"""The Map page's "Stances as of" date: colours and the stance filter follow the stances of that day."""

from __future__ import annotations

from datetime import date, timedelta

from tests.ui.ui_support import SMALL_MAP, drawn_view, page, store_of

from stakeholder_map.presentation import styles
from stakeholder_map.ui import state
from stakeholder_map.ui.pages import map as map_page


def colours(at) -> dict[str, str]:
    out = {}
    for node in drawn_view(at)["nodes"]:
        colour = node["color"]
        out[node["id"]] = colour["background"] if isinstance(colour, dict) else colour
    return out


def test_stances_as_of_a_past_date(db):
    past = date.today() - timedelta(days=30)
    # b was a supporter a month before the import found them resistant
    store_of(db).log_engagement(SMALL_MAP, when=past, stakeholder_id="b", activity="call", stance_after=1)
    at = page("map").run()
    at.button_group(key=map_page.MAP_COLOUR).set_value("stance").run()
    assert not at.exception
    assert at.date_input(key=map_page.MAP_AS_OF).value is None                    # empty = today
    assert colours(at)["b"] == styles.STANCE_COLOURS["resistant"]

    at.date_input(key=map_page.MAP_AS_OF).set_value(past + timedelta(days=1)).run()
    assert not at.exception
    then = colours(at)
    assert then["b"] == styles.STANCE_COLOURS["supporter"]
    assert then["a"] == styles.STANCE_COLOURS["champion"]                         # carried back
    assert f"Stances as of {(past + timedelta(days=1)).isoformat()}." in at.caption[0].value
    at.multiselect(key=map_page.MAP_STANCES).set_value(["supporter"]).run()
    assert sorted(n["id"] for n in drawn_view(at)["nodes"]) == ["b", "d"]      # the filter follows the date

    at.date_input(key=map_page.MAP_AS_OF).set_value(None).run()
    assert sorted(n["id"] for n in drawn_view(at)["nodes"]) == ["d"]
    assert "Stances as of" not in at.caption[0].value
