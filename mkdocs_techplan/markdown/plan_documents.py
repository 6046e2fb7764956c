"""A plan written in Markdown, read as it stands (README, "Plans written in
Markdown").

The header comes from YAML front matter, from the `Label: value` list lines that open the
document (Rust RFCs, Swift Evolution), from a `| Label | value |` table that opens it
(TensorFlow RFCs), or from a companion file such as a KEP's `kep.yaml`.
Each `##` heading opens a section; a heading that names a section of the site's format gives
that section its content, read into the section's structured shape where it has one (a list
of open questions, a risks table) so that roll-ups, the matrix, status rules and exports see
it. The page itself shows the document as written: `body` is its text less the header.

The result is a `LoadedDocument` like a `plan.yaml`'s, with the position of every value, so
that validation, the model and every check downstream are the ones YAML plans go through.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mkdocs_techplan.format.aliases import KeyNames
from mkdocs_techplan.format.dates import day_of
from mkdocs_techplan.format.definition import Key
from mkdocs_techplan.format.loading import (
    KeyPath,
    Limits,
    LoadedDocument,
    LoadError,
    load_document,
    moved,
)
from mkdocs_techplan.format.model import COMPANION_LINES
from mkdocs_techplan.format.problems import Position
from mkdocs_techplan.format.statuses import folded_status, match_status
from mkdocs_techplan.format.suggestions import did_you_mean
from mkdocs_techplan.markdown import reader
from mkdocs_techplan.markdown.reader import Block, Document

# `Label: value`, the label plain or emphasised with its colon inside or after the emphasis
# (`**Version:** 1.0`, `*Status*: Draft`), as the plan template and design documents write it;
# a second colon is tolerated, as AWS CDK's RFC template writes `**Original Author(s):**: @x`.
_LABEL = r"[^:\[\]`*_\n]{1,60}?"
_LABEL_LINE = re.compile(
    rf"(?:(?P<em>\*\*|__|\*|_)(?P<emphasised>{_LABEL})(?::(?P=em)|(?P=em):)|(?P<plain>{_LABEL}):)"
    r":?[ \t]+(?P<value>\S.*)",
    re.DOTALL,
)
# A header table's left cell: a label, plain or emphasised, a colon tolerated after it
# (`Status`, `**Author(s)**`, `**Sponsor:**`), as TensorFlow's RFC template writes them.
_LABEL_CELL = re.compile(
    rf"(?:(?P<em>\*\*|__|\*|_)(?P<emphasised>{_LABEL}):?(?P=em)|(?P<plain>{_LABEL})):?"
)
# A hard line break at the end of a header paragraph's line: two spaces, `\` or `<br>`.
_LINE_BREAK = re.compile(r"(?:[ \t]{2,}|\\|[ \t]*<br[ \t]*/?>)[ \t]*\Z", re.IGNORECASE)
_LINK = r"\[[^\]]*\]\(<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\)"
_LINK_ONLY = re.compile(rf"\A{_LINK}\Z")
_ANY_LINK = re.compile(_LINK)
_TOC_LINE = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[[^\]]*\]\(#[^)\s]*\)[ \t]*")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_PLAIN_KINDS = frozenset({"date", "reference", "references", "number", "choice", "level"})
_HEADER_TEXT_KEYS = frozenset({"title", "status", "version", "id", "date", "tags"})


@dataclass
class MarkdownPlan:
    """A Markdown plan read: its header and sections as data, and its text for the page."""

    document: LoadedDocument
    body: str
    """The document less its front matter, header lines and title heading: the page's text."""
    summary_in_body: bool = False
    """Whether the summary is text of the body (shown in place, not again under the header)."""
    section_keys: set[str] = field(default_factory=set)
    """The keys read from the body's sections: text the page shows as the document shows it
    (its footnotes are the page's own; its links go through the sanitizer)."""
    problems: list[tuple[Position, str]] = field(default_factory=list)
    """Problems found while reading, where they are (companion lines counted as above)."""


