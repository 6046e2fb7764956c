"""The index and the fullest plan page at a desktop and a phone width, in both themes: nothing
wider than the screen, an index table that fits at 1,400 px and cards at 400 px, sort and
filter affordances, state kept in the address, and checklists that tell done from not done."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import Browsing
from .example import example_plans, status_of, superseded
from .support import THEMES

pytestmark = pytest.mark.e2e

INDEX = "plans/"
FULLEST = "plans/identity/sessions/"
"""The example plan that fills every section."""
WIDTHS = (1400, 400)
TABLE = "table:has(.techplan-row)"


def _open(browsing: Browsing, path: str, theme: str, width: int) -> Page:
    return browsing.open_at(path, theme, width)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", [INDEX, FULLEST])
@pytest.mark.parametrize("theme", sorted(THEMES))
def test_no_page_is_wider_than_the_screen(
    browsing: Browsing, theme: str, path: str, width: int
) -> None:
    page = _open(browsing, path, theme, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_at_1400_px_every_index_column_is_in_view(browsing: Browsing, theme: str) -> None:
    page = _open(browsing, INDEX, theme, 1400)
    table = page.locator(TABLE).first
    fits = table.evaluate(
        """table => {
            const box = (table.closest('.md-typeset__scrollwrap') || table.parentElement)
                .getBoundingClientRect();
            return Array.from(table.querySelectorAll('thead th')).map(th => {
                const cell = th.getBoundingClientRect();
                return [th.textContent.trim(), cell.left >= box.left - 1
                    && cell.right <= box.right + 1 && cell.width > 30];
            });
        }"""
    )
    assert len(fits) == 8
    assert [name for name, ok in fits if not ok] == []
    # No row is taller than about five lines of text.
    heights = table.locator("tbody tr").evaluate_all(
        "rows => rows.map(row => row.getBoundingClientRect().height)"
    )
    assert max(heights) < 140, heights


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_at_400_px_the_index_is_a_list_of_cards(browsing: Browsing, theme: str) -> None:
    page = _open(browsing, INDEX, theme, 400)
    table = page.locator(TABLE).first
    expect(table.locator("thead")).to_be_hidden()
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(example_plans()))
    for row in rows.all():
        assert row.evaluate("row => getComputedStyle(row).display") == "block"
        box = row.bounding_box()
        assert box is not None and box["width"] <= 400
        expect(row.locator(".techplan-badge").first).to_be_visible()
        label = row.locator(".techplan-cell--date")
        if label.inner_text().strip():  # an undated plan has no date line
            assert label.evaluate("e => getComputedStyle(e, '::before').content") == '"Date: "'
        expect(row.locator(".techplan-cell--summary")).to_be_visible()
    # The superseded plan says so in its card.
    old = next(p for p in example_plans() if superseded(p))
    card = rows.filter(has_text=str(old.data["title"]))
    expect(card.locator(".techplan-badge--superseded")).to_be_visible()


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_sorting_and_filtering_show_their_affordances(browsing: Browsing, theme: str) -> None:
    page = _open(browsing, INDEX, theme, 1400)
    date = page.locator("th:has([data-techplan-column='date'])")
    expect(date).to_have_attribute("aria-sort", "descending")  # the order the page is in
    plan = page.locator("th:has([data-techplan-column='title'])")
    assert plan.evaluate("th => getComputedStyle(th.querySelector('button'), '::after').content")
    # The whole header cell sorts, its padding included.
    box = plan.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] - 3, box["y"] + box["height"] - 3)
    expect(plan).to_have_attribute("aria-sort", "ascending")
    # Keyboard: focus reaches the sort buttons and the status buttons, and shows.
    button = plan.locator("button")
    button.focus()
    assert button.evaluate("b => getComputedStyle(b).outlineStyle") != "none"
    toggle = page.locator(".techplan-filter__toggle").first
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert toggle.evaluate("b => getComputedStyle(b).borderTopStyle") == "solid"
    # The filter box does not move when the count of shown plans appears.
    field = page.locator("input.techplan-filter__text")
    before = field.bounding_box()
    field.fill("API KEY")
    expect(page.locator(".techplan-filter__status")).not_to_have_text("")
    assert field.bounding_box() == before


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_the_address_keeps_the_filter_and_sort_and_restores_them(
    browsing: Browsing, theme: str
) -> None:
    page = _open(browsing, INDEX, theme, 1400)
    page.locator(".techplan-filter__toggle", has=page.locator(".techplan-badge--approved")).click()
    page.locator("input.techplan-filter__text").fill("session")
    page.locator("button.techplan-sort:has([data-techplan-column='date'])").click()
    assert page.url.endswith("plans/?status=approved&q=session&sort=date&order=asc"), page.url

    shared = _open(browsing, page.url.split("/", 3)[3], theme, 1400)
    approved = shared.locator(
        ".techplan-filter__toggle", has=shared.locator(".techplan-badge--approved")
    )
    expect(approved).to_have_attribute("aria-pressed", "true")
    expect(shared.locator("input.techplan-filter__text")).to_have_value("session")
    expect(shared.locator("th:has([data-techplan-column='date'])")).to_have_attribute(
        "aria-sort", "ascending"
    )
    visible = shared.locator(f"{TABLE} tbody tr:visible .techplan-cell--title a").all_inner_texts()
    expected = [
        str(p.data["title"])
        for p in example_plans()
        if status_of(p)[0] == "Approved"
        and not superseded(p)
        and "session" in f"{p.data['title']} {p.data.get('summary', '')}".lower()
    ]
    assert sorted(title.strip() for title in visible) == sorted(expected)


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_checklists_tell_done_from_not_done(browsing: Browsing, theme: str) -> None:
    """The example site has pymdownx.tasklist: Material draws its own custom checkbox, and in
    MkDocs' theme the plugin's stylesheet draws the boxes. Either way: not greyed out, done
    and not done in different colours, no bullet. (Without the extension the plugin writes
    `input.techplan-check` boxes, drawn the same way; tests/test_visuals.py checks them.)"""
    page = _open(browsing, FULLEST, theme, 1400)
    if theme == "material":
        boxes = page.locator("li.task-list-item .task-list-indicator")
        style = "b => [getComputedStyle(b, '::before').backgroundColor, '1']"
        done = page.locator("li.task-list-item:has(input[checked]) .task-list-indicator").first
        open_ = page.locator(
            "li.task-list-item:has(input:not([checked])) .task-list-indicator"
        ).first
    else:
        boxes = page.locator("li.task-list-item input[type=checkbox]")
        style = "b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).opacity]"
        done = page.locator("li.task-list-item input[checked]").first
        open_ = page.locator("li.task-list-item input:not([checked])").first
    assert boxes.count() >= 2
    done_colour, done_opacity = done.evaluate(style)
    open_colour, open_opacity = open_.evaluate(style)
    assert done_colour != open_colour
    assert done_opacity == open_opacity == "1"  # not greyed out as a disabled control
    bullet = done.evaluate("b => getComputedStyle(b.closest('li')).listStyleType")
    assert bullet == "none"


@pytest.mark.parametrize("name", ["__proto__", "constructor", "toString"])
def test_an_address_naming_no_column_still_applies_its_filter(
    browsing: Browsing, name: str
) -> None:
    """`?sort=__proto__` once made the script throw, and the filter of the same address was
    not applied."""
    page = _open(browsing, f"{INDEX}?sort={name}&status=approved", "material", 1400)
    approved = page.locator(
        ".techplan-filter__toggle", has=page.locator(".techplan-badge--approved")
    )
    expect(approved).to_have_attribute("aria-pressed", "true")
    statuses = page.locator(f"{TABLE} tbody tr:visible [data-techplan-status]").evaluate_all(
        "cells => cells.map(c => c.getAttribute('data-techplan-status'))"
    )
    assert statuses and set(statuses) == {"approved"}
    assert browsing.errors() == []
