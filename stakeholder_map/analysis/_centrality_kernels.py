"""Compiled inner loops of the centrality scores (numba, cached on disk, GIL released).

Private: the public entry is :func:`stakeholder_map.analysis.centrality.stakeholder_metrics`.
Every kernel takes plain CSR arrays (pointers ``int64``; indices ``int32`` for
:func:`brandes`, whose searches are bound by memory traffic, ``int64`` for
:func:`burt`; weights ``float64``) and works on a range of people or of sources, so the caller can
split the work over threads: with the GIL released, two ranges run on two
cores at once.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["brandes", "burt"]


@njit(cache=True, nogil=True)
def brandes(indptr, indices, n, sources):  # pragma: no cover - compiled
    """Unnormalised directed betweenness summed over shortest paths from ``sources`` (Brandes 2001).

    Unweighted (hop counts): one breadth-first search per source, then the
    dependencies accumulated in reverse order over the successors that lie
    one hop further. ``sources`` are positions; the result counts, for every
    person, the shortest paths from those sources that pass through them --
    what ``igraph.Graph.betweenness(directed=True, sources=sources)`` returns.
    """
    score = np.zeros(n)
    dist = np.full(n, -1, dtype=np.int32)
    sigma = np.zeros(n)
    delta = np.zeros(n)
    order = np.empty(n, dtype=np.int32)
    for s in sources:
        dist[s] = 0
        sigma[s] = 1.0
        order[0] = s
        head, tail = 0, 1
        while head < tail:
            v = order[head]
            head += 1
            next_hop = dist[v] + 1
            paths = sigma[v]
            for j in range(indptr[v], indptr[v + 1]):
                w = indices[j]
                found = dist[w]
                if found < 0:
                    dist[w] = next_hop
                    order[tail] = w
                    tail += 1
                    sigma[w] = paths
                elif found == next_hop:
                    sigma[w] += paths
        for i in range(tail - 1, -1, -1):
            v = order[i]
            next_hop = dist[v] + 1
            total = 0.0
            for j in range(indptr[v], indptr[v + 1]):
                w = indices[j]
                if dist[w] == next_hop:
                    total += (1.0 + delta[w]) / sigma[w]
            delta[v] = sigma[v] * total
            if v != s:
                score[v] += delta[v]
        for i in range(tail):  # reset only whom this search reached
            v = order[i]
            dist[v] = -1
            sigma[v] = 0.0
            delta[v] = 0.0
    return score


@njit(cache=True, nogil=True)
def burt(indptr, indices, data, n, first, last, constraint, effective):  # pragma: no cover - compiled
    """Burt's constraint and effective size of people ``first..last-1``, written into the outputs.

    ``indptr, indices, data``: the symmetric CSR matrix of mutual weights
    (sorted indices, zero diagonal). See ``centrality._structural_holes``.
    """
    total = np.zeros(n)
    largest = np.zeros(n)
    for u in range(n):
        for j in range(indptr[u], indptr[u + 1]):
            total[u] += data[j]
            largest[u] = max(largest[u], data[j])
    slot = np.full(n, -1, dtype=np.int64)  # where y sits in u's row, -1 if not u's contact
    indirect = np.zeros(n)
    for u in range(first, last):
        start, stop = indptr[u], indptr[u + 1]
        if start == stop:
            continue
        for j in range(start, stop):
            slot[indices[j]] = j
        redundancy = 0.0
        for j in range(start, stop):  # x: a contact of u
            x = indices[j]
            p_ux = data[j] / total[u]
            for k in range(indptr[x], indptr[x + 1]):  # y: a contact of x ...
                jy = slot[indices[k]]
                if jy >= 0:  # ... who is also a contact of u
                    indirect[indices[k]] += p_ux * data[k] / total[x]   # p_ux p_xy
                    redundancy += data[jy] / total[u] * data[k] / largest[x]  # p_uy m_xy
        local = 0.0
        for j in range(start, stop):
            y = indices[j]
            share = data[j] / total[u] + indirect[y]
            local += share * share
            indirect[y] = 0.0
            slot[y] = -1
        constraint[u] = local
        effective[u] = (stop - start) - redundancy
