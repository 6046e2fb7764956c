"""Each way plan text could become markup, tried against the Markdown MkDocs sites use.

One test per protection in `markdown_text`, each rendered with MkDocs' default extensions and
with those of Material sites (attr_list, superfences, tasklist, emoji, blocks…), so removing a
protection fails a test here. `test_text_properties.py` covers the same ground at random.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_sets import MATERIAL, SETS, render, unsafe_markup, words

from mkdocs_techplan.markdown import escaping as markdown_text

HOSTILE_HTML = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<a href='javascript:alert(1)' onclick=alert(1)>x</a>",
    "<svg onload=alert(1)>",
    "<!-- <script>alert(1)</script> -->",
]
UNSAFE_LINKS = [
    "[a](javascript:alert(1))",
    "[a](JaVaScRiPt:alert(1))",
    "[a](  javascript:alert(1))",
    "[a](java\nscript:alert(1))",
    "[a](java&#x09;script:alert(1))",
    "[a](&#106;avascript:alert(1))",
    "[a](<javascript:alert(1)>)",
    "[a](< javascript:alert(1)>)",
    "[a](data:text/html;base64,PHNjcmlwdD4=)",
    "[a](vbscript:msgbox(1))",
    "![i](javascript:alert(1))",
    "[a][r]\n\n[r]: javascript:alert(1)",
    "[a][r]\n\n[r] : javascript:alert(1)",
    "[a][r]\n\n[r]:\n  javascript:alert(1)",
    "[a][r]\n\n[r]: <javascript:alert(1)>",
    "- item\n\n    [a][r]\n\n    [r]: javascript:alert(1)",
    "> [a][r]\n>\n> [r]: javascript:alert(1)",
]
SAFE_LINKS = [
    ("[a](https://example.com/x)", "https://example.com/x"),
    ("[a](http://example.com)", "http://example.com"),
    ("[a](mailto:ada@example.com)", "mailto:ada@example.com"),
    ("[a](../specs/auth.md#tokens)", "../specs/auth.md#tokens"),
    ("[a](#anchor)", "#anchor"),
    ("[a][r]\n\n[r]: https://example.com", "https://example.com"),
]


def _block(text: str, name: str, *, allow_html: bool = False) -> str:
    """A block field between two sections, as in a plan page (of a site with superfences, or
    without, as the extension set `name` has it)."""
    fences = "pymdownx.superfences" in SETS[name]["extensions"]
    written = markdown_text.block(text, allow_html=allow_html, fences_in_items=fences)
    return f"## Before\n\n{written}\n\n## After\n"


def _inline_everywhere(text: str) -> str:
    """An inline field in a list item, a numbered item and a table cell, as in a plan page."""
    escaped = markdown_text.inline(text)
    return f"- {escaped}\n\n1. {escaped}\n\n| a | b |\n|---|---|\n| {escaped} | end |\n"


@pytest.mark.parametrize("name", sorted(SETS))
@pytest.mark.parametrize("html", HOSTILE_HTML)
def test_raw_html_is_shown_as_text_in_markdown_fields(name: str, html: str) -> None:
    for source in (_block(html, name), _inline_everywhere(html)):
        soup = render(source, SETS[name])
        assert unsafe_markup(soup) == []
        if source != _inline_everywhere(html) and re.fullmatch(r"<!--.*-->", html, re.DOTALL):
            # A whole comment in a block field is what it is on a hand-written page: nothing.
            assert "alert" not in soup.get_text()
            continue
        assert html.replace("\n", " ") in words(soup.get_text())


def test_html_comments_in_a_block_field_show_nothing() -> None:
    """KEP and BEP templates leave guidance in comments (`<!-- toc -->`): the page shows
    none of it, and the text around it as ever; a comment in a code span stays code."""
    text = "Intro <!-- hidden --> text.\n\n<!--\nGuidance\nover lines\n-->\n\nKeep `<!-- x -->`."
    soup = render(markdown_text.block(text), SETS["default"])
    shown = words(soup.get_text())
    assert "hidden" not in shown and "Guidance" not in shown
    assert "Intro text." in shown or "Intro  text." in soup.get_text()
    assert soup.find("code").get_text() == "<!-- x -->"


@pytest.mark.parametrize("name", sorted(SETS))
@pytest.mark.parametrize("html", HOSTILE_HTML)
def test_raw_html_is_shown_as_text_in_plain_fields(name: str, html: str) -> None:
    text = markdown_text.plain(html)
    soup = render(f"# Title: {text}\n\n- {text}\n\n| a |\n|---|\n| {text} |\n", SETS[name])
    for element in soup.find_all(["h1", "li", "td"]):
        assert element.get_text().removeprefix("Title: ").rstrip("¶") == words(html)
        assert [child.name for child in element.find_all(True)] in ([], ["a"])  # permalink


def test_allow_html_passes_raw_html_in_markdown_fields() -> None:
    soup = render(markdown_text.block("<kbd>Ctrl</kbd> <b>bold</b>", allow_html=True), MATERIAL)
    assert soup.kbd.get_text() == "Ctrl"
    assert soup.b.get_text() == "bold"
    soup = render("- " + markdown_text.inline("<kbd>K</kbd>", allow_html=True), MATERIAL)
    assert soup.kbd.get_text() == "K"


def test_allow_html_still_refuses_unsafe_links() -> None:
    soup = render(markdown_text.block("[a](javascript:alert(1))", allow_html=True), MATERIAL)
    assert soup.find("a") is None


@pytest.mark.parametrize("name", sorted(SETS))
@pytest.mark.parametrize("text", UNSAFE_LINKS)
def test_links_with_unsafe_schemes_are_not_emitted(name: str, text: str) -> None:
    for allow_html in (False, True):
        soup = render(_block(text, name, allow_html=allow_html), SETS[name])
        assert unsafe_markup(soup) == [], (allow_html, str(soup))
    assert markdown_text.unsafe_links(text) != []
    if "\n" not in text:
        assert unsafe_markup(render(_inline_everywhere(text), SETS[name])) == []


@pytest.mark.parametrize("name", sorted(SETS))
@pytest.mark.parametrize(("text", "href"), SAFE_LINKS)
def test_links_with_safe_schemes_stay_links(name: str, text: str, href: str) -> None:
    soup = render(_block(text, name), SETS[name])
    assert [a["href"] for a in soup.select("p a")] == [href]
    assert markdown_text.unsafe_links(text) == []


def test_a_label_that_the_template_follows_with_a_colon_defines_no_link() -> None:
    # `- {{ alert.condition | inline }}: {{ alert.action | inline }}` in the template: a
    # condition `[r]` and an action `javascript:…` must not make `[r]: javascript:…`.
    source = (
        f"- {markdown_text.inline('[r]')}: {markdown_text.inline('javascript:alert(1)')}\n"
        f"- {markdown_text.inline('[^1]')}: {markdown_text.inline('a footnote')}\n"
        f"- {markdown_text.inline('*[HTML]')}: {markdown_text.inline('an abbreviation')}\n\n"
        f"{markdown_text.block('See [this][r] and HTML[^1].')}\n"
    )
    soup = render(source, MATERIAL)
    assert soup.find("a") is None and soup.find("abbr") is None
    assert [words(li.get_text()) for li in soup.select("ul > li")] == [
        "[r]: javascript:alert(1)",
        "[^1]: a footnote",
        "*[HTML]: an abbreviation",
    ]


def test_link_syntax_inside_code_is_code_and_not_reported() -> None:
    text = "Use `[a](javascript:x)` and\n\n```\n[b](javascript:y)\n```"
    assert markdown_text.unsafe_links(text) == []
    soup = render(markdown_text.block(text), MATERIAL)
    assert soup.find("a") is None
    assert soup.code.get_text() == "[a](javascript:x)"


@pytest.mark.parametrize("name", sorted(SETS))
@pytest.mark.parametrize(
    "text",
    [
        'Paragraph {: onclick="alert(1)" }',
        'Paragraph \\{: onclick="alert(1)" }',
        '- item {: onclick="alert(1)" }',
        '[link](https://example.com){: onclick="alert(1)" }',
        'text\n{: onclick="alert(1)" }',
        "{++ inserted ++} {-- deleted --}",
    ],
)
def test_attribute_lists_and_critic_marks_add_nothing(name: str, text: str) -> None:
    soup = render(_block(text, name), SETS[name])
    assert unsafe_markup(soup) == []
    assert soup.find(["ins", "del"]) is None


@pytest.mark.parametrize("name", sorted(SETS))
@pytest.mark.parametrize(
    "text",
    [
        "# Heading",
        "###### Six",
        "#no-space",
        "Title\n===",
        "Title\n---",
        "Title\n-",
        "> # Quoted heading",
        "- # Heading in a list",
        "1. Title\n   ---",
    ],
)
def test_markdown_fields_open_no_heading(name: str, text: str) -> None:
    soup = render(_block(text, name), SETS[name])
    headings = soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
    assert [heading.get_text().rstrip("¶") for heading in headings] == ["Before", "After"]


@pytest.mark.parametrize(
    ("text", "selector"),
    [
        ('!!! danger "Title"\n    body', ".admonition"),
        ("??? note\n    body", "details"),
        ("???+ note\n    body", "details"),
        ("/// admonition | Title\nbody\n///", ".admonition"),
        ("/// details | Title\nbody\n///", "details"),
        ("/// html | xss-tag\nbody\n///", "xss-tag"),
        ('=== "Tab"\n    body', ".tabbed-set"),
        ("Term\n: Definition", "dl"),
        ("HTML is old.\n\n*[HTML]: Hyper Text", "abbr"),
        ("[TOC]", ".toc"),
        ("- !!! note\n      body", ".admonition"),
        ("> ??? note\n>     body", "details"),
    ],
)
def test_markdown_fields_open_no_extension_block(text: str, selector: str) -> None:
    soup = render(_block(text, "material"), MATERIAL)
    assert soup.select(selector) == []


@pytest.mark.parametrize("name", sorted(SETS))
@pytest.mark.parametrize(
    "text",
    [
        " ```\n<script>alert(1)</script>\n ```",
        "   ~~~\n<script>alert(1)</script>\n   ~~~",
        "````\n<script>alert(1)</script>\n`````",
        "```\n<script>alert(1)</script>\n````",
        "`x\n\n<script>alert(1)</script>\n\n`",
        "a ` b\n`x<script>alert(1)</script>` c",
        "\\`<script>alert(1)</script>`",
        "``<script>alert(1)</script>`",
        "- ```\n  <script>alert(1)</script>\n  ```",
    ],
)
def test_code_a_markdown_reader_might_not_see_exposes_nothing(name: str, text: str) -> None:
    soup = render(_block(text, name), SETS[name])
    assert unsafe_markup(soup) == []
    assert "<script>alert(1)</script>" in soup.get_text()


@pytest.mark.parametrize("name", sorted(SETS))
def test_fenced_code_in_a_markdown_field_is_shown_verbatim_and_closed(name: str) -> None:
    # A fence never closed is text, as `pymdownx.superfences` reads it: escaped, it cannot
    # swallow the sections after the field.
    text = "Intro\n~~~python {.x onclick=alert(1)}\n<b>x</b> {: y }\n```\n~~~\nafter\n```\nopen"
    soup = render(_block(text, name), SETS[name])
    assert [pre.get_text() for pre in soup.find_all("pre")] == ["<b>x</b> {: y }\n```\n"]
    assert [words(p.get_text()) for p in soup.find_all("p")] == ["Intro", "after ``` open"]
    assert unsafe_markup(soup) == []
    assert soup.find_all("h2")[-1].get_text().rstrip("¶") == "After"


@pytest.mark.parametrize("name", sorted(SETS))
@pytest.mark.parametrize(
    "language", ['js {onclick="alert(1)"}', "{.js onclick=alert(1)}", "js onclick=alert(1)"]
)
def test_a_code_language_carries_no_attributes(name: str, language: str) -> None:
    soup = render(markdown_text.code_fence("x = 1", language), SETS[name])
    assert unsafe_markup(soup) == []
    assert soup.pre.get_text() == "x = 1\n"


@pytest.mark.parametrize("name", sorted(SETS))
@pytest.mark.parametrize(
    "content",
    [
        "plain",
        "a ``` b",
        "````\nnested\n````",
        "~~~\nx\n~~~",
        "`" * 40,
        "~" * 40,
        "```\n````\n`````",
        "<script>alert(1)</script>",
        "| a | b |\n|---|---|",
        "# not a heading",
        "┌──┐\n│ß │ שלום مرحبا\n└──┘",
        '--8<-- "x"',
        "    indented\n\ttabbed",
    ],
)
def test_code_fields_show_their_content_byte_for_byte(name: str, content: str) -> None:
    soup = render(f"para\n\n{markdown_text.code_fence(content, 'sql')}\n\nafter\n", SETS[name])
    assert len(soup.find_all("pre")) == 1
    assert soup.pre.get_text().rstrip("\n") in (content, content.expandtabs(4))
    assert soup.find_all("p")[-1].get_text() == "after"


def test_snippet_lines_in_code_are_not_includes_where_snippets_run() -> None:
    content = 'a\n--8<-- "pyproject.toml"\n  ;--8<-- "x"\n--8<--\npyproject.toml\n--8<--\nz'
    extensions = {**MATERIAL, "extensions": [*MATERIAL["extensions"], "pymdownx.snippets"]}
    soup = render(markdown_text.code_fence(content, snippets=True), extensions)
    assert soup.pre.get_text().rstrip("\n") == content
    soup = render(markdown_text.block(f"```\n{content}\n```", snippets=True), extensions)
    assert soup.pre.get_text().rstrip("\n") == content


@pytest.mark.parametrize("name", sorted(SETS))
@pytest.mark.parametrize(
    "text",
    [
        "a | b",
        "a \\| b",
        "a \\\\| b",
        "`a | b`",
        "`a \\| b`",
        "``a ` | b``",
        "| a |",
        "a |\n|---|",
        "x`|`y | z",
    ],
)
def test_pipes_never_split_a_table_cell(name: str, text: str) -> None:
    soup = render(f"| a | b |\n|---|---|\n| {markdown_text.inline(text)} | end |\n", SETS[name])
    cells = soup.select("td")
    assert [cell.get_text() for cell in cells][1:] == ["end"]
    assert "|" in cells[0].get_text()


@pytest.mark.parametrize("name", sorted(SETS))
@pytest.mark.parametrize(
    "text",
    [
        "- nested",
        "* nested",
        "+ nested",
        "1. numbered",
        "2) numbered",
        "> quote",
        "# heading",
        "[ ] task",
        "[x] done",
        "[r]: https://example.com",
        "!!! note",
        "??? note",
        "=== tab",
        "---",
        "===",
        ": definition",
        "~~~",
        "```",
    ],
)
def test_a_one_line_field_starting_with_block_syntax_stays_text(name: str, text: str) -> None:
    soup = render("- " + markdown_text.inline(text) + "\n", SETS[name])
    item = soup.select_one("li")
    assert item is not None and words(item.get_text()) == text
    assert item.find(["ul", "ol", "blockquote", "h1", "input", "div", "details", "pre"]) is None


@pytest.mark.parametrize("name", sorted(SETS))
@pytest.mark.parametrize(
    "text",
    [
        "- nested",
        "1. numbered",
        "2) x",
        "> q",
        "# h",
        "[ ] t",
        "!!! note",
        "a_b*c*",
        "`c`",
        "[l](https://x)",
        "www.example.com",
        "a@example.com",
        ":smile:",
        "~~del~~",
        "^^ins^^",
        "==mark==",
        "++ctrl+alt++",
        "1/2 (c) -->",
        "{: #id }",
        "&amp; &lt;b&gt;",
        "\\*",
        "|",
        "Session-based v1.2",
        "שלום עולם",
        "\u202eevil",
        "😀",
    ],
)
def test_plain_text_is_shown_exactly_as_written(name: str, text: str) -> None:
    plain = markdown_text.plain(text)
    source = f"# Plan: {plain}\n\n- {plain}\n\n1. x: {plain}\n\n| a |\n|---|\n| {plain} |\n"
    soup = render(source, SETS[name])
    for element in soup.find_all(["h1", "li", "td"]):
        shown = words(element.get_text()).rstrip("¶").removeprefix("Plan: ").removeprefix("x: ")
        # Direction overrides the text opens are closed after it (invisible): see below.
        assert shown.rstrip("\u202c\u2069") == words(text)
        assert [child.name for child in element.find_all(True)] in ([], ["a"], ["p"])


def test_a_direction_override_in_plan_text_ends_with_the_text() -> None:
    """A title ending in U+202E reversed the plugin's own words after it (on spec pages)."""
    assert markdown_text.plain("evil\u202e") == "evil\u202e\u202c"
    assert markdown_text.plain("a\u2067b\u202bc") == "a\u2067b\u202bc\u202c\u2069"
    assert markdown_text.plain("a\u202eb\u202c") == "a\u202eb\u202c"  # closed already
    assert markdown_text.inline("**x**\u202e") == "**x**\u202e\u202c"


