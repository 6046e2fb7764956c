"""The files the plugin adds beside the plan pages: the index page, `plans.json`, `feed.xml` and
each plan's `status.svg`. None of them ever takes the place of a file the site already has.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from mkdocs_techplan.format.problems import START, Problem
from mkdocs_techplan.format.statuses import Statuses
from mkdocs_techplan.render.badges import badge_svg
from mkdocs_techplan.render.exports import ExportContext, atom_feed, plans_json
from mkdocs_techplan.render.listings import Listings
from mkdocs_techplan.render.renderer import front_matter_text
from mkdocs_techplan.site.catalog import display_path
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


def publish(
    site: PlanSite,
    files: Files,
    config: MkDocsConfig,
    options: OutputOptions,
    statuses: Statuses,
    listings: Listings,
) -> Published:
    """Add the generated files of this build to `files`."""
    generated = GeneratedFiles(files, config)
    published = Published()
    for item in site.placed:
        _add_badge(item, generated, statuses, published)

    index_file = _add_index(site, generated, options, listings, published)
    folder = posixpath.dirname(options.index_path)
    site_url = config.site_url or None
    context = ExportContext(
        url_of=lambda src_uri: _url_of(files, src_uri),
        site_url=site_url,
        index_url=index_file.url if index_file else None,
        badge_uri=lambda item: published.badges.get(item.plan.source.src_uri),
        statuses=[status.name for status in statuses],
    )
    if options.plans_json:
        path = posixpath.join(folder, "plans.json")
        content = plans_json(listings.ordered, context)
        _add_export(generated, path, content, "plans_json: false", published)
    if options.feed:
        path = posixpath.join(folder, "feed.xml")
        if site_url is None:
            published.infos.append(
                f"`{path}` is not written: an Atom feed needs absolute links, so set `site_url` "
                "in mkdocs.yml (or `feed: false` to silence this)"
            )
        else:
            url = File(path, None, config.site_dir, config.use_directory_urls).url
            content = atom_feed(
                listings.ordered,
                context,
                site_url=site_url,
                feed_url=url,
                title=f"{config.site_name}: {options.index_title}",
                author=config.site_author or config.site_name,
            )
            _add_export(generated, path, content, "feed: false", published)
    return published


def index_page(listings: Listings, path: str, title: str) -> str:
    """The generated index page: front matter, heading and the full listing."""
    meta = {"title": title, "render_macros": False}  # no second Jinja pass by mkdocs-macros
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
        return generated.add(path, index_page(listings, path, options.index_title))
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
    occupant = generated.occupant(path)
    assert occupant is not None
    published.warnings.append(
        str(
            Problem(
                item.plan.source.display_path,
                START,
                f"the plan's status badge `{path}` is not written: {describe(occupant)} is "
                "already there; rename or remove that file",
            )
        )
    )


def _add_export(
    generated: GeneratedFiles, path: str, content: str, switch: str, published: Published
) -> None:
    if generated.add(path, content):
        return
    occupant = generated.occupant(path)
    assert occupant is not None
    published.warnings.append(
        f"`{path}` is not written: {describe(occupant)} is already there; rename or remove that "
        f"file, or set `{switch}`"
    )


def _url_of(files: Files, src_uri: str) -> str | None:
    file = files.get_file_from_path(src_uri)
    return file.url if file is not None else None


class GeneratedFiles:
    """Adds files to `files` unless their source path or output path is taken."""

    def __init__(self, files: Files, config: MkDocsConfig) -> None:
        self.files = files
        self.config = config
        self._by_dest = {file.dest_uri: file for file in files}

    def occupant(self, src_uri: str) -> File | None:
        """The file already at `src_uri`, or already published where it would be."""
        existing = self.files.get_file_from_path(src_uri)
        if existing is not None:
            return existing
        probe = File(src_uri, None, self.config.site_dir, self.config.use_directory_urls)
        return self._by_dest.get(probe.dest_uri)

    def add(self, src_uri: str, content: str) -> File | None:
        """The new file, or None when another file holds its place (see `occupant`)."""
        if self.occupant(src_uri) is not None:
            return None
        file = File.generated(self.config, src_uri, content=content)
        self.files.append(file)
        self._by_dest[file.dest_uri] = file
        return file


def describe(file: File) -> str:
    """How a message names a file: its path on disk, or which plugin generated it."""
    if file.abs_src_path and file.generated_by is None:
        return display_path(file.abs_src_path)
    if file.generated_by:
        return f"`{file.src_uri}` (generated by {file.generated_by})"
    return f"`{file.src_uri}`"
