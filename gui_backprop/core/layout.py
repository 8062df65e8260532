"""Where each node of a computational graph goes: a layered (Sugiyama-style) layout.

Inputs sit on the left, the output (the loss) on the right. Each operation's layer is
the length of the longest path to it from the leaves; a leaf or constant sits in the
layer just before its first use, next to the operation that consumes it. Edges that
span several layers get invisible bend points, one per layer crossed, so they can be
routed around the nodes in between. Within a layer, nodes are ordered by barycenter
sweeps plus adjacent swaps to reduce edge crossings, then given vertical positions
that keep edges as straight as possible (an isotonic regression per layer).

Coordinates are abstract: ``x`` is the layer index, ``y`` a row position; two nodes of
one layer are at least 1 apart. The canvas scales them by its own node sizes.

Big graphs (issue 13): bend vertices are what a layered layout spends its time on, and
a long program has quadratically many (a parameter used on every line). Within a budget
linear in the graph's size, the shortest edges get them; longer edges are drawn
straight under the nodes (see :func:`_routed_edges`). A large graph sweeps at most
:data:`LARGE_SWEEPS` times and stops after :data:`STALE_SWEEPS` sweeps without fewer
crossings; crossings are counted in O(E log E). So the layout grows about as n log n.
``compute_layout(..., should_stop=...)`` lets a caller on another thread cancel it.

Why hand-written: it is deterministic, testable, keeps 0 crossings on every lesson and
is fast enough (docs/architecture.md has the side-by-side figures against
fast-sugiyama and igraph's layout_sugiyama on our own autograd graphs). grandalf is
unmaintained; networkx has no crossing minimisation; graphviz brings a system binary;
igraph is GPL (the installers would have to ship under the GPL).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Protocol

SWEEPS = 8
LARGE_SWEEPS = 4
SWAP_PASSES = 4
LARGE_GRAPH = 150
PLACEMENT_ROUNDS = 6
NODE_GAP = 1.0
BEND_GAP = 0.6
UNTRACKED_PULL = 0.02
UNTRACKED_GIVE = 0.02
BEND_BUDGET_MIN = 2_000
BEND_BUDGET_PER_NODE = 3
STALE_SWEEPS = 2

Point = tuple[float, float]
StopCheck = Callable[[], bool] | None


class _LayeredNode(Protocol):
    id: int


class _LayeredEdge(Protocol):
    id: int
    source: int
    target: int
    position: int
    tracked: bool


class LayeredGraph(Protocol):
    """What the layout reads of a graph: an :class:`~gui_backprop.core.graph.Iteration`,
    or the same graph with its statements folded (:mod:`gui_backprop.core.folding`).
    Edge ids are their indices in ``edges``."""

    @property
    def nodes(self) -> Sequence[_LayeredNode]:
        """The nodes (each with an ``id``)."""

    @property
    def edges(self) -> Sequence[_LayeredEdge]:
        """The edges, ``edges[i].id == i``."""

    @property
    def output(self) -> int:
        """The id of the output node (drawn in the last layer)."""


class LayoutCancelled(Exception):
    """Raised by :func:`compute_layout` when its ``should_stop`` check says so."""


@dataclass(frozen=True)
class GraphLayout:
    """A layered layout: node centres, layers and the bend points of long edges.

    ``positions`` maps a node id to ``(layer, row)``. ``layers`` lists node ids per
    layer, top to bottom. ``bends`` maps an edge id to the points its line passes
    between the source's and the target's layer (empty for an edge to the next layer).
    """

    positions: dict[int, Point]
    layers: tuple[tuple[int, ...], ...]
    bends: dict[int, tuple[Point, ...]]

    def route(self, iteration: LayeredGraph, edge_id: int) -> tuple[Point, ...]:
        """The points an edge's line passes through, from source to target."""
        edge = iteration.edges[edge_id]
        return (self.positions[edge.source], *self.bends[edge_id],
                self.positions[edge.target])


