"""Typed plan objects: what templates receive, built from loaded (and checked) YAML data.

The builder is forgiving on purpose: validation has already reported every problem, so a value
of the wrong shape is simply left out and the rest of the plan still renders.
"""

from __future__ import annotations

import datetime
from dataclasses import MISSING, dataclass, field, fields
from functools import lru_cache
from typing import Any, TypeVar

from mkdocs_techplan.format.dates import parse_date
from mkdocs_techplan.format.definition import Definition, Key, default_definition
from mkdocs_techplan.format.loading import KeyPath, LoadedDocument
from mkdocs_techplan.format.problems import START, Position, Problem
from mkdocs_techplan.format.records import pickled_as_call


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Reference:
    """A reference as the author wrote it (a page path, a URL or a spec id) and where."""

    text: str
    position: Position
    key_path: KeyPath


@pickled_as_call
@dataclass(frozen=True, slots=True)
class ChecklistItem:
    text: str
    done: bool
    position: Position = field(default=START, compare=False)


class Fields(dict[str, Any]):
    """The parts of a mapping in a plan (a section such as `architecture`, a component, a
    metric), every part the format defines, read as its kind says (an absent part is None or
    an empty list). Templates read them as attributes: `plan.architecture.overview`.

    A part named like a method of `dict` (`items`, `keys`) is read by index: `row["items"]`.
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Phase:
    name: str
    duration: str | None
    tasks: list[str]
    start: str | None = None
    """`YYYY-MM-DD`, as `end`."""
    end: str | None = None


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Risk:
    risk: str
    impact: str | None
    probability: str | None
    mitigation: str | None


@pickled_as_call
@dataclass(frozen=True, slots=True)
class PlanDependency:
    name: str
    status: str | None
    done: bool
    position: Position = field(default=START, compare=False)


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Blocker:
    blocker: str
    resolution: str | None
    position: Position = field(default=START, compare=False)


PLAN_TITLE_PREFIX = "Technical Plan:"
"""What a plan page's title says before the plan's own: the template's heading is
`# Technical Plan: <title>`."""

COMPANION_LINES = 10_000_000
"""Lines of a companion file (`kep.yaml`) are counted from here in the plan's positions, so
one document holds the positions of both files and a problem still names the right one."""


@pickled_as_call
@dataclass(frozen=True, slots=True)
class PlanSource:
    """Where a plan comes from and which page it becomes."""

    src_uri: str
    """The YAML file, relative to `docs_dir` (`plans/auth/plan.yaml`)."""
    page_uri: str
    """The page it becomes, relative to `docs_dir` (`plans/auth/index.md`)."""
    display_path: str
    """The YAML file as named in messages (relative to the working directory when possible)."""
    real_path: str = ""
    """The YAML file on disk, where the author keeps it (for its git history)."""
    edit_uri: str = ""
    """The edit link's path below the site's `edit_uri`; `src_uri` when empty."""
    companion_path: str = ""
    """The file beside a Markdown plan that holds part of its header (a KEP's `kep.yaml`), as
    named in messages; empty without one."""

    def problem(self, position: Position, message: str) -> Problem:
        """A problem at `position` in the plan, named in the file that holds it: the
        companion's positions are counted from `COMPANION_LINES`."""
        if self.companion_path and position.line > COMPANION_LINES:
            moved = Position(position.line - COMPANION_LINES, position.column)
            return Problem(self.companion_path, moved, message)
        return Problem(self.display_path, position, message)


@dataclass(slots=True)
class Plan:
    """One technical plan, every section optional except the title and status."""

    source: PlanSource
    title: str
    status: str | None
    """The status in the site's configured spelling; None when the plan's status is invalid."""
    version: str | None = None
    id: str | None = None
    """Unique in the site (`TP-0042`); other plans may reference the plan by it."""
    authors: list[str] = field(default_factory=list)
    date: datetime.date | None = None
    specification: list[Reference] = field(default_factory=list)
    summary: str | None = None
    tags: list[str] = field(default_factory=list)
    supersedes: list[Reference] = field(default_factory=list)
    depends_on: list[Reference] = field(default_factory=list)
    extends: list[Reference] = field(default_factory=list)
    related: list[Reference] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    # The sections whose parts templates alone read are `Fields`, built from the format's
    # definition: a key added to a section in the schema is there without a change here.
    architecture: Fields | None = None
    components: list[Fields] = field(default_factory=list)
    data_model: Fields | None = None
    api: Fields | None = None
    phases: list[Phase] = field(default_factory=list)
    testing: Fields | None = None
    security: Fields | None = None
    performance: Fields | None = None
    monitoring: Fields | None = None
    risks: list[Risk] = field(default_factory=list)
    dependencies: list[PlanDependency] = field(default_factory=list)
    blockers: list[Blocker] = field(default_factory=list)
    rollback: list[str] = field(default_factory=list)
    open_questions: list[ChecklistItem] = field(default_factory=list)
    revisions: list[Fields] = field(default_factory=list)
    fields: Fields = field(default_factory=Fields)
    """Top-level keys of the format that are not attributes above (a site's own sections)."""
    problems: list[Problem] = field(default_factory=list)
    """Problems found while loading and checking the plan; shown on its page."""
    status_position: Position = START
    """Where the status is written: rules that depend on the status report there."""
    id_position: Position = START
    """Where the id is written: a duplicate id is reported there."""
    body: str | None = None
    """A plan written in Markdown: its text as the author wrote it, less its header; the page
    shows it in place of the template's sections. None for a `plan.yaml`."""
    summary_in_body: bool = False
    """The summary is text of `body` (shown there in place, not again under the header)."""
    high_levels: frozenset[str] = frozenset({"High"})
    """The risk levels that count as high: the site's levels down to `High` (or its top one)."""

    @property
    def open_question_count(self) -> int:
        """Open questions not yet resolved."""
        return sum(not question.done for question in self.open_questions)

    @property
    def high_risk_count(self) -> int:
        return sum(risk.impact in self.high_levels for risk in self.risks)

    @property
    def checklist_items(self) -> list[bool]:
        """Whether each checklist entry of the plan is done, across every checklist."""
        done = [item.done for item in self.open_questions]
        if self.security:
            done += [item.done for item in self.security.data_protection]
            done += [item.done for item in self.security.input_validation]
        done += [dependency.done for dependency in self.dependencies]
        return done

    def drop_page_sections(self) -> None:
        """Let go of what only the plan's own page shows, once that page is made.

        A one-off build keeps every plan until all pages are read (the index, the exports and
        the relations graph read them), and these sections were most of what it kept: about
        20 MB for a thousand plans. What anything but the page reads stays: the header,
        relations, summary, tags, open questions, risks and security (their counts are
        listed), dependencies, the site's own fields and the problems."""
        for name, empty in _PAGE_ONLY_EMPTY.items():
            setattr(self, name, empty())


PAGE_ONLY_SECTIONS = (
    "architecture", "components", "data_model", "api", "phases", "testing", "performance",
    "monitoring", "blockers", "rollback", "revisions", "body",
)  # fmt: skip
"""The parts of a `Plan` only its page reads (its checks have run when it is rendered)."""
_PAGE_ONLY_EMPTY = {
    part.name: (
        part.default_factory
        if part.default_factory is not MISSING
        else (lambda default=part.default: default)
    )
    for part in fields(Plan)
    if part.name in PAGE_ONLY_SECTIONS
}


# Keys read by the code below into typed objects; every other key is read by its kind.
_TYPED = frozenset(
    {
        "title", "version", "id", "status", "author", "date", "specification", "summary", "tags",
        "supersedes", "depends_on", "extends", "related", "extra", "phases", "risks",
        "dependencies", "blockers",
    }
)  # fmt: skip
# The sections read by kind that `Plan` has an attribute for; the others go to `Plan.fields`.
_SECTION_ATTRIBUTES = frozenset(
    {
        "architecture", "components", "data_model", "api", "testing", "security",
        "performance", "monitoring", "rollback", "open_questions", "revisions",
    }
)  # fmt: skip


def build_plan(
    document: LoadedDocument | None,
    source: PlanSource,
    status: str | None,
    problems: list[Problem],
    definition: Definition | None = None,
) -> Plan:
    """Turn loaded data into a `Plan`, leaving out whatever has the wrong shape."""
    data = document.data if document and isinstance(document.data, dict) else {}
    read = _Reader(document)
    title = read.text(data.get("title"), ("title",)) or _fallback_title(source)
    plan = Plan(source=source, title=title, status=status, problems=problems)
    plan.status_position = read.position(("status",))
    plan.version = read.text(data.get("version"), ("version",))
    plan.id = read.text(data.get("id"), ("id",))
    plan.id_position = read.position(("id",)) if plan.id is not None else START
    plan.authors = read.text_or_texts(data.get("author"), ("author",))
    plan.date = _date(data.get("date"))
    plan.specification = read.references(data.get("specification"), ("specification",))
    plan.summary = read.text(data.get("summary"), ("summary",))
    plan.tags = read.texts(data.get("tags"), ("tags",))
    plan.supersedes = read.references(data.get("supersedes"), ("supersedes",))
    plan.depends_on = read.references(data.get("depends_on"), ("depends_on",))
    plan.extends = read.references(data.get("extends"), ("extends",))
    plan.related = read.references(data.get("related"), ("related",))
    plan.extra = _mapping(data.get("extra"))
    shape = definition or default_definition()
    plan.high_levels = _high_levels(shape)
    for key in shape.keys:
        if key.name in _TYPED:
            continue
        value = read.value(key, data.get(key.name), key.path)
        if key.name in _SECTION_ATTRIBUTES:
            setattr(plan, key.name, value)
        else:
            plan.fields[key.name] = value

    # Typed records (code reads them), built from the parts the format defines.
    def records(name: str) -> list[tuple[KeyPath, Fields]]:
        return read.records(shape.key(name), data.get(name), (name,))

    plan.phases = [_typed(Phase, record) for _, record in records("phases")]
    plan.risks = [_typed(Risk, record) for _, record in records("risks")]
    plan.dependencies = [
        _typed(PlanDependency, record, position=read.position(at))
        for at, record in records("dependencies")
    ]
    plan.blockers = [
        _typed(Blocker, record, position=read.position(at)) for at, record in records("blockers")
    ]
    return plan


_Typed = TypeVar("_Typed")


def _typed(cls: type[_Typed], record: Fields, **more: Any) -> _Typed:
    """A typed record from the parts it has a field for (the format may define more)."""
    names = cls.__dataclass_fields__  # type: ignore[attr-defined]
    return cls(**{name: value for name, value in record.items() if name in names}, **more)


def _fallback_title(source: PlanSource) -> str:
    folder, _, name = source.page_uri.rpartition("/")
    stem = name.removesuffix(".md")
    return (folder.rpartition("/")[2] if stem == "index" and folder else stem) or "Untitled plan"


class _Reader:
    """Reads values of the expected shape, keeping numbers as they were written."""

    def __init__(self, document: LoadedDocument | None) -> None:
        self.document = document

    def text(self, value: Any, path: KeyPath) -> str | None:
        if isinstance(value, str):
            return value if value.strip() else None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            written = self.document.scalar_texts.get(path) if self.document else None
            return written or str(value)
        return None

    def texts(self, value: Any, path: KeyPath) -> list[str]:
        return [
            text
            for index, item in enumerate(_list(value))
            if (text := self.text(item, (*path, index))) is not None
        ]

    def text_or_texts(self, value: Any, path: KeyPath) -> list[str]:
        if isinstance(value, list):
            return self.texts(value, path)
        text = self.text(value, path)
        return [text] if text else []

    def entries(self, value: Any, path: KeyPath) -> list[tuple[KeyPath, dict[str, Any]]]:
        return [
            ((*path, index), entry)
            for index, entry in enumerate(_list(value))
            if isinstance(entry, dict)
        ]

    def checklist(self, value: Any, path: KeyPath) -> list[ChecklistItem]:
        items = []
        for index, entry in enumerate(_list(value)):
            if isinstance(entry, dict):
                text = self.text(entry.get("item"), (*path, index, "item"))
                done = entry.get("done") is True
            else:
                text, done = self.text(entry, (*path, index)), False
            if text:
                items.append(ChecklistItem(text, done, self.position((*path, index))))
        return items

    def references(self, value: Any, path: KeyPath) -> list[Reference]:
        values = value if isinstance(value, list) else [value]
        references = []
        for index, item in enumerate(values):
            at = (*path, index) if isinstance(value, list) else path
            if isinstance(item, str) and item.strip():
                references.append(Reference(item.strip(), self.position(at), at))
        return references

    def reference(self, value: Any, path: KeyPath) -> Reference | None:
        if isinstance(value, str) and value.strip():
            return Reference(value.strip(), self.position(path), path)
        return None

    def position(self, path: KeyPath) -> Position:
        return self.document.position_of(path) if self.document else Position(1, 1)

    def value(self, key: Key, value: Any, path: KeyPath) -> Any:
        """`value` read as `key`'s kind says; the kind's empty value when it does not fit."""
        kind = key.kind
        if kind in ("records", "table"):
            return [record for _, record in self.records(key, value, path)]
        if kind == "mapping":
            return self.fields(key, _mapping(value), path)
        if kind in ("list", "steps"):
            return self.texts(value, path)
        if kind == "checklist":
            return self.checklist(value, path)
        if kind == "people":
            return self.text_or_texts(value, path)
        if kind == "references":
            return self.references(value, path)
        if kind == "boolean":
            return value is True
        if kind == "free":
            return value
        read: Any
        if kind == "code":
            read = _code(value)
        elif kind == "reference":
            read = self.reference(value, path)
        elif kind == "date":
            read = _date_text(value)
        elif kind in ("choice", "level"):
            read = value if value in key.schema.get("enum", ()) else None
        elif kind == "number":
            read = None if isinstance(value, str) else self.text(value, path)
        else:  # text, markdown
            read = self.text(value, path)
        return key.default if read is None else read

    def records(self, key: Key | None, value: Any, path: KeyPath) -> list[tuple[KeyPath, Fields]]:
        """The entries of a list of records that have every required part, with their path."""
        if key is None:
            return []
        return [
            (at, record)
            for at, entry in self.entries(value, path)
            if (record := self.fields(key, entry, at, required=key.required)) is not None
        ]

    def fields(
        self,
        key: Key,
        data: dict[str, Any],
        path: KeyPath,
        *,
        required: frozenset[str] = frozenset(),
    ) -> Fields | None:
        """The parts of a mapping; None when it has none, or lacks a required one."""
        # A plan fills a few of the format's hundreds of parts: a part it leaves out is its
        # kind's empty value at once (what `value` reads of None), not read (a fifth of
        # modelling a plan). One pass: this runs for every record of every plan.
        get = data.get
        values = Fields()
        # Whether a part the plan wrote reads as something: defaults alone
        # (`schema_language: sql`) do not make a section the plan fills.
        given = False
        for part in key.parts:
            name = part.name
            raw = get(name)
            if raw is None:
                values[name] = _empty(part)
            else:
                value = values[name] = self.value(part, raw, (*path, name))
                given = given or bool(value)
        if not given or any(not values[name] for name in required):
            return None
        return values


_LIST_KINDS = frozenset({"records", "table", "list", "steps", "checklist", "people", "references"})


def _empty(key: Key) -> Any:
    """What `_Reader.value` reads of a part left out (None): an empty list, no, nothing, or
    the part's default."""
    kind = key.kind
    if kind in _LIST_KINDS:
        return []
    if kind == "boolean":
        return False
    if kind in ("free", "mapping"):
        return None
    return key.default


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _date(value: Any) -> datetime.date | None:
    return parse_date(value) if isinstance(value, str) else None


def _date_text(value: Any) -> str | None:
    parsed = _date(value)
    return parsed.isoformat() if parsed else None


@lru_cache(maxsize=8)
def _high_levels(definition: Definition) -> frozenset[str]:
    impact = definition.key(("risks", "impact"))
    levels = list(impact.schema.get("enum", ())) if impact else []
    folded = [level.casefold() for level in levels]
    top = folded.index("high") + 1 if "high" in folded else 1
    return frozenset(levels[:top])


def _code(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.rstrip("\n")
    return None
