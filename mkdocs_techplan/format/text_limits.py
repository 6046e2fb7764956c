"""How much text a plan may hold outside its code fields.

Python-Markdown's inline work on a paragraph grows with the paragraph's length times the number
of things it matches there (every link, entity, escape and emphasis rebuilds the paragraph's
text), so a long paragraph dense with punctuation takes quadratic time: 64 KB of `&#` took
3 s, 1 MiB did not finish in two minutes. Text shown as code is passed through whole and costs
linear time. So the text a plan shows as Markdown is bounded twice: in all, and per block
(what Python-Markdown reads inline at once), and a plan over either bound is not rendered, as
a file over the size limit is not. `benchmarks/bench_limits.py` measures the worst cases.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from mkdocs_techplan.format.definition import default_definition, walk
from mkdocs_techplan.format.loading import KeyPath, LoadedDocument, LoadError

MAX_TEXT = 256 * 1024
"""Characters of text in a plan outside code fields (keys, too)."""
MAX_BLOCK = 8 * 1024
"""Characters of one paragraph, list item or table row of a text field."""
MAX_FENCES = 1000
"""Fence lines (a code block has two) in a plan's text fields: each block is highlighted on
its own, and 40,000 one-line blocks took 17 s."""

_CODE_KEYS = frozenset(key.name for key in walk(default_definition().keys) if key.kind == "code")
_LIST_ITEM = re.compile(r"[ \t]*(?:>[ \t]*)*(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
_FENCE_LINE = re.compile(r"^[ \t>]*(?:[-+*][ \t]+)?(?:```|~~~)", re.MULTILINE)
_TABLE_DELIMITER = re.compile(r"[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+(?:[ \t]*:?-+:?[ \t]*)?$")


def check_text_limits(document: LoadedDocument) -> None:
    """Raise `LoadError` at the text that takes a plan over `MAX_TEXT`, `MAX_BLOCK` or
    `MAX_FENCES`."""
    if _within_limits(document):
        return
    total = fences = 0
    for path, text in _texts(document.data, ()):
        total += len(text)
        if "```" in text or "~~~" in text:
            fences += len(_FENCE_LINE.findall(text))
            if fences > MAX_FENCES:
                raise LoadError(
                    f"the plan's text fields hold more than {MAX_FENCES // 2:,} code blocks; "
                    "put code in the plan's code fields, or split the plan",
                    document.position_of(path),
                )
        if total > MAX_TEXT:
            raise LoadError(
                f"the plan holds more than {MAX_TEXT:,} characters of text outside code fields "
                "(fields shown as code blocks do not count); split it into several plans",
                document.position_of(path),
            )
        if len(text) > MAX_BLOCK and (longest := longest_block(text)) > MAX_BLOCK:
            raise LoadError(
                f"`{_name(path)}` has a paragraph, list item or table row of {longest:,} "
                f"characters, over the limit of {MAX_BLOCK:,}; split it with a blank line",
                document.position_of(path),
            )


def _within_limits(document: LoadedDocument) -> bool:
    """Whether what the parser measured proves the plan within every limit, so its text need
    not be walked: most plans are far below them."""
    bounds = document.text_bounds
    return (
        bounds is not None
        and not bounds.repeats
        and bounds.characters <= MAX_TEXT
        and bounds.longest <= MAX_BLOCK
        and bounds.fence_marks is not None
        and bounds.fence_marks <= MAX_FENCES
    )


def longest_block(text: str) -> int:
    """The length of the longest run of text Python-Markdown reads inline at once, or more.

    Blocks end at blank lines. In a list each item is its own block; in a table (a delimiter
    row under a header) each row is; elsewhere a line that looks like a list item continues
    the paragraph above it, as it does in Python-Markdown.
    """
    longest = current = 0
    in_list = in_table = False
    previous = ""
    for line in text.split("\n"):
        if not line.strip():
            current, in_list, in_table = 0, False, False
            continue
        if in_table or (in_list and _LIST_ITEM.match(line)):
            current = 0
        elif current and "|" in previous and _TABLE_DELIMITER.match(line):
            current, in_table = 0, True
        if current == 0 and _LIST_ITEM.match(line):
            in_list = True
        current += len(line) + 1
        longest = max(longest, current)
        previous = line
    return longest


def _texts(value: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    """Every key and text of the data with its path, code fields left out."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path, str(key)
            if key not in _CODE_KEYS:
                yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))


def _name(path: KeyPath) -> str:
    return ".".join(str(part) for part in path)
