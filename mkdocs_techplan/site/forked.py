"""Work shared out to forked processes, for the commands and builds that run once.

A forked process starts with everything this one holds (the parsed site, the compiled
templates), so nothing is pickled on the way in and nothing is set up again; only the
results come back, pickled, through a pipe. Where the system cannot fork (Windows), or the
work is too small to pay for a process, it is all done here.

`os.fork` and `os.pipe`, not `multiprocessing`: a process that runs one function, writes into
one pipe and exits needs none of its machinery, and importing it cost every build 0.36 MiB.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import signal
import struct
import threading
from collections.abc import Callable
from typing import IO, Any, Generic, TypeVar

T = TypeVar("T")

Work = Callable[[int, int], list[Any]]
"""The results for the items `start` to `stop` of the work, in order."""

PARALLEL_FROM = 16
"""Items below which the work is done here: a process (a few milliseconds to fork) costs more
than it saves. From 20 plans a build takes no longer with its processes than without, and its
own memory holds 6 MiB less (the parsing's garbage and the schema validator stay in them)."""

_forking = threading.Lock()
_FRAME = struct.Struct("!Q")
"""Each item written by `MadeAhead`'s process: its length, then its bytes."""


def shares_out(count: int, workers: int) -> bool:
    """Whether `in_processes` would share out work of `count` items to `workers` processes."""
    return workers > 1 and count >= max(PARALLEL_FROM, 2) and _can_fork()


def _can_fork() -> bool:
    return hasattr(os, "fork")


def _fork(child: Callable[[IO[bytes]], None]) -> tuple[int, IO[bytes]]:
    """A forked process that runs `child` with the writing end of a pipe, then exits; its id,
    and the reading end. The process ends with `os._exit`: it never runs this one's exit
    handlers, nor flushes the output this one has not written yet."""
    reader, writer = os.pipe()
    with _forking:  # one fork at a time: `serve` runs builds while its server threads run
        pid = os.fork()
    if pid == 0:  # pragma: no cover (the forked process; its work is checked by its results)
        code = 1
        try:
            os.close(reader)
            with os.fdopen(writer, "wb") as stream:
                child(stream)
            code = 0
        finally:
            os._exit(code)
    os.close(writer)  # this process's copy: the reader sees the end when the process ends
    return pid, os.fdopen(reader, "rb")


def _reap(pid: int, *, stop: bool = False) -> None:
    """Wait for process `pid` to end (stopping it first with `stop`), so it leaves no entry."""
    if stop:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    with contextlib.suppress(ChildProcessError):  # already waited for
        os.waitpid(pid, 0)


def in_processes(count: int, work: Callable[[int, int], list[T]], workers: int) -> list[T]:
    """`work(0, count)`, shared out to `workers` processes, this one waiting for them.

    This process takes no part: what parsing leaves behind (and the libraries only parsing
    uses) stays in the processes, which end, so a build's own memory holds only the plans
    that come back. A part whose process fails is done again here, so a failure costs time,
    never results."""
    if not shares_out(count, workers):
        return work(0, count)
    size = -(-count // workers)
    parts = [(start, min(start + size, count)) for start in range(0, count, size)]
    # Each part with its process (its id and the pipe it writes into), or None when no
    # process could be forked (a limit on processes or files): that part is done here.
    running: list[tuple[tuple[int, int], tuple[int, IO[bytes]] | None]] = []
    for part in parts:
        try:
            running.append((part, _fork(functools.partial(_send, work=work, part=part))))
        except OSError:
            running.append((part, None))
    results: list[T] = []
    for part, process in running:
        if process is None:
            results += work(*part)
            continue
        pid, reader = process
        try:
            with reader:
                # A process that dies (killed for memory, say) or fails leaves the pipe
                # empty or cut short: the part's results cannot be read.
                results += pickle.loads(reader.read())
        except Exception:  # its process failed or died: the part is done here
            results += work(*part)
        finally:
            _reap(pid)
    return results


def _send(stream: IO[bytes], *, work: Work, part: tuple[int, int]) -> None:
    stream.write(pickle.dumps(work(*part), protocol=pickle.HIGHEST_PROTOCOL))


class MadeAhead(Generic[T]):
    """Items (texts, say) made one after another in a forked process, while this process
    goes on with its own work, and taken here in the same order as they are needed.

    The process writes each item, pickled, into a pipe, so it runs only a few items ahead of
    what is taken: the items waiting are never more than the pipe holds. An item asked for
    out of order is kept until asked for; one asked for twice, or that the process could not
    make, is None, and the caller makes it itself."""

    def __init__(self, count: int, make: Callable[[int], T]) -> None:
        # Forked: the process inherits `make` and all it reads; only what it makes is pickled.
        self._pid, reader = _fork(functools.partial(_make_all, count=count, make=make))
        self._reader: IO[bytes] | None = reader
        self._arrived = 0
        self._early: dict[int, T] = {}

    def take(self, index: int) -> T | None:
        """Item `index`, or None when it is not to be had from the process."""
        if index in self._early:
            return self._early.pop(index)
        while self._reader is not None and self._arrived <= index:
            try:
                data = _read_frame(self._reader)
            except (EOFError, OSError):  # the process ended early: the rest is made here
                self.close()
                return None
            arrived, self._arrived = self._arrived, self._arrived + 1
            made: T | None = pickle.loads(data[1:]) if data[:1] == b"+" else None
            if arrived == index:
                return made
            if made is not None:
                self._early[arrived] = made
        return None

    def close(self) -> None:
        """Stop the process (whatever it has left to make) and let go of what it made."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None
            _reap(self._pid, stop=True)
        self._early.clear()


def _make_all(stream: IO[bytes], *, count: int, make: Callable[[int], Any]) -> None:
    for index in range(count):
        try:
            data = b"+" + pickle.dumps(make(index), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # made again by the build, which reports it
            data = b"-"
        try:
            stream.write(_FRAME.pack(len(data)) + data)
            stream.flush()  # waits while the pipe is full: a few items ahead, no more
        except OSError:  # the build stopped reading (it has closed its end)
            return


def _read_frame(stream: IO[bytes]) -> bytes:
    header = stream.read(_FRAME.size)
    if len(header) < _FRAME.size:
        raise EOFError
    (size,) = _FRAME.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return data
