"""Reading a request from a file, a pipe or standard input, bounded in bytes and in time.

Nothing about a source is trusted: /dev/zero, pipes and process substitutions report size 0, a
FIFO blocks on open until a writer appears, and a writer may send "{" and then nothing for ever.
So a source is opened without blocking, read through select() against a deadline, and never
beyond MAX_REQUEST_BYTES + 1 bytes (the extra byte detects excess).
"""
from __future__ import annotations

import os
import select
import stat
import sys
import time

from . import limits, validation
from .validation import InvalidRequest, Problem


def _invalid(message: str) -> InvalidRequest:
    return InvalidRequest([Problem("$", message)])


def read_fd(fd: int, source: str, seconds: float | None) -> bytes:
    cap = limits.MAX_REQUEST_BYTES
    deadline = None if not seconds else time.monotonic() + seconds
    chunks, size = [], 0
    while size <= cap:
        wait = None if deadline is None else deadline - time.monotonic()
        if wait is not None and wait <= 0:
            raise _invalid(f"{source} sent no complete request within {seconds:g} s")
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            continue
        try:
            chunk = os.read(fd, cap + 1 - size)
        except BlockingIOError:
            continue
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > cap:
        raise _invalid(f"{source} is more than {cap:,} bytes; the limit is {cap:,}")
    return b"".join(chunks)


def read_path(path: str, seconds: float | None) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens at once instead of waiting
    except IsADirectoryError:
        raise _invalid(f"{path} is a directory, not a request file") from None
    except OSError as exc:
        raise _invalid(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise _invalid(f"{path} is a directory, not a request file")
        return read_fd(fd, path, seconds)
    except OSError as exc:
        raise _invalid(f"cannot read {path}: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)


def read_stdin(seconds: float | None) -> bytes:
    stream = sys.stdin
    try:
        fd = stream.fileno() if stream is not None else None
    except (OSError, ValueError):
        fd = None
    if fd is None:
        raise _invalid("standard input is closed")
    try:
        return read_fd(fd, "standard input", seconds)
    except OSError as exc:
        raise _invalid(f"cannot read standard input: {exc.strerror or exc}") from exc


def load(source: str, seconds: float | None = None):
    """The parsed request in a file path, or in standard input for "-"."""
    if source == "-":
        return validation.parse(read_stdin(seconds), source="standard input")
    return validation.parse(read_path(source, seconds), source=source)
