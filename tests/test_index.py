"""Real builds: the plans index page, its counts and table, and index markers in any page."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import BuildResult, SiteBuilder, full_plan_text
from mkdocs.exceptions import Abort

from mkdocs_techplan.build.docs_folder import build_docs_folder
from mkdocs_techplan.build.site_config import load_site
from mkdocs_techplan.config import INDEX_COLUMNS
from mkdocs_techplan.render.listings import COLUMNS
from mkdocs_techplan.render.safety import sanitize_html

BILLING = """
title: Usage billing
status: approved            # lower case: shown in the configured spelling
author: Mei Chen
date: 2026-01-05
specification: /specs/billing.md#rating
summary: Charge for usage, not seats.
tags: [billing, Security]
open_questions:
  - {item: Monthly or yearly?, done: true}
dependencies:
  - {name: Metering pipeline, status: live, done: true}
  - {name: Tax service, status: pending}
revisions:
  - {version: "1.0", date: 2026-01-05, author: Mei Chen, changes: First version}
"""
REFUNDS = """
title: Refunds
status: Draft
date: 2025-06-01
tags: [payments]
"""
LEDGER = """
title: Ledger rewrite
status: Draft
"""
ARCHIVE = """
title: Archive search
status: In Review
author: Ada Lovelace
specification: ../../specs/auth.md
"""

TITLES_IN_ORDER = [
    "Session-based authentication",  # 2026-11-02
    "Usage billing",  # 2026-01-05
    "Refunds",  # 2025-06-01
    "Archive search",  # undated plans last, by title
    "Ledger rewrite",
]


def portfolio(site: SiteBuilder) -> None:
    """Five plans in nested folders, both file-name forms, every default status."""
    site.write("specs/auth.md", "# Authentication spec\n\n## Tokens\n")
    site.write("specs/auth-api.md", "# Auth API\n")
    site.write("specs/billing.md", "# Billing spec\n\n## Rating\n")
    site.write("plans/auth/plan.yaml", full_plan_text())
    site.write("plans/2026/billing.plan.yaml", BILLING)
    site.write("teams/payments/refunds/plan.yml", REFUNDS)
    site.write("teams/payments/ledger.plan.yml", LEDGER)
    site.write("plans/archive/plan.yaml", ARCHIVE)


def built(site: SiteBuilder, **kwargs: object) -> BuildResult:
    result = site.build(**kwargs)  # type: ignore[arg-type]
    assert not result.failed, result.messages
    assert result.techplan_warnings == []
    return result


def table_rows(page: Tag, number: int = 0) -> list[dict[str, Tag]]:
    """The rows of the page's `number`-th listing table, as {column key: cell}."""
    table = page.select("table")[number]
    keys = [span["data-techplan-column"] for span in table.select("thead [data-techplan-column]")]
    return [dict(zip(keys, row.find_all("td"), strict=True)) for row in table.select("tbody tr")]


def titles(rows: list[dict[str, Tag]]) -> list[str]:
    return [row["title"].get_text(strip=True) for row in rows]


def counts(page: Tag, number: int = 0) -> dict[str, int]:
    line = page.select(".techplan-counts")[number]
    found = {}
    for badge in line.select(".techplan-badge"):
        number_text = badge.select_one(".techplan-badge__count").get_text()
        found[badge.contents[0].strip()] = int(number_text)
    return found


