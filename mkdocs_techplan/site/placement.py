"""One build's plans placed in the site: page paths checked, references resolved, pages made."""

from __future__ import annotations

import bisect
import dataclasses
import posixpath
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from mkdocs_techplan.format.files import UnreadableFile, read_bounded
from mkdocs_techplan.format.model import Plan, Reference
from mkdocs_techplan.format.problems import START, Problem
from mkdocs_techplan.site.catalog import display_path
from mkdocs_techplan.site.page_files import PlanPageFile, generated_file, in_folder
from mkdocs_techplan.site.pages import PageDirectory
from mkdocs_techplan.site.references import Link, resolve


@dataclass
class PlanLinks:
    """A plan's resolved references, for its template."""

    specification: list[Link] = field(default_factory=list)
    schemas: Link | None = None
    supersedes: list[Link] = field(default_factory=list)
    superseded_by: list[Link] = field(default_factory=list)
    """Newer plans that supersede this one (filled once every plan is known)."""
    fields: dict[str, Link] = field(default_factory=dict)
    """The site's own reference fields (`tracking_issue`), by key."""
    links: list[Link] = field(default_factory=list)
    """The plan's `links`, each with its `title` (or the target's title) as text."""
    depends_on: list[Link] = field(default_factory=list)
    extends: list[Link] = field(default_factory=list)
    related: list[Link] = field(default_factory=list)
    """Its own `related` plans and those that name it so (a relation of both sides)."""
    required_by: list[Link] = field(default_factory=list)
    """Plans that depend on this one (filled once every plan is known), as `extended_by`."""
    extended_by: list[Link] = field(default_factory=list)


@dataclass
class PlacedPlan:
    """A plan that has a page in this build, with its resolved links."""

    plan: Plan
    file: File
    links: PlanLinks = field(default_factory=PlanLinks)
    problems: list[Problem] = field(default_factory=list)
    """The plan's own problems plus those found while placing it (references, collisions)."""
    superseded_by: list[PlacedPlan] = field(default_factory=list)
    """Newer plans that supersede this one, by page path."""
    latest: list[PlacedPlan] = field(default_factory=list)
    """The plans at the ends of this plan's supersedes chains, when they go past `superseded_by`."""

    @property
    def is_own_page(self) -> bool:
        """Whether the plan's file is its page (a plan written in Markdown), which an engine
        that converts the docs folder itself (Zensical) converts in place."""
        return self.plan.source.src_uri == self.file.src_uri

    def shown_status(self, superseded: str) -> str | None:
        """The status the plan counts and filters as: `superseded` (the site's spelling of
        it) once a newer plan supersedes it, else its own."""
        return superseded if self.superseded_by else self.plan.status


@dataclass
class PlanSite:
    """The plans of one build, as pages of the site."""

    placed: list[PlacedPlan]
    problems: list[Problem]
    """Every problem of this build, sorted by file and position."""
    pages: PageDirectory

    def report(self, item: PlacedPlan, problem: Problem) -> None:
        """A problem found after placing (status rules, supersedes cycles): page and log."""
        item.problems.append(problem)
        bisect.insort(self.problems, problem)


def place_plans(
    plans: Iterable[Plan],
    files: Files,
    config: MkDocsConfig,
    spec_id_key: str,
    dest_prefix: str = "",
) -> PlanSite:
    """Give each plan its page in `files`, unless that would replace another file."""
    by_dest = {file.dest_uri: file for file in files}
    placed: list[PlacedPlan] = []
    placed_at: dict[str, PlacedPlan] = {}
    problems: list[Problem] = []
    # Plans come sorted by path, so of two plans wanting one page the same one always wins
    # (`plan.yaml` before `plan.yml`, `x.plan.yaml` before `x/plan.yaml`). The other keeps
    # its problems in the log, and both files name each other.
    for plan in plans:
        problems.extend(plan.problems)
        file = generated_file(PlanPageFile, config, plan.source.page_uri, "")
        in_folder(file, dest_prefix)
        rival = placed_at.get(file.dest_uri)
        if rival is not None:
            hidden, shown = _plans_collide(plan, rival.plan, file.dest_uri)
            problems.append(hidden)
            rival.problems.append(shown)
            continue
        existing = (
            files.get_file_from_path(plan.source.page_uri)
            or by_dest.get(file.dest_uri)
            or _file_at_a_folder_of(file.dest_uri, by_dest)
        )
        if existing is not None:
            problems.append(_collision(plan, existing))
            continue
        # The edit button opens the YAML, not a page. Themes write the URL into an attribute
        # as it is, so a file name holding `"` or `<` must arrive percent-encoded.
        file.edit_uri = urllib.parse.quote(plan.source.edit_uri or plan.source.src_uri)
        file.plan_file = plan.source.display_path
        file.source_path = plan.source.real_path
        by_dest[file.dest_uri] = file
        files.append(file)
        item = PlacedPlan(plan, file, problems=list(plan.problems))
        placed.append(item)
        placed_at[file.dest_uri] = item

    pages = PageDirectory(
        {file.src_uri: _source_reader(file) for file in files if file.is_documentation_page()},
        spec_id_key,
        other_files=[
            file.src_uri
            for file in files
            if not file.is_documentation_page() and file.inclusion.is_included()  # type: ignore[no-untyped-call]
        ],
    )
    for item in placed:
        pages.add_plan(
            item.plan.source.page_uri, item.plan.source.src_uri, item.plan.title, item.plan.id
        )
    _report_duplicate_ids(placed, pages)
    for item in placed:
        item.links = _resolve_links(item, pages)
        problems.extend(item.problems[len(item.plan.problems) :])
    return PlanSite(placed=placed, problems=sorted(problems), pages=pages)


