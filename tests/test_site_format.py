"""A site's own header fields and sections (`fields`, `sections`, `preset`, `risk_levels`):
configuration errors, pages in both themes, validation, status rules, index columns,
`plans.json`, custom templates and the CLI with -f."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from conftest import SiteBuilder
from mkdocs.exceptions import Abort

from mkdocs_techplan.cli.main import main
from mkdocs_techplan.format.definition import default_definition
from mkdocs_techplan.format.presets import PRESETS
from mkdocs_techplan.format.site_format import (
    SiteFormatError,
    risk_levels_of,
    site_definition,
    site_keys,
)
from mkdocs_techplan.markdown.carried_source import split_source
from mkdocs_techplan.render.exports import plans_json_schema

OPTIONS: dict[str, Any] = {
    "risk_levels": ["Critical", "High", "Medium", "Low"],
    "fields": {
        "reviewers": {"label": "Reviewers", "type": "people"},
        "team": {"label": "Owning team", "type": "text"},
        "decided": {"label": "Decided on", "type": "date"},
        "tracking_issue": {"label": "Tracking issue", "type": "reference"},
    },
    "sections": {
        "motivation": {"title": "Motivation", "after": "header", "type": "markdown"},
        "goals": {"title": "Goals and Non-Goals", "after": "motivation", "type": "list"},
        "alternatives": {
            "title": "Alternatives Considered",
            "after": "architecture",
            "type": "steps",
        },
        "compatibility": {"title": "Compatibility", "after": "performance", "type": "checklist"},
        "slos": {
            "title": "Service Level Objectives",
            "after": "monitoring",
            "type": "table",
            "columns": ["objective", "target", "window"],
            "labels": {"window": "Time window"},
        },
    },
}

PLAN = """\
title: Sessions
status: Draft
author: Ada
date: 2026-03-01
specification: ../../specs/auth.md
reviewers: [Bob, Carol]
team: Platform `infra`
decided: 2026-03-02
tracking_issue: ../../specs/auth.md#tracking
motivation: |
  Logins are **slow**.

  A second paragraph.
goals: [Fast logins, Fewer tickets]
architecture:
  overview: One service.
alternatives: [Keep JWTs, Buy a product]
performance:
  caching: Redis.
compatibility:
  - Old clients keep working
  - {item: Version skew tested, done: true}
monitoring:
  metrics:
    - {name: login_latency, description: p99}
slos:
  - {objective: Availability, target: "99.9%", window: 30 days}
  - {objective: "Latency | p99", target: "< 200 ms"}
risks:
  - {risk: Outage, impact: critical, probability: low, mitigation: Fallback}
  - {risk: Drift, impact: High, probability: High}
