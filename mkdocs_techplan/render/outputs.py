"""The files the plugin adds beside the plan pages: the index page, `plans.json`, `feed.xml` and
each plan's `status.svg`. None of them ever takes the place of a file the site already has.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from mkdocs_techplan.format.definition import Key
from mkdocs_techplan.format.problems import START, Problem
from mkdocs_techplan.format.statuses import Statuses
from mkdocs_techplan.render.badges import badge_svg
from mkdocs_techplan.render.exports import ExportContext, atom_feed, plans_json
from mkdocs_techplan.render.graph import GraphStyle, relation_edges, site_graph
from mkdocs_techplan.render.listings import Listings
from mkdocs_techplan.render.renderer import front_matter_text
from mkdocs_techplan.site.catalog import display_path
from mkdocs_techplan.site.page_files import PlanPageFile, generated_file, in_folder
from mkdocs_techplan.site.placement import PlacedPlan, PlanSite

BADGE_NAME = "status.svg"


@dataclass
class Published:
    """What `publish` did that the rest of the build needs to know."""

    user_index: str | None = None
    """The `src_uri` of a hand-written page at the index path: the listing is added to it."""
    warnings: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)
    badges: dict[str, str] = field(default_factory=dict)
    """`status.svg` written, by the plan's `src_uri`."""


def badge_uri(page_uri: str) -> str:
    """`plans/auth/index.md` → `plans/auth/status.svg`; `plans/billing.md` →
    `plans/billing/status.svg`: beside the page's URL, one per plan even in a shared folder."""
    folder, name = posixpath.split(page_uri)
    stem = name.rsplit(".", 1)[0]
    if stem not in ("index", "README"):
        folder = posixpath.join(folder, stem)
    return posixpath.join(folder, BADGE_NAME)


@dataclass(frozen=True)
class OutputOptions:
    """What the site asks to be generated (the plugin's `index`, `plans_json`, `feed`)."""

    index_enabled: bool = True
    index_path: str = "plans/index.md"
    index_title: str = "Plans"
    plans_json: bool = True
    feed: bool = True
    graph: bool = True
    """Write the graph page of every relation (`graph.md` beside the index)."""
    site_keys: tuple[Key, ...] = ()
    """The site's own fields and sections, carried in `plans.json`."""


def publish(
    site: PlanSite,
    files: Files,
    config: MkDocsConfig,
    options: OutputOptions,
    statuses: Statuses,
    listings: Listings,
    dest_prefix: str = "",
) -> Published:
    """Add the generated files of this build to `files` (below `dest_prefix`, a language's
    folder in a multilingual site)."""
    generated = GeneratedFiles(files, config, dest_prefix)
    published = Published()
    for item in site.placed:
        _add_badge(item, generated, statuses, published)

    index_file = _add_index(site, generated, options, listings, published)
    folder = posixpath.dirname(options.index_path)
    # Joined as MkDocs joins canonical URLs: a `site_url` set without a trailing slash (mike
    # sets `https://docs.example.com/1.0` for a version) is a folder, not a file to replace.
    site_url = config.site_url or None
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    context = ExportContext(
        url_of=lambda src_uri: _url_of(files, src_uri),
        site_url=site_url,
        index_url=index_file.url if index_file else None,
        badge_uri=lambda item: published.badges.get(item.plan.source.src_uri),
        statuses=[status.name for status in statuses],
        superseded_status=statuses.superseded.name,
        site_keys=options.site_keys,
    )
    if options.graph:
        _add_graph(site, generated, posixpath.join(folder, "graph.md"), statuses, published)
    if options.plans_json:
        path = posixpath.join(folder, "plans.json")
        _add_export(
            generated,
            path,
            lambda: plans_json(listings.ordered, context),
            "plans_json: false",
            published,
        )
    if options.feed:
        path = posixpath.join(folder, "feed.xml")
        if site_url is None:
            published.infos.append(
                f"`{path}` is not written: an Atom feed needs absolute links, so set `site_url` "
                "in mkdocs.yml (or `feed: false` to silence this)"
            )
        else:
            url = generated.url(path)
            title = f"{config.site_name}: {options.index_title}"
            author = config.site_author or config.site_name

            def feed() -> str:
                return atom_feed(
                    listings.ordered,
                    context,
                    site_url=site_url or "",
                    feed_url=url,
                    title=title,
                    author=author,
                )

            _add_export(generated, path, feed, "feed: false", published)
    return published


