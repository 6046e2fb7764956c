"""The example site's cross-links: plans link their specs, specs list their plans."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import EXAMPLE_SITE
from mkdocs.commands.build import build
from mkdocs.config import load_config

SPEC_PAGES = {
    "specs/identity/sessions/index.html": [
        "Audit log for sign-ins",
        "Session-based authentication",
    ],
    "specs/billing/invoicing/index.html": ["Usage-based billing"],
    "specs/billing/metering/index.html": ["Usage-based billing"],
    "specs/platform/regions/index.html": ["Regional failover"],
    "specs/search/index.html": ["Zero-downtime search reindex"],
}
PLAN_PAGES = [
    "plans/identity/sessions/index.html",
    "plans/identity/api-keys/index.html",
    "plans/2026/billing/index.html",
    "plans/platform/index.html",
    "plans/search/reindex/index.html",
]


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("example") / "site"
    previous = os.getcwd()
    try:
        os.chdir(EXAMPLE_SITE)
        build(load_config(str(EXAMPLE_SITE / "mkdocs.yml"), strict=True, site_dir=str(target)))
    finally:
        os.chdir(previous)
    return target


def _article(site_dir: Path, page: str) -> Tag:
    html = BeautifulSoup((site_dir / page).read_text(encoding="utf-8"), "html.parser")
    article = html.select_one("article")
    assert article is not None
    return article


@pytest.mark.parametrize("page", PLAN_PAGES)
def test_every_example_plan_links_its_specification(site_dir: Path, page: str) -> None:
    label = _article(site_dir, page).find("strong", string="Specification:")
    assert label is not None, page
    assert label.find_next_sibling("a") is not None, page


@pytest.mark.parametrize(("page", "plans"), SPEC_PAGES.items())
def test_every_example_spec_lists_its_plans_with_badges(
    site_dir: Path, page: str, plans: list[str]
) -> None:
    heading = _article(site_dir, page).find("h2", id="implementation-plans")
    assert heading is not None, page
    items = heading.find_next("ul").find_all("li", recursive=False)
    assert [item.find("a").get_text() for item in items] == plans
    assert all(item.select_one(".techplan-badge") is not None for item in items)


def test_marker_puts_the_list_before_the_specs_own_sections(site_dir: Path) -> None:
    article = _article(site_dir, "specs/identity/sessions/index.html")
    headings = [h2["id"] for h2 in article.find_all("h2")]
    assert headings[:2] == ["implementation-plans", "problem"]


def test_superseded_example_plan_says_so_at_the_top(site_dir: Path) -> None:
    article = _article(site_dir, "plans/identity/api-keys/index.html")
    banner = article.select_one(".techplan-banner--superseded")
    assert banner is not None
    assert banner.find("a").get_text() == "Session-based authentication"
    assert banner.find_next("h1") is not None  # above the title
    newer = _article(site_dir, "plans/identity/sessions/index.html")
    label = newer.find("strong", string="Supersedes:")
    assert label.find_next_sibling("a").get_text() == "Rotating API keys"