"""

H2_ORDER = [
    "Motivation",
    "Goals and Non-Goals",
    "Architecture Overview",
    "Alternatives Considered",
    "Performance Considerations",
    "Compatibility",
    "Monitoring & Observability",
    "Service Level Objectives",
    "Risk Assessment",
]


def _site(site: SiteBuilder, plan: str = PLAN) -> None:
    site.write("specs/auth.md", "# Auth spec\n\n## Tracking\n")
    site.write("plans/a/plan.yaml", plan)


def _options(**more: Any) -> dict[str, Any]:
    return {**json.loads(json.dumps(OPTIONS)), **more}


# -- configuration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "option", "message"),
    [
        (
            {"fields": {"status": {"type": "text"}}},
            "fields",
            "`fields.status` is already a key of the template; choose another name",
        ),
        (
            {"sections": {"risks": {}}},
            "sections",
            "`sections.risks` is already a key of the template",
        ),
        (
            {"sections": {"slos": {"after": "monitorng"}}},
            "sections",
            "`sections.slos.after` is `monitorng`, which is not `header`, a section of the "
            "template or another site section; did you mean `monitoring`?",
        ),
        (
            {"sections": {"a": {"after": "b"}, "b": {"after": "c"}, "c": {"after": "a"}}},
            "sections",
            "`sections` place each other in a circle (`a` → `b` → `c` → `a`)",
        ),
        (
            {"sections": {"a": {"after": "a"}}},
            "sections",
            "`sections.a.after` is `a`, which is not",
        ),
        (
            {"sections": {"a": {"type": "tabel"}}},
            "sections",
            "`sections.a.type` is `tabel`, which is not a type (`markdown`, `list`, `steps`, "
            "`checklist`, `table`); did you mean `table`?",
        ),
        (
            {"fields": {"a": {"type": "person"}}},
            "fields",
            "`fields.a.type` is `person`, which is not a type (`people`, `text`, `date`, "
            "`reference`, `boolean`, `mapping`, `data`); did you mean `people`?",
        ),
        (
            {"sections": {"slos": {"type": "table"}}},
            "sections",
            "`sections.slos` is a table: give its `columns`",
        ),
        (
            {"sections": {"slos": {"type": "list", "columns": ["a"]}}},
            "sections",
            "`sections.slos.columns` is only for `type: table`",
        ),
        (
            {"sections": {"slos": {"type": "table", "columns": ["a"], "labels": {"b": "B"}}}},
            "sections",
            "`sections.slos.labels` names `b`, which is not one of its columns",
        ),
        (
            {"fields": {"a": {"lable": "A"}}},
            "fields",
            "`fields.a` has the option `lable`, which does not exist (`label`, `type`); "
            "did you mean `label`?",
        ),
        (
            {"fields": {"Team Name": {}}},
            "fields",
            "`fields.Team Name`: a key name is lower case letters",
        ),
        (
            {"fields": {"team": {}}, "sections": {"team": {}}},
            "sections",
            "`sections.team` has the name of a field",
        ),
        ({"preset": "kap"}, "preset", "`preset` is `kap`, which is not a preset"),
        ({"risk_levels": ["High"]}, "risk_levels", "`risk_levels` needs two or more"),
        ({"risk_levels": ["High", "high"]}, "risk_levels", "`risk_levels` needs two or more"),
    ],
)
def test_a_configuration_mistake_names_the_option(
    options: dict[str, Any], option: str, message: str
) -> None:
    with pytest.raises(SiteFormatError) as raised:
        site_definition(**options)
    assert raised.value.option == option
    assert message in str(raised.value)


def test_a_configuration_mistake_stops_the_build(
    site: SiteBuilder, caplog: pytest.LogCaptureFixture
) -> None:
    _site(site)
    with pytest.raises(Abort):
        site.build(plugin_options={"sections": {"slos": {"after": "monitorng"}}})
    assert (
        "Plugin 'techplan' option 'sections': `sections.slos.after` is "
        "`monitorng`, which is not `header`" in caplog.text
    )
    assert "did you mean `monitoring`?" in caplog.text


def test_an_unknown_preset_stops_the_build(
    site: SiteBuilder, caplog: pytest.LogCaptureFixture
) -> None:
    _site(site)
    with pytest.raises(Abort):
        site.build(plugin_options={"preset": "kap"})
    assert "Plugin 'techplan' option 'preset'" in caplog.text


def test_no_options_is_the_shipped_format_and_equal_options_give_one_definition() -> None:
    assert site_definition() is default_definition()
    assert site_definition(**OPTIONS) is site_definition(**json.loads(json.dumps(OPTIONS)))
    assert site_keys(site_definition(**OPTIONS)) == {
        "reviewers", "team", "decided", "tracking_issue",
        "motivation", "goals", "alternatives", "compatibility", "slos",
    }  # fmt: skip


def test_sections_after_one_anchor_keep_the_written_order() -> None:
    definition = site_definition(
        sections={"b": {"after": "risks"}, "a": {"after": "risks"}, "c": {"after": "a"}}
    )
    headings = [section.heading for section in definition.sections]
    at = headings.index("Risk Assessment")
    assert headings[at + 1 : at + 4] == ["B", "A", "C"]
    # after `dependencies` is after the whole Dependencies & Blockers section
    definition = site_definition(sections={"x": {"after": "dependencies"}})
    headings = [section.heading for section in definition.sections]
    assert headings[headings.index("Dependencies & Blockers") + 1] == "X"


# -- pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
def test_each_type_of_site_section_renders_in_its_place(site: SiteBuilder, theme: str) -> None:
    _site(site)
    result = site.build(theme=theme, plugin_options=_options())
    assert not result.failed, result.messages
    page = result.content("plans/a/index.html")
    h2 = [heading.get_text(strip=True).rstrip("¶") for heading in page.find_all("h2")]
    assert h2 == H2_ORDER

    def after(title: str) -> Any:
        heading = page.find("h2", id=lambda _: True, string=lambda s: s and title in s)
        heading = heading or next(h for h in page.find_all("h2") if title in h.get_text())
        return heading.find_next_sibling()

    motivation = after("Motivation")
    assert motivation.name == "p" and motivation.find("strong").get_text() == "slow"
    goals = after("Goals and Non-Goals")
    assert goals.name == "ul"
    assert [li.get_text() for li in goals.find_all("li")] == ["Fast logins", "Fewer tickets"]
    alternatives = after("Alternatives Considered")
    assert alternatives.name == "ol"
    assert [li.get_text() for li in alternatives.find_all("li")] == ["Keep JWTs", "Buy a product"]
    compatibility = after("Compatibility")
    boxes = compatibility.find_all("input", type="checkbox")
    assert [box.has_attr("checked") for box in boxes] == [False, True]
    table = after("Service Level Objectives")
    assert table.name == "table"
    assert [th.get_text() for th in table.find_all("th")] == ["Objective", "Target", "Time window"]
    rows = [
        [td.get_text() for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")
    ]
    assert rows == [["Availability", "99.9%", "30 days"], ["Latency | p99", "< 200 ms", ""]]


def test_site_fields_are_header_lines_after_the_specification(site: SiteBuilder) -> None:
    _site(site)
    result = site.build(plugin_options=_options())
    page = result.content("plans/a/index.html")
    labels = [
        strong.get_text() for strong in page.find_all("strong") if strong.get_text()[-1:] == ":"
    ]
    assert labels[:8] == [
        "Status:", "Author:", "Date:", "Specification:",
        "Reviewers:", "Owning team:", "Decided on:", "Tracking issue:",
    ]  # fmt: skip
    text = page.get_text()
    assert "Reviewers: Bob, Carol" in text
    assert "Decided on: 2026-03-02" in text
    team = next(s for s in page.find_all("strong") if s.get_text() == "Owning team:")
    assert team.find_next_sibling("code").get_text() == "infra"
    tracking = next(s for s in page.find_all("strong") if s.get_text() == "Tracking issue:")
    link = tracking.find_next_sibling("a")
    assert link.get_text() == "Auth spec" and link["href"] == "../../specs/auth/#tracking"


def test_an_absent_or_empty_site_key_is_left_out(site: SiteBuilder) -> None:
    _site(site, "title: Bare\nstatus: Draft\nmotivation: ''\ngoals: []\nreviewers: []\n")
    result = site.build(plugin_options=_options(), strict=False)
    page = result.content("plans/a/index.html")
    assert page.find_all("h2") == []
    assert "Reviewers" not in page.get_text()


def test_a_risk_matrix_of_the_sites_levels(site: SiteBuilder) -> None:
    _site(site)
    result = site.build(plugin_options=_options())
    page = result.content("plans/a/index.html")
    matrix = page.select_one(".techplan-risk-matrix__table")
    assert [th.get_text() for th in matrix.select("thead th")] == [
        "Low", "Medium", "High", "Critical",
    ]  # fmt: skip
    assert [th.get_text() for th in matrix.select("tbody th")] == [
        "Critical", "High", "Medium", "Low",
    ]  # fmt: skip
    cell = matrix.select_one('td[data-impact="critical"][data-probability="low"]')
    assert "Outage" in cell.get_text()
    assert (
        "techplan-risk-matrix__cell--high"
        in matrix.select_one('td[data-impact="critical"][data-probability="critical"]')["class"]
    )
    # the risks table shows the configured spelling
    risks = [td.get_text() for td in page.find_all("table")[-2].find_all("td")]
    assert "Critical" in risks and "critical" not in risks
    # Critical and High count as high risks in the index
    index = result.content("plans/index.html")
    assert index.select_one(".techplan-cell--high_risks").get_text() == "2"


def test_a_level_the_site_does_not_have_is_an_error(site: SiteBuilder) -> None:
    _site(site, PLAN.replace("impact: High", "impact: Severe"))
    result = site.build(plugin_options=_options())
    assert result.failed
    assert any(
        "plans/a/plan.yaml:31:" in warning and "Critical" in warning and "Severe" in warning
        for warning in result.techplan_warnings
    ), result.techplan_warnings


# -- validation, rules, index, plans.json, templates -----------------------------------------


def test_site_keys_are_validated_with_position_and_suggestion(site: SiteBuilder) -> None:
    _site(site, "title: T\nstatus: Draft\nreviewer: Bob\nslos:\n  - {objectiv: x}\ngoals: nope\n")
    result = site.build(plugin_options=_options())
    assert result.failed
    warnings = "\n".join(result.techplan_warnings)
    assert "plans/a/plan.yaml:3:1: unknown key `reviewer`" in warnings
    assert "did you mean `reviewers`?" in warnings
    assert "plans/a/plan.yaml:5:6: unknown key `objectiv` in `slos[0]`" in warnings
    assert "did you mean `objective`?" in warnings
    assert "plans/a/plan.yaml:6:8: `goals` should be a list" in warnings


def test_a_dangling_reference_field_is_a_warning_with_a_suggestion(site: SiteBuilder) -> None:
    _site(site, "title: T\nstatus: Draft\ntracking_issue: ../../specs/auht.md\n")
    result = site.build(plugin_options=_options())
    assert result.failed
    assert any(
        warning.startswith("docs/plans/a/plan.yaml:3:17:") and "specs/auth.md" in warning
        for warning in result.techplan_warnings
    ), result.techplan_warnings


def test_status_rules_may_require_site_keys(site: SiteBuilder) -> None:
    _site(site, "title: T\nstatus: Approved\nauthor: Ada\n")
    rules = {"Approved": ["author", "reviewers", "slos"]}
    result = site.build(plugin_options=_options(status_rules=rules))
    assert result.techplan_warnings == [
        "docs/plans/a/plan.yaml:2:9: status `Approved` requires at least one entry in "
        "`reviewers`; add one, or change the status",
        "docs/plans/a/plan.yaml:2:9: status `Approved` requires at least one entry in `slos`; "
        "add one, or change the status",
    ]
    _site(site)
    met = site.build(
        plugin_options=_options(status_rules={"Draft": ["reviewers", "slos", "motivation"]})
    )
    assert not met.failed, met.messages


def test_a_status_rule_naming_an_unknown_key_suggests_a_site_key(
    site: SiteBuilder, caplog: pytest.LogCaptureFixture
) -> None:
    _site(site)
    with pytest.raises(Abort):
        site.build(plugin_options=_options(status_rules={"Approved": ["reviewer"]}))
    assert "did you mean `reviewers`?" in caplog.text


def test_the_index_shows_site_fields_as_columns(site: SiteBuilder) -> None:
    _site(site)
    site.write("list.md", '# List\n\n<!-- techplan:index columns="title, team, decided" -->\n')
    columns = ["title", "status", "reviewers", "team", "tracking_issue"]
    result = site.build(plugin_options=_options(index={"columns": columns}))
    assert not result.failed, result.messages
    index = result.content("plans/index.html")
    headers = [th.get_text(strip=True) for th in index.select("table thead th")]
    assert headers == ["Plan", "Status", "Reviewers", "Owning team", "Tracking issue"]
    assert index.select_one(".techplan-cell--reviewers").get_text() == "Bob, Carol"
    assert index.select_one(".techplan-cell--team code").get_text() == "infra"
    link = index.select_one(".techplan-cell--tracking_issue a")
    assert link["href"] == "../specs/auth/#tracking"
    listing = result.content("list/index.html")
    assert [th.get_text(strip=True) for th in listing.select("table thead th")] == [
        "Plan", "Owning team", "Decided on",
    ]  # fmt: skip
    assert listing.select_one(".techplan-cell--decided").get_text() == "2026-03-02"


def test_an_index_column_that_is_not_a_field_stops_the_build(
    site: SiteBuilder, caplog: pytest.LogCaptureFixture
) -> None:
    _site(site)
    with pytest.raises(Abort):
        site.build(plugin_options=_options(index={"columns": ["title", "reviewer"]}))
    assert "`index.columns` names 'reviewer', which is not a column" in caplog.text
    assert "did you mean `reviewers`?" in caplog.text


def test_plans_json_carries_the_site_keys(site: SiteBuilder) -> None:
    _site(site)
    result = site.build(plugin_options=_options(), site_url="https://docs.example.com/")
    data = json.loads((result.site_dir / "plans/plans.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, plans_json_schema(), cls=jsonschema.Draft202012Validator)
    fields = data["plans"][0]["fields"]
    assert fields["reviewers"] == ["Bob", "Carol"]
    assert fields["team"] == "Platform `infra`"
    assert fields["decided"] == "2026-03-02"
    assert fields["tracking_issue"] == {
        "text": "Auth spec",
        "url": "specs/auth/#tracking",
        "absolute_url": "https://docs.example.com/specs/auth/#tracking",
    }
    assert fields["goals"] == ["Fast logins", "Fewer tickets"]
    assert fields["compatibility"] == [
        {"item": "Old clients keep working", "done": False},
        {"item": "Version skew tested", "done": True},
    ]
    assert fields["slos"][1] == {"objective": "Latency | p99", "target": "< 200 ms"}
    assert fields["motivation"].startswith("Logins are **slow**.")


def test_custom_templates_see_site_keys(site: SiteBuilder) -> None:
    _site(site)
    (site.root / "plan.md.j2").write_text(
        '{% extends "techplan/plan.md.j2" %}\n'
        "{% block architecture %}\n"
        "Team: {{ plan.fields.team | inline }}; "
        "fields: {% for key in site.fields %}{{ key.name }} {% endfor %}\n\n"
        "{{ super() | trusted }}\n"
        "{% endblock %}\n",
        encoding="utf-8",
    )
    result = site.build(plugin_options=_options(template="plan.md.j2"))
    assert not result.failed, result.messages
    text = result.content("plans/a/index.html").get_text()
    assert "Team: Platform infra; fields: reviewers team decided tracking_issue" in text


# -- presets -----------------------------------------------------------------------------------


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_a_preset_builds_and_a_site_adds_to_it(site: SiteBuilder, preset: str) -> None:
    chosen = PRESETS[preset]
    first_section = next(iter(chosen.sections))
    first_field = next(iter(chosen.fields))
    _site(
        site,
        "title: T\nstatus: Draft\n"
        f"{first_field}: x\n{first_section}: Why we do it.\nsecurity_review: Done.\n",
    )
    options = {
        "preset": preset,
        "sections": {"security_review": {"title": "Security review", "after": first_section}},
    }
    result = site.build(plugin_options=options)
    assert not result.failed, result.messages
    page = result.content("plans/a/index.html")
    h2 = [heading.get_text(strip=True) for heading in page.find_all("h2")]
    assert h2 == [chosen.sections[first_section]["title"], "Security review"]
    assert f"{chosen.fields[first_field]['label']}:" in page.get_text()
    definition = site_definition(**options)
    assert set(chosen.sections) | set(chosen.fields) <= site_keys(definition)


def test_a_site_can_retitle_a_preset_section() -> None:
    definition = site_definition(preset="kep", sections={"drawbacks": {"title": "Costs"}})
    assert "Costs" in [section.heading for section in definition.sections]
    assert "Drawbacks" not in [section.heading for section in definition.sections]


def test_risk_levels_default_and_configured() -> None:
    assert risk_levels_of(default_definition()) == ("High", "Medium", "Low")
    assert risk_levels_of(site_definition(risk_levels=["P0", "P1", "P2", "P3"])) == (
        "P0", "P1", "P2", "P3",
    )  # fmt: skip


# -- the command line with -f ------------------------------------------------------------------


def _cli_site(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    (docs / "specs").mkdir(parents=True)
    (docs / "plans" / "a").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "specs" / "auth.md").write_text("# Auth spec\n\n## Tracking\n", encoding="utf-8")
    (docs / "plans" / "a" / "plan.yaml").write_text(
        PLAN.replace("impact: critical, probability: low", "impact: Critical, probability: Low"),
        encoding="utf-8",
    )
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        yaml.safe_dump({"site_name": "S", "plugins": [{"techplan": OPTIONS}]}, sort_keys=False),
        encoding="utf-8",
    )
    return config


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_schema_with_f_prints_the_sites_schema(tmp_path: Path) -> None:
    config = _cli_site(tmp_path)
    schema = json.loads(_run("schema", "-f", str(config)).stdout)
    assert list(schema["properties"])[7:11] == ["reviewers", "team", "decided", "tracking_issue"]
    plan = yaml.safe_load((tmp_path / "docs/plans/a/plan.yaml").read_text(encoding="utf-8"))
    plan = json.loads(json.dumps(plan, default=str))  # dates as the plugin reads them: text
    jsonschema.Draft202012Validator(schema).validate(plan)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate({**plan, "reviewer": "x"})
    shipped = json.loads(_run("schema").stdout)
    assert "reviewers" not in shipped["properties"]


def test_new_with_f_scaffolds_site_keys_in_their_places(tmp_path: Path) -> None:
    config = _cli_site(tmp_path)
    target = tmp_path / "docs/plans/b"
    result = _run("new", "-f", str(config), str(target))
    assert result.exit_code == 0, result.output
    text = (target / "plan.yaml").read_text(encoding="utf-8")
    order = [
        "# specification:", "# reviewers:", "# tracking_issue:", "# summary:",
        "## ── Motivation", "## ── Goals and Non-Goals", "## ── Architecture Overview",
        "## ── Alternatives Considered", "## ── Service Level Objectives",
        "## ── Risk Assessment",
    ]  # fmt: skip
    places = [text.index(marker) for marker in order]
    assert places == sorted(places)
    assert "#   - objective: …" in text
    assert "impact: Critical" in text  # the example uses the site's levels
    uncommented = "\n".join(
        line[2:] if line.startswith("# ") and not line.startswith("## ") else line
        for line in text.splitlines()
    )
    assert yaml.safe_load(uncommented)["slos"] == [{"objective": "…", "target": "…", "window": "…"}]


def test_validate_with_f_checks_site_keys(tmp_path: Path) -> None:
    config = _cli_site(tmp_path)
    assert _run("validate", "-f", str(config)).exit_code == 0
    plan = tmp_path / "docs/plans/a/plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "reviewer: x\n", encoding="utf-8")
    result = _run("validate", "-f", str(config))
    assert result.exit_code == 1
    assert "unknown key `reviewer`; did you mean `reviewers`?" in result.stdout
    # found by itself, as `mkdocs` finds its mkdocs.yml
    assert _run("validate", str(plan)).exit_code == 1


def test_render_then_import_with_f_gives_back_every_kind_of_site_key(tmp_path: Path) -> None:
    config = _cli_site(tmp_path)
    plan = tmp_path / "docs/plans/a/plan.yaml"
    rendered = _run("render", "-f", str(config), str(plan))
    assert rendered.exit_code == 0, rendered.output
    assert "## Service Level Objectives" in rendered.stdout
    markdown = tmp_path / "a.md"
    markdown.write_text(rendered.stdout, encoding="utf-8")
    imported = _run("import", "-f", str(config), str(markdown))
    assert imported.exit_code == 0, imported.output
    assert yaml.safe_load(imported.stdout) == yaml.safe_load(plan.read_text(encoding="utf-8"))
    # The page carries its plan file: without the site too, it comes back as it was (and
    # its site's keys are unknown to the shipped format, which import says).
    alone = _run("import", str(markdown))
    assert alone.stdout == plan.read_text(encoding="utf-8")
    assert alone.exit_code == 1 and "unknown key `team`" in alone.stderr
    # A page without it (edited since): read as Markdown; without the site's sections, they
    # cannot be placed, but nothing is lost.
    markdown.write_text(split_source(rendered.stdout)[0], encoding="utf-8")
    alone = _run("import", str(markdown))
    assert alone.exit_code == 1
    unplaced = yaml.safe_load(alone.stdout)["x-unplaced"]
    assert any("## Service Level Objectives" in part["markdown"] for part in unplaced)


@pytest.mark.parametrize(
    "options",
    [
        {},
        OPTIONS,
        *({"preset": name} for name in PRESETS),
        {
            "fields": {
                f"my_{kind}": {"label": kind, "type": kind}
                for kind in ("people", "text", "date", "reference", "boolean", "mapping", "data")
            }
        },
    ],
    ids=lambda options: ",".join(options) or "shipped",
)
def test_a_part_left_out_models_as_reading_nothing(options: dict[str, Any]) -> None:
    """The model takes a part a plan leaves out as its kind's empty value at once: for every
    key of every kind, what reading `None` as that key gives."""
    from mkdocs_techplan.format import model

    definition = site_definition(**options)
    reader = model._Reader(None)
    keys = list(definition.keys)
    while keys:
        key = keys.pop()
        assert model._empty(key) == reader.value(key, None, key.path), key.path
        keys.extend(key.parts)
