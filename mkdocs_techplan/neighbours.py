"""Other plugins techplan works beside: the order warning, the plugins it cannot be built
beside yet, and what it does for git-history and monorepo plugins.

Tested against each neighbour in both orders (tests/test_neighbours.py). Only mkdocs-macros
breaks: it renders Jinja in `on_page_markdown` at the same priority as techplan, which fills
backlinks and index markers there, so whichever is listed first runs first. Plan pages
themselves are safe in any order (their front matter says `render_macros: false`), and so are
Material's search, tags and blog plugins, awesome-pages and literate-nav: they read files,
metadata or finished pages, which techplan has made by then whatever the order.
Git-history plugins and mkdocs-monorepo-plugin work in either order too (`GitHistory`,
`monorepo_sources`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from mkdocs_techplan.site.catalog import PlanFile

if TYPE_CHECKING:
    from mkdocs.structure.files import File

MUST_COME_BEFORE: dict[str, str] = {
    # top-level module of the plugin's class → why techplan must come after it
    "mkdocs_macros": (
        "it renders as Jinja the plan titles and summaries that techplan writes into other "
        "pages (backlinks on spec pages, `<!-- techplan:index -->` listings), so a plan text "
        "containing `{{` or `{%` changes or breaks those pages"
    ),
}


def order_problems(plugins: Mapping[str, object], own: object) -> list[str]:
    """One message per plugin listed after `own` (this plugin) that must come before it."""
    names = list(plugins)
    own_name = next((name for name in names if plugins[name] is own), None)
    if own_name is None:
        return []
    problems = []
    for name in names[names.index(own_name) + 1 :]:
        module = type(plugins[name]).__module__.split(".")[0]
        reason = MUST_COME_BEFORE.get(module)
        if reason:
            problems.append(
                f"plugin order: `{name}` is listed after `{own_name}` in `plugins`, and {reason}; "
                f"list `{name}` before `{own_name}` in mkdocs.yml"
            )
    return problems


GIT_HISTORY: frozenset[str] = frozenset(
    {
        "mkdocs_git_revision_date_localized_plugin",
        "mkdocs_git_authors_plugin",
        "mkdocs_git_committers_plugin_2",
    }
)
"""Plugins that show a page's git history (dates, authors) from its source file."""


def _module(plugin: object) -> str:
    return type(plugin).__module__.split(".")[0]


def find_plugin(plugins: Mapping[str, object], module: str) -> object | None:
    """The plugin of `plugins` whose class comes from the package `module`, if any."""
    return next((plugin for plugin in plugins.values() if _module(plugin) == module), None)


def reads_git_history(plugins: Mapping[str, object]) -> bool:
    return any(_module(plugin) in GIT_HISTORY for plugin in plugins.values())


class GitHistory:
    """Plan pages as git-history plugins see them: pages written from their plan file.

    Those plugins skip generated pages (they stamp them with the build time, which is wrong
    for readers and makes every rebuild differ). From `on_pre_page` to the end of the page's
    events a plan page stands for its YAML file, so its dates and authors are the plan file's;
    the index stands for the folder of all plans, for its dates only (`git log` on a folder
    gives its last change; authors read files), until its HTML is made. Without git, or for a
    file git does not know, the plugins do what they do for any such page.
    """

    def __init__(self, plan_paths: list[str], index_uri: str | None) -> None:
        folders = [os.path.dirname(path) for path in plan_paths if path]
        # The deepest folder holding every plan: the index's history.
        self.plan_folder = os.path.commonpath(folders) if folders else None
        self.index_uri = index_uri
        self._generated_by: dict[int, str | None] = {}

    def open(self, file: File) -> None:
        source = getattr(file, "source_path", "")
        if not source and file.src_uri == self.index_uri and file.generated_by:
            source = self.plan_folder or ""
        if source and file.generated_by and file.abs_src_path is None:
            self._generated_by[id(file)] = file.generated_by
            file.generated_by = None
            file.abs_src_path = source

    def close(self, file: File, *, index: bool) -> None:
        """Make `file` generated again: the index once git dates are read (`index=True`), a
        plan page at the end of its events."""
        if (file.src_uri == self.index_uri) != index or id(file) not in self._generated_by:
            return
        file.generated_by = self._generated_by.pop(id(file))
        file.abs_src_path = None


def monorepo_sources(plugins: Mapping[str, object], plan_files: list[PlanFile]) -> list[PlanFile]:
    """`plan_files` with the path each has in the author's repository, where
    mkdocs-monorepo-plugin built `docs_dir` as a temporary copy of several docs folders: the
    copy's path in a message, or `docs/team/…` in an edit link, would lead nowhere."""
    plugin = find_plugin(plugins, "mkdocs_monorepo_plugin")
    merger = getattr(plugin, "merger", None)
    root = getattr(plugin, "originalDocsDir", None)
    if merger is None or root is None:
        return plan_files
    copy = merger.temp_docs_dir.name
    folders = [
        (os.path.join(copy, *alias.split("/")) if alias else copy, source)
        for alias, source in merger.docs_dirs
    ]
    folders.sort(key=lambda folder: -len(folder[0]))  # the deepest alias first
    mapped = []
    for plan_file in plan_files:
        for copied, source in folders:
            relative = os.path.relpath(plan_file.abs_path, copied)
            if not relative.startswith(".."):
                real = os.path.normpath(os.path.join(source, relative))
                edit = os.path.relpath(real, root).replace(os.sep, "/")
                plan_file = replace(plan_file, real_path=real, edit_uri=edit)
                break
        mapped.append(plan_file)
    return mapped
