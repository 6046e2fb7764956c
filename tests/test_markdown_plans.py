"""Plans written in Markdown (README, "Plans written in Markdown" and "Adopting an existing
repository"): which files are plans, where their header comes from, how headings become
sections, and what every plan gets (badge, index row, roll-ups, backlinks, problems at
`file:line:col`)."""

from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import SiteBuilder

from mkdocs_techplan.build.docs_folder import build_docs_folder
from mkdocs_techplan.build.site_config import load_site
from mkdocs_techplan.cli.main import main

TEAM_PLAN = """\
---
title: Search reindex
status: in review
author: [Ada Lovelace]
date: 2026-03-01
specification: ../../specs/search.md
---

# Search reindex

We rebuild the search index without downtime.

## Architecture Overview

Two indexes, one alias.

## Background

Why now: the index is six years old.

## Open Questions

- [ ] Which shard size?
- [x] Do we need a maintenance window?

## Risks

| Mitigation | Risk | Impact | Probability | Owner |
|---|---|---|---|---|
| Throttle | Reindex overloads the cluster | high | Medium | Ada |
"""


def _spec(site: SiteBuilder) -> None:
    site.write("specs/search.md", "---\nspec_id: SPEC-1\n---\n# Search\n\nThe spec.\n")


def test_a_team_plan_md_builds_with_everything_a_plan_gets(site: SiteBuilder) -> None:
    _spec(site)
    site.write("plans/reindex/plan.md", TEAM_PLAN)
    result = site.build(site_url="https://example.com/")
    assert not result.failed, result.messages
    page = result.content("plans/reindex/plan/index.html")
    assert page.find("h1").get_text().rstrip("¶").strip() == "Search reindex"
    assert len(page.find_all("h1")) == 1  # the document's `#` title is not shown twice
    badge = page.select_one(".techplan-badge")
    assert badge is not None and badge.get_text(strip=True) == "In Review"  # configured spelling
    text = " ".join(page.get_text(" ").split())
    assert "Author: Ada Lovelace" in text and "Date: 2026-03-01" in text
    headings = [h.get_text().rstrip("¶").strip() for h in page.find_all("h2")]
    assert headings == ["Architecture Overview", "Background", "Open Questions", "Risks"]
    # The summary is the lead text, shown once, in place.
    assert text.count("We rebuild the search index without downtime.") == 1
    # Roll-ups from the structured sections: one open question, one high risk.
    data = json.loads((result.site_dir / "plans" / "plans.json").read_text("utf-8"))
    (plan,) = data["plans"]
    assert plan["open_questions"] == 1 and plan["high_risks"] == 1
    assert plan["summary"].startswith("We rebuild")
    row = result.html("plans/index.html").select_one("tr:has(.techplan-row)")
    assert row is not None and "Search reindex" in row.get_text()
    # The author's extra column stays on the page.
    assert "Owner" in [th.get_text() for th in page.find_all("th")]
    # The specification links back to the plan.
    spec = result.content("specs/search/index.html")
    back = spec.find("a", string="Search reindex")
    assert back is not None and back["href"].endswith("plans/reindex/plan/")


def test_a_misspelt_front_matter_key_fails_strict_with_its_line_and_a_suggestion(
    site: SiteBuilder,
) -> None:
    site.write("plans/a.plan.md", "---\ntitle: A\nstatus: Draft\nauthr: Ada\n---\n\nText.\n")
    result = site.build()
    assert result.failed
    (message,) = result.techplan_warnings
    assert message.startswith("docs/plans/a.plan.md:4:1: `authr` is not a key of a plan")
    assert "did you mean `author`" in message


