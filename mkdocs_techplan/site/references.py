"""Resolve references (page paths, http(s) URLs, spec ids) to links MkDocs can check.

A reference resolves to a Markdown link to the target's *source* path (`../../specs/auth.md`),
relative to the plan's page: MkDocs then validates it (anchors included) and rewrites it for
`use_directory_urls` on and off, exactly as it does for links written by hand.
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from dataclasses import dataclass

from mkdocs_techplan.format.model import Reference
from mkdocs_techplan.format.problems import format_key_path
from mkdocs_techplan.format.suggestions import MAX_CANDIDATES, nearest
from mkdocs_techplan.site.discovery import is_plan_file, page_uri_for
from mkdocs_techplan.site.pages import PageDirectory

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_WEB_SCHEMES = ("http", "https")
# What MkDocs reads as Markdown pages, plus plan files: a reference ending so is always a path.
_PAGE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".yaml", ".yml")
# Names too common for "same file name, other folder" to mean anything.
_GENERIC_NAMES = frozenset(("index.md", "README.md", "plan.yaml", "plan.yml"))


def _forms(page_uri: str, pages: PageDirectory) -> str:
    """The three forms a reference takes, with a page path as this plan would write it."""
    return (
        f"a page path such as {_page_path_example(page_uri, pages)}, an http(s) URL or a spec "
        "id such as `SPEC-042`"
    )


def _page_path_example(page_uri: str, pages: PageDirectory) -> str:
    """A path to a real page of the site (a spec page when there is one), written from the
    plan's folder: the depth an author must write, not a fixed `../specs/auth.md`."""
    generated = pages.plan_sources.keys()
    written = sorted(
        uri
        for uri in pages.uris
        if uri not in generated and uri.endswith(".md") and posixpath.basename(uri) != "index.md"
    )
    specs = [uri for uri in written if "spec" in uri.casefold()]
    target = (specs or written or ["specs/auth.md"])[0]
    return f"`{_relative(target, posixpath.dirname(page_uri))}`"


@dataclass(frozen=True, slots=True)
class Link:
    """A resolved reference: the text to show and where it goes."""

    text: str
    href: str | None
    """Relative to the referring page's source (MkDocs rewrites it), a URL, or None if broken."""
    target: str | None = None
    """The `src_uri` of the page it points to, for pages of this site."""
    external: bool = False


@dataclass(frozen=True, slots=True)
class Resolution:
    link: Link
    problem: str | None = None


def resolve(
    reference: Reference,
    plan_src_uri: str,
    page_uri: str,
    pages: PageDirectory,
    *,
    plan_only: bool = False,
) -> Resolution:
    """Resolve what an author wrote in a plan at `plan_src_uri` (its page is `page_uri`).

    `plan_only`: the reference must name another plan of the site (`supersedes`).
    """
    text = reference.text
    key = f"`{format_key_path(reference.key_path)}`"
    broken = Link(text=text, href=None)
    scheme = _SCHEME.match(text)
    if scheme and len(scheme[1]) > 1:  # one letter would be a Windows drive: treat as a path
        if scheme[1].lower() in _WEB_SCHEMES:
            if plan_only:
                return Resolution(broken, _not_a_plan(key, text, "a URL", plan_src_uri, pages))
            return Resolution(Link(text=text, href=text, external=True))
        rest = text[len(scheme[0]) :].lstrip("/").partition("#")[0]
        hint = ""
        if rest.lower().endswith(_PAGE_SUFFIXES):  # `file:///…/docs/specs/auth.md`
            hint = _hint(_nearest_page(rest, pages), rest, plan_src_uri)
        return Resolution(
            broken,
            f"{key} is `{text}`, a `{scheme[1]}:` URL, which is never linked; write "
            f"{_forms(page_uri, pages)}" + hint,
        )
    path, _, anchor = text.partition("#")
    looks_like_path = not path or "/" in path or path.lower().endswith(_PAGE_SUFFIXES)
    if not looks_like_path:
        found = pages.pages_with_spec_id(path)
        folder = posixpath.dirname(plan_src_uri)
        if found or posixpath.join(folder, path) not in pages.other_files:
            resolution = _resolve_spec_id(
                path, anchor, key, page_uri, pages, found, plan_only=plan_only
            )
        else:
            resolution = _resolve_path(path, anchor, key, text, plan_src_uri, page_uri, pages)
    else:
        resolution = _resolve_path(path, anchor, key, text, plan_src_uri, page_uri, pages)
    if plan_only:
        return _only_plans(resolution, key, text, plan_src_uri, pages)
    return resolution


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
    suffix = f"#{anchor}" if anchor else ""
    if target == ".." or target.startswith("../"):
        inside = re.sub(r"^(\.\./)+", "", target)
        hint = _hint(_nearest_page(inside, pages), path, plan_src_uri, suffix)
        return Resolution(
            broken,
            f"{key} points to `{written}`, which is outside the docs folder"
            + (hint or "; reference a page inside the docs folder, or an http(s) URL"),
        )
    if target in pages.other_files:  # a file that is not a page: a schema, a PDF
        href = _relative(target, posixpath.dirname(plan_src_uri)) + suffix
        return Resolution(Link(text=posixpath.basename(target), href=href))
    if is_plan_file(target) and page_uri_for(target) in pages.plan_sources:
        target = page_uri_for(target)
    if target not in pages:
        hint = _hint(_nearest_page(target, pages), path, plan_src_uri, suffix)
        return Resolution(
            broken,
            f"{key} points to `{written}`, but there is no page `{target}` in the docs"
            + (
                hint
                or "; check the path: it is relative to the plan file's folder, or to the docs "
                "folder when it starts with `/`"
            ),
        )
    return Resolution(_page_link(target, anchor, page_uri, pages))


