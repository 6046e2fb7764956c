"""A fast yes/no check of plan data against the plan JSON Schema, compiled from the schema file.

`jsonschema` spends about two milliseconds on a full plan even when it is valid, which is
most of what a plan costs a build. Nearly every plan is valid, so the schema is compiled once
into nested Python closures that only answer "valid or not"; `jsonschema` still explains the
problems of the few plans this check rejects. The schema file stays the one definition of the
format: nothing here restates it.

The check is sound, never lenient: it answers True only where `jsonschema` would find no error.
It handles the keywords the plan schema uses, for the value types YAML produces; a value of any
other type is rejected (and so explained by `jsonschema`, which then decides). Only keywords
where rejecting a part can never make the whole accepted are compiled (so no `not`, `if` or
`oneOf`); a schema that uses another keyword `jsonschema` implements gets no fast check at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Check = Callable[[Any], bool]
FormatCheck = Callable[[str], bool]

# The Python types YAML data is made of, by JSON Schema type name (bool is not a number here,
# as in JSON Schema; an integral float is an integer, as in draft 2020-12).
_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "number": (int, float),
    "integer": (int,),
    "boolean": (bool,),
    "null": (type(None),),
    "array": (list,),
    "object": (dict,),
}
_COMPILED = frozenset(
    {
        "$ref", "type", "enum", "const", "properties", "patternProperties",
        "additionalProperties", "required", "items", "anyOf", "allOf", "minLength",
        "maxLength", "minItems", "maxItems", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "pattern", "format",
    }
)  # fmt: skip
# Every keyword draft 2020-12 gives a meaning (jsonschema implements exactly these; a test
# compares). Any other keyword is an annotation (`description`, `examples`, `x-…`): ignored.
ASSERTING = frozenset(
    {
        "$dynamicRef", "$ref", "additionalProperties", "allOf", "anyOf", "const", "contains",
        "dependentRequired", "dependentSchemas", "enum", "exclusiveMaximum", "exclusiveMinimum",
        "format", "if", "items", "maxItems", "maxLength", "maxProperties", "maximum", "minItems",
        "minLength", "minProperties", "minimum", "multipleOf", "not", "oneOf", "pattern",
        "patternProperties", "prefixItems", "properties", "propertyNames", "required", "type",
        "unevaluatedItems", "unevaluatedProperties", "uniqueItems",
    }
)  # fmt: skip


class Unsupported(Exception):
    """The schema uses a keyword this module does not compile."""


def _always(_value: Any) -> bool:
    return True


def compile_schema(schema: dict[str, Any], formats: Mapping[str, FormatCheck]) -> Check:
    """A function telling whether a value is valid against `schema` (draft 2020-12);
    raises `Unsupported` when the schema needs a keyword it cannot compile.

    `formats`: the formats that are checked, each by a function that is at least as strict
    as jsonschema's format checker; other formats are annotations, as for jsonschema."""
    return _Compiler(schema, formats).compile(schema)


