"""Plan pages as MkDocs files whose Markdown is rendered when MkDocs reads it."""

from __future__ import annotations

import os
from collections.abc import Callable, MutableMapping
from typing import TYPE_CHECKING, Any, TypeVar

import yaml
from mkdocs.structure.files import File

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

FileT = TypeVar("FileT", bound=File)


class PlanPageFile(File):
    """A plan's page. Its Markdown is rendered when MkDocs reads the page, and not kept here:
    MkDocs keeps each page's Markdown itself until the build ends, so a site of a thousand
    plans would otherwise hold every plan page twice."""

    render: Callable[[], str] | None = None
    """Renders the page's Markdown; None until the page is placed, or once content is set."""
    plan_file: str = ""
    """The plan file the page comes from, as messages name it."""
    source_path: str = ""
    """The plan file on disk, where the author keeps it (git history plugins read it)."""
    changed: bool = True
    """Whether the page's Markdown differs from the last build's (`render.previews`)."""
    inputs: object = None
    """What the page's Markdown is made from, compared with `==` by `serve --dirty`: equal
    inputs render the same Markdown. None when not known (the page is rendered to compare)."""

    def is_modified(self) -> bool:
        # Asked by dirty builds only. Generated content counts as always modified in MkDocs;
        # a plan page is rebuilt when its Markdown changed, or when its HTML is missing.
        return self.changed or not os.path.isfile(self.abs_dest_path)

    @property
    def content_string(self) -> str:
        if self.render is not None:
            return self.render()
        return File.content_string.fget(self)  # type: ignore[attr-defined, no-any-return]

    @content_string.setter
    def content_string(self, value: str) -> None:
        self.render = None  # content another plugin sets wins over the plan's
        File.content_string.fset(self, value)  # type: ignore[attr-defined]

    @property
    def content_bytes(self) -> bytes:
        if self.render is not None:
            return self.render().encode()
        return File.content_bytes.fget(self)  # type: ignore[attr-defined, no-any-return]

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        self.render = None
        File.content_bytes.fset(self, value)  # type: ignore[attr-defined]

    def release(self) -> None:
        """Let go of what renders the page (its plan) once MkDocs has read it: from then on
        the page's source reads back as the Markdown MkDocs holds for the page. What it was
        made from (`inputs`, for `serve --dirty`) goes too: it held the plan and its blocks."""
        self.inputs = None
        page = self.page
        if self.render is None or page is None or page.markdown is None:
            return
        self.render = lambda: _source_of(page.meta, page.markdown or "")


GENERATED_BY = "techplan"


class LazyFile(File):
    """A generated file whose content is made when first read (copied into the site, or
    written by `pages`): `validate` places the outputs to find collisions, and never reads
    them."""

    _make: Callable[[], str] | None = None

    @property  # MkDocs' own attribute: `copy_file` reads it as it is
    def _content(self) -> str | bytes | None:
        if self._make is not None:
            self.__dict__["_made"] = self._make()
            self._make = None  # what it needed (plans, listings) is let go
        made: str | bytes | None = self.__dict__.get("_made")
        return made

    @_content.setter
    def _content(self, value: str | bytes | None) -> None:
        self._make = None
        self.__dict__["_made"] = value


def generated_file(
    cls: type[FileT], config: MkDocsConfig, src_uri: str, content: str | Callable[[], str]
) -> FileT:
    """A file the plugin makes, as `File.generated` makes it, marked as techplan's own under
    every caller: MkDocs' events, and the commands, where no plugin event is running.
    `content` may be a function, called when the content is first read (`LazyFile`)."""
    kind: type[File] = LazyFile if callable(content) and cls is File else cls
    file = kind(
        src_uri,
        src_dir=None,
        dest_dir=config.site_dir,
        use_directory_urls=config.use_directory_urls,
    )
    file.generated_by = GENERATED_BY
    if isinstance(file, LazyFile) and callable(content):
        file.abs_src_path = None
        file._make = content
    else:
        assert isinstance(content, str)
        file.content_string = content
    return file  # type: ignore[return-value]  # `kind` is `cls`, or LazyFile for `File`


def in_folder(file: File, prefix: str) -> File:
    """`file` published below `prefix` (a language's folder such as `fr/`, in a multilingual
    site), before anything read its URL."""
    if prefix:
        file.dest_uri = prefix + file.dest_uri
        for derived in ("url", "abs_dest_path"):  # cached from dest_uri when first read
            file.__dict__.pop(derived, None)
    return file


def _source_of(meta: MutableMapping[str, Any], markdown: str) -> str:
    if not meta:
        return markdown
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{front}---\n\n{markdown}"
