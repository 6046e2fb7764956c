"""The `techplan` MkDocs plugin: wires MkDocs events to the modules that do the work."""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files, InclusionLevel, file_sort_key
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from mkdocs_techplan.build.checking import command_catalog
from mkdocs_techplan.build.core import SCRIPT, STYLESHEET, BuildResult, MadePage, SiteBuild
from mkdocs_techplan.config import TechPlanConfig
from mkdocs_techplan.format.problems import terminal_safe
from mkdocs_techplan.plugin.git_history import GitHistory, reads_git_history
from mkdocs_techplan.plugin.i18n import (
    LanguageBuild,
    i18n_plugin,
    language_build,
    language_files,
    mark_language,
)
from mkdocs_techplan.plugin.monorepo import monorepo_sources
from mkdocs_techplan.plugin.plugin_order import order_problems
from mkdocs_techplan.plugin.serve import PartialRebuilds
from mkdocs_techplan.render.safety import ConvertedCells, PlanHtml
from mkdocs_techplan.site.catalog import PlanCatalog
from mkdocs_techplan.site.forked import MadeAhead, collector_paused
from mkdocs_techplan.site.page_files import PlanPageFile

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File

    from mkdocs_techplan.format.problems import Problem

log = get_plugin_logger("mkdocs_techplan.plugin")  # the name users filter on
_LISTED_WARNINGS = 20  # in the message that fails `build -q --strict`


