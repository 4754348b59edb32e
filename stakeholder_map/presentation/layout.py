"""Fixed, seeded node positions for drawing a map, computed once on the server.

The dashboard draws the graph with physics off, so positions must be good
before they reach the browser and must not change between reruns. People are
laid out *department by department*: each department gets a disc whose area
grows with its head count, the discs are packed around the centre (largest
first, along a spiral, never overlapping), and inside each disc a seeded
force-directed layout of that department's own ties spreads its people.
This is fast (each department is small; 2,000 people in 12 departments take
well under a second), keeps colleagues together, and gives the department
overview and the people view the same geography.

Departments of more than :data:`DENSE_LAYOUT_LIMIT` people are not small: the
force-directed layout holds several people-by-people arrays, so it would
need gigabytes for a department of 20,000. Those departments are laid out by
:func:`_spread_large` instead, whose memory grows with people plus ties.

Examples
--------
>>> import networkx as nx
>>> G = nx.DiGraph()
>>> G.add_nodes_from([("a", {"department": "IT"}), ("b", {"department": "IT"}),
...                   ("c", {"department": "HR"})])
>>> G.add_edge("a", "b", weight=1.0)
>>> pos = department_layout(G, seed=1)
>>> sorted(pos), pos == department_layout(G, seed=1)
(['a', 'b', 'c'], True)
>>> centres = department_centres({"IT": 2, "HR": 1})
>>> sorted(centres)
['HR', 'IT']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import networkx as nx
import numpy as np
import scipy.sparse as sparse

from .. import schema as s

__all__ = ["department_layout", "department_centres", "department_radius", "NODE_SPACING",
           "DENSE_LAYOUT_LIMIT"]

#: Typical distance between neighbouring people, in drawing units (pixels at zoom 1).
NODE_SPACING = 60.0
#: Empty space kept between two department discs.
_GAP = 1.2 * NODE_SPACING
#: Departments of up to this many people get the dense force-directed layout
#: (:func:`_spread`, unchanged positions); larger ones get :func:`_spread_large`.
#: The dense layout's peak memory is about 56 bytes per *pair* of people:
#: ~60 MB and 0.3 s at 1,000 people, ~230 MB at 2,000, ~500 MB at 3,000 and
#: ~20 GB at 19,000, while :func:`_spread_large` needs a few hundred bytes
#: per person and per tie.
DENSE_LAYOUT_LIMIT = 1000
#: How far each step of :func:`_spread_large` moves a person towards the
#: (weighted) mean position of their ties: 0.5 is the "lazy" walk, which does
#: not oscillate on hierarchies (trees are bipartite).
_PULL = 0.5


def department_radius(size: int, *, spacing: float = NODE_SPACING) -> float:
    """Radius of the disc that holds ``size`` people (area grows with head count).

    >>> department_radius(1) < department_radius(4) < department_radius(100)
    True
    """
    return spacing * (0.5 + 0.62 * math.sqrt(max(int(size), 1)))


def department_centres(
    sizes: Mapping[str, int], *, spacing: float = NODE_SPACING
) -> dict[str, tuple[float, float]]:
    """Pack one disc per department around the origin, without overlaps.

    Departments are placed largest first (ties broken by name); each one goes
    to the first point of an outward spiral where its disc clears every disc
    already placed. Deterministic: the same sizes give the same centres.

    Parameters
    ----------
    sizes : mapping
        Department name -> number of people.
    spacing : float
        Typical distance between two people, in drawing units.

    Returns
    -------
    dict
        Department name -> (x, y) of its disc's centre.
    """
    order = sorted(sizes, key=lambda d: (-int(sizes[d]), str(d)))
    placed: list[tuple[float, float, float]] = []
    centres: dict[str, tuple[float, float]] = {}
    gap = 1.2 * spacing
    for dept in order:
        r = department_radius(sizes[dept], spacing=spacing)
        if not placed:
            x = y = 0.0
        else:
            # Walk an Archimedean spiral (radius grows by `pitch` per turn) in
            # small arc-length steps until the disc fits.
            pitch = max(r, spacing)
            theta = 0.0
            while True:
                rho = pitch * theta / (2 * math.pi)
                x, y = rho * math.cos(theta), rho * math.sin(theta)
                if all((x - px) ** 2 + (y - py) ** 2 >= (r + pr + gap) ** 2 for px, py, pr in placed):
                    break
                theta += max(0.05, min(0.5, 0.5 * r / max(rho, 1.0)))
        placed.append((x, y, r))
        centres[dept] = (round(x, 1), round(y, 1))
    return centres


def _fruchterman_reingold(H: nx.Graph, nodes: list, pos: np.ndarray, iterations: int) -> np.ndarray:
    """A few dense Fruchterman-Reingold steps from ``pos`` (no randomness).

    References
    ----------
    Fruchterman, T. M. J., & Reingold, E. M. (1991). Graph drawing by
    force-directed placement. Software: Practice and Experience, 21(11).
    """
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    A = np.zeros((n, n))
    for u, v, w in H.edges(data="weight", default=1.0):
        A[index[u], index[v]] = A[index[v], index[u]] = float(w)
    A /= max(A.max(), 1e-12)
    k = 1.6 / math.sqrt(n)
    t = 0.1
    cool = t / (iterations + 1)
    x, y = pos[:, 0].copy(), pos[:, 1].copy()
    for _ in range(iterations):
        dx = x[:, None] - x[None, :]
        dy = y[:, None] - y[None, :]
        dist2 = dx * dx + dy * dy
        np.maximum(dist2, 1e-4, out=dist2)
        force = (k * k) / dist2 - A * np.sqrt(dist2) / k
        mx = (dx * force).sum(axis=1)
        my = (dy * force).sum(axis=1)
        length = np.maximum(np.hypot(mx, my), 0.01)
        x += mx * (t / length)
        y += my * (t / length)
        t -= cool
    pos = np.column_stack([x, y])
    return pos


def _spread(H: nx.Graph, seed: int, iterations: int) -> dict[str, np.ndarray]:
    """Positions of one department's people in the unit disc."""
    nodes = list(H)
    if len(nodes) == 1:
        return {nodes[0]: np.zeros(2)}
    if len(nodes) == 2:
        return {nodes[0]: np.array([-1.0, 0.0]), nodes[1]: np.array([1.0, 0.0])}
    # Start from a seeded sunflower (even spread), then let a few iterations of
    # Fruchterman-Reingold pull tied people together.
    n = len(nodes)
    golden = math.pi * (3 - math.sqrt(5))
    rng = np.random.default_rng(seed)
    turn = rng.uniform(0, 2 * math.pi)
    start = {
        v: np.array([math.sqrt((i + 0.5) / n) * math.cos(turn + i * golden),
                     math.sqrt((i + 0.5) / n) * math.sin(turn + i * golden)])
        for i, v in enumerate(nodes)
    }
    if H.number_of_edges() == 0:
        return start
    arr = _fruchterman_reingold(H, nodes, np.array([start[v] for v in nodes]), iterations)
    # Equalise the density: rank people by distance from the centre and put
    # the i-th one at radius sqrt(i/n), keeping its direction. This keeps
    # neighbours together but stops hubs piling up in the middle and
    # isolates flying to the rim.
    dist = np.hypot(arr[:, 0], arr[:, 1])
    rank = np.empty(n)
    rank[np.argsort(dist, kind="stable")] = np.arange(n)
    target = np.sqrt((rank + 0.5) / n)
    scale = np.where(dist > 1e-9, target / np.maximum(dist, 1e-9), 0.0)
    arr = arr * scale[:, None]
    return {v: arr[i] for i, v in enumerate(nodes)}


