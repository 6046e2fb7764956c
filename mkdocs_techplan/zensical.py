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

The configuration is the one Zensical builds (`-f`, or `zensical.toml`, `mkdocs.yml`,
`mkdocs.yaml` in its project folder); when it cannot be found the build stops with a message,
as pages would otherwise go unsanitized. The site goes through the build core once, and again
when the configuration, the manifest of written pages or a plan file changes (`zensical serve`).
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from mkdocs_techplan.build.core import BuildResult
from mkdocs_techplan.build.docs_folder import build_docs_folder
from mkdocs_techplan.build.site_config import SiteError, load_site
from mkdocs_techplan.format.problems import terminal_safe
from mkdocs_techplan.render.safety import PlanHtml
from mkdocs_techplan.site.catalog import PlanCatalog, display_path
from mkdocs_techplan.site.discovery import is_plan_file
from mkdocs_techplan.site.forked import collector_paused
from mkdocs_techplan.site.generated_pages import GENERATED_LINE
from mkdocs_techplan.site.plan_store import restore_plans
from mkdocs_techplan.site.written_files import MANIFEST

log = logging.getLogger("mkdocs_techplan")

ZENSICAL_CONFIG_NAMES = ("zensical.toml", "mkdocs.yml", "mkdocs.yaml")
"""The files `zensical build` looks for without `-f`, in its order."""


RECHECK_SECONDS = 1.0
"""How long a read of the site stands before its files are compared again."""
MAX_SHOWN = 50
"""Problems listed in the error that stops a strict build (all are logged above it)."""


class PlanProblems(Exception):
    """A strict Zensical build of a site whose plans have problems: stopped, as MkDocs does."""


def _one_build(arguments: list[str]) -> bool:
    """Whether Zensical runs `build` (not `serve`, which builds again as files change)."""
    return arguments[:1] == ["build"]


def _strict_build(arguments: list[str]) -> bool:
    """Whether Zensical runs `build --strict` (or `-s`)."""
    if not arguments or arguments[0] != "build":
        return False
    return any(
        argument == "--strict" or (argument.startswith("-") and not argument.startswith("--")
                                   and "s" in argument[1:])
        for argument in arguments[1:]
    )  # fmt: skip


class ConfigurationNotFound(Exception):
    """The extension cannot tell which configuration Zensical builds: it refuses to go on, as
    pages it cannot check would be published unsanitized."""


@dataclass
class _SiteState:
    signature: tuple[Any, ...]
    result: BuildResult
    plan_html: PlanHtml
    docs_dir: str
    written: set[str]
    """Files `mkdocs-techplan pages` wrote (its manifest): sanitized whole."""
    checked: float = 0.0
    """When the signature was last compared (`time.monotonic`)."""


class _Sites:
    """The site of each configuration file, built again when its files change."""

    def __init__(self) -> None:
        self._states: dict[str, _SiteState] = {}
        self._catalogs: dict[str, PlanCatalog] = {}
        """Each site's parsed plans, kept while their files do not change (`zensical serve`).
        Zensical converts pages beside its main thread, where a fork is not safe: a helper
        process started fresh parses from the other end of a long list."""
        self._lock = threading.Lock()

    def get(self, config_file: str) -> _SiteState:
        with self._lock:
            state = self._states.get(config_file)
            now = time.monotonic()
            one_build = _one_build(sys.argv[1:])
            # `zensical build` reads the site once: its files do not change while it runs.
            # Zensical converts every page through this extension: walking the docs folder
            # for each page made a build quadratic in its pages. The files are compared at
            # most once a second; `zensical serve` rebuilds after an edit, seconds later.
            if state is not None and (one_build or now - state.checked < RECHECK_SECONDS):
                return state
            if state is not None:
                signature = _signature(config_file, state.docs_dir)
                if state.signature == signature:
                    state.checked = now
                    return state
            # Reading the site makes a hundred thousand objects that stay (the parsed plans),
            # and nearly no garbage: the collector, run meanwhile, scanned them again and
            # again (restoring 300 parsed plans took 42 ms with it, 19 ms without).
            with collector_paused():
                state = self._read(config_file, one_build)
            self._states[config_file] = state
            if one_build:
                # The site's parsed plans stay until the build exits: moved out of the
                # collector's sight, they are not scanned again by each of its collections
                # (a tenth of what the extension added to a build of 300 plans).
                gc.freeze()
            return state

    def _read(self, config_file: str, one_build: bool) -> _SiteState:
        """The site of `config_file` through the build core, its problems logged."""
        try:
            site = load_site(config_file)
        except SiteError as error:
            raise ConfigurationNotFound(terminal_safe(f"techplan: {error}")) from None
        plan_html = PlanHtml()
        catalog = self._catalogs.get(config_file)
        if catalog is None:
            catalog = self._catalogs[config_file] = PlanCatalog()
            if site.cache_folder:  # what `mkdocs-techplan pages` parsed just before
                restore_plans(catalog, site.cache_folder, site.options_digest())
        catalog.helper = site.options.processes != 1  # 1: all the work in this process
        # Only the plans written in Markdown get their page's Markdown: the other plan
        # pages are files `pages` wrote, which Zensical converts itself.
        result = build_docs_folder(site, plan_html=plan_html, catalog=catalog, plan_pages="own")
        messages = result.build_messages()
        for message in messages:
            (log.warning if message.level == "warning" else log.info)(message.text)
        warnings = [message.text for message in messages if message.level == "warning"]
        if warnings and _strict_build(sys.argv[1:]):
            # Zensical (0.0.73, 0.1.2) does not fail `--strict` on an extension's warnings; an
            # error does stop the build, so a broken plan fails CI as under MkDocs.
            raise PlanProblems(
                f"techplan: {len(warnings)} problem(s) in the site's plans, and the build "
                "is strict:\n" + "\n".join(warnings[:MAX_SHOWN])
            )
        written = result.written
        in_place = result.pages_in_place
        missing = [
            item.file.src_uri
            for item in result.site.placed
            if item.file.src_uri not in written and item.file.src_uri not in in_place
        ]
        if missing:
            command = f"mkdocs-techplan pages -f {display_path(config_file)}"
            log.warning(
                f"techplan: {len(missing)} plan(s) have no page in the docs folder "
                f"({', '.join(missing[:3])}…): run `{command}`"
            )
        return _SiteState(
            # A one-off build never compares its files again: walking them would be wasted.
            () if one_build else _signature(config_file, site.docs_dir),
            result,
            plan_html,
            site.docs_dir,
            written,
            checked=time.monotonic(),
        )


