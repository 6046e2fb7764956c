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
MAX_LINK_WORK = 12_000_000
"""Closing brackets of a block times its length, summed over the plan's blocks. Python-Markdown
(3.11.4) finds every bracket's end in a block's whole text again after each link, image or
reference it makes there, so a block's links cost its length each: 31 paragraphs of 8 KiB of
`[a](b)` took 99 s. This bound keeps that work to about 4 s; ordinary plans use a hundredth of
it."""
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
    total = fences = link_work = 0
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
        if "]" in text:
            link_work += sum(length * brackets for length, brackets in _blocks(text))
            if link_work > MAX_LINK_WORK:
                raise LoadError(
                    f"`{_name(path)}` brings the plan's links over its limit: each link, image "
                    "or reference costs Markdown the length of its paragraph, and the plan's "
                    "long paragraphs hold too many; split them with blank lines, or make lists",
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
        and bounds.closing_brackets is not None
        and bounds.closing_brackets * bounds.longest <= MAX_LINK_WORK
    )


def longest_block(text: str) -> int:
    """The length of the longest run of text Python-Markdown reads inline at once, or more.

    Blocks end at blank lines. In a list each item is its own block; in a table (a delimiter
    row under a header) each row is; elsewhere a line that looks like a list item continues
    the paragraph above it, as it does in Python-Markdown.
    """
    return max((length for length, _ in _blocks(text)), default=0)


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Each run of text Python-Markdown reads inline at once (`longest_block` says which), as
    (its length, or more; the closing brackets in it)."""
    current = brackets = 0
    in_list = in_table = False
    previous = ""
    for line in text.split("\n"):
        if not line.strip():
            if current:
                yield current, brackets
            current, brackets, in_list, in_table = 0, 0, False, False
            continue
        starts = bool(in_table or (in_list and _LIST_ITEM.match(line)))
        if not starts and current and "|" in previous and _TABLE_DELIMITER.match(line):
            starts = in_table = True
        if starts:
            if current:
                yield current, brackets
            current = brackets = 0
        if current == 0 and _LIST_ITEM.match(line):
            in_list = True
        current += len(line) + 1
        brackets += line.count("]")
        previous = line
    if current:
        yield current, brackets


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
