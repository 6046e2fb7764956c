"""What loading a plan may cost, and what it refuses: each limit with its exact message.

The corpus (`test_corpus.py`) runs the same inputs through real builds; these tests pin each
protection down at the loader, where removing it makes exactly one test fail.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from mkdocs_techplan.format.loading import Limits, LoadError, load_document
from mkdocs_techplan.format.problems import Position


def _error(text: str | bytes, limits: Limits = Limits()) -> tuple[Position, str]:  # noqa: B008
    raw = text.encode() if isinstance(text, str) else text
    with pytest.raises(LoadError) as caught:
        load_document(raw, limits)
    return caught.value.position, caught.value.message


def _laughs(levels: int, width: int = 10) -> str:
    """`levels` lists, each repeating the one before `width` times: width**levels values."""
    lines = ["x0: &x0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels + 1):
        lines.append(f"x{level}: &x{level} [" + ", ".join([f"*x{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_alias_expansion_is_counted_as_aliases_are_met() -> None:
    # 10**6 values once expanded: refused at the first alias of the level that passes the
    # budget (line 5), not after building the whole document.
    assert _error(_laughs(6)) == (
        Position(5, 45),
        "the document expands to more than 100,000 values (aliases and merge keys are "
        "expanded); remove the repeated aliases",
    )


def test_billion_laughs_is_refused_long_before_its_end() -> None:
    position, message = _error(_laughs(9))
    assert position.line == 5  # same place as above: the rest is never looked at
    assert message.startswith("the document expands to more than 100,000 values")


def test_merge_keys_count_towards_the_expansion_budget() -> None:
    lines = ["m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9}"]
    for level in range(1, 8):
        merged = ", ".join([f"*m{level - 1}"] * 10)
        lines.append(f"m{level}: &m{level}\n  <<: [{merged}]\n  own{level}: x")
    position, message = _error("\n".join(lines) + "\n")
    assert message.startswith("the document expands to more than 100,000 values")
    assert position.line < 3 * 8


def test_aliases_repeating_long_text_are_refused_by_the_text_budget() -> None:
    text = "title: x\nlong: &t " + "a" * 50_000 + "\nmany: [" + ", ".join(["*t"] * 100) + "]\n"
    assert _error(text)[1] == (
        "the document expands to more than 4,194,304 characters of text (aliases and merge "
        "keys are expanded); remove the repeated aliases"
    )


def test_the_text_budget_grows_with_the_size_limit() -> None:
    text = "title: x\nlong: &t " + "a" * 50_000 + "\nmany: [" + ", ".join(["*t"] * 100) + "]\n"
    limits = Limits(max_bytes=8 * 1024 * 1024)
    assert load_document(text.encode(), limits).data["many"][99] == "a" * 50_000


def test_a_few_aliases_are_fine() -> None:
    document = load_document(b"base: &b {owner: Ada}\na: *b\nb:\n  <<: *b\n  extra: 1\n")
    assert document.data["a"] == {"owner": "Ada"}
    assert document.data["b"] == {"owner": "Ada", "extra": 1}


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", Position(1, 1003)),  # libyaml's own 1000
        ("a: " + "[" * 100 + "]" * 100 + "\n", Position(1, 68)),
        ("".join("  " * level + f"k{level}:\n" for level in range(100)), Position(66, 131)),
    ],
)
def test_deep_nesting_is_refused_without_recursion_error(text: str, position: Position) -> None:
    assert _error(text) == (
        position,
        "the document is nested more than 64 levels deep; a plan needs a few levels (a list "
        "of mappings of lists)",
    )


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed() -> None:
    # Not even valid YAML: the size is checked first.
    assert _error("title: [" * 100, Limits(max_bytes=100)) == (
        Position(1, 1),
        "the file is larger than the limit of 100 bytes; split the plan, or raise the plugin "
        "option `max_file_size`",
    )


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("", Position(1, 1)),
        ("# only a comment\n", Position(1, 1)),
        ("---\n", Position(2, 1)),
        ("--- ~\n", Position(1, 5)),
        ("\ufeff\n", Position(1, 1)),
    ],
)
def test_a_file_without_content_is_empty(text: str, position: Position) -> None:
    empty = "the file is empty; a plan needs at least `title` and `status`"
    assert _error(text) == (position, empty)


@pytest.mark.parametrize(
    ("text", "described"),
    [("- a\n", "a list"), ("just text\n", "the text 'just text'"), ("42\n", "the text '42'")],
)
def test_the_top_level_must_be_a_mapping(text: str, described: str) -> None:
    assert _error(text)[1] == (
        "a plan must be a mapping of keys such as `title:` and `status:` at the top level, "
        f"not {described}"
    )


def test_a_long_top_level_text_is_shortened_in_the_message() -> None:
    assert _error("x" * 500 + "\n")[1].endswith(f"not the text '{'x' * 40}…'")


def test_a_second_document_is_refused_where_it_starts() -> None:
    assert _error("title: a\n---\ntitle: b\n") == (
        Position(2, 1),
        "the file holds more than one YAML document; a plan is one document (remove the `---` "
        "line)",
    )


@pytest.mark.parametrize(
    ("raw", "position", "byte"),
    [
        ("title: Café\n".encode("latin-1"), Position(1, 11), "0xe9"),
        (
            "title: Ünïcode é\nstatus: caf\xe9\n".encode().replace(b"caf\xc3\xa9", b"caf\xe9"),
            Position(2, 12),
            "0xe9",
        ),
        ("title: x\n".encode("utf-16"), Position(1, 1), "0xff"),
    ],
)
def test_a_file_that_is_not_utf8_names_the_line_and_column(
    raw: bytes, position: Position, byte: str
) -> None:
    assert _error(raw) == (position, f"the file is not UTF-8 (byte {byte}); save it as UTF-8")


def test_a_byte_order_mark_and_windows_line_ends_are_fine() -> None:
    raw = "\ufefftitle: Ä\r\nsummary: |\r\n  one\r\n  two\r\n".encode()
    assert load_document(raw).data == {"title": "Ä", "summary": "one\ntwo\n"}


@pytest.mark.parametrize(
    ("text", "position", "tag"),
    [
        (
            "title: !!python/object/apply:os.system ['true']\n",
            Position(1, 8),
            "!!python/object/apply:os.system",
        ),
        ("!!python/name:os.system : x\n", Position(1, 1), "!!python/name:os.system"),
        (
            "%TAG !p! tag:yaml.org,2002:python/\n---\ntitle: !p!object:os.system x\n",
            Position(3, 8),
            "!!python/object:os.system",
        ),
        ("summary: !include secrets.yaml\n", Position(1, 10), "!include"),
        ("summary: !!binary aGk=\n", Position(1, 10), "!!binary"),
        ("tags: !!set {a, b}\n", Position(1, 7), "!!set"),
        ("a: !!merge x\n", Position(1, 4), "!!merge"),
    ],
)
def test_tags_outside_the_plain_set_are_refused_on_keys_and_values(
    text: str, position: Position, tag: str
) -> None:
    assert _error(text) == (
        position,
        f"the tag `{tag}` is not allowed; plans use plain YAML values only (strings, numbers, "
        "booleans, dates, lists and mappings)",
    )


def test_nothing_in_a_plan_is_ever_executed(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    text = f"title: !!python/object/apply:os.system ['touch {marker}']\n"
    _error(text)
    path = f"!!python/object/apply:pathlib.Path ['{marker}']"
    _error(f"title: !!python/object/apply:pathlib.Path.touch [{path}]\n")
    assert not os.path.exists(marker)


def test_plain_tags_are_fine() -> None:
    text = "title: !!str 1.10\nn: !!int '3'\nd: !!timestamp 2026-11-02\nq: ! 2\n"
    expected = {"title": "1.10", "n": 3, "d": "2026-11-02", "q": "2"}
    assert load_document(text.encode()).data == expected


@pytest.mark.parametrize(
    ("raw", "position", "code"),
    [(b"title: a\x07b\n", Position(1, 9), "0007"), (b"title: ok\n\x00\n", Position(2, 1), "0000")],
)
def test_control_characters_in_the_file_are_refused(
    raw: bytes, position: Position, code: str
) -> None:
    assert _error(raw) == (
        position,
        f"the file contains the control character U+{code}, which YAML does not allow; remove it",
    )


@pytest.mark.parametrize(
    ("escape", "code"), [("\\e[2J", "001B"), ("\\0", "0000"), ("\\r", "000D"), ("\\x9b", "009B")]
)
def test_control_characters_written_as_escapes_are_refused(escape: str, code: str) -> None:
    assert _error(f'title: ok\nsummary: "before{escape}after"\n') == (
        Position(2, 10),
        f"the text contains the control character U+{code}; plans hold printable text only "
        "(write a line break as `\\n` and a tab as `\\t`)",
    )


# The loader searches values for control characters only in a file with a backslash: written
# as they are, the parser refuses them or reads them as line breaks. Every one, everywhere.
_CONTROLS = [chr(code) for code in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]]
_PLACES = [
    "title: a{c}b\n",
    "title: 'a{c}b'\n",
    'title: "a{c}b"\n',
    "title: |\n  a{c}b\n",
    "a{c}b: x\n",
]


@pytest.mark.parametrize("place", _PLACES)
def test_control_characters_written_as_they_are_never_reach_a_value(place: str) -> None:
    for control in _CONTROLS:
        try:
            data = load_document(place.format(c=control).encode()).data
        except LoadError:
            continue
        found = [*data, *(value for value in data.values() if isinstance(value, str))]
        assert not any(char in text for text in found for char in _CONTROLS if char != "\x85"), (
            place,
            hex(ord(control)),
            data,
        )


def test_control_characters_in_keys_are_refused() -> None:
    assert _error('"a\\x1bb": x\n')[1].startswith("the text contains the control character U+001B")


def test_line_breaks_and_tabs_written_as_escapes_are_text() -> None:
    assert load_document(b'title: "a\\tb\\nc"\n').data == {"title": "a\tb\nc"}


def test_complex_keys_and_duplicate_keys_are_refused() -> None:
    assert _error("? [a, b]\n: c\n") == (
        Position(1, 3),
        "a key must be plain text, not a list or mapping",
    )
    assert _error(
        textwrap.dedent(
            """\
            title: a
            phases:
              - name: x
                name: y
            """
        )
    ) == (
        Position(4, 5),
        "duplicate key `name`: it is already set at line 3, column 5; keep one of them",
    )
