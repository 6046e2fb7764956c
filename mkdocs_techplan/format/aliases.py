"""How a document's own keys and labels name the plan's keys (README, "Plans written
in Markdown").

Real documents spell keys their way: `creation-date` (kep.yaml), `Start Date` (a Rust RFC's
header line), `Authors` (Swift Evolution). A key, a header field's label or a section's title
matches case-insensitively, with `-`, `_` and spaces the same; `aliases` (the site's, and its
preset's) map any other name onto a plan key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from mkdocs_techplan.format.definition import Definition, Key

_SEPARATORS = re.compile(r"[\s_\-]+")
# Numbering before a heading (`1.`, `2.3`, `IV.`) and a trailing `(Optional)` are not part of
# its name.
_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*|[IVX]+)\.?\s+")
_OPTIONAL = re.compile(r"\s*\((?:optional|if applicable)\)\s*$", re.IGNORECASE)


def fold(name: str) -> str:
    """`Creation-Date`, `creation_date` and `creation date` are one name: `creation_date`."""
    return _SEPARATORS.sub("_", name.strip().casefold()).strip("_")


def fold_heading(heading: str) -> str:
    """A heading as a name: numbering and a trailing `(Optional)` left out, then folded."""
    return fold(_OPTIONAL.sub("", _NUMBERING.sub("", heading.strip())))


@dataclass(frozen=True, eq=False)
class KeyNames:
    """Every name a site's documents may give each top-level plan key."""

    definition: Definition
    aliases: Mapping[str, str] = field(default_factory=dict)
    """The site's and its preset's aliases: a document's name → a plan key."""

    @cached_property
    def _header(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for key in self.definition.keys:
            names.setdefault(fold(key.label), key.name)
        for key in self.definition.keys:  # a key's own name wins over another key's label
            names[fold(key.name)] = key.name
        for written, target in self.aliases.items():
            names[fold(written)] = target
        return names

    @cached_property
    def _sections(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for section in self.definition.sections:
            for key in section.keys:
                names.setdefault(fold_heading(section.heading), key.name)
                names.setdefault(fold(key.name), key.name)
                names.setdefault(fold(key.label), key.name)
        names.setdefault("summary", "summary")
        for written, target in self.aliases.items():
            names[fold_heading(written)] = target
        return names

    def key(self, written: str) -> str | None:
        """The plan key a header key or label names, or None."""
        return self._header.get(fold(written))

    def section(self, heading: str) -> str | None:
        """The plan key a `##` heading names, or None."""
        return self._sections.get(fold_heading(heading))

    def known(self) -> list[str]:
        """Every name a header may use, for suggestions."""
        return sorted({*(key.name for key in self.definition.keys), *self.aliases})

    def plan_key(self, name: str) -> Key | None:
        return self.definition.key(name)