def _signature(config_file: str, docs_dir: str | None) -> tuple[Any, ...]:
    """What the site depends on: the configuration file, the manifest and every plan file."""
    stamps: list[tuple[str, int]] = [(config_file, _mtime(config_file))]
    if docs_dir:
        stamps.append((MANIFEST, _mtime(os.path.join(docs_dir, MANIFEST))))
        for root, subfolders, names in os.walk(docs_dir):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            stamps += [
                (os.path.join(root, name), _mtime(os.path.join(root, name)))
                for name in sorted(names)
                # Markdown pages too: any may be a plan (`markdown_plans`), or a spec whose
                # front matter the backlinks read.
                if is_plan_file(name) or name.endswith(".md") or name == "kep.yaml"
            ]
    return tuple(stamps)


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


_SITES = _Sites()


def zensical_config_file(option: str | None, root_dir: str | None) -> str:
    """The configuration Zensical builds: the extension's `config_file` option, else the file
    given to `zensical build -f`, else the one Zensical finds in its project folder."""
    if option:  # relative to the project, as Zensical reads its own paths
        return os.path.abspath(os.path.join(root_dir or os.getcwd(), option))
    given = _config_argument(sys.argv[1:])
    if given:
        return os.path.abspath(given)
    folder = root_dir or os.getcwd()
    for name in ZENSICAL_CONFIG_NAMES:
        if os.path.isfile(os.path.join(folder, name)):
            return os.path.join(folder, name)
    raise ConfigurationNotFound(
        f"techplan: no {', '.join(ZENSICAL_CONFIG_NAMES)} in {folder}; give the site's "
        "configuration as the extension's `config_file` option"
    )


def _config_argument(arguments: list[str]) -> str | None:
    for number, argument in enumerate(arguments):
        if argument in ("-f", "--config-file") and number + 1 < len(arguments):
            return arguments[number + 1]
        if argument.startswith("--config-file="):
            return argument.split("=", 1)[1]
        if argument.startswith("-f") and len(argument) > 2:
            return argument[2:]
    return None


class _PlanPages(Preprocessor):
    """Backlinks and listings into the page; a page `pages` wrote marked whole as plan data."""

    def __init__(self, md: Markdown, extension: TechPlanExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        self.extension.current = None
        self.extension.whole = False
        page = _zensical_page(self.md)
        if page is None:  # not Zensical (MkDocs, where the plugin does all this): nothing
            return lines
        config_file = zensical_config_file(
            self.extension.getConfig("config_file") or None, _zensical_root()
        )
        state = _SITES.get(config_file)
        self.extension.current = state
        src_uri = _page_path(page, state.docs_dir)
        self.extension.whole = src_uri in state.written or src_uri in state.result.pages_in_place
        # A page sanitized whole needs no marks around its plan data: all of it is.
        if src_uri in state.written:
            # The line saying who wrote the page is a comment for its readers in the docs
            # folder; the sanitizer would drop it from the HTML, and with it there the page
            # would go through the whole sanitizer instead of its quick path.
            first = next((number for number, line in enumerate(lines) if line), len(lines))
            if first < len(lines) and lines[first] == GENERATED_LINE:
                return lines[first + 1 :]
            return lines
        text = "\n".join(lines)
        if src_uri in state.result.pages_in_place:
            # A plan written in Markdown: Zensical converts its file, which becomes the plan's
            # page (header, badge, the document, backlinks).
            text = state.result.plan_page(src_uri) or text
        else:
            path = os.path.join(state.docs_dir, src_uri or "page.md")
            text, problems = state.result.page_markdown(src_uri or "index.md", text, path)
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
        if state is None:
            return text
        return state.plan_html.sanitize(text, whole=self.extension.whole)


def _zensical_root() -> str | None:
    """The project folder of the configuration Zensical loaded."""
    try:
        from zensical.config import get_config
    except ImportError:
        return None
    try:
        root = get_config().get("root_dir")
    except (AttributeError, TypeError):
        return None
    return root if isinstance(root, str) else None


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
            "config_file": ["", "The site's configuration (default: the one Zensical builds)"],
        }
        self.current: _SiteState | None = None
        self.whole = False
        """Whether the page being converted is a plan's own page (sanitized whole)."""
        # In a zensical.toml the techplan options are this extension's configuration; they
        # are read from the file by the build core, not from here.
        super().__init__(config_file=kwargs.get("config_file", ""))

    def extendMarkdown(self, md: Markdown) -> None:  # Python-Markdown's name
        # Before the HTML-block stash (priority 20): the listings are Markdown tables.
        md.preprocessors.register(_PlanPages(md, self), "techplan", 40)
        # After raw HTML is put back (30) and before anything else reads the page.
        md.postprocessors.register(_Sanitize(md, self), "techplan_sanitize", 25)


def makeExtension(**kwargs: Any) -> TechPlanExtension:  # Python-Markdown's name
    return TechPlanExtension(**kwargs)
