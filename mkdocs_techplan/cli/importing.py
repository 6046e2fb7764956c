"""A Technical Plan written in Markdown from the template → plan data (`mkdocs-techplan import`).

The importer knows the template's structure: the `# Technical Plan: <title>` heading, the
`**Key:** value` header lines, the `##` sections and their `###` parts, and in each the
list, table, checklist or code block the template puts there. It reads both Markdown a person
wrote from the template and the Markdown the plugin renders, so `render` then `import` gives
back the plan. Whatever it cannot place is returned as `Unplaced`, never dropped. Where the
headings, lists, tables and code blocks are is the Markdown reader's business
(`mkdocs_techplan.markdown.reader`); this module only decides what each one means.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from mkdocs_techplan.format.dates import parse_date
from mkdocs_techplan.format.problems import Position, Problem
from mkdocs_techplan.format.statuses import match_status
from mkdocs_techplan.format.writing import WrittenNumber, dump_plan, modeline
from mkdocs_techplan.markdown import reader, unescape
from mkdocs_techplan.markdown.reader import Block

TEMPLATE_SECTIONS: dict[str, tuple[str, ...]] = {
    "Architecture Overview": ("architecture",),
    "Component Design": ("components",),
    "Data Model": ("data_model",),
    "API Design": ("api",),
    "Implementation Approach": ("phases",),
    "Testing Strategy": ("testing",),
    "Security Considerations": ("security",),
    "Performance Considerations": ("performance",),
    "Monitoring & Observability": ("monitoring",),
    "Risk Assessment": ("risks",),
    "Dependencies & Blockers": ("dependencies", "blockers"),
    "Rollback Plan": ("rollback",),
    "Open Questions": ("open_questions",),
    "Revision History": ("revisions",),
}
"""The template's `##` sections → the plan keys each fills; `_PlanReader._<first key>` reads it.

