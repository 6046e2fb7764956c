"""Plan pages and the plans index on a phone (400 px), in both themes: wide tables scroll
inside themselves with a shadow that says so, endpoint paths are not broken inside a
segment, the status column sorts in workflow order, and a filter that matches nothing
says so instead of leaving an empty table."""

from __future__ import annotations

import base64

import pytest
from playwright.sync_api import Locator, Page, expect

from mkdocs_techplan.format.statuses import status_slug

from .conftest import Browsing
from .example import example_plans, status_colours
from .support import THEMES

pytestmark = pytest.mark.e2e

PHONE = 400
DESKTOP = 1400
INDEX = "plans/"
PLANS = ["plans/2026/billing/", "plans/identity/sessions/"]
"""The example plans with endpoints, risks and revisions: the tables that did not fit."""
TABLE = "table:has(.techplan-row)"
EMPTY = "No plans match the filter"


def _open(browsing: Browsing, path: str, theme: str, width: int) -> Page:
    return browsing.open_at(path, theme, width)


_TABLES = """() => {
    // The plan's content: Material's article, the main column of MkDocs' theme.
    const root = document.querySelector('.techplan-page').closest('article, [role=main]');
    return Array.from(root.querySelectorAll('table:not(.techplan-risk-matrix__table)'))
        .map(table => {
            // Every box between the table and the content that has more to show than fits:
            // the one a reader scrolls, marked for the test to find. (Material's wrapper hangs
            // over the content's padding on purpose, so the content itself is not asked.)
            const overflowing = [];
            for (let e = table; e !== root; e = e.parentElement) {
                if (e.scrollWidth > e.clientWidth + 1) {
                    const style = getComputedStyle(e);
                    const box = e.getBoundingClientRect();
                    e.setAttribute('data-test-scroller', '');
                    overflowing.push({
                        element: e.tagName.toLowerCase() + '.' + e.className,
                        overflowX: style.overflowX,
                        gradients: (style.backgroundImage.match(/linear-gradient/g) || []).length,
                        attachment: style.backgroundAttachment,
                        left: box.left,
                        right: box.right,
                    });
                }
            }
            return {header: table.querySelector('th').textContent.trim(), overflowing};
        });
}"""


_HIDE_CONTENT = """
[data-test-scroller] :is(td, th) { color: transparent !important; }
[data-test-scroller] :is(td, th) > * { visibility: hidden !important; }
"""
"""What a table shows, hidden (cell backgrounds, stripes and rules stay), so that only the
scroll cue tells one scroll position from another."""

_EDGES = """async ([png, strip]) => {
    // Mean colour of the leftmost and of the rightmost `strip` columns of a screenshot.
    const image = new Image();
    image.src = 'data:image/png;base64,' + png;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const mean = x => {
        const data = context.getImageData(x, 0, strip, image.height).data;
        let sum = 0;
        for (let i = 0; i < data.length; i += 4) sum += data[i] + data[i + 1] + data[i + 2];
        return sum / (data.length / 4) / 3;
    };
    return [mean(0), mean(image.width - strip)];
}"""

STRIP = 5
"""Pixels at each edge of a scrolling table where its shadow is looked for."""
VISIBLE = 12
"""How much (of 255) an edge's mean brightness must change for the shadow to be seen."""


def _edges(page: Page, scroller: Locator, left: str) -> tuple[float, float]:
    """Mean brightness at the left and right edge of `scroller` scrolled to `left` (a
    JavaScript expression, of `e` the scroller)."""
    scroller.evaluate(f"e => {{ e.scrollLeft = {left}; }}")
    page.wait_for_timeout(50)
    png = base64.b64encode(scroller.screenshot(animations="disabled")).decode("ascii")
    left_edge, right_edge = page.evaluate(_EDGES, [png, STRIP])
    return left_edge, right_edge


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("path", PLANS)
@pytest.mark.parametrize("theme", sorted(THEMES))
def test_wide_plan_tables_scroll_inside_themselves_with_a_cue(
    browsing: Browsing, theme: str, path: str, dark: bool
) -> None:
    """Material wraps each table in a scrolling box; the shadow was drawn on the table, which
    did not scroll, so the risk and revision tables ran 39 and 34 px past the column with no
    cue.
    In MkDocs' theme the table scrolled, but its cells were painted over the shadow."""
    page = browsing.open(path, theme=theme, dark=dark)
    page.set_viewport_size({"width": PHONE, "height": 900})
    page.wait_for_timeout(100)  # one layout after the resize
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    tables = page.evaluate(_TABLES)
    headers = [table["header"] for table in tables]
    assert "Risk" in headers and "Version" in headers, headers  # risks and revision history
    for table in tables:
        boxes = table["overflowing"]
        # One box scrolls (nested scrolling boxes would hide one shadow inside the other)...
        assert len(boxes) <= 1, table
        if not boxes:
            continue
        box = boxes[0]
        # ...and it is the one with the scroll cue: shadows that stay at its edges under
        # covers that scroll with the content, so a shadow shows where there is more.
        assert box["overflowX"] in ("auto", "scroll"), table
        assert box["gradients"] >= 2 and "local" in box["attachment"], table
        assert box["left"] >= 0 and box["right"] <= PHONE, table

    scrollers = page.locator("[data-test-scroller]")
    assert scrollers.count(), f"no table of {path} is wider than a phone: nothing was checked"
    page.add_style_tag(content=_HIDE_CONTENT)
    for scroller in scrollers.all():
        # The shadow is seen: at the start the right edge is darker (lighter on a dark page)
        # than at the end, where there is nothing more; the left edge the other way round.
        start = _edges(page, scroller, "0")
        end = _edges(page, scroller, "e.scrollWidth")
        label = scroller.locator("th").first.inner_text()
        assert abs(start[1] - end[1]) > VISIBLE, (label, "right edge", start, end)
        assert abs(start[0] - end[0]) > VISIBLE, (label, "left edge", start, end)
    assert browsing.errors() == []


