"""Plan pages: status banners, the risk matrix, the phase timeline; tags; the listing script."""

from __future__ import annotations

import pytest
from bs4 import Tag
from conftest import BuildResult, SiteBuilder, full_plan_text
from test_index import portfolio, table_rows, titles

from mkdocs_techplan.render.visuals import parse_duration

STATUSES = {
    "Draft": "#6b7280",
    "In Review": "#b45309",
    "Approved": "#15803d",
    "Superseded": "#7c3aed",
    "Rejected": "#b91c1c",
}


def built(site: SiteBuilder, **config: object) -> BuildResult:
    result = site.build(**config)  # type: ignore[arg-type]
    assert not result.failed, result.messages
    return result


def text_of(element: Tag | None) -> str:
    assert element is not None
    return " ".join(element.get_text(" ").split())


# --- Banners ---------------------------------------------------------------------------------


def test_not_current_statuses_get_a_banner_at_the_top(site: SiteBuilder) -> None:
    site.write("plans/old/plan.yaml", "title: Old way\nstatus: superseded\n")
    site.write("plans/no/plan.yaml", "title: Not doing\nstatus: Rejected\n")
    site.write("plans/new/plan.yaml", "title: New way\nstatus: In Review\n")
    options = {"statuses": STATUSES, "not_current": ["Superseded", "rejected"]}
    result = built(site, strict=False, plugin_options=options)
    page = result.content("plans/old/index.html")
    banner = page.select_one(".techplan-banner--not-current")
    assert text_of(banner) == (
        "This plan is Superseded. It is kept for the record and no longer describes current "
        "or planned work."
    )
    assert banner is not None and banner.find_next("h1") is page.h1  # above the title
    assert "This plan is Rejected." in text_of(
        result.content("plans/no/index.html").select_one(".techplan-banner")
    )
    assert result.content("plans/new/index.html").select(".techplan-banner") == []


def test_not_current_must_name_a_configured_status(
    site: SiteBuilder, caplog: pytest.LogCaptureFixture
) -> None:
    from mkdocs.exceptions import Abort

    with pytest.raises(Abort):
        site.build(plugin_options={"not_current": ["Obsolete"]})
    assert (
        "`not_current` names 'Obsolete', which is not one of the statuses (Draft, In Review, "
        "Approved); add it to `statuses` or fix the spelling"
    ) in caplog.text


def test_draft_plans_get_a_subtle_banner_unless_turned_off(site: SiteBuilder) -> None:
    site.write("plans/idea/plan.yaml", "title: Idea\nstatus: draft\n")
    page = built(site).content("plans/idea/index.html")
    banner = page.select_one(".techplan-banner--draft")
    assert text_of(banner) == "Draft. This plan is still being written and may change."
    page = built(site, plugin_options={"draft_banner": False}).content("plans/idea/index.html")
    assert page.select(".techplan-banner") == []


# --- Risk matrix -----------------------------------------------------------------------------


RISKY = """
title: Risky
status: Draft
risks:
  - {risk: Data loss, impact: High, probability: Low}
  - {risk: Slow <queries>, impact: Medium, probability: High}
  - {risk: Outage, impact: High, probability: Low}
  - {risk: Unrated}
phases:
  - {name: Design, duration: 3 days}
  - {name: Build, duration: 2 weeks}
  - {name: Polish, duration: sometime soon}
  - {name: Launch, duration: 1 month}
  - {name: Party}
"""


