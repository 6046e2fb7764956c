"""The one Markdown reader: where a page's headings, lists, tables, code and HTML are.

Built on markdown-it-py (CommonMark, with tables and task lists) so block structure is never
guessed line by line. Pages are rendered by Python-Markdown with `pymdownx.superfences`, so
fenced code follows that extension's rule rather than CommonMark's (see `_superfence`); front
matter follows MkDocs' rule. Every block keeps the source lines it came from, so callers can
report positions and read the text exactly as the author wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock, blockquote, list_block
from markdown_it.token import Token
from mdit_py_plugins.tasklists import tasklists_plugin

BlockKind = Literal[
    "heading", "paragraph", "list", "table", "fence", "code", "html", "rule", "quote"
]

# MkDocs' own front matter rule (`mkdocs.utils.meta.YAML_RE`): what it strips, we strip.
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
CHARACTER_REFERENCE = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
"""What CommonMark and Python-Markdown read as a character reference (`&lt;`, `&#60;`)."""
_FENCE_OPEN = re.compile(r"(`{3,}|~{3,})(.*)")
# The info strings superfences accepts (its `RE_NESTED_FENCE_START` without the unrecognised
# headers it refuses by default): a language, then `{attributes}` or `key="value"` options.
_FENCE_INFO = re.compile(
    r"[ \t]*(?:\.?[\w#.+-]+(?=[ \t]|$))?"
    r"(?:[ \t]*\{[^\n]*\}|(?:[ \t]*[A-Za-z][A-Za-z0-9_]*=(?:\"[^\"]*\"|'[^']*'))+)?[ \t]*"
)
_LIST_MARKER = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_TASK_BOX = re.compile(r"\[[ xX]\][ \t]+")
_TABLE_DELIMITERS = re.compile(r"(\\\\)|(\\`+)|(`+)|(\\\|)|(\|)")
_BlockRule = Callable[[StateBlock, int, int, bool], bool]


@dataclass(frozen=True)
class Item:
    """One list item: where it starts, and its text as written, its lines joined by spaces."""

    line: int
    """0-based index of the item's first line."""
    text: str
    checked: bool | None = None
    """For a task list item (`- [x] …`) whether it is ticked."""
    task: str = ""
    """For a task list item, its text after the box."""


@dataclass(frozen=True)
class Block:
    """A top-level block of the page and the source lines `start` up to `end` it spans."""

    kind: BlockKind
    start: int
    """0-based index of the block's first line."""
    end: int
    """0-based index of the line after the block."""
    level: int = 0
    """A heading's level (1 for `#` and `===`)."""
    text: str = ""
    """A heading's or paragraph's inline Markdown; an HTML block's source."""
    info: str = ""
    """A fence's info string (`python title="x"`)."""
    content: str = ""
    """The code of a fence or an indented code block."""
    items: tuple[Item, ...] = ()
    rows: tuple[tuple[int, tuple[str, ...]], ...] = ()
    """A table's rows (header first, delimiter row left out): line index and cell Markdown."""


@dataclass(frozen=True)
class Document:
    """A Markdown page read into blocks; `lines` are its source lines, newlines normalised."""

    lines: tuple[str, ...]
    blocks: tuple[Block, ...]
    front_matter: str | None = None
    """The YAML between the `---` lines at the top, when there is front matter."""
    front_matter_end: int = 0
    """Index of the first line after the front matter."""
    tokens: list[Token] = field(default_factory=list, repr=False)

    def nested(self, kind: Literal["fence", "code_block", "html_block"]) -> list[Token]:
        """Every token of this kind at any depth (in list items and quotes too), in order."""
        return [token for token in self.tokens if token.type == kind and token.map]


def read(markdown: str, *, front_matter: bool = True, inline: bool = True) -> Document:
    """Read a page: front matter (when asked, by MkDocs' rule), then its blocks. Without
    `inline`, the inline Markdown of each block is not parsed (its text is all the same in
    the blocks, task list items still found): a third of the time, for whole documents."""
    text = _normalised(markdown)
    lines = tuple(text.split("\n"))
    yaml_text: str | None = None
    offset = 0
    match = _FRONT_MATTER.match(text) if front_matter else None
    if match:
        yaml_text = match[1]
        offset = match[0].count("\n")
    # Lines before the body are kept as blank lines, so maps count lines of the whole page.
    parser = _parser() if inline else _block_parser()
    tokens = parser.parse("\n" * offset + text[match.end() if match else 0 :])
    blocks = tuple(_blocks(tokens, lines, tasks_marked=inline))
    return Document(lines, blocks, yaml_text, offset, tokens)


