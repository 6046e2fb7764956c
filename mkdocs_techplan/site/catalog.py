"""Find plan files, load and check them, and keep the results across `mkdocs serve` rebuilds."""

from __future__ import annotations

import functools
import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mkdocs_techplan.format.aliases import KeyNames
from mkdocs_techplan.format.definition import Definition, default_definition
from mkdocs_techplan.format.files import UnreadableFile, read_bounded
from mkdocs_techplan.format.loading import (
    Limits,
    LoadedDocument,
    LoadError,
    decode_text,
    load_document,
)
from mkdocs_techplan.format.model import Plan, PlanSource, build_plan
from mkdocs_techplan.format.problems import Position, Problem
from mkdocs_techplan.format.statuses import match_status
from mkdocs_techplan.format.text_limits import check_text_limits
from mkdocs_techplan.format.validation import validate_document
from mkdocs_techplan.markdown.link_safety import unsafe_link_problems
from mkdocs_techplan.markdown.plan_documents import (
    read_markdown_plan,
)
from mkdocs_techplan.site.discovery import NO_RULES, PlanFileRules, is_markdown, page_uri_for
from mkdocs_techplan.site.forked import in_processes, shares_out
from mkdocs_techplan.site.helper import with_helper

if TYPE_CHECKING:
    from mkdocs.structure.files import Files


@dataclass(frozen=True)
class PlanFile:
    """A plan file found in the docs: its `src_uri` and its path on disk."""

    src_uri: str
    abs_path: str
    docs_dir: str | None = None
    """The folder the file must really be in (links resolved); None for a file named on the
    command line."""
    real_path: str | None = None
    """Where the author's file is, when another plugin built `docs_dir` from copies
    (mkdocs-monorepo-plugin): messages, edit links and git dates name it."""
    edit_uri: str | None = None
    """The edit link's path below the site's `edit_uri`, when it is not `src_uri`."""
    status: str | None = None
    """For a Markdown plan that states no status: the one its `markdown_plans` entry gives."""
    companion: str | None = None
    """The file beside a Markdown plan that holds its header (a KEP's `kep.yaml`), on disk."""


def take_plan_files(
    files: Files, written: Collection[str] = (), rules: PlanFileRules = NO_RULES
) -> list[PlanFile]:
    """Remove the plan sources from `files` (YAML is never copied into the site, a Markdown
    plan is built as a plan, not a second time as a page) and return those that are part of
    this build (not excluded by `exclude_docs` or `draft_docs`). A companion file (`kep.yaml`)
    leaves `files` with its plan.

    The files `mkdocs-techplan pages` wrote (`written`, from its manifest) leave `files` too:
    the build makes them itself, from the same plans."""
    plan_files = []
    sources = {file.src_uri: file for file in files if file.abs_src_path}
    companions: set[str] = set()
    for file in list(files):
        if file.generated_by is not None or not file.abs_src_path:
            continue
        if file.src_uri in written:
            files.remove(file)
            continue
        match = rules.match(file.src_uri, sources.__contains__)
        if match is None:
            continue
        files.remove(file)
        if not file.inclusion.is_included():  # type: ignore[no-untyped-call]  # untyped in MkDocs
            continue
        companion = sources[match.companion] if match.companion else None
        if companion is not None:
            companions.add(companion.src_uri)
        plan_files.append(
            PlanFile(
                file.src_uri,
                file.abs_src_path,
                file.src_dir,
                status=match.status,
                companion=companion.abs_src_path if companion else None,
            )
        )
    for uri in companions:
        files.remove(sources[uri])
    return plan_files


def display_path(abs_path: str) -> str:
    """A path as shown in messages: relative to the working directory when it is below it."""
    relative = os.path.relpath(abs_path)
    return abs_path if relative.startswith("..") else relative.replace(os.sep, "/")


_Stamp = tuple[int, int, int, int]
_CacheKey = tuple[_Stamp, _Stamp | None, tuple[str, ...], Limits, Definition, KeyNames | None]
StoredPlan = tuple[PlanFile, _Stamp, _Stamp | None, Plan]
"""A parsed plan kept on disk: its file, the stamps of the file and its companion when it
was parsed, and the plan."""


