"""`render` then `import` gives back the plan: the full plan and every example plan."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE_SITE, FULL_PLAN

from mkdocs_techplan import markdown_text
from mkdocs_techplan.badges import DEFAULT_STATUSES, status_styles
from mkdocs_techplan.catalog import PlanFile, load_plan
from mkdocs_techplan.importing import import_plan
from mkdocs_techplan.loading import Limits
from mkdocs_techplan.model import Plan
from mkdocs_techplan.plan_yaml import dump_plan
from mkdocs_techplan.preview import render_alone
from mkdocs_techplan.rendering import PlanRenderer

STATUSES = tuple(DEFAULT_STATUSES)
RENDERER = PlanRenderer()
STYLES = status_styles(DEFAULT_STATUSES)


def _load(path: Path) -> Plan:
    return load_plan(PlanFile("plans/x/plan.yaml", str(path)), STATUSES, Limits())


def _shown(plan: Plan) -> dict[str, Any]:
    """What a plan's page shows: every field but its source, problems and `extra`.

    A Markdown block's final newline is not part of what it shows (`|` and `|-` look alike),
    nor is the language of interfaces that a component does not have; Markdown blocks are
    compared as Markdown (see `MARKDOWN_BLOCKS`).
    """
    data = dataclasses.asdict(plan)
    for key in ("source", "problems", "extra", "status_position"):
        data.pop(key, None)
    for component in data["components"]:
        if component["interfaces"] is None:  # the language of no code block is not shown
            component["interfaces_language"] = None
    for section, key in MARKDOWN_BLOCKS:
        parent = data[section] if section else data
        if parent and parent[key]:
            parent[key] = markdown_text.block(parent[key])
    return _without_positions(data)


MARKDOWN_BLOCKS = [
    (None, "summary"),
    ("architecture", "overview"),
    ("security", "authentication"),
    ("security", "authorization"),
    ("performance", "caching"),
    ("performance", "scalability"),
]
"""Markdown fields come back as the same Markdown: identical once escaped for the page, though
blank lines around a code block or its fence may be written differently."""


def _without_positions(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: _without_positions(item)
            for key, item in value.items()
            if key not in ("position", "key_path")  # where it was written, not what it says
        }
    if isinstance(value, list):
        return [_without_positions(item) for item in value]
    if isinstance(value, str):
        return value.rstrip("\n")
    return value


def _round_trip(path: Path, tmp_path: Path) -> tuple[Plan, Plan, str, str]:
    original = _load(path)
    assert not original.problems, original.problems
    page = render_alone(original, RENDERER, STYLES)
    imported = import_plan(page, STATUSES)
    assert imported.unplaced == []
    copy = tmp_path / "imported.plan.yaml"
    copy.write_text(dump_plan(imported.data), encoding="utf-8")
    again = _load(copy)
    assert again.problems == []
    return original, again, page, render_alone(again, RENDERER, STYLES)


def _example_plans() -> list[Path]:
    docs = EXAMPLE_SITE / "docs"
    return sorted(path for path in docs.rglob("*") if path.name.endswith(_PLAN_NAMES))


_PLAN_NAMES = ("plan.yaml", "plan.yml")


@pytest.mark.parametrize(
    "path",
    [FULL_PLAN, *_example_plans()],
    ids=lambda path: str(path.relative_to(path.parents[2])),
)
def test_render_then_import_gives_back_the_plan(path: Path, tmp_path: Path) -> None:
    original, again, page, page_again = _round_trip(path, tmp_path)
    assert _shown(again) == _shown(original)
    assert page_again == page


def test_the_example_site_has_plans_to_round_trip() -> None:
    assert len(_example_plans()) >= 3
