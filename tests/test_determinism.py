"""Determinism: the same sources give byte-identical output on every build.

The example site (every key of the format, index, exports, badges, backlinks) is copied to two
folders and built in two fresh processes with different hash seeds, so neither set ordering,
nor absolute paths, nor state kept by a plugin instance can make the outputs differ.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLE_SITE

# MkDocs writes the build date into the sitemap; nothing of the plugin's is in it.
NOT_OURS = {"sitemap.xml", "sitemap.xml.gz"}


def _build_copy(folder: Path, seed: str) -> Path:
    shutil.copytree(EXAMPLE_SITE, folder, ignore=shutil.ignore_patterns("site", "screenshots"))
    environment = {**os.environ, "PYTHONHASHSEED": seed, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", "built"],
        cwd=folder,
        env=environment,
        check=True,
    )
    return folder / "built"


def _outputs(site: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(site)): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file() and path.name not in NOT_OURS
    }


def test_two_builds_in_different_folders_and_processes_are_byte_identical(
    tmp_path: Path,
) -> None:
    first = _outputs(_build_copy(tmp_path / "one", "1"))
    second = _outputs(_build_copy(tmp_path / "two", "2"))
    assert sorted(first) == sorted(second)
    different = [path for path in first if first[path] != second[path]]
    assert different == []
    # What this covers: every kind of output the plugin writes.
    plan_outputs = {path for path in first if path.startswith("plans/")}
    assert {"plans/index.html", "plans/plans.json", "plans/feed.xml"} <= plan_outputs
    assert sum(path.endswith("/status.svg") for path in plan_outputs) == 6
    assert sum(path.endswith("/index.html") for path in plan_outputs) >= 7
