"""The `mkdocs-techplan` command: each subcommand through click's runner, exact output for the
main error cases, and each once as the installed console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner, Result
from conftest import EXAMPLE_SITE, FULL_PLAN, REPO, full_plan_text

from mkdocs_techplan.cli.main import main
from mkdocs_techplan.format.validation import plan_schema
from mkdocs_techplan.markdown.carried_source import split_source
from mkdocs_techplan.markdown.escaping import plain

SCRIPT = Path(sys.executable).with_name("mkdocs-techplan")
EXAMPLE_PLANS = sum(
    path.name.endswith(("plan.yaml", "plan.yml", "plan.md"))
    for path in (EXAMPLE_SITE / "docs").rglob("*")
)
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "mkdocs_techplan/schema/plan.schema.json"

BAD_PLAN = """\
title: Auth
status: Aproved
componets: []
date: 2026-02-30
"""
BROKEN_YAML = """\
title: [unclosed
status: Draft
"""
STATUS_MESSAGE = (
    "`status` is `Aproved`, which is not a status of this site; use one of `Draft`, "
    "`In Review`, `Approved`; did you mean `Approved`?"
)
KEY_MESSAGE = "unknown key `componets`; did you mean `components`?"
DATE_MESSAGE = (
    "`date` is `2026-02-30`, which is not a date; write a real date as YYYY-MM-DD, "
    "for example 2026-11-02"
)
YAML_MESSAGE = (
    "invalid YAML: did not find expected ',' or ']' "
    "(while parsing a flow sequence that starts at line 1, column 8); a value that starts with "
    "`[` is a YAML list: close it with `]`, or, if it is text (a Markdown link such as "
    "`[#335](https://…)`), put the whole value in double quotes"
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write(path: str, text: str) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(textwrap.dedent(text), encoding="utf-8")
    return target


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in an empty folder: paths in messages are relative to it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def bad_plans(here: Path) -> Path:
    write("plans/auth/plan.yaml", BAD_PLAN)
    write("plans/broken/plan.yaml", BROKEN_YAML)
    return here


def make_site(plan: str, *, options: str = "") -> None:
    """A MkDocs project in the current folder: one plan and a spec page."""
    write("mkdocs.yml", f"site_name: Test\nplugins:\n  - techplan{options}\n")
    write("docs/index.md", "# Home\n")
    write("docs/specs/auth.md", "# Authentication spec\n\n## Tokens\n")
    write("docs/plans/auth/plan.yaml", plan)


# -- validate --------------------------------------------------------------------------------


def test_validate_text_reports_each_problem_then_a_summary(bad_plans: Path) -> None:
    result = run("validate")
    assert result.exit_code == 1
    assert result.stdout == (
        f"plans/auth/plan.yaml:2:9: {STATUS_MESSAGE}\n"
        f"plans/auth/plan.yaml:3:1: {KEY_MESSAGE}\n"
        f"plans/auth/plan.yaml:4:7: {DATE_MESSAGE}\n"
        f"plans/broken/plan.yaml:2:7: {YAML_MESSAGE}\n"
        "checked 2 plan files: 4 problems in 2 files\n"
    )


def test_validate_json_is_a_list_of_problems(bad_plans: Path) -> None:
    result = run("validate", "plans/auth", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {"file": "plans/auth/plan.yaml", "line": 2, "column": 9, "message": STATUS_MESSAGE},
        {"file": "plans/auth/plan.yaml", "line": 3, "column": 1, "message": KEY_MESSAGE},
        {"file": "plans/auth/plan.yaml", "line": 4, "column": 7, "message": DATE_MESSAGE},
    ]


def test_validate_github_prints_workflow_annotations(bad_plans: Path) -> None:
    result = run("validate", "plans/broken/plan.yaml", "plans/auth", "--format", "github")
    assert result.exit_code == 1
    # A comma or colon in a property, and a newline or % in the message, must be escaped.
    assert result.stdout == (
        f"::error file=plans/auth/plan.yaml,line=2,col=9,title=techplan::{STATUS_MESSAGE}\n"
        f"::error file=plans/auth/plan.yaml,line=3,col=1,title=techplan::{KEY_MESSAGE}\n"
        f"::error file=plans/auth/plan.yaml,line=4,col=7,title=techplan::{DATE_MESSAGE}\n"
        f"::error file=plans/broken/plan.yaml,line=2,col=7,title=techplan::{YAML_MESSAGE}\n"
        "checked 2 plan files: 4 problems in 2 files\n"
    )


def test_github_annotations_escape_what_the_syntax_reserves() -> None:
    from mkdocs_techplan.cli.reports import github_annotation
    from mkdocs_techplan.format.problems import Position, Problem

    problem = Problem("a,b:c.yaml", Position(3, 4), "100% wrong\nsecond line")
    assert github_annotation(problem) == (
        "::error file=a%2Cb%3Ac.yaml,line=3,col=4,title=techplan::100%25 wrong%0Asecond line"
    )


def test_validate_clean_plans_exits_0(here: Path) -> None:
    write("docs/plans/auth/plan.yaml", full_plan_text())
    write("docs/plans/2026/billing.plan.yml", "title: Billing\nstatus: draft\n")
    result = run("validate", "docs")
    assert result.exit_code == 0
    assert result.stdout == "checked 2 plan files: no problems\n"
    assert run("validate", "docs", "--format", "json").stdout == "[]\n"


def test_validate_finds_plans_in_folders_by_name_only(here: Path) -> None:
    write("docs/notes.yaml", "not: a plan\n")
    write("docs/.hidden/plan.yaml", BAD_PLAN)
    write("docs/a/plan.yaml", "title: A\nstatus: Draft\n")
    write("docs/b.plan.yml", "title: B\nstatus: Draft\n")
    assert run("validate", "docs").stdout == "checked 2 plan files: no problems\n"
    # A file named on the command line is checked whatever its name.
    result = run("validate", "docs/notes.yaml")
    assert result.stdout.splitlines()[0].startswith("docs/notes.yaml:1:1: ")


def test_validate_usage_errors_exit_2(here: Path) -> None:
    result = run("validate", "missing")
    assert result.exit_code == 2
    assert "Path 'missing' does not exist" in result.stderr
    assert run("validate", "--format", "xml").exit_code == 2


def test_validate_with_site_checks_references_and_status_rules(here: Path) -> None:
    make_site("title: Auth\nstatus: Approved\nspecification: ../../specs/auht.md\n")
    result = run("validate", "-f", "mkdocs.yml")
    assert result.exit_code == 1
    where = "docs/plans/auth/plan.yaml"
    assert result.stdout == (
        f"{where}:2:9: status `Approved` requires `author`; add it, or change the status\n"
        f"{where}:2:9: status `Approved` requires `date`; add it, or change the status\n"
        f"{where}:2:9: status `Approved` requires at least one entry in `revisions`; add one, "
        "or change the status\n"
        f"{where}:3:16: `specification` points to `../../specs/auht.md`, but there is no page "
        "`specs/auht.md` in the docs; did you mean `../../specs/auth.md`?\n"
        "checked 1 plan file: 4 problems in 1 file\n"
    )
    # The site is found from the paths, as mkdocs finds it; --alone checks the plan alone.
    found = run("validate", "docs")
    assert found.exit_code == 1 and found.stdout == result.stdout
    assert "checking against the site of mkdocs.yml" in found.stderr
    assert run("validate", "--alone", "docs").exit_code == 0
    assert run("validate", "docs/plans/auth/plan.yaml").exit_code == 1  # from a file, too


def test_validate_with_site_uses_its_statuses(here: Path) -> None:
    make_site("title: Auth\nstatus: Rejected\n", options=":\n      statuses: [Draft, Rejected]")
    assert run("validate", "-f", "mkdocs.yml").exit_code == 0
    assert run("validate", "docs").exit_code == 0  # the site found around the plans
    assert run("validate", "--alone", "docs").exit_code == 1


def test_validate_with_site_and_paths_reports_only_those_plans(here: Path) -> None:
    make_site("title: Auth\nstatus: Draft\nspecification: ../../specs/nope.md\n")
    write("docs/plans/other/plan.yaml", "title: Other\nstatus: Draft\n")
    assert run("validate", "-f", "mkdocs.yml", "docs/plans/other").stdout == (
        "checked 1 plan file: no problems\n"
    )
    result = run("validate", "-f", "mkdocs.yml", "docs/plans/auth/plan.yaml")
    assert result.exit_code == 1
    assert result.stdout.startswith("docs/plans/auth/plan.yaml:3:16: `specification` points to")


def test_validate_with_site_sees_a_plan_taking_a_pages_place(here: Path) -> None:
    make_site("title: Auth\nstatus: Draft\n")
    write("docs/plans/auth/index.md", "# Auth\n")
    result = run("validate", "-f", "mkdocs.yml")
    assert result.exit_code == 1
    assert "would become the page `plans/auth/index.md`" in result.stdout


def test_validate_never_builds_or_writes(here: Path) -> None:
    make_site("title: Auth\nstatus: Draft\n")
    before = sorted(str(path) for path in here.rglob("*"))
    assert run("validate", "-f", "mkdocs.yml").exit_code == 0
    assert sorted(str(path) for path in here.rglob("*")) == before


def test_validate_refuses_a_site_without_the_plugin(here: Path) -> None:
    write("mkdocs.yml", "site_name: Test\n")
    write("docs/index.md", "# Home\n")
    result = run("validate", "-f", "mkdocs.yml")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: mkdocs.yml does not enable the `techplan` plugin; add `- techplan` under "
        "`plugins:`\n"
    )


def test_validate_refuses_a_broken_site_configuration(here: Path) -> None:
    write("mkdocs.yml", "site_name: Test\nplugins:\n  - techplan:\n      statuses: 3\n")
    write("docs/index.md", "# Home\n")
    result = run("validate", "-f", "mkdocs.yml")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: mkdocs.yml: techplan: statuses: Expected type: <class 'dict'> but received: "
        "<class 'int'>\n"
    )


def test_validate_example_site_is_clean() -> None:
    result = run("validate", "-f", str(EXAMPLE_SITE / "mkdocs.yml"))
    assert result.exit_code == 0, result.stdout
    assert result.stdout == f"checked {EXAMPLE_PLANS} plan files: no problems\n"


# -- list ------------------------------------------------------------------------------------


def test_list_shows_a_table(here: Path) -> None:
    write("docs/plans/auth/plan.yaml", full_plan_text())
    write("docs/plans/b.plan.yaml", "title: Billing  v2\nstatus: draft\nversion: 1.10\n")
    write("docs/plans/c/plan.yaml", "title: Broken\nstatus: Someday\n")
    result = run("list")
    assert result.exit_code == 0
    assert result.stdout == (
        "STATUS     VERSION  DATE        TITLE                         PATH\n"
        "In Review  1.2      2026-11-02  Session-based authentication  docs/plans/auth/plan.yaml\n"
        "Draft      1.10     -           Billing v2                    docs/plans/b.plan.yaml\n"
        "(invalid)  -        -           Broken                        docs/plans/c/plan.yaml\n"
    )


def test_list_filters_by_status_and_prints_json(here: Path) -> None:
    write("docs/plans/auth/plan.yaml", full_plan_text())
    write("docs/plans/b.plan.yaml", "title: Billing\nstatus: Draft\n")
    result = run("list", "docs", "--status", "in review", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {
            "title": "Session-based authentication",
            "status": "In Review",
            "version": "1.2",
            "date": "2026-11-02",
            "authors": ["Ada Lovelace", "Grace Hopper"],
            "path": "docs/plans/auth/plan.yaml",
            "problems": 0,
        }
    ]


def test_list_rejects_an_unknown_status(here: Path) -> None:
    result = run("list", "--status", "Done")
    assert result.exit_code == 2
    assert "'Done' is not a status; use one of Draft, In Review, Approved" in result.stderr


def test_list_with_site_lists_its_plans() -> None:
    result = run("list", "-f", str(EXAMPLE_SITE / "mkdocs.yml"), "--format", "json")
    plans = json.loads(result.stdout)
    assert len(plans) == EXAMPLE_PLANS
    assert all(plan["path"].endswith((".yaml", ".yml", ".plan.md")) for plan in plans)


# -- schema ----------------------------------------------------------------------------------


def test_schema_prints_the_schema_the_plugin_validates_with() -> None:
    result = run("schema")
    assert result.exit_code == 0
    assert result.stdout == SCHEMA_FILE.read_text(encoding="utf-8")
    assert json.loads(result.stdout) == plan_schema()
    assert Path(run("schema", "--path").stdout.strip()).read_bytes() == SCHEMA_FILE.read_bytes()


def test_schema_is_valid_and_describes_every_key_for_editors() -> None:
    schema = plan_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    for key, definition in schema["properties"].items():
        assert definition.get("description"), key
        assert definition.get("markdownDescription"), key


def test_schema_accepts_the_full_plan() -> None:
    data = yaml.safe_load(FULL_PLAN.read_text(encoding="utf-8"))
    data["date"] = data["date"].isoformat()  # JSON has no dates; editors see text
    for revision in data["revisions"]:
        revision["date"] = revision["date"].isoformat()
    jsonschema.Draft202012Validator(plan_schema()).validate(data)


BROKEN_DOCUMENTS = [
    {"status": "Draft"},
    {"title": "X", "status": "Draft", "componets": []},
    {"title": "X", "status": "Draft", "components": [{"purpose": "no name"}]},
    {"title": "X", "status": "Draft", "risks": [{"risk": "r", "impact": "Huge"}]},
    {"title": "X", "status": "Draft", "testing": {"unit": {"coverage_target": 120}}},
    {"title": "X", "status": "Draft", "date": "2026-13-45", "author": []},
    {"title": "X", "status": "Draft", "specification": [], "open_questions": [{"done": True}]},
    {"title": "X", "status": "Draft", "monitoring": {"logging": {"structured": "yes"}}},
    {"title": "", "status": 3, "x-anything": {"goes": True}},
]


def _errors(validator: jsonschema.protocols.Validator, document: object) -> set[tuple[str, str]]:
    return {(error.json_path, str(error.validator)) for error in validator.iter_errors(document)}


def test_schema_means_the_same_to_draft_7_editors() -> None:
    # The YAML language server (VS Code and others) implements draft 7; the schema uses only
    # keywords that mean the same there, so editors flag exactly what the plugin flags.
    schema = plan_schema()
    checker = jsonschema.FormatChecker(["date"])
    new = jsonschema.Draft202012Validator(schema, format_checker=checker)
    old = jsonschema.Draft7Validator(schema, format_checker=checker)
    full = yaml.safe_load(FULL_PLAN.read_text(encoding="utf-8"))
    full["date"] = full["date"].isoformat()
    for revision in full["revisions"]:
        revision["date"] = revision["date"].isoformat()
    assert _errors(new, full) == _errors(old, full) == set()
    for document in BROKEN_DOCUMENTS:
        assert _errors(new, document), document
        assert _errors(old, document) == _errors(new, document), document


# -- new -------------------------------------------------------------------------------------


def test_new_writes_a_plan_that_validates(here: Path) -> None:
    result = run("new", "docs/plans/search-reindex", "--author", "Ada Lovelace")
    assert result.exit_code == 0
    assert result.stdout == "created docs/plans/search-reindex/plan.yaml\n"
    text = Path("docs/plans/search-reindex/plan.yaml").read_text(encoding="utf-8")
    # No site schema file here: no `$schema=` line pointing at a site that does not exist.
    assert not text.startswith("# yaml-language-server:")
    data = yaml.safe_load(text)
    assert data["title"] == "Search reindex"
    assert data["status"] == "Draft"
    assert data["author"] == "Ada Lovelace"
    assert run("validate", "docs").stdout == "checked 1 plan file: no problems\n"


def _uncomment(text: str) -> str:
    """What an editor's "toggle comment" does to every line but the first: drop one `#`."""
    first, *rest = text.splitlines()
    lines = []
    for line in rest:
        if line.startswith("#"):
            line = line[1:]
            line = line[1:] if line.startswith(" ") else line
        lines.append(line)
    return "\n".join([first, *lines]) + "\n"


def test_new_has_every_section_as_commented_guidance(here: Path) -> None:
    run("new", "plans/auth", "--title", "Auth: sessions", "--status", "in review")
    text = Path("plans/auth/plan.yaml").read_text(encoding="utf-8")
    assert set(yaml.safe_load(text)) == {"title", "version", "status", "date"}
    # Uncommented, the guidance is still comments and the examples fill every section.
    Path("plans/full/plan.yaml").parent.mkdir(parents=True)
    Path("plans/full/plan.yaml").write_text(_uncomment(text), encoding="utf-8")
    full = yaml.safe_load(_uncomment(text))
    assert set(full) == set(plan_schema()["properties"])
    assert full["title"] == "Auth: sessions"
    assert full["status"] == "In Review"
    assert run("validate", "plans").stdout == "checked 2 plan files: no problems\n"


def test_new_takes_specs_and_authors(here: Path) -> None:
    run(
        "new",
        "p/x.plan.yaml",
        "--author",
        "A",
        "--author",
        "B",
        "--spec",
        "SPEC-1",
        "--spec",
        "../specs/x.md",
        "--schema",
        "../schema/plan.schema.json",
    )
    text = Path("p/x.plan.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/plan.schema.json\n")
    data = yaml.safe_load(text)
    assert data["title"] == "X"
    assert data["author"] == ["A", "B"]
    assert data["specification"] == ["SPEC-1", "../specs/x.md"]


def test_new_refuses_to_overwrite(here: Path) -> None:
    write("plans/auth/plan.yaml", "title: Mine\nstatus: Draft\n")
    result = run("new", "plans/auth")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: plans/auth/plan.yaml already exists; it is left as it is (choose another path)\n"
    )
    assert Path("plans/auth/plan.yaml").read_text() == "title: Mine\nstatus: Draft\n"