def fences(markdown: str) -> list[Token]:
    """Every fenced code block of a page without front matter, at any depth, in order.

    Reads the block structure only, not the inline Markdown `read` also parses: for callers
    that need no more (plan text escaped for each page), at a fraction of the cost.
    """
    return [token for token in block_tokens(markdown) if token.type == "fence" and token.map]


def block_tokens(markdown: str) -> list[Token]:
    """markdown-it's block tokens for `markdown` (headings, lists, fences with their line
    maps), without parsing the inline Markdown of each block: what readers of the block
    structure alone need, at a fraction of the cost of `parse_tokens`."""
    tokens: list[Token] = []
    parser = _parser()
    # What `parse` would do before reading blocks: NUL characters made U+FFFD.
    parser.block.parse(_normalised(markdown).replace("\0", "\ufffd"), parser, {}, tokens)
    return tokens


def link_definitions(markdown: str) -> dict[str, tuple[str, str]]:
    """The link reference definitions of a page (`[label]: url "title"`), by their label as
    CommonMark compares them: markdown-it reads them while reading the blocks, and gives
    them no token (they show nothing)."""
    parser = _parser()
    env: dict[str, Any] = {}
    parser.block.parse(_normalised(markdown).replace("\0", "\ufffd"), parser, env, [])
    return {
        label: (found.get("href", ""), found.get("title", ""))
        for label, found in env.get("references", {}).items()
    }


def parse_tokens(markdown: str) -> list[Token]:
    """markdown-it's tokens for `markdown` (reference definitions resolved), for readers that
    need more than `read` keeps: the inline tokens of paragraphs, their links."""
    return _parser().parse(_normalised(markdown))


def inline_text(markdown: str, *, html_as_text: bool = False) -> str:
    """The text inline Markdown shows, markup left out, whitespace collapsed; tags are left
    out too, or kept as the text they are on a page that shows raw HTML as text."""
    return _shown_text(_parser().parseInline(markdown), html_as_text=html_as_text)


LEADING_LIMIT = 16 * 1024
"""Characters of a field that a description or an excerpt reads at the most."""
_DEFINITION_START = re.compile(r"\A {0,3}\[[^\]\n]{1,999}\]:")


def leading_part(markdown: str, limit: int = LEADING_LIMIT) -> str:
    """The start of `markdown`, cut at a blank line before `limit` characters, with the link
    reference definitions of the rest: what its first paragraphs show, read without parsing
    the whole field (paragraphs of `[` cost Markdown parsers quadratic time)."""
    if len(markdown) <= limit:
        return markdown
    cut = markdown.rfind("\n\n", 0, limit)
    head, rest = (markdown[:cut], markdown[cut:]) if cut > 0 else (markdown[:limit], "")
    definitions = [
        chunk.strip("\n")
        for chunk in rest.split("\n\n")
        if _DEFINITION_START.match(chunk.strip("\n"))
    ]
    return "\n\n".join([head, *definitions])


def block_text(markdown: str, *, html_as_text: bool = False) -> str:
    """The text of block Markdown's paragraphs, headings, list items and table cells, as
    `inline_text` reads each; code blocks are left out, raw HTML blocks too unless they are
    shown as text."""
    wanted = ("inline", "html_block") if html_as_text else ("inline",)
    tokens = [token for token in _parser().parse(markdown) if token.type in wanted]
    return _shown_text(tokens, html_as_text=html_as_text)


def _shown_text(tokens: list[Token], *, html_as_text: bool) -> str:
    shown = ("text", "code_inline", "html_inline") if html_as_text else ("text", "code_inline")
    parts: list[str] = []
    for token in tokens:
        parts.append(" ")
        if token.type == "html_block":  # shown as text, where raw HTML is
            parts.append(token.content)
        for child in token.children or []:
            if child.type in shown:
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
            elif child.type == "image":
                parts.append(child.content)
    return " ".join("".join(parts).split())


