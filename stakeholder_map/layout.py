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

from . import schema as s

__all__ = ["department_layout", "department_centres", "department_radius", "NODE_SPACING"]

#: Typical distance between neighbouring people, in drawing units (pixels at zoom 1).
NODE_SPACING = 60.0
#: Empty space kept between two department discs.
_GAP = 1.2 * NODE_SPACING


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
        Force-directed iterations inside each department (few are enough
        because the start is already evenly spread).
    spacing : float
        Typical distance between two people, in drawing units.

    Returns
    -------
    dict
        Node -> (x, y), rounded to 0.1.
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
    inside: dict[str, list] = {d: [] for d in wanted}
    for u, v, w in G.edges(data="weight", default=1.0):
        d = dept_of[u]
        if d == dept_of[v] and d in wanted:
            inside[d].append((u, v, float(w)))
    positions: dict[str, tuple[float, float]] = {}
    for i, dept in enumerate(ordered):
        if dept not in wanted:
            continue
        people = sorted(members[dept], key=str)
        H = nx.Graph()
        H.add_nodes_from(people)
        for u, v, w in inside[dept]:
            if H.has_edge(u, v):
                H[u][v]["weight"] += w
            else:
                H.add_edge(u, v, weight=w)
        steps = iterations if len(people) <= 600 else max(5, iterations // 3)
        unit = _spread(H, seed + i, steps)
        cx, cy = centres[dept]
        r = department_radius(len(people), spacing=spacing) - 0.5 * spacing
        for v, (x, y) in unit.items():
            positions[v] = (round(cx + r * float(x), 1), round(cy + r * float(y), 1))
    return positions