def _report_duplicate_ids(placed: list[PlacedPlan], pages: PageDirectory) -> None:
    """Each plan whose id another plan has too, naming the others (ids are unique)."""
    by_page = {item.plan.source.page_uri: item for item in placed}
    for uris in pages.plan_ids.values():
        if len(uris) < 2:
            continue
        for uri in uris:
            item = by_page[uri]
            others = ", ".join(
                by_page[other].plan.source.display_path for other in uris if other != uri
            )
            item.problems.append(
                item.plan.source.problem(
                    item.plan.id_position,
                    f"`id` is `{item.plan.id}`, which {others} has too; ids are unique in a "
                    "site: give one of the plans another id",
                )
            )


def _file_at_a_folder_of(dest_uri: str, by_dest: dict[str, File]) -> File | None:
    """A file published where a folder of `dest_uri` must be (`assets/techplan.css` for the
    page `assets/techplan.css/index.html`): the two cannot both be written."""
    folder = posixpath.dirname(dest_uri)
    while folder:
        if folder in by_dest:
            return by_dest[folder]
        folder = posixpath.dirname(folder)
    return None


def _collision(plan: Plan, existing: File) -> Problem:
    if existing.abs_src_path:
        other = display_path(existing.abs_src_path)
    else:
        other = f"{existing.src_uri} (generated by {existing.generated_by})"
    return Problem(
        plan.source.display_path,
        START,
        f"this plan would become the page `{plan.source.page_uri}`, but {other} is already "
        f"published at `{existing.dest_uri}`; the plan is not rendered. Rename or move one of "
        "the two files",
    )


def _plans_collide(plan: Plan, rival: Plan, dest_uri: str) -> tuple[Problem, Problem]:
    """The problem of the plan left out, and the one shown on the page of the plan that won."""
    hidden = Problem(
        plan.source.display_path,
        START,
        f"this plan would become the page `{plan.source.page_uri}`, but the plan "
        f"{rival.source.display_path} is already published at `{dest_uri}`; this plan is not "
        "rendered. Rename or move one of the two files",
    )
    shown = Problem(
        rival.source.display_path,
        START,
        f"the plan {plan.source.display_path} would also be published at `{dest_uri}`, so it "
        "is not rendered. Rename or move one of the two files",
    )
    return hidden, shown


PAGE_READ_LIMIT = 1 << 20
"""Bytes of a page read for its title and front matter (both are at its start)."""


def _source_reader(file: File) -> Callable[[], str]:
    if not file.abs_src_path or file.generated_by is not None:
        return lambda: file.content_string  # made by a plugin: in memory

    def read() -> str:
        # A page is read only if it is a regular file really inside the docs folder: a page
        # linked to `/etc/…` or to a FIFO gives no title rather than a leak or a hang.
        try:
            raw = read_bounded(file.abs_src_path or "", PAGE_READ_LIMIT, inside=file.src_dir)
        except UnreadableFile:
            return ""
        return raw[:PAGE_READ_LIMIT].decode("utf-8-sig", errors="replace")

    return read


def _resolve_links(item: PlacedPlan, pages: PageDirectory) -> PlanLinks:
    plan = item.plan

    def one(reference: Reference, *, plan_only: bool = False) -> Link:
        resolution = resolve(
            reference, plan.source.src_uri, plan.source.page_uri, pages, plan_only=plan_only
        )
        if resolution.problem:
            item.problems.append(plan.source.problem(reference.position, resolution.problem))
        return resolution.link

    return PlanLinks(
        specification=[one(reference) for reference in plan.specification],
        schemas=one(plan.api.schemas) if plan.api and plan.api.schemas else None,
        supersedes=[one(reference, plan_only=True) for reference in plan.supersedes],
        depends_on=[one(reference, plan_only=True) for reference in plan.depends_on],
        extends=[one(reference, plan_only=True) for reference in plan.extends],
        related=[one(reference, plan_only=True) for reference in plan.related],
        fields={
            name: one(value) for name, value in plan.fields.items() if isinstance(value, Reference)
        },
        links=titled_links(plan, one),
    )


def titled_links(plan: Plan, resolve_one: Callable[[Reference], Link]) -> list[Link]:
    """The plan's `links` entries resolved, each shown with its own title when it has one."""
    return [
        dataclasses.replace(resolve_one(entry.url), text=entry.title)
        if entry.title
        else resolve_one(entry.url)
        for entry in plan.fields.get("links") or []
        if isinstance(entry.get("url"), Reference)
    ]


def newest_first(placed: Iterable[PlacedPlan]) -> list[PlacedPlan]:
    """The order plans are listed in: newest date first, undated last, then title and path."""

    def key(item: PlacedPlan) -> tuple[bool, int, str, str]:
        date = item.plan.date
        return (
            date is None,
            -date.toordinal() if date else 0,
            item.plan.title.casefold(),
            item.plan.source.src_uri,
        )

    return sorted(placed, key=key)