def index_page(listings: Listings, path: str, title: str) -> str:
    """The generated index page: front matter, heading and the full listing."""
    # No second Jinja pass by mkdocs-macros; Material hides its table of contents (the page
    # has no sections), which leaves the table the width the contents column had taken.
    # The title is HTML-escaped as a plan page's is: themes write it into the navigation and
    # `<title>` as HTML.
    meta = {"title": html.escape(title), "render_macros": False, "hide": ["toc"]}
    return front_matter_text(meta) + listings.render(path, title=title)


def _add_index(
    site: PlanSite,
    generated: GeneratedFiles,
    options: OutputOptions,
    listings: Listings,
    published: Published,
) -> File | None:
    if not options.index_enabled:
        return None
    path = options.index_path
    occupant = generated.occupant(path)
    if occupant is None:
        return generated.add(path, lambda: index_page(listings, path, options.index_title))
    if occupant.is_documentation_page() and occupant.generated_by is None:
        published.user_index = occupant.src_uri  # the author's words stay; the listing joins
        return occupant
    plan = next((item for item in site.placed if item.file is occupant), None)
    if plan is not None:
        published.warnings.append(
            str(
                Problem(
                    plan.plan.source.display_path,
                    START,
                    f"this plan becomes the page `{plan.plan.source.page_uri}`, where the plans "
                    "index goes, so the index is not generated; move the plan into a folder of "
                    "its own or set the `index.path` option",
                )
            )
        )
    else:
        published.warnings.append(
            f"the plans index is not generated: {describe(occupant)} is already published at "
            f"`{occupant.dest_uri}`; move that file or set the `index.path` option"
        )
    return None


GRAPH_TITLE = "Plan relations"


def _add_graph(
    site: PlanSite, generated: GeneratedFiles, path: str, statuses: Statuses, published: Published
) -> None:
    """The page of every relation of the site, beside the index (`plans/graph/`)."""
    occupant = generated.occupant(path)
    if occupant is not None:
        published.warnings.append(
            f"the relations graph is not generated: {describe(occupant)} is "
            f"already at `{path}`; move that file or set `graph: false`"
        )
        return
    url = generated.url(path)
    style = GraphStyle(statuses, lambda item: item.file.url)

    def page() -> str:
        meta = {"title": GRAPH_TITLE, "render_macros": False, "hide": ["toc"]}
        drawing = site_graph(site.placed, relation_edges(site.placed), style, url)
        intro = (
            "Each plan points at the plans it depends on, extends or supersedes, which stand "
            "to its left; related plans are joined by a plain line. Every group of related "
            "plans is drawn on its own; select a plan to open it."
        )
        return front_matter_text(meta) + f"# {GRAPH_TITLE}\n\n{intro}\n\n{drawing}\n"

    generated.add(path, page)


def _add_badge(
    item: PlacedPlan,
    generated: GeneratedFiles,
    statuses: Statuses,
    published: Published,
) -> None:
    path = badge_uri(item.plan.source.page_uri)
    if generated.add(path, badge_svg(statuses.of(item.plan.status))):
        published.badges[item.plan.source.src_uri] = path
        return
    published.warnings.append(
        str(
            Problem(
                item.plan.source.display_path,
                START,
                f"the plan's status badge `{path}` is not written: {generated.in_the_way(path)}",
            )
        )
    )


