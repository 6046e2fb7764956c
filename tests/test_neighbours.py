"""The plugin beside the plugins and themes a documentation site commonly uses.

Each neighbour is tried listed before and after `techplan`. Only mkdocs-macros cares about the
order (see mkdocs_techplan/plugin/plugin_order.py); the build then warns and says how to order
`plugins`.
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


def _i18n(structure: str) -> dict[str, object]:
    return {
        "i18n": {
            "docs_structure": structure,
            "languages": [
                {"locale": "en", "default": True, "name": "English", "build": True},
                {"locale": "fr", "name": "Français", "build": True},
            ],
        }
    }


def _plan(title: str, spec: str = "../../specs/auth.md") -> str:
    return f"title: {title}\nstatus: Draft\nspecification: {spec}\nsummary: {title}.\n"


def _bilingual_site(site: SiteBuilder, structure: str) -> None:
    """auth: translated (`plan.fr.yaml`); search: translated (`search.fr.plan.yaml`); billing:
    English only. The spec and the home page (with a listing) exist in both languages."""
    pages = {
        "index.md": "# Home\n\n<!-- techplan:index -->\n",
        "specs/auth.md": "# Auth spec\n",
        "index.fr.md": "# Accueil\n\n<!-- techplan:index -->\n",
        "specs/auth.fr.md": "# Spécification auth\n",
        "plans/auth/plan.yaml": _plan("Sign-in"),
        "plans/auth/plan.fr.yaml": _plan("Connexion"),
        "plans/search.plan.yaml": _plan("Search", "../specs/auth.md"),
        "plans/search.fr.plan.yaml": _plan("Recherche", "../specs/auth.md"),
        "plans/billing.plan.yaml": _plan("Billing", "../specs/auth.md"),
    }
    (site.docs / "index.md").unlink()
    for path, text in pages.items():
        if structure == "folder":  # `docs/en/…`, `docs/fr/…`, names without a language
            language = "fr" if ".fr." in path else "en"
            path = f"{language}/{path.replace('.fr.', '.')}"
        site.write(path, text)


def _titles(result: BuildResult, path: str, selector: str) -> list[str]:
    return [element.get_text(" ", strip=True) for element in result.html(path).select(selector)]


@pytest.mark.parametrize("structure", ["suffix", "folder"])
@_both_orders("i18n")
def test_static_i18n_builds_each_language_with_its_own_plan_pages_index_and_backlinks(
    site: SiteBuilder, plugins: list[str], structure: str
) -> None:
    _bilingual_site(site, structure)
    config = [_i18n(structure) if plugin == "i18n" else plugin for plugin in plugins]
    result = site.build(plugins=config)
    assert not result.failed, result.messages
    assert not any("Traceback" in message for message in result.messages)
    # Plan pages: each language's own, a plan with no translation falls back.
    for path, title in [
        ("plans/auth/index.html", "Sign-in"),
        ("fr/plans/auth/index.html", "Connexion"),
        ("plans/search/index.html", "Search"),
        ("fr/plans/search/index.html", "Recherche"),
        ("plans/billing/index.html", "Billing"),
        ("fr/plans/billing/index.html", "Billing"),
    ]:
        assert title in result.html(path).h1.get_text(), path
    # The specification link goes to the same language's spec page.
    spec = result.html("fr/plans/auth/index.html").select_one('a[href$="specs/auth/"]')
    assert spec is not None and spec["href"] == "../../specs/auth/"
    # Each language's index and listings, and backlinks on its own spec page.
    assert set(_titles(result, "plans/index.html", "table a")) >= {"Sign-in", "Search", "Billing"}
    french = set(_titles(result, "fr/plans/index.html", "table a"))
    assert french >= {"Connexion", "Recherche", "Billing"} and "Sign-in" not in french
    assert "Connexion" in result.html("fr/index.html").get_text()
    assert "Sign-in" not in result.html("fr/index.html").get_text()
    fr_backlinks = _titles(result, "fr/specs/auth/index.html", "li a")
    assert "Connexion" in fr_backlinks and "Sign-in" not in fr_backlinks
    assert "Sign-in" in _titles(result, "specs/auth/index.html", "li a")
    # No translation becomes a plan of its own, and no YAML is copied.
    assert not list((site.root / "site").rglob("*.yaml"))
    assert not (site.root / "site" / "plans" / "search.fr").exists()
    data = json.loads((site.root / "site" / "fr" / "plans" / "plans.json").read_text())
    assert {plan["title"] for plan in data["plans"]} == {"Connexion", "Recherche", "Billing"}
    assert {plan["url"] for plan in data["plans"]} == {
        "fr/plans/auth/", "fr/plans/search/", "fr/plans/billing/"
    }  # fmt: skip


# git-revision-date-localized, git-authors ---------------------------------------------------


def _git(root: Path, *args: str, date: str | None = None, name: str = "Ada Lovelace") -> None:
    email = name.split()[0].lower() + "@example.com"
    env = dict(os.environ, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email)
    env.update(GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email)
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def _committed_plan_site(site: SiteBuilder) -> None:
    """Plans committed at known dates by Grace Hopper: auth created 2024-03-01 and changed
    2025-06-15, billing created 2025-01-10; the rest of the site committed later, on
    2025-09-01, by Ada Lovelace."""
    _git(site.root, "init", "-q")
    site.write("plans/auth/plan.yaml", "title: Auth\nstatus: Draft\n")
    _git(site.root, "add", "docs/plans/auth/plan.yaml")
    _git(site.root, "commit", "-qm", "auth", date="2024-03-01T12:00:00+00:00", name="Grace Hopper")
    site.write("plans/billing/plan.yaml", "title: Billing\nstatus: Draft\n")
    _git(site.root, "add", "docs/plans/billing/plan.yaml")
    _git(
        site.root, "commit", "-qm", "billing", date="2025-01-10T12:00:00+00:00", name="Grace Hopper"
    )
    site.write("plans/auth/plan.yaml", "title: Auth\nstatus: Draft\nversion: '2.0'\n")
    _git(site.root, "add", "docs/plans/auth/plan.yaml")
    _git(
        site.root,
        "commit",
        "-qm",
        "auth review",
        date="2025-06-15T12:00:00+00:00",
        name="Grace Hopper",
    )
    _git(site.root, "add", "docs")
    _git(site.root, "commit", "-qm", "home", date="2025-09-01T12:00:00+00:00")


_GIT_DATES = {
    "git-revision-date-localized": {"type": "iso_date", "enable_creation_date": True},
}


def _dates(result: BuildResult, path: str) -> list[str]:
    shown = result.html(path).select(".git-revision-date-localized-plugin")
    return [element.get_text(strip=True) for element in shown]


@_both_orders("git-revision-date-localized")
def test_plan_pages_and_the_index_carry_their_plan_files_git_dates(
    site: SiteBuilder, plugins: list[str]
) -> None:
    _committed_plan_site(site)
    config = [
        {name: _GIT_DATES[name]} if name in _GIT_DATES else name for name in plugins
    ]  # fmt: skip
    result = site.build(theme="material", plugins=config)
    assert not result.failed, result.messages
    # Material shows the last change first, then the creation.
    assert _dates(result, "plans/auth/index.html") == ["2025-06-15", "2024-03-01"]
    assert _dates(result, "plans/billing/index.html") == ["2025-01-10", "2025-01-10"]
    # The index: the folder of all plans, last changed with auth, created with it.
    assert _dates(result, "plans/index.html") == ["2025-06-15", "2024-03-01"]
    first = (site.root / "site" / "plans" / "auth" / "index.html").read_bytes()
    again = site.build(theme="material", plugins=config)
    assert not again.failed, again.messages
    assert (site.root / "site" / "plans" / "auth" / "index.html").read_bytes() == first
    # The pages are generated again once built: nothing else mistakes them for files on disk.
    assert not (site.docs / "plans" / "auth" / "index.md").exists()


@_both_orders("git-authors")
def test_git_authors_name_the_plan_files_authors(site: SiteBuilder, plugins: list[str]) -> None:
    _committed_plan_site(site)
    # `strict: false`: git-authors warns about every generated page (it blames `None`), and
    # the index is one.
    authors = {"git-authors": {"show_email_address": False, "strict": False}}
    result = site.build(
        theme="material", plugins=[authors if name == "git-authors" else name for name in plugins]
    )
    assert not result.failed, result.messages

    def contributors(path: str) -> list[str]:
        facts = result.html(path).select(".md-source-file__fact nav")
        return [" ".join(fact.get_text(" ", strip=True).split()) for fact in facts]

    assert contributors("plans/auth/index.html") == ["Grace Hopper"]
    assert contributors("index.html") == ["Ada Lovelace"]


def test_without_git_history_plans_build_with_the_git_plugins_fallback(
    site: SiteBuilder,
) -> None:
    _plan_site(site)  # no repository: the plugin's own fallback decides, with its warning
    result = site.build(
        strict=False,
        theme="material",
        plugins=[
            {"git-revision-date-localized": {"fallback_to_build_date": True}},
            "techplan",
        ],
    )
    assert not result.failed, result.messages
    assert result.html("plans/auth/index.html").h1 is not None
    assert any("Falling back to build date" in message for message in result.messages)


# mkdocs-monorepo-plugin ---------------------------------------------------------------------


@_both_orders("monorepo")
def test_monorepo_plans_name_their_real_files_in_messages_and_edit_links(
    site: SiteBuilder, plugins: list[str]
) -> None:
    team = site.root / "team"
    (team / "docs" / "plans" / "auth").mkdir(parents=True)
    (team / "docs" / "index.md").write_text("# Team\n", encoding="utf-8")
    (team / "docs" / "plans" / "auth" / "plan.yaml").write_text(
        "title: Team auth\nstatus: Drafty\n", encoding="utf-8"
    )
    (team / "mkdocs.yml").write_text(
        "site_name: team\nnav:\n  - Home: index.md\n  - Auth: plans/auth/index.md\n",
        encoding="utf-8",
    )
    result = site.build(
        strict=False,
        theme="material",
        theme_options={"features": ["content.action.edit"]},
        plugins=plugins,
        nav=[{"Home": "index.md"}, {"Team": "!include team/mkdocs.yml"}],
        repo_url="https://github.com/example/docs",
        edit_uri="edit/main/docs/",
    )
    assert not result.failed, result.messages
    problems = [message for message in result.messages if "Drafty" in message]
    assert problems and all(
        message.split()[2].startswith("team/docs/plans/auth/plan.yaml:2:") for message in problems
    ), problems
    edit = result.html("team/plans/auth/index.html").select_one('a[title="Edit this page"]')
    assert edit is not None
    assert (
        edit["href"] == "https://github.com/example/docs/edit/main/team/docs/plans/auth/plan.yaml"
    )


# mike ---------------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("mike", path=str(Path(sys.executable).parent)) is None,
                    reason="mike is not installed")  # fmt: skip
def test_mike_deploy_keeps_the_version_in_absolute_urls(site: SiteBuilder) -> None:
    """`mike deploy 1.0 latest` builds with `site_url` ending in the version, without a
    slash; plans.json and the feed must keep the version."""
    _plan_site(site)
    (site.root / "mkdocs.yml").write_text(
        "site_name: Versions\nsite_url: https://docs.example.com/\ntheme: material\n"
        "plugins:\n  - techplan\n",
        encoding="utf-8",
    )
    _git(site.root, "init", "-q")
    _git(site.root, "add", ".")
    _git(site.root, "commit", "-qm", "docs")
    mike = shutil.which("mike", path=str(Path(sys.executable).parent))
    # mike runs `properdocs` (when installed, as here) or `mkdocs`, found on PATH.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", GIT_AUTHOR_NAME="A", GIT_COMMITTER_NAME="A")
    env["PATH"] = path
    env.update(GIT_AUTHOR_EMAIL="a@example.com", GIT_COMMITTER_EMAIL="a@example.com")
    done = subprocess.run(
        [str(mike), "deploy", "1.0", "latest"],
        cwd=site.root, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]

    def deployed(path: str) -> str:
        return subprocess.run(
            ["git", "show", f"gh-pages:1.0/{path}"],
            cwd=site.root, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip

    data = json.loads(deployed("plans/plans.json"))
    assert data["index"]["absolute_url"] == "https://docs.example.com/1.0/plans/"
    assert [plan["absolute_url"] for plan in data["plans"]] == [
        "https://docs.example.com/1.0/plans/auth/"
    ]
    assert "<id>https://docs.example.com/1.0/plans/feed.xml</id>" in deployed("plans/feed.xml")


def test_static_i18n_language_switcher_and_sitemap_know_plan_pages(site: SiteBuilder) -> None:
    _bilingual_site(site, "suffix")
    result = site.build(
        theme="material", plugins=["techplan", _i18n("suffix")], site_url="https://x.example/"
    )
    assert not result.failed, result.messages
    switcher = result.html("fr/plans/auth/index.html").select("a.md-select__link[hreflang]")
    links = {link["hreflang"]: link["href"] for link in switcher}
    assert links == {"en": "../../../plans/auth/", "fr": "./"}  # from fr/plans/auth/
    sitemap = (site.root / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://x.example/fr/plans/auth/</loc>" in sitemap
    assert 'hreflang="en" href="https://x.example/plans/auth/"' in sitemap


def test_static_i18n_two_files_translating_one_plan_are_named(site: SiteBuilder) -> None:
    """`search.fr.plan.yaml` and `search.fr.plan.yml`: one was dropped without a word."""
    _bilingual_site(site, "suffix")
    site.write("plans/search.fr.plan.yml", _plan("Recherche bis", "../specs/auth.md"))
    result = site.build(strict=False, plugins=["techplan", _i18n("suffix")])
    assert not result.failed, result.messages
    assert (
        "plans/search.fr.plan.yml: `plans/search.fr.plan.yaml` translates the same plan into "
        "`fr` and is the one used; remove one of the two files"
    ) in result.techplan_warnings
    assert "Recherche" in result.html("fr/plans/search/index.html").h1.get_text()
