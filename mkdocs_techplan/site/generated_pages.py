"""Pages that `mkdocs-techplan pages` writes into the docs folder for engines that cannot add
pages themselves (Zensical), and how they are told apart from the author's own files.

Each one starts with `GENERATED_LINE` right after its front matter. The tool rewrites and
removes only files that carry it; the MkDocs plugin leaves them out of its build (it makes the
same pages itself), so one docs folder builds under both engines.
"""

from __future__ import annotations

import os

GENERATED_LINE = (
    "<!-- techplan:generated: written by `mkdocs-techplan pages`; edit the plan, not this file -->"
)
"""The first line of a generated page's body (kept in the HTML as a comment, harmless)."""
_LOOK_AT = 4096
"""Bytes read to find the line: the front matter before it is short."""


def mark_generated(markdown: str) -> str:
    """`markdown` (a page with front matter) with the generated line first in its body."""
    if markdown.startswith("---\n"):
        end = markdown.index("\n---\n", 3) + len("\n---\n")
        return markdown[:end] + "\n" + GENERATED_LINE + "\n" + markdown[end:]
    return GENERATED_LINE + "\n\n" + markdown


def is_generated_text(text: str) -> bool:
    """Whether a page's text carries the generated line."""
    return GENERATED_LINE in text[:_LOOK_AT]


def is_generated_page(path: str) -> bool:
    """Whether the file at `path` is a page the tool wrote (a regular file with the line)."""
    try:
        if os.path.islink(path) or not os.path.isfile(path):
            return False
        with open(path, "rb") as stream:
            head = stream.read(_LOOK_AT)
    except OSError:
        return False
    return is_generated_text(head.decode("utf-8", errors="replace"))