def read_markdown_plan(
    text: str,
    names: KeyNames,
    *,
    statuses: Sequence[str] = (),
    default_status: str | None = None,
    file_name: str = "",
    companion: bytes | None = None,
    limits: Limits | None = None,
) -> MarkdownPlan:
    """Read a Markdown plan; raise `LoadError` when its front matter or companion is no YAML
    mapping (positions in the companion counted from `COMPANION_LINES`)."""
    limits = limits or Limits()
    page = reader.read(text, inline=False)
    plan = MarkdownPlan(LoadedDocument(data={}), body="")
    builder = _Builder(plan, names, page)
    consumed: set[int] = set(range(page.front_matter_end))
    blocks = list(page.blocks)
    if page.front_matter is not None:
        builder.take_yaml(_load(page.front_matter.encode("utf-8"), limits, 1), 1)
    elif companion is not None:
        builder.take_yaml(_load(companion, limits, COMPANION_LINES), COMPANION_LINES)
    # Comments that open the document (a licence, `<!-- markdownlint-disable -->`) show
    # nothing: the title and the header are the blocks after them.
    opening = next((n for n, b in enumerate(blocks) if not _is_comment(b)), len(blocks))
    title_block = next(
        (b for b in blocks[opening : opening + 2] if b.kind == "heading" and b.level == 1), None
    )
    # The header is in one place: front matter, else a companion file, else `Label:` lines.
    lines_header = page.front_matter is None and companion is None
    header_blocks, header = _header_lines(page, opening, title_block, lines_header, names)
    builder.take_lines(header)
    for block in header_blocks:
        consumed.update(range(block.start, block.end))
    if title_block is None:
        title_block = next((b for b in blocks if b.kind == "heading" and b.level == 1), None)
        if title_block is not None and any(
            b.kind == "heading" and b.level == 2 and b.start < title_block.start for b in blocks
        ):
            title_block = None  # a `#` heading after sections is one of them, not the title
    if title_block is not None:
        heading = reader.inline_text(title_block.text)
        if "title" not in plan.document.data:
            builder.set(("title",), heading, title_block.start, 0)
            consumed.update(range(title_block.start, title_block.end))
        elif _is_title_heading(title_block, heading, plan.document.data["title"], blocks):
            consumed.update(range(title_block.start, title_block.end))  # not shown twice
    if "title" not in plan.document.data and file_name:
        builder.set(("title",), file_name.rsplit("/", 1)[-1].removesuffix(".md"), 0, 0)
    builder.take_sections([b for b in blocks if not _inside(b, consumed)])
    builder.take_status(statuses, default_status)
    plan.body = "\n".join(
        line for number, line in enumerate(page.lines) if number not in consumed
    ).strip("\n")
    return plan


def _load(raw: bytes, limits: Limits, shift: int) -> LoadedDocument:
    """The header's YAML; a problem's line counted as the plan's document counts it."""
    try:
        return load_document(raw, limits)
    except LoadError as error:
        # A companion's problems are shown at its own lines, as its message counts them.
        raise moved(error, shift, in_message=shift != COMPANION_LINES) from None


def _is_title_heading(block: Block, heading: str, title: Any, blocks: list[Block]) -> bool:
    """Whether the `#` heading opening a document whose header gives its title is that title
    (not shown twice): it names it (`# BEP: Default Permission Decisions` for `title: Default
    Permission Decisions`), or it is the document's only `#` heading (a KEP's `# KEP-895: …`
    beside its kep.yaml's title). A document whose sections are `#` headings, as a NixOS RFC
    opens with `# Summary` under its `feature:` name, keeps it as written."""
    if " ".join(str(title).split()).casefold() in " ".join(heading.split()).casefold():
        return True
    return not any(b.kind == "heading" and b.level == 1 and b is not block for b in blocks)


