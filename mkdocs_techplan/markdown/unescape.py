"""Read text back out of Markdown: the inverse of `markdown_text`'s plain, inline and block.

`markdown_text` writes every character that must stay text as a character reference
(`&#124;`, `&lt;`) and every code span as a `<code>` element; so reading back decodes the
references it writes (`&lt;`, `&gt;`, `&amp;` and decimal ones to ASCII punctuation), and turns
`<code>` elements into code spans again. Other references (`&copy;`, `&quot;`, `&#x2A;`) are
the author's and stay as written; an author's reference in one of those forms comes back as
its character.
Backslash escapes are kept in Markdown fields (they are Markdown, as the author wrote it)
and decoded in plain fields.
Hand-written Markdown goes through the same functions and is read the way Markdown reads it.
"""

from __future__ import annotations

import html
import re
import string

from mkdocs_techplan.markdown import reader

_REFERENCE = reader.CHARACTER_REFERENCE
_BACKSLASH_OR_REFERENCE = re.compile(r"\\([!-/:-@\[-`{-~])|" + _REFERENCE.pattern)
_CODE_ELEMENT = re.compile(r"<code>(.*?)</code>", re.DOTALL)
_BACKTICKS = re.compile(r"`+")


def plain(markdown: str) -> str:
    """Plain text from its Markdown: character references and backslash escapes decoded."""
    return _BACKSLASH_OR_REFERENCE.sub(_decode, _code_spans_as_text(markdown.strip()))


def inline(markdown: str) -> str:
    """One-line Markdown as the author wrote it (the same Markdown, when not exactly so)."""
    return _prose(markdown.strip())


def block(markdown: str) -> str:
    """Block Markdown as the author wrote it: prose decoded, code blocks kept as they are."""
    lines = markdown.strip("\n").split("\n")
    code = _code_lines("\n".join(lines))
    out: list[str] = []
    prose: list[str] = []
    for index, line in enumerate(lines):
        if index not in code:
            prose.append(line)
            continue
        if prose:
            out.append(_block_prose("\n".join(prose)))
            prose = []
        out.append(line)
    if prose:
        out.append(_block_prose("\n".join(prose)))
    return "\n".join(out)


def _block_prose(text: str) -> str:
    """Block prose read back. A reference starting a line stays one: decoded there, `&#35;`
    or `&gt;` would open a heading or a quote, where the page showed a character (the page's
    own references at a line's start are then kept too, and show the same)."""
    if "&" not in text:
        return _prose(text)
    lines = []
    for line in text.split("\n"):
        start = _LINE_START_REFERENCE.match(line)
        if start is None:
            lines.append(_prose(line))
        else:
            before, after = line[: start.start(1)], line[start.end() :]
            lines.append(_prose(before) + start[1] + _prose(after))
    return "\n".join(lines)


_LINE_START_REFERENCE = re.compile(
    r"(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t])))*[ \t]*(" + _REFERENCE.pattern + ")"
)


def code_span(text: str) -> str:
    """Markdown inline code showing `text`: a backtick run longer than any inside it."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    ticks = "`" * (longest + 1)
    # A backtick at an end, or spaces at both (CommonMark takes one off each), need a space.
    spaced = text.startswith(" ") and text.endswith(" ") and text.strip(" ")
    padding = " " if text.startswith("`") or text.endswith("`") or spaced else ""
    return f"{ticks}{padding}{text}{padding}{ticks}"


def _prose(text: str) -> str:
    parts: list[str] = []
    last = 0
    for element in _CODE_ELEMENT.finditer(text):
        parts.append(punctuation_references(text[last : element.start()]))
        parts.append(code_span(punctuation_references(element[1])))
        last = element.end()
    parts.append(punctuation_references(text[last:]))
    return "".join(parts)


def _code_spans_as_text(text: str) -> str:
    return _CODE_ELEMENT.sub(lambda element: element[1], text)


def punctuation_references(text: str) -> str:
    """`text` with the references `markdown_text` writes decoded (`&lt;`, `&amp;`, `&#42;`):
    what import gives back for text written with them."""
    return _REFERENCE.sub(_punctuation, text)


def _punctuation(match: re.Match[str]) -> str:
    written = match[0]
    # The forms `markdown_text` writes; an author's `&quot;` or `&#x3E;` stays as written.
    if written not in ("&lt;", "&gt;", "&amp;") and not _DECIMAL_PUNCTUATION.fullmatch(written):
        return written
    character = html.unescape(written)
    if character == "&" and _REFERENCE.match("&" + match.string[match.end() : match.end() + 40]):
        return written  # `&amp;copy;` shows `&copy;`: decoded, its `&` would make a reference
    return character


_DECIMAL_PUNCTUATION = re.compile(
    "|".join(f"&#{ord(character)};" for character in string.punctuation)
)


def _decode(match: re.Match[str]) -> str:
    if match[1] is not None:
        return match[1]
    return html.unescape(match[0])


def _code_lines(markdown: str) -> set[int]:
    """Indexes of the lines of fenced and indented code blocks, fences included, at any depth."""
    document = reader.read(markdown, front_matter=False)
    code: set[int] = set()
    for token in document.nested("fence") + document.nested("code_block"):
        start, end = token.map or (0, 0)
        code.update(range(start, end))
    return code
