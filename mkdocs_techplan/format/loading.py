"""YAML bytes → plain Python data, with the source position of every key and value.

The document is built from the parser's event stream rather than from PyYAML's composer so
that the limits below are enforced while parsing: nesting depth (no `RecursionError`),
alias expansion (no "billion laughs"), tags outside the safe set, duplicate keys and more
than one document are all reported as problems with a line and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from mkdocs_techplan.format.problems import START, Position

try:  # libyaml's parser is about ten times faster than the pure-Python one.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

KeyPath = tuple[str | int, ...]
_Mark = tuple[int, int]

_TAG = "tag:yaml.org,2002:"
_SAFE_TAGS = frozenset(
    _TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
) | {"!"}
_MERGE_KEY = "<<"
# What a double-quoted escape can put in a text that YAML itself would refuse in the file.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f]")
_CONTROL_SEARCH = _CONTROL.search
_RESOLVER = yaml.resolver.Resolver()


@dataclass(frozen=True)
class Limits:
    """What a plan file may cost to load."""

    max_bytes: int = 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 100_000
    """Values in the document once every alias is expanded (merge keys count too)."""
    max_text: int = 4 * 1024 * 1024
    """Characters of keys and text once every alias is expanded; never below `max_bytes`, so
    a file within the size limit always fits unless aliases repeat its text."""

    @property
    def text_budget(self) -> int:
        return max(self.max_text, self.max_bytes)


@dataclass
class LoadedDocument:
    """A plan file's data and where each part of it was written."""

    data: Any = None
    value_positions: dict[KeyPath, _Mark] = field(default_factory=dict)
    """Where each value starts, as the parser counts: (line, column) from 0. Plain tuples, and
    a `Position` only for the few asked for: a plan has hundreds of values."""
    key_positions: dict[KeyPath, _Mark] = field(default_factory=dict)
    scalar_texts: dict[KeyPath, str] = field(default_factory=dict)
    """The text as written of every number, so `version: 1.10` can stay `1.10`."""
    bracketed_texts: list[tuple[KeyPath, str]] | None = field(default_factory=list)
    """Every text value holding a `]` or a `\\` (where a Markdown or math link can be), by
    where it is in `data`, in document order; `None` when aliases or merge keys make a written value
    appear elsewhere in `data` (or not at all), so `data` itself must be walked."""
    text_bounds: TextBounds | None = None
    """What the parser measured of the text, when it read the file: bounds on what the text
    limits count, so a plan well within them is not walked again."""

    def position_of(self, path: KeyPath, *, key: bool = False) -> Position:
        """Where `path` (or its nearest written ancestor) starts; `key` prefers the key itself."""
        while True:
            if key and path in self.key_positions:
                line, column = self.key_positions[path]
                return Position(line + 1, column + 1)
            if path in self.value_positions:
                line, column = self.value_positions[path]
                return Position(line + 1, column + 1)
            if not path:
                return START
            path = path[:-1]


@dataclass(frozen=True)
class TextBounds:
    """Upper bounds on a document's text, each at least what `format/text_limits.py` counts."""

    characters: int
    """Characters of keys and text, code fields included, every alias expanded."""
    longest: int
    """Characters of the longest text (a block of it is never longer)."""
    fence_marks: int | None
    """"```" and "~~~" anywhere in the file; `None` when the file has a backslash, since a
    quoted text can spell a fence with escapes (`"\\x60\\x60\\x60"`)."""
    repeats: bool
    """Whether an alias or merge key repeats written text elsewhere in the data."""
    closing_brackets: int | None = None
    """"]" anywhere in the file; `None` when the file has a backslash (`"\x5d"`)."""


