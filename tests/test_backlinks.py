"""Real builds: pages that plans reference list them under "Implementation plans"."""

from __future__ import annotations

import json

import pytest
from bs4 import Tag
from conftest import BuildResult, SiteBuilder


def _plans(site: SiteBuilder) -> None:
    site.write(
        "plans/old/plan.yaml",
        "title: Old sessions\nstatus: Approved\nauthor: Ada\ndate: 2026-01-05\n"
        "specification: ../../specs/auth.md\nrevisions: [{version: '1', changes: first}]\n",
    )
    site.write(
        "plans/new.plan.yaml",
        "title: New sessions\nversion: '2.1'\nstatus: In Review\nauthor: Ada\ndate: 2026-03-01\n"
        "specification: [/specs/auth.md#tokens, SPEC-9]\n"
        "api: {schemas: ../specs/auth.md}\n",
    )
    site.write(
        "plans/draft/plan.yaml", "title: Undated idea\nstatus: Draft\nspecification: SPEC-9\n"
    )


def _entries(section: Tag) -> list[tuple[str, str, str, str]]:
    """(link text, href, badge text, rest of the line) for each list item after `section`."""
    items = []
    for item in section.find_next("ul").find_all("li", recursive=False):
        link = item.find("a")
        badge = item.select_one(".techplan-badge")
        rest = item.get_text().replace(link.get_text(), "", 1).replace(badge.get_text(), "", 1)
        items.append((link.get_text(), link["href"], badge.get_text(), " ".join(rest.split())))
    return items


def _section(result: BuildResult, page: str) -> Tag:
    heading = result.content(page).find("h2", string="Implementation plans")
    assert heading is not None, f"no Implementation plans on {page}"
    return heading


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
def test_spec_page_without_marker_lists_its_plans_at_the_end(site: SiteBuilder, theme: str) -> None:
    site.write("specs/auth.md", "# Authentication\n\n## Tokens\n\nLast words.\n")
    site.write("specs/nine.md", "---\nspec_id: SPEC-9\n---\n# Spec nine\n")
    _plans(site)
    result = site.build(theme=theme)
    assert not result.failed, result.messages
    heading = _section(result, "specs/auth/index.html")
    assert heading.find_previous("p").get_text() == "Last words."
    assert heading.find_next(["h1", "h2"]) is None  # nothing after the list
    # Newest first; a plan referencing the page twice (spec and schemas) is listed once.
    assert _entries(heading) == [
        ("New sessions", "../../plans/new/", "In Review", "· version 2.1 · 2026-03-01"),
        ("Old sessions", "../../plans/old/", "Approved", "· 2026-01-05"),
    ]
    badge = heading.find_next("li").select_one(".techplan-badge")
    assert badge["class"] == ["techplan-badge", "techplan-badge--in-review"]


def test_undated_plans_come_last(site: SiteBuilder) -> None:
    site.write("specs/auth.md", "# Authentication\n")
    site.write("specs/nine.md", "---\nspec_id: SPEC-9\n---\n# Spec nine\n")
    _plans(site)
    result = site.build()
    assert [entry[0] for entry in _entries(_section(result, "specs/nine/index.html"))] == [
        "New sessions",
        "Undated idea",
    ]


def test_marker_places_the_list_and_the_rest_of_the_page_stays(site: SiteBuilder) -> None:
    site.write(
        "specs/auth.md",
        """\
        # Authentication

        Intro.

        <!-- techplan:plans -->

        ## Tokens

        ```markdown
        <!-- techplan:plans -->
        ```
        """,
    )
    site.write("specs/nine.md", "---\nspec_id: SPEC-9\n---\n# Nine\n")
    _plans(site)
    result = site.build(use_directory_urls=False)
    assert not result.failed, result.messages
    content = result.content("specs/auth.html")
    headings = [h.get_text(strip=True).rstrip("¶") for h in content.find_all(["h1", "h2"])]
    assert headings == ["Authentication", "Implementation plans", "Tokens"]
    assert [entry[1] for entry in _entries(_section(result, "specs/auth.html"))] == [
        "../plans/new.html",
        "../plans/old/index.html",
    ]
    # The marker shown as code is left as written.
    assert content.find("code").get_text().strip() == "<!-- techplan:plans -->"


def test_page_that_no_plan_references_is_left_alone(site: SiteBuilder) -> None:
    site.write("specs/other.md", "# Other\n\n<!-- techplan:plans -->\n")
    site.write("specs/auth.md", "# Authentication\n")
    site.write("specs/nine.md", "---\nspec_id: SPEC-9\n---\n# Nine\n")
    _plans(site)
    result = site.build()
    assert not result.failed, result.messages
    assert result.content("specs/other/index.html").find("h2") is None


def test_backlinks_are_part_of_the_search_index(site: SiteBuilder) -> None:
    site.write("specs/auth.md", "# Authentication\n\nAbout tokens.\n")
    site.write("specs/nine.md", "---\nspec_id: SPEC-9\n---\n# Nine\n")
    _plans(site)
    result = site.build(plugins=["search", "techplan"])
    assert not result.failed, result.messages
    index = json.loads((result.site_dir / "search" / "search_index.json").read_text())
    entries = {doc["location"]: doc for doc in index["docs"]}
    section = entries["specs/auth/#implementation-plans"]
    assert section["title"] == "Implementation plans"
    assert "New sessions" in section["text"] and "Old sessions" in section["text"]


def test_plan_referenced_by_another_plans_specification_lists_it(site: SiteBuilder) -> None:
    site.write("plans/base/plan.yaml", "title: Base platform\nstatus: Approved\n")
    site.write(
        "plans/feature/plan.yaml",
        "title: Feature on top\nstatus: Draft\ndate: 2026-04-01\n"
        "specification: ../base/plan.yaml\n",
    )
    result = site.build(plugin_options={"status_rules": False})
    assert not result.failed, result.messages
    heading = _section(result, "plans/base/index.html")
    assert _entries(heading) == [("Feature on top", "../feature/", "Draft", "· 2026-04-01")]


def test_list_escapes_plan_titles(site: SiteBuilder) -> None:
    site.write("specs/auth.md", "# Authentication\n")
    site.write(
        "plans/x/plan.yaml",
        "title: '<b>bold</b> [x](javascript:alert(1)) *y*'\nstatus: Draft\n"
        "specification: ../../specs/auth.md\n",
    )
    result = site.build()
    assert not result.failed, result.messages
    item = _section(result, "specs/auth/index.html").find_next("li")
    assert item.find("b") is None and item.find("em") is None
    assert item.find("a").get_text() == "<b>bold</b> [x](javascript:alert(1)) *y*"
