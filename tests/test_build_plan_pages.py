"""Real builds: plan files become Technical Plan pages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import SiteBuilder, full_plan_text
from mkdocs.utils.meta import get_data

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


GOLDEN = Path(__file__).resolve().parent / "golden" / "full-plan.md"


def test_full_plan_markdown_matches_the_golden_file(site: SiteBuilder) -> None:
    """Any change to the generated Markdown shows in review. Regenerate with
    TECHPLAN_UPDATE_GOLDEN=1 pytest tests/test_build_plan_pages.py."""
    _full_site(site)
    result = site.build()
    assert not result.failed, result.messages
    markdown = result.generated_markdown("plans/auth/index.md")
    if os.environ.get("TECHPLAN_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(markdown, encoding="utf-8")
    assert markdown == GOLDEN.read_text(encoding="utf-8")


def test_full_plan_page_shows_every_value(site: SiteBuilder) -> None:
    _full_site(site)
    result = site.build(theme="material")
    page = result.content("plans/auth/index.html")
    text = " ".join(page.get_text(" ").split())
    for expected in [
        "Version: 1.2",
        "Author: Ada Lovelace, Grace Hopper",
        "Date: 2026-11-02",
        "Replace API keys with short-lived sessions",
        "Component 1: Token service",
        "Purpose: Issues, refreshes and revokes session tokens.",
        "Session store: keeps token state across restarts",
        "Phase 2: Core Features (2 weeks)",
        "Coverage target: >80%",
        "Focus areas: token expiry, revocation",
        "Load testing: 2,000 logins per second for 10 minutes",
        "Stress testing: ramp to 10,000 logins per second",
        "Indexes: sessions(user_id), sessions(expires_at)",
        "Query optimization: look-ups by primary key only",
        "login_latency_p99: 99th percentile login latency",
        "Log level: INFO",
        "Structured logging format",
        "login error rate above 5% for 5 minutes: page the on-call engineer",
        "Gateway plugin API: in progress",
        "Load-test environment: shared with the billing team from week 3",
        "See Auth API for detailed schemas.",
    ]:
        assert expected in text, expected
    badge = page.select_one(".techplan-badge")
    assert badge is not None
    assert badge["class"] == ["techplan-badge", "techplan-badge--in-review"]
    assert badge.get_text() == "In Review"


def test_code_blocks_keep_language_and_content(site: SiteBuilder) -> None:
    _full_site(site)
    page = site.build().content("plans/auth/index.html")
    blocks = page.select("pre code")
    languages = [block.get("class", [""])[0] for block in blocks]
    assert languages == ["", "language-typescript", "language-sql"]
    diagram = blocks[0].get_text()
    assert "│   Gateway       │────▶│  Token service  │" in diagram
    assert "CREATE INDEX idx_sessions_user_id ON sessions(user_id);" in blocks[2].get_text()


def test_tables_and_numbered_lists_follow_the_template(site: SiteBuilder) -> None:
    _full_site(site)
    page = site.build().content("plans/auth/index.html")
    # The template's own tables; the risk matrix (visuals) is a table of another kind.
    tables = page.select("table:not(.techplan-risk-matrix table)")
    headers = [[th.get_text() for th in table.select("th")] for table in tables]
    assert headers == [
        ["Method", "Endpoint", "Purpose"],
        ["Risk", "Impact", "Probability", "Mitigation"],
        ["Version", "Date", "Author", "Changes"],
    ]
    endpoints = page.select("table")[0].select("tbody tr")
    assert [td.get_text() for td in endpoints[2].select("td")] == [
        "DELETE",
        "/api/v1/sessions/:id",
        "Delete",
    ]
    migrations = page.find("h3", id="migrations").find_next_sibling("ol")
    assert [li.code.get_text() for li in migrations.select("li")] == [
        "001_create_sessions.sql",
        "002_add_expiry_index.sql",
    ]


def test_checklists_are_disabled_checkboxes_checked_when_done(site: SiteBuilder) -> None:
    _full_site(site)
    page = site.build().content("plans/auth/index.html")
    questions = page.find("h2", id="open-questions").find_next_sibling("ul")
    boxes = questions.select("input[type=checkbox]")
    assert [box.has_attr("disabled") for box in boxes] == [True, True]
    assert [box.has_attr("checked") for box in boxes] == [False, True]


def test_sections_left_out_do_not_appear(site: SiteBuilder) -> None:
    site.write_plan(
        "plans/tiny/plan.yaml", {"title": "Tiny", "status": "Draft", "rollback": ["Undo"]}
    )
    page = site.build().content("plans/tiny/index.html")
    assert [h2.get_text(strip=True) for h2 in page.find_all("h2")] == ["Rollback Plan"]
    assert "Version" not in page.get_text()
    assert page.find("h3") is None


def test_version_is_shown_exactly_as_written(site: SiteBuilder) -> None:
    site.write("plans/v/plan.yaml", "title: V\nstatus: Draft\nversion: 1.10\n")
    page = site.build().content("plans/v/index.html")
    assert "Version: 1.10" in " ".join(page.get_text(" ").split())


@pytest.mark.parametrize(
    ("plan_path", "page_path"),
    [
        ("plans/auth/plan.yaml", "plans/auth/index.html"),
        ("plans/auth/plan.yml", "plans/auth/index.html"),
        ("plans/2026/billing.plan.yaml", "plans/2026/billing/index.html"),
        ("billing.plan.yml", "billing/index.html"),
    ],
)
def test_plan_files_become_pages_and_are_not_copied(
    site: SiteBuilder, plan_path: str, page_path: str
) -> None:
    site.write_plan(plan_path, {"title": "Billing", "status": "Draft"})
    result = site.build()
    assert not result.failed, result.messages
    assert (result.site_dir / page_path).exists()
    assert not (result.site_dir / plan_path).exists()
    assert list(result.site_dir.rglob("*.yaml")) + list(result.site_dir.rglob("*.yml")) == []


def test_use_directory_urls_off(site: SiteBuilder) -> None:
    site.write_plan("plans/2026/billing.plan.yaml", {"title": "Billing", "status": "Draft"})
    result = site.build(use_directory_urls=False)
    assert (result.site_dir / "plans/2026/billing.html").exists()


def test_plan_pages_appear_in_automatic_nav_and_explicit_nav(site: SiteBuilder) -> None:
    site.write_plan("plans/auth/plan.yaml", {"title": "Auth", "status": "Draft"})
    automatic = site.build()
    assert "Technical Plan: Auth" in automatic.html("index.html").get_text()
    explicit = site.build(nav=[{"Home": "index.md"}, {"Auth plan": "plans/auth/index.md"}])
    assert not explicit.failed, explicit.messages
    assert "Auth plan" in [a.get_text(strip=True) for a in explicit.html("index.html").select("a")]


def test_page_metadata_title_description_and_tags(site: SiteBuilder) -> None:
    site.write_plan(
        "plans/auth/plan.yaml",
        {"title": "Auth", "status": "Draft", "summary": "Short *summary*.", "tags": ["security"]},
    )
    result = site.build(theme="material")
    soup = result.html("plans/auth/index.html")
    assert soup.title.get_text().startswith("Technical Plan: Auth")
    assert soup.find("meta", attrs={"name": "description"})["content"] == "Short summary."
    markdown = result.generated_markdown("plans/auth/index.md")
    _, meta = get_data(markdown)  # as MkDocs reads it
    assert meta["tags"] == ["security"]
    assert meta["render_macros"] is False


def test_edit_link_points_at_the_yaml_source(site: SiteBuilder) -> None:
    site.write_plan("plans/auth/plan.yaml", {"title": "Auth", "status": "Draft"})
    result = site.build(repo_url="https://example.com/repo", edit_uri="edit/main/docs/")
    edit = result.html("plans/auth/index.html").select_one('a[href$="plan.yaml"]')
    assert edit is not None
    assert edit["href"] == "https://example.com/repo/edit/main/docs/plans/auth/plan.yaml"


def test_docs_dir_is_never_written(site: SiteBuilder) -> None:
    site.write("plans/auth/plan.yaml", full_plan_text())
    site.write("specs/auth.md", "# Auth\n")
    site.write("specs/auth-api.md", "# Auth API\n")
    before = _snapshot(site.docs)
    site.build()
    site.build(strict=False, use_directory_urls=False)
    assert _snapshot(site.docs) == before


def test_hand_written_page_at_the_plan_path_is_kept_and_reported(site: SiteBuilder) -> None:
    site.write("plans/auth/index.md", "# My own page\n")
    site.write_plan("plans/auth/plan.yaml", {"title": "Auth", "status": "Draft"})
    strict = site.build()
    assert strict.failed
    assert strict.techplan_warnings == [
        "docs/plans/auth/plan.yaml:1:1: this plan would become the page `plans/auth/index.md`, "
        "but docs/plans/auth/index.md is already published at `plans/auth/index.html`; the plan "
        "is not rendered. Rename or move one of the two files"
    ]
    relaxed = site.build(strict=False)
    assert relaxed.content("plans/auth/index.html").h1.get_text(strip=True) == "My own page"


def test_broken_plan_fails_strict_and_shows_its_problems_in_a_plain_build(
    site: SiteBuilder,
) -> None:
    site.write("plans/good/plan.yaml", "title: Good\nstatus: Draft\n")
    site.write(
        "plans/bad/plan.yaml", "title: Bad\nstatus: Draft\nrisks:\n  - {risk: r, impakt: High}\n"
    )
    strict = site.build()
    assert strict.failed
    assert strict.techplan_warnings == [
        "docs/plans/bad/plan.yaml:4:15: unknown key `impakt` in `risks[0]`; did you mean `impact`?"
    ]
    relaxed = site.build(strict=False)
    assert not relaxed.failed
    box = relaxed.content("plans/bad/index.html").select_one(".techplan-problems")
    assert box is not None
    assert "4:15 unknown key impakt in risks[0]; did you mean impact?" in box.get_text()
    assert [code.get_text() for code in box.select("li code")] == [
        "4:15",
        "impakt",
        "risks[0]",
        "impact",
    ]
    assert relaxed.content("plans/bad/index.html").find("h2", id="risk-assessment")
    good = relaxed.content("plans/good/index.html")
    assert good.select_one(".techplan-problems") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: [x\n", "docs/plans/p/plan.yaml:2:1: invalid YAML"),
        (
            "status: Draft\n",
            "docs/plans/p/plan.yaml:1:1: the plan is missing the required key `title`",
        ),
        ("title: x\nstatus: Done\n", "docs/plans/p/plan.yaml:2:9: `status` is `Done`"),
        ("title: x\nstatus: Draft\ndate: 2026-13-01\n", "docs/plans/p/plan.yaml:3:7: `date` is"),
        (
            "title: x\nstatus: Draft\ntitle: y\n",
            "docs/plans/p/plan.yaml:3:1: duplicate key `title`",
        ),
        (
            "title: x\nstatus: Draft\ntags: security\n",
            "docs/plans/p/plan.yaml:3:7: `tags` should be",
        ),
    ],
)
def test_malformed_plans_fail_strict_with_file_line_column(
    site: SiteBuilder, text: str, expected: str
) -> None:
    site.write("plans/p/plan.yaml", text)
    site.write("plans/ok/plan.yaml", "title: Fine\nstatus: Draft\n")
    strict = site.build()
    assert strict.failed
    assert len(strict.techplan_warnings) == 1
    assert strict.techplan_warnings[0].startswith(expected)
    assert not any("Traceback" in message for message in strict.messages)
    relaxed = site.build(strict=False)
    assert (relaxed.site_dir / "plans/ok/index.html").exists()
    assert (relaxed.site_dir / "plans/p/index.html").exists()


def test_custom_template_replaces_the_default(site: SiteBuilder) -> None:
    (site.root / "templates").mkdir(parents=True)
    (site.root / "templates" / "my-plan.md.j2").write_text(
        "# {{ plan.title }}\n\nOwner: {{ plan.extra.owner }}\n\n{{ status | badge }}\n",
        encoding="utf-8",
    )
    site.write_plan(
        "plans/a/plan.yaml", {"title": "A <b>", "status": "Draft", "extra": {"owner": "*team*"}}
    )
    result = site.build(plugin_options={"template": "templates/my-plan.md.j2"})
    assert not result.failed, result.messages
    page = result.content("plans/a/index.html")
    assert page.h1.get_text(strip=True) == "A <b>"
    assert "Owner: *team*" in page.get_text()
    assert page.select_one(".techplan-badge--draft") is not None


def test_an_edited_template_is_used_by_the_next_build_of_the_same_process(
    site: SiteBuilder,
) -> None:
    """Compiled templates are kept between builds (as under `mkdocs serve`), but not stale ones."""
    template = site.root / "templates" / "my-plan.md.j2"
    template.parent.mkdir(parents=True)
    site.write_plan("plans/a/plan.yaml", {"title": "A", "status": "Draft"})
    for version in ("first", "second", "second"):
        template.write_text(f"# {{{{ plan.title }}}}\n\n{version} version\n", encoding="utf-8")
        result = site.build(plugin_options={"template": "templates/my-plan.md.j2"})
        assert not result.failed, result.messages
        assert f"{version} version" in result.content("plans/a/index.html").get_text()


def test_custom_statuses_and_colours(site: SiteBuilder) -> None:
    site.write_plan("plans/a/plan.yaml", {"title": "A", "status": "rejected"})
    result = site.build(plugin_options={"statuses": {"Proposed": "#1d4ed8", "Rejected": "#991b1b"}})
    assert not result.failed, result.messages
    badge = result.content("plans/a/index.html").select_one(".techplan-badge")
    assert badge.get_text() == "Rejected"
    css = (result.site_dir / "assets" / "techplan.css").read_text()
    assert ".techplan-badge--rejected { --techplan-status: #991b1b; }" in css


def test_stylesheet_is_linked_in_both_themes(site: SiteBuilder) -> None:
    site.write_plan("plans/a/plan.yaml", {"title": "A", "status": "Draft"})
    for theme in ("mkdocs", "material"):
        soup = site.build(theme=theme).html("plans/a/index.html")
        assert any(
            link["href"].endswith("assets/techplan.css")
            for link in soup.select("link[rel=stylesheet]")
        )


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
