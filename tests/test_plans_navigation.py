"""`navigation: index`: plan pages stay out of the site's navigation (the index stands for
them), and each plan page links back to the index and to its neighbours in the index's order."""

from __future__ import annotations

import json

import pytest
from conftest import SiteBuilder
from mkdocs.exceptions import Abort

DATES = {"a": "2026-01-01", "b": "2026-01-02", "c": "2026-01-03"}


def _plans(site: SiteBuilder) -> None:
    for slug, date in DATES.items():
        site.write(f"plans/{slug}/plan.yaml", f"title: Plan {slug}\nstatus: Draft\ndate: {date}\n")


def _nav_titles(result: object, page: str, theme: str) -> list[str]:
    html = result.html(page)  # type: ignore[attr-defined]
    selector = "nav.md-nav--primary a" if theme == "material" else ".navbar-nav a"
    return [a.get_text(" ", strip=True) for a in html.select(selector)]


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
def test_plans_leave_the_navigation_and_the_index_stands_for_them(
    site: SiteBuilder, theme: str
) -> None:
    _plans(site)
    result = site.build(theme=theme, plugin_options={"navigation": "index"})
    assert not result.failed, result.messages
    titles = _nav_titles(result, "plans/b/index.html", theme)
    assert any("Plans" in title for title in titles)
    assert not [title for title in titles if title.startswith(("Plan a", "Plan b", "Plan c"))]
    everywhere = _nav_titles(site.build(theme=theme), "plans/b/index.html", theme)
    assert [title for title in everywhere if "Plan b" in title], "by default every plan is there"


def test_each_plan_page_links_back_and_to_its_neighbours(site: SiteBuilder) -> None:
    _plans(site)
    result = site.build(plugin_options={"navigation": "index"})
    links = {
        slug: [
            (a.get_text(), a["href"])
            for a in result.content(f"plans/{slug}/index.html").find_all("a")
            if a.get_text().startswith(("←", "Plan"))
        ]
        for slug in DATES
    }
    # the index lists the newest first: c, b, a
    assert links["c"] == [("← Plans", "../"), ("Plan b", "../b/")]
    assert links["b"] == [("← Plans", "../"), ("Plan c", "../c/"), ("Plan a", "../a/")]
    assert links["a"] == [("← Plans", "../"), ("Plan b", "../b/")]
    text = result.content("plans/b/index.html").get_text(" ", strip=True)
    assert "Previous: Plan c · Next: Plan a" in text


def test_plans_out_of_the_navigation_are_still_searchable(site: SiteBuilder) -> None:
    _plans(site)
    result = site.build(theme="material", plugins=["search", {"techplan": {"navigation": "index"}}])
    index = json.loads((result.site_dir / "search" / "search_index.json").read_text("utf-8"))
    pages = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert {"plans/a/", "plans/b/", "plans/c/"} <= pages


@pytest.mark.parametrize(
    "features", [["navigation.indexes"], ["navigation.prune"], ["navigation.instant"]]
)
def test_material_navigation_features_build(site: SiteBuilder, features: list[str]) -> None:
    _plans(site)
    result = site.build(
        theme="material",
        plugin_options={"navigation": "index"},
        theme_options={"features": features},
    )
    assert not result.failed, result.messages
    assert (result.site_dir / "plans" / "a" / "index.html").is_file()


def test_an_unknown_navigation_value_stops_the_build(
    site: SiteBuilder, caplog: pytest.LogCaptureFixture
) -> None:
    _plans(site)
    with pytest.raises(Abort):
        site.build(plugin_options={"navigation": "none"})
    assert "option 'navigation'" in caplog.text


def test_a_plan_listed_in_an_explicit_nav_stays_there(site: SiteBuilder) -> None:
    _plans(site)
    nav = [{"Home": "index.md"}, {"A": "plans/a/index.md"}]
    result = site.build(theme="material", plugin_options={"navigation": "index"}, nav=nav)
    assert not result.failed, result.messages
    assert _nav_titles(result, "index.html", "material") == ["", "Home", "A"]
