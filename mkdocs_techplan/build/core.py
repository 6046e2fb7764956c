"""The build: a site's options and docs files in, its plan pages, outputs and problems out.

Every engine and command runs these steps through `SiteBuild`:

- the MkDocs plugin (`plugin/events.py`, in `on_files`), on the files MkDocs found;
- `mkdocs-techplan pages` and the Zensical extension, on the files of the docs folder;
- `mkdocs-techplan validate`, `list` and `render`, which keep what they need of the result.

So a plan page, the index, `plans.json`, `feed.xml` and each `status.svg` are the same
whichever engine builds the site, and every command reports what the build would.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Literal, NamedTuple

from mkdocs.structure.files import InclusionLevel

from mkdocs_techplan.config import (
    TechPlanConfig,
    definition_of,
    id_format_of,
    key_names_of,
    page_options,
    plan_file_rules,
)
from mkdocs_techplan.format.loading import Limits
from mkdocs_techplan.format.model import Plan
from mkdocs_techplan.format.problems import Problem, capped, terminal_safe
from mkdocs_techplan.format.site_format import site_keys
from mkdocs_techplan.format.statuses import Statuses, status_styles
from mkdocs_techplan.render.backlinks import Backlinks
from mkdocs_techplan.render.badges import status_css
from mkdocs_techplan.render.listings import Listings
from mkdocs_techplan.render.outputs import OutputOptions, Published, add_asset, publish
from mkdocs_techplan.render.renderer import PlanRenderer
from mkdocs_techplan.render.safety import PlanHtml
from mkdocs_techplan.render.site_pages import PlanPages, render_site
from mkdocs_techplan.site.catalog import PlanCatalog, PlanFile, display_path, take_plan_files
from mkdocs_techplan.site.checks import check_site_plans
from mkdocs_techplan.site.forked import MadeAhead, shares_out
from mkdocs_techplan.site.page_files import PlanPageFile
from mkdocs_techplan.site.placement import PlacedPlan, PlanSite
from mkdocs_techplan.site.plan_ids import check_id_format
from mkdocs_techplan.site.staleness import find_stale
from mkdocs_techplan.site.written_files import owned_files

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files

STYLESHEET = "assets/techplan.css"
SCRIPT = "assets/techplan.js"
MAX_LEFTOVERS = 20
"""Leftover written files named in the log; more would bury the rest."""

Level = Literal["warning", "info"]


@dataclass(frozen=True)
class Message:
    """A line for the build's log: warnings fail a strict build, infos do not."""

    level: Level
    text: str


