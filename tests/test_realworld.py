"""Real public design documents as plans (`tests/realworld/<name>/`: SOURCE.md says where each
comes from): each builds strictly in Material with the extensions such sites use, shows every
expected piece of its content, shows no Markdown as text, and goes through `render` then
`import` unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SiteBuilder

from mkdocs_techplan.cli.preview import render_alone
from mkdocs_techplan.format.loading import Limits
from mkdocs_techplan.format.statuses import DEFAULT_STATUSES, status_styles
from mkdocs_techplan.format.writing import dump_plan
from mkdocs_techplan.markdown.importing import import_plan
from mkdocs_techplan.render.renderer import PlanRenderer
from mkdocs_techplan.site.catalog import PlanFile, load_plan

CORPUS = Path(__file__).resolve().parent / "realworld"
ENTRIES = sorted(
    path for path in CORPUS.iterdir() if (path / "plan.yaml").is_file()
) if CORPUS.is_dir() else []  # fmt: skip
STATUSES = tuple(DEFAULT_STATUSES)
EXTENSIONS = [
    "toc",
    "tables",
    "admonition",
    "attr_list",
    "md_in_html",
    "pymdownx.highlight",
    "pymdownx.superfences",
    {"pymdownx.tasklist": {"custom_checkbox": True}},
]
# Markdown that shows as text when something was not rendered: emphasis marks, link syntax,
# fences, table rules; in text blocks (not headings, which may be numbered), list markers at the
# start of a line.
_MARKUP_AS_TEXT = re.compile(r"\*\*\S|\S\*\*|\]\(|^```|\|\s*-{3,}", re.M)
_LIST_AS_TEXT = re.compile(r"^\s*(?:[-*+]|\d+\.)\s", re.M)


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_corpus_holds_real_documents_of_several_kinds() -> None:
    assert len(ENTRIES) >= 10
    for entry in ENTRIES:
        source = (entry / "SOURCE.md").read_text(encoding="utf-8")
        assert "commit" in source.lower() and "licen" in source.lower(), entry.name


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda path: path.name)
def test_each_document_builds_strictly_and_shows_its_content(
    site: SiteBuilder, entry: Path
) -> None:
    site.write("plans/doc/plan.yaml", (entry / "plan.yaml").read_text(encoding="utf-8"))
    result = site.build(theme="material", markdown_extensions=EXTENSIONS)
    assert not result.failed, result.messages
    page = result.content("plans/doc/index.html")
    shown = _words(page.get_text(" "))
    expected = (entry / "expected.txt").read_text(encoding="utf-8").splitlines()
    missing = [phrase for phrase in expected if phrase.strip() and _words(phrase) not in shown]
    assert missing == []
    for code in page.find_all(["pre", "code"]):
        code.decompose()
    prose = [
        element.get_text()
        for element in page.find_all(["p", "li", "td", "th", "h2", "h3", "h4"])
        if _MARKUP_AS_TEXT.search(element.get_text())
        or (element.name in ("p", "li", "td", "th") and _LIST_AS_TEXT.search(element.get_text()))
    ]
    assert prose == [], "Markdown shown as text"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda path: path.name)
def test_each_document_goes_through_render_and_import_unchanged(
    entry: Path, tmp_path: Path
) -> None:
    plan = load_plan(PlanFile("plans/doc/plan.yaml", str(entry / "plan.yaml")), STATUSES, Limits())
    assert plan.problems == []
    renderer, styles = PlanRenderer(), status_styles(DEFAULT_STATUSES)
    page = render_alone(plan, renderer, styles)
    imported = import_plan(page, STATUSES)
    assert [part.reason for part in imported.unplaced] == []
    copy = tmp_path / "plan.yaml"
    copy.write_text(dump_plan(imported.data, imported.order), encoding="utf-8")
    again = load_plan(PlanFile("plans/doc/plan.yaml", str(copy)), STATUSES, Limits())
    assert again.problems == []
    assert render_alone(again, renderer, styles) == page


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda path: path.name)
def test_each_markdown_plan_imports_with_every_line_placed(entry: Path) -> None:
    markdown = (entry / "plan.md").read_text(encoding="utf-8")
    imported = import_plan(markdown, STATUSES)
    assert [(part.line, part.reason) for part in imported.unplaced] == []
    assert imported.data["title"]
