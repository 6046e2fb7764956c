"""One measured `mkdocs build` (run in its own process by bench_build.py).

Prints one JSON line: wall seconds of the build, seconds spent inside the techplan plugin's
event handlers (total, per event, and per stage of its work), and the process's peak memory.
With --capture DIR it also writes what the plugin generated (each generated or changed page's
final Markdown, and the files it adds: stylesheet, script, badges, plans.json) to DIR, for the
plugin-off "limit" site.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

# The plugin's work by stage: (stage, module, function). A stage's time is what its
# functions spend, each measured where the plugin calls it; "load" is what loading a plan
# costs besides validating and modelling it (reading the file, parsing the YAML).
STAGES: list[tuple[str, str, str]] = [
    ("load", "mkdocs_techplan.site.catalog", "load_plan"),
    ("validate", "mkdocs_techplan.site.catalog", "validate_document"),
    ("model", "mkdocs_techplan.site.catalog", "build_plan"),
    ("references", "mkdocs_techplan.site.checks", "place_plans"),
    ("cross-links", "mkdocs_techplan.site.checks", "apply_status_rules"),
    ("cross-links", "mkdocs_techplan.site.checks", "link_supersedes"),
    ("cross-links", "mkdocs_techplan.render.site_pages", "link_backlinks"),
    ("cross-links", "mkdocs_techplan.build.core", "find_stale"),
    ("render", "mkdocs_techplan.render.site_pages", "assemble_blocks"),
    ("render", "mkdocs_techplan.render.site_pages", "render_pages"),
    # Plan pages are rendered when MkDocs reads them, outside the plugin's events.
    ("render", "mkdocs_techplan.render.renderer", "PlanRenderer.render"),
    # And a page rendered ahead (`SiteBuild.render_ahead`) is taken when MkDocs reads it.
    ("render", "mkdocs_techplan.build.core", "_taken"),
    ("index + exports", "mkdocs_techplan.render.site_pages", "Listings"),
    ("index + exports", "mkdocs_techplan.build.core", "publish"),
]
NESTED = {"validate", "model"}
"""Stages measured inside `load`'s function, subtracted from it."""
OUTSIDE = "outside events"
"""Key of the plugin's work MkDocs runs outside the plugin's events (rendering a plan page
when it reads the page), added to the time spent in the events."""
_depth = [0]
"""How many of the plugin's event handlers are running (stages inside them count once)."""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("config_file")
    parser.add_argument("--capture", type=Path)
    parser.add_argument(
        "--plugin-only",
        action="store_true",
        help="run only the plugin's events (no Markdown conversion, no theme): its own cost",
    )
    args = parser.parse_args()
    if args.plugin_only:
        plugin_only(args.config_file)
        return
    events: dict[str, float] = {}
    stages: dict[str, float] = {}
    phases: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as site_dir:
        config = load_config(args.config_file, site_dir=site_dir)
        plugins = config.plugins
        if "techplan" in plugins:
            _time_events(plugins, "techplan", events)
            _time_stages(stages)
        _time_phases(phases)
        if args.capture is not None:
            _capture(plugins, args.capture)
        started = time.perf_counter()
        plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` runs it
        try:
            build(config)
        finally:
            plugins.on_shutdown()
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # A build of many plans parses them in forked processes too: their processor time and
    # the largest one's peak memory (which counts the pages it shares with the build).
    helpers = resource.getrusage(resource.RUSAGE_CHILDREN)
    plugin_seconds = _finish_stages(stages, events)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "plugin_seconds": plugin_seconds,
                "plugin_events": events,
                "plugin_stages": stages,
                "mkdocs_phases": phases,
                "max_rss_kib": peak,
                "helper_cpu_seconds": helpers.ru_utime + helpers.ru_stime,
                "helper_max_rss_kib": helpers.ru_maxrss,
            }
        )
    )


def plugin_only(config_file: str) -> None:
    """The plugin's events as a build runs them, MkDocs' own work left out: what the plugin
    costs per plan at sizes where a whole build would take hours (MkDocs writes the whole
    navigation into every page, so a build grows with the square of the number of pages)."""
    from mkdocs.structure.files import get_files
    from mkdocs.structure.pages import Page

    events: dict[str, float] = {}
    stages: dict[str, float] = {}
    _time_stages(stages)
    with tempfile.TemporaryDirectory() as site_dir:
        config = load_config(config_file, site_dir=site_dir)
        plugins = config.plugins
        plugins._current_plugin = "techplan"  # as MkDocs sets it while the plugin's events run
        plugin = plugins["techplan"]
        on_config = _timed(plugin.on_config, "config", events, kind="event")
        # The collection runs the plugin's `on_files` handlers (a CombinedEvent of two); the
        # site has no other plugin handling that event.
        on_files = _timed(plugins.on_files, "files", events, kind="event")
        on_page_markdown = _timed(plugin.on_page_markdown, "page_markdown", events, kind="event")
        config = on_config(config)
        files = on_files(get_files(config), config=config)
        # Reading the pages renders the plans' (the plugin's work, timed as its stage).
        pages = [
            (Page(None, file, config), file.content_string) for file in files.documentation_pages()
        ]
        for page, markdown in pages:
            on_page_markdown(markdown, page=page, config=config, files=files)
    plugin_seconds = _finish_stages(stages, events)
    print(
        json.dumps(
            {
                "plugin_seconds": plugin_seconds,
                "plugin_events": events,
                "plugin_stages": stages,
                "plans": len(plugin.result.site.placed) if plugin.result else 0,
                "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            }
        )
    )


def _finish_stages(stages: dict[str, float], events: dict[str, float]) -> float:
    """The plugin's whole time (its events, and its work MkDocs runs outside them); `stages`
    made to add up to it."""
    outside = stages.pop(OUTSIDE, 0.0)
    total = sum(events.values()) + outside
    if stages:
        stages["load"] = stages.get("load", 0.0) - sum(stages.get(n, 0.0) for n in NESTED)
        stages["page_markdown"] = events.get("page_markdown", 0.0)
        stages["other"] = total - sum(stages.values())
    return total


def _timed(
    function: Callable[..., Any], key: str, timings: dict[str, float], *, kind: str = "stage"
) -> Any:
    """`function`, its time added to `timings[key]`. `kind`: "event" (a plugin handler),
    "stage" (the plugin's work: its time outside any handler also goes to
    `timings[OUTSIDE]`) or "phase" (MkDocs' work, which may contain either)."""

    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        outside = kind == "stage" and _depth[0] == 0
        ours = kind != "phase"
        _depth[0] += ours
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent = time.perf_counter() - started
            _depth[0] -= ours
            timings[key] = timings.get(key, 0.0) + spent
            if outside:
                timings[OUTSIDE] = timings.get(OUTSIDE, 0.0) + spent

    return timed


def _time_events(plugins: Any, name: str, timings: dict[str, float]) -> None:
    """Wrap the named plugin's registered handlers so time spent in them is summed per event."""
    for event, handlers in plugins.events.items():
        for index, handler in enumerate(handlers):
            if plugins._event_origins.get(handler) != name:
                continue
            timed = _timed(handler, event, timings, kind="event")
            timed.mkdocs_priority = getattr(handler, "mkdocs_priority", 0)
            handlers[index] = timed
            plugins._event_origins[timed] = name  # File.generated() reads the current plugin


def _time_stages(timings: dict[str, float]) -> None:
    """Wrap the functions the plugin calls for each stage, where it looks them up."""
    import importlib

    for stage, module_name, name in STAGES:
        try:
            owner: Any = importlib.import_module(module_name)
        except ImportError:  # a module the plugin no longer has: its stage is not reported
            continue
        *path, function_name = name.split(".")
        for part in path:  # `Class.method`
            owner = getattr(owner, part)
        function = getattr(owner, function_name, None)
        if function is not None:  # a stage the plugin no longer has is simply not reported
            setattr(owner, function_name, _timed(function, stage, timings))


# Where MkDocs spends a build, by phase: (phase, function in mkdocs.commands.build). Each
# phase includes the plugin events MkDocs runs inside it (page_markdown while converting,
# page_context, and so search indexing, while rendering with the theme).
PHASES: list[tuple[str, str]] = [
    ("find files", "get_files"),
    ("navigation", "get_navigation"),
    ("Markdown to HTML", "_populate_page"),
    ("theme templates", "_build_theme_template"),
    ("pages through the theme", "_build_page"),
]


def _time_phases(timings: dict[str, float]) -> None:
    from mkdocs.commands import build as build_module

    for phase, function_name in PHASES:
        function = getattr(build_module, function_name, None)
        if function is not None:
            setattr(build_module, function_name, _timed(function, phase, timings, kind="phase"))


def _capture(plugins: Any, target: Path) -> None:
    """Write every generated page's Markdown as the last page_markdown handler sees it (with
    the plugin's HTML blocks in it), every hand-written page the plugin changed, and every
    other file the plugin generated."""

    plan_html = plugins["techplan"].plan_html
    # The plugin's HTML blocks (banners, timeline, risk matrix, graph, listings) stand as one
    # word in the page's Markdown until it is converted; a listing's links and summaries
    # follow as paragraphs the page converts, and go into the block then. The limit page
    # holds each block as the reader gets it, as a raw HTML block a hand-written page could.
    final_blocks: dict[str, str] = {}
    fill = plan_html._filled  # instrumented here only: the block once its cells are in

    def recorded(token: str, cells: dict[tuple[str, int], str]) -> str:
        final_blocks[token] = block = fill(token, cells)
        return block

    plan_html._filled = recorded
    pending: dict[str, str] = {}

    def capture_page(markdown: str, *, page: Any, **kwargs: Any) -> None:
        file = page.file
        if file.generated_by is None and markdown == file.content_string:
            return  # a hand-written page the plugin did not change: copied as it is
        front = yaml.safe_dump(page.meta, allow_unicode=True, sort_keys=False) if page.meta else ""
        pending[file.src_uri] = (f"---\n{front}---\n\n" if front else "") + markdown

    def capture_content(html: str, *, page: Any, **kwargs: Any) -> None:
        markdown = pending.pop(page.file.src_uri, None)
        if markdown is None:
            return
        markdown = _CELL_PARAGRAPH.sub("", markdown)
        markdown = plan_html._block.sub(lambda word: final_blocks.get(word[0], word[0]), markdown)
        # Code elements stand as words too: the limit page holds them as written.
        markdown = plan_html._inline_word.sub(
            lambda word: plan_html._deferred.get(word[0], word[0]), markdown
        )
        _write(target / page.file.src_uri, markdown)

    def capture_files(files: Any, **kwargs: Any) -> None:
        for file in files:
            if file.generated_by == "techplan" and not file.is_documentation_page():
                path = target / file.src_uri
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(file.content_bytes)

    # Appended: they run after every handler (the plugin's sanitizer puts blocks back in
    # `on_page_content`).
    plugins.events["page_markdown"].append(capture_page)
    plugins.events["page_content"].append(capture_content)
    plugins.events["files"].append(capture_files)


_CELL_PARAGRAPH = re.compile(r"^techplanblock[0-9a-f]+x[0-9]+ .*\n?", re.MULTILINE)
"""A listing's cell (`PlanHtml.defer`): one line, in its block once converted."""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
