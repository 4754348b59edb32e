"""Compiled inner loops of the diffusion code (numba, cached on disk).

Private: the public entries are in ``champions.py``, ``pilot.py`` and
``simulation.py``. Every kernel takes plain arrays (CSR of the influence
graph, see :class:`~stakeholder_map.analysis.diffusion.DiffusionGraph`) and
seeds numpy's generator *inside* the compiled code from an integer the
caller drew from its Python ``random.Random``, so same seed, same answer.

Array types are fixed so each kernel compiles once: CSR pointers ``int64``,
node indices ``int32``, probabilities ``float64``, masks ``uint8``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["rr_sets", "greedy_cover", "evaluate_cover", "forward_runs", "forward_spread",
           "cascade_once"]


@njit(cache=True, nogil=True)
def _grow(buf, need):
    """Return ``buf`` or a copy at least ``need`` long (doubling)."""
    size = buf.shape[0]
    if need <= size:
        return buf
    while size < need:
        size *= 2
    out = np.empty(size, dtype=buf.dtype)
    for i in range(buf.shape[0]):   # a loop compiles much faster than a slice copy
        out[i] = buf[i]
    return out


@njit(cache=True, nogil=True)
def rr_sets(in_ptr, in_src, in_prob, in_surv, in_scan, lt, roots, batch_seeds, batch_size):
    """Sample ``len(batch_seeds) * batch_size`` reverse-reachable sets.

    Batch ``b`` reseeds the generator with ``batch_seeds[b]``, so the i-th set
    does not depend on how many were asked for at once (nor on the thread
    that made it: numba keeps one generator per thread). Each set starts at a
    root drawn uniformly from ``roots`` (stored first in the set) and grows
    backwards: under IC every in-tie ``u → x`` of a reached ``x`` is live with
    its probability (Borgs et al. 2014); under LT one in-tie is chosen with
    probability equal to its weight, a reverse random walk (Tang et al. 2014).

    Under IC, the in-ties of a node ``x`` with ``in_scan[x]`` set are not
    flipped one by one: ``in_surv[e]`` is the probability that none of
    ``x``'s in-ties up to ``e`` is live, so one uniform draw finds the next
    live tie by inverse transform (the first ``e`` whose survival falls
    below ``U`` times the survival at the previous live tie). That takes one
    draw per live tie plus one, instead of one per tie; each tie is still
    live independently with exactly its probability.

    Returns ``(ptr, nodes)``: set ``i`` is ``nodes[ptr[i]:ptr[i+1]]``.
    """
    n = in_ptr.shape[0] - 1
    total = batch_seeds.shape[0] * batch_size
    ptr = np.empty(total + 1, dtype=np.int64)
    ptr[0] = 0
    buf = np.empty(max(total * 4, 1024), dtype=np.int32)
    stamp = np.zeros(n, dtype=np.int64)
    pos = 0
    s = 0
    n_roots = roots.shape[0]
    for b in range(batch_seeds.shape[0]):
        np.random.seed(batch_seeds[b])
        for _ in range(batch_size):
            s += 1
            root = roots[np.random.randint(0, n_roots)]
            if pos >= buf.shape[0]:
                buf = _grow(buf, pos + 1)
            buf[pos] = root
            stamp[root] = s
            head = pos
            pos += 1
            if lt:
                x = root
                while True:
                    lo = in_ptr[x]
                    hi = in_ptr[x + 1]
                    if lo == hi:
                        break
                    r = np.random.random()
                    acc = 0.0
                    u = -1
                    for e in range(lo, hi):
                        acc += in_prob[e]
                        if r < acc:
                            u = in_src[e]
                            break
                    if u < 0 or stamp[u] == s:
                        break
                    stamp[u] = s
                    if pos >= buf.shape[0]:
                        buf = _grow(buf, pos + 1)
                    buf[pos] = u
                    pos += 1
                    x = u
            else:
                while head < pos:
                    x = buf[head]
                    head += 1
                    if in_scan[x]:
                        e = in_ptr[x]
                        hi = in_ptr[x + 1]
                        level = 1.0
                        while e < hi:
                            threshold = (1.0 - np.random.random()) * level
                            while e < hi and in_surv[e] >= threshold:
                                e += 1
                            if e >= hi:
                                break
                            u = in_src[e]
                            if stamp[u] != s:
                                stamp[u] = s
                                if pos >= buf.shape[0]:
                                    buf = _grow(buf, pos + 1)
                                buf[pos] = u
                                pos += 1
                            level = in_surv[e]
                            e += 1
                    else:
                        for e in range(in_ptr[x], in_ptr[x + 1]):
                            u = in_src[e]
                            if stamp[u] != s and np.random.random() < in_prob[e]:
                                stamp[u] = s
                                if pos >= buf.shape[0]:
                                    buf = _grow(buf, pos + 1)
                                buf[pos] = u
                                pos += 1
            ptr[s] = pos
    return ptr, buf[:pos].copy()


@njit(cache=True)
def _top_sum(cov, allowed, chosen_mask, kk):
    """Sum of the ``kk`` largest ``cov`` among allowed, unchosen nodes.

    Keeps the best ``kk`` in a small sorted buffer (ascending); cheap for the
    small ``kk`` of champion groups, since few values beat the buffer's least.
    """
    if kk <= 0:
        return 0
    top = np.zeros(kk, dtype=np.int64)
    for v in range(cov.shape[0]):
        c = cov[v]
        if c <= top[0] or not allowed[v] or chosen_mask[v]:
            continue
        i = 1
        while i < kk and top[i] < c:
            top[i - 1] = top[i]
            i += 1
        top[i - 1] = c
    return top.sum()


@njit(cache=True)
def greedy_cover(ptr, nodes, n_sets, n, k, allowed, pinned, priority, dept, dept_min, bound_k):
    """Greedy maximum coverage of the first ``n_sets`` sets with ``k`` nodes.

    ``pinned`` are taken first; then at each step the allowed node covering
    most uncovered sets (ties: higher ``priority``, then lower index). When
    the slots left equal the total shortfall against ``dept_min`` (per
    department code in ``dept``), only nodes of departments still short are
    considered. Coverage counts are decremented as sets become covered
    (linear in the total set size plus ``k·n`` for the arg-max scans).

    Also returns an upper bound on the coverage of *any* allowed set that
    contains the pins and has ``bound_k`` more nodes: the minimum over the
    greedy prefixes ``S_i`` of ``cov(S_i)`` plus the ``bound_k`` largest
    marginal coverages (Tang et al. 2018, OPIM-C's ``Λ^u``).

    Returns ``(chosen, gains, covered, bound)``.
    """
    m_total = ptr[n_sets]
    nptr = np.zeros(n + 1, dtype=np.int64)
    for i in range(m_total):
        nptr[nodes[i] + 1] += 1
    for v in range(n):
        nptr[v + 1] += nptr[v]
    cursor = nptr[:-1].copy()
    nsets = np.empty(m_total, dtype=np.int32)
    for sidx in range(n_sets):
        for i in range(ptr[sidx], ptr[sidx + 1]):
            v = nodes[i]
            nsets[cursor[v]] = sidx
            cursor[v] += 1
    cov = np.empty(n, dtype=np.int64)
    for v in range(n):
        cov[v] = nptr[v + 1] - nptr[v]
    done = np.zeros(n_sets, dtype=np.uint8)
    in_set = np.zeros(n, dtype=np.uint8)
    n_dept = dept_min.shape[0]
    count_d = np.zeros(n_dept, dtype=np.int64)
    chosen = np.full(k, -1, dtype=np.int32)
    gains = np.zeros(k, dtype=np.int64)
    covered = 0
    bound = np.int64(1) << np.int64(62)
    step = 0
    n_pin = min(pinned.shape[0], k)
    while step < k:
        if step < n_pin:
            best = pinned[step]
        else:
            b = covered + _top_sum(cov, allowed, in_set, bound_k)
            if b < bound:
                bound = b
            short = 0
            for d in range(n_dept):
                if count_d[d] < dept_min[d]:
                    short += dept_min[d] - count_d[d]
            restrict = short > 0 and short >= k - step
            best = -1
            best_cov = -1
            best_pri = -np.inf
            for v in range(n):
                if not allowed[v] or in_set[v]:
                    continue
                if restrict and count_d[dept[v]] >= dept_min[dept[v]]:
                    continue
                c = cov[v]
                if c > best_cov or (c == best_cov and priority[v] > best_pri):
                    best = v
                    best_cov = c
                    best_pri = priority[v]
            if best < 0:
                break
        chosen[step] = best
        gains[step] = cov[best]
        in_set[best] = 1
        count_d[dept[best]] += 1
        covered += cov[best]
        for j in range(nptr[best], nptr[best + 1]):
            sidx = nsets[j]
            if done[sidx]:
                continue
            done[sidx] = 1
            for i in range(ptr[sidx], ptr[sidx + 1]):
                cov[nodes[i]] -= 1
        step += 1
    b = covered + _top_sum(cov, allowed, in_set, bound_k)
    if b < bound:
        bound = b
    return chosen[:step], gains[:step], covered, bound


@njit(cache=True)
def evaluate_cover(ptr, nodes, n_sets, n, order, dept, n_dept):
    """Score an ordered seed list on the first ``n_sets`` sets.

    Returns ``(first, single, by_dept)``: ``first[j]`` sets whose
    earliest-listed seed is ``order[j]`` (the marginal coverage of the j-th
    seed), ``single[j, d]`` sets containing ``order[j]`` whose root is in
    department ``d`` (that seed's own reach), ``by_dept[d]`` covered sets by
    root department. A set's root is its first node.
    """
    k = order.shape[0]
    pos = np.full(n, -1, dtype=np.int64)
    for j in range(k):
        if pos[order[j]] < 0:
            pos[order[j]] = j
    first = np.zeros(k, dtype=np.int64)
    single = np.zeros((k, n_dept), dtype=np.int64)
    by_dept = np.zeros(n_dept, dtype=np.int64)
    for sidx in range(n_sets):
        lo = ptr[sidx]
        d = dept[nodes[lo]]
        best = k
        for i in range(lo, ptr[sidx + 1]):
            j = pos[nodes[i]]
            if j >= 0:
                single[j, d] += 1
                if j < best:
                    best = j
        if best < k:
            first[best] += 1
            by_dept[d] += 1
    return first, single, by_dept


@njit(cache=True)
def _cascade(out_ptr, out_dst, out_prob, lt, seeds, run, stamp, tstamp, thresh, acc, queue, step_of):
    """One forward cascade; activated nodes end up in ``queue[:tail]``.

    ``stamp[v] == run`` marks ``v`` active in this run (no clearing between
    runs). Under IC each newly active ``u`` tries each out-tie once; under LT
    ``v`` activates when the summed probabilities of its active in-ties reach
    its threshold, drawn uniformly when first needed.
    """
    tail = 0
    for i in range(seeds.shape[0]):
        v = seeds[i]
        if stamp[v] != run:
            stamp[v] = run
            step_of[v] = 0
            queue[tail] = v
            tail += 1
    lo = 0
    hi = tail
    step = 0
    while lo < hi:
        step += 1
        for q in range(lo, hi):
            u = queue[q]
            for e in range(out_ptr[u], out_ptr[u + 1]):
                v = out_dst[e]
                if stamp[v] == run:
                    continue
                hit = False
                if lt:
                    if tstamp[v] != run:
                        tstamp[v] = run
                        thresh[v] = 1.0 - np.random.random()
                        acc[v] = 0.0
                    acc[v] += out_prob[e]
                    hit = acc[v] >= thresh[v]
                else:
                    hit = np.random.random() < out_prob[e]
                if hit:
                    stamp[v] = run
                    step_of[v] = step
                    queue[tail] = v
                    tail += 1
        lo = hi
        hi = tail
    return tail


@njit(cache=True)
def _cascade_buffers(n, seed):
    """Seed numba's generator and allocate :func:`_cascade`'s work arrays for ``n`` people.

    Returns ``(stamp, tstamp, thresh, acc, queue)``; stamps start at 0, so
    runs are numbered from 1.
    """
    np.random.seed(seed)
    return (np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64), np.zeros(n), np.zeros(n),
            np.empty(n, dtype=np.int32))


@njit(cache=True)
def cascade_once(out_ptr, out_dst, out_prob, lt, seeds, seed):
    """One cascade from ``seeds``: each person's adoption step, −1 if never."""
    n = out_ptr.shape[0] - 1
    stamp, tstamp, thresh, acc, queue = _cascade_buffers(n, seed)
    step_of = np.full(n, -1, dtype=np.int64)
    _cascade(out_ptr, out_dst, out_prob, lt, seeds, 1, stamp, tstamp, thresh, acc, queue, step_of)
    return step_of


@njit(cache=True)
def forward_runs(out_ptr, out_dst, out_prob, lt, seeds, runs, steps, dept, n_dept, counted, seed):
    """Monte Carlo: ``runs`` cascades from ``seeds``.

    Returns ``(new, totals, hits)``: ``new[r, t, d]`` counted people of
    department ``d`` adopting at step ``t`` (``t <= steps``) in run ``r``;
    ``totals[r]`` counted adopters of run ``r`` at the cascade's end (all
    steps); ``hits[v, t]`` runs in which ``v`` adopted at step ``t``.
    """
    n = out_ptr.shape[0] - 1
    stamp, tstamp, thresh, acc, queue = _cascade_buffers(n, seed)
    step_of = np.zeros(n, dtype=np.int64)
    new = np.zeros((runs, steps + 1, n_dept), dtype=np.int32)
    totals = np.zeros(runs, dtype=np.int64)
    hits = np.zeros((n, steps + 1), dtype=np.int32)
    for r in range(runs):
        tail = _cascade(out_ptr, out_dst, out_prob, lt, seeds, r + 1, stamp, tstamp, thresh, acc,
                        queue, step_of)
        for q in range(tail):
            v = queue[q]
            t = step_of[v]
            if counted[v]:
                totals[r] += 1
                if t <= steps:
                    new[r, t, dept[v]] += 1
            if t <= steps:
                hits[v, t] += 1
    return new, totals, hits


@njit(cache=True)
def forward_spread(out_ptr, out_dst, out_prob, lt, seeds, runs, counted, seed):
    """Monte Carlo, totals only: counted adopters per run, and the ties checked.

    The lean sibling of :func:`forward_runs` for scoring many seed groups:
    returns ``(totals, work)`` with ``work`` the out-ties of every adopter,
    summed over the runs (what the runs cost), so a caller can budget
    cascades by work rather than by the clock.
    """
    n = out_ptr.shape[0] - 1
    np.random.seed(seed)
    stamp = np.zeros(n, dtype=np.int64)
    tstamp = np.zeros(n, dtype=np.int64)
    thresh = np.zeros(n)
    acc = np.zeros(n)
    queue = np.empty(n, dtype=np.int32)
    step_of = np.zeros(n, dtype=np.int64)
    totals = np.zeros(runs, dtype=np.int64)
    work = 0
    for r in range(runs):
        tail = _cascade(out_ptr, out_dst, out_prob, lt, seeds, r + 1, stamp, tstamp, thresh, acc,
                        queue, step_of)
        for q in range(tail):
            v = queue[q]
            work += out_ptr[v + 1] - out_ptr[v]
            if counted[v]:
                totals[r] += 1
    return totals, work
