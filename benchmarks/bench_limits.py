"""The worst case for each limit: how long a build takes with one plan at that limit.

Each case is one plan file within the documented limits (1 MiB, 100,000 values, nesting 64,
256 KiB of text outside code, 8 KiB per paragraph) written to cost as much as possible: a
known quadratic pattern of Python-Markdown, the most values, the most problems. Each is built
in a fresh process, with the Markdown extensions Material sites use, and compared with the
same site without the plan. The target (issue "Hostile input, second round"): at most 10 s
added per plan on a 2-core machine.

    python benchmarks/bench_limits.py              # every case
    python benchmarks/bench_limits.py -k brackets  # cases whose name contains "brackets"

Site cases (`SITE_CASES`) time a whole site or a command at its limit the same way: 300
listing markers on a page, a marker argument of 200,000 characters, `import` of 10,000
headings, the staleness check over 800 specifications in 4,000 commits, and three `pages`
runs at once.

Prints one line per case and exits 1 when a case misses the target or fails to build.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import yaml

TARGET_SECONDS = 10.0
FILE_LIMIT = 1024 * 1024
NODE_LIMIT = 100_000
MAX_TEXT = 256 * 1024  # text outside code fields (format/text_limits.py)
MAX_BLOCK = 8 * 1024  # one paragraph, list item or table row

MKDOCS_YML = """\
site_name: Limits
plugins: [search, techplan]
markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.betterem
  - pymdownx.caret
  - pymdownx.mark
  - pymdownx.tilde
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.inlinehilite
  - pymdownx.superfences
  - pymdownx.tasklist
