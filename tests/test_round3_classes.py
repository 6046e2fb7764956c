"""Classes of failure found by real documents (issue "Real documents, round three"), each with
the test that failed before its fix."""

from __future__ import annotations

from conftest import SiteBuilder


def test_a_non_ascii_anchor_in_a_reference_passes_strict_as_a_hand_written_link(
    site: SiteBuilder,
) -> None:
    # The anchor as a site with a Unicode slugify makes it (here given with attr_list).
    site.write("specs/s.md", "# Спека\n\n## Раздел один {#раздел-один}\n\nТекст.\n")  # noqa: RUF001
    site.write(
        "plans/a/plan.yaml",
        "title: A\nstatus: Draft\nspecification: ../../specs/s.md#раздел-один\n"
        'summary: "См. [раздел](../../specs/s.md#раздел-один)."\n',
    )
    site.write("hand.md", "# Hand\n\n[раздел](specs/s.md#раздел-один)\n")
    result = site.build(
        validation={"anchors": "warn"},
        markdown_extensions=["attr_list", {"toc": {"permalink": True}}],
    )
    assert not result.failed, result.messages
    page = result.content("plans/a/index.html")
    spec = page.find("a", string="Спека")
    assert spec is not None and spec["href"].endswith("#раздел-один")
    index = result.html("plans/index.html")
    assert index.find("a", string="раздел")["href"].endswith("#раздел-один")


def test_a_rule_after_a_blank_line_is_a_rule_and_a_comment_shows_nothing(
    site: SiteBuilder,
) -> None:
    site.write(
        "plans/a/plan.yaml",
        "title: A\nstatus: Draft\narchitecture:\n  overview: |\n    Before.\n\n    ---\n\n"
        "    <!-- guidance for authors -->\n    After.\n",
    )
    result = site.build()
    assert not result.failed, result.messages
    page = result.content("plans/a/index.html")
    section = page.find("h2", string=lambda text: text and "Architecture" in text)
    following = section.find_next_siblings()
    assert any(element.name == "hr" for element in following[:3])
    assert "guidance" not in page.get_text() and "<!--" not in page.get_text()


def test_a_heading_in_a_quote_and_an_autolink_render_as_on_a_hand_written_page(
    site: SiteBuilder,
) -> None:
    overview = (
        "> ### Quoted decision\n> We keep the old API.\n\n"
        "See <https://example.org/spec> or write to <mailto:team@example.org>; "
        "<javascript:alert(1)> stays text.\n"
    )
    site.write_plan(
        "plans/a/plan.yaml",
        {"title": "A", "status": "Draft", "architecture": {"overview": overview}},
    )
    site.write("hand.md", "# Hand\n\n" + overview)
    result = site.build()
    assert not result.failed, result.messages
    page = result.content("plans/a/index.html")
    quote = page.find("blockquote")
    assert quote is not None and quote.find("h3").get_text().startswith("Quoted decision")
    assert page.find("a", href="https://example.org/spec") is not None
    assert page.find("a", href="mailto:team@example.org") is not None
    assert "<javascript:alert(1)>" in page.get_text()
    assert page.find("a", href=lambda href: href and href.startswith("javascript")) is None
    hand = result.content("hand/index.html")
    assert hand.find("blockquote").find("h3").get_text() == quote.find("h3").get_text()


def test_a_footnote_in_a_field_is_a_footnote_and_sanitized_where_it_lands(
    site: SiteBuilder,
) -> None:
    """PEP 723 has footnotes: they failed --strict as text. Python-Markdown moves them to the
    end of the page, past the plan's marked region, so the page is sanitized whole."""
    overview = (
        "Embedded metadata[^1].\n\n"
        '[^1]: A note <img src=x onerror="alert(1)"> [x](javascript:alert(2)) '
        "$\\href{javascript:alert(3)}{y}$\n"
    )
    site.write_plan(
        "plans/a/plan.yaml",
        {"title": "A", "status": "Draft", "architecture": {"overview": overview}},
    )
    result = site.build(strict=False, markdown_extensions=["footnotes", "pymdownx.arithmatex"])
    # The unsafe link is named (and shown as text); the footnote itself is no problem.
    assert [w for w in result.techplan_warnings if "footnote" in w] == []
    page = result.html("plans/a/index.html")
    note = page.select_one(".footnote")
    assert note is not None and "A note" in note.get_text()
    assert page.find(attrs={"onerror": True}) is None  # raw HTML is text here
    assert page.find("a", href=lambda href: href and "javascript" in href) is None