def _inside(block: Block, lines: set[int]) -> bool:
    return block.start in lines


def _label_line(text: str) -> tuple[str, str] | None:
    """The label and value of a header line (`- Feature Name: x`, `**Version:** 1.0`)."""
    match = _LABEL_LINE.match(text)
    if match is None:
        return None
    return (match["emphasised"] or match["plain"]).strip(), match["value"]


HeaderLine = tuple[int, str, str]
"""A header line: its 0-based line index, its label and its value as written."""


def _header_lines(
    page: Document, opening: int, title: Block | None, no_front_matter: bool, names: KeyNames
) -> tuple[list[Block], list[HeaderLine]]:
    """The `Label: value` lines that open the document, before or right after its title,
    and the blocks holding them: a list (Rust RFCs, Swift Evolution), a two-column table
    whose rows are `| Label | value |` (TensorFlow RFCs), or paragraphs whose every line is
    one (the plan template's `**Version:** 1.0` lines, a Go design document's `Author: …`
    then `Last updated: …`). A block is a header only when each of its lines has a label
    and one label names a key: `Note: …` alone opening a document is text, and so is a
    table of data. `opening`: the first block that shows something."""
    if not no_front_matter:
        return [], []
    # The title is one of the first two blocks that show something: the header opens the
    # document, or follows the title.
    at = opening + 1 if title is not None and page.blocks[opening] is title else opening
    if at >= len(page.blocks):
        return [], []
    first = page.blocks[at]
    if first.kind == "list":
        read = _labelled([(item.line, item.text) for item in first.items], names)
        return ([first], read) if read else ([], [])
    if first.kind == "table":
        read = _labelled_rows(first, names)
        return ([first], read) if read else ([], [])
    taken: list[Block] = []
    header: list[HeaderLine] = []
    for block in page.blocks[at:]:
        if block.kind != "paragraph":
            break
        lines = [
            (number, _LINE_BREAK.sub("", page.lines[number]).strip())
            for number in range(block.start, block.end)
        ]
        read = _labelled(lines, names)
        if not read:
            break
        taken.append(block)
        header.extend(read)
    return taken, header


def _labelled(lines: list[tuple[int, str]], names: KeyNames) -> list[HeaderLine]:
    """`lines` as header lines, when each has a label and one label names a key; else none."""
    read = []
    for number, text in lines:
        found = _label_line(text)
        if found is None:
            return []
        read.append((number, *found))
    return read if any(names.key(label) for _, label, _ in read) else []


def _labelled_rows(table: Block, names: KeyNames) -> list[HeaderLine]:
    """A table's rows as header lines, when each row is a label and a value and one label
    names a key; else none. The table's header row is a row like the others: TensorFlow's
    template writes `| Status | Proposed |` there. As the page shows the table, its header
    row sets its two columns: a row's cells past them are not shown, and a row whose value
    is missing or empty states nothing, as an empty value in front matter does. A row with
    no label goes on with the value above it, as a list line's value goes on in nested
    lines: TensorFlow RFCs wrap a long list of authors so (`|     | petebu@google.com, … |`)."""
    if not table.rows or len(table.rows[0][1]) != 2:
        return []
    rows: list[HeaderLine] = []
    for number, cells in table.rows:
        value = cells[1] if len(cells) > 1 else ""
        if not cells[0] and rows:
            above, label, written = rows[-1]
            rows[-1] = (above, label, f"{written} {value}".strip())
            continue
        found = _LABEL_CELL.fullmatch(cells[0])
        if found is None:
            return []
        rows.append((number, (found["emphasised"] or found["plain"]).strip(), value))
    read = [row for row in rows if row[2]]
    return read if any(names.key(label) for _, label, _ in read) else []


