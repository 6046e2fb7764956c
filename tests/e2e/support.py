"""Building, serving and browsing the example site; shared by the e2e tests and the screenshots.

Nothing here depends on pytest, so `python -m tests.e2e.screenshots` can use it too.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Playwright, Route

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_SITE = REPO / "example-site"

CHROMIUM_ARGS = [
    # Debian's Chromium run as root in a container, on a machine without a network: without
    # the background-networking flags it keeps trying to reach Google's services.
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

THEMES: dict[str, str] = {
    # name → the example site's configuration file
    "material": "mkdocs.yml",
    # MkDocs' own theme, `auto` light or dark as the browser prefers (Material's tags plugin,
    # which needs the Material theme, turned off); it INHERITs everything else.
    "mkdocs": "mkdocs-theme.yml",
}
"""The example site as published (Material) and with MkDocs' own theme."""


def chromium_executable() -> str | None:
    """Debian's Chromium (`apt-get install chromium`), or `TECHPLAN_CHROMIUM` when set."""
    configured = os.environ.get("TECHPLAN_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    for candidate in ("chromium", "chromium-browser"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


class BuildFailed(Exception):
    """The example site did not build strictly; the message lists MkDocs' warnings."""


def build_example_site(site_dir: Path, theme: str = "material", site_url: str = "") -> Path:
    """Build the example site strictly into `site_dir` with one of `THEMES`; `site_url`, when
    given, replaces the example's own (where the site is served)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, BuildError

    messages: list[str] = []
    handler = _Collect(messages)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    previous = os.getcwd()
    try:
        os.chdir(EXAMPLE_SITE)
        overrides = {"site_url": site_url} if site_url else {}
        config = load_config(
            str(EXAMPLE_SITE / THEMES[theme]), strict=True, site_dir=str(site_dir), **overrides
        )
        build(config)
    except (Abort, BuildError) as error:
        raise BuildFailed(f"{error}: " + "\n".join(messages)) from None
    finally:
        os.chdir(previous)
        logger.removeHandler(handler)
    return site_dir


class _Collect(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # the tests report what matters; a line per request would drown it


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that navigates on while a file is sent hangs up (reset, broken pipe):
        # nothing the tests check, and the server's report of it would clutter their output.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class StaticServer:
    """Serves a folder on 127.0.0.1 at a free port, from a thread, while in a `with` block.

    The port is taken when the server is made, before the site is built, so that the site can
    be built with `site_url` set to this server as `mkdocs serve` does: Material's instant
    navigation only intercepts links to the host and port of the sitemap's URLs.
    """

    def __init__(self, directory: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self._server = _Server(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> StaticServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


@contextmanager
def serve_example_site(site_dir: Path, theme: str = "material") -> Iterator[str]:
    """Build the example site with `theme` into `site_dir` and serve it; yields the base URL."""
    with StaticServer(site_dir) as server:
        build_example_site(site_dir, theme, site_url=server.url)
        yield server.url


@contextmanager
def serve_zensical_example(folder: Path) -> Iterator[str]:
    """The example site as Zensical builds it (`mkdocs-techplan pages`, then `zensical
    build`) in a copy under `folder`, served; yields the base URL."""
    import shutil
    import subprocess
    import sys

    from click.testing import CliRunner

    from mkdocs_techplan.cli.main import main

    root = folder / "example"
    shutil.copytree(EXAMPLE_SITE, root, ignore=shutil.ignore_patterns("site", "screenshots"))
    result = CliRunner().invoke(main, ["pages", "-f", str(root / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    zensical = shutil.which("zensical", path=os.path.dirname(sys.executable))
    assert zensical is not None, "zensical is a test dependency"
    done = subprocess.run(
        [zensical, "build"], cwd=root, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    with StaticServer(root / "site") as server:
        yield server.url


def launch_chromium(playwright: Playwright, executable: str) -> Browser:
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


@dataclass
class PageLog:
    """What the browser reported while a context was open."""

    errors: list[str] = field(default_factory=list)
    """Console errors and uncaught exceptions, with where they happened."""
    external: list[str] = field(default_factory=list)
    """Requests to other hosts (web fonts, CDNs), answered empty: the tests run offline."""


def new_context(
    browser: Browser, base_url: str, *, dark: bool = False
) -> tuple[BrowserContext, PageLog]:
    """A fresh context (no stored palette) in the light or dark colour scheme.

    Requests leaving 127.0.0.1 are answered locally (empty, or an `OFFLINE_STAND_INS` script), so
    a theme's web fonts and CDN scripts do not turn into errors on an offline machine; they are
    listed in the log instead.
    """
    context = browser.new_context(
        base_url=base_url,
        color_scheme="dark" if dark else "light",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    log = PageLog()
    origin = base_url.rstrip("/")

    def route(route: Route) -> None:
        url = route.request.url
        if url.startswith(origin) or url.startswith("data:"):
            route.continue_()
        else:
            log.external.append(url)
            body, content_type = _offline_answer(url)
            route.fulfill(status=200, body=body, content_type=content_type)

    # Only requests leaving the site are routed through Python: a pattern the browser matches
    # itself, so the site's own pages and assets load without a round trip to this process.
    context.route(re.compile("^(?!" + re.escape(origin) + "/|data:)"), route)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            log.errors.append(f"console: {message.text} ({where})")

    context.on("console", on_console)
    context.on("weberror", lambda error: log.errors.append(f"page error: {error.error}"))
    return context, log


OFFLINE_STAND_INS = {
    # Scripts themes load from CDNs, answered by the smallest script that lets the page run as
    # it would online; without them an offline run sees "mermaid is not defined" and the like,
    # which say nothing about this plugin. Material: Mermaid diagrams; MkDocs: highlight.js.
    "https://unpkg.com/mermaid@": (
        "window.mermaid = {initialize: function () {}, render: function () {"
        " return Promise.resolve({svg: '<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>'}); }};"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/highlight.js/": (
        "window.hljs = {highlightAll: function () {}, registerLanguage: function () {}};"
    ),
}


def _offline_answer(url: str) -> tuple[str, str]:
    """Body and content type for a request that would leave 127.0.0.1."""
    for prefix, script in OFFLINE_STAND_INS.items():
        if url.startswith(prefix) and url.split("?", 1)[0].endswith(".js"):
            return script, "text/javascript"
    return "", _guess_type(url)


def _guess_type(url: str) -> str:
    path = url.split("?", 1)[0]
    if path.endswith(".css") or "fonts.googleapis.com/css" in url:
        return "text/css"
    if path.endswith(".js"):
        return "text/javascript"
    return "application/octet-stream"


# WCAG 2.x contrast, from colours as computed styles give them.

_RGB = re.compile(r"rgba?\(([^)]*)\)")


def parse_colour(css: str) -> tuple[float, float, float, float]:
    """`rgb(1, 2, 3)`, `rgba(1, 2, 3, 0.5)` or `rgb(1 2 3 / 0.5)` → (r, g, b, alpha)."""
    match = _RGB.fullmatch(css.strip())
    if not match:
        raise ValueError(f"not an rgb() colour: {css!r}")
    parts = [p for p in re.split(r"[\s,/]+", match.group(1).strip()) if p]
    r, g, b = (float(p) for p in parts[:3])
    alpha = 1.0
    if len(parts) > 3:
        alpha = float(parts[3].rstrip("%")) / (100 if parts[3].endswith("%") else 1)
    return r, g, b, alpha


RGB = tuple[float, float, float]


def over(top: tuple[float, float, float, float], bottom: RGB) -> RGB:
    """`top` composited over an opaque `bottom`."""
    r, g, b, a = top
    return (r * a + bottom[0] * (1 - a), g * a + bottom[1] * (1 - a), b * a + bottom[2] * (1 - a))


def relative_luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    lighter, darker = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