def test_plain_text_is_one_line() -> None:
    # One line: nothing can start a block; `-` between words is just a hyphen.
    assert markdown_text.plain("a\n\n# b\n- c") == "a &#35; b - c"


def test_control_characters_never_reach_the_page() -> None:
    assert markdown_text.plain("a\x00b\x1b[2Jc") == "ab&#91;2Jc"
    assert markdown_text.inline("a\x07b") == "ab"
    assert markdown_text.block("a\rb") == "a\nb"
    assert markdown_text.code_fence("a\x1bb\r\nc") == "```\nab\nc\n```"


def test_text_of_invisible_characters_still_takes_a_place() -> None:
    # Two list items with nothing in them read as a heading underline (`-`).
    source = f"- {markdown_text.inline(chr(0x1B))}\n- {markdown_text.plain(chr(7))}\n"
    soup = render(source, MATERIAL)
    assert len(soup.select("li")) == 2 and soup.find("h2") is None


def test_only_labels_at_the_start_of_a_line_define_links() -> None:
    # `[note]: data: …` in the middle of a sentence defines nothing: no warning, no change.
    text = "Read [the note]: data: loss is possible"
    assert markdown_text.unsafe_links(text) == []
    assert markdown_text.block(text) == text


@pytest.mark.parametrize(
    "text", ["`<script>alert(1)</script>`", "``<img src=x onerror=alert(1)>``", "<b>x</b>"]
)
def test_escaped_text_stays_inert_inside_raw_html(text: str) -> None:
    # A custom template may put a field inside an HTML block, where Markdown does not run:
    # code spans are `<code>` elements with escaped content, not backticks around raw text.
    for escaped in (markdown_text.inline(text), markdown_text.plain(text)):
        soup = render(f'<div class="custom">\n{escaped}\n</div>\n', MATERIAL)
        assert unsafe_markup(soup) == []
        assert soup.find("b") is None
        assert words(soup.get_text()) in (text, text.strip("`"))


