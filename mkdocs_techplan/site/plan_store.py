"""Parsed plans kept on disk, from `mkdocs-techplan pages` to the Zensical build after it.

Under Zensical a site's plans are parsed twice in a row: by `pages`, which writes their
pages, and by the `mkdocs_techplan.zensical` extension, which needs them again for backlinks,
listings and problems. Reading and checking 300 plans is about 0.35 s of the build; loading
what `pages` parsed is 0.02 s. So `pages` keeps its catalog in a folder per site in the
user's cache (`Site.cache_folder`; not the project's `.cache`, which `zensical build --clean`
empties) and the extension takes
from it each plan whose file has not changed since (size, modification and change times,
inode: the catalog's own test).

The file is only used when nothing that shapes a parsed plan has changed: the techplan
options, this package's code (every module's size and modification time) and Python's
version, and the working folder (messages name files relative to it). Anything else (a file
from another version, a broken or truncated one, one that is not ours) is ignored: plans are
then parsed as without it, so the cache can cost time, never results.

It is a pickle, read with an unpickler that only makes plan data (the format's data
classes, enums, tuples and mappings, the plan file's record, dates): a file put there by
someone else cannot run code through it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import functools
import hashlib
import io
import os
import pickle
import sys
from typing import Any

from mkdocs_techplan.format.files import is_inside
from mkdocs_techplan.site.catalog import PlanCatalog, StoredPlan

STORE_FILE = "plans.pickle"
_HEADER = b"mkdocs-techplan parsed plans, format 1\n"
"""What our file starts with: a file at the same path without it is not replaced."""
_PLAN_MODULES = ("mkdocs_techplan.format.",)
_PLAN_CLASSES = {("mkdocs_techplan.site.catalog", "PlanFile")}
_DATES = {("datetime", name) for name in ("date", "datetime", "time", "timedelta", "timezone")}


def save_plans(catalog: PlanCatalog, folder: str, settings: str, docs_dir: str) -> str | None:
    """Keep `catalog`'s plans in `folder`, parsed with the options `settings` stands for.
    Returns why they were not kept, or None."""
    path = os.path.join(folder, STORE_FILE)
    if is_inside(folder, docs_dir):
        # The docs folder is the author's, and every file in it is published.
        return f"the cache folder {folder} is inside the docs folder: the parsed plans are not kept"
    if os.path.lexists(path) and not _ours(path):
        return f"{path} exists and was not written by mkdocs-techplan: not replaced"
    payload = pickle.dumps(
        (_code_stamp(), settings, os.getcwd(), catalog.stored()), protocol=pickle.HIGHEST_PROTOCOL
    )
    partial = f"{path}.{os.getpid()}.partial"
    try:
        os.makedirs(folder, exist_ok=True)
        with open(partial, "wb") as stream:
            stream.write(_HEADER + payload)
        os.replace(partial, path)  # a build reading it meanwhile sees the old file or the new
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        return f"the parsed plans could not be kept in {folder}: {error.strerror or error}"
    return None


def restore_plans(catalog: PlanCatalog, folder: str, settings: str) -> int:
    """Give `catalog` the plans kept in `folder` when they were parsed with the same options,
    code and working folder; how many it was given (0 when there is nothing to use)."""
    try:
        with open(os.path.join(folder, STORE_FILE), "rb") as stream:
            if stream.read(len(_HEADER)) != _HEADER:
                return 0
            kept = _PlanUnpickler(io.BytesIO(stream.read())).load()
        code, kept_settings, working_folder, stored = kept
    except Exception:  # absent, unreadable, truncated, not ours: parsed as without it
        return 0
    if (code, kept_settings, working_folder) != (_code_stamp(), settings, os.getcwd()):
        return 0
    if not isinstance(stored, dict):
        return 0
    usable: dict[str, StoredPlan] = {
        path: entry
        for path, entry in stored.items()
        if isinstance(path, str) and isinstance(entry, tuple) and len(entry) == 4
    }
    catalog.take_stored(usable)
    return len(usable)


class _PlanUnpickler(pickle.Unpickler):
    """Makes nothing but plan data: the format's data classes, enums, named tuples and
    mappings (`Fields`), the plan file's record, and dates."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _DATES or (module, name) in _PLAN_CLASSES:
            return super().find_class(module, name)
        if module.startswith(_PLAN_MODULES):
            found = super().find_class(module, name)
            if isinstance(found, type) and (
                dataclasses.is_dataclass(found) or issubclass(found, (enum.Enum, tuple, dict))
            ):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not plan data")


@functools.lru_cache(maxsize=1)
def _code_stamp() -> str:
    """This package's code as it is now: plans parsed by other code are not used."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    digest = hashlib.sha256(sys.version.encode())
    for root, folders, names in os.walk(package):
        folders.sort()
        for name in sorted(names):
            if name.endswith((".py", ".json")):
                stat = os.stat(os.path.join(root, name))
                relative = os.path.relpath(os.path.join(root, name), package)
                digest.update(f"{relative} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _ours(path: str) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(len(_HEADER)) == _HEADER
    except OSError:
        return False
