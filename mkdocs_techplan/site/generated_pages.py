"""Pages that `mkdocs-techplan pages` writes into the docs folder for engines that cannot add
pages themselves (Zensical), and how they are told apart from the author's own files.

Each one starts with `GENERATED_LINE` right after its front matter, for the people who open
it. Which files are the tool's is decided by its manifest (`written_files.py`), never by this
line: a page that quotes it stays the author's.
"""

from __future__ import annotations

GENERATED_LINE = (
    "<!-- techplan:generated: written by `mkdocs-techplan pages`; edit the plan, not this file -->"
)
"""The first line of a generated page's body (kept in the HTML as a comment, harmless)."""


def mark_generated(markdown: str) -> str:
    """`markdown` (a page with front matter) with the generated line first in its body."""
    if markdown.startswith("---\n"):
        end = markdown.index("\n---\n", 3) + len("\n---\n")
        return markdown[:end] + "\n" + GENERATED_LINE + "\n" + markdown[end:]
    return GENERATED_LINE + "\n\n" + markdown
