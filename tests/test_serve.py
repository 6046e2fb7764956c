"""`mkdocs serve`: rebuilds after edits, the way the development server drives them.

`mkdocs serve` loads `mkdocs.yml` afresh for every rebuild, but keeps the instance of a plugin
that defines `on_startup` (techplan does, to keep parsed plans). `Serving` does the same:
`on_startup` once, then `load_config` and `build` for each rebuild, into one site folder,
with the files edited in between as an author would.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from conftest import SiteBuilder
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from mkdocs_techplan.render.safety import ConvertedCells, PlanHtml

SERVE_URL = "http://127.0.0.1:8000/"


class Serving:
    """A site being served: rebuild after each edit, as `mkdocs serve` does."""

    def __init__(self, site: SiteBuilder, *, dirty: bool = False, **config: Any) -> None:
        self.site = site
        self.dirty = dirty
        self.site_dir = site.root / "served"
        self.config_file = site.root / "mkdocs.yml"
        settings = {"site_name": "Served", "theme": {"name": "mkdocs"}, "plugins": ["techplan"]}
        self.config_file.write_text(yaml.safe_dump({**settings, **config}), encoding="utf-8")
        with _inside(site.root):
            first = self._load()
            first.plugins.on_startup(command="serve", dirty=dirty)
        self.plugin = first.plugins["techplan"]
        self.messages: list[str] = []

    def _load(self) -> MkDocsConfig:
        config = load_config(str(self.config_file), site_dir=str(self.site_dir))
        config.site_url = SERVE_URL
        return config

    def rebuild(self) -> list[str]:
        """One rebuild; the warnings it logged."""
        handler = _Collect()
        logging.getLogger("mkdocs").addHandler(handler)
        try:
            with _inside(self.site.root):
                config = self._load()
                # The instance that served the last build serves this one: state carries over.
                assert config.plugins["techplan"] is self.plugin
                build(config, serve_url=SERVE_URL, dirty=self.dirty)
        finally:
            logging.getLogger("mkdocs").removeHandler(handler)
        return handler.warnings

    def page(self, path: str) -> Tag:
        soup = BeautifulSoup((self.site_dir / path).read_text(encoding="utf-8"), "html.parser")
        content = soup.select_one('[role="main"]') or soup.select_one("article")
        assert content is not None
        return content


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.warnings.append(record.getMessage())


class _inside:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __enter__(self) -> None:
        self.previous = os.getcwd()
        os.chdir(self.folder)

    def __exit__(self, *exc: object) -> None:
        os.chdir(self.previous)


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _plan(title: str, status: str = "Draft") -> str:
    """A plan any status accepts (Approved asks for an author, a date and a revision)."""
    return (
        f"title: {title}\nstatus: {status}\nauthor: Ada\ndate: 2026-11-02\n"
        "specification: ../../specs/auth.md\n"
        "revisions: [{version: '1.0', date: 2026-11-02, author: Ada, changes: First}]\n"
    )


@pytest.fixture
def serving(site: SiteBuilder) -> Iterator[Serving]:
    site.write("specs/auth.md", "# Authentication spec\n\nThe spec.\n")
    site.write("plans/auth/plan.yaml", _plan("Sessions", "Draft"))
    site.write("plans/keys/plan.yaml", _plan("API keys", "Approved"))
    yield Serving(site)


def _index_rows(serving: Serving) -> list[tuple[str, str]]:
    table = serving.page("plans/index.html").select_one("table")
    assert table is not None
    rows = []
    for row in table.select("tbody tr"):
        cells = row.find_all("td")
        badge = row.select_one(".techplan-badge")
        rows.append((cells[0].get_text(strip=True), badge.get_text(strip=True) if badge else ""))
    return sorted(rows)


def _backlinks(serving: Serving) -> list[tuple[str, str]]:
    heading = serving.page("specs/auth/index.html").find("h2", string="Implementation plans")
    assert heading is not None
    items = heading.find_next("ul").find_all("li", recursive=False)
    return sorted(
        (item.find("a").get_text(strip=True), item.select_one(".techplan-badge").get_text())
        for item in items
    )


def _title(serving: Serving, path: str) -> str:
    return serving.page(path).h1.get_text(strip=True)


def test_editing_a_plan_updates_its_page_the_index_and_backlinks(serving: Serving) -> None:
    assert serving.rebuild() == []
    assert _title(serving, "plans/auth/index.html") == "Technical Plan: Sessions"
    assert _index_rows(serving) == [("API keys", "Approved"), ("Sessions", "Draft")]
    assert _backlinks(serving) == [("API keys", "Approved"), ("Sessions", "Draft")]

    serving.site.write("plans/auth/plan.yaml", _plan("Session tokens", "In Review"))
    assert serving.rebuild() == []
    assert _title(serving, "plans/auth/index.html") == "Technical Plan: Session tokens"
    assert _index_rows(serving) == [("API keys", "Approved"), ("Session tokens", "In Review")]
    assert _backlinks(serving) == [("API keys", "Approved"), ("Session tokens", "In Review")]


def test_invalid_yaml_keeps_serving_shows_the_error_on_the_page_and_fixing_it_restores_it(
    serving: Serving,
) -> None:
    serving.rebuild()
    serving.site.write("plans/auth/plan.yaml", "title: [Sessions\nstatus: Draft\n")
    warnings = serving.rebuild()  # no exception: the server stays up
    message = (
        "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence that "
        "starts at line 1, column 8); a value that starts with `[` is a YAML list: close it "
        "with `]`, or, if it is text (a Markdown link such as `[#335](https://…)`), put the "
        "whole value in double quotes"
    )
    assert warnings == [f"mkdocs_techplan: docs/plans/auth/plan.yaml:2:7: {message}"]
    box = serving.page("plans/auth/index.html").select_one(".techplan-problems")
    assert box is not None
    assert [" ".join(item.get_text().split()) for item in box.select("li")] == [
        f"2:7 {message.replace('`', '')}"  # code spans shown as code on the page
    ]
    # The rest of the site is still there, and the broken plan is still listed.
    assert _title(serving, "plans/keys/index.html") == "Technical Plan: API keys"
    assert len(_index_rows(serving)) == 2

    serving.site.write("plans/auth/plan.yaml", _plan("Sessions", "Draft"))
    assert serving.rebuild() == []
    page = serving.page("plans/auth/index.html")
    assert page.select_one(".techplan-problems") is None
    assert page.h1.get_text(strip=True) == "Technical Plan: Sessions"
    assert _backlinks(serving) == [("API keys", "Approved"), ("Sessions", "Draft")]


def test_ten_rebuilds_leave_no_trace_of_each_other(serving: Serving) -> None:
    serving.site.write(
        "plans/broken/plan.yaml",
        "title: Broken\nstatus: Nope\nspecification: ../../specs/missing.md\n",
    )
    serving.rebuild()
    first = {
        path: (serving.site_dir / path).read_bytes()
        for path in ("plans/auth/index.html", "plans/index.html", "specs/auth/index.html")
    }
    for round_number in range(10):
        # An edit that changes nothing visible: the pages must come out the same each time.
        edited = _plan("API keys", "Approved") + f"# edit {round_number}\n"
        serving.site.write("plans/keys/plan.yaml", edited)
        warnings = serving.rebuild()
        assert len(warnings) == 2  # the broken plan's status and reference, once each
        assert len(_index_rows(serving)) == 3
        assert len(_backlinks(serving)) == 2
        problems = serving.page("plans/broken/index.html").select(".techplan-problems li")
        assert len(problems) == 2
    for path, content in first.items():
        assert (serving.site_dir / path).read_bytes() == content, path


def test_deleting_and_adding_plans_between_rebuilds(serving: Serving) -> None:
    serving.rebuild()
    (serving.site.docs / "plans/keys/plan.yaml").unlink()
    serving.site.write("plans/new/plan.yaml", _plan("New plan"))
    serving.rebuild()
    assert _index_rows(serving) == [("New plan", "Draft"), ("Sessions", "Draft")]
    assert _backlinks(serving) == [("New plan", "Draft"), ("Sessions", "Draft")]


def test_serving_never_writes_into_the_docs_folder(serving: Serving) -> None:
    for edit in (_plan("One"), "title: [broken\n", _plan("Two", "Approved")):
        serving.site.write("plans/auth/plan.yaml", edit)
        before = _digest(serving.site.docs)
        serving.rebuild()
        assert _digest(serving.site.docs) == before


# `mkdocs serve --dirty`: MkDocs rebuilds only the pages it is told were modified, so every page
# an edit of a plan shows up on must be among them, and the others must not.

_DIRTY_WARNING = "A 'dirty' build is being performed"


def _partial_site(site: SiteBuilder) -> None:
    site.write("specs/auth.md", "# Authentication spec\n\nThe spec.\n")
    site.write("specs/tokens.md", "# Token spec\n\nThe other spec.\n")
    site.write("about.md", "# About\n\nNo plans here.\n")
    site.write("overview.md", '# Overview\n\n<!-- techplan:index status="Draft" -->\n')
    site.write("plans/auth/plan.yaml", _sessions("Draft", "specs/auth.md"))
    site.write("plans/keys/plan.yaml", _plan("API keys", "Approved"))
    site.write("plans/legacy/plan.yaml", _plan("Legacy login", "Approved"))


def _sessions(status: str, specification: str) -> str:
    plan = _plan("Sessions", status).replace("specs/auth.md", specification)
    return plan + "supersedes: ../legacy/plan.yaml\n"


def _built(serving: Serving) -> dict[str, int]:
    """Each page's modification time, to tell which pages a rebuild wrote."""
    return {
        str(path.relative_to(serving.site_dir)): path.stat().st_mtime_ns
        for path in serving.site_dir.rglob("index.html")
    }


