"""Problems found in plans, located at a file, line and column."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from mkdocs_techplan.format.records import pickled_as_call

# C0 and C1 controls, DEL, and the bidirectional overrides and isolates: in a terminal they
# move the cursor, change colours or reorder what is shown (a file name can hold any of them).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")

MAX_PER_FILE = 50
"""Problems shown per file; a file with more gets one line saying how many are left out."""


@pickled_as_call
@dataclass(frozen=True, order=True, slots=True)
class Position:
    """A 1-based line and column in a source file."""

    line: int
    column: int


START = Position(1, 1)


@pickled_as_call
@dataclass(frozen=True, order=True, slots=True)
class Problem:
    """Something a plan author has to fix, written for them."""

    file: str
    """The plan file as shown to the user (relative to the working directory when possible)."""
    position: Position
    message: str

    def __str__(self) -> str:
        """`file:line:col: message`, safe to print to a terminal."""
        return terminal_safe(
            f"{self.file}:{self.position.line}:{self.position.column}: {self.message}"
        )


def format_key_path(path: tuple[str | int, ...]) -> str:
    """Write a key path the way an author reads it: `components[2].dependencies[0].reason`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "the plan"


def capped(problems: Iterable[Problem], limit: int = MAX_PER_FILE) -> list[Problem]:
    """The first `limit` problems of each file (by position), then one that counts the rest:
    a file with a hundred thousand mistakes makes a short log, and its author fixes the first
    ones first."""
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.file, []).append(problem)
    shown: list[Problem] = []
    for file, found in by_file.items():
        found.sort()
        shown.extend(found[:limit])
        if len(found) > limit:
            left = len(found) - limit
            shown.append(
                Problem(
                    file,
                    found[limit].position,
                    f"and {left:,} more problem{'s' if left != 1 else ''} in this file, not "
                    "shown; fix the ones above first",
                )
            )
    return sorted(shown)


def terminal_safe(text: str) -> str:
    """`text` with control characters written as escapes (`\\x1b`, `\\u202e`), so a log line
    shows what a file name or plan holds instead of acting on the terminal."""
    return _UNPRINTABLE.sub(_escape_character, text)


def _escape_character(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
