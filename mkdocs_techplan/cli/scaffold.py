"""A new `plan.yaml` to fill in (`mkdocs-techplan new`).

The file validates as written: `title`, `version`, `status` and `date` are set, and every
other key of the format follows as commented-out YAML, section by section, all read from the
format's definition (the schema): each key's `x-techplan-guidance` and first `examples` entry.
Lines of guidance start with `##`, so uncommenting a block (Ctrl+/ in VS Code removes one `#`)
leaves the guidance a comment and turns the example into YAML.
"""

from __future__ import annotations

import datetime
import os
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from mkdocs_techplan.format.definition import Definition, Key, default_definition
from mkdocs_techplan.format.writing import dump_plan, modeline
from mkdocs_techplan.site.discovery import is_plan_file, page_uri_for


class ScaffoldError(Exception):
    """The plan cannot be written where it was asked for."""

    def __init__(self, message: str, *, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage
        """The path given cannot name a plan at all (rather than: that file is taken)."""


@dataclass(frozen=True)
class NewPlan:
    title: str
    status: str
    authors: Sequence[str] = ()
    specifications: Sequence[str] = ()
    date: datetime.date | None = None
    id: str | None = None
    """The plan's id (`new` writes the site's next free one when the site numbers its plans)."""


def plan_path(path: str) -> str:
    """Where `new PATH` writes: PATH itself if it names a YAML file, else PATH/plan.yaml."""
    parts = path.replace(os.sep, "/").split("/")
    hidden = [part for part in parts if part.startswith(".") and part not in (".", "..")]
    if hidden:
        raise ScaffoldError(
            f"{path}: MkDocs leaves files in hidden folders and hidden files out of the site "
            f"(`{hidden[-1]}`), so this plan would never be built; choose a path without one",
            usage=True,
        )
    if path.endswith((".yaml", ".yml", ".md")):
        if not is_plan_file(os.path.basename(path)):
            raise ScaffoldError(
                f"{path}: a new plan is named `plan.yaml` or `<slug>.plan.yaml` (`.yml` too), "
                "or `plan.md` or `<slug>.plan.md` for a plan written in Markdown; choose one "
                "of those names",
                usage=True,
            )
        return path
    return os.path.join(path, "plan.yaml")


def default_title(path: str) -> str:
    """A title from the plan's folder or slug: `docs/plans/search-reindex` → `Search reindex`."""
    folder, name = os.path.split(os.path.abspath(path))
    in_folder = name in ("plan.yaml", "plan.yml", "plan.md")
    stem = os.path.basename(folder) if in_folder else name.split(".plan.")[0]
    words = stem.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else "New plan"


def write_plan(path: str, text: str) -> list[str]:
    """Write a new file; refuse to replace a file or to take the path of an existing page.
    Returns the folders it created, deepest last (for `remove_new_plan`)."""
    if os.path.lexists(path):
        raise ScaffoldError(f"{path} already exists; it is left as it is (choose another path)")
    page = os.path.join(os.path.dirname(path), page_uri_for(os.path.basename(path)))
    if os.path.exists(page):
        raise ScaffoldError(
            f"{page} already exists and the plan would become that same page; "
            "put the plan in its own folder or give it another name"
        )
    created = []
    folder = os.path.dirname(os.path.abspath(path))
    missing = []
    while not os.path.isdir(folder):
        missing.append(folder)
        folder = os.path.dirname(folder)
    for folder in reversed(missing):
        os.mkdir(folder)
        created.append(folder)
    with open(path, "x", encoding="utf-8") as stream:
        stream.write(text)
    return created


def remove_new_plan(path: str, created: Sequence[str]) -> None:
    """Take back a plan `write_plan` just wrote, and the folders it made for it (if empty)."""
    os.remove(path)
    for folder in reversed(created):
        try:
            os.rmdir(folder)
        except OSError:
            break  # something else is in it now


def plan_text(plan: NewPlan, schema: str, definition: Definition | None = None) -> str:
    """The new file's text: the plan's own header lines, then every other key of the format
    (`definition`, by default the shipped one) as commented guidance and example."""
    definition = definition or default_definition()
    date = plan.date or datetime.date.today()
    lines = [
        *([modeline(schema)] if schema else []),
        "## A technical plan: mkdocs-techplan renders it as the page",
        '## "Technical Plan: <title>". Every section below is optional: uncomment the ones you',
        "## need (select the lines, then Ctrl+/ or Cmd+/). A section left out or empty is left out",
        "## of the page. Check the plan with `mkdocs-techplan validate`.",
        "",
    ]
    given = _header(plan, date, version="1.0")
    for key in definition.header:
        if key.name in given:
            lines += [*_guidance(key), _line(key.name, given[key.name])]
        elif key.name not in _WRITTEN_BY_NEW:
            lines += _guidance(key) + _commented(key, date)
    for section in definition.sections:
        lines += ["", _banner(section.heading)]
        for key in section.keys:
            lines += _guidance(key) + _commented(key, date)
    return "\n".join(lines) + "\n"


def markdown_plan_text(plan: NewPlan, definition: Definition | None = None) -> str:
    """A new plan written in Markdown: its header as front matter, its title, then a `##`
    heading for each section of the format with its guidance in a comment (which the page
    does not show). Headings the author keeps are the plan's sections, in their order."""
    definition = definition or default_definition()
    date = plan.date or datetime.date.today()
    header = _header(plan, date)
    lines = ["---", *(_line(key, value) for key, value in header.items()), "---", ""]
    lines += [
        f"# {plan.title}",
        "",
        "<!-- The text before the first ## heading is the plan's summary. Keep the headings",
        "     you need, in the order you want; a heading the format does not know stays as",
        "     you wrote it. Check the plan with `mkdocs-techplan validate`. -->",
        "",
        "One paragraph: what this plan does and why.",
    ]
    for section in definition.sections:
        guidance = [text for key in section.keys for text in _guidance(key)]
        note = " ".join(line.removeprefix("## ").strip() for line in guidance)
        lines += ["", f"## {section.heading}", "", f"<!-- {note.replace('--', '—')} -->"]
    return "\n".join(lines) + "\n"


# Header keys `new` writes itself (from its options) when it has a value for them.
_WRITTEN_BY_NEW = frozenset({"title", "version", "status", "date"})
_WIDTH = 91
"""The width of guidance lines and section banners."""


def _header(plan: NewPlan, date: datetime.date, *, version: str | None = None) -> dict[str, object]:
    """The header `new` writes: the plan's own values, in the format's order."""
    given: dict[str, object] = {"title": plan.title}
    if version is not None:
        given["version"] = version
    given["status"] = plan.status
    if plan.id:
        given["id"] = plan.id
    if plan.authors:
        given["author"] = _one_or_list(plan.authors)
    given["date"] = date
    if plan.specifications:
        given["specification"] = _one_or_list(plan.specifications)
    return given


def _one_or_list(values: Sequence[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else list(values)


def _banner(heading: str) -> str:
    """`## ── Data Model ────…`: where a section starts, easy to find in a long file."""
    start = f"## ── {heading} "
    return start + "─" * max(3, _WIDTH - len(start))


def _guidance(key: Key) -> list[str]:
    """The key's `x-techplan-guidance` as `##` comment lines, which stay comments when the
    example under them is uncommented."""
    text = key.schema.get("x-techplan-guidance")
    if not isinstance(text, str):
        return []
    return ["## " + line for line in textwrap.wrap(text, _WIDTH - 3, break_on_hyphens=False)]


def _commented(key: Key, date: datetime.date) -> list[str]:
    """The key's example as commented-out YAML; dates in it are the plan's."""
    example = _example(key)
    if example is None:
        return [f"# {key.name}:"]
    example = _dated(key, example, date.isoformat())
    return ["# " + line if line else "#" for line in dump_plan({key.name: example}).splitlines()]


def _example(key: Key) -> Any:
    """The first of the key's schema `examples`, with every part of a mapping it leaves out
    added (so a key added to a section is in the scaffold too); without examples, the key's
    description stands in for text. None when there is nothing to show."""
    examples = key.schema.get("examples")
    example = examples[0] if isinstance(examples, list) and examples else None
    if key.kind == "mapping" and (example is None or isinstance(example, dict)):
        filled = dict(example or {})
        for part in key.parts:
            if part.name not in filled and (value := _example(part)) is not None:
                filled[part.name] = value
        return filled or None
    if example is not None:
        return example
    description = key.schema.get("description") or key.label
    if key.name.endswith(_LANGUAGE):
        # A fence's language: the description as the value would make a broken fence once
        # uncommented; its default language is a valid example, else the value stays empty.
        default = _DEFAULT.search(str(description))
        return default[1] if default else None
    if key.kind in ("text", "markdown", "code"):
        return description  # prose a prose field shows as it is
    if key.kind in ("list", "steps", "checklist"):
        return [description]
    return None


_LANGUAGE = "_language"

_DEFAULT = re.compile(r"\(default ([A-Za-z0-9_+#.-]+)\)")


def _dated(key: Key, example: Any, date: str) -> Any:
    """`example` with every value of kind `date` in its records set to `date`."""
    if key.kind in ("records", "table") and isinstance(example, list):
        dates = {part.name for part in key.parts if part.kind == "date"}
        return [
            {name: date if name in dates else value for name, value in entry.items()}
            if isinstance(entry, dict)
            else entry
            for entry in example
        ]
    return example


def _line(key: str, value: object) -> str:
    """`key: value`, quoted where YAML needs it; a list in flow style (`[a, b]`)."""
    dumped = (
        yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
        .removesuffix("\n...\n")
        .rstrip("\n")
    )
    return f"{key}: {dumped}"
