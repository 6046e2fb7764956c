"""Work shared out to forked processes, for the commands and builds that run once.

A forked process starts with everything this one holds (the parsed site, the compiled
templates), so nothing is pickled on the way in and nothing is set up again; only the
results come back. Where the system cannot fork (Windows), or the work is too small to pay
for a process, it is all done here.
"""

from __future__ import annotations

import multiprocessing
import pickle
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")

Work = Callable[[int, int], list[Any]]
"""The results for the items `start` to `stop` of the work, in order."""

PARALLEL_FROM = 16
"""Items below which the work is done here: a process (a few milliseconds to fork) costs more
than it saves. From 20 plans a build takes no longer with its processes than without, and its
own memory holds 6 MiB less (the parsing's garbage and the schema validator stay in them)."""

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
    """`work(0, count)`, shared out to `workers` processes, this one waiting for them.

    This process takes no part: what parsing leaves behind (and the libraries only parsing
    uses) stays in the processes, which end, so a build's own memory holds only the plans
    that come back. A part whose process fails is done again here, so a failure costs time,
    never results."""
    if not shares_out(count, workers):
        return work(0, count)
    context = multiprocessing.get_context("fork")
    size = -(-count // workers)
    parts = [(start, min(start + size, count)) for start in range(0, count, size)]
    # A process and a pipe per part, not an executor: nothing but the results crosses, and
    # this process starts no threads to feed queues. A process that dies (killed for
    # memory, say) closes its end of the pipe, which this one reads as its part's failure.
    running = []
    with _forking:
        for part in parts:
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(target=_send, args=(writer, work, part), daemon=True)
            process.start()  # forked: it inherits `work` and all it reads
            writer.close()  # this process's copy: the reader sees the end if the process dies
            running.append((part, reader, process))
    results: list[T] = []
    for part, reader, process in running:
        try:
            results += pickle.loads(reader.recv_bytes())
        except Exception:  # its process failed or died: the part is done here
            results += work(*part)
        finally:
            reader.close()
            process.join()
    return results


def _send(writer: Any, work: Work, part: tuple[int, int]) -> None:
    try:
        data = pickle.dumps(work(*part), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # redone by the process that forked this one, which reports it
        return
    writer.send_bytes(data)


class MadeAhead(Generic[T]):
    """Items (texts, say) made one after another in a forked process, while this process
    goes on with its own work, and taken here in the same order as they are needed.

    The process writes each item, pickled, into a pipe, so it runs only a few items ahead of
    what is taken: the items waiting are never more than the pipe holds. An item asked for
    out of order is kept until asked for; one asked for twice, or that the process could not
    make, is None, and the caller makes it itself."""

    def __init__(self, count: int, make: Callable[[int], T]) -> None:
        context = multiprocessing.get_context("fork")
        reader, writer = context.Pipe(duplex=False)
        # Forked: the process inherits `make` and all it reads; only what it makes is pickled.
        self._process = context.Process(target=_make_all, args=(writer, count, make), daemon=True)
        with _forking:
            self._process.start()
        writer.close()  # this process's copy: the reader sees the end when the process ends
        self._reader: Any = reader
        self._arrived = 0
        self._early: dict[int, T] = {}

    def take(self, index: int) -> T | None:
        """Item `index`, or None when it is not to be had from the process."""
        if index in self._early:
            return self._early.pop(index)
        while self._reader is not None and self._arrived <= index:
            try:
                data = self._reader.recv_bytes()
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
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._early.clear()


def _make_all(writer: Any, count: int, make: Callable[[int], Any]) -> None:
    for index in range(count):
        try:
            data = b"+" + pickle.dumps(make(index), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # made again by the build, which reports it
            data = b"-"
        try:
            writer.send_bytes(data)
        except OSError:  # the build stopped reading (it has closed its end)
            return
