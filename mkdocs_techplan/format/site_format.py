"""A site's own header fields, sections and risk levels, as a `Definition` of the format.

The plugin options `fields`, `sections`, `preset` and `risk_levels` (in `mkdocs.yml`) describe
keys the shipped template does not have. They become JSON Schema nodes with the same
`x-techplan-` annotations the shipped keys carry, added to the shipped schema by
`Definition.extended`: validation, the model, the page, `new`, `import` and the editor schema
then treat them exactly like built-in keys, with no second copy of the format.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from mkdocs_techplan.format.definition import Definition, default_definition, sentence_case
from mkdocs_techplan.format.presets import PRESETS
from mkdocs_techplan.format.suggestions import did_you_mean

FIELD_TYPES: dict[str, dict[str, Any]] = {
    "people": {
        "anyOf": [
            {"$ref": "#/$defs/text"},
            {"type": "array", "items": {"$ref": "#/$defs/text"}, "minItems": 1},
        ],
        "x-techplan-kind": "people",
    },
    "text": {"$ref": "#/$defs/markdown"},  # one line, inline Markdown
    "date": {"$ref": "#/$defs/date"},
    "reference": {"$ref": "#/$defs/reference"},
    "boolean": {"type": "boolean", "x-techplan-kind": "boolean"},
    # Named values (kep.yaml's `milestone: {alpha: v1.29, beta: v1.30}`), and any YAML value
    # (`feature-gates`, a list of mappings): shown as written, never read by the plugin.
    "mapping": {"type": "object", "x-techplan-kind": "free"},
    "data": {"x-techplan-kind": "free"},
}
"""Schema of each type of header field: a name or names, inline Markdown, a date, a reference,
yes or no, named values, or any value."""

SECTION_TYPES: dict[str, dict[str, Any]] = {
    "markdown": {"$ref": "#/$defs/markdown"},
    "list": {"type": "array", "items": {"$ref": "#/$defs/markdown"}, "x-techplan-kind": "list"},
    "steps": {"type": "array", "items": {"$ref": "#/$defs/markdown"}, "x-techplan-kind": "steps"},
    "checklist": {"$ref": "#/$defs/checklist"},
    "table": {"type": "array", "x-techplan-kind": "table"},  # items: from `columns`
}
"""Schema of each type of section (a table's rows are added from its `columns`)."""

_FIELD_HELP = {
    "people": "a name, or a list of names (shown comma-separated).",
    "text": "one line of text (inline Markdown).",
    "date": "a date, YYYY-MM-DD.",
    "reference": "a page path relative to this file, an https:// URL or a spec id.",
    "boolean": "true or false.",
    "mapping": "named values, shown as `name: value` pairs.",
    "data": "any value (text, a list, a mapping), shown as written.",
}
_FIELD_EXAMPLES: dict[str, Any] = {
    "people": ["Ada Lovelace", "Grace Hopper"],
    "text": "…",
    "date": "2026-01-31",
    "reference": "https://example.com/issues/1",
    "boolean": True,
    "mapping": {"alpha": "v1.29", "beta": "v1.30"},
    "data": ["…"],
}
_SECTION_HELP = {
    "markdown": "Markdown (paragraphs, lists, code).",
    "list": "a list, shown as bullets.",
    "steps": "steps in order, shown numbered.",
    "checklist": "entries that are text (not done) or {item: …, done: true}.",
    "table": "rows, each a mapping of the table's columns.",
}
_SECTION_EXAMPLES: dict[str, Any] = {
    "markdown": "…\n",
    "list": ["…", "…"],
    "steps": ["First step", "Second step"],
    "checklist": ["Still to do", {"item": "Done", "done": True}],
}

DEFAULT_RISK_LEVELS = ("High", "Medium", "Low")
HEADER = "header"
"""The `after` that puts a section first, right below the header."""
DEFAULT_AFTER = "open_questions"
"""Where a section without `after` goes: at the end of the plan, before its revision history."""

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_FIELD_OPTIONS = ("label", "type")
_SECTION_OPTIONS = ("title", "type", "after", "columns", "labels")


class SiteFormatError(ValueError):
    """A site's `fields`, `sections`, `preset` or `risk_levels` cannot be used."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option
        """The plugin option at fault (`sections`), for MkDocs' message."""


def site_definition(
    *,
    fields: Mapping[str, Any] | None = None,
    sections: Mapping[str, Any] | None = None,
    preset: str | None = None,
    risk_levels: Sequence[str] | None = None,
) -> Definition:
    """The format of a site: the shipped one with the preset's and the site's own keys.

    The same options give the same `Definition` object (it keys the validator cache), and no
    options give the shipped definition itself. Raises `SiteFormatError` naming the option."""
    fields, sections = _with_preset(preset, fields or {}, sections or {})
    levels = list(risk_levels) if risk_levels else list(DEFAULT_RISK_LEVELS)
    if not fields and not sections and tuple(levels) == DEFAULT_RISK_LEVELS:
        return default_definition()
    written = json.dumps([fields, sections, levels], default=str)
    return _definition(written)


def risk_levels_of(definition: Definition) -> tuple[str, ...]:
    """The risk levels a definition allows, highest first."""
    impact = definition.key(("risks", "impact"))
    return tuple(impact.schema.get("enum", ())) if impact else DEFAULT_RISK_LEVELS


def site_keys(definition: Definition) -> frozenset[str]:
    """The top-level keys a site added to the shipped format."""
    shipped = default_definition().schema["properties"]
    return frozenset(key.name for key in definition.keys if key.name not in shipped)


@lru_cache(maxsize=16)
def _definition(written: str) -> Definition:
    fields, sections, levels = json.loads(written)
    levels = _levels(levels)
    base = default_definition()
    if tuple(levels) != DEFAULT_RISK_LEVELS:
        schema = copy.deepcopy(base.schema)
        _set_levels(schema, levels)
        base = Definition.from_schema(schema)
    additions: dict[str, dict[str, Any]] = {}
    after: dict[str, str] = {}
    built_in = list(base.schema["properties"])
    for name, options in _entries("fields", fields, _FIELD_OPTIONS, built_in):
        additions[name] = _field_schema(name, options)
    previous = "specification"
    for name in additions:  # header lines after Specification, in the order written
        after[name] = previous
        previous = name
    sections_seen = list(sections)
    anchors = [HEADER, *(key.name for s in base.sections for key in s.keys), *sections_seen]
    for name, options in _entries("sections", sections, _SECTION_OPTIONS, built_in):
        if name in additions:
            raise SiteFormatError(
                "sections", f"`sections.{name}` has the name of a field; give one of them another"
            )
        additions[name] = _section_schema(name, options)
        anchor = str(options.get("after", DEFAULT_AFTER))
        if anchor not in anchors or anchor == name:
            raise SiteFormatError(
                "sections",
                f"`sections.{name}.after` is `{anchor}`, which is not `header`, a section of "
                f"the template or another site section{did_you_mean(anchor, anchors)}",
            )
        after[name] = anchor
    _check_cycles({name: after[name] for name in sections})
    try:
        return base.extended(additions, after=after)
    except ValueError as error:  # not expected after the checks above, but say where
        raise SiteFormatError("sections", str(error)) from None


def _levels(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(level, str) for level in value):
        raise SiteFormatError("risk_levels", "`risk_levels` is a list of names, highest first")
    levels = [level.strip() for level in value]
    folded = [level.casefold() for level in levels]
    if len(levels) < 2 or not all(levels) or len(set(folded)) != len(folded):
        raise SiteFormatError(
            "risk_levels",
            "`risk_levels` needs two or more different names, highest first, such as "
            "`[Critical, High, Medium, Low]`",
        )
    return levels


def _set_levels(schema: dict[str, Any], levels: list[str]) -> None:
    """Every risk level of the schema becomes one of `levels`."""
    described = ", ".join(levels[:-1]) + f" or {levels[-1]}"
    risks = schema["properties"]["risks"]
    for node in risks["items"]["properties"].values():
        if node.get("x-techplan-kind") == "level":
            node["enum"] = list(levels)
            node["description"] = f"{described}."
            node.pop("markdownDescription", None)
    risks["x-techplan-guidance"] = f"impact and probability are {described}."
    risks["markdownDescription"] = (
        f"**Risk Assessment** table. `impact` and `probability` are {described}."
    )
    for example in risks.get("examples", []):
        for entry in example:
            entry.update(impact=levels[0], probability=levels[-1])


def _entries(
    option: str, value: Any, allowed: tuple[str, ...], built_in: list[str]
) -> list[tuple[str, dict[str, Any]]]:
    if not isinstance(value, Mapping):
        raise SiteFormatError(option, f"`{option}` is a mapping of key names to their options")
    entries = []
    for name, options in value.items():
        where = f"`{option}.{name}`"
        if not isinstance(name, str) or not _NAME.match(name):
            raise SiteFormatError(
                option,
                f"{where}: a key name is lower case letters, digits and `_`, starting with a "
                "letter (`tracking_issue`)",
            )
        if name in built_in:
            raise SiteFormatError(
                option, f"{where} is already a key of the template; choose another name"
            )
        options = {} if options is None else options
        if not isinstance(options, Mapping):
            raise SiteFormatError(
                option, f"{where} is a mapping such as `{{{allowed[0]}: …, type: …}}`"
            )
        for unknown in [key for key in options if key not in allowed]:
            raise SiteFormatError(
                option,
                f"{where} has the option `{unknown}`, which does not exist ("
                + ", ".join(f"`{key}`" for key in allowed)
                + ")"
                + did_you_mean(str(unknown), list(allowed)),
            )
        entries.append((name, dict(options)))
    return entries


def _field_schema(name: str, options: dict[str, Any]) -> dict[str, Any]:
    kind, node = _typed_schema("fields", name, options, "text", "label", FIELD_TYPES, _FIELD_HELP)
    node["x-techplan-label"] = node.pop("x-title")
    node["examples"] = [_FIELD_EXAMPLES[kind]]
    return node


def _typed_schema(
    option: str,
    name: str,
    options: dict[str, Any],
    default_type: str,
    title_key: str,
    types: dict[str, dict[str, Any]],
    help_texts: dict[str, str],
) -> tuple[str, dict[str, Any]]:
    """A site key's type and its schema node, described by its title (`x-title`)."""
    kind = _choice(option, name, options.get("type", default_type), types)
    title = _text(option, name, title_key, options.get(title_key), sentence_case(name))
    node = copy.deepcopy(types[kind])
    node["x-title"] = title
    node["description"] = f"{title}: {help_texts[kind]}"
    node["x-techplan-guidance"] = f"{title} ({kind}): {help_texts[kind]}"
    return kind, node


def _section_schema(name: str, options: dict[str, Any]) -> dict[str, Any]:
    kind, node = _typed_schema(
        "sections", name, options, "markdown", "title", SECTION_TYPES, _SECTION_HELP
    )
    node["x-techplan-section"] = node.pop("x-title")
    if kind != "table":
        node["examples"] = [_SECTION_EXAMPLES[kind]]
    columns, labels = options.get("columns"), options.get("labels")
    if kind != "table":
        for extra, given in (("columns", columns), ("labels", labels)):
            if given is not None:
                raise SiteFormatError(
                    "sections", f"`sections.{name}.{extra}` is only for `type: table`"
                )
        return node
    if (
        not isinstance(columns, list)
        or not columns
        or not all(isinstance(column, str) and _NAME.match(column) for column in columns)
        or len(set(columns)) != len(columns)
    ):
        raise SiteFormatError(
            "sections",
            f"`sections.{name}` is a table: give its `columns`, a list of different key names "
            "such as `[objective, target, window]`",
        )
    labels = {} if labels is None else labels
    if not isinstance(labels, Mapping):
        raise SiteFormatError("sections", f"`sections.{name}.labels` maps columns to headers")
    for column in labels:
        if column not in columns:
            raise SiteFormatError(
                "sections",
                f"`sections.{name}.labels` names `{column}`, which is not one of its columns"
                f"{did_you_mean(str(column), columns)}",
            )
    node["items"] = {
        "type": "object",
        "properties": {
            column: {
                "$ref": "#/$defs/markdown",
                "x-techplan-label": _text(
                    "sections", name, f"labels.{column}", labels.get(column), column_title(column)
                ),
            }
            for column in columns
        },
        "patternProperties": {"^x-": {}},
        "additionalProperties": False,
        "minProperties": 1,
    }
    node["examples"] = [[{column: "…" for column in columns}]]
    return node


def _choice(option: str, name: str, value: Any, choices: Mapping[str, Any]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise SiteFormatError(
            option,
            f"`{option}.{name}.type` is `{value}`, which is not a type ("
            + ", ".join(f"`{choice}`" for choice in choices)
            + ")"
            + did_you_mean(str(value), list(choices), cutoff=0.5),
        )
    return str(value)


def _text(option: str, name: str, part: str, value: Any, default: str) -> str:
    if value is None:
        return default
    if not isinstance(value, str) or not value.strip() or "\n" in value:
        raise SiteFormatError(option, f"`{option}.{name}.{part}` is one line of text")
    return value.strip()


def _check_cycles(after: Mapping[str, str]) -> None:
    for start in after:
        chain = [start]
        while after.get(chain[-1]) in after:
            chain.append(after[chain[-1]])
            if chain[-1] in chain[:-1]:
                loop = chain[chain.index(chain[-1]) :]
                raise SiteFormatError(
                    "sections",
                    "`sections` place each other in a circle ("
                    + " → ".join(f"`{name}`" for name in loop)
                    + "); make one of them follow `header` or a section of the template",
                )


def _with_preset(
    preset: str | None, fields: Mapping[str, Any], sections: Mapping[str, Any]
) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """The preset's fields and sections, then the site's: a key the site names again takes the
    site's options (a site can retitle or move a preset's section)."""
    if preset is None:
        return fields, sections
    if preset not in PRESETS:
        raise SiteFormatError(
            "preset",
            f"`preset` is `{preset}`, which is not a preset ("
            + ", ".join(f"`{name}`" for name in PRESETS)
            + ")"
            + did_you_mean(str(preset), list(PRESETS)),
        )
    chosen = PRESETS[preset]
    if not isinstance(fields, Mapping) or not isinstance(sections, Mapping):
        return fields, sections  # reported by `_entries`
    return {**chosen.fields, **fields}, {**chosen.sections, **sections}


def column_title(name: str) -> str:
    """A table column's header when `labels` gives none: `error_budget` → `Error Budget`."""
    return " ".join(word[:1].upper() + word[1:] for word in name.split("_") if word)
