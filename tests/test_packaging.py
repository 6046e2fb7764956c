"""What makes the project one people can depend on: a licence, a changelog, metadata that
says what it is, and a version the package and the command report alike."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from click.testing import CliRunner

from mkdocs_techplan import __version__
from mkdocs_techplan.cli.main import main

ROOT = Path(__file__).resolve().parent.parent


def test_the_version_is_one_and_the_command_reports_it() -> None:
    assert metadata.version("mkdocs-techplan") == __version__
    result = CliRunner().invoke(main, ["--version"])
    assert result.stdout == f"mkdocs-techplan, version {__version__}\n"


def test_metadata_says_what_the_package_is() -> None:
    meta = metadata.metadata("mkdocs-techplan")
    classifiers = meta.get_all("Classifier") or []
    assert "Framework :: MkDocs" in classifiers
    assert "License :: OSI Approved :: MIT License" in classifiers
    assert any(c.startswith("Programming Language :: Python :: 3.1") for c in classifiers)
    urls = dict(value.split(", ", 1) for value in meta.get_all("Project-URL") or [])
    assert {"Homepage", "Changelog", "Issues"} <= set(urls)


def test_licence_and_changelog_are_there() -> None:
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog
    assert re.search(rf"## \[{re.escape(__version__)}\] - \d{{4}}-\d\d-\d\d", changelog)


def test_the_pre_commit_hooks_run_existing_commands() -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    entries = {hook["id"]: hook["entry"] for hook in hooks}
    assert entries == {
        "techplan-validate": "mkdocs-techplan validate",
        "techplan-pages-check": "mkdocs-techplan pages --check",
    }
    for entry in entries.values():
        command = entry.split()[1:]
        assert CliRunner().invoke(main, [*command, "--help"]).exit_code == 0
