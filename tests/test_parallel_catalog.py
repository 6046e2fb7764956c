"""A command that runs once parses its plans on every processor: the plans, their problems
and their order are those of one process."""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path
from typing import IO, Any

import pytest
from mkdocs.config import load_config

from mkdocs_techplan.build.core import MadePage
from mkdocs_techplan.format.loading import Limits
from mkdocs_techplan.render import safety
from mkdocs_techplan.site import catalog, forked, helper
from mkdocs_techplan.site.catalog import PlanCatalog, PlanFile

STATUSES = ("Draft", "In Review", "Approved")


def _plan_files(docs: Path) -> list[PlanFile]:
    texts = {
        "a": "title: A\nstatus: Draft\nsummary: First.\n",
        "b": "title: B\nstatus: Nonsense\n",  # a problem, kept on the plan
        "c": "title: [unclosed\n",  # does not load at all
        "d": "title: D\nstatus: Approved\nrisks: [{risk: Outage, impact: High}]\n",
        "e": "title: E\nstatus: In Review\ndepends_on: ../a/plan.yaml\n",
    }
    found = []
    for name, text in sorted(texts.items(), reverse=True):  # the catalog puts them in order
        path = docs / "plans" / name / "plan.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
        found.append(PlanFile(f"plans/{name}/plan.yaml", str(path), str(docs)))
    return found


def test_plans_parsed_in_several_processes_are_those_of_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forked, "PARALLEL_FROM", 2)
    plan_files = _plan_files(tmp_path)
    alone = PlanCatalog().load(plan_files, STATUSES, Limits())
    shared = PlanCatalog(workers=3)
    together = shared.load(plan_files, STATUSES, Limits())
    assert [plan.source.src_uri for plan in together] == [
        f"plans/{name}/plan.yaml" for name in "abcde"
    ]
    assert together == alone
    assert (
        [str(problem) for plan in together for problem in plan.problems]
        == [str(problem) for plan in alone for problem in plan.problems]
        != []
    )
    # Parsed once: the next load gives back the same objects, in this process.
    again = shared.load(plan_files, STATUSES, Limits())
    assert all(first is second for first, second in zip(together, again, strict=True))


