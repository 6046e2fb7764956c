"""Property: whatever text a plan holds, its page keeps its structure and publishes no markup.

Every text field of a plan that fills every section gets a generated string: hostile pieces
(`<script>`, `|`, line breaks, leading `#`, `-`, `1.`, `>`, fences of backticks and tildes,
attribute lists, unsafe links, right-to-left text…) mixed with arbitrary text. The plan goes
through the plugin's own pipeline (YAML → load → check → model → Markdown), and the Markdown
is rendered with the extensions MkDocs uses by default and with those of Material sites.
Then:

- the page has as many tables, rows, headings, code blocks and checkboxes as the same plan
  with neutral text in every field, plus what each Markdown block field makes on its own;
- every plain and code string appears in the page as written; with text that holds no
  Markdown syntax, so does every Markdown string;
- no element or attribute comes from the input (no script, event handler, frame or unsafe
  link), and every problem the plan has is listed as text.

Most examples render Markdown directly; a few go through a real `mkdocs build`.
"""

from __future__ import annotations

import functools
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import SiteBuilder
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from markdown_sets import SETS, render, unsafe_markup, words
from mkdocs.utils.meta import get_data

from mkdocs_techplan.format.loading import Limits
from mkdocs_techplan.markdown import escaping as markdown_text
from mkdocs_techplan.render.renderer import PlanPage, PlanRenderer
from mkdocs_techplan.site.catalog import PlanFile, load_plan
from mkdocs_techplan.site.placement import PlanLinks

PLAIN, INLINE, BLOCK, CODE = "plain", "inline", "block", "code"
ENTRY = "entry"  # a list entry: one line is inline Markdown, several are block Markdown
BLOCK4 = "block4"  # block Markdown under a `###` heading: its own headings start at `####`
HEADING_FLOOR = {BLOCK: 3, BLOCK4: 4}
"""The level a block field's own headings start at: below the heading that holds the field."""
TAG = "tag"  # plain text that goes into the front matter, not into the page's body
STATUSES = ["Draft", "In Review", "Approved"]

# The plan's shape: every text field names its kind; other values are fixed.
SHAPE: dict[str, Any] = {
    "title": PLAIN,
    "version": PLAIN,
    "status": "Draft",
    "author": [PLAIN, PLAIN],
    "date": "2026-11-02",
    "summary": BLOCK,
    "tags": [TAG],
    "architecture": {"overview": BLOCK, "diagram": CODE, "mermaid": CODE},
    "components": [
        {
            "name": INLINE,
            "purpose": INLINE,
            "responsibilities": [ENTRY, ENTRY],
            "interfaces": CODE,
            "interfaces_language": "python",
            "dependencies": [{"name": INLINE, "reason": INLINE}],
        }
    ],
    "data_model": {"schema_changes": CODE, "migrations": [{"file": PLAIN, "description": INLINE}]},
    "api": {"endpoints": [{"method": PLAIN, "path": PLAIN, "purpose": INLINE}] * 2},
    "phases": [{"name": INLINE, "duration": PLAIN, "tasks": [ENTRY, ENTRY]}],
    "testing": {
        "unit": {"coverage_target": 80, "focus": [INLINE, INLINE]},
        "integration": [ENTRY],
        "e2e": [ENTRY],
        "performance": {"load": INLINE, "stress": INLINE},
    },
    "security": {
        "authentication": BLOCK4,
        "authorization": BLOCK4,
        "data_protection": [ENTRY, {"item": ENTRY, "done": True}],
        "input_validation": [ENTRY],
    },
    "performance": {
        "caching": BLOCK4,
        "database": {"indexes": INLINE, "query_optimization": INLINE},
        "scalability": BLOCK4,
    },
    "monitoring": {
        "metrics": [{"name": INLINE, "description": INLINE}],
        "logging": {"level": PLAIN, "structured": True},
        "alerts": [{"condition": INLINE, "action": INLINE}],
    },
    "risks": [{"risk": INLINE, "impact": "High", "probability": "Low", "mitigation": INLINE}] * 2,
    "dependencies": [{"name": INLINE, "status": INLINE, "done": False}],
    "blockers": [{"blocker": INLINE, "resolution": INLINE}],
    "rollback": [ENTRY, ENTRY],
    "open_questions": [ENTRY, {"item": ENTRY, "done": True}],
    "revisions": [{"version": PLAIN, "date": "2026-10-01", "author": PLAIN, "changes": INLINE}],
}
KINDS = (PLAIN, INLINE, BLOCK, BLOCK4, CODE, TAG, ENTRY)
NEUTRAL = {
    PLAIN: "Plain", INLINE: "Inline", BLOCK: "Block", BLOCK4: "Block", CODE: "code", TAG: "tag",
    ENTRY: "Entry",
}  # fmt: skip