def test_a_kep_folder_reads_its_header_from_kep_yaml_and_reports_there(
    site: SiteBuilder,
) -> None:
    site.write(
        "keps/sig-x/1-thing/kep.yaml",
        "title: A thing\nkep-number: 1\nauthors: ['@ada']\nowning-sig: sig-x\n"
        "status: implementable\ncreation-date: 2024-01-02\nmilestone: {alpha: v1.29}\n"
        "disable-supported: true\nparticipating-sigs: []\n",
    )
    site.write("keps/sig-x/1-thing/README.md", "# KEP-1: A thing\n\n## Summary\n\nShort.\n")
    result = site.build(plugin_options={"preset": "kep"})
    assert not result.failed, result.messages
    page = result.content("keps/sig-x/1-thing/index.html")
    text = " ".join(page.get_text(" ").split())
    assert "ID: 1" in text and "Milestones: alpha: v1.29" in text
    assert "Disable supported: yes" in text and "Owning SIG: sig-x" in text
    assert page.select_one(".techplan-badge").get_text(strip=True) == "Implementable"
    assert not (result.site_dir / "keps/sig-x/1-thing/kep.yaml").exists()
    site.write(
        "keps/sig-x/1-thing/kep.yaml",
        "title: A thing\nstatus: imlpemented\nowning-sigg: sig-x\n",
    )
    failed = site.build(plugin_options={"preset": "kep"})
    assert failed.failed
    messages = failed.techplan_warnings
    assert any(
        m.startswith("docs/keps/sig-x/1-thing/kep.yaml:3:1: `owning-sigg`") for m in messages
    ), "\n".join(messages)
    assert any(
        m.startswith("docs/keps/sig-x/1-thing/kep.yaml:2:9:") and "`implemented`" in m.casefold()
        for m in messages
    ), messages


def test_site_checks_name_the_kep_yaml_line_they_are_about(site: SiteBuilder) -> None:
    """Found on kubernetes/enhancements: two KEPs numbered 2133 were reported at
    `README.md:10000002:13`, the offset a kep.yaml's lines are counted from."""
    for folder in ("sig-a/2133-one", "sig-b/2133-two"):
        site.write(f"keps/{folder}/kep.yaml", "title: T\nkep-number: 2133\nstatus: provisional\n")
        site.write(f"keps/{folder}/README.md", "# KEP-2133: T\n\n## Summary\n\nShort.\n")
    site.write(
        "keps/sig-c/7-three/kep.yaml",
        "title: Three\nkep-number: 7\nstatus: provisional\ndepends_on: [9999]\n",
    )
    site.write("keps/sig-c/7-three/README.md", "# KEP-7: Three\n\n## Summary\n\nShort.\n")
    result = site.build(plugin_options={"preset": "kep"})
    assert result.failed
    messages = result.techplan_warnings
    for folder in ("sig-a/2133-one", "sig-b/2133-two"):
        assert any(
            m.startswith(f"docs/keps/{folder}/kep.yaml:2:13: `id` is `2133`") for m in messages
        ), messages
    assert any(m.startswith("docs/keps/sig-c/7-three/kep.yaml:4:") for m in messages), messages
    assert not any(":1000000" in m for m in messages), messages


def test_rfc_header_lines_and_a_glob_status(site: SiteBuilder) -> None:
    site.write(
        "text/0001-thing.md",
        "- Feature Name: `thing`\n- Start Date: 2020-01-02\n"
        "- RFC PR: [rust-lang/rfcs#1](https://github.com/rust-lang/rfcs/pull/1)\n"
        "- Rust Issue: [rust-lang/rust#2](https://github.com/rust-lang/rust/issues/2)\n\n"
        "## Summary\n[summary]: #summary\n\nOne line.\n\n## Unresolved questions\n\n"
        "- Which name?\n- Which syntax?\n",
    )
    options = {"preset": "rfc", "markdown_plans": [{"glob": "text/*.md", "status": "accepted"}]}
    result = site.build(plugin_options=options)
    assert not result.failed, result.messages
    page = result.content("text/0001-thing/index.html")
    text = " ".join(page.get_text(" ").split())
    assert "Date: 2020-01-02" in text and "Feature name: thing" in text
    assert page.find("a", href="https://github.com/rust-lang/rfcs/pull/1") is not None
    assert page.select_one(".techplan-badge").get_text(strip=True) == "Accepted"
    data = json.loads((result.site_dir / "plans" / "plans.json").read_text("utf-8"))
    assert data["plans"][0]["open_questions"] == 2


