"""Repositories adopted as they stand: real design documents, byte for byte as their
repositories hold them (`tests/adopted/<source>/`, each with its SOURCE.md: repository, commit,
licence), built strictly with the configuration a team adopting the plugin would write.

Each page must show the document's title, its status badge, every `##` heading in the
author's order, and no Markdown or HTML as text; the index lists every document.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from mkdocs_techplan.markdown.escaping import commonmark_lists
from mkdocs_techplan.markdown.reader import inline_text, split_row
from mkdocs_techplan.render.safety import sanitize_html

ADOPTED = Path(__file__).parent / "adopted"
SOURCES = sorted(path.name for path in ADOPTED.iterdir() if (path / "mkdocs.yml").is_file())

# Signs that Markdown or HTML meant to render was shown as text instead (outside code).
SHOWN_AS_TEXT = [
    (r"(?m)^[ \t]*#{1,6} \S", "a Markdown heading"),
    (r"\|[ \t]*:?-{3,}[ \t]*\|", "a table delimiter row"),
    (r"```|~~~", "a code fence"),
    (r"<!--", "an HTML comment"),
    (r"&#\d+;|&#x[0-9a-fA-F]+;|&amp;|&lt;|&gt;", "a character reference (double escaping)"),
    (r"\*\*\w", "bold markers"),
    (r"\]\((?:https?:|\.|#)", "a link's target"),
]


def documents(source: str) -> list[dict[str, object]]:
    """The facts SOURCE.md records of each document (title, `##` headings in order)."""
    text = (ADOPTED / source / "SOURCE.md").read_text(encoding="utf-8")
    found = re.findall(r"```json\n(.*?)\n```", text, re.DOTALL)
    return [entry for entry in json.loads(found[-1]) if str(entry["path"]).endswith(".md")]


def _build(work: Path, *, strict: bool = True) -> None:
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(work / "site")]
    result = subprocess.run(
        command + (["--strict"] if strict else []), cwd=work, capture_output=True, text=True
    )
    assert result.returncode == 0, f"{work.name}: {result.stderr}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    sites = {}
    for source in SOURCES:
        work = tmp_path_factory.mktemp(source)
        shutil.copytree(ADOPTED / source, work, dirs_exist_ok=True)
        _build(work)
        sites[source] = work
    return sites


@pytest.fixture(scope="module")
def hand_written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same sites without the plugin: each document a hand-written page, its lists
    re-indented as CommonMark reads them (the one difference the format allows)."""
    sites = {}
    for source in SOURCES:
        work = tmp_path_factory.mktemp(source + "-hand")
        shutil.copytree(ADOPTED / source, work, dirs_exist_ok=True)
        config = yaml.safe_load((work / "mkdocs.yml").read_text("utf-8"))
        config["plugins"] = []
        (work / "mkdocs.yml").write_text(yaml.safe_dump(config), "utf-8")
        for document in documents(source):
            path = work / str(document["path"])
            path.write_text(commonmark_lists(path.read_text("utf-8")), "utf-8")
        _build(work, strict=False)
        sites[source] = work
    return sites


def page_file(site: Path, path: str) -> Path:
    """The built page of the document at `path` (`docs/…`)."""
    uri = path.removeprefix("docs/").removesuffix(".md")
    if uri.endswith("/README"):
        uri = uri.removesuffix("/README")
    return site / "site" / uri / "index.html"


def _page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup(page_file(site, path).read_text("utf-8"), "html.parser")


def _expected_title(site: Path, document: dict[str, object]) -> str:
    path = str(document["path"])
    companion = site / Path(path).parent / "kep.yaml"
    if path.endswith("README.md") and companion.is_file():
        return str(yaml.safe_load(companion.read_text("utf-8"))["title"])
    front = re.match(r"---\n(.*?)\n---\n", (site / path).read_text("utf-8"), re.DOTALL)
    if front and "title" in (yaml.safe_load(front[1]) or {}):
        return str(yaml.safe_load(front[1])["title"])
    return str(document["title"] or "")


def _visible(element: BeautifulSoup) -> str:
    for hidden in element.find_all(["code", "pre", "script", "style"]):
        hidden.decompose()
    return element.get_text("\n")


