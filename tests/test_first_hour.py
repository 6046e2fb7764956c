"""The first hour of a new user, from `mkdocs new`: `validate` gives the strict build's verdict
from the site's root, and `new` never writes a plan that fails it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, BuildError

from mkdocs_techplan.cli.main import main


@pytest.fixture
def new_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """What `mkdocs new` makes, with the plugin added as the README says."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Welcome to MkDocs\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: My Docs\nplugins:\n  - techplan\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def strict_build_fails(root: Path) -> bool:
    config = load_config(str(root / "mkdocs.yml"), strict=True, site_dir=str(root / "site"))
    try:
        build(config)
    except (Abort, BuildError):
        return True
    return False


def test_validate_in_the_site_root_gives_the_strict_builds_verdict(new_site: Path) -> None:
    plan = new_site / "docs" / "plans" / "billing" / "plan.yaml"
    plan.parent.mkdir(parents=True)
    plan.write_text("title: Billing\nstatus: In Review\n", encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 1
    assert "checking the site of mkdocs.yml" in result.stderr
    assert "status `In Review` requires `specification`" in result.stdout
    assert strict_build_fails(new_site)


def test_validate_reports_what_fails_the_build_besides_plans(new_site: Path) -> None:
    (new_site / "docs" / "plans" / "a").mkdir(parents=True)
    (new_site / "docs" / "plans" / "a" / "plan.yaml").write_text(
        "title: A\nstatus: Draft\n", encoding="utf-8"
    )
    (new_site / "docs" / "list.md").write_text(
        '# List\n\n<!-- techplan:index status="Aproved" -->\n', encoding="utf-8"
    )
    result = run("validate")
    assert result.exit_code == 1
    assert "docs/list.md:3:1: the index marker names the status `Aproved`" in result.stderr
    assert strict_build_fails(new_site)


def test_validate_without_a_site_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.yaml").write_text("title: A\nstatus: Draft\n", encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 0
    assert "no mkdocs.yml, properdocs.yml or zensical.toml here or above" in result.stderr


@pytest.mark.parametrize(
    ("options", "written"),
    [
        ([], True),
        (["--status", "In Review"], False),
        (["--status", "In Review", "--author", "Ada", "--spec", "../../index.md"], True),
        (["--status", "Approved", "--author", "Ada", "--spec", "../../index.md"], False),
    ],
)
def test_new_writes_only_plans_the_strict_build_accepts(
    new_site: Path, options: list[str], written: bool
) -> None:
    result = run("new", "docs/plans/billing", *options)
    plan = new_site / "docs" / "plans" / "billing" / "plan.yaml"
    assert plan.exists() == written, result.output
    assert result.exit_code == (0 if written else 1)
    if written:
        assert run("validate").exit_code == 0
        assert not strict_build_fails(new_site)
    else:
        assert not (new_site / "docs" / "plans").exists()  # its folders are taken back too
        assert "is not written" in result.stderr


def test_new_says_what_to_add_for_in_review(new_site: Path) -> None:
    result = run("new", "docs/plans/billing", "--status", "In Review")
    assert "give --author NAME and --spec PATH" in result.stderr


def test_new_refuses_the_path_of_an_existing_page(new_site: Path) -> None:
    (new_site / "docs" / "specs").mkdir()
    (new_site / "docs" / "specs" / "search.md").write_text("# Search\n", encoding="utf-8")
    result = run("new", "docs/specs/search")
    assert result.exit_code == 1
    assert "docs/specs/search.md is already published at `specs/search/index.html`" in (
        result.stderr
    )
    assert not (new_site / "docs" / "specs" / "search").exists()


def test_new_refuses_a_path_outside_the_docs(new_site: Path) -> None:
    result = run("new", "plans/outside/plan.yaml")
    assert result.exit_code == 2
    assert "is outside the docs folder of mkdocs.yml" in result.stderr
    assert not (new_site / "plans").exists()


def test_new_finds_the_site_and_its_fields_without_f(new_site: Path) -> None:
    (new_site / "mkdocs.yml").write_text(
        "site_name: My Docs\nplugins:\n  - techplan:\n      fields: {team: {label: Team}}\n",
        encoding="utf-8",
    )
    assert run("new", "docs/plans/a").exit_code == 0
    assert "# team:" in (new_site / "docs" / "plans" / "a" / "plan.yaml").read_text("utf-8")


def test_the_schema_line_points_at_a_file_that_exists(new_site: Path) -> None:
    assert run("new", "docs/plans/a").exit_code == 0
    first = (new_site / "docs" / "plans" / "a" / "plan.yaml").read_text("utf-8").split("\n")[0]
    assert "$schema=" not in first  # no schema file in the site: no line pointing nowhere
    schema = run("schema", "-f", "mkdocs.yml").stdout
    (new_site / "plan.schema.json").write_text(schema, encoding="utf-8")
    assert run("new", "docs/plans/b").exit_code == 0
    first = (new_site / "docs" / "plans" / "b" / "plan.yaml").read_text("utf-8").split("\n")[0]
    assert first == "# yaml-language-server: $schema=../../../plan.schema.json"
    assert (new_site / "docs" / "plans" / "b" / "../../../plan.schema.json").is_file()


def _validate_text(tmp_path: Path, text: str) -> str:
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    return run("validate", "--alone", str(plan)).stdout


def test_a_bad_indent_is_called_one(tmp_path: Path) -> None:
    said = _validate_text(tmp_path, "title: A\n  status: Draft\n")
    assert "`status:` is indented 2 spaces, more than the line above (0)" in said
    assert "must be quoted" not in said
    said = _validate_text(tmp_path, "title: A\nsummary: Phase 1: setup\n")
    assert "a value that contains `: ` must be quoted" in said
    said = _validate_text(tmp_path, "title: A\nrisks:\n  - risk: x\n   impact: High\n")
    assert "check this line's indentation" in said


def test_the_example_path_has_the_plans_depth_and_names_a_real_page(new_site: Path) -> None:
    (new_site / "docs" / "specs").mkdir()
    (new_site / "docs" / "specs" / "search.md").write_text("# Search\n", encoding="utf-8")
    plan = new_site / "docs" / "plans" / "2026" / "billing" / "plan.yaml"
    plan.parent.mkdir(parents=True)
    plan.write_text("title: B\nstatus: Draft\nspecification: PAYMENTS\n", encoding="utf-8")
    said = run("validate").stdout
    assert "or write the page's path such as `../../../specs/search.md`" in said


def test_did_you_mean_names_only_a_page_of_a_close_name(new_site: Path) -> None:
    (new_site / "docs" / "specs").mkdir()
    (new_site / "docs" / "specs" / "search.md").write_text("# Search\n", encoding="utf-8")
    plan = new_site / "docs" / "plans" / "b" / "plan.yaml"
    plan.parent.mkdir(parents=True)
    plan.write_text(
        "title: B\nstatus: Draft\nspecification: ../../specs/billing.md\n", encoding="utf-8"
    )
    said = run("validate").stdout
    assert "no page `specs/billing.md`" in said and "did you mean" not in said
    plan.write_text(
        "title: B\nstatus: Draft\nspecification: ../../specs/serach.md\n", encoding="utf-8"
    )
    assert "did you mean `../../specs/search.md`?" in run("validate").stdout


def test_scaffold_placeholders_are_values_not_prose(new_site: Path) -> None:
    """Uncommenting `schema_language` once gave "The language of the schema changes: …", a
    broken fence the format accepted."""
    assert run("new", "docs/plans/a").exit_code == 0
    text = (new_site / "docs" / "plans" / "a" / "plan.yaml").read_text("utf-8")
    languages = re.findall(r"^#\s+(\w+_language): (.*)$", text, flags=re.MULTILINE)
    assert languages
    for name, value in languages:
        assert re.fullmatch(r"[A-Za-z0-9_+#.-]+", value), (name, value)


def _mkdocs_build(root: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs", "build", *flags, "-d", str(root / "site")]
    return subprocess.run(command, cwd=root, capture_output=True, text=True)


def test_quiet_does_not_hide_a_plan_problem_from_strict(new_site: Path) -> None:
    """MkDocs counts only the warnings its log level lets through, so `build -q --strict`
    passed with a plan's problem: the plugin fails it, saying what `--quiet` hid."""
    plan = new_site / "docs" / "plans" / "billing" / "plan.yaml"
    plan.parent.mkdir(parents=True)
    plan.write_text("title: Billing\nstatus: Aproved\n", encoding="utf-8")
    quiet_strict = _mkdocs_build(new_site, "-q", "--strict")
    assert quiet_strict.returncode == 1
    output = quiet_strict.stdout + quiet_strict.stderr
    assert "--quiet hid them" in output and "docs/plans/billing/plan.yaml:2:" in output
    assert "Traceback" not in output
    assert _mkdocs_build(new_site, "-q").returncode == 0  # not strict: a warning, no failure
    strict = _mkdocs_build(new_site, "--strict")  # MkDocs counts them itself, as before
    assert strict.returncode == 1 and "--quiet hid them" not in strict.stdout + strict.stderr
    plan.write_text("title: Billing\nstatus: Draft\n", encoding="utf-8")
    assert _mkdocs_build(new_site, "-q", "--strict").returncode == 0
