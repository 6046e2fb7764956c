"""Notices at the top of a plan page that say how far the plan can be relied on."""

from __future__ import annotations

import html
from collections.abc import Collection
from typing import TYPE_CHECKING

from mkdocs.utils import get_relative_url

from mkdocs_techplan.format.statuses import Statuses, StatusStyle
from mkdocs_techplan.render.badges import badge_html
from mkdocs_techplan.site.placement import PlacedPlan
from mkdocs_techplan.site.staleness import StaleSpec

if TYPE_CHECKING:
    from mkdocs.structure.files import Files

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


def superseded_banner(older: PlacedPlan, statuses: Statuses) -> str:
    """The "Superseded" banner of `older`, naming its newer plans and the latest in the line."""
    newer, ends = older.superseded_by, older.latest

    # Raw HTML (a block Markdown does not look into): hrefs are final URLs, computed here.
    def names(items: list[PlacedPlan]) -> str:
        return ", ".join(
            f'<a href="{html.escape(get_relative_url(item.file.url, older.file.url))}">'
            f"{html.escape(item.plan.title)}</a> "
            f"{badge_html(statuses.of(item.plan.status))}"
            for item in items
        )

    lines = [
        '<div class="techplan-banner techplan-banner--superseded" role="note">',
        f"<p><strong>Superseded.</strong> This plan has been superseded by {names(newer)}.</p>",
    ]
    if ends:
        lines.append(f"<p>The latest plan in this line: {names(ends)}.</p>")
    lines.append("</div>")
    return "\n".join(lines)


def stale_notice(stale: StaleSpec, files: Files) -> str:
    """The note on a plan whose specification changed after it was approved (raw HTML: the
    href is computed here)."""
    plan = stale.item.plan
    spec_file = files.get_file_from_path(stale.spec_src_uri)
    title = html.escape(stale.spec_title)
    if spec_file is not None:
        href = html.escape(get_relative_url(spec_file.url, stale.item.file.url))
        title = f'<a href="{href}">{title}</a>'
    dated = plan.date.isoformat() if plan.date else "?"
    return (
        '<div class="techplan-notice techplan-notice--stale" role="note">'
        "<p><strong>The specification changed after this plan was approved.</strong> "
        f"{title} was last changed on {stale.changed.isoformat()}; this plan is dated {dated}. "
        "Check that the plan still matches it.</p></div>"
    )
