"""Page tests with Streamlit's AppTest: each page script runs headless on a temporary DuckDB file.

AppTest runs one page per instance (it does not drive ``st.navigation``), so each
test loads ``stakeholder_map/ui/pages/<page>.py`` directly, presets session state,
runs it, changes widgets and asserts on what it rendered.
"""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from stakeholder_map.ingest import read_map
from stakeholder_map.store import DB_ENV, Store
from stakeholder_map.synthetic import synthetic_organisation

PAGES = Path(__file__).resolve().parents[2] / "stakeholder_map" / "ui" / "pages"
SMALL_MAP = "Small org"
XSS = "<img src=x onerror=window.__xss=1>"

PEOPLE_CSV = f"""id,name,department,role,stance,influence,interest,site
a,Ann Lee,IT,CIO,champion,5,5,Oslo
b,"{XSS}",IT,Engineer,resistant,2,4,Rome
c,Cy Ode,HR,Partner,,3,2,Oslo
d,Dee Ray,HR,Head of HR,supporter,4,4,
e,Eve Ng,Sales,Rep,skeptic,1,3,Rome
f,Fin Oak,Sales,Lead,neutral,2,2,Oslo
""".encode()
TIES_CSV = b"""source,target,weight,kind
a,b,3,advice
a,c,1,advice
b,c,2,friendship
c,d,1,reports_to
d,e,4,advice
e,f,2,advice
f,a,1,friendship
"""


def import_csv(store: Store, name: str, people: bytes, ties: bytes | None = None) -> None:
    data = read_map(BytesIO(people), BytesIO(ties) if ties is not None else None)
    store.import_map(name, data)


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    """A database file holding the small map, named by $STAKEHOLDER_MAP_DB."""
    path = tmp_path / "ui.duckdb"
    with Store(path) as store:
        import_csv(store, SMALL_MAP, PEOPLE_CSV, TIES_CSV)
    monkeypatch.setenv(DB_ENV, str(path))
    yield path
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def large_db(tmp_path, monkeypatch) -> Path:
    """A database with one synthetic map of 450 people (opens on the department view)."""
    path = tmp_path / "large.duckdb"
    people, ties = synthetic_organisation(450, ties_per_person=3, seed=1)
    with Store(path) as store:
        import_csv(store, "Large org", people.to_csv(index=False).encode(), ties.to_csv(index=False).encode())
    monkeypatch.setenv(DB_ENV, str(path))
    yield path
    st.cache_resource.clear()
    st.cache_data.clear()


def page(name: str, timeout: float = 30) -> AppTest:
    """An AppTest of one page script."""
    return AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=timeout)


def run_page(name: str, *, timeout: float = 30, **preset) -> AppTest:
    """Run one page script once with session state preset; fail on any exception."""
    at = page(name, timeout)
    for key, value in preset.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def run_map(**preset) -> AppTest:
    """The Map page run once with ``preset`` session state; it must not raise."""
    return run_page("map", **preset)


def drawn_view(at: AppTest) -> dict:
    """The view dict the page sent to the network component."""
    [element] = at.get("bidi_component")
    proto = element.proto
    payload = proto.json or proto.mixed.json
    return json.loads(payload)


def store_of(path: Path) -> Store:
    """The page's own store (the cached one: DuckDB allows one writer per file)."""
    from stakeholder_map.ui.state import _open_store

    return _open_store(str(path))
