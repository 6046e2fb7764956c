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
import gc
import mmap
import os
import pickle
import selectors
import signal
import struct
import threading
from collections.abc import Callable, Iterator
from typing import IO, Any, Generic, TypeVar

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows, where nothing is forked
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")

Work = Callable[[int, int], list[Any]]
"""The results for the items `start` to `stop` of the work, in order."""

PARALLEL_FROM = 16
"""Items below which the work is done here: a process (a few milliseconds to fork) costs more
than it saves. From 20 plans a build takes no longer with its processes than without, and its
own memory holds 6 MiB less (the parsing's garbage and the schema validator stay in them)."""

_forking = threading.Lock()
_FRAME = struct.Struct("!Q")
"""Each item a process writes into its pipe (`MadeAhead`'s texts, `in_processes`' parts after
their number): its length, then its bytes."""


def shares_out(count: int, workers: int) -> bool:
    """Whether `in_processes` would share out work of `count` items to `workers` processes."""
    return workers > 1 and count >= max(PARALLEL_FROM, 2) and _can_fork()


def _can_fork() -> bool:
    return hasattr(os, "fork")


def _fork(child: Callable[[IO[bytes]], None], pipe_size: int = 0) -> tuple[int, IO[bytes]]:
    """A forked process that runs `child` with the writing end of a pipe, then exits; its id,
    and the reading end. The process ends with `os._exit`: it never runs this one's exit
    handlers, nor flushes the output this one has not written yet. `pipe_size`: what the
    pipe should hold, where the system lets it be set (Linux), else what it holds."""
    reader, writer = os.pipe()
    if pipe_size and fcntl is not None and hasattr(fcntl, "F_SETPIPE_SZ"):
        with contextlib.suppress(OSError):  # above the system's limit: the pipe as it is
            fcntl.fcntl(writer, fcntl.F_SETPIPE_SZ, pipe_size)
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

    The items are cut into small parts, which the processes take one after another from a
    queue (a pipe): one that runs slower (its processor is shared with something else) takes
    fewer, so they end together. Each part's results come back as soon as they are made and
    are unpickled here while the processes go on.

    This process takes no part: what parsing leaves behind (and the libraries only parsing
    uses) stays in the processes, which end, so a build's own memory holds only the plans
    that come back. A part that does not come back (its process failed or died) is done
    again here, so a failure costs time, never results."""
    if not shares_out(count, workers):
        return work(0, count)
    parts = _parts(count, workers)
    queue_reader, queue_writer = os.pipe()
    # Every part's number, written at once (at most `_MOST_PARTS`, 4 bytes each, which any
    # pipe holds, so the write never waits for a reader); with its writing end closed, a
    # process that finds the queue empty reads its end.
    os.write(queue_writer, b"".join(_PART.pack(number) for number in range(len(parts))))
    os.close(queue_writer)
    readers: list[tuple[int, IO[bytes]]] = []
    try:
        for _ in range(min(workers, len(parts))):
            try:
                readers.append(
                    _fork(
                        functools.partial(_take_parts, work=work, parts=parts, queue=queue_reader)
                    )
                )
            except OSError:  # no process could be forked (a limit): what is left is done here
                break
    finally:
        os.close(queue_reader)
    done: dict[int, list[T]] = {}
    try:
        _read_parts([reader for _, reader in readers], done)
    finally:
        for pid, reader in readers:
            reader.close()
            _reap(pid)
    results: list[T] = []
    for number, part in enumerate(parts):
        results += done[number] if number in done else work(*part)
    return results


def _parts(count: int, workers: int) -> list[tuple[int, int]]:
    """The items `0` to `count` cut into parts of equal size, in order."""
    size = -(-count // min(count, workers * _PARTS_PER_PROCESS, _MOST_PARTS))
    return [(start, min(start + size, count)) for start in range(0, count, size)]


_PARTS_PER_PROCESS = 8
"""Parts for each process: enough that the processes end within a part of each other, few
enough that a part (a few dozen plans) costs far more than taking it from the queue."""
_MOST_PARTS = 1024
"""What the queue holds at most: 4 KiB, less than any system's pipe holds at once."""
_PART = struct.Struct("!I")


def _take_parts(stream: IO[bytes], *, work: Work, parts: list[tuple[int, int]], queue: int) -> None:
    # The process ends when its work is done: its garbage goes with it, so the collector,
    # which would walk every object it shares with the build (copying their pages), is off.
    gc.disable()
    while len(taken := os.read(queue, _PART.size)) == _PART.size:
        (number,) = _PART.unpack(taken)
        data = pickle.dumps(work(*parts[number]), protocol=pickle.HIGHEST_PROTOCOL)
        stream.write(_PART.pack(number) + _FRAME.pack(len(data)) + data)
        stream.flush()


