"""Put plan text into a Markdown page without letting it change the page's structure.

Three kinds of text (README, "The plan.yaml format"):

- plain: shown literally (titles, names, versions, paths);
- inline / block Markdown: formatting allowed, raw HTML shown as text unless the site allows
  it, links with unsafe schemes not emitted as links;
- code: shown byte for byte in a fence longer than any backtick run it contains.

The escapes do not rely on guessing how Markdown will read the text. Text that must stay text
is written as character references (`&#35;`), which Python-Markdown and every extension pass
through untouched in any context: table cell, list item, heading, raw HTML. Code spans in
Markdown fields become `<code>` elements with their content written the same way, so no
disagreement about where a span starts or ends can expose the rest of the text. Code blocks,
found where the site's `pymdownx.superfences` finds them (the fence rule of `reader`), are
re-emitted as fences at the start of a line, longer than any backtick run they contain.
"""

from __future__ import annotations

import bisect
import html
import re
import string
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it.token import Token

from mkdocs_techplan.markdown import reader


class Markdown(str):
    """Text already made safe to place in a Markdown page."""

    __slots__ = ()


_SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_WHITESPACE = re.compile(r"\s+")
_BACKTICK_RUN = re.compile(r"`+")

# Characters no page can show; `\r` is a line break to Markdown, so it becomes one here too.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LANGUAGE = re.compile(r"[ \t]*\{?[ \t]*\.?([\w#+.\-]*)")

