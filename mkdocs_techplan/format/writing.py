"""Plan data → `plan.yaml` text that reads like one written by hand."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from mkdocs_techplan.format.validation import plan_schema

SCHEMA_URL: str = plan_schema()["$id"]
"""Where editors find the plan schema: its `$id`, the URL it is published at."""


class WrittenNumber(str):
    """A number kept as it was written (`82.5`, `80`), emitted as a YAML number."""

    __slots__ = ()


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Lists indented under their key, as people write them (PyYAML's default is not to).
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # Several lines read best as a literal block; PyYAML falls back to quoting by itself
    # when the text cannot be one (trailing spaces, control characters).
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_number(dumper: yaml.SafeDumper, number: WrittenNumber) -> yaml.ScalarNode:
    tag = "tag:yaml.org,2002:int" if number.lstrip("+-").isdigit() else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, str(number))


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(WrittenNumber, _represent_number)


def modeline(schema: str = SCHEMA_URL) -> str:
    """The first line that points the YAML language server (VS Code and others) at the schema."""
    return f"# yaml-language-server: $schema={schema}\n"


def dump_plan(data: dict[str, Any], order: Sequence[str] = ()) -> str:
    """YAML for `data`, top-level keys in the format's order (`order`: a site's, with its own
    keys; by default the shipped one), unknown keys last."""
    order = order or list(plan_schema()["properties"])
    ordered = {key: data[key] for key in order if key in data}
    ordered.update((key, value) for key, value in data.items() if key not in ordered)
    return yaml.dump(
        ordered,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
