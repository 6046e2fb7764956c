"""The statuses a site allows: their names as the site spells them, CSS slugs and colours.

One place answers "which configured status is this?", for validation, pages, listings and
outputs alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

DEFAULT_STATUSES: dict[str, str] = {
    "Draft": "#6b7280",
    "In Review": "#b45309",
    "Approved": "#15803d",
}
"""The default statuses, in order, with their colours (dark enough for white text)."""

FALLBACK_COLOUR = "#4b5563"


@dataclass(frozen=True)
class StatusStyle:
    """A configured status: its name as the site spells it, CSS slug and colour."""

    name: str
    slug: str
    colour: str


class Statuses(tuple[StatusStyle, ...]):
    """The configured statuses in their order, looked up by name."""

    @cached_property
    def _by_name(self) -> dict[str, StatusStyle]:
        return {style.name: style for style in self}

    def of(self, name: str | None) -> StatusStyle | None:
        """The style of the status spelt `name` (as `match_status` returns it), or None."""
        return self._by_name.get(name or "")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(style.name for style in self)

    @cached_property
    def superseded(self) -> StatusStyle:
        """What a superseded plan shows beside its own status: the site's `Superseded` status
        when it configures one (in any case), else a grey one of that name."""
        configured = next((s for s in self if s.name.casefold() == "superseded"), None)
        return configured or StatusStyle("Superseded", "superseded", SUPERSEDED_COLOUR)

    def with_superseded(self) -> tuple[StatusStyle, ...]:
        """The configured statuses, and `superseded` after them when it is not one of them."""
        return tuple(self) if self.superseded in self else (*self, self.superseded)


SUPERSEDED_COLOUR = "#4b5563"
"""Grey, dark enough for white text (7.6:1)."""


def status_slug(name: str) -> str:
    """`In Review` → `in-review`, `Rückzug` → `rückzug`, `進行中` → `進行中`: the suffix of the
    badge's CSS class. Letters of every script are kept (a class name may hold them), so
    statuses in other scripts get classes, colours and index filters of their own."""
    return re.sub(r"[\W_]+", "-", name.casefold()).strip("-") or "status"


def status_styles(statuses: Mapping[str, str] | Sequence[str]) -> Statuses:
    """Styles for the configured statuses, in their configured order."""
    if isinstance(statuses, Mapping):
        pairs = list(statuses.items())
    else:
        pairs = [(name, DEFAULT_STATUSES.get(name, FALLBACK_COLOUR)) for name in statuses]
    return Statuses(StatusStyle(name, status_slug(name), colour) for name, colour in pairs)


def folded_status(name: str) -> str:
    """`name` as statuses are compared: case, spacing, `-` and `_` ignored, so that
    `ready-for-release` (an Ember RFC's stage) is the site's `Ready for release`, as a
    header's keys already treat `-` and `_` alike."""
    return " ".join(name.replace("-", " ").replace("_", " ").split()).casefold()


def match_status(written: str, statuses: Iterable[str]) -> str | None:
    """The configured spelling of `written`, compared as `folded_status` folds them."""
    wanted = folded_status(written)
    for status in statuses:
        if folded_status(status) == wanted:
            return status
    return None
