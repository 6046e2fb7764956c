"""Status rules: what a plan needs to carry a status, checked at build time."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import SiteBuilder

from mkdocs_techplan.config import TechPlanConfig
from mkdocs_techplan.format.validation import plan_schema
from mkdocs_techplan.site.status_rules import DEFAULT_STATUS_RULES, configure, field_rules

PLAN = "docs/plans/p/plan.yaml"
BARE_APPROVED = """\
title: Sessions
status: Approved
open_questions:
  - Rotate refresh tokens?
  - {item: Which algorithm?, done: true}
  - Who owns the keys?
"""
COMPLETE = """\
title: Sessions
status: {status}
author: Ada
date: 2026-02-01
specification: ../../specs/auth.md
open_questions:
  - {{item: Which algorithm?, done: true}}
revisions:
  - {{version: "1.0", date: 2026-02-01, author: Ada, changes: First}}
"""


def _site(site: SiteBuilder, plan: str) -> None:
    site.write("specs/auth.md", "# Auth\n")
    site.write("plans/p/plan.yaml", plan)


def test_approved_needs_author_date_spec_a_revision_and_no_open_question(
    site: SiteBuilder,
) -> None:
    _site(site, BARE_APPROVED)
    result = site.build()
    assert result.failed
    assert result.techplan_warnings == [
        f"{PLAN}:2:9: status `Approved` requires `author`; add it, or change the status",
        f"{PLAN}:2:9: status `Approved` requires `date`; add it, or change the status",
        f"{PLAN}:2:9: status `Approved` requires `specification`; add it, or change the status",
        f"{PLAN}:2:9: status `Approved` requires at least one entry in `revisions`; add one, or "
        "change the status",
        f"{PLAN}:4:5: status `Approved` requires every open question to be resolved, but "
        "`Rotate refresh tokens?` is still open; resolve it (`done: true`), or change the status",
        f"{PLAN}:6:5: status `Approved` requires every open question to be resolved, but "
        "`Who owns the keys?` is still open; resolve it (`done: true`), or change the status",
    ]
    shown = result.content("plans/p/index.html").select(".techplan-problems li")
    assert len(shown) == 6


def test_in_review_needs_author_and_specification(site: SiteBuilder) -> None:
    _site(site, "title: Sessions\nstatus: in review\nopen_questions: [Still open?]\n")
    result = site.build()
    assert result.techplan_warnings == [
        f"{PLAN}:2:9: status `In Review` requires `author`; add it, or change the status",
        f"{PLAN}:2:9: status `In Review` requires `specification`; add it, or change the status",
    ]


@pytest.mark.parametrize("status", ["Approved", "In Review", "Draft"])
def test_a_plan_that_meets_its_rules_builds_cleanly(site: SiteBuilder, status: str) -> None:
    _site(site, COMPLETE.format(status=status))
    result = site.build()
    assert not result.failed, result.messages


def test_draft_has_no_rules(site: SiteBuilder) -> None:
    _site(site, "title: Sessions\nstatus: Draft\nopen_questions: [Open?]\n")
    result = site.build()
    assert not result.failed, result.messages


def test_a_site_can_change_the_rules_of_one_status(site: SiteBuilder) -> None:
    _site(
        site,
        COMPLETE.format(status="Approved")
        + "dependencies:\n  - {name: Gateway API, status: in progress}\n"
        "blockers:\n  - {blocker: No load-test environment}\n",
    )
    site.write("plans/q/plan.yaml", "title: Other\nstatus: In Review\n")
    rules = {"Approved": ["rollback", "dependencies_done", "blockers_resolved"]}
    result = site.build(plugin_options={"status_rules": rules})
    assert result.techplan_warnings == [
        f"{PLAN}:2:9: status `Approved` requires at least one entry in `rollback`; add one, or "
        "change the status",
        f"{PLAN}:11:5: status `Approved` requires every dependency to be done, but "
        "`Gateway API` is not; mark it `done: true`, or change the status",
        f"{PLAN}:13:5: status `Approved` requires every blocker to have a `resolution`, but "
        "`No load-test environment` has none; add one, or change the status",
        # `In Review` was not named, so it keeps its default rules.
        "docs/plans/q/plan.yaml:2:9: status `In Review` requires `author`; add it, or change "
        "the status",
        "docs/plans/q/plan.yaml:2:9: status `In Review` requires `specification`; add it, or "
        "change the status",
    ]


@pytest.mark.parametrize(
    ("option", "warnings"),
    [
        (False, 0),
        ({"Approved": []}, 0),
        ({"approved": False}, 0),
        ({"In Review": []}, 6),
    ],
)
def test_a_site_can_turn_rules_off(site: SiteBuilder, option: Any, warnings: int) -> None:
    _site(site, BARE_APPROVED)
    result = site.build(strict=False, plugin_options={"status_rules": option})
    assert len(result.techplan_warnings) == warnings


def test_rules_follow_the_sites_statuses(site: SiteBuilder) -> None:
    _site(site, "title: Sessions\nstatus: Accepted\n")
    options = {"statuses": ["Proposed", "Accepted"], "status_rules": {"accepted": ["author"]}}
    result = site.build(plugin_options=options)
    assert result.techplan_warnings == [
        f"{PLAN}:2:9: status `Accepted` requires `author`; add it, or change the status"
    ]


def _config_errors(options: dict[str, Any]) -> list[str]:
    config = TechPlanConfig()
    config.load_dict(options)
    errors, _warnings = config.validate()
    return [str(error) for _key, error in errors]


def test_unknown_rule_is_a_configuration_error_with_a_suggestion() -> None:
    [error] = _config_errors({"status_rules": {"Approved": ["autor"]}})
    assert error.startswith(
        "`status_rules.Approved` lists 'autor', which is not a rule; did you mean `author`?; "
        "rules are id, version, author, date,"
    )


def test_unknown_status_is_a_configuration_error() -> None:
    assert _config_errors({"status_rules": {"Aproved": ["author"]}}) == [
        "`status_rules` names the status 'Aproved', which is not one of the statuses (Draft, "
        "In Review, Approved); did you mean `Approved`?"
    ]


def test_rules_must_be_a_list() -> None:
    assert _config_errors({"status_rules": {"Approved": {"author": True}}}) == [
        "`status_rules.Approved` is a list of rules such as `[author, date]`, not {'author': True}"
    ]


def test_defaults_and_true_give_the_default_rules() -> None:
    statuses = ["Draft", "In Review", "Approved"]
    assert configure(None, statuses) == DEFAULT_STATUS_RULES
    assert configure(True, statuses) == DEFAULT_STATUS_RULES
    assert configure(False, statuses) == {}


def test_every_top_level_key_of_the_format_is_a_rule() -> None:
    keys = set(plan_schema()["properties"]) - {"title", "status"}
    assert set(field_rules()) == keys
