"""One measured `mkdocs build` (run in its own process by bench_build.py).

Prints one JSON line: wall seconds of the build, seconds spent inside the techplan plugin's
event handlers (total and per event), and the process's peak memory. With --capture DIR it also
writes each generated plan page's Markdown to DIR (for the plugin-off "limit" site).
"""

from __future__ import annotations

import argparse
import functools
import json
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("config_file")
    parser.add_argument("--capture", type=Path)
    args = parser.parse_args()
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as site_dir:
        config = load_config(args.config_file, site_dir=site_dir)
        plugins = config.plugins
        if "techplan" in plugins:
            _time_events(plugins, "techplan", timings)
        if args.capture is not None:
            _capture_final_markdown(plugins, config, args.capture)
        started = time.perf_counter()
        build(config)
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "seconds": seconds,
        "plugin_seconds": sum(timings.values()),
        "plugin_events": timings,
        "max_rss_kib": peak,
    }))


def _time_events(plugins: Any, name: str, timings: dict[str, float]) -> None:
    """Wrap the named plugin's registered handlers so time spent in them is summed per event."""
    for event, handlers in plugins.events.items():
        for index, handler in enumerate(handlers):
            if plugins._event_origins.get(handler) != name:
                continue

            @functools.wraps(handler)
            def timed(*args: Any, _handler: Any = handler, _event: str = event, **kwargs: Any) -> Any:
                started = time.perf_counter()
                try:
                    return _handler(*args, **kwargs)
                finally:
                    timings[_event] = timings.get(_event, 0.0) + time.perf_counter() - started

            timed.mkdocs_priority = getattr(handler, "mkdocs_priority", 0)  # type: ignore[attr-defined]
            handlers[index] = timed
            plugins._event_origins[timed] = name  # File.generated() reads the current plugin


def _capture_final_markdown(plugins: Any, config: Any, target: Path) -> None:
    """Write every generated page's Markdown, as the last page_markdown handler sees it."""

    def capture(markdown: str, *, page: Any, **kwargs: Any) -> None:
        if page.file.generated_by is None and not page.file.src_uri.endswith(".md"):
            return
        if page.file.generated_by is None and markdown == page.file.content_string:
            return  # a hand-written page the plugin did not change: copied as it is
        front = yaml.safe_dump(page.meta, allow_unicode=True, sort_keys=False) if page.meta else ""
        path = target / page.file.src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text((f"---\n{front}---\n\n" if front else "") + markdown, encoding="utf-8")

    plugins.events["page_markdown"].append(capture)


if __name__ == "__main__":
    main()
