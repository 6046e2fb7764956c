"""`mkdocs-techplan pages`: the plan pages, the index and the assets as files in the docs
folder, for engines that build only the pages they find there (Zensical).

Each page is what the MkDocs plugin makes in a build (`render_site`, the same templates and
options), with the generated line (`site/generated_pages.py`) first in its body. A file is
written only where there is none or where one the tool wrote is; pages the tool wrote for
plans that are gone are removed. `check` says what writing would change, and changes nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources

from mkdocs_techplan.cli.checking import Settings, Site, check_site
from mkdocs_techplan.config import page_options
from mkdocs_techplan.format.problems import Problem
from mkdocs_techplan.format.statuses import status_styles
from mkdocs_techplan.render.badges import status_css
from mkdocs_techplan.render.outputs import index_page
from mkdocs_techplan.render.renderer import PlanRenderer
from mkdocs_techplan.render.safety import PlanHtml
from mkdocs_techplan.render.site_pages import RenderedSite, render_site
from mkdocs_techplan.site.generated_pages import is_generated_page, mark_generated
from mkdocs_techplan.site.placement import PlanSite

STYLESHEET = "assets/techplan.css"
SCRIPT = "assets/techplan.js"
ASSET_MARK = "/* techplan:generated: written by `mkdocs-techplan pages` */\n"
"""The first line of the assets the command writes (they are the tool's files too)."""


@dataclass
class SitePages:
    """A site's plans made into pages, outside any build."""

    site: PlanSite
    rendered: RenderedSite
    files: dict[str, str]
    """Path under `docs_dir` → the file's text: plan pages, the index, the assets."""
    plan_html: PlanHtml
    """The marks listings and backlinks are wrapped in (with `wrap`), to sanitize them."""
    problems: list[Problem] = field(default_factory=list)


def site_pages(site: Site, *, wrap: bool = False) -> SitePages:
    """Every page the site's plans make, as the MkDocs plugin makes them.

    `wrap`: mark listings and backlinks as plan data for a sanitizer (the Zensical extension
    does); the pages written to files are not marked, the extension sanitizes them whole."""
    options = site.options
    settings = Settings.of(site)
    placed = check_site(site).site
    assert placed is not None  # a site was checked
    plan_html = PlanHtml()
    renderer = PlanRenderer(
        template_file=options.template,
        allow_html=options.allow_html,
        markdown_extensions=site.config.markdown_extensions,
        wrap=plan_html.wrap if wrap else None,
        definition=settings.definition,
    )
    statuses = status_styles(options.statuses)
    rendered = render_site(placed, renderer, statuses, page_options(options))
    files: dict[str, str] = {}
    for item in placed.placed:
        render = getattr(item.file, "render", None)
        if render is not None:
            files[item.file.src_uri] = mark_generated(render())
    index = options.index
    index_file = os.path.join(site.docs_dir, index.path)
    if index.enabled and (not os.path.lexists(index_file) or is_generated_page(index_file)):
        files[index.path] = mark_generated(index_page(rendered.listings, index.path, index.title))
    css = resources.files("mkdocs_techplan").joinpath(STYLESHEET).read_text(encoding="utf-8")
    files[STYLESHEET] = ASSET_MARK + css + status_css(statuses.with_superseded())
    script = resources.files("mkdocs_techplan").joinpath(SCRIPT).read_text(encoding="utf-8")
    files[SCRIPT] = ASSET_MARK + script
    return SitePages(placed, rendered, files, plan_html, list(placed.problems))


@dataclass
class Changes:
    """What writing the pages changes (or would change) in the docs folder."""

    written: list[str] = field(default_factory=list)
    """New files, and files of the tool whose text changed."""
    removed: list[str] = field(default_factory=list)
    """Files of the tool for plans that are gone."""
    refused: list[str] = field(default_factory=list)
    """Files in the way that the tool did not write: never replaced."""

    @property
    def any(self) -> bool:
        return bool(self.written or self.removed or self.refused)


def sync_pages(docs_dir: str, files: dict[str, str], *, check: bool = False) -> Changes:
    """Write `files` under `docs_dir` and remove the tool's pages no plan makes any more;
    with `check`, only say what that would do."""
    changes = Changes()
    for path, text in sorted(files.items()):
        target = os.path.join(docs_dir, *path.split("/"))
        if os.path.lexists(target):
            if not _is_ours(target):
                changes.refused.append(path)
                continue
            with open(target, encoding="utf-8", errors="replace") as stream:
                if stream.read() == text:
                    continue
        changes.written.append(path)
        if not check:
            _write(target, text)
    for path in _our_pages(docs_dir):
        if path not in files:
            changes.removed.append(path)
            if not check:
                os.remove(os.path.join(docs_dir, *path.split("/")))
    return changes


def _is_ours(path: str) -> bool:
    if path.endswith((".css", ".js")):
        try:
            with open(path, encoding="utf-8", errors="replace") as stream:
                return stream.read(len(ASSET_MARK)) == ASSET_MARK
        except OSError:
            return False
    return is_generated_page(path)


def _our_pages(docs_dir: str) -> list[str]:
    """The pages under `docs_dir` the tool wrote, as paths relative to it."""
    found = []
    for folder, subfolders, names in os.walk(docs_dir):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in names:
            if name.endswith(".md") and is_generated_page(os.path.join(folder, name)):
                relative = os.path.relpath(os.path.join(folder, name), docs_dir)
                found.append(relative.replace(os.sep, "/"))
    return sorted(found)


def _write(target: str, text: str) -> None:
    """Write the whole file at once, never through a symbolic link."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    temporary = target + ".techplan-tmp"
    with open(temporary, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temporary, target)
