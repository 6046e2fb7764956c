"""The format is defined once, in the plan schema: sections, headings, keys and their kinds
are read from it, and a key added there reaches validation, the model, pages and `new`."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import SiteBuilder, full_plan_text

from mkdocs_techplan.cli.main import main
from mkdocs_techplan.cli.scaffold import NewPlan, plan_text
from mkdocs_techplan.format import definition
from mkdocs_techplan.format.definition import Definition, default_definition, load_schema
from mkdocs_techplan.format.loading import load_document
from mkdocs_techplan.format.model import PlanSource, build_plan
from mkdocs_techplan.format.validation import validate_document

STATUSES = ["Draft", "In Review", "Approved"]
SOURCE = PlanSource("plans/a/plan.yaml", "plans/a/index.md", "docs/plans/a/plan.yaml")
# What the default template shows, section by section: the definition must say the same.
PAGE_SECTIONS = [
    "Architecture Overview", "Component Design", "Data Model", "API Design",
    "Implementation Approach", "Testing Strategy", "Security Considerations",
    "Performance Considerations", "Monitoring & Observability", "Risk Assessment",
    "Dependencies & Blockers", "Rollback Plan", "Open Questions", "Revision History",
]  # fmt: skip


def test_sections_and_their_headings_come_in_page_order() -> None:
    shipped = default_definition()
    assert [section.heading for section in shipped.sections] == PAGE_SECTIONS
    assert [key.name for key in shipped.header] == [
        "title", "id", "version", "status", "author", "date", "specification", "summary",
        "tags", "supersedes", "depends_on", "extends", "related", "links", "extra",
    ]  # fmt: skip
    shared = shipped.section_for_heading("dependencies & BLOCKERS")
    assert shared is not None
    assert [key.name for key in shared.keys] == ["dependencies", "blockers"]


def test_an_importer_finds_keys_by_heading_and_label() -> None:
    shipped = default_definition()
    data_model = shipped.section_for_heading("Data Model")
    assert data_model is not None
    schema_changes = data_model.key_for_heading("schema changes")
    assert schema_changes is not None
    assert (schema_changes.path, schema_changes.kind) == (("data_model", "schema_changes"), "code")
    blockers = shipped.section_for_heading("Dependencies & Blockers")
    assert blockers is not None and blockers.key_for_heading("Blockers") is shipped.key("blockers")
    author = shipped.header_key_for_label("Author")
    assert author is not None and author.kind == "people"
    components = shipped.key("components")
    assert components is not None and components.kind == "records"
    purpose = components.part_for_label("Purpose")
    assert purpose is not None and purpose.kind == "text"
    endpoints = shipped.key(("api", "endpoints"))
    assert endpoints is not None and endpoints.kind == "table"
    assert [part.label for part in endpoints.parts] == ["Method", "Endpoint", "Purpose"]
    assert endpoints.required == {"method", "path"}
    interfaces_language = components.part("interfaces_language")
    assert interfaces_language is not None and interfaces_language.default == "typescript"


def test_kinds_follow_the_schema() -> None:
    kinds = {
        ".".join(key.path): key.kind
        for key in definition.walk(default_definition().keys)
        if len(key.path) > 1 or key.kind != "text"
    }
    assert kinds["architecture"] == "mapping"
    assert kinds["architecture.overview"] == "markdown"
    assert kinds["architecture.diagram"] == "code"
    assert kinds["security.data_protection"] == "checklist"
    assert kinds["rollback"] == "steps"
    assert kinds["testing.integration"] == "list"
    assert kinds["risks"] == "table"
    assert kinds["specification"] == "references"
    assert kinds["api.schemas"] == "reference"
    assert kinds["extra"] == "free"


def test_a_site_extends_the_definition_without_a_copy_of_the_format() -> None:
    shipped = default_definition()
    extended = shipped.extended(
        {
            "motivation": {"$ref": "#/$defs/markdown", "x-techplan-section": "Motivation"},
            "goals": {"$ref": "#/$defs/markdown", "x-techplan-section": "Goals"},
            "compatibility": {"$ref": "#/$defs/checklist", "x-techplan-section": "Compatibility"},
            "reviewers": {"$ref": "#/$defs/text", "x-techplan-label": "Reviewers"},
        },
        after={
            "motivation": "header",
            "goals": "motivation",
            "compatibility": "dependencies",
            "reviewers": "specification",
        },
    )
    headings = [section.heading for section in extended.sections]
    assert headings[:3] == ["Motivation", "Goals", "Architecture Overview"]
    assert headings[headings.index("Dependencies & Blockers") + 1] == "Compatibility"
    assert [key.name for key in extended.header][6:8] == ["specification", "reviewers"]
    assert "motivation" not in shipped.schema["properties"]  # the shipped one is untouched
    with pytest.raises(ValueError, match="title"):
        shipped.extended({"title": {}}, after={})
    with pytest.raises(ValueError, match="cycle"):
        shipped.extended({"a": {}, "b": {}}, after={"a": "b", "b": "a"})


# -- a key added to a section: schema and template only -------------------------------------

CONSTRAINTS = "Must run on **one** node; no new services."


@pytest.fixture
def constraints_in_the_schema(monkeypatch: pytest.MonkeyPatch) -> Iterator[Definition]:
    """The shipped schema with one Markdown key added to `architecture`: the only change to
    the format (besides a template that shows it)."""
    schema: dict[str, Any] = copy.deepcopy(load_schema())
    schema["properties"]["architecture"]["properties"]["constraints"] = {
        "$ref": "#/$defs/markdown",
        "description": "Constraints the architecture must respect (Markdown).",
    }
    monkeypatch.setattr(definition, "load_schema", lambda: schema)
    default_definition.cache_clear()
    yield default_definition()
    default_definition.cache_clear()


TEMPLATE = """\
{% extends "techplan/plan.md.j2" %}
{% block architecture %}
{{ super() | trusted }}
{% if plan.architecture and plan.architecture.constraints %}
### Constraints

