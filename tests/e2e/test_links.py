"""Following the links between plans and specs lands on the right page and heading.

Clicked as a reader clicks them: in Material through instant navigation, in MkDocs' theme as
ordinary page loads. The example site's references are fixed, so the expected targets are too.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import Browsing
from .support import THEMES

pytestmark = pytest.mark.e2e


def _field(label: str) -> str:
    """The first link after a bold `label` in a plan's header."""
    return f"xpath=//strong[normalize-space()='{label}']/following-sibling::a[1]"


def _after_heading(tag: str, heading: str, container: str) -> str:
    """The first link in the `container` element that follows a heading starting with `heading`."""
    return (
        f"xpath=//{tag}[starts-with(normalize-space(), '{heading}')]"
        f"/following-sibling::{container}[1]//a[1]"
    )


LINKS = [
    # (what, page, link, target page, target anchor, target's h1)
    ("specification by spec id", "plans/identity/sessions/", _field("Specification:"),
     "specs/identity/sessions/", "", "Session-based authentication"),
    ("specification with an anchor", "plans/search/reindex/", _field("Specification:"),
     "specs/search/", "reindexing", "Invoice search"),
    ("API schemas with an anchor", "plans/identity/sessions/",
     _after_heading("h3", "Request/Response Schemas", "p"),
     "specs/identity/sessions/", "session-api", "Session-based authentication"),
    ("backlink from a spec", "specs/identity/sessions/",
     "xpath=//h2[starts-with(normalize-space(), 'Implementation plans')]"
     "/following-sibling::ul[1]//a[normalize-space()='Session-based authentication']",
     "plans/identity/sessions/", "", "Technical Plan: Session-based authentication"),
    ("supersedes", "plans/identity/sessions/", _field("Supersedes:"),
     "plans/identity/api-keys/", "", "Technical Plan: Rotating API keys"),
    ("superseded by", "plans/identity/api-keys/", _field("Superseded by:"),
     "plans/identity/sessions/", "", "Technical Plan: Session-based authentication"),
]  # fmt: skip


@pytest.mark.parametrize("theme", sorted(THEMES))
@pytest.mark.parametrize(
    ("start", "link", "target", "anchor", "title"),
    [case[1:] for case in LINKS],
    ids=[case[0] for case in LINKS],
)
def test_link_lands_on_the_right_page_and_anchor(
    browsing: Browsing, theme: str, start: str, link: str, target: str, anchor: str, title: str
) -> None:
    # Material's instant navigation intercepts clicks once it has fetched the sitemap.
    page = browsing.open(start, theme=theme, settled=theme == "material")
    base = browsing.site_url(theme)
    page.evaluate("window.__notReloaded = true")
    page.locator(link).click()
    expected = base + target + (f"#{anchor}" if anchor else "")
    page.wait_for_url(expected)
    # Material changes the URL before it swaps the content in: wait for the new heading.
    expect(page.locator("h1").first).to_have_text(re.compile(rf"^{re.escape(title)}\s*¶?$"))
    if anchor:
        expect(page.locator(f"[id='{anchor}']")).to_be_in_viewport()
    if theme == "material":  # instant navigation: the page was swapped in, not reloaded
        assert page.evaluate("window.__notReloaded === true")
    assert browsing.errors() == []