# emberjs/rfcs text/1132-default-strict-resolver.md's front matter as the repository holds
# it: a hyphenated stage, a start date written as a UTC time, empty keys (the body is ours).
EMBER_FRONT_MATTER = """\
---
stage: ready-for-release
start-date: 2025-08-13T00:00:00.000Z
release-date:
release-versions:
teams:
  - framework
prs:
  accepted: 'https://github.com/emberjs/rfcs/pull/1132'
  ready-for-release: 'https://github.com/emberjs/rfcs/pull/1142'
project-link:
suite:
---
"""
EMBER_OPTIONS = {
    "markdown_plans": ["text/*.md"],
    "statuses": ["Accepted", "Ready for release", "Released", "Recommended", "Discontinued"],
    "aliases": {"stage": "status", "start-date": "date"},
    "fields": {
        "teams": {"label": "Teams", "type": "people"},
        "release_date": {"label": "Release date", "type": "date"},
        "release_versions": {"label": "Release versions", "type": "mapping"},
        "prs": {"label": "Pull requests", "type": "mapping"},
        "project_link": {"label": "Project link", "type": "reference"},
        "suite": {"label": "Suite", "type": "text"},
    },
}


def test_an_ember_rfc_stage_and_start_time_read_as_the_site_spells_them(
    site: SiteBuilder,
) -> None:
    body = "\n# Default Strict Resolver\n\n## Summary\n\nOne resolver.\n"
    site.write("text/1132-default-strict-resolver.md", EMBER_FRONT_MATTER + body)
    site.write(
        "text/0002-later.md",
        "---\nstage: released\nstart-date: 2025-08-14 10:30 +02:00\n"
        "release-date: 2025-09-01T00:00:00Z\n---\n\n# Later\n\nText.\n",
    )
    result = site.build(plugin_options=EMBER_OPTIONS)
    assert not result.failed, result.messages
    page = result.content("text/1132-default-strict-resolver/index.html")
    assert page.select_one(".techplan-badge").get_text(strip=True) == "Ready for release"
    text = " ".join(page.get_text(" ").split())
    assert "2025-08-13" in text and "T00:00" not in text
    later = " ".join(result.content("text/0002-later/index.html").get_text(" ").split())
    # The day as written: its time zone is not applied (10:30 at +02:00 is 08:30 UTC that day,
    # but a date is the author's day).
    assert "2025-08-14" in later and "2025-09-01" in later and "10:30" not in later
    assert (
        result.content("text/0002-later/index.html")
        .select_one(".techplan-badge")
        .get_text(strip=True)
        == "Released"
    )


def test_a_time_that_names_no_day_is_still_an_error(site: SiteBuilder) -> None:
    site.write(
        "text/0003-bad.md",
        "---\nstage: accepted\nstart-date: 2025-02-30T00:00:00Z\n---\n\n# Bad\n\nText.\n",
    )
    result = site.build(plugin_options=EMBER_OPTIONS)
    assert result.failed
    assert any(m.startswith("docs/text/0003-bad.md:3:") for m in result.techplan_warnings), (
        result.techplan_warnings
    )


EIP_OPTIONS = {
    "markdown_plans": ["EIPS/*.md"],
    "statuses": ["Draft", "Review", "Final"],
    "aliases": {"eip": "id", "created": "date", "requires": "depends_on"},
}


def _eip(number: int, requires: str, author: str) -> str:
    return (
        f"---\neip: {number}\ntitle: Proposal {number}\nauthor: {author}\nstatus: Final\n"
        f"created: 2021-01-0{number % 9 + 1}\n{requires}---\n\n## Abstract\n\nText.\n"
    )


def test_eip_front_matter_numbers_and_comma_lists_read_as_ids_and_names(
    site: SiteBuilder,
) -> None:
    """EIP preambles write `requires: 1559` (a YAML number), `requires: 2718, 2930` (one
    text) and `author: Name (@handle), Name <mail>` (one text): the plans they name, and
    the people."""
    site.write("EIPS/eip-2718.md", _eip(2718, "", "Ada Lovelace (@ada)"))
    site.write("EIPS/eip-2930.md", _eip(2930, "requires: 2718\n", "Grace Hopper <g@example.org>"))
    site.write(
        "EIPS/eip-1559.md",
        _eip(1559, "requires: 2718, 2930\n", "Ada Lovelace (@ada), Grace Hopper (@grace), et al."),
    )
    site.write("EIPS/eip-3198.md", _eip(3198, "requires: [1559]\n", "Ada Lovelace (@ada)"))
    result = site.build(plugin_options=EIP_OPTIONS, site_url="https://example.com/")
    assert not result.failed, result.messages
    data = json.loads((result.site_dir / "plans" / "plans.json").read_text("utf-8"))
    plans = {plan["id"]: plan for plan in data["plans"]}
    assert set(plans) == {"2718", "2930", "1559", "3198"}
    depends = {
        number: [link["text"] for link in plan["relations"].get("depends_on", [])]
        for number, plan in plans.items()
    }
    assert depends == {
        "2718": [],
        "2930": ["Proposal 2718"],
        "1559": ["Proposal 2718", "Proposal 2930"],
        "3198": ["Proposal 1559"],
    }
    assert plans["1559"]["authors"] == ["Ada Lovelace (@ada)", "Grace Hopper (@grace)", "et al."]
    page = result.content("EIPS/eip-2930/index.html")
    assert "Grace Hopper <g@example.org>" in " ".join(page.get_text(" ").split())


