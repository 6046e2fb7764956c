"""What `validate` and `list` check: plan files on their own, or a whole site through the
build core (the same steps as a build, nothing written)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mkdocs.structure.files import Files, get_files
from mkdocs.utils.meta import get_data

from mkdocs_techplan.build.core import BuildResult, SiteBuild
from mkdocs_techplan.build.site_config import Site
from mkdocs_techplan.config import definition_of
from mkdocs_techplan.format.definition import Definition, default_definition
from mkdocs_techplan.format.files import UnreadableFile, read_bounded
from mkdocs_techplan.format.loading import Limits, LoadError, load_document
from mkdocs_techplan.format.model import Plan
from mkdocs_techplan.format.problems import Problem
from mkdocs_techplan.format.statuses import DEFAULT_STATUSES
from mkdocs_techplan.format.text_limits import check_text_limits
from mkdocs_techplan.format.validation import validate_document
from mkdocs_techplan.site.catalog import PlanCatalog, PlanFile, display_path
from mkdocs_techplan.site.discovery import is_plan_file
from mkdocs_techplan.site.placement import PlanSite


@dataclass(frozen=True)
class Settings:
    """What checking depends on: the site's statuses, limits and format, or the defaults."""

    statuses: tuple[str, ...] = tuple(DEFAULT_STATUSES)
    limits: Limits = field(default_factory=Limits)
    definition: Definition = field(default_factory=default_definition)
    """The format with the site's own fields, sections and risk levels."""

    @classmethod
    def of(cls, site: Site | None) -> Settings:
        if site is None:
            return cls()
        return cls(
            tuple(site.options.statuses),
            Limits(max_bytes=site.options.max_file_size),
            definition_of(site.options),
        )


@dataclass
class CheckResult:
    """The plans that were checked and every problem found in them, sorted."""

    plans: list[Plan]
    problems: list[Problem]
    site: PlanSite | None = None
    """The site's plans placed as pages, when a site was checked."""
    messages: list[str] = field(default_factory=list)
    """The site's other warnings, which fail a strict build as the problems do: outputs in
    each other's way, listing markers in pages, pages left by `pages` for plans gone."""
    files_with_problems: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.files_with_problems = {problem.file for problem in self.problems}


MAX_PAGE_BYTES = 4 * 1024 * 1024
MARKER_PREFIX = "techplan:"


def check_text(text: str, name: str, settings: Settings) -> list[Problem]:
    """Problems of a plan that is not (yet) a file, such as one `import` is about to write."""
    try:
        document = load_document(text.encode("utf-8"), settings.limits)
        check_text_limits(document)
    except LoadError as error:
        return [Problem(name, error.position, error.message)]
    return [
        Problem(name, position, message)
        for position, message in validate_document(document, settings.statuses, settings.definition)
    ]


def find_plan_files(paths: Iterable[str]) -> list[PlanFile]:
    """Plan files named on the command line, and those found in the folders named there.

    A file named explicitly is checked whatever its name; in folders, only files named as
    plans are (`plan.yaml`, `<slug>.plan.yaml`, `.yml` too), and hidden folders are skipped.
    """
    found: dict[str, PlanFile] = {}
    for path in paths:
        if os.path.isdir(path):
            for folder, subfolders, names in os.walk(path):
                subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
                for name in sorted(names):
                    if is_plan_file(name):
                        _add(found, os.path.join(folder, name))
        else:
            _add(found, path)
    return sorted(found.values(), key=lambda plan_file: plan_file.src_uri)


def _add(found: dict[str, PlanFile], path: str) -> None:
    absolute = os.path.abspath(path)
    found.setdefault(absolute, PlanFile(display_path(absolute), absolute))


def check_files(plan_files: Sequence[PlanFile], settings: Settings) -> CheckResult:
    """Load and check plan files on their own: their format and statuses, not references."""
    catalog = command_catalog()
    plans = catalog.load(plan_files, settings.statuses, settings.limits, settings.definition)
    problems = sorted(problem for plan in plans for problem in plan.problems)
    return CheckResult(plans, problems)


def check_site(site: Site, catalog: PlanCatalog | None = None) -> CheckResult:
    """Check every plan of a site as its build does: the build itself runs, on the files
    MkDocs would list (`exclude_docs` and `draft_docs` apply), and nothing is written.
    `catalog` keeps the parsed plans for a second check (only changed files are parsed)."""
    files = get_files(site.config)
    if catalog is None:
        catalog = command_catalog(site.options.processes)
    result = SiteBuild(site.options, site.config).run(files, catalog, plan_pages="none")
    messages = result.warnings() + [str(problem) for problem in page_problems(result, files)]
    return CheckResult(result.plans, list(result.problems), result.site, messages=messages)


def command_catalog(processes: int = 0) -> PlanCatalog:
    """The catalog of a command that runs once: it parses in `processes` processes (the
    plugin option; 0, one per processor)."""
    return PlanCatalog(workers=processes or os.cpu_count() or 1)


def page_problems(result: BuildResult, files: Files) -> list[Problem]:
    """The problems of the site's own pages as the build finds them when it reads them: their
    `<!-- techplan:index -->` markers. Pages without a marker are not parsed."""
    problems: list[Problem] = []
    for file in files:
        if not file.is_documentation_page() or file.generated_by or not file.abs_src_path:
            continue
        try:
            raw = read_bounded(file.abs_src_path, MAX_PAGE_BYTES, inside=str(file.src_dir))
        except UnreadableFile:
            continue  # MkDocs says what it cannot read
        text = raw.decode("utf-8", errors="replace")
        if MARKER_PREFIX not in text:
            continue
        body, _ = get_data(text)  # as MkDocs gives the page's Markdown to plugins
        problems += result.page_markdown(file.src_uri, body, file.abs_src_path)[1]
    return problems


def check(
    paths: Sequence[str], site: Site | None, catalog: PlanCatalog | None = None
) -> CheckResult:
    """What `mkdocs-techplan validate` checks.

    Without a site, the plan files in `paths`. With a site, every plan of the site; when
    `paths` are given as well, only the problems of plans under them are kept, and plans under
    them that are not part of the site (outside `docs_dir`, excluded) are checked on their own.
    """
    if site is None:
        return check_files(find_plan_files(paths), Settings())
    whole = check_site(site, catalog)
    if not paths:
        return whole
    wanted = find_plan_files(paths)
    wanted_paths = {plan_file.abs_path for plan_file in wanted}
    in_site = [plan for plan in whole.plans if _abs_path(plan) in wanted_paths]
    site_paths = {_abs_path(plan) for plan in whole.plans}
    shown = {plan.source.display_path for plan in in_site}
    alone = check_files(
        [plan_file for plan_file in wanted if plan_file.abs_path not in site_paths],
        Settings.of(site),
    )
    problems = [problem for problem in whole.problems if problem.file in shown]
    # The site's other warnings are about the site as a whole: named PATHS narrow them away.
    return CheckResult(in_site + alone.plans, sorted(problems + alone.problems), whole.site)


def _abs_path(plan: Plan) -> str:
    return os.path.abspath(plan.source.display_path)
