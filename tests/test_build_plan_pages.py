"""Real builds: plan files become Technical Plan pages."""

from __future__ import annotations

import pytest

from conftest import SiteBuilder, full_plan_text

TEMPLATE_SECTIONS = [
    "Architecture Overview",
    "Component Design",
    "Data Model",
    "API Design",
    "Implementation Approach",
    "Testing Strategy",
    "Security Considerations",
    "Performance Considerations",
    "Monitoring & Observability",
    "Risk Assessment",
    "Dependencies & Blockers",
    "Rollback Plan",
    "Open Questions",
    "Revision History",
]


def _full_site(site: SiteBuilder) -> None:
    site.write("plans/auth/plan.yaml", full_plan_text())
    site.write("specs/auth.md", "# Authentication spec\n\n## Tokens\n")
    site.write("specs/auth-api.md", "# Auth API\n")


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
def test_full_plan_renders_every_template_section_in_order(site: SiteBuilder, theme: str) -> None:
    _full_site(site)
    result = site.build(theme=theme)
    assert not result.failed, result.messages
    page = result.content("plans/auth/index.html")
    assert page.h1.get_text(strip=True).startswith("Technical Plan: Session-based authentication")
    headings = [h2.get_text(strip=True).rstrip("¶") for h2 in page.find_all("h2")]
    assert headings == TEMPLATE_SECTIONS
