"""Each plan page of the example site as a reader sees it, in Material and in MkDocs' theme."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import Browsing, OpenSite
from .example import ExamplePlan, example_plans, hex_to_rgb, status_of
from .support import THEMES, parse_colour

pytestmark = pytest.mark.e2e

CONTENT = "article.md-content__inner, [role='main']"
"""The content area: Material's article, or the main column of MkDocs' theme."""


def _content(page: Page) -> Locator:
    return page.locator(CONTENT).first


@pytest.mark.parametrize("theme", sorted(THEMES))
@pytest.mark.parametrize("plan", example_plans(), ids=str)
def test_plan_page_shows_header_badge_and_every_section_of_its_yaml(
    open_site: Callable[[str, bool], OpenSite], plan: ExamplePlan, theme: str
) -> None:
    page = open_site(theme, False).pages[plan.url]
    content = _content(page)
    title = content.locator("h1").first
    expect(title).to_be_visible()
    # A plan written in Markdown keeps its own title; a plan.yaml's is the template's.
    prefix = "" if plan.src_uri.endswith(".md") else "Technical Plan: "
    assert title.inner_text().rstrip("¶ \n") == f"{prefix}{plan.data['title']}"

    name, colour = status_of(plan)
    badge = content.locator(".techplan-badge").first
    expect(badge).to_be_visible()
    expect(badge).to_have_text(name)
    background = badge.evaluate("element => getComputedStyle(element).backgroundColor")
    assert parse_colour(background) == (*hex_to_rgb(colour), 1.0)

    header = content.inner_text()
    for label, key in [("Version:", "version"), ("Author:", "author"), ("Date:", "date")]:
        assert (label in header) == (key in plan.data), f"{label} shown iff `{key}` is given"
    assert ("Specification:" in header) == ("specification" in plan.data)

    headings = [
        text.rstrip("¶ \n")
        for text in content.locator("h2").evaluate_all("hs => hs.map(h => h.innerText)")
    ]
    assert headings == plan.sections
    for heading in content.locator("h2").all():
        expect(heading).to_be_visible()


@pytest.mark.parametrize("theme", sorted(THEMES))
@pytest.mark.parametrize("plan", [p for p in example_plans() if p.data.get("risks")], ids=str)
def test_risk_matrix_places_each_risk_in_its_impact_and_probability_cell(
    open_site: Callable[[str, bool], OpenSite], plan: ExamplePlan, theme: str
) -> None:
    page = open_site(theme, False).pages[plan.url]
    matrix = _content(page).locator(".techplan-risk-matrix")
    expect(matrix).to_be_visible()
    expect(matrix.locator("td.techplan-risk-matrix__cell")).to_have_count(9)
    for number, risk in enumerate(plan.data["risks"], start=1):
        if not (risk.get("impact") and risk.get("probability")):
            continue
        cell = matrix.locator(
            f'td[data-impact="{risk["impact"].lower()}"]'
            f'[data-probability="{risk["probability"].lower()}"]'
        )
        entry = cell.locator("li", has_text=risk["risk"])
        expect(entry).to_be_visible()
        expect(entry.locator(".techplan-risk-matrix__number")).to_have_text(str(number))


@pytest.mark.parametrize("theme", sorted(THEMES))
@pytest.mark.parametrize("plan", [p for p in example_plans() if p.data.get("phases")], ids=str)
def test_timeline_draws_phases_one_after_another_in_proportion_to_their_durations(
    open_site: Callable[[str, bool], OpenSite], plan: ExamplePlan, theme: str
) -> None:
    page = open_site(theme, False).pages[plan.url]
    timeline = _content(page).locator(".techplan-timeline")
    expect(timeline).to_be_visible()
    phases = plan.data["phases"]
    expect(timeline.locator(".techplan-timeline__phase")).to_have_count(len(phases))
    boxes = [bar.bounding_box() for bar in timeline.locator(".techplan-timeline__bar").all()]
    if all(p.get("start") and p.get("end") for p in phases):
        _placed_on_dates(boxes, phases)
        return
    days = [_days(p["duration"]) for p in phases if p.get("duration")]
    assert len(boxes) == len(days)
    widths = [box["width"] if box else 0.0 for box in boxes]
    assert all(width > 0 for width in widths)
    # Widths in proportion to the durations, to within a pixel or so of rounding.
    scale = sum(widths) / sum(days)
    for width, duration in zip(widths, days, strict=True):
        assert abs(width - duration * scale) <= 2
    # Each bar starts where the previous one ends, left to right.
    for previous, bar in itertools.pairwise(boxes):
        assert previous is not None and bar is not None
        assert abs(previous["x"] + previous["width"] - bar["x"]) <= 1.5


def _placed_on_dates(boxes: list[Any], phases: list[dict[str, Any]]) -> None:
    """Phases with a start and an end: each bar from its start to its end, on one scale."""
    starts = [datetime.date.fromisoformat(str(p["start"])) for p in phases]
    ends = [datetime.date.fromisoformat(str(p["end"])) for p in phases]
    first = min(starts)
    total = (max(ends) - first).days + 1
    left = min(box["x"] for box in boxes)
    scale = (max(box["x"] + box["width"] for box in boxes) - left) / total
    for box, start, end in zip(boxes, starts, ends, strict=True):
        assert abs(box["x"] - left - (start - first).days * scale) <= 1.5
        assert abs(box["width"] - ((end - start).days + 1) * scale) <= 1.5


def _days(duration: str) -> int:
    """The example plans write durations as `N day(s)` or `N week(s)`."""
    amount, unit = duration.split()
    return int(amount) * (7 if unit.startswith("week") else 1)


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_timeline_bars_keep_the_width_on_a_phone(browsing: Browsing, theme: str) -> None:
    """At 400 px each phase's label is above its bar, and the track spans the timeline."""
    plan = next(p for p in example_plans() if p.data.get("phases"))
    page = browsing.open(plan.url, theme=theme)
    page.set_viewport_size({"width": 400, "height": 800})
    timeline = _content(page).locator(".techplan-timeline")
    expect(timeline).to_be_visible()
    width = (timeline.bounding_box() or {"width": 0.0})["width"]
    for phase in timeline.locator(".techplan-timeline__phase").all():
        label, track = (
            phase.locator(".techplan-timeline__label"),
            phase.locator(".techplan-timeline__track"),
        )
        if track.count() == 0:  # a phase without a duration has no bar
            continue
        label_box, track_box = label.bounding_box(), track.bounding_box()
        assert label_box is not None and track_box is not None
        assert track_box["width"] >= 0.9 * width
        assert track_box["y"] >= label_box["y"] + label_box["height"] - 1  # below its label
    assert browsing.errors() == []
