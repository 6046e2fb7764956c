"""The relations graphs in a browser: plans are links a reader follows (through Material's
instant navigation too), edges take the page's text colour in both schemes, and nothing
breaks the page's scripts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import Browsing
from .support import THEMES

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_a_plan_in_the_graph_page_opens_its_page(browsing: Browsing, theme: str) -> None:
    page = browsing.open("plans/graph/", theme=theme, settled=theme == "material")
    nodes = page.locator("a.techplan-graph__node")
    expect(nodes.first).to_be_visible()
    assert nodes.count() >= 5
    node = page.locator("a.techplan-graph__node", has_text="Regional failover")
    node.click()
    page.wait_for_url(browsing.site_url(theme) + "plans/platform/")
    expect(page.locator("h1").first).to_have_text(re.compile(r"Regional failover"))
    # The plan's own page draws it among its neighbours, marked as the current one.
    current = page.locator(".techplan-graph__node--current")
    expect(current).to_contain_text("Regional failover")
    assert browsing.errors() == []


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_edges_take_the_text_colour_of_the_scheme(browsing: Browsing, dark: bool) -> None:
    page = browsing.open("plans/identity/sessions/", dark=dark)
    graph = page.locator(".techplan-graph").first
    expect(graph).to_be_visible()
    colours = graph.evaluate(
        """element => {
            const line = element.querySelector('.techplan-graph__edges-drawing path');
            return [getComputedStyle(line).stroke, getComputedStyle(element).color];
        }"""
    )
    assert colours[0] == colours[1]
    box = page.locator(".techplan-graph__node--current").bounding_box()
    assert box is not None and box["width"] > 100  # laid out as a cell, not collapsed
    assert browsing.errors() == []
