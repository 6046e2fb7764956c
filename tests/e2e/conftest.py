"""Fixtures of the e2e tests: the example site built once per theme, served, and a browser.

The tests skip, saying why, when Chromium is missing; with
`TECHPLAN_E2E_REQUIRED=1` (set by `.ci/run`) they fail instead, so CI cannot pass by skipping.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

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

    def errors(self) -> list[str]:
        return [error for log in self.logs for error in log.errors]

    def close(self) -> None:
        self._stack.close()


@pytest.fixture
def browsing(browser: Browser, site_url: Callable[[str], str]) -> Iterator[Browsing]:
    browsing = Browsing(browser, site_url)
    yield browsing
    browsing.close()