_REFERENCES = {char: f"&#{ord(char)};" for char in string.punctuation}
_REFERENCES.update({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_LITERAL = str.maketrans(_REFERENCES)

# What Markdown fields escape outside code spans: the start of raw HTML and entities, code
# spans we did not recognise, attribute lists (`{: onclick=…}`) and, in one-line fields, the
# table cell separator.
_SPECIAL = re.compile(r"\\[!-/:-@\[-`{-~]|`+|[&<{|\]]")
_REFERENCED = frozenset("`{|")
_LINK_TARGET = re.compile(r"\]([ \t]*:|\()")  # `[id]: target` or `[text](target)`
# Quotes and list items a line may open with before a definition's label.
_LABEL_CONTAINERS = r"(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t])))*[ \t]*"
_DEFINITION_LABEL = re.compile(_LABEL_CONTAINERS + r"\[[^\[\]]*")
_PADDING = re.compile(r"[ \t\n]*")  # before a link target: any amount, then the scheme
_TARGET_START = re.compile(r"(?:[\s\x00-\x1f]|<|&lt;)*")

_BLANK_EDGES = re.compile(r"\A(?:[ \t]*\n)+|(?:\n[ \t]*)+\Z")
_SNIPPET_LINE = re.compile(r"^([ \t]*)(;*-+8<-+)", re.MULTILINE)
# A line that continues containers: blockquote `>`, list items `-`, `+`, `*`, `1.`, `1)`.
_CONTAINERS = re.compile(r"(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)))*[ \t]*")
# Starts of lines that open a block no plan field may open: headings, setext underlines,
# admonitions and details, pymdownx blocks and tabs, definition lists, abbreviation
# definitions, the TOC marker, fences below the top level, snippet includes. Footnotes are
# the plan's own: block fields are shown on the plan's page alone, where they belong (a
# hand-written page shows them; listings elsewhere show one line of a field, no definition).
_BLOCK_START = re.compile(
    r"#|[=\-]+[ \t]*$|!!!|\?\?\?|///|===|:(?=[ \t]|$)|\*\[[^\]]*\][ \t]*:"
    r"|\[TOC\]|~~~|;*-+8<"
    r"|\*\[[^\]]*$"  # a definition's label continued on the next line
)
# In a one-line field the text itself sits where a list item or quote would start. A label
# alone (`[x]`, `[^1]`, `*[x]`) counts too: templates write `text: other text`, and `[x]: …`
# at the start of a list item defines a link, footnote or abbreviation for the whole page.
_INLINE_START = re.compile(
    r"[-+*](?=[ \t]|$)|>|\[[ xX]\](?=[ \t]|$)|\*?\[[^\]]*\][ \t]*(?::|$)"
    r"|(?P<number>\d{1,9})[.)](?=[ \t]|$)"
)


_DESTINATION_SAFE = "/:?#[]@!$&*+,;=%~-._"


def link_destination(href: str) -> str:
    """`href` as one Markdown link destination: no space, line break, parenthesis, `<`,
    backtick or `|` can end it or open other markup. Letters of other scripts stay as written
    (`#раздел-один`), as in a hand-written link: MkDocs compares anchors as written, so a
    percent-encoded one would not be found."""
    if href.isascii():
        return urllib.parse.quote(href, safe=_DESTINATION_SAFE)
    return "".join(
        char
        if not char.isascii() and char.isprintable() and not char.isspace()
        else urllib.parse.quote(char, safe=_DESTINATION_SAFE)
        for char in href
    )


def plain(text: str) -> str:
    """Text shown exactly as written, on one line, whatever characters it holds."""
    if _WORDS.fullmatch(text):  # nothing to escape (the commonest case: names, short labels)
        return text
    return _plain(text)


def _plain(text: str) -> str:
    return closed_bidi(_QUIET.sub(_quiet_or_referenced, _one_line(text)))


_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")
_ISOLATES = frozenset("\u2066\u2067\u2068")


def closed_bidi(text: str) -> str:
    """`text` with every direction embedding, override and isolate it opens closed at its
    end: a title ending in U+202E (right-to-left override) must not reverse the words the
    page shows after it."""
    if not _BIDI.search(text):
        return text
    embeddings = isolates = 0
    for char in _BIDI.findall(text):
        if char in _EMBEDDINGS:
            embeddings += 1
        elif char == "\u202c":
            embeddings = max(0, embeddings - 1)
        elif char in _ISOLATES:
            isolates += 1
        elif isolates:  # U+2069 closes the last isolate
            isolates -= 1
    return text + "\u202c" * embeddings + "\u2069" * isolates


# Punctuation written as a character reference only where it could start or end Markdown, an
# extension's inline syntax (caret, tilde, mark, critic, keys, emoji, magiclink, betterem) or
# a heading's closing `#`: a version `2.0`, a name `Session-based`, `Plan: Auth`, `a, b; c?`
# and `50%` stay as written, so exported Markdown reads like Markdown.
_QUIET = re.compile(r"[!-/:-@\[-`{-~]")
_CALM = frozenset(",;?%'\"()/")
"""Punctuation that no Markdown flavour or common extension reads, wherever it stands."""
_ALONE = frozenset("-.!=+")
"""Punctuation read only in runs (`--`, `...`, `!!!`, `==mark==`, `++key++`)."""


def _quiet_or_referenced(match: re.Match[str]) -> str:
    char = match[0]
    text = match.string
    start = match.start()
    before = text[start - 1] if start else ""
    after = text[start + 1 : start + 2]
    if char in ".)" and text[:start].isdigit() and (after == "" or after.isspace()):
        return _REFERENCES[char]  # `1. x`, `1) x`: a numbered list, wherever the text lands
    if char == "." and text[max(0, start - 3) : start].lower() == "www":
        return _REFERENCES[char]  # `www.example.com`: magiclink would link it
    if char in _CALM and start:
        return char
    if char in _ALONE and start and char not in (before, after):
        arrow = before in ("<", ">") or after in ("<", ">")  # `<-`, `->`: arrows somewhere
        return _REFERENCES[char] if arrow else char
    if char == ":" and start and (after == "" or after.isspace()):
        return char  # `Plan: Auth`; `:smile:` and `https://` stay references
    return _REFERENCES[char]


def inline(text: str, *, allow_html: bool = False) -> str:
    """Inline Markdown on one line: safe in a table cell, a list item or a heading."""
    if (
        not _BIDI.search(text)
        and _PROSE.fullmatch(text)
        and not (_INLINE_START.match(text) or _BLOCK_START.match(text))
        and not text.endswith("#")
    ):
        return text  # nothing the escapes below would change (most sentences)
    return _inline(text, allow_html=allow_html)


def _inline(text: str, *, allow_html: bool) -> str:
    escaped = _escape_prose(_one_line(text), allow_html=allow_html, one_line=True, found=None)
    if (len(escaped) - len(escaped.rstrip("\\"))) % 2:
        # A backslash ending the text is literal in Markdown, but at the end of a heading
        # Python-Markdown no longer reads the line as one: written as a reference, it is text.
        escaped = escaped[:-1] + "&#92;"
    if escaped.endswith("#") and not escaped.endswith("\\#"):
        # In a heading, Python-Markdown takes trailing `#`s for the closing sequence.
        escaped = escaped[:-1] + "&#35;"
    # Direction controls closed last, as `_plain` does: the full escape is one function.
    return closed_bidi(_neutralise_start(escaped, _INLINE_START))


def record_name(text: str, *, allow_html: bool = False) -> str:
    """A name shown as `name: text` (a metric, a dependency): inline Markdown whose own `: `
    and final `:` are written as references, so the name ends where the page says."""
    escaped = inline(text, allow_html=allow_html).replace(": ", "&#58; ")
    return escaped[:-1] + "&#58;" if escaped.endswith(":") else escaped


# Words of letters and digits with single spaces between them: no punctuation, control
# character, line break or other whitespace, so `plain` and `inline` have nothing to change
# (a test compares them with the full escapes).
_WORDS = re.compile(r"(?:[^\W_]+ )*[^\W_]+")
# One line with single spaces, no control character, no bracket and nothing `_SPECIAL` finds:
# unless it starts like a block or a list item, `inline` has nothing to change.
_PROSE = re.compile(r"(?:[^\s\x00-\x1f\x7f\\`&<{|\[\]]+ )*[^\s\x00-\x1f\x7f\\`&<{|\[\]]+")


def block(
    text: str,
    *,
    allow_html: bool = False,
    snippets: bool = False,
    indented_code: bool = False,
    fences_in_items: bool = True,
    heading_floor: int | None = None,
    quoted_headings: int | None = None,
) -> str:
    """Block Markdown that stays inside its section: fences closed, HTML and unsafe links off.

    `snippets`: the site uses `pymdownx.snippets`; see `code_fence`. `indented_code`: code
    blocks are written indented, not fenced (inside a list item, where Python-Markdown's own
    fenced_code does not look; pymdownx.superfences does). `fences_in_items`: the site reads
    fences inside list items (pymdownx.superfences); without it, a fence in a list item is
    written as the item's indented code, where a hand-written page of the site puts it.
    A list that starts on the line right after a paragraph line is a list, as CommonMark and
    GitHub read it (Python-Markdown wants a blank line before it: one is added).
    `heading_floor`: headings of the text (top-level ATX or setext) stay headings, shifted so
    the highest is of this level (they never outrank the section holding the field); without
    it, a line starting with `#` is shown as text. `quoted_headings`: a heading inside a block
    quote of at least this level stays a heading, as on a hand-written page (it is part of the
    quote, below the section either way).
    """
    if heading_floor is not None:
        return _with_headings(
            text,
            heading_floor,
            lambda part: block(
                part,
                allow_html=allow_html,
                snippets=snippets,
                indented_code=indented_code,
                fences_in_items=fences_in_items,
                quoted_headings=heading_floor,
            ),
            lambda heading: inline(heading, allow_html=allow_html),
        )
    out: list[str] = []
    # Code is found as CommonMark reads the text; the lists of the prose between are then
    # indented as Python-Markdown wants them.
    listed = _BLANK_EDGES.sub("", _blank_before_lists(_clean(text), allow_html=allow_html))
    for part in _split_fences(listed, _nested_lines(listed, allow_html=allow_html)):
        if isinstance(part, _Fence) and (indented_code or (part.depth and not fences_in_items)):
            # Indented code: four columns in from the item holding it, if any.
            body = part.body.removesuffix("\n")
            indent = "    " * (part.depth + 1)
            out.append("\n".join(indent + line if line else "" for line in body.split("\n")))
        elif isinstance(part, _Fence):
            fence = code_fence(part.body, part.info, snippets=snippets)
            indent = "    " * part.depth  # in its list item, where the item's content is
            out.append("\n".join(indent + line if line else "" for line in fence.split("\n")))
        else:
            if "<!--" in part:
                part = _without_comments(part)
            escaped = _escape_prose(part, allow_html=allow_html, one_line=False, found=None)
            lines = escaped.split("\n")
            kept: list[str] = []
            for number, line in enumerate(lines):
                kept.append(_guard_line(line, lines[number - 1] if number else "", quoted_headings))
                # A lone `-` made text is a paragraph line now: a list right under it starts
                # after a blank line, as `_lists_after_paragraphs` writes every such list.
                if (
                    kept[-1] != line
                    and number + 1 < len(lines)
                    and _LIST_ITEM.match(lines[number + 1])
                ):
                    kept.append("")
            guarded = "\n".join(kept)
            out.append(_BLANK_EDGES.sub("", guarded))
    # Blank lines around fences: a fence never continues the paragraph or list before it.
    return "\n\n".join(part for part in out if part.strip())


# An HTML comment, or a code span (whose text is code, comment or not), whichever comes first.
_COMMENT_OR_CODE = re.compile(r"<!--.*?-->|(`+)(?:.|\n)*?(?<!`)\1(?!`)", re.DOTALL)


def _without_comments(text: str) -> str:
    """`text` less its HTML comments (`<!-- toc -->`, a template's guidance): a hand-written
    page shows nothing for them, so neither does the plan, whether or not HTML is allowed."""

    def drop(match: re.Match[str]) -> str:
        return match[0] if match[1] else ""

    return _COMMENT_OR_CODE.sub(drop, text)


def _with_headings(
    text: str,
    floor: int,
    prose: Callable[[str], str],
    heading: Callable[[str], str],
) -> str:
    """`text` with its top-level headings written as headings of at least `floor`, and the
    text between them as `prose` writes it."""
    cleaned = _clean(text)
    if not _HEADING_LINE.search(cleaned):  # no line that could be a heading: no parse
        return prose(text)
    tokens = reader.parse_tokens(cleaned)
    found = [
        (token.map[0], token.map[1], int(token.tag[1]), tokens[index + 1].content)
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
        and token.level == 0
        and token.map
        # An empty heading (`#` alone) would leave nothing on the page: it stays text.
        and tokens[index + 1].content.strip()
    ]
    if not found:
        return prose(text)
    shift = max(0, floor - min(level for _, _, level, _ in found))
    lines = cleaned.split("\n")
    parts: list[str] = []
    position = 0
    for start, end, level, content in found:
        parts.append(prose("\n".join(lines[position:start])))
        attributes = _HEADING_ATTRIBUTES.search(content)
        if attributes is not None:
            content = content[: attributes.start()]
        written = heading(content) if content.strip() else ""
        if written and attributes is not None:
            written += " {" + " ".join(attributes[1].split()) + "}"
        if written:
            parts.append("#" * min(6, level + shift) + " " + written)
        position = end
    parts.append(prose("\n".join(lines[position:])))
    return "\n\n".join(part for part in parts if part.strip())


def entry(
    text: str, *, allow_html: bool = False, snippets: bool = False, fences: bool = True
) -> str:
    """A list entry (a task, a step, a checklist item): one line as `inline`; several lines
    as block Markdown inside the item, its lines after the first indented four spaces (as
    Python-Markdown reads list content). `fences`: the site's Markdown reads fences inside
    list items (pymdownx.superfences); without it, code is indented instead."""
    if ("\n" not in text.strip() or _one_paragraph(text)) and not _QUOTE_START.match(text):
        return inline(text, allow_html=allow_html)
    # The first line follows the item's marker (and a checklist's box), where indentation
    # cannot start code: read as code, `\t> <script>` would reach the page unescaped.
    text = text.lstrip(" \t")
    written = block(text, allow_html=allow_html, snippets=snippets, indented_code=not fences)
    lines: list[str] = []
    fence = ""  # the line closing the fence the line is in
    for line in written.split("\n"):
        # A line indented under a paragraph line continues the paragraph; inside a list item
        # Python-Markdown would read it as code, so it loses its indentation. Code keeps it.
        previous = lines[-1] if lines else ""
        if fence:
            fence = "" if line == fence else fence
        elif opening := _FENCE_OPENING.match(line):
            fence = opening[1]
        elif line.startswith("    ") and previous.strip() and not previous[:1].isspace():
            line = line.lstrip(" \t")
        lines.append(line)
    # A blank line after: Python-Markdown would take a next item written right under a
    # nested list for one of its items (it tells `-` and `1.` lists apart only by indent).
    indented = ("    " + line if line.strip() else "" for line in lines[1:])
    return "\n".join([lines[0], *indented]) + "\n"


def _one_paragraph(text: str) -> bool:
    """Lines of one paragraph and nothing else (no blank line, no line that could start a
    block): written on one line, they read the same."""
    lines = text.strip().split("\n")
    return all(line.strip() for line in lines) and not any(
        _BLOCK_LINE.match(line) for line in lines[1:]
    )


def document(text: str, *, snippets: bool = False) -> str:
    """A Markdown plan's own text for its page: the author's Markdown as a hand-written page
    of the site reads it (README, "Plans written in Markdown"), with three
    changes. Lists are read as CommonMark reads them; a `#` heading is lowered to `##`, below
    the page's title; a fence left open is closed, so that nothing the plugin adds after the
    text is taken into it. With `pymdownx.snippets`, a `--8<--` line stays text: a plan does
    not include files. Its HTML is sanitized once converted, as all plan text is."""
    text = commonmark_lists(_BLANK_EDGES.sub("", text.replace("\r\n", "\n")))
    if snippets:
        text = _SNIPPET_LINE.sub(r"\1;\2", text)
    lines = text.split("\n")
    tokens = reader.block_tokens(text)
    for token in tokens:
        if token.type != "heading_open" or token.tag != "h1" or not token.map:
            continue
        start, end = token.map
        if token.markup == "#":
            lines[start] = re.sub(r"^( {0,3})#", r"\1##", lines[start])
        else:  # a setext heading: its `===` underline becomes `---`
            lines[end - 1] = lines[end - 1].replace("=", "-")
    fences = [token for token in tokens if token.type == "fence" and token.map]
    unclosed = [token for token in fences if _unclosed(token, lines)]
    if unclosed:
        lines.append(unclosed[-1].markup)
    return "\n".join(lines)


def _unclosed(fence: Token, lines: list[str]) -> bool:
    """A fence that runs to the end of the text without its closing line."""
    assert fence.map is not None
    last = lines[fence.map[1] - 1].strip() if fence.map[1] - 1 > fence.map[0] else ""
    return fence.map[1] >= len(lines) and not last.startswith(fence.markup)


def commonmark_lists(text: str) -> str:
    """`text` with its lists where CommonMark and GitHub read them: a blank line before a
    list that interrupts a paragraph (what the plugin does to every Markdown it shows)."""
    return _lists_after_paragraphs(text, allow_html=True)


def _lists_after_paragraphs(text: str, *, allow_html: bool = False) -> str:
    """`text` with its lists as CommonMark reads them, written so that Python-Markdown reads
    them the same: a blank line before each top-level list that interrupts a paragraph, and
    the content of each item indented four columns per level (`_nested_lines`). The text is
    parsed once, and only when one of the two can apply (a whole KEP is 30 KB)."""
    lines = text.split("\n")
    nesting, blanks = _may_nest(text), _may_interrupt(text, lines)
    if not (nesting or blanks):
        return text
    tokens = reader.block_tokens(text if allow_html else text.replace("<", "&lt;"))
    shown = _nested_lines(text, allow_html=allow_html, tokens=tokens) if nesting else lines
    for start in _lists_after_text(tokens, lines) if blanks else ():
        shown[start] = "\n" + shown[start]
    return "\n".join(shown)


# An indented line: without one, no list item holds more than its own line, and there is
# nothing to indent (most fields, whose lists are flat).
_SHALLOW_NESTING = re.compile(r"\n[ \t]+\S")


def _may_nest(text: str) -> bool:
    """Whether `text` has a list and an indented line (without one, no list item holds more
    than its own line, and there is nothing to indent)."""
    return _SHALLOW_NESTING.search(text) is not None and _LIST_LINE.search("\n" + text) is not None


def _nested_lines(text: str, *, allow_html: bool, tokens: list[Token] | None = None) -> list[str]:
    """`text` with each list item's content indented four columns per level, as
    Python-Markdown wants it, where CommonMark (GitHub) reads it at the item's own content
    column (two columns after `- `, three after `1. `): a list nested by two spaces is nested,
    and an item's second paragraph stays in it. Lists in block quotes are left as written.
    One string per line of `text` (a blank line a list item needs before it is put in its
    string), so that what was read of `text` by line still applies."""
    lines = text.split("\n")
    if tokens is None:
        if not _may_nest(text):
            return lines
        tokens = reader.block_tokens(text if allow_html else text.replace("<", "&lt;"))
    # Each item: its lines, its content column as written and where Python-Markdown wants it.
    items: list[tuple[int, int, int, int, int]] = []  # start, end, written, wanted, marker
    open_items: list[int] = []
    quotes = 0
    for token in tokens:
        if token.type == "blockquote_open":
            quotes += 1
        elif token.type == "blockquote_close":
            quotes -= 1
        elif token.type == "list_item_open" and token.map and not quotes:
            start, end = token.map
            line = lines[start].expandtabs(4)
            indent = len(line) - len(line.lstrip(" "))
            bullet = token.info + token.markup if token.info else token.markup
            after = line[indent + len(bullet) :]
            gap = len(after) - len(after.lstrip(" "))
            written = indent + len(bullet) + (gap if 1 <= gap <= 4 else 1)
            marker_at = items[open_items[-1]][3] if open_items else indent
            open_items.append(len(items))
            items.append((start, end, written, marker_at + 4, marker_at))
        elif token.type == "list_item_close" and open_items and not quotes:
            open_items.pop()
    if not any(written != wanted or marker != 0 for _, _, written, wanted, marker in items):
        return lines
    out = list(lines)
    for number, line in enumerate(lines):
        if not line.strip():
            continue
        expanded = line.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip(" "))
        holding = [item for item in items if item[0] <= number < item[1]]
        first = next((item for item in holding if item[0] == number), None)
        if first is not None:  # an item's own line: its marker where its level puts it
            out[number] = " " * first[4] + expanded[indent:]
            continue
        inner = next((item for item in reversed(holding) if indent >= item[2]), None)
        if inner is not None:  # content of that item: at its wanted column, relative
            out[number] = " " * (inner[3] + indent - inner[2]) + expanded[indent:]
    # An item right under the last paragraph of an item with blank lines in it: Python-Markdown
    # reads it on as that paragraph's text unless a blank line comes first.
    for start, _, _, _, marker in reversed(items):
        before = next((item for item in items if item[1] == start and item[4] == marker), None)
        if (
            before is not None
            and lines[start - 1].strip()
            and any(not lines[k].strip() for k in range(before[0], start))
        ):
            out[start] = "\n" + out[start]
    return out


def _blank_before_lists(text: str, *, allow_html: bool = False) -> str:
    """`text` with a blank line before each top-level list that interrupts a paragraph.

    Read as the page will read it: without `allow_html` a `<` is shown as text, so a line
    such as `<HEAD` opens no HTML block there and the list under it is a list."""
    lines = text.split("\n")
    if not _may_interrupt(text, lines):
        return text
    tokens = reader.block_tokens(text if allow_html else text.replace("<", "&lt;"))
    for start in reversed(_lists_after_text(tokens, lines)):
        lines.insert(start, "")
    return "\n".join(lines)


def _may_interrupt(text: str, lines: list[str]) -> bool:
    """Whether a list line comes right under a line of text that is not a list item."""
    if "\n" not in text or not _LIST_LINE.search(text):
        return False
    return any(
        _LIST_ITEM.match(line)
        and lines[number - 1].strip()
        and not _LIST_ITEM.match(lines[number - 1])
        for number, line in enumerate(lines)
        if number
    )


def _lists_after_text(tokens: list[Token], lines: list[str]) -> list[int]:
    """The first lines of the top-level lists that start right under a line of text."""
    return [
        token.map[0]
        for token in tokens
        if token.type in ("bullet_list_open", "ordered_list_open")
        and token.level == 0
        and token.map
        and token.map[0] > 0
        and lines[token.map[0] - 1].strip()
    ]


# `{#id}` or `{: #id .class}` closing a heading: its anchor for attr_list, as on a hand-written
# page (without attr_list it shows as text there too). Only ids and classes: an attribute with
# a value (`{onclick=…}`) stays escaped.
_HEADING_ATTRIBUTES = re.compile(r"[ \t]+\{:?[ \t]*((?:[#.][A-Za-z][\w-]*[ \t]*)+)\}[ \t]*$")
_FENCE_OPENING = re.compile(r"(`{3,}|~{3,})")
"""A fence as `code_fence` writes it: at the start of the line."""
_LIST_LINE = re.compile(r"\n[ \t]{0,3}(?:[-+*]|\d{1,9}[.)])[ \t]")
_BLOCK_LINE = re.compile(r"[ \t]*(?:[-+*>#|]|\d{1,9}[.)]|```|~~~|[=-]+[ \t]*$)|    ")
"""A line that could start (or underline) a block, or is indented like code."""
_LIST_ITEM = re.compile(r"[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]")
_MARKUP = re.compile(r"[\\`*_\[\]<>&!#|~=]|^[ \t]*(?:[-+*>]|\d{1,9}[.)])(?:[ \t]|$)", re.MULTILINE)
_HEADING_LINE = re.compile(r"(?m)^[ ]{0,3}(?:#{1,6}(?:[ \t]|$)|=+[ \t]*$|-+[ \t]*$)")


def code_fence(text: str, language: str = "", *, snippets: bool = False) -> str:
    """A fenced code block that shows `text` verbatim, whatever backticks it contains.

    `snippets`: the site uses `pymdownx.snippets`, which would replace a line such as
    `--8<-- "secrets.env"` with that file, even inside code. Such lines get the extension's
    own escape, a `;` it removes again, so the line is shown as written and nothing is read.
    """
    body = _clean(text)
    # The line break that ends the code's last line; a blank line before it is the code's.
    body = body[:-1] if body.endswith("\n") else body
    if snippets:
        body = _SNIPPET_LINE.sub(r"\1;\2", body)
    longest = max((len(run) for run in _BACKTICK_RUN.findall(body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{_language(language)}\n{body}\n{fence}"


def code_span(text: str) -> str:
    """Inline code showing `text` literally, whatever backticks it contains."""
    return _code_element(_one_line(text))


def unsafe_links(text: str) -> list[str]:
    """Link targets in Markdown text whose scheme is not http(s), mailto or relative.

    These are exactly the links `block` and `inline` refuse to emit, as the author wrote them.
    """
    if "]" not in text and "\\" not in text:  # links end at a `]`; math links start with `\`
        return []
    if not _may_name_unsafe_scheme(text):  # most texts: read through, they took 0.1 ms a plan
        return []
    return _unsafe_links_read(text)


def _unsafe_links_read(text: str) -> list[str]:
    """`unsafe_links`, by reading the whole text as `block` does."""
    found: list[str] = []
    for part in _split_fences(_clean(text)):
        if not isinstance(part, _Fence):
            _escape_prose(part, allow_html=True, one_line=False, found=found)
            found += [
                command[1]
                for command in _MATH_LINK.finditer(part)
                if not _is_safe_target(command[1], 0)
            ]
    return found


def _may_name_unsafe_scheme(text: str) -> bool:
    """Whether a link target in `text` may start with a scheme other than http(s) or mailto,
    as `_is_safe_target` reads it. A character reference or a backslash escape can spell any
    character; without them, a scheme is the run of scheme characters before a colon (a
    browser drops the tabs and line breaks in it). A text whose every such run is a safe
    scheme (`https:`) or that has no colon holds no unsafe target."""
    if "&" in text or "\\" in text:
        return True
    return any(
        _BREAKS_IN_SCHEME.sub("", run[1]).lower() not in _SAFE_SCHEMES
        for run in _SCHEME_RUN.finditer(text)
        if run[2]
    )


# Each whole run, then the colon if one follows: a run is read once, however long (looking
# ahead for the colon would read a long run again from each of its characters).
_SCHEME_RUN = re.compile(r"([A-Za-z0-9+.\-\t\n\r]+)(:?)")
_BREAKS_IN_SCHEME = re.compile(r"[\t\n\r]")


# `\href{url}{text}` and `\url{url}` in math (arithmatex, MathJax): links too. The sanitizer
# removes unsafe ones from the HTML; this names them.
_MATH_LINK = re.compile(r"\\(?:href|url)[ \t]*\{([^{}]*)\}")


def page_wide_definitions(text: str) -> list[str]:
    """Abbreviation (`*[term]:`) definitions outside code, as written
    (line breaks in a label shown as `\\n`, at most 80 characters): a definition applies to
    the whole page, so `block` shows these lines as text."""
    cleaned = _clean(text)
    if "*[" not in cleaned:  # what every definition starts with
        return []
    found: list[str] = []
    for part in _split_fences(cleaned):
        if not isinstance(part, _Fence):
            for match in _PAGE_WIDE_DEFINITION.finditer(part):
                found.append(f"{match[1]}{match[2]}]:".replace("\n", "\\n")[:80])
    return found


# A definition's label may span lines, in any container.
_PAGE_WIDE_DEFINITION = re.compile(
    "^" + _LABEL_CONTAINERS + r"(\*\[)([^\]]*)\][ \t]*:",
    re.MULTILINE,
)
# Each part stops at the next bracket or parenthesis, so no match is tried across the rest of
# a text full of unclosed brackets (that took quadratic time).


def to_plain_text(text: str, *, block: bool = False) -> str:
    """Markdown reduced to the text it shows, on one line: for a page description, or a name
    in raw HTML (`login_latency_p99` stays whole, `**Outage**` loses its stars); raw HTML is
    kept as the text plan pages show it as."""
    if not _MARKUP.search(text):  # plain prose (most summaries): nothing to read
        return _WHITESPACE.sub(" ", text).strip()
    if block:  # a summary: its paragraphs and lists, not its code (of a long one, its start)
        return reader.block_text(reader.leading_part(text), html_as_text=True)
    return reader.inline_text(text, html_as_text=True)


def first_paragraph(text: str) -> str:
    """The text up to its first blank line, on one line."""
    start = _BLANK_EDGES.sub("", _clean(text))
    end = _PARAGRAPH_BREAK.search(start)
    return _WHITESPACE.sub(" ", start[: end.start()] if end else start).strip()


def _one_line(text: str) -> str:
    one_line = _WHITESPACE.sub(" ", _clean(text)).strip()
    # Text made only of characters no page can show still needs a place holder: an empty
    # list item followed by another reads as a heading underline (`-`).
    return one_line if one_line or not text else "\u200b"


def _clean(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _literal(text: str) -> str:
    """Every ASCII punctuation character as a character reference: text to any reader."""
    return text.translate(_LITERAL)


def _code_element(text: str) -> str:
    return f"<code>{_literal(text)}</code>"


# A code element as `_code_element` writes it: every ASCII punctuation character of its text
# is a reference. Only that shape is replaced: put back anywhere, even into an attribute's
# value (raw HTML a site allows), its text has no quote to end the value with.
_CODE_ELEMENT = re.compile(
    r"<code>(?:[^\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e\n]|&(?:#[0-9]+|amp|lt|gt);)*</code>"
)
# A line opening or closing a fence (backticks or tildes, three or more), in a list item or
# a quote too.
_FENCE_LINE = re.compile(r"[ \t>]*(?:(?:[-*+]|[0-9]+[.)])[ \t]+[ \t>]*)*(`{3,}|~{3,})")
# A line that is or may make a heading (ATX, after list or quote markers; a setext underline,
# which makes the paragraph above it one), whose text a table of contents reads.
_HEADING_LIKE = re.compile(r"[ \t]*(?:(?:[-*+>]|[0-9]+[.)])[ \t]+)*#|[ \t]*(?:=+|-+)[ \t]*$")


def replace_code_elements(markdown: str, replace: Callable[[str], str]) -> str:
    """`markdown` (a page the escapes and templates wrote) with each code element in its
    paragraphs given by `replace`, except where the element is not simply inline HTML: in a
    paragraph that holds a heading (a table of contents would read it), in a fence, and on a
    line indented four columns or more (possibly indented code), and in a quote. Those keep
    it as it is."""
    if "<code>" not in markdown:
        return markdown
    lines = markdown.split("\n")
    fence = ""
    paragraph: list[int] = []  # the lines of the paragraph read so far, outside fences
    changed = False

    def close_paragraph() -> None:
        nonlocal changed
        if paragraph and not any(_HEADING_LIKE.match(lines[n]) for n in paragraph):
            for number in paragraph:
                line = lines[number]
                if "<code>" in line and not line.startswith(("    ", "\t", ">", " >", "  >")):
                    lines[number] = _CODE_ELEMENT.sub(lambda found: replace(found[0]), line)
                    changed = True
        paragraph.clear()

    for number, line in enumerate(lines):
        opening = _FENCE_LINE.match(line)
        if fence:
            if (
                opening is not None
                and opening[1][0] == fence[0]
                and len(opening[1]) >= len(fence)
                and not line[opening.end() :].strip()
            ):
                fence = ""
            continue
        if opening:
            close_paragraph()
            fence = opening[1]
        elif line.strip():
            paragraph.append(number)
        else:
            close_paragraph()
    close_paragraph()
    return "\n".join(lines) if changed else markdown


def _code_span_content(text: str) -> str:
    """What a code span shows, by CommonMark's rule: line breaks are spaces, and one space is
    taken off each end when both ends have one and the content is not only spaces."""
    content = text.replace("\n", " ")
    if content.startswith(" ") and content.endswith(" ") and content.strip(" "):
        return content[1:-1]
    return content


def _language(info: str) -> str:
    """The language word of a fence's info string; attributes (`{onclick=…}`) are dropped."""
    match = _LANGUAGE.match(info)
    return match[1] if match else ""


@dataclass(frozen=True)
class _Fence:
    body: str
    info: str
    depth: int = 0
    """How many list items hold the code, when it stays in them (written indented)."""


def _split_fences(text: str, shown: list[str] | None = None) -> list[str | _Fence]:
    """Prose and code blocks, in order; the prose from `shown` (the lines of `text` as the
    page is to have them, one string each) when given.

    Fenced code is where the Markdown reader finds it, by the rule of `pymdownx.superfences`
    that sites render with, in a list item or a quote too, and indented code where it is code
    to CommonMark (not text of a list item, however its lines are indented). Code in list
    items stays there (`depth`: how many items hold it), with the rest of its item: `block`
    writes it indented as the item's content. A fence in a quote is re-emitted at the start
    of a line, where every Markdown flavour agrees a fence is one, so it leaves the quote.
    Backticks anywhere else are escaped.
    """
    lines = text.split("\n")
    shown = shown if shown is not None else list(lines)
    fences = _fences(text, lines)
    indented = _indented_code(text)
    parts: list[str | _Fence] = []
    prose: list[str] = []
    index = 0
    while index < len(lines):
        fence = fences.get(index)
        code_block = indented.get(index)
        if fence is None and code_block is None:
            prose.append(shown[index])
            index += 1
            continue
        if prose:
            parts.append("\n".join(prose))
            prose = []
        if fence is not None:
            end, code, columns = fence
            parts.append(code)
            if not code.depth:
                # Out of its quote, the code is followed by the rest of the quote at the top
                # level too: as indented as it was, that text would read as code.
                _dedent(shown, end, columns)
            index = end
            continue
        assert code_block is not None  # neither a fence nor prose: indented code
        end, depth = code_block
        # The code as written four columns in from its container.
        columns = max(0, _indent(lines[index]) - 4)
        body: list[str] = []
        while index < end:
            expanded = lines[index].expandtabs(4)
            body.append(expanded[min(columns + 4, _indent(expanded)) :])
            index += 1
        while body and not body[-1].strip():
            body.pop()
        parts.append(_Fence("\n".join(body), "", depth))
    if prose:
        parts.append("\n".join(prose))
    return parts


def _fences(text: str, lines: list[str]) -> dict[int, tuple[int, _Fence, int]]:
    """The fenced code blocks of the text, at any depth, by first line: the line after each,
    its code as written inside the fence (list item or quote indentation left out), and the
    indentation of its container (0 at the top level)."""
    if "```" not in text and "~~~" not in text:  # no fence can open: most fields
        return {}
    fences: dict[int, tuple[int, _Fence, int]] = {}
    for token in reader.fences(text):
        start, end = token.map or (0, 0)
        columns = _indent(lines[start]) if token.level else 0
        # In list items (not a quote, where the line starts with `>`): one item per two
        # levels (the list, then its item).
        depth = token.level // 2 if columns else 0
        fences[start] = (end, _Fence(token.content, token.info, depth), columns)
    return fences


def _dedent(lines: list[str], start: int, columns: int) -> None:
    """Take `columns` of indentation off the lines from `start` on, up to one that has less."""
    if not columns:
        return
    for index in range(start, len(lines)):
        line = lines[index]
        if not line.strip():
            continue
        width = len(line) - len(line.lstrip(" \t"))
        indentation = line[:width].expandtabs(4)
        if len(indentation) < columns:
            return
        lines[index] = indentation[columns:] + line[width:]


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def _indented_code(text: str) -> dict[int, tuple[int, int]]:
    """The indented code blocks of `text` as CommonMark reads them, at any depth: first line,
    the line after and how many list items hold it. A block indented four spaces under a
    list item's lazy lines, or under a blank line in the item, is the item's text (a table
    in a KEP's list item), not code."""
    if not _INDENTED_AFTER_BLANK.search(text):  # no line could open one: most fields
        return {}
    # Raw HTML is shown as text in a field: a `<` opens no HTML block there.
    lines = text.split("\n")
    return {
        token.map[0]: (token.map[1], token.level // 2 if _indent(lines[token.map[0]]) > 4 else 0)
        for token in reader.block_tokens(text.replace("<", "&lt;"))
        if token.type == "code_block" and token.map
    }


_QUOTE_START = re.compile(r"[ \t]*>[ \t>]*[^ \t>\n]")
"""An entry that is a block quote (`- > Note: …` on a hand-written page): one, in its item."""
_INDENTED_AFTER_BLANK = re.compile(r"(?:\A|\n[ \t]*\n)(?: {4}|\t| {0,3}\t)")


def _escape_prose(text: str, *, allow_html: bool, one_line: bool, found: list[str] | None) -> str:
    """Escape Markdown prose; record (in `found`) the unsafe link targets it neutralised."""
    escaped = _escape_specials(text, allow_html=allow_html, one_line=one_line, found=found)
    return _balance_brackets(escaped) if "[" in escaped else escaped


# `<https://…>`, `<mailto:…>`: an autolink (CommonMark's, which Python-Markdown reads too), of
# a safe scheme only; no space, `<`, `>` or backtick inside.
_AUTOLINK = re.compile(r"<(?:[Hh][Tt][Tt][Pp][Ss]?://|[Mm][Aa][Ii][Ll][Tt][Oo]:)[^\s<>`\\]+>")


def _escape_specials(
    text: str, *, allow_html: bool, one_line: bool, found: list[str] | None
) -> str:
    out: list[str] = []
    last = 0
    position = 0
    backticks = _BacktickRuns(text)
    while True:
        match = _SPECIAL.search(text, position)
        if match is None:
            break
        out.append(text[last : match.start()])
        token = match[0]
        position = match.end()
        if token[0] == "\\":
            char = token[1]
            # The pair is read as one: `\\`` opens no code span and `\\]` closes no link text.
            # Characters escaped below keep the backslash in front, shown as written.
            if char in _REFERENCED or (char in "&<" and not allow_html):
                out.append("\\" + _REFERENCES[char])
            else:
                out.append(token)
        elif token[0] == "`":
            closing = backticks.closing(match.end(), token)
            if closing is None:
                out.append("&#96;" * len(token))
            else:
                out.append(_code_element(_code_span_content(text[match.end() : closing])))
                position = closing + len(token)
        elif token == "&":
            # A character reference (`&lt;`, `&#60;`) shows its character, as on a
            # hand-written page; a link target's references are decoded before its scheme is
            # checked (`_is_safe_target`), so none can hide `javascript:`.
            reference = reader.CHARACTER_REFERENCE.match(text, match.start())
            if reference is not None:
                out.append(reference[0])
                position = reference.end()
            else:
                out.append("&amp;" if not allow_html else token)
        elif token == "<":
            # An autolink to a web or mail address is a link on a hand-written page too.
            autolink = _AUTOLINK.match(text, match.start())
            if autolink is not None and not allow_html:
                out.append(autolink[0])
                position = autolink.end()
            else:
                out.append("&lt;" if not allow_html else token)
        elif token == "{":
            out.append("&#123;")
        elif token == "|":
            out.append("&#124;" if one_line else token)
        else:  # `]`: a link or definition may follow
            target = _LINK_TARGET.match(text, match.start())
            if target is not None and target[1] != "(" and not _opens_definition(text, match):
                target = None
            if target is not None and not _is_safe_target(text, target.end()):
                if found is not None:
                    found.append(
                        _target_as_written(text, target.end(), definition=target[1] != "(")
                    )
                opener = target[1]
                out.append("]" + opener[:-1] + _REFERENCES[opener[-1]])
                position = target.end()
            else:
                out.append(token)
        last = position
    out.append(text[last:])
    return "".join(out)


def _opens_definition(text: str, bracket: re.Match[str]) -> bool:
    """Whether the `]` closes a label at the start of a line: `[id]: target` defines a link.
    The label may span lines (`[a` / `]: target`), but not a blank line."""
    opening = text.rfind("[", 0, bracket.start())
    if opening == -1 or _PARAGRAPH_BREAK.search(text, opening, bracket.start()):
        return False
    line_start = text.rfind("\n", 0, opening) + 1
    return _DEFINITION_LABEL.fullmatch(text, line_start, bracket.start()) is not None


class _BacktickRuns:
    """Where each run of backticks is, by length: the run closing a code span is found by a
    binary search instead of a scan of the rest of the line (a line of unclosed backticks
    would cost quadratic time)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.runs: dict[int, list[int]] = {}
        if "`" in text:
            for run in _BACKTICK_RUN.finditer(text):
                self.runs.setdefault(len(run[0]), []).append(run.start())

    def closing(self, start: int, run: str) -> int | None:
        """Where the run closing a code span opened by `run` (ending at `start`) starts, on
        the same line."""
        starts = self.runs.get(len(run), [])
        index = bisect.bisect_left(starts, start)
        if index == len(starts):
            return None
        candidate = starts[index]
        return candidate if "\n" not in self.text[start:candidate] else None


# Python-Markdown reads link text by scanning from each `[` to its matching `]`, or to the end
# of the paragraph when there is none: text full of unmatched or deeply nested brackets costs
# quadratic time (8 KB of `[` took 17 s). Brackets that cannot open a link are escaped, so
# each remaining `[` is scanned only as far as its own `]`.
_MAX_BRACKET_DEPTH = 3
"""Link text inside link text (`[![image](src)](href)`) needs two; deeper cannot be a link."""
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _balance_brackets(text: str) -> str:
    """`text` with every `[` that has no `]` in its paragraph, or is nested deeper than
    `_MAX_BRACKET_DEPTH`, written as `&#91;` (and the `]` of a too-deep one as `&#93;`).

    Only brackets, escapes and paragraph breaks are visited (found by one pattern), not every
    character: most texts with a link have a few brackets in a long line."""
    escaped: dict[int, str] = {}
    open_brackets: list[int] = []  # positions of the `[` not closed yet; -1 for escaped ones
    for found in _BRACKET_EVENT.finditer(text):
        token = found[0]
        if token == "[":
            if len(open_brackets) >= _MAX_BRACKET_DEPTH:
                escaped[found.start()] = "&#91;"
                open_brackets.append(-1)
            else:
                open_brackets.append(found.start())
        elif token == "]":
            if open_brackets and open_brackets.pop() == -1:
                escaped[found.start()] = "&#93;"
        elif token[0] == "\\":  # `\[` is already text
            continue
        else:  # a blank line ends the paragraph: what is still open there opens nothing
            _escape_unclosed(escaped, open_brackets)
    _escape_unclosed(escaped, open_brackets)
    if not escaped:
        return text
    parts: list[str] = []
    last = 0
    for position in sorted(escaped):
        parts += (text[last:position], escaped[position])
        last = position + 1
    parts.append(text[last:])
    return "".join(parts)


_BRACKET_EVENT = re.compile(r"\\[^\n]|\[|\]|\n[ \t]*\n")
"""What `_balance_brackets` looks at: a bracket, an escaped character (a backslash before a
line break escapes nothing, and the break may start a blank line), a paragraph break."""


def _escape_unclosed(escaped: dict[int, str], open_brackets: list[int]) -> None:
    for position in open_brackets:
        if position >= 0:
            escaped[position] = "&#91;"
    open_brackets.clear()


def _is_safe_target(text: str, start: int) -> bool:
    """Whether the link target starting at `start` is http(s), mailto or relative.

    Read the way a browser reads a URL: character references decoded, leading spaces and
    control characters skipped, tabs and line breaks inside the scheme ignored.
    """
    start = _PADDING.match(text, start).end()  # type: ignore[union-attr]
    window = text[start : start + 200]
    for _ in range(3):  # `&amp;#106;` is still `j` once the page is parsed twice
        window = html.unescape(window)
    window = window[_TARGET_START.match(window).end() :]  # type: ignore[union-attr]
    scheme = _SCHEME.match(re.sub(r"[\t\n\r]", "", window))
    return scheme is None or scheme[1].lower() in _SAFE_SCHEMES


def _target_as_written(text: str, start: int, *, definition: bool = False) -> str:
    """The link target as the author wrote it, tabs and line breaks in it made visible; a
    definition's (`[id]: target`) ends with its line."""
    rest = text[start:]
    rest = rest[_TARGET_START.match(rest).end() :]  # type: ignore[union-attr]
    depth = 0
    end = len(rest)
    for index, char in enumerate(rest):
        if char in " >" or (char == ")" and depth == 0) or (char == "\n" and definition):
            end = index
            break
        depth += {"(": 1, ")": -1}.get(char, 0)
    return rest[:end].rstrip().replace("\t", "\\t").replace("\n", "\\n")


_THEMATIC_BREAK = re.compile(r" {0,3}-[ \t]*-[ \t]*-[- \t]*")


_QUOTED_HEADING = re.compile(r"(#{1,6})[ \t]+\S")


def _guard_line(line: str, previous: str = "", quoted_headings: int | None = None) -> str:
    """Neutralise a line of block prose that would open a heading or an extension's block.
    A `---` line after a blank line is a thematic break, as on a hand-written page."""
    stripped = line.strip(" \t")
    if stripped and set(stripped) <= {"=", "-"}:  # a setext underline, even a single `-`
        if not previous.strip() and _THEMATIC_BREAK.fullmatch(line):
            return line
        return _reference_at(line, len(line) - len(line.lstrip(" \t")))
    containers = _CONTAINERS.match(line)
    start = containers.end() if containers else 0
    if quoted_headings is not None and containers and ">" in containers[0]:
        heading = _QUOTED_HEADING.match(line, start)
        if heading is not None and len(heading[1]) >= quoted_headings:
            return line
    if _BLOCK_START.match(line, start):
        return _reference_at(line, start)
    return line


def _neutralise_start(text: str, starts: re.Pattern[str]) -> str:
    if not text:
        return text
    match = starts.match(text) or _BLOCK_START.match(text)
    if match is None:
        return text
    if match.groupdict().get("number"):
        return _reference_at(text, match.end("number"))
    return _reference_at(text, 0)


def _reference_at(text: str, index: int) -> str:
    return text[:index] + _REFERENCES.get(text[index], text[index]) + text[index + 1 :]
