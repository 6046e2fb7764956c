"""Backlinks: every page that plans reference lists them under "Implementation plans".

The index is built in one pass over the plans' resolved links (O(plans + references)). Plan
pages get their list when they are assembled (`plan_pages`); every other page gets it when
its Markdown is read, before search reads the page, at the `<!-- techplan:plans -->` marker
or at the end.
"""

from __future__ import annotations

import datetime
import posixpath
from dataclasses import dataclass, field

from mkdocs_techplan.format.statuses import Statuses, StatusStyle
from mkdocs_techplan.markdown.markers import find_markers, replace_markers
from mkdocs_techplan.render.renderer import PlanRenderer
from mkdocs_techplan.site.placement import PlacedPlan, PlanSite, newest_first
from mkdocs_techplan.site.references import Link, relative_href

MARKER = "plans"
"""`<!-- techplan:plans -->`: where a page wants its list of plans."""
HEADING = "Implementation plans"
TEMPLATE = "backlinks.md.j2"


@dataclass(frozen=True)
class PlanEntry:
    """One referring plan in a backlink list, as the template receives it."""

    link: Link
    status: StatusStyle | None
    version: str | None
    date: datetime.date | None


@dataclass
class Backlinks:
    """The "Implementation plans" Markdown of each page that is not itself a plan."""

    blocks: dict[str, str] = field(default_factory=dict)
    """Page `src_uri` → Markdown to insert."""
    on_plans: dict[str, str] = field(default_factory=dict)
    """Plan page `page_uri` → its list, which the plan page assembles with the rest."""

    def insert(self, src_uri: str, markdown: str) -> str:
        """The page's Markdown with its list at the marker (the first one) or at the end."""
        block = self.blocks.get(src_uri)
        if block is None:
            return markdown
        markers = find_markers(markdown, MARKER)
        if markers:
            return replace_markers(markdown, markers, [block] + [""] * (len(markers) - 1))
        return f"{markdown.rstrip()}\n\n{block.strip()}\n"


def link_backlinks(site: PlanSite, renderer: PlanRenderer, statuses: Statuses) -> Backlinks:
    """List each plan on the pages its `specification` and `api.schemas` point to."""
    by_page = {item.plan.source.page_uri: item for item in site.placed}
    referring: dict[str, list[PlacedPlan]] = {}
    for item in site.placed:
        own = item.plan.source.page_uri
        links = [*item.links.specification, item.links.schemas]
        targets = [link.target for link in links if link and link.target and link.target != own]
        for target in dict.fromkeys(targets):  # a plan is listed once per page
            referring.setdefault(target, []).append(item)
    backlinks = Backlinks()
    for target, items in referring.items():
        folder = posixpath.dirname(target)
        entries = [
            PlanEntry(
                link=Link(
                    text=item.plan.title,
                    href=relative_href(item.plan.source.page_uri, folder),
                    target=item.plan.source.page_uri,
                ),
                status=statuses.of(item.plan.status),
                version=item.plan.version,
                date=item.plan.date,
            )
            for item in newest_first(items)
        ]
        if target in by_page:  # a plan's page: plan data as a whole already
            markdown = renderer.render_fragment(TEMPLATE, heading=HEADING, entries=entries)
            backlinks.on_plans[target] = markdown.strip()
        else:
            markdown = renderer.render_plan_fragment(TEMPLATE, heading=HEADING, entries=entries)
            backlinks.blocks[target] = markdown.strip()
    return backlinks
