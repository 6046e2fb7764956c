"""Real public design documents as plans (`tests/realworld/<name>/`: SOURCE.md says where each
comes from): each builds strictly in Material with the extensions such sites use, shows every
expected piece of its content, shows no Markdown as text, and goes through `render` then
`import` unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SiteBuilder

from mkdocs_techplan.cli.main import main
from mkdocs_techplan.format.statuses import DEFAULT_STATUSES
from mkdocs_techplan.markdown.importing import import_plan

CORPUS = Path(__file__).resolve().parent / "realworld"
ENTRIES = sorted(
    path for path in CORPUS.iterdir() if (path / "plan.yaml").is_file()
) if CORPUS.is_dir() else []  # fmt: skip
STATUSES = tuple(DEFAULT_STATUSES)
# Documents that fail a test because of the plugin, not the document: the test, the entry and
# what the plugin does wrong. `strict`: once the plugin is fixed, the mark has to go.
KNOWN_FAILURES = {}


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


_REFERENCE = re.compile(r"&#(?:x([0-9a-fA-F]+)|([0-9]+));")


def _references_decoded(html: str) -> str:
    """`html` with each numeric character reference written out (`&#45;` as `-`), except
    those of markup characters: the plugin escapes plan text with them (`escaping.py`), and
    a page may keep them, which a browser reads as the characters themselves."""

    def character(found: re.Match[str]) -> str:
        char = chr(int(found[1], 16) if found[1] else int(found[2]))
        return found[0] if char in '<>&"' else char

    return _REFERENCE.sub(character, html)


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
    html = _references_decoded((result.site_dir / "plans/doc/index.html").read_text("utf-8"))
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
def test_render_then_import_gives_the_plan_file_back_with_and_without_the_site(
    site: SiteBuilder, entry: Path, tmp_path: Path
) -> None:
    """`import(render(plan)) == plan`, byte for byte, with `-f` and without."""
    text = (entry / "plan.yaml").read_text(encoding="utf-8")
    plan = site.docs / "plans" / "doc" / "plan.yaml"
    plan.parent.mkdir(parents=True)
    plan.write_text(text, encoding="utf-8")  # as it is (`site.write` dedents)
    for spec in sorted((entry / "specs").glob("*.md")):
        site.write(f"specs/{entry.name}/{spec.name}", spec.read_text(encoding="utf-8"))
    assert not site.build(theme="material", markdown_extensions=EXTENSIONS).failed
    runner = CliRunner()
    for options in ([], ["-f", str(site.root / "mkdocs.yml")]):
        rendered = runner.invoke(main, ["render", *options, str(plan)])
        assert rendered.exit_code == 0, rendered.output
        page, back = tmp_path / "page.md", tmp_path / "back.yaml"
        page.write_text(rendered.stdout, encoding="utf-8")
        imported = runner.invoke(main, ["import", *options, str(page), "-o", str(back), "--force"])
        assert imported.exit_code == 0, imported.output
        assert back.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda path: path.name)
def test_each_markdown_plan_imports_with_every_line_placed(entry: Path) -> None:
    markdown = (entry / "plan.md").read_text(encoding="utf-8")
    imported = import_plan(markdown, STATUSES)
    assert [(part.line, part.reason) for part in imported.unplaced] == []
    assert imported.data["title"]
