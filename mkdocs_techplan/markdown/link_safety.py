"""Links in a plan's Markdown fields that its page will not emit, named where they were written.

`markdown_text` shows a link whose scheme is not http(s), mailto or relative (`javascript:`,
`data:`, `vbscript:` …) as text. That is safe but silent, so each one is also a problem of the
plan: the build warns with file, line, column and key path, and `--strict` fails.
"""

from __future__ import annotations

from typing import Any

from mkdocs_techplan.format.definition import Definition, default_definition
from mkdocs_techplan.format.loading import KeyPath, LoadedDocument
from mkdocs_techplan.format.problems import Position, format_key_path
from mkdocs_techplan.markdown import escaping as markdown_text

_SHOWN_UP_TO = 80


def unsafe_link_problems(
    document: LoadedDocument, definition: Definition | None = None
) -> list[tuple[Position, str]]:
    """One problem per link, abbreviation or footnote definition that will be shown as text,
    in document order."""
    definition = definition or default_definition()
    found = []
    texts = document.bracketed_texts
    if texts is None:  # aliases or merge keys: the values as they are in the data
        texts = []
        _collect_bracketed_texts(document.data, (), texts)
    for path, text in texts:
        if not _is_markdown(path, definition):
            continue
        for written in markdown_text.page_wide_definitions(text):
            what = "an abbreviation" if written.startswith("*") else "a footnote"
            found.append(
                (
                    document.position_of(path),
                    f"`{format_key_path(path)}` defines {what} (`{written}`), which would apply "
                    "to the whole page, so it is shown as text; write the term out, or link to "
                    "a note",
                )
            )
        for target in markdown_text.unsafe_links(text):
            shown = target if len(target) <= _SHOWN_UP_TO else target[:_SHOWN_UP_TO] + "…"
            found.append(
                (
                    document.position_of(path),
                    f"`{format_key_path(path)}` links to `{shown}`: only http(s), mailto and "
                    "relative links are allowed, so it is shown as text; link to an https:// "
                    "URL or a page path instead",
                )
            )
    return found


def _is_markdown(path: KeyPath, definition: Definition) -> bool:
    """Whether the value at `path` is shown as Markdown, as the format says (README,
    "The plan.yaml format"): not plain text, code, references, `extra` or `x-…` data."""
    if path[:1] == ("extra",):
        return False
    if any(isinstance(part, str) and part.startswith("x-") for part in path):
        return False
    names = tuple(part for part in path if isinstance(part, str))
    key = definition.key(names) if names else None
    if key is None and names[-1:] == ("item",):  # a checklist entry written `{item: …}`
        parent = definition.key(names[:-1])
        return parent is not None and parent.kind == "checklist"
    return key is not None and key.markdown


def _collect_bracketed_texts(value: Any, path: KeyPath, texts: list[tuple[KeyPath, str]]) -> None:
    """The texts in `value` that may hold a link (a `]`, or a `\\` for math), in document
    order."""
    if isinstance(value, str):
        if "]" in value or "\\" in value:
            texts.append((path, value))
    elif isinstance(value, dict):
        for key, item in value.items():
            _collect_bracketed_texts(item, (*path, key), texts)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _collect_bracketed_texts(item, (*path, index), texts)
