"""No page of the example site logs a console error or throws, in either theme or scheme."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .conftest import Browsing, OpenSite

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("theme", "dark"),
    [("material", False), ("material", True), ("mkdocs", False), ("mkdocs", True)],
    ids=["material-light", "material-dark", "mkdocs-light", "mkdocs-dark"],
)
def test_no_console_errors_on_any_page(
    open_site: Callable[[str, bool], OpenSite], theme: str, dark: bool
) -> None:
    site = open_site(theme, dark)
    assert "plans/" in site.pages and "plans/identity/sessions/" in site.pages
    assert len(site.pages) >= 10
    assert site.log.errors == []


def test_console_errors_are_caught(browsing: Browsing) -> None:
    """The check above can fail: a script error on a page is recorded."""
    page = browsing.open("plans/")
    page.evaluate("setTimeout(() => { throw new Error('boom') }, 0)")
    page.evaluate("console.error('logged')")
    page.wait_for_timeout(100)
    errors = browsing.errors()
    assert any("boom" in error for error in errors), errors
    assert any("logged" in error for error in errors), errors