def test_new_refuses_the_place_of_an_existing_page(here: Path) -> None:
    write("docs/plans/auth/index.md", "# Auth\n")
    result = run("new", "docs/plans/auth")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: docs/plans/auth/index.md already exists and the plan would become that same "
        "page; put the plan in its own folder or give it another name\n"
    )
    assert not Path("docs/plans/auth/plan.yaml").exists()


def test_new_usage_errors_exit_2(here: Path) -> None:
    result = run("new", "plans/notes.yaml")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: plans/notes.yaml: a new plan is named `plan.yaml` or `<slug>.plan.yaml` "
        "(`.yml` too), or `plan.md` or `<slug>.plan.md` for a plan written in Markdown; "
        "choose one of those names\n"
    )
    result = run("new", "plans/x", "--status", "Done")
    assert result.exit_code == 2
    assert "'Done' is not a status; use one of Draft, In Review, Approved" in result.stderr
    assert not Path("plans").exists()


def test_new_with_site_uses_its_first_status(here: Path) -> None:
    write("mkdocs.yml", "site_name: T\nplugins:\n  - techplan:\n      statuses: [Idea, Done]\n")
    write("docs/index.md", "# Home\n")
    run("new", "docs/plans/x", "-f", "mkdocs.yml")
    assert yaml.safe_load(Path("docs/plans/x/plan.yaml").read_text())["status"] == "Idea"
    assert run("validate", "-f", "mkdocs.yml").exit_code == 0