def recorded_digests(source: str) -> dict[str, str]:
    """Each file's sha256 as SOURCE.md records it: under its `### `docs/…`` entry, or in a
    table row `| `docs/…` | … | <sha256> |`."""
    text = (ADOPTED / source / "SOURCE.md").read_text(encoding="utf-8")
    recorded = dict(re.findall(r"(?m)^\| `(docs/[^`]+)` \|.*\| ([0-9a-f]{64}) \|$", text))
    for entry in re.split(r"(?m)^### ", text)[1:]:
        path = re.match(r"`(docs/[^`]+)`\n", entry)
        digest = re.search(r"sha256: `([0-9a-f]{64})`", entry)
        if path and digest:
            recorded[path[1]] = digest[1]
    return recorded


@pytest.mark.parametrize("source", SOURCES)
def test_documents_are_byte_for_byte_what_their_repositories_hold(source: str) -> None:
    """Every file under `docs/` has the digest SOURCE.md records for the repository's bytes:
    an editor or a tool that expands tabs or trims trailing spaces cannot change them
    unnoticed."""
    recorded = recorded_digests(source)
    files = sorted(
        path.relative_to(ADOPTED / source).as_posix()
        for path in (ADOPTED / source / "docs").rglob("*")
        if path.is_file()
    )
    assert files and sorted(recorded) == files
    for path in files:
        digest = hashlib.sha256((ADOPTED / source / path).read_bytes()).hexdigest()
        assert digest == recorded[path], f"{source}/{path} is not the repository's file"


CASES = [(source, document) for source in SOURCES for document in documents(source)]


def test_corpus_is_wide() -> None:
    assert len(CASES) >= 20
    assert len(SOURCES) >= 6


@pytest.mark.parametrize(("source", "document"), CASES, ids=[f"{s}:{d['path']}" for s, d in CASES])
def test_document_builds_as_written(
    built: dict[str, Path], hand_written: dict[str, Path], source: str, document: dict[str, object]
) -> None:
    site = built[source]
    page = _page(site, str(document["path"]))
    article = page.find("div", role="main") or page.find("article") or page.body
    h1 = article.find("h1").get_text().rstrip("¶").strip()
    title = _expected_title(site, document)
    if title:
        assert h1 == title
    assert article.select(".techplan-badge"), "the status badge"
    headings = [h.get_text().rstrip("¶").strip() for h in article.find_all("h2")]
    wanted = [re.sub(r"<!--.*?-->", "", str(h)).removeprefix("## ").strip() for h in document["h2"]]  # type: ignore[union-attr]
    position = 0
    for heading in wanted:
        # As the heading shows: a link (`## [Part 1][part1]`) is its text.
        linked = re.sub(r"\[([^\]]*)\](?:\[[^\]]*\]|\([^)]*\))", r"\1", heading)
        shown = re.sub(r"[`*]", "", linked)
        assert shown in headings[position:], f"`{heading}` in order among {headings}"
        position = headings.index(shown, position) + 1
    other = _page(hand_written[source], str(document["path"]))
    # Nothing the author wrote is dropped: each heading of the hand-written page is on the
    # plugin's page, the title heading as the page's title.
    levels = ["h1", "h2", "h3", "h4", "h5", "h6"]
    on_page = {h.get_text().rstrip("¶").strip() for h in article.find_all(levels)}
    for heading in (other.find("div", role="main") or other.body).find_all(levels):
        written = heading.get_text().rstrip("¶").strip()
        title = (
            heading.name == "h1"
            and " ".join(h1.split()).casefold() in " ".join(written.split()).casefold()
        )
        assert written in on_page or title, f"`{written}` dropped"
    # Markdown shown as text, where a hand-written page of the same site renders it (a fence
    # whose info string Python-Markdown does not read shows as text there too).
    text = _visible(article)
    theirs = _visible(other.find("div", role="main") or other.body)
    for pattern, what in SHOWN_AS_TEXT:
        mine = len(re.findall(pattern, text))
        assert mine <= len(re.findall(pattern, theirs)), f"{what} shown as text"


@pytest.mark.parametrize("source", SOURCES)
def test_index_lists_every_document(built: dict[str, Path], source: str) -> None:
    data = json.loads((built[source] / "site" / "plans" / "plans.json").read_text("utf-8"))
    assert len(data["plans"]) == len(documents(source))
    assert all(plan["status"] for plan in data["plans"])


def _heading_text(heading: Tag) -> str:
    return heading.get_text().rstrip("¶").strip()


