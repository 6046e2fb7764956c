"""Parsed plans kept from `mkdocs-techplan pages` to the Zensical build after it: used only
while nothing that shaped them changed, never able to run code, never written where the
author's files or the published site are."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import run_pages

from mkdocs_techplan import zensical
from mkdocs_techplan.build.site_config import load_site
from mkdocs_techplan.site import catalog as catalog_module
from mkdocs_techplan.site import plan_store
from mkdocs_techplan.site.catalog import PlanCatalog

PLANS = {
    "auth": "title: Sessions\nstatus: Draft\nspecification: ../../specs/auth.md\n"
    "summary: Short **sessions**.\nrisks:\n  - {risk: Outage, impact: High, probability: Low}\n",
    "keys": "title: API keys\nstatus: Approved\nauthor: Ada\ndate: 2026-01-02\n"
    "specification: ../../specs/auth.md\n",
    "notes": "title: Notes\nstatus: Draft\nowner: Ada\n",  # an unknown key: kept on the plan
}
CONFIG: dict[str, Any] = {
    "site_name": "S",
    "plugins": ["techplan"],
    "markdown_extensions": ["toc", "tables", "mkdocs_techplan.zensical"],
    "extra_css": ["assets/techplan.css"],
    "extra_javascript": ["assets/techplan.js"],
}


def _site(root: Path, **options: Any) -> Path:
    docs = root / "docs"
    for name, text in PLANS.items():
        (docs / "plans" / name).mkdir(parents=True)
        (docs / "plans" / name / "plan.yaml").write_text(text, encoding="utf-8")
    (docs / "specs").mkdir()
    (docs / "specs" / "auth.md").write_text("# Auth spec\n", encoding="utf-8")
    (docs / "index.md").write_text("# Home\n\n<!-- techplan:index -->\n", encoding="utf-8")
    config = dict(CONFIG, plugins=[{"techplan": options}] if options else ["techplan"])
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root / "mkdocs.yml"


def _store(config: Path) -> Path:
    folder = load_site(str(config)).cache_folder
    assert folder is not None
    return Path(folder) / plan_store.STORE_FILE


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The plan files parsed in this process from now on."""
    seen: list[str] = []
    load_plan = catalog_module.load_plan

    def counting(plan_file: Any, *arguments: Any) -> Any:
        seen.append(plan_file.src_uri)
        return load_plan(plan_file, *arguments)

    monkeypatch.setattr(catalog_module, "load_plan", counting)
    return seen


def _zensical_site(config: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """What the Zensical extension reads of the site, as in `zensical build`."""
    monkeypatch.chdir(config.parent)
    monkeypatch.setattr(sys, "argv", ["zensical", "build"])
    return zensical._Sites().get(str(config))


def _plans(state: Any) -> list[tuple[str, str, list[str]]]:
    return [
        (plan.source.src_uri, plan.title, [str(problem) for problem in plan.problems])
        for plan in state.result.plans
    ]


def test_the_zensical_build_uses_the_plans_pages_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[str]
) -> None:
    config = _site(tmp_path)
    assert run_pages(config).exit_code == 1  # the plan with a problem
    assert _store(config).is_file()
    parsed.clear()
    kept = _zensical_site(config, monkeypatch)
    assert parsed == []
    fresh = zensical._Sites()
    monkeypatch.setattr(plan_store, "restore_plans", lambda *arguments: 0)
    monkeypatch.setattr(zensical, "restore_plans", lambda *arguments: 0)
    assert _plans(kept) == _plans(fresh.get(str(config)))
    assert len(parsed) == len(PLANS)
    assert any(problems for _, _, problems in _plans(kept))  # problems come back with the plan


def test_a_plan_edited_after_pages_is_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[str]
) -> None:
    config = _site(tmp_path)
    run_pages(config)
    edited = tmp_path / "docs" / "plans" / "keys" / "plan.yaml"
    edited.write_text(PLANS["keys"].replace("API keys", "API keys, edited"), encoding="utf-8")
    parsed.clear()
    state = _zensical_site(config, monkeypatch)
    assert parsed == ["plans/keys/plan.yaml"]
    titles = {src_uri: title for src_uri, title, _ in _plans(state)}
    assert titles["plans/keys/plan.yaml"] == "API keys, edited"