def layered_layout(iteration: LayeredGraph) -> dict[int, Point]:
    """Node id -> centre ``(layer, row)`` in abstract units (see :class:`GraphLayout`)."""
    return compute_layout(iteration).positions


def assign_layers(iteration: LayeredGraph) -> dict[int, int]:
    """Each node's layer: longest path from the leaves; sources just before first use."""
    inputs: dict[int, list[int]] = {n.id: [] for n in iteration.nodes}
    uses: dict[int, list[int]] = {n.id: [] for n in iteration.nodes}
    for edge in iteration.edges:
        inputs[edge.target].append(edge.source)
        uses[edge.source].append(edge.target)
    layer: dict[int, int] = {}
    for node_id in _topological_order(iteration, inputs):
        layer[node_id] = 1 + max((layer[s] for s in inputs[node_id]), default=-1)
    for node_id, sources in inputs.items():
        if not sources and uses[node_id]:
            layer[node_id] = min(layer[t] for t in uses[node_id]) - 1
    last = max(layer.values(), default=0)
    if not uses[iteration.output]:
        layer[iteration.output] = last
    return layer


def _topological_order(iteration: LayeredGraph, inputs: dict[int, list[int]]) -> list[int]:
    """Kahn's algorithm, the smallest ready id first (deterministic), O(E + V log V)."""
    remaining = {node_id: len(set(sources)) for node_id, sources in inputs.items()}
    users: dict[int, set[int]] = {n.id: set() for n in iteration.nodes}
    for edge in iteration.edges:
        users[edge.source].add(edge.target)
    ready = [n for n, count in remaining.items() if count == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        node_id = heapq.heappop(ready)
        order.append(node_id)
        for user in users[node_id]:
            remaining[user] -= 1
            if remaining[user] == 0:
                heapq.heappush(ready, user)
    if len(order) != len(remaining):
        raise ValueError("the graph has a cycle")
    return order


@dataclass
class _Graph:
    """The layered graph with bend vertices: vertex ids >= n are bends."""

    layer_of: dict[int, int]
    up: dict[int, list[tuple[int, float]]]  # vertex -> (vertex in layer - 1, port)
    down: dict[int, list[tuple[int, float]]]  # vertex -> (vertex in layer + 1, port)
    weight: dict[tuple[int, int], float]  # (vertex, its input) -> pull of the input
    weight_back: dict[tuple[int, int], float]  # (vertex, its user) -> pull of the user
    chains: dict[int, list[int]]  # edge id -> its bend vertices, left to right
    real: set[int]


def _routed_edges(iteration: LayeredGraph, layer: dict[int, int]) -> set[int]:
    """The edges that get bend vertices: the shortest first, within the bend budget.

    Bend vertices are what a layered layout spends its time on, and their number grows
    with the square of a program's length (a parameter used on every line, a result
    used far below). Within the budget -- every edge of a lesson or a playground
    program of a few hundred nodes -- each edge is routed around the nodes between its
    ends; an edge beyond it is drawn straight, under the nodes, and takes no part in
    the ordering (so the work stays about linear in the graph's size).
    """
    budget = BEND_BUDGET_MIN + BEND_BUDGET_PER_NODE * len(iteration.nodes)
    spans = sorted((layer[e.target] - layer[e.source] - 1, e.id) for e in iteration.edges)
    routed = set()
    for bends, edge_id in spans:
        if bends > budget:
            break
        budget -= bends
        routed.add(edge_id)
    return routed


def _build(iteration: LayeredGraph, layer: dict[int, int]) -> _Graph:
    routed = _routed_edges(iteration, layer)
    up: dict[int, list[tuple[int, float]]] = {v: [] for v in layer}
    down: dict[int, list[tuple[int, float]]] = {v: [] for v in layer}
    layer_of = dict(layer)
    chains: dict[int, list[int]] = {}
    weight: dict[tuple[int, int], float] = {}
    weight_back: dict[tuple[int, int], float] = {}
    next_vertex = max(layer, default=-1) + 1
    for edge in iteration.edges:
        chain: list[int] = []
        chains[edge.id] = chain
        if edge.id not in routed:
            continue
        previous = edge.source
        for step in range(layer[edge.source] + 1, layer[edge.target]):
            vertex, next_vertex = next_vertex, next_vertex + 1
            layer_of[vertex] = step
            up[vertex], down[vertex] = [], []
            down[previous].append((vertex, 0.0))
            up[vertex].append((previous, 0.0))
            weight[vertex, previous] = weight_back[previous, vertex] = 1.0
            chain.append(vertex)
            previous = vertex
        # operand position breaks ties: the first operand above the second
        down[previous].append((edge.target, edge.position * 1e-3))
        up[edge.target].append((previous, 0.0))
        # gradient paths form the main line: an operation hardly moves towards an input
        # without a gradient, while such an input follows its user but gives way
        key = (edge.target, previous)
        weight[key] = max(weight.get(key, 0.0), 1.0 if edge.tracked else UNTRACKED_PULL)
        key = (previous, edge.target)
        weight_back[key] = max(weight_back.get(key, 0.0),
                               1.0 if edge.tracked else UNTRACKED_GIVE)
    return _Graph(layer_of, up, down, weight, weight_back, chains, set(layer))


def compute_layout(iteration: LayeredGraph, should_stop: StopCheck = None) -> GraphLayout:
    """The full layout of an iteration's graph (positions, layers, bends).

    ``should_stop`` is called between sweeps; when it returns true the layout stops
    with :class:`LayoutCancelled` (a newer edit has made this one obsolete).
    """
    layer = assign_layers(iteration)
    graph = _build(iteration, layer)
    _check(should_stop)
    count = max(graph.layer_of.values(), default=-1) + 1
    layers: list[list[int]] = [[] for _ in range(count)]
    for vertex in sorted(graph.layer_of):
        layers[graph.layer_of[vertex]].append(vertex)
    starts = [layers, _depth_first_order(graph, layers, iteration.output)]
    directions = (False, True)
    if len(graph.layer_of) > LARGE_GRAPH:  # keep a big playground program quick to show
        starts, directions = starts[1:], directions[:1]
    candidates = [_order_layers(graph, start, upward_first, should_stop)
                  for start in starts for upward_first in directions]
    layers = (candidates[0] if len(candidates) == 1
              else min(candidates, key=lambda c: _total_crossings(graph, c)))  # first of equals
    rows = _place_rows(graph, layers, should_stop)
    low = min(rows.values(), default=0.0)
    point = {v: (float(graph.layer_of[v]), round(rows[v] - low, 9)) for v in rows}
    positions = {v: point[v] for v in sorted(graph.real)}
    bends = {e: tuple(point[v] for v in chain) for e, chain in graph.chains.items()}
    real_layers = tuple(tuple(v for v in vs if v in graph.real) for vs in layers)
    return GraphLayout(positions, real_layers, bends)


def _depth_first_order(graph: _Graph, layers: list[list[int]], output: int) -> list[list[int]]:
    """Layers ordered as a walk back from the output meets them, operands in order."""
    rank: dict[int, int] = {}
    for root in [output, *sorted(graph.layer_of, reverse=True)]:
        stack = [root]
        while stack:
            vertex = stack.pop()
            if vertex in rank:
                continue
            rank[vertex] = len(rank)
            stack.extend(other for other, _ in reversed(graph.up[vertex]))
    return [sorted(layer, key=rank.__getitem__) for layer in layers]


def _check(should_stop: StopCheck) -> None:
    if should_stop is not None and should_stop():
        raise LayoutCancelled


def _order_layers(graph: _Graph, layers: list[list[int]], upward_first: bool = False,
                  should_stop: StopCheck = None) -> list[list[int]]:
    """Barycenter sweeps (alternating direction) with adjacent swaps; the best order.

    A large graph stops sweeping once :data:`STALE_SWEEPS` sweeps in a row found no
    fewer crossings (each sweep is O(E log E); more of them rarely help).
    """
    best = [list(vs) for vs in layers]
    best_crossings = _total_crossings(graph, best)
    current = [list(vs) for vs in layers]
    stale = 0
    large = len(graph.layer_of) > LARGE_GRAPH
    for sweep in range(LARGE_SWEEPS if large else SWEEPS):
        _check(should_stop)
        downward = (sweep % 2 == 0) != upward_first
        indices = range(1, len(current)) if downward else range(len(current) - 2, -1, -1)
        for i in indices:
            fixed = current[i - 1] if downward else current[i + 1]
            links = graph.up if downward else graph.down
            current[i] = _by_barycenter(current[i], fixed, links)
        crossings = _total_crossings(graph, current)
        if crossings < best_crossings:
            best, best_crossings = [list(vs) for vs in current], crossings
            stale = 0
        else:
            stale += 1
        if best_crossings == 0:
            return best
        if large and stale >= STALE_SWEEPS:
            break
    _check(should_stop)
    _swap_adjacent(graph, best, 1 if large else SWAP_PASSES)
    return best


def _by_barycenter(layer: list[int], fixed: list[int],
                   links: dict[int, list[tuple[int, float]]]) -> list[int]:
    index = {v: i for i, v in enumerate(fixed)}
    keys = {}
    for i, vertex in enumerate(layer):
        ports = [index[other] + port for other, port in links[vertex]]
        keys[vertex] = (sum(ports) / len(ports) if ports else float(i), i)
    return sorted(layer, key=keys.__getitem__)


def _swap_adjacent(graph: _Graph, layers: list[list[int]], passes: int) -> None:
    """Swap neighbours in a layer wherever that removes crossings (a few passes)."""
    for _ in range(passes):
        improved = False
        for i, layer in enumerate(layers):
            above = {v: k for k, v in enumerate(layers[i - 1])} if i > 0 else {}
            below = {v: k for k, v in enumerate(layers[i + 1])} if i + 1 < len(layers) else {}
            for j in range(len(layer) - 1):
                u, v = layer[j], layer[j + 1]
                if (_pair_crossings(graph, v, u, above, below)
                        < _pair_crossings(graph, u, v, above, below)):
                    layer[j], layer[j + 1] = v, u
                    improved = True
        if not improved:
            return


def _pair_crossings(graph: _Graph, first: int, second: int, above: dict[int, int],
                    below: dict[int, int]) -> int:
    """Crossings between the edges of ``first`` and ``second`` with ``first`` above."""
    count = 0
    for a, _ in graph.up[first]:
        count += sum(1 for b, _ in graph.up[second] if above[a] > above[b])
    for a, port_a in graph.down[first]:
        count += sum(1 for b, port_b in graph.down[second]
                     if below[a] + port_a > below[b] + port_b)
    return count


def _total_crossings(graph: _Graph, layers: list[list[int]]) -> int:
    return sum(_crossings_between(graph, layers[i], layers[i + 1])
               for i in range(len(layers) - 1))


def _crossings_between(graph: _Graph, left: list[int], right: list[int]) -> int:
    position = {v: i for i, v in enumerate(right)}
    segments = [(i, position[w] + port) for i, v in enumerate(left)
                for w, port in graph.down[v]]
    return count_segment_crossings(segments)


def count_segment_crossings(segments: Sequence[Point]) -> int:
    """How many pairs of segments ``(y_left, y_right)`` between two columns cross.

    Two segments cross when their ends are in opposite orders on the two columns
    (strictly: segments that share an end do not cross). Counted as inversions in
    O(E log E) with a Fenwick tree (Barth, Jünger and Mutzel's accumulator tree):
    segments sorted by their left end, then for each one the earlier segments whose
    right end lies strictly below it.
    """
    ordered = sorted(segments)
    ranks = {y: r for r, y in enumerate(sorted({right for _, right in ordered}), start=1)}
    tree = [0] * (len(ranks) + 1)
    crossings = 0
    for seen, (_left, right) in enumerate(ordered):
        rank = ranks[right]
        at_most = 0  # earlier segments whose right end is at or above this one's
        i = rank
        while i > 0:
            at_most += tree[i]
            i -= i & -i
        crossings += seen - at_most
        i = rank
        while i < len(tree):
            tree[i] += 1
            i += i & -i
    return crossings


def _place_rows(graph: _Graph, layers: list[list[int]],
                should_stop: StopCheck = None) -> dict[int, float]:
    rows: dict[int, float] = {}
    for layer in layers:
        gaps = _gaps(graph, layer)
        offsets = list(accumulate(gaps, initial=0.0))
        middle = offsets[-1] / 2 if offsets else 0.0
        rows.update({v: o - middle for v, o in zip(layer, offsets, strict=True)})
    order = list(range(len(layers)))
    # (neighbour, pull) lists and gaps looked up once: the rounds below are the hot loop
    pull_up = {v: [(o, graph.weight[v, o]) for o, _ in graph.up[v]] for v in graph.layer_of}
    pull_down = {v: [(o, graph.weight_back[v, o]) for o, _ in graph.down[v]]
                 for v in graph.layer_of}
    pull_both = {v: pull_up[v] + pull_down[v] for v in graph.layer_of}
    gaps = [_gaps(graph, layer) for layer in layers]
    for round_ in range(PLACEMENT_ROUNDS):
        _check(should_stop)
        last = round_ == PLACEMENT_ROUNDS - 1
        pulls_of = pull_both if last else (pull_up if round_ % 2 == 0 else pull_down)
        for i in order if round_ % 2 == 0 else reversed(order):
            layer = layers[i]
            wanted, importance = [], []
            for vertex in layer:
                total = moment = 0.0
                for other, weight in pulls_of[vertex]:
                    total += weight
                    moment += rows[other] * weight
                wanted.append(moment / total if total else rows[vertex])
                importance.append(max(total, 0.05))
            placed = spread(wanted, gaps[i], importance)
            rows.update(zip(layer, placed, strict=True))
    return rows


def _gaps(graph: _Graph, layer: list[int]) -> list[float]:
    return [NODE_GAP if a in graph.real and b in graph.real else BEND_GAP
            for a, b in zip(layer, layer[1:], strict=False)]


def spread(wanted: Sequence[float], gaps: Sequence[float],
           weights: Sequence[float] | None = None) -> list[float]:
    """Positions closest to ``wanted`` (weighted least squares) keeping order and gaps.

    ``gaps[i]`` is the least distance between item ``i`` and item ``i + 1``; an item
    of small weight gives way to its heavier neighbours. Solved exactly by
    pool-adjacent-violators on the positions minus their cumulative gaps.
    """
    offsets = [0.0]
    for gap in gaps:
        offsets.append(offsets[-1] + gap)
    weights = [1.0] * len(wanted) if weights is None else list(weights)
    targets = [w - o for w, o in zip(wanted, offsets, strict=True)]
    blocks: list[list[float]] = []  # [weighted mean, total weight, item count]
    for target, weight in zip(targets, weights, strict=True):
        blocks.append([target, weight, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, weight_sum, count = blocks.pop()
            prev_mean, prev_weight, prev_count = blocks[-1]
            total = prev_weight + weight_sum
            blocks[-1] = [(prev_mean * prev_weight + mean * weight_sum) / total, total,
                          prev_count + count]
    result = []
    for mean, _weight, count in blocks:
        result.extend([mean] * int(count))
    return [r + o for r, o in zip(result, offsets, strict=True)]


def count_crossings(iteration: LayeredGraph, layout: GraphLayout) -> int:
    """Edge crossings of a layout, counted segment by segment between adjacent layers
    (an edge drawn straight past the bend budget is not counted)."""
    by_gap: dict[float, list[Point]] = {}
    for edge in iteration.edges:
        route = layout.route(iteration, edge.id)
        for (x0, y0), (x1, y1) in zip(route, route[1:], strict=False):
            if x1 - x0 <= 1:
                by_gap.setdefault(x0, []).append((y0, y1))
    return sum(count_segment_crossings(segments) for segments in by_gap.values())
