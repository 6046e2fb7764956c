"""Edit-to-page time under `mkdocs serve` (used by bench_build.py).

Starts `mkdocs serve` on a copy of a site, waits for its first build, then edits one plan's
status and summary, as an author would, and polls the development server until both the
plan's page and the index show the edit. The server answers a request only once the rebuild
it is waiting for is done, so the time measured is what an author waits for after saving.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

POLL_SECONDS = 0.05


def measure_edit(
    site: Path, workdir: Path, *, dirty: bool, timeout: float = 1800
) -> dict[str, Any]:
    """Seconds from saving an edited plan to the served plan page and index showing it."""
    copy = workdir / f"serve-{site.name}-{'dirty' if dirty else 'clean'}"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(site, copy)
    plan_file = _a_draft_plan(copy / "docs" / "plans")
    page_path = plan_file.parent.relative_to(copy / "docs").as_posix() + "/"
    port = _free_port()
    command = [
        sys.executable, "-m", "mkdocs", "serve", "-f", str(copy / "mkdocs.yml"),
        "-a", f"127.0.0.1:{port}",
    ]  # fmt: skip
    if dirty:
        command.append("--dirty")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    log = workdir / f"{copy.name}.log"  # a file, not a pipe: a full pipe would stall the server
    with log.open("w") as output:
        server = subprocess.Popen(
            command, cwd=copy, env=env, stdout=output, stderr=output, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}/"
    try:
        started = time.perf_counter()
        _wait_for(lambda: _get(base + page_path) is not None, timeout, server, log)
        first_build = time.perf_counter() - started
        time.sleep(1.0)  # the watcher settles after the first build
        marker = f"edited-{int(time.time())}"
        text = _edited(plan_file.read_text(encoding="utf-8"), marker)
        saved = time.perf_counter()
        plan_file.write_text(text, encoding="utf-8")

        def shown() -> bool:
            page = _get(base + page_path) or ""
            index = _get(base + "plans/") or ""
            return marker in page and "In Review" in page and marker in index

        _wait_for(shown, timeout, server, log)
        return {
            "dirty": dirty,
            "first_build_seconds": first_build,
            "edit_to_page_seconds": time.perf_counter() - saved,
        }
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(copy, ignore_errors=True)


def _edited(text: str, marker: str) -> str:
    """The plan with status In Review and `marker` as its summary (a top-level key whose
    value may go on over indented lines)."""
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("summary:"))
    end = start + 1
    while end < len(lines) and lines[end].startswith(" "):
        end += 1
    lines[start:end] = [f"summary: {marker}"]
    return "\n".join(lines).replace("\nstatus: Draft\n", "\nstatus: In Review\n", 1) + "\n"


def _a_draft_plan(plans: Path) -> Path:
    for path in sorted(plans.glob("*/plan.yaml")):
        if "\nstatus: Draft\n" in path.read_text(encoding="utf-8"):
            return path
    raise SystemExit(f"no Draft plan under {plans}")


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=600) as response:
            return str(response.read().decode("utf-8", "replace"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(condition: Any, timeout: float, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if server.poll() is not None:
            raise SystemExit(f"mkdocs serve stopped:\n{log.read_text()[-3000:]}")
        if time.perf_counter() > deadline:
            raise SystemExit("mkdocs serve did not show the page in time")
        time.sleep(POLL_SECONDS)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