def _rewritten(serving: Serving, before: dict[str, int]) -> set[str]:
    return {path for path, mtime in _built(serving).items() if before.get(path) != mtime}


def _rebuild_later(serving: Serving) -> list[str]:
    # A later modification time than the pages written by the last build, on any file system.
    time.sleep(0.02)
    return [message for message in serving.rebuild() if _DIRTY_WARNING not in message]


def _listed(serving: Serving, path: str) -> list[str]:
    rows = serving.page(path).select("table tbody tr")  # no table when no plan is listed
    return sorted(row.find("td").get_text(strip=True) for row in rows)


def test_a_dirty_rebuild_redoes_every_page_an_edited_plan_shows_on_and_no_other(
    site: SiteBuilder,
) -> None:
    _partial_site(site)
    serving = Serving(site, dirty=True, plugins=[{"techplan": {"navigation": "index"}}])
    assert _rebuild_later(serving) == []
    assert _backlinks(serving) == [
        ("API keys", "Approved"), ("Legacy login", "Approved"), ("Sessions", "Draft")
    ]  # fmt: skip
    assert _listed(serving, "overview/index.html") == ["Sessions"]
    before = _built(serving)

    # Status and specification of one plan change: Sessions leaves the Draft listing and the
    # auth spec's backlinks, and joins the token spec's.
    edited = _sessions("In Review", "specs/tokens.md")
    site.write("plans/auth/plan.yaml", edited)
    assert _rebuild_later(serving) == []
    assert _rewritten(serving, before) == {
        "plans/auth/index.html",  # the plan
        "plans/index.html",  # the index
        "plans/graph/index.html",  # the relations graph, made every build as the index
        "overview/index.html",  # a page listing Draft plans
        "specs/auth/index.html",  # the spec it left
        "specs/tokens/index.html",  # the spec it points to now
        "plans/legacy/index.html",  # the plan it supersedes
    }
    badge = serving.page("plans/auth/index.html").select_one(".techplan-badge")
    assert badge is not None and badge.get_text(strip=True) == "In Review"
    assert ("Sessions", "In Review") in _index_rows(serving)
    assert _listed(serving, "overview/index.html") == []
    assert _backlinks(serving) == [("API keys", "Approved"), ("Legacy login", "Approved")]
    tokens = serving.page("specs/tokens/index.html").find("h2", string="Implementation plans")
    assert tokens is not None
    assert [item.get_text(strip=True) for item in tokens.find_next("ul").find_all("a")] == [
        "Sessions"
    ]

    # An edit nothing shows (a comment) rebuilds nothing but the pages made every build.
    before = _built(serving)
    site.write("plans/auth/plan.yaml", edited + "# reviewed\n")
    assert _rebuild_later(serving) == []
    assert _rewritten(serving, before) == {"plans/index.html", "plans/graph/index.html"}


