"""A corpus of malformed and hostile plans, each with the exact messages it must produce.

Each case is `corpus/<case>.yaml` (placed at `docs/plans/<case>/plan.yaml`) or a folder
`corpus/<case>/` (copied to `docs/plans/<case>/`), with `corpus/<case>.expected`: the warnings,
one per line, `{dir}` standing for `docs/plans/<case>`. `corpus/<case>.options.yaml`, when
present, holds plugin options. Every case builds twice beside a valid plan: with `--strict` it
fails with exactly those messages and no traceback; without, it succeeds and every other plan
is rendered. Regenerate the expectations (then review them) with
`TECHPLAN_UPDATE_CORPUS=1 pytest tests/test_corpus.py`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import BuildResult, SiteBuilder, full_plan_text
from mkdocs.structure.files import File

from mkdocs_techplan.site.discovery import is_plan_file, page_uri_for

CORPUS = Path(__file__).resolve().parent / "corpus"
CASES = sorted(
    path.stem if path.is_file() else path.name
    for path in CORPUS.iterdir()
    if (path.is_dir() or path.suffix == ".yaml") and not path.name.endswith(".options.yaml")
)


def test_the_corpus_has_at_least_thirty_cases_each_with_expected_messages() -> None:
    assert len(CASES) >= 30
    missing = [case for case in CASES if not (CORPUS / f"{case}.expected").is_file()]
    assert missing == []


def _place_case(site: SiteBuilder, case: str) -> dict[str, object]:
    site.write("plans/good/plan.yaml", full_plan_text())
    site.write("specs/auth.md", "# Authentication spec\n\n## Tokens\n")
    site.write("specs/auth-api.md", "# Auth API\n")
    target = site.docs / "plans" / case
    source = CORPUS / case
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        target.mkdir(parents=True)
        shutil.copyfile(CORPUS / f"{case}.yaml", target / "plan.yaml")
    options_file = CORPUS / f"{case}.options.yaml"
    options = yaml.safe_load(options_file.read_text()) if options_file.is_file() else {}
    assert isinstance(options, dict)
    return options


def _expected(case: str) -> list[str]:
    text = (CORPUS / f"{case}.expected").read_text(encoding="utf-8")
    return [line.replace("{dir}", f"docs/plans/{case}") for line in text.splitlines() if line]


def _no_traceback(result: BuildResult) -> None:
    assert not any("Traceback" in message for message in result.messages), result.messages
    assert not any(message.startswith("ERROR ") for message in result.messages), result.messages


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.mark.parametrize("case", CASES)
def test_strict_build_fails_with_exactly_the_expected_messages(
    site: SiteBuilder, case: str
) -> None:
    options = _place_case(site, case)
    before = _tree_digest(site.docs)
    result = site.build(strict=True, plugin_options=options)
    if os.environ.get("TECHPLAN_UPDATE_CORPUS"):
        lines = [w.replace(f"docs/plans/{case}", "{dir}") for w in result.techplan_warnings]
        (CORPUS / f"{case}.expected").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert result.failed
    assert result.techplan_warnings == _expected(case)
    assert not [w for w in result.warnings if not w.startswith("mkdocs_techplan: ")]
    _no_traceback(result)
    assert _tree_digest(site.docs) == before  # nothing written into docs_dir


@pytest.mark.parametrize("case", CASES)
def test_plain_build_succeeds_and_renders_every_other_plan(site: SiteBuilder, case: str) -> None:
    options = _place_case(site, case)
    result = site.build(strict=False, plugin_options=options)
    assert not result.failed
    _no_traceback(result)
    good = result.content("plans/good/index.html")
    assert good.h1.get_text(strip=True).startswith("Technical Plan: Session-based authentication")
    assert good.select_one(".techplan-problems") is None
    # Wherever a plan of the case would go there is a page: the broken plan's own, showing its
    # problems, or the page it collided with. Never an error page, never nothing.
    for page_path in _pages_of(case):
        assert result.content(page_path).h1 is not None, page_path
    page = result.content(_pages_of(case)[0])
    if (CORPUS / f"{case}.yaml").is_file():
        box = page.select_one(".techplan-problems")
        assert box is not None, f"plans/{case}/ shows no problems"
        shown = [_words(item.get_text(" ")) for item in box.select("li")]
        for message in _expected(case):
            where, text = message.split(": ", 1)
            line, column = where.rsplit(":", 2)[1:]
            assert _words(f"{line}:{column} {text}") in shown


def _pages_of(case: str) -> list[str]:
    """The built pages where the plans of a case would be published."""
    source = CORPUS / case
    plan_files = ["plan.yaml"]
    if source.is_dir():
        found = sorted(source.rglob("*"))
        plan_files = [str(path.relative_to(source)) for path in found if is_plan_file(path.name)]
    uris = [page_uri_for(f"plans/{case}/{name}") for name in plan_files]
    return [File(uri, None, "site", use_directory_urls=True).dest_uri for uri in uris]


def _words(text: str) -> str:
    """Text as read on the page: code spans lose their backticks, spaces are collapsed."""
    return " ".join(text.replace("`", " ").split())