def _built_pages(
    root: Path,
    command: str,
    options: dict[str, object] | None = None,
    extra: dict[str, object] | None = None,
) -> tuple[dict[str, str], list[str]]:
    """Each plan page's HTML from a real `mkdocs build` (or a `serve` build), and its log."""
    import logging

    import yaml
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site_dir = root / f"site-{command}"
    (root / "mkdocs.yml").write_text(
        yaml.safe_dump(
            {"site_name": "S", "plugins": [{"techplan": options or {}}], **(extra or {})}
        ),
        encoding="utf-8",
    )
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir))
        config.plugins.on_startup(command=command, dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    pages = {
        path.relative_to(site_dir).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(site_dir.glob("plans/*/index.html"))  # each plan, loaded or not
    }
    return pages, sorted(records)


def test_a_one_off_build_parses_and_renders_in_several_processes_and_makes_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forked, "PARALLEL_FROM", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    _plan_files(tmp_path / "docs")
    # Each process forked to parse notes its id in a file (it cannot append to a list here).
    parsers = tmp_path / "parsers"
    real_take_parts = forked._take_parts

    def noting_take_parts(pipe: IO[bytes], **arguments: Any) -> None:
        with parsers.open("a", encoding="utf-8") as stream:
            stream.write(f"{os.getpid()}\n")
        real_take_parts(pipe, **arguments)

    monkeypatch.setattr(forked, "_take_parts", noting_take_parts)

    def pools() -> int:
        return len(set(parsers.read_text().split())) if parsers.exists() else 0

    # Five pages are too few for the process to get ahead of the build: it converts each.
    monkeypatch.setattr(forked, "SPARE_LEAD", -1_000)
    taken: list[MadePage] = []
    real_take = forked.MadeAhead.take

    def counting_take(self: forked.MadeAhead[MadePage], index: int) -> MadePage | None:
        made = real_take(self, index)
        if made is not None:
            taken.append(made)
        return made

    monkeypatch.setattr(forked.MadeAhead, "take", counting_take)
    # What the build's own process sanitizes (a forked process counts in its own copy).
    here, sanitized_here = os.getpid(), []
    real_sanitize = safety.sanitize_html

    def counting_sanitize(fragment: str) -> str:
        if os.getpid() == here:
            sanitized_here.append(fragment)
        return real_sanitize(fragment)

    monkeypatch.setattr(safety, "sanitize_html", counting_sanitize)
    # The pages whose blocks the build's own process put back.
    put_back_here: list[str | None] = []
    real_put_back = safety.PlanHtml.put_back

    def counting_put_back(self: safety.PlanHtml, html: str, page: str | None = None) -> str:
        if os.getpid() == here:
            put_back_here.append(page)
        return real_put_back(self, html, page)

    monkeypatch.setattr(safety.PlanHtml, "put_back", counting_put_back)
    shared, shared_log = _built_pages(tmp_path, "build")
    shared_put_back, put_back_here[:] = list(put_back_here), []
    # `mkdocs build` shared out the parsing; a process rendered the five plan pages ahead,
    # and sanitized their blocks: the build sanitized none of them itself.
    assert pools() == 2 and len(taken) == 5
    blocks_ahead = {word for made in taken for word in made.blocks}
    assert blocks_ahead
    shared_sanitized, sanitized_here[:] = len(sanitized_here), []
    alone, alone_log = _built_pages(tmp_path, "serve")
    assert pools() == 2 and len(taken) == 5  # `mkdocs serve` does all in its own process
    sanitized_here.clear()
    one, _ = _built_pages(tmp_path, "build", {"processes": 1})
    assert pools() == 2 and len(taken) == 5  # `processes: 1`: the build's own process only
    # It converted each plan page as MkDocs then did, and sanitized that HTML: the build
    # took the five pages' HTML as proven, and sanitized none of them itself either.
    assert all(made.html is not None for made in taken)
    assert shared_sanitized <= len(sanitized_here) - len(blocks_ahead) - 5
    # And it put their blocks back: the build put back none of them itself.
    plan_pages = {f"plans/{name}/index.md" for name in "abcde"}
    assert plan_pages <= set(put_back_here) and not plan_pages & set(shared_put_back)
    assert one.keys() == alone.keys()
    assert len(shared) == 6 and shared.keys() == alone.keys()  # five plans and the graph
    # The same pages, but for the key that marks plan data for the sanitizer (it never
    # reaches the page) and the build's own time stamps.
    for name in shared:
        assert _without_build_time(shared[name]) == _without_build_time(alone[name]), name
    assert shared_log == alone_log and any("Nonsense" in line for line in shared_log)


def test_a_plan_page_another_plugin_changes_is_sanitized_by_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process rendering ahead expects the HTML of the page as this plugin made it; a
    hook that adds to a plan page's Markdown after the plugin makes other HTML, which the
    build sanitizes itself."""
    monkeypatch.setattr(forked, "PARALLEL_FROM", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    _plan_files(tmp_path / "docs")
    (tmp_path / "hooks.py").write_text(
        "from mkdocs.plugins import event_priority\n\n"
        "@event_priority(-50)\n"
        "def on_page_markdown(markdown, page, **kwargs):\n"
        "    return markdown + '\\n\\n<script>alert(1)</script><img src=x onerror=alert(2)>\\n'\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(forked, "SPARE_LEAD", -1_000)  # every page converted ahead
    hooks = {"hooks": ["hooks.py"]}
    shared, _ = _built_pages(tmp_path, "build", extra=hooks)
    one, _ = _built_pages(tmp_path, "build", {"processes": 1}, extra=hooks)
    assert len(shared) == 6
    for name, html in shared.items():
        # A plan's page is plan data from top to bottom; the graph page is the site's own.
        assert ("alert(" in html) == (name == "plans/graph/index.html"), name
        assert _without_build_time(html) == _without_build_time(one[name]), name


def _without_build_time(html: str) -> str:
    import re

    return re.sub(r"<!-- Build Date UTC: .*? -->|build_date_utc[^\n]*", "", html)


@pytest.mark.parametrize(("lead", "spared"), [(-1_000, True), (1_000_000, False)])
def test_spare_work_is_done_only_ahead_of_the_build(
    monkeypatch: pytest.MonkeyPatch, lead: int, spared: bool
) -> None:
    """The process does the spare work of an item only when it is `SPARE_LEAD` items ahead
    of what the build has taken (never, a million ahead; always, a thousand behind)."""
    monkeypatch.setattr(forked, "SPARE_LEAD", lead)
    ahead = forked.MadeAhead(20, lambda index: (index, False), spare=lambda i, item: (i, True))
    try:
        assert [ahead.take(index) for index in range(20)] == [(i, spared) for i in range(20)]
    finally:
        ahead.close()


def test_the_process_making_items_ahead_never_walks_what_it_inherited() -> None:
    """What the process inherited from the build lives as long as it does: frozen, its
    collector walks only what it makes (a full collection walked the whole build, while the
    build waited), and the build's own collector is untouched."""
    import gc

    inherited = [object() for _ in range(1_000)]  # tracked objects the process inherits
    ahead = forked.MadeAhead(1, lambda index: gc.get_freeze_count())
    try:
        frozen = ahead.take(0)
        assert frozen is not None and frozen >= len(inherited)
    finally:
        ahead.close()
    assert gc.get_freeze_count() == 0


def test_texts_made_ahead_come_in_any_order_and_failures_are_made_here() -> None:
    def make(index: int) -> str:
        if index == 3:
            raise ValueError("cannot")
        return f"text {index} " + "x" * 100_000  # more than a pipe holds at once

    ahead = forked.MadeAhead(6, make)
    try:
        assert ahead.take(2) == make(2)  # 0 and 1 are kept until asked for
        assert ahead.take(0) == make(0)
        assert ahead.take(0) is None  # asked twice: the caller makes it
        assert ahead.take(3) is None  # the process could not make it
        assert ahead.take(5) == make(5)
        assert ahead.take(1) == make(1)
        assert ahead.take(6) is None  # past the end
    finally:
        ahead.close()


def test_closing_stops_a_process_that_is_waiting_to_hand_over() -> None:
    ahead = forked.MadeAhead(1_000, lambda index: "x" * 100_000)
    assert ahead.take(0) == "x" * 100_000
    ahead.close()  # the process is blocked on a full pipe: stopped, not waited for
    assert ahead.take(1) is None


def test_processes_below_zero_is_a_configuration_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: S\nplugins:\n  - techplan:\n      processes: -1\n", encoding="utf-8"
    )
    with pytest.raises((Abort, ConfigurationError)):
        load_config(str(tmp_path / "mkdocs.yml"))
    assert "processes" in caplog.text and "must be 0" in caplog.text


