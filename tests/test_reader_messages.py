"""Messages a plan author meets first: YAML mistakes with their usual fix, wording that fits
the count, and risk levels compared in any case, as statuses are."""

from __future__ import annotations

from conftest import SiteBuilder

from mkdocs_techplan.format.loading import LoadError, load_document


def _load_error(text: str) -> str:
    try:
        load_document(text.encode("utf-8"))
    except LoadError as error:
        return f"{error.position.line}:{error.position.column}: {error.message}"
    raise AssertionError("the text loaded")


def test_an_unquoted_colon_says_to_quote_the_value() -> None:
    message = _load_error("title: Phase 1: setup\nstatus: Draft\n")
    assert message.startswith("1:15: invalid YAML: mapping values are not allowed")
    assert message.endswith(
        "; a value that contains `: ` must be quoted: write it in double quotes "
        '(`summary: "Phase 1: setup"`) or as a block (`summary: |` and the text on the next '
        "lines, indented)"
    )


def test_a_tab_in_the_indentation_says_to_use_spaces() -> None:
    message = _load_error("title: a\n\tstatus: b\n")
    assert message.startswith("2:1: invalid YAML:")
    assert message.endswith("; YAML indents with spaces, not tabs: replace the tab with spaces")


def test_other_yaml_errors_keep_the_parser_words_alone() -> None:
    assert _load_error("a: [\n").endswith(
        "(while parsing a flow node that starts at line 2, column 1)"
    )


def test_the_problems_box_says_it_for_one_problem_and_them_for_more(site: SiteBuilder) -> None:
    site.write_plan("plans/one/plan.yaml", "title: One\nstatus: Draft\nsumary: x\n")
    site.write_plan("plans/two/plan.yaml", "title: Two\nstatus: Draft\nsumary: x\nrisk: y\n")
    result = site.build(strict=False)
    one = result.content("plans/one/index.html").select_one(".techplan-problems").get_text(" ")
    two = result.content("plans/two/index.html").select_one(".techplan-problems").get_text(" ")
    assert "This plan has 1 problem " in one and "Fix it in" in one
    assert "This plan has 2 problems" in two and "Fix them in" in two


def test_risk_levels_are_read_in_any_case(site: SiteBuilder) -> None:
    risks = [
        {"risk": "Outage", "impact": "high", "probability": "LOW"},
        {"risk": "Typo", "impact": " Medium ", "probability": "medium"},
    ]
    site.write_plan("plans/r/plan.yaml", {"title": "R", "status": "Draft", "risks": risks})
    result = site.build()
    assert not result.failed, result.messages
    matrix = result.content("plans/r/index.html").select_one(".techplan-risk-matrix")
    assert matrix is not None
    high_low = matrix.select_one('td[data-impact="high"][data-probability="low"]')
    medium = matrix.select_one('td[data-impact="medium"][data-probability="medium"]')
    assert high_low is not None and "Outage" in high_low.get_text()
    assert medium is not None and "Typo" in medium.get_text()


def test_a_level_that_is_no_level_is_still_an_error(site: SiteBuilder) -> None:
    risks = [{"risk": "Outage", "impact": "huge"}]
    site.write_plan("plans/r/plan.yaml", {"title": "R", "status": "Draft", "risks": risks})
    result = site.build(strict=False)
    assert result.techplan_warnings == [
        "docs/plans/r/plan.yaml:5:11: `risks[0].impact` is `huge`; use one of `High`, `Medium`, "
        "`Low`"
    ]
