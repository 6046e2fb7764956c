"""Reading an author's file: only a regular file, only inside its folder, never without bound.

A FIFO or a device (a plan symlinked to `/dev/zero` or stdin) would block a build forever or
fill memory; a symlink out of the docs folder would publish another file's first characters.
The file is opened without blocking and checked on the open descriptor, so what is checked is
what is read.
"""

from __future__ import annotations

import os
import stat


class UnreadableFile(Exception):
    """A file that is not read, and why, in words for its author."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_inside(path: str, folder: str) -> bool:
    """Whether `path` is `folder` or below it, both with their links resolved."""
    real, root = os.path.realpath(path), os.path.realpath(folder)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def read_bounded(path: str, max_bytes: int, *, inside: str | None = None) -> bytes:
    """At most `max_bytes + 1` bytes of the regular file at `path` (one more than the limit,
    so a caller can tell a file over it); with `inside`, only when the file's real path (links
    resolved) is in that folder."""
    if inside is not None and not is_inside(path, inside):
        raise UnreadableFile(
            "the file is a symbolic link to a file outside the docs folder, which is not "
            "read; put the file itself in the docs folder"
        )
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise UnreadableFile(f"cannot read the file: {error.strerror}") from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise UnreadableFile(
                f"this is not a regular file but {_kind(mode)}, which is not read; "
                "write the plan as an ordinary file"
            )
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(descriptor, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except OSError as error:
        raise UnreadableFile(f"cannot read the file: {error.strerror}") from None
    finally:
        os.close(descriptor)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"