_LINE_BREAKS = """table => {
    const column = Array.from(table.tHead.rows[0].cells)
        .findIndex(th => th.textContent.trim() === 'Endpoint');
    return Array.from(table.tBodies[0].rows).map(row => {
        const code = row.cells[column].querySelector('code');
        // Each character's box, in order; a character starting a new line breaks the path.
        const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
        const characters = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (let i = 0; i < node.data.length; i++) {
                const range = document.createRange();
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                const box = range.getClientRects()[0];
                if (box) characters.push([node.data[i], box.top, box.height]);
            }
        }
        const breaks = [];
        for (let i = 1; i < characters.length; i++) {
            const [before, top] = characters[i - 1];
            const [after, next, height] = characters[i];
            if (next > top + height / 2) breaks.push(before + after);
        }
        return {path: code.textContent, breaks};
    });
}"""


@pytest.mark.parametrize("path", PLANS)
@pytest.mark.parametrize("theme", sorted(THEMES))
def test_endpoint_paths_do_not_break_inside_a_segment(
    browsing: Browsing, theme: str, path: str
) -> None:
    """Material showed `/api/v1/sessions` as `/api/v1/sessi` over `ons`; MkDocs' theme broke
    `/internal/usage/close-period` after its hyphen."""
    page = _open(browsing, path, theme, PHONE)
    table = page.locator("table:has(th:text-is('Endpoint'))").first
    paths = table.evaluate(_LINE_BREAKS)
    assert paths and all(p["path"].startswith("/") for p in paths), paths
    for endpoint in paths:
        # A path may go on after a slash (a new segment), never inside a segment.
        inside = [pair for pair in endpoint["breaks"] if not pair.startswith("/")]
        assert inside == [], endpoint
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert browsing.errors() == []


def _workflow() -> list[str]:
    """Status slugs in the site's configured order; superseded plans come after them."""
    slugs = [status_slug(name) for name in status_colours()]
    return [*slugs, *(["superseded"] if "superseded" not in slugs else [])]


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_the_status_column_sorts_in_workflow_order(browsing: Browsing, theme: str) -> None:
    """Alphabetically, Approved came before Draft. (Sorting by column needs the header row,
    which a phone does not show: the index is a list of cards there; this is the desktop.)"""
    page = _open(browsing, INDEX, theme, DESKTOP)
    order = _workflow()
    assert sorted(order) != order, "alphabetical and workflow order must differ to tell"
    status = page.locator("th:has([data-techplan-column='status'])")
    statuses = page.locator(f"{TABLE} tbody tr:visible [data-techplan-status]")

    def ranks() -> list[int]:
        slugs = statuses.evaluate_all(
            "cells => cells.map(c => c.getAttribute('data-techplan-status'))"
        )
        assert len(slugs) == len(example_plans())
        return [order.index(slug) for slug in slugs]

    status.locator("button").click()
    expect(status).to_have_attribute("aria-sort", "ascending")
    ascending = ranks()
    assert ascending == sorted(ascending) and len(set(ascending)) > 2, ascending
    status.locator("button").click()
    expect(status).to_have_attribute("aria-sort", "descending")
    descending = ranks()
    assert descending == sorted(ascending, reverse=True), descending
    assert browsing.errors() == []


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_a_filter_that_matches_nothing_says_so(browsing: Browsing, theme: str) -> None:
    page = _open(browsing, INDEX, theme, PHONE)
    rows = page.locator(f"{TABLE} tbody tr:visible")
    message = page.get_by_text(EMPTY)
    expect(rows).to_have_count(len(example_plans()))
    expect(message).to_be_hidden()

    field = page.locator("input.techplan-filter__text")
    field.fill("no plan says this")
    expect(rows).to_have_count(0)
    expect(message).to_be_visible()
    box = message.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE

    field.fill("")
    expect(message).to_be_hidden()
    expect(rows).to_have_count(len(example_plans()))
    # A filter that matches some plans shows them, and no message.
    field.fill("API KEY")
    expect(message).to_be_hidden()
    assert 0 < rows.count() < len(example_plans())
    assert browsing.errors() == []
