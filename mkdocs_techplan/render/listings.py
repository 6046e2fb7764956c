"""The plans index: which plans a listing shows, in what order, with what counts and columns.

One listing is rendered per place it appears: the generated index page, the end of a
hand-written index page, or a `<!-- techplan:index ... -->` marker in any page. Links are
Markdown links to source paths relative to that page, so MkDocs checks and rewrites them.
In a build the table is one deferred HTML block whose Markdown cells (links, summaries) the
page converts as paragraphs (`safety.PlanHtml.defer`); a command writes a Markdown table.
"""

from __future__ import annotations

import functools
import posixpath
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from mkdocs_techplan.format.definition import Key
from mkdocs_techplan.format.model import Plan
from mkdocs_techplan.format.problems import Problem
from mkdocs_techplan.format.statuses import Statuses, StatusStyle
from mkdocs_techplan.format.suggestions import nearest
from mkdocs_techplan.markdown.excerpts import Relink, inline_excerpt
from mkdocs_techplan.markdown.markers import Marker, find_markers, replace_markers
from mkdocs_techplan.render.renderer import EXCERPT_LENGTH
from mkdocs_techplan.render.safety import Defer, cell_slot
from mkdocs_techplan.site.placement import PlacedPlan, newest_first
from mkdocs_techplan.site.references import Link, relative_href

INDEX_TEMPLATE = "index.md.j2"
MARKER = "index"
"""`<!-- techplan:index -->`."""


MAX_LISTINGS_PER_PAGE = 20
"""Listings one page may hold (`<!-- techplan:index -->` markers filled)."""


@dataclass(frozen=True)
class Column:
    """A column of the index table."""

    key: str
    header: str
    numeric: bool = False
    kind: str = ""
    """For a site's own field: its type (`people`, `text`, `date`, `reference`)."""


COLUMNS: dict[str, Column] = {
    column.key: column
    for column in (
        Column("title", "Plan"),
        Column("id", "ID"),
        Column("status", "Status"),
        Column("version", "Version"),
        Column("author", "Author"),
        Column("date", "Date"),
        Column("specification", "Specification"),
        Column("summary", "Summary"),
        Column("open_questions", "Open questions", numeric=True),
        Column("high_risks", "High risks", numeric=True),
        Column("checklist", "Checklist done", numeric=True),
        Column("tags", "Tags"),
        Column("source", "Source"),
    )
}


@dataclass(frozen=True)
class Filters:
    """Which plans a listing shows; each kind given narrows the list, values within one kind
    are alternatives (`status="Draft, In Review"`)."""

    statuses: tuple[str, ...] = ()
    """Configured status names."""
    tags: tuple[str, ...] = ()
    """Tags as written: compared exactly, as Material's tags plugin tells tags apart."""
    paths: tuple[str, ...] = ()
    """Folders (or plan files) relative to `docs_dir`, without a leading or trailing slash."""

    def matches(self, plan: Plan, status: str | None) -> bool:
        """Whether the plan is listed; `status` is the one it shows (`Superseded` when a newer
        plan supersedes it)."""
        if self.statuses and status not in self.statuses:
            return False
        if self.tags and not set(plan.tags) & set(self.tags):
            return False
        source = plan.source.src_uri
        return not self.paths or any(
            not path or source == path or source.startswith(path + "/") for path in self.paths
        )

    @property
    def active(self) -> bool:
        return bool(self.statuses or self.tags or self.paths)


@dataclass(frozen=True)
class Count:
    """How many listed plans have a status (None: a status that is not configured)."""

    status: StatusStyle | None
    number: int


@dataclass(frozen=True)
class Row:
    """One plan as a listing on a given page shows it."""

    plan: Plan
    status: StatusStyle | None
    link: Link
    """The plan's title, linked relative to the listing's page."""
    specification: list[Link]
    """The plan's specification links, relative to the listing's page."""
    checklist_done: int
    checklist_total: int
    superseded: StatusStyle | None = None
    """Shown beside `status` when a newer plan supersedes this one; the row then counts and
    filters as superseded."""
    field_links: dict[str, Link] = field(default_factory=dict)
    """The site's reference fields, linked relative to the listing's page."""
    summary: str = ""
    """The summary's first paragraph as inline Markdown, its links relative to the listing's
    page (they are written relative to the plan file)."""

    @property
    def shown_status(self) -> StatusStyle | None:
        """The status the row counts and filters as."""
        return self.superseded or self.status

    @property
    def checklist_percent(self) -> int:
        if not self.checklist_total:
            return 0
        return round(100 * self.checklist_done / self.checklist_total)

    @property
    def checklist_ratio(self) -> str:
        """A sort key with fixed digits, so the page is the same on every build."""
        return f"{self.checklist_done / self.checklist_total:.4f}" if self.checklist_total else ""