def _body(page: BeautifulSoup, starting_at: str | None = None) -> list[str]:
    """The document's part of a page: every element from its first `##` heading on (or from
    the `#` or `##` heading `starting_at` names: a document whose sections are `#` headings
    shows them as `##` below its title), less what the plugin adds after it (backlinks,
    pager), whitespace between tags left out."""
    main = page.find("div", role="main") or page.find("article")
    if main is None:
        return []
    first = (
        main.find("h2")
        if starting_at is None
        else next((h for h in main.find_all(["h1", "h2"]) if _heading_text(h) == starting_at), None)
    )
    if first is None:
        return []
    elements = [first, *first.find_next_siblings()]
    return [
        str(element)
        for element in elements
        if isinstance(element, Tag)
        and not any("techplan" in name for name in element.get("class") or [])
    ]


def _normalised(html: str) -> str:
    """What no reader sees, and the sanitizer's way of writing a style: left out of the
    comparison."""
    html = re.sub(r"<!--.*?-->", "", html, flags=re.DOTALL)
    # The one change the page makes: a `#` heading of the document sits below its title.
    html = re.sub(r"<(/?)h1\b", r"<\1h2", html)
    html = re.sub(
        r'style="([^"]*)"', lambda m: 'style="' + m[1].replace(" ", "").rstrip(";") + '"', html
    )
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize(("source", "document"), CASES, ids=[f"{s}:{d['path']}" for s, d in CASES])
def test_document_renders_as_a_hand_written_page(
    built: dict[str, Path], hand_written: dict[str, Path], source: str, document: dict[str, object]
) -> None:
    """The oracle: the plugin's page shows the document's sections exactly as the same
    Markdown shows on a hand-written page of the same site."""
    path = str(document["path"])
    mine = _page(built[source], path)
    plan = _body(mine)
    first = (mine.find("div", role="main") or mine.find("article")).find("h2")
    page = _body(_page(hand_written[source], path), _heading_text(first) if first else None)
    assert_same_sections(plan, page)


def assert_same_sections(plan: list[str], page: list[str]) -> None:
    """The plan page's sections (`_body`) are the hand-written page's, element for element.

    Raw HTML reaches a plan's page through the sanitizer (an unknown tag such as the `<T>` of
    Kotlin code Python-Markdown took for HTML is dropped, its text kept): an element may
    differ from the hand-written one only as the sanitizer would make that one."""
    assert plan, "the document's sections are on the page"
    differences = [
        (_normalised(mine), _normalised(theirs))
        for mine, theirs in zip(plan, page, strict=False)
        if _normalised(mine) not in (_normalised(theirs), _normalised(sanitize_html(theirs)))
    ]
    assert not differences, differences[:3]
    assert len(plan) == len(page)


def test_eip_requires_are_relations(built: dict[str, Path]) -> None:
    """An EIP's `requires: 1559` or `requires: 2718, 2929` (aliased to `depends_on`) names
    the EIPs it builds on by their `eip:` numbers: each is a relation, drawn both ways."""
    site = built["ethereum-eips"]
    data = json.loads((site / "site" / "plans" / "plans.json").read_text("utf-8"))
    plans = {plan["id"]: plan for plan in data["plans"]}
    depends = {
        number: sorted(link["url"].rstrip("/").rsplit("/", 1)[-1] for link in links)
        for number, plan in plans.items()
        if (links := plan["relations"].get("depends_on"))
    }
    assert depends == {
        "1559": ["eip-2718", "eip-2930"],
        "2930": ["eip-2718", "eip-2929"],
        "3198": ["eip-1559"],
    }
    required_by = [link["text"] for link in plans["2718"]["relations"]["required_by"]]
    assert len(required_by) == 2


def test_eip_draft_without_a_thread_yet(tmp_path: Path) -> None:
    """A Draft EIP writes `discussions-to: TBD` until its thread exists. As a `reference` field
    that is an error naming the file and line; declared `type: text` (as the README says) it
    builds strictly and is shown as written."""
    work = tmp_path / "eips"
    shutil.copytree(ADOPTED / "ethereum-eips", work)
    eip = work / "docs" / "EIPS" / "eip-3198.md"
    lines = eip.read_text("utf-8").splitlines(keepends=True)
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("discussions-to:"))
    lines[line - 1] = "discussions-to: TBD\n"
    eip.write_text("".join(lines), "utf-8")

    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"]
    failed = subprocess.run(command, cwd=work, capture_output=True, text=True)
    assert failed.returncode != 0
    assert f"docs/EIPS/eip-3198.md:{line}:" in failed.stderr
    assert "TBD" in failed.stderr
    assert "Traceback" not in failed.stderr

    config = work / "mkdocs.yml"
    text = config.read_text("utf-8")
    declared = "discussions_to: {label: Discussions-To, type: reference}"
    assert declared in text
    config.write_text(text.replace(declared, declared.replace("reference", "text")), "utf-8")
    _build(work)
    page = _page(work, "docs/EIPS/eip-3198.md")
    label = page.find("strong", string="Discussions-To:")
    assert label is not None and str(label.next_sibling).strip() == "TBD"


