"""Work shared out to forked processes, for the commands and builds that run once.

A forked process starts with everything this one holds (the parsed site, the compiled
templates), so nothing is pickled on the way in and nothing is set up again; only the
results come back. Where the system cannot fork (Windows), or the work is too small to pay
for a process, it is all done here.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

Work = Callable[[int, int], list[Any]]
"""The results for the items `start` to `stop` of the work, in order."""

PARALLEL_FROM = 200
"""Items below which the work is done here: a process costs more than it saves."""

_work: Work | None = None
"""The work of the processes being forked: they find it here, as they inherit it."""
_forking = threading.Lock()


def shares_out(count: int, workers: int) -> bool:
    """Whether `in_processes` would share out work of `count` items to `workers` processes."""
    return workers > 1 and count >= max(PARALLEL_FROM, 2) and _can_fork()


def _can_fork() -> bool:
    try:
        multiprocessing.get_context("fork")
    except ValueError:
        return False
    return True


def in_processes(count: int, work: Callable[[int, int], list[T]], workers: int) -> list[T]:
    """`work(0, count)`, shared out to `workers` processes (this one takes the first part).

    A part whose process fails is done again here, so a failure costs time, never results."""
    if not shares_out(count, workers):
        return work(0, count)
    context = multiprocessing.get_context("fork")
    global _work
    size = -(-count // workers)
    parts = [(start, min(start + size, count)) for start in range(0, count, size)]
    with _forking:
        _work = work
        try:
            pool = context.Pool(len(parts) - 1)  # forked here, with `_work` set
        finally:
            _work = None
    with pool:
        others = pool.map_async(_run, parts[1:])
        first = work(*parts[0])
        try:
            return first + [item for part in others.get() for item in part]
        except Exception:
            return first + work(parts[1][0], count)


def _run(part: tuple[int, int]) -> list[Any]:
    assert _work is not None, "only run in a process forked by in_processes"
    return _work(*part)