# -- render ----------------------------------------------------------------------------------


def test_render_prints_the_page(here: Path) -> None:
    write("plan.yaml", full_plan_text())
    result = run("render", "plan.yaml")
    assert result.exit_code == 0
    assert result.stderr == ""
    front, body = result.stdout.removeprefix("---\n").split("---\n", 1)
    assert yaml.safe_load(front)["title"] == "Technical Plan: Session-based authentication"
    assert body.lstrip().startswith(f"# Technical Plan: {plain('Session-based authentication')}\n")
    # Without the site, page references are shown as written: there is no page to link to.
    assert f"**Specification:** {plain('../../specs/auth.md')}  \n" in body


def test_render_with_site_links_references_like_the_build(here: Path) -> None:
    make_site("title: Auth\nstatus: Draft\nspecification: ../../specs/auth.md#tokens\n")
    result = run("render", "-f", "mkdocs.yml", "docs/plans/auth/plan.yaml")
    assert result.exit_code == 0
    assert "**Specification:** [Authentication spec](../../specs/auth.md#tokens)" in result.stdout


def test_render_reports_problems_and_still_prints(here: Path) -> None:
    write("plan.yaml", BAD_PLAN)
    result = run("render", "plan.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"plan.yaml:2:9: {STATUS_MESSAGE}",
        f"plan.yaml:3:1: {KEY_MESSAGE}",
        f"plan.yaml:4:7: {DATE_MESSAGE}",
    ]
    assert "# Technical Plan: Auth" in result.stdout


