"""YAML bytes → plain Python data, with the source position of every key and value.

The document is built from the parser's event stream rather than from PyYAML's composer so
that the limits below are enforced while parsing: nesting depth (no `RecursionError`),
alias expansion (no "billion laughs"), tags outside the safe set, duplicate keys and more
than one document are all reported as problems with a line and column.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from mkdocs_techplan.problems import START, Position

try:  # libyaml's parser is about ten times faster than the pure-Python one.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

KeyPath = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_SAFE_TAGS = frozenset(
    _TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
) | {"!"}
_MERGE_KEY = "<<"
_RESOLVER = yaml.resolver.Resolver()


@dataclass(frozen=True)
class Limits:
    """What a plan file may cost to load."""

    max_bytes: int = 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 100_000
    """Values in the document once every alias is expanded (merge keys count too)."""


@dataclass
class LoadedDocument:
    """A plan file's data and where each part of it was written."""

    data: Any = None
    value_positions: dict[KeyPath, Position] = field(default_factory=dict)
    key_positions: dict[KeyPath, Position] = field(default_factory=dict)
    scalar_texts: dict[KeyPath, str] = field(default_factory=dict)
    """The text as written of every number, so `version: 1.10` can stay `1.10`."""

    def position_of(self, path: KeyPath, *, key: bool = False) -> Position:
        """Where `path` (or its nearest written ancestor) starts; `key` prefers the key itself."""
        while True:
            if key and path in self.key_positions:
                return self.key_positions[path]
            if path in self.value_positions:
                return self.value_positions[path]
            if not path:
                return START
            path = path[:-1]


class LoadError(Exception):
    """The file cannot be read as a plan at all."""

    def __init__(self, message: str, position: Position = START) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


def load_document(raw: bytes, limits: Limits = Limits()) -> LoadedDocument:
    """Parse one plan file; raise `LoadError` for anything that is not one safe YAML mapping."""
    if len(raw) > limits.max_bytes:
        raise LoadError(
            f"the file is larger than the limit of {limits.max_bytes:,} bytes; split the plan, "
            "or raise the plugin option `max_file_size`"
        )
    text = _decode(raw)
    if not text.strip():
        raise LoadError("the file is empty; a plan needs at least `title` and `status`")
    builder = _Builder(limits)
    loader = _Loader(text)
    try:
        builder.build(_events(loader))
    except yaml.MarkedYAMLError as error:
        raise LoadError(*_explain_yaml_error(error)) from None
    except yaml.YAMLError as error:
        raise LoadError(f"invalid YAML: {error}") from None
    finally:
        loader.dispose()
    return builder.document


def _explain_yaml_error(error: yaml.MarkedYAMLError) -> tuple[str, Position]:
    """The parser's own words, with where the construct it was reading began."""
    mark = error.problem_mark or error.context_mark
    position = Position(mark.line + 1, mark.column + 1) if mark is not None else START
    message = f"invalid YAML: {error.problem or error.context}"
    context = error.context_mark
    if error.problem and error.context and context is not None:
        message += f" ({error.context} that starts at line {context.line + 1}, column "
        message += f"{context.column + 1})"
    return message, position


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise LoadError(
            f"the file is not UTF-8 (byte 0x{raw[error.start]:02x}); save it as UTF-8",
            Position(line, column),
        ) from None


def _events(loader: Any) -> Iterator[yaml.Event]:
    while loader.check_event():
        yield loader.get_event()


def _position(event: yaml.Event) -> Position:
    mark = event.start_mark
    return Position(mark.line + 1, mark.column + 1) if mark is not None else START


@dataclass
class _Anchored:
    value: Any
    size: int