class _Compiler:
    def __init__(self, root: dict[str, Any], formats: Mapping[str, FormatCheck]) -> None:
        self.root = root
        self.formats = formats
        self.refs: dict[str, Check] = {}

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return _always
        if schema is False:
            return lambda _value: False
        if not isinstance(schema, dict):
            raise Unsupported(f"a schema must be an object or a boolean, not {schema!r}")
        unsupported = sorted((ASSERTING & set(schema)) - _COMPILED)
        if unsupported:
            raise Unsupported(f"keywords not compiled: {', '.join(unsupported)}")
        # A schema of one type (`type: string` with `minLength`) is one check: the type is
        # tested where that type's rules are, instead of a second time on its own.
        kind = _single_type(schema)
        checks = [
            check
            for check in (
                self._ref(schema),
                None if kind is not None else self._type(schema),
                self._enum(schema),
                self._string(schema, strict=kind is str),
                self._number(schema),
                self._array(schema, strict=kind is list),
                self._object(schema, strict=kind is dict),
                self._any_of(schema),
            )
            if check is not None
        ]
        checks += [self.compile(part) for part in schema.get("allOf", ())]
        if kind is not None and not any(
            keyword in schema for keyword in _RULES_WITH_TYPE.get(kind, ())
        ):
            checks.append(self._type(schema))  # type: ignore[arg-type]  # `type` is there
        return _all_of(checks)

    def _ref(self, schema: dict[str, Any]) -> Check | None:
        ref = schema.get("$ref")
        if ref is None:
            return None
        if not isinstance(ref, str) or not ref.startswith("#/$defs/"):
            raise Unsupported(f"only local `#/$defs/...` references are compiled, not {ref!r}")
        if ref not in self.refs:
            target = self.root.get("$defs", {}).get(ref.removeprefix("#/$defs/"))
            if target is None:
                raise Unsupported(f"the reference {ref!r} names no definition")
            compiled: Check | None = None

            def late(value: Any) -> bool:  # defined before compiling: a definition may recurse
                assert compiled is not None
                return compiled(value)

            self.refs[ref] = late
            compiled = self.compile(target)
            self.refs[ref] = compiled
        return self.refs[ref]

    def _type(self, schema: dict[str, Any]) -> Check | None:
        if "type" not in schema:
            return None
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if any(name not in _TYPES for name in names):
            raise Unsupported(f"unknown type in {names!r}")
        exact = frozenset(kind for name in names for kind in _TYPES[name])
        if "integer" in names and "number" not in names:
            return lambda value: (
                type(value) in exact or (type(value) is float and value.is_integer())
            )
        return lambda value: type(value) in exact

    def _enum(self, schema: dict[str, Any]) -> Check | None:
        choices: list[Any] = list(schema.get("enum", ()))
        if "const" in schema:
            choices_const = [schema["const"]]
            if "enum" in schema:
                raise Unsupported("`enum` beside `const`")
            choices = choices_const
        elif "enum" not in schema:
            return None
        if not all(isinstance(choice, str) for choice in choices):
            raise Unsupported("only `enum` and `const` of strings are compiled")
        allowed = frozenset(choices)
        return lambda value: type(value) is str and value in allowed

    def _string(self, schema: dict[str, Any], *, strict: bool) -> Check | None:
        tests: list[Check] = []
        if "minLength" in schema:
            shortest = schema["minLength"]
            tests.append(lambda value: len(value) >= shortest)
        if "maxLength" in schema:
            longest = schema["maxLength"]
            tests.append(lambda value: len(value) <= longest)
        if "pattern" in schema:
            search = re.compile(schema["pattern"]).search
            tests.append(lambda value: search(value) is not None)
        if "format" in schema and schema["format"] in self.formats:
            tests.append(self.formats[schema["format"]])
        return _when(str, tests, strict=strict)

    def _number(self, schema: dict[str, Any]) -> Check | None:
        tests: list[Check] = []
        for keyword, holds in (
            ("minimum", lambda value, bound: value >= bound),
            ("maximum", lambda value, bound: value <= bound),
            ("exclusiveMinimum", lambda value, bound: value > bound),
            ("exclusiveMaximum", lambda value, bound: value < bound),
        ):
            if keyword in schema:
                tests.append(_bound(holds, schema[keyword]))
        if not tests:
            return None
        every = tuple(tests)

        def numbers(value: Any) -> bool:
            kind = type(value)
            if kind is int or kind is float:
                return all(test(value) for test in every)
            return kind in _JSON_TYPES  # not a number (true and false are not): rule skipped

        return numbers

    def _array(self, schema: dict[str, Any], *, strict: bool) -> Check | None:
        tests: list[Check] = []
        if "minItems" in schema:
            fewest = schema["minItems"]
            tests.append(lambda value: len(value) >= fewest)
        if "maxItems" in schema:
            most = schema["maxItems"]
            tests.append(lambda value: len(value) <= most)
        if "items" in schema:
            item = self.compile(schema["items"])
            if item is not _always:

                def every_item(value: list[Any]) -> bool:
                    for entry in value:  # noqa: SIM110  # a loop: quicker than a generator
                        if not item(entry):
                            return False
                    return True

                tests.append(every_item)
        return _when(list, tests, strict=strict)

    def _object(self, schema: dict[str, Any], *, strict: bool) -> Check | None:
        keywords = ("properties", "patternProperties", "additionalProperties", "required")
        if not any(keyword in schema for keyword in keywords):
            return None
        properties = {
            name: self.compile(part) for name, part in schema.get("properties", {}).items()
        }
        patterns = [
            (re.compile(pattern).search, self.compile(part))
            for pattern, part in schema.get("patternProperties", {}).items()
        ]
        # As jsonschema decides what is "additional": one search with every pattern.
        any_pattern = re.compile("|".join(schema.get("patternProperties", {}))).search
        has_patterns = bool(patterns)
        checked_patterns = [(search, part) for search, part in patterns if part is not _always]
        additional = self.compile(schema.get("additionalProperties", True))
        required = tuple(schema.get("required", ()))

        def check(value: Any) -> bool:
            if type(value) is not dict:
                return not strict and type(value) in _JSON_TYPES  # rules for objects only
            for name in required:
                if name not in value:
                    return False
            for key, item in value.items():
                if type(key) is not str:
                    return False  # not a JSON object key: let jsonschema decide
                part = properties.get(key)
                if part is not None and part is not _always and not part(item):
                    return False
                for search, pattern_part in checked_patterns:
                    if search(key) and not pattern_part(item):
                        return False
                if (
                    part is None
                    and additional is not _always
                    and not (has_patterns and any_pattern(key))
                    and not additional(item)
                ):
                    return False
            return True

        return check

    def _any_of(self, schema: dict[str, Any]) -> Check | None:
        if "anyOf" not in schema:
            return None
        options = tuple(self.compile(part) for part in schema["anyOf"])
        if _always in options:
            return None
        if len(options) == 2:
            first, second = options
            return lambda value: first(value) or second(value)
        return lambda value: any(option(value) for option in options)