@dataclass
class Listings:
    """Renders listings of one build's plans into pages."""

    placed: Sequence[PlacedPlan]
    statuses: Statuses
    columns: Sequence[str]
    render_template: Callable[..., str]
    """`PlanRenderer.render_fragment`: renders a template by name with a context."""
    site_fields: Sequence[Key] = ()
    """The site's own header fields: each can be a column, named by its key."""
    defer: Defer | None = None
    """In a build, writes each listing as one deferred HTML block whose links and summaries
    are cells the page converts (`safety.PlanHtml.defer`); None: a Markdown table."""
    ordered: list[PlacedPlan] = field(init=False)
    known: dict[str, Column] = field(init=False)

    def __post_init__(self) -> None:
        self.ordered = newest_first(self.placed)
        self.known = {
            **COLUMNS,
            **{key.name: Column(key.name, key.label, kind=key.kind) for key in self.site_fields},
        }

    def render(
        self,
        page_uri: str,
        *,
        filters: Filters | None = None,
        columns: Sequence[str] | None = None,
        number: int = 1,
        title: str | None = None,
    ) -> str:
        """The listing's Markdown for the page at `page_uri` (its `src_uri`).

        `title` makes it a whole index page (with its heading); `number` tells listings on
        one page apart for the script.
        """
        filters = filters or Filters()
        chosen = [
            item
            for item in self.ordered
            if filters.matches(item.plan, item.shown_status(self.statuses.superseded.name))
        ]
        rows = [self._row(item, page_uri) for item in chosen]
        cells: list[str] = []

        def slot(markdown: str) -> str:
            cells.append(markdown)
            return cell_slot(len(cells) - 1)

        def defer(html_block: str) -> str:
            assert self.defer is not None
            return self.defer(html_block, cells)

        return self.render_template(
            INDEX_TEMPLATE,
            slot=slot if self.defer else None,
            defer=defer,
            title=title,
            listing=number,
            counts=self._counts(chosen, filters),
            total=len(rows),
            rows=rows,
            columns=[self.known[key] for key in (columns or self.columns)],
            filters=filters,
        )

    def fill_markers(
        self, markdown: str, page_uri: str, display: str, *, append: bool = False
    ) -> tuple[str, list[Problem]]:
        """Replace every index marker in a page with its listing; with `append` and no
        marker, add one listing at the end. Problems name the page, line and column."""
        markers = find_markers(markdown, MARKER)
        if not markers:
            if not append:
                return markdown, []
            return f"{markdown.rstrip()}\n\n{self.render(page_uri)}", []
        problems: list[Problem] = []
        listings: list[str] = []
        for number, marker in enumerate(markers, start=1):
            if number > MAX_LISTINGS_PER_PAGE:
                # Each listing can hold every plan: hundreds of them made a page of megabytes
                # and minutes of work. The rest stay empty, and the author is told once.
                problems.append(
                    Problem(
                        display,
                        marker.position,
                        f"a page shows at most {MAX_LISTINGS_PER_PAGE} plan listings; this "
                        f"marker and the {len(markers) - number} after it are left empty",
                    )
                )
                listings += [""] * (len(markers) - len(listings))
                break
            filters, columns, messages = self.parse_marker(marker)
            problems += [Problem(display, marker.position, message) for message in messages]
            listings.append(self.render(page_uri, filters=filters, columns=columns, number=number))
        return replace_markers(markdown, markers, listings), problems

    def parse_marker(self, marker: Marker) -> tuple[Filters, list[str] | None, list[str]]:
        """The filters and columns a marker asks for, and what is wrong with it."""
        messages: list[str] = []
        if marker.malformed:
            messages.append(
                f'the index marker has `{_shown(marker.malformed)}`, which is not `key="value"`; '
                'write e.g. <!-- techplan:index status="Approved" tag="security" -->'
            )
        statuses: list[str] = []
        tags: list[str] = []
        paths: list[str] = []
        columns: list[str] | None = None
        configured = {status.name.casefold(): status.name for status in self.statuses}
        for key, value in marker.attributes.items():
            values = [part.strip() for part in value.split(",") if part.strip()]
            if key == "status":
                for name in values:
                    if name.casefold() not in configured:
                        messages.append(_unknown("status", name, list(configured.values())))
                    # A misspelt name stays in the filter: it matches no plan, so the listing
                    # shows nothing rather than everything.
                    statuses.append(configured.get(name.casefold(), name))
            elif key == "tag":
                tags += values
            elif key == "path":
                paths += [_folder(path) for path in values]
            elif key == "columns":
                columns = []
                for name in values:
                    if name in self.known:
                        columns.append(name)
                    else:
                        messages.append(_unknown("column", name, list(self.known)))
            else:
                messages.append(_unknown("filter", key, ["status", "tag", "path", "columns"]))
        filters = Filters(tuple(statuses), tuple(tags), tuple(paths))
        return filters, columns or None, messages

    def _counts(self, chosen: Sequence[PlacedPlan], filters: Filters) -> list[Count]:
        numbers: dict[str | None, int] = {}
        for item in chosen:
            status = item.shown_status(self.statuses.superseded.name)
            numbers[status] = numbers.get(status, 0) + 1
        superseded = self.statuses.superseded
        shown = [
            status
            for status in self.statuses.with_superseded()
            if status in self.statuses or numbers.get(superseded.name)
        ]
        counts = [
            Count(status, numbers.get(status.name, 0))
            for status in shown
            if not filters.statuses or status.name in filters.statuses
        ]
        known = {status.name for status in shown}
        unknown = sum(n for name, n in numbers.items() if name not in known)
        if unknown:
            counts.append(Count(None, unknown))
        return counts

    def _row(self, item: PlacedPlan, page_uri: str) -> Row:
        plan = item.plan
        folder = posixpath.dirname(page_uri)
        checklist = plan.checklist_items
        return Row(
            plan=plan,
            status=self.statuses.of(plan.status),
            link=Link(
                text=plan.title,
                href=_relative(plan.source.page_uri, folder),
                target=plan.source.page_uri,
            ),
            specification=[rebase(link, folder) for link in item.links.specification],
            checklist_done=sum(checklist),
            checklist_total=len(checklist),
            superseded=self.statuses.superseded if item.superseded_by else None,
            field_links={name: rebase(link, folder) for name, link in item.links.fields.items()},
            summary=_summary_excerpt(
                plan.summary or "", plan.source.src_uri, plan.source.page_uri, folder
            ),
        )


