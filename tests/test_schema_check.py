"""The fast schema check answers exactly as jsonschema does, for every kind of value a plan
can hold in every place; schemas it cannot compile are refused rather than half-checked."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from conftest import full_plan_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_techplan.format.loading import load_document
from mkdocs_techplan.format.schema_check import ASSERTING, Unsupported, compile_schema
from mkdocs_techplan.format.validation import _fast_check, _is_date, _validator, plan_schema

FORMATS = {"date": _is_date}
# One value of each shape, and the edge cases of the rules the plan schema uses.
REPLACEMENTS: list[Any] = [
    None, True, False, 0, 1, -1, 1.5, 100, 101, 100.0, "", " ", "x", "High", "high",
    "2026-11-02", "2026-02-30", "2026-11-02\n", "26-1-2", "python", "has space", [], [""],
    ["x"], [1], [None], [{}], [{"item": "x"}], [{"item": "x", "done": "yes"}], {}, {"x-a": 1},
    {"bogus": 1}, {"name": "n"}, {"item": "x", "done": True}, {"item": 1}, {"name": []},
]  # fmt: skip


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


def test_the_shipped_schema_compiles() -> None:
    assert _fast_check() is not None


def test_every_keyword_jsonschema_implements_is_known_as_one() -> None:
    assert set(jsonschema.Draft202012Validator.VALIDATORS) == ASSERTING


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-02", "2026-02-30", "2026-11-02\n", "2026-1-02", "20261102",
        "\uff12\uff10\uff12\uff16-11-02",  # full-width digits: `\\d` without re.ASCII
    ],
)
def test_dates_are_checked_as_jsonschema_checks_them(text: str) -> None:
    assert _is_date(text) == jsonschema.FormatChecker(["date"]).conforms(text, "date")


def test_fast_check_agrees_with_jsonschema_on_every_single_change_to_the_full_plan() -> None:
    check = compile_schema(plan_schema(), FORMATS)
    validator = _validator()
    disagreements = []
    count = 0
    for variant in _variants():
        count += 1
        if check(variant) != validator.is_valid(variant):
            disagreements.append(copy.deepcopy(variant))
    assert count > 3000
    assert disagreements == []


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5)
    | st.sampled_from(REPLACEMENTS[:20]),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(["name", "item", "done", "x-y", "zz"]), children, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data(), value=json_values)
def test_fast_check_agrees_with_jsonschema_on_random_values_anywhere(
    data: st.DataObject, value: Any
) -> None:
    plan = _full_plan()
    path = data.draw(st.sampled_from(list(_paths(plan))))
    variant = _replaced(plan, path, value)
    check = compile_schema(plan_schema(), FORMATS)
    assert check(variant) == _validator().is_valid(variant)


def test_values_yaml_cannot_produce_are_left_to_jsonschema() -> None:
    check = compile_schema({"type": "object", "properties": {"a": {"type": "string"}}}, FORMATS)
    assert check({"a": "text"})
    assert not check({"a": b"bytes"})  # jsonschema decides (and finds it is not a string)
    assert not check({1: "a key that is not text"})


@pytest.mark.parametrize("keyword", [{"not": {}}, {"oneOf": [{}]}, {"if": {}, "then": {}}])
def test_keywords_that_could_make_a_rejected_part_accepted_are_refused(
    keyword: dict[str, Any],
) -> None:
    with pytest.raises(Unsupported):
        compile_schema({"properties": {"a": keyword}}, FORMATS)


def test_annotations_and_unknown_keywords_are_ignored_as_jsonschema_ignores_them() -> None:
    check = compile_schema(
        {"type": "string", "description": "d", "markdownDescription": "m", "x-custom": 1},
        FORMATS,
    )
    assert check("text")
    assert not check(3)
