"""Relations drawn at build time (README, "Relations between plans"): each plan page
with relations shows the plan and its direct relations, `plans/graph/` every relation of the
site, one drawing per connected group; nodes link to their pages in their status colours."""

from __future__ import annotations

import itertools
import random
import re

from conftest import SiteBuilder

from mkdocs_techplan.render import graph
from mkdocs_techplan.render.graph import Edge, layout


def _four(site: SiteBuilder) -> None:
    site.write("plans/alpha/plan.yaml", "title: Alpha\nstatus: Draft\nid: TP-1\n")
    site.write(
        "plans/beta/plan.yaml", "title: Beta\nstatus: Approved\nid: TP-2\ndepends_on: [TP-1]\n"
    )
    site.write(
        "plans/gamma/plan.yaml",
        "title: Gamma\nstatus: In Review\nid: TP-3\nextends: ../alpha/plan.yaml\n",
    )
    site.write(
        "plans/delta.plan.md", "---\ntitle: Delta\nstatus: Draft\nrelated: [TP-1]\n---\nText.\n"
    )
    site.write("plans/lonely/plan.yaml", "title: Lonely\nstatus: Draft\n")


def test_a_plan_page_draws_its_neighbours_linked_in_their_colours(site: SiteBuilder) -> None:
    _four(site)
    result = site.build(plugin_options={"status_rules": False})
    assert not result.failed, result.messages
    page = result.content("plans/alpha/index.html")
    graph = page.select_one(".techplan-graph")
    assert graph is not None
    nodes = {
        a.select_one(".techplan-graph__title").get_text(): a
        for a in graph.select("a.techplan-graph__node")
    }
    assert set(nodes) == {"Alpha", "Beta", "Gamma", "Delta"}
    assert nodes["Beta"]["href"] == "../beta/"
    assert "techplan-badge--approved" in nodes["Beta"]["class"]
    assert "techplan-graph__node--current" in nodes["Alpha"]["class"]
    # What a plan builds on stands to its left: Beta depends on Alpha.
    assert (
        nodes["Alpha"]["style"].startswith("grid-column:1")
        or "grid-column: 1" in nodes["Alpha"]["style"]
    )
    assert graph.select(".techplan-graph__edges li") == []  # the header lines say it
    labels = {text.get_text() for text in graph.select("svg text")}
    assert labels == {"depends on", "extends", "related to"}
    assert page.select_one("svg path.techplan-graph__edge--related") is not None
    # A plan without relations has no drawing.
    assert result.content("plans/lonely/index.html").select_one(".techplan-graph") is None


def test_the_graph_page_links_every_plan(site: SiteBuilder) -> None:
    _four(site)
    result = site.build(plugin_options={"status_rules": False})
    assert not result.failed, result.messages
    page = result.content("plans/graph/index.html")
    drawn = {
        a.select_one(".techplan-graph__title").get_text()
        for a in page.select("a.techplan-graph__node")
    }
    assert drawn == {"Alpha", "Beta", "Gamma", "Delta"}
    edges = [" ".join(li.get_text(" ").split()) for li in page.select(".techplan-graph__edges li")]
    assert sorted(edges) == [
        "Alpha related to Delta",
        "Beta depends on Alpha",
        "Gamma extends Alpha",
    ]
    alone = [a.get_text() for a in page.select(".techplan-graph__alone-list a")]
    assert alone == ["Lonely"]
    hrefs = {a["href"] for a in page.select("a.techplan-graph__node")}
    assert hrefs == {"../alpha/", "../beta/", "../gamma/", "../delta.plan/"}
    off = site.build(plugin_options={"graph": False, "status_rules": False})
    assert not (off.site_dir / "plans/graph/index.html").exists()


def test_plan_titles_in_a_drawing_are_text(site: SiteBuilder) -> None:
    site.write(
        "plans/a/plan.yaml", 'title: "<img src=x onerror=alert(1)> A"\nstatus: Draft\nid: X-1\n'
    )
    site.write("plans/b/plan.yaml", "title: B\nstatus: Draft\ndepends_on: [X-1]\n")
    result = site.build()
    assert not result.failed, result.messages
    for path in ("plans/b/index.html", "plans/graph/index.html"):
        graph = result.content(path).select_one(".techplan-graph")
        assert graph.find("img") is None
        assert "<img src=x" in graph.get_text()


def test_layout_puts_foundations_left_and_keeps_groups_apart() -> None:
    edges = [
        Edge("c", "b", "depends_on"),
        Edge("b", "a", "depends_on"),
        Edge("d", "a", "extends"),
        Edge("e", "c", "related"),
    ]
    drawn = layout(["a", "b", "c", "d", "e"], edges)
    places = drawn.places
    assert places["a"][0] == 0 and places["b"][0] == 1 and places["c"][0] == 2
    assert places["d"][0] == 1 and places["e"][0] == 0  # related does not order
    # `e` (column 0) to `c` (column 2) crosses column 1 through a cell of its own.
    assert [len(route) for route in drawn.routes] == [0, 0, 0, 1]
    taken = [*places.values(), *drawn.routes[3]]
    assert len(set(taken)) == 6  # no two plans, and no plan and a line, in one cell
    # A circle (reported elsewhere) still lays out.
    assert layout(["x", "y"], [Edge("x", "y", "depends_on"), Edge("y", "x", "depends_on")]).places