"""


def _header() -> dict[str, object]:
    return {"title": "Worst case", "status": "Draft"}


def _fill(unit: str, budget: int = MAX_TEXT - 1024) -> str:
    """`unit` repeated into paragraphs of the longest length allowed, as much text as allowed."""
    paragraph = unit * ((MAX_BLOCK - 2) // len(unit)) + "\n\n"
    return paragraph * (budget // len(paragraph))


def _field(text: str, key: str = "summary") -> str:
    return yaml.safe_dump({**_header(), key: text}, width=10**9, allow_unicode=True)


def _list(items: list[str], key: str = "rollback") -> str:
    return yaml.safe_dump({**_header(), key: items}, width=10**9)


CASES: dict[str, Callable[[], str]] = {
    # Python-Markdown's link pattern looks for the closing bracket from every `[`.
    "brackets: paragraphs of `[`": lambda: _field(_fill("[")),
    "brackets: paragraphs of `[a` ": lambda: _field(_fill("[a ")),
    "links: paragraphs of `[a](b)` (refused: too many links)": lambda: _field(_fill("[a](b) ")),
    # Each link costs its paragraph's length (Python-Markdown 3.11.4 finds every bracket's end
    # again after each): as many links as the link limit lets through, in one long paragraph.
    "links: one paragraph of `[a](b)` up to the link limit": lambda: _field(
        _fill("[a](b) ", budget=MAX_BLOCK)
    ),
    "links: reference links to missing labels (refused)": lambda: _field(_fill("[a][b] ")),
    "images: paragraphs of `![`": lambda: _field(_fill("![")),
    "emphasis: alternating `*a_`": lambda: _field(_fill("*a_")),
    "emphasis: runs of `**` and `__`": lambda: _field(_fill("**a__b ")),
    "emphasis: unclosed `*` per word": lambda: _field(_fill("*a ")),
    "code spans: unclosed backticks": lambda: _field(_fill("`a ")),
    "code spans: growing backtick runs": lambda: _field(
        "\n\n".join("".join("`" * n + "a " for n in range(1, 120)) for _ in range(35))
    ),
    "html-looking: paragraphs of `<a `": lambda: _field(_fill("<a ")),
    "entities: paragraphs of `&#`": lambda: _field(_fill("&#")),
    "math: paragraphs of `$`": lambda: _field(_fill("$a ")),
    "nesting: paragraphs of `> `": lambda: _field(_fill("> ")),
    "nesting: list items 2 deeper each line": lambda: _field(
        "".join("  " * min(n, 60) + "- a\n" for n in range(1800))
    ),
    "code: 1 MiB of `[` in a code field": lambda: yaml.safe_dump(
        {**_header(), "architecture": {"diagram": "[" * (FILE_LIMIT - 4096)}}, width=10**9
    ),
    "fences: unclosed fences (refused: too many)": lambda: _field(_fill("```\na\n")),
    "fences: the most code blocks": lambda: _field(
        ("```python\n" + "a = [1]\n" * 50 + "```\n\n") * 499
    ),
    "tables: paragraphs of `|`": lambda: _field(_fill("|")),
    "block field: rollback with the most entries": lambda: _list(["a"] * (NODE_LIMIT - 20)),
    "block field: rollback entries of brackets": lambda: _list(["[" * 8000] * 32),
    "records: the most risks": lambda: yaml.safe_dump(
        {**_header(), "risks": [{"risk": "r", "impact": "High"}] * (NODE_LIMIT // 3 - 20)}
    ),
    "problems: unknown keys": lambda: yaml.safe_dump(
        {**_header(), **{f"k{i}": 1 for i in range(NODE_LIMIT // 2 - 20)}}
    ),
    "problems: wrong types everywhere": lambda: yaml.safe_dump(
        {**_header(), "risks": [{"risk": 1, "impact": 2}] * (NODE_LIMIT // 3 - 20)}
    ),
}


GIVE_UP_SECONDS = 120.0

PLAN_FOR_SITE = "title: Plan {number}\nstatus: Approved\nauthor: A\ndate: 2026-01-01\n"
"""A small plan the site cases repeat."""


def _plans(docs: Path, count: int, extra: str = "") -> None:
    for number in range(count):
        folder = docs / "plans" / f"p{number}"
        folder.mkdir(parents=True)
        text = PLAN_FOR_SITE.format(number=number) + extra.format(number=number)
        (folder / "plan.yaml").write_text(text, encoding="utf-8")


def _markers(root: Path) -> list[list[str]]:
    _plans(root / "docs", 50)
    (root / "docs" / "many.md").write_text(
        "# Many\n\n" + "<!-- techplan:index -->\n\n" * 300, encoding="utf-8"
    )
    return [_BUILD]


def _long_marker(root: Path) -> list[list[str]]:
    _plans(root / "docs", 5)
    argument = 'status="' + "x" * 200_000 + '"'
    (root / "docs" / "long.md").write_text(
        f"# Long\n\n<!-- techplan:index {argument} -->\n", encoding="utf-8"
    )
    return [_BUILD]


def _headings(root: Path) -> list[list[str]]:
    lines = ["# Technical Plan: Many headings", "", "**Status:** Draft", ""]
    for number in range(10_000):
        lines += [f"## Heading {number}", "", f"Text {number}.", ""]
    (root / "many.md").write_text("\n".join(lines), encoding="utf-8")
    return [[_COMMAND, "import", str(root / "many.md"), "-o", str(root / "many.plan.yaml")]]


def _staleness(root: Path) -> list[list[str]]:
    """800 specifications, each referenced by an Approved plan, in a repository of 4,000
    commits (written with `git fast-import`, seconds instead of minutes)."""
    docs = root / "docs"
    (docs / "specs").mkdir(parents=True)
    _plans(docs, 800, "specification: ../../specs/s{number}.md\n")
    mkdocs_yml = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        mkdocs_yml.replace(
            "plugins: [search, techplan]",
            "plugins:\n  - search\n  - techplan:\n      staleness_check: true",
        ),
        encoding="utf-8",
    )
    stream = []
    for commit in range(4_000):
        spec = commit % 800
        content = f"# Spec {spec}\n\nRevision {commit}.\n".encode()
        stream += [
            b"commit refs/heads/main",
            f"committer A <a@example.com> {1_700_000_000 + commit} +0000".encode(),
            b"data 1", b"x",
            f"M 100644 inline docs/specs/s{spec}.md".encode(),
            f"data {len(content)}".encode(), content,
        ]  # fmt: skip
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run(
        ["git", "-C", str(root), "fast-import", "--quiet"],
        input=b"\n".join(stream) + b"\n", check=True,
    )  # fmt: skip
    subprocess.run(["git", "-C", str(root), "checkout", "-q", "-f", "main"], check=True)
    return [_BUILD]


def _without_staleness(root: Path) -> None:
    """The same site with the check off: what the check adds is the difference."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        text.replace("staleness_check: true", "staleness_check: false"), encoding="utf-8"
    )


def _concurrent_pages(root: Path) -> list[list[str]]:
    _plans(root / "docs", 200)
    pages = [_COMMAND, "pages", "-f", str(root / "mkdocs.yml")]
    return [pages, pages, pages]