def split_row(row: str) -> list[str]:
    """A table row's cells, split where Python-Markdown splits them (not inside code spans)."""
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if re.search(r"(?<!\\)(?:\\\\)*\|$", row):
        row = row[:-1]
    pipes: list[int] = []
    ticks: list[tuple[int, int, int, int]] = []  # (size, start, end, escape length)
    for match in _TABLE_DELIMITERS.finditer(row):
        if match[2]:
            ticks.append((len(match[2]) - 1, match.start(2), match.end(2) - 1, 1))
        elif match[3]:
            ticks.append((len(match[3]), match.start(3), match.end(3) - 1, 0))
        elif match[5]:
            pipes.append(match.start(5))
    regions = []
    position = 0
    while position < len(ticks):
        size = ticks[position][0] - ticks[position][3]
        closing = [
            later for later in range(position + 1, len(ticks)) if size and ticks[later][0] == size
        ]
        if closing:
            regions.append((ticks[position][1], ticks[closing[0]][2]))
            position = closing[0] + 1
        else:
            position += 1
    cells = []
    start = 0
    for pipe in pipes:
        if not any(low <= pipe <= high for low, high in regions):
            cells.append(row[start:pipe].strip())
            start = pipe + 1
    cells.append(row[start:].strip())
    return cells


