"""Relative paths between pages of the docs folder, as links between them are written."""

from __future__ import annotations

import posixpath
import urllib.parse


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
