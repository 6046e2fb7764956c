"""Fuzzing `mkdocs-techplan pages` and the site's options: Hypothesis plants trees of
look-alike pages, symbolic links, leftovers and broken manifests, and writes option sets from
hostile pieces. `pages` changes nothing outside the docs folder and nothing of the author's,
and no option set is a traceback: a site either loads or says what is wrong.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_techplan.build.site_config import SiteError, load_site
from mkdocs_techplan.cli.main import main
from mkdocs_techplan.site.generated_pages import GENERATED_LINE
from mkdocs_techplan.site.written_files import MANIFEST

EXAMPLES = int(os.environ.get("TECHPLAN_FUZZ_EXAMPLES", "12"))
PLAN = "title: P\nstatus: Draft\n"
PATHS = [
    "plans/a/index.md", "plans/index.md", "plans/plans.json", "plans/a/status.svg",
    "assets/techplan.css", "assets", "plans/a", "plans/b/index.md", "guide.md",
    "plans/a/.index.md.0123456789abcdef.techplan-tmp", "plans/a/index.md.techplan-tmp", MANIFEST,
]  # fmt: skip
CONTENTS = [
    f"# Mine\n\n```\n{GENERATED_LINE}\n```\n", GENERATED_LINE + "\n", "mine", "",
    '{"version": 1, "files": {"guide.md": "00"}}', '{"files": {"../outside/victim": "x"}}',
    "not json",
]  # fmt: skip
planted = st.lists(
    st.tuples(
        st.sampled_from(PATHS),
        st.one_of(st.sampled_from(CONTENTS), st.sampled_from(["@link-file", "@link-dir"])),
    ),
    max_size=6,
    unique_by=lambda pair: pair[0],
)


def _snapshot(root: Path) -> dict[str, bytes | str]:
    found: dict[str, bytes | str] = {}
    for folder, subfolders, names in os.walk(root):
        for name in subfolders + names:
            path = Path(folder) / name
            if path.is_symlink():
                found[str(path.relative_to(root))] = "-> " + os.readlink(path)
            elif path.is_file():
                found[str(path.relative_to(root))] = path.read_bytes()
    return found


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(planted=planted, twice=st.booleans())
def test_pages_touches_only_what_it_wrote(planted: list[tuple[str, str]], twice: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        outside = root / "outside"
        outside.mkdir()
        (outside / "victim").write_text("precious", encoding="utf-8")
        docs = root / "docs"
        (docs / "plans" / "a").mkdir(parents=True)
        (docs / "plans" / "a" / "plan.yaml").write_text(PLAN, encoding="utf-8")
        (docs / "index.md").write_text("# Home\n", encoding="utf-8")
        config = root / "mkdocs.yml"
        settings = {"site_name": "S", "plugins": ["techplan"], "extra_css": ["assets/techplan.css"]}
        config.write_text(yaml.safe_dump(settings), "utf-8")
        authors: set[str] = set()
        for path, content in planted:
            target = docs / path
            if target.exists() or target.is_symlink():
                continue
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except (FileExistsError, NotADirectoryError):
                continue  # a file planted where this one's folder would be
            if not target.parent.is_dir() or target.parent.is_symlink():
                continue
            if content == "@link-file":
                os.symlink(outside / "victim", target)
            elif content == "@link-dir":
                os.symlink(outside, target)
            else:
                target.write_text(content, encoding="utf-8")
            authors.add(path)
        outside_before = _snapshot(outside)
        docs_before = _snapshot(docs)
        runner = CliRunner()
        for _ in range(2 if twice else 1):
            result = runner.invoke(main, ["pages", "-f", str(config)])
            assert result.exit_code in (0, 1), result.output
            assert result.exception is None or isinstance(result.exception, SystemExit)
        assert _snapshot(outside) == outside_before
        after = _snapshot(docs)
        leftover = ".index.md.0123456789abcdef.techplan-tmp"
        for path in authors:
            if path in (MANIFEST, f"plans/a/{leftover}"):
                continue  # the command's own record and leftovers are its to replace
            if any(path == other or path.startswith(other + "/") for other in [MANIFEST]):
                continue
            if isinstance(docs_before.get(path), bytes) or str(
                docs_before.get(path, "")
            ).startswith("->"):
                assert after.get(path) == docs_before.get(path), path
        shutil.rmtree(root, ignore_errors=True)


option_value = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(-5, 10**20), st.text(max_size=8),
        st.sampled_from(["kep", "rfc", "index", "all", "#ffffff", "people", "table", "Draft"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)  # fmt: skip
OPTIONS = [
    "preset", "fields", "sections", "statuses", "index", "navigation", "status_rules",
    "not_current", "risk_levels", "max_file_size", "allow_html", "template", "feed",
]  # fmt: skip


@settings(max_examples=EXAMPLES * 8, deadline=None)
@given(options=st.dictionaries(st.sampled_from(OPTIONS), option_value, max_size=4))
def test_any_option_set_loads_or_says_what_is_wrong(options: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "docs").mkdir()
        config = root / "mkdocs.yml"
        config.write_text(
            yaml.safe_dump({"site_name": "S", "plugins": [{"techplan": options}]}), "utf-8"
        )
        try:
            load_site(str(config))
        except SiteError as error:
            assert str(error).startswith(str(config))
