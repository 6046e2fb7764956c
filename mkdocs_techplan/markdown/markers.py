"""Find `<!-- techplan:NAME key="value" -->` markers that authors put in their Markdown pages.

A marker counts only on a line of its own where it is a real HTML comment of the page (as the
reader finds it), so documentation that shows a marker in a code block, a fence or inline code
is left as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mkdocs_techplan.format.problems import Position
from mkdocs_techplan.markdown import reader

_MARKER_LINE = re.compile(r"^ {0,3}<!--\s*techplan:([a-z][a-z0-9_-]*)(.*?)-->[ \t]*$")
_ATTRIBUTE = re.compile(r"""\s*([A-Za-z_][\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


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
    """Every `techplan:<name>` marker on a line of its own in the page's HTML, in order."""
    if f"techplan:{name}" not in markdown:  # most pages: no need to read them line by line
        return []
    lines = markdown.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    markers: list[Marker] = []
    for token in reader.read(markdown, front_matter=False).nested("html_block"):
        start, end = token.map or (0, 0)
        for index in range(start, end):
            line = lines[index]
            match = _MARKER_LINE.match(line.rstrip("\r"))
            if match is None or match[1] != name:
                continue
            attributes, malformed = _attributes(match[2])
            column = len(line) - len(line.lstrip(" ")) + 1
            position = Position(index + 1, column)
            end_offset = offsets[index] + len(line)
            markers.append(
                Marker(name, attributes, position, offsets[index], end_offset, malformed)
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