def _sunflower(n: int, turn: float) -> np.ndarray:
    """``n`` evenly spread points in the unit disc (Vogel's sunflower), turned by ``turn``.

    Point ``i`` sits at radius ``sqrt((i + 0.5) / n)`` and angle
    ``turn + i * golden angle``, as in :func:`_spread`'s start.

    References
    ----------
    Vogel, H. (1979). A better way to construct the sunflower head.
    Mathematical Biosciences, 44(3-4), 179-189.
    """
    i = np.arange(n)
    radius = np.sqrt((i + 0.5) / n)
    angle = turn + i * (math.pi * (3 - math.sqrt(5)))
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def _equalise_radii(P: np.ndarray) -> np.ndarray:
    """Rank people by distance from the centre and put the i-th at radius sqrt(i/n).

    Directions are kept. This is the density equalisation of :func:`_spread`.
    """
    n = len(P)
    dist = np.hypot(P[:, 0], P[:, 1])
    rank = np.empty(n)
    rank[np.argsort(dist, kind="stable")] = np.arange(n)
    target = np.sqrt((rank + 0.5) / n)
    scale = np.where(dist > 1e-9, target / np.maximum(dist, 1e-9), 0.0)
    return P * scale[:, None]


def _onto_slots(P: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """Move every person onto their own point of the sunflower ``slots``.

    The disc is cut into rings about one spacing wide, each holding as many
    slots as its area calls for. People fill the rings in order of distance
    from the centre, and inside a ring they take its slots in order of angle
    (turned so that angles change the least). So nobody moves much more than
    a ring's width and the ring's arc between neighbours, the order of
    people is kept, and nobody sits on top of anybody: the result is exactly
    the evenly spread sunflower. O(n log n).
    """
    n = len(P)
    rings = max(1, round(math.sqrt(n / math.pi)))
    bounds = np.unique(np.round(n * (np.arange(rings + 1) / rings) ** 2).astype(np.int64))
    by_radius = np.argsort(np.hypot(P[:, 0], P[:, 1]), kind="stable")
    angle = np.arctan2(P[:, 1], P[:, 0])
    slot_angle = np.arctan2(slots[:, 1], slots[:, 0])
    out = np.empty_like(P)
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        who = by_radius[lo:hi]
        who = who[np.argsort(angle[who], kind="stable")]
        where = lo + np.argsort(slot_angle[lo:hi], kind="stable")
        # Turn the assignment by the mean angular difference (in slots).
        diff = angle[who] - slot_angle[where]
        mean = math.atan2(float(np.sin(diff).sum()), float(np.cos(diff).sum()))
        shift = round(mean * (hi - lo) / (2 * math.pi)) % (hi - lo)
        out[who] = slots[np.roll(where, -shift)]
    return out


def _spread_large(n: int, ties: tuple[np.ndarray, np.ndarray, np.ndarray],
                  seed: int, iterations: int) -> np.ndarray:
    """Positions of a large department's ``n`` people in the unit disc, in O(n + m) memory.

    ``ties`` are three arrays (person index, person index, weight) of the
    department's m inside ties; direction is ignored and repeated pairs add
    up. The answer is an ``(n, 2)`` array in the order of the indices.

    How: start from the same seeded sunflower as :func:`_spread` (an even
    spread), then repeat ``iterations`` times

    1. *pull*: move everyone with ties half-way (:data:`_PULL`) to the
       weight-averaged position of the people they are tied to (one sparse
       matrix product);
    2. *re-centre and re-spread*: shift the centroid back to the middle and
       equalise the density as :func:`_spread` does (rank by distance from
       the centre, put the i-th at radius sqrt(i/n), keep the direction);

    and finally put everyone on their own point of the sunflower
    (:func:`_onto_slots`), which keeps the order of people but guarantees
    that nobody sits on top of anybody.

    Why: the pull is Tutte's barycentric step; repeated, it is a power
    iteration of the graph's (lazy) random-walk matrix, so positions drift
    towards its smooth eigenvectors, which put tightly tied groups close
    together (the idea behind spectral layouts, Koren 2005). On its own that
    iteration collapses everyone into a point or a line; Koren's power
    iteration prevents it by orthogonalising, here the density equalisation
    does, in the way the rest of this module already relies on. Every step
    is O(n + m) time and memory (plus a sort), no people-by-people arrays,
    and there is no randomness beyond the seeded turn of the start, so the
    same seed gives the same positions. Unlike force-directed layouts it
    has no repulsion to compute, which is what needs all pairs (or a
    Barnes-Hut tree).

    References
    ----------
    Tutte, W. T. (1963). How to draw a graph. Proceedings of the London
    Mathematical Society, s3-13(1), 743-767.
    Koren, Y. (2005). Drawing graphs by eigenvectors: theory and practice.
    Computers & Mathematics with Applications, 49(11-12), 1867-1888.
    """
    rng = np.random.default_rng(seed)
    turn = rng.uniform(0, 2 * math.pi)
    slots = _sunflower(n, turn)
    src, dst, weight = (np.asarray(a) for a in ties)
    weight = np.nan_to_num(weight.astype(float), nan=0.0, posinf=0.0, neginf=0.0)
    keep = (src != dst) & (weight > 0)  # a tie to oneself pulls nowhere
    W = sparse.coo_matrix((weight[keep], (src[keep], dst[keep])), shape=(n, n)).tocsr()
    W = (W + W.T).tocsr()
    strength = np.asarray(W.sum(axis=1)).ravel()
    tied = strength > 0
    if not tied.any():
        return slots
    P = slots.copy()
    for _ in range(iterations):
        mean = W @ P
        P[tied] = (1 - _PULL) * P[tied] + _PULL * (mean[tied] / strength[tied, None])
        P -= P.mean(axis=0)
        P = _equalise_radii(P)
    return _onto_slots(P, slots)


def department_layout(
    G: nx.Graph,
    *,
    departments: Iterable[str] | None = None,
    seed: int = 0,
    iterations: int = 30,
    spacing: float = NODE_SPACING,
) -> dict[str, tuple[float, float]]:
    """Positions for every person, clustered by department.

    A department's positions depend only on its own people and ties and on
    the head counts of all departments (which fix the disc centres), so
    ``departments`` can restrict the work to the departments about to be drawn
    and the answer for each is the same as in the full layout.

    Parameters
    ----------
    G : networkx graph
        Nodes carry a ``department`` attribute (missing = ``Unassigned``).
    departments : iterable of str, optional
        Lay out only the people of these departments (default: everyone).
    seed : int
        Same seed, same positions.
    iterations : int
        Iterations inside each department (few are enough because the start
        is already evenly spread): force-directed ones for departments of up
        to :data:`DENSE_LAYOUT_LIMIT` people, pull-and-respread ones of
        :func:`_spread_large` above.
    spacing : float
        Typical distance between two people, in drawing units.

    Returns
    -------
    dict
        Node -> (x, y), rounded to 0.1.

    Notes
    -----
    Time and memory grow with the people of the graph plus the ties of the
    departments asked for (their people's own ties when ``departments`` is
    given), except the dense layout of departments of up to
    :data:`DENSE_LAYOUT_LIMIT` people (at most ~60 MB each). The largest
    department of a 100,000-person organisation (19,222 people, ~180,000
    inside ties) takes about half a second and ~35 MB.
    """
    if G.number_of_nodes() == 0:
        return {}
    members: dict[str, list] = {}
    dept_of: dict = {}
    for v, dept in G.nodes(data=s.DEPARTMENT):
        dept = dept or s.UNASSIGNED
        dept_of[v] = dept
        members.setdefault(dept, []).append(v)
    centres = department_centres({d: len(m) for d, m in members.items()}, spacing=spacing)
    ordered = sorted(members)
    wanted = set(ordered) if departments is None else set(departments) & set(ordered)
    # Only the ties of the wanted departments' people (in the graph's order,
    # so the ties come in the same order as when looping over all of them).
    around = None if departments is None else [v for v, d in dept_of.items() if d in wanted]
    inside: dict[str, list] = {d: [] for d in wanted}
    for u, v, w in G.edges(around, data="weight", default=1.0):
        d = dept_of[u]
        if d == dept_of[v] and d in wanted:
            inside[d].append((u, v, float(w)))
    positions: dict[str, tuple[float, float]] = {}
    for i, dept in enumerate(ordered):
        if dept not in wanted:
            continue
        people = sorted(members[dept], key=str)
        n = len(people)
        if n <= DENSE_LAYOUT_LIMIT:
            H = nx.Graph()
            H.add_nodes_from(people)
            for u, v, w in inside[dept]:
                if H.has_edge(u, v):
                    H[u][v]["weight"] += w
                else:
                    H.add_edge(u, v, weight=w)
            steps = iterations if n <= 600 else max(5, iterations // 3)
            unit = _spread(H, seed + i, steps)
            points = [(float(x), float(y)) for x, y in (unit[v] for v in people)]
        else:
            index = {v: j for j, v in enumerate(people)}
            ties = inside[dept]
            src = np.fromiter((index[u] for u, _, _ in ties), dtype=np.int64, count=len(ties))
            dst = np.fromiter((index[v] for _, v, _ in ties), dtype=np.int64, count=len(ties))
            weight = np.fromiter((w for _, _, w in ties), dtype=float, count=len(ties))
            points = _spread_large(n, (src, dst, weight), seed + i, iterations).tolist()
        cx, cy = centres[dept]
        r = department_radius(n, spacing=spacing) - 0.5 * spacing
        for v, (x, y) in zip(people, points):
            positions[v] = (round(cx + r * x, 1), round(cy + r * y, 1))
    return positions