HOSTILE = [
    "<script>alert(1)</script>",
    '<xss-tag onxss="1">',
    "<img src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '{: onxss="1" }',
    "{onxss=1}",
    "\\{: onxss=1}",
    "[a](javascript:alert(1))",
    "[a](java\nscript:x)",
    "[a]( <javascript:x>)",
    "![i](data:x)",
    "\n[x]: javascript:alert(1)\n",
    "[x][x]",
    "`",
    "``",
    "```",
    "````",
    "~~~",
    "~~~~",
    "|",
    "\\|",
    "\n",
    "\n\n",
    "# ",
    "#",
    "- ",
    "1. ",
    "2) ",
    "> ",
    "    ",
    "\n---\n",
    "\n===\n",
    "\n-\n",
    "!!! note\n    ",
    "??? note",
    "/// html | xss-tag\n",
    '=== "t"\n',
    ": ",
    "[^1]: x",
    "*[HTML]: x",
    "[TOC]",
    '--8<-- "mkdocs.yml"',
    "&lt;xss-tag&gt;",
    "&#60;xss-tag&#62;",
    "&",
    "<",
    ">",
    "\\",
    "<!--",
    "-->",
    "<div>",
    "</div>",
    "[ ] ",
    "[x] ",
    "*",
    "_",
    "**",
    "~~",
    "^^",
    "==",
    "++",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "!",
    ":smile:",
    "\u202e",
    "שלום",
    "مرحبا",
    "é",
    "😀",
    "\u200b",
    "https://example.com",
    "www.example.com",
    "a@example.com",
    "javascript:alert(1)",
    "\t",
]
# Characters a YAML file can hold as text (the loader refuses control characters).
TEXT_CHARACTERS = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"
) | st.sampled_from("\n\t")
hostile_text = st.lists(
    st.sampled_from(HOSTILE) | st.text(TEXT_CHARACTERS, max_size=6), min_size=1, max_size=8
).map("".join)
# Text with no Markdown syntax in it: it must appear on the page exactly as written.
PROSE_CHARACTERS = st.characters(
    blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff*_`[]()\\~^=+:>-\n&"
)
prose_text = st.text(PROSE_CHARACTERS, min_size=1, max_size=20)
CODE_CHARACTERS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff")
code_text = st.lists(
    st.sampled_from(["```", "````", "~~~", "`", "\n", "    ", "<script>", "|", "--8<-- x"])
    | st.text(CODE_CHARACTERS, max_size=6),
    min_size=1,
    max_size=8,
).map("".join)

RENDERER = PlanRenderer()


def _visible(text: str) -> bool:
    return bool(text.strip()) and not text.startswith("\n")


def _fill(shape: Any, value: Callable[[str], Any]) -> Any:
    if isinstance(shape, dict):
        return {key: _fill(item, value) for key, item in shape.items()}
    if isinstance(shape, list):
        return [_fill(item, value) for item in shape]
    return value(shape) if shape in KINDS else shape


def _leaves(shape: Any, data: Any) -> list[tuple[str, Any]]:
    if isinstance(shape, dict):
        return [leaf for key in shape for leaf in _leaves(shape[key], data[key])]
    if isinstance(shape, list):
        pairs = zip(shape, data, strict=True)
        return [leaf for item, value in pairs for leaf in _leaves(item, value)]
    return [(shape, data)] if shape in KINDS else []


@st.composite
def plans(draw: st.DrawFn, kinds: dict[str, st.SearchStrategy[str]]) -> dict[str, Any]:
    return _fill(SHAPE, lambda kind: draw(kinds[kind].filter(_visible)))


def _page_markdown(tmp_path: Path, data: dict[str, Any]) -> tuple[str, list[str]]:
    """The plan's page as the plugin writes it, and the problems it found."""
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    plan = load_plan(PlanFile("plans/p/plan.yaml", str(path)), STATUSES, Limits())
    page = PlanPage(plan=plan, status=None, links=PlanLinks(), problems=plan.problems)
    body, _front_matter = get_data(RENDERER.render(page))  # MkDocs reads it, as here
    return body, [problem.message for problem in plan.problems]


STRUCTURE = ("table", "tr", "pre", "input", "h1", "h2", "h3", "h4", "h5", "h6")


def _structure(soup: BeautifulSoup) -> dict[str, int]:
    return {name: len(soup.find_all(name)) for name in STRUCTURE}


@functools.cache
def _neutral_structure(name: str) -> dict[str, int]:
    """The structure of the page when every field holds neutral text."""
    with tempfile.TemporaryDirectory() as folder:
        markdown, problems = _page_markdown(Path(folder), _fill(SHAPE, NEUTRAL.get))
    assert problems == []
    return _structure(render(markdown, SETS[name]))


def _is_block(kind: str, text: str) -> bool:
    """Whether the text is shown as block Markdown: a block field, or a list entry of several
    lines (which the page keeps inside its list item)."""
    return kind in HEADING_FLOOR or (kind == ENTRY and "\n" in text.strip())


def _added(kind: str, text: str, name: str) -> dict[str, int]:
    """What a block field's text makes on the page besides its neutral twin: its tables, code,
    checkboxes, and its own headings at the levels the page gives them."""
    floor = HEADING_FLOOR.get(kind)
    alone = _structure(render(markdown_text.block(text, heading_floor=floor), SETS[name]))
    elements = ["table", "tr", "pre", "input"] + (["h3", "h4", "h5", "h6"] if floor else [])
    return {element: alone[element] for element in elements}


def _expected_structure(data: dict[str, Any], name: str) -> dict[str, int]:
    """The neutral page's structure, plus what each Markdown block field makes on its own."""
    expected = dict(_neutral_structure(name))
    for kind, text in _leaves(SHAPE, data):
        if _is_block(kind, text):
            for element, count in _added(kind, text, name).items():
                expected[element] += count
    return expected


def _check_page(soup: BeautifulSoup, data: dict[str, Any], problems: list[str], name: str) -> None:
    assert unsafe_markup(soup) == []
    assert _structure(soup) == _expected_structure(data, name)
    text = words(soup.get_text())
    code = [words(pre.get_text()) for pre in soup.find_all("pre")]
    for kind, value in _leaves(SHAPE, data):
        if kind == PLAIN:
            assert words(value) in text
        elif kind == CODE:
            assert words(value) in code
    assert words(data["title"]) in words(soup.h1.get_text())
    box = soup.select_one(".techplan-problems")
    shown = words(box.get_text()) if box else ""
    for message in problems:
        assert words(message.replace("`", "")) in shown.replace("`", "")


KIND_STRATEGIES = {
    PLAIN: hostile_text,
    INLINE: hostile_text,
    BLOCK: hostile_text,
    BLOCK4: hostile_text,
    # One line here: the page's structure is then known exactly. Entries of several lines
    # are block Markdown inside their list item (test_multi_line_hostile_entries_…).
    ENTRY: hostile_text.map(lambda text: " ".join(text.split("\n"))),
    CODE: code_text,
    TAG: hostile_text,
}
PROSE_STRATEGIES = {
    PLAIN: prose_text,
    INLINE: prose_text,
    BLOCK: prose_text,
    BLOCK4: prose_text,
    ENTRY: prose_text,
    CODE: code_text,
    TAG: prose_text,
}
# Modest example counts keep the suite fast; a failure is reported without long shrinking.
FAST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)


@pytest.mark.parametrize("name", sorted(SETS))
@FAST
@given(data=plans(KIND_STRATEGIES))
def test_hostile_text_keeps_the_page_structure_and_publishes_no_markup(
    tmp_path: Any, name: str, data: dict[str, Any]
) -> None:
    markdown, problems = _page_markdown(tmp_path, data)
    _check_page(render(markdown, SETS[name]), data, problems, name)


@pytest.mark.parametrize("name", sorted(SETS))
@FAST
@given(data=plans(PROSE_STRATEGIES))
def test_text_without_markdown_syntax_appears_exactly_as_written(
    tmp_path: Any, name: str, data: dict[str, Any]
) -> None:
    markdown, problems = _page_markdown(tmp_path, data)
    soup = render(markdown, SETS[name])
    _check_page(soup, data, problems, name)
    text = words(soup.get_text())
    for kind, value in _leaves(SHAPE, data):
        if kind in (INLINE, BLOCK, BLOCK4, ENTRY):
            assert words(value) in text


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(data=plans(KIND_STRATEGIES))
def test_real_builds_of_hostile_plans_publish_no_markup(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, Any]
) -> None:
    """The whole pipeline, visual summaries and theme included, against a neutral twin."""
    site = SiteBuilder(tmp_path_factory.mktemp("site"))
    site.write_plan("plans/p/plan.yaml", yaml.safe_dump(data, allow_unicode=True))
    neutral = _fill(SHAPE, NEUTRAL.get)
    site.write_plan("plans/n/plan.yaml", yaml.safe_dump(neutral, allow_unicode=True))
    result = site.build(strict=False)
    assert not result.failed
    hostile_page = result.html("plans/p/index.html")
    neutral_page = result.html("plans/n/index.html")
    # The theme's own scripts, forms and links are on both pages; nothing else may be added.
    assert Counter(unsafe_markup(hostile_page)) == Counter(unsafe_markup(neutral_page))
    content = result.content("plans/p/index.html")
    expected = _structure(result.content("plans/n/index.html"))
    for kind, text in _leaves(SHAPE, data):
        if _is_block(kind, text):
            for element, count in _added(kind, text, "default").items():
                expected[element] += count
    assert _structure(content) == expected
    text = words(content.get_text())
    for kind, value in _leaves(SHAPE, data):
        if kind == PLAIN:
            assert words(value) in text
    title = words(f"Technical Plan: {data['title']}")
    assert words(hostile_page.title.get_text()).startswith(title)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(steps=st.lists(hostile_text, min_size=1, max_size=4), name=st.sampled_from(sorted(SETS)))
def test_multi_line_hostile_entries_stay_in_their_items_and_publish_no_markup(
    tmp_path: Any, steps: list[str], name: str
) -> None:
    """Rollback steps of several lines of hostile text: one numbered item each, nothing
    unsafe on the page."""
    steps = [f"Step {number}\n\n{text}" for number, text in enumerate(steps, start=1)]
    data = {"title": "T", "status": "Draft", "rollback": steps}
    markdown, _problems = _page_markdown(tmp_path, data)
    soup = render(markdown, SETS[name])
    assert unsafe_markup(soup) == []
    heading = next(h for h in soup.find_all("h2") if "Rollback" in h.get_text())
    items = heading.find_next_sibling("ol").find_all("li", recursive=False)
    assert [item.get_text(" ").split()[:2] for item in items] == [
        ["Step", str(number)] for number in range(1, len(steps) + 1)
    ]


@pytest.mark.parametrize("name", sorted(SETS))
@pytest.mark.parametrize(
    "entry",
    [
        "\t> (<script>alert(1)</script>",  # a checklist entry, found by the property above
        "    >😀~~~)-[x][x]#[a]( <javascript:x>)",
    ],
)
def test_an_indented_entry_is_not_code_after_its_marker(
    tmp_path: Any, name: str, entry: str
) -> None:
    """An entry of several blocks whose first line is indented: after the item's marker (and
    a checklist's box) that line cannot be code, so it is escaped as text."""
    data = {
        "title": "T",
        "status": "Draft",
        "security": {"data_protection": [entry, {"item": "==1. ", "done": True}]},
        "components": [{"name": "C", "purpose": "P", "responsibilities": ["x", entry]}],
    }
    markdown, _problems = _page_markdown(tmp_path, data)
    soup = render(markdown, SETS[name])
    assert unsafe_markup(soup) == []
