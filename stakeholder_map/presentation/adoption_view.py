"""Colour a people drawing by each person's chance of having adopted.

The Simulate page draws the same network as the Map page
(:func:`stakeholder_map.presentation.network_view.people_view`, drawn by the dashboard's network
component) but coloured by a number per person: the probability that the
person has adopted by a chosen step (``Simulation.probability_at(step)``).
:func:`adoption_view` takes a view dict and returns a recoloured copy, with
a binned legend, the probability in each tooltip (plain text, like every
tooltip of the view) and the seeds drawn as stars.

Examples
--------
>>> import networkx as nx
>>> from stakeholder_map.presentation.network_view import people_view
>>> G = nx.DiGraph([("a", "b")])
>>> view = people_view(G, positions={"a": (0, 0), "b": (40, 0)})
>>> coloured = adoption_view(view, {"a": 1.0, "b": 0.3}, seeds=["a"], step=2)
>>> [(n["id"], n["color"]["background"], n.get("shape")) for n in coloured["nodes"]]
[('a', '#08519c', 'star'), ('b', '#6baed6', None)]
>>> coloured["nodes"][1]["title"].splitlines()[-1]
'Adopted by step 2: 30%'
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterable, Mapping

from .network_view import people_view
from .numbers import percent

__all__ = ["ADOPTION_BINS", "adoption_colour", "adoption_view", "adoption_map"]

#: (lower bound, label, colour): ColorBrewer "Blues", light = unlikely, dark = likely.
ADOPTION_BINS: tuple[tuple[float, str, str], ...] = (
    (0.0, "under 10%", "#eff3ff"),
    (0.10, "10–25%", "#bdd7e7"),
    (0.25, "25–50%", "#6baed6"),
    (0.50, "50–75%", "#3182bd"),
    (0.75, "75% or more", "#08519c"),
)
_BORDER = "#5d6d7e"
_SEED_SHAPE = "star"


def _bin(probability: float) -> int:
    index = 0
    for i, (low, _, _) in enumerate(ADOPTION_BINS):
        if probability >= low:
            index = i
    return index


def adoption_colour(probability: float | None) -> str:
    """The colour of an adoption probability (0–1; None counts as 0).

    >>> adoption_colour(0.05), adoption_colour(0.5), adoption_colour(None)
    ('#eff3ff', '#3182bd', '#eff3ff')
    """
    return ADOPTION_BINS[_bin(float(probability or 0.0))][2]


def adoption_view(
    view: Mapping,
    probability: Mapping[str, float],
    *,
    seeds: Iterable[str] = (),
    step: int | None = None,
) -> dict:
    """A copy of a people view coloured by adoption probability.

    Parameters
    ----------
    view : dict
        From :func:`stakeholder_map.presentation.network_view.people_view` (left unchanged).
    probability : mapping
        Person id -> probability (0–1) of having adopted, e.g.
        ``Simulation.probability_at(step)``; people missing count as 0.
    seeds : iterable of str
        The people who start (drawn as stars).
    step : int, optional
        The step the probabilities are for (named in tooltips).

    Returns
    -------
    dict
        The view with each node's ``color`` (a light-to-dark blue by bin of
        :data:`ADOPTION_BINS`), its tooltip extended by one line, seeds as
        stars and other special shapes dropped, and a legend listing the
        bins with their head counts (plus the seeds).
    """
    out = copy.deepcopy(dict(view))
    seeds = {str(x) for x in seeds}
    when = f"by step {int(step)}" if step is not None else "eventually"
    counts: Counter[int] = Counter()
    for node in out.get("nodes", ()):
        pid = str(node["id"])
        p = min(max(float(probability.get(pid, 0.0) or 0.0), 0.0), 1.0)
        b = _bin(p)
        counts[b] += 1
        colour = ADOPTION_BINS[b][2]
        node["color"] = {"background": colour, "border": _BORDER}
        node["borderWidth"] = 1
        node.pop("shape", None)
        if pid in seeds:
            node["shape"] = _SEED_SHAPE
        title = str(node.get("title", ""))
        line = "Starts convinced (seed)" if pid in seeds else f"Adopted {when}: {percent(p)}"
        node["title"] = f"{title}\n{line}" if title else line
    legend = [{"kind": "colour", "label": label, "colour": colour, "count": int(counts.get(i, 0))}
              for i, (_, label, colour) in enumerate(ADOPTION_BINS)]
    if seeds & {str(n["id"]) for n in out.get("nodes", ())}:
        legend.append({"kind": "shape", "label": "starts convinced", "shape": _SEED_SHAPE})
    out["legend"] = legend
    out["colour_by"] = "adoption"
    return out


def adoption_map(
    G,
    probability: Mapping[str, float],
    *,
    positions: Mapping[str, tuple[float, float]],
    seeds: Iterable[str] = (),
    step: int | None = None,
    shown=None,
    height: int = 560,
    top_weight: float | None = None,
) -> dict:
    """The people drawing of ``G`` (or of its part ``shown``) coloured by adoption probability.

    :func:`stakeholder_map.presentation.network_view.people_view` (same positions, sizes and
    tooltips as the Map page) recoloured by :func:`adoption_view`.

    Parameters
    ----------
    G : networkx.DiGraph
        The whole map.
    probability : mapping
        Person id -> probability of having adopted (0–1).
    positions : mapping
        Node -> (x, y), e.g. from :func:`stakeholder_map.presentation.layout.department_layout`.
    seeds : iterable of str
        The people who start (stars).
    step : int, optional
        The step the probabilities are for.
    shown : networkx.DiGraph, optional
        The part of ``G`` to draw (e.g. from :func:`stakeholder_map.graph.filter_graph`).
    height : int
        Height of the drawing in pixels.
    top_weight : float, optional
        The heaviest tie of ``G``, if known (see :func:`stakeholder_map.presentation.network_view.people_view`).

    Returns
    -------
    dict
        A view for the dashboard's network component.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b")])
    >>> view = adoption_map(G, {"b": 0.8}, positions={"a": (0, 0), "b": (9, 9)}, seeds=["a"], step=1)
    >>> [item["count"] for item in view["legend"] if item["kind"] == "colour"]
    [1, 0, 0, 0, 1]
    """
    view = people_view(G, shown, positions=positions, color_by="department", height=height, top_weight=top_weight)
    return adoption_view(view, probability, seeds=seeds, step=step)