def test_render_with_a_template(here: Path) -> None:
    write("plan.yaml", full_plan_text())
    write("short.md.j2", "# {{ plan.title }} ({{ status.name }})\n")
    result = run("render", "plan.yaml", "--template", "short.md.j2")
    assert result.exit_code == 0
    title = plain("Session-based authentication")
    page, carried = split_source(result.stdout)
    assert page.endswith(f"---\n\n# {title} (In Review)\n")
    assert carried == full_plan_text()  # the plan file, for `import` to give back


def test_render_refuses_a_plan_outside_the_site(here: Path) -> None:
    make_site("title: Auth\nstatus: Draft\n")
    write("elsewhere/plan.yaml", "title: X\nstatus: Draft\n")
    result = run("render", "-f", "mkdocs.yml", "elsewhere/plan.yaml")
    assert result.exit_code == 2
    assert "elsewhere/plan.yaml is not a plan of the site mkdocs.yml" in result.stderr


# -- import ----------------------------------------------------------------------------------

TEMPLATE_PLAN = """\
# Technical Plan: Search reindex

**Version:** 1.0
**Status:** Draft | In Review | Approved
**Author:** Mei Chen
**Date:** {{DATE}}
**Specification:** [Search spec](../specs/search.md)

---

## Background

Why we do this.

## Rollback Plan

1. Switch the alias back
2. Drop the new index

## Open Questions

- [ ] Which analyzer?
- [x] Which cluster?
"""


