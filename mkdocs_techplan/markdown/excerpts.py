"""A Markdown field's first paragraph as inline Markdown for another page (the index, listings).

The field is read whole by the one Markdown reader, so reference-style links find their
definitions wherever the field writes them; its first paragraph is then written again as
inline Markdown: text escaped as literal text, code spans, emphasis, and links with their
targets moved to the page the excerpt goes on (`relink`). What the excerpt cannot hold (an
image, raw HTML) is shown as its text, and a link whose scheme is not allowed as its text.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable

from markdown_it.token import Token

from mkdocs_techplan.markdown import escaping, reader

_SAFE_SCHEME = re.compile(r"^(?:https?|mailto):", re.IGNORECASE)
_ANY_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_PAIRS = {"em_open": "em_close", "strong_open": "strong_close", "link_open": "link_close"}

Relink = Callable[[str], str]
"""A relative link target (`../specs/auth.md#tokens`) as the excerpt's page must write it."""


def inline_excerpt(markdown: str, length: int, relink: Relink) -> str:
    """The first paragraph of `markdown`, as safe inline Markdown of at most about `length`
    visible characters (cut at a word, `…` added), links moved by `relink`."""
    tokens = reader.parse_tokens(reader.leading_part(markdown))
    paragraph = next(
        (
            tokens[index + 1]
            for index, token in enumerate(tokens[:-1])
            if token.type == "paragraph_open" and tokens[index + 1].type == "inline"
        ),
        None,
    )
    if paragraph is None:
        return ""
    return _Writer(length, relink).write(paragraph.children or [])


_ENCODED_LETTERS = re.compile(r"(?:%[C-Fc-f][0-9A-Fa-f](?:%[89ABab][0-9A-Fa-f]){1,3})+")


def _decoded(match: re.Match[str]) -> str:
    try:
        text = urllib.parse.unquote(match[0], errors="strict")
    except UnicodeDecodeError:
        return match[0]
    return text if text.isprintable() else match[0]


class _Writer:
    def __init__(self, length: int, relink: Relink) -> None:
        self.left = length
        self.relink = relink
        self.out: list[str] = []
        self.open: list[str] = []  # closing markup of what is open, innermost last
        self.skipped_links = 0
        self.cut = False

    def write(self, children: list[Token]) -> str:
        for token in children:
            if self.cut:
                break
            if self.left <= 0 and token.type in ("text", "code_inline", "image"):
                self.out.append("…")
                break
            self._token(token)
        while self.open:
            self.out.append(self.open.pop())
        return " ".join("".join(self.out).split())

    def _token(self, token: Token) -> None:
        kind = token.type
        if kind in ("text", "html_inline"):
            self._text(token.content)
        elif kind == "code_inline":
            self.out.append(escaping.code_span(token.content))
            self.left -= len(token.content)
        elif kind in ("softbreak", "hardbreak"):
            self.out.append(" ")
        elif kind == "image":
            self._text(token.content)
        elif kind in ("em_open", "strong_open"):
            self.out.append(token.markup)
            self.open.append(token.markup)
        elif kind in ("em_close", "strong_close") and self.open:
            self.out.append(self.open.pop())
        elif kind == "link_open":
            # The parser percent-encodes letters of other scripts; the author wrote them.
            href = _ENCODED_LETTERS.sub(_decoded, str(token.attrGet("href") or ""))
            if _ANY_SCHEME.match(href) and not _SAFE_SCHEME.match(href):
                self.skipped_links += 1  # shown as its text, as on the plan page
                return
            if not _ANY_SCHEME.match(href) and not href.startswith("/"):
                href = self.relink(href)
            self.out.append("[")
            self.open.append("](" + escaping.link_destination(href) + ")")
        elif kind == "link_close":
            if self.skipped_links:
                self.skipped_links -= 1
            elif self.open:
                self.out.append(self.open.pop())

    def _text(self, text: str) -> None:
        if len(text) <= self.left:
            self.left -= len(text)
            self.out.append(_spaced(text, escaping.plain(text)))
            return
        cut = text.rfind(" ", 0, self.left)
        kept = text[: cut if cut > self.left // 2 else self.left].rstrip()
        self.out.append(_spaced(kept, escaping.plain(kept)) + "…")
        self.left = 0
        self.cut = True


def _spaced(text: str, escaped: str) -> str:
    """`escaped` with the spaces `text` had at its ends (escaping writes one trimmed line)."""
    before = " " if text[:1].isspace() else ""
    after = " " if text[-1:].isspace() else ""
    return before + escaped + after