def test_the_command_waits_while_its_processes_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsing leaves its garbage (and its libraries) in processes that end: the command's
    own process takes no part unless a process fails."""
    monkeypatch.setattr(forked, "PARALLEL_FROM", 2)
    done = forked.in_processes(
        10, lambda start, stop: [(n, os.getpid()) for n in range(start, stop)], 2
    )
    assert [n for n, _ in done] == list(range(10))
    workers = {pid for _, pid in done}
    assert os.getpid() not in workers  # two processes; one may take both parts


def test_a_build_of_many_plans_never_loads_the_schema_validator(tmp_path: Path) -> None:
    """The validator (3.4 MiB) is loaded where plans are parsed: in the processes, which a
    build of `PARALLEL_FROM` plans (as it is shipped) uses."""
    import subprocess
    import sys

    _plan_files(tmp_path / "docs")
    for number in range(forked.PARALLEL_FROM - 5):
        folder = tmp_path / "docs" / "plans" / f"more-{number}"
        folder.mkdir()
        text = f"title: More {number}\nstatus: Draft\n"
        (folder / "plan.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: S\nplugins: [techplan]\n", encoding="utf-8")
    script = (
        "import sys\n"
        "from mkdocs.commands.build import build\n"
        "from mkdocs.config import load_config\n"
        "config = load_config('mkdocs.yml', site_dir='site')\n"
        "config.plugins.on_startup(command='build', dirty=False)\n"
        "build(config)\n"
        "print('jsonschema_rs' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False"]
    assert (tmp_path / "site" / "plans" / "a" / "index.html").is_file()


def test_a_slower_process_takes_fewer_parts_and_the_results_keep_their_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The processes take small parts from one queue: one whose processor is busy with
    something else does less, and the other does the rest, instead of each doing half."""
    monkeypatch.setattr(forked, "PARALLEL_FROM", 2)
    here = os.getpid()
    slow = tmp_path / "slow"

    def work(start: int, stop: int) -> list[tuple[int, int]]:
        if os.getpid() != here:
            try:  # the first process to get here is the slow one
                os.close(os.open(slow, os.O_CREAT | os.O_EXCL))
                slow.write_text(str(os.getpid()))
            except FileExistsError:
                pass
            if slow.read_text() == str(os.getpid()):
                import time

                time.sleep(0.2)
        return [(n, os.getpid()) for n in range(start, stop)]

    done = forked.in_processes(32, work, 2)
    assert [n for n, _ in done] == list(range(32))
    by_process = [pid for _, pid in done]
    slow_one = int(slow.read_text())
    assert here not in by_process
    assert 0 < by_process.count(slow_one) < 8  # half would be 16