def _crosses(one: tuple[float, float], other: tuple[float, float], box: tuple[float, ...]) -> bool:
    """Whether the segment from `one` to `other` enters the inside of `box` (x0, y0, x1, y1)."""
    (x, y), (dx, dy) = one, (other[0] - one[0], other[1] - one[1])
    low, high = 0.0, 1.0
    for step, start, lower, upper in ((dx, x, box[0], box[2]), (dy, y, box[1], box[3])):
        if step == 0:
            if not lower < start < upper:
                return False
            continue
        t1, t2 = sorted(((lower - start) / step, (upper - start) / step))
        low, high = max(low, t1), min(high, t2)
    return low < high


def _lines_behind_plans(nodes: list[str], edges: list[Edge]) -> list[str]:
    """The edges whose drawn line passes behind a plan other than its two ends."""
    drawn = layout(nodes, edges)
    cells = [*drawn.places.values(), *itertools.chain.from_iterable(drawn.routes)]
    columns = max(column for column, _ in cells) + 1

    behind = []
    for edge, route in zip(edges, drawn.routes, strict=True):
        points = graph._line(
            drawn.places[edge.source], drawn.places[edge.target], route, last_column=columns - 1
        )
        for node, cell in drawn.places.items():
            if node in (edge.source, edge.target):
                continue
            x, y = graph._corner(cell)
            box = (x, y, x + graph._WIDTH, y + graph._HEIGHT)
            if any(_crosses(a, b, box) for a, b in itertools.pairwise(points)):
                behind.append(f"{edge.source}->{edge.target} behind {node}")
    return behind


def test_no_line_passes_behind_a_plan_it_does_not_link() -> None:
    # A long relation across a full column, and two related plans of one column with a plan
    # between them: both used to be drawn straight, behind the plans in the way.
    across = [Edge("c", "b", "depends_on"), Edge("b", "a", "depends_on"), Edge("c", "a", "extends")]
    across += [Edge("d", "a", "depends_on"), Edge("e", "a", "depends_on")]
    assert _lines_behind_plans(["a", "b", "c", "d", "e"], across) == []
    one_column = [Edge("x", "y", "related"), Edge("y", "z", "related"), Edge("x", "z", "related")]
    assert _lines_behind_plans(["x", "y", "z"], one_column) == []
    generator = random.Random(7)
    for _ in range(300):
        nodes = [f"p{n}" for n in range(generator.randint(2, 12))]
        edges = [
            Edge(*generator.sample(nodes, 2), generator.choice([*graph.DIRECTED, "related"]))
            for _ in range(generator.randint(1, 16))
        ]
        assert _lines_behind_plans(nodes, edges) == [], edges


def test_a_long_relation_is_drawn_round_the_plans_in_its_way(site: SiteBuilder) -> None:
    site.write("plans/a/plan.yaml", "title: A\nstatus: Draft\nid: G-1\n")
    site.write("plans/b/plan.yaml", "title: B\nstatus: Draft\nid: G-2\ndepends_on: [G-1]\n")
    site.write("plans/c/plan.yaml", "title: C\nstatus: Draft\nid: G-3\ndepends_on: [G-2, G-1]\n")
    result = site.build(plugin_options={"status_rules": False})
    assert not result.failed, result.messages
    drawing = result.content("plans/graph/index.html").select_one(".techplan-graph")
    places = {}
    for node in drawing.select("a.techplan-graph__node"):
        column, row = re.findall(r"grid-(?:column|row): (\d+)", node["style"])
        places[node.select_one(".techplan-graph__title").get_text()] = (
            int(column) - 1,
            int(row) - 1,
        )
    assert places["A"][0] == 0 and places["B"][0] == 1 and places["C"][0] == 2
    paths = [p["d"] for p in drawing.select("svg path")]
    # C depends on A, two columns left: its line has a bend on each side of B's column.
    lines = [re.findall(r"[ML](-?\d+) (-?\d+)", d) for d in paths]
    assert sorted(len(points) for points in lines) == [2 + 3, 2 + 3, 4 + 3]  # + arrowhead
    x, y = graph._MARGIN + (graph._WIDTH + graph._GAP_X), graph._MARGIN
    b_box = (x, y + places["B"][1] * (graph._HEIGHT + graph._GAP_Y))
    box = (*b_box, b_box[0] + graph._WIDTH, b_box[1] + graph._HEIGHT)
    for points in lines:
        line = [(float(px), float(py)) for px, py in points[:-3]]
        assert not any(_crosses(a, b, box) for a, b in itertools.pairwise(line))


def test_a_status_rule_keeps_an_approved_plan_from_depending_on_a_draft(site: SiteBuilder) -> None:
    site.write("plans/base/plan.yaml", "title: Base\nstatus: Draft\nid: B-1\n")
    site.write(
        "plans/top/plan.yaml",
        "title: Top\nstatus: Approved\nauthor: Ada\ndate: 2026-01-01\ndepends_on: [B-1]\n",
    )
    rules = {"status_rules": {"Approved": ["author", "depends_on_not_behind"]}}
    result = site.build(plugin_options=rules)
    assert result.failed
    (message,) = result.techplan_warnings
    assert message.startswith("docs/plans/top/plan.yaml:5:14: status `Approved` requires")
    assert "`Base` is `Draft`" in message
    site.write("plans/base/plan.yaml", "title: Base\nstatus: Approved\nid: B-1\nauthor: Bo\n")
    assert not site.build(plugin_options=rules).failed
