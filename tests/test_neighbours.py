"""The plugin beside the plugins and themes a documentation site commonly uses.

Each neighbour is tried listed before and after `techplan`. Only mkdocs-macros cares about the
order (see mkdocs_techplan/neighbours.py); the build then warns and says how to order `plugins`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE_SITE, BuildResult, SiteBuilder

BRACES = "{{ 1 + 1 }}"

PLAN = f"""\
title: Braces {BRACES} in a plan
status: Draft
specification: ../../specs/auth.md
summary: The plan text keeps {BRACES} and {{% raw %}} as written.
tags: [identity]
phases:
  - name: Phase {BRACES}
    duration: 1 week
    tasks:
      - Write {BRACES} in a task
"""


def _plan_site(site: SiteBuilder) -> None:
    site.write("plans/auth/plan.yaml", PLAN)
    site.write("specs/auth.md", "# Auth spec\n\nMacros run here: {{ 3 + 4 }}.\n")


def _both_orders(plugin: str) -> pytest.MarkDecorator:
    return pytest.mark.parametrize(
        "plugins", [[plugin, "techplan"], ["techplan", plugin]], ids=["before", "after"]
    )


def _nav_titles(result: BuildResult) -> list[str]:
    nav = result.html("index.html").select(".md-nav--primary .md-nav__link")
    return [" ".join(link.get_text(" ", strip=True).split()) for link in nav]


# mkdocs-macros ------------------------------------------------------------------------------


@_both_orders("macros")
def test_macros_leaves_generated_plan_pages_alone_in_either_order(
    site: SiteBuilder, plugins: list[str]
) -> None:
    _plan_site(site)
    result = site.build(strict=False, theme="material", plugins=plugins)
    assert not result.failed, result.messages
    assert "Macros run here: 7." in result.content("specs/auth/index.html").get_text()
    page = result.content("plans/auth/index.html")
    assert page.h1 is not None
    assert page.h1.get_text(strip=True).rstrip("¶") == f"Technical Plan: Braces {BRACES} in a plan"
    text = page.get_text()
    assert f"The plan text keeps {BRACES} and {{% raw %}} as written." in text
    assert f"Phase {BRACES} (1 week)" in text
    assert f"Write {BRACES} in a task" in text
    index = result.content("plans/index.html").get_text()  # generated too: left alone as well
    assert f"Braces {BRACES} in a plan" in index
    assert f"The plan text keeps {BRACES} and {{% raw %}} as written." in index


def test_macros_listed_before_techplan_keeps_plan_text_in_backlinks_and_listings(
    site: SiteBuilder,
) -> None:
    _plan_site(site)
    site.write("guide.md", "# Guide\n\n<!-- techplan:index -->\n")
    result = site.build(theme="material", plugins=["macros", "techplan"])
    assert not result.failed, result.messages
    backlinks = result.content("specs/auth/index.html").get_text()
    assert f"Braces {BRACES} in a plan" in backlinks
    listing = result.content("guide/index.html").get_text()
    assert f"Braces {BRACES} in a plan" in listing


def test_macros_listed_after_techplan_is_a_warning_that_says_how_to_order_plugins(
    site: SiteBuilder,
) -> None:
    _plan_site(site)
    result = site.build(strict=False, theme="material", plugins=["techplan", "macros"])
    assert result.techplan_warnings[0] == (
        "plugin order: `macros` is listed after `techplan` in `plugins`, and it renders as "
        "Jinja the plan titles and summaries that techplan writes into other pages (backlinks "
        "on spec pages, `<!-- techplan:index -->` listings), so a plan text containing `{{` or "
        "`{%` changes or breaks those pages; list `macros` before `techplan` in mkdocs.yml"
    )


def test_no_order_warning_when_macros_comes_first(site: SiteBuilder) -> None:
    _plan_site(site)
    result = site.build(theme="material", plugins=["search", "macros", "tags", "techplan"])
    assert not result.failed, result.messages
    assert result.techplan_warnings == []


# Material's search, tags and blog -----------------------------------------------------------


@pytest.mark.parametrize(
    "plugins",
    [["search", "tags", "techplan"], ["techplan", "tags", "search"]],
    ids=["before", "after"],
)
def test_material_search_and_tags_see_plan_pages(site: SiteBuilder, plugins: list[str]) -> None:
    _plan_site(site)
    site.write("tags.md", "# Tags\n\n<!-- material/tags -->\n")
    result = site.build(theme="material", plugins=plugins)
    assert not result.failed, result.messages
    tags = result.content("tags/index.html")
    assert tags.find(id="tag:identity") is not None
    assert "../plans/auth/" in [a.get("href") for a in tags.find_all("a")]
    index = json.loads((result.site_dir / "search" / "search_index.json").read_text("utf-8"))
    plan_docs = [doc for doc in index["docs"] if doc["location"].startswith("plans/auth/")]
    assert {"plans/auth/", "plans/auth/#implementation-approach"} <= {
        doc["location"] for doc in plan_docs
    }
    assert f"Write {BRACES} in a task" in " ".join(doc["text"] for doc in plan_docs)


@_both_orders("blog")
def test_material_blog_posts_link_to_plan_pages(site: SiteBuilder, plugins: list[str]) -> None:
    _plan_site(site)
    site.write("blog/index.md", "# Blog\n")
    site.write(
        "blog/posts/plans-are-live.md",
        """\
        ---
        date: 2026-11-02
        ---
        # Plans are live

        Read the [auth plan](../../plans/auth/index.md).
        """,
    )
    result = site.build(theme="material", plugins=plugins)
    assert not result.failed, result.messages
    post = result.content("blog/2026/11/02/plans-are-live/index.html")
    assert [a["href"] for a in post.find_all("a") if a.get_text() == "auth plan"] == [
        "../../../../../plans/auth/"
    ]
    assert (result.site_dir / "plans" / "auth" / "index.html").is_file()


# Navigation plugins --------------------------------------------------------------------------


@_both_orders("awesome-pages")
def test_awesome_pages_orders_and_titles_plan_pages(site: SiteBuilder, plugins: list[str]) -> None:
    _plan_site(site)
    site.write("plans/billing.plan.yaml", "title: Billing\nstatus: Draft\n")
    site.write("plans/.pages", "title: All plans\nnav:\n  - billing.md\n  - auth\n  - ...\n")
    result = site.build(theme="material", plugins=plugins)
    assert not result.failed, result.messages
    titles = _nav_titles(result)
    start = titles.index("All plans")
    # billing first as `.pages` says; then the folder `auth`, a section holding the plan page
    assert titles[start + 1 : start + 4] == [
        "Technical Plan: Billing",
        "Auth",
        f"Technical Plan: Braces {BRACES} in a plan",
    ]


@_both_orders("literate-nav")
def test_literate_nav_places_plan_pages_named_in_summary(
    site: SiteBuilder, plugins: list[str]
) -> None:
    _plan_site(site)
    site.write(
        "SUMMARY.md",
        """\
        * [Home](index.md)
        * Plans
            * [The auth plan](plans/auth/index.md)
            * [Every plan](plans/index.md)
        * [Auth spec](specs/auth.md)
        """,
    )
    result = site.build(theme="material", plugins=plugins)
    assert not result.failed, result.messages
    assert "The auth plan" in _nav_titles(result)
    assert "Every plan" in _nav_titles(result)


# Everything at once, and the default theme -------------------------------------------------


def test_all_neighbours_together_build_strictly(site: SiteBuilder) -> None:
    _plan_site(site)
    site.write("tags.md", "# Tags\n\n<!-- material/tags -->\n")
    site.write("blog/index.md", "# Blog\n")
    site.write("blog/posts/hello.md", "---\ndate: 2026-11-02\n---\n# Hello\n")
    # awesome-pages first: it asks to come before plugins with an on_nav handler.
    plugins = ["awesome-pages", "search", "macros", "tags", "blog", "techplan"]
    result = site.build(theme="material", plugins=plugins)
    assert not result.failed, result.messages
    assert result.warnings == []
    assert result.content("plans/auth/index.html").select_one(".techplan-badge") is not None


def test_default_mkdocs_theme_shows_badge_with_the_plugin_stylesheet(site: SiteBuilder) -> None:
    _plan_site(site)
    result = site.build(theme="mkdocs", plugins=["search", "techplan"])
    assert not result.failed, result.messages
    html = result.html("plans/auth/index.html")
    badge = html.select_one('[role="main"] .techplan-badge.techplan-badge--draft')
    assert badge is not None and badge.get_text() == "Draft"
    stylesheets = [link["href"] for link in html.select('link[rel="stylesheet"]')]
    assert "../../assets/techplan.css" in stylesheets


# ProperDocs ----------------------------------------------------------------------------------


@pytest.mark.skipif(
    importlib.util.find_spec("properdocs") is None,
    reason="ProperDocs is not installed (pip install -e '.[test]' installs it)",
)
def test_example_site_builds_strictly_with_properdocs(tmp_path: Path) -> None:
    site_dir = tmp_path / "site"
    executable = shutil.which("properdocs", path=os.path.dirname(sys.executable)) or "properdocs"
    config_file = str(EXAMPLE_SITE / "mkdocs.yml")
    completed = subprocess.run(
        [executable, "build", "--strict", "-f", config_file, "-d", str(site_dir)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "WARNING" not in completed.stderr
    for page in ("plans/identity/sessions/index.html", "plans/index.html"):
        assert "techplan-badge" in (site_dir / page).read_text("utf-8")


@_both_orders("redirects")
def test_redirects_to_plan_pages_work_in_either_order(
    site: SiteBuilder, plugins: list[str]
) -> None:
    """mkdocs-redirects checks its targets against the pages it sees in on_files."""
    _plan_site(site)
    config_plugins: list[object] = [
        {"redirects": {"redirect_maps": {"old-auth.md": "plans/auth/index.md"}}}
        if plugin == "redirects"
        else plugin
        for plugin in plugins
    ]
    result = site.build(plugins=config_plugins)
    assert not result.failed, result.messages
    redirect = result.html("old-auth/index.html")
    refresh = redirect.select_one("meta[http-equiv=refresh]")
    assert refresh is not None and refresh["content"].endswith("../plans/auth/")


@_both_orders("i18n")
def test_static_i18n_stops_the_build_with_a_message_not_a_traceback(
    site: SiteBuilder, plugins: list[str]
) -> None:
    """mkdocs-static-i18n 1.3 failed inside its own code on generated files; until plans are
    built per language, the build stops at once and says why."""
    _plan_site(site)
    site.write("index.md", "# Home\n")
    site.write("index.fr.md", "# Accueil\n")
    i18n = {
        "i18n": {
            "docs_structure": "suffix",
            "languages": [
                {"locale": "en", "default": True, "name": "English", "build": True},
                {"locale": "fr", "name": "Français", "build": True},
            ],
        }
    }
    result = site.build(plugins=[i18n if plugin == "i18n" else plugin for plugin in plugins])
    assert result.failed
    assert not any(
        "Traceback" in message or "expected str, bytes" in message for message in result.messages
    )
    assert any(
        message.startswith("ERROR plugin `i18n` (mkdocs-static-i18n) is not supported beside")
        for message in result.messages
    ), result.messages
