"""One fence rule everywhere: markers, unescaping, the importer and page titles all see code
where Python-Markdown with `pymdownx.superfences` (what the site renders with) sees code."""

from __future__ import annotations

import os
import re
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from mkdocs_techplan.markdown import escaping, reader, unescape
from mkdocs_techplan.markdown.importing import import_plan
from mkdocs_techplan.markdown.markers import find_markers
from mkdocs_techplan.site.pages import read_page_info

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

FENCE_CASES = {
    "backtick fence": "```\n{line}\n```\n",
    "tilde fence": "~~~\n{line}\n~~~\n",
    "info string": "```python\n{line}\n```\n",
    "fence after a paragraph line": "text\n```\n{line}\n```\n",
    "tilde fence inside a backtick one": "```\n~~~\n{line}\n```\n",
    "shorter fence inside a longer one": "````\n```\n{line}\n```\n````\n",
    "longer closing fence": "```\n{line}\n````\n",
    "closing fence with text after it": "```\n{line}\n``` x\n{line}\n```\n",
    "closing fence indented 1 space": "```\n{line}\n ```\n",
    "closing fence indented 3 spaces": "```\n{line}\n   ```\n",
    "closing fence indented 4 spaces": "```\n{line}\n    ```\n{line}\n```\n",
    "opening fence indented 2 spaces": "  ```\n  {line}\n  ```\n",
    "line less indented than the opening fence": "  ```\n{line}\n  ```\n",
    "unclosed fence": "```\n{line}\n",
    "unrecognised info string": "``` one two\n{line}\n```\n",
    "fence inside a list item": "- item\n\n    ```\n    {line}\n    ```\n",
    "indented code": "para\n\n    {line}\n",
    "no code": "para\n\n{line}\n",
}
CASES = list(FENCE_CASES.items())
IDS = list(FENCE_CASES)

MARKER = "<!-- techplan:index -->"


def superfences(text: str) -> str:
    """The HTML the site makes of `text` (without Pygments, so code keeps its text whole)."""
    return markdown.markdown(
        text,
        extensions=["pymdownx.superfences", "pymdownx.highlight", "tables"],
        extension_configs={"pymdownx.highlight": {"use_pygments": False}},
    )


def code_blocks(html: str) -> str:
    """The `<pre>` elements of the HTML: code blocks, not code spans."""
    return "".join(re.findall(r"<pre\b.*?</pre>", html, re.DOTALL))


@pytest.mark.parametrize(("name", "template"), CASES, ids=IDS)
def test_markers_agree_with_superfences(name: str, template: str) -> None:
    text = template.format(line=MARKER)
    is_comment = MARKER in superfences(text)  # in code it is `&lt;!-- …`
    assert bool(find_markers(text, "index")) == is_comment


@pytest.mark.parametrize(("name", "template"), CASES, ids=IDS)
def test_unescape_keeps_code_where_superfences_shows_code(name: str, template: str) -> None:
    text = template.format(line="&lt;x&gt;")
    # A reference in a code block shows as written. (A code span is inline Markdown, and a
    # stray fence can make one: not a block, so not what this rule is about.)
    in_code = "&amp;lt;x&amp;gt;" in code_blocks(superfences(text))
    assert ("&lt;x&gt;" in unescape.block(text)) == in_code


@pytest.mark.parametrize(("name", "template"), CASES, ids=IDS)
def test_importer_sees_headings_where_superfences_does(name: str, template: str) -> None:
    text = template.format(line="## Background")
    is_heading = "<h2>Background</h2>" in superfences(text)
    imported = import_plan("# Technical Plan: X\n\n" + text, ["Draft"])
    reasons = [part.reason for part in imported.unplaced]
    assert ("`## Background` is not a section of the template" in reasons) == is_heading


@pytest.mark.parametrize(("name", "template"), CASES, ids=IDS)
def test_block_escaping_keeps_code_where_superfences_shows_code(name: str, template: str) -> None:
    text = template.format(line="<b>x</b>")
    page = BeautifulSoup(superfences(text), "html.parser")
    shown = BeautifulSoup(superfences(escaping.block(text)), "html.parser")
    # Each code block of the page comes out as code with the same text (at the top level, so
    # that every Markdown flavour reads it as code: a fence in a list item leaves the item).
    assert [pre.get_text() for pre in shown("pre")] == [pre.get_text() for pre in page("pre")]
    # Everything else is prose, escaped: the tag is shown as text, never made an element.
    assert shown.find("b") is None
    assert shown.get_text().count("<b>x</b>") == text.count("<b>x</b>")