class _Builder:
    """Puts values into the plan's data with their positions."""

    def __init__(self, plan: MarkdownPlan, names: KeyNames, page: Document) -> None:
        self.plan = plan
        self.document = plan.document
        self.data: dict[str, Any] = plan.document.data
        self.names = names
        self.page = page
        self.sections_started = False

    def problem(self, line: int, column: int, message: str) -> None:
        self.plan.problems.append((Position(line + 1, column + 1), message))

    def set(self, path: KeyPath, value: Any, line: int, column: int) -> None:
        target: Any = self.data
        if self.sections_started:
            self.plan.section_keys.add(str(path[0]))
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
        self.document.value_positions[path] = (line, column)

    # The header --------------------------------------------------------------------------

    def take_yaml(self, loaded: LoadedDocument, shift: int) -> None:
        """Front matter or a companion file: keys by their names (aliases, `-` as `_`)."""
        if not isinstance(loaded.data, dict):
            raise LoadError("the header must be a mapping of keys such as `title:`")
        for written, value in loaded.data.items():
            line, column = loaded.key_positions.get((written,), (0, 0))
            key = self._key(str(written), line + shift, column)
            if key is None or _left_out(value):
                continue
            for paths, positions in (
                (loaded.value_positions, self.document.value_positions),
                (loaded.key_positions, self.document.key_positions),
            ):
                for path, (at_line, at_column) in paths.items():
                    if path[:1] == (written,):
                        moved = (key, *path[1:])
                        positions[moved] = (at_line + shift, at_column)
            numbers = {
                path[1:]: number
                for path, number in loaded.scalar_texts.items()
                if path[:1] == (written,)
            }
            for below, number in numbers.items():
                moved_text: KeyPath = (key, *below)
                self.document.scalar_texts[moved_text] = number
            self.data[key] = self._as_written(key, value, numbers)
        self.document.bracketed_texts = None  # values moved: validation walks the data

    def _key(self, written: str, line: int, column: int) -> str | None:
        key = self.names.key(written)
        if key is None:
            self.problem(
                line,
                column,
                f"`{written}` is not a key of a plan"
                + (did_you_mean(written, self.names.known()) or "")
                + "; add it to the site's `fields`, or map it to a plan key with `aliases`",
            )
        elif key in self.data:
            self.problem(line, column, f"`{written}` gives `{key}` a second time; keep one of them")
            return None
        return key

    def _as_written(self, key: str, value: Any, numbers: dict[KeyPath, str]) -> Any:
        """The value as the document means it, where the key wants another shape:
        - a number where text or a plan is wanted is that text, as written (`kep-number:
          3960`, an EIP's `requires: 1559`);
        - names or plans in one text, separated by commas, where a list is wanted (an EIP's
          `author: Ada (@ada), Grace <grace@example.org>`, `requires: 2718, 2930`), as header
          lines are read;
        - a time where a date is wanted is its day (`start-date: 2025-08-13T00:00:00.000Z`).

        `numbers` holds the text of each number in `value`, by its path below the key."""
        found = self.names.plan_key(key)
        kind = found.kind if found is not None else None
        if kind == "date" and isinstance(value, str):
            return day_of(value)
        if kind not in ("text", "markdown", "people", "reference", "references"):
            return value
        if _is_number(value):
            return numbers.get((), str(value))
        if isinstance(value, list) and kind in ("people", "references"):
            return [
                numbers.get((index,), str(item)) if _is_number(item) else item
                for index, item in enumerate(value)
            ]
        if isinstance(value, str) and kind in ("people", "references"):
            return _comma_list(value, kind) or value
        return value

    def take_lines(self, lines: list[HeaderLine]) -> None:
        """`- Feature Name: value` lines and `| Sponsor | value |` rows: each label a key, an
        alias or a field's label."""
        for number, label, written in lines:
            line = self.page.lines[number]
            at_label = max(0, line.find(label))
            # The value follows its label: a table's value cell may repeat the label's text.
            column = max(0, line.find(written[:20], at_label + len(label)))
            key = self._key(label, number, at_label)
            if key is None:
                continue
            # A value that goes on in nested lines (a note under `Implementation:`) is one
            # line on the header, nothing of it left out.
            value = " ".join(written.split())
            self.set((key,), self._line_value(key, value), number, column)
        self.document.bracketed_texts = None

    def _line_value(self, key: str, written: str) -> Any:
        """A header line's value: inline Markdown where the key takes it, its text where the
        key is plain (emphasis around a status dropped), the target of a lone link where
        the key is a reference, the names of a list of people."""
        found = self.names.plan_key(key)
        kind = found.kind if found else "text"
        if kind == "date":
            return day_of(reader.inline_text(written))
        if kind in ("reference", "references"):
            link = _LINK_ONLY.match(written)
            if link:
                return link[1]
            text = reader.inline_text(written)
            if kind == "references":
                # `[SE-0001](0001-x.md), [SE-0002](0002-y.md)` or `2718, 2930`: the plans,
                # as a front matter's list (or its text separated by commas) names them.
                return _link_targets(written) or _comma_list(text, kind) or text
            return text
        if kind == "people" or key == "author":
            return [name.strip() for name in reader.inline_text(written).split(",") if name]
        if key in _HEADER_TEXT_KEYS or kind in _PLAIN_KINDS or (found and found.plain):
            return reader.inline_text(written)
        return written

    def take_status(self, statuses: Sequence[str], default: str | None) -> None:
        """A status as the document writes it: any case, emphasis dropped, words after it
        too (`Implemented (Swift 6.1)`, `superseded by [ADR-0042](…)`); the glob's status
        when it states none."""
        written = self.data.get("status")
        if written is None and default is not None:
            self.set(("status",), default, 0, 0)
            return
        if isinstance(written, str) and match_status(written, statuses) is None:
            leading = _leading_status(reader.inline_text(written), statuses)
            if leading is not None:
                self.data["status"] = leading

    # The sections ------------------------------------------------------------------------

    def take_sections(self, blocks: list[Block]) -> None:
        self.sections_started = True
        openers = [
            index
            for index, block in enumerate(blocks)
            if block.kind == "heading" and block.level <= 2
        ]
        lead_end = blocks[openers[0]].start if openers else len(self.page.lines)
        lead = [block for block in blocks if block.start < lead_end]
        for number, index in enumerate(openers):
            heading = blocks[index]
            end_block = openers[number + 1] if number + 1 < len(openers) else len(blocks)
            content = blocks[index + 1 : end_block]
            key = self.names.section(reader.inline_text(heading.text))
            if key is None or key in self.data or not content:
                continue
            self._take_section(key, content)
            if key == "summary":
                self.plan.summary_in_body = True
        if "summary" not in self.data:
            summary = [
                block
                for block in lead
                if not _is_toc(block, self.page.lines)
                and not _is_comment(block)
                and block.kind != "heading"
            ]
            if summary:
                self._set_text(("summary",), summary)
                self.plan.summary_in_body = True

    def _text(self, blocks: list[Block]) -> str:
        lines = self.page.lines[blocks[0].start : blocks[-1].end]
        return "\n".join(lines).strip("\n")

    def _set_text(self, path: KeyPath, blocks: list[Block]) -> None:
        self.set(path, self._text(blocks), blocks[0].start, 0)

    def _take_section(self, name: str, content: list[Block]) -> None:
        key = self.names.plan_key(name)
        if key is None:
            return
        shown = [block for block in content if not _is_comment(block)]
        if not shown:
            return
        kind = key.kind
        if kind in ("markdown", "text"):
            self._set_text((name,), shown)
        elif kind in ("list", "steps", "checklist"):
            lists = [block for block in shown if block.kind == "list"]
            if len(lists) == 1:
                self._take_list(name, kind, lists[0])
        elif kind in ("records", "table"):
            tables = [block for block in shown if block.kind == "table"]
            if len(tables) == 1:
                self._take_table(key, tables[0])
        elif kind == "mapping":
            overview = key.part("overview")
            if overview is not None and overview.kind == "markdown":
                self.data[name] = {}
                self.document.value_positions[(name,)] = (shown[0].start, 0)
                self._set_text((name, "overview"), shown)

    def _take_list(self, name: str, kind: str, block: Block) -> None:
        entries: list[Any] = []
        self.set((name,), entries, block.start, 0)
        for index, item in enumerate(block.items):
            if kind == "checklist" and item.checked is not None:
                entries.append({"item": item.task, "done": item.checked})
            else:
                entries.append(item.text)
            self.document.value_positions[(name, index)] = (item.line, 0)

    def _take_table(self, key: Key, block: Block) -> None:
        """A table whose columns name the records' parts, in any order; other columns are
        kept as `x-` parts. Levels are read in the site's spelling, or left out."""
        if len(block.rows) < 2:
            return
        header = [reader.inline_text(cell) for cell in block.rows[0][1]]
        parts = [key.part_for_label(cell) for cell in header]
        if not any(parts) or not key.required <= {part.name for part in parts if part}:
            return
        rows: list[dict[str, Any]] = []
        self.set((key.name,), rows, block.start, 0)
        for index, (line, cells) in enumerate(block.rows[1:]):
            row: dict[str, Any] = {}
            for part, written, cell in zip(parts, header, cells, strict=False):
                value = cell.strip()
                if not value:
                    continue
                if part is None:
                    row["x-" + written] = value
                elif part.kind == "level":
                    level = match_status(reader.inline_text(value), part.schema.get("enum", ()))
                    if level is not None:
                        row[part.name] = level
                elif part.kind in _PLAIN_KINDS or part.plain:
                    row[part.name] = reader.inline_text(value)
                else:
                    row[part.name] = value
            rows.append(row)
            self.document.value_positions[(key.name, index)] = (line, 0)


