"""Bounded work whatever a plan holds: at most 50 problems a file are reported, then a count;
suggestions stop being computed where nobody would read them (issue "Hostile input, second
round"). Times are measured by benchmarks/bench_limits.py, not asserted here."""

from __future__ import annotations

from xml.etree import ElementTree

from conftest import SiteBuilder

from mkdocs_techplan.format.loading import LoadError
from mkdocs_techplan.format.problems import MAX_PER_FILE, Position, Problem, capped, terminal_safe
from mkdocs_techplan.site.pages import SUGGESTIONS_PER_BUILD


def test_a_file_reports_fifty_problems_then_how_many_more(site: SiteBuilder) -> None:
    keys = "".join(f"colour{i}: x\n" for i in range(200))
    site.write_plan("plans/many/plan.yaml", "title: Many\nstatus: Draft\n" + keys)
    result = site.build(strict=False)
    mine = [w for w in result.techplan_warnings if w.startswith("docs/plans/many/plan.yaml:")]
    assert len(mine) == MAX_PER_FILE + 1
    assert mine[0] == (
        "docs/plans/many/plan.yaml:3:1: unknown key `colour0`; valid keys here: title, id, "
        "version, status, author, date, specification, summary, tags, supersedes, depends_on, "
        "extends, related, links, extra, architecture, components, data_model, api, phases, "
        "testing, security, performance, monitoring, risks, dependencies, blockers, rollback, "
        "open_questions, revisions"
    )
    assert mine[-1] == (
        "docs/plans/many/plan.yaml:53:1: and 150 more problems in this file, not shown; "
        "fix the ones above first"
    )
    box = result.content("plans/many/index.html").select(".techplan-problems li")
    assert len(box) == MAX_PER_FILE + 1


def test_the_first_problems_shown_keep_their_suggestions(site: SiteBuilder) -> None:
    keys = "".join(f"summery{i}: x\n" for i in range(100))
    site.write_plan("plans/typos/plan.yaml", "title: T\nstatus: Draft\nsumary: x\n" + keys)
    result = site.build(strict=False)
    assert (
        "docs/plans/typos/plan.yaml:3:1: unknown key `sumary`; did you mean `summary`?"
        in result.techplan_warnings
    )


def test_capping_is_per_file_and_keeps_order() -> None:
    problems = [Problem("b.yaml", Position(i, 1), "x") for i in range(60, 0, -1)]
    problems += [Problem("a.yaml", Position(1, 1), "y")]
    shown = capped(problems)
    assert [p.file for p in shown].count("b.yaml") == MAX_PER_FILE + 1
    assert shown[0] == Problem("a.yaml", Position(1, 1), "y")
    assert shown[1].position.line == 1 and shown[-1].message.startswith("and 10 more problems")


def test_broken_references_beyond_the_budget_get_no_suggestion(site: SiteBuilder) -> None:
    site.write("specs/authentication.md", "# Auth\n")
    references = [f"../../specs/authenticatoin{i}.md" for i in range(SUGGESTIONS_PER_BUILD + 5)]
    for number, reference in enumerate(references):
        site.write_plan(
            f"plans/p{number:03d}/plan.yaml",
            {"title": f"P{number}", "status": "Draft", "specification": reference},
        )
    result = site.build(strict=False)
    broken = [w for w in result.techplan_warnings if "there is no page" in w]
    assert len(broken) == len(references)
    suggested = [w for w in broken if "did you mean" in w]
    assert len(suggested) == SUGGESTIONS_PER_BUILD


def test_messages_escape_control_characters_for_the_terminal(site: SiteBuilder) -> None:
    site.write_plan("plans/\x1b[31mred/plan.yaml", "title: T\nstatus: Draft\nbad\u202e: x\n")
    result = site.build(strict=False)
    [warning] = [w for w in result.techplan_warnings if "unknown key" in w]
    assert "\x1b" not in warning and "\u202e" not in warning
    assert warning.startswith("docs/plans/\\x1b[31mred/plan.yaml:3:1: unknown key `bad\\u202e`")
    assert terminal_safe("a\u202eb\x85c") == "a\\u202eb\\x85c"


def test_a_duration_too_large_to_draw_is_a_note_not_a_crash(site: SiteBuilder) -> None:
    site.write_plan(
        "plans/long/plan.yaml",
        {
            "title": "Long",
            "status": "Draft",
            "phases": [
                {"name": "Forever", "duration": "9" * 400 + " days", "tasks": ["wait"]},
                {"name": "Soon", "duration": "2 weeks", "tasks": ["go"]},
            ],
        },
    )
    result = site.build()
    assert not result.failed, result.messages
    timeline = result.content("plans/long/index.html").select_one(".techplan-timeline")
    assert timeline is not None
    assert len(timeline.select(".techplan-timeline__bar")) == 1
    assert "could not be read" in timeline.get_text()


