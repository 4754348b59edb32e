"""The Engagement page's "Seeds planted" tab: exposure per department and where to plant seeds next.

Runs on the ``db`` fixture's small map (six people in IT, HR and Sales; ``a`` champion, ``d`` supporter,
``b`` resistant with an HTML name, ``c`` unknown, ``e`` skeptic, ``f`` neutral).
"""

from __future__ import annotations

from datetime import date

from tests.ui.ui_support import SMALL_MAP, XSS, page, store_of

from stakeholder_map.ui import state
from stakeholder_map.ui.pages import engagement as engagement_page


def run():
    at = page("engagement")
    at.session_state[state.CURRENT_MAP] = SMALL_MAP
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def frame(at, first_column: str, containing: str):
    return next(df.value for df in at.dataframe
                if df.value.columns[0] == first_column and containing in df.value.columns)


def test_the_seeds_tab_shows_exposure_per_department_and_who_to_touch_next(db):
    store = store_of(db)
    store.log_engagement(SMALL_MAP, when=date(2026, 9, 1), stakeholder_id="e", activity="Article")
    store.log_engagement(SMALL_MAP, when=date(2026, 9, 8), stakeholder_id="e", activity="demo seen")
    at = run()
    assert not at.error, [e.value for e in at.error]
    assert "Seeds planted" in [t.label for t in at.tabs]
    departments = frame(at, "department", "share exposed").set_index("department")
    assert departments.loc["Sales", "exposed"] == 1 and departments.loc["Sales", "seed touches"] == 2
    assert departments.loc["IT", "exposed"] == 0 and departments.loc["HR", "share exposed"] == "0%"
    assert any("1 of 6 people" in m.value and "2 seed touches" in m.value for m in at.markdown)
    seeds = frame(at, "rank", "touch")
    # Familiar: Ann (champion), Dee (supporter), Eve (exposed). Bo hears from Ann and Fin from Eve for sure
    # (their only tie in); Cy, of unknown stance, may not (2 ties in): the only one worth a seed.
    assert seeds["name"].tolist() == ["Cy Ode"]
    assert seeds["touch"].iloc[0].startswith("Stance unknown") and seeds["stance"].iloc[0] == "unknown"
    assert 0.1 < seeds["adds"].iloc[0] < 0.4                  # 2/9: neither tie into Cy passes it on
    assert any("stakeholder-map seeds --map 'Small org' -k 5 --seed 0" in c.value for c in at.code)


def test_a_talk_counts_as_familiar_and_then_nobody_is_left(db):
    store = store_of(db)
    store.log_engagement(SMALL_MAP, when=date(2026, 9, 1), stakeholder_id="e", activity="Article")
    store.log_engagement(SMALL_MAP, when=date(2026, 9, 9), stakeholder_id="c", activity="meeting")
    at = run()
    assert not at.error
    assert any("Everyone has heard of the idea already" in i.value for i in at.info)


def test_the_seeds_tab_on_a_map_without_seed_touches(db):
    at = run()
    assert not at.error
    assert any("Nobody has been exposed yet" in m.value for m in at.markdown)
    at.number_input(key=engagement_page.ENG_SEEDS_K).set_value(1)
    at.run()
    assert not at.exception
    assert len(frame(at, "rank", "touch")) == 1
