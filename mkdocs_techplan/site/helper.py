"""Work shared with a helper process started fresh, where forking is not safe.

Zensical converts pages in a worker thread while its main thread waits, and `mkdocs serve`
runs its server's threads: a process forked beside other threads can deadlock
(`forked.py` is for the builds and commands that run alone). A new interpreter inherits
nothing, so it can always be started; it costs what its start and imports cost (0.25 s or
so, on a processor the other process shares), which the work pays back from a few hundred
plans: at 1,000 plans a build's parsing took 1.21-1.25 s with a helper, 1.51-1.67 s
without; at 300 plans, the same time.

The two processes work from the two ends of the list: this one from the first item, the
helper from the last, each item once. This process never waits for the helper: it reads
what the helper has sent after each item it makes, and stops when it reaches the items the
helper has done. A helper that starts slowly, fails or dies only does less; all that is left
is done here, so a failure costs time, never results.

The helper is `python -m <module>`, where the module calls `serve_one_job` with the function
that makes item `index` of the job it is sent (the same function this process makes its
items with) (pickled through its standard input; the
items come back pickled through its standard output). Both ends are this package's code,
so nothing else is ever unpickled.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import subprocess
import sys
from collections.abc import Callable
from typing import IO, Any, TypeVar

T = TypeVar("T")

HELPER_FROM = 500
"""Items from which a helper is started: at 300 plans it saved nothing, at 1,000 a fifth."""

_ITEM = struct.Struct("!IQ")
"""Each item the helper sends: its index, then the length of its pickled bytes."""


def can_help(count: int) -> bool:
    """Whether `with_helper` starts a helper for `count` items: enough of them, a second
    processor for it to run on, an interpreter to start, and pipes that can be read without
    waiting (POSIX)."""
    return (
        count >= HELPER_FROM and _processors() > 1 and bool(sys.executable) and os.name == "posix"
    )


def _processors() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def with_helper(count: int, make: Callable[[int], T], module: str, job: Any) -> list[T]:
    """`[make(0), …, make(count - 1)]`, the last ones made by a helper (`python -m module`,
    sent `job`) while this process makes the first ones; all made here when no helper can be
    started or `can_help` says it would not pay."""
    helper = _start(module, count, job) if can_help(count) else None
    if helper is None:
        return [make(index) for index in range(count)]
    assert helper.stdout is not None
    sent = _Sent(helper.stdout.fileno(), count)
    made: dict[int, T] = {}
    try:
        index = 0
        while index < sent.frontier:
            made[index] = make(index)
            index += 1
            sent.take()
    finally:
        helper.kill()  # what it is making now is not needed
        with contextlib.suppress(OSError):
            helper.stdout.close()
        helper.wait()
    made.update(sent.made)
    return [made[index] for index in range(count)]


def _start(module: str, count: int, job: Any) -> subprocess.Popen[bytes] | None:
    try:
        helper = subprocess.Popen(
            [sys.executable, "-m", module],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError:  # no interpreter to start (an embedded one), or a limit on processes
        return None
    assert helper.stdin is not None and helper.stdout is not None
    try:
        with helper.stdin:
            helper.stdin.write(pickle.dumps((count, job), protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:  # it ended at once: everything is made here
        pass
    os.set_blocking(helper.stdout.fileno(), False)
    return helper


class _Sent:
    """What the helper has sent: each item by its index, the last first."""

    def __init__(self, output: int, count: int) -> None:
        self._output = output
        self._buffer = bytearray()
        self._open = True
        self.made: dict[int, Any] = {}
        self.frontier = count
        """The first of the items the helper has made, without a gap, up to the last."""

    def take(self) -> None:
        """Read what the helper has sent so far, without waiting for more."""
        while self._open:
            try:
                chunk = os.read(self._output, 1 << 20)
            except BlockingIOError:
                break
            except OSError:
                chunk = b""
            if not chunk:  # the helper has ended
                self._open = False
            self._buffer += chunk
        buffer = self._buffer
        while len(buffer) >= _ITEM.size:
            index, size = _ITEM.unpack_from(buffer)
            if len(buffer) < _ITEM.size + size:
                break
            data = bytes(buffer[_ITEM.size : _ITEM.size + size])
            del buffer[: _ITEM.size + size]
            try:
                if index != self.frontier - 1:  # not what the helper sends
                    raise ValueError(index)
                self.made[index] = pickle.loads(data)
            except Exception:  # nothing more is taken from it: the rest is made here
                self._open = False
                buffer.clear()
                break
            self.frontier = index


def serve_one_job(
    worker: Callable[[], Callable[[Any, int], Any]], stream: IO[bytes] | None = None
) -> None:
    """The helper's side: read one job from standard input, then send each item of it from
    the last down, until done or the other end stops reading. `worker` is called once the
    job is read, to import what the work needs and give the function that makes item `index`
    of a job: the other end waits while it writes the job, and a pipe holds less than some
    jobs."""
    raw = sys.stdin.buffer.read()
    make = worker()
    count, job = pickle.loads(raw)
    out = stream or sys.stdout.buffer
    for index in reversed(range(count)):
        data = pickle.dumps(make(job, index), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            out.write(_ITEM.pack(index, len(data)) + data)
            out.flush()
        except OSError:  # the other end has what it needs
            return
