"""No page of the example site logs a console error or throws, in either theme or scheme."""

from __future__ import annotations

import re
import urllib.request

import pytest

from .conftest import Browsing

pytestmark = pytest.mark.e2e


def _pages(base: str) -> list[str]:
    """Every page the sitemap lists (the site is built with `site_url` set to `base`)."""
    with urllib.request.urlopen(base + "sitemap.xml") as response:
        sitemap = response.read().decode("utf-8")
    return [url.removeprefix(base) for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)]


@pytest.mark.parametrize(
    ("theme", "dark"),
    [("material", False), ("material", True), ("mkdocs", False), ("mkdocs", True)],
    ids=["material-light", "material-dark", "mkdocs-light", "mkdocs-dark"],
)
def test_no_console_errors_on_any_page(browsing: Browsing, theme: str, dark: bool) -> None:
    pages = _pages(browsing.site_url(theme))
    assert "plans/" in pages and "plans/identity/sessions/" in pages
    first = browsing.open(pages[0], theme=theme, dark=dark)
    # Every page in a tab of its own, loaded one after another; then each is waited on until
    # its network is idle, so errors of scripts that run late (search, diagrams) are seen too.
    # The tabs wait out their idle time together instead of one after another.
    tabs = [first]
    for path in pages[1:]:
        tab = first.context.new_page()
        tab.goto(path, wait_until="load")
        tabs.append(tab)
    for tab in tabs:
        tab.wait_for_load_state("networkidle")
    assert len(tabs) == len(pages)
    assert browsing.errors() == []


def test_console_errors_are_caught(browsing: Browsing) -> None:
    """The check above can fail: a script error on a page is recorded."""
    page = browsing.open("plans/")
    page.evaluate("setTimeout(() => { throw new Error('boom') }, 0)")
    page.evaluate("console.error('logged')")
    page.wait_for_timeout(100)
    errors = browsing.errors()
    assert any("boom" in error for error in errors), errors
    assert any("logged" in error for error in errors), errors
