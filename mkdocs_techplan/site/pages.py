"""What the plugin needs to know about the site's Markdown pages: titles and spec ids.

Pages are read lazily and at most once per build: titles only for pages that plans
reference, front matter of every page only when a plan uses a spec id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from mkdocs.utils.meta import get_data

from mkdocs_techplan.markdown import reader

SUGGESTIONS_PER_BUILD = 100
"""Broken references that get a "did you mean": each costs a comparison with every page, so a
site with thousands of broken references would otherwise spend minutes on them."""

SourceReader = Callable[[], str]
"""Returns a page's Markdown source when called."""

# `attr_list` on a heading (`# Title { #id }`): not part of the title. Its own pattern.
_HEADING_ATTRIBUTES = re.compile(r"[ ]+\{:?([^}\n]*)\}[ ]*$")


@dataclass(frozen=True)
class PageInfo:
    """A Markdown page's title and front matter."""

    title: str
    meta: dict[str, Any]


class PageDirectory:
    """The site's Markdown pages by `src_uri`, with their titles and spec ids on demand."""

    def __init__(
        self,
        sources: dict[str, SourceReader],
        spec_id_key: str,
        other_files: Iterable[str] = (),
    ) -> None:
        self._sources = sources
        self.spec_id_key = spec_id_key
        self.other_files = frozenset(other_files)
        """Files of the site that are not pages (a JSON schema, a PDF): linkable, no title."""
        self.plan_sources: dict[str, str] = {}
        """Plan pages (`plans/auth/index.md`) → their YAML files (`plans/auth/plan.yaml`)."""
        self._info: dict[str, PageInfo] = {}
        self._spec_ids: dict[str, list[str]] | None = None
        self.plan_ids: dict[str, list[str]] = {}
        """Plan ids (case-folded) → the pages of the plans that have them."""
        self._spec_id_spelling: dict[str, str] = {}
        self.suggestions_left = SUGGESTIONS_PER_BUILD
        """How many more "did you mean" page or spec id lookups this build may make."""

    def take_suggestion(self) -> bool:
        """Whether one more suggestion may be looked up (each compares against every page)."""
        if self.suggestions_left <= 0:
            return False
        self.suggestions_left -= 1
        return True

    def __contains__(self, src_uri: str) -> bool:
        return src_uri in self._sources

    @property
    def uris(self) -> Iterable[str]:
        return self._sources.keys()

    def add(self, src_uri: str, info: PageInfo) -> None:
        """Register a page whose title and front matter are already known (a generated page)."""
        self._sources[src_uri] = lambda: ""
        self._info[src_uri] = info

    def add_plan(
        self, page_uri: str, plan_src_uri: str, title: str, plan_id: str | None = None
    ) -> None:
        """Register the page a plan file becomes, and its id."""
        self.add(page_uri, PageInfo(title=title, meta={}))
        self.plan_sources[page_uri] = plan_src_uri
        if plan_id and plan_id.strip():
            self.plan_ids.setdefault(plan_id.strip().casefold(), []).append(page_uri)
            self._spec_id_spelling.setdefault(plan_id.strip().casefold(), plan_id.strip())

    def info(self, src_uri: str) -> PageInfo:
        if src_uri not in self._info:
            self._info[src_uri] = read_page_info(self._sources[src_uri](), src_uri)
        return self._info[src_uri]

    def title(self, src_uri: str) -> str:
        return self.info(src_uri).title

    def pages_with_spec_id(self, spec_id: str) -> list[str]:
        """Pages whose front matter declares `spec_id` (compared case-insensitively)."""
        if self._spec_ids is None:
            self._spec_ids = {}
            for src_uri in sorted(self._sources):
                declared = self.info(src_uri).meta.get(self.spec_id_key)
                if isinstance(declared, (str, int)) and str(declared).strip():
                    key = str(declared).strip().casefold()
                    self._spec_ids.setdefault(key, []).append(src_uri)
                    self._spec_id_spelling.setdefault(key, str(declared).strip())
        key = spec_id.strip().casefold()
        # A plan's id names its page as a spec id names a spec page: a reference takes either.
        return self._spec_ids.get(key, []) + self.plan_ids.get(key, [])

    def plan_ids_spelled(self, but: str = "") -> list[str]:
        """Every plan id as first written, but that of the plan whose page is `but`."""
        return [
            self._spec_id_spelling[key] for key, uris in self.plan_ids.items() if but not in uris
        ]

    def spec_ids(self) -> dict[str, list[str]]:
        """Every declared spec id, as first written, with the pages that declare it."""
        self.pages_with_spec_id("")
        assert self._spec_ids is not None
        declared = {**self._spec_ids}
        for key, uris in self.plan_ids.items():
            declared[key] = declared.get(key, []) + uris
        return {self._spec_id_spelling[key]: uris for key, uris in declared.items()}


def read_page_info(markdown: str, src_uri: str) -> PageInfo:
    """Title as MkDocs 1.6 chooses it: front matter `title`, else the page's first element
    when it is an H1 (ATX or setext), else the file name."""
    body, meta = get_data(markdown)
    title = meta.get("title")
    if title is None or not str(title).strip():
        title = _first_h1(body) or _title_from_name(src_uri)
    return PageInfo(title=str(title), meta=meta)


def _first_h1(body: str) -> str | None:
    """MkDocs takes the H1 only when it is the page's first element: not after a paragraph."""
    blocks = reader.read(body, front_matter=False).blocks
    if not blocks or blocks[0].kind != "heading" or blocks[0].level != 1:
        return None
    return reader.inline_text(_HEADING_ATTRIBUTES.sub("", blocks[0].text)) or None


def _title_from_name(src_uri: str) -> str:
    folder, _, name = src_uri.rpartition("/")
    stem = name.rsplit(".", 1)[0]
    if stem in ("index", "README"):
        stem = folder.rpartition("/")[2] or "Home"
    return stem.replace("-", " ").replace("_", " ").capitalize()
