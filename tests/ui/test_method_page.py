"""The Method page explains the model, the metrics and the references."""

from __future__ import annotations

from tests.ui.ui_support import page

from stakeholder_map.analysis.diffusion import RECEPTIVENESS


def test_method_page_shows_the_model_and_the_receptiveness_factors(db):
    at = page("method")
    at.run()
    assert not at.exception
    text = " ".join([m.value for m in at.markdown] + [h.value for h in at.header]).lower()
    for phrase in ("independent cascade", "weighted cascade", "receptiveness", "1 − 1/e − ε", "borgs",
                   "imm", "opim-c", "pagerank", "betweenness", "constraint", "k-core", "louvain",
                   "power / interest grid"):
        assert phrase in text, phrase
    table = at.table[0].value
    assert dict(zip(table["stance"], table["receptiveness"])) == RECEPTIVENESS
