"""The optional staleness check: was an Approved plan's specification changed after its date?

Only in a git checkout: one `git log` over the docs folder gives every file's last commit
date, read once for the whole site, whatever the number of plans and specifications.
Without git, or outside a repository, the check says nothing.
"""

from __future__ import annotations

import datetime
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

from mkdocs.structure.files import Files

from mkdocs_techplan.site.placement import PlacedPlan, PlanSite

APPROVED = "approved"
"""The status (compared case-insensitively) whose plans are checked."""
_GIT_TIMEOUT = 30  # seconds; a wedged git must not hang the build


@dataclass(frozen=True)
class StaleSpec:
    """An Approved plan whose specification page was committed after the plan's date."""

    item: PlacedPlan
    spec_src_uri: str
    spec_title: str
    changed: datetime.date

    def log_line(self) -> str:
        plan = self.item.plan
        return (
            f"{plan.source.display_path}: the specification changed after this plan was "
            f"approved: {self.spec_src_uri} was last committed on {self.changed.isoformat()}, "
            f"the plan is dated {plan.date.isoformat() if plan.date else '?'}"
        )


CommitDate = Callable[[str], "datetime.date | None"]
"""Last commit date of a file (absolute path), or None if git does not know it."""


def find_stale(site: PlanSite, files: Files, docs_dir: str) -> list[StaleSpec]:
    """Approved plans whose specification changed after their date; [] without git."""
    candidates = [
        item
        for item in site.placed
        if (item.plan.status or "").casefold() == APPROVED and item.plan.date is not None
    ]
    if not candidates or not _in_work_tree(docs_dir):
        return []
    return compare(site, candidates, files, docs_dir, _git_commit_date(docs_dir))


def compare(
    site: PlanSite,
    candidates: list[PlacedPlan],
    files: Files,
    docs_dir: str,
    commit_date: CommitDate,
) -> list[StaleSpec]:
    """Ask `commit_date` once per referenced specification page, then compare dates."""
    plan_yaml = site.pages.plan_sources
    dates: dict[str, datetime.date | None] = {}
    stale: list[StaleSpec] = []
    for item in candidates:
        for link in item.links.specification:
            target = link.target
            if target is None or target == item.plan.source.page_uri:
                continue
            if target not in dates:
                path = _source_path(target, plan_yaml, files, docs_dir)
                dates[target] = commit_date(path) if path else None
            changed = dates[target]
            assert item.plan.date is not None
            if changed is not None and changed > item.plan.date:
                stale.append(StaleSpec(item, target, site.pages.title(target), changed))
    return stale


def _source_path(target: str, plan_yaml: dict[str, str], files: Files, docs_dir: str) -> str | None:
    if target in plan_yaml:  # another plan: its YAML file is what changes
        return os.path.join(docs_dir, *plan_yaml[target].split("/"))
    file = files.get_file_from_path(target)
    return file.abs_src_path if file is not None and file.generated_by is None else None


def _git(docs_dir: str, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", docs_dir, *args],
            capture_output=True,
            text=True,
            timeout=_GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None  # no git installed, or it hung: stay silent
    return done.stdout.strip() if done.returncode == 0 else None


def _in_work_tree(docs_dir: str) -> bool:
    return _git(docs_dir, "rev-parse", "--is-inside-work-tree") == "true"


def _git_commit_date(docs_dir: str) -> CommitDate:
    """Last commit dates from one `git log` over the docs folder, read when first asked:
    one process for the whole site, however many specifications it has."""
    dates: dict[str, datetime.date] | None = None

    def commit_date(path: str) -> datetime.date | None:
        nonlocal dates
        if dates is None:
            dates = _last_commit_dates(docs_dir)
        relative = os.path.relpath(os.path.realpath(path), os.path.realpath(docs_dir))
        return dates.get(relative.replace(os.sep, "/"))

    return commit_date


def _last_commit_dates(docs_dir: str) -> dict[str, datetime.date]:
    """Each file under `docs_dir` (relative path) → the date of the last commit changing it."""
    output = _git(
        docs_dir,
        "-c",
        "core.quotePath=false",
        "log",
        "--format=%x00%cs",
        "--name-only",
        "--relative",
        "--",
        ".",
    )
    dates: dict[str, datetime.date] = {}
    current: datetime.date | None = None
    for line in (output or "").split("\n"):
        if line.startswith("\0"):
            try:
                current = datetime.date.fromisoformat(line[1:].strip())
            except ValueError:  # a git too old for %cs prints it back
                current = None
        elif line and current is not None:
            dates.setdefault(line, current)  # newest first: the first date seen is the last
    return dates