@dataclass
class BuildResult:
    """Everything one build of a site's plans produces."""

    plans: list[Plan]
    """Every plan of the build, placed or not (its page path taken)."""
    site: PlanSite
    """The plans placed as pages, with their links and problems."""
    backlinks: Backlinks
    listings: Listings
    published: Published
    outputs: list[File] = field(default_factory=list)
    """The files the build added besides plan pages: the index, `plans.json`, `feed.xml`,
    each `status.svg`, the stylesheet and the script."""
    messages: list[Message] = field(default_factory=list)
    """What the build says besides the plans' problems: collisions of outputs, notes."""
    leftovers: list[str] = field(default_factory=list)
    """Files `mkdocs-techplan pages` wrote that no plan makes any more (left out of the
    build, and removed by the next `pages`)."""
    written: set[str] = field(default_factory=set)
    """The files under `docs_dir` that `mkdocs-techplan pages` wrote and nobody changed since
    (its manifest): the build makes them itself."""

    @property
    def problems(self) -> list[Problem]:
        """Every problem of the plans, sorted by file and position."""
        return self.site.problems

    def plan_pages(self) -> Iterator[tuple[str, str]]:
        """(src_uri, Markdown) of each plan page, rendered now."""
        for item in self.site.placed:
            if isinstance(item.file, PlanPageFile) and item.file.render is not None:
                yield item.file.src_uri, item.file.render()

    @functools.cached_property
    def pages_in_place(self) -> dict[str, PlanPageFile]:
        """The plan pages that are their own source (plans written in Markdown), by path. An
        engine that converts the docs folder itself (Zensical) renders these while it
        converts the file, once per page: they are found once per build."""
        return {
            item.file.src_uri: item.file
            for item in self.site.placed
            if item.is_own_page and isinstance(item.file, PlanPageFile)
        }

    def plan_page(self, src_uri: str) -> str | None:
        """The Markdown of the plan written in Markdown at `src_uri`, rendered now."""
        file = self.pages_in_place.get(src_uri)
        return file.render() if file is not None and file.render is not None else None

    def page_markdown(self, src_uri: str, markdown: str, path: str) -> tuple[str, list[Problem]]:
        """A page's Markdown with its backlinks and index listings (`path`: its file on disk,
        as messages name it). A plan page is left as it is: markers in it come from plan text,
        and what fills them must not go inside the plan's own sanitized region."""
        if src_uri in self.plan_page_paths:
            return markdown, []
        markdown = self.backlinks.insert(src_uri, markdown)
        return self.listings.fill_markers(
            markdown,
            src_uri,
            display_path(path),
            append=src_uri == self.published.user_index,
        )

    @functools.cached_property
    def plan_page_paths(self) -> frozenset[str]:
        return frozenset(self._placed_by_page)

    @functools.cached_property
    def _placed_by_page(self) -> dict[str, PlacedPlan]:
        return {item.file.src_uri: item for item in self.site.placed}

    def render_ahead(
        self,
        pages: Iterable[File],
        workers: int,
        plan_html: PlanHtml | None = None,
        convert: Callable[[File, str], str | None] | None = None,
    ) -> MadeAhead[MadePage] | None:
        """A one-off build of many plans renders its plan pages in a forked process, in the
        order MkDocs reads them (`pages`, its documentation pages in order), while MkDocs
        converts the pages read before; each page takes its Markdown from there when MkDocs
        reads it. Rendering was the largest part of the plugin's work in a build.

        With `plan_html` (the build's sanitizer), the process also sanitizes each page's own
        blocks and the build takes them sanitized (`PlanHtml.accept_sanitized`). With
        `convert` too (the HTML the engine will make of a page's Markdown, as it makes it),
        the process sanitizes that HTML, and the build, when the engine makes the same HTML,
        takes it sanitized (`PlanHtml.expect`).

        Returns the process, for the build to close once every page is read; None when a
        process does not pay (the pages render as MkDocs reads them)."""
        found = [
            (file, render)
            for file in pages
            if isinstance(file, PlanPageFile)
            and (render := file.render) is not None
            and file.src_uri in self._placed_by_page
        ]
        if not shares_out(len(found), workers):
            return None

        def make(index: int) -> MadePage:
            # The page's own blocks come sanitized too: 0.13 ms a page the build would spend
            # when MkDocs hands the page over.
            markdown = found[index][1]()
            return MadePage(markdown, plan_html.sanitized_blocks(markdown) if plan_html else {})

        def spare(index: int, made: MadePage) -> MadePage:
            # Converting a page (10 ms) to prove its HTML (0.4 ms of the build's own time),
            # only while the process is ahead: the build seldom waits for it.
            file = found[index][0]
            html = convert(file, made.markdown) if convert else None
            if html is None or plan_html is None or plan_html.converted is not None:
                return made  # (cells `serve --dirty` remembers are remembered in the build)
            return made._replace(html=html, done=plan_html.sanitized_page(html, file.src_uri))

        try:
            ahead = MadeAhead(len(found), make, spare=spare if convert and plan_html else None)
        except OSError:  # no process to be had (a limit on processes or files)
            return None
        for index, (file, render) in enumerate(found):
            file.render = functools.partial(_taken, ahead, index, render, plan_html, file)
        return ahead

    def page_read(self, src_uri: str) -> None:
        """A one-off build has read the plan page at `src_uri`: let go of what only that
        page needed, its renderer and the plan's page-only sections. The build holds each
        plan a page less long, instead of every plan until the last page is read."""
        item = self._placed_by_page.get(src_uri)
        if item is not None and isinstance(item.file, PlanPageFile):
            item.file.release()
            item.plan.drop_page_sections()

    def warnings(self) -> list[str]:
        """Every warning of the build but the plans' problems (they are `problems`)."""
        plan_problems = {str(problem) for problem in self.problems}
        return [
            message.text
            for message in self.build_messages()
            if message.level == "warning" and message.text not in plan_problems
        ]

    def build_messages(self) -> list[Message]:
        """What a build (MkDocs, Zensical) logs: the messages, the plans' problems (at most
        `MAX_PER_FILE` a file) and a warning per leftover."""
        problems = [Message("warning", str(problem)) for problem in capped(self.problems)]
        return (
            self.messages
            + problems
            + [
                Message(
                    "warning",
                    terminal_safe(
                        f"{display_path(path)}: written by `mkdocs-techplan pages` for a plan "
                        "that is gone, so it is left out of the site; run `mkdocs-techplan pages` "
                        "to remove it"
                    ),
                )
                for path in self.leftovers[:MAX_LEFTOVERS]
            ]
        )