def test_import_reads_the_template_and_reports_what_it_cannot_place(here: Path) -> None:
    write("plan.md", TEMPLATE_PLAN)
    result = run("import", "plan.md", "-o", "docs/plans/search/plan.yaml")
    assert result.exit_code == 1
    assert result.stderr == (
        "wrote docs/plans/search/plan.yaml\n"
        "plan.md:4:1: the status `Draft | In Review | Approved` is not one of Draft, In Review, "
        "Approved; the plan says `Draft` for now; kept under `x-unplaced`\n"
        "plan.md:6:1: the date `{{DATE}}` is not written YYYY-MM-DD; kept under `x-unplaced`\n"
        "plan.md:11:1: `## Background` is not a section of the template; kept under "
        "`x-unplaced`\n"
    )
    text = Path("docs/plans/search/plan.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert yaml.safe_load(text) == {
        "title": "Search reindex",
        "version": "1.0",
        "status": "Draft",
        "author": "Mei Chen",
        "specification": "../specs/search.md",
        "rollback": ["Switch the alias back", "Drop the new index"],
        "open_questions": ["Which analyzer?", {"item": "Which cluster?", "done": True}],
        "x-unplaced": [
            {
                "line": 4,
                "reason": "the status `Draft | In Review | Approved` is not one of Draft, "
                "In Review, Approved; the plan says `Draft` for now",
                "markdown": "**Status:** Draft | In Review | Approved",
            },
            {
                "line": 6,
                "reason": "the date `{{DATE}}` is not written YYYY-MM-DD",
                "markdown": "**Date:** {{DATE}}",
            },
            {
                "line": 11,
                "reason": "`## Background` is not a section of the template",
                "markdown": "## Background\n\nWhy we do this.",
            },
        ],
    }
    # What it wrote is a valid plan: x- keys are ignored.
    assert run("validate", "docs").exit_code == 0


