"""Check plan data against the plan JSON Schema and explain each problem to its author."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, cast

from mkdocs_techplan.format.dates import parse_date
from mkdocs_techplan.format.loading import KeyPath, LoadedDocument
from mkdocs_techplan.format.problems import Position, format_key_path
from mkdocs_techplan.format.schema_check import Check, Unsupported, compile_schema
from mkdocs_techplan.format.statuses import match_status
from mkdocs_techplan.format.suggestions import did_you_mean

if TYPE_CHECKING:  # jsonschema is imported only when a plan has a problem to explain
    import jsonschema
    from jsonschema.exceptions import ValidationError

_EXTENSION_PREFIX = "x-"


@cache
def plan_schema() -> dict[str, Any]:
    """The plan JSON Schema shipped in the package: the one definition of the format."""
    text = resources.files("mkdocs_techplan").joinpath("schema/plan.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


FORMATS = ["date"]
"""The formats validation checks (JSON Schema treats the others as annotations)."""


@cache
def _validator() -> jsonschema.protocols.Validator:
    # Built once per process: compiling the schema costs far more than checking one plan.
    import jsonschema

    return jsonschema.Draft202012Validator(
        plan_schema(), format_checker=jsonschema.FormatChecker(FORMATS)
    )


@cache
def _fast_check() -> Check | None:
    # About thirty times quicker than jsonschema on a valid plan; jsonschema explains the rest.
    try:
        return compile_schema(plan_schema(), {"date": _is_date})
    except Unsupported:  # pragma: no cover - the shipped schema compiles (tested)
        return None


def _is_date(text: str) -> bool:
    return parse_date(text) is not None


def validate_document(
    document: LoadedDocument, statuses: Sequence[str]
) -> list[tuple[Position, str]]:
    """Every problem in the plan's data, as (position, message) sorted by position."""
    found: list[tuple[Position, str]] = []
    fast = _fast_check()
    if not (fast(document.data) if fast else _validator().is_valid(document.data)):
        for error in _validator().iter_errors(document.data):
            found.extend(_explain(error, document))
    found.extend(_check_status(document, statuses))
    return sorted(set(found))


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


def _explain(error: ValidationError, document: LoadedDocument) -> Iterator[tuple[Position, str]]:
    path: KeyPath = tuple(error.absolute_path)
    where = f"`{format_key_path(path)}`" if path else "the plan"
    kind = error.validator
    schema = cast(dict[str, Any], error.schema)
    rule: Any = error.validator_value
    instance: Any = error.instance
    if kind == "additionalProperties":
        known = schema.get("properties", {})
        for key in sorted(set(instance) - set(known)):
            if key.startswith(_EXTENSION_PREFIX):
                continue
            parent = f" in `{format_key_path(path)}`" if path else ""
            advice = did_you_mean(key, known) or f"; valid keys here: {', '.join(known)}"
            yield (
                document.position_of((*path, key), key=True),
                f"unknown key `{key}`{parent}{advice}",
            )
    elif kind == "required":
        for key in rule:
            if key not in instance:
                yield document.position_of(path), f"{where} is missing the required key `{key}`"
    elif kind == "anyOf":
        yield from _explain_alternatives(error, document)
    elif kind == "type":
        yield (
            document.position_of(path),
            f"{where} should be {_describe(schema)}, not {_describe_value(error.instance)}",
        )
    elif kind == "enum":
        choices = ", ".join(f"`{choice}`" for choice in rule)
        yield (
            document.position_of(path),
            f"{where} is `{error.instance}`; use one of {choices}"
            + did_you_mean(str(error.instance), rule),
        )
    elif kind in ("format", "pattern") and schema.get("format") == "date":
        yield (
            document.position_of(path),
            f"{where} is `{error.instance}`, which is not a date; write a real date as "
            "YYYY-MM-DD, for example 2026-11-02",
        )
    elif kind == "minLength":
        yield document.position_of(path), f"{where} must not be empty"
    elif kind == "minItems":
        yield document.position_of(path), f"{where} must not be an empty list"
    elif kind in ("minimum", "maximum"):
        yield (
            document.position_of(path),
            f"{where} is {error.instance}; it must be a percentage from 0 to 100",
        )
    elif kind == "pattern":
        yield (
            document.position_of(path),
            f"{where} is `{error.instance}`; use a language name such as `typescript` or `python`",
        )
    else:  # a rule without a tailored message still names the place and the rule
        yield document.position_of(path), f"{where}: {error.message}"


def _explain_alternatives(
    error: ValidationError, document: LoadedDocument
) -> Iterator[tuple[Position, str]]:
    """For "text or a list of text" shapes, explain against the alternative the author chose."""
    by_branch: dict[int, list[ValidationError]] = {}
    for sub in error.context or []:
        by_branch.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
    for sub_errors in by_branch.values():
        wrong_shape = any(
            sub.validator == "type" and sub.absolute_path == error.absolute_path
            for sub in sub_errors
        )
        if not wrong_shape:
            for sub in sub_errors:
                yield from _explain(sub, document)
            return
    path: KeyPath = tuple(error.absolute_path)
    yield (
        document.position_of(path),
        f"`{format_key_path(path)}` should be {_describe(cast(dict[str, Any], error.schema))}, "
        f"not {_describe_value(error.instance)}",
    )


def _describe(schema: dict[str, Any]) -> str:
    """Say in words what shape of value a schema accepts."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = plan_schema()["$defs"][name]
        if name == "checklist":
            return "a list of entries, each text or `{item: …, done: true|false}`"
        if name == "date":
            return "a date written YYYY-MM-DD"
    if "anyOf" in schema:
        return " or ".join(_describe(option) for option in schema["anyOf"])
    kinds = schema.get("type")
    if kinds == "array":
        return f"a list of {_plural(_describe(schema.get('items', {})))}"
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


def _plural(description: str) -> str:
    if description.startswith("a mapping"):
        return "mappings" + description.removeprefix("a mapping")
    return description


def _describe_value(value: Any) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"the text `{value}`"
