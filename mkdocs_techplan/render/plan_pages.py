"""Each plan page assembled in one step: what goes around the template's sections.

Banners, the staleness notice, the risk matrix and timeline, the pager and the backlinks of a
plan page are all decided here, from the facts the site layer found (supersedes chains, stale
specifications, references), and handed to the template as `PageBlocks`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mkdocs_techplan.format.statuses import Statuses
from mkdocs_techplan.markdown.escaping import Markdown
from mkdocs_techplan.render.banners import stale_notice, status_banner, superseded_banner
from mkdocs_techplan.render.graph import GraphStyle, plan_graph, relation_edges
from mkdocs_techplan.render.pager import pagers
from mkdocs_techplan.render.safety import Defer
from mkdocs_techplan.render.visuals import phase_timeline, risk_matrix
from mkdocs_techplan.site.placement import PlacedPlan
from mkdocs_techplan.site.staleness import StaleSpec

if TYPE_CHECKING:
    from mkdocs.structure.files import Files

    from mkdocs_techplan.render.site_pages import PageOptions


@dataclass
class PageBlocks:
    """Markdown placed around a plan page's sections, by place (the template's names)."""

    top: str = ""
    after_header: str = ""
    after_phases: str = ""
    after_risks: str = ""
    bottom: str = ""

    @classmethod
    def of(cls, **places: Sequence[str]) -> PageBlocks:
        """Each place's parts, a blank line between them; empty parts are left out."""
        # Blocks are Markdown their features made safe: the template must not escape them.
        return cls(
            **{
                place: Markdown("\n\n".join(part for part in parts if part))
                for place, parts in places.items()
            }
        )


def assemble_blocks(
    placed: Sequence[PlacedPlan],
    statuses: Statuses,
    options: PageOptions,
    *,
    on_plans: dict[str, str],
    stale: Sequence[StaleSpec] = (),
    files: Files | None = None,
    defer: Defer | None = None,
    only: Callable[[PlacedPlan], bool] | None = None,
) -> dict[str, PageBlocks]:
    """The blocks of each placed plan's page (or of those `only` selects), by its page path.

    `defer` (a build's) stands in for the HTML blocks until the page is converted; the
    Markdown blocks (backlinks, pager links) MkDocs must read stay in place.

    `on_plans`: backlink lists of plan pages that other plans reference; `stale`: plans whose
    specification changed after their date (with `files`, to link the specification)."""
    pager = pagers(placed, options.index_path, options.index_title) if options.pagers else {}
    notices: dict[str, list[str]] = {}
    for found in stale:
        assert files is not None
        page = found.item.plan.source.page_uri
        notices.setdefault(page, []).append(stale_notice(found, files))
    edges = relation_edges(placed)
    by_page = {item.plan.source.page_uri: item for item in placed}
    style = GraphStyle(statuses, lambda item: item.file.url)
    html = defer or _as_is
    blocks = {}
    for item in placed if only is None else filter(only, placed):
        page = item.plan.source.page_uri
        plan_pager = pager.get(page)
        status = status_banner(
            statuses.of(item.plan.status),
            not_current=options.not_current,
            draft_banner=options.draft_banner,
        )
        blocks[page] = PageBlocks.of(
            top=[
                html(superseded_banner(item, statuses) if item.superseded_by else ""),
                html(status),
                plan_pager.top if plan_pager else "",
            ],
            after_header=[
                *map(html, notices.get(page, [])),
                html(plan_graph(item, by_page, edges, style)),
            ],
            after_phases=[html(phase_timeline(item.plan.phases) if options.timeline else "")],
            after_risks=[
                html(
                    risk_matrix(item.plan.risks, options.risk_levels) if options.risk_matrix else ""
                )
            ],
            bottom=[on_plans.get(page, ""), plan_pager.bottom if plan_pager else ""],
        )
    return blocks


def _as_is(block: str) -> str:
    return block
