"""The adopted repositories (`tests/adopted/`) under the other engines a team builds with.

ProperDocs must give every page exactly what MkDocs gives. Zensical, with the documented
set-up (`mkdocs-techplan pages`, then `zensical build` with the `mkdocs_techplan.zensical`
extension), must give each document its page with its title, status badge and sections, the
sections' HTML as MkDocs gives them, and report no problem in the plans.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from test_adopted import (
    ADOPTED,
    CASES,
    SOURCES,
    _body,
    _expected_title,
    _heading_text,
    assert_same_sections,
    documents,
    page_file,
)

from mkdocs_techplan.markdown.escaping import commonmark_lists

BIN = Path(sys.executable).parent


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, NO_COLOR="1", NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, env=environment, timeout=600
    )


def _copy(source: str, work: Path) -> Path:
    shutil.copytree(ADOPTED / source, work, dirs_exist_ok=True)
    return work


@pytest.fixture(scope="session")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("engines")


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN))
    if found is None:  # all of them are test dependencies
        pytest.fail(f"{name} is a test dependency (pip install -e '.[test]')")
    return found


@functools.cache
def _built(root: Path, source: str, engine: str) -> Path:
    """`source`'s site built by `engine`: `mkdocs` and `properdocs` strictly; `zensical` with
    the documented set-up; `zensical-hand` by Zensical without the plugin, each document a
    hand-written page (its lists re-indented as CommonMark reads them, as in
    tests/test_adopted.py). Built once per test process, when a test first needs it."""
    work = _copy(source, root / f"{source}-{engine}")
    if engine in ("mkdocs", "properdocs"):
        done = _run([_tool(engine), "build", "-q", "--strict", "-d", str(work / "site")], work)
        assert done.returncode == 0, f"{engine} {source}: {done.stderr[-3000:]}"
        return work
    config = yaml.safe_load((work / "mkdocs.yml").read_text("utf-8"))
    if engine == "zensical":
        config.setdefault("markdown_extensions", []).append("mkdocs_techplan.zensical")
        config["extra_css"] = ["assets/techplan.css"]
        config["extra_javascript"] = ["assets/techplan.js"]
    else:
        config["plugins"] = []
        for document in documents(source):
            path = work / str(document["path"])
            path.write_text(commonmark_lists(path.read_text("utf-8")), "utf-8")
    (work / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    if engine == "zensical":
        done = _run([_tool("mkdocs-techplan"), "pages", "-f", "mkdocs.yml"], work)
        assert done.returncode == 0, f"pages {source}: {done.stdout}{done.stderr}"
    # Not `--strict`: Zensical also fails it on the documents' own links to files these copies
    # do not hold (EIPs link EIPs), which MkDocs' `validation` lets them keep. The plans' own
    # problems are checked from what the extension logs.
    done = _run([_tool("zensical"), "build", "--clean"], work)
    assert done.returncode == 0, f"{engine} {source}: {done.stdout[-3000:]}{done.stderr}"
    (work / "zensical.log").write_text(done.stdout + done.stderr, "utf-8")
    return work


@pytest.mark.parametrize("source", SOURCES)
def test_properdocs_builds_every_page_as_mkdocs_does(work: Path, source: str) -> None:
    mkdocs_site = _built(work, source, "mkdocs") / "site"
    properdocs_site = _built(work, source, "properdocs") / "site"
    pages = sorted(path.relative_to(mkdocs_site) for path in mkdocs_site.rglob("index.html"))
    assert pages == sorted(
        path.relative_to(properdocs_site) for path in properdocs_site.rglob("index.html")
    )
    for page in pages:
        ours, theirs = (
            BeautifulSoup((site / page).read_text("utf-8"), "html.parser").find("div", role="main")
            for site in (mkdocs_site, properdocs_site)
        )
        assert str(ours) == str(theirs), f"{source}: {page} differs"


@pytest.mark.parametrize(("source", "document"), CASES, ids=[f"{s}:{d['path']}" for s, d in CASES])
def test_zensical_builds_each_document_as_a_hand_written_page(
    work: Path, source: str, document: dict[str, object]
) -> None:
    """The oracle of tests/test_adopted.py under Zensical: the document's sections exactly as
    the same Markdown shows on a hand-written page of the same Zensical site."""
    site = _built(work, source, "zensical")
    path = str(document["path"])
    article = _browser_page(site, path).find("article")
    assert article is not None, f"{path}: no page"
    title = _expected_title(site, document)
    if title:
        assert _heading_text(article.find("h1")) == title
    assert article.select(".techplan-badge"), "the status badge"
    mine = _sections(article)
    first = BeautifulSoup("".join(mine[:1]), "html.parser").find(["h1", "h2"])
    theirs = _sections(
        _browser_page(_built(work, source, "zensical-hand"), path).find("article"),
        _heading_text(first) if first else None,
    )
    assert_same_sections(mine, theirs)


def _browser_page(site: Path, path: str) -> BeautifulSoup:
    """A Zensical page as a browser builds it: Zensical writes a code block that follows a
    paragraph line inside the paragraph (`<p>text<div class="highlight">`), which a browser
    closes before the block, as the plugin's sanitized HTML already does."""
    return BeautifulSoup(page_file(site, path).read_text("utf-8"), "html5lib")


def _sections(article: Tag, starting_at: str | None = None) -> list[str]:
    """`_body` of a Zensical page: its `<article>` read as MkDocs' main `<div>`."""
    wrapped = f'<div role="main">{article.decode_contents()}</div>'
    return _body(BeautifulSoup(wrapped, "html.parser"), starting_at)


@pytest.mark.parametrize("source", SOURCES)
def test_zensical_reports_no_problem_in_the_plans(work: Path, source: str) -> None:
    log = (_built(work, source, "zensical") / "zensical.log").read_text("utf-8")
    # The extension logs each problem as `file:line:col: message` on a line of its own.
    problems = [line for line in log.splitlines() if re.match(r"\S+:\d+:\d+: ", line)]
    assert not problems, problems[:5]
    assert "techplan:" not in log
