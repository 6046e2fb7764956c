"""Badge text meets WCAG AA (4.5:1) against the colour it is actually drawn on.

Colours come from computed styles: the badge's text colour, and its background composited over
every ancestor's background and opacity, as the browser paints them, in Material's light
(`default`) and dark (`slate`) schemes and in MkDocs' theme (light and dark colour modes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from .conftest import OpenSite
from .example import example_plans
from .support import RGB, contrast_ratio, over, parse_colour

pytestmark = pytest.mark.e2e

AA_NORMAL_TEXT = 4.5

SCHEMES = [("material", False), ("material", True), ("mkdocs", False), ("mkdocs", True)]

PAGES = [plan.url for plan in example_plans()] + ["plans/", "specs/identity/sessions/"]
"""Every plan page, the index (status buttons, table) and a spec page with backlinks."""

_COLLECT = """
selector => Array.from(document.querySelectorAll(selector))
  .filter(element => element.getClientRects().length > 0)
  .map(element => {
    const chain = [];
    for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      chain.unshift([style.backgroundColor, Number(style.opacity)]);
    }
    const own = Array.from(element.childNodes)
      .filter(node => node.nodeType === 3).map(node => node.textContent).join("").trim();
    return {label: element.className + ": " + own, text: getComputedStyle(element).color, chain};
  })
"""


def _painted(chain: list[tuple[str, float]], top: str) -> RGB:
    """The colour on screen where `top` is drawn inside the elements of `chain` (root first)."""

    def paint(index: int, backdrop: RGB) -> RGB:
        if index == len(chain):
            return over(parse_colour(top), backdrop)
        background, opacity = chain[index]
        inside = paint(index + 1, over(parse_colour(background), backdrop))
        return over((*inside, opacity), backdrop)

    return paint(0, (255.0, 255.0, 255.0))  # the canvas, when no element paints a background


def _contrasts(page: Page) -> list[tuple[str, float]]:
    found: list[dict[str, Any]] = page.evaluate(_COLLECT, ".techplan-badge, .techplan-badge__count")
    results = []
    for item in found:
        chain = [(str(bg), float(opacity)) for bg, opacity in item["chain"]]
        text = _painted(chain, item["text"])
        background = _painted(chain, "rgba(0, 0, 0, 0)")
        results.append((item["label"], contrast_ratio(text, background)))
    return results


@pytest.mark.parametrize(("theme", "dark"), SCHEMES, ids=lambda v: str(v))
def test_badge_text_meets_wcag_aa_contrast(
    open_site: Callable[[str, bool], OpenSite], theme: str, dark: bool
) -> None:
    failing = []
    seen = 0
    site = open_site(theme, dark)
    for path in PAGES:
        page = site.pages[path]
        _assert_scheme(page, theme, dark)
        for label, ratio in _contrasts(page):
            seen += 1
            if ratio < AA_NORMAL_TEXT:
                failing.append(f"{path}: {label}: {ratio:.2f}:1")
    assert seen >= 2 * len(PAGES)
    assert failing == []


def _assert_scheme(page: Page, theme: str, dark: bool) -> None:
    """The page really is in the scheme under test, not the theme's default."""
    if theme == "material":
        scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert scheme == ("slate" if dark else "default")
    else:
        mode = page.evaluate("document.documentElement.getAttribute('data-bs-theme')")
        assert mode == ("dark" if dark else "light")


def test_painted_colour_composites_backgrounds_and_opacity() -> None:
    white_on_grey = [("rgb(255, 255, 255)", 1.0), ("rgb(107, 114, 128)", 1.0)]
    assert _painted(white_on_grey, "rgb(255, 255, 255)") == (255, 255, 255)
    assert _painted(white_on_grey, "rgba(0, 0, 0, 0)") == (107, 114, 128)
    faded = [("rgb(255, 255, 255)", 1.0), ("rgb(0, 0, 0)", 0.5)]
    assert _painted(faded, "rgba(0, 0, 0, 0)") == (127.5, 127.5, 127.5)
    assert round(contrast_ratio((255, 255, 255), (0, 0, 0)), 2) == 21.0
