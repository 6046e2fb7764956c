"""Relations between plans drawn at build time: inline SVG, no JavaScript, no service.

Each plan page with relations shows the plan and its direct relations (depends on, extends,
supersedes, related, both ways); `plans/graph/` shows every relation of the site, one drawing
per connected group of plans, so a site of hundreds of plans stays readable: most groups are
small, and plans without relations are listed, not drawn.

The layout is a layered one (Sugiyama's method, reduced to what these graphs need): a plan
sits one column right of the plans it depends on, extends or supersedes, so foundations are on
the left and arrows point at what a plan builds on; plans in a column are ordered by the mean
position of their neighbours, a few sweeps each way, which keeps most edges short and
uncrossed. An edge across several columns gets a place in each column between (Sugiyama's
dummy nodes), so its line never passes behind a plan. `related` links two plans without
ordering them. Graphviz would lay out better, but needs a program the user installs outside
Python; the pure-Python layout libraries are not kept. These graphs are small (a page's
neighbours, a group of related plans): the heuristic draws them in microseconds.

Nodes are links in their status colours (dark enough for white text in both colour schemes);
edges and labels take the text colour of the page (`currentColor`), so dark mode needs no
second drawing. Every drawing comes with the same edges as a list of sentences, for screen
readers and for reading.
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from mkdocs.utils import get_relative_url

from mkdocs_techplan.format.statuses import Statuses
from mkdocs_techplan.site.placement import PlacedPlan

DIRECTED = ("depends_on", "extends", "supersedes")
"""Relations that order two plans: the source builds on the target."""
LABELS = {
    "depends_on": "depends on",
    "extends": "extends",
    "supersedes": "supersedes",
    "related": "related to",
}

_WIDTH, _HEIGHT = 180, 46
_GAP_X, _GAP_Y, _MARGIN = 84, 22, 8
_SWEEPS = 4


@dataclass(frozen=True)
class Edge:
    """A relation between two placed plans, by their page paths."""

    source: str
    target: str
    kind: str


def relation_edges(placed: Sequence[PlacedPlan]) -> list[Edge]:
    """Every relation between two placed plans, once (a `related` pair once, either way)."""
    pages = {item.plan.source.page_uri for item in placed}
    edges: list[Edge] = []
    seen: set[tuple[str, str, str]] = set()
    for item in placed:
        source = item.plan.source.page_uri
        for kind in (*DIRECTED, "related"):
            for link in getattr(item.links, kind):
                target = link.target
                if target is None or target not in pages or target == source:
                    continue
                key = (
                    (*sorted((source, target)), kind)
                    if kind == "related"
                    else (source, target, kind)
                )
                if key in seen:
                    continue
                seen.add(key)
                edges.append(Edge(source, target, kind))
    return edges


@dataclass(frozen=True)
class GraphStyle:
    """What a drawing needs of the site: each plan's shown status colour and name, and the
    URL of each plan page (relative links are made from the drawing's page)."""

    statuses: Statuses
    url_of: Callable[[PlacedPlan], str]


def plan_graph(
    item: PlacedPlan, by_page: dict[str, PlacedPlan], edges: Sequence[Edge], style: GraphStyle
) -> str:
    """The drawing of a plan and its direct relations, for its page; empty without any."""
    page = item.plan.source.page_uri
    own = [edge for edge in edges if page in (edge.source, edge.target)]
    if not own:
        return ""
    nodes = _nodes([item.plan.source.page_uri, *(p for e in own for p in (e.source, e.target))])
    title = f"Relations of {item.plan.title}"
    # The page's header lines say the same relations in words: no list under this drawing.
    return _figure(
        nodes, own, by_page, style, style.url_of(item), title, current=page, listed=False
    )


def site_graph(
    placed: Sequence[PlacedPlan], edges: Sequence[Edge], style: GraphStyle, page_url: str
) -> str:
    """Every relation of the site: one drawing per connected group of plans, largest first,
    then the plans without relations as a list. HTML, for the `graph` page."""
    by_page = {item.plan.source.page_uri: item for item in placed}
    groups = _groups(list(by_page), edges)
    parts: list[str] = []
    for number, group in enumerate(g for g in groups if len(g) > 1):
        members = set(group)
        inner = [edge for edge in edges if edge.source in members]
        parts.append(
            _figure(group, inner, by_page, style, page_url, f"Group {number + 1} of related plans")
        )
    alone = sorted(
        (by_page[p] for g in groups if len(g) == 1 for p in g),
        key=lambda i: i.plan.title.casefold(),
    )
    if alone:
        items = "".join(
            f'<li><a href="{html.escape(get_relative_url(style.url_of(item), page_url))}">'
            f"{html.escape(item.plan.title)}</a></li>"
            for item in alone
        )
        parts.append(
            '<div class="techplan-graph__alone"><p>Plans without relations:</p>'
            f'<ul class="techplan-graph__alone-list">{items}</ul></div>'
        )
    if not edges:
        parts.insert(
            0,
            "<p>No plan relates to another yet: give plans <code>depends_on</code>, "
            "<code>extends</code>, <code>related</code> or <code>supersedes</code>.</p>",
        )
    return "\n\n".join(parts)


def _nodes(pages: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(pages))


def _groups(pages: list[str], edges: Sequence[Edge]) -> list[list[str]]:
    """The connected groups of plans (any relation connects), largest first."""
    parent = {page: page for page in pages}

    def root(page: str) -> str:
        while parent[page] != page:
            parent[page] = parent[parent[page]]
            page = parent[page]
        return page

    for edge in edges:
        parent[root(edge.source)] = root(edge.target)
    groups: dict[str, list[str]] = {}
    for page in pages:
        groups.setdefault(root(page), []).append(page)
    return sorted(groups.values(), key=lambda group: (-len(group), min(group)))


Cell = tuple[int, int]
"""(column, row) in a drawing's grid."""


@dataclass(frozen=True)
class Layout:
    """Where a drawing puts its plans, and the empty cells each edge's line goes through."""

    places: dict[str, Cell]
    routes: list[list[Cell]]
    """For each edge, in the order given: the cells its line crosses between the columns of
    its two plans (none when they are in columns side by side, or in one column)."""


def layout(nodes: Sequence[str], edges: Sequence[Edge]) -> Layout:
    """(column, row) of each node: a column right of what it builds on, rows ordered by the
    mean row of the neighbours in the columns beside.

    An edge between columns further apart gets a place in each column it crosses (Sugiyama's
    dummy nodes), ordered with the plans, and its line goes through those places: it never
    passes behind a plan it does not link."""
    builds_on: dict[str, list[str]] = {node: [] for node in nodes}
    for edge in edges:
        if edge.kind in DIRECTED:
            builds_on[edge.source].append(edge.target)
    column: dict[str, int] = {}

    def column_of(node: str, path: frozenset[str]) -> int:
        if node in column:
            return column[node]
        below = [t for t in builds_on[node] if t not in path]  # a circle stops here
        found = 1 + max((column_of(t, path | {node}) for t in below), default=-1)
        column[node] = found
        return found

    for node in nodes:
        column_of(node, frozenset())
    columns: dict[int, list[str]] = {}
    for node in nodes:
        columns.setdefault(column[node], []).append(node)
    neighbours: dict[str, list[str]] = {node: [] for node in nodes}
    crossings: list[list[str]] = []
    for number, edge in enumerate(edges):
        start, end = column[edge.source], column[edge.target]
        step = 1 if end > start else -1
        # A page path never starts with a NUL: these names cannot be a plan's.
        crossed = range(start + step, end, step)
        between = [f"\0{number}:{at}" for at in crossed]
        for name, at in zip(between, crossed, strict=True):
            column[name] = at
            columns.setdefault(at, []).append(name)
            neighbours[name] = []
        chain = [edge.source, *between, edge.target]
        for one, other in itertools.pairwise(chain):
            neighbours[one].append(other)
            neighbours[other].append(one)
        crossings.append(between)
    row = {node: index for members in columns.values() for index, node in enumerate(members)}
    order = sorted(columns)
    for sweep in range(_SWEEPS):
        for number in order if sweep % 2 == 0 else reversed(order):
            members = columns[number]
            centres = {node: _centre(node, number, neighbours, column, row) for node in members}
            members.sort(key=lambda node: (centres[node], row[node]))
            for index, node in enumerate(members):
                row[node] = index
    return Layout(
        {node: (column[node], row[node]) for node in nodes},
        [[(column[name], row[name]) for name in between] for between in crossings],
    )


def _centre(
    node: str,
    at: int,
    neighbours: dict[str, list[str]],
    column: dict[str, int],
    row: dict[str, int],
) -> float:
    """The mean row of a node's neighbours in other columns (its own row without any)."""
    near = [row[n] for n in neighbours[node] if column[n] != at]
    return sum(near) / len(near) if near else row[node]


def _figure(
    nodes: Sequence[str],
    edges: Sequence[Edge],
    by_page: dict[str, PlacedPlan],
    style: GraphStyle,
    page_url: str,
    title: str,
    *,
    current: str | None = None,
    listed: bool = True,
) -> str:
    """A drawing: the plans as HTML links in a grid of fixed cells, the edges as an SVG of the
    same size behind them. Links stay HTML (themes rewrite links, and an SVG link's address
    cannot be rewritten); the SVG is decoration, the list under it says the same."""
    drawn = layout(nodes, edges)
    places = drawn.places
    cells = [*places.values(), *(cell for route in drawn.routes for cell in route)]
    columns = max(column for column, _ in cells) + 1
    rows = max(row for _, row in cells) + 1
    width = _MARGIN * 2 + columns * _WIDTH + (columns - 1) * _GAP_X
    height = _MARGIN * 2 + rows * _HEIGHT + (rows - 1) * _GAP_Y
    if columns == 1 and any(_detours(places[e.source], places[e.target]) for e in edges):
        width += _GAP_X // 2  # a line between plans of one column goes round on the right

    lines = "".join(
        _edge(
            _line(
                places[edge.source],
                places[edge.target],
                route,
                last_column=columns - 1,
            ),
            edge.kind,
        )
        for edge, route in zip(edges, drawn.routes, strict=True)
    )
    drawing = (
        f'<svg class="techplan-graph__edges-drawing" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-hidden="true">{lines}</svg>'
    )
    links = "".join(
        _node(by_page[page], places[page], style, page_url, page == current) for page in nodes
    )
    grid = (
        f'<div class="techplan-graph__grid" style="width: {width}px; height: {height}px; '
        f"grid-template-columns: repeat({columns}, {_WIDTH}px); "
        f'grid-template-rows: repeat({rows}, {_HEIGHT}px)">{drawing}{links}</div>'
    )
    sentences = "".join(
        f"<li>{_link(by_page[edge.source], style, page_url)} {LABELS[edge.kind]} "
        f"{_link(by_page[edge.target], style, page_url)}</li>"
        for edge in (edges if listed else ())
    )
    return (
        # A `div`, not a `figure`: themes centre figures and everything in them.
        f'<div class="techplan-graph" role="figure" aria-label="{html.escape(title)}">'
        f'<div class="techplan-graph__scroll">{grid}</div>'
        f'<p class="techplan-graph__caption">{html.escape(title)}</p>'
        + (f'<ul class="techplan-graph__edges">{sentences}</ul>' if sentences else "")
        + "</div>"
    )


def _link(item: PlacedPlan, style: GraphStyle, page_url: str) -> str:
    href = html.escape(get_relative_url(style.url_of(item), page_url))
    return f'<a href="{href}">{html.escape(item.plan.title)}</a>'


def _node(
    item: PlacedPlan, place: tuple[int, int], style: GraphStyle, page_url: str, current: bool
) -> str:
    """A plan in the grid: a link in its status colour (the badge's class gives it)."""
    superseded = style.statuses.superseded
    shown = superseded if item.superseded_by else style.statuses.of(item.plan.status)
    slug = shown.slug if shown else "unknown"
    status = shown.name if shown else "no valid status"
    label = f"{item.plan.id} · {status}" if item.plan.id else status
    href = html.escape(get_relative_url(style.url_of(item), page_url))
    kind = " techplan-graph__node--current" if current else ""
    column, row = place
    return (
        f'<a href="{href}" class="techplan-graph__node techplan-badge--{slug}{kind}" '
        f'style="grid-column: {column + 1}; grid-row: {row + 1}">'
        f'<span class="techplan-graph__title">{html.escape(item.plan.title)}</span>'
        f'<span class="techplan-graph__status">{html.escape(label)}</span></a>'
    )


Point = tuple[float, float]


def _corner(cell: Cell) -> Point:
    """The top left corner of a cell of the grid, in pixels."""
    column, row = cell  # what a plan builds on is to its left
    return _MARGIN + column * (_WIDTH + _GAP_X), _MARGIN + row * (_HEIGHT + _GAP_Y)


def _detours(source: Cell, target: Cell) -> bool:
    """Whether a line between two plans of one column would pass behind a plan between them."""
    return source[0] == target[0] and abs(source[1] - target[1]) > 1


def _line(
    source: Cell,
    target: Cell,
    route: Sequence[Cell],
    *,
    last_column: int,
) -> list[Point]:
    """The points of an edge's line, from the source's side to the target's. Between columns
    it runs in the gaps and through the empty cells of its route; between plans of one column
    that are not neighbours, it goes round through the gap beside the column."""
    (sx, sy), (tx, ty) = _corner(source), _corner(target)
    if source[0] == target[0]:
        if not _detours(source, target):  # between the facing sides
            if sy < ty:
                return [(sx + _WIDTH / 2, sy + _HEIGHT), (tx + _WIDTH / 2, ty)]
            return [(sx + _WIDTH / 2, sy), (tx + _WIDTH / 2, ty + _HEIGHT)]
        left = source[0] == last_column and source[0] > 0
        side = sx if left else sx + _WIDTH
        gap = side - _GAP_X / 2 if left else side + _GAP_X / 2
        return [(side, sy + _HEIGHT / 2), (gap, sy + _HEIGHT / 2), (gap, ty + _HEIGHT / 2),
                (side, ty + _HEIGHT / 2)]  # fmt: skip
    leftwards = source[0] > target[0]
    points = [(sx if leftwards else sx + _WIDTH, sy + _HEIGHT / 2)]
    for cell in route:  # across each empty cell, at its middle
        x, y = _corner(cell)
        ends = (x + _WIDTH, x) if leftwards else (x, x + _WIDTH)
        points += [(ends[0], y + _HEIGHT / 2), (ends[1], y + _HEIGHT / 2)]
    points.append((tx + _WIDTH if leftwards else tx, ty + _HEIGHT / 2))
    return points


def _edge(points: Sequence[Point], kind: str) -> str:
    # One path per edge: the line, then an open arrowhead at the target (none for `related`).
    path = "M" + "L".join(f"{x:.0f} {y:.0f}" for x, y in points)
    if kind != "related":
        path += _arrowhead(points[-2], points[-1])
    # The label over the middle of the line's middle stretch.
    middle = len(points) // 2
    one, other = points[middle - 1], points[middle]
    label = ((one[0] + other[0]) / 2, (one[1] + other[1]) / 2 - 5)
    return (
        f'<path d="{path}" class="techplan-graph__edge--{kind.replace("_", "-")}"></path>'
        f'<text x="{label[0]:.0f}" y="{label[1]:.0f}">{LABELS[kind]}</text>'
    )


def _arrowhead(start: tuple[float, float], end: tuple[float, float]) -> str:
    angle = math.atan2(end[1] - start[1], end[0] - start[0])
    back, side = 9.0, 4.5
    base = (end[0] - back * math.cos(angle), end[1] - back * math.sin(angle))
    left = (base[0] + side * math.sin(angle), base[1] - side * math.cos(angle))
    right = (base[0] - side * math.sin(angle), base[1] + side * math.cos(angle))
    return f"M{left[0]:.0f} {left[1]:.0f}L{end[0]:.0f} {end[1]:.0f}L{right[0]:.0f} {right[1]:.0f}"
