"""`mkdocs-techplan pages` owns files by record: it changes only what its manifest says it
wrote, never writes through a symbolic link, and two runs at once do not trample each other.
Each tree is compared byte for byte before and after."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SiteBuilder, run_pages

from mkdocs_techplan.site.generated_pages import GENERATED_LINE
from mkdocs_techplan.site.written_files import MANIFEST

PLAN = """\
title: Sessions
status: Draft
specification: ../../specs/auth.md
"""
ASSETS = {"extra_css": ["assets/techplan.css"], "extra_javascript": ["assets/techplan.js"]}
"""What a site built with Zensical lists, so that `pages` has nothing to say about styles."""
SETTINGS = {"site_name": "S", "plugins": ["techplan"], **ASSETS}
QUOTING = f"# How pages are marked\n\n```markdown\n{GENERATED_LINE}\n```\n"


def _site(root: Path) -> Path:
    docs = root / "docs"
    (docs / "plans" / "auth").mkdir(parents=True)
    (docs / "specs").mkdir()
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "specs" / "auth.md").write_text("# Auth\n", encoding="utf-8")
    (docs / "plans" / "auth" / "plan.yaml").write_text(PLAN, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(yaml.safe_dump(SETTINGS), encoding="utf-8")
    return config


def _pages(config: Path, *more: str) -> Any:
    return run_pages(config, *more)


def _tree(*roots: Path) -> dict[str, bytes | str]:
    """Every file and link under `roots`: content, or where a link points."""
    found: dict[str, bytes | str] = {}
    for root in roots:
        for folder, subfolders, names in os.walk(root):
            for name in subfolders + names:
                path = Path(folder) / name
                if path.is_symlink():
                    found[str(path)] = "-> " + os.readlink(path)
                elif path.is_file():
                    found[str(path)] = path.read_bytes()
    return found


def test_a_page_that_quotes_the_generated_line_is_the_authors(tmp_path: Path) -> None:
    config = _site(tmp_path)
    docs = tmp_path / "docs"
    (docs / "guide.md").write_text(QUOTING, encoding="utf-8")
    (docs / "plans" / "index.md").write_text("# Our plans\n\n" + QUOTING, encoding="utf-8")
    before = {path: text for path, text in _tree(docs).items() if path.endswith(".md")}
    assert _pages(config).exit_code == 0
    assert _pages(config).exit_code == 0  # again: nothing of the author's is "gone"
    after = _tree(docs)
    for path, text in before.items():
        assert after[path] == text, path
    assert _pages(config, "--check").exit_code == 0


def test_the_mkdocs_build_keeps_a_hand_written_index_that_quotes_the_line(
    site: SiteBuilder,
) -> None:
    site.write("specs/auth.md", "# Auth\n")
    site.write("plans/auth/plan.yaml", PLAN)
    site.write("plans/index.md", "# Our plans\n\n" + QUOTING)
    result = site.build()
    assert not result.failed, result.messages
    heading = result.content("plans/index.html").h1
    assert heading is not None and heading.get_text(strip=True) == "Our plans"


def test_a_page_pages_wrote_whose_plan_is_gone_is_left_out_with_a_warning(
    site: SiteBuilder,
) -> None:
    site.write("specs/auth.md", "# Auth\n")
    site.write("plans/auth/plan.yaml", PLAN)
    site.build(**ASSETS)  # writes mkdocs.yml
    assert _pages(site.root / "mkdocs.yml").exit_code == 0
    (site.docs / "plans" / "auth" / "plan.yaml").unlink()  # and `pages` is not run again
    result = site.build(**ASSETS)
    assert result.failed
    assert any(
        "docs/plans/auth/index.md: written by `mkdocs-techplan pages` for a plan that is gone"
        in warning
        for warning in result.techplan_warnings
    ), result.warnings
    assert not (result.site_dir / "plans" / "auth" / "index.html").exists()


def test_an_edited_written_file_is_the_authors_from_then_on(tmp_path: Path) -> None:
    config = _site(tmp_path)
    assert _pages(config).exit_code == 0
    page = tmp_path / "docs" / "plans" / "auth" / "index.md"
    page.write_text("# Mine now\n", encoding="utf-8")
    result = _pages(config)
    assert result.exit_code == 1
    assert page.read_text(encoding="utf-8") == "# Mine now\n"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_pages_never_writes_through_a_symbolic_link(tmp_path: Path) -> None:
    project = tmp_path / "project"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.txt").write_text("precious\n", encoding="utf-8")
    (outside / "plans").mkdir()
    (outside / "plans" / "plan.yaml").write_text(PLAN, encoding="utf-8")
    (outside / "assets").mkdir()
    config = _site(project)
    docs = project / "docs"
    # a link at the temporary name an earlier version used, a linked plan folder, linked
    # assets, and a linked manifest
    os.symlink(outside / "victim.txt", docs / "plans" / "auth" / "index.md.techplan-tmp")
    os.symlink(outside / "plans", docs / "plans" / "linked")
    os.symlink(outside / "assets", docs / "assets")
    os.symlink(outside / "victim.txt", docs / MANIFEST)
    outside_before = _tree(outside)
    result = _pages(config)
    assert result.exit_code == 1, result.output
    assert _tree(outside) == outside_before
    assert "plans/linked/index.md" in result.output  # refused, said
    assert (docs / "plans" / "auth" / "index.md").is_file()


def test_pages_hangs_on_no_fifo(tmp_path: Path) -> None:
    config = _site(tmp_path)
    (tmp_path / "docs" / "assets").mkdir()
    os.mkfifo(tmp_path / "docs" / "assets" / "techplan.js")
    os.mkfifo(tmp_path / "docs" / MANIFEST)
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs_techplan.cli", "pages", "-f", str(config), "--check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr


def test_two_runs_at_once_leave_one_consistent_tree(tmp_path: Path) -> None:
    config = _site(tmp_path)
    for number in range(20):
        (tmp_path / "docs" / "plans" / f"p{number}").mkdir()
        (tmp_path / "docs" / "plans" / f"p{number}" / "plan.yaml").write_text(
            PLAN.replace("Sessions", f"Plan {number}"), encoding="utf-8"
        )
    command = [sys.executable, "-m", "mkdocs_techplan.cli", "pages", "-f", str(config)]
    runs = [
        subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    for run in runs:
        _, error = run.communicate(timeout=120)
        assert run.returncode == 0, error.decode()
    assert not list((tmp_path / "docs").rglob("*.techplan-tmp"))
    assert _pages(config, "--check").exit_code == 0


def test_a_leftover_temporary_file_fails_check_and_is_removed(tmp_path: Path) -> None:
    config = _site(tmp_path)
    assert _pages(config).exit_code == 0
    leftover = tmp_path / "docs" / "plans" / "auth" / ".index.md.0123456789abcdef.techplan-tmp"
    leftover.write_text("half a page", encoding="utf-8")
    mine = tmp_path / "docs" / "notes.techplan-tmp"  # not the command's name pattern
    mine.write_text("mine", encoding="utf-8")
    assert _pages(config, "--check").exit_code == 1
    assert leftover.exists()
    assert _pages(config).exit_code == 0
    assert not leftover.exists() and mine.exists()
    assert _pages(config, "--check").exit_code == 0


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_owned_files_are_the_manifests_unchanged_files_reached_without_links(
    tmp_path: Path,
) -> None:
    """A listed file is the tool's only with the content recorded, as a regular file, on a
    path without a symbolic link: a linked folder or file, an edited, a missing or a grown
    file is the author's."""
    from mkdocs_techplan.site.written_files import digest, manifest_text, owned_files

    docs, outside = tmp_path / "docs", tmp_path / "outside"
    content = {name: f"# {name}\n".encode() for name in ("a", "b", "c", "d", "e", "f")}
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "b.md").write_bytes(content["b"])
    (outside / "c.md").write_bytes(content["c"])
    (docs / "plans" / "x").mkdir(parents=True)
    (docs / "plans" / "x" / "a.md").write_bytes(content["a"])
    os.symlink(outside / "deep", docs / "plans" / "linked")
    os.symlink(outside / "c.md", docs / "plans" / "x" / "c.md")
    (docs / "plans" / "x" / "d.md").write_bytes(b"# edited\n")
    (docs / "plans" / "x" / "f.md").write_bytes(content["f"] + b"x" * 100_000)
    listed = {
        "plans/x/a.md": content["a"],
        "plans/linked/b.md": content["b"],
        "plans/x/c.md": content["c"],
        "plans/x/d.md": content["d"],
        "plans/x/e.md": content["e"],
        "plans/x/f.md": content["f"],
    }
    (docs / MANIFEST).write_text(
        manifest_text({path: digest(data) for path, data in listed.items()}), encoding="utf-8"
    )
    assert owned_files(str(docs)) == {"plans/x/a.md"}