def test_import_refuses_to_overwrite_without_force(here: Path) -> None:
    write("plan.md", "# Technical Plan: X\n\n**Status:** Draft\n")
    write("plan.yaml", "title: Mine\nstatus: Draft\n")
    result = run("import", "plan.md", "-o", "plan.yaml")
    assert result.exit_code == 1
    assert result.stderr == "Error: plan.yaml already exists; use --force to replace it\n"
    assert run("import", "plan.md", "-o", "plan.yaml", "--force").exit_code == 0
    assert yaml.safe_load(Path("plan.yaml").read_text()) == {"title": "X", "status": "Draft"}


def test_import_of_the_seed_template_places_every_section(here: Path) -> None:
    template = Path(__file__).parent / "data" / "technical-plan-template.md"
    result = run("import", str(template))
    data = yaml.safe_load(result.stdout)
    sections = set(plan_schema()["properties"]) - {
        "summary",
        "tags",
        "supersedes",
        "links",
        "extra",
        "id",  # the seed template has no id line, nor relations
        "depends_on",
        "extends",
        "related",
    }
    assert sections - {"date", "status"} <= set(data)
    assert [part["line"] for part in data["x-unplaced"]] == [4, 6, 231]


def test_render_then_import_on_the_command_line(here: Path) -> None:
    write("plan.yaml", full_plan_text())
    Path("page.md").write_text(run("render", "plan.yaml").stdout, encoding="utf-8")
    result = run("import", "page.md", "-o", "copy.plan.yaml")
    assert result.exit_code == 0, result.stderr
    assert run("render", "copy.plan.yaml").stdout == run("render", "plan.yaml").stdout


# -- the installed command -------------------------------------------------------------------


def script(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, env=env, check=False
    )


