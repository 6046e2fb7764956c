"""Which files are plans, and which page each one becomes (README, "The plan.yaml
format" and "Plans written in Markdown")."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import pathspec

_FOLDER_PLAN_NAMES = ("plan.yaml", "plan.yml")
_NAMED_PLAN_SUFFIXES = (".plan.yaml", ".plan.yml")
_MARKDOWN_PLAN_NAME = "plan.md"
_MARKDOWN_PLAN_SUFFIX = ".plan.md"
README = "README.md"


def is_plan_file(src_uri: str) -> bool:
    """A plan by its name alone: `plan.yaml` / `plan.yml`, `<slug>.plan.yaml` /
    `<slug>.plan.yml`, `plan.md` or `<slug>.plan.md`."""
    name = posixpath.basename(src_uri)
    if name in _FOLDER_PLAN_NAMES or name == _MARKDOWN_PLAN_NAME:
        return True
    suffix = next(
        (s for s in (*_NAMED_PLAN_SUFFIXES, _MARKDOWN_PLAN_SUFFIX) if name.endswith(s)), None
    )
    return suffix is not None and name != suffix


def is_markdown(src_uri: str) -> bool:
    return src_uri.endswith(".md")


def page_uri_for(src_uri: str) -> str:
    """The page a plan becomes: `plans/auth/plan.yaml` → `plans/auth/index.md`,
    `plans/billing.plan.yml` → `plans/billing.md`. A Markdown plan is its own page: it keeps
    the URL the file would have as a hand-written page."""
    if is_markdown(src_uri):
        return src_uri
    folder, name = posixpath.split(src_uri)
    if name in _FOLDER_PLAN_NAMES:
        return posixpath.join(folder, "index.md")
    slug = name.rsplit(".plan.", 1)[0]
    return posixpath.join(folder, f"{slug}.md")


@dataclass(frozen=True)
class MarkdownGlob:
    """One entry of `markdown_plans`: Markdown files matching `pattern` (relative to
    `docs_dir`, `*` within a folder, `**` across folders) are plans; `status` is given to
    those that state none."""

    pattern: str
    status: str | None = None


@dataclass(frozen=True)
class PlanFileRules:
    """The site's rules for which files are plans, beyond the names `is_plan_file` knows."""

    globs: tuple[MarkdownGlob, ...] = ()
    companion: str | None = None
    """With a preset such as `kep`: a `README.md` with this file beside it (`kep.yaml`) is a
    plan, its header in that file."""

    @cached_property
    def _specs(self) -> tuple[tuple[pathspec.GitIgnoreSpec, MarkdownGlob], ...]:
        # Git's own pattern rules (MkDocs reads `exclude_docs` with the same library): a
        # pattern with a `/` is anchored at `docs_dir`, `*` stays within a folder.
        return tuple(
            (pathspec.GitIgnoreSpec.from_lines(["/" + glob.pattern.lstrip("/")]), glob)
            for glob in self.globs
        )

    def match(self, src_uri: str, exists: Callable[[str], bool]) -> PlanMatch | None:
        """Whether the file is a plan, and how it is read; `exists(src_uri)` tells whether
        another file of the docs is there (a `kep.yaml` beside a `README.md`)."""
        if is_plan_file(src_uri):
            return PlanMatch()
        if not is_markdown(src_uri):
            return None
        for spec, glob in self._specs:
            if spec.match_file(src_uri):
                return PlanMatch(status=glob.status)
        if self.companion and posixpath.basename(src_uri) == README:
            companion = posixpath.join(posixpath.dirname(src_uri), self.companion)
            if exists(companion):
                return PlanMatch(companion=companion)
        return None

    def companions(self, src_uris: Sequence[str]) -> set[str]:
        """The companion files (`kep.yaml`) that belong to plans among `src_uris`."""
        if not self.companion:
            return set()
        present = set(src_uris)
        return {
            posixpath.join(posixpath.dirname(uri), self.companion)
            for uri in src_uris
            if posixpath.basename(uri) == README
            and posixpath.join(posixpath.dirname(uri), self.companion) in present
        }


@dataclass(frozen=True)
class PlanMatch:
    """How a plan file is read: the status it has when it states none, and the file beside
    it that holds its header."""

    status: str | None = None
    companion: str | None = None


NO_RULES = PlanFileRules()
"""Plans by their names alone (`plan.yaml`, `plan.md` …): no globs, no companion files."""