@pytest.mark.parametrize(
    ("count", "workers"), [(16, 2), (1000, 2), (17, 64), (10**6, 10**5), (5, 1)]
)
def test_the_parts_cover_every_item_once_and_fit_in_the_queue(count: int, workers: int) -> None:
    """However many processes the site asks for (`processes` has no upper bound), the queue
    of parts is written before any process reads it: it must fit in a pipe."""
    parts = forked._parts(count, workers)
    assert [n for start, stop in parts for n in range(start, stop)] == list(range(count))
    assert len(parts) <= min(count, workers * forked._PARTS_PER_PROCESS, forked._MOST_PARTS)
    assert len(parts) * forked._PART.size <= 4096


def test_parsing_leaves_no_cyclic_garbage(tmp_path: Path) -> None:
    """The parsing processes run without the garbage collector (it would walk every object
    they share with the build, copying their pages). That loses nothing only while parsing
    makes no reference cycles: of plans that load, and of plans refused at every stage."""
    import gc

    plan_files = _plan_files(tmp_path)
    refused = {
        "duplicate": "title: A\ntitle: B\n",
        "deep": "title: " + "[" * 80 + "]" * 80 + "\n",
        "escape": 'title: "bell \\x07"\n',
        "scalar": "just text\n",
        "alias": "title: *nowhere\n",
        "tabs": "title: A\n\tstatus: Draft\n",
        "latin1": "title: caf\xe9\n",
        "empty": "",
    }
    for name, text in refused.items():
        path = tmp_path / "plans" / name / "plan.yaml"
        path.parent.mkdir(parents=True)
        path.write_bytes(text.encode("latin-1"))
        plan_files.append(PlanFile(f"plans/{name}/plan.yaml", str(path), str(tmp_path)))
    # A plan written in Markdown (front matter, sections, a table, a list): read through the
    # Markdown parser's tokens instead of YAML events.
    markdown_plan = tmp_path / "plans" / "written" / "plan.md"
    markdown_plan.parent.mkdir(parents=True)
    markdown_plan.write_text(
        "---\ntitle: Written\nstatus: Draft\n---\n\n# Written\n\nWhy it matters.\n\n"
        "## Architecture Overview\n\n- one\n- two\n\n## Risks\n\n"
        "| Risk | Impact |\n|---|---|\n| Outage | High |\n\n## Open Questions\n\n1. When?\n",
        encoding="utf-8",
    )
    plan_files.append(PlanFile("plans/written/plan.md", str(markdown_plan), str(tmp_path)))
    warm = PlanCatalog().load(plan_files, STATUSES, Limits())  # caches, compiled patterns
    assert next(plan for plan in warm if plan.title == "Written").status == "Draft"
    assert sum(1 for plan in warm if plan.problems) >= len(refused)
    gc.collect()
    gc.disable()
    try:
        plans = PlanCatalog().load(plan_files, STATUSES, Limits())
        assert len(plans) == len(warm)
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_a_part_that_cannot_be_unpickled_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle

    monkeypatch.setattr(forked, "PARALLEL_FROM", 2)
    real_loads, calls = pickle.loads, []

    def damaged_first(data: bytes) -> object:
        calls.append(data)
        if len(calls) == 1:
            raise pickle.UnpicklingError("damaged")
        return real_loads(data)

    monkeypatch.setattr(pickle, "loads", damaged_first)
    here = os.getpid()
    done = forked.in_processes(
        20, lambda start, stop: [(n, os.getpid()) for n in range(start, stop)], 2
    )
    assert [n for n, _ in done] == list(range(20))
    assert {stop - start for start, stop in forked._parts(20, 2)} == {2}
    assert sum(1 for _, pid in done if pid == here) == 2  # the damaged part's two items