@pytest.mark.parametrize("name", sorted(SETS))
def test_indented_code_shows_its_text_as_written(name: str) -> None:
    text = "Para\n\n    if (a < b && c) { x = `y`; }\n\n\tz <= 1\n\nAfter"
    soup = render(_block(text, name), SETS[name])
    assert [pre.get_text() for pre in soup.find_all("pre")] == [
        "if (a < b && c) { x = `y`; }\n\nz <= 1\n"
    ]
    assert [p.get_text() for p in soup.find_all("p")] == ["Para", "After"]


@pytest.mark.parametrize("name", sorted(SETS))
def test_code_in_a_list_item_is_code_and_the_rest_of_the_item_prose(name: str) -> None:
    # The code stays in its item (a fence where superfences reads it there, indented code
    # where Python-Markdown's fenced_code does not), and so does the rest of the item.
    text = "- item\n\n    ```\n    x <b>\n    ```\n\n    more <b>text</b>\n\n        y <b>"
    soup = render(_block(text, name), SETS[name])
    assert [pre.get_text() for pre in soup.select("li pre")] == ["x <b>\n", "y <b>\n"]
    assert soup.find("b") is None
    assert [p.get_text() for p in soup.select("li p")] == ["item", "more <b>text</b>"]


@pytest.mark.parametrize("name", sorted(SETS))
def test_an_indented_list_continuation_stays_prose(name: str) -> None:
    soup = render(_block("- item\n\n    more <b>text</b>", name), SETS[name])
    assert soup.find("pre") is None and soup.find("b") is None
    assert "more <b>text</b>" in soup.get_text()


