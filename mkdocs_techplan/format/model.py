"""Typed plan objects: what templates receive, built from loaded (and checked) YAML data.

The builder is forgiving on purpose: validation has already reported every problem, so a value
of the wrong shape is simply left out and the rest of the plan still renders.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from mkdocs_techplan.format.dates import parse_date
from mkdocs_techplan.format.loading import KeyPath, LoadedDocument
from mkdocs_techplan.format.problems import START, Position, Problem


@dataclass(frozen=True, slots=True)
class Reference:
    """A reference as the author wrote it (a page path, a URL or a spec id) and where."""

    text: str
    position: Position
    key_path: KeyPath


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    text: str
    done: bool
    position: Position = field(default=START, compare=False)


@dataclass(frozen=True, slots=True)
class NamedText:
    """`name: text` entries: component dependencies (text = reason), metrics (description)."""

    name: str
    text: str | None


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    purpose: str | None
    responsibilities: list[str]
    interfaces: str | None
    interfaces_language: str
    dependencies: list[NamedText]


@dataclass(frozen=True, slots=True)
class Architecture:
    overview: str | None
    diagram: str | None
    mermaid: str | None


@dataclass(frozen=True, slots=True)
class Migration:
    file: str
    description: str | None


@dataclass(frozen=True, slots=True)
class DataModel:
    schema_changes: str | None
    migrations: list[Migration]


@dataclass(frozen=True, slots=True)
class Endpoint:
    method: str
    path: str
    purpose: str | None


@dataclass(frozen=True, slots=True)
class Api:
    endpoints: list[Endpoint]
    schemas: Reference | None


@dataclass(frozen=True, slots=True)
class Phase:
    name: str
    duration: str | None
    tasks: list[str]


@dataclass(frozen=True, slots=True)
class UnitTests:
    coverage_target: str | None
    """The percentage as written (`80`, `82.5`)."""
    focus: list[str]


@dataclass(frozen=True, slots=True)
class PerformanceTests:
    load: str | None
    stress: str | None


@dataclass(frozen=True, slots=True)
class Testing:
    unit: UnitTests | None
    integration: list[str]
    e2e: list[str]
    performance: PerformanceTests | None


@dataclass(frozen=True, slots=True)
class Security:
    authentication: str | None
    authorization: str | None
    data_protection: list[ChecklistItem]
    input_validation: list[ChecklistItem]


@dataclass(frozen=True, slots=True)
class DatabaseOptimization:
    indexes: str | None
    query_optimization: str | None


@dataclass(frozen=True, slots=True)
class Performance:
    caching: str | None
    database: DatabaseOptimization | None
    scalability: str | None


@dataclass(frozen=True, slots=True)
class Logging:
    level: str | None
    structured: bool


@dataclass(frozen=True, slots=True)
class Alert:
    condition: str
    action: str | None


@dataclass(frozen=True, slots=True)
class Monitoring:
    metrics: list[NamedText]
    logging: Logging | None
    alerts: list[Alert]


@dataclass(frozen=True, slots=True)
class Risk:
    risk: str
    impact: str | None
    probability: str | None
    mitigation: str | None


@dataclass(frozen=True, slots=True)
class PlanDependency:
    name: str
    status: str | None
    done: bool
    position: Position = field(default=START, compare=False)


@dataclass(frozen=True, slots=True)
class Blocker:
    blocker: str
    resolution: str | None
    position: Position = field(default=START, compare=False)


@dataclass(frozen=True, slots=True)
class Revision:
    version: str
    date: str | None
    author: str | None
    changes: str | None


@dataclass(frozen=True, slots=True)
class PlanSource:
    """Where a plan comes from and which page it becomes."""

    src_uri: str
    """The YAML file, relative to `docs_dir` (`plans/auth/plan.yaml`)."""
    page_uri: str
    """The page it becomes, relative to `docs_dir` (`plans/auth/index.md`)."""
    display_path: str
    """The YAML file as named in messages (relative to the working directory when possible)."""


@dataclass(slots=True)
class Plan:
    """One technical plan, every section optional except the title and status."""

    source: PlanSource
    title: str
    status: str | None
    """The status in the site's configured spelling; None when the plan's status is invalid."""
    version: str | None = None
    authors: list[str] = field(default_factory=list)
    date: datetime.date | None = None
    specification: list[Reference] = field(default_factory=list)
    summary: str | None = None
    tags: list[str] = field(default_factory=list)
    supersedes: list[Reference] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    architecture: Architecture | None = None
    components: list[Component] = field(default_factory=list)
    data_model: DataModel | None = None
    api: Api | None = None
    phases: list[Phase] = field(default_factory=list)
    testing: Testing | None = None
    security: Security | None = None
    performance: Performance | None = None
    monitoring: Monitoring | None = None
    risks: list[Risk] = field(default_factory=list)
    dependencies: list[PlanDependency] = field(default_factory=list)
    blockers: list[Blocker] = field(default_factory=list)
    rollback: list[str] = field(default_factory=list)
    open_questions: list[ChecklistItem] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Problems found while loading and checking the plan; shown on its page."""
    status_position: Position = START
    """Where the status is written: rules that depend on the status report there."""

    @property
    def open_question_count(self) -> int:
        """Open questions not yet resolved."""
        return sum(not question.done for question in self.open_questions)

    @property
    def high_risk_count(self) -> int:
        return sum(risk.impact == "High" for risk in self.risks)

    @property
    def checklist_items(self) -> list[bool]:
        """Whether each checklist entry of the plan is done, across every checklist."""
        done = [item.done for item in self.open_questions]
        if self.security:
            done += [item.done for item in self.security.data_protection]
            done += [item.done for item in self.security.input_validation]
        done += [dependency.done for dependency in self.dependencies]
        return done


