"""The pages a site's plans make, from placed plans: one sequence for every engine.

The build core (`build/core.py`) runs `render_site` for every engine and command, so a plan
page's Markdown is the same whichever engine builds the site.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from mkdocs_techplan.format.site_format import DEFAULT_RISK_LEVELS
from mkdocs_techplan.format.statuses import Statuses
from mkdocs_techplan.render.backlinks import Backlinks, link_backlinks
from mkdocs_techplan.render.listings import Listings
from mkdocs_techplan.render.plan_pages import assemble_blocks
from mkdocs_techplan.render.renderer import PlanRenderer, render_pages
from mkdocs_techplan.site.placement import PlanSite
from mkdocs_techplan.site.staleness import StaleSpec

if TYPE_CHECKING:
    from mkdocs.structure.files import Files


@dataclass(frozen=True)
class PageOptions:
    """The plugin options that shape plan pages and listings."""

    not_current: Collection[str] = ()
    draft_banner: bool = True
    risk_matrix: bool = True
    timeline: bool = True
    risk_levels: Sequence[str] = DEFAULT_RISK_LEVELS
    index_columns: Sequence[str] = field(default_factory=list)
    pagers: bool = False
    """Plans are out of the navigation: each page links back to the index and to its
    neighbours in the index's order."""
    index_path: str | None = None
    """The index page, when there is one."""
    index_title: str = "Plans"


PlanPages = Literal["all", "own", "none"]
"""Which plan pages a build gives their Markdown: every one; only those of plans written in
Markdown (`PlacedPlan.is_own_page`: Zensical converts the other pages from the files
`mkdocs-techplan pages` wrote); none (a check that reads no page)."""


@dataclass
class RenderedSite:
    """What the pages of a site need from its plans: backlinks for the pages plans reference
    and listings for the index and `<!-- techplan:index -->` markers. Each placed plan's page
    renders its Markdown when read (`item.file.render()`)."""

    backlinks: Backlinks
    listings: Listings


def render_site(
    site: PlanSite,
    renderer: PlanRenderer,
    statuses: Statuses,
    options: PageOptions,
    *,
    stale: Sequence[StaleSpec] = (),
    files: Files | None = None,
    plan_pages: PlanPages = "all",
) -> RenderedSite:
    """Backlinks, each plan page assembled (banners, notices, visuals, pager), the listings.

    The pages `plan_pages` leaves out get no Markdown: making their blocks was a tenth of
    `validate` on 1,000 plans, and none of them can hold a problem."""
    backlinks = link_backlinks(site, renderer, statuses)
    if plan_pages != "none":
        blocks = assemble_blocks(
            site.placed,
            statuses,
            options,
            on_plans=backlinks.on_plans,
            stale=stale,
            files=files,
            defer=renderer.defer,
            only=(lambda item: item.is_own_page) if plan_pages == "own" else None,
        )
        render_pages(site, renderer, statuses, blocks)
    listings = Listings(
        site.placed,
        statuses,
        options.index_columns,
        renderer.render_plan_fragment,
        site_fields=renderer.layout.fields,
        defer=renderer.defer,
    )
    return RenderedSite(backlinks, listings)
