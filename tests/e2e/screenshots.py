"""Screenshots of the example site for the README: a plan page and the plans index, light and
dark, and both as Zensical builds them.

    python -m tests.e2e.screenshots            # writes example-site/screenshots/*.png
    python -m tests.e2e.screenshots --out DIR

Builds the example site (Material) into a temporary folder, serves it on 127.0.0.1 and takes
the pictures in Debian's Chromium, like the e2e tests. Commit the images it writes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .support import (
    REPO,
    chromium_executable,
    launch_chromium,
    new_context,
    serve_example_site,
    serve_zensical_example,
)

SHOTS = [
    # (file name stem, page, element to picture alone, or None for the top of the page)
    ("plan", "plans/identity/sessions/", None),
    ("timeline", "plans/identity/sessions/", ".techplan-timeline"),
    ("risk-matrix", "plans/identity/sessions/", ".techplan-risk-matrix"),
    ("index", "plans/", None),
    ("index-phone", "plans/", None),
    ("graph", "plans/graph/", ".techplan-graph"),
    ("plan-graph", "plans/identity/sessions/", ".techplan-graph"),
]
ZENSICAL_SHOTS = [("zensical-plan", "plans/identity/sessions/"), ("zensical-index", "plans/")]
"""The same site built by Zensical, light scheme: shown beside the MkDocs pictures."""
VIEWPORT = {"width": 1280, "height": 800}
PHONE = {"width": 400, "height": 800}
"""The viewport of the shots whose stem ends in `-phone`."""

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def take(out: Path, browser: Browser | None = None) -> list[Path]:
    """Write the screenshots into `out` (with `browser`, or a Chromium of its own)."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        executable = chromium_executable()
        if executable is None:
            raise SystemExit("no Chromium: apt-get install chromium, or set TECHPLAN_CHROMIUM")
        with sync_playwright() as playwright:
            own = launch_chromium(playwright, executable)
            try:
                return take(out, own)
            finally:
                own.close()

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as folder, serve_example_site(Path(folder)) as url:
        for dark in (False, True):
            context, log = new_context(browser, url, dark=dark)
            page = context.new_page()
            page.set_viewport_size(VIEWPORT)
            for stem, path, element in SHOTS:
                viewport = PHONE if stem.endswith("-phone") else VIEWPORT
                if page.viewport_size != viewport:
                    page.set_viewport_size(viewport)
                if not page.url.endswith("/" + path):
                    page.goto(path, wait_until="networkidle")
                target = out / f"{stem}-{'dark' if dark else 'light'}.png"
                if element:
                    page.locator(element).first.screenshot(path=str(target), animations="disabled")
                else:
                    page.evaluate("window.scrollTo(0, 0)")
                    page.screenshot(path=str(target), animations="disabled")
                written.append(target)
            context.close()
            if log.errors:
                raise SystemExit("the browser reported errors:\n" + "\n".join(log.errors))
    with tempfile.TemporaryDirectory() as folder, serve_zensical_example(Path(folder)) as url:
        context, log = new_context(browser, url)
        page = context.new_page()
        page.set_viewport_size(VIEWPORT)
        for stem, path in ZENSICAL_SHOTS:
            page.goto(path, wait_until="networkidle")
            target = out / f"{stem}-light.png"
            page.screenshot(path=str(target), animations="disabled")
            written.append(target)
        context.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "example-site" / "screenshots")
    args = parser.parse_args(argv)
    for path in take(args.out):
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
