"""Check plan data against the plan JSON Schema and explain each problem to its author.

jsonschema-rs (a compiled draft 2020-12 validator) answers "valid or not" in microseconds,
and for the few plans that are not, reports each failed keyword with where it is in the plan
and in the schema; the messages below turn those into advice for the author.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from mkdocs_techplan.format.dates import parse_date
from mkdocs_techplan.format.definition import Definition, Key, default_definition
from mkdocs_techplan.format.loading import KeyPath, LoadedDocument
from mkdocs_techplan.format.problems import MAX_PER_FILE, Position, format_key_path
from mkdocs_techplan.format.statuses import match_status
from mkdocs_techplan.format.suggestions import did_you_mean

if TYPE_CHECKING:
    import jsonschema_rs

_EXTENSION_PREFIX = "x-"
_NUMBER_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def plan_schema() -> dict[str, Any]:
    """The plan JSON Schema shipped in the package: the one definition of the format."""
    return default_definition().schema


FORMATS = ["date"]
"""The formats validation checks (JSON Schema treats the others as annotations)."""


def is_date(text: str) -> bool:
    """The `date` format: a `YYYY-MM-DD` day of the calendar (`format/dates.py`)."""
    return parse_date(text) is not None


@lru_cache(maxsize=8)
def validator(definition: Definition) -> jsonschema_rs.Validator:
    """The compiled validator of a definition's schema, built once per definition: compiling
    costs far more than checking a plan.

    Imported here, not with the module: a build of many plans parses them in forked
    processes, and the build's own process, which never validates, does not hold the
    library (3.4 MiB)."""
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(
        definition.schema, formats={"date": is_date}, validate_formats=True
    )


def validate_document(
    document: LoadedDocument, statuses: Sequence[str], definition: Definition | None = None
) -> list[tuple[Position, str]]:
    """Every problem in the plan's data, as (position, message) sorted by position."""
    definition = definition or default_definition()
    _spell_levels(document.data, definition)
    found: list[tuple[Position, str]] = []
    check = validator(definition)
    if not check.is_valid(document.data):
        explainer = _Explainer(document, definition.schema)
        for error in check.iter_errors(document.data):
            for failure in explainer.failures(error):
                found.extend(explainer.explain(failure))
    found.extend(_check_status(document, statuses))
    return sorted(set(found))


def _spell_levels(value: Any, definition: Definition) -> None:
    """Write risk levels as the format spells them (`high` → `High`), in place: they are
    compared case-insensitively, as statuses are. Only the paths that hold levels are
    visited (walking every value cost as much as validating the plan)."""
    for names, choices in _level_paths(definition).items():
        _spell_at(value, names, choices)


@lru_cache(maxsize=8)
def _level_paths(definition: Definition) -> dict[tuple[str, ...], dict[str, str]]:
    """Each key of kind `level`, by its names from the top, with its choices by case-folded
    spelling."""
    found: dict[tuple[str, ...], dict[str, str]] = {}

    def visit(keys: Iterable[Key], path: tuple[str, ...]) -> None:
        for key in keys:
            at = (*path, key.name)
            if key.kind == "level":
                choices = key.schema.get("enum", ())
                found[at] = {choice.casefold(): choice for choice in choices}
            visit(key.parts, at)

    visit(definition.keys, ())
    return found


def _spell_at(value: Any, names: tuple[str, ...], choices: dict[str, str]) -> None:
    if isinstance(value, list):  # records: the same names in every entry
        for item in value:
            _spell_at(item, names, choices)
    elif isinstance(value, dict) and names:
        item = value.get(names[0])
        if len(names) > 1:
            _spell_at(item, names[1:], choices)
        elif isinstance(item, str) and item.strip().casefold() in choices:
            value[names[0]] = choices[item.strip().casefold()]


def _check_status(
    document: LoadedDocument, statuses: Sequence[str]
) -> Iterator[tuple[Position, str]]:
    status = document.data.get("status") if isinstance(document.data, dict) else None
    if isinstance(status, str) and status.strip() and match_status(status, statuses) is None:
        allowed = ", ".join(f"`{name}`" for name in statuses)
        yield (
            document.position_of(("status",)),
            f"`status` is `{status}`, which is not a status of this site; use one of {allowed}"
            + did_you_mean(status, statuses),
        )


