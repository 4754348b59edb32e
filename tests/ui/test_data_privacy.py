"""The Data page's privacy tools: erase a person (with confirmation), download a pseudonymised export."""

from __future__ import annotations

from datetime import date

from tests.ui.ui_support import SMALL_MAP, XSS, run_page, store_of


def run_data():
    return run_page("data")


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_erase_a_person_needs_a_choice_and_a_confirmation(db):
    store = store_of(db)
    store.log_engagement(SMALL_MAP, when=date.today(), stakeholder_id="b", activity="call", stance_after=0)
    at = run_data()
    assert button(at, "Erase").disabled
    person = at.selectbox(key="data_erase_person")
    assert "Ann Lee (IT)" in person.options                    # by name, with the department
    person.set_value("b").run()
    assert button(at, "Erase").disabled                        # not confirmed yet
    at.checkbox(key="data_confirm_erase").check().run()
    button(at, "Erase").click().run()
    assert not at.exception
    message = at.success[0].value
    assert message.startswith("Erased &lt;img src=x") and "2 tie(s), 1 touchpoint(s) and 2 stance record(s)" in message
    assert "b" not in store.people(SMALL_MAP)["id"].tolist()
    assert store.engagements(SMALL_MAP).empty and store.stance_history(SMALL_MAP, "b").empty
    assert at.selectbox(key="data_erase_person").value is None
    assert XSS not in [o for o in at.selectbox(key="data_erase_person").options]
    assert not at.checkbox(key="data_confirm_erase").value


def test_pseudonymised_export_is_offered(db):
    at = run_data()
    labels = [b.label for b in at.get("download_button")]
    assert "Download pseudonymised export (.zip)" in labels