def _read_parts(readers: list[IO[bytes]], done: dict[int, list[Any]]) -> None:
    """Each part the processes send into `done` by its number, as it arrives, until every
    pipe ends. A process that failed leaves its last part cut short: that part is left out.

    The pipes are read as they fill: a process whose pipe were left full would wait."""
    pending = {reader.fileno(): bytearray() for reader in readers}
    with selectors.DefaultSelector() as selector:
        for descriptor in pending:
            selector.register(descriptor, selectors.EVENT_READ)
        while pending:
            for key, _ in selector.select():
                descriptor = int(key.fd)
                chunk = os.read(descriptor, 1 << 20)
                if not chunk:
                    selector.unregister(descriptor)
                    del pending[descriptor]
                    continue
                buffer = pending[descriptor]
                buffer += chunk
                _take_whole_parts(buffer, done)


def _take_whole_parts(buffer: bytearray, done: dict[int, list[Any]]) -> None:
    """The whole parts at the start of `buffer`, unpickled into `done` and cut off it."""
    header = _PART.size + _FRAME.size
    while len(buffer) >= header:
        (number,) = _PART.unpack_from(buffer)
        (size,) = _FRAME.unpack_from(buffer, _PART.size)
        if len(buffer) < header + size:
            return
        # Unpickling makes thousands of objects that all live on: the collector, run
        # every 700 of them, would walk them again and again for nothing. A damaged part is
        # left out, and done again here.
        data = buffer[header : header + size]  # a copy: the buffer is cut below
        del buffer[: header + size]
        with collector_paused(), contextlib.suppress(Exception):
            done[number] = pickle.loads(data)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while making many objects that stay (unpickled plans):
    run meanwhile, it would scan them again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


SPARE_LEAD = 2
"""Items a process making items ahead must be ahead of the build to do spare work."""
_AHEAD_PIPE_SIZE = 1 << 20
"""What the pipe of items made ahead holds: a plan page with its HTML is about 80 KB, more
than a pipe holds by default (64 KiB), which kept the process at most an item ahead, and the
build waited for it. 1 MiB, the most Linux allows by default, keeps a dozen."""


class MadeAhead(Generic[T]):
    """Items (texts, say) made one after another in a forked process, while this process
    goes on with its own work, and taken here in the same order as they are needed.

    The process writes each item, pickled, into a pipe, so it runs only a few items ahead of
    what is taken: the items waiting are never more than the pipe holds. An item asked for
    out of order is kept until asked for; one asked for twice, or that the process could not
    make, is None, and the caller makes it itself."""

    def __init__(
        self,
        count: int,
        make: Callable[[int], T],
        *,
        spare: Callable[[int, T], T] | None = None,
    ) -> None:
        """`spare(index, item)`, when given, makes more of an item (work the build would
        otherwise do itself) where the process has time to spare: when it is at least
        `SPARE_LEAD` items ahead of what the build has taken. So the build seldom waits for
        work it could have done."""
        # How many items the build has taken, shared with the process (an anonymous mapping
        # is shared across a fork): it reads how far ahead it is.
        self._taken = mmap.mmap(-1, _FRAME.size)
        # Forked: the process inherits `make` and all it reads; only what it makes is pickled.
        self._pid, reader = _fork(
            functools.partial(
                _make_all, count=count, make=make, spare=spare, lead=SPARE_LEAD, taken=self._taken
            ),
            pipe_size=_AHEAD_PIPE_SIZE,
        )
        self._reader: IO[bytes] | None = reader
        self._arrived = 0
        self._early: dict[int, T] = {}

    def take(self, index: int) -> T | None:
        """Item `index`, or None when it is not to be had from the process."""
        if not self._taken.closed:
            _FRAME.pack_into(self._taken, 0, index + 1)
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
            self._taken.close()
        self._early.clear()


def _make_all(
    stream: IO[bytes],
    *,
    count: int,
    make: Callable[[int], Any],
    spare: Callable[[int, Any], Any] | None,
    lead: int,
    taken: mmap.mmap,
) -> None:
    # Everything this process inherited lives as long as it does: frozen, the collector
    # walks only what the process makes. A full collection walked the whole build's heap
    # (130-150 ms, copying its pages), twice a build of 1,000 plans, while the build waited.
    gc.freeze()
    for index in range(count):
        try:
            item = make(index)
            if spare is not None and index - _FRAME.unpack_from(taken)[0] >= lead:
                item = spare(index, item)
            data = b"+" + pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
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