def test_generated_files_in_the_way_of_each_other_name_both_sources(site: SiteBuilder) -> None:
    site.write_plan("plans/feed.xml.plan.yaml", {"title": "A", "status": "Draft"})
    site.write_plan("plans/x/plan.yaml", {"title": "B", "status": "Draft"})
    site.write_plan("plans/x/status.svg.plan.yaml", {"title": "C", "status": "Draft"})
    site.write_plan("assets/techplan.js.plan.yaml", {"title": "D", "status": "Draft"})
    result = site.build(strict=False, site_url="https://example.com/")
    assert not result.failed, result.messages
    assert sorted(result.techplan_warnings) == [
        "`plans/feed.xml` is not written: the page of the plan docs/plans/feed.xml.plan.yaml "
        "is published at `plans/feed.xml/index.html`, in its way; rename or move that file, "
        "or set `feed: false`",
        # The assets take their places first (every page links them): the plan is refused.
        "docs/assets/techplan.js.plan.yaml:1:1: this plan would become the page "
        "`assets/techplan.js.md`, but assets/techplan.js (generated by techplan) is already "
        "published at `assets/techplan.js`; the plan is not rendered. Rename or move one of "
        "the two files",
        "docs/plans/x/plan.yaml:1:1: the plan's status badge `plans/x/status.svg` is not "
        "written: the page of the plan docs/plans/x/status.svg.plan.yaml is published at "
        "`plans/x/status.svg/index.html`, in its way; rename or move that file",
    ]
    assert (result.site_dir / "plans/feed.xml/index.html").exists()
    assert (result.site_dir / "assets/techplan.js").is_file()