def build_plan(
    document: LoadedDocument | None,
    source: PlanSource,
    status: str | None,
    problems: list[Problem],
) -> Plan:
    """Turn loaded data into a `Plan`, leaving out whatever has the wrong shape."""
    data = document.data if document and isinstance(document.data, dict) else {}
    read = _Reader(document)
    title = read.text(data.get("title"), ("title",)) or _fallback_title(source)
    plan = Plan(source=source, title=title, status=status, problems=problems)
    plan.status_position = read.position(("status",))
    plan.version = read.text(data.get("version"), ("version",))
    plan.authors = read.text_or_texts(data.get("author"), ("author",))
    plan.date = _date(data.get("date"))
    plan.specification = read.references(data.get("specification"), ("specification",))
    plan.summary = read.text(data.get("summary"), ("summary",))
    plan.tags = read.texts(data.get("tags"), ("tags",))
    plan.supersedes = read.references(data.get("supersedes"), ("supersedes",))
    plan.extra = _mapping(data.get("extra"))
    plan.architecture = _architecture(read, _mapping(data.get("architecture")))
    plan.components = [
        component
        for index, entry in enumerate(_list(data.get("components")))
        if (component := _component(read, entry, ("components", index)))
    ]
    plan.data_model = _data_model(read, _mapping(data.get("data_model")))
    plan.api = _api(read, _mapping(data.get("api")))
    plan.phases = [
        Phase(
            name,
            read.text(entry.get("duration"), (*at, "duration")),
            read.texts(entry.get("tasks"), (*at, "tasks")),
        )
        for at, entry in read.entries(data.get("phases"), ("phases",))
        if (name := read.text(entry.get("name"), (*at, "name")))
    ]
    plan.testing = _testing(read, _mapping(data.get("testing")))
    plan.security = _security(read, _mapping(data.get("security")))
    plan.performance = _performance(read, _mapping(data.get("performance")))
    plan.monitoring = _monitoring(read, _mapping(data.get("monitoring")))
    plan.risks = [
        Risk(
            risk,
            _level(entry.get("impact")),
            _level(entry.get("probability")),
            read.text(entry.get("mitigation"), (*at, "mitigation")),
        )
        for at, entry in read.entries(data.get("risks"), ("risks",))
        if (risk := read.text(entry.get("risk"), (*at, "risk")))
    ]
    plan.dependencies = [
        PlanDependency(
            name,
            read.text(entry.get("status"), (*at, "status")),
            entry.get("done") is True,
            read.position(at),
        )
        for at, entry in read.entries(data.get("dependencies"), ("dependencies",))
        if (name := read.text(entry.get("name"), (*at, "name")))
    ]
    plan.blockers = [
        Blocker(blocker, read.text(entry.get("resolution"), (*at, "resolution")), read.position(at))
        for at, entry in read.entries(data.get("blockers"), ("blockers",))
        if (blocker := read.text(entry.get("blocker"), (*at, "blocker")))
    ]
    plan.rollback = read.texts(data.get("rollback"), ("rollback",))
    plan.open_questions = read.checklist(data.get("open_questions"), ("open_questions",))
    plan.revisions = [
        Revision(
            version,
            _date_text(entry.get("date")),
            read.text(entry.get("author"), (*at, "author")),
            read.text(entry.get("changes"), (*at, "changes")),
        )
        for at, entry in read.entries(data.get("revisions"), ("revisions",))
        if (version := read.text(entry.get("version"), (*at, "version")))
    ]
    return plan


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


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _date(value: Any) -> datetime.date | None:
    return parse_date(value) if isinstance(value, str) else None


def _date_text(value: Any) -> str | None:
    parsed = _date(value)
    return parsed.isoformat() if parsed else None


def _level(value: Any) -> str | None:
    return value if value in ("High", "Medium", "Low") else None


def _architecture(read: _Reader, data: dict[str, Any]) -> Architecture | None:
    at = ("architecture",)
    section = Architecture(
        read.text(data.get("overview"), (*at, "overview")),
        _code(data.get("diagram")),
        _code(data.get("mermaid")),
    )
    return section if any((section.overview, section.diagram, section.mermaid)) else None