def _resolve_spec_id(
    spec_id: str,
    anchor: str,
    key: str,
    page_uri: str,
    pages: PageDirectory,
    found: list[str],
    *,
    plan_only: bool = False,
) -> Resolution:
    if len(found) == 1:
        return Resolution(_page_link(found[0], anchor, page_uri, pages))
    broken = Link(text=spec_id, href=None)
    if found:
        listed = ", ".join(f"`{uri}`" for uri in found)
        return Resolution(
            broken,
            f"{key} names the spec id `{spec_id}`, which {len(found)} pages declare ({listed}); "
            "keep the id on one page, or reference the page by its path",
        )
    if plan_only:  # a relation or `supersedes`: the id of another plan
        others = sorted(pages.plan_ids_spelled(but=page_uri))
        close = nearest(spec_id, others) if pages.take_suggestion() else None
        return Resolution(
            broken,
            f"{key} names the plan id `{spec_id}`, but no plan has it"
            + (
                f"; did you mean `{close}`?"
                if close
                else "; write a plan's id or the path of its file"
            ),
        )
    declaration = f"`{pages.spec_id_key}: {spec_id}`"
    nearest_id = _nearest_spec_id(spec_id, pages)
    if nearest_id:
        hint = f"; did you mean `{nearest_id[0]}` (declared by `{nearest_id[1]}`)?"
    else:
        hint = (
            f"; add {declaration} to the spec page's front matter, or write the page's path "
            f"such as {_page_path_example(page_uri, pages)}"
        )
    return Resolution(
        broken,
        f"{key} names the spec id `{spec_id}`, but no page declares it ({declaration} in its "
        f"front matter){hint}",
    )


def _only_plans(
    resolution: Resolution, key: str, written: str, plan_src_uri: str, pages: PageDirectory
) -> Resolution:
    """`supersedes` must name a plan: a resolved page that is not one is a problem."""
    target = resolution.link.target
    if resolution.problem or target is None or target in pages.plan_sources:
        return resolution
    return Resolution(
        Link(text=written, href=None),
        _not_a_plan(key, written, f"the page `{target}`", plan_src_uri, pages),
    )


def _not_a_plan(key: str, written: str, what: str, plan_src_uri: str, pages: PageDirectory) -> str:
    example = "`../old-plan/plan.yaml`"
    if len(pages.plan_sources) > 1:
        others = sorted(uri for uri in pages.plan_sources.values() if uri != plan_src_uri)
        example = f"`{_relative(others[0], posixpath.dirname(plan_src_uri))}`"
    return (
        f"{key} is `{written}`, {what}, which is not a plan; it takes the path of another "
        f"plan's file, such as {example}"
    )


def _page_link(target: str, anchor: str, page_uri: str, pages: PageDirectory) -> Link:
    href = _relative(target, posixpath.dirname(page_uri)) + (f"#{anchor}" if anchor else "")
    return Link(text=pages.title(target), href=href, target=target)


def _relative(target: str, folder: str) -> str:
    return relative_href(target, folder)