def test_a_part_cut_short_by_its_process_dying_is_done_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A process killed while it writes a part leaves half a part in its pipe: the build
    leaves it out, keeps the parts that came whole, and does the rest itself."""
    monkeypatch.setattr(forked, "PARALLEL_FROM", 2)
    real_take_parts = forked._take_parts

    def dying_midway(stream: IO[bytes], **arguments: Any) -> None:
        class Dying:
            def __init__(self) -> None:
                self.parts = 0

            def write(self, data: bytes) -> int:
                self.parts += 1
                if self.parts == 2:  # the second part: half of it, then the process is gone
                    stream.write(data[: len(data) // 2])
                    stream.flush()
                    os._exit(9)
                return stream.write(data)

            def flush(self) -> None:
                stream.flush()

        real_take_parts(Dying(), **arguments)  # type: ignore[arg-type]

    monkeypatch.setattr(forked, "_take_parts", dying_midway)
    here = os.getpid()
    done = forked.in_processes(
        32, lambda start, stop: [(n, os.getpid()) for n in range(start, stop)], 2
    )
    assert [n for n, _ in done] == list(range(32))
    by_processes = [pid for _, pid in done if pid != here]
    assert by_processes  # the first part of each process came back whole
    assert len(by_processes) < 32  # the parts cut short, and those after them, done here


@pytest.mark.parametrize("failure", ["dies", "raises"])
def test_a_part_whose_process_fails_is_done_here(
    monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    monkeypatch.setattr(forked, "PARALLEL_FROM", 2)
    here = os.getpid()

    def work(start: int, stop: int) -> list[int]:
        if os.getpid() != here:
            if failure == "dies":
                os._exit(9)  # as a process killed for its memory
            raise MemoryError
        return list(range(start, stop))

    assert forked.in_processes(10, work, 2) == list(range(10))


@pytest.mark.parametrize("command", ["build", "serve"])
def test_a_one_off_build_lets_go_of_plans_and_blocks_once_every_page_is_read(
    tmp_path: Path, command: str
) -> None:
    """When the theme stage starts, a one-off build holds no plan, no page inputs and no
    deferred block: the memory serves the pages. `serve` keeps them for its next rebuild."""
    import yaml
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from mkdocs_techplan.site.page_files import PlanPageFile

    _plan_files(tmp_path / "docs")
    (tmp_path / "mkdocs.yml").write_text(
        yaml.safe_dump({"site_name": "S", "plugins": ["techplan"]}), encoding="utf-8"
    )
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command=command, dirty=False)
    held: list[tuple[object, str]] = []

    def at_env(env: object, *, config: object, files: object) -> object:
        plugin = config.plugins["techplan"]  # type: ignore[attr-defined]
        for file in files:  # type: ignore[attr-defined]
            if isinstance(file, PlanPageFile) and file.page is not None:
                held.append((file.inputs, file.page.markdown or ""))
        held.append((plugin.result, plugin.plan_html.put_back(held[-1][1])))
        return env

    config.plugins.events["env"].append(at_env)  # after the plugin's own on_env
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    *pages, (result, put_back) = held
    marked = pages[-1][1]
    assert len(pages) == 5 and "techplanblock" in marked  # a banner stands as its word
    if command == "build":
        assert result is None and all(inputs is None for inputs, _ in pages)
        assert put_back == marked  # the blocks are forgotten: every page has its own
    else:
        assert result is not None and all(inputs is not None for inputs, _ in pages)
        assert "techplanblock" not in put_back


def test_plan_records_cross_processes_as_calls_of_their_class() -> None:
    """The records a parsing process sends back are made again through `__init__`, field by
    field, equal to what was sent (dataclasses' own way looked the fields up per object)."""
    import dataclasses
    import datetime
    import pickle

    from mkdocs_techplan.format import model, problems
    from mkdocs_techplan.format.records import pickled_as_call

    where = problems.Position(3, 7)
    source = model.PlanSource("plans/a/plan.yaml", "plans/a/index.md", "docs/plans/a/plan.yaml")
    records = [
        where,
        problems.Problem("plan.yaml", where, "`status` is missing"),
        model.Reference("../specs/a.md", where, ("specification", 0)),
        model.ChecklistItem("Load test", True, where),
        model.Phase("One", "2 weeks", ["Build"], "2026-01-05", None),
        model.Risk("Outage", "High", None, "Roll back"),
        model.PlanDependency("Auth", "Approved", False, where),
        model.Blocker("Budget", None, where),
        source,
    ]
    plan = model.Plan(
        source, "A", "Draft", date=datetime.date(2026, 1, 5), specification=[records[2]]
    )
    for record in [*records, plan]:
        copy = pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
        assert copy == record and copy is not record
        assert dataclasses.astuple(copy) == dataclasses.astuple(record)
    assert type(where).__reduce__(where) == (problems.Position, (3, 7))
    # Shared records stay shared: the plan's reference and the list's are one object again.
    plan_copy, reference_copy = pickle.loads(pickle.dumps([plan, records[2]]))
    assert plan_copy.specification[0] is reference_copy

    @dataclasses.dataclass(frozen=True, slots=True)
    class Derived:
        text: str
        length: int = dataclasses.field(init=False, default=0)

    with pytest.raises(TypeError, match="every field must be set by __init__"):
        pickled_as_call(Derived)


def test_work_is_done_here_when_no_process_can_be_forked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A limit on processes (`fork` fails with EAGAIN) costs time, never results."""
    import errno

    monkeypatch.setattr(forked, "PARALLEL_FROM", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)

    def no_fork() -> int:
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    here = os.getpid()
    assert forked.in_processes(
        10, lambda start, stop: [(n, os.getpid()) for n in range(start, stop)], 2
    ) == [(n, here) for n in range(10)]
    _plan_files(tmp_path / "docs")
    pages, log = _built_pages(tmp_path, "build")
    assert len(pages) == 6 and any("Nonsense" in line for line in log)


def _many_plan_files(docs: Path, count: int) -> list[PlanFile]:
    found = []
    for number in range(count):
        path = docs / "plans" / f"p{number:03}" / "plan.yaml"
        path.parent.mkdir(parents=True)
        status = "Draft" if number % 7 else "Unknown"  # some with a problem
        path.write_text(f"title: Plan {number}\nstatus: {status}\n", encoding="utf-8")
        found.append(PlanFile(f"plans/p{number:03}/plan.yaml", str(path), str(docs)))
    return found


def test_a_helper_process_parses_from_the_other_end_and_the_plans_are_those_of_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where no process may be forked (Zensical, `serve`), a helper started fresh parses
    from the end of the list; this process, made slow here, stops where the helper is."""
    plan_files = _many_plan_files(tmp_path, 40)
    alone = PlanCatalog().load(plan_files, STATUSES, Limits())
    monkeypatch.setattr(helper, "HELPER_FROM", 2)
    monkeypatch.setattr(helper, "_processors", lambda: 2)
    made_here: list[str] = []
    real_load_plan = catalog.load_plan

    def slow_load_plan(plan_file: PlanFile, *arguments: Any) -> Any:
        made_here.append(plan_file.src_uri)
        time.sleep(0.05)
        return real_load_plan(plan_file, *arguments)

    monkeypatch.setattr(catalog, "load_plan", slow_load_plan)
    together = PlanCatalog(helper=True).load(plan_files, STATUSES, Limits())
    assert together == alone
    assert [str(problem) for plan in together for problem in plan.problems] == [
        str(problem) for plan in alone for problem in plan.problems
    ]
    assert 0 < len(made_here) < 40
    assert made_here == [plan_file.src_uri for plan_file in plan_files[: len(made_here)]]


def test_when_no_helper_starts_everything_is_made_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(helper, "_processors", lambda: 2)
    made = helper.with_helper(
        helper.HELPER_FROM, lambda index: index * 2, "mkdocs_techplan.no_such_module", None
    )
    assert made == [index * 2 for index in range(helper.HELPER_FROM)]
    monkeypatch.setattr(helper, "_processors", lambda: 1)  # no processor for a helper
    assert not helper.can_help(10 * helper.HELPER_FROM)


def test_what_a_helper_sends_out_of_order_is_left_out() -> None:
    reader, writer = os.pipe()
    os.set_blocking(reader, False)
    sent = [(9, "nine"), (8, "eight"), (3, "three"), (7, "seven")]
    for index, item in sent:
        data = pickle.dumps(item)
        os.write(writer, helper._ITEM.pack(index, len(data)) + data)
    sent = helper._Sent(reader, 10)
    try:
        sent.take()
        data = pickle.dumps("six")  # after a frame out of order, nothing more is read
        os.write(writer, helper._ITEM.pack(6, len(data)) + data)
        sent.take()
    finally:
        os.close(reader)
        os.close(writer)
    assert sent.frontier == 8
    assert sent.made == {9: "nine", 8: "eight"}


@pytest.mark.parametrize(
    ("command", "processes", "helper_expected"),
    [("serve", 0, True), ("serve", 1, False), ("build", 0, False)],
)
def test_serve_shares_a_long_list_with_a_helper_unless_processes_is_one(
    tmp_path: Path, command: str, processes: int, helper_expected: bool
) -> None:
    """`serve` forks nothing (its server's threads run); a build forks instead of a helper."""
    (tmp_path / "docs").mkdir()
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(
        f"site_name: S\nplugins:\n  - techplan:\n      processes: {processes}\n", encoding="utf-8"
    )
    config = load_config(str(config_file))
    plugin = config.plugins["techplan"]
    plugin.on_startup(command=command, dirty=False)
    plugin.on_config(config)
    assert plugin.catalog.helper is helper_expected