def rebase(link: Link, folder: str) -> Link:
    """A link resolved for a plan's page, made relative to a page in `folder` instead."""
    if link.href is None or link.target is None or link.external:
        return link
    _, hash_sign, anchor = link.href.partition("#")
    return Link(
        text=link.text,
        href=_relative(link.target, folder) + hash_sign + anchor,
        target=link.target,
    )


@functools.lru_cache(maxsize=8192)
def _summary_excerpt(summary: str, src_uri: str, page_uri: str, folder: str) -> str:
    """A plan's summary as a listing on a page in `folder` shows it. Kept: under `mkdocs
    serve` the index is made again at every rebuild, and reading each summary with the
    Markdown reader was a fifth of a rebuild of 1,000 plans after one plan changed."""
    return inline_excerpt(summary, EXCERPT_LENGTH, _relinker(src_uri, page_uri, folder))


def _relinker(src_uri: str, page_uri: str, folder: str) -> Relink:
    """Links written relative to the plan file, made relative to a page in `folder`."""
    plan_folder = posixpath.dirname(src_uri)

    def relink(href: str) -> str:
        path, hash_sign, anchor = href.partition("#")
        if not path:  # an anchor of the plan's own page
            target = page_uri
        else:
            target = posixpath.normpath(posixpath.join(plan_folder, urllib.parse.unquote(path)))
        return _relative(target, folder) + hash_sign + anchor

    return relink


def _relative(target: str, folder: str) -> str:
    return relative_href(target, folder)


def _folder(path: str) -> str:
    folder = posixpath.normpath(path.strip().lstrip("/")).strip("/")
    return "" if folder == "." else folder


def _unknown(what: str, name: str, known: list[str]) -> str:
    close = nearest(name[:100], known, cutoff=0.5)
    if close:
        hint = f"did you mean `{close}`?"
    else:
        hint = "known: " + ", ".join(f"`{name}`" for name in known)
    return f"the index marker names the {what} `{_shown(name)}`, which does not exist; {hint}"


def _shown(text: str, limit: int = 60) -> str:
    """What a message quotes of an author's marker: enough to find it, never all of it."""
    return text if len(text) <= limit else text[:limit] + "…"