def _nearest_page(target: str, pages: PageDirectory) -> str | None:
    """The existing page (or plan file) an author most likely meant by `target`."""
    if not pages.take_suggestion():
        return None
    if is_plan_file(target):
        candidates = sorted(pages.plan_sources.values())
    else:
        generated = pages.plan_sources.keys()
        candidates = sorted(
            uri for uri in pages.uris if uri not in generated and uri.endswith(_PAGE_SUFFIXES)
        )
        candidates += sorted(pages.other_files)
    close = _nearest_by_name(target, candidates)
    if close:
        return close
    name = posixpath.basename(target)
    if name in _GENERIC_NAMES:
        return None
    same_name = [uri for uri in candidates if posixpath.basename(uri) == name]
    if not same_name:
        return None
    import difflib  # here: only a broken link needs it, and most builds have none

    return max(same_name, key=lambda uri: difflib.SequenceMatcher(None, target, uri).ratio())


def _name_of(uri: str) -> str:
    """What a page is called: its file name without suffix, or its folder's for an index
    (`specs/auth/index.md` and `plans/auth/plan.yaml` are both `auth`)."""
    folder, name = posixpath.split(uri)
    for suffix in (".plan.yaml", ".plan.yml"):
        if name.endswith(suffix):
            return name.removesuffix(suffix).casefold()
    stem = name.rsplit(".", 1)[0]
    if stem in ("index", "README", "plan"):
        stem = posixpath.basename(folder)
    return stem.casefold()


def _nearest_by_name(target: str, candidates: list[str]) -> str | None:
    """The candidate whose name is close to the name `target` gives (`serach.md` for
    `search.md`), the closer path first among equals. Paths alone are no guide: every spec
    page shares `specs/` and `.md` with every other, and `specs/billing.md` is not
    `specs/search.md`."""
    wanted = _name_of(target)
    if not wanted or len(candidates) > MAX_CANDIDATES:
        return None
    import difflib  # here: only a broken link needs it, and most builds have none

    best: tuple[float, float, str] | None = None
    for candidate in candidates:
        name_ratio = difflib.SequenceMatcher(None, wanted, _name_of(candidate)).ratio()
        if name_ratio < NAME_CUTOFF:
            continue
        path_ratio = difflib.SequenceMatcher(None, target, candidate).ratio()
        if best is None or (name_ratio, path_ratio) > best[:2]:
            best = (name_ratio, path_ratio, candidate)
    return best[2] if best else None


NAME_CUTOFF = 0.6
"""How close a page's name must be to the one written for a "did you mean"."""


def _nearest_spec_id(spec_id: str, pages: PageDirectory) -> tuple[str, str] | None:
    if not pages.take_suggestion():
        return None
    declared = pages.spec_ids()
    close = nearest(spec_id, sorted(declared))
    if close is None:
        return None
    return close, declared[close][0]


def _hint(suggestion: str | None, written_path: str, plan_src_uri: str, suffix: str = "") -> str:
    if suggestion is None:
        return ""
    return f"; did you mean `{_as_written(suggestion, written_path, plan_src_uri)}{suffix}`?"


def _as_written(suggestion: str, written_path: str, plan_src_uri: str) -> str:
    """Suggest the page in the same form the author used: from the root, or relative."""
    if written_path.startswith("/"):
        return "/" + suggestion
    return posixpath.relpath(suggestion, posixpath.dirname(plan_src_uri) or ".")


def relative_path(target: str, folder: str) -> str:
    """`posixpath.relpath(target, folder or ".")`, for paths inside the docs folder.

    Links are computed several times per plan; `posixpath.relpath` asks the system for the
    working directory twice on every call. For paths as MkDocs writes them (relative,
    normalised, `/`-separated) the answer needs none of that; other paths take the long way.
    """
    target_parts = target.split("/")
    folder_parts = folder.split("/") if folder else []
    if not _plain_parts(target_parts) or not _plain_parts(folder_parts):
        return posixpath.relpath(target, folder or ".")
    common = 0
    for ours, theirs in zip(target_parts, folder_parts, strict=False):
        if ours != theirs:
            break
        common += 1
    return "/".join([".."] * (len(folder_parts) - common) + target_parts[common:]) or "."


def relative_href(target: str, folder: str) -> str:
    """The link from a page in `folder` to `target`, quoted for a Markdown link."""
    return urllib.parse.quote(relative_path(target, folder))


def _plain_parts(parts: list[str]) -> bool:
    return all(part and part != "." and part != ".." for part in parts)