def _entries(texts: list[str], name: str) -> str:
    """Entries as a plan page lists them (tasks, steps), in a site with or without
    superfences."""
    fences = "pymdownx.superfences" in SETS[name]["extensions"]
    items = "".join(f"- {markdown_text.entry(text, fences=fences)}\n" for text in texts)
    return f"## Tasks\n\n{items}\n## After\n"


@pytest.mark.parametrize("name", sorted(SETS))
def test_code_in_a_multi_line_entry_keeps_its_indentation(name: str) -> None:
    code = "def f():\n    if x:\n        return 1"
    soup = render(_entries([f"Write:\n\n```python\n{code}\n```", "Next"], name), SETS[name])
    assert [pre.get_text() for pre in soup.find_all("pre")] == [code + "\n"]
    assert [words(li.get_text()) for li in soup.find_all("li")][-1] == "Next"


def test_code_in_an_entry_without_superfences_is_indented_code_with_no_blank_line_after() -> None:
    # Python-Markdown reads no fence inside a list item: the code is written indented, its
    # lines as the fence held them, and nothing is added after it (import reads it back).
    assert markdown_text.entry("A:\n```yaml\nspec: 1\n```", fences=False) == (
        "A:\n\n        spec: 1\n"
    )


@pytest.mark.parametrize("written", ["{#custom-id}", "{: #custom-id }", "{#custom-id .wide}"])
def test_a_heading_in_a_field_keeps_its_attribute_list_anchor(written: str) -> None:
    text = f"Intro\n\n# Heading {written}\n\nText"
    soup = render(markdown_text.block(text, heading_floor=3), MATERIAL)
    heading = soup.find("h3")
    assert heading is not None and heading.get("id") == "custom-id"
    assert words(heading.get_text()).rstrip("¶") == "Heading"