def _eip_with_header_lines(number: int, requires: str) -> str:
    return (
        f"# Proposal {number}\n\n- EIP: {number}\n- Status: Final\n- Created: 2021-01-01\n"
        f"- Author: Ada Lovelace\n{requires}\n## Abstract\n\nText.\n"
    )


def test_header_lines_name_several_plans_by_ids_or_links_separated_by_commas(
    site: SiteBuilder,
) -> None:
    """`- Requires: 2718, 2930` and `- Requires: [EIP-2718](eip-2718.md), [EIP-2930](…)` name
    two plans each, as the same list in front matter does; a text with other words between
    its links stays one reference, which names no plan and fails at its line."""
    site.write("EIPS/eip-2718.md", _eip_with_header_lines(2718, ""))
    site.write("EIPS/eip-2930.md", _eip_with_header_lines(2930, "- Requires: 2718\n"))
    site.write("EIPS/eip-1559.md", _eip_with_header_lines(1559, "- Requires: 2718, 2930\n"))
    site.write(
        "EIPS/eip-3198.md",
        _eip_with_header_lines(
            3198, "- Requires: [EIP-2718](eip-2718.md), [EIP-2930](eip-2930.md)\n"
        ),
    )
    result = site.build(plugin_options=EIP_OPTIONS, site_url="https://example.com/")
    assert not result.failed, result.messages
    data = json.loads((result.site_dir / "plans" / "plans.json").read_text("utf-8"))
    depends = {
        plan["id"]: [link["text"] for link in plan["relations"].get("depends_on", [])]
        for plan in data["plans"]
    }
    assert depends == {
        "2718": [],
        "2930": ["Proposal 2718"],
        "1559": ["Proposal 2718", "Proposal 2930"],
        "3198": ["Proposal 2718", "Proposal 2930"],
    }
    site.write(
        "EIPS/eip-3198.md",
        _eip_with_header_lines(3198, "- Requires: [EIP-2718](eip-2718.md) and more\n"),
    )
    result = site.build(plugin_options=EIP_OPTIONS)
    assert result.failed
    assert any(m.startswith("docs/EIPS/eip-3198.md:") for m in result.techplan_warnings), (
        result.techplan_warnings
    )


def test_a_comma_list_naming_no_plan_fails_strict_at_its_line(site: SiteBuilder) -> None:
    site.write("EIPS/eip-1.md", _eip(1, "requires: 2, 3\n", "Ada"))
    site.write("EIPS/eip-2.md", _eip(2, "", "Ada"))
    result = site.build(plugin_options=EIP_OPTIONS)
    assert result.failed
    assert any(
        m.startswith("docs/EIPS/eip-1.md:") and "`3`" in m for m in result.techplan_warnings
    ), result.techplan_warnings


def test_a_header_line_nobody_knows_names_its_line(site: SiteBuilder) -> None:
    site.write("a.plan.md", "# A\n\n* Status: Draft\n* Reviewr: Ada\n\nText.\n")
    result = site.build()
    assert result.failed
    assert any(m.startswith("docs/a.plan.md:4:3: `Reviewr`") for m in result.techplan_warnings)


# A plan written from the plan template, as a team fills it in: its header is a paragraph of
# `**Label:** value` lines (the template's own shape), not a list or front matter.
TEMPLATE_PLAN = """\
# Technical Plan: Search reindex

**Version:** 1.2
**Status:** In Review
**Author:** Ada Lovelace, Grace Hopper
**Date:** 2026-03-01
**Specification:** [Search](../../specs/search.md)

---

## Architecture Overview

Two indexes, one alias.
"""


