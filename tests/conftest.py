"""Helpers that build real MkDocs sites in temporary folders."""

from __future__ import annotations

import logging
import os
import re
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, BuildError
from mkdocs.theme import Theme

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# `mkdocs-techplan pages` keeps the plans it parsed in the user's cache folder: the tests, and
# every process they start, keep theirs in a folder of their own, removed at the end.
_CACHE_HOME = tempfile.TemporaryDirectory(prefix="techplan-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE_HOME.name


# Scheduling under pytest-xdist (`-n auto` in pyproject.toml): the browser tests share one
# Chromium and one build of the example site per theme, so they all go to one worker, which
# mostly waits on the browser; the other tests build sites and use the CPU. One worker more than
# there are cores keeps the cores busy while the browser worker waits. (xdist's own
# `--dist loadgroup` reads a node id that pytest 9 no longer lets it change.)


class _ThemeTemplates(jinja2.BytecodeCache):
    """The theme's templates compiled once per test process instead of once per build: the
    suite builds hundreds of sites, and compiling Material's templates cost more than building
    a small site. Keyed by template file and checked against its source, as Jinja does."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


def _theme_env_with_compiled_templates(
    get_env: Callable[[Theme], jinja2.Environment], cache: _ThemeTemplates
) -> Callable[[Theme], jinja2.Environment]:
    def env(theme: Theme) -> jinja2.Environment:
        environment = get_env(theme)
        environment.bytecode_cache = cache
        return environment

    return env


Theme.get_env = _theme_env_with_compiled_templates(Theme.get_env, _ThemeTemplates())  # type: ignore[method-assign]


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    return (os.cpu_count() or 1) + 1


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    from xdist.scheduler import LoadScopeScheduling

    class BrowserTestsTogether(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return "browser" if nodeid.startswith("tests/e2e/") else nodeid

    return BrowserTestsTogether(config, log)


REPO = Path(__file__).resolve().parent.parent
EXAMPLE_SITE = REPO / "example-site"
FULL_PLAN = Path(__file__).resolve().parent / "data" / "full-plan.yaml"


@dataclass
class BuildResult:
    """What a build produced: the site folder, the log and whether `--strict` failed it."""

    root: Path
    site_dir: Path
    messages: list[str] = field(default_factory=list)
    failed: bool = False
    config: Any = None
    """The loaded MkDocs config, plugins included, as the build left it."""

    def generated_markdown(self, page_src_uri: str, *, marks: bool = False) -> str:
        """The Markdown the plugin generated for a page, as MkDocs received it; without the
        build's plan-data marks (random per build), and with its HTML blocks in place of the
        words that stand for them until the page is converted, unless `marks`."""
        plugin = self.config.plugins["techplan"]
        for placed in plugin.result.site.placed:
            if placed.file.src_uri == page_src_uri:
                markdown = str(placed.file.content_string)
                if marks:
                    return markdown
                return without_plan_data_marks(plugin.plan_html.put_back(markdown))
        raise AssertionError(f"no generated page {page_src_uri}")

    @property
    def warnings(self) -> list[str]:
        return [m.split(" ", 1)[1] for m in self.messages if m.startswith("WARNING ")]

    @property
    def techplan_warnings(self) -> list[str]:
        prefix = "mkdocs_techplan: "
        return [w.removeprefix(prefix) for w in self.warnings if w.startswith(prefix)]

    def html(self, path: str) -> BeautifulSoup:
        """The parsed HTML of a built file, e.g. `plans/auth/index.html`."""
        return BeautifulSoup((self.site_dir / path).read_text(encoding="utf-8"), "html.parser")

    def content(self, path: str) -> BeautifulSoup:
        """The page's content area only (the same in both themes)."""
        soup = self.html(path)
        article = soup.select_one("article") or soup.select_one('[role="main"]')
        assert article is not None, f"no content area in {path}"
        return article


PLAN_DATA_MARK = re.compile(r"\n\n<!-- /?techplan-data [0-9a-f]+ -->\n\n")


def without_plan_data_marks(markdown: str) -> str:
    """`markdown` as it was before the build marked plan data for its sanitizer."""
    return PLAN_DATA_MARK.sub("", markdown)


class SiteBuilder:
    """Writes a docs tree and `mkdocs.yml` into a temporary folder and builds it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.docs = root / "docs"
        self.docs.mkdir(parents=True, exist_ok=True)
        (self.docs / "index.md").write_text("# Home\n", encoding="utf-8")

    def write(self, relative: str, text: str) -> Path:
        """Write a file under `docs/` (dedented)."""
        path = self.docs / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def write_plan(self, relative: str, data: dict[str, Any] | str) -> Path:
        text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
        return self.write(relative, text)

    def build(
        self,
        *,
        strict: bool = True,
        theme: str = "mkdocs",
        plugin_options: dict[str, Any] | None = None,
        theme_options: dict[str, Any] | None = None,
        **config: Any,
    ) -> BuildResult:
        options = plugin_options or {}
        settings: dict[str, Any] = {
            "site_name": "Test site",
            "theme": {"name": theme, **(theme_options or {})},
            "plugins": [{"techplan": options}] if options else ["techplan"],
            **config,
        }
        config_file = self.root / "mkdocs.yml"
        config_file.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
        result = BuildResult(self.root, self.root / "site")
        handler = _ListHandler(result.messages)
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        previous = os.getcwd()
        os.chdir(self.root)
        try:
            cfg = load_config(str(config_file), strict=strict, site_dir=str(self.root / "site"))
            result.config = cfg
            try:
                build(cfg)
            except (Abort, BuildError):
                result.failed = True
            if strict and VERDICT_CHECK and _only_techplan(settings["plugins"]):
                _same_verdict_as_validate(config_file, result)
        finally:
            os.chdir(previous)
            logger.removeHandler(handler)
        return result


def run_pages(config: Path, *more: str) -> Any:
    """`mkdocs-techplan pages -f config …`, run from the configuration's folder."""
    from click.testing import CliRunner

    from mkdocs_techplan.cli.main import main

    previous = os.getcwd()
    os.chdir(config.parent)
    try:
        return CliRunner().invoke(main, ["pages", "-f", str(config), *more])
    finally:
        os.chdir(previous)


VERDICT_CHECK = True
"""Whether every strict build is also judged by `validate` (tests that count work turn it off)."""


def _only_techplan(plugins: list[Any]) -> bool:
    """A site whose build `validate` can judge: no plugin that changes the files it builds."""
    names = [next(iter(plugin)) if isinstance(plugin, dict) else plugin for plugin in plugins]
    return set(names) <= {"techplan", "search"}


def _same_verdict_as_validate(config_file: Path, result: BuildResult) -> None:
    """Every strict build of the suite is also checked by `validate`'s core: it must fail
    exactly when the build failed on the plugin's warnings (issue "The first hour")."""
    from mkdocs_techplan.build.checking import check_site
    from mkdocs_techplan.build.site_config import SiteError, load_site

    try:
        site = load_site(str(config_file))
    except SiteError:
        assert result.failed, "validate refuses a configuration the build accepted"
        return
    verdict = check_site(site)
    validate_fails = bool(verdict.problems or verdict.messages)
    build_fails = bool(result.techplan_warnings)
    assert validate_fails == build_fails, (
        "validate and the strict build disagree",
        verdict.problems,
        verdict.messages,
        result.techplan_warnings,
    )


class _ListHandler(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.INFO:
            self.messages.append(f"{record.levelname} {record.getMessage()}")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[SiteBuilder]:
    # Each test starts as a fresh `mkdocs` process: MkDocs keeps the instances of plugins that
    # define `on_startup` (techplan does) for the life of the process, as `serve` needs; the
    # builds of one test share them, like the rebuilds of `serve`.
    MkDocsConfig.plugins.plugin_cache.clear()  # type: ignore[attr-defined]
    yield SiteBuilder(tmp_path / "project")


def full_plan_text() -> str:
    return FULL_PLAN.read_text(encoding="utf-8")