def resolve_href(result: BuildResult, page_path: str, href: str) -> Path:
    """The built file a relative link on `page_path` leads to."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), href.split("#")[0]))
    path = result.site_dir / target
    return path / "index.html" if href.endswith("/") or path.is_dir() else path


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
@pytest.mark.parametrize("directory_urls", [True, False])
def test_index_links_every_plan_with_its_badge_newest_first(
    site: SiteBuilder, theme: str, directory_urls: bool
) -> None:
    portfolio(site)
    result = built(site, theme=theme, use_directory_urls=directory_urls)
    index_path = "plans/index.html"
    page = result.content(index_path)
    rows = table_rows(page)
    assert titles(rows) == TITLES_IN_ORDER
    statuses = [row["status"].select_one(".techplan-badge") for row in rows]
    assert [badge.get_text() for badge in statuses] == [
        "In Review", "Approved", "Draft", "In Review", "Draft",
    ]  # fmt: skip
    assert [badge["class"][1] for badge in statuses] == [
        "techplan-badge--in-review", "techplan-badge--approved", "techplan-badge--draft",
        "techplan-badge--in-review", "techplan-badge--draft",
    ]  # fmt: skip
    for row, title in zip(rows, TITLES_IN_ORDER, strict=True):
        target = resolve_href(result, index_path, row["title"].a["href"])
        built_page = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
        assert built_page.h1 is not None
        assert title in built_page.h1.get_text()


def test_index_counts_plans_per_status_as_badges(site: SiteBuilder) -> None:
    portfolio(site)
    page = built(site).content("plans/index.html")
    assert counts(page) == {"Draft": 2, "In Review": 2, "Approved": 1}
    assert page.select_one(".techplan-counts__total").get_text() == "5 plans"


def test_index_shows_version_authors_date_summary_and_roll_ups(site: SiteBuilder) -> None:
    portfolio(site)
    rows = table_rows(built(site).content("plans/index.html"))
    auth, billing, _refunds, archive, _ledger = (
        {key: cell.get_text(" ", strip=True) for key, cell in row.items()} for row in rows
    )
    assert auth == {
        "title": "Session-based authentication",
        "status": "In Review",
        "date": "2026-11-02",
        "specification": "Authentication spec",
        "summary": "Replace API keys with short-lived sessions backed by a token service.",
        "open_questions": "1",  # one of two questions is resolved
        "high_risks": "1",
        "checklist": "50% (5/10)",
    }
    assert billing["open_questions"] == "0"
    assert billing["checklist"] == "67% (2/3)"
    assert archive["checklist"] == ""  # no checklist at all: nothing to report


def test_version_and_author_are_columns_on_request(site: SiteBuilder) -> None:
    portfolio(site)
    columns = ["title", "version", "author"]
    result = site.build(plugin_options={"index": {"columns": columns}})
    first = table_rows(result.content("plans/index.html"))[0]
    assert {key: cell.get_text(" ", strip=True) for key, cell in first.items()} == {
        "title": "Session-based authentication",
        "version": "1.2",
        "author": "Ada Lovelace, Grace Hopper",
    }


def test_index_links_specifications_relative_to_the_index(site: SiteBuilder) -> None:
    portfolio(site)
    result = built(site)
    rows = table_rows(result.content("plans/index.html"))
    links = {
        titles([row])[0]: row["specification"].a["href"] for row in rows if row["specification"].a
    }
    assert links == {
        "Session-based authentication": "../specs/auth/",
        "Usage billing": "../specs/billing/#rating",
        "Archive search": "../specs/auth/",
    }


def test_rows_carry_their_status_for_the_script(site: SiteBuilder) -> None:
    portfolio(site)
    rows = table_rows(built(site).content("plans/index.html"))
    markers = [row["title"].select_one(".techplan-row")["data-techplan-status"] for row in rows]
    assert markers == ["in-review", "approved", "draft", "in-review", "draft"]


def test_index_page_has_its_title_and_is_in_the_nav(site: SiteBuilder) -> None:
    portfolio(site)
    result = built(site, theme="material")
    soup = result.html("plans/index.html")
    assert soup.title is not None and soup.title.get_text().startswith("Plans")
    assert result.content("plans/index.html").h1.get_text(strip=True).rstrip("¶") == "Plans"


def test_index_without_plans_says_so(site: SiteBuilder) -> None:
    page = built(site).content("plans/index.html")
    assert page.select("table") == []
    assert "No plans yet" in page.get_text()
    assert page.select_one(".techplan-counts__total").get_text() == "0 plans"


# --- The `index` option -------------------------------------------------------------------


def test_index_option_moves_and_retitles_the_index(site: SiteBuilder) -> None:
    portfolio(site)
    result = built(
        site, plugin_options={"index": {"path": "engineering/roadmap.md", "title": "Roadmap"}}
    )
    assert not (result.site_dir / "plans" / "index.html").exists()
    page = result.content("engineering/roadmap/index.html")
    assert page.h1.get_text(strip=True) == "Roadmap"
    assert titles(table_rows(page)) == TITLES_IN_ORDER
    assert (result.site_dir / "engineering" / "plans.json").is_file()


def test_index_false_turns_the_page_off_but_keeps_the_exports(site: SiteBuilder) -> None:
    portfolio(site)
    result = built(site, plugin_options={"index": False}, site_url="https://example.org/")
    assert not (result.site_dir / "plans" / "index.html").exists()
    assert (result.site_dir / "plans" / "plans.json").is_file()
    assert (result.site_dir / "plans" / "feed.xml").is_file()


def test_index_columns_option_chooses_columns_and_their_order(site: SiteBuilder) -> None:
    portfolio(site)
    result = built(site, plugin_options={"index": {"columns": ["date", "title", "tags", "source"]}})
    page = result.content("plans/index.html")
    headers = [th.get_text(strip=True) for th in page.select("thead th")]
    assert headers == ["Date", "Plan", "Tags", "Source"]
    first = table_rows(page)[0]
    assert first["tags"].get_text() == "security, backend"
    assert first["source"].get_text() == "plans/auth/plan.yaml"
    # The row's status marker sits in the first cell, whichever column that is.
    assert first["date"].select_one(".techplan-row")["data-techplan-status"] == "in-review"


def test_unknown_index_column_is_a_configuration_error(
    site: SiteBuilder, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(Abort):
        site.build(plugin_options={"index": {"columns": ["title", "owner"]}})
    assert "option 'index': `index.columns` names 'owner', which is not a column" in caplog.text
    assert "columns are title, status" in caplog.text


def test_index_path_outside_docs_is_a_configuration_error(
    site: SiteBuilder, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(Abort):
        site.build(plugin_options={"index": {"path": "../plans.md"}})
    assert (
        "`index.path` must be a Markdown page inside docs_dir such as `plans/index.md`, "
        "not '../plans.md'"
    ) in caplog.text


def test_every_column_has_a_heading() -> None:
    assert set(COLUMNS) == set(INDEX_COLUMNS)


# --- A page the author wrote at the index path ------------------------------------------


def test_hand_written_index_keeps_its_words_and_gets_the_table_at_its_end(
    site: SiteBuilder,
) -> None:
    portfolio(site)
    site.write("plans/index.md", "# Our plans\n\nAsk **Mei** before starting a plan.\n")
    result = built(site)
    page = result.content("plans/index.html")
    assert page.h1.get_text(strip=True) == "Our plans"
    assert "Ask Mei before starting a plan." in page.get_text(" ", strip=True).replace(" .", ".")
    paragraph = page.find("strong", string="Mei")
    table = page.select_one("table")
    assert paragraph is not None and table is not None
    assert paragraph.find_next("table") is table  # the listing follows the author's text
    assert titles(table_rows(page)) == TITLES_IN_ORDER


def test_hand_written_index_with_a_marker_gets_the_table_there(site: SiteBuilder) -> None:
    portfolio(site)
    site.write(
        "plans/index.md",
        "# Our plans\n\nBefore.\n\n<!-- techplan:index -->\n\nAfter the table.\n",
    )
    page = built(site).content("plans/index.html")
    table = page.select_one("table")
    before = page.find("p", string="Before.")
    after = page.find("p", string="After the table.")
    assert before is not None and after is not None and table is not None
    assert before.find_next("table") is table
    assert table.find_next("p", string="After the table.") is after
    assert len(page.select("table")) == 1


def test_plan_at_the_index_path_keeps_its_page_and_the_index_warns(site: SiteBuilder) -> None:
    site.write("plans/plan.yaml", "title: Everything\nstatus: Draft\n")
    result = site.build()
    assert result.failed
    assert result.techplan_warnings == [
        "docs/plans/plan.yaml:1:1: this plan becomes the page `plans/index.md`, where the plans "
        "index goes, so the index is not generated; move the plan into a folder of its own or "
        "set the `index.path` option"
    ]
    assert "Everything" in result.content("plans/index.html").h1.get_text()


# --- Markers in any page -----------------------------------------------------------------


MARKERS_PAGE = """
# Overview