def test_a_plan_written_from_the_template_reads_its_bold_header_lines(site: SiteBuilder) -> None:
    _spec(site)
    site.write("plans/reindex/plan.md", TEMPLATE_PLAN)
    result = site.build()
    assert not result.failed, result.messages
    page = result.content("plans/reindex/plan/index.html")
    text = " ".join(page.get_text(" ").split())
    assert page.select_one(".techplan-badge").get_text(strip=True) == "In Review"
    assert "Version: 1.2" in text and "Date: 2026-03-01" in text
    assert "Author: Ada Lovelace, Grace Hopper" in text
    assert "**" not in text and text.count("Version: 1.2") == 1  # read, not shown as text
    assert page.find("h1").get_text().rstrip("¶").strip() == "Technical Plan: Search reindex"
    title = result.html("plans/reindex/plan/index.html").find("title").get_text()
    assert title.count("Technical Plan:") == 1, title  # the template's title is not doubled
    spec = result.content("specs/search/index.html")
    assert spec.find("a", href="../../plans/reindex/plan/") is not None  # its backlink


def test_header_paragraphs_of_a_design_document_and_text_that_only_looks_like_one(
    site: SiteBuilder,
) -> None:
    """A Go design document's header is paragraphs of one `Label: value` line each, ending
    at the first paragraph that is not (`Discussion at …`). A paragraph that names no key
    (`Note: …`) is the document's text, as is one with a line of prose."""
    site.write(
        "design/12166-subtests.md",
        "# Proposal: testing: programmatic sub-test and sub-benchmark support\n\n"
        "Author(s): Marcel van Lohuizen\\\nLast updated: 2015-09-02\n\n"
        "Discussion at https://golang.org/issue/12166.\n\n## Abstract\n\nSubtests.\n",
    )
    site.write(
        "design/4238-go12nil.md",
        "# Go 1.2 Field Selectors and Nil Checks\n\nNote: this text is Go 1.2's.\n\n"
        "Author: Russ Cox\nwith help from everyone\n\n## Background\n\nNil.\n",
    )
    options = {
        "markdown_plans": [{"glob": "design/*.md", "status": "Accepted"}],
        "statuses": ["Accepted", "Declined"],
        "aliases": {"Author(s)": "author", "Last updated": "date"},
    }
    result = site.build(plugin_options=options)
    assert not result.failed, result.messages
    page = result.content("design/12166-subtests/index.html")
    text = " ".join(page.get_text(" ").split())
    assert "Author: Marcel van Lohuizen" in text and "Date: 2015-09-02" in text
    assert "Author(s):" not in text and "Last updated:" not in text
    assert "Discussion at https://golang.org/issue/12166." in text  # stays where it was
    other = " ".join(result.content("design/4238-go12nil/index.html").get_text(" ").split())
    assert "Note: this text is Go 1.2's." in other
    assert "Author: Russ Cox with help from everyone" in other  # prose, not a header


def test_an_unknown_label_among_header_paragraph_lines_names_its_line(
    site: SiteBuilder,
) -> None:
    site.write("a.plan.md", "# A\n\n**Status:** Draft\n__Reviewr__: Ada\n\nText.\n")
    result = site.build()
    assert result.failed
    assert any(m.startswith("docs/a.plan.md:4:3: `Reviewr`") for m in result.techplan_warnings), (
        result.techplan_warnings
    )


def test_emphasised_labels_in_header_list_lines(site: SiteBuilder) -> None:
    site.write("b.plan.md", "# B\n\n- **Status**: draft\n- *Author:* Ada\n\nText.\n")
    result = site.build()
    assert not result.failed, result.messages
    page = result.content("b.plan/index.html")
    assert page.select_one(".techplan-badge").get_text(strip=True) == "Draft"
    assert "Author: Ada" in " ".join(page.get_text(" ").split())


def test_a_plan_keeps_its_url_and_one_claiming_a_taken_page_names_it(site: SiteBuilder) -> None:
    site.write("beps/x/README.md", "---\ntitle: X\nstatus: Draft\n---\nText.\n")
    site.write("beps/y/README.md", "---\ntitle: Y\nstatus: Draft\n---\nText.\n")
    site.write("beps/y/index.md", "# Y's own index\n")
    result = site.build(plugin_options={"markdown_plans": ["beps/*/README.md"]})
    assert result.failed
    assert (result.site_dir / "beps/x/index.html").is_file()  # README.md's own URL
    joined = "\n".join(result.warnings)  # MkDocs itself names the two
    assert "beps/y/README.md" in joined and "beps/y/index.md" in joined