@dataclass(frozen=True)
class _Failure:
    """A keyword of the schema that a value of the plan fails."""

    keyword: str
    path: KeyPath
    """Where the value is in the plan."""
    schema: Mapping[str, Any]
    """The (sub)schema holding the keyword, `$ref` followed."""
    instance: Any
    """The value as the plan holds it (not jsonschema-rs's JSON copy of it)."""
    branches: tuple[tuple[_Failure, ...], ...] = ()
    """For `anyOf`: the failures under each alternative, in the schema's order."""
    detail: str = ""
    """jsonschema-rs's own message, for a keyword without a tailored one."""


class _Explainer:
    def __init__(self, document: LoadedDocument, root: Mapping[str, Any]) -> None:
        self.document = document
        self.root = root
        # Only the first problems of a file are shown (`problems.capped`): suggestions for the
        # rest would cost time (100,000 misspelt keys) and never be read.
        self.suggestions_left = MAX_PER_FILE

    def _did_you_mean(self, word: str, candidates: Iterable[str]) -> str:
        if self.suggestions_left <= 0:
            return ""
        self.suggestions_left -= 1
        return did_you_mean(word, candidates)

    def failures(self, error: jsonschema_rs.ValidationError) -> Iterator[_Failure]:
        """The failures an error stands for: none when it is only about a number JSON cannot
        hold (jsonschema-rs sees `inf` and `nan` as null), which is a number like any other."""
        path: KeyPath = tuple(error.instance_path)
        schema = self._schema_at(error.schema_path[:-1])
        instance = self._value_at(path)
        keyword = error.kind.name
        import jsonschema_rs  # loaded by `validator` already

        if keyword == "anyOf" and isinstance(error.kind, jsonschema_rs.ValidationErrorKind.AnyOf):
            branches = tuple(
                tuple(failure for sub in branch for failure in self.failures(sub))
                for branch in error.kind.context
            )
            if any(not branch for branch in branches):  # an alternative holds after all
                return
            yield _Failure(keyword, path, schema, instance, branches, error.message)
        elif keyword == "type" and _is_non_finite(instance):
            yield from _non_finite_number(path, schema, instance)
        else:
            yield _Failure(keyword, path, schema, instance, detail=error.message)

    def _schema_at(self, schema_path: Sequence[str | int]) -> Mapping[str, Any]:
        node: Any = self.root
        for part in schema_path:
            node = node[part]
        return node if isinstance(node, Mapping) else {}

    def _value_at(self, path: KeyPath) -> Any:
        value: Any = self.document.data
        for part in path:
            value = value[part]
        return value

    def explain(self, failure: _Failure) -> Iterator[tuple[Position, str]]:
        document = self.document
        path = failure.path
        where = f"`{format_key_path(path)}`" if path else "the plan"
        keyword, schema, instance = failure.keyword, failure.schema, failure.instance
        if keyword == "additionalProperties":
            known = schema.get("properties", {})
            for key in [key for key in instance if key not in known]:  # document order
                if key.startswith(_EXTENSION_PREFIX):
                    continue
                parent = f" in `{format_key_path(path)}`" if path else ""
                advice = self._did_you_mean(key, known) or f"; valid keys here: {', '.join(known)}"
                yield (
                    document.position_of((*path, key), key=True),
                    f"unknown key `{key}`{parent}{advice}",
                )
        elif keyword == "required":
            for key in schema.get("required", ()):
                if key not in instance:
                    yield document.position_of(path), f"{where} is missing the required key `{key}`"
        elif keyword == "anyOf":
            yield from self._explain_alternatives(failure)
        elif keyword == "type":
            yield (
                document.position_of(path),
                f"{where} should be {self._describe(schema)}, not {_describe_value(instance)}",
            )
        elif keyword == "enum":
            choices = schema.get("enum", [])
            listed = ", ".join(f"`{choice}`" for choice in choices)
            yield (
                document.position_of(path),
                f"{where} is `{instance}`; use one of {listed}"
                + self._did_you_mean(str(instance), [str(choice) for choice in choices]),
            )
        elif keyword in ("format", "pattern") and schema.get("format") == "date":
            yield (
                document.position_of(path),
                f"{where} is `{instance}`, which is not a date; write a real date as "
                "YYYY-MM-DD, for example 2026-11-02",
            )
        elif keyword == "minLength":
            yield document.position_of(path), f"{where} must not be empty"
        elif keyword == "minItems":
            yield document.position_of(path), f"{where} must not be an empty list"
        elif keyword in ("minimum", "maximum"):
            yield (
                document.position_of(path),
                f"{where} is {instance}; it must be a percentage from 0 to 100",
            )
        elif keyword == "pattern":
            yield (
                document.position_of(path),
                f"{where} is `{instance}`; use a language name such as `typescript` or `python`",
            )
        else:  # a rule without a tailored message still names the place and the rule
            yield document.position_of(path), f"{where}: {failure.detail}"

    def _explain_alternatives(self, failure: _Failure) -> Iterator[tuple[Position, str]]:
        """For "text or a list of text" shapes, explain against the alternative the author
        chose: the first whose own shape fits, if any."""
        for branch in failure.branches:
            wrong_shape = any(sub.keyword == "type" and sub.path == failure.path for sub in branch)
            if not wrong_shape:
                for sub in branch:
                    yield from self.explain(sub)
                return
        yield (
            self.document.position_of(failure.path),
            f"`{format_key_path(failure.path)}` should be {self._describe(failure.schema)}, "
            f"not {_describe_value(failure.instance)}",
        )

    def _describe(self, schema: Mapping[str, Any]) -> str:
        """Say in words what shape of value a schema accepts."""
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.root["$defs"][name]
            if name == "checklist":
                return "a list of entries, each text or `{item: …, done: true|false}`"
            if name == "date":
                return "a date written YYYY-MM-DD"
        if "anyOf" in schema:
            return " or ".join(self._describe(option) for option in schema["anyOf"])
        kinds = schema.get("type")
        if kinds == "array":
            return f"a list of {_plural(self._describe(schema.get('items', {})))}"
        if kinds == "object":
            keys = ", ".join(schema.get("properties", {}))
            return f"a mapping with keys such as {keys}" if keys else "a mapping"
        names = {
            "string": "text",
            "number": "a number",
            "boolean": "true or false",
            "integer": "a whole number",
        }
        if isinstance(kinds, list):
            return "text" if "string" in kinds else " or ".join(names.get(k, str(k)) for k in kinds)
        return names.get(str(kinds), "a value")


