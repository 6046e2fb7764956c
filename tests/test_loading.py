"""Loading plan files: data, source positions and the safety limits."""

from __future__ import annotations

import pytest

from mkdocs_techplan.format.loading import Limits, LoadError, load_document
from mkdocs_techplan.format.problems import Position


def _error(text: str | bytes, limits: Limits = Limits()) -> tuple[Position, str]:  # noqa: B008
    raw = text.encode() if isinstance(text, str) else text
    with pytest.raises(LoadError) as caught:
        load_document(raw, limits)
    return caught.value.position, caught.value.message


def test_positions_point_at_values_and_keys() -> None:
    document = load_document(b"title: Auth\ncomponents:\n  - name: Gateway\n    purpose: x\n")
    assert document.position_of(("components", 0, "name")) == Position(3, 11)
    assert document.position_of(("components", 0, "purpose"), key=True) == Position(4, 5)


def test_position_of_unknown_path_falls_back_to_nearest_ancestor() -> None:
    document = load_document(b"title: Auth\narchitecture:\n  overview: x\n")
    assert document.position_of(("architecture", "missing", 3)) == Position(3, 3)


def test_numbers_keep_the_text_they_were_written_with() -> None:
    document = load_document(b"version: 1.10\nother: 2\n")
    assert document.data == {"version": 1.1, "other": 2}
    assert document.scalar_texts[("version",)] == "1.10"


def test_dates_become_iso_text_and_impossible_dates_stay_as_written() -> None:
    document = load_document(b"date: 2026-11-02\nbad: 2026-02-30\nquoted: '2026-11-03'\n")
    assert document.data == {"date": "2026-11-02", "bad": "2026-02-30", "quoted": "2026-11-03"}


def test_bom_is_tolerated() -> None:
    assert load_document("\ufefftitle: Ä\n".encode()).data == {"title": "Ä"}


def test_merge_keys_are_applied_without_overriding_explicit_keys() -> None:
    document = load_document(b"base: &b {a: 1, b: 2}\nx:\n  <<: *b\n  b: 3\n")
    assert document.data["x"] == {"a": 1, "b": 3}


def test_duplicate_key_names_both_places() -> None:
    assert _error("title: a\nstatus: Draft\ntitle: b\n") == (
        Position(3, 1),
        "duplicate key `title`: it is already set at line 1, column 1; keep one of them",
    )


def test_invalid_yaml_reports_the_parser_position() -> None:
    assert _error("title: [unclosed\nstatus: Draft\n") == (
        Position(2, 7),
        "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence that "
        "starts at line 1, column 8); a value that starts with `[` is a YAML list: close it "
        "with `]`, or, if it is text (a Markdown link such as `[#335](https://…)`), put the "
        "whole value in double quotes",
    )


def test_empty_file_is_an_error() -> None:
    assert _error("  \n\n") == (
        Position(1, 1),
        "the file is empty; a plan needs at least `title` and `status`",
    )


def test_top_level_list_is_an_error() -> None:
    assert _error("- title: x\n") == (
        Position(1, 1),
        "a plan must be a mapping of keys such as `title:` and `status:` at the top level, "
        "not a list",
    )


def test_more_than_one_document_is_an_error() -> None:
    position, message = _error("title: a\n---\ntitle: b\n")
    assert position == Position(2, 1)
    assert "more than one YAML document" in message


def test_unsafe_tags_are_refused() -> None:
    position, message = _error("title: !!python/object/apply:os.system ['echo hi']\n")
    assert position == Position(1, 8)
    assert message.startswith("the tag `!!python/object/apply:os.system` is not allowed")


def test_non_utf8_names_the_line_and_column() -> None:
    assert _error(b"title: ok\nstatus: caf\xe9\n") == (
        Position(2, 12),
        "the file is not UTF-8 (byte 0xe9); save it as UTF-8",
    )


def test_file_over_the_size_limit_is_refused_before_parsing() -> None:
    _, message = _error("title: " + "x" * 200 + "\n", Limits(max_bytes=100))
    assert message == (
        "the file is larger than the limit of 100 bytes; split the plan, or raise the "
        "plugin option `max_file_size`"
    )


def test_billion_laughs_is_refused_by_the_expansion_budget() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        refs = ",".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    _, message = _error("\n".join(lines) + "\n")
    assert "expands to more than 100,000 values" in message


def test_deep_nesting_is_refused_without_recursion_error() -> None:
    position, message = _error("a: " + "[" * 200 + "]" * 200 + "\n")
    assert "nested more than 64 levels deep" in message
    assert position.line == 1


@pytest.mark.parametrize("tag", ["!!int", "!!float", "!!bool", "!!timestamp"])
def test_an_empty_value_with_a_type_tag_stays_text(tag: str) -> None:
    assert load_document(f'a: {tag} ""\nb: {tag}\n'.encode()).data == {"a": "", "b": ""}
