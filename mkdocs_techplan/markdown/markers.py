"""Find `<!-- techplan:NAME key="value" -->` markers that authors put in their Markdown pages.

A marker counts only on a line of its own, outside fenced code blocks, so documentation that
shows a marker in a code block or in inline code is left as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mkdocs_techplan.format.problems import Position

_MARKER_LINE = re.compile(r"^ {0,3}<!--\s*techplan:([a-z][a-z0-9_-]*)(.*?)-->[ \t]*$")
_ATTRIBUTE = re.compile(r"""\s*([A-Za-z_][\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class Marker:
    """One marker: which one, its attributes, and the line it occupies."""

    name: str
    attributes: dict[str, str]
    position: Position
    start: int
    """Offset of the marker line's first character in the Markdown."""
    end: int
    """Offset just after the marker line (its newline excluded)."""
    malformed: str | None = None
    """The part of the marker that is not `key="value"`, if any."""


def find_markers(markdown: str, name: str) -> list[Marker]:
    """Every `techplan:<name>` marker standing on its own line outside code fences, in order."""
    if f"techplan:{name}" not in markdown:  # most pages: no need to read them line by line
        return []
    markers: list[Marker] = []
    open_fence: str | None = None
    offset = 0
    for number, line in enumerate(markdown.split("\n"), start=1):
        start, offset = offset, offset + len(line) + 1
        if open_fence is not None:
            closing = line.strip()
            if len(closing) >= len(open_fence) and set(closing) == {open_fence[0]}:
                open_fence = None
            continue
        fence = _FENCE.match(line)
        if fence:
            open_fence = fence[1]
            continue
        match = _MARKER_LINE.match(line.rstrip("\r"))
        if match is None or match[1] != name:
            continue
        attributes, malformed = _attributes(match[2])
        column = len(line) - len(line.lstrip(" ")) + 1
        markers.append(
            Marker(name, attributes, Position(number, column), start, start + len(line), malformed)
        )
    return markers


def replace_markers(markdown: str, markers: list[Marker], replacements: list[str]) -> str:
    """The Markdown with each marker line replaced by its text, set off by blank lines."""
    parts: list[str] = []
    last = 0
    for marker, replacement in zip(markers, replacements, strict=True):
        parts.append(markdown[last : marker.start])
        parts.append(f"\n{replacement.strip()}\n")
        last = marker.end
    parts.append(markdown[last:])
    return "".join(parts)


def _attributes(text: str) -> tuple[dict[str, str], str | None]:
    attributes: dict[str, str] = {}
    position = 0
    while True:
        match = _ATTRIBUTE.match(text, position)
        if match is None:
            break
        attributes[match[1]] = match[2] if match[2] is not None else match[3]
        position = match.end()
    rest = text[position:].strip()
    return attributes, rest or None