def test_validate_and_list_read_markdown_plans(site: SiteBuilder) -> None:
    _spec(site)
    site.write("plans/reindex/plan.md", TEAM_PLAN)
    site.build()
    runner = CliRunner()
    listed = runner.invoke(main, ["list", "-f", str(site.root / "mkdocs.yml")])
    assert listed.exit_code == 0, listed.output
    assert "Search reindex" in listed.output
    checked = runner.invoke(main, ["validate", "-f", str(site.root / "mkdocs.yml")])
    assert checked.exit_code == 0, checked.output


def test_new_writes_a_markdown_plan_the_strict_build_accepts(site: SiteBuilder) -> None:
    site.build()  # writes mkdocs.yml
    target = site.docs / "plans" / "cache" / "plan.md"
    runner = CliRunner()
    made = runner.invoke(
        main, ["new", str(target), "--title", "Cache", "-f", str(site.root / "mkdocs.yml")]
    )
    assert made.exit_code == 0, made.output
    text = target.read_text("utf-8")
    assert text.startswith("---\ntitle: Cache\nstatus: Draft\n") and "\n# Cache\n" in text
    again = runner.invoke(main, ["new", str(target), "-f", str(site.root / "mkdocs.yml")])
    assert again.exit_code != 0 and target.read_text("utf-8") == text  # never replaced
    result = site.build()
    assert not result.failed, result.messages
    page = result.content("plans/cache/plan/index.html")
    assert "Architecture Overview" in [
        h.get_text().rstrip("¶").strip() for h in page.find_all("h2")
    ]
    assert "<!--" not in page.get_text()


def test_a_footnote_of_a_markdown_plan_is_sanitized_where_markdown_moves_it(
    site: SiteBuilder,
) -> None:
    """Python-Markdown puts footnotes at the end of the page, after the plan's marked region:
    a plan's page is sanitized whole."""
    site.write(
        "plans/f.plan.md",
        "---\ntitle: F\nstatus: Draft\n---\n\nText[^1].\n\n"
        '[^1]: A note <img src=x onerror="alert(1)"><script>alert(2)</script> '
        "[x](javascript:alert(3))\n",
    )
    result = site.build(markdown_extensions=["footnotes"])
    assert not result.failed, result.messages
    html = (result.site_dir / "plans/f.plan/index.html").read_text("utf-8")
    footnotes = result.content("plans/f.plan/index.html").select_one(".footnote")
    assert footnotes is not None and "A note" in footnotes.get_text()
    assert "onerror" not in html and "alert(2)" not in html and "javascript:alert" not in html


def test_a_build_for_written_pages_renders_only_the_plans_written_in_markdown(
    site: SiteBuilder,
) -> None:
    """Zensical converts the pages `pages` wrote itself: its build renders only the pages
    that are their own source, each as the full build renders it."""
    _spec(site)
    site.write("plans/reindex/plan.md", TEAM_PLAN)
    site.write_plan("plans/billing/plan.yaml", {"title": "Billing", "status": "Draft"})
    site.build(strict=False)
    loaded = load_site(str(site.root / "mkdocs.yml"))
    full = build_docs_folder(loaded)
    own = build_docs_folder(loaded, plan_pages="own")
    assert set(own.pages_in_place) == {"plans/reindex/plan.md"}
    assert dict(own.plan_pages()) == {
        "plans/reindex/plan.md": dict(full.plan_pages())["plans/reindex/plan.md"]
    }
    assert "plans/billing/index.md" in dict(full.plan_pages())
    assert own.problems == full.problems and own.written == full.written == set()


def test_invalid_front_matter_names_the_files_lines_and_what_to_write(site: SiteBuilder) -> None:
    """AWS CDK RFCs write `rfc pr: [#335](…)`, a Markdown link YAML reads as a list: the
    message counts the page's lines (front matter starts on line 2), not the YAML's, and says
    to quote it."""
    site.write(
        "text/0077-x.md",
        "---\nrfc pr: [#335](https://github.com/aws/aws-cdk-rfcs/pull/335)\n"
        "tracking issue: https://github.com/aws/aws-cdk-rfcs/issues/77\n---\n\n# X\n\nText.\n",
    )
    options = {"markdown_plans": [{"glob": "text/*.md", "status": "Draft"}]}
    result = site.build(plugin_options=options)
    assert result.failed
    (message,) = [m for m in result.techplan_warnings if m.startswith("docs/text/0077-x.md:")]
    assert "flow sequence that starts at line 2, column 9" in message, message
    assert "put the whole value in double quotes" in message