def _normalised(markdown: str) -> str:
    """The page without a byte order mark, every line break written `\\n`."""
    return markdown.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark").enable("table").use(tasklists_plugin)
    parser.block.ruler.at(
        "fence", _superfence, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
    # The containers, with the rules they may interrupt as markdown-it gives them.
    parser.block.ruler.at(
        "blockquote",
        _own_context(blockquote),
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    parser.block.ruler.at(
        "list", _own_context(list_block), {"alt": ["paragraph", "reference", "blockquote"]}
    )
    return parser


@cache
def _block_parser() -> MarkdownIt:
    """The reader without its inline rule: blocks and task list items only."""
    parser = MarkdownIt("commonmark").enable("table")
    parser.block.ruler = _parser().block.ruler
    return parser.disable("inline")


@dataclass
class _Unclosed:
    """Where fences were opened and never closed, so that the next opening fence in the same
    lines is refused at once: without it, a page of such lines takes quadratic time.

    Quotes and lists shift where their lines start while they read them (and put them back
    after), so what is known holds only in the container it was found in: each reading of
    a container is a context of its own, numbered, innermost last in `contexts`.
    """

    contexts: list[int] = field(default_factory=lambda: [0])
    count: int = 0
    spans: dict[tuple[int, str, int, int], tuple[int, int]] = field(default_factory=dict)
    """(context, fence, indent, last line + 1) → (opening line, line where the search ended)."""


def _unclosed(state: StateBlock) -> _Unclosed:
    unclosed = state.env.get("techplan_unclosed")
    if not isinstance(unclosed, _Unclosed):
        unclosed = state.env["techplan_unclosed"] = _Unclosed()
    return unclosed


def _own_context(rule: _BlockRule) -> _BlockRule:
    """A container rule whose lines are a context of their own for `_Unclosed`."""

    def container(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if silent:  # only asks whether the container starts here: changes no line
            return rule(state, start, end, silent)
        unclosed = _unclosed(state)
        unclosed.count += 1
        unclosed.contexts.append(unclosed.count)
        try:
            return rule(state, start, end, silent)
        finally:
            unclosed.contexts.pop()

    return container


def _superfence(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A fenced code block as `pymdownx.superfences` reads one, not as CommonMark does.

    The closing fence is the opening one exactly (same character, same length, same indent);
    a fence never closed, or with a line indented less than it, is no fence at all but text.
    """
    if state.is_code_block(start):
        return False
    first = state.bMarks[start] + state.tShift[start]
    opening = _FENCE_OPEN.fullmatch(state.src[first : state.eMarks[start]])
    if opening is None or not _FENCE_INFO.fullmatch(opening[2]):
        return False
    fence, indent = opening[1], state.sCount[start]
    unclosed = _unclosed(state)
    key = (unclosed.contexts[-1], fence, indent, end)
    opened, stop = unclosed.spans.get(key, (0, 0))
    if opened <= start < stop:  # an earlier search from above this line found no closing
        return False
    closing = None
    stop = end
    for number in range(start + 1, end):
        text = state.src[state.bMarks[number] + state.tShift[number] : state.eMarks[number]]
        if not text.strip():
            continue
        if state.sCount[number] < indent:
            stop = number
            break
        if state.sCount[number] == indent and text.rstrip(" \t") == fence:
            closing = number
            break
    if closing is None:
        unclosed.spans[key] = (start, stop)
        return False
    if silent:
        return True
    state.line = closing + 1
    token = state.push("fence", "code", 0)
    token.info = opening[2].strip()
    token.content = state.getLines(start + 1, closing, indent, True)
    token.markup = fence
    token.map = [start, state.line]
    return True


def _blocks(
    tokens: list[Token], lines: tuple[str, ...], *, tasks_marked: bool = True
) -> list[Block]:
    blocks: list[Block] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        close = _closing(tokens, index)
        index, inner = close + 1, tokens[index + 1 : close]
        if token.map is None:
            continue
        start, end = token.map
        while end > start + 1 and not lines[end - 1].strip():  # a list ends with a blank line
            end -= 1
        if token.type == "heading_open":
            level = int(token.tag[1])
            blocks.append(Block("heading", start, end, level=level, text=inner[0].content))
        elif token.type == "paragraph_open":
            blocks.append(Block("paragraph", start, end, text=inner[0].content))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            items = _items(token, inner, lines, tasks_marked=tasks_marked)
            blocks.append(Block("list", start, end, items=items))
        elif token.type == "table_open":
            blocks.append(Block("table", start, end, rows=_rows(start, end, lines)))
        elif token.type == "fence":
            blocks.append(Block("fence", start, end, info=token.info, content=token.content))
        elif token.type == "code_block":
            blocks.append(Block("code", start, end, content=token.content))
        elif token.type == "html_block":
            blocks.append(Block("html", start, end, text=token.content))
        elif token.type == "hr":
            blocks.append(Block("rule", start, end))
        elif token.type == "blockquote_open":
            blocks.append(Block("quote", start, end))
    return blocks


def _closing(tokens: list[Token], index: int) -> int:
    """Index of the token closing the one at `index` (itself, for a token that opens none)."""
    if tokens[index].nesting != 1:
        return index
    depth = 0
    for later in range(index, len(tokens)):
        depth += tokens[later].nesting
        if depth == 0:
            return later
    return len(tokens) - 1


def _items(
    opening: Token, inner: list[Token], lines: tuple[str, ...], *, tasks_marked: bool = True
) -> tuple[Item, ...]:
    """The items of a list; a task item is one the task list plugin marked, or (when inline
    Markdown was not parsed, `tasks_marked` false) one whose text starts with the box."""
    items: list[Item] = []
    for token in inner:
        if token.type != "list_item_open" or token.level != opening.level + 1 or not token.map:
            continue
        start, end = token.map
        marker = _LIST_MARKER.match(lines[start]).end()  # type: ignore[union-attr]
        source = [lines[start][marker:]]
        source += lines[start + 1 : end]
        if _holds_blocks(token, inner):  # paragraphs, a nested list, a table, a fence
            text = (source[0].strip() + "\n" + _item_content(source[1:], marker)).rstrip()
        else:
            text = " ".join(line.strip() for line in source if line.strip())
        box = _TASK_BOX.match(text)
        if box and (not tasks_marked or "task-list-item" in str(token.attrGet("class") or "")):
            items.append(Item(start, text, text[1] != " ", text[box.end() :]))
        else:
            items.append(Item(start, text))
    return tuple(items)


def _item_content(lines: list[str], marker: int) -> str:
    """A list item's lines after its first, without the indentation that puts them in the
    item: that of its first indented line, at most the marker's width or four spaces (more is
    the content's own, such as an indented code block's)."""
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    offset = min(indents[0], max(4, marker)) if indents else 0
    return "\n".join(
        line[min(offset, len(line) - len(line.lstrip(" "))) :] for line in lines
    ).rstrip()


def _holds_blocks(item: Token, inner: list[Token]) -> bool:
    """Whether a list item holds more than one paragraph of text."""
    index = inner.index(item)
    blocks = []
    for token in inner[index + 1 :]:
        if token.type == "list_item_close" and token.level == item.level:
            break
        if token.level == item.level + 1 and token.nesting != -1:
            blocks.append(token.type)
    return blocks != ["paragraph_open"] and bool(blocks)


def _rows(start: int, end: int, lines: tuple[str, ...]) -> tuple[tuple[int, tuple[str, ...]], ...]:
    return tuple(
        (number, tuple(split_row(lines[number])))
        for number in range(start, end)
        if number != start + 1 and lines[number].strip()
    )