def test_a_heading_attribute_with_a_value_stays_text() -> None:
    text = 'Intro\n\n# Heading {onclick="alert(1)"}\n\nText'
    soup = render(markdown_text.block(text, heading_floor=3), MATERIAL)
    assert unsafe_markup(soup) == []
    heading = soup.find("h3")
    assert heading is not None and '{onclick="alert(1)"}' in heading.get_text()


@pytest.mark.parametrize("name", sorted(SETS))
def test_character_references_show_their_characters_as_on_a_written_page(name: str) -> None:
    text = "a &lt;b&gt; &amp; &copy; &#60; &#x3C; & d &nosuch"
    soup = render(_block(text, name), SETS[name])
    assert soup.find("b") is None and unsafe_markup(soup) == []
    assert [p.get_text() for p in soup.find_all("p")] == ["a <b> & © < < & d &nosuch"]


@pytest.mark.parametrize("name", sorted(SETS))
def test_character_references_hide_no_unsafe_link(name: str) -> None:
    for target in ("jav&#97;script:alert(1)", "&#106;avascript:alert(1)", "javascript&#58;x"):
        soup = render(_block(f"[x]({target})", name), SETS[name])
        assert soup.select("p a") == [] and unsafe_markup(soup) == []


@pytest.mark.parametrize("name", sorted(SETS))
def test_a_list_under_a_line_starting_with_a_tag_name_is_a_list(name: str) -> None:
    # CommonMark reads `<HEAD` as the start of an HTML block; shown as text, it is a paragraph
    # the list interrupts.
    soup = render(_block("<HEAD\n- item", name), SETS[name])
    assert [li.get_text() for li in soup.find_all("li")] == ["item"]
    assert [p.get_text() for p in soup.find_all("p")] == ["<HEAD"]


