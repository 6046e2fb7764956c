"""Put plan text into a Markdown page without letting it change the page's structure.

Three kinds of text (PLAN_FORMAT.md, "Text"):

- plain: shown literally (titles, names, versions, paths);
- inline / block Markdown: formatting allowed, raw HTML shown as text unless the site allows
  it, links with unsafe schemes not emitted as links;
- code: shown byte for byte in a fence longer than any backtick run it contains.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

# Characters that start inline markup in Python-Markdown or the pymdownx extensions that
# Material sites commonly enable. Entities are used where a backslash escape would show.
_PLAIN_ESCAPES = {
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "{": "\\{",
    "}": "\\}",
    "[": "\\[",
    "]": "\\]",
    "!": "\\!",
    "|": "&#124;",
    "<": "&lt;",
    ">": "&gt;",
    "&": "&amp;",
    "~": "&#126;",
    "^": "&#94;",
    "=": "&#61;",
    ":": "&#58;",
    "$": "&#36;",
    "+": "&#43;",
    "#": "&#35;",
    "@": "&#64;",
}
_PLAIN_TABLE = str.maketrans(_PLAIN_ESCAPES)
_LINE_START_MARKER = re.compile(r"^(\s*)(?:([#>]|[-+*](?=\s|$))|(\d+)([.)])(?=\s|$))")
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LINK_DESTINATION = re.compile(r"\]\(\s*<?([^)>\s]*)")
_REFERENCE_DEFINITION = re.compile(r"^( {0,3})\[([^\]]+)\]:\s*<?(\S*)", re.MULTILINE)
_SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_WHITESPACE = re.compile(r"\s+")
_BACKTICK_RUN = re.compile(r"`+")


def plain(text: str) -> str:
    """Text shown exactly as written, on one line, whatever characters it holds."""
    return _WHITESPACE.sub(" ", text).strip().translate(_PLAIN_TABLE)


def inline(text: str, *, allow_html: bool = False) -> str:
    """Inline Markdown on one line: safe in a table cell, a list item or a heading."""
    one_line = _WHITESPACE.sub(" ", text).strip()
    escaped = _outside_code_spans(
        one_line, lambda part: _escape_inline(part, allow_html).replace("|", "\\|")
    )
    # A list item or cell starting with `#`, `-`, `1.` or `>` must stay text, not nest a block.
    return _LINE_START_MARKER.sub(_escape_marker, escaped, count=1)


def _escape_marker(match: re.Match[str]) -> str:
    if match[2]:
        return f"{match[1]}\\{match[2]}"
    return f"{match[1]}{match[3]}\\{match[4]}"


def block(text: str, *, allow_html: bool = False) -> str:
    """Block Markdown that stays inside its section: fences closed, HTML and unsafe links off."""
    lines = text.strip("\n").split("\n")
    out: list[str] = []
    prose: list[str] = []
    open_fence: str | None = None
    for line in lines:
        if open_fence is None:
            fence = _FENCE.match(line)
            if fence:
                if prose:
                    out.append(_escape_prose("\n".join(prose), allow_html))
                prose = []
                open_fence = fence[1]
                out.append(line)
            else:
                prose.append(line)
        else:
            out.append(line)
            closing = line.strip()
            if len(closing) >= len(open_fence) and set(closing) == {open_fence[0]}:
                open_fence = None
    if prose:
        out.append(_escape_prose("\n".join(prose), allow_html))
    if open_fence is not None:  # an unclosed fence would swallow the rest of the page
        out.append(open_fence)
    return "\n".join(out)


def code_fence(text: str, language: str = "") -> str:
    """A fenced code block that shows `text` verbatim, whatever backticks it contains."""
    longest = max((len(run) for run in _BACKTICK_RUN.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    body = text.rstrip("\n")
    return f"{fence}{language}\n{body}\n{fence}"


def unsafe_links(text: str) -> list[str]:
    """Link destinations in Markdown text whose scheme is not http(s), mailto or relative."""
    destinations = [match[1] for match in _LINK_DESTINATION.finditer(text)]
    destinations += [match[3] for match in _REFERENCE_DEFINITION.finditer(text)]
    return [destination for destination in destinations if not _is_safe_destination(destination)]


def _is_safe_destination(destination: str) -> bool:
    # Browsers decode entities and drop control characters and spaces before reading a scheme.
    decoded = "".join(ch for ch in html.unescape(destination) if ch > " ")
    scheme = _SCHEME.match(decoded)
    return scheme is None or scheme[1].lower() in _SAFE_SCHEMES


def _escape_prose(text: str, allow_html: bool) -> str:
    text = _outside_code_spans(text, lambda part: _escape_inline(part, allow_html))
    return _REFERENCE_DEFINITION.sub(_neutralise_definition, text)


def _neutralise_definition(match: re.Match[str]) -> str:
    if _is_safe_destination(match[3]):
        return match[0]
    return f"{match[1]}\\[{match[2]}]: {match[3]}"


def _escape_inline(text: str, allow_html: bool) -> str:
    if not allow_html:
        text = text.replace("<", "&lt;")
    # `{` would open an attribute list (attr_list) able to add event handlers.
    text = text.replace("{", "\\{")
    return _LINK_DESTINATION.sub(_neutralise_link, text)


def _neutralise_link(match: re.Match[str]) -> str:
    if _is_safe_destination(match[1]):
        return match[0]
    return "]\\(" + match[0][2:]


def _outside_code_spans(text: str, escape: Callable[[str], str]) -> str:
    parts: list[str] = []
    last = 0
    for match in _CODE_SPAN.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(match[0])
        last = match.end()
    parts.append(escape(text[last:]))
    return "".join(parts)


def code_span(text: str) -> str:
    """Inline code showing `text` literally, whatever backticks it contains."""
    one_line = _WHITESPACE.sub(" ", text).strip()
    longest = max((len(run) for run in _BACKTICK_RUN.findall(one_line)), default=0)
    ticks = "`" * (longest + 1)
    padding = " " if one_line.startswith("`") or one_line.endswith("`") else ""
    return f"{ticks}{padding}{one_line}{padding}{ticks}"


_LINK_OR_IMAGE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS_MARKS = re.compile(r"[*_`~]+")


def to_plain_text(text: str) -> str:
    """Markdown reduced to readable text on one line, for a page description."""
    without_links = _LINK_OR_IMAGE.sub(r"\1", text)
    return _WHITESPACE.sub(" ", _EMPHASIS_MARKS.sub("", without_links)).strip()
