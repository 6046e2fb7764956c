"""Only regular files inside the docs folder are read, never without bound, and the command
never writes through a link or over a file it did not create (issue "Hostile input, second
round")."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import BuildResult, SiteBuilder
from mkdocs.structure.files import File

from mkdocs_techplan.cli import main
from mkdocs_techplan.format.files import UnreadableFile, read_bounded
from mkdocs_techplan.format.loading import Limits
from mkdocs_techplan.site.catalog import PlanCatalog, PlanFile
from mkdocs_techplan.site.placement import _source_reader

PLAN = "title: Fine\nstatus: Draft\n"
SECRET = "title: TOP-SECRET-CONTENT\nstatus: Draft\n"


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fails the test instead of hanging it, if a read blocks (a FIFO with no writer)."""

    def fail(signum: int, frame: object) -> None:
        raise TimeoutError("blocked on a read")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def warnings_of(result: BuildResult, path: str) -> list[str]:
    return [
        warning.removeprefix(f"{path}:")
        for warning in result.techplan_warnings
        if warning.startswith(f"{path}:")
    ]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_a_fifo_plan_is_reported_and_the_build_goes_on(site: SiteBuilder, no_hang: None) -> None:
    site.write_plan("plans/ok/plan.yaml", PLAN)
    (site.docs / "plans/pipe").mkdir(parents=True)
    os.mkfifo(site.docs / "plans/pipe/plan.yaml")
    result = site.build(strict=False)
    assert not result.failed, result.messages
    assert warnings_of(result, "docs/plans/pipe/plan.yaml") == [
        "1:1: this is not a regular file but a named pipe (FIFO), which is not read; "
        "write the plan as an ordinary file"
    ]
    assert (result.site_dir / "plans/ok/index.html").exists()


@pytest.mark.parametrize("target", ["outside", "/dev/zero"])
def test_a_plan_linked_to_a_file_outside_the_docs_is_not_read(
    site: SiteBuilder, tmp_path: Path, no_hang: None, target: str
) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text(SECRET, encoding="utf-8")
    (site.docs / "plans/leak").mkdir(parents=True)
    os.symlink(outside if target == "outside" else target, site.docs / "plans/leak/plan.yaml")
    site.write("plans/inside/real.yaml", PLAN)
    os.symlink(site.docs / "plans/inside/real.yaml", site.docs / "plans/inside/plan.yaml")
    result = site.build(strict=False, plugins=["search", "techplan"])
    assert not result.failed, result.messages
    assert warnings_of(result, "docs/plans/leak/plan.yaml") == [
        "1:1: the file is a symbolic link to a file outside the docs folder, which is not "
        "read; put the file itself in the docs folder"
    ]
    for built in result.site_dir.rglob("*"):
        if built.is_file():
            assert b"TOP-SECRET" not in built.read_bytes(), built
    # A link that stays inside the docs folder is read as any file.
    assert "Fine" in result.content("plans/inside/index.html").get_text()


def test_reading_stops_one_byte_past_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"x" * 5000)
    assert len(read_bounded(str(path), 100)) == 101
    with pytest.raises(UnreadableFile, match="a device"):
        read_bounded("/dev/zero", 100)
    with pytest.raises(UnreadableFile, match="a folder"):
        read_bounded(str(tmp_path), 100)


def test_validate_reports_a_fifo_instead_of_hanging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_hang: None
) -> None:
    monkeypatch.chdir(tmp_path)
    os.mkfifo("plan.yaml")
    result = run("validate", "plan.yaml")
    assert result.exit_code == 1
    assert "plan.yaml:1:1: this is not a regular file but a named pipe (FIFO)" in result.output


def test_import_refuses_a_device_and_a_file_over_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_hang: None
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("import", "/dev/zero")
    assert result.exit_code == 1
    assert "/dev/zero: this is not a regular file but a device" in result.output
    Path("huge.md").write_text("# Technical Plan: x\n" + "a" * 2_000_000, encoding="utf-8")
    result = run("import", "huge.md")
    assert result.exit_code == 1
    assert "huge.md: the file is larger than the limit of 1,048,576 bytes" in result.output


def test_import_never_writes_through_a_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("plan.md").write_text("# Technical Plan: Linked\n\n**Status:** Draft\n", "utf-8")
    os.symlink(tmp_path / "elsewhere.yaml", "out.yaml")  # dangling
    for force in ([], ["--force"]):
        result = run("import", "plan.md", "-o", "out.yaml", *force)
        assert result.exit_code == 1
        assert "out.yaml is a symbolic link; name the file itself" in result.output
        assert not (tmp_path / "elsewhere.yaml").exists()


def test_import_force_replaces_a_regular_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("plan.md").write_text("# Technical Plan: Replaced\n\n**Status:** Draft\n", "utf-8")
    Path("out.yaml").write_text("old: text\n", "utf-8")
    assert run("import", "plan.md", "-o", "out.yaml").exit_code == 1
    assert Path("out.yaml").read_text("utf-8") == "old: text\n"
    assert run("import", "plan.md", "-o", "out.yaml", "--force").exit_code in (0, 1)
    assert "title: Replaced" in Path("out.yaml").read_text("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.yaml", "plan.md"]


def test_render_with_a_binary_template_is_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("plan.yaml").write_text(PLAN, "utf-8")
    Path("page.md.j2").write_bytes(b"\xff\xfe\x00binary\x80")
    result = run("render", "plan.yaml", "--template", "page.md.j2")
    assert result.exit_code == 2
    assert "the plan template page.md.j2 is not UTF-8 text" in result.output


def test_serve_sees_a_same_size_rewrite_with_its_time_put_back(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("title: First\nstatus: Draft\n", "utf-8")
    catalog = PlanCatalog()
    plan_file = PlanFile("plans/plan.yaml", str(path))
    [first] = catalog.load([plan_file], ["Draft"], Limits())
    before = os.stat(path)
    path.write_text("title: Other\nstatus: Draft\n", "utf-8")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size
    [second] = catalog.load([plan_file], ["Draft"], Limits())
    assert (first.title, second.title) == ("First", "Other")


def test_spec_pages_are_read_for_titles_only_inside_the_docs(tmp_path: Path, no_hang: None) -> None:
    """Titles of referenced pages: a page linked out of the docs folder or a FIFO gives no
    title (and no hang), a regular page its source."""
    docs = tmp_path / "docs"
    docs.mkdir()
    outside = tmp_path / "outside.md"
    outside.write_text("# TOP-SECRET-TITLE\n", encoding="utf-8")
    os.symlink(outside, docs / "leak.md")
    os.mkfifo(docs / "pipe.md")
    (docs / "ok.md").write_text("# Fine\n", encoding="utf-8")

    def source(name: str) -> str:
        file = File(name, str(docs), str(tmp_path / "site"), use_directory_urls=True)
        return _source_reader(file)()

    assert source("leak.md") == ""
    assert source("pipe.md") == ""
    assert source("ok.md") == "# Fine\n"
