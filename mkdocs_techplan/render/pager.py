"""Where a plan belongs, on its page, for sites that keep plans out of the navigation
(`navigation: index`): a link back to the index at the top, and the previous and next plans
in the index's order at the bottom. Links are Markdown links to source paths, which MkDocs
checks and rewrites like any other."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

from mkdocs_techplan.markdown import escaping as markdown_text
from mkdocs_techplan.site.placement import PlacedPlan, newest_first
from mkdocs_techplan.site.references import relative_href


@dataclass(frozen=True)
class Pager:
    """A plan page's "← Plans" link (top) and its previous / next plans (bottom)."""

    top: str
    bottom: str


def pagers(
    placed: Sequence[PlacedPlan], index_path: str | None, index_title: str
) -> dict[str, Pager]:
    """Each placed plan's pager, by its page path, in the index's order."""
    ordered = newest_first(placed)
    found = {}
    for number, item in enumerate(ordered):
        folder = posixpath.dirname(item.plan.source.page_uri)
        top = ""
        if index_path:
            back = _link(f"← {index_title}", index_path, folder)
            top = f'<span class="techplan-pager"></span>{back}'
        neighbours = []
        if number > 0:
            neighbours.append("Previous: " + _plan_link(ordered[number - 1], folder))
        if number + 1 < len(ordered):
            neighbours.append("Next: " + _plan_link(ordered[number + 1], folder))
        bottom = "---\n\n" + " · ".join(neighbours) if neighbours else ""
        found[item.plan.source.page_uri] = Pager(top, bottom)
    return found


def _plan_link(item: PlacedPlan, folder: str) -> str:
    return _link(item.plan.title, item.plan.source.page_uri, folder)


def _link(text: str, target: str, folder: str) -> str:
    return f"[{markdown_text.plain(text)}]({relative_href(target, folder)})"
