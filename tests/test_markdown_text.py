"""Plan text placed in Markdown keeps the page's structure and publishes no markup."""

from __future__ import annotations

import markdown
import pytest
from bs4 import BeautifulSoup

from mkdocs_techplan.markdown import escaping as markdown_text

EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list"]


def _html(source: str) -> BeautifulSoup:
    return BeautifulSoup(markdown.markdown(source, extensions=EXTENSIONS), "html.parser")


@pytest.mark.parametrize(
    "text",
    [
        "a | b",
        "<script>alert(1)</script>",
        "*not emphasis* _nor this_ `nor code`",
        "# not a heading",
        "[not a link](https://example.com)",
        "1.10 & <b>",
        "ends with a backslash \\",
        "line one\nline two",
    ],
)
def test_plain_text_is_shown_literally_in_a_table_cell(text: str) -> None:
    soup = _html(f"| h |\n|---|\n| {markdown_text.plain(text)} |\n")
    cells = soup.select("td")
    assert len(cells) == 1
    assert cells[0].get_text() == " ".join(text.split())
    assert cells[0].find() is None  # no element came from the text


def test_inline_keeps_formatting_but_not_html() -> None:
    soup = _html("- " + markdown_text.inline("**bold** <img src=x onerror=alert(1)>"))
    item = soup.select_one("li")
    assert item.strong.get_text() == "bold"
    assert item.img is None
    assert "<img src=x onerror=alert(1)>" in item.get_text()


def test_inline_list_item_starting_with_a_block_marker_stays_text() -> None:
    for text in ["# heading", "- nested", "1. numbered", "> quote"]:
        soup = _html("- " + markdown_text.inline(text))
        item = soup.select_one("li")
        assert item.get_text() == text
        assert item.find(["h1", "ul", "ol", "blockquote"]) is None


def test_inline_pipes_do_not_split_table_cells() -> None:
    soup = _html("| a | b |\n|---|---|\n| " + markdown_text.inline("x | y `p|q`") + " | z |\n")
    assert [td.get_text() for td in soup.select("td")] == ["x | y p|q", "z"]


def test_block_markdown_with_allow_html() -> None:
    soup = _html(markdown_text.block("<b>kept</b>", allow_html=True))
    assert soup.b.get_text() == "kept"


def test_block_neutralises_unsafe_links_and_attribute_lists() -> None:
    source = markdown_text.block(
        "[click](javascript:alert(1)) [ok](https://example.com)\n\n"
        '[ref]: data:text/html,x\n\nParagraph {: onclick="alert(1)" }'
    )
    soup = _html(source)
    assert [a["href"] for a in soup.select("a")] == ["https://example.com"]
    assert not any(tag.has_attr("onclick") for tag in soup.find_all(True))


def test_block_closes_an_unclosed_fence_so_it_cannot_swallow_the_page() -> None:
    source = markdown_text.block("intro\n\n```\nopen fence") + "\n\n## Next section\n"
    soup = _html(source)
    assert soup.h2 is not None and soup.h2.get_text() == "Next section"


def test_block_keeps_code_blocks_verbatim() -> None:
    soup = _html(markdown_text.block("```\n<b>x</b> {: y }\n```"))
    assert soup.code.get_text() == "<b>x</b> {: y }\n"


def test_unsafe_links_sees_through_entities() -> None:
    assert markdown_text.unsafe_links("[a](jav&#97;script:x) [b](/ok) [c](mailto:a@b.c)") == [
        "jav&#97;script:x"
    ]


@pytest.mark.parametrize("content", ["plain", "a ``` b", "````\nnested\n````", "~~~\nx\n~~~"])
def test_code_fence_shows_content_byte_for_byte(content: str) -> None:
    soup = _html(markdown_text.code_fence(content, "sql") + "\n\nafter\n")
    assert soup.code.get_text() == content + "\n"
    assert soup.code["class"] == ["language-sql"]
    assert soup.find("p").get_text() == "after"


def test_code_span_survives_backticks() -> None:
    soup = _html(markdown_text.code_span("a`b``c"))
    assert soup.code.get_text() == "a`b``c"


def test_to_plain_text_drops_markup_for_descriptions() -> None:
    assert markdown_text.to_plain_text("Charge **Scale** [customers](a.md)\n`daily`") == (
        "Charge Scale customers daily"
    )