<!-- techplan:index status="approved" -->

<!-- techplan:index tag="security" -->

<!-- techplan:index path="teams/payments/" -->

<!-- techplan:index status="Draft, In Review" path="/plans" columns="title,status" -->

```markdown
<!-- techplan:index -->
```

Inline: `<!-- techplan:index -->` stays code.
"""


def test_markers_in_any_page_select_rows_by_status_tag_and_path(site: SiteBuilder) -> None:
    portfolio(site)
    site.write("overview.md", MARKERS_PAGE)
    page = built(site).content("overview/index.html")
    assert len(page.select("table")) == 4
    assert titles(table_rows(page, 0)) == ["Usage billing"]
    # Tags match exactly, as Material's tags plugin tells `security` and `Security` apart.
    assert titles(table_rows(page, 1)) == ["Session-based authentication"]
    assert titles(table_rows(page, 2)) == ["Refunds", "Ledger rewrite"]
    assert titles(table_rows(page, 3)) == ["Session-based authentication", "Archive search"]
    assert counts(page, 0) == {"Approved": 1}
    assert counts(page, 3) == {"Draft": 0, "In Review": 2}
    assert [th.get_text(strip=True) for th in page.select("table")[3].select("th")] == [
        "Plan", "Status",
    ]  # fmt: skip
    # Each listing on the page has its own number for the script.
    numbers = [line["data-techplan-listing"] for line in page.select(".techplan-counts")]
    assert numbers == ["1", "2", "3", "4"]
    # Links are relative to this page, not to the index.
    first_link = table_rows(page, 0)[0]["title"].a["href"]
    assert first_link == "../plans/2026/billing/"
    # A marker shown as code is left alone.
    assert "<!-- techplan:index -->" in page.select_one("pre").get_text()
    assert page.find("code", string="<!-- techplan:index -->") is not None


def test_marker_that_matches_nothing_says_so(site: SiteBuilder) -> None:
    portfolio(site)
    site.write("empty.md", '# Empty\n\n<!-- techplan:index tag="nothing-has-this" -->\n')
    page = built(site).content("empty/index.html")
    assert page.select("table") == []
    assert "No plan matches this listing's filters." in page.get_text()


def test_marker_with_a_wrong_status_or_filter_warns_with_the_page_and_line(
    site: SiteBuilder,
) -> None:
    portfolio(site)
    site.write(
        "overview.md",
        '# Overview\n\n<!-- techplan:index status="Aproved" -->\n\n'
        '<!-- techplan:index owner="me" columns="title,stats" -->\n',
    )
    result = site.build()
    assert result.failed
    assert result.techplan_warnings == [
        "docs/overview.md:3:1: the index marker names the status `Aproved`, which does not "
        "exist; did you mean `Approved`?",
        "docs/overview.md:5:1: the index marker names the filter `owner`, which does not exist; "
        "known: `status`, `tag`, `path`, `columns`",
        "docs/overview.md:5:1: the index marker names the column `stats`, which does not exist; "
        "did you mean `status`?",
    ]
    # A misspelt status shows no plan rather than every plan.
    page = result.content("overview/index.html")
    assert "No plan matches this listing's filters." in page.get_text()


def test_index_is_in_the_search_index(site: SiteBuilder) -> None:
    portfolio(site)
    site.write("overview.md", '# Overview\n\n<!-- techplan:index tag="billing" -->\n')
    result = built(site, plugins=["search", "techplan"])
    entries = json.loads((result.site_dir / "search" / "search_index.json").read_text())["docs"]
    overview = next(entry for entry in entries if entry["location"] == "overview/")
    assert "Usage billing" in overview["text"]


def test_marker_with_text_that_is_not_key_value_warns(site: SiteBuilder) -> None:
    portfolio(site)
    site.write("overview.md", "# Overview\n\n<!-- techplan:index status=Draft -->\n")
    result = site.build()
    assert result.techplan_warnings == [
        "docs/overview.md:3:1: the index marker has `status=Draft`, which is not "
        '`key="value"`; write e.g. <!-- techplan:index status="Approved" tag="security" -->'
    ]


def test_a_listing_is_the_html_its_markdown_table_makes_on_a_hand_written_page(
    site: SiteBuilder,
) -> None:
    """A build writes a listing as one HTML block whose links and summaries are Markdown
    cells the page converts (a 1,000-row Markdown table took Python-Markdown 1.2 s); commands
    write the Markdown table. The table on a hand-written page beside the index, with every
    column, is the same HTML."""
    portfolio(site)
    site.write(
        "plans/styled/plan.yaml",
        "title: Styled *title* | pipe\nid: STY-1\nstatus: Draft\n"
        "specification: ../../specs/auth.md#tokens\n"
        "summary: Uses **bold**, `code | pipe`, a [link](../../specs/billing.md) and :tada:.\n",
    )
    # Text the site's extensions may change in a Markdown table: a checklist's `(2/3)`
    # (pymdownx.smartsymbols), a status's apostrophe (smarty).
    attrs = {"title": "B {: #x }", "status": "Won't do", "summary": "Text {: .big }"}
    site.write_plan("plans/attrs/plan.yaml", attrs)
    extensions = ["tables", "toc", "attr_list", "md_in_html", "abbr", "footnotes", "def_list"]
    extensions += ["pymdownx.superfences", "pymdownx.magiclink", "pymdownx.smartsymbols", "smarty"]
    config = {"use_directory_urls": False, "markdown_extensions": extensions}
    statuses = {"Draft": "#6b7280", "In Review": "#b45309", "Approved": "#15803d"}
    statuses |= {"Superseded": "#6b7280", "Won't do": "#991b1b"}
    options = {"index": {"columns": list(INDEX_COLUMNS)}, "statuses": statuses}
    site.build(plugin_options=options, **config)  # writes mkdocs.yml for the command's core
    core = build_docs_folder(load_site(str(site.root / "mkdocs.yml")))
    table, problems = core.page_markdown("plans/table.md", "<!-- techplan:index -->\n", "table.md")
    assert problems == [] and "|---|" in table  # a command's listing: a Markdown table
    site.write("plans/table.md", table)
    result = built(site, plugin_options=options, **config)

    def listing(page: str) -> list[str]:
        content = result.content(page)
        parts = [content.select_one(".techplan-counts").parent, content.select_one("table")]
        return [sanitize_html(str(part)) for part in parts]

    generated, written = listing("plans/index.html"), listing("plans/table.html")
    assert generated == written
    assert len(table_rows(result.content("plans/index.html"))) == 7
    assert "<strong>bold</strong>" in generated[1] and "techplan-cell-slot" not in generated[1]
    assert "(⅔)" in generated[1]  # the checklist's `(2/3)`, read by the extensions