Headings are compared loosely (`_name`): `## Monitoring and observability` finds its section.
"""

Line = tuple[int, str]
"""A line of the Markdown file: its 1-based number and its text."""

PLAN_TITLE_PREFIX = "Technical Plan:"
LEVELS = ("High", "Medium", "Low")

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

    def yaml_text(self) -> str:
        """The `plan.yaml`: the data, then what could not be placed under `x-unplaced` (keys
        starting with `x-` are ignored by the plugin, so the file is valid and nothing is lost).
        """
        data = dict(self.data)
        kept = [part for part in self.unplaced if part.markdown]
        if kept:
            data["x-unplaced"] = [
                {"line": part.line, "reason": part.reason, "markdown": part.markdown}
                for part in kept
            ]
        return modeline() + dump_plan(data)

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


def import_plan(markdown: str, statuses: Sequence[str]) -> ImportedPlan:
    """Read a Technical Plan page; `statuses` are the ones the status line may name."""
    return _PlanReader(markdown, statuses).read()


def _name(text: str) -> str:
    """Headings and labels compared loosely: `Monitoring and observability` finds its section."""
    words = " ".join(unescape.plain(text).replace("&", " and ").split()).casefold()
    return words.rstrip(":")


_SECTION_KEYS = {_name(title): keys[0] for title, keys in TEMPLATE_SECTIONS.items()}


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


class _PlanReader:
    def __init__(self, markdown: str, statuses: Sequence[str]) -> None:
        self.page = reader.read(markdown)
        self.statuses = statuses
        self.data: dict[str, Any] = {}
        self.unplaced: list[Unplaced] = []
        self.front_matter: dict[str, Any] = {}

    # -- the page ---------------------------------------------------------------------------

    def read(self) -> ImportedPlan:
        self._read_front_matter()
        body = _Body(self.page, tuple(enumerate(self.page.blocks)))
        body = self._drop_problems_box(body)
        header, sections = body.split(2)
        self._read_title_and_header(header)
        seen: set[str] = set()
        for heading, section in sections:
            name = _name(heading.text)
            key = _SECTION_KEYS.get(name)
            if key is None or name in seen:
                why = "a second" if name in seen else "not a"
                self._skip(
                    heading, section, f"`## {heading.text}` is {why} section of the template"
                )
                continue
            seen.add(name)
            read_section: Callable[[_Body], None] = getattr(self, f"_{key}")
            read_section(section.trimmed())
        self._apply_front_matter()
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
            self.data["summary"] = _block(summary)

    def _header_field(self, line: Line, label: str, value: str) -> None:
        key = _name(label)
        value = value.strip()
        if key == "version":
            self._set("version", unescape.plain(value))
        elif key == "status":
            badge = _BADGE.match(value)
            written = unescape.plain(badge["text"] if badge else value)
            status = match_status(written, self.statuses)
            if status is None:
                # The plan needs a status to be valid: the first one, until the author chooses.
                status = self.statuses[0]
                self._note(
                    line[0],
                    line[1],
                    f"the status `{written}` is not one of "
                    f"{', '.join(self.statuses)}; the plan says `{status}` for now",
                )
            self.data["status"] = status
        elif key in ("author", "authors"):
            authors = [unescape.plain(name) for name in value.split(", ") if name.strip()]
            if authors:
                self.data["author"] = authors[0] if len(authors) == 1 else authors
        elif key == "date":
            date = parse_date(unescape.plain(value).strip())
            if date is None:
                self._note(line[0], line[1], f"the date `{value}` is not written YYYY-MM-DD")
            else:
                self.data["date"] = date
        elif key in ("specification", "supersedes"):
            references = _references(value)
            if references:
                self.data[key] = references[0] if len(references) == 1 else references
        elif key != "superseded by":  # the plugin writes that line from the newer plans
            self._note(line[0], line[1], f"`**{label}:**` is not a header line of the template")

    # -- sections ---------------------------------------------------------------------------

    def _architecture(self, body: _Body) -> None:
        section: dict[str, Any] = {}
        blocks = list(body.blocks)
        if blocks and blocks[-1][1].kind == "fence" and blocks[-1][1].info == "mermaid":
            section["mermaid"] = _multiline(blocks.pop()[1].content)
        rest = body.part(blocks).trimmed()
        last = rest.blocks[-1][1] if rest.blocks else None
        if last is not None and last.kind == "fence" and last.info in _DIAGRAM_INFO:
            section = {"diagram": _multiline(last.content), **section}
            rest = rest.part(rest.blocks[:-1]).trimmed()
        if not rest.blank:
            section = {"overview": _block(rest.text), **section}
        if section:
            self.data["architecture"] = section

    def _components(self, body: _Body) -> None:
        intro, parts = body.split(3)
        self._skip(None, intro, "text before `### Component 1: <name>` has no place in a plan")
        components = []
        for heading, part in parts:
            title = heading.text
            match = _COMPONENT.match(title)
            component: dict[str, Any] = {"name": unescape.plain(match["name"] if match else title)}
            for label, _, content in self._fields(part.trimmed(), _COMPONENT_FIELDS):
                if label == "purpose":
                    component["purpose"] = unescape.inline(_joined(content))
                elif label == "responsibilities":
                    component["responsibilities"] = self._texts(content, unescape.inline)
                elif label == "interfaces":
                    fence = self._one_fence(content)
                    if fence is not None:
                        component["interfaces"] = _multiline(fence.content)
                        if fence.info and fence.info != "typescript":
                            component["interfaces_language"] = fence.info
                elif label == "dependencies":
                    component["dependencies"] = [
                        _named("name", "reason", text, unescape.plain)
                        for text in self._texts(content, str)
                    ]
            components.append({key: value for key, value in component.items() if value})
        if components:
            self.data["components"] = components

    def _data_model(self, body: _Body) -> None:
        parts = self._parts(body, {"schema changes": "schema_changes", "migrations": "migrations"})
        section: dict[str, Any] = {}
        if "schema_changes" in parts:
            fence = self._one_fence(parts["schema_changes"])
            if fence is not None:
                section["schema_changes"] = _multiline(fence.content)
        if "migrations" in parts:
            migrations = [_migration(text) for text in self._texts(parts["migrations"], str)]
            if migrations:
                section["migrations"] = migrations
        if section:
            self.data["data_model"] = section

    def _api(self, body: _Body) -> None:
        parts = self._parts(body, {"endpoints": "endpoints", "request/response schemas": "schemas"})
        section: dict[str, Any] = {}
        if "endpoints" in parts:
            endpoints = []
            for line, cells in self._table(parts["endpoints"], 3):
                method, path, purpose = cells
                if not method or not path:
                    self._note(line[0], line[1], "an endpoint row needs a method and a path")
                    continue
                endpoint = {"method": unescape.plain(method), "path": unescape.plain(path)}
                if purpose:
                    endpoint["purpose"] = unescape.inline(purpose)
                endpoints.append(endpoint)
            if endpoints:
                section["endpoints"] = endpoints
        if "schemas" in parts:
            text = parts["schemas"].text
            match = re.fullmatch(r"See (?P<target>.+?) for detailed schemas\.?", text, re.DOTALL)
            references = _references(match["target"] if match else "")
            if len(references) == 1:
                section["schemas"] = references[0]
            else:
                self._skip(
                    None, parts["schemas"], "this part reads `See <link> for detailed schemas.`"
                )
        if section:
            self.data["api"] = section

    def _phases(self, body: _Body) -> None:
        intro, parts = body.split(3)
        self._skip(
            None, intro, "text before `### Phase 1: <name> (<duration>)` has no place in a plan"
        )
        phases = []
        for heading, part in parts:
            title = heading.text
            match = _PHASE.match(title)
            name, duration = _name_and_duration(match["rest"] if match else title)
            phase: dict[str, Any] = {"name": unescape.plain(name)}
            if duration:
                phase["duration"] = unescape.plain(duration)
            tasks = self._texts(part.trimmed(), unescape.inline)
            if tasks:
                phase["tasks"] = tasks
            phases.append(phase)
        if phases:
            self.data["phases"] = phases

    def _testing(self, body: _Body) -> None:
        parts = self._parts(
            body,
            {
                "unit tests": "unit",
                "integration tests": "integration",
                "e2e tests": "e2e",
                "performance tests": "performance",
            },
        )
        section: dict[str, Any] = {}
        if "unit" in parts:
            unit: dict[str, Any] = {}
            for line, label, value in self._labelled_items(
                parts["unit"], ("coverage target", "focus areas")
            ):
                if label == "coverage target":
                    number = _NUMBER.match(unescape.plain(value))
                    if number:
                        unit["coverage_target"] = WrittenNumber(number["number"])
                    else:
                        self._note(
                            line[0],
                            line[1],
                            f"the coverage target `{value}` is not a percentage such as >80%",
                        )
                else:
                    focus = [unescape.plain(area) for area in value.split(", ") if area.strip()]
                    if focus:
                        unit["focus"] = focus
            if unit:
                section["unit"] = unit
        for key in ("integration", "e2e"):
            if key in parts:
                texts = self._texts(parts[key], unescape.inline)
                if texts:
                    section[key] = texts
        if "performance" in parts:
            performance = {
                {"load testing": "load", "stress testing": "stress"}[label]: unescape.inline(value)
                for _, label, value in self._labelled_items(
                    parts["performance"], ("load testing", "stress testing")
                )
            }
            if performance:
                section["performance"] = performance
        if section:
            self.data["testing"] = section

    def _security(self, body: _Body) -> None:
        parts = self._parts(
            body,
            {
                "authentication": "authentication",
                "authorization": "authorization",
                "data protection": "data_protection",
                "input validation": "input_validation",
            },
        )
        section: dict[str, Any] = {}
        for key in ("authentication", "authorization"):
            if key in parts and not parts[key].blank:
                section[key] = _block(parts[key].text)
        for key in ("data_protection", "input_validation"):
            if key in parts:
                checklist = self._checklist(parts[key])
                if checklist:
                    section[key] = checklist
        if section:
            self.data["security"] = section

    def _performance(self, body: _Body) -> None:
        parts = self._parts(
            body,
            {
                "caching strategy": "caching",
                "database optimization": "database",
                "scalability": "scalability",
            },
        )
        section: dict[str, Any] = {}
        if "caching" in parts and not parts["caching"].blank:
            section["caching"] = _block(parts["caching"].text)
        if "database" in parts:
            database = {
                {"indexes": "indexes", "query optimization": "query_optimization"}[
                    label
                ]: unescape.inline(value)
                for _, label, value in self._labelled_items(
                    parts["database"], ("indexes", "query optimization")
                )
            }
            if database:
                section["database"] = database
        if "scalability" in parts and not parts["scalability"].blank:
            section["scalability"] = _block(parts["scalability"].text)
        if section:
            self.data["performance"] = section

    def _monitoring(self, body: _Body) -> None:
        parts = self._parts(body, {"metrics": "metrics", "logging": "logging", "alerts": "alerts"})
        section: dict[str, Any] = {}
        if "metrics" in parts:
            metrics = [
                _named("name", "description", text, unescape.plain)
                for text in self._texts(parts["metrics"], str)
            ]
            if metrics:
                section["metrics"] = metrics
        if "logging" in parts:
            logging: dict[str, Any] = {}
            for line, text in self._items(parts["logging"]):
                label, _, value = text.partition(": ")
                if _name(label) == "log level" and value.strip():
                    logging["level"] = unescape.plain(value)
                elif _name(text) == "structured logging format":
                    logging["structured"] = True
                else:
                    self._note(
                        line[0],
                        line[1],
                        "a Logging item is `Log level: …` or `Structured logging format`",
                    )
            if logging:
                section["logging"] = logging
        if "alerts" in parts:
            alerts = [
                _named("condition", "action", text, unescape.inline)
                for text in self._texts(parts["alerts"], str)
            ]
            if alerts:
                section["alerts"] = alerts
        if section:
            self.data["monitoring"] = section

    def _risks(self, body: _Body) -> None:
        risks = []
        for line, cells in self._table(body, 4):
            risk, impact, probability, mitigation = cells
            if not risk:
                self._note(line[0], line[1], "a risk row needs the risk itself")
                continue
            entry: dict[str, Any] = {"risk": unescape.inline(risk)}
            for key, value in (("impact", impact), ("probability", probability)):
                level = _level(value)
                if level:
                    entry[key] = level
                elif value:
                    self._note(line[0], line[1], f"{key} `{value}` is not High, Medium or Low")
            if mitigation:
                entry["mitigation"] = unescape.inline(mitigation)
            risks.append(entry)
        if risks:
            self.data["risks"] = risks

    def _dependencies(self, body: _Body) -> None:
        parts = self._parts(body, {"dependencies": "dependencies", "blockers": "blockers"})
        if "dependencies" in parts:
            dependencies = []
            for _, text, done in self._checklist_items(parts["dependencies"]):
                dependency = _named("name", "status", text, unescape.plain)
                dependencies.append({**dependency, "done": done})
            if dependencies:
                self.data["dependencies"] = dependencies
        if "blockers" in parts:
            blockers = [
                _named("blocker", "resolution", text, unescape.inline)
                for text in self._texts(parts["blockers"], str)
            ]
            if blockers:
                self.data["blockers"] = blockers

    def _rollback(self, body: _Body) -> None:
        steps = self._texts(body, unescape.inline)
        if steps:
            self.data["rollback"] = steps

    def _open_questions(self, body: _Body) -> None:
        questions = self._checklist(body)
        if questions:
            self.data["open_questions"] = questions

    def _revisions(self, body: _Body) -> None:
        revisions = []
        for line, cells in self._table(body, 4):
            version, date, author, changes = cells
            if not version:
                self._note(line[0], line[1], "a revision row needs its version")
                continue
            revision: dict[str, Any] = {"version": unescape.plain(version)}
            if date:
                parsed = parse_date(unescape.plain(date).strip())
                if parsed is None:
                    self._note(line[0], line[1], f"the date `{date}` is not written YYYY-MM-DD")
                else:
                    revision["date"] = parsed
            if author:
                revision["author"] = unescape.plain(author)
            if changes:
                revision["changes"] = unescape.inline(changes)
            revisions.append(revision)
        if revisions:
            self.data["revisions"] = revisions

    # -- shapes -----------------------------------------------------------------------------

    def _parts(self, body: _Body, names: dict[str, str]) -> dict[str, _Body]:
        """The `###` parts of a section by key; anything else is reported."""
        intro, parts = body.split(3)
        self._skip(
            None, intro, "text before the section's first `###` heading has no place in a plan"
        )
        found: dict[str, _Body] = {}
        for heading, part in parts:
            key = names.get(_name(heading.text))
            if key is None or key in found:
                why = "a second" if key in found else "not a"
                self._skip(heading, part, f"`### {heading.text}` is {why} part of this section")
                continue
            found[key] = part.trimmed()
        return found

    def _fields(self, body: _Body, labels: Sequence[str]) -> list[tuple[str, Line, _Body]]:
        """`**Label:** …` blocks: each label with its line and the blocks up to the next one.

        A label starts a line of a paragraph (`**Purpose:** …` and `**Responsibilities:**`
        may share one), so paragraphs are read line by line here.
        """
        found: list[tuple[str, Line, _Body]] = []
        current: tuple[str, Line, list[tuple[int, Block]]] | None = None
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
                if match:
                    if current:
                        found.append((current[0], current[1], body.part(current[2])))
                    label = _name(match["label"])
                    if label in labels:
                        value = Block("paragraph", line[0] - 1, line[0], text=match["value"])
                        current = (label, line, [(index, value)] if match["value"] else [])
                        continue
                    current = None
                    self._note(
                        line[0], line[1], f"`**{match['label']}:**` is not a part of a component"
                    )
                    continue
                (loose if current is None else current[2]).append(piece)
        if current:
            found.append((current[0], current[1], body.part(current[2])))
        self._skip(
            None,
            body.part(loose),
            "text outside **Purpose:**, **Responsibilities:**, "
            "**Interfaces:** and **Dependencies:** has no place in a component",
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
        return [text for _, raw in self._items(body) if (text := read(raw))]

    def _labelled_items(self, body: _Body, labels: Sequence[str]) -> list[tuple[Line, str, str]]:
        """Items written `Label: value` for the given labels; others are reported."""
        found = []
        for line, text in self._items(body):
            label, _, value = text.partition(":")
            if _name(label) in labels and value.strip():
                found.append((line, _name(label), value.strip()))
            else:
                expected = ", ".join(f"`{label.capitalize()}: …`" for label in labels)
                self._note(line[0], line[1], f"this part takes only {expected} items")
        return found

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

    def _checklist(self, body: _Body) -> list[Any]:
        return [
            {"item": unescape.inline(text), "done": True} if done else unescape.inline(text)
            for _, text, done in self._checklist_items(body)
        ]

    def _table(self, body: _Body, columns: int) -> list[tuple[Line, list[str]]]:
        """The rows of a pipe table with `columns` columns, header row skipped."""
        rows: list[tuple[Line, list[str]]] = []
        stray: list[tuple[int, Block]] = []
        for index, block in body.blocks:
            if block.kind != "table":
                stray.append((index, block))
                continue
            for number, cells in block.rows[1:]:
                line = body.line(number)
                if len(cells) != columns:
                    self._note(
                        line[0],
                        line[1],
                        f"a row of {len(cells)} cells where the table has {columns}",
                    )
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

    def _set(self, key: str, value: str) -> None:
        if value:
            self.data[key] = value

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


_COMPONENT_FIELDS = ("purpose", "responsibilities", "interfaces", "dependencies")
_DIAGRAM_INFO = ("", "text", "txt", "plain", "ascii")


def _joined(body: _Body) -> str:
    return " ".join(" ".join(block.text.split()) for _, block in body.blocks if block.text.strip())


def _block(markdown: str) -> str:
    return _multiline(unescape.block(markdown))


def _multiline(text: str) -> str:
    """Text of several lines ends with a newline, so it is written as a plain `|` block."""
    return text + "\n" if "\n" in text and not text.endswith("\n") else text


def _named(
    name_key: str, text_key: str, text: str, read_name: Callable[[str], str]
) -> dict[str, Any]:
    """`name: text` items: the name ends at the first `: ` (a plain name shows no raw colon)."""
    name, separator, rest = text.partition(": ")
    if not separator and text.endswith(":"):
        name = text[:-1]
    entry: dict[str, Any] = {name_key: read_name(name)}
    if rest.strip():
        entry[text_key] = unescape.inline(rest)
    return entry


def _migration(text: str) -> dict[str, Any]:
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
    named = _named("file", "description", text, unescape.plain)
    return named


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


def _references(text: str) -> list[str]:
    """References in a header line: links (their targets) and plain text, comma-separated."""
    references = []
    position = 0
    text = text.strip()
    while position < len(text):
        link = _LINK.match(text, position)
        if link:
            href = link["href"].removeprefix("<").removesuffix(">")
            references.append(
                href if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]+:", href) else href.replace("%20", " ")
            )
            position = link.end()
        else:
            end = text.find(", ", position)
            end = len(text) if end < 0 else end
            written = unescape.plain(text[position:end])
            if written:
                references.append(written)
            position = end
        if text.startswith(", ", position):
            position += 2
        elif text.startswith(",", position):
            position += 1
        while position < len(text) and text[position] == " ":
            position += 1
    return references


def _level(text: str) -> str | None:
    for level in LEVELS:
        if unescape.plain(text).strip().casefold() == level.casefold():
            return level
    return None
