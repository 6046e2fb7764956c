"""Find plan files, load and check them, and keep the results across `mkdocs serve` rebuilds."""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mkdocs_techplan.format.definition import Definition, default_definition
from mkdocs_techplan.format.files import UnreadableFile, read_bounded
from mkdocs_techplan.format.loading import Limits, LoadError, load_document
from mkdocs_techplan.format.model import Plan, PlanSource, build_plan
from mkdocs_techplan.format.problems import Position, Problem
from mkdocs_techplan.format.statuses import match_status
from mkdocs_techplan.format.text_limits import check_text_limits
from mkdocs_techplan.format.validation import validate_document
from mkdocs_techplan.markdown.link_safety import unsafe_link_problems
from mkdocs_techplan.site.discovery import is_plan_file, page_uri_for

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


def take_plan_files(files: Files, written: Collection[str] = ()) -> list[PlanFile]:
    """Remove the plan sources from `files` (YAML is never copied into the site) and return
    those that are part of this build (not excluded by `exclude_docs` or `draft_docs`).

    The files `mkdocs-techplan pages` wrote (`written`, from its manifest) leave `files` too:
    the build makes them itself, from the same plans."""
    plan_files = []
    for file in list(files):
        if file.generated_by is not None or not file.abs_src_path:
            continue
        if file.src_uri in written:
            files.remove(file)
        elif is_plan_file(file.src_uri):
            files.remove(file)
            if file.inclusion.is_included():  # type: ignore[no-untyped-call]  # untyped in MkDocs
                plan_files.append(PlanFile(file.src_uri, file.abs_src_path, file.src_dir))
    return plan_files


def display_path(abs_path: str) -> str:
    """A path as shown in messages: relative to the working directory when it is below it."""
    relative = os.path.relpath(abs_path)
    return abs_path if relative.startswith("..") else relative.replace(os.sep, "/")


_CacheKey = tuple[tuple[int, int, int, int], tuple[str, ...], Limits, Definition]


class PlanCatalog:
    """Loads plans, reusing a parsed plan while its file's size and modification time hold."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[_CacheKey, Plan]] = {}

    def load(
        self,
        plan_files: Sequence[PlanFile],
        statuses: Sequence[str],
        limits: Limits,
        definition: Definition | None = None,
    ) -> list[Plan]:
        """Each plan file loaded and checked against the site's format (`definition`)."""
        plans = []
        seen = set()
        shape = definition or default_definition()
        for plan_file in sorted(plan_files, key=lambda found: found.src_uri):
            seen.add(plan_file.abs_path)
            plans.append(self._load_one(plan_file, tuple(statuses), limits, shape))
        for stale in set(self._cache) - seen:  # deleted files do not linger in memory
            del self._cache[stale]
        return plans

    def _load_one(
        self,
        plan_file: PlanFile,
        statuses: tuple[str, ...],
        limits: Limits,
        definition: Definition,
    ) -> Plan:
        try:
            stat = os.stat(plan_file.abs_path)
            # The inode and change time too: a rewrite that keeps the size and puts the old
            # modification time back (as some editors and tools do) still changes them.
            key: _CacheKey | None = (
                (stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns),
                statuses,
                limits,
                definition,
            )
        except OSError:
            key = None
        cached = self._cache.get(plan_file.abs_path)
        if key is not None and cached is not None and cached[0] == key:
            return cached[1]
        plan = load_plan(plan_file, statuses, limits, definition)
        if key is not None:
            self._cache[plan_file.abs_path] = (key, plan)
        return plan


def load_plan(
    plan_file: PlanFile,
    statuses: Sequence[str],
    limits: Limits,
    definition: Definition | None = None,
) -> Plan:
    """Read, parse, check and model one plan file; problems are kept on the plan."""
    source = PlanSource(
        src_uri=plan_file.src_uri,
        page_uri=page_uri_for(plan_file.src_uri),
        display_path=display_path(plan_file.real_path or plan_file.abs_path),
        real_path=plan_file.real_path or plan_file.abs_path,
        edit_uri=plan_file.edit_uri or plan_file.src_uri,
    )
    try:
        raw = read_bounded(plan_file.abs_path, limits.max_bytes, inside=plan_file.docs_dir)
        document = load_document(raw, limits)
        check_text_limits(document)
    except LoadError as error:
        # Modelled with the site's format all the same: the page of a plan that does not load
        # shows its problem with the site's template, whose fields must be there.
        problem = Problem(source.display_path, error.position, error.message)
        return build_plan(None, source, None, [problem], definition)
    except UnreadableFile as error:
        problem = Problem(source.display_path, Position(1, 1), error.message)
        return build_plan(None, source, None, [problem], definition)
    found = sorted(
        validate_document(document, statuses, definition)
        + unsafe_link_problems(document, definition)
    )
    problems = [Problem(source.display_path, position, message) for position, message in found]
    status_written = document.data.get("status")
    status = match_status(status_written, statuses) if isinstance(status_written, str) else None
    return build_plan(document, source, status, problems, definition)
