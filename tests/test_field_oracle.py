"""The differential oracle: every Markdown field of every YAML plan in the corpus makes the HTML
the same Markdown makes on a hand-written page of the same site, in both Markdown
configurations the tests use (`markdown_sets.SETS`).

Three differences are allowed, and documented (README, "How plan text is shown"):

- heading levels are shifted under the section that holds the field (compared as headings);
- lists and fences follow CommonMark: a list or a fence right under a paragraph line starts a
  block of its own; the oracle is the page's HTML for the text with a blank line put there;
- raw HTML is shown as text unless the site sets `allow_html`: the fields are compared with
  `allow_html` on, both sides through the sanitizer.

Whitespace inside an element (a line break where the plugin joins the lines of a one-line
entry) is not a difference a reader can see, and is collapsed outside code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, NavigableString, Tag
from markdown_it import MarkdownIt
from markdown_sets import SETS, render

from mkdocs_techplan.format.definition import Key, default_definition
from mkdocs_techplan.markdown import escaping
from mkdocs_techplan.render.safety import sanitize_html

ROOT = Path(__file__).resolve().parent.parent
PLANS = sorted(
    [
        *(ROOT / "tests" / "realworld").glob("*/plan.yaml"),
        *(ROOT / "example-site" / "docs").rglob("*.plan.y*ml"),
        *(ROOT / "example-site" / "docs").rglob("plan.y*ml"),
    ]
)
DEFINITION = default_definition()
_HEADING = re.compile(r"^h[1-6]$")
_COMMONMARK = MarkdownIt("commonmark")


def markdown_fields(
    data: dict[str, Any], keys: Sequence[Key], path: tuple[str | int, ...] = ()
) -> Iterator[tuple[str, str, str]]:
    """(path, how the page shows it, text) for every Markdown value of a plan: `block` (a
    field of its own), `entry` (an item of a list, steps or checklist), `inline` (after a
    label, in a table cell)."""
    for key in keys:
        value = data.get(key.name)
        where = (*path, key.name)
        if value is None:
            continue
        if key.kind == "mapping" and isinstance(value, dict):
            yield from markdown_fields(value, key.parts, where)
        elif key.kind in ("records", "table") and isinstance(value, list):
            for number, record in enumerate(value):
                if isinstance(record, dict):
                    yield from markdown_fields(record, key.parts, (*where, number))
        elif not key.markdown:
            continue
        elif key.kind == "markdown" and isinstance(value, str):
            yield ".".join(map(str, where)), "block", value
        elif key.kind in ("list", "steps", "checklist") and isinstance(value, list):
            for number, item in enumerate(value):
                text = item.get("item") if isinstance(item, dict) else item
                if isinstance(text, str):
                    yield f"{'.'.join(map(str, where))}.{number}", "entry", text
        elif key.kind == "text" and isinstance(value, str):
            yield ".".join(map(str, where)), "inline", value


def _plugin_markdown(kind: str, text: str, *, fences: bool) -> str:
    if kind == "block":
        return escaping.block(text, allow_html=True, fences_in_items=fences, heading_floor=3)
    if kind == "entry":
        return "- " + escaping.entry(text, allow_html=True, fences=fences)
    return "Label: " + escaping.inline(text, allow_html=True)


def _commonmark_blocks(text: str, *, fences_in_items: bool, in_item: bool = False) -> str:
    """`text` as CommonMark reads its blocks, written so that Python-Markdown reads them the
    same: a blank line before each list that starts right under a paragraph line, and each
    top-level fence on lines of its own, unindented, with blank lines around it
    (Python-Markdown reads a fence that interrupts a paragraph, is indented, or has text right
    under it, as text). Without `fences_in_items` (Python-Markdown's own fenced_code, which
    does not look into list items), a fence in a list item is written as the item's indented
    code."""
    text = escaping.commonmark_lists(text)
    lines = text.split("\n")
    tokens = [token for token in _COMMONMARK.parse(text) if token.type == "fence" and token.map]
    fences = []
    for token in reversed(tokens):
        start, end = token.map or (0, 0)
        if (token.level or in_item) and not fences_in_items:
            indent = " " * (4 * (token.level // 2) + 4)
            code = [indent + line if line else "" for line in token.content.split("\n")[:-1]]
            lines[start:end] = ["", *code, ""]
        elif not token.level:
            fences.append((start, end))
    for start, end in fences:
        indent = len(lines[start]) - len(lines[start].lstrip(" "))
        unindented = [
            line[min(indent, len(line) - len(line.lstrip(" "))) :] for line in lines[start:end]
        ]
        lines[start:end] = ["", *unindented, ""]
    return "\n".join(lines)


def _hand_written(kind: str, text: str, *, fences: bool) -> str:
    """The same text as an author writes it on a page: a block; an item of a list (its lines
    after the first indented under it); after a label on one line (a table cell's text)."""
    text = _commonmark_blocks(text.strip("\n"), fences_in_items=fences)
    if kind == "block":
        return text
    if kind == "entry":
        if not fences:  # the item's own code, indented, where fenced_code does not look
            text = _commonmark_blocks(text, fences_in_items=False, in_item=True)
        first, *rest = text.split("\n")
        return "- " + first + "".join("\n    " + line if line.strip() else "\n" for line in rest)
    return "Label: " + " ".join(text.split())


def _compared(html: str) -> list[str]:
    """The top-level elements of `html` as a reader gets them: sanitized, headings of any
    level alike (and without the ids a page numbers), whitespace collapsed outside code."""
    soup = BeautifulSoup(sanitize_html(html), "html.parser")
    for tag in soup.find_all(True):
        if _HEADING.match(tag.name):
            tag.name = "h"
            tag.attrs.pop("id", None)
    for link in soup.select("a.headerlink"):
        link.decompose()
    # A list item's first paragraph: CommonMark makes an item with a blank line inside it
    # loose (its text in `<p>`), Python-Markdown only some of them.
    for item in soup.find_all("li"):
        shown = [part for part in item.contents if isinstance(part, Tag) or part.strip()]
        if shown and isinstance(shown[0], Tag) and shown[0].name == "p":
            shown[0].unwrap()
    for text in soup.find_all(string=True):
        if isinstance(text, NavigableString) and not text.find_parent(["pre", "code"]):
            text.replace_with(" ".join(text.split()) and re.sub(r"\s+", " ", text))
    shown = []
    for element in soup.contents:
        if isinstance(element, Tag):
            shown.append(re.sub(r"\s*(<(?!/?(?:code|span|pre))[^>]+>)\s*", r"\1", str(element)))
    return shown


def _differences(plan: Path, name: str) -> list[str]:
    extensions = SETS[name]
    fences = "pymdownx.superfences" in extensions["extensions"]
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    found = []
    for where, kind, text in markdown_fields(data, DEFINITION.keys):
        made = _compared(str(render(_plugin_markdown(kind, text, fences=fences), extensions)))
        expected = _compared(str(render(_hand_written(kind, text, fences=fences), extensions)))
        if made != expected:
            first = next(
                ((one, other) for one, other in zip(made, expected, strict=False) if one != other),
                (len(made), len(expected)),
            )
            found.append(f"{where} [{kind}]: plugin {first[0]!s:.300} / page {first[1]!s:.300}")
    return found


def test_the_corpus_has_plans_with_markdown_fields() -> None:
    assert len(PLANS) >= 20
    counted = sum(
        1
        for plan in PLANS
        for _ in markdown_fields(yaml.safe_load(plan.read_text("utf-8")), DEFINITION.keys)
    )
    assert counted >= 500


@pytest.mark.parametrize("name", sorted(SETS))
@pytest.mark.parametrize("plan", PLANS, ids=lambda path: path.parent.name + "/" + path.name)
def test_every_markdown_field_renders_as_on_a_hand_written_page(plan: Path, name: str) -> None:
    assert _differences(plan, name) == []


def test_the_oracle_sees_a_difference() -> None:
    """A plugin that showed a list as text, or dropped a table, would fail the test above."""
    list_as_text = _compared(str(render("Steps:\n\n\\- one\n\\- two", SETS["default"])))
    assert list_as_text != _compared(str(render("Steps:\n\n- one\n- two", SETS["default"])))
    # whitespace a reader does not see is not a difference; a heading's level is not either
    assert _compared("<p>a\n b</p><h2 id='x'>T</h2>") == _compared("<p>a b</p><h4>T</h4>")
