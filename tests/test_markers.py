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
