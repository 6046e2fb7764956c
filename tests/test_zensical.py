"""Plans on Zensical: `mkdocs-techplan pages` writes the pages Zensical cannot add, the
`mkdocs_techplan.zensical` Markdown extension adds backlinks and listings and sanitizes plan
data, and a real `zensical build` of a site shows what an MkDocs build shows."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner
from conftest import SiteBuilder, run_pages, without_plan_data_marks

from mkdocs_techplan.cli.main import main
from mkdocs_techplan.site.discovery import is_plan_file
from mkdocs_techplan.site.generated_pages import GENERATED_LINE

EXAMPLE_PLANS = sum(
    is_plan_file(path.name)
    for path in (Path(__file__).resolve().parent.parent / "example-site" / "docs").rglob("*")
)

CONFIG = {
    "site_name": "Z",
    "plugins": ["techplan"],
    "markdown_extensions": ["toc", "tables", "mkdocs_techplan.zensical"],
    "extra_css": ["assets/techplan.css"],
    "extra_javascript": ["assets/techplan.js"],
}
PLAN = """\
title: Sessions
status: Draft
date: 2026-01-02
specification: SPEC-1
summary: Short <script>alert(1)</script> **sessions**.
risks:
  - {risk: Outage, impact: High, probability: Low}
"""
OLD_PLAN = """\
title: API keys
status: Draft
specification: ../../specs/auth.md
"""


def _site(root: Path) -> Path:
    docs = root / "docs"
    (docs / "plans" / "auth").mkdir(parents=True)
    (docs / "plans" / "keys").mkdir(parents=True)
    (docs / "specs").mkdir()
    (docs / "index.md").write_text(
        '# Home\n\n<!-- techplan:index status="Draft" -->\n', encoding="utf-8"
    )
    (docs / "specs" / "auth.md").write_text(
        "---\nspec_id: SPEC-1\n---\n# Auth spec\n\n## Tokens\n", encoding="utf-8"
    )
    (docs / "plans" / "auth" / "plan.yaml").write_text(
        PLAN + "supersedes: ../keys/plan.yaml\n", encoding="utf-8"
    )
    (docs / "plans" / "keys" / "plan.yaml").write_text(OLD_PLAN, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(yaml.safe_dump(CONFIG, sort_keys=False), encoding="utf-8")
    return config


def _pages(config: Path, *more: str) -> Any:
    return run_pages(config, *more)


def _zensical_build(root: Path) -> None:
    zensical = shutil.which("zensical", path=os.path.dirname(sys.executable))
    assert zensical is not None, "zensical is a test dependency (pip install -e '.[test]')"
    done = subprocess.run(
        [zensical, "build"], cwd=root, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _html(root: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((root / "site" / page).read_text(encoding="utf-8"), "html.parser")


def test_pages_writes_each_page_the_plugin_makes_then_check_passes(tmp_path: Path) -> None:
    config = _site(tmp_path)
    result = _pages(config)
    assert result.exit_code == 0, result.output
    docs = tmp_path / "docs"
    for page in ("plans/auth/index.md", "plans/keys/index.md", "plans/index.md"):
        text = (docs / page).read_text(encoding="utf-8")
        assert GENERATED_LINE in text, page
    assert (docs / "assets" / "techplan.css").is_file()
    assert (docs / "assets" / "techplan.js").is_file()
    assert _pages(config, "--check").exit_code == 0


def test_check_fails_when_a_plan_changed_and_names_the_page(tmp_path: Path) -> None:
    config = _site(tmp_path)
    _pages(config)
    plan = tmp_path / "docs" / "plans" / "auth" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("Draft", "Approved"), "utf-8")
    before = (tmp_path / "docs" / "plans" / "auth" / "index.md").read_text(encoding="utf-8")
    result = _pages(config, "--check")
    assert result.exit_code == 1
    assert "would write docs/plans/auth/index.md" in result.output
    assert "out of date" in result.output
    assert (tmp_path / "docs/plans/auth/index.md").read_text(encoding="utf-8") == before


def test_a_page_the_author_wrote_is_never_replaced(tmp_path: Path) -> None:
    config = _site(tmp_path)
    mine = tmp_path / "docs" / "plans" / "index.md"
    mine.write_text("# Our plans\n", encoding="utf-8")
    result = _pages(config)
    assert mine.read_text(encoding="utf-8") == "# Our plans\n"
    # the index is the author's page: the listing goes in it at build time, not as a file
    assert "plans/index.md" not in result.output


def test_the_sites_own_stylesheet_wins_and_check_passes(tmp_path: Path) -> None:
    """The README lets a site ship its own `assets/techplan.css`: `pages` leaves it, as the
    MkDocs build does, and `--check` does not fail for good over it."""
    config = _site(tmp_path)
    css = tmp_path / "docs" / "assets" / "techplan.css"
    css.parent.mkdir()
    css.write_text("/* mine */\n", encoding="utf-8")
    result = _pages(config)
    assert result.exit_code == 0, result.output
    assert "assets/techplan.css" not in result.output
    assert css.read_text(encoding="utf-8") == "/* mine */\n"
    assert _pages(config, "--check").exit_code == 0


def test_a_file_in_the_way_is_refused_not_replaced(tmp_path: Path) -> None:
    config = _site(tmp_path)
    mine = tmp_path / "docs" / "plans" / "plans.json"
    mine.write_text("[]\n", encoding="utf-8")
    result = _pages(config)
    assert result.exit_code == 1
    assert "`plans/plans.json` is not written: docs/plans/plans.json is already there" in (
        result.output
    )
    assert mine.read_text(encoding="utf-8") == "[]\n"


def test_the_page_of_a_removed_plan_is_removed(tmp_path: Path) -> None:
    config = _site(tmp_path)
    _pages(config)
    (tmp_path / "docs" / "plans" / "auth" / "plan.yaml").write_text(
        PLAN, encoding="utf-8"
    )  # no longer supersedes
    (tmp_path / "docs" / "plans" / "keys" / "plan.yaml").unlink()
    assert _pages(config, "--check").exit_code == 1
    result = _pages(config)
    assert "removed docs/plans/keys/index.md (its plan is gone)" in result.output
    assert not (tmp_path / "docs" / "plans" / "keys" / "index.md").exists()


def test_pages_says_when_the_extension_is_missing(tmp_path: Path) -> None:
    config = _site(tmp_path)
    settings = {**CONFIG, "markdown_extensions": ["toc"]}
    config.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    result = _pages(config)
    assert "does not list `mkdocs_techplan.zensical` under markdown_extensions" in result.output


def test_the_same_plan_page_markdown_under_both_engines(tmp_path: Path) -> None:
    """A plan page as the MkDocs plugin makes it in a build, and as `pages` writes it."""
    site = SiteBuilder(tmp_path / "mkdocs")
    site.write("specs/auth.md", "---\nspec_id: SPEC-1\n---\n# Auth spec\n\n## Tokens\n")
    site.write("plans/auth/plan.yaml", PLAN)
    result = site.build(markdown_extensions=["toc", "tables"])
    assert not result.failed, result.messages
    built = result.generated_markdown("plans/auth/index.md")
    config = _site(tmp_path / "zensical")
    (tmp_path / "zensical" / "docs" / "plans" / "auth" / "plan.yaml").write_text(PLAN, "utf-8")
    (tmp_path / "zensical" / "docs" / "plans" / "keys" / "plan.yaml").unlink()
    _pages(config)
    written = (tmp_path / "zensical" / "docs" / "plans" / "auth" / "index.md").read_text("utf-8")
    assert written.replace("\n" + GENERATED_LINE + "\n", "", 1) == without_plan_data_marks(built)


def test_zensical_builds_plan_pages_backlinks_index_and_listings(tmp_path: Path) -> None:
    config = _site(tmp_path)
    assert _pages(config).exit_code == 0
    _zensical_build(tmp_path)
    plan = _html(tmp_path, "plans/auth/index.html")
    assert plan.find("h1").get_text(strip=True).startswith("Technical Plan: Sessions")
    badge = plan.select_one(".techplan-badge--draft")
    assert badge is not None and badge.get_text() == "Draft"
    assert plan.select_one(".techplan-risk-matrix") is not None
    # plan data is sanitized as in an MkDocs build: the summary's tag is text
    assert plan.find("script", string=lambda s: s and "alert" in s) is None
    assert "<script>alert(1)</script>" in plan.get_text()
    spec = plan.find("a", string="Auth spec")
    assert spec is not None and spec["href"].startswith("../../specs/auth")
    # backlinks on the spec page and on the superseded plan
    spec_page = _html(tmp_path, "specs/auth/index.html")
    assert "Implementation plans" in spec_page.get_text()
    assert spec_page.find("a", string="Sessions") is not None
    old = _html(tmp_path, "plans/keys/index.html")
    assert "Superseded by" in old.get_text()
    # the index, and a listing in a hand-written page
    index = _html(tmp_path, "plans/index.html")
    titles = [a.get_text() for a in index.select(".techplan-cell--title a")]
    assert sorted(titles) == ["API keys", "Sessions"]
    home = _html(tmp_path, "index.html")
    assert [a.get_text() for a in home.select(".techplan-cell--title a")] == ["Sessions"]
    # its links and summary are cells Zensical converted with the page, moved into the table
    [link] = home.select(".techplan-cell--title a")
    assert link["href"].rstrip("/").endswith("plans/auth")
    assert home.select_one(".techplan-cell--summary").get_text(strip=True)
    assert "techplanblock" not in str(home) and "techplan-cell-slot" not in str(home)
    # the assets are there for the theme to load
    assert (tmp_path / "site" / "assets" / "techplan.css").is_file()


def test_mkdocs_builds_the_same_docs_folder_with_the_written_pages(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """One docs folder for both engines: the plugin leaves the written pages out and makes
    its own, with no collision; the extension does nothing under MkDocs."""
    config = _site(tmp_path)
    _pages(config)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    previous = os.getcwd()
    os.chdir(tmp_path)
    try:
        with caplog.at_level(logging.WARNING):
            build(load_config(str(config), strict=True, site_dir=str(tmp_path / "out")))
    finally:
        os.chdir(previous)
    page = (tmp_path / "out" / "plans" / "auth" / "index.html").read_text(encoding="utf-8")
    assert GENERATED_LINE not in page
    spec = BeautifulSoup(
        (tmp_path / "out" / "specs" / "auth" / "index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    headings = [h for h in spec.find_all(["h2", "h3"]) if "Implementation plans" in h.get_text()]
    assert len(headings) == 1


def test_zensical_says_when_plans_have_no_page_yet(tmp_path: Path) -> None:
    _site(tmp_path)
    zensical = shutil.which("zensical", path=os.path.dirname(sys.executable))
    assert zensical is not None
    done = subprocess.run(
        [zensical, "build"], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
    )
    output = done.stdout + done.stderr
    assert "techplan: 2 plan(s) have no page in the docs folder" in output
    assert "run `mkdocs-techplan pages -f mkdocs.yml`" in output


def test_the_example_site_builds_under_zensical(tmp_path: Path) -> None:
    """The example site as it is in the repository: `pages`, then `zensical build`."""
    example = Path(__file__).resolve().parent.parent / "example-site"
    root = tmp_path / "example"
    shutil.copytree(example, root, ignore=shutil.ignore_patterns("site", "screenshots"))
    result = _pages(root / "mkdocs.yml")
    assert result.exit_code == 0, result.output
    _zensical_build(root)
    for page in (
        "plans/identity/sessions/index.html",
        "plans/2026/billing/index.html",
        "plans/platform/index.html",
    ):
        html = _html(root, page)
        assert html.select_one(".techplan-badge") is not None, page
        assert html.find("h1").get_text(strip=True).startswith("Technical Plan:"), page
    billing = _html(root, "plans/2026/billing/index.html")
    assert "Service Level Objectives" in billing.get_text()  # the site's own section
    spec = _html(root, "specs/identity/sessions/index.html")
    assert "Implementation plans" in spec.get_text()
    assert len(_html(root, "plans/index.html").select(".techplan-row")) == EXAMPLE_PLANS
    # A plan written in Markdown: Zensical converts the author's file into the plan's page;
    # `pages` wrote nothing in its place.
    source = root / "docs/plans/identity/audit-log.plan.md"
    assert source.read_bytes() == (example / "docs/plans/identity/audit-log.plan.md").read_bytes()
    audit = _html(root, "plans/identity/audit-log.plan/index.html")
    assert audit.select_one(".techplan-badge").get_text(strip=True) == "In Review"
    headings = [h.get_text(strip=True).rstrip("¶") for h in audit.find_all("h2")]
    assert headings[:2] == ["Architecture Overview", "Data Model"] and "Retention" in headings
    assert "Legal confirmed" not in audit.get_text()  # the author's comment shows nothing
    # The relations, on a plan page and on the graph page, as under MkDocs.
    assert audit.select_one(".techplan-graph a.techplan-graph__node--current") is not None
    graph = _html(root, "plans/graph/index.html")
    assert len(graph.select("a.techplan-graph__node")) == EXAMPLE_PLANS


@pytest.mark.parametrize("name", ["other.yml", "mkdocs.yaml"])
def test_zensical_reads_the_configuration_it_was_given(tmp_path: Path, name: str) -> None:
    """With `mkdocs.yaml`, or `zensical build -f other.yml`, the extension once found no
    configuration and sanitized nothing."""
    config = _site(tmp_path)
    given = config.rename(tmp_path / name)
    (tmp_path / "docs" / "plans" / "auth" / "plan.yaml").write_text(
        PLAN.replace("<script>alert(1)</script>", "<script>alert(1)</script>")
        + "architecture:\n  overview: 'Raw <img src=x onerror=alert(2)> html'\n",
        encoding="utf-8",
    )
    assert _pages(given).exit_code == 0
    zensical = shutil.which("zensical", path=os.path.dirname(sys.executable))
    assert zensical is not None
    command = [zensical, "build"] + (["-f", name] if name == "other.yml" else [])
    done = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    plan = _html(tmp_path, "plans/auth/index.html")
    assert plan.select("script:-soup-contains('alert')") == []
    assert plan.select("img[onerror]") == []
    spec_page = _html(tmp_path, "specs/auth/index.html")
    assert spec_page.find("a", string="Sessions") is not None  # backlinks: the site was read


def test_zensical_stops_when_the_extension_cannot_find_its_configuration(tmp_path: Path) -> None:
    config = _site(tmp_path)
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["markdown_extensions"] = [
        "toc",
        "tables",
        {"mkdocs_techplan.zensical": {"config_file": "missing.yml"}},
    ]
    config.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert _pages(config).exit_code == 0
    zensical = shutil.which("zensical", path=os.path.dirname(sys.executable))
    assert zensical is not None
    done = subprocess.run(
        [zensical, "build"], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
    )
    output = done.stdout + done.stderr
    assert "missing.yml" in output, output
    assert (
        done.returncode != 0 or not (tmp_path / "site" / "plans" / "auth" / "index.html").exists()
    )


def test_pages_says_the_lines_that_style_the_pages_and_fails_until_they_are_there(
    tmp_path: Path,
) -> None:
    config = _site(tmp_path)
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    del data["extra_css"], data["extra_javascript"]
    config.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = _pages(config)
    assert result.exit_code == 1
    assert (
        "add at the top level:\n  extra_css:\n    - assets/techplan.css\n  extra_javascript:\n"
        "    - assets/techplan.js"
    ) in result.output
    assert _pages(config, "--check").exit_code == 1
    data.update(extra_css=["assets/techplan.css"], extra_javascript=["assets/techplan.js"])
    config.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert _pages(config, "--check").exit_code == 0


def test_a_broken_plan_fails_a_strict_zensical_build(tmp_path: Path) -> None:
    config = _site(tmp_path)
    assert _pages(config).exit_code == 0
    (tmp_path / "docs" / "plans" / "auth" / "plan.yaml").write_text(
        PLAN + "componets: []\n", encoding="utf-8"
    )
    zensical = shutil.which("zensical", path=os.path.dirname(sys.executable))
    assert zensical is not None
    done = subprocess.run(
        [zensical, "build", "--strict"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode != 0
    assert "docs/plans/auth/plan.yaml:" in done.stdout + done.stderr
    assert "unknown key `componets`" in done.stdout + done.stderr
    _zensical_build(tmp_path)  # without --strict the site builds, the problem logged


def test_plugins_zensical_provides_are_no_obstacle(tmp_path: Path) -> None:
    """`rss`, `blog` and git dates listed for Zensical, their MkDocs packages not installed."""
    config = _site(tmp_path)
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["plugins"] = [
        "search",
        {"rss": {}},
        "blog",
        "git-revision-date-localized",
        "techplan",
    ]
    config.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = _pages(config)
    assert result.exit_code == 0, result.output
    _zensical_build(tmp_path)
    spec_page = _html(tmp_path, "specs/auth/index.html")
    assert spec_page.find("a", string="Sessions") is not None


def test_a_zensical_toml_site_builds_its_plan_pages(tmp_path: Path) -> None:
    _site(tmp_path).unlink()
    (tmp_path / "zensical.toml").write_text(
        "[project]\n"
        'site_name = "Z"\n'
        'site_url = "https://z.example/"\n'
        'extra_css = ["assets/techplan.css"]\n'
        'extra_javascript = ["assets/techplan.js"]\n'
        "[project.markdown_extensions.toc]\n"
        "[project.markdown_extensions.tables]\n"
        '[project.markdown_extensions."mkdocs_techplan.zensical"]\n'
        "draft_banner = false\n",
        encoding="utf-8",
    )
    previous = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["pages"])
    finally:
        os.chdir(previous)
    assert result.exit_code == 0, result.output
    _zensical_build(tmp_path)
    plan = _html(tmp_path, "plans/auth/index.html")
    assert plan.select_one(".techplan-badge--draft") is not None
    assert plan.select_one(".techplan-banner--draft") is None  # the option was read
    assert _html(tmp_path, "specs/auth/index.html").find("a", string="Sessions") is not None


def test_zensical_publishes_every_output_of_the_example(tmp_path: Path) -> None:
    import json
    from xml.etree import ElementTree

    example = Path(__file__).resolve().parent.parent / "example-site"
    root = tmp_path / "example"
    shutil.copytree(example, root, ignore=shutil.ignore_patterns("site", "screenshots"))
    assert _pages(root / "mkdocs.yml").exit_code == 0
    _zensical_build(root)
    site = root / "site"
    plans = json.loads((site / "plans" / "plans.json").read_text(encoding="utf-8"))
    listed = plans["plans"] if isinstance(plans, dict) else plans
    assert len(listed) == EXAMPLE_PLANS
    feed = ElementTree.fromstring((site / "plans" / "feed.xml").read_bytes())
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    badges = sorted(site.rglob("status.svg"))
    assert len(badges) == EXAMPLE_PLANS
    for badge in badges:
        assert ElementTree.fromstring(badge.read_bytes()).tag.endswith("svg")
    css = site / "assets" / "techplan.css"
    assert css.is_file() and ".techplan-badge" in css.read_text(encoding="utf-8")
    page = (site / "plans" / "2026" / "billing" / "index.html").read_text(encoding="utf-8")
    assert "assets/techplan.css" in page and "assets/techplan.js" in page


def test_the_example_with_rss_listed_builds_with_its_backlinks(tmp_path: Path) -> None:
    """The example site as a Zensical-only user has it: `rss` listed, its MkDocs package not
    installed."""
    example = Path(__file__).resolve().parent.parent / "example-site"
    root = tmp_path / "example"
    shutil.copytree(example, root, ignore=shutil.ignore_patterns("site", "screenshots"))
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("plugins:\n", "plugins:\n  rss: {}\n", 1), encoding="utf-8")
    result = _pages(config)
    assert result.exit_code == 0, result.output
    _zensical_build(root)
    spec = _html(root, "specs/identity/sessions/index.html")
    assert "Implementation plans" in spec.get_text()
    assert len(_html(root, "plans/index.html").select(".techplan-row")) == EXAMPLE_PLANS
    assert (root / "site" / "plans" / "plans.json").is_file()


def test_a_serve_rebuild_parses_only_the_plans_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs_techplan import zensical

    docs = tmp_path / "docs"
    for name in ("a", "b"):
        (docs / "plans" / name).mkdir(parents=True)
        (docs / "plans" / name / "plan.yaml").write_text(
            f"title: Plan {name}\nstatus: Draft\n", encoding="utf-8"
        )
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: S\nplugins:\n  - techplan\n", encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["zensical", "serve"])
    monkeypatch.setattr(zensical, "RECHECK_SECONDS", 0)
    sites = zensical._Sites()
    first = sites.get(str(config))
    edited = docs / "plans" / "b" / "plan.yaml"
    edited.write_text("title: Plan b, edited\nstatus: Draft\n", encoding="utf-8")
    later = edited.stat().st_mtime + 10
    os.utime(edited, (later, later))
    second = sites.get(str(config))
    assert second is not first
    before = {plan.source.src_uri: plan for plan in first.result.plans}
    after = {plan.source.src_uri: plan for plan in second.result.plans}
    assert after["plans/a/plan.yaml"] is before["plans/a/plan.yaml"]  # kept, not parsed again
    assert after["plans/b/plan.yaml"].title == "Plan b, edited"
