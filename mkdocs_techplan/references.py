"""Resolve references (page paths, http(s) URLs, spec ids) to links MkDocs can check."""

from __future__ import annotations

import difflib
import posixpath
import re
import urllib.parse
from dataclasses import dataclass

from mkdocs_techplan.discovery import is_plan_file, page_uri_for
from mkdocs_techplan.model import Reference
from mkdocs_techplan.pages import PageDirectory
from mkdocs_techplan.problems import format_key_path

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_WEB_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class Link:
    """A resolved reference: the text to show and where it goes."""

    text: str
    href: str | None
    """Relative to the referring page's source (MkDocs rewrites it), a URL, or None if broken."""
    target: str | None = None
    """The `src_uri` of the page it points to, for pages of this site."""
    external: bool = False


@dataclass(frozen=True)
class Resolution:
    link: Link
    problem: str | None = None


def resolve(
    reference: Reference, plan_src_uri: str, page_uri: str, pages: PageDirectory
) -> Resolution:
    """Resolve what an author wrote in a plan at `plan_src_uri` (its page is `page_uri`)."""
    text = reference.text
    key = f"`{format_key_path(reference.key_path)}`"
    broken = Link(text=text, href=None)
    scheme = _SCHEME.match(text)
    if scheme and len(scheme[1]) > 1:  # one letter would be a Windows drive: treat as a path
        if scheme[1].lower() in _WEB_SCHEMES:
            return Resolution(Link(text=text, href=text, external=True))
        return Resolution(
            broken,
            f"{key} uses the `{scheme[1]}:` scheme, which is not allowed; a reference is a page "
            "path such as `../specs/auth.md`, an http(s) URL or a spec id such as `SPEC-042`",
        )
    path, _, anchor = text.partition("#")
    if "/" in path or posixpath.splitext(path)[1] or not path:
        return _resolve_path(path, anchor, key, text, plan_src_uri, page_uri, pages)
    return _resolve_spec_id(path, anchor, key, page_uri, pages)


def _resolve_path(
    path: str,
    anchor: str,
    key: str,
    written: str,
    plan_src_uri: str,
    page_uri: str,
    pages: PageDirectory,
) -> Resolution:
    broken = Link(text=written, href=None)
    if not path:  # `#anchor` alone: a place in the plan's own page
        return Resolution(Link(text=written, href=f"#{anchor}", target=page_uri))
    base = "" if path.startswith("/") else posixpath.dirname(plan_src_uri)
    target = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    if target == ".." or target.startswith("../"):
        return Resolution(
            broken,
            f"{key} points to `{written}`, which is outside the docs folder; reference a page "
            "inside `docs_dir` or use an https:// URL",
        )
    if is_plan_file(target):
        target = page_uri_for(target)
    if target not in pages:
        suggestion = _nearest(target, pages)
        hint = ""
        if suggestion:
            hint = f"; did you mean `{_as_written(suggestion, path, plan_src_uri)}`?"
        return Resolution(
            broken,
            f"{key} points to `{written}`, but there is no page `{target}` in the docs{hint}",
        )
    return Resolution(_page_link(target, anchor, page_uri, pages))


def _resolve_spec_id(
    spec_id: str, anchor: str, key: str, page_uri: str, pages: PageDirectory
) -> Resolution:
    found = pages.pages_with_spec_id(spec_id)
    if len(found) == 1:
        return Resolution(_page_link(found[0], anchor, page_uri, pages))
    broken = Link(text=spec_id, href=None)
    if found:
        listed = ", ".join(f"`{uri}`" for uri in found)
        return Resolution(
            broken,
            f"{key} names the spec id `{spec_id}`, which {len(found)} pages declare ({listed}); "
            "keep the id on one page",
        )
    return Resolution(
        broken,
        f"{key} names the spec id `{spec_id}`, but no page declares it in its front matter "
        f"(`{pages.spec_id_key}: {spec_id}`); write a page path such as `../specs/auth.md`, an "
        "http(s) URL, or add the id to the spec page",
    )


def _page_link(target: str, anchor: str, page_uri: str, pages: PageDirectory) -> Link:
    relative = posixpath.relpath(target, posixpath.dirname(page_uri) or ".")
    href = urllib.parse.quote(relative) + (f"#{anchor}" if anchor else "")
    return Link(text=pages.title(target), href=href, target=target)


def _nearest(target: str, pages: PageDirectory) -> str | None:
    candidates = [uri for uri in pages.uris if uri.endswith(".md")]
    close = difflib.get_close_matches(target, candidates, n=1, cutoff=0.6)
    return close[0] if close else None


def _as_written(suggestion: str, written_path: str, plan_src_uri: str) -> str:
    """Suggest the page in the same form the author used: from the root, or relative."""
    if written_path.startswith("/"):
        return "/" + suggestion
    return posixpath.relpath(suggestion, posixpath.dirname(plan_src_uri) or ".")
