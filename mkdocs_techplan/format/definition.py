"""The plan format as one definition, read from the plan JSON Schema.

`schema/plan.schema.json` is the only place the format is written down. Besides what editors
and validation need, it carries annotations (keywords starting with `x-techplan-`, which JSON
Schema ignores) saying how each key appears on the page:

- `x-techplan-section` on a top-level key: the `##` heading of the page section that shows it
  (consecutive keys with the same heading share one section: `dependencies`, `blockers`);
- `x-techplan-heading` on a key inside a section: the `###` heading it is shown under;
- `x-techplan-label`: what the page calls a key when that is not its name in sentence case
  (`path` → "Endpoint", `focus` → "Focus areas");
- `x-techplan-kind`: how a value is shown, where its shape does not tell (see `Kind`).

Everything else (the sections and their order, each key's kind, its parts, which parts a
record requires, defaults) is read from the schema itself. The model, the `new` scaffold,
the importer and validation all work from a `Definition`; a site's own header fields and
sections become a `Definition` too, built from the shipped schema with keys added
(`Definition.extended`), so there is never a second copy of the format.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Any, Literal, cast

Kind = Literal[
    "text", "people", "date", "reference", "references", "markdown", "code", "number",
    "boolean", "choice", "level", "list", "steps", "checklist", "records", "table", "mapping",
    "free",
]  # fmt: skip
"""How a value is shown:

- `text`: literal text (a number keeps its written form); `markdown`: Markdown; `code`: a
  fenced block, byte for byte; `date`: `YYYY-MM-DD`; `number`, `boolean`;
- `choice`: one of the schema's `enum`; `level`: a risk level (the site's `risk_levels`);
- `people`: a name or a list of names; `reference` / `references`: see the format's References;
- `list`: bullets of text; `steps`: numbered entries; `checklist`: text or `{item, done}`;
- `records`: a list of mappings, each shown on its own (components, metrics);
  `table`: a list of mappings shown as a table, one column per part;
- `mapping`: named parts (a section such as `architecture`, or `testing.unit`);
- `free`: free-form data, not validated or shown (`extra`).
"""

SCHEMA_FILE = "schema/plan.schema.json"
"""The schema inside the package (the README documents the path)."""
_ANNOTATION = "x-techplan-"
_DEFS = "#/$defs/"
# `$defs` whose name is the kind of every key that refers to them.
_KIND_DEFS: frozenset[str] = frozenset(
    {"text", "markdown", "code", "date", "reference", "references", "checklist"}
)


_MARKDOWN_KINDS = frozenset({"markdown", "text", "list", "steps", "checklist"})
"""Kinds whose text is Markdown unless marked plain; code, references, dates, levels and
free data never are."""


@dataclass(frozen=True, eq=False)
class Key:
    """One key of the format, where it sits and how the page shows it."""

    path: tuple[str, ...]
    """Where the key is, from the top of a plan (`("data_model", "schema_changes")`); the
    parts of a record start from the record (`("purpose",)`)."""
    label: str
    """What the page calls it: its `###` heading, its bold label or its column header."""
    kind: Kind
    schema: Mapping[str, Any] = field(repr=False)
    """The key's schema as written (a `$ref` is not followed; `Definition.resolve` does)."""
    heading: str | None = None
    """The `###` heading the key is shown under, if it has one."""
    parts: tuple[Key, ...] = ()
    """The parts of a `mapping`, or of each entry of `records` and `table`."""
    required: frozenset[str] = frozenset()
    """The parts a mapping, or each record, must have."""
    default: Any = None

    # Cached: read hundreds of times per plan while plans are modelled and checked.
    @cached_property
    def name(self) -> str:
        return self.path[-1]

    @property
    def plain(self) -> bool:
        """Text the page shows literally (names, paths, versions), not as Markdown: marked
        `"x-techplan-text": "plain"` in the schema."""
        return self.schema.get(_ANNOTATION + "text") == "plain"

    @property
    def markdown(self) -> bool:
        """Whether the page shows the key's text (or each entry's) as Markdown."""
        return self.kind in _MARKDOWN_KINDS and not self.plain

    def part(self, name: str) -> Key | None:
        """The part called `name`, or None."""
        return next((part for part in self.parts if part.name == name), None)

    def part_for_label(self, label: str) -> Key | None:
        """The part the page labels `label` (heading, bold label or column), any case."""
        wanted = _folded(label)
        return next(
            (part for part in self.parts if wanted in (_folded(part.label), _folded(part.name))),
            None,
        )


