"""jsonschema-rs, which validates plans, decides exactly as the reference implementation
(`jsonschema`) does, for every kind of value a plan can hold in every place; and whenever it
rejects a plan, validation explains at least one problem."""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from conftest import full_plan_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema.exceptions import ValidationError

from mkdocs_techplan.format.definition import default_definition
from mkdocs_techplan.format.loading import LoadedDocument, load_document
from mkdocs_techplan.format.validation import is_date, plan_schema, validate_document, validator

STATUSES = ["Draft", "In Review", "Approved"]
# One value of each shape, and the edge cases of the rules the plan schema uses.
REPLACEMENTS: list[Any] = [
    None, True, False, 0, 1, -1, 1.5, 100, 101, 100.0, "", " ", "x", "High", "high",
    "2026-11-02", "2026-02-30", "2026-11-02\n", "26-1-2", "python", "has space", [], [""],
    ["x"], [1], [None], [{}], [{"item": "x"}], [{"item": "x", "done": "yes"}], {}, {"x-a": 1},
    {"bogus": 1}, {"name": "n"}, {"item": "x", "done": True}, {"item": 1}, {"name": []},
    math.inf, -math.inf, math.nan, 10**40, [math.inf], {"item": math.nan},
]  # fmt: skip


def _ecma_pattern(
    checker: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    # JSON Schema patterns are ECMA-262 regular expressions, where `$` is the end of the text;
    # Python's `$` also matches before a final line break (`python\n`), so jsonschema would
    # accept a language name that ends a line. Editors and jsonschema-rs do not.
    if checker.is_type(instance, "string"):
        python = pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern
        if not re.search(python, instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")


Reference = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, {"pattern": _ecma_pattern}
)
REFERENCE = Reference(plan_schema(), format_checker=jsonschema.FormatChecker(["date"]))


def _full_plan() -> dict[str, Any]:
    data: dict[str, Any] = load_document(full_plan_text().encode()).data
    return data


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in `value`; of a list's entries only the first (the others are alike)."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list) and value:
        yield from _paths(value[0], (*path, 0))


def _replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copied = copy.deepcopy(data)
    parent = copied
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return copied


def _variants() -> Iterator[Any]:
    """The full plan with one place changed (each value replaced, each key removed, unknown
    and extension keys added to each mapping), changed in place and put back after each use."""
    data = _full_plan()
    for path in list(_paths(data)):
        if not path:
            yield from REPLACEMENTS
            continue
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        original = parent[path[-1]]
        for value in REPLACEMENTS:
            parent[path[-1]] = value
            yield data
        if isinstance(parent, dict):
            del parent[path[-1]]
            yield data
        parent[path[-1]] = original
        if isinstance(original, dict):
            for extra in ("unknown", "x-note"):
                original[extra] = "text"
                yield data
                del original[extra]


def _problems(data: Any) -> list[tuple[Any, str]]:
    """What validation says about `data` (positions are all the start: no source text)."""
    return validate_document(LoadedDocument(data=data), STATUSES)


def test_the_validator_is_built_once_per_definition() -> None:
    definition = default_definition()
    assert validator(definition) is validator(definition)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-02",
        "2026-02-30",
        "2026-11-02\n",
        "2026-1-02",
        "20261102",
        "\uff12\uff10\uff12\uff16-11-02",  # full-width digits: `\\d` without re.ASCII
    ],
)
def test_dates_are_checked_as_jsonschema_checks_them(text: str) -> None:
    assert is_date(text) == jsonschema.FormatChecker(["date"]).conforms(text, "date")


def test_validation_agrees_with_jsonschema_on_every_single_change_to_the_full_plan() -> None:
    disagreements = []
    count = 0
    for variant in _variants():
        count += 1
        # The status is checked apart from the schema (against the site's statuses), and risk
        # levels are spelt as the schema spells them (`high` → `High`) before it is applied.
        found = [message for _, message in _problems(variant) if "`status` is `" not in message]
        expected = REFERENCE.is_valid(variant)
        if (found == []) != expected:
            disagreements.append((copy.deepcopy(variant), found))
    assert count > 3000
    assert disagreements == []


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=5)
    | st.sampled_from(REPLACEMENTS[:20]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["name", "item", "done", "x-y", "zz"]), children, max_size=3
        )
    ),
    max_leaves=8,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data(), value=json_values)
def test_validation_agrees_with_jsonschema_on_random_values_anywhere(
    data: st.DataObject, value: Any
) -> None:
    plan = _full_plan()
    path = data.draw(st.sampled_from(list(_paths(plan))))
    variant = _replaced(plan, path, value)
    assert validator(default_definition()).is_valid(variant) <= REFERENCE.is_valid(variant)
    found = [message for _, message in _problems(variant) if "`status` is `" not in message]
    assert (found == []) == REFERENCE.is_valid(variant)


def _messages(text: str) -> list[str]:
    return [message for _, message in validate_document(load_document(text.encode()), STATUSES)]


def test_infinity_and_not_a_number_are_numbers() -> None:
    # jsonschema-rs hands them over as null; they are numbers as YAML and JSON Schema say.
    assert _messages("title: x\nstatus: Draft\nversion: .inf\n") == []
    assert _messages("title: x\nstatus: Draft\ntesting: {unit: {coverage_target: .nan}}\n") == []
    assert _messages("title: x\nstatus: Draft\nopen_questions: [{item: .inf}]\n") == []
    assert _messages("title: x\nstatus: Draft\ntesting: {unit: {coverage_target: .inf}}\n") == [
        "`testing.unit.coverage_target` is inf; it must be a percentage from 0 to 100"
    ]
    assert _messages("title: x\nstatus: Draft\ndate: -.inf\n") == [
        "`date` should be text, not the number -inf"
    ]
