"""Validation messages: what is wrong, where, and what would be right."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import yaml
from conftest import full_plan_text

from mkdocs_techplan.format.loading import load_document
from mkdocs_techplan.format.statuses import match_status
from mkdocs_techplan.format.validation import validate_document

STATUSES = ["Draft", "In Review", "Approved"]


def _problems(text: str) -> list[str]:
    document = load_document(text.encode())
    return [
        f"{position.line}:{position.column}: {message}"
        for position, message in validate_document(document, STATUSES)
    ]


def test_full_example_plan_is_valid() -> None:
    assert _problems(full_plan_text()) == []


def test_schema_file_is_a_valid_json_schema() -> None:
    text = resources.files("mkdocs_techplan").joinpath("schema/plan.schema.json").read_text()
    jsonschema.Draft202012Validator.check_schema(json.loads(text))


def test_unknown_key_suggests_nearest() -> None:
    assert _problems("title: x\nstatus: Draft\narchitecture:\n  overveiw: text\n") == [
        "4:3: unknown key `overveiw` in `architecture`; did you mean `overview`?"
    ]


def test_unknown_key_without_a_near_match_lists_valid_keys() -> None:
    assert _problems("title: x\nstatus: Draft\nlogging:\n  zzz: 1\nmonitoring: {qqq: 1}\n") == [
        "3:1: unknown key `logging`; valid keys here: title, id, version, status, author, date, "
        "specification, summary, tags, supersedes, depends_on, extends, related, links, extra, "
        "architecture, components, "
        "data_model, api, phases, testing, security, performance, monitoring, risks, "
        "dependencies, blockers, rollback, open_questions, revisions",
        "5:14: unknown key `qqq` in `monitoring`; valid keys here: overview, metrics, logging, "
        "alerts",
    ]


def test_extension_keys_are_ignored_everywhere() -> None:
    text = "title: x\nstatus: Draft\nx-owner: me\ncomponents:\n  - name: a\n    x-note: y\n"
    assert _problems(text) == []


def test_missing_title_is_reported() -> None:
    assert _problems("status: Draft\n") == ["1:1: the plan is missing the required key `title`"]


def test_type_mismatch_names_the_key_path_and_the_expected_shape() -> None:
    text = (
        "title: x\nstatus: Draft\ncomponents:\n  - name: a\n  - name: b\n  - name: c\n"
        "    dependencies:\n      - name: d\n        reason: [not, text]\n"
    )
    assert _problems(text) == [
        "9:17: `components[2].dependencies[0].reason` should be text, not a list"
    ]


def test_wrong_shape_for_a_text_or_list_field() -> None:
    assert _problems("title: x\nstatus: Draft\nauthor: {name: Ada}\n") == [
        "3:9: `author` should be text or a list of text, not a mapping"
    ]


def test_bad_status_suggests_the_nearest_status() -> None:
    assert _problems("title: x\nstatus: Aproved\n") == [
        "2:9: `status` is `Aproved`, which is not a status of this site; use one of `Draft`, "
        "`In Review`, `Approved`; did you mean `Approved`?"
    ]


def test_status_is_matched_case_insensitively() -> None:
    assert _problems("title: x\nstatus: in review\n") == []
    assert match_status("in  REVIEW", STATUSES) == "In Review"


def test_impossible_date_is_reported() -> None:
    assert _problems("title: x\nstatus: Draft\ndate: 2026-02-30\n") == [
        "3:7: `date` is `2026-02-30`, which is not a date; write a real date as YYYY-MM-DD, "
        "for example 2026-11-02"
    ]


def test_date_with_a_time_is_not_a_date() -> None:
    assert _problems("title: x\nstatus: Draft\ndate: 2026-11-02 10:00:00\n") == [
        "3:7: `date` is `2026-11-02T10:00:00`, which is not a date; write a real date as "
        "YYYY-MM-DD, for example 2026-11-02"
    ]


def test_risk_level_outside_the_scale_suggests_one() -> None:
    assert _problems("title: x\nstatus: Draft\nrisks:\n  - {risk: r, impact: hgh}\n") == [
        "4:23: `risks[0].impact` is `hgh`; use one of `High`, `Medium`, `Low`; did you mean `High`?"
    ]


def test_checklist_entry_mapping_needs_item() -> None:
    assert _problems("title: x\nstatus: Draft\nopen_questions:\n  - {itm: Why?}\n") == [
        "4:5: `open_questions[0]` is missing the required key `item`",
        "4:6: unknown key `itm` in `open_questions[0]`; did you mean `item`?",
    ]


def test_coverage_target_out_of_range() -> None:
    text = "title: x\nstatus: Draft\ntesting:\n  unit: {coverage_target: 120}\n"
    assert _problems(text) == [
        "4:27: `testing.unit.coverage_target` is 120; it must be a percentage from 0 to 100"
    ]


def test_empty_specification_list() -> None:
    assert _problems("title: x\nstatus: Draft\nspecification: []\n") == [
        "3:16: `specification` must not be an empty list"
    ]


def test_problems_come_sorted_by_position() -> None:
    text = yaml.safe_dump({"title": "x", "status": "Nope", "rollback": [1, [2]]}, sort_keys=False)
    problems = _problems(text)
    assert problems == sorted(problems, key=lambda p: tuple(int(n) for n in p.split(":")[:2]))