class TechPlanPlugin(BasePlugin[TechPlanConfig]):
    """Renders `plan.yaml` files as Technical Plan pages."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.catalog = PlanCatalog()
        self.result: BuildResult | None = None
        self.command: str | None = None
        self.warnings: list[str] = []
        """This build's warnings (MkDocs' `--strict` does not see them under `--quiet`)."""
        self.rebuilds: PartialRebuilds | None = None
        self.ahead: MadeAhead[MadePage] | bool | None = None
        """The process rendering plan pages ahead of MkDocs in a one-off build (False: the
        build renders them itself; None: not decided yet)."""
        # One key for the plugin's life (it never reaches the site): a page rebuilt by
        # `serve` comes out the same when its plan did not change.
        self.plan_html = PlanHtml()

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining on_startup keeps this instance across `mkdocs serve` rebuilds, and with it
        # the catalog's parsed plans; everything else is per build and reset in on_config.
        self.command = command
        self.catalog = PlanCatalog()
        if dirty:  # `--dirty`: MkDocs rebuilds modified pages only; say which those are
            self.rebuilds = PartialRebuilds(self._plugin_markdown)
            self.plan_html.converted = ConvertedCells()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.command in ("build", "gh-deploy"):
            # A one-off build parses its plans on every processor, as `validate` does;
            # `serve` forks no process (its server's threads are running, and it parses only
            # what changed after its first build): a helper started fresh takes part of a
            # long list. `processes: 1` keeps all the work in this process.
            self.catalog.workers = command_catalog(self.config.processes).workers
        self.catalog.helper = self.command == "serve" and self.config.processes != 1
        self.result = None
        self.build = SiteBuild(self.config, config, plan_html=self.plan_html)
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        if SCRIPT not in [str(script) for script in config.extra_javascript]:
            config.extra_javascript.append(SCRIPT)
        self.git_history: GitHistory | None = None
        self.i18n = i18n_plugin(config.plugins)
        self.warnings = []
        for problem in order_problems(config.plugins, self):
            self._warn(terminal_safe(problem))
        return config

    def _warn(self, text: str) -> None:
        """A problem, counted for `--strict` even where `--quiet` hides it: MkDocs counts only
        the warnings its log level lets through, so `build -q --strict` passed with them."""
        self.warnings.append(text)
        log.warning(text)

    # Before the plugins at the default priority, whatever the order of `plugins`: those that
    # take stock of the pages in on_files (mkdocs-redirects checks its targets against them,
    # navigation plugins order them) then see the plan pages. Plans never depend on pages
    # other plugins generate, and spec pages are written by hand.
    @event_priority(50)
    def _on_files_first(self, files: Files, *, config: MkDocsConfig) -> Files:
        return files if self.i18n is not None else self._files(files, config, None)

    # With mkdocs-static-i18n: right after it (-100) has chosen this language's files.
    @event_priority(-101)
    def _on_files_after_i18n(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.i18n is None:
            return files
        build = language_build(self.i18n)
        for problem in language_files(files, build):
            self._warn(terminal_safe(problem))
        return self._files(files, config, build)

    on_files = CombinedEvent(_on_files_first, _on_files_after_i18n)

    def _files(self, files: Files, config: MkDocsConfig, build: LanguageBuild | None) -> Files:
        before = {id(file) for file in files}
        one_off = self.command in ("build", "gh-deploy")
        with collector_paused() if one_off else contextlib.nullcontext():
            self.result = result = self.build.run(
                files,
                self.catalog,
                sources=lambda plan_files: monorepo_sources(config.plugins, plan_files),
                dest_prefix=build.prefix if build is not None else "",
            )
        if one_off:
            # The site's plans (a hundred thousand objects at 1,000 plans) stay until the
            # pages are read: out of the collector's sight, its full collections meanwhile do
            # not walk them again (about 0.1 s each, right after they arrived). `on_env`,
            # which lets go of them, hands them back.
            gc.freeze()
        for message in result.build_messages():
            (self._warn if message.level == "warning" else log.info)(message.text)
        if build is not None:
            mark_language(files, build, [file for file in files if id(file) not in before])
        if reads_git_history(config.plugins):
            self.git_history = GitHistory(
                [item.plan.source.real_path for item in result.site.placed],
                self.config.index.path if self.config.index.enabled else None,
            )
        if self.rebuilds is not None:
            touched = {*result.backlinks.blocks, *filter(None, [result.published.user_index])}
            changed = self.rebuilds.mark(
                files,
                result.site.placed,
                in_navigation=self.config.navigation == "all",
                touched=touched,
            )
            log.debug("pages whose plans changed: %s", ", ".join(changed) or "none")
            if self.plan_html.converted is not None:
                # What a listing cell's HTML depends on beyond its page: the pages its links
                # may point to, and how Markdown is converted.
                self.plan_html.converted.site(
                    (
                        tuple(sorted(file.src_uri for file in files)),
                        config.use_directory_urls,
                        repr(config.markdown_extensions),
                        repr(config.mdx_configs),
                    )
                )
        # In MkDocs' own order, as if the plugin's pages were files in the docs: MkDocs reads
        # the pages in this order, and the index (a thousand rows at 1,000 plans) is read
        # among the first, so what its conversion used serves the pages after it. Appended
        # last, it raised a build's peak memory by about 11 MiB.
        return Files(sorted(files, key=file_sort_key))

    # First: git-history plugins (dates, authors) read a plan page's source from here on.
    @event_priority(100)
    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        one_off = self.command in ("build", "gh-deploy")
        if one_off and self.result is not None and self.ahead is None:
            # MkDocs reads its first page: the files and their order are final.
            pages = files.documentation_pages(inclusion=InclusionLevel.is_included)
            convert = functools.partial(converted_page, self, config=config, files=files)
            self.ahead = (
                self.result.render_ahead(pages, self.catalog.workers, self.plan_html, convert)
                or False
            )
        if self.git_history is not None:
            self.git_history.open(page.file)
        return page

    # Last: the page is done; it is a generated page again for the rest of the build.
    @event_priority(-100)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.git_history is not None:
            self.git_history.close(page.file, index=False)
        return output

    # Default priority: every plan is known since on_files; backlinks and index listings are
    # in the page before other plugins (and search, in on_page_context) see it.
    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        result, problems = self._page_markdown(page.file, markdown)
        for problem in problems:
            self._warn(str(problem))
        if self.command in ("build", "gh-deploy") and self.result is not None:
            self.result.page_read(page.file.src_uri)  # `serve` keeps plans for its rebuilds
        if self.rebuilds is not None and result != markdown:
            self.rebuilds.remember(page.file)  # checked again at the next dirty rebuild
        # `--dirty`: the listings' cells converted at the last build are not converted again.
        return self.plan_html.reuse_cells(page.file.src_uri, result)

    def _page_markdown(self, file: File, markdown: str) -> tuple[str, list[Problem]]:
        """What the plugin makes of a page's Markdown: backlinks and index listings."""
        if self.result is None:
            return markdown, []
        return self.result.page_markdown(file.src_uri, markdown, file.abs_src_path or file.src_uri)

    def _plugin_markdown(self, file: File, markdown: str) -> str:
        return self._page_markdown(file, markdown)[0]

    # First among `on_page_content` handlers: the HTML made from plan data is sanitized before
    # any other plugin (and search, in `on_page_context`) reads the page.
    @event_priority(100)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.git_history is not None:  # the index's dates are read (on_page_markdown)
            self.git_history.close(page.file, index=True)
        return self.plan_html.sanitize(
            html, whole=isinstance(page.file, PlanPageFile), page=page.file.src_uri
        )

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        hidden = not log.isEnabledFor(logging.WARNING)  # `--quiet`
        if config.strict and hidden and self.warnings and self.command != "serve":
            listed = "\n".join(self.warnings[:_LISTED_WARNINGS])
            more = len(self.warnings) - _LISTED_WARNINGS
            raise Abort(
                f"Aborted with {len(self.warnings)} techplan warnings in strict mode "
                f"(--quiet hid them):\n{listed}" + (f"\n... and {more} more" if more > 0 else "")
            )

    def on_build_error(self, *, error: Exception) -> None:
        self._close_ahead()

    def on_shutdown(self) -> None:
        self._close_ahead()

    def _close_ahead(self) -> None:
        if isinstance(self.ahead, MadeAhead):
            self.ahead.close()
        self.ahead = None

    # Every page has been read when the environment is made, and MkDocs is about to render
    # them all with the theme. A one-off build needs its plans no more: they are let go, so
    # the memory serves the pages (a site of a thousand plans holds tens of megabytes in them),
    # and so are the HTML blocks, all back in their pages. `serve` keeps them for the next
    # rebuild.
    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        self._close_ahead()
        if self.command in ("build", "gh-deploy") and self.result is not None:
            for item in self.result.site.placed:
                if isinstance(item.file, PlanPageFile):
                    item.file.release()
            self.result = None
            self.catalog = PlanCatalog(workers=self.catalog.workers)
            self.plan_html.forget_blocks()
            gc.unfreeze()  # the plans are linked both ways: only the collector frees them
        return env


def converted_page(
    plugin: TechPlanPlugin, file: File, source: str, *, config: MkDocsConfig, files: Files
) -> str | None:
    """The HTML MkDocs makes of the plan page `file` whose source is `source`, if no other
    plugin changes its Markdown: what MkDocs' `Page.read_source` and `Page.render` do, with
    this plugin's own `on_page_markdown`. Run in the process that renders plan pages ahead
    of the build (`SiteBuild.render_ahead`), which says nothing: the build reports what a
    page's conversion finds when it converts the page itself. None when anything fails."""
    try:
        page = Page(None, file, config)
        markdown, page.meta = get_data(source)
        page.markdown = plugin._page_markdown(file, markdown)[0]
        with _silenced():
            page.render(config, files)
    except Exception:  # the build converts and sanitizes the page as ever
        return None
    return page.content


@contextlib.contextmanager
def _silenced() -> Iterator[None]:
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logging.disable(previous)
