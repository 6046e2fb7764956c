"""Relations between plans: `depends_on`, `extends` and `related`, each shown on both sides.

Targets are resolved like `supersedes` (a plan's file or its id; anything else is a problem
with the nearest plan). Here, once every plan is known, each target gets the other side
(**Required by:**, **Extended by:**, **Related:**), and a circle of `depends_on` is a problem
naming every plan in it. One walk over the edges: O(plans + relations).
"""

from __future__ import annotations

import posixpath

from mkdocs_techplan.format.model import Reference
from mkdocs_techplan.site.placement import PlacedPlan, PlanSite
from mkdocs_techplan.site.references import Link, relative_href
from mkdocs_techplan.site.supersedes import back_edges, report_cycle

RELATIONS = ("depends_on", "extends", "related")


def link_relations(site: PlanSite) -> None:
    """Give every related plan the other side, and report `depends_on` circles."""
    by_page = {item.plan.source.page_uri: item for item in site.placed}
    # Every plan's own relations first: the other sides are added to the same lists after.
    edges = [
        (item, kind, reference, by_page.get(link.target or ""))
        for item in site.placed
        for kind in RELATIONS
        for reference, link in zip(getattr(item.plan, kind), getattr(item.links, kind), strict=True)
    ]
    dependencies: dict[str, list[tuple[Reference, str]]] = {
        item.plan.source.page_uri: [] for item in site.placed
    }
    for item, kind, reference, target in edges:
        if target is None or target is item:
            continue  # unresolved or not a plan (reported), or the plan itself
        if kind == "depends_on":
            dependencies[item.plan.source.page_uri].append((reference, target.plan.source.page_uri))
            _add(target.links.required_by, item, target)
        elif kind == "extends":
            _add(target.links.extended_by, item, target)
        else:
            _add(target.links.related, item, target)
    for source, index, cycle in back_edges(dependencies):
        report_cycle(
            site,
            by_page,
            dependencies[source][index][0],
            cycle,
            "makes a circle: {files} (each depends on the next); remove the dependency that "
            "points the wrong way",
        )


def _add(links: list[Link], source: PlacedPlan, target: PlacedPlan) -> None:
    """`source` on `target`'s page, once."""
    page = source.plan.source.page_uri
    if any(link.target == page for link in links):
        return
    href = relative_href(page, posixpath.dirname(target.plan.source.page_uri))
    links.append(Link(text=source.plan.title, href=href, target=page))