# What YAML data is made of. Rules that apply to one type only let the other types pass; a
# value of any type outside these (a set, a date object) is rejected so that jsonschema decides.
_JSON_TYPES = frozenset({str, int, float, bool, type(None), list, dict})
# The keywords whose compiled check also tests the type, by the one type a schema names.
_RULES_WITH_TYPE: dict[type, tuple[str, ...]] = {
    str: ("minLength", "maxLength", "pattern", "format"),
    list: ("minItems", "maxItems", "items"),
    dict: ("properties", "patternProperties", "additionalProperties", "required"),
}


def _single_type(schema: dict[str, Any]) -> type | None:
    """`str`, `list` or `dict` when the schema accepts values of that one type only."""
    names = schema.get("type")
    if isinstance(names, list) and len(names) == 1:
        names = names[0]
    if not isinstance(names, str):
        return None
    return {"string": str, "array": list, "object": dict}.get(names)


def _all_of(checks: Sequence[Check | None]) -> Check:
    real = [check for check in checks if check is not None and check is not _always]
    if not real:
        return _always
    if len(real) == 1:
        return real[0]
    if len(real) == 2:
        first, second = real
        return lambda value: first(value) and second(value)
    every = tuple(real)
    return lambda value: all(check(value) for check in every)


def _when(kind: type, tests: list[Check], *, strict: bool) -> Check | None:
    """Rules that apply to one JSON type: with `strict`, values of other types fail (the
    schema names this type only); else they pass, as JSON Schema's rules skip them."""
    if not tests:
        return None
    check = _all_of(tests)
    if strict:
        return lambda value: type(value) is kind and check(value)
    return lambda value: check(value) if type(value) is kind else type(value) in _JSON_TYPES


def _bound(holds: Callable[[Any, Any], bool], bound: Any) -> Check:
    return lambda value: holds(value, bound)