class LoadError(Exception):
    """The file cannot be read as a plan at all."""

    def __init__(
        self, message: str, position: Position = START, mentions: Position | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.mentions = mentions
        """Another place the message names (written by `at_line`), moved with `position`."""


def at_line(position: Position) -> str:
    """How a message names a place in the file."""
    return f"line {position.line}, column {position.column}"


def load_document(raw: bytes, limits: Limits = Limits()) -> LoadedDocument:
    """Parse one plan file; raise `LoadError` for anything that is not one safe YAML mapping."""
    if len(raw) > limits.max_bytes:
        raise LoadError(
            f"the file is larger than the limit of {limits.max_bytes:,} bytes; split the plan, "
            "or raise the plugin option `max_file_size`"
        )
    text = _decode(raw)
    if not text.strip():
        raise LoadError(_EMPTY)
    # The parser refuses control characters written as they are; only an escape in a
    # double-quoted text (`"\\x1b"`) makes one, so a file without a backslash is not searched
    # value by value.
    builder = _Builder(limits, escapes="\\" in text)
    loader = _Loader(text)
    try:
        builder.build(_events(loader))
    except yaml.reader.ReaderError as error:
        raise LoadError(*_explain_reader_error(error, text)) from None
    except yaml.MarkedYAMLError as error:
        if error.problem == "exceeded maximum nesting depth":  # libyaml's own limit, 1000
            raise LoadError(builder.depth_message(), _explain_yaml_error(error, text)[1]) from None
        raise LoadError(*_explain_yaml_error(error, text)) from None
    except yaml.YAMLError as error:  # pragma: no cover - every parser error above has a mark
        raise LoadError(f"invalid YAML: {error}") from None
    finally:
        loader.dispose()
    if builder.document.data is None:  # only comments, or a document that is empty
        raise LoadError(_EMPTY)
    builder.document.text_bounds = TextBounds(
        characters=builder.spent_text,
        longest=builder.longest_text,
        fence_marks=None if "\\" in text else text.count("```") + text.count("~~~"),
        repeats=builder.repeats_values,
        closing_brackets=None if "\\" in text else text.count("]"),
    )
    return builder.document


_EMPTY = "the file is empty; a plan needs at least `title` and `status`"


def _explain_reader_error(error: yaml.reader.ReaderError, text: str) -> tuple[str, Position]:
    """Characters YAML refuses (control characters): which one, and where."""
    before = text[: error.position]
    position = Position(before.count("\n") + 1, error.position - before.rfind("\n"))
    character = error.character
    code = ord(character) if isinstance(character, str) else int(character)
    return (
        f"the file contains the control character U+{code:04X}, which YAML does not allow; "
        "remove it",
        position,
    )


def _explain_yaml_error(
    error: yaml.MarkedYAMLError, text: str
) -> tuple[str, Position, Position | None]:
    """The parser's own words, with where the construct it was reading began, and what the
    author most likely meant."""
    mark = error.problem_mark or error.context_mark
    position = Position(mark.line + 1, mark.column + 1) if mark is not None else START
    message = f"invalid YAML: {error.problem or error.context}"
    context = error.context_mark
    mentions = None
    if error.problem and error.context and context is not None:
        mentions = Position(context.line + 1, context.column + 1)
        message += f" ({error.context} that starts at {at_line(mentions)})"
    problem = error.problem or ""
    hint = next((fix for words, fix in _COMMON_FIXES if words in problem), None)
    if "mapping values are not allowed" in problem and mark is not None:
        hint = _indented_key(text, mark.line, mark.column) or hint
    return (message + "; " + hint if hint else message), position, mentions


def moved(error: LoadError, lines: int, *, in_message: bool = True) -> LoadError:
    """`error` in a file whose YAML starts `lines` lines down (a page's front matter): its
    position, and (with `in_message`) the place its message names."""
    position = Position(error.position.line + lines, error.position.column)
    named = error.mentions
    if not in_message or named is None:
        return LoadError(error.message, position, named)
    mentions = Position(named.line + lines, named.column)
    message = error.message.replace(at_line(named), at_line(mentions))
    return LoadError(message, position, mentions)


def _indented_key(text: str, line: int, column: int) -> str | None:
    """When the `:` the parser stopped at ends a key alone on its line (`  status: Draft`
    under `title: A`), the line is indented as if it went on with the value above: say so,
    rather than ask for quotes."""
    lines = text.split("\n")
    if line >= len(lines):
        return None
    before = lines[line][:column]
    key = before.strip()
    if not key or ": " in before or key.startswith(("-", "#", '"', "'")):
        return None
    above = next((lines[n] for n in range(line - 1, -1, -1) if lines[n].strip()), None)
    if above is None:
        return None
    indent = len(lines[line]) - len(lines[line].lstrip(" "))
    above_indent = len(above) - len(above.lstrip(" "))
    if indent <= above_indent:
        return None
    return (
        f"`{key}:` is indented {indent} spaces, more than the line above ({above_indent}), so "
        "YAML reads it as going on with that line's value; give the keys of one mapping the "
        "same indentation"
    )


# What an author most often meant, for the parser messages that have one common cause (in
# PyYAML's words and in libyaml's).
_COMMON_FIXES = (
    (
        "mapping values are not allowed",
        "a value that contains `: ` must be quoted: write it in double quotes "
        '(`summary: "Phase 1: setup"`) or as a block (`summary: |` and the text on the next '
        "lines, indented)",
    ),
    ("tab", "YAML indents with spaces, not tabs: replace the tab with spaces"),
    (
        "did not find expected '-' indicator",
        "the entries of a list, and the keys of one entry, start at the same column: check "
        "this line's indentation against the lines above",
    ),
    (
        "expected <block end>",
        "this line's indentation matches no level above it: indent it as its siblings",
    ),
    (
        "did not find expected ',' or ']'",
        "a value that starts with `[` is a YAML list: close it with `]`, or, if it is text "
        "(a Markdown link such as `[#335](https://…)`), put the whole value in double quotes",
    ),
)


def decode_text(raw: bytes) -> str:
    """A file's text, UTF-8 (a byte order mark allowed); `LoadError` at the first bad byte."""
    return _decode(raw)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        this_line = before[before.rfind(b"\n") + 1 :]
        column = len(this_line.decode("utf-8", errors="replace")) + 1
        raise LoadError(
            f"the file is not UTF-8 (byte 0x{raw[error.start]:02x}); save it as UTF-8",
            Position(line, column),
        ) from None


def _events(loader: Any) -> Iterator[yaml.Event]:
    # The parser's own method as an iterator: no Python frame per event.
    return iter(loader.get_event, None)


def _position(event: yaml.Event) -> Position:
    mark = event.start_mark
    return Position(mark.line + 1, mark.column + 1) if mark is not None else START


def _mark(event: yaml.Event) -> _Mark:
    mark = event.start_mark
    return (mark.line, mark.column) if mark is not None else (0, 0)


@dataclass
class _Anchored:
    value: Any
    size: int
    text: int
    """Characters of keys and text in the value, every alias in it expanded."""


# Exact event classes: one identity test per event instead of a chain of `isinstance`.
_ALIAS = yaml.AliasEvent
_SCALAR = yaml.ScalarEvent
_SEQUENCE = yaml.SequenceStartEvent
_SEQUENCE_END = yaml.SequenceEndEvent
_MAPPING = yaml.MappingStartEvent
_MAPPING_END = yaml.MappingEndEvent
# First characters of a plain scalar that YAML may read as something other than text (`1`,
# `true`, `~`, `2026-…`); text starting with any other character is text without asking.
_IMPLICIT = _RESOLVER.yaml_implicit_resolvers
_STR = _TAG + "str"


class _Builder:
    """Turns parser events into Python values, recording positions and enforcing limits.

    Values are returned with their cost once expanded: how many values, how many characters
    of keys and text (what an alias to them costs again)."""

    def __init__(self, limits: Limits, *, escapes: bool = True) -> None:
        self.limits = limits
        self.escapes = escapes
        """Whether the text has a backslash: only an escape can put a control character in."""
        self.max_depth = limits.max_depth
        self.max_nodes = limits.max_nodes
        self.text_budget = limits.text_budget
        self.document = LoadedDocument()
        self.positions = self.document.value_positions
        self.anchors: dict[str, _Anchored] = {}
        self.bracketed: list[tuple[KeyPath, str]] = []
        self.repeats_values = False
        """Whether an alias or merge key puts a written value elsewhere in the data too."""
        self.spent_size = 0
        self.spent_text = 0
        self.longest_text = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, events: Iterator[yaml.Event]) -> None:
        documents = 0
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise LoadError(
                        "the file holds more than one YAML document; a plan is one document "
                        "(remove the `---` line)",
                        _position(event),
                    )
                first = next(events)
                if isinstance(first, yaml.ScalarEvent) and self._scalar(first, ()) is None:
                    raise LoadError(_EMPTY, _position(first))
                if not isinstance(first, (yaml.MappingStartEvent, yaml.AliasEvent)):
                    raise LoadError(
                        "a plan must be a mapping of keys such as `title:` and `status:` "
                        f"at the top level, not {_describe_event(first)}",
                        _position(first),
                    )
                self.document.data = self._value(first, events, (), 0)[0]
        self.document.bracketed_texts = None if self.repeats_values else self.bracketed

    def depth_message(self) -> str:
        return (
            f"the document is nested more than {self.limits.max_depth} levels deep; a plan "
            "needs a few levels (a list of mappings of lists)"
        )

    def _spend(self, size: int, text: int, event: yaml.Event) -> None:
        """Count what the parser just produced, aliases expanded, and stop at the budget."""
        self.spent_size += size
        self.spent_text += text
        if self.spent_size > self.max_nodes or self.spent_text > self.text_budget:
            self._refuse(event)

    def _refuse(self, event: yaml.Event) -> None:
        """The budget is spent (checked inline where it is hot): say which one."""
        if self.spent_size > self.max_nodes:
            raise LoadError(
                f"the document expands to more than {self.limits.max_nodes:,} values "
                "(aliases and merge keys are expanded); remove the repeated aliases",
                _position(event),
            )
        raise LoadError(
            f"the document expands to more than {self.text_budget:,} characters "
            "of text (aliases and merge keys are expanded); remove the repeated aliases",
            _position(event),
        )

    def _value(
        self, event: Any, events: Iterator[yaml.Event], path: KeyPath, depth: int
    ) -> tuple[Any, int, int]:
        """Build the value that starts with `event` (a node event: alias, scalar, start of a
        list or mapping); return it with its expanded cost."""
        kind = type(event)
        if kind is _ALIAS:
            anchored = self.anchors.get(event.anchor or "")
            if anchored is None:  # the C parser reports this itself; kept for the pure one
                raise LoadError(f"unknown alias *{event.anchor}", _position(event))
            self._spend(anchored.size, anchored.text, event)  # counted as met: stops a bomb
            self.repeats_values = True
            self.positions.setdefault(path, _mark(event))
            return anchored.value, anchored.size, anchored.text
        if depth > self.max_depth:
            raise LoadError(self.depth_message(), _position(event))
        if event.tag is not None:
            _check_tag(event)
        mark = event.start_mark  # inline: this runs for every value of every plan
        self.positions[path] = (mark.line, mark.column)
        if kind is _SCALAR:
            value = self._scalar(event, path)
            if ("]" in event.value or "\\" in event.value) and type(value) is str:
                self.bracketed.append((path, value))
            size, text = 1, len(event.value)
            if text > self.longest_text:
                self.longest_text = text
            self.spent_size += 1
            self.spent_text += text
            if self.spent_size > self.max_nodes or self.spent_text > self.text_budget:
                self._refuse(event)
        elif kind is _SEQUENCE:
            self._spend(1, 0, event)
            value, size, text = self._sequence(events, path, depth)
        elif kind is _MAPPING:
            self._spend(1, 0, event)
            value, size, text = self._mapping(events, path, depth)
        else:  # pragma: no cover - the parser guarantees a node event here
            raise LoadError(f"unexpected {_describe_event(event)}", _position(event))
        anchor = event.anchor
        if anchor is not None:
            self.anchors[anchor] = _Anchored(value, size, text)
        return value, size, text

    def _scalar(self, event: yaml.ScalarEvent, path: KeyPath) -> Any:
        if self.escapes and _CONTROL_SEARCH(event.value) is not None:
            _check_text(event)
        tag = event.tag
        if tag is None or tag == "!":
            if tag == "!" or not event.implicit[0]:  # quoted: always text
                return event.value
            if event.value[:1] not in _IMPLICIT:
                return event.value
            tag = _RESOLVER.resolve(  # type: ignore[no-untyped-call]
                yaml.ScalarNode, event.value, event.implicit
            )
        if tag == _STR:
            return event.value
        if tag == _TAG + "null":
            return None
        node = yaml.ScalarNode(tag, event.value)
        try:
            if tag == _TAG + "bool":
                return self.constructor.construct_yaml_bool(node)
            if tag in (_TAG + "int", _TAG + "float"):
                self.document.scalar_texts[path] = event.value
                if tag == _TAG + "int":
                    return self.constructor.construct_yaml_int(node)
                return self.constructor.construct_yaml_float(node)
            if tag == _TAG + "timestamp":
                stamp = self.constructor.construct_yaml_timestamp(node)
                return stamp.isoformat()
        except (ValueError, TypeError, OverflowError, IndexError, KeyError, AttributeError):
            # An impossible date such as 2026-02-30, or `!!int ""`, stays text; validation
            # names the problem (PyYAML's constructors fail in all these ways).
            return event.value
        return event.value

    def _sequence(
        self, events: Iterator[yaml.Event], path: KeyPath, depth: int
    ) -> tuple[list[Any], int, int]:
        items: list[Any] = []
        size, text = 1, 0
        depth += 1
        for event in events:
            if type(event) is _SEQUENCE_END:
                return items, size, text
            item, item_size, item_text = self._value(event, events, (*path, len(items)), depth)
            items.append(item)
            size += item_size
            text += item_text
        raise LoadError("unexpected end of the file inside a list")  # pragma: no cover

    def _mapping(
        self, events: Iterator[yaml.Event], path: KeyPath, depth: int
    ) -> tuple[dict[str, Any], int, int]:
        mapping: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        size, text = 1, 0
        depth += 1
        key_positions = self.document.key_positions
        key_event: Any
        for key_event in events:
            kind = type(key_event)
            if kind is _MAPPING_END:
                for key, value in merged.items():
                    mapping.setdefault(key, value)
                return mapping, size, text
            if kind is not _SCALAR:
                raise LoadError(
                    "a key must be plain text, not a list or mapping", _position(key_event)
                )
            if key_event.tag is not None:
                _check_tag(key_event)
            key = key_event.value
            if self.escapes and _CONTROL_SEARCH(key) is not None:
                _check_text(key_event)
            text += len(key)
            self.spent_text += len(key)
            if self.spent_text > self.text_budget:
                self._refuse(key_event)
            value_event = next(events)
            if key == _MERGE_KEY and key_event.implicit[0] and key_event.tag is None:
                self.repeats_values = True
                where = self.positions.get(path)
                value, value_size, value_text = self._value(value_event, events, path, depth)
                if where is not None:  # the mapping starts where it starts, not at `<<`
                    self.positions[path] = where
                size += value_size
                text += value_text
                merged.update(_merge_sources(value, value_event))
                continue
            child = (*path, key)
            if key in mapping:
                line, column = key_positions[child]
                first = Position(line + 1, column + 1)
                raise LoadError(
                    f"duplicate key `{key}`: it is already set at {at_line(first)}; keep one "
                    "of them",
                    _position(key_event),
                    first,
                )
            mark = key_event.start_mark
            key_positions[child] = (mark.line, mark.column)
            mapping[key], value_size, value_text = self._value(value_event, events, child, depth)
            size += value_size
            text += value_text
        raise LoadError("unexpected end of the file inside a mapping")  # pragma: no cover