class PlanCatalog:
    """Loads plans, reusing a parsed plan while its file's size and modification time hold.

    With `workers` above one, a catalog that has many plans to parse shares them out to
    that many processes (forked, so nothing is set up again): what a command that runs
    once (`validate`, `pages`, `mkdocs build`) waits for first is mostly parsing. The
    processes only parse and model: they log nothing and touch nothing of MkDocs.

    With `helper`, where forking is not safe (threads are running: Zensical, `mkdocs
    serve`), a catalog that has many plans to parse shares them with a helper process
    started fresh (`helper.py`)."""

    def __init__(self, *, workers: int = 1, helper: bool = False) -> None:
        self._cache: dict[str, tuple[_CacheKey, PlanFile, Plan]] = {}
        self._stored: dict[str, StoredPlan] = {}
        self.workers = workers
        self.helper = helper

    def stored(self) -> dict[str, StoredPlan]:
        """Every plan parsed so far with what it was parsed from, to be kept on disk
        (`plan_store.py`)."""
        return {
            path: (plan_file, key[0], key[1], plan)
            for path, (key, plan_file, plan) in self._cache.items()
        }

    def take_stored(self, stored: dict[str, StoredPlan]) -> None:
        """Plans another process parsed with the same options (`plan_store.py`): each is used
        instead of parsing its file again while the file is as it was then."""
        self._stored = dict(stored)

    def load(
        self,
        plan_files: Sequence[PlanFile],
        statuses: Sequence[str],
        limits: Limits,
        definition: Definition | None = None,
        names: KeyNames | None = None,
    ) -> list[Plan]:
        """Each plan file loaded and checked against the site's format (`definition`); a
        Markdown plan's own names for keys are read with `names`."""
        shape = definition or default_definition()
        ordered = sorted(plan_files, key=lambda found: found.src_uri)
        plans: list[Plan | None] = []
        missing: list[tuple[int, PlanFile, _CacheKey | None]] = []
        for plan_file in ordered:
            key = _cache_key(plan_file, tuple(statuses), limits, shape, names)
            cached = self._cache.get(plan_file.abs_path)
            stored = self._stored.pop(plan_file.abs_path, None)
            if key is not None and cached is not None and cached[0] == key:
                plans.append(cached[2])
            elif key is not None and stored is not None and stored[:3] == (plan_file, *key[:2]):
                plans.append(stored[3])
                self._cache[plan_file.abs_path] = (key, plan_file, stored[3])
            else:
                missing.append((len(plans), plan_file, key))
                plans.append(None)
        arguments = (tuple(statuses), limits, shape, names)
        loaded = _load_all(
            [plan_file for _, plan_file, _ in missing], arguments, self.workers, self.helper
        )
        for (index, plan_file, key), plan in zip(missing, loaded, strict=True):
            plans[index] = plan
            if key is not None:
                self._cache[plan_file.abs_path] = (key, plan_file, plan)
        seen = {plan_file.abs_path for plan_file in ordered}
        for stale in set(self._cache) - seen:  # deleted files do not linger in memory
            del self._cache[stale]
        return [plan for plan in plans if plan is not None]


_LoadArguments = tuple[tuple[str, ...], Limits, Definition, KeyNames | None]


def _cache_key(
    plan_file: PlanFile,
    statuses: tuple[str, ...],
    limits: Limits,
    definition: Definition,
    names: KeyNames | None,
) -> _CacheKey | None:
    try:
        return (
            _stamp(plan_file.abs_path),
            _stamp(plan_file.companion) if plan_file.companion else None,
            statuses,
            limits,
            definition,
            names,
        )
    except OSError:
        return None


def _load_all(
    plan_files: list[PlanFile], arguments: _LoadArguments, workers: int, helper: bool
) -> list[Plan]:
    """`load_plan` of each file, in order; shared out to `workers` processes, or with a
    `helper`, when it pays."""
    statuses, limits, definition, names = arguments
    if helper and not shares_out(len(plan_files), workers):
        job = (plan_files, arguments)
        return with_helper(
            len(plan_files),
            functools.partial(load_job_plan, job),
            "mkdocs_techplan.site.parse_helper",
            job,
        )
    return in_processes(
        len(plan_files),
        lambda start, stop: [
            load_plan(plan_file, statuses, limits, definition, names)
            for plan_file in plan_files[start:stop]
        ],
        workers,
    )


def load_job_plan(job: tuple[Sequence[PlanFile], _LoadArguments], index: int) -> Plan:
    """`load_plan` of plan `index` of a job shared with a helper process (both ends call
    this)."""
    plan_files, (statuses, limits, definition, names) = job
    return load_plan(plan_files[index], statuses, limits, definition, names)


def _stamp(path: str) -> _Stamp:
    # The inode and change time too: a rewrite that keeps the size and puts the old
    # modification time back (as some editors and tools do) still changes them.
    stat = os.stat(path)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns)


