"""The example site built by Zensical (`mkdocs-techplan pages`, then `zensical build`), in
Chromium: styled as under MkDocs, the index's filter and sort working, nothing wider than a
phone's screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from .support import new_context, parse_colour, serve_zensical_example

pytestmark = pytest.mark.e2e

PLAN = "plans/2026/billing/"


@pytest.fixture(scope="module")
def zensical_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_zensical_example(tmp_path_factory.mktemp("zensical")) as url:
        yield url


def _open(browser: Browser, base: str, path: str, width: int) -> Page:
    context, _ = new_context(browser, base)
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(path, wait_until="load")
    return page


def _opaque(css: str) -> bool:
    return parse_colour(css)[3] > 0


def test_badges_and_the_risk_matrix_are_styled(browser: Browser, zensical_url: str) -> None:
    page = _open(browser, zensical_url, PLAN, 1280)
    badge = page.locator(".techplan-badge").first
    assert _opaque(badge.evaluate("b => getComputedStyle(b).backgroundColor"))
    cells = page.locator(".techplan-risk-matrix__cell")
    assert cells.count() >= 9
    colours = cells.evaluate_all("cs => cs.map(c => getComputedStyle(c).backgroundColor)")
    assert all(_opaque(colour) for colour in colours)
    assert len(set(colours)) >= 3  # severities in their colours
    # The timeline is bars, not a numbered list.
    timeline = page.locator(".techplan-timeline ol")
    assert timeline.evaluate("t => getComputedStyle(t).listStyleType") == "none"
    bar = page.locator(".techplan-timeline__bar").first
    assert _opaque(bar.evaluate("b => getComputedStyle(b).backgroundColor"))
    assert bar.evaluate("b => b.getBoundingClientRect().width") > 0
    page.context.close()


def test_the_index_filters_and_sorts(browser: Browser, zensical_url: str) -> None:
    page = _open(browser, zensical_url, "plans/", 1400)
    approved = page.locator(
        ".techplan-filter__toggle", has=page.locator(".techplan-badge--approved")
    )
    approved.click()
    expect(approved).to_have_attribute("aria-pressed", "true")
    statuses = page.locator("tbody tr:visible [data-techplan-status]").evaluate_all(
        "cells => cells.map(c => c.getAttribute('data-techplan-status'))"
    )
    assert statuses and set(statuses) == {"approved"}
    sort = page.locator("button.techplan-sort:has([data-techplan-column='date'])")
    sort.click()
    header = page.locator("th:has([data-techplan-column='date'])")
    expect(header).to_have_attribute("aria-sort", "ascending")
    assert "status=approved" in page.url and "sort=date" in page.url
    page.context.close()


@pytest.mark.parametrize("path", ["plans/", PLAN, "plans/identity/sessions/"])
def test_nothing_is_wider_than_a_phone(browser: Browser, zensical_url: str, path: str) -> None:
    page = _open(browser, zensical_url, path, 400)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, (path, width)
    page.context.close()


def test_the_plan_pages_load_the_assets(zensical_url: str) -> None:
    import urllib.request

    with urllib.request.urlopen(zensical_url + PLAN) as response:
        html = response.read().decode("utf-8")
    assert "assets/techplan.css" in html and "assets/techplan.js" in html
