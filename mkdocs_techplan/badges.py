"""Status badges: the HTML badge shown in pages and the standalone SVG badge."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DEFAULT_STATUSES: dict[str, str] = {
    "Draft": "#6b7280",
    "In Review": "#b45309",
    "Approved": "#15803d",
}
"""The default statuses, in order, with their colours (dark enough for white text)."""


@dataclass(frozen=True)
class StatusStyle:
    """A configured status: its name as the site spells it, CSS slug and colour."""

    name: str
    slug: str
    colour: str


def status_slug(name: str) -> str:
    """`In Review` → `in-review`: the suffix of the badge's CSS class."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "status"


def status_styles(statuses: Mapping[str, str] | Sequence[str]) -> list[StatusStyle]:
    """Styles for the configured statuses, in their configured order."""
    if isinstance(statuses, Mapping):
        pairs = list(statuses.items())
    else:
        pairs = [(name, DEFAULT_STATUSES.get(name, "#4b5563")) for name in statuses]
    return [StatusStyle(name, status_slug(name), colour) for name, colour in pairs]


def badge_html(status: StatusStyle | None, *, count: int | None = None) -> str:
    """The inline badge: `<span class="techplan-badge techplan-badge--approved">Approved</span>`."""
    if status is None:
        return '<span class="techplan-badge techplan-badge--unknown">Unknown status</span>'
    text = html.escape(status.name)
    if count is not None:
        text += f' <span class="techplan-badge__count">{count}</span>'
    return f'<span class="techplan-badge techplan-badge--{status.slug}">{text}</span>'


def status_css(statuses: Sequence[StatusStyle]) -> str:
    """Per-status colour rules, so badges keep their colour where inline styles are stripped."""
    return "".join(
        f".techplan-badge--{status.slug} {{ --techplan-status: {status.colour}; }}\n"
        for status in statuses
    )
