"""The plans index (`plans/`): status buttons, column sort and the text filter change which rows
a reader sees, in both themes, and after arriving through Material's instant navigation."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import Browsing
from .example import ExamplePlan, example_plans, status_of, superseded
from .support import THEMES

pytestmark = pytest.mark.e2e

LISTING = ".techplan-counts[data-techplan-ready]"
_INDEX_URL = re.compile(r".*/plans/(\?.*)?$")
"""The index, with the filter and sort state the script keeps in the address, if any."""


def _titles(plans: list[ExamplePlan]) -> list[str]:
    return [str(plan.data["title"]) for plan in plans]


def _visible_titles(page: Page) -> list[str]:
    """Titles of the rows a reader sees, top to bottom."""
    rows = page.locator("table:has([data-techplan-column]) tbody tr:visible")
    links = rows.locator("td:first-child .techplan-cell--title a")
    return [title.strip() for title in links.all_inner_texts()]


def _status_button(page: Page, name: str) -> Locator:
    badge = page.locator(".techplan-badge", has_text=name)
    return page.locator(".techplan-filter__toggle", has=badge)


def _sort_button(page: Page, column: str) -> Locator:
    return page.locator(f"button.techplan-sort:has([data-techplan-column='{column}'])")


def _date(plan: ExamplePlan) -> datetime.date | None:
    value = plan.data.get("date")
    return value if isinstance(value, datetime.date) else None


def _exercise_index(page: Page) -> None:
    """Status buttons, sort and filter, each checked against what the plan files say."""
    expect(page.locator(LISTING)).to_have_count(1)  # enhanced once, not twice
    plans = list(example_plans())
    assert sorted(_visible_titles(page)) == sorted(_titles(plans))

    # Status buttons: one narrows to that status, two show both, none shows every plan.
    by_status: dict[str, list[ExamplePlan]] = {}
    for plan in plans:  # a superseded plan counts and filters as `Superseded`
        shown = "Superseded" if superseded(plan) else status_of(plan)[0]
        by_status.setdefault(shown, []).append(plan)
    assert by_status.get("Superseded"), "the example has a superseded plan"
    draft, approved = _status_button(page, "Draft"), _status_button(page, "Approved")
    draft.click()
    expect(draft).to_have_attribute("aria-pressed", "true")
    assert sorted(_visible_titles(page)) == sorted(_titles(by_status["Draft"]))
    approved.click()
    assert sorted(_visible_titles(page)) == sorted(
        _titles(by_status["Draft"] + by_status["Approved"])
    )
    draft.click()
    approved.click()
    expect(approved).to_have_attribute("aria-pressed", "false")
    assert sorted(_visible_titles(page)) == sorted(_titles(plans))

    # Sorting: by date ascending, then descending; plans without a date stay last.
    dated = sorted((p for p in plans if _date(p)), key=lambda p: _date(p) or datetime.date.min)
    undated = [p for p in plans if not _date(p)]
    _sort_button(page, "date").click()
    assert _visible_titles(page) == _titles(dated + undated)
    _sort_button(page, "date").click()
    assert _visible_titles(page) == _titles(dated[::-1] + undated)
    _sort_button(page, "title").click()
    assert _visible_titles(page) == sorted(_titles(plans), key=str.casefold)

    # Text filter: matches anywhere in the row, ignoring case; with a status, both apply.
    field = page.locator("input.techplan-filter__text")
    field.fill("API KEY")
    authored = [  # the title and the summary are columns; the filter reads the whole row
        p for p in plans if "api key" in f"{p.data['title']} {p.data.get('summary', '')}".lower()
    ]
    assert 0 < len(authored) < len(plans)
    assert _visible_titles(page) == sorted(_titles(authored), key=str.casefold)
    expect(page.locator(".techplan-filter__status")).to_have_text(
        f"{len(authored)} of {len(plans)} shown"
    )
    draft.click()
    both = [p for p in authored if status_of(p)[0] == "Draft"]
    assert _visible_titles(page) == sorted(_titles(both), key=str.casefold)
    field.fill("no plan says this")
    assert _visible_titles(page) == []
    field.fill("")
    draft.click()
    assert len(_visible_titles(page)) == len(plans)


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_index_buttons_sort_and_filter_change_the_visible_rows(
    browsing: Browsing, theme: str
) -> None:
    page = browsing.open("plans/", theme=theme)
    _exercise_index(page)
    assert browsing.errors() == []


def test_index_works_after_arriving_through_material_instant_navigation(
    browsing: Browsing,
) -> None:
    page = browsing.open("", settled=True)
    page.evaluate("window.__stillTheSameDocument = true")
    # Material rewrites links to absolute URLs once instant navigation is on.
    page.locator(".md-nav--primary a[href$='/plans/']").first.click()
    page.wait_for_url(_INDEX_URL)
    expect(page.locator(LISTING)).to_have_count(1)
    # The same document: Material swapped the content in, the script had to re-attach.
    assert page.evaluate("window.__stillTheSameDocument === true")
    _exercise_index(page)

    # Away and back again: still one filter bar, still working.
    page.locator(".md-nav--primary a[href$='/format/']").first.click()
    page.wait_for_url("**/format/")
    page.go_back()
    page.wait_for_url(_INDEX_URL)
    assert page.evaluate("window.__stillTheSameDocument === true")
    expect(page.locator(".techplan-filter")).to_have_count(1)
    _exercise_index(page)
    assert browsing.errors() == []
