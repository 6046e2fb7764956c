"""The `techplan` MkDocs plugin: wires MkDocs events to the modules that do the work."""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING, Literal

from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import InclusionLevel

from mkdocs_techplan.config import TechPlanConfig, definition_of, page_options
from mkdocs_techplan.format.loading import Limits
from mkdocs_techplan.format.problems import Problem, capped, terminal_safe
from mkdocs_techplan.format.site_format import site_keys
from mkdocs_techplan.format.statuses import status_styles
from mkdocs_techplan.languages import (
    LanguageBuild,
    i18n_plugin,
    language_build,
    language_files,
    mark_language,
)
from mkdocs_techplan.neighbours import (
    GitHistory,
    monorepo_sources,
    order_problems,
    reads_git_history,
)
from mkdocs_techplan.render.backlinks import Backlinks
from mkdocs_techplan.render.badges import status_css
from mkdocs_techplan.render.listings import Listings
from mkdocs_techplan.render.outputs import OutputOptions, Published, add_asset, publish
from mkdocs_techplan.render.previews import PartialRebuilds
from mkdocs_techplan.render.renderer import PlanRenderer
from mkdocs_techplan.render.safety import PlanHtml
from mkdocs_techplan.render.site_pages import render_site
from mkdocs_techplan.site.catalog import PlanCatalog, display_path, take_plan_files
from mkdocs_techplan.site.checks import check_site_plans
from mkdocs_techplan.site.page_files import PlanPageFile
from mkdocs_techplan.site.placement import PlanSite
from mkdocs_techplan.site.staleness import mark_stale

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)

STYLESHEET = "assets/techplan.css"
SCRIPT = "assets/techplan.js"


