"""mkdocs-monorepo-plugin: plans named by the files their authors keep, not by its copies."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace

from mkdocs_techplan.plugin.plugin_order import find_plugin
from mkdocs_techplan.site.catalog import PlanFile


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
