"""Partial rebuilds (`mkdocs serve --dirty`): the pages the plugin changed are rebuilt too.

With `--dirty`, MkDocs reads and renders only the pages whose `File.is_modified()` says so:
for a file on disk, when the source is newer than the page it wrote last. A plan page has no
Markdown source on disk, and a hand-written page also shows what plans say (its backlinks,
its `<!-- techplan:index -->` listings), so editing one `plan.yaml` can change pages whose
files did not change. `PartialRebuilds` keeps a digest of what the plugin put into each page
at the last build and marks exactly the pages where it differs.

What MkDocs does not redo in a dirty build stays as MkDocs leaves it: the search index holds
only the pages rebuilt, and files that disappeared stay in the site folder.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from mkdocs_techplan.site.page_files import GENERATED_BY, PlanPageFile

if TYPE_CHECKING:
    from mkdocs.structure.files import File, Files

    from mkdocs_techplan.site.placement import PlacedPlan

PageMarkdown = Callable[["File", str], str]
"""The plugin's part of a hand-written page: (its file, its source) → the page's Markdown."""


class PartialRebuilds:
    """What the plugin put into each page at the last build, as digests, to tell which pages
    a dirty rebuild must redo."""

    def __init__(self, page_markdown: PageMarkdown) -> None:
        self.page_markdown = page_markdown
        self._pages: dict[str, bytes] = {}
        """`src_uri` → digest of the plugin's Markdown for the page at the last build."""
        self._navigation: bytes | None = None
        self._inputs: dict[str, object] = {}
        """`src_uri` → what each plan page was made from at the last build (`PageInputs`): a
        page made from the same is not rendered again to be compared."""

    def remember(self, file: File) -> None:
        """A hand-written page the plugin changed in this build (a listing marker, say): the
        next build checks it again."""
        if file.src_uri not in self._pages:
            self._pages[file.src_uri] = self._digest_of(file)

    def mark(
        self,
        files: Files,
        placed: Iterable[PlacedPlan],
        *,
        in_navigation: bool,
        touched: Iterable[str],
    ) -> list[str]:
        """Mark the pages whose plugin-made content differs from the last build as modified,
        and return their `src_uri`s.

        `touched`: hand-written pages the plugin adds to in this build (pages plans
        reference); pages it added to before are checked again too. `in_navigation`: plan
        titles are in every page's navigation, so a new, removed or renamed plan makes every
        page differ."""
        placed = list(placed)
        changed: list[str] = []
        seen: dict[str, bytes] = {}
        inputs: dict[str, object] = {}
        for item in placed:
            file = item.file
            assert isinstance(file, PlanPageFile)
            inputs[file.src_uri] = file.inputs
            previous = self._inputs.get(file.src_uri)
            if file.inputs is not None and previous == file.inputs:
                digest = self._pages[file.src_uri]  # made from the same: the same Markdown
            else:
                digest = _digest(file.content_string)
            seen[file.src_uri] = digest
            file.changed = self._pages.get(file.src_uri) != digest
            if file.changed:
                changed.append(file.src_uri)
        for src_uri in sorted(set(touched) | (set(self._pages) - set(seen))):
            page = files.get_file_from_path(src_uri)
            if page is None or isinstance(page, PlanPageFile) or not page.is_documentation_page():
                continue
            digest = self._digest_of(page)
            seen[src_uri] = digest
            if self._pages.get(src_uri) != digest:
                _modified(page)
                changed.append(src_uri)
        titles = "\n".join(f"{item.file.src_uri}\t{item.plan.title}" for item in placed)
        navigation = _digest(titles) if in_navigation else None
        if self._navigation is not None and navigation != self._navigation:
            for file in files.documentation_pages():
                _modified(file)
            changed = [file.src_uri for file in files.documentation_pages()]
        self._navigation = navigation
        self._pages = seen
        self._inputs = inputs
        _written_when_changed(files)
        return changed

    def _digest_of(self, file: File) -> bytes:
        return _digest(self.page_markdown(file, file.content_string))


def _written_when_changed(files: Files) -> None:
    """The plugin's generated files that are not pages (a badge per plan, `plans.json`, the
    feed, the assets) written by a dirty build only when their content differs from the file
    in the site folder. MkDocs counts generated content as always modified, and a site of a
    thousand plans rewrote a thousand badges after every edit."""
    for file in files:
        if file.generated_by == GENERATED_BY and not file.is_documentation_page():
            file.is_modified = functools.partial(_differs_from_site, file)  # type: ignore[method-assign]


def _differs_from_site(file: File) -> bool:
    try:
        with open(file.abs_dest_path, "rb") as written:
            return written.read() != file.content_bytes
    except OSError:  # not written yet, or unreadable: write it
        return True


def _modified(file: File) -> None:
    """`file` is rebuilt by a dirty build whatever its modification time."""
    if isinstance(file, PlanPageFile):
        file.changed = True
    else:
        # An attribute of this instance only: MkDocs makes new `File` objects every build.
        file.is_modified = _always  # type: ignore[method-assign]


def _always() -> bool:
    return True


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()