def test_risk_matrix_places_each_risk_in_its_cell_under_risk_assessment(
    site: SiteBuilder,
) -> None:
    site.write("plans/risky/plan.yaml", RISKY)
    page = built(site).content("plans/risky/index.html")
    matrix = page.select_one(".techplan-risk-matrix")
    assert matrix is not None
    heading = matrix.find_previous("h2")
    assert heading is not None and heading.get_text(strip=True).rstrip("¶") == "Risk Assessment"
    rows = matrix.select("tbody tr")
    assert [row.th.get_text() for row in rows] == ["High", "Medium", "Low"]
    assert [th.get_text() for th in matrix.select("thead th")] == ["Low", "Medium", "High"]
    placed = {
        (cell["data-impact"], cell["data-probability"]): [
            li.get_text(" ") for li in cell.select("li")
        ]
        for cell in matrix.select("td[data-impact]")
    }
    assert len(placed) == 9
    assert placed[("high", "low")] == ["1  Data loss", "3  Outage"]
    assert placed[("medium", "high")] == ["2  Slow <queries>"]  # shown as text
    assert sum(len(risks) for risks in placed.values()) == 3
    corner = matrix.select_one("tbody td[data-impact='high'][data-probability='high']")
    assert corner is not None and "techplan-risk-matrix__cell--high" in corner["class"]
    assert text_of(matrix.select_one(".techplan-note")) == (
        "Not in the matrix (impact or probability missing): 4. Unrated"
    )
    assert matrix.find("queries") is None  # no element from plan text


def test_phase_timeline_has_bars_proportional_to_durations(site: SiteBuilder) -> None:
    site.write("plans/risky/plan.yaml", RISKY)
    page = built(site).content("plans/risky/index.html")
    timeline = page.select_one(".techplan-timeline")
    assert timeline is not None
    heading = timeline.find_previous("h2")
    assert heading is not None and "Implementation Approach" in heading.get_text()
    assert text_of(timeline.select_one(".techplan-timeline__title")) == (
        "Timeline (about 6.5 weeks for the phases whose duration could be read)"
    )
    phases = timeline.select(".techplan-timeline__phase")
    assert [text_of(phase.select_one(".techplan-timeline__label")) for phase in phases] == [
        "Phase 1: Design (3 days)",
        "Phase 2: Build (2 weeks)",
        "Phase 3: Polish (sometime soon)",
        "Phase 4: Launch (1 month)",
        "Phase 5: Party",
    ]
    styles = [bar["style"].replace(" ", "") for bar in timeline.select(".techplan-timeline__bar")]
    # 3 + 14 + 30 = 47 days
    assert styles == [
        "margin-left:0%;width:6.38%",
        "margin-left:6.38%;width:29.79%",
        "margin-left:36.17%;width:63.83%",
    ]
    notes = [text_of(note) for note in timeline.select(".techplan-note")]
    assert notes == [
        "The duration “sometime soon” could not be read, so this phase has no bar; write it "
        "like “3 days”, “2 weeks” or “1 month”.",
        "No duration given.",
    ]


def test_visuals_can_be_turned_off(site: SiteBuilder) -> None:
    site.write("plans/risky/plan.yaml", RISKY)
    options = {"risk_matrix": False, "timeline": False}
    page = built(site, plugin_options=options).content("plans/risky/index.html")
    assert page.select(".techplan-risk-matrix") == []
    assert page.select(".techplan-timeline") == []
    assert page.find("h2", string=lambda text: bool(text and "Risk Assessment" in text))


def test_no_visuals_without_risks_or_durations(site: SiteBuilder) -> None:
    site.write(
        "plans/plain/plan.yaml",
        "title: Plain\nstatus: Draft\nphases:\n  - {name: One, tasks: [a]}\n",
    )
    page = built(site).content("plans/plain/index.html")
    assert page.select(".techplan-risk-matrix, .techplan-timeline") == []


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("3 days", 3),
        ("1 day", 1),
        ("2 weeks", 14),
        ("1 month", 30),
        ("1.5 weeks", 10.5),
        ("2-3 weeks", 21),
        ("2 to 3 weeks", 21),
        ("10d", 10),
        ("3 wks", 21),
        ("about 2 months", 60),
        ("a week", 7),
        ("5 working days", 5),
        ("  2   Weeks ", 14),
        ("1 quarter", 91),
    ],
)
def test_durations_people_write_are_read(text: str, days: float) -> None:
    assert parse_duration(text) == pytest.approx(days)


@pytest.mark.parametrize("text", ["TBD", "a sprint", "soon", "0 days", "weeks", "3 fortnights", ""])
def test_durations_that_cannot_be_read_give_none(text: str) -> None:
    assert parse_duration(text) is None


# --- Material's tags plugin ------------------------------------------------------------------


