"""The optional staleness check: was an Approved plan's specification changed after its date?

Only in a git checkout: each specification page that an Approved, dated plan references is
asked for its last commit date once (`git log -1 --format=%cs`), however many plans share it.
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
    def commit_date(path: str) -> datetime.date | None:
        output = _git(docs_dir, "log", "-1", "--format=%cs", "--", path)
        try:
            return datetime.date.fromisoformat(output) if output else None
        except ValueError:  # a git too old for %cs prints it back
            return None

    return commit_date
