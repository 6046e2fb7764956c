"""The format's additions for real plans (README, "Your own fields and sections"): section
overviews, the schema's language, links, phase dates, optional revision versions and names in
inline Markdown, on the page (parsed HTML), through `import` and in the scaffold."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from conftest import SiteBuilder

from mkdocs_techplan.cli.main import main
from mkdocs_techplan.cli.preview import render_alone
from mkdocs_techplan.format.loading import Limits
from mkdocs_techplan.format.statuses import DEFAULT_STATUSES, status_styles
from mkdocs_techplan.format.writing import dump_plan
from mkdocs_techplan.markdown.importing import import_plan
from mkdocs_techplan.render.renderer import PlanRenderer
from mkdocs_techplan.site.catalog import PlanFile, load_plan

PLAN = """\
title: Real
status: Draft
specification: ../../specs/auth.md
links:
  - {title: Design discussion, url: "https://example.com/discussions/7"}
  - {url: ../../specs/auth.md#tokens}
components:
  - name: The `token` service
    dependencies:
      - {name: "`redis` 7", reason: cache}
data_model:
  overview: One new **table**.
  schema_language: protobuf
  schema_changes: |
    message Session { string id = 1; }
api:
  overview: JSON over HTTPS.
  endpoints:
    - {method: GET, path: /v2/sessions, purpose: List}
phases:
  - name: "`v1` API"
    duration: 1 week
    start: 2026-01-05
    end: 2026-01-09
    tasks: [Build it]
  - name: Rollout
    duration: 3 weeks
    start: 2026-01-12
    end: 2026-01-30
testing:
  overview: Against a real database.
  unit: {coverage_target: 80, focus: ["`parse()`", errors]}
security:
  overview: Reviewed.
  authentication: Tokens.
performance:
  overview: 2 ms budget.
  caching: None.
monitoring:
  overview: Dashboards first.
  metrics:
    - {name: "`login_latency_p99`", description: p99}
dependencies:
  - {name: "**Vault**", status: ready, done: true}
revisions:
  - {date: 2026-01-02, author: Ada, changes: Draft without a version}
  - {version: "1.0", date: 2026-01-20, author: Ada, changes: First}
"""

SECTIONS_WITH_OVERVIEW = {
    "Data Model": "One new table.",
    "API Design": "JSON over HTTPS.",
    "Testing Strategy": "Against a real database.",
    "Security Considerations": "Reviewed.",
    "Performance Considerations": "2 ms budget.",
    "Monitoring & Observability": "Dashboards first.",
}


def _build(site: SiteBuilder, theme: str = "mkdocs") -> Any:
    site.write("specs/auth.md", "# Auth spec\n\n## Tokens\n")
    site.write("plans/a/plan.yaml", PLAN)
    result = site.build(theme=theme)
    assert not result.failed, result.messages
    return result.content("plans/a/index.html")


def test_an_overview_comes_first_under_its_section_heading(site: SiteBuilder) -> None:
    page = _build(site)
    for heading, text in SECTIONS_WITH_OVERVIEW.items():
        h2 = next(h for h in page.find_all("h2") if h.get_text(strip=True).rstrip("¶") == heading)
        first = h2.find_next_sibling()
        assert first.name == "p" and first.get_text() == text, heading


def test_the_schema_changes_fence_takes_the_schema_language(site: SiteBuilder) -> None:
    page = _build(site)
    code = page.select_one("code.language-protobuf") or page.select_one(".language-protobuf")
    assert code is not None and "message Session" in code.get_text()


def test_links_are_a_header_line_with_titles_or_the_target_title(site: SiteBuilder) -> None:
    page = _build(site)
    label = next(s for s in page.find_all("strong") if s.get_text() == "Links:")
    links = []
    for sibling in label.next_siblings:
        if getattr(sibling, "name", None) == "br":
            break
        if getattr(sibling, "name", None) == "a":
            links.append((sibling.get_text(), sibling["href"]))
    assert links == [
        ("Design discussion", "https://example.com/discussions/7"),
        ("Auth spec", "../../specs/auth/#tokens"),
    ]


def test_a_dangling_link_fails_the_strict_build(site: SiteBuilder) -> None:
    site.write("plans/a/plan.yaml", "title: T\nstatus: Draft\nlinks:\n  - {url: ../nowhere.md}\n")
    result = site.build()
    assert result.failed
    assert any(w.startswith("docs/plans/a/plan.yaml:4:") for w in result.techplan_warnings)


def test_phase_dates_are_shown_and_place_the_timeline_bars(site: SiteBuilder) -> None:
    page = _build(site)
    assert "2026-01-05 → 2026-01-09" in page.get_text()
    timeline = page.select_one(".techplan-timeline")
    assert "2026-01-05 to 2026-01-30" in timeline.select_one(".techplan-timeline__title").get_text()
    bars = [bar["style"] for bar in timeline.select(".techplan-timeline__bar")]
    # 26 days from the first start to the last end: 5 days, then 19 days from day 7
    assert [style.replace(" ", "") for style in bars] == [
        "margin-left:0%;width:19.23%",
        "margin-left:26.92%;width:73.08%",
    ]


def test_a_revision_without_a_version_has_an_empty_cell(site: SiteBuilder) -> None:
    page = _build(site)
    table = page.find_all("table")[-1]
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in table.select("tbody tr")]
    assert rows[0][:2] == ["", "2026-01-02"]
    assert rows[1][0] == "1.0"


def test_names_take_inline_markdown(site: SiteBuilder) -> None:
    page = _build(site, theme="material")
    component = next(h for h in page.find_all("h3") if "Component 1" in h.get_text())
    assert component.find("code").get_text() == "token"
    phase = next(h for h in page.find_all("h3") if "Phase 1" in h.get_text())
    assert phase.find("code").get_text() == "v1"
    codes = {code.get_text() for code in page.find_all("code")}
    assert {"redis", "parse()", "login_latency_p99"} <= codes
    assert any(strong.get_text() == "Vault" for strong in page.find_all("strong"))
    assert "`" not in page.get_text().replace("```", "")
    # in the timeline (raw HTML) a name is the text its Markdown shows
    labels = [label.get_text() for label in page.select(".techplan-timeline__label")]
    assert labels[0] == "Phase 1: v1 API (1 week)"


def test_render_then_import_gives_back_the_additions(tmp_path: Path) -> None:
    source = tmp_path / "plan.yaml"
    source.write_text(PLAN, encoding="utf-8")
    statuses = tuple(DEFAULT_STATUSES)
    plan = load_plan(PlanFile("plans/a/plan.yaml", str(source)), statuses, Limits())
    assert plan.problems == []
    page = render_alone(plan, PlanRenderer(), status_styles(DEFAULT_STATUSES))
    imported = import_plan(page, statuses)
    assert imported.unplaced == []
    expected = yaml.safe_load(PLAN)
    # without the site, a page path is shown as written: its link gets no title to read
    assert imported.data["links"] == expected["links"]
    got = _dates_as_text(yaml.safe_load(dump_plan(imported.data)))
    for key in ("data_model", "api", "phases", "testing", "security", "performance"):
        assert got[key] == _dates_as_text(expected[key]), key
    assert got["monitoring"] == expected["monitoring"]
    assert got["components"] == expected["components"]
    assert got["dependencies"] == expected["dependencies"]
    assert got["revisions"] == _dates_as_text(expected["revisions"])


def _dates_as_text(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def test_new_scaffolds_the_additions(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["new", str(tmp_path / "p")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = (tmp_path / "p" / "plan.yaml").read_text(encoding="utf-8")
    for key in ("# links:", "#   overview:", "#   schema_language:", "#     start:"):
        assert key in text, key


TEXT_PLAN = """\
title: Text
status: Draft
summary: |
  Read [the spec](../../specs/auth.md#tokens), [its API][api]
  and [this plan's risks](#risk-assessment).

  [api]: ../../specs/auth.md
architecture:
  overview: |
    We need:
    - a list right after a paragraph line
    - a second item
rollback:
  - |
    Stop the service.

    - drain the queue
    - stop the workers
  - Second step
phases:
  - name: One
    tasks:
      - |
        Deploy with:

        ```bash
        make deploy
        ```
open_questions:
  - |
    A question on two paragraphs.

    Its detail.
risks:
  - {risk: Outage, impact: High, probability: Low}
"""


def _text_site(site: SiteBuilder, **config: Any) -> Any:
    site.write("specs/auth.md", "# Auth spec\n\n## Tokens\n")
    site.write("plans/a/plan.yaml", TEXT_PLAN)
    site.write("all.md", "# All plans\n\n<!-- techplan:index -->\n")
    result = site.build(**config)
    assert not result.failed, result.messages
    return result


def test_summary_links_point_right_from_every_listing(site: SiteBuilder) -> None:
    result = _text_site(site)
    for page, plan in (("plans/index.html", "a/"), ("all/index.html", "../plans/a/")):
        summary = result.content(page).select_one(".techplan-cell--summary")
        links = {a.get_text(): a["href"] for a in summary.find_all("a")}
        assert links == {
            "the spec": "../specs/auth/#tokens",
            "its API": "../specs/auth/",  # its definition is in another paragraph
            "this plan's risks": plan + "#risk-assessment",
        }, page


def test_a_list_right_after_a_paragraph_line_is_a_list(site: SiteBuilder) -> None:
    page = _text_site(site).content("plans/a/index.html")
    overview = page.find("h2").find_next_sibling("ul")
    assert [li.get_text() for li in overview.find_all("li")] == [
        "a list right after a paragraph line",
        "a second item",
    ]


def test_multi_line_entries_stay_inside_their_list_item(site: SiteBuilder) -> None:
    for theme, config in (
        ("mkdocs", {}),
        ("material", {"markdown_extensions": ["pymdownx.superfences", "tables"]}),
    ):
        page = _text_site(site, theme=theme, **config).content("plans/a/index.html")
        rollback = next(h for h in page.find_all("h2") if "Rollback" in h.get_text())
        steps = rollback.find_next_sibling("ol").find_all("li", recursive=False)
        assert len(steps) == 2, theme
        nested = [li.get_text(strip=True) for li in steps[0].find_all("li")]
        assert nested == ["drain the queue", "stop the workers"], theme
        phase = next(h for h in page.find_all("h3") if "Phase 1" in h.get_text())
        task = phase.find_next_sibling("ol").find("li")
        code = task.find("code")
        assert code is not None and code.get_text().strip() == "make deploy", theme
        assert "bash" not in code.get_text(), theme
        question = next(h for h in page.find_all("h2") if "Open Questions" in h.get_text())
        item = question.find_next_sibling("ul").find("li")
        assert [p.get_text(strip=True) for p in item.find_all("p")][-1] == "Its detail.", theme


HEADINGS_PLAN = """\
title: Headings
status: Draft
architecture:
  overview: |
    Intro.

    # Admission control

    How requests are admitted.

    ## Queues

    Two queues.
security:
  authentication: |
    Tokens.

    ### Rotation

    Every day.
"""


def test_headings_in_a_field_sit_below_the_section_holding_it(site: SiteBuilder) -> None:
    site.write("plans/h/plan.yaml", HEADINGS_PLAN)
    result = site.build(theme="material")
    assert not result.failed, result.messages
    page = result.content("plans/h/index.html")
    levels = [
        (h.name, h.get_text(strip=True).rstrip("¶"))
        for h in page.find_all(["h2", "h3", "h4", "h5"])
    ]
    assert levels == [
        ("h2", "Architecture Overview"),
        ("h3", "Admission control"),
        ("h4", "Queues"),
        ("h2", "Security Considerations"),
        ("h3", "Authentication"),
        ("h4", "Rotation"),
    ]
    toc = [
        a.get_text(strip=True)
        for a in result.html("plans/h/index.html").select(".md-nav--secondary a")
    ]
    assert "Admission control" in toc and "Rotation" in toc


def test_headings_in_a_field_come_back_from_import(tmp_path: Path) -> None:
    source = tmp_path / "plan.yaml"
    source.write_text(HEADINGS_PLAN, encoding="utf-8")
    statuses = tuple(DEFAULT_STATUSES)
    plan = load_plan(PlanFile("plans/h/plan.yaml", str(source)), statuses, Limits())
    page = render_alone(plan, PlanRenderer(), status_styles(DEFAULT_STATUSES))
    imported = import_plan(page, statuses)
    assert imported.unplaced == []
    overview = imported.data["architecture"]["overview"]
    # the levels the page gives them: the same page again
    assert "### Admission control" in overview and "#### Queues" in overview
    assert "Two queues." in overview
    assert "#### Rotation" in imported.data["security"]["authentication"]