class _Builder:
    """Turns parser events into Python values, recording positions and enforcing limits."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.document = LoadedDocument()
        self.anchors: dict[str, _Anchored] = {}
        self.nodes = 0
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
                if not isinstance(first, (yaml.MappingStartEvent, yaml.AliasEvent)):
                    raise LoadError(
                        "a plan must be a mapping of keys such as `title:` and `status:` "
                        f"at the top level, not {_describe_event(first)}",
                        _position(first),
                    )
                self.document.data, _ = self._value(first, events, (), 0)

    def _count(self, amount: int, event: yaml.Event) -> None:
        self.nodes += amount
        if self.nodes > self.limits.max_nodes:
            raise LoadError(
                f"the document expands to more than {self.limits.max_nodes:,} values "
                "(aliases and merge keys are expanded); remove the repeated aliases",
                _position(event),
            )

    def _value(
        self, event: yaml.Event, events: Iterator[yaml.Event], path: KeyPath, depth: int
    ) -> tuple[Any, int]:
        """Build the value that starts with `event`; return it with its expanded size."""
        if isinstance(event, yaml.AliasEvent):
            anchored = self.anchors.get(event.anchor or "")
            if anchored is None:  # the C parser reports this itself; kept for the pure one
                raise LoadError(f"unknown alias *{event.anchor}", _position(event))
            self._count(anchored.size, event)
            self.document.value_positions.setdefault(path, _position(event))
            return anchored.value, anchored.size
        if depth > self.limits.max_depth:
            raise LoadError(
                f"the document is nested more than {self.limits.max_depth} levels deep",
                _position(event),
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _SAFE_TAGS:
            raise LoadError(
                f"the tag `{tag.replace(_TAG, '!!')}` is not allowed; plans use plain YAML "
                "values only (strings, numbers, booleans, dates, lists and mappings)",
                _position(event),
            )
        self.document.value_positions[path] = _position(event)
        self._count(1, event)
        if isinstance(event, yaml.ScalarEvent):
            value, size = self._scalar(event, path), 1
        elif isinstance(event, yaml.SequenceStartEvent):
            value, size = self._sequence(events, path, depth)
        elif isinstance(event, yaml.MappingStartEvent):
            value, size = self._mapping(event, events, path, depth)
        else:  # pragma: no cover - the parser guarantees a node event here
            raise LoadError(f"unexpected {_describe_event(event)}", _position(event))
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self.anchors[anchor] = _Anchored(value, size)
        return value, size

    def _scalar(self, event: yaml.ScalarEvent, path: KeyPath) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            if tag == "!" or not event.implicit[0]:  # quoted: always text
                return event.value
            tag = _RESOLVER.resolve(  # type: ignore[no-untyped-call]
                yaml.ScalarNode, event.value, event.implicit
            )
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
        except (ValueError, TypeError, OverflowError):
            # An impossible date such as 2026-02-30 stays text; validation names the problem.
            return event.value
        return event.value

    def _sequence(
        self, events: Iterator[yaml.Event], path: KeyPath, depth: int
    ) -> tuple[list[Any], int]:
        items: list[Any] = []
        size = 1
        for event in events:
            if isinstance(event, yaml.SequenceEndEvent):
                return items, size
            item, item_size = self._value(event, events, (*path, len(items)), depth + 1)
            items.append(item)
            size += item_size
        raise LoadError("unexpected end of the file inside a list")  # pragma: no cover

    def _mapping(
        self,
        start: yaml.Event,
        events: Iterator[yaml.Event],
        path: KeyPath,
        depth: int,
    ) -> tuple[dict[str, Any], int]:
        mapping: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        size = 1
        for key_event in events:
            if isinstance(key_event, yaml.MappingEndEvent):
                for key, value in merged.items():
                    mapping.setdefault(key, value)
                return mapping, size
            if not isinstance(key_event, yaml.ScalarEvent):
                raise LoadError(
                    "a key must be plain text, not a list or mapping", _position(key_event)
                )
            key = key_event.value
            value_event = next(events)
            if key == _MERGE_KEY and key_event.implicit[0]:
                value, value_size = self._value(value_event, events, path, depth + 1)
                size += value_size
                merged.update(_merge_sources(value, value_event))
                continue
            child = (*path, key)
            if key in mapping:
                first = self.document.key_positions[child]
                raise LoadError(
                    f"duplicate key `{key}`: it is already set at line {first.line}, "
                    f"column {first.column}; keep one of them",
                    _position(key_event),
                )
            self.document.key_positions[child] = _position(key_event)
            mapping[key], value_size = self._value(value_event, events, child, depth + 1)
            size += value_size
        raise LoadError("unexpected end of the file inside a mapping")  # pragma: no cover


def _merge_sources(value: Any, event: yaml.Event) -> dict[str, Any]:
    sources = value if isinstance(value, list) else [value]
    merged: dict[str, Any] = {}
    for source in reversed(sources):
        if not isinstance(source, dict):
            raise LoadError("a merge key `<<` takes a mapping or a list of mappings", _position(event))
        merged.update(source)
    return merged


def _describe_event(event: yaml.Event) -> str:
    if isinstance(event, yaml.SequenceStartEvent):
        return "a list"
    if isinstance(event, yaml.ScalarEvent):
        return f"the text {event.value!r}"
    return type(event).__name__.removesuffix("Event").lower()
