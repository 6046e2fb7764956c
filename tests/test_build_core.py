"""One build core under every engine: the MkDocs plugin, the Zensical extension and every
command run `SiteBuild`, and a site's configuration is read without loading any plugin."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import without_plan_data_marks
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data

from mkdocs_techplan.build.site_config import SiteError, find_config, load_site
from mkdocs_techplan.cli.main import main
from mkdocs_techplan.markdown.carried_source import split_source
from mkdocs_techplan.render.safety import sanitize_html
from mkdocs_techplan.site.discovery import is_plan_file, page_uri_for

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "mkdocs_techplan"
EXAMPLE = ROOT / "example-site"

PIPELINE_STEPS = {"check_site_plans", "render_site", "publish", "take_plan_files"}
"""The steps of a build; only the core calls them."""


def _calls(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Name):
                names.add(function.id)
            elif isinstance(function, ast.Attribute):
                names.add(function.attr)
    return names


def test_only_the_core_runs_the_build_steps() -> None:
    callers = {
        str(path.relative_to(PACKAGE)): sorted(_calls(path) & PIPELINE_STEPS)
        for path in PACKAGE.rglob("*.py")
        if _calls(path) & PIPELINE_STEPS
    }
    assert callers == {
        "build/core.py": ["check_site_plans", "publish", "render_site", "take_plan_files"]
    }


def test_every_adapter_calls_the_core() -> None:
    for adapter in ["plugin/events.py", "zensical.py", "build/docs_folder.py"]:
        assert "SiteBuild" in _calls(PACKAGE / adapter) or "build_docs_folder" in _calls(
            PACKAGE / adapter
        ), adapter
    for command in ["cli/main.py", "cli/preview.py", "build/checking.py"]:
        called = _calls(PACKAGE / command)
        assert called & {"SiteBuild", "build_docs_folder", "check"}, command


def _example_copy(tmp_path: Path) -> Path:
    site = tmp_path / "example"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("screenshots", "site"))
    return site


def _built_plan_pages(config_file: Path) -> dict[str, str]:
    """The Markdown MkDocs converts for each plan page of a real build (front matter apart)."""
    config = load_config(str(config_file), site_dir=str(config_file.parent / "site"))
    seen: dict[str, str] = {}

    def capture(markdown: str, *, page: Any, **_: Any) -> str:
        if getattr(page.file, "plan_file", ""):
            # with its HTML blocks in place of the words standing for them until conversion
            seen[page.file.src_uri] = config.plugins["techplan"].plan_html.put_back(markdown)
        return markdown

    config.plugins.events["page_markdown"].insert(0, capture)
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return seen


def test_render_f_prints_the_page_the_build_makes_for_every_example_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _example_copy(tmp_path)
    monkeypatch.chdir(site)
    built = _built_plan_pages(site / "mkdocs.yml")
    plan_files = sorted(path for path in (site / "docs").rglob("*") if is_plan_file(path.name))
    assert len(built) == len(plan_files) >= 5
    runner = CliRunner()
    for plan_file in plan_files:
        result = runner.invoke(main, ["render", "-f", "mkdocs.yml", str(plan_file)])
        assert result.exit_code == 0, result.output
        body, _ = get_data(split_source(result.stdout)[0])
        page = page_uri_for(plan_file.relative_to(site / "docs").as_posix())
        # The build marks the page body as plan data for its sanitizer, blank lines around;
        # its HTML blocks are the sanitizer's serialization of the same HTML (`<path></path>`
        # for `<path/>`), so both sides are compared through it.
        built_body = without_plan_data_marks("\n\n" + built[page]).strip()
        assert sanitize_html(body.strip()) == sanitize_html(built_body), page


def test_a_site_listing_plugins_that_are_not_installed_loads(tmp_path: Path) -> None:
    """Zensical provides `rss`, `blog` and git dates itself: a `mkdocs.yml` naming them, and
    a theme that is not installed, still gives the plans' site."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        yaml.safe_dump(
            {
                "site_name": "Z",
                "theme": {"name": "no-such-theme"},
                "plugins": ["search", {"rss": {}}, "blog", {"techplan": {"feed": False}}],
            }
        ),
        encoding="utf-8",
    )
    site = load_site(str(tmp_path / "mkdocs.yml"))
    assert site.options.feed is False
    assert site.docs_dir == str(tmp_path / "docs")


def test_a_zensical_toml_site_takes_its_options_from_the_extension(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "zensical.toml").write_text(
        "[project]\n"
        'site_name = "Z"\n'
        'docs_dir = "content"\n'
        "use_directory_urls = false\n"
        "[project.markdown_extensions.toc]\n"
        "permalink = true\n"
        '[project.markdown_extensions."mkdocs_techplan.zensical"]\n'
        'navigation = "index"\n'
        '[project.markdown_extensions."mkdocs_techplan.zensical".statuses]\n'
        'Draft = "#999999"\n'
        'Done = "#00aa00"\n',
        encoding="utf-8",
    )
    site = load_site(str(tmp_path / "zensical.toml"))
    assert site.docs_dir == str(tmp_path / "content")
    assert site.config.use_directory_urls is False
    assert site.options.navigation == "index"
    assert list(site.options.statuses) == ["Draft", "Done"]
    assert find_config(str(tmp_path / "content")) == str(tmp_path / "zensical.toml")


def test_a_zensical_toml_without_the_extension_says_what_to_add(tmp_path: Path) -> None:
    (tmp_path / "zensical.toml").write_text('[project]\nsite_name = "Z"\n', encoding="utf-8")
    with pytest.raises(
        SiteError, match=r'\[project.markdown_extensions."mkdocs_techplan.zensical"\]'
    ):
        load_site(str(tmp_path / "zensical.toml"))


def test_properdocs_yml_is_a_site_configuration(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "properdocs.yml").write_text(
        "site_name: P\nplugins:\n  - techplan\n", encoding="utf-8"
    )
    assert find_config(str(tmp_path / "docs")) == str(tmp_path / "properdocs.yml")
    assert load_site(str(tmp_path / "properdocs.yml")).options.navigation == "all"


def test_mkdocs_reads_the_plugins_pages_in_its_own_order(tmp_path: Path) -> None:
    """The generated index is read where a file of it would be, among the first pages, not
    after every other: the memory its conversion took serves the pages read after it."""
    docs = tmp_path / "docs"
    for name in ("b", "a"):
        (docs / "plans" / name).mkdir(parents=True)
        (docs / "plans" / name / "plan.yaml").write_text(
            f"title: {name.upper()}\nstatus: Draft\n", encoding="utf-8"
        )
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "zebra.md").write_text("# Zebra\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        yaml.safe_dump({"site_name": "S", "plugins": ["techplan"]}), encoding="utf-8"
    )
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    read: list[str] = []

    def record(markdown: str, *, page: Any, **_: Any) -> str:
        read.append(page.file.src_uri)
        return markdown

    config.plugins.events["page_markdown"].insert(0, record)
    build(config)
    assert read == [
        "index.md",
        "zebra.md",
        "plans/index.md",
        "plans/graph.md",
        "plans/a/index.md",
        "plans/b/index.md",
    ]