def _code(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.rstrip("\n")
    return None


def _component(read: _Reader, entry: Any, at: KeyPath) -> Component | None:
    if not isinstance(entry, dict):
        return None
    name = read.text(entry.get("name"), (*at, "name"))
    if not name:
        return None
    language = entry.get("interfaces_language")
    return Component(
        name=name,
        purpose=read.text(entry.get("purpose"), (*at, "purpose")),
        responsibilities=read.texts(entry.get("responsibilities"), (*at, "responsibilities")),
        interfaces=_code(entry.get("interfaces")),
        interfaces_language=language if isinstance(language, str) and language else "typescript",
        dependencies=[
            NamedText(name, read.text(dep.get("reason"), (*dep_at, "reason")))
            for dep_at, dep in read.entries(entry.get("dependencies"), (*at, "dependencies"))
            if (name := read.text(dep.get("name"), (*dep_at, "name")))
        ],
    )


def _data_model(read: _Reader, data: dict[str, Any]) -> DataModel | None:
    at = ("data_model",)
    migrations = [
        Migration(file, read.text(entry.get("description"), (*path, "description")))
        for path, entry in read.entries(data.get("migrations"), (*at, "migrations"))
        if (file := read.text(entry.get("file"), (*path, "file")))
    ]
    schema_changes = _code(data.get("schema_changes"))
    return DataModel(schema_changes, migrations) if schema_changes or migrations else None


def _api(read: _Reader, data: dict[str, Any]) -> Api | None:
    at = ("api",)
    endpoints = [
        Endpoint(method, path, read.text(entry.get("purpose"), (*where, "purpose")))
        for where, entry in read.entries(data.get("endpoints"), (*at, "endpoints"))
        if (method := read.text(entry.get("method"), (*where, "method")))
        and (path := read.text(entry.get("path"), (*where, "path")))
    ]
    schemas = read.reference(data.get("schemas"), (*at, "schemas"))
    return Api(endpoints, schemas) if endpoints or schemas else None


def _testing(read: _Reader, data: dict[str, Any]) -> Testing | None:
    at = ("testing",)
    unit_data = _mapping(data.get("unit"))
    target = unit_data.get("coverage_target")
    unit = UnitTests(
        read.text(target, (*at, "unit", "coverage_target"))
        if not isinstance(target, str)
        else None,
        read.texts(unit_data.get("focus"), (*at, "unit", "focus")),
    )
    performance_data = _mapping(data.get("performance"))
    performance = PerformanceTests(
        read.text(performance_data.get("load"), (*at, "performance", "load")),
        read.text(performance_data.get("stress"), (*at, "performance", "stress")),
    )
    section = Testing(
        unit if unit.coverage_target or unit.focus else None,
        read.texts(data.get("integration"), (*at, "integration")),
        read.texts(data.get("e2e"), (*at, "e2e")),
        performance if performance.load or performance.stress else None,
    )
    return (
        section
        if any((section.unit, section.integration, section.e2e, section.performance))
        else None
    )


def _security(read: _Reader, data: dict[str, Any]) -> Security | None:
    at = ("security",)
    section = Security(
        read.text(data.get("authentication"), (*at, "authentication")),
        read.text(data.get("authorization"), (*at, "authorization")),
        read.checklist(data.get("data_protection"), (*at, "data_protection")),
        read.checklist(data.get("input_validation"), (*at, "input_validation")),
    )
    parts = (
        section.authentication,
        section.authorization,
        section.data_protection,
        section.input_validation,
    )
    return section if any(parts) else None


def _performance(read: _Reader, data: dict[str, Any]) -> Performance | None:
    at = ("performance",)
    database_data = _mapping(data.get("database"))
    database = DatabaseOptimization(
        read.text(database_data.get("indexes"), (*at, "database", "indexes")),
        read.text(database_data.get("query_optimization"), (*at, "database", "query_optimization")),
    )
    section = Performance(
        read.text(data.get("caching"), (*at, "caching")),
        database if database.indexes or database.query_optimization else None,
        read.text(data.get("scalability"), (*at, "scalability")),
    )
    return section if any((section.caching, section.database, section.scalability)) else None


def _monitoring(read: _Reader, data: dict[str, Any]) -> Monitoring | None:
    at = ("monitoring",)
    logging_data = _mapping(data.get("logging"))
    logging = Logging(
        read.text(logging_data.get("level"), (*at, "logging", "level")),
        logging_data.get("structured") is True,
    )
    section = Monitoring(
        metrics=[
            NamedText(name, read.text(entry.get("description"), (*where, "description")))
            for where, entry in read.entries(data.get("metrics"), (*at, "metrics"))
            if (name := read.text(entry.get("name"), (*where, "name")))
        ],
        logging=logging if logging.level or logging.structured else None,
        alerts=[
            Alert(condition, read.text(entry.get("action"), (*where, "action")))
            for where, entry in read.entries(data.get("alerts"), (*at, "alerts"))
            if (condition := read.text(entry.get("condition"), (*where, "condition")))
        ],
    )
    return section if any((section.metrics, section.logging, section.alerts)) else None