class SiteBuild:
    """The build steps for one site, set up once per build (templates compiled once)."""

    def __init__(
        self,
        options: TechPlanConfig,
        config: MkDocsConfig,
        *,
        plan_html: PlanHtml | None = None,
    ) -> None:
        """`plan_html`: marks plan data in pages for a sanitizer of the converted HTML; the
        page Markdown of a build is marked, that of a command is not."""
        self.options = options
        self.config = config
        self.plan_html = plan_html
        self.definition = definition_of(options)
        self.statuses: Statuses = status_styles(options.statuses)
        self.limits = Limits(max_bytes=options.max_file_size)
        index = options.index
        self.output_options = OutputOptions(
            index_enabled=index.enabled,
            index_path=index.path,
            index_title=index.title,
            plans_json=options.plans_json,
            feed=options.feed,
            graph=options.graph,
            site_keys=tuple(
                key for key in self.definition.keys if key.name in site_keys(self.definition)
            ),
        )
        self.renderer = PlanRenderer(
            template_file=options.template,
            allow_html=options.allow_html,
            markdown_extensions=config.markdown_extensions,  # code must not pull in snippets
            wrap=plan_html.wrap if plan_html else None,
            defer=plan_html.defer if plan_html else None,
            defer_inline=plan_html.defer_inline if plan_html else None,
            definition=self.definition,
        )

    def run(
        self,
        files: Files,
        catalog: PlanCatalog | None = None,
        *,
        sources: Callable[[list[PlanFile]], list[PlanFile]] | None = None,
        dest_prefix: str = "",
        plan_pages: PlanPages = "all",
    ) -> BuildResult:
        """Take the plan files out of `files`, load and check them, add their pages and the
        outputs to `files`, and return what was made.

        `catalog` keeps parsed plans between builds (`mkdocs serve`); `sources` maps the plan
        files to where their authors keep them (monorepo); `dest_prefix` is a language's
        folder (`fr/`). `plan_pages`: which plan pages get their Markdown (`"all"`; `"own"`,
        the plans written in Markdown, when the others are written files an engine converts
        itself; `"none"`, when nothing reads a page, as in `validate`); the others' banners,
        graphs and timelines are not made."""
        options = self.options
        if self.plan_html is not None:
            self.plan_html.forget_blocks()
        written = owned_files(str(self.config.docs_dir))
        plan_files = take_plan_files(files, written, plan_file_rules(options))
        if sources is not None:
            plan_files = sources(plan_files)
        before = {id(file) for file in files}
        # The assets take their places first: every page links them, so a plan whose page
        # would be published where they go is the one refused, naming them.
        asset_messages = self._add_assets(files)
        plans = (catalog or PlanCatalog()).load(
            plan_files, list(options.statuses), self.limits, self.definition, key_names_of(options)
        )
        site = check_site_plans(
            plans,
            files,
            self.config,
            spec_id_key=options.spec_id_key,
            status_rules=options.status_rules,
            statuses=list(options.statuses),
            dest_prefix=dest_prefix,
        )
        check_id_format(site, id_format_of(options))
        messages: list[Message] = []
        stale = find_stale(site, files, self.config.docs_dir) if options.staleness_check else []
        messages += [Message("info", terminal_safe(found.log_line())) for found in stale]
        if options.navigation == "index":  # built and searchable, listed by the index
            for item in site.placed:
                item.file.inclusion = InclusionLevel.NOT_IN_NAV
        rendered = render_site(
            site,
            self.renderer,
            self.statuses,
            page_options(options),
            stale=stale,
            files=files,
            plan_pages=plan_pages,
        )
        published = publish(
            site,
            files,
            self.config,
            self.output_options,
            self.statuses,
            rendered.listings,
            dest_prefix,
        )
        messages += [Message("warning", terminal_safe(text)) for text in published.warnings]
        messages += [Message("info", terminal_safe(text)) for text in published.infos]
        messages += asset_messages
        outputs = [
            file for file in files if id(file) not in before and not isinstance(file, PlanPageFile)
        ]
        made = {file.src_uri for file in outputs} | {item.file.src_uri for item in site.placed}
        # Said once, by the build of the default language, not once per language.
        leftovers = sorted(written - made) if not dest_prefix else []
        docs_dir = str(self.config.docs_dir)
        return BuildResult(
            plans,
            site,
            rendered.backlinks,
            rendered.listings,
            published,
            outputs,
            messages,
            [os.path.join(docs_dir, *path.split("/")) for path in leftovers],
            written,
        )

    def _add_assets(self, files: Files) -> list[Message]:
        package = resources.files("mkdocs_techplan")
        css = package.joinpath(STYLESHEET).read_text(encoding="utf-8")
        assets = {
            SCRIPT: package.joinpath(SCRIPT).read_text(encoding="utf-8"),
            STYLESHEET: css + status_css(self.statuses.with_superseded()),
        }
        return [
            Message("warning", terminal_safe(problem))
            for path, text in assets.items()
            if (problem := add_asset(files, self.config, path, text))
        ]


class MadePage(NamedTuple):
    """A plan page made ahead of the build (`SiteBuild.render_ahead`)."""

    markdown: str
    blocks: dict[str, str]
    """Its deferred blocks, sanitized, by their words."""
    html: str | None = None
    """The HTML the engine was expected to make of `markdown`."""
    done: str = ""
    """What `PlanHtml.sanitize` makes of that HTML: sanitized, its blocks put back."""


def _taken(
    ahead: MadeAhead[MadePage],
    index: int,
    render: Callable[[], str],
    plan_html: PlanHtml | None,
    file: File,
) -> str:
    made = ahead.take(index)
    if made is None:
        return render()
    if plan_html is not None:
        plan_html.accept_sanitized(made.blocks)
        if made.html is not None:
            plan_html.expect(file.src_uri, made.html, made.done)
    return made.markdown