def test_statuses_in_other_scripts_have_classes_of_their_own(site: SiteBuilder) -> None:
    statuses = {"草案": "#6b7280", "承認済み": "#15803d", "검토 중": "#b45309", "Черновик": "#111"}
    for number, status in enumerate(statuses):
        site.write(f"plans/p{number}/plan.yaml", f"title: P{number}\nstatus: {status}\n")
    result = site.build(plugin_options={"statuses": statuses, "status_rules": False})
    assert not result.failed, result.messages
    index = result.content("plans/index.html")
    classes = {
        badge.get_text(): next(c for c in badge["class"] if c.startswith("techplan-badge--"))
        for badge in index.select(".techplan-cell--status .techplan-badge")
    }
    assert set(classes) == set(statuses)
    assert len(set(classes.values())) == len(statuses)  # no two alike (they were all `--status`)
    assert "techplan-badge--status" not in classes.values()


def test_a_bare_url_and_a_table_under_a_heading_in_a_field_render_as_on_a_hand_written_page(
    site: SiteBuilder,
) -> None:
    overview = (
        "See https://example.com/a_b?x=1&y=2 for details.\n\n### Files\n"
        "| File | Purpose |\n|---|---|\n| `a.py` | entry |\n"
    )
    indented = "".join(f"    {line}\n" if line else "\n" for line in overview.split("\n"))
    plan = "title: A\nstatus: Draft\narchitecture:\n  overview: |\n" + indented
    site.write("plans/a/plan.yaml", plan)
    site.write("hand.md", "# Hand\n\n" + overview)
    result = site.build(markdown_extensions=["tables", "toc", "pymdownx.magiclink"])
    assert not result.failed, result.messages
    plan, hand = result.content("plans/a/index.html"), result.content("hand/index.html")
    for page in (plan, hand):
        assert page.find("a", href="https://example.com/a_b?x=1&y=2") is not None
        assert [td.get_text() for td in page.select("table td")] == ["a.py", "entry"]


def test_lists_nested_by_two_spaces_nest_as_on_github(site: SiteBuilder) -> None:
    """KEPs and RFCs nest by two spaces (three after `1. `), and indent an item's second
    paragraph or table by two: they rendered flat, or the table as code."""
    overview = (
        "- Reads\n  - from the replica\n  - with retries\n- Writes\n\nSteps:\n\n"
        "1. First\n   - detail\n2. Second\n\nCaveats:\n\n"
        "- Caveat:\nthe lazy line.\n\n    | a | b |\n    |---|---|\n    | 1 | 2 |\n\n"
        "  A second paragraph.\n- Next"
    )
    indented = "".join(f"    {line}\n" if line else "\n" for line in overview.split("\n"))
    site.write(
        "plans/a/plan.yaml", "title: A\nstatus: Draft\narchitecture:\n  overview: |\n" + indented
    )
    result = site.build(markdown_extensions=["tables", "toc"])
    assert not result.failed, result.messages
    page = result.content("plans/a/index.html")
    lists = page.select("h2 ~ ul, h2 ~ ol")
    first, numbered, caveats = lists[0], lists[1], lists[2]
    assert [li.get_text(" ", strip=True) for li in first.select(":scope > li > ul > li")] == [
        "from the replica",
        "with retries",
    ]
    assert [li.find(string=True).strip() for li in first.find_all("li", recursive=False)] == [
        "Reads",
        "Writes",
    ]
    assert numbered.select_one(":scope > li > ul > li").get_text(strip=True) == "detail"
    items = caveats.find_all("li", recursive=False)
    assert items[0].find("table") is not None and items[0].find("pre") is None
    assert "A second paragraph." in items[0].get_text() and items[1].get_text(strip=True) == "Next"


def test_a_phase_name_that_leaves_a_link_open_keeps_its_duration_as_text(
    site: SiteBuilder,
) -> None:
    # Found by the hostile-text property test: the heading goes on with ` (<duration>)`, and a
    # destination the name left open ran on to the duration's `)` (Python-Markdown reads a
    # quoted text before it as the link's title), taking the duration into the link.
    names = ["[a](java\nscript:x)", "see [the spec](specs", "[a](b [c](d)"]
    site.write_plan(
        "plans/a/plan.yaml",
        {
            "title": "A",
            "status": "Draft",
            "phases": [
                {"name": name, "duration": f'{number} weeks "or so"', "tasks": ["Do it"]}
                for number, name in enumerate(names, 1)
            ],
        },
    )
    page = site.build().content("plans/a/index.html")
    headings = [h.get_text(" ", strip=True) for h in page.find_all("h3") if "Phase" in h.text]
    assert [heading.rsplit(" (", 1)[1] for heading in headings] == [
        '1 weeks "or so")', '2 weeks "or so")', '3 weeks "or so")'
    ]  # fmt: skip
    assert not [
        a["href"] for h in page.find_all("h3") for a in h.find_all("a") if "week" in a["href"]
    ]
