"""What keeps a build cheap gives the same results as the slow way: plans parsed once across
`mkdocs serve` rebuilds, front matter written without a YAML emitter read back as written."""

from __future__ import annotations

import html
import os
import posixpath
from collections import Counter
from typing import Any

import conftest
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import SiteBuilder
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import Files
from mkdocs.utils.meta import get_data

from mkdocs_techplan.format.model import Plan, PlanSource
from mkdocs_techplan.markdown import escaping as markdown_text
from mkdocs_techplan.render.renderer import front_matter
from mkdocs_techplan.site import catalog
from mkdocs_techplan.site.references import relative_path

AUTH = "title: Sessions\nstatus: Draft\nsummary: Short-lived tokens.\n"
BILLING = "title: Billing\nstatus: Approved\n"


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each plan file (by `src_uri`) is read and parsed."""
    counted: Counter[str] = Counter()
    load_plan = catalog.load_plan

    def counting(plan_file: catalog.PlanFile, *args: Any, **kwargs: Any) -> Plan:
        counted[plan_file.src_uri] += 1
        return load_plan(plan_file, *args, **kwargs)

    monkeypatch.setattr(catalog, "load_plan", counting)
    # Builds here count their own loads: no second reading by the verdict check.
    monkeypatch.setattr(conftest, "VERDICT_CHECK", False)
    return counted


def test_a_rebuild_without_changes_parses_no_plan_again(
    site: SiteBuilder, loads: Counter[str]
) -> None:
    site.write("plans/auth/plan.yaml", AUTH)
    site.write("plans/billing/plan.yaml", BILLING)
    first = site.build()
    assert loads == {"plans/auth/plan.yaml": 1, "plans/billing/plan.yaml": 1}
    second = site.build()  # as `mkdocs serve` rebuilds: a new config, the same plugin
    assert second.config.plugins["techplan"] is first.config.plugins["techplan"]
    assert loads == {"plans/auth/plan.yaml": 1, "plans/billing/plan.yaml": 1}
    assert second.content("plans/auth/index.html").h1.get_text(strip=True) == (
        "Technical Plan: Sessions"
    )
    assert len(second.content("plans/index.html").select("tbody tr")) == 2


def test_a_rebuild_parses_again_only_the_plan_that_changed(
    site: SiteBuilder, loads: Counter[str]
) -> None:
    site.write("plans/auth/plan.yaml", AUTH)
    site.write("plans/billing/plan.yaml", BILLING)
    site.build()
    edited = site.write("plans/auth/plan.yaml", AUTH.replace("Sessions", "Session tokens"))
    os.utime(edited, ns=(1, 1))  # a new modification time, whatever the clock's resolution
    result = site.build()
    assert loads == {"plans/auth/plan.yaml": 2, "plans/billing/plan.yaml": 1}
    assert result.content("plans/auth/index.html").h1.get_text(strip=True) == (
        "Technical Plan: Session tokens"
    )


def test_a_removed_plan_leaves_the_site_and_the_cache(
    site: SiteBuilder, loads: Counter[str]
) -> None:
    site.write("plans/auth/plan.yaml", AUTH)
    removed = site.write("plans/billing/plan.yaml", BILLING)
    first = site.build()
    removed.unlink()
    result = site.build()
    assert not (result.site_dir / "plans/billing/index.html").exists()
    plugin = first.config.plugins["techplan"]
    assert [path for path in plugin.catalog._cache if "billing" in path] == []


def _plan(title: str, summary: str | None, tags: list[str]) -> Plan:
    source = PlanSource("plans/a/plan.yaml", "plans/a/index.md", "docs/plans/a/plan.yaml")
    return Plan(source=source, title=title, status="Draft", summary=summary, tags=tags)


def _read_back(plan: Plan) -> dict[str, Any]:
    """The front matter as MkDocs reads it from the page."""
    page = front_matter(plan) + "# Body\n"
    body, meta = get_data(page)
    assert body == "# Body\n"
    return meta


def _expected(plan: Plan) -> dict[str, Any]:
    """What the front matter must say: the texts HTML-escaped, on one line."""

    def shown(text: str) -> str:
        return html.escape(" ".join(text.split()))

    meta: dict[str, Any] = {"title": shown(f"Technical Plan: {plan.title}")}
    description = markdown_text.to_plain_text(plan.summary, block=True) if plan.summary else ""
    if description:
        meta["description"] = shown(description)
    if plan.tags:
        meta["tags"] = [shown(tag) for tag in plan.tags]
    return {**meta, "render_macros": False}


TRICKY = [
    "yes", "null", "1.0", "- x", "#a", "a: b", "'", '"', "...", "---", "<<", "", "*x", "&x",
    "!x", "%x", "@x", "`x", "|", ">", "[a]", "{a}", "2026-01-01", "é", "日本", "🚀 launch",
    "NEL\x85here", "\x80\x9f", "tab\there", "a & <b>", "Ω" * 3000, "line\u2028break",
    "\ufeffbom", "\x7f", "back\\slash \\u0041", "\x00\x1b", "\ufffe\uffff",
]  # fmt: skip


@pytest.mark.parametrize("text", TRICKY)
def test_front_matter_reads_back_as_written(text: str) -> None:
    plan = _plan(f"Plan {text}", text or None, [text, "plain"])
    assert _read_back(plan) == _expected(plan)


@settings(max_examples=300, deadline=None)
@given(
    title=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1),
    summary=st.none() | st.text(st.characters(blacklist_categories=("Cs",))),
    tags=st.lists(st.text(st.characters(blacklist_categories=("Cs",))), max_size=3),
)
def test_front_matter_of_any_text_reads_back_as_written(
    title: str, summary: str | None, tags: list[str]
) -> None:
    plan = _plan(title, summary, tags)
    assert _read_back(plan) == _expected(plan)


words = st.from_regex(r"(?:[^\W_]+ )*[^\W_]+", fullmatch=True)
prose = st.from_regex(markdown_text._PROSE, fullmatch=True)
starts = st.sampled_from(["- ", "* ", "+ ", "> ", "# ", "1. ", "2) ", "=== ", "!!! ", ": ", "[x] "])
any_text = st.text(st.characters(blacklist_categories=("Cs",)))


@settings(max_examples=1000, deadline=None)
@given(
    text=words | prose | st.tuples(starts, prose).map("".join) | any_text,
    allow_html=st.booleans(),
)
def test_text_without_anything_to_escape_is_escaped_as_any_other_text(
    text: str, allow_html: bool
) -> None:
    assert markdown_text.plain(text) == markdown_text._plain(text)
    assert markdown_text.inline(text, allow_html=allow_html) == markdown_text._inline(
        text, allow_html=allow_html
    )


segment = st.sampled_from(
    ["plans", "specs", "a", "b", "index.md", "plan.yaml", "x y", "é", ".", ".."]
)
docs_path = st.lists(segment | st.text(min_size=1, max_size=3), max_size=4).map("/".join)


@settings(max_examples=500, deadline=None)
@given(target=docs_path.filter(bool), folder=docs_path | st.just("/abs") | st.just("a//b"))
def test_relative_paths_are_what_posixpath_says(target: str, folder: str) -> None:
    assert relative_path(target, folder) == posixpath.relpath(target, folder or ".")


def _cli_build(site: SiteBuilder, command: str) -> tuple[Any, Files]:
    """Build as `mkdocs build` (or a `serve` rebuild) does: startup event first. Returns the
    config and the build's files."""
    site.write("plans/auth/plan.yaml", AUTH)
    site.write("specs/login.md", "# Login\n")
    site.write("plans/billing/plan.yaml", BILLING + "specification: ../../specs/login.md\n")
    config_file = site.root / "mkdocs.yml"
    config_file.write_text(
        yaml.safe_dump({"site_name": "Test", "plugins": ["techplan"]}), encoding="utf-8"
    )
    config = load_config(str(config_file), site_dir=str(site.root / "site"))
    seen: list[Files] = []
    config.plugins.events["files"].append(lambda files, **_: seen.append(files))
    config.plugins.on_startup(command=command, dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return config, seen[0]


def test_a_one_off_build_lets_go_of_its_plans_once_every_page_is_read(site: SiteBuilder) -> None:
    config, files = _cli_build(site, "build")
    plugin = config.plugins["techplan"]
    assert plugin.result is None
    assert plugin.catalog._cache == {}
    page = (site.root / "site/plans/billing/index.html").read_text(encoding="utf-8")
    billing = BeautifulSoup(page, "html.parser")
    assert billing.h1 is not None and billing.h1.get_text(strip=True) == "Technical Plan: Billing"
    login = (site.root / "site/specs/login/index.html").read_text(encoding="utf-8")
    assert "Implementation plans" in login
    # A plugin reading the page's source after that gets the Markdown MkDocs holds for it.
    page_file = files.get_file_from_path("plans/billing/index.md")
    assert page_file is not None
    source = page_file.content_string
    assert source.startswith("---\ntitle: 'Technical Plan: Billing'\n")
    assert "# Technical Plan: Billing" in source


def test_serve_keeps_its_plans_for_the_next_rebuild(site: SiteBuilder) -> None:
    config, _ = _cli_build(site, "serve")
    plugin = config.plugins["techplan"]
    assert plugin.result is not None
    assert len(plugin.catalog._cache) == 2
