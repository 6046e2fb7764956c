"""Relations drawn at build time (PLAN_FORMAT.md, "Relations between plans"): each plan page
with relations shows the plan and its direct relations, `plans/graph/` every relation of the
site, one drawing per connected group; nodes link to their pages in their status colours."""

from __future__ import annotations

from conftest import SiteBuilder

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
    places = layout(["a", "b", "c", "d", "e"], edges)
    assert places["a"][0] == 0 and places["b"][0] == 1 and places["c"][0] == 2
    assert places["d"][0] == 1 and places["e"][0] == 0  # related does not order
    assert len({places[n] for n in places}) == 5  # no two plans in one cell
    # A circle (reported elsewhere) still lays out.
    assert layout(["x", "y"], [Edge("x", "y", "depends_on"), Edge("y", "x", "depends_on")])


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