{{ plan.architecture.constraints | block }}

{% endif %}
{% endblock %}
"""


def _with_constraints() -> str:
    data = yaml.safe_load(full_plan_text())
    data["architecture"]["constraints"] = CONSTRAINTS
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def test_a_markdown_key_added_to_a_section_is_validated(
    constraints_in_the_schema: Definition,
) -> None:
    def problems(text: str) -> list[str]:
        return [message for _, message in validate_document(load_document(text.encode()), STATUSES)]

    assert problems(_with_constraints()) == []
    assert problems("title: x\nstatus: Draft\narchitecture: {constraint: x}\n") == [
        "unknown key `constraint` in `architecture`; did you mean `constraints`?"
    ]
    assert problems("title: x\nstatus: Draft\narchitecture: {constraints: [x]}\n") == [
        "`architecture.constraints` should be text, not a list"
    ]


def test_a_markdown_key_added_to_a_section_is_in_the_model(
    constraints_in_the_schema: Definition,
) -> None:
    plan = build_plan(load_document(_with_constraints().encode()), SOURCE, "Draft", [])
    assert plan.architecture is not None
    assert plan.architecture.constraints == CONSTRAINTS
    assert plan.architecture.overview  # the keys already there are still read
    without = build_plan(load_document(full_plan_text().encode()), SOURCE, "Draft", [])
    assert without.architecture is not None and without.architecture.constraints is None


def test_a_markdown_key_added_to_a_section_is_on_the_page(
    constraints_in_the_schema: Definition, site: SiteBuilder
) -> None:
    site.write("plans/a/plan.yaml", _with_constraints())
    site.write("specs/auth.md", "# Authentication spec\n\n## Tokens\n")
    site.write("specs/auth-api.md", "# Auth API\n")
    (site.root / "plan.md.j2").write_text(TEMPLATE, encoding="utf-8")
    result = site.build(plugin_options={"template": "plan.md.j2"})
    assert not result.failed, result.messages
    page = result.content("plans/a/index.html")
    h2 = [heading.get_text(strip=True) for heading in page.find_all("h2")]
    assert h2[:2] == ["Architecture Overview", "Component Design"]
    heading = page.find("h3", string="Constraints")
    assert heading is not None
    paragraph = heading.find_next_sibling("p")
    assert paragraph is not None
    assert paragraph.get_text() == "Must run on one node; no new services."
    assert paragraph.strong is not None and paragraph.strong.get_text() == "one"
    # It sits in its section: after the architecture's diagram, before the next section.
    assert heading.find_next("h2").get_text(strip=True) == "Component Design"
    assert heading.find_previous("h2").get_text(strip=True) == "Architecture Overview"


def test_a_markdown_key_added_to_a_section_is_in_the_scaffold(
    constraints_in_the_schema: Definition,
) -> None:
    text = plan_text(NewPlan("X", "Draft", date=datetime.date(2026, 11, 2)), "schema.json")
    assert "#   constraints: Constraints the architecture must respect (Markdown)." in text
    uncommented = "\n".join(
        line[2:] if line.startswith("# ") else line[1:] if line.startswith("#") else line
        for line in text.splitlines()[1:]
    )
    data = yaml.safe_load(uncommented)
    assert data["architecture"]["constraints"].startswith("Constraints the architecture")
    document = load_document(uncommented.encode())
    assert validate_document(document, STATUSES) == []


def test_a_markdown_key_added_to_a_section_is_read_back_by_import(
    constraints_in_the_schema: Definition, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("plan.yaml").write_text(_with_constraints(), encoding="utf-8")
    Path("plan.md.j2").write_text(TEMPLATE, encoding="utf-8")
    runner = CliRunner()
    rendered = runner.invoke(main, ["render", "plan.yaml", "--template", "plan.md.j2"])
    assert rendered.exit_code == 0, rendered.stderr
    assert "### Constraints" in rendered.stdout
    Path("page.md").write_text(rendered.stdout, encoding="utf-8")
    imported = runner.invoke(main, ["import", "page.md", "-o", "copy.plan.yaml"])
    assert imported.exit_code == 0, imported.stderr  # nothing left unplaced
    copy = yaml.safe_load(Path("copy.plan.yaml").read_text(encoding="utf-8"))
    original = yaml.safe_load(_with_constraints())
    assert copy["architecture"]["constraints"] == CONSTRAINTS
    # the parts shown above it (overview and diagrams) are still told apart from it
    assert copy["architecture"] == original["architecture"]
    again = runner.invoke(main, ["render", "copy.plan.yaml", "--template", "plan.md.j2"])
    assert again.stdout == rendered.stdout
