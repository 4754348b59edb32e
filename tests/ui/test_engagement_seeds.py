"""The Engagement page's "Seeds planted" tab: exposure per department and where to plant seeds next.

Runs on the ``db`` fixture's small map (six people in IT, HR and Sales; ``a`` champion, ``d`` supporter,
``b`` resistant with an HTML name, ``c`` unknown, ``e`` skeptic, ``f`` neutral).
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

from tests.ui.ui_support import SMALL_MAP, XSS, page, store_of

from stakeholder_map.ingest import read_map
from stakeholder_map.presentation import exposure_tables
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
    # Familiar: Ann (champion), Dee (supporter), Eve (exposed). Bo hears from Ann and Fin from Eve for sure
    # (their only tie in); Cy may not, but influences only Dee, who supports it: no seed would spread.
    assert not [df for df in at.dataframe if "touch" in df.value.columns]
    assert any(i.value == exposure_tables.NO_SEEDS for i in at.info)
    assert any("stakeholder-map seeds --map 'Small org' -k 5 --seed 0" in c.value for c in at.code)


def test_a_talk_counts_as_familiar_and_then_nobody_is_left(db):
    store = store_of(db)
    store.log_engagement(SMALL_MAP, when=date(2026, 9, 1), stakeholder_id="e", activity="Article")
    store.log_engagement(SMALL_MAP, when=date(2026, 9, 9), stakeholder_id="c", activity="meeting")
    at = run()
    assert not at.error
    assert any(i.value == exposure_tables.NO_SEEDS for i in at.info)


#: Two people of no known stance who each influence two others; nobody is familiar with the idea yet.
HUBS = (b"id,name,department\nh1,Hal Hub,IT\nh2,Hana Hub,HR\nl1,Lee,IT\nl2,Lou,IT\nl3,Lia,HR\nl4,Lev,HR\n",
        b"source,target\nh1,l1\nh1,l2\nh2,l3\nh2,l4\n")


def test_the_seeds_tab_on_a_map_without_seed_touches_suggests_only_people_who_would_spread_it(db):
    store_of(db).import_map(SMALL_MAP, read_map(BytesIO(HUBS[0]), BytesIO(HUBS[1])), replace=True)
    at = run()
    assert not at.error
    assert any("Nobody has been exposed yet" in m.value for m in at.markdown)
    seeds = frame(at, "rank", "touch")
    assert sorted(seeds["name"]) == ["Hal Hub", "Hana Hub"]   # the four they influence influence nobody
    assert seeds["adds"].tolist() == [3.0, 3.0]
    at.number_input(key=engagement_page.ENG_SEEDS_K).set_value(1)
    at.run()
    assert not at.exception
    assert len(frame(at, "rank", "touch")) == 1