def _merge_sources(value: Any, event: yaml.Event) -> dict[str, Any]:
    sources = value if isinstance(value, list) else [value]
    merged: dict[str, Any] = {}
    for source in reversed(sources):
        if not isinstance(source, dict):
            message = "a merge key `<<` takes a mapping or a list of mappings"
            raise LoadError(message, _position(event))
        merged.update(source)
    return merged


def _describe_event(event: yaml.Event) -> str:
    if isinstance(event, yaml.SequenceStartEvent):
        return "a list"
    if isinstance(event, yaml.ScalarEvent):
        shown = event.value if len(event.value) <= 40 else event.value[:40] + "…"
        return f"the text {shown!r}"
    return type(event).__name__.removesuffix("Event").lower()


def _check_text(event: yaml.ScalarEvent) -> None:
    """Refuse control characters written as escapes (`"\\x1b"`): no page, feed or log can
    show them, and in a terminal they are commands."""
    control = _CONTROL.search(event.value)
    if control is not None:
        raise LoadError(
            f"the text contains the control character U+{ord(control[0]):04X}; plans hold "
            "printable text only (write a line break as `\\n` and a tab as `\\t`)",
            _position(event),
        )


def _check_tag(event: yaml.Event) -> None:
    """Refuse explicit tags outside the plain set (`!!python/…`, `!include`, `!!binary` …):
    nothing in a plan is ever constructed from a tag, on a key or on a value."""
    tag = getattr(event, "tag", None)
    if tag is not None and tag not in _SAFE_TAGS:
        raise LoadError(
            f"the tag `{tag.replace(_TAG, '!!')}` is not allowed; plans use plain YAML "
            "values only (strings, numbers, booleans, dates, lists and mappings)",
            _position(event),
        )
