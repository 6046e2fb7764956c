"""Markers authors put in their pages: found on their own lines, never inside code."""

from __future__ import annotations

from mkdocs_techplan.markdown.markers import find_markers, replace_markers


def test_markers_are_found_on_their_own_lines_outside_code() -> None:
    markdown = (
        "<!-- techplan:index -->\n"
        "text <!-- techplan:index --> inline\n"
        "```\n<!-- techplan:index -->\n```\n"
        "~~~~\n```\n<!-- techplan:index -->\n~~~~\n"
        "   <!-- techplan:index status='Draft' tag=\"a\" -->\n"
        "<!-- techplan:plans -->\n"
        "<!-- techplan:index status=Draft -->\n"
    )
    markers = find_markers(markdown, "index")
    assert [(m.position.line, m.attributes, m.malformed) for m in markers] == [
        (1, {}, None),
        (10, {"status": "Draft", "tag": "a"}, None),
        (12, {}, "status=Draft"),
    ]


def test_markers_are_replaced_by_blocks_set_off_with_blank_lines() -> None:
    markdown = "# Page\nbefore\n<!-- techplan:index -->\nafter\n"
    markers = find_markers(markdown, "index")
    assert replace_markers(markdown, markers, ["| a |\n|---|\n| 1 |"]) == (
        "# Page\nbefore\n\n| a |\n|---|\n| 1 |\n\nafter\n"
    )


def test_a_marker_after_a_closing_fence_indented_four_spaces_is_still_code() -> None:
    # Four spaces in, ``` closes nothing (CommonMark, Python-Markdown and superfences agree):
    # the example marker below it is still shown in the code block, not replaced.
    markdown = (
        "```markdown\nPlans:\n    ```\n<!-- techplan:index -->\n```\n<!-- techplan:index -->\n"
    )
    assert [marker.position.line for marker in find_markers(markdown, "index")] == [6]


def test_a_marker_in_indented_code_or_an_html_comment_block_is_handled_as_rendered() -> None:
    markdown = "text\n\n    <!-- techplan:index -->\n\n<!-- techplan:index -->\n"
    assert [marker.position.line for marker in find_markers(markdown, "index")] == [5]
