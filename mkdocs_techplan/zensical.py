"""The Zensical adapter: a Python-Markdown extension, as `plugin.py` is the MkDocs adapter.

Zensical runs the extensions listed in `markdown_extensions` but no MkDocs plugin, and cannot
add pages. So `mkdocs-techplan pages` writes each plan's page into the docs folder (marked as
generated), and this extension, while Zensical converts each page:

- sanitizes what comes from plan data (a generated page whole; listings and backlinks), as the
  plugin does in `on_page_content`;
- adds "Implementation plans" / "Superseded by" backlinks to the pages plans reference, and
  fills `<!-- techplan:index -->` markers, from the same core the plugin uses;
- logs every problem of the site's plans once, and says when plans have no page yet.

    markdown_extensions:
      - mkdocs_techplan.zensical            # or with `config_file: path/to/mkdocs.yml`

The site (plans, references, pages) is read once, and again when `mkdocs.yml` or a plan file
changes (`zensical serve`).
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from mkdocs_techplan.cli.checking import SiteError, load_site
from mkdocs_techplan.cli.pages import site_pages
from mkdocs_techplan.format.problems import capped, terminal_safe
from mkdocs_techplan.render.backlinks import Backlinks
from mkdocs_techplan.render.listings import Listings
from mkdocs_techplan.render.safety import PlanHtml
from mkdocs_techplan.site.catalog import display_path
from mkdocs_techplan.site.discovery import is_plan_file
from mkdocs_techplan.site.generated_pages import is_generated_text

log = logging.getLogger("mkdocs_techplan")


@dataclass
class _SiteState:
    signature: tuple[Any, ...]
    backlinks: Backlinks
    listings: Listings
    plan_html: PlanHtml
    docs_dir: str


class _Sites:
    """The site of each configuration file, rebuilt when its files change."""

    def __init__(self) -> None:
        self._states: dict[str, _SiteState] = {}
        self._lock = threading.Lock()

    def get(self, config_file: str) -> _SiteState | None:
        with self._lock:
            signature = _signature(config_file, self._states.get(config_file))
            state = self._states.get(config_file)
            if state is not None and state.signature == signature:
                return state
            try:
                site = load_site(config_file)
            except SiteError as error:
                log.warning(terminal_safe(f"techplan: {error}"))
                return None
            pages = site_pages(site, wrap=True)
            for problem in capped(pages.problems):
                log.warning(str(problem))
            missing = [
                item.file.src_uri
                for item in pages.site.placed
                if not os.path.exists(os.path.join(site.docs_dir, item.file.src_uri))
            ]
            if missing:
                log.warning(
                    f"techplan: {len(missing)} plan(s) have no page in the docs folder "
                    f"({', '.join(missing[:3])}…): run `mkdocs-techplan pages -f {config_file}`"
                )
            state = _SiteState(
                _signature(config_file, None, docs_dir=site.docs_dir),
                pages.rendered.backlinks,
                pages.rendered.listings,
                pages.plan_html,
                site.docs_dir,
            )
            self._states[config_file] = state
            return state


def _signature(
    config_file: str, state: _SiteState | None, *, docs_dir: str | None = None
) -> tuple[Any, ...]:
    """What the site depends on: the configuration file and every plan file, by time."""
    folder = docs_dir or (state.docs_dir if state else None)
    stamps: list[tuple[str, int]] = [(config_file, _mtime(config_file))]
    if folder:
        for root, subfolders, names in os.walk(folder):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            stamps += [
                (os.path.join(root, name), _mtime(os.path.join(root, name)))
                for name in sorted(names)
                if is_plan_file(name)
            ]
    return tuple(stamps)


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


_SITES = _Sites()


class _PlanPages(Preprocessor):
    """Backlinks and listings into the page; a generated page marked whole as plan data."""

    def __init__(self, md: Markdown, extension: TechPlanExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        self.extension.current = None
        page = _zensical_page(self.md)
        if page is None:  # not Zensical (MkDocs, where the plugin does all this): nothing
            return lines
        state = _SITES.get(self.extension.getConfig("config_file"))
        if state is None:
            return lines
        self.extension.current = state
        text = "\n".join(lines)
        src_uri = _page_path(page, state.docs_dir)
        if is_generated_text(text):
            text = state.plan_html.wrap(text)
        elif src_uri is not None:
            text = state.backlinks.insert(src_uri, text)
        display = display_path(os.path.join(state.docs_dir, src_uri or "page.md"))
        text, problems = state.listings.fill_markers(text, src_uri or "index.md", display)
        for problem in problems:
            log.warning(str(problem))
        return text.split("\n")


class _Sanitize(Postprocessor):
    """The plan data in the page's HTML, sanitized as the MkDocs plugin does."""

    def __init__(self, md: Markdown, extension: TechPlanExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        state = self.extension.current
        return state.plan_html.sanitize(text) if state is not None else text


def _zensical_page(md: Markdown) -> Any | None:
    """The page Zensical is converting (its rendering context), or None elsewhere."""
    try:
        from zensical.extensions.context import ContextPreprocessor
    except ImportError:
        return None
    context = ContextPreprocessor.from_markdown(md)
    return getattr(context, "page", None)


def _page_path(page: Any, docs_dir: str) -> str | None:
    """The page's source path relative to `docs_dir` (`specs/auth.md`)."""
    path = getattr(page, "path", None)
    if not isinstance(path, str) or not path:
        return None
    if os.path.isabs(path):
        path = os.path.relpath(path, docs_dir)
    return path.replace(os.sep, "/")


class TechPlanExtension(Extension):
    """Plans on Zensical: backlinks, listings and sanitized plan pages."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "config_file": ["mkdocs.yml", "The site's mkdocs.yml, with the techplan options"],
        }
        self.current: _SiteState | None = None
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # Python-Markdown's name
        # Before the HTML-block stash (priority 20): the listings are Markdown tables.
        md.preprocessors.register(_PlanPages(md, self), "techplan", 40)
        # After raw HTML is put back (30) and before anything else reads the page.
        md.postprocessors.register(_Sanitize(md, self), "techplan_sanitize", 25)


def makeExtension(**kwargs: Any) -> TechPlanExtension:  # Python-Markdown's name
    return TechPlanExtension(**kwargs)
