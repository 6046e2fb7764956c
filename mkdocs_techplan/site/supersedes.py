"""Supersedes: the newer plan links the older one; the older one says "Superseded by".

The plans and their `supersedes` references form a graph, walked once (O(plans + references)):
a plan superseding itself or a cycle is a problem naming the files; every other edge gives the
older plan a "Superseded by" line and a banner at its top, which also names the latest plan
when a chain goes on (A ← B ← C: A's banner names B, and C as the latest).
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence

from mkdocs_techplan.format.model import Reference
from mkdocs_techplan.format.problems import Problem, format_key_path
from mkdocs_techplan.site.placement import PlacedPlan, PlanSite
from mkdocs_techplan.site.references import Link, relative_href

_Edge = tuple[Reference, str]
"""A `supersedes` reference and the page of the plan it names."""


def link_supersedes(site: PlanSite) -> None:
    """Check the supersedes graph and mark every superseded plan."""
    by_page = {item.plan.source.page_uri: item for item in site.placed}
    edges: dict[str, list[_Edge]] = {}
    for item in site.placed:
        own = item.plan.source.page_uri
        edges[own] = []
        for reference, link in zip(item.plan.supersedes, item.links.supersedes, strict=True):
            if link.target is None or link.target not in by_page:
                continue  # unresolved or not a plan: already reported
            if link.target == own:
                site.report(item, _itself(item, reference))
            else:
                edges[own].append((reference, link.target))
    wrong_way = set()
    for source, index, cycle in back_edges(edges):
        reference = edges[source][index][0]
        wrong_way.add((source, index))
        report_cycle(
            site,
            by_page,
            reference,
            cycle,
            "makes a cycle: {files} (each supersedes the next); a plan supersedes only older "
            "plans, so remove the reference that points the wrong way",
        )
    newer: dict[str, list[str]] = {}
    for source, out in edges.items():
        for index, (_reference, target) in enumerate(out):
            if (source, index) not in wrong_way and source not in newer.get(target, []):
                newer.setdefault(target, []).append(source)
    latest = _latest(newer)
    for older_page, newer_pages in newer.items():
        older = by_page[older_page]
        newest = [by_page[page] for page in sorted(newer_pages)]
        older.links.superseded_by = [_link(older, item) for item in newest]
        ends = [by_page[page] for page in latest[older_page] if page not in newer_pages]
        older.superseded_by = newest
        older.latest = ends


def report_cycle(
    site: PlanSite,
    by_page: Mapping[str, PlacedPlan],
    reference: Reference,
    cycle: Sequence[str],
    message: str,
) -> None:
    """Report the reference that closes `cycle` (pages) on its plan; `message` has `{files}`."""
    item = by_page[cycle[0]]
    files = " → ".join(by_page[page].plan.source.display_path for page in cycle)
    where = format_key_path(reference.key_path)
    text = f"`{where}` " + message.format(files=files)
    site.report(item, item.plan.source.problem(reference.position, text))


def _itself(item: PlacedPlan, reference: Reference) -> Problem:
    return item.plan.source.problem(
        reference.position,
        f"`{format_key_path(reference.key_path)}` is `{reference.text}`, which is this plan "
        f"itself ({item.plan.source.display_path}); a plan supersedes another, older plan",
    )


def back_edges(
    edges: Mapping[str, Sequence[tuple[object, str]]],
) -> list[tuple[str, int, list[str]]]:
    """Edges that close a cycle, found by one depth-first walk: (source, index, cycle). Each
    edge is (what it carries, target page); `relations.py` walks `depends_on` with it too."""
    on_path: dict[str, bool] = {}  # True while a page is on the current path, then False
    found: list[tuple[str, int, list[str]]] = []
    for root in sorted(edges):
        if root in on_path:
            continue
        on_path[root] = True
        stack: list[tuple[str, int]] = [(root, 0)]
        path = [root]
        while stack:
            page, index = stack[-1]
            out = edges.get(page, [])
            if index == len(out):
                on_path[page] = False
                stack.pop()
                path.pop()
                continue
            stack[-1] = (page, index + 1)
            target = out[index][1]
            if target not in on_path:
                on_path[target] = True
                stack.append((target, 0))
                path.append(target)
            elif on_path[target]:
                found.append((page, index, [page, *path[path.index(target) :]]))
    return found


def _latest(newer: dict[str, list[str]]) -> dict[str, list[str]]:
    """For each superseded page, the plans at the end of its chains (not superseded)."""
    memo: dict[str, list[str]] = {}
    for start in sorted(newer):
        stack = [start]
        while stack:
            page = stack[-1]
            if page in memo:
                stack.pop()
                continue
            pending = [n for n in newer[page] if n in newer and n not in memo]
            if pending:  # the graph has no cycles left, so this ends
                stack.extend(pending)
                continue
            ends: list[str] = []
            for successor in newer[page]:
                for end in memo.get(successor, [successor]):
                    if end not in ends:
                        ends.append(end)
            memo[page] = sorted(ends)
            stack.pop()
    return memo


def _link(older: PlacedPlan, newer: PlacedPlan) -> Link:
    """A Markdown link from the older plan's page to the newer one, for MkDocs to check."""
    folder = posixpath.dirname(older.plan.source.page_uri)
    href = relative_href(newer.plan.source.page_uri, folder)
    return Link(text=newer.plan.title, href=href, target=newer.plan.source.page_uri)