def load_plan(
    plan_file: PlanFile,
    statuses: Sequence[str],
    limits: Limits,
    definition: Definition | None = None,
    names: KeyNames | None = None,
) -> Plan:
    """Read, parse, check and model one plan file; problems are kept on the plan."""
    if is_markdown(plan_file.src_uri):
        return _load_markdown_plan(plan_file, statuses, limits, definition, names)
    source = _source(plan_file)
    try:
        raw = read_bounded(plan_file.abs_path, limits.max_bytes, inside=plan_file.docs_dir)
        document = load_document(raw, limits)
        check_text_limits(document)
    except LoadError as error:
        return _unloaded(
            source, Problem(source.display_path, error.position, error.message), definition
        )
    except UnreadableFile as error:
        return _unloaded(
            source, Problem(source.display_path, Position(1, 1), error.message), definition
        )
    found = sorted(
        validate_document(document, statuses, definition)
        + unsafe_link_problems(document, definition)
    )
    problems = [Problem(source.display_path, position, message) for position, message in found]
    return _modelled(document, source, statuses, problems, definition)


def _source(plan_file: PlanFile) -> PlanSource:
    return PlanSource(
        src_uri=plan_file.src_uri,
        page_uri=page_uri_for(plan_file.src_uri),
        display_path=display_path(plan_file.real_path or plan_file.abs_path),
        real_path=plan_file.real_path or plan_file.abs_path,
        edit_uri=plan_file.edit_uri or plan_file.src_uri,
        companion_path=display_path(plan_file.companion) if plan_file.companion else "",
    )


def _load_markdown_plan(
    plan_file: PlanFile,
    statuses: Sequence[str],
    limits: Limits,
    definition: Definition | None,
    names: KeyNames | None,
) -> Plan:
    """A plan written in Markdown: read into the same data a `plan.yaml` gives, checked the
    same way, its text kept for the page. Problems in its companion (`kep.yaml`) name it."""
    source = _source(plan_file)
    shape = definition or default_definition()
    problem = source.problem

    try:
        raw = read_bounded(plan_file.abs_path, limits.max_bytes, inside=plan_file.docs_dir)
        if len(raw) > limits.max_bytes:
            raise LoadError(
                f"the file is larger than the limit of {limits.max_bytes:,} bytes; split the "
                "plan, or raise the plugin option `max_file_size`"
            )
        companion = None
        if plan_file.companion:
            companion = read_bounded(
                plan_file.companion, limits.max_bytes, inside=plan_file.docs_dir
            )
        read = read_markdown_plan(
            decode_text(raw),
            names or KeyNames(shape),
            statuses=statuses,
            default_status=plan_file.status,
            file_name=_document_name(plan_file.src_uri),
            companion=companion,
            limits=limits,
        )
        header = LoadedDocument(
            data={k: v for k, v in read.document.data.items() if k not in read.section_keys},
            value_positions=read.document.value_positions,
            bracketed_texts=None,
        )
        # The body's own text is the page's: a hand-written page of it costs what it costs,
        # its footnotes are its own, and its links go through the sanitizer.
        check_text_limits(header)
    except LoadError as error:
        return _unloaded(source, problem(error.position, error.message), definition)
    except UnreadableFile as error:
        return _unloaded(source, problem(Position(1, 1), error.message), definition)
    found = sorted(
        validate_document(read.document, statuses, shape)
        + unsafe_link_problems(header, shape)
        + read.problems
    )
    plan = _modelled(read.document, source, statuses, [problem(*item) for item in found], shape)
    plan.body = read.body
    plan.summary_in_body = read.summary_in_body
    return plan


def _unloaded(source: PlanSource, problem: Problem, definition: Definition | None) -> Plan:
    # Modelled with the site's format all the same: the page of a plan that does not load
    # shows its problem with the site's template, whose fields must be there.
    return build_plan(None, source, None, [problem], definition)


def _modelled(
    document: LoadedDocument,
    source: PlanSource,
    statuses: Sequence[str],
    problems: list[Problem],
    definition: Definition | None,
) -> Plan:
    status_written = document.data.get("status")
    status = match_status(status_written, statuses) if isinstance(status_written, str) else None
    return build_plan(document, source, status, problems, definition)


def _document_name(src_uri: str) -> str:
    """What names a Markdown plan without a title: its file, or its folder for a `README.md`,
    `index.md` or `plan.md` (`beps/0005-split-backend-discovery`)."""
    folder, _, name = src_uri.rpartition("/")
    if name.casefold() in ("readme.md", "index.md", "plan.md") and folder:
        return folder.rpartition("/")[2]
    return name.removesuffix(".md").removesuffix(".plan")