HEADERS = [
    # The AWS CDK RFC template's line: colon inside the bold and again after it.
    ("aws-cdk-rfcs", "docs/text/353-cfn-registry-constructs.md", "Author: @eladb"),
    # Header paragraphs, `Original Author(s):: @…` with two colons.
    ("aws-cdk-rfcs", "docs/text/0745-user-provided-cdk-init-templates.md", "Author: @rohang9000"),
    ("go-proposals", "docs/design/55022-pgo-implementation.md", "Author: Raj Barik, Jin Lin"),
    ("go-proposals", "docs/design/4238-go12nil.md", "Last updated: July 2013"),
    # `* **Authors**: …` and `* **YouTrack issues:** …` (colon inside the bold).
    (
        "kotlin-keep",
        "docs/proposals/KEEP-0326-break-continue-in-inline-lambdas.md",
        "Author: Nikita Bobko",
    ),
    # A header table: `| **Sponsor** | … |` rows under `| Status | Accepted |`, the wrapped
    # `Author(s)` row going on in a row with no label, and a table with no outer pipes.
    ("tensorflow-rfcs", "docs/rfcs/20200211-tf-types.md", "Sponsor: Gaurav Jain (gjn@google.com)"),
    (
        "tensorflow-rfcs",
        "docs/rfcs/20200107-tf-data-snapshot.md",
        "Author: Frank Chen (frankchn@google.com), Rohan Jain (rohanj@google.com)",
    ),
    ("tensorflow-rfcs", "docs/rfcs/20221116-enable-stochastic-rounding.md", "RFC #: 436"),
]


@pytest.mark.parametrize(("source", "path", "shown"), HEADERS)
def test_header_lines_as_each_repository_writes_them_are_read(
    built: dict[str, Path], source: str, path: str, shown: str
) -> None:
    """The header the plugin shows holds what the document's own header lines say, and those
    lines are not shown a second time as text."""
    main = _page(built[source], path).find("div", role="main")
    header = " ".join(main.find("p").get_text(" ").split())
    assert shown in header, header
    written = (ADOPTED / source / path).read_text("utf-8").split("\n## ", 1)[0]
    label = shown.split(":", 1)[0]
    lines = [line for line in written.splitlines() if label.casefold() in line.casefold()]
    assert lines, f"{label} is written in the document's header"
    text = " ".join(main.get_text(" ").split())
    assert all(text.count(" ".join(line.split())) <= 1 for line in lines)  # the header's own


TENSORFLOW = [str(document["path"]) for document in documents("tensorflow-rfcs")]


@pytest.mark.parametrize("path", TENSORFLOW, ids=[f"tensorflow-rfcs:{path}" for path in TENSORFLOW])
def test_a_header_table_reaches_the_header_and_is_not_shown_again(
    built: dict[str, Path], path: str
) -> None:
    """A TensorFlow RFC's header is the table under its title (`| Status | Accepted |` as its
    header row, then `| **Author(s)** | … |` rows): each row's value is on the plan's header,
    and no table on the page holds the rows again."""
    main = _page(built["tensorflow-rfcs"], path).find("div", role="main")
    header = " ".join(main.find("p").get_text(" ").split())
    written = (ADOPTED / "tensorflow-rfcs" / path).read_text("utf-8").split("\n## ", 1)[0]
    rows = [
        split_row(line)
        for line in written.splitlines()
        if "|" in line and not re.fullmatch(r"[\s|:-]+", line)
    ]
    assert rows and rows[0][0] == "Status", rows
    for label, value in (row[:2] for row in rows):
        assert " ".join(inline_text(value).split()) in header, (label, header)
    first_cells = [
        " ".join(row.find(["th", "td"]).get_text(" ").split())
        for table in main.find_all("table")
        for row in table.find_all("tr")
    ]
    labels = [label.strip("*") for label, _ in (row[:2] for row in rows) if label]
    assert not set(labels) & set(first_cells), first_cells
