"""Git-history plugins (revision dates, authors) on plan pages and the index."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from mkdocs_techplan.plugin.plugin_order import plugin_module

if TYPE_CHECKING:
    from mkdocs.structure.files import File

GIT_HISTORY: frozenset[str] = frozenset(
    {
        "mkdocs_git_revision_date_localized_plugin",
        "mkdocs_git_authors_plugin",
        "mkdocs_git_committers_plugin_2",
    }
)
"""Plugins that show a page's git history (dates, authors) from its source file."""


def reads_git_history(plugins: Mapping[str, object]) -> bool:
    return any(plugin_module(plugin) in GIT_HISTORY for plugin in plugins.values())


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
