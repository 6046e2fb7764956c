"""Notices at the top of a plan page that say how far the plan can be relied on."""

from __future__ import annotations

import html
from collections.abc import Collection

from mkdocs_techplan.badges import StatusStyle

DRAFT = "draft"
"""The status (compared case-insensitively) that gets the subtle Draft banner."""


def status_banner(
    status: StatusStyle | None, *, not_current: Collection[str], draft_banner: bool
) -> str:
    """The banner for a plan in `status`, as an HTML block; empty when none applies."""
    if status is None:
        return ""
    name = html.escape(status.name)
    if status.name in not_current:
        return (
            f'<div class="techplan-banner techplan-banner--not-current '
            f'techplan-banner--status-{status.slug}" role="note">'
            f"<p><strong>This plan is {name}.</strong> It is kept for the record and no "
            "longer describes current or planned work.</p></div>"
        )
    if draft_banner and status.name.casefold() == DRAFT:
        return (
            '<div class="techplan-banner techplan-banner--draft" role="note">'
            f"<p><strong>{name}.</strong> This plan is still being written and may change.</p>"
            "</div>"
        )
    return ""