def test_feed_and_badges_stay_well_formed_xml_whatever_the_text(site: SiteBuilder) -> None:
    odd = "A\ufffe B\uffff C"
    site.write_plan(
        "plans/odd/plan.yaml",
        f'title: "Odd {odd.encode("unicode_escape").decode()}"\nstatus: Draft\n'
        'date: 2026-01-01\nsummary: "x \\ufffe y"\ntags: ["t\\ufffe"]\n',
    )
    result = site.build(strict=False, site_url="https://example.com/")
    assert not result.failed, result.messages
    feed = ElementTree.fromstring((result.site_dir / "plans/feed.xml").read_bytes())
    titles = [element.text for element in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert any(title and title.startswith("Odd A") for title in titles)
    ElementTree.fromstring((result.site_dir / "plans/odd/status.svg").read_bytes())


def test_brackets_that_cannot_open_a_link_are_text() -> None:
    """Python-Markdown scans from each `[` to its `]` (or the paragraph's end): 8 KB of `[`
    took 17 s. Unmatched and too-deep brackets are written as references instead."""
    from mkdocs_techplan.markdown.escaping import block, inline

    assert inline("[open and [a](https://x.org)") == "&#91;open and [a](https://x.org)"
    assert block("[a\n\nb]") == "&#91;a\n\nb]"  # a link's text never spans paragraphs
    assert block("[[[[deep]]]] [![i](s.png)](t)") == "[[[&#91;deep&#93;]]] [![i](s.png)](t)"
    assert inline("\\[not [x]") == "\\[not [x]"


def test_a_plan_over_the_text_limit_is_refused_where_it_goes_over(site: SiteBuilder) -> None:
    from mkdocs_techplan.format.text_limits import MAX_TEXT

    paragraph = "word " * 1000 + "\n\n"
    overview = paragraph * (MAX_TEXT // len(paragraph) // 2)
    plan = {
        "title": "Long",
        "status": "Draft",
        "summary": overview,
        "security": {"authentication": overview, "authorization": overview},
    }
    site.write_plan("plans/long/plan.yaml", plan)
    result = site.build(strict=False)
    (problem,) = [w for w in result.techplan_warnings if w.startswith("docs/plans/long/")]
    written = (site.docs / "plans/long/plan.yaml").read_text(encoding="utf-8").splitlines()
    line = written.index(next(x for x in written if x.startswith("  authorization:"))) + 1
    assert problem.startswith(  # at the field that goes over: the second one
        f"docs/plans/long/plan.yaml:{line}:18: the plan holds more than {MAX_TEXT:,} "
        "characters of text outside code fields"
    )
    page = result.content("plans/long/index.html")
    assert "word word" not in page.get_text()  # not rendered, as a file over the size limit


def test_a_paragraph_over_the_block_limit_is_refused(site: SiteBuilder) -> None:
    from mkdocs_techplan.format.text_limits import MAX_BLOCK

    lines = "\n".join(["- item " + "x" * 100] * (MAX_BLOCK // 100))  # a long list is fine
    table = "| a | b |\n|---|---|\n" + "| c | d |\n" * (MAX_BLOCK // 8)  # so is a long table
    long_paragraph = "[" * (MAX_BLOCK + 1)
    site.write_plan(
        "plans/ok/plan.yaml",
        {"title": "Ok", "status": "Draft", "summary": lines, "security": {"authentication": table}},
    )
    site.write_plan(
        "plans/no/plan.yaml",
        {
            "title": "No",
            "status": "Draft",
            "security": {"authentication": "a\n\n" + long_paragraph},
        },
    )
    result = site.build(strict=False)
    assert not [w for w in result.techplan_warnings if w.startswith("docs/plans/ok/")]
    assert [w for w in result.techplan_warnings if w.startswith("docs/plans/no/")] == [
        "docs/plans/no/plan.yaml:4:19: `security.authentication` has a paragraph, list item or "
        f"table row of {MAX_BLOCK + 2:,} characters, over the limit of {MAX_BLOCK:,}; "
        "split it with a blank line"
    ]


def test_paragraphs_dense_with_links_are_refused_where_they_take_the_plan_over(
    site: SiteBuilder,
) -> None:
    """Python-Markdown finds every bracket's end in a paragraph again after each link it
    makes there, so a paragraph's links cost its length each: 31 paragraphs of 8 KiB of
    `[a](b)` took 99 s. The same links in short paragraphs, or a list, are fine."""
    from mkdocs_techplan.format.text_limits import MAX_BLOCK, MAX_LINK_WORK

    dense = ("[a](b) " * ((MAX_BLOCK - 100) // 7) + "\n\n") * 3
    as_list = "\n".join(["- [a](b) [c](d)"] * 3000)
    site.write_plan(
        "plans/ok/plan.yaml",
        {
            "title": "Ok",
            "status": "Draft",
            "summary": dense[: len(dense) // 3],
            "rollback": [as_list],
        },
    )
    site.write_plan(
        "plans/no/plan.yaml",
        {
            "title": "No",
            "status": "Draft",
            "summary": "Fine.",
            "security": {"authentication": dense},
        },
    )
    assert 3 * (MAX_BLOCK - 100) * (MAX_BLOCK // 7) > MAX_LINK_WORK  # `dense` is over it
    result = site.build(strict=False)
    assert not [w for w in result.techplan_warnings if w.startswith("docs/plans/ok/")]
    assert [w for w in result.techplan_warnings if w.startswith("docs/plans/no/")] == [
        "docs/plans/no/plan.yaml:5:19: `security.authentication` brings the plan's links over "
        "its limit: each link, image or reference costs Markdown the length of its paragraph, "
        "and the plan's long paragraphs hold too many; split them with blank lines, or make "
        "lists"
    ]


def test_the_parser_s_bounds_never_let_a_plan_over_the_link_limit_through() -> None:
    """The quick check (`]` in the file times its longest text) is an upper bound of the
    walk's count, so a plan it lets through is within the limit."""
    from mkdocs_techplan.format.loading import load_document
    from mkdocs_techplan.format.text_limits import MAX_LINK_WORK, _blocks, check_text_limits

    text = "[a](b) " * 1000
    for paragraphs in (1, 10, 40):
        summary = "\n\n".join(["  " + text] * paragraphs)
        raw = f"title: T\nsummary: |\n{summary}\n".encode()
        document = load_document(raw)
        bounds = document.text_bounds
        assert bounds is not None and bounds.closing_brackets is not None
        walked = sum(a * b for a, b in _blocks(document.data["summary"]))
        assert walked <= bounds.closing_brackets * bounds.longest
        try:
            check_text_limits(document)
            refused = False
        except LoadError:
            refused = True
        assert refused == (walked > MAX_LINK_WORK)


def test_list_looking_lines_after_a_paragraph_line_belong_to_the_paragraph() -> None:
    from mkdocs_techplan.format.text_limits import longest_block

    assert longest_block("a\n- b\n- c") == len("a\n- b\n- c\n")  # one paragraph, as rendered
    assert longest_block("- a\n- bb\n- c") == len("- bb\n")
    assert longest_block("| h |\n|---|\n| long row |\n| r |") == len("| long row |\n")
    assert longest_block("code:\n\n" + "x" * 10) == 11


def test_abbreviation_definitions_are_text_and_named_and_footnotes_are_footnotes(
    site: SiteBuilder,
) -> None:
    """An abbreviation in plan text would apply to the whole page, headings and all: it is
    shown as text, and the build says so. A footnote is the plan's own, as on a hand-written
    page (real PEPs and RFCs have them)."""
    summary = "Uses HTML[^1].\n\n*[HTML]: Hijacked\n\n[^1]: a note\n\n*[TW\nO]: lines"
    site.write_plan("plans/d/plan.yaml", {"title": "D", "status": "Draft", "summary": summary})
    result = site.build(strict=False, markdown_extensions=["abbr", "footnotes"])
    mine = [w for w in result.techplan_warnings if w.startswith("docs/plans/d/")]
    assert sorted(w.split(": ", 1)[1].split(",")[0] for w in mine) == [
        "`summary` defines an abbreviation (`*[HTML]:`)",
        "`summary` defines an abbreviation (`*[TW\\nO]:`)",
    ]
    page = result.content("plans/d/index.html")
    assert page.select("abbr") == []
    assert "a note" in page.select_one(".footnote").get_text()
    assert "*[HTML]: Hijacked" in page.get_text()


def test_the_index_shows_the_start_of_a_long_summary(site: SiteBuilder) -> None:
    """A whole summary in one table cell made rows tall, and 256 KiB of it took minutes."""
    summary = "First " + "word " * 100 + "end.\n\nSecond paragraph."
    site.write_plan("plans/s/plan.yaml", {"title": "S", "status": "Draft", "summary": summary})
    result = site.build()
    text = result.content("plans/index.html").get_text()
    assert "Second paragraph" not in text and "First word" in text and "word end." not in text
    from mkdocs_techplan.render.renderer import EXCERPT_LENGTH, excerpt

    shown = excerpt(summary)
    assert shown.endswith("word…") and len(shown) <= EXCERPT_LENGTH + 1
    assert shown[:-1] in " ".join(text.split())


def test_a_plan_with_too_many_code_blocks_in_its_text_is_refused(site: SiteBuilder) -> None:
    from mkdocs_techplan.format.text_limits import MAX_FENCES

    blocks = "```\na\n```\n\n" * (MAX_FENCES // 2)
    site.write_plan("plans/ok/plan.yaml", {"title": "Ok", "status": "Draft", "summary": blocks})
    site.write_plan(
        "plans/no/plan.yaml", {"title": "No", "status": "Draft", "summary": blocks + "```\nb\n```"}
    )
    result = site.build(strict=False)
    assert not [w for w in result.techplan_warnings if w.startswith("docs/plans/ok/")]
    (problem,) = [w for w in result.techplan_warnings if w.startswith("docs/plans/no/")]
    assert problem.endswith(
        f"the plan's text fields hold more than {MAX_FENCES // 2:,} code blocks; put code in "
        "the plan's code fields, or split the plan"
    )


def test_the_text_limits_see_fences_spelled_with_escapes_and_text_repeated_by_aliases() -> None:
    """What the parser measured lets most plans skip the walk of their text; a plan that can
    hide text from that measure (escapes, aliases) is walked and refused all the same."""
    import pytest

    from mkdocs_techplan.format.loading import LoadError, load_document
    from mkdocs_techplan.format.text_limits import (
        MAX_BLOCK,
        MAX_FENCES,
        MAX_TEXT,
        check_text_limits,
    )

    escaped_fence = "\\x60\\x60\\x60\\na\\n\\x60\\x60\\x60\\n\\n" * (MAX_FENCES // 2 + 1)
    escaped = f'title: A\nstatus: Draft\nsummary: "{escaped_fence}"\n'.encode()
    with pytest.raises(LoadError, match="code blocks"):
        check_text_limits(load_document(escaped))

    # Aliases repeat an anchored text: the file is small, the text it shows is not.
    paragraph = "word " * (MAX_BLOCK // 5 - 1)
    aliases = ", ".join(["*t"] * (MAX_TEXT // len(paragraph) + 1))
    repeated = f"title: A\nstatus: Draft\nx: &t '{paragraph}'\ntags: [{aliases}]\n"
    with pytest.raises(LoadError, match="characters of text outside code fields"):
        check_text_limits(load_document(repeated.encode()))
    check_text_limits(load_document(b"title: A\nstatus: Draft\nx: &t a b\nsummary: *t\n"))

    small = load_document(b"title: A\nstatus: Draft\nsummary: '```\n\n  a\n\n  ```'\n")
    assert small.text_bounds is not None and small.text_bounds.fence_marks == 2
    check_text_limits(small)
