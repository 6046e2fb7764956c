"""The files `mkdocs-techplan pages` wrote into the docs folder, known by record, not by text.

The command keeps a manifest, `.techplan-pages.json` in `docs_dir`: each path it wrote with the
SHA-256 of what it wrote. A file is the tool's only while it is listed there with that content.
A page that merely quotes the generated line, or a file the author changed since, is the
author's: never rewritten, removed or left out of a build. (MkDocs leaves dot files out of the
site, so the manifest is never published.)
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Mapping

MANIFEST = ".techplan-pages.json"
_MAX_MANIFEST = 8 * 1024 * 1024
_MAX_FILE = 64 * 1024 * 1024


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def read_manifest(docs_dir: str) -> dict[str, str]:
    """Path under `docs_dir` → SHA-256 of what the tool wrote there; {} without a manifest
    (or with one that is not the tool's: a symbolic link, not JSON, too large)."""
    path = os.path.join(docs_dir, MANIFEST)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return {}
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_MANIFEST:
            return {}
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = json.loads(stream.read(_MAX_MANIFEST))
    except (OSError, ValueError):
        return {}
    finally:
        os.close(descriptor)
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {
        path: value
        for path, value in files.items()
        if isinstance(path, str) and isinstance(value, str) and _is_relative(path)
    }


def manifest_text(files: Mapping[str, str]) -> str:
    """The manifest for `files` (path → SHA-256), sorted so that it changes only with them."""
    return json.dumps({"version": 1, "files": dict(sorted(files.items()))}, indent=1) + "\n"


def current_digest(docs_dir: str, path: str) -> str | None:
    """The SHA-256 of the regular file at `path` under `docs_dir`; None for anything else (no
    file, a symbolic link anywhere on the way, a folder, a FIFO, a file too large)."""
    return _digest_under(docs_dir, path, {})


def _digest_under(docs_dir: str, path: str, folders: dict[str, bool]) -> str | None:
    if not _is_relative(path):
        return None
    parts = path.split("/")
    if not _plain_folders(docs_dir, parts[:-1], folders):
        return None  # a symbolic link on the way
    target = os.path.join(docs_dir, *parts)
    try:  # the file itself: `O_NOFOLLOW` refuses a link
        descriptor = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_FILE:
            return None
        return digest(_read_all(descriptor, info.st_size))
    except OSError:
        return None
    finally:
        os.close(descriptor)


def _read_all(descriptor: int, size: int) -> bytes:
    """The file's content, up to `_MAX_FILE` bytes: in one read when it is as large as it
    was when looked at (a file object per page was a third of the check's time)."""
    chunks = [os.read(descriptor, size + 1)]
    read = len(chunks[0])
    while chunks[-1] and read <= _MAX_FILE:
        chunks.append(os.read(descriptor, 1 << 20))
        read += len(chunks[-1])
    return b"".join(chunks)[:_MAX_FILE]


def _plain_folders(docs_dir: str, folders: list[str], known: dict[str, bool]) -> bool:
    """Whether each folder on the way to a file under `docs_dir` is a folder, not a symbolic
    link. `known` holds the answer for each folder already looked at: the 600 pages of a
    site share their folders, and resolving each page's whole path (`os.path.realpath`) was
    most of a Zensical build's check of them."""
    path = ""
    for name in folders:
        path = f"{path}/{name}" if path else name
        plain = known.get(path)
        if plain is None:
            try:
                mode = os.lstat(os.path.join(docs_dir, path)).st_mode
            except OSError:
                mode = 0
            plain = known[path] = stat.S_ISDIR(mode)
        if not plain:
            return False
    return True


def owned_files(docs_dir: str) -> set[str]:
    """The files under `docs_dir` that are the tool's: listed in the manifest, unchanged."""
    folders: dict[str, bool] = {}
    return {
        path
        for path, expected in read_manifest(docs_dir).items()
        if _digest_under(docs_dir, path, folders) == expected
    }


def _is_relative(path: str) -> bool:
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and ".." not in parts and "" not in parts