def _is_non_finite(value: Any) -> bool:
    return type(value) is float and not math.isfinite(value)


def _non_finite_number(
    path: KeyPath, schema: Mapping[str, Any], value: float
) -> Iterator[_Failure]:
    """What JSON Schema finds wrong with `inf` or `nan` (YAML's `.inf`, `.nan`), which
    jsonschema-rs sees as null: a number is a number; `inf` may break a bound (`nan` never
    does, as every comparison with it is false)."""
    types = schema.get("type")
    names = types if isinstance(types, list) else [types]
    if "number" not in names:
        yield _Failure("type", path, schema, value)
        return
    tests = {
        "minimum": lambda bound: value < bound,
        "maximum": lambda bound: value > bound,
        "exclusiveMinimum": lambda bound: value <= bound,
        "exclusiveMaximum": lambda bound: value >= bound,
    }
    for keyword in _NUMBER_BOUNDS:
        if keyword in schema and tests[keyword](schema[keyword]):
            yield _Failure(keyword, path, schema, value, detail=f"{value} breaks `{keyword}`")


def _plural(description: str) -> str:
    if description.startswith("a mapping"):
        return "mappings" + description.removeprefix("a mapping")
    return description


def _describe_value(value: Any) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, int) and value.bit_length() > 64:
        # Python refuses to write integers of over 4,300 digits; a number this long is
        # described, not written (a hex or sexagesimal literal in YAML 1.1 can be one).
        return f"a number of {value.bit_length()} bits"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"the text `{value}`"