def test_other_options_other_code_or_another_folder_parse_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[str]
) -> None:
    config = _site(tmp_path)
    run_pages(config)
    site = load_site(str(config))
    assert site.cache_folder is not None
    catalog = PlanCatalog()
    monkeypatch.chdir(tmp_path)
    assert plan_store.restore_plans(catalog, site.cache_folder, site.options_digest()) == 3
    assert plan_store.restore_plans(catalog, site.cache_folder, "other options") == 0
    monkeypatch.chdir(tmp_path / "docs")  # messages would name files from elsewhere
    assert plan_store.restore_plans(catalog, site.cache_folder, site.options_digest()) == 0
    monkeypatch.chdir(tmp_path)
    code_stamp = plan_store._code_stamp
    monkeypatch.setattr(plan_store, "_code_stamp", lambda: "another version")
    assert plan_store.restore_plans(catalog, site.cache_folder, site.options_digest()) == 0
    monkeypatch.setattr(plan_store, "_code_stamp", code_stamp)
    # A status added between `pages` and the build: everything is parsed again.
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "- techplan", "- techplan:\n    statuses: [Draft, Approved, Done]"
        ),
        encoding="utf-8",
    )
    parsed.clear()
    _zensical_site(config, monkeypatch)
    assert sorted(parsed) == sorted(f"plans/{name}/plan.yaml" for name in PLANS)


class _Runs:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> Any:
        return (os.system, (f"touch {self.marker}",))


def test_a_planted_file_cannot_run_code_and_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[str]
) -> None:
    config = _site(tmp_path)
    run_pages(config)
    store = _store(config)
    header = store.read_bytes()[: len(plan_store._HEADER)]
    marker = tmp_path / "ran"
    site = load_site(str(config))
    planted = (plan_store._code_stamp(), site.options_digest(), str(tmp_path), _Runs(str(marker)))
    store.write_bytes(header + pickle.dumps(planted))
    parsed.clear()
    state = _zensical_site(config, monkeypatch)
    assert not marker.exists()
    assert len(parsed) == len(PLANS) and len(state.result.plans) == len(PLANS)
    # a truncated file, or garbage, is ignored the same way
    for broken in (header + pickle.dumps(planted)[:20], b"not ours", b""):
        store.write_bytes(broken)
        assert plan_store.restore_plans(PlanCatalog(), str(store.parent), "x") == 0


def test_a_file_that_is_not_ours_is_never_replaced(tmp_path: Path) -> None:
    config = _site(tmp_path)
    store = _store(config)
    store.parent.mkdir(parents=True)
    store.write_text("the author's own file", encoding="utf-8")
    result = run_pages(config)
    assert "was not written by mkdocs-techplan: not replaced" in result.output
    assert store.read_text(encoding="utf-8") == "the author's own file"


def test_nothing_is_kept_in_the_docs_folder_with_check_or_when_turned_off(
    tmp_path: Path,
) -> None:
    inside = _site(tmp_path / "inside", cache_dir="docs/cache")
    result = run_pages(inside)
    assert "is inside the docs folder: the parsed plans are not kept" in result.output
    assert not (tmp_path / "inside" / "docs" / "cache").exists()
    checked = _site(tmp_path / "checked")
    run_pages(checked, "--check")
    assert not _store(checked).exists()
    off = _site(tmp_path / "off", cache=False)
    run_pages(off)
    assert load_site(str(off)).cache_folder is None
    assert not list(Path(os.environ["XDG_CACHE_HOME"]).glob("**/off/**"))
    folder = _site(tmp_path / "own", cache_dir=".plans-cache")
    run_pages(folder)
    assert (tmp_path / "own" / ".plans-cache" / plan_store.STORE_FILE).is_file()


def test_a_cache_home_that_is_not_a_path_keeps_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _site(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # ignored, as the XDG rules say
    assert load_site(str(config)).cache_folder is None
    assert run_pages(config).exit_code == 1  # the plan with a problem; the pages are written
    assert not (tmp_path / "relative").exists()


def _zensical_build(root: Path) -> dict[str, str]:
    zensical_command = shutil.which("zensical", path=os.path.dirname(sys.executable))
    assert zensical_command is not None
    done = subprocess.run(
        [zensical_command, "build", "--clean"],
        cwd=root, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    site = root / "site"
    return {
        str(path.relative_to(site)): path.read_text(encoding="utf-8")
        for path in sorted(site.rglob("*.html"))
    }


def test_a_zensical_build_gives_the_same_pages_with_the_kept_plans_as_without(
    tmp_path: Path,
) -> None:
    """The oracle: the site is the same whether the extension parsed its plans or took
    them from `pages`, and `zensical build --clean` (which empties the project's `.cache`)
    leaves them there for the next build."""
    kept = _site(tmp_path / "kept")
    fresh = _site(tmp_path / "fresh", cache=False)
    run_pages(kept)
    run_pages(fresh)
    first = _zensical_build(tmp_path / "kept")
    assert _store(kept).is_file()
    without = _zensical_build(tmp_path / "fresh")
    assert first.keys() == without.keys() and len(first) >= 5
    for page, html in first.items():
        assert html == without[page], page
    assert "Sessions" in first["plans/auth/index.html"]