def test_an_empty_heading_in_a_field_stays_text() -> None:
    soup = render(markdown_text.block("#", heading_floor=3), MATERIAL)
    assert soup.find(["h1", "h2", "h3", "h4", "h5", "h6"]) is None
    assert words(soup.get_text()) == "#"


@pytest.mark.parametrize(
    ("markdown", "replaced"),
    [
        ("Calls <code>a</code> and <code>b</code>.", 2),
        ("- An item with <code>a</code>\n- and <code>b</code>", 2),
        ("| <code>a</code> | b |", 1),
        ("## A heading with <code>a</code>", 0),
        ("- ### A heading in an item, <code>a</code>", 0),
        ("A setext heading, <code>a</code>\n---", 0),
        ("Two lines of one\nsetext heading, <code>a</code>\n===", 0),
        ("```\n<code>a</code>\n```\nAfter <code>b</code>.", 1),
        ("- ````md\n  ```\n  <code>a</code>\n  ````\n\n<code>b</code>", 1),
        ("~~~\n<code>a</code>", 0),
        ("    <code>a</code> indented", 0),
        ("> <code>a</code> quoted", 0),
        ("<code>a<b>x</b></code>", 0),
        ('<img title="<code>" onerror="x()</code>">', 0),  # raw HTML, not the escapes'
        ("Text <code>a&#34;&#61;b &amp; &lt;c&gt;</code>.", 1),
    ],
)
def test_code_elements_are_replaced_only_where_they_are_inline_html(
    markdown: str, replaced: int
) -> None:
    """Only a paragraph's code elements stand as words: not a heading's (its table of contents
    would read the word), nor a fence's, indented code's or a quote's text."""
    out = markdown_text.replace_code_elements(markdown, lambda element: f"[{element}]")
    assert out.count("[<code>") == replaced
    assert out.replace("[<code>", "<code>").replace("</code>]", "</code>") == markdown


_LINK_PIECES = st.sampled_from(
    [
        "[a](", "[a]: ", "](", ")", "<", ">", ":", "&#58;", "&colon;", "\\", "\t", "\n", " ",
        "java", "script", "javascript", "data", "http", "https", "mailto", "vbscript", "HTTPS",
        "x", "1", ".", "+", "-", "/", "`", "```\n", "*[", "]", "\\href{", "}",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(_LINK_PIECES, max_size=14))
def test_a_text_read_through_holds_no_unsafe_link(pieces: list[str]) -> None:
    """`unsafe_links` reads only the texts that may name an unsafe scheme; the others must
    hold none when read whole."""
    text = "".join(pieces)
    assert markdown_text.unsafe_links(text) == markdown_text._unsafe_links_read(text) or (
        "]" not in text and "\\" not in text
    )
