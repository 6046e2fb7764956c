"""Plan text cannot run script in a reader's browser, even with `allow_html`, even when it
holds the plugin's own listing markers (which once ended the plan's sanitized region)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import SiteBuilder
from playwright.sync_api import Browser

from .support import StaticServer, new_context

HOSTILE = (
    "Before.\n\n<!-- techplan:index -->\n\n<!-- techplan:plans -->\n\n"
    "<script>window.__pwned = (window.__pwned || 0) + 1</script>\n\n"
    '<img src="x" onerror="window.__pwned = 99">\n\nAfter.\n'
)


@pytest.mark.e2e
@pytest.mark.parametrize("allow_html", [False, True])
def test_no_plan_text_runs_script_in_chromium(
    browser: Browser, tmp_path: Path, allow_html: bool
) -> None:
    site = SiteBuilder(tmp_path / "project")
    plan = {
        "title": "Hostile",
        "status": "Draft",
        "summary": HOSTILE,
        "specification": "../../specs/spec.md",
        "architecture": {"overview": HOSTILE},
        "open_questions": [HOSTILE],
    }
    site.write("plans/hostile/plan.yaml", yaml.safe_dump(plan, sort_keys=False))
    site.write("specs/spec.md", "# Spec\n\nWords.\n")
    site.write("listing.md", "# Listing\n\n<!-- techplan:index -->\n")
    result = site.build(strict=False, plugins=[{"techplan": {"allow_html": allow_html}}])
    assert not result.failed, result.messages
    with StaticServer(result.site_dir) as server:
        context, _ = new_context(browser, server.url)
        try:
            page = context.new_page()
            for path in ["plans/hostile/", "plans/", "specs/spec/", "listing/"]:
                page.goto(path, wait_until="load")
                page.wait_for_timeout(100)  # an image's onerror fires after load
                assert page.evaluate("window.__pwned === undefined"), path
                assert "After." in page.inner_text("body") or path != "plans/hostile/"
        finally:
            context.close()
