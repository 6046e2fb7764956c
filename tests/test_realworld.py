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
# Documents that fail a test because of the plugin, not the document: the test, the entry and
# what the plugin does wrong. `strict`: once the plugin is fixed, the mark has to go.
KNOWN_FAILURES = {
    ("build", "kep-3521-pod-scheduling-readiness"): (
        "a table indented four spaces under a list item's lazy continuation lines (the KEP's "
        "table inside its first caveat) is made a code block: _opens_indented_code looks only "
        "at the line above, which has no list marker; a hand-written page shows the table in "
        "the item"
    ),
    ("build", "kiro-snapshot-broadcast-ja"): (
        "a list item on the line right after a paragraph line inside the item before it (no "
        "blank line, as the Kiro document writes it) is shown as text: the blank line "
        "Python-Markdown needs is added before a list's first item only, though the format "
        "page says such a list is a list, as on GitHub"
    ),
    ("build", "ru-ydb-configuration-v2"): (
        "the items of a list whose second paragraphs are indented two spaces (enough for "
        "GitHub, not for Python-Markdown) each follow a paragraph line and are shown as text "
        "('- Узлы баз данных'): the blank line Python-Markdown needs is added before a list's "
        "first item only, though the format page says such a list is a list, as on GitHub"
    ),
    ("round_trip", "crdb-row-level-ttl"): (
        "import drops the link reference definitions that end a section ([#20239]: https://… "
        "closing the architecture overview), so the imported plan's reference links lose "
        "their targets"
    ),
    ("round_trip", "rust-rfc-3137-let-else"): (
        "import drops the link reference definitions that end a section ([old-rfc]: https://… "
        "closing the architecture overview), so the imported plan's reference links lose "
        "their targets"
    ),
}


def _entries(test: str) -> list[object]:
    return [
        pytest.param(
            entry,
            id=entry.name,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[test, entry.name])]
            if (test, entry.name) in KNOWN_FAILURES
            else [],
        )
        for entry in ENTRIES
    ]


EXTENSIONS = [
    "toc",
    "tables",
    "admonition",
    "attr_list",
    "md_in_html",
    "footnotes",
    "pymdownx.highlight",
    # A `mermaid` fence is a diagram (superfences' default format: <pre class="mermaid">).
    {"pymdownx.superfences": {"custom_fences": [{"name": "mermaid", "class": "mermaid"}]}},
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


@pytest.mark.parametrize("entry", _entries("build"))
def test_each_document_builds_strictly_and_shows_its_content(
    site: SiteBuilder, entry: Path
) -> None:
    site.write("plans/doc/plan.yaml", (entry / "plan.yaml").read_text(encoding="utf-8"))
    # The pages an entry's plan refers to (`../../specs/<entry>/…`, the same from any
    # `plans/<folder>/plan.yaml`) are in its specs/ folder.
    for spec in sorted((entry / "specs").glob("*.md")):
        site.write(f"specs/{entry.name}/{spec.name}", spec.read_text(encoding="utf-8"))
    result = site.build(theme="material", markdown_extensions=EXTENSIONS)
    assert not result.failed, result.messages
    page = result.content("plans/doc/index.html")
    shown = _words(page.get_text(" "))
    html = (result.site_dir / "plans/doc/index.html").read_text(encoding="utf-8")
    # expected.txt: a line is a phrase of the page's visible text; `text: <phrase>` is one of
    # its text as it reads (inline elements not set apart: code as highlighted, `**x**y`);
    # `html: <regex>` is searched for in the page's HTML.
    expected = (entry / "expected.txt").read_text(encoding="utf-8").splitlines()
    reads = _words(page.get_text())

    def found(line: str) -> bool:
        if line.startswith("html: "):
            return re.search(line[6:], html, re.S) is not None
        if line.startswith("text: "):
            return _words(line[6:]) in reads
        return _words(line) in shown

    missing = [line for line in expected if line.strip() and not found(line)]
    assert missing == []
    for code in page.find_all(["pre", "code"]):
        # A word in its place: text after it on its line (`x` + y) does not start the line.
        code.replace_with("code")
    prose = [
        element.get_text()
        for element in page.find_all(["p", "li", "td", "th", "h2", "h3", "h4"])
        if _MARKUP_AS_TEXT.search(element.get_text())
        or (element.name in ("p", "li", "td", "th") and _LIST_AS_TEXT.search(element.get_text()))
    ]
    assert prose == [], "Markdown shown as text"


@pytest.mark.parametrize("entry", _entries("round_trip"))
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