def test_console_script_runs_every_command(tmp_path: Path) -> None:
    assert SCRIPT.exists(), "the package is not installed with its console script"
    assert script("--help", cwd=tmp_path).returncode == 0
    created = script("new", "docs/plans/auth", "--title", "Auth", cwd=tmp_path)
    assert (created.returncode, created.stdout) == (0, "created docs/plans/auth/plan.yaml\n")
    validated = script("validate", "docs", "--format", "github", cwd=tmp_path)
    assert (validated.returncode, validated.stdout) == (0, "checked 1 plan file: no problems\n")
    listed = script("list", "docs", "--format", "json", cwd=tmp_path)
    assert json.loads(listed.stdout)[0]["title"] == "Auth"
    assert json.loads(script("schema", cwd=tmp_path).stdout) == plan_schema()
    rendered = script("render", "docs/plans/auth/plan.yaml", cwd=tmp_path)
    assert rendered.returncode == 0 and "# Technical Plan: Auth" in rendered.stdout
    (tmp_path / "page.md").write_text(rendered.stdout, encoding="utf-8")
    imported = script("import", "page.md", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert yaml.safe_load(imported.stdout)["title"] == "Auth"
    (tmp_path / "docs/plans/auth/plan.yaml").write_text(BAD_PLAN, encoding="utf-8")
    failed = script("validate", "docs", cwd=tmp_path)
    assert failed.returncode == 1
    assert failed.stdout.splitlines()[0] == f"docs/plans/auth/plan.yaml:2:9: {STATUS_MESSAGE}"
    assert script("validate", "nowhere", cwd=tmp_path).returncode == 2


def test_console_script_validates_the_example_site(tmp_path: Path) -> None:
    result = script("validate", "-f", str(EXAMPLE_SITE / "mkdocs.yml"), cwd=tmp_path)
    expected = f"checked {EXAMPLE_PLANS} plan files: no problems\n"
    assert (result.returncode, result.stdout) == (0, expected)


def test_the_command_leaves_what_it_loaded_to_the_end_of_its_process(tmp_path: Path) -> None:
    """The objects a command made are left out of the collector once it has done (a site's
    plans would otherwise be walked at exit), whether it ends well, with problems, or with a
    usage error; its output is written first."""
    probe = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0, file=sys.stderr))\n"
        "from mkdocs_techplan.cli import run\n"
        "sys.argv[1:] = sys.argv[2:]\n"
        "run()\n"
    )
    (tmp_path / "bad.yaml").write_text(BAD_PLAN, encoding="utf-8")
    for arguments, status in (
        (["schema"], 0),
        (["validate", "bad.yaml"], 1),
        (["validate", "nowhere"], 2),
    ):
        done = subprocess.run(
            [sys.executable, "-c", probe, "-", *arguments],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == status, done.stderr
        assert done.stderr.splitlines()[-1] == "frozen True"
        assert done.stdout or status == 2


# -- what the plugin then builds -------------------------------------------------------------


def test_a_new_plan_builds_into_a_page(site_builder_page: BeautifulSoup) -> None:
    assert site_builder_page.h1 is not None
    assert site_builder_page.h1.get_text(strip=True).startswith("Technical Plan: Search")


@pytest.fixture
def site_builder_page(site: object, monkeypatch: pytest.MonkeyPatch) -> BeautifulSoup:
    from conftest import SiteBuilder

    assert isinstance(site, SiteBuilder)
    monkeypatch.chdir(site.docs)
    assert run("new", "plans/search").exit_code == 0
    result = site.build()
    assert not result.failed, result.messages
    return result.content("plans/search/index.html")


# -- pre-commit ------------------------------------------------------------------------------


def test_pre_commit_hook_runs_validate_on_exactly_the_plan_files() -> None:
    import re

    from mkdocs_techplan.site.discovery import is_plan_file

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(hook for hook in hooks if hook["id"] == "techplan-validate")
    assert hook["entry"] == "mkdocs-techplan validate"
    names = [
        "plan.yaml",
        "plan.yml",
        "docs/plans/auth/plan.yaml",
        "docs/billing.plan.yml",
        "docs/a.b.plan.yaml",
        "docs/.plan.yaml",
        "docs/plan.yaml.bak",
        "docs/myplan.yaml",
        "docs/plan.json",
        "mkdocs.yml",
    ]
    for name in names:
        matched = re.search(hook["files"], name) is not None
        assert matched == is_plan_file(name), name