def _add_export(
    generated: GeneratedFiles,
    path: str,
    content: str | Callable[[], str],
    switch: str,
    published: Published,
) -> None:
    if generated.add(path, content):
        return
    published.warnings.append(
        f"`{path}` is not written: {generated.in_the_way(path)}, or set `{switch}`"
    )


def add_asset(files: Files, config: MkDocsConfig, path: str, content: str) -> str | None:
    """Add one of the plugin's assets (stylesheet, script) unless the site has its own file
    of that name, which wins; a message when anything else is in its way."""
    generated = GeneratedFiles(files, config)
    if generated.add(path, content):
        return None
    occupant = generated.occupant(path)
    if occupant is not None and occupant.src_uri == path and occupant.generated_by is None:
        return None  # the site ships its own `assets/techplan.css`: documented, it wins
    return f"`{path}` is not written: {generated.in_the_way(path)}"


def _url_of(files: Files, src_uri: str) -> str | None:
    file = files.get_file_from_path(src_uri)
    return file.url if file is not None else None


class GeneratedFiles:
    """Adds files to `files` unless their source path or output path is taken.

    Taken means the same output path, or one that is a folder of the other's
    (`plans/feed.xml` as a file and `plans/feed.xml/index.html` as a page): writing both
    would fail halfway through the build.
    """

    def __init__(self, files: Files, config: MkDocsConfig, dest_prefix: str = "") -> None:
        self.files = files
        self.config = config
        self.dest_prefix = dest_prefix
        self._by_dest: dict[str, File] = {}
        self._by_folder: dict[str, File] = {}
        for file in files:
            self._index(file)

    def _index(self, file: File) -> None:
        self._by_dest.setdefault(file.dest_uri, file)
        folder = posixpath.dirname(file.dest_uri)
        while folder and folder not in self._by_folder:
            self._by_folder[folder] = file
            folder = posixpath.dirname(folder)

    def occupant(self, src_uri: str) -> File | None:
        """The file already at `src_uri`, or already published where it would be or in a
        folder of that name, or at a folder of its path."""
        existing = self.files.get_file_from_path(src_uri)
        if existing is not None:
            return existing
        dest = self._dest(src_uri)
        found = self._by_dest.get(dest) or self._by_folder.get(dest)
        folder = posixpath.dirname(dest)
        while found is None and folder:
            found = self._by_dest.get(folder)
            folder = posixpath.dirname(folder)
        return found

    def in_the_way(self, src_uri: str) -> str:
        """What holds the place of `src_uri`, and what to do, for a message."""
        occupant = self.occupant(src_uri)
        assert occupant is not None
        if occupant.dest_uri == self._dest(src_uri) or occupant.src_uri == src_uri:
            return f"{describe(occupant)} is already there; rename or remove that file"
        return (
            f"{describe(occupant)} is published at `{occupant.dest_uri}`, in its way; rename "
            "or move that file"
        )

    def _dest(self, src_uri: str) -> str:
        return self._placed(src_uri).dest_uri

    def url(self, src_uri: str) -> str:
        """The URL a file added at `src_uri` gets."""
        return self._placed(src_uri).url

    def _placed(self, src_uri: str) -> File:
        file = File(src_uri, None, self.config.site_dir, self.config.use_directory_urls)
        return in_folder(file, self.dest_prefix)

    def add(self, src_uri: str, content: str | Callable[[], str]) -> File | None:
        """The new file, or None when another file holds its place (see `occupant`)."""
        if self.occupant(src_uri) is not None:
            return None
        file = in_folder(generated_file(File, self.config, src_uri, content), self.dest_prefix)
        self.files.append(file)
        self._index(file)
        return file


def describe(file: File) -> str:
    """How a message names a file: its path on disk, or which plugin generated it."""
    if isinstance(file, PlanPageFile) and file.plan_file:
        return f"the page of the plan {file.plan_file}"
    if file.abs_src_path and file.generated_by is None:
        return display_path(file.abs_src_path)
    if file.generated_by:
        return f"`{file.src_uri}` (generated by {file.generated_by})"
    return f"`{file.src_uri}`"