_BUILD = ["build"]
_COMMAND = "mkdocs-techplan"
SITE_CASES: dict[str, Callable[[Path], list[list[str]]]] = {
    "markers: 300 listing markers on one page": _markers,
    "markers: a marker argument of 200,000 characters": _long_marker,
    "import: 10,000 `##` headings": _headings,
    "staleness: 800 specs in 4,000 commits": _staleness,
    "pages: three runs at once, 200 plans": _concurrent_pages,
}
"""Cases of a whole site or a command rather than one plan: each returns the commands to time
(`build` is `mkdocs build`; several commands run at once)."""
BASELINES: dict[str, Callable[[Path], None]] = {
    "staleness: 800 specs in 4,000 commits": _without_staleness,
}
"""Cases measured against the same site with the limit's feature off (1,600 pages cost MkDocs
itself tens of seconds), rather than against the empty site."""


def _run_site_case(root: Path, commands: list[list[str]]) -> tuple[float, str]:
    started = time.perf_counter()
    environment = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    running = []
    for command in commands:
        if command == _BUILD:
            command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f",
                       str(root / "mkdocs.yml"), "-d", str(root / "site")]  # fmt: skip
        else:
            command = [sys.executable, "-m", "mkdocs_techplan.cli", *command[1:]]
        running.append(
            subprocess.Popen(
                command,
                cwd=root,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    failures = []
    for process in running:
        try:
            _, error = process.communicate(timeout=GIVE_UP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            return GIVE_UP_SECONDS, f"still running after {GIVE_UP_SECONDS:.0f} s: stopped"
        # `import` and a build exit 1 on the plans' problems, which these cases are made of;
        # a traceback or a crash is a failure.
        if process.returncode not in (0, 1) or "Traceback" in error:
            failures.append(error[-400:])
    return time.perf_counter() - started, "\n".join(failures)


def _build(site: Path) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(site / "mkdocs.yml"),
             "-d", str(site / "site")],
            capture_output=True, text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
            check=False, timeout=GIVE_UP_SECONDS,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return GIVE_UP_SECONDS, f"still building after {GIVE_UP_SECONDS:.0f} s: stopped"
    return time.perf_counter() - started, "" if done.returncode == 0 else done.stderr[-400:]


def _site(root: Path, plan: str | None) -> Path:
    root.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    if plan is not None:
        (root / "docs" / "plans" / "worst").mkdir(parents=True)
        (root / "docs" / "plans" / "worst" / "plan.yaml").write_text(plan, encoding="utf-8")
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-k", default="", help="only cases whose name contains this")
    args = parser.parse_args(argv)
    missed = 0
    with tempfile.TemporaryDirectory() as folder:
        base, failure = _build(_site(Path(folder) / "empty", None))
        if failure:
            print(failure, file=sys.stderr)
            return 1
        print(f"site without the plan: {base:.2f} s; target: at most {TARGET_SECONDS:.0f} s more")
        print(f"{'case':<48} {'file':>9} {'added':>8}")
        for number, (name, setup) in enumerate(SITE_CASES.items()):
            if args.k not in name:
                continue
            root = _site(Path(folder) / f"site{number}", None)
            commands = setup(root)
            seconds, failure = _run_site_case(root, commands)
            added = seconds - base
            if name in BASELINES and not failure:
                BASELINES[name](root)
                without, failure = _run_site_case(root, commands)
                added = seconds - without
            missed += _report(name, "", added, failure)
        for number, (name, make) in enumerate(CASES.items()):
            if args.k not in name:
                continue
            plan = make()
            size = len(plan.encode("utf-8"))
            assert size <= FILE_LIMIT, f"{name}: {size:,} bytes is over the file limit"
            seconds, failure = _build(_site(Path(folder) / f"case{number}", plan))
            missed += _report(name, f"{size / 1024:.0f} K", seconds - base, failure)
    return 1 if missed else 0


def _report(name: str, size: str, added: float, failure: str) -> bool:
    """Print a case's line; whether it missed the target."""
    verdict = "ok" if added <= TARGET_SECONDS and not failure else "MISSED"
    print(f"{name:<48} {size:>9} {added:>7.2f}s  {verdict}", flush=True)
    if failure:
        print(textwrap.indent(failure, "    "))
    return verdict != "ok"


if __name__ == "__main__":
    sys.exit(main())
