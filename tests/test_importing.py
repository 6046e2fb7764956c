"""`mkdocs-techplan import`: sections found however the template's headings are written."""

from __future__ import annotations

from mkdocs_techplan.format.definition import default_definition
from mkdocs_techplan.markdown.importing import import_plan

STATUSES = ["Draft", "In Review", "Approved"]


def test_a_setext_section_heading_is_read_as_its_section() -> None:
    markdown = (
        "# Technical Plan: Search reindex\n\n**Status:** Draft\n\nWhy.\n\n"
        "Rollback Plan\n-------------\n\n1. Switch the alias back\n2. Drop the new index\n"
    )
    imported = import_plan(markdown, STATUSES)
    assert imported.data == {
        "title": "Search reindex",
        "status": "Draft",
        "summary": "Why.",
        "rollback": ["Switch the alias back", "Drop the new index"],
    }
    assert imported.unplaced == []


def test_a_setext_title_is_the_plan_title() -> None:
    markdown = (
        "Technical Plan: Search reindex\n==============================\n\n**Status:** Draft\n"
    )
    assert import_plan(markdown, STATUSES).data == {"title": "Search reindex", "status": "Draft"}


def test_a_heading_in_a_fence_closed_only_by_an_unindented_fence_is_code() -> None:
    markdown = (
        "# Technical Plan: X\n\n**Status:** Draft\n\n## Architecture Overview\n\n"
        "```\n## Rollback Plan\n    ```\n- not a step\n```\n"
    )
    imported = import_plan(markdown, STATUSES)
    assert imported.data["architecture"] == {"diagram": "## Rollback Plan\n    ```\n- not a step\n"}
    assert "rollback" not in imported.data


def test_an_unknown_section_keeps_its_setext_heading_lines() -> None:
    markdown = "# Technical Plan: X\n\n**Status:** Draft\n\nBackground\n----------\n\nWhy.\n"
    (unplaced,) = import_plan(markdown, STATUSES).unplaced
    assert (unplaced.line, unplaced.markdown) == (5, "Background\n----------\n\nWhy.")
    assert unplaced.reason == "`## Background` is not a section of the template"


def test_a_sites_own_sections_are_read_with_its_definition() -> None:
    site = default_definition().extended(
        {
            "motivation": {"$ref": "#/$defs/markdown", "x-techplan-section": "Motivation"},
            "compatibility": {"$ref": "#/$defs/checklist", "x-techplan-section": "Compatibility"},
            "reviewers": {"$ref": "#/$defs/text", "x-techplan-label": "Reviewers"},
        },
        after={"motivation": "header", "compatibility": "dependencies", "reviewers": "date"},
    )
    markdown = (
        "# Technical Plan: X\n\n**Status:** Draft  \n**Reviewers:** Mei Chen\n\n"
        "## Motivation\n\nWhy **now**.\n\n## Compatibility\n\n- [x] Old clients\n- New clients\n"
    )
    imported = import_plan(markdown, STATUSES, site)
    assert imported.data == {
        "title": "X",
        "status": "Draft",
        "reviewers": "Mei Chen",
        "motivation": "Why **now**.",
        "compatibility": [{"item": "Old clients", "done": True}, "New clients"],
    }
    assert imported.unplaced == []
    # without the site's definition, its sections have no place
    assert [part.line for part in import_plan(markdown, STATUSES).unplaced] == [4, 6, 10]


def test_a_status_spelt_with_a_hyphen_is_the_site_status_with_a_note() -> None:
    markdown = "# Technical Plan: X\n\n**Status:** in-review\n"
    imported = import_plan(markdown, STATUSES)
    assert imported.data["status"] == "In Review"
    assert [part.reason for part in imported.unplaced] == [
        "the status `in-review` is read as `In Review`"
    ]


def test_dates_written_in_words_are_read_with_a_note() -> None:
    markdown = (
        "# Technical Plan: X\n\n**Status:** Draft\n**Date:** October 22, 2025\n\n"
        "## Revision History\n\n| Version | Date | Author | Changes |\n|---|---|---|---|\n"
        "| 1.0 | 04-Aug-2023 | Ada | First |\n| | 01/02/2024 | Ada | Ambiguous |\n"
    )
    imported = import_plan(markdown, STATUSES)
    assert str(imported.data["date"]) == "2025-10-22"
    revisions = imported.data["revisions"]
    assert str(revisions[0]["date"]) == "2023-08-04"
    assert "date" not in revisions[1]  # day or month first? not guessed
    assert revisions[1]["changes"] == "Ambiguous"  # a row without a version is kept
    reasons = [part.reason for part in imported.unplaced]
    assert "the date `October 22, 2025` is read as 2025-10-22: plans write dates YYYY-MM-DD" in (
        reasons
    )
    assert "the date `01/02/2024` is not written YYYY-MM-DD" in reasons


def test_a_second_table_under_risk_assessment_is_not_read_as_risks() -> None:
    markdown = (
        "# Technical Plan: X\n\n**Status:** Draft\n\n## Risk Assessment\n\n"
        "| Risk | Impact | Probability | Mitigation |\n|---|---|---|---|\n"
        "| Outage | High | Low | Failover |\n\n"
        "| Scenario | RTO | RPO | Procedure |\n|---|---|---|---|\n"
        "| Region lost | 1 h | 5 min | Promote replica |\n"
    )
    imported = import_plan(markdown, STATUSES)
    assert [risk["risk"] for risk in imported.data["risks"]] == ["Outage"]
    kept = [part for part in imported.unplaced if part.markdown]
    assert len(kept) == 1 and "Region lost" in kept[0].markdown


def test_reference_links_keep_their_targets_from_the_pages_definitions() -> None:
    """Found by real documents (CockroachDB's TTL RFC, Rust RFC 3137): the definitions that
    end a section (`[#20239]: https://…`) were dropped, and `[text][label]` showed brackets."""
    page = (
        "# Technical Plan: Refs\n\n**Status:** Draft\n\n## Architecture Overview\n\n"
        "See the [old RFC][old-rfc] and [#20239], not `[old-rfc]` nor [x](y).\n\n"
        "```\n[old-rfc]\n```\n\n"
        "[old-rfc]: https://example.com/old\n"
        '[#20239]: https://github.com/x/y/issues/20239 "Issue 20239"\n\n'
        "## Risk Assessment\n\n| Risk | Impact | Probability | Mitigation |\n|---|---|---|---|\n"
        "| Outage | High | Low | See [runbook][RB] |\n\n[rb]: https://example.com/rb\n"
    )
    imported = import_plan(page, STATUSES)
    assert imported.data["architecture"] == {
        "overview": "See the [old RFC](https://example.com/old) and "
        '[#20239](https://github.com/x/y/issues/20239 "Issue 20239"), not `[old-rfc]` nor [x](y).',
        "diagram": "[old-rfc]\n",  # code, as written
    }
    assert imported.data["risks"][0]["mitigation"] == "See [runbook](https://example.com/rb)"
    assert imported.unplaced == []