def test_a_dirty_rebuild_redoes_every_page_when_a_plan_title_in_the_navigation_changes(
    site: SiteBuilder,
) -> None:
    _partial_site(site)
    serving = Serving(site, dirty=True)  # every plan in the navigation
    assert _rebuild_later(serving) == []
    before = _built(serving)
    site.write("plans/keys/plan.yaml", _plan("API keys", "Approved") + "# reviewed\n")
    assert _rebuild_later(serving) == []
    assert _rewritten(serving, before) == {"plans/index.html", "plans/graph/index.html"}

    site.write("plans/keys/plan.yaml", _plan("Service keys", "Approved"))
    assert _rebuild_later(serving) == []
    assert _rewritten(serving, before) == set(before)
    navigation = serving.page("about/index.html").find_parent("body")
    assert navigation is not None and "Service keys" in navigation.get_text()


_DEPENDS_ON_LEGACY = "depends_on: ../legacy/plan.yaml\n"


def test_a_dirty_rebuild_renders_only_the_plan_pages_made_from_something_new(
    site: SiteBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page whose plan, links, problems, blocks and templates are what they were is known
    to be unchanged without rendering it; an edited template renders every page again."""
    from mkdocs_techplan.render.renderer import PlanRenderer

    rendered: list[str] = []
    render = PlanRenderer.render

    def counted(self: PlanRenderer, page: Any) -> str:
        rendered.append(page.plan.source.src_uri)
        return render(self, page)

    monkeypatch.setattr(PlanRenderer, "render", counted)
    _partial_site(site)
    site.write("plans/keys/plan.yaml", _plan("API keys", "Approved") + _DEPENDS_ON_LEGACY)
    site.write("templates/plan.md.j2", '{% extends "techplan/plan.md.j2" %}\n')
    serving = Serving(
        site,
        dirty=True,
        plugins=[{"techplan": {"navigation": "index", "template": "docs/templates/plan.md.j2"}}],
    )
    assert _rebuild_later(serving) == []
    rendered.clear()
    site.write("plans/keys/plan.yaml", _plan("API keys", "In Review") + _DEPENDS_ON_LEGACY)
    assert _rebuild_later(serving) == []
    # Keys, and Legacy, which lists Keys with its status as a plan depending on it; not
    # Sessions, which relates to neither.
    assert sorted(set(rendered)) == ["plans/keys/plan.yaml", "plans/legacy/plan.yaml"]
    badge = serving.page("plans/keys/index.html").select_one(".techplan-badge")
    assert badge is not None and badge.get_text(strip=True) == "In Review"

    rendered.clear()
    site.write("plans/legacy/plan.yaml", _plan("Legacy login", "Draft"))
    assert _rebuild_later(serving) == []
    # Legacy, and Keys, which depends on it and shows its status.
    assert sorted(set(rendered)) == ["plans/keys/plan.yaml", "plans/legacy/plan.yaml"]
    dependency = serving.page("plans/keys/index.html").find("a", string="Legacy login")
    assert dependency is not None
    badge = dependency.find_next(class_="techplan-badge")
    assert badge is not None and badge.get_text(strip=True) == "Draft"

    rendered.clear()
    site.write(
        "templates/plan.md.j2",
        '{% extends "techplan/plan.md.j2" %}\n'
        "{% block architecture %}Reviewed by the board.\n\n{{ super() }}{% endblock %}\n",
    )
    assert _rebuild_later(serving) == []
    assert sorted(set(rendered)) == [
        "plans/auth/plan.yaml", "plans/keys/plan.yaml", "plans/legacy/plan.yaml"
    ]  # fmt: skip
    assert "Reviewed by the board." in serving.page("plans/keys/index.html").get_text()


def test_a_dirty_rebuild_rewrites_only_the_generated_files_that_changed(site: SiteBuilder) -> None:
    """MkDocs counts generated content as always modified; a badge, `plans.json` or the
    stylesheet whose content is what the site folder holds is not written again."""
    _partial_site(site)
    serving = Serving(site, dirty=True, plugins=[{"techplan": {"navigation": "index"}}])
    assert _rebuild_later(serving) == []

    def written() -> dict[str, int]:
        return {
            str(path.relative_to(serving.site_dir)): path.stat().st_mtime_ns
            for path in serving.site_dir.rglob("*")
            if (path.suffix in (".svg", ".json", ".css", ".js") and "techplan" in str(path))
            or path.name in ("status.svg", "plans.json")
        }

    before = written()
    assert "plans/keys/status.svg" in before and "plans/plans.json" in before
    site.write("plans/keys/plan.yaml", _plan("API keys", "In Review"))
    assert _rebuild_later(serving) == []
    after = written()
    assert {path for path in before if after[path] != before[path]} == {
        "plans/keys/status.svg",  # its status changed
        "plans/plans.json",  # which lists it
    }
    badge = (serving.site_dir / "plans/keys/status.svg").read_text(encoding="utf-8")
    assert "In Review" in badge


# A dirty rebuild converts only the listing cells that changed (`safety.ConvertedCells`).

_CELL = re.compile(r"^techplanblock[0-9a-f]+x[0-9]+ ", re.MULTILINE)


def _summary_plan(title: str, summary: str) -> str:
    return _plan(title) + f"summary: {json.dumps(summary)}\n"


def _cells_converted(serving: Serving, page: str) -> Callable[[], list[str]]:
    """The listing cells left in `page`'s Markdown for MkDocs to convert, build by build."""
    seen: list[str] = []
    reuse = serving.plugin.plan_html.reuse_cells

    def recording(src_uri: str, markdown: str) -> str:
        result = reuse(src_uri, markdown)
        if src_uri == page:
            seen.append(result)
        return result

    serving.plugin.plan_html.reuse_cells = recording
    return lambda: [line for line in _CELL.findall(seen[-1])] if seen else []


def _fresh_index(site: SiteBuilder, **config: Any) -> Tag:
    """The index page of a full build of the same docs, by a plugin that never served."""
    fresh = Serving(site, **config)
    fresh.site_dir = site.root / "fresh"
    fresh.rebuild()
    return fresh.page("plans/index.html")


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
def test_a_dirty_rebuild_converts_only_the_index_cells_that_changed(
    site: SiteBuilder, theme: str
) -> None:
    site.write("specs/auth.md", "# Authentication spec\n\nThe spec.\n")
    for number in range(6):
        summary = f"Plan *{number}* reads [the spec](../../specs/auth.md) and `code`."
        site.write(f"plans/p{number}/plan.yaml", _summary_plan(f"Plan {number}", summary))
    config = {"theme": {"name": theme}, "plugins": [{"techplan": {"navigation": "index"}}]}
    serving = Serving(site, dirty=True, **config)
    converted = _cells_converted(serving, "plans/index.md")
    assert _rebuild_later(serving) == []
    every = len(converted())
    assert every >= 12  # a link and a summary per plan, at least

    site.write("plans/p3/plan.yaml", _summary_plan("Plan 3", "Now **changed**, see `x`."))
    assert _rebuild_later(serving) == []
    changed = converted()
    assert 0 < len(changed) < every / 3  # the edited plan's row, not the others
    index = serving.page("plans/index.html")
    assert "Now changed, see x." in index.get_text()
    assert index == _fresh_index(site, **config)

    # A new page the cells' links may point to: every cell is converted again.
    site.write("specs/other.md", "# Other\n")
    assert _rebuild_later(serving) == []
    assert len(converted()) == every
    assert serving.page("plans/index.html") == _fresh_index(site, **config)


@pytest.mark.parametrize(
    ("cells", "reused"),
    [
        (["[Plan](a.md)", "One *line*."], True),
        (["[Plan](a.md)", "Two lines,\n[x]: https://example.com/ defines a link."], False),
        (["[Plan](a.md)", "A footnote[^1]."], False),
    ],
    ids=["one-line", "several-lines", "footnote"],
)
def test_cells_that_may_change_other_cells_are_always_converted(
    cells: list[str], reused: bool
) -> None:
    """A cell of several lines may define a link or an abbreviation other cells use, and
    footnotes are numbered across the page: a page with such a cell converts them all."""
    plan_html = PlanHtml()
    plan_html.converted = ConvertedCells()
    plan_html.converted.site("this site")
    markdown = "# Page\n\n" + plan_html.defer("<table>slots</table>", cells) + "\n"
    assert plan_html.reuse_cells("page.md", markdown) == markdown  # nothing converted yet
    for cell in cells:
        plan_html.converted.remember("page.md", cell, f"<em>{cell}</em>")
    again = plan_html.reuse_cells("page.md", markdown)
    assert (_CELL.findall(again) == []) is reused
    assert (again == markdown) is not reused
    # The page's Markdown around its cells changed: nothing is reused.
    other = markdown.replace("# Page", "# Other")
    assert plan_html.reuse_cells("page.md", other) == other
