"""Informal communities: groups of people more tied to each other than to the rest.

For communities the influence graph is read as undirected: the weight between
two people is their *mutual weight*, the sum of their ties in both directions
(who moves whom does not matter for who clusters with whom). The partition
maximises modularity with the Leiden algorithm (igraph), which refines
Louvain's moves so that every community is internally connected. Labels are
renumbered by size: community 0 is the largest; ties by the order of the
people in the graph. Isolates form communities of one.

The same work on arrays, for the other analysis modules that already hold
the graph as arrays (:mod:`~stakeholder_map.analysis.arrays`):
:func:`community_labels` (the partition) and :func:`modularity` (its score).

Examples
--------
>>> import networkx as nx
>>> G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "f"), ("f", "d"), ("c", "d")])
>>> labels = communities(G, seed=1)
>>> labels["a"] == labels["b"] == labels["c"], labels["a"] != labels["d"]
(True, True)
>>> communities(nx.DiGraph())
{}
"""

from __future__ import annotations

import random
import threading
from collections.abc import Hashable
from contextlib import contextmanager

import igraph as ig
import networkx as nx
import numpy as np

from .arrays import graph_arrays, undirected

__all__ = ["communities", "community_labels", "modularity"]

# igraph draws its random numbers from one process-wide generator; seeding it
# means swapping that generator, so one seeded run at a time.
_IGRAPH_RNG_LOCK = threading.Lock()


def communities(
    G: nx.DiGraph,
    *,
    resolution: float = 1.0,
    seed: int | random.Random | None = None,
) -> dict[Hashable, int]:
    """Detect informal communities (Leiden, modularity, undirected mutual weights).

    Parameters
    ----------
    G : networkx.DiGraph
        The influence graph (``weight`` on edges, default 1).
    resolution : float
        Modularity resolution γ: above 1 gives more, smaller communities;
        below 1 fewer, larger ones.
    seed : int, random.Random or None
        Same seed, same communities. None draws a fresh partition.

    Returns
    -------
    dict
        Stakeholder id → community number (0 = the largest community).

    References
    ----------
    .. [1] Traag, V. A., Waltman, L. & van Eck, N. J. (2019). "From Louvain to
       Leiden: guaranteeing well-connected communities." Scientific Reports 9, 5233.
    .. [2] Blondel, V. D., Guillaume, J.-L., Lambiotte, R. & Lefebvre, E. (2008).
       "Fast unfolding of communities in large networks." J. Stat. Mech. P10008.
    """
    if len(G) == 0:
        return {}
    ids, src, dst, weight = graph_arrays(G)
    u, v, w = undirected(len(ids), src, dst, weight)
    labels = community_labels(len(ids), u, v, w, resolution=resolution, seed=seed)
    return dict(zip(ids, labels.tolist()))


@contextmanager
def _seeded_igraph(seed: int | random.Random | None):
    """Run igraph's random choices from ``seed`` (None: Python's global generator)."""
    rng = nx.utils.create_py_random_state(seed)
    with _IGRAPH_RNG_LOCK:
        ig.set_random_number_generator(rng)
        try:
            yield
        finally:
            ig.set_random_number_generator(random)


def community_labels(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, *,
                     resolution: float = 1.0, seed: int | random.Random | None = None,
                     graph: ig.Graph | None = None) -> np.ndarray:
    """Leiden modularity labels of ``n`` people joined by undirected edges ``(u, v, w)``.

    What :func:`communities` computes, for callers that already hold the
    graph as arrays (:func:`~stakeholder_map.analysis.arrays.undirected`).
    Returns one label per position, community 0 the largest; isolates form
    communities of one. ``graph``: the same edges as an undirected igraph
    graph, if the caller already built it (a million edges take a while).
    """
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if len(u):
        if graph is None:
            graph = ig.Graph(n=n, edges=list(zip(u.tolist(), v.tolist())), directed=False)
        with _seeded_igraph(seed):
            found = graph.community_leiden(
                objective_function="modularity", weights=w.tolist(),
                resolution=resolution, n_iterations=-1,
            )
        raw = np.asarray(found.membership, dtype=np.int64)
    else:
        raw = np.arange(n, dtype=np.int64)
    return _by_size(raw)


def _by_size(raw: np.ndarray) -> np.ndarray:
    """Renumber labels so 0 is the largest group; ties by first appearance."""
    _, first, inverse, size = np.unique(raw, return_index=True, return_inverse=True, return_counts=True)
    order = np.lexsort((first, -size))  # by size desc, then first member
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[inverse]


def modularity(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, labels: np.ndarray,
               *, resolution: float = 1.0) -> float:
    """Newman's weighted modularity of ``labels`` on undirected edges ``(u, v, w)``.

    ``Q = Σ_c [L_c / m − γ (K_c / 2m)²]`` with ``m`` the total weight, ``L_c``
    the weight inside community ``c`` and ``K_c`` its total strength; equals
    :func:`networkx.community.modularity` on the undirected graph.
    """
    m = float(w.sum())
    if m == 0:
        return 0.0
    labels = np.asarray(labels)
    k = int(labels.max()) + 1 if len(labels) else 0
    inside = np.bincount(labels[u][labels[u] == labels[v]], weights=w[labels[u] == labels[v]], minlength=k)
    strength = np.bincount(u, weights=w, minlength=n) + np.bincount(v, weights=w, minlength=n)
    total = np.bincount(labels, weights=strength, minlength=k)
    return float((inside / m).sum() - resolution * ((total / (2 * m)) ** 2).sum())
