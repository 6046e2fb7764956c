"""Problems found in plans, located at a file, line and column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True, slots=True)
class Position:
    """A 1-based line and column in a source file."""

    line: int
    column: int


START = Position(1, 1)


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    """Something a plan author has to fix, written for them."""

    file: str
    """The plan file as shown to the user (relative to the working directory when possible)."""
    position: Position
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.position.line}:{self.position.column}: {self.message}"


def format_key_path(path: tuple[str | int, ...]) -> str:
    """Write a key path the way an author reads it: `components[2].dependencies[0].reason`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "the plan"