@pytest.mark.parametrize(("name", "template"), CASES, ids=IDS)
def test_reading_only_fences_finds_the_fences_a_full_read_finds(name: str, template: str) -> None:
    text = template.format(line="x")
    assert [(token.map, token.info, token.content) for token in reader.fences(text)] == [
        (token.map, token.info, token.content)
        for token in reader.read(text, front_matter=False).nested("fence")
    ]


def mkdocs_titles(root: Path, pages: dict[str, str]) -> dict[str, str | None]:
    """The title MkDocs itself gives each page, read and rendered as in a build."""
    docs = root / "docs"
    docs.mkdir()
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: Titles\nmarkdown_extensions:\n"
        "  - attr_list\n  - toc\n  - tables\n  - pymdownx.superfences\n",
        encoding="utf-8",
    )
    config = load_config(str(root / "mkdocs.yml"))
    files = get_files(config)
    titles: dict[str, str | None] = {}
    for file in files.documentation_pages():
        page = Page(None, file, config)
        page.read_source(config)
        page.render(config, files)
        titles[file.src_uri] = page.title
    return titles


TITLE_CASES = {
    "atx": "# Title\n\ntext\n",
    "atx with closing hashes": "# Title ##\n",
    "setext": "Title\n=====\n\ntext\n",
    "setext h2 first": "Title\n-----\n\n# Later\n",
    "after a paragraph": "text\n\n# Title\n",
    "after a comment": "<!-- note -->\n\n# Title\n",
    "attribute list": "# Title { #custom-id }\n",
    "markup in the heading": "# The *auth* `spec` and [link](x.md)\n",
    "front matter title": "---\ntitle: From meta\n---\n\n# Heading\n",
    "front matter without title": "---\nspec_id: A-1\n---\n\n# Heading\n",
    "multimarkdown meta": "Title: From meta\n\n# Heading\n",
    "h1 inside a fence first": "```\n# Not\n```\n\n# Title\n",
    "h1 after an unclosed fence": "```\n# Title\n",
    "no heading": "just text\n",
}


def test_page_titles_agree_with_mkdocs(tmp_path: Path) -> None:
    pages = {f"case-{number}.md": text for number, text in enumerate(TITLE_CASES.values())}
    pages.update(
        {
            f"fence-{number}.md": template.format(line="# Inside")
            for number, template in enumerate(FENCE_CASES.values())
        }
    )
    expected = mkdocs_titles(tmp_path, pages)
    found = {name: read_page_info(text, name).title for name, text in pages.items()}
    assert found == expected


def test_setext_h1_is_the_page_title() -> None:
    assert read_page_info("Session tokens\n==============\n\ntext\n", "a.md").title == (
        "Session tokens"
    )


def test_an_h1_after_a_paragraph_is_not_the_page_title() -> None:
    assert read_page_info("Intro text.\n\n# Not the title\n", "auth-spec.md").title == ("Auth spec")


def test_attribute_list_is_not_part_of_the_page_title() -> None:
    assert read_page_info("# Auth { #auth-spec }\n", "a.md").title == "Auth"


def test_reader_keeps_source_lines_of_blocks() -> None:
    page = reader.read(
        "---\ntitle: x\n---\n# T\n\n- [x] a\n- b\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert page.front_matter == "title: x\n"
    assert [(block.kind, block.start, block.end) for block in page.blocks] == [
        ("heading", 3, 4),
        ("list", 5, 7),
        ("table", 8, 11),
    ]
    assert [(item.text, item.checked, item.task) for item in page.blocks[1].items] == [
        ("[x] a", True, "a"),
        ("b", None, ""),
    ]
    assert page.blocks[2].rows == ((8, ("a", "b")), (10, ("1", "2")))


def test_table_cells_split_as_python_markdown_splits_them() -> None:
    assert reader.split_row("| `a|b` | c \\| d |") == ["`a|b`", "c \\| d"]