def _leading_status(text: str, statuses: Sequence[str]) -> str | None:
    """The longest configured status that `text` starts with, as a whole word or words."""
    folded = folded_status(text)
    found = [
        status
        for status in statuses
        if folded.startswith(wanted := folded_status(status))
        and not folded[len(wanted) : len(wanted) + 1].isalnum()
    ]
    return max(found, key=len) if found else None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _link_targets(written: str) -> list[str] | None:
    """The targets of a text that is two links or more separated by commas, and nothing
    else; None for any other text."""
    targets: list[str] = []
    position = 0
    for found in _ANY_LINK.finditer(written):
        if written[position : found.start()].strip() != ("," if targets else ""):
            return None
        targets.append(found[1])
        position = found.end()
    if len(targets) < 2 or written[position:].strip():
        return None
    return targets


def _comma_list(text: str, kind: str) -> list[str] | None:
    """The names (`people`) or plan ids (`references`) a text separates by commas; None when
    it holds one, or when a part of a list of plans is more than one word."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) > 1 and all(parts) and (kind == "people" or _one_word_each(parts)):
        return parts
    return None


def _one_word_each(parts: list[str]) -> bool:
    """Whether each part is one word (an id, a path, a URL): only then is a text of them
    separated by commas a list of plans; a path or URL never holds `, `."""
    return all(len(part.split()) == 1 for part in parts)


def _left_out(value: Any) -> bool:
    """`null`, an empty list or an empty text: left out, as real headers write it."""
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _is_comment(block: Block) -> bool:
    """Whether `block` is only HTML comments, which no page shows."""
    return block.kind == "html" and not _COMMENT.sub("", block.text).strip()


def _is_toc(block: Block, lines: tuple[str, ...]) -> bool:
    """A list of links to the page's own headings (a KEP's `<!-- toc -->` block)."""
    return block.kind == "list" and all(
        _TOC_LINE.fullmatch(line) for line in lines[block.start : block.end] if line.strip()
    )