def test_material_tags_plugin_lists_plan_pages_and_tag_filter_matches(site: SiteBuilder) -> None:
    portfolio(site)
    site.write("tags.md", "# Tags\n\n<!-- material/tags -->\n")
    result = built(site, theme="material", plugins=["tags", "techplan"])
    tags_page = result.content("tags/index.html")
    listed: dict[str, list[str]] = {}
    for heading in tags_page.select("h2"):
        tag = heading.get_text(strip=True).rstrip("¶")
        items = heading.find_next("ul")
        assert items is not None
        listed[tag] = [text_of(link) for link in items.select("a")]
    assert listed["backend"] == ["Technical Plan: Session-based authentication"]
    assert listed["payments"] == ["Technical Plan: Refunds"]
    # The marker's tag filter picks the plans Material lists under the same tag.
    for tag in ("security", "Security", "billing"):
        site.write("by-tag.md", f'# By tag\n\n<!-- techplan:index tag="{tag}" -->\n')
        result = built(site, theme="material", plugins=["tags", "techplan"])
        tags_page = result.content("tags/index.html")
        heading = next(h for h in tags_page.select("h2") if h.get_text(strip=True) == tag)
        listed_titles = [
            text_of(link).removeprefix("Technical Plan: ")
            for link in heading.find_next("ul").select("a")  # type: ignore[union-attr]
        ]
        via_marker = titles(table_rows(result.content("by-tag/index.html")))
        assert sorted(via_marker) == sorted(listed_titles), tag


# --- The listing script ----------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
def test_listing_script_is_included_and_attaches_after_instant_navigation(
    site: SiteBuilder, theme: str
) -> None:
    portfolio(site)
    result = built(site, theme=theme)
    scripts = [script.get("src", "") for script in result.html("plans/index.html").select("script")]
    assert any(src.endswith("assets/techplan.js") for src in scripts)
    source = (result.site_dir / "assets" / "techplan.js").read_text(encoding="utf-8")
    assert "document$" in source and "subscribe" in source


def test_a_sites_own_script_of_that_name_wins(site: SiteBuilder) -> None:
    site.write("assets/techplan.js", "/* mine */\n")
    result = built(site)
    assert (result.site_dir / "assets" / "techplan.js").read_text() == "/* mine */\n"


def test_full_plan_shows_matrix_and_timeline(site: SiteBuilder) -> None:
    site.write("plans/auth/plan.yaml", full_plan_text())
    site.write("specs/auth.md", "# Authentication spec\n\n## Tokens\n")
    site.write("specs/auth-api.md", "# Auth API\n")
    page = built(site, theme="material").content("plans/auth/index.html")
    assert len(page.select(".techplan-risk-matrix li")) == 2
    assert len(page.select(".techplan-timeline__bar")) == 2


CHECKLIST_PLAN = """\
title: Checks
status: Draft
open_questions:
  - Still open
  - {item: Settled, done: true}
"""


def test_checklists_are_task_lists_where_the_site_has_pymdownx_tasklist(
    site: SiteBuilder,
) -> None:
    site.write("plans/c/plan.yaml", CHECKLIST_PLAN)
    plain = site.build().content("plans/c/index.html")
    boxes = plain.select("li > input.techplan-check")
    assert [box.has_attr("checked") for box in boxes] == [False, True]
    extensions = [{"pymdownx.tasklist": {"custom_checkbox": True}}]
    listed = site.build(markdown_extensions=extensions).content("plans/c/index.html")
    items = listed.select("li.task-list-item")
    assert [item.get_text(strip=True) for item in items] == ["Still open", "Settled"]
    assert [item.select_one("input").has_attr("checked") for item in items] == [False, True]
    assert listed.select("input.techplan-check") == []


def test_endpoint_paths_are_code(site: SiteBuilder) -> None:
    site.write(
        "plans/e/plan.yaml",
        "title: E\nstatus: Draft\napi:\n  endpoints:\n"
        '    - {method: GET, path: "/v1/items/{id}"}\n',
    )
    page = site.build().content("plans/e/index.html")
    assert page.select_one("table td code").get_text() == "/v1/items/{id}"
