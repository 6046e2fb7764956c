"""A Technical Plan written in Markdown from the template → plan data (`mkdocs-techplan import`).

What the page's headings and labels mean comes from the format's `Definition`: a `##` heading
finds its section, a `###` heading the key it shows, a `**Key:**` line a header key, a
`**Label:**` or a `Label: value` item a part; each is read as its kind says (Markdown, a code
block, a list, a checklist, a table …). So a key added to the schema, and shown by the
template, is read back without a change here. Only what the template writes in a shape of its
own (components and phases under numbered headings, migrations, the architecture's diagrams,
the line linking to the API schemas) has a reader of its own.

The importer reads both Markdown a person wrote from the template and the Markdown the plugin
renders, so `render` then `import` gives back the plan. Whatever it cannot place is returned as
`Unplaced`, never dropped. Where the headings, lists, tables and code blocks are is the
Markdown reader's business (`mkdocs_techplan.markdown.reader`); this module only decides what
each one means.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import yaml
from markdown_it.common.utils import normalizeReference

from mkdocs_techplan.format.dates import parse_date, read_written_date
from mkdocs_techplan.format.definition import (
    Definition,
    Key,
    Section,
    default_definition,
    walk,
)
from mkdocs_techplan.format.model import PLAN_TITLE_PREFIX
from mkdocs_techplan.format.problems import Position, Problem
from mkdocs_techplan.format.statuses import match_status
from mkdocs_techplan.format.writing import WrittenNumber, dump_plan, modeline
from mkdocs_techplan.markdown import reader, unescape
from mkdocs_techplan.markdown.carried_source import split_source
from mkdocs_techplan.markdown.reader import Block

Line = tuple[int, str]
"""A line of the Markdown file: its 1-based number and its text."""

# The header line the plugin writes from other plans; the header key its paragraphs show.
_WRITTEN_BY_THE_PLUGIN = frozenset({"superseded by", "required by", "extended by"})
"""Header lines a build writes from other plans (the other side of their relations)."""
_SUMMARY = "summary"
_PAGE_MARK = '<span class="techplan-page"></span>'
"""Marks a plan page on its status line, for the stylesheet."""
# Header keys the page shows elsewhere: the `#` heading, the paragraphs, the front matter.
_NOT_ON_A_LINE = frozenset({"title", _SUMMARY, "tags"})
_ON_A_LINE = frozenset(
    {"text", "people", "date", "reference", "references", "markdown", "number", "choice", "list"}
)

_FIELD = re.compile(r"^\*\*(?P<label>[^*]+?):?\*\*:?[ \t]*(?P<value>.*?)[ \t]*$")
_CHECKBOX_INPUT = re.compile(r"^<input\b(?P<attributes>[^>]*)>[ \t]?")
_LINK = re.compile(
    r"\[(?P<text>(?:\\.|[^\]\\])*)\]\((?P<href><[^>]*>|[^)\s]*)(?:[ \t]+\"[^\"]*\")?\)"
)
_CODE_ELEMENT_START = re.compile(r"^<code>(.*?)</code>(?P<rest>.*)$")
_CODE_SPAN_START = re.compile(r"^(`+)(.+?)(?<!`)\1(?!`)(?P<rest>.*)$")
_BADGE = re.compile(r"^<span\b[^>]*\btechplan-badge\b[^>]*>(?P<text>.*?)</span>$")
_NUMBER = re.compile(r"^[>≥]?=?[ \t]*(?P<number>[0-9]+(?:\.[0-9]+)?)[ \t]*%?$")
_PROBLEMS_BOX = '<div class="admonition warning techplan-problems">'
_COMPONENT = re.compile(r"^Component[ \t]+\d+[ \t]*[:.][ \t]*(?P<name>.*)$", re.IGNORECASE)
_PHASE = re.compile(r"^Phase[ \t]+\d+[ \t]*[:.][ \t]*(?P<rest>.*)$", re.IGNORECASE)
# `*2026-01-05 → 2026-02-01*` under a phase heading (`…` for a date not given)
_PHASE_DATES = re.compile(r"^\*(?P<start>\d{4}-\d{2}-\d{2}|…) → (?P<end>\d{4}-\d{2}-\d{2}|…)\*$")
_SCHEMAS_LINE = re.compile(r"See (?P<target>.+?) for detailed schemas\.?", re.DOTALL)
_DIAGRAM_INFO = ("", "text", "txt", "plain", "ascii")


@dataclass(frozen=True)
class Unplaced:
    """Markdown the reader found no place for in the plan format."""

    line: int
    markdown: str
    reason: str


@dataclass
class ImportedPlan:
    data: dict[str, Any]
    unplaced: list[Unplaced] = field(default_factory=list)
    order: Sequence[str] = ()
    """Top-level keys in the format's order (the site's, when it has its own keys)."""
    source: str | None = None
    """The plan file the page carried (`render` wrote it, and the page is unchanged): the
    import gives it back as it was."""

    def yaml_text(self) -> str:
        """The `plan.yaml`: the data, then what could not be placed under `x-unplaced` (keys
        starting with `x-` are ignored by the plugin, so the file is valid and nothing is lost).
        The plan file the page carried, when it did."""
        if self.source is not None:
            return self.source
        data = dict(self.data)
        kept = [part for part in self.unplaced if part.markdown]
        if kept:
            data["x-unplaced"] = [
                {"line": part.line, "reason": part.reason, "markdown": part.markdown}
                for part in kept
            ]
        return modeline() + dump_plan(data, self.order)

    def notes(self, source: str) -> list[Problem]:
        """What could not be placed, as messages about the Markdown file `source`."""
        return [
            Problem(
                source,
                Position(part.line, 1),
                part.reason + ("; kept under `x-unplaced`" if part.markdown else ""),
            )
            for part in self.unplaced
        ]


_FURNITURE = (
    '<div class="techplan-banner',
    '<div class="techplan-notice',
    '<div class="techplan-risk-matrix',
    '<div class="techplan-timeline',
    '<span class="techplan-pager"></span>',
)
"""How the blocks a build puts around a plan's sections begin (banners, the staleness notice,
the risk matrix, the timeline, the link back to the index): drawn from the plan, not part of
it."""
BACKLINKS_HEADING = "Implementation plans"
_NEIGHBOURS = re.compile(r"(?:Previous|Next): \[")


def _drop_page_furniture(body: _Body) -> _Body:
    """The page without what a build adds around the plan: the furniture above, the list of
    plans referencing this one (its own `##` section at the end) and the previous / next
    links after a rule."""
    blocks = [
        (index, block)
        for index, block in body.blocks
        if not (block.kind in ("html", "paragraph") and block.text.lstrip().startswith(_FURNITURE))
    ]
    if len(blocks) >= 2 and blocks[-2][1].kind == "rule" and _NEIGHBOURS.match(blocks[-1][1].text):
        blocks = blocks[:-2]
    for position in range(len(blocks) - 1, -1, -1):
        block = blocks[position][1]
        if block.kind == "heading" and block.level == 2:
            if block.text.strip() == BACKLINKS_HEADING:
                blocks = blocks[:position]
            break
    return body.part(tuple(blocks))


def import_plan(
    markdown: str, statuses: Sequence[str], definition: Definition | None = None
) -> ImportedPlan:
    """Read a Technical Plan page; `statuses` are the ones the status line may name, and
    `definition` the format (the shipped one by default; a site's, with its own sections).
    A page `render` wrote, unchanged since, gives back the plan file it carries."""
    shape = definition or default_definition()
    markdown, source = split_source(markdown)
    if source is not None:
        data = _carried_data(source)
        if data is not None:
            return ImportedPlan(data, order=[key.name for key in shape.keys], source=source)
    imported = _PlanReader(markdown, statuses, shape).read()
    imported.order = [key.name for key in shape.keys]
    return imported


# A code span (left alone), or a reference link: `[text][label]`, `[label][]` or `[label]`
# (not followed by `(`, `[` or `:`, which would make it an inline link, a full reference or a
# definition).
_CODE_OR_REFERENCE = re.compile(
    r"(`+)[\s\S]*?(?<!`)\1(?!`)"
    r"|(?<![\]\\])(!?)\[((?:[^\[\]\\]|\\.)+)\](?:\[((?:[^\[\]\\]|\\.)*)\]|(?![(\[:]))"
)
_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _give_targets(
    data: dict[str, Any], keys: Sequence[Key], definitions: dict[str, tuple[str, str]]
) -> None:
    """Write each reference link of `data`'s Markdown fields whose label the page defines
    as an inline link to its target (code fields and code in the text left as they are)."""
    for key in keys:
        value = data.get(key.name)
        if key.kind == "mapping" and isinstance(value, dict):
            _give_targets(value, key.parts, definitions)
        elif key.kind in ("records", "table") and isinstance(value, list):
            for record in value:
                if isinstance(record, dict):
                    _give_targets(record, key.parts, definitions)
        elif key.markdown and isinstance(value, str):
            data[key.name] = _with_targets(value, definitions)
        elif key.markdown and isinstance(value, list):
            for number, item in enumerate(value):
                if isinstance(item, str):
                    value[number] = _with_targets(item, definitions)
                elif isinstance(item, dict) and isinstance(item.get("item"), str):
                    item["item"] = _with_targets(item["item"], definitions)


def _with_targets(value: str, definitions: dict[str, tuple[str, str]]) -> str:
    """`value` with each reference link whose label the page defines written as an inline
    link to its target; code is left as it is."""
    if "]" not in value:
        return value

    def link(match: re.Match[str]) -> str:
        if match[1]:  # a code span
            return match[0]
        bang, text, label = match[2], match[3], match[4]
        found = definitions.get(normalizeReference(label or text))
        if found is None:
            return match[0]
        href, title = found
        target = f"<{href}>" if re.search(r"[\s()<>]", href) else href
        quoted = ' "' + title.replace('"', '\\"') + '"' if title else ""
        return f"{bang}[{text}]({target}{quoted})"

    lines, fence = value.split("\n"), ""
    for number, line in enumerate(lines):
        opening = _FENCE_LINE.match(line)
        if fence:
            fence = (
                ""
                if opening and opening[1][0] == fence[0] and len(opening[1]) >= len(fence)
                else fence
            )
        elif opening:
            fence = opening[1]
        else:
            lines[number] = _CODE_OR_REFERENCE.sub(link, line)
    return "\n".join(lines)


def _carried_data(source: str) -> dict[str, Any] | None:
    """The plan a carried file holds; None when it is not one mapping (the page is read)."""
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def _heading(text: str) -> str:
    """A heading or label as text to look up (`### Unit Tests:` is `Unit Tests`)."""
    return unescape.plain(text).strip().rstrip(":").rstrip()


@dataclass(frozen=True)
class _Body:
    """Blocks of one part of the page, each with the index of the page block it comes from
    (a paragraph cut into lines gives several), so the source lines around them are known."""

    page: reader.Document
    blocks: tuple[tuple[int, Block], ...]

    def part(self, blocks: Sequence[tuple[int, Block]]) -> _Body:
        return _Body(self.page, tuple(blocks))

    def trimmed(self) -> _Body:
        """Without the `---` that separates sections."""
        blocks = list(self.blocks)
        while blocks and blocks[-1][1].kind == "rule":
            blocks.pop()
        return self.part(blocks)

    @property
    def blank(self) -> bool:
        return not self.blocks

    @property
    def lines(self) -> list[Line]:
        """The source lines of the blocks, and the lines between blocks that follow each other
        on the page (blank lines, link definitions), without blank lines at either end."""
        numbers: list[int] = []
        run_start = run_end = previous = -2
        for index, block in self.blocks:
            if index > previous + 1:
                numbers.extend(range(run_start, run_end))
                run_start = block.start
            run_start, run_end, previous = min(run_start, block.start), block.end, index
        numbers.extend(range(run_start, run_end))
        lines = [(number + 1, self.page.lines[number]) for number in numbers if number >= 0]
        while lines and not lines[-1][1].strip():
            lines.pop()
        while lines and not lines[0][1].strip():
            lines.pop(0)
        return lines

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.trimmed().lines)

    def of_kind(self, kind: str) -> list[Block]:
        return [block for _, block in self.blocks if block.kind == kind]

    def split(self, level: int) -> tuple[_Body, list[tuple[Block, _Body]]]:
        """The blocks before the first heading of `level`, and each heading with its blocks."""
        marks = [
            position
            for position, (_, block) in enumerate(self.blocks)
            if block.kind == "heading" and block.level == level
        ]
        if not marks:
            return self, []
        parts = []
        for number, position in enumerate(marks):
            end = marks[number + 1] if number + 1 < len(marks) else len(self.blocks)
            parts.append((self.blocks[position][1], self.part(self.blocks[position + 1 : end])))
        return self.part(self.blocks[: marks[0]]), parts

    def line(self, number: int) -> Line:
        """Line `number` (0-based) as a `Line`."""
        return (number + 1, self.page.lines[number])


_Shape = Callable[[Key, _Body], Any]
_Any = TypeVar("_Any")


class _PlanReader:
    def __init__(self, markdown: str, statuses: Sequence[str], definition: Definition) -> None:
        self.page = reader.read(markdown)
        self.definitions = reader.link_definitions(markdown) if "]:" in markdown else {}
        self.statuses = statuses
        self.definition = definition
        self.data: dict[str, Any] = {}
        self.unplaced: list[Unplaced] = []
        self.front_matter: dict[str, Any] = {}
        # Text the page shows literally is read back literally (`x-techplan-text: plain`).
        self.literal = {key for key in walk(self.definition.keys) if key.plain}
        # Keys the template writes in a shape of its own; every other key is read by its kind.
        self.shapes: dict[Key, _Shape] = self._keys(
            {
                "components": self._components,
                "phases": self._phases,
                "data_model.migrations": self._migrations,
                "api.schemas": self._schemas,
            }
        )
        # What a section shows above its first `###` heading, when that is some of its parts.
        self.intros = self._keys({"architecture": self._architecture_intro})
        self._fence_info = ""
        """The language of the last code block read (a code key's `<name>_language` part)."""

    def _keys(self, by_path: dict[str, _Any]) -> dict[Key, _Any]:
        """`by_path` by the definition's keys (a site's definition may lack some)."""
        return {
            key: value
            for path, value in by_path.items()
            if (key := self.definition.key(tuple(path.split(".")))) is not None
        }

    # -- the page ---------------------------------------------------------------------------

    def read(self) -> ImportedPlan:
        self._read_front_matter()
        body = _Body(self.page, tuple(enumerate(self.page.blocks)))
        body = self._drop_problems_box(body)
        body = _drop_page_furniture(body)
        header, sections = body.split(2)
        self._read_title_and_header(header)
        seen: set[str] = set()
        for heading, part in sections:
            section = self.definition.section_for_heading(_heading(heading.text))
            if section is None or section.heading in seen:
                why = "not a" if section is None else "a second"
                self._skip(heading, part, f"`## {heading.text}` is {why} section of the template")
                continue
            seen.add(section.heading)
            self._section(section, part.trimmed())
        self._apply_front_matter()
        if self.definitions:
            # A page's link definitions show nothing and belong to no section: the links that
            # use them take their targets, so that no field loses where it links to.
            _give_targets(self.data, self.definition.keys, self.definitions)
        return ImportedPlan(self.data, sorted(self.unplaced, key=lambda part: part.line))

    def _read_front_matter(self) -> None:
        source = self.page.front_matter
        if source is None:
            return
        try:
            loaded = yaml.safe_load(source) if source.strip() else {}
        except yaml.YAMLError:
            loaded = None
        if isinstance(loaded, dict):
            self.front_matter = loaded
        else:
            written = "\n".join(self.page.lines[: self.page.front_matter_end])
            self._note(1, written, "the front matter is not a YAML mapping")

    def _apply_front_matter(self) -> None:
        # The plugin writes title, description and tags HTML-escaped (themes insert them into
        # the page as HTML); a person writes them as text. Both read the same unescaped.
        meta = dict(self.front_matter)
        title = meta.pop("title", None)
        if isinstance(title, str) and title.strip() and "title" not in self.data:
            title = html.unescape(title).strip()
            if title.startswith(PLAN_TITLE_PREFIX):
                title = title[len(PLAN_TITLE_PREFIX) :].strip()
            self.data["title"] = title
        tags = meta.pop("tags", None)
        if isinstance(tags, list) and all(isinstance(tag, (str, int, float)) for tag in tags):
            if tags:
                self.data["tags"] = [html.unescape(str(tag)) for tag in tags]
        elif tags is not None:
            meta["tags"] = tags
        description = meta.pop("description", None)
        if isinstance(description, str) and description.strip() and "summary" not in self.data:
            self.data["summary"] = html.unescape(description).strip()
        meta.pop("render_macros", None)  # the plugin's own instruction to mkdocs-macros
        for key, value in meta.items():
            dumped = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False).strip()
            self._note(1, dumped, f"the front matter key `{key}` has no place in a plan")

    def _drop_problems_box(self, body: _Body) -> _Body:
        """The list of problems the plugin shows above a broken plan is not part of the plan."""
        blocks = body.blocks
        for start, (_, block) in enumerate(blocks):
            if block.kind == "html" and block.text.strip().startswith(_PROBLEMS_BOX):
                for end in range(start, len(blocks)):
                    closing = blocks[end][1]
                    if any(line.strip() == "</div>" for line in closing.text.split("\n")):
                        return body.part(blocks[:start] + blocks[end + 1 :])
        return body

    def _read_title_and_header(self, header: _Body) -> None:
        headings = [
            position
            for position, (_, block) in enumerate(header.blocks)
            if block.kind == "heading" and block.level == 1
        ]
        if not headings:
            title = self.front_matter.get("title")
            if not (isinstance(title, str) and title.strip()):
                first = header.lines[0][0] if header.lines else 1
                self._note(
                    first, "", "no `# Technical Plan: <title>` heading: the plan has no title"
                )
            self._read_header(header)
            return
        position = headings[0]
        self._skip(
            None,
            header.part(header.blocks[:position]),
            "text above the title has no place in a plan",
        )
        title = unescape.plain(header.blocks[position][1].text)
        if title.casefold().startswith(PLAN_TITLE_PREFIX.casefold()):
            title = title[len(PLAN_TITLE_PREFIX) :].strip()
        if title:
            self.data["title"] = title
        self._read_header(header.part(header.blocks[position + 1 :]))

    def _read_header(self, header: _Body) -> None:
        # `**Key:** value` lines are the template's own convention, read line by line; the
        # summary is everything after them.
        lines = header.trimmed().lines
        index = 0
        while index < len(lines):
            match = _FIELD.match(lines[index][1])
            if not match:
                break
            self._header_field(lines[index], match["label"], match["value"])
            index += 1
        summary = "\n".join(text for _, text in lines[index:]).strip("\n")
        if summary.strip():
            self.data[_SUMMARY] = _block(summary)

    def _header_field(self, line: Line, label: str, value: str) -> None:
        written = _heading(label)
        # `**Authors:**` names the `author` key as well
        key = self.definition.header_key_for_label(written) or (
            self.definition.header_key_for_label(written[:-1]) if written.endswith("s") else None
        )
        on_a_line = key is not None and (key.kind in _ON_A_LINE or key.part("url") is not None)
        if key is None or key.name in _NOT_ON_A_LINE or not on_a_line:
            if written.casefold() not in _WRITTEN_BY_THE_PLUGIN:
                self._note(*line, f"`**{label}:**` is not a header line of the template")
        elif key.name in self.data:
            self._note(*line, f"a second `**{label}:**` line")
        elif key.name == "status":  # one of the site's statuses, not of the schema
            self.data["status"] = self._status(line, value)
        elif key.kind == "records" and key.part("url") is not None:  # `**Links:**`
            self.data[key.name] = _titled_links(value)
        elif read := self._line_value(key, value.strip(), line):
            self.data[key.name] = read

    def _status(self, line: Line, value: str) -> str:
        badge = _BADGE.match(value.replace(_PAGE_MARK, "").strip())
        written = unescape.plain(badge["text"] if badge else value)
        status = match_status(written, self.statuses)
        if status is not None and " ".join(written.split()).casefold() != status.casefold():
            # `in-review` for `In Review`: the plan file gets the site's spelling.
            self._note(*line, f"the status `{written}` is read as `{status}`")
            return status
        if status is None:  # `in-progress` for `In Progress`: letters and digits the same
            loose = {_letters(name): name for name in self.statuses}
            status = loose.get(_letters(written))
            if status is not None:
                self._note(*line, f"the status `{written}` is read as `{status}`")
                return status
        if status is None:
            # The plan needs a status to be valid: the first one, until the author chooses.
            status = self.statuses[0]
            self._note(
                *line,
                f"the status `{written}` is not one of "
                f"{', '.join(self.statuses)}; the plan says `{status}` for now",
            )
        return status

    def _line_value(self, key: Key, value: str, line: Line) -> Any:
        """A header line's value: everything on a header line is shown literally."""
        if key.kind in ("people", "list"):
            names = [unescape.plain(name) for name in value.split(", ") if name.strip()]
            return names[0] if key.kind == "people" and len(names) == 1 else names
        if key.kind in ("references", "reference"):
            references = _references(value)
            if len(references) > 1 and key.kind == "reference":
                self._note(*line, f"`**{key.label}:**` takes one reference")
                return None
            return references[0] if len(references) == 1 else references
        if key.kind == "markdown":
            return unescape.inline(value)
        return self._scalar(key, value, line, literal=True)

    # -- sections ---------------------------------------------------------------------------

    def _section(self, section: Section, body: _Body) -> None:
        first = section.keys[0]
        if len(section.keys) == 1 and first.heading is None and first.kind != "mapping":
            self._keep(self.data, first, self._value(first, body))
            return
        # The section's keys, or its mapping's parts, each under its `###` heading.
        holder = first if len(section.keys) == 1 and first.kind == "mapping" else None
        members = holder.parts if holder else section.keys
        intro, parts = body.split(3)
        values: dict[str, Any] = {}
        shown_first = self.intros.get(holder) if holder else None
        overview = holder.part("overview") if holder else None
        if shown_first is not None and holder is not None:
            values.update(shown_first(holder, intro))
        elif overview is not None and overview.kind == "markdown":
            if not intro.trimmed().blank:  # the introduction, right under the heading
                values[overview.name] = _block(intro.trimmed().text)
        else:
            self._skip(
                None, intro, "text before the section's first `###` heading has no place in a plan"
            )
        found = set(values)
        # The Markdown field read last (or the section's overview): a `###` heading that names
        # no part is one of its own headings (the page writes them below the section's).
        last: Key | None = (
            overview if overview is not None and overview.kind == "markdown" else None
        )
        for number, (heading, part) in enumerate(parts):
            key = section.key_for_heading(_heading(heading.text))
            if (key is None or key not in members) and last is not None:
                own = "#" * heading.level + " " + unescape.inline(heading.text)
                if shown_first is not None and holder is not None and number == len(parts) - 1:
                    # The overview's last part: the diagrams the section shows after it.
                    tail = shown_first(holder, part)
                    more = tail.pop(last.name, "")
                    values.update(tail)
                else:
                    more = _block(part.trimmed().text) if not part.trimmed().blank else ""
                joined = "\n\n".join(
                    text.strip("\n") for text in (values.get(last.name, ""), own, more) if text
                )
                values[last.name] = _multiline(joined)
                continue
            if key is None or key not in members or key.name in found:
                why = "a second" if key is not None and key.name in found else "not a"
                self._skip(heading, part, f"`### {heading.text}` is {why} part of this section")
                continue
            found.add(key.name)
            self._keep(values, key, self._value(key, part.trimmed()))
            last = key if key.kind == "markdown" and values.get(key.name) else None
            language = _language_part(holder, key)
            if language is not None and self._fence_info not in ("", language.default):
                values[language.name] = self._fence_info
        ordered = {key.name: values[key.name] for key in members if key.name in values}
        if holder is not None:
            self._keep(self.data, holder, ordered)
        else:
            self.data.update(ordered)

    def _value(self, key: Key, body: _Body) -> Any:
        """What `body` says `key` is, read as the key's kind says; None or empty when nothing."""
        shape = self.shapes.get(key)
        if shape is not None:
            return shape(key, body)
        read = self._by_kind.get(key.kind)
        if read is not None:
            return read(key, body)
        if key.kind in ("text", "choice", "number", "date", "level") and not body.blank:
            return self._scalar(key, _joined(body), body.lines[0])
        self._skip(None, body, f"`{key.name}` cannot be read from Markdown")
        return None

    @property
    def _by_kind(self) -> dict[str, Callable[[Key, _Body], Any]]:
        """How each kind of key is read from its part of the page."""
        return {
            "markdown": lambda _key, body: None if body.blank else _block(body.text),
            "code": self._code,
            "list": self._list,
            "steps": self._list,
            "checklist": self._checklist,
            "table": self._table,
            "records": self._records,
            "mapping": self._labelled,
        }

    def _code(self, _key: Key, body: _Body) -> str | None:
        fence = self._one_fence(body)
        self._fence_info = fence.info if fence is not None else ""
        return _multiline(fence.content) if fence is not None else None

    def _list(self, _key: Key, body: _Body) -> list[str]:
        return self._texts(body, unescape.inline)

    def _checklist(self, _key: Key, body: _Body) -> list[Any]:
        read = [
            (_multiline_entry(text) if "\n" in text else unescape.inline(text), done)
            for _, text, done in self._checklist_items(body)
        ]
        return [{"item": text, "done": True} if done else text for text, done in read]

    def _keep(self, values: dict[str, Any], key: Key, value: Any) -> None:
        if value:  # an empty part is one the page leaves out
            values[key.name] = value

    def _scalar(self, key: Key, text: str, line: Line, *, literal: bool = False) -> Any:
        """One value of text written on a line, a table cell or an item; None if it does not
        read as `key`'s kind (that is noted)."""
        if key.kind in ("choice", "level"):
            choices = [str(choice) for choice in self.definition.resolve(key.schema)["enum"]]
            written = unescape.plain(text)
            chosen = next((c for c in choices if c.casefold() == written.casefold()), None)
            if chosen is None and written:
                listed = ", ".join(choices[:-1]) + f" or {choices[-1]}"
                self._note(*line, f"{key.label.lower()} `{text}` is not {listed}")
            return chosen
        if key.kind == "date":
            written = unescape.plain(text).strip()
            date = parse_date(written)
            if date is None and (date := read_written_date(written)) is not None:
                self._note(
                    *line,
                    f"the date `{written}` is read as {date.isoformat()}: plans write dates "
                    "YYYY-MM-DD",
                )
            elif date is None:
                self._note(*line, f"the date `{text}` is not written YYYY-MM-DD")
            return date
        if key.kind == "number":
            number = _NUMBER.match(unescape.plain(text))
            if number is None:
                self._note(
                    *line, f"the {key.label.lower()} `{text}` is not a number such as 80 or >80%"
                )
            return WrittenNumber(number["number"]) if number else None
        return unescape.plain(text) if literal or key in self.literal else unescape.inline(text)

    def _table(self, key: Key, body: _Body) -> list[dict[str, Any]]:
        """A table with a column for each part of its entries, in order."""
        entries = []
        labels = [{_folded_label(part.label), _folded_label(part.name)} for part in key.parts]
        for line, cells in self._rows(body, len(key.parts), labels):
            entry: dict[str, Any] = {}
            for part, cell in zip(key.parts, cells, strict=True):
                if cell:
                    self._keep(entry, part, self._scalar(part, cell, line))
            missing = [part.label for part in key.parts if part.name in key.required - set(entry)]
            if missing:
                columns = "column" if len(missing) == 1 else "columns"
                self._note(*line, f"a row needs its {' and '.join(missing)} {columns}")
                continue
            entries.append(entry)
        return entries

    def _records(self, key: Key, body: _Body) -> list[dict[str, Any]] | None:
        """Entries shown as `first: second` items; ticked boxes, when they have a boolean."""
        texts = [part for part in key.parts if part.kind != "boolean"]
        done = next((part for part in key.parts if part.kind == "boolean"), None)
        if not 1 <= len(texts) <= 2:
            self._skip(None, body, f"`{key.name}` cannot be read from Markdown")
            return None
        items = (
            self._checklist_items(body)
            if done is not None
            else [(line, text, False) for line, text in self._items(body) if text]
        )
        entries = []
        for line, text, ticked in items:
            name, separator, rest = text.partition(": ")
            if len(texts) == 1 or (not separator and text.endswith(":")):
                name, rest = (text, "") if len(texts) == 1 else (text[:-1], "")
            entry: dict[str, Any] = {texts[0].name: self._scalar(texts[0], name, line)}
            if rest.strip():
                entry[texts[1].name] = self._scalar(texts[1], rest, line)
            if done is not None:
                entry[done.name] = ticked
            entries.append(entry)
        return entries

    def _labelled(self, key: Key, body: _Body) -> dict[str, Any]:
        """A mapping shown as `Label: value` items (a boolean part: its label alone)."""
        values: dict[str, Any] = {}
        for line, text in self._items(body):
            flag = key.part_for_label(_heading(text))
            if flag is not None and flag.kind == "boolean":
                values[flag.name] = True
                continue
            label, _, value = text.partition(":")
            part = key.part_for_label(_heading(label))
            if part is None or part.kind == "boolean" or not value.strip():
                expected = ", ".join(
                    f"`{part.label}`" if part.kind == "boolean" else f"`{part.label}: …`"
                    for part in key.parts
                )
                self._note(*line, f"this part takes only {expected} items")
                continue
            if part.kind == "list":
                read_one = unescape.plain if part.plain else unescape.inline
                read: Any = [read_one(item) for item in value.split(", ") if item.strip()]
            else:
                read = self._scalar(part, value.strip(), line)
            self._keep(values, part, read)
        return {part.name: values[part.name] for part in key.parts if part.name in values}

    # -- what the template shows in a shape of its own -----------------------------------------

    def _architecture_intro(self, key: Key, body: _Body) -> dict[str, Any]:
        """The overview, then a text diagram and a Mermaid one, each a fence (and optional)."""
        values: dict[str, Any] = {}
        blocks = list(body.trimmed().blocks)
        if blocks and blocks[-1][1].kind == "fence" and blocks[-1][1].info == "mermaid":
            values["mermaid"] = _multiline(blocks.pop()[1].content)
        rest = body.part(blocks).trimmed()
        last = rest.blocks[-1][1] if rest.blocks else None
        if last is not None and last.kind == "fence" and last.info in _DIAGRAM_INFO:
            values["diagram"] = _multiline(last.content)
            rest = rest.part(rest.blocks[:-1]).trimmed()
        if not rest.blank:
            values["overview"] = _block(rest.text)
        return {name: value for name, value in values.items() if key.part(name) is not None}

    def _components(self, key: Key, body: _Body) -> list[dict[str, Any]]:
        """`### Component N: <name>` headings, each with its parts as `**Label:**` blocks."""
        intro, parts = body.split(3)
        self._skip(None, intro, "text before `### Component 1: <name>` has no place in a plan")
        components = []
        for heading, part in parts:
            match = _COMPONENT.match(heading.text)
            component = {"name": unescape.inline(match["name"] if match else heading.text)}
            for field_key, content in self._fields(key, part.trimmed(), "component"):
                fence = self._one_fence(content) if field_key.kind == "code" else None
                if field_key.kind != "code":
                    self._keep(component, field_key, self._value(field_key, content))
                elif fence is not None:
                    component[field_key.name] = _multiline(fence.content)
                    language = _language_part(key, field_key)
                    if language is not None and fence.info and fence.info != language.default:
                        component[language.name] = fence.info
            components.append(component)
        return components

    def _phases(self, key: Key, body: _Body) -> list[dict[str, Any]]:
        """`### Phase N: <name> (<duration>)` headings, each with its numbered tasks."""
        intro, parts = body.split(3)
        self._skip(
            None, intro, "text before `### Phase 1: <name> (<duration>)` has no place in a plan"
        )
        tasks = key.part("tasks")
        phases = []
        for heading, part in parts:
            match = _PHASE.match(heading.text)
            name, duration = _name_and_duration(match["rest"] if match else heading.text)
            phase: dict[str, Any] = {"name": unescape.inline(name)}
            if duration:
                phase["duration"] = unescape.plain(duration)
            content = part.trimmed()
            dates = _PHASE_DATES.match(content.blocks[0][1].text) if content.blocks else None
            if dates is not None and content.blocks[0][1].kind == "paragraph":
                phase.update({name: dates[name] for name in ("start", "end") if dates[name] != "…"})
                content = content.part(content.blocks[1:])
            if tasks is not None:
                self._keep(phase, tasks, self._value(tasks, content))
            phases.append(phase)
        return phases

    def _migrations(self, key: Key, body: _Body) -> list[dict[str, Any]]:
        return [_migration(text) for text in self._texts(body, str)]

    def _schemas(self, key: Key, body: _Body) -> str | None:
        match = _SCHEMAS_LINE.fullmatch(body.text)
        references = _references(match["target"] if match else "")
        if len(references) == 1:
            return references[0]
        self._skip(None, body, "this part reads `See <link> for detailed schemas.`")
        return None

    # -- shapes -----------------------------------------------------------------------------

    def _fields(self, key: Key, body: _Body, entry: str) -> list[tuple[Key, _Body]]:
        """`**Label:** …` blocks of an entry's parts: each part with the blocks up to the next.

        A label starts a line of a paragraph (`**Purpose:** …` and `**Responsibilities:**`
        may share one), so paragraphs are read line by line here.
        """
        # The name is the entry's heading; a code block's language is its fence's info string.
        shown = [
            part
            for part in key.parts[1:]
            if not any(part.name == code.name + "_language" for code in key.parts)
        ]
        found: list[tuple[Key, _Body]] = []
        current: tuple[Key, list[tuple[int, Block]]] | None = None
        loose: list[tuple[int, Block]] = []
        for index, block in body.blocks:
            pieces = [(index, block)]
            if block.kind == "paragraph":
                pieces = [
                    (index, Block("paragraph", number, number + 1, text=body.page.lines[number]))
                    for number in range(block.start, block.end)
                ]
            for piece in pieces:
                line = body.line(piece[1].start)
                match = _FIELD.match(line[1]) if piece[1].kind == "paragraph" else None
                if not match:
                    (loose if current is None else current[1]).append(piece)
                    continue
                if current:
                    found.append((current[0], body.part(current[1])))
                part = key.part_for_label(_heading(match["label"]))
                current = None
                if part is None or part not in shown:
                    self._note(*line, f"`**{match['label']}:**` is not a part of a {entry}")
                    continue
                value = Block("paragraph", line[0] - 1, line[0], text=match["value"])
                current = (part, [(index, value)] if match["value"] else [])
        if current:
            found.append((current[0], body.part(current[1])))
        labels = [f"**{part.label}:**" for part in shown]
        self._skip(
            None,
            body.part(loose),
            f"text outside {', '.join(labels[:-1])} and {labels[-1]} has no place in a {entry}",
        )
        return found

    def _list_items(self, body: _Body) -> list[tuple[Line, reader.Item]]:
        """The items of the lists in `body`; other blocks are reported."""
        items: list[tuple[Line, reader.Item]] = []
        stray: list[tuple[int, Block]] = []
        for index, block in body.blocks:
            if block.kind == "list":
                items.extend((body.line(item.line), item) for item in block.items)
            else:
                stray.append((index, block))
        self._skip(None, body.part(stray), "only list items have a place here")
        return items

    def _items(self, body: _Body) -> list[tuple[Line, str]]:
        """List items (bulleted or numbered) with their text; other blocks are reported."""
        return [(line, item.text) for line, item in self._list_items(body)]

    def _texts(self, body: _Body, read: Callable[[str], str]) -> list[str]:
        """Each item's text; an item of several blocks (paragraphs, a nested list, a fence)
        as block Markdown."""
        return [
            text
            for _, raw in self._items(body)
            if (text := _multiline_entry(raw) if "\n" in raw else read(raw))
        ]

    def _checklist_items(self, body: _Body) -> list[tuple[Line, str, bool]]:
        items = []
        for line, item in self._list_items(body):
            text, done = item.text, False
            box = _CHECKBOX_INPUT.match(text)
            if box:  # as the plugin renders a checklist: an HTML checkbox
                done = re.search(r"\bchecked\b", box["attributes"]) is not None
                text = text[box.end() :]
            elif item.checked is not None:  # as a person writes one: `- [x] …`
                done = item.checked
                text = item.task
            if text.strip():
                items.append((line, text, done))
        return items

    def _rows(
        self, body: _Body, columns: int, labels: Sequence[set[str]] = ()
    ) -> list[tuple[Line, list[str]]]:
        """The rows of a pipe table with `columns` columns, header row skipped. With `labels`
        (each column's names), a table whose header names fewer than half of them is another
        table (a disaster-recovery table under Risk Assessment): it is kept as unplaced."""
        rows: list[tuple[Line, list[str]]] = []
        stray: list[tuple[int, Block]] = []
        for index, block in body.blocks:
            if block.kind != "table" or not _header_fits(block, labels):
                stray.append((index, block))
                continue
            for number, cells in block.rows[1:]:
                line = body.line(number)
                if len(cells) != columns:
                    self._note(*line, f"a row of {len(cells)} cells where the table has {columns}")
                    continue
                rows.append((line, list(cells)))
        self._skip(None, body.part(stray), "only table rows have a place here")
        return rows

    def _one_fence(self, body: _Body) -> Block | None:
        fences = [
            position for position, (_, block) in enumerate(body.blocks) if block.kind == "fence"
        ]
        if not fences:
            self._skip(None, body, "this part takes a fenced code block")
            return None
        first = fences[0]
        self._skip(
            None,
            body.part(body.blocks[:first] + body.blocks[first + 1 :]),
            "text around the code block has no place in a plan",
        )
        return body.blocks[first][1]

    # -- what could not be placed -----------------------------------------------------------

    def _note(self, line: int, markdown: str, reason: str) -> None:
        self.unplaced.append(Unplaced(line, markdown, reason))

    def _skip(self, heading: Block | None, body: _Body, reason: str) -> None:
        blocks = body.trimmed().blocks
        if heading is not None:
            # The heading is the page block just before the body's first one.
            index = blocks[0][0] - 1 if blocks else self.page.blocks.index(heading)
            blocks = ((index, heading), *blocks)
        lines = body.part(blocks).lines
        if lines:
            self._note(lines[0][0], "\n".join(text for _, text in lines), reason)


def _joined(body: _Body) -> str:
    return " ".join(" ".join(block.text.split()) for _, block in body.blocks if block.text.strip())


def _block(markdown: str) -> str:
    return _multiline(unescape.block(markdown))


def _multiline(text: str) -> str:
    """Text of several lines ends with a newline, so it is written as a plain `|` block."""
    return text + "\n" if "\n" in text and not text.endswith("\n") else text


def _migration(text: str) -> dict[str, Any]:
    """`` `001_x.sql`: what it does ``: the file as code (a `<code>` element as rendered)."""
    element = _CODE_ELEMENT_START.match(text)
    if element:  # as the plugin renders it: the file name as a <code> element
        entry: dict[str, Any] = {"file": unescape.plain(element[1])}
        rest = element["rest"].strip()
        if rest.startswith(":") and rest[1:].strip():
            entry["description"] = unescape.inline(rest[1:])
        return entry
    span = _CODE_SPAN_START.match(text)
    if span:
        file = span[2]
        if file.startswith(" ") and file.endswith(" ") and file.strip():
            file = file[1:-1]
        rest = span["rest"]
        description = rest[1:].strip() if rest.startswith(":") else rest.strip()
        entry = {"file": file}
        if description:
            entry["description"] = unescape.inline(description)
        return entry
    name, separator, rest = text.partition(": ")
    if not separator and text.endswith(":"):
        name = text[:-1]
    entry = {"file": unescape.plain(name)}
    if rest.strip():
        entry["description"] = unescape.inline(rest)
    return entry


def _name_and_duration(text: str) -> tuple[str, str | None]:
    """`Foundation (1 week)` → (`Foundation`, `1 week`): the last bracketed group is the time."""
    text = text.strip()
    if not text.endswith(")"):
        return text, None
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        if text[index] == ")":
            depth += 1
        elif text[index] == "(":
            depth -= 1
            if depth == 0:
                name = text[:index].rstrip()
                return (name, text[index + 1 : -1].strip()) if name else (text, None)
    return text, None


def _multiline_entry(text: str) -> str:
    """A list entry of several blocks, as the block Markdown a plan writes for it."""
    return unescape.block(text).strip("\n") + "\n"


def _folded_label(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


def _header_fits(table: Block, labels: Sequence[set[str]]) -> bool:
    """Whether a table's header row names at least half of the columns `labels` describes."""
    if not labels or not table.rows:
        return True
    header = [_folded_label(unescape.plain(cell)) for cell in table.rows[0][1]]
    named = sum(cell in names for cell, names in zip(header, labels, strict=False))
    return named * 2 >= len(labels)


def _letters(text: str) -> str:
    """`In-Progress` → `inprogress`: a status compared by its letters and digits alone."""
    return "".join(char for char in text.casefold() if char.isalnum())


def _language_part(holder: Key | None, code: Key) -> Key | None:
    """The part naming a code block's language: `interfaces_language` for `interfaces`,
    `schema_language` for `schema_changes`."""
    return holder.part(code.name.split("_")[0] + "_language") if holder else None


def _titled_links(text: str) -> list[dict[str, str]]:
    """`[Design discussion](https://…), ../specs/auth.md` → `{title, url}` each (no title for
    a reference shown as written, nor when the text is the target itself)."""
    links = []
    for title, url in _written_references(text):
        links.append({"title": title, "url": url} if title and title != url else {"url": url})
    return links


def _references(text: str) -> list[str]:
    """References in a header line: links (their targets) and plain text, comma-separated."""
    return [url for _, url in _written_references(text)]


def _written_references(text: str) -> list[tuple[str | None, str]]:
    """Each reference of a header line with its link text (None when shown as written)."""
    references: list[tuple[str | None, str]] = []
    position = 0
    text = text.strip()
    while position < len(text):
        link = _LINK.match(text, position)
        if link:
            href = link["href"].removeprefix("<").removesuffix(">")
            references.append(
                (
                    unescape.plain(link["text"]),
                    href
                    if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]+:", href)
                    else href.replace("%20", " "),
                )
            )
            position = link.end()
        else:
            end = text.find(", ", position)
            end = len(text) if end < 0 else end
            written = unescape.plain(text[position:end])
            if written:
                references.append((None, written))
            position = end
        if text.startswith(", ", position):
            position += 2
        elif text.startswith(",", position):
            position += 1
        while position < len(text) and text[position] == " ":
            position += 1
    return references
