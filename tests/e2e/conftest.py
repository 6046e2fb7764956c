"""Fixtures of the e2e tests: the example site built once per theme, served, and a browser.

The tests skip, saying why, when Chromium is missing; with
`TECHPLAN_E2E_REQUIRED=1` (set by `.ci/run`) they fail instead, so CI cannot pass by skipping.
"""

from __future__ import annotations

import os
import re
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from .support import (
    PageLog,
    chromium_executable,
    launch_chromium,
    new_context,
    serve_example_site,
)


def _unavailable(reason: str) -> None:
    if os.environ.get("TECHPLAN_E2E_REQUIRED"):
        pytest.fail(f"{reason} (TECHPLAN_E2E_REQUIRED is set, so this is an error)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_executable()
    if executable is None:
        _unavailable(
            "Chromium not found: `apt-get install -y chromium` (Debian), or set TECHPLAN_CHROMIUM "
            "to a Chromium binary"
        )
    assert executable is not None
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, executable)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], str]]:
    """`site_url("material")`: base URL of the example site built with that theme and served."""
    urls: dict[str, str] = {}
    with ExitStack() as servers:

        def url(theme: str) -> str:
            if theme not in urls:
                site_dir = tmp_path_factory.mktemp(f"site-{theme}")
                urls[theme] = servers.enter_context(serve_example_site(site_dir, theme))
            return urls[theme]

        yield url


class Browsing:
    """Opens pages in fresh contexts and remembers what the browser reported."""

    def __init__(self, browser: Browser, site_url: Callable[[str], str]) -> None:
        self.browser = browser
        self.site_url = site_url
        self.logs: list[PageLog] = []
        self._stack = ExitStack()

    def open(
        self, path: str, *, theme: str = "material", dark: bool = False, settled: bool = False
    ) -> Page:
        """A new page at `path` of the example site, loaded, in a context of its own.

        `settled` waits until the network is idle too: Material's instant navigation only
        intercepts clicks once it has fetched `sitemap.xml`, after the page's load event.
        """
        context, log = new_context(self.browser, self.site_url(theme), dark=dark)
        self._stack.callback(context.close)
        self.logs.append(log)
        page = context.new_page()
        page.goto(path, wait_until="networkidle" if settled else "load")
        return page

    def open_at(self, path: str, theme: str, width: int) -> Page:
        """`open`, then the viewport set to `width` and one layout after the resize."""
        page = self.open(path, theme=theme)
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(100)
        return page

    def errors(self) -> list[str]:
        return [error for log in self.logs for error in log.errors]

    def close(self) -> None:
        self._stack.close()


@dataclass
class OpenSite:
    """Every page of the example site, each open in a tab of one context, loaded and settled."""

    pages: dict[str, Page]
    """Path (as the sitemap lists it) → its tab."""
    log: PageLog


@pytest.fixture(scope="session")
def open_site(
    browser: Browser, site_url: Callable[[str], str]
) -> Iterator[Callable[[str, bool], OpenSite]]:
    """`open_site(theme, dark)`: the whole site open at once, shared by the tests that only read
    pages, so each page is loaded once per theme and scheme rather than once per test.

    The pages are loaded one after another, each in a tab of its own; then each is waited on
    until its network is idle, so errors of scripts that run late (search, diagrams) are seen
    too. The tabs wait out their idle time together instead of one after another.
    """
    opened: dict[tuple[str, bool], OpenSite] = {}
    contexts: list[BrowserContext] = []

    def open_all(theme: str, dark: bool) -> OpenSite:
        if (theme, dark) not in opened:
            base = site_url(theme)
            context, log = new_context(browser, base, dark=dark)
            contexts.append(context)
            pages: dict[str, Page] = {}
            for path in sitemap_paths(base):
                pages[path] = context.new_page()
                pages[path].goto(path, wait_until="load")
            for page in pages.values():
                page.wait_for_load_state("networkidle")
            opened[theme, dark] = OpenSite(pages, log)
        return opened[theme, dark]

    yield open_all
    for context in contexts:
        context.close()


def sitemap_paths(base: str) -> list[str]:
    """Every page the sitemap lists (the site is built with `site_url` set to `base`)."""
    with urllib.request.urlopen(base + "sitemap.xml") as response:
        sitemap = response.read().decode("utf-8")
    return [url.removeprefix(base) for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)]


@pytest.fixture
def browsing(browser: Browser, site_url: Callable[[str], str]) -> Iterator[Browsing]:
    browsing = Browsing(browser, site_url)
    yield browsing
    browsing.close()