@dataclass(frozen=True, eq=False)
class Section:
    """A `##` section of the page and the top-level keys it shows."""

    heading: str
    keys: tuple[Key, ...]

    def key_for_heading(self, heading: str) -> Key | None:
        """The key shown under the `###` heading `heading` in this section, any case:
        a top-level key (`Dependencies`) or a part of the section's mapping (`Schema Changes`).

        A key without `x-techplan-heading` is found by its label: a template may show any key
        under a heading of its own (a site's template adding `### Constraints`)."""
        wanted = _folded(heading)
        candidates = [
            candidate
            for key in self.keys
            for candidate in (key, *(key.parts if key.kind == "mapping" else ()))
        ]
        for candidate in candidates:
            if candidate.heading is not None and _folded(candidate.heading) == wanted:
                return candidate
        return next(
            (
                candidate
                for candidate in candidates
                # a key labelled with the section's heading is the section, not a part of it
                if candidate.heading is None
                and _folded(candidate.label) == wanted != _folded(self.heading)
            ),
            None,
        )


@dataclass(frozen=True, eq=False)
class Definition:
    """The format: header keys and sections in page order, read from one schema.

    Compared by identity, so it can key caches (a validator is built once per definition)."""

    schema: dict[str, Any] = field(repr=False)
    header: tuple[Key, ...]
    """Top-level keys shown in the page's header (or not at all: `extra`), in order."""
    sections: tuple[Section, ...]

    @classmethod
    def from_schema(cls, schema: Mapping[str, Any]) -> Definition:
        """Read the definition of the format from a plan schema with its annotations."""
        reader = _Reader(schema)
        header: list[Key] = []
        sections: list[Section] = []
        for name, node in schema.get("properties", {}).items():
            key = reader.key((name,), node)
            heading = node.get(_ANNOTATION + "section")
            if heading is None:
                header.append(key)
            elif sections and sections[-1].heading == heading:
                sections[-1] = Section(heading, (*sections[-1].keys, key))
            else:
                sections.append(Section(heading, (key,)))
        return cls(dict(schema), tuple(header), tuple(sections))

    @cached_property
    def keys(self) -> tuple[Key, ...]:
        """Every top-level key, in the schema's (and the page's) order."""
        return (*self.header, *(key for section in self.sections for key in section.keys))

    @cached_property
    def _by_name(self) -> dict[str, Key]:
        found: dict[str, Key] = {}
        for key in self.keys:
            found.setdefault(key.name, key)  # the first, as a search in order finds it
        return found

    def key(self, path: tuple[str, ...] | str) -> Key | None:
        """The key at `path` (`"architecture"`, `("architecture", "overview")`), or None."""
        names = (path,) if isinstance(path, str) else path
        found = self._by_name.get(names[0])
        for name in names[1:]:
            found = found.part(name) if found else None
        return found

    def section_for_heading(self, heading: str) -> Section | None:
        """The section whose `##` heading is `heading`, compared case-insensitively."""
        wanted = _folded(heading)
        return next((s for s in self.sections if _folded(s.heading) == wanted), None)

    def header_key_for_label(self, label: str) -> Key | None:
        """The header key whose line is labelled `label` (`Author` → `author`), any case."""
        wanted = _folded(label)
        return next(
            (key for key in self.header if wanted in (_folded(key.label), _folded(key.name))),
            None,
        )

    def resolve(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        """`node` with its local `$ref` followed (annotations beside the `$ref` are lost)."""
        return _Reader(self.schema).resolve(node)

    def extended(
        self, additions: Mapping[str, Mapping[str, Any]], *, after: Mapping[str, str]
    ) -> Definition:
        """A definition with top-level keys added, for a site's own fields and sections.

        `additions`: each new key's schema (with its `x-techplan-` annotations); `after`: the
        key each new one follows (`"header"` puts it before the first section). The result's
        schema is what validation, editors (`mkdocs-techplan schema -f`), `new` and `import`
        then use; the shipped schema is left as it is."""
        clashes = sorted(set(additions) & set(self.schema.get("properties", {})))
        if clashes:
            raise ValueError(f"keys already in the format: {', '.join(clashes)}")
        schema = copy.deepcopy(dict(self.schema))
        order: list[tuple[str, Any]] = list(schema["properties"].items())
        first_section = next(
            (i for i, (_, node) in enumerate(order) if _ANNOTATION + "section" in node),
            len(order),
        )
        # For each anchor, the addition placed after it last: several keep their order.
        last_after: dict[str, str] = {}
        pending = dict(additions)
        while pending:
            placeable = [
                name
                for name in pending
                if after.get(name, "header") == "header" or after[name] in dict(order)
            ]
            if not placeable:
                raise ValueError("unknown `after` (or a cycle) for: " + ", ".join(pending))
            for name in placeable:
                anchor = after.get(name, "header")
                if anchor == "header" and anchor not in last_after:
                    index = first_section
                else:
                    names = [key for key, _ in order]
                    index = names.index(last_after.get(anchor, anchor)) + 1
                    section = (
                        dict(order)[anchor].get(_ANNOTATION + "section")
                        if anchor != "header"
                        else None
                    )
                    # after a key is after the rest of its page section (`dependencies`
                    # shares one with `blockers`)
                    while (
                        section is not None
                        and index < len(order)
                        and order[index][1].get(_ANNOTATION + "section") == section
                    ):
                        index += 1
                order.insert(index, (name, dict(pending.pop(name))))
                last_after[anchor] = name
        schema["properties"] = dict(order)
        return Definition.from_schema(schema)


def load_schema() -> dict[str, Any]:
    """The plan JSON Schema shipped in the package, read from its file."""
    text = resources.files("mkdocs_techplan").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return cast(dict[str, Any], json.loads(text))


@cache
def default_definition() -> Definition:
    """The format as the package ships it (read once per process)."""
    return Definition.from_schema(load_schema())


class _Reader:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root

    def resolve(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        seen = 0
        while isinstance(node.get("$ref"), str) and node["$ref"].startswith(_DEFS) and seen < 32:
            node = self.root.get("$defs", {})[node["$ref"].removeprefix(_DEFS)]
            seen += 1
        return node

    def key(self, path: tuple[str, ...], node: Mapping[str, Any]) -> Key:
        target = self.resolve(node)
        kind = self.kind(node, target)
        holder = target
        if kind in ("records", "table"):
            holder = self.resolve(target.get("items", {}))
        parts: tuple[Key, ...] = ()
        required: frozenset[str] = frozenset()
        if kind in ("mapping", "records", "table"):
            prefix = path if kind == "mapping" else ()
            parts = tuple(
                self.key((*prefix, name), part)
                for name, part in holder.get("properties", {}).items()
            )
            required = frozenset(holder.get("required", ()))
        heading = node.get(_ANNOTATION + "heading")
        label = (
            node.get(_ANNOTATION + "label")
            or heading
            or node.get(_ANNOTATION + "section")
            or sentence_case(path[-1])
        )
        default = node.get("default", target.get("default"))
        return Key(path, label, kind, node, heading, parts, required, default)

    def kind(self, node: Mapping[str, Any], target: Mapping[str, Any]) -> Kind:
        written = node.get(_ANNOTATION + "kind")
        if written is not None:
            return cast(Kind, written)
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.removeprefix(_DEFS) in _KIND_DEFS:
            return cast(Kind, ref.removeprefix(_DEFS))
        if "enum" in target:
            return "choice"
        types = target.get("type")
        if types == "array":
            is_records = self.resolve(target.get("items", {})).get("type") == "object"
            return "records" if is_records else "list"
        if types == "object":
            return "mapping" if "properties" in target else "free"
        if types in ("number", "integer"):
            return "number"
        return "boolean" if types == "boolean" else "text"


def sentence_case(name: str) -> str:
    """`query_optimization` → `Query optimization`."""
    words = name.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def _folded(text: str) -> str:
    """Headings and labels compared loosely: `Monitoring and observability` finds its section."""
    return " ".join(text.replace("&", " and ").split()).casefold()


def walk(keys: tuple[Key, ...]) -> Iterator[Key]:
    """Every key of `keys` and, depth first, all their parts."""
    for key in keys:
        yield key
        yield from walk(key.parts)