def test_a_duplicate_front_matter_key_names_both_lines_as_the_page_counts_them(
    site: SiteBuilder,
) -> None:
    site.write("plans/a.plan.md", "---\ntitle: A\nstatus: Draft\ntitle: B\n---\n\nText.\n")
    result = site.build()
    assert result.failed
    (message,) = result.techplan_warnings
    assert message.startswith("docs/plans/a.plan.md:4:1: duplicate key `title`")
    assert "already set at line 2, column 1" in message


# TensorFlow's RFC template: the header is a table under the title, its header row the
# `Status` row, its other rows bold labels (rfcs/yyyymmdd-rfc-template.md, shortened).
TENSORFLOW_OPTIONS = {
    "markdown_plans": ["rfcs/*.md"],
    "statuses": ["Proposed", "Accepted", "Implemented", "Obsolete"],
    "aliases": {"Author(s)": "author", "Updated": "date"},
    "fields": {
        "rfc_pr": {"label": "RFC #", "type": "text"},
        "sponsor": {"label": "Sponsor", "type": "people"},
    },
}


def test_a_header_table_is_read_as_header_lines_and_not_shown_again(site: SiteBuilder) -> None:
    site.write(
        "rfcs/20200211-types.md",
        "# Canonical types\n\n"
        "| Status        | Accepted       |\n"
        ":-------------- |:-------------- |\n"
        "| **Author(s)** | Ada (ada@example.org), |\n"
        "|               | Grace (grace@example.org) |\n"
        "| **RFC #**     | [208](https://example.org/pull/208)\n"
        "| **Sponsor**   | *Alan*         |\n"
        "| **Updated**   | 2020-03-21     |\n\n"
        "## Objective\n\nTypes.\n",
    )
    result = site.build(plugin_options=TENSORFLOW_OPTIONS)
    assert not result.failed, result.messages
    page = result.content("rfcs/20200211-types/index.html")
    text = " ".join(page.get_text(" ").split())
    assert page.select_one(".techplan-badge").get_text(strip=True) == "Accepted"
    # A row with no label goes on with the value above it.
    assert "Author: Ada (ada@example.org), Grace (grace@example.org)" in text
    assert "Date: 2020-03-21" in text
    assert "Sponsor: Alan" in text  # a name: emphasis dropped, as on a header list line
    assert page.find("a", href="https://example.org/pull/208").get_text() == "208"  # Markdown
    assert page.find("table") is None and "Updated" not in text  # read, not shown as text
    data = json.loads((result.site_dir / "plans" / "plans.json").read_text("utf-8"))
    assert data["plans"][0]["authors"] == ["Ada (ada@example.org)", "Grace (grace@example.org)"]


def test_a_header_table_before_the_title_and_without_outer_pipes(site: SiteBuilder) -> None:
    site.write(
        "rfcs/a.md",
        "Status        | Proposed\n:------------ | :-------\n**Updated**   | 2022-11-06\n\n"
        "# Stochastic rounding\n\nText.\n",
    )
    result = site.build(plugin_options=TENSORFLOW_OPTIONS)
    assert not result.failed, result.messages
    page = result.content("rfcs/a/index.html")
    assert page.select_one(".techplan-badge").get_text(strip=True) == "Proposed"
    assert page.find("h1").get_text().rstrip("¶").strip() == "Stochastic rounding"
    assert page.find("table") is None