class TechPlanPlugin(BasePlugin[TechPlanConfig]):
    """Renders `plan.yaml` files as Technical Plan pages."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.catalog = PlanCatalog()
        self.site: PlanSite | None = None
        self.command: str | None = None
        self.rebuilds: PartialRebuilds | None = None
        # One key for the plugin's life (it never reaches the site): a page rebuilt by
        # `serve` comes out the same when its plan did not change.
        self.plan_html = PlanHtml()

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining on_startup keeps this instance across `mkdocs serve` rebuilds, and with it
        # the catalog's parsed plans; everything else is per build and reset in on_config.
        self.command = command
        if dirty:  # `--dirty`: MkDocs rebuilds modified pages only; say which those are
            self.rebuilds = PartialRebuilds(self._plugin_markdown)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.site = None
        self.definition = definition_of(self.config)  # the format with the site's own keys
        self.statuses = status_styles(self.config.statuses)
        index = self.config.index
        self.output_options = OutputOptions(
            index_enabled=index.enabled,
            index_path=index.path,
            index_title=index.title,
            plans_json=self.config.plans_json,
            feed=self.config.feed,
            site_keys=tuple(
                key for key in self.definition.keys if key.name in site_keys(self.definition)
            ),
        )
        self.renderer = PlanRenderer(
            template_file=self.config.template,
            allow_html=self.config.allow_html,
            markdown_extensions=config.markdown_extensions,  # code must not pull in snippets
            wrap=self.plan_html.wrap,
            definition=self.definition,
        )
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        if SCRIPT not in [str(script) for script in config.extra_javascript]:
            config.extra_javascript.append(SCRIPT)
        self.listings: Listings | None = None
        self.published = Published()
        self.backlinks = Backlinks()
        self.git_history: GitHistory | None = None
        self.i18n = i18n_plugin(config.plugins)
        for problem in order_problems(config.plugins, self):
            log.warning(terminal_safe(problem))
        return config

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
        language_files(files, build)
        return self._files(files, config, build)

    on_files = CombinedEvent(_on_files_first, _on_files_after_i18n)

    def _files(self, files: Files, config: MkDocsConfig, build: LanguageBuild | None) -> Files:
        prefix = build.prefix if build is not None else ""
        before = {id(file) for file in files}
        # The YAML sources leave `files` here (and pages written for Zensical).
        plan_files = monorepo_sources(
            config.plugins, take_plan_files(files, self.config.index.path)
        )
        limits = Limits(max_bytes=self.config.max_file_size)
        plans = self.catalog.load(plan_files, list(self.config.statuses), limits, self.definition)
        self.site = check_site_plans(
            plans,
            files,
            config,
            spec_id_key=self.config.spec_id_key,
            status_rules=self.config.status_rules,
            dest_prefix=prefix,
        )
        if self.config.staleness_check:
            for line in mark_stale(self.site, files, config.docs_dir):
                log.info(terminal_safe(line))
        if self.config.navigation == "index":  # built and searchable, listed by the index
            for item in self.site.placed:
                item.file.inclusion = InclusionLevel.NOT_IN_NAV
        rendered = render_site(self.site, self.renderer, self.statuses, page_options(self.config))
        self.backlinks, self.listings = rendered.backlinks, rendered.listings
        self.published = publish(
            self.site, files, config, self.output_options, self.statuses, self.listings, prefix
        )
        for message in self.published.warnings:
            log.warning(terminal_safe(message))
        for message in self.published.infos:
            log.info(terminal_safe(message))
        self._add_script(files, config)
        for problem in capped(self.site.problems):
            log.warning(str(problem))
        self._add_stylesheet(files, config)
        if build is not None:
            mark_language(files, build, [file for file in files if id(file) not in before])
        if reads_git_history(config.plugins):
            self.git_history = GitHistory(
                [item.plan.source.real_path for item in self.site.placed],
                self.config.index.path if self.config.index.enabled else None,
            )
        if self.rebuilds is not None:
            touched = {*self.backlinks.blocks, *filter(None, [self.published.user_index])}
            changed = self.rebuilds.mark(
                files,
                self.site.placed,
                in_navigation=self.config.navigation == "all",
                touched=touched,
            )
            log.debug("pages whose plans changed: %s", ", ".join(changed) or "none")
        return files

    # First: git-history plugins (dates, authors) read a plan page's source from here on.
    @event_priority(100)
    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
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
            log.warning(str(problem))
        if self.rebuilds is not None and result != markdown:
            self.rebuilds.remember(page.file)  # checked again at the next dirty rebuild
        return result

    def _page_markdown(self, file: File, markdown: str) -> tuple[str, list[Problem]]:
        """What the plugin makes of a page's Markdown: backlinks and index listings."""
        # Backlinks go into any page plans reference, hand-written or generated by a plugin.
        markdown = self.backlinks.insert(file.src_uri, markdown)
        if self.listings is None:
            return markdown, []
        return self.listings.fill_markers(
            markdown,
            file.src_uri,
            display_path(file.abs_src_path or file.src_uri),
            append=file.src_uri == self.published.user_index,
        )

    def _plugin_markdown(self, file: File, markdown: str) -> str:
        return self._page_markdown(file, markdown)[0]

    # First among `on_page_content` handlers: the HTML made from plan data is sanitized before
    # any other plugin (and search, in `on_page_context`) reads the page.
    @event_priority(100)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.git_history is not None:  # the index's dates are read (on_page_markdown)
            self.git_history.close(page.file, index=True)
        return self.plan_html.sanitize(html)

    # Every page has been read when the environment is made, and MkDocs is about to render
    # them all with the theme. A one-off build needs its plans no more: they are let go, so
    # the memory serves the pages (a site of a thousand plans holds tens of megabytes in them).
    # `serve` keeps them for the next rebuild.
    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        if self.command in ("build", "gh-deploy") and self.site is not None:
            for item in self.site.placed:
                if isinstance(item.file, PlanPageFile):
                    item.file.release()
            self.site = None
            self.listings = None
            self.backlinks = Backlinks()
            self.catalog = PlanCatalog()
        return env

    def _add_script(self, files: Files, config: MkDocsConfig) -> None:
        script = resources.files("mkdocs_techplan").joinpath(SCRIPT).read_text()
        if problem := add_asset(files, config, SCRIPT, script):
            log.warning(terminal_safe(problem))

    def _add_stylesheet(self, files: Files, config: MkDocsConfig) -> None:
        base = resources.files("mkdocs_techplan").joinpath(STYLESHEET).read_text()
        css = base + status_css(self.statuses.with_superseded())
        if problem := add_asset(files, config, STYLESHEET, css):
            log.warning(terminal_safe(problem))
