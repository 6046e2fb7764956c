"""Every shell command in the README runs as written, on a copy of the repository's example.

The README's `bash` and `console` blocks are read from the file. A block runs in the copy's
root, or in its `example-site/` when the line before the block says
`<!-- readme-test: in example-site -->`. A block marked
`<!-- readme-test: template NAME … -->` holds placeholders (each NAME must be in it) and is
not run; `<!-- readme-test: skip (why) -->` gives the reason a block is not run here (a fresh
install, the suite itself). `mkdocs serve` is checked by building what it would serve. A
`console` block runs its `$ ` lines; one whose output shows `Error:` must fail, any other
must succeed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BIN = Path(sys.executable).parent

_FENCE = re.compile(r"^```(bash|console|sh|shell|yaml)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_MARKER = re.compile(r"<!-- readme-test: (?P<kind>skip|template|in) ?(?P<rest>.*?) -->\s*$")


@dataclass(frozen=True)
class Block:
    line: int
    language: str
    text: str
    marker: str  # "", "skip", "template" or "in"
    argument: str

    @property
    def commands(self) -> list[str]:
        if self.language == "console":
            return [line[2:] for line in self.text.splitlines() if line.startswith("$ ")]
        return [
            line
            for line in self.text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ]

    @property
    def should_fail(self) -> bool:
        return self.language == "console" and "\nError:" in "\n" + self.text


def readme_blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    blocks = []
    for match in _FENCE.finditer(text):
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = _MARKER.search(before)
        blocks.append(
            Block(
                line=text.count("\n", 0, match.start()) + 1,
                language=match[1],
                text=match[2],
                marker=marker["kind"] if marker else "",
                argument=marker["rest"] if marker else "",
            )
        )
    return blocks


SHELL_BLOCKS = [block for block in readme_blocks() if block.language != "yaml"]


def _id(block: Block) -> str:
    return f"README.md:{block.line}"


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site and what commands in the README read, in a folder of their own."""
    root = tmp_path_factory.mktemp("clone")
    shutil.copytree(ROOT / "example-site", root / "example-site", ignore=_ignored)
    (root / ".venv").symlink_to(BIN.parent)
    return root


def _ignored(folder: str, names: list[str]) -> list[str]:
    return [name for name in names if name in ("site", "screenshots")]


def _as_run_here(command: str, site_dir: Path) -> str:
    """A server is checked by building what it would serve."""
    if re.search(r"\bmkdocs serve\b", command):
        command = command.replace("mkdocs serve", "mkdocs build --strict").replace(" --dirty", "")
        command += f" -d {site_dir}"
    return command


def test_the_readme_has_runnable_blocks_and_every_skip_says_why() -> None:
    runnable = [block for block in SHELL_BLOCKS if block.marker in ("", "in")]
    assert len(runnable) >= 6
    for block in SHELL_BLOCKS:
        if block.marker == "skip":
            assert re.fullmatch(r"\(.{10,}\)", block.argument), _id(block)


@pytest.mark.parametrize("block", [b for b in SHELL_BLOCKS if b.marker == "template"], ids=_id)
def test_a_template_names_its_placeholders(block: Block) -> None:
    placeholders = block.argument.split()
    assert placeholders, _id(block)
    for placeholder in placeholders:
        assert placeholder in block.text, (_id(block), placeholder)


@pytest.mark.parametrize("block", [b for b in SHELL_BLOCKS if b.marker in ("", "in")], ids=_id)
def test_a_readme_command_runs_as_written(block: Block, repository: Path, tmp_path: Path) -> None:
    folder = repository / "example-site" if block.marker == "in" else repository
    assert block.marker != "in" or block.argument == "example-site", _id(block)
    environment = dict(
        os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}", NO_MKDOCS_2_WARNING="1"
    )
    for command in block.commands:
        done = subprocess.run(
            ["bash", "-c", _as_run_here(command, tmp_path / "site")],
            cwd=folder,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if block.should_fail:
            assert done.returncode != 0, (_id(block), command, done.stdout, done.stderr)
            assert "Error:" in done.stderr, (_id(block), command, done.stderr)
        else:
            assert done.returncode == 0, (_id(block), command, done.stdout, done.stderr)
            assert "Traceback" not in done.stderr, (_id(block), command)


def test_the_options_block_builds_a_site_as_it_is(tmp_path: Path) -> None:
    """The README's Options block, copied verbatim into a new site's mkdocs.yml."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Options") :]
    block = _FENCE.search(section)
    assert block is not None and block[1] == "yaml"
    (tmp_path / "docs" / "plans" / "a").mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "docs" / "plans" / "a" / "plan.yaml").write_text(
        "title: A\nstatus: Draft\n", encoding="utf-8"
    )
    config = "site_name: Options\nsite_url: https://example.com/\n" + block[2]
    assert "plugins" in yaml.safe_load(config)
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    done = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
    )
    assert done.returncode == 0, done.stderr


def test_ci_runs_the_readmes_test_command_word_for_word() -> None:
    text = README.read_text(encoding="utf-8")
    command = next(
        line
        for line in text.splitlines()
        if line.startswith("python3 -m venv .venv") and "pytest" in line
    )
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