def test_comments_opening_the_document_come_before_its_title_and_header(
    site: SiteBuilder,
) -> None:
    """A licence or a linter's directive in a comment shows nothing: the title and the header
    lines or table after it are read as if the document opened with them."""
    site.write(
        "rfcs/table.md",
        "<!-- markdownlint-disable MD041 -->\n<!-- Copyright 2020 -->\n\n"
        "# Standardized inputs\n\n"
        "| Status        | Implemented |\n:-- | :-- |\n| **Updated** | 2020-01-17 |\n\n"
        "## Objective\n\nInputs.\n",
    )
    site.write(
        "rfcs/list.md",
        "<!--\n  SPDX-License-Identifier: Apache-2.0\n-->\n"
        "- Status: Proposed\n- Updated: 2021-03-07\n\n# Artifact compatibility\n\nText.\n",
    )
    result = site.build(plugin_options=TENSORFLOW_OPTIONS)
    assert not result.failed, result.messages
    for page_path, status, title in (
        ("rfcs/table/index.html", "Implemented", "Standardized inputs"),
        ("rfcs/list/index.html", "Proposed", "Artifact compatibility"),
    ):
        page = result.content(page_path)
        assert page.select_one(".techplan-badge").get_text(strip=True) == status
        assert page.find("h1").get_text().rstrip("¶").strip() == title
        assert page.find("table") is None and "Updated" not in page.get_text()


def test_a_comment_with_something_shown_is_no_opening_comment(site: SiteBuilder) -> None:
    site.write(
        "rfcs/a.md",
        '<!-- a note --><div class="note">Read me first.</div>\n\n'
        "| Status | Proposed |\n| --- | --- |\n\n# Title\n\nText.\n",
    )
    result = site.build(plugin_options=TENSORFLOW_OPTIONS)
    page = result.content("rfcs/a/index.html")
    # The table follows a block that shows something: it is the document's text, and the
    # plan states no status.
    assert page.find("table") is not None
    assert any("rfcs/a.md" in message and "`status`" in message for message in result.messages), (
        result.messages
    )


def test_header_table_problems_point_at_the_cells(site: SiteBuilder) -> None:
    """An unknown label is reported at its cell, a wrong value at the value's cell, as for
    header list lines."""
    site.write(
        "rfcs/a.md",
        "# A\n\n| Status | Accepted |\n|---|---|\n| **Reviewr** | Ada |\n"
        "| **Updated** |   someday |\n\nText.\n",
    )
    result = site.build(plugin_options=TENSORFLOW_OPTIONS)
    assert result.failed
    warnings = result.techplan_warnings
    assert any(m.startswith("docs/rfcs/a.md:5:5: `Reviewr`") for m in warnings), warnings
    assert any(m.startswith("docs/rfcs/a.md:6:19:") for m in warnings), warnings


def test_a_table_after_text_or_of_data_stays_the_documents_text(site: SiteBuilder) -> None:
    """Only a table that opens the document, with two columns whose left cells are labels
    and one of them a key's, is a header: a table after the first paragraph, one of three
    columns, and one of data (left cells that are no labels, or labels naming no key) are
    shown where they are."""
    bodies = {
        "after-text": "# A\n\nText.\n\n| Status | Proposed |\n|---|---|\n",
        "three-columns": "# A\n\n| Status | Proposed | now |\n|---|---|---|\n",
        "options": "# A\n\n| Option | Meaning |\n|---|---|\n| `--fast` | skip checks |\n",
        "no-key": "# A\n\n| Port | 80 |\n|---|---|\n| Host | example.org |\n",
    }
    for name, body in bodies.items():
        site.write(f"rfcs/{name}.md", body)
    options = {
        **TENSORFLOW_OPTIONS,
        "markdown_plans": [{"glob": "rfcs/*.md", "status": "Obsolete"}],
    }
    result = site.build(plugin_options=options)
    assert not result.failed, result.messages
    for name in bodies:
        page = result.content(f"rfcs/{name}/index.html")
        assert page.select_one(".techplan-badge").get_text(strip=True) == "Obsolete", name
        assert page.find("table") is not None, name


def test_header_list_lines_then_a_table(site: SiteBuilder) -> None:
    """The header is one block, a list or a table, as it is for header lists: a table after
    header list lines is the document's text (and its `Status` is no second status)."""
    site.write(
        "rfcs/a.md",
        "# A\n\n- Status: Accepted\n- Author(s): Ada\n\n| Status | Proposed |\n|---|---|\n\n"
        "Text.\n",
    )
    result = site.build(plugin_options=TENSORFLOW_OPTIONS)
    assert not result.failed, result.messages
    page = result.content("rfcs/a/index.html")
    assert page.select_one(".techplan-badge").get_text(strip=True) == "Accepted"
    assert "Author: Ada" in " ".join(page.get_text(" ").split())
    assert page.find("table").find("th", string="Proposed") is not None
