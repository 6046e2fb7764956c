"""`mkdocs-techplan pages`: write the build's files into the docs folder, owning them by record.

The files come from the build core (`build/docs_folder.py`). This module decides what may be
written: only paths where there is no file, or where the manifest (`site/written_files.py`)
says the command wrote exactly what is there now. Everything else is the author's and is never
replaced or removed. Writes go through a new temporary file opened with `O_EXCL | O_NOFOLLOW`
in a folder whose real path is inside `docs_dir`, then renamed into place; a lock file keeps
two runs from interleaving. `--check` runs the same decisions and changes nothing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from mkdocs_techplan.site.written_files import (
    MANIFEST,
    current_digest,
    digest,
    manifest_text,
    read_manifest,
)

LOCK = ".techplan-pages.lock"
TEMPORARY_SUFFIX = ".techplan-tmp"


@dataclass
class Changes:
    """What writing the pages changes (or would change) in the docs folder."""

    written: list[str] = field(default_factory=list)
    """New files, and files of the tool whose content changed."""
    removed: list[str] = field(default_factory=list)
    """Files of the tool that the build no longer makes."""
    refused: list[str] = field(default_factory=list)
    """Paths where a file the tool did not write is in the way (or a symbolic link leads out
    of the docs folder): never written."""
    manifest_changed: bool = False

    @property
    def any(self) -> bool:
        return bool(self.written or self.removed or self.refused or self.manifest_changed)


class PagesError(Exception):
    """The docs folder cannot be written safely (another run holds it, or it is not a folder)."""


def sync_pages(
    docs_dir: str, make_files: Callable[[], Mapping[str, bytes]], *, check: bool = False
) -> Changes:
    """Write the files `make_files` gives under `docs_dir` and remove the tool's files that
    are no longer made; with `check`, only say what that would do.

    The lock is held while the files are made too: making them reads the docs folder (which
    pages are the tool's), and a run that read it while another was writing took the other's
    new pages for the user's."""
    if not os.path.isdir(docs_dir) or os.path.islink(docs_dir):
        raise PagesError(f"{docs_dir} is not a folder")
    with _locked(docs_dir, shared=check):
        return _sync(docs_dir, make_files(), check=check)


def _sync(docs_dir: str, files: Mapping[str, bytes], *, check: bool) -> Changes:
    changes = Changes()
    recorded = read_manifest(docs_dir)
    manifest: dict[str, str] = {}
    for path, content in sorted(files.items()):
        wanted = digest(content)
        now = current_digest(docs_dir, path)
        ours = recorded.get(path) is not None and recorded.get(path) == now
        if now == wanted:  # already there as it would be written: the tool's from now on
            manifest[path] = wanted
            continue
        if not _safe_folder(docs_dir, path) or (
            os.path.lexists(_target(docs_dir, path)) and not ours
        ):
            changes.refused.append(path)
            continue
        changes.written.append(path)
        manifest[path] = wanted
        if not check:
            _write(docs_dir, path, content)
    for path, expected in sorted(recorded.items()):
        if path in files or current_digest(docs_dir, path) != expected:
            continue  # still made, or changed by the author since: theirs now
        changes.removed.append(path)
        if not check:
            os.unlink(_target(docs_dir, path))
    for path in _leftover_temporaries(docs_dir):  # of a run that was killed mid-write
        changes.removed.append(path)
        if not check:
            os.unlink(_target(docs_dir, path))
    text = manifest_text(manifest).encode("utf-8")
    if current_digest(docs_dir, MANIFEST) != digest(text):
        changes.manifest_changed = bool(manifest or recorded)
        if not check and changes.manifest_changed:
            _write(docs_dir, MANIFEST, text, replace_any=True)
    return changes


_TEMPORARY = re.compile(r"\..+\.[0-9a-f]{16}" + re.escape(TEMPORARY_SUFFIX))


def _leftover_temporaries(docs_dir: str) -> list[str]:
    """Temporary files of this command (its name pattern, regular files) left by a run that
    was stopped; none can be a running one's, as the lock is held."""
    found = []
    for folder, _, names in os.walk(docs_dir):
        for name in names:
            path = os.path.join(folder, name)
            if _TEMPORARY.fullmatch(name) and os.path.isfile(path) and not os.path.islink(path):
                found.append(os.path.relpath(path, docs_dir).replace(os.sep, "/"))
    return sorted(found)


def _target(docs_dir: str, path: str) -> str:
    return os.path.join(docs_dir, *path.split("/"))


def _safe_folder(docs_dir: str, path: str) -> bool:
    """Whether every folder on the way to `path` that exists is a real folder inside
    `docs_dir` (no symbolic link leads elsewhere)."""
    folder = docs_dir
    for part in path.split("/")[:-1]:
        folder = os.path.join(folder, part)
        if not os.path.lexists(folder):
            return True  # created by `_write`, as a real folder
        if os.path.islink(folder) or not os.path.isdir(folder):
            return False
    return True


def _write(docs_dir: str, path: str, content: bytes, *, replace_any: bool = False) -> None:
    """Write the whole file at once: a new temporary file beside it, then a rename."""
    parts = path.split("/")
    folder = docs_dir
    for part in parts[:-1]:
        folder = os.path.join(folder, part)
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder)
        if os.path.islink(folder) or not os.path.isdir(folder):
            raise PagesError(f"{folder} is not a folder of the docs")
    target = os.path.join(folder, parts[-1])
    if not replace_any and os.path.islink(target):
        raise PagesError(f"{target} is a symbolic link")
    temporary = os.path.join(folder, f".{parts[-1]}.{secrets.token_hex(8)}{TEMPORARY_SUFFIX}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(temporary, flags, 0o644)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(content)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def _locked(docs_dir: str, *, shared: bool) -> Iterator[None]:
    """Hold the docs folder's lock file: one run writes at a time; checks may share it."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; runs are not made concurrent there
        yield
        return
    path = os.path.join(docs_dir, LOCK)
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError as error:
        if shared and error.errno != errno.ELOOP:  # a check of a folder it cannot write
            yield
            return
        if error.errno == errno.ELOOP:
            raise PagesError(f"{path} is a symbolic link; remove it") from None
        raise PagesError(f"{path} cannot be opened: {error.strerror}") from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)
