"""Writing a file people asked for (`-o FILE`): whole or not at all, and never blocking.

A regular file is replaced whole (write a neighbour, then rename), so a failure (a full disk, a
size limit) never leaves half a report or half a template. A device (/dev/stdout, /dev/null) is
written in place. A FIFO is written only when a reader is already waiting: opening it for writing
would otherwise block for ever.
"""
from __future__ import annotations

import errno
import fcntl
import os
import stat


def write(path: str, data: bytes) -> None:
    """Raises OSError (with a readable strerror) when the file cannot be written."""
    try:
        existing = os.stat(path)  # through symbolic links: /dev/stdout is one
    except FileNotFoundError:
        existing = None
    if existing is not None and stat.S_ISFIFO(existing.st_mode):
        _write_fifo(path, data)
        return
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        with open(path, "wb") as stream:
            stream.write(data)
        return
    target = os.path.realpath(path)  # a link to a file: replace the file, keep the link
    temporary = os.path.join(os.path.dirname(target), f".{os.path.basename(target)}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                 0o666 if existing is None else stat.S_IMODE(existing.st_mode))
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _write_fifo(path: str, data: bytes) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OSError(errno.ENXIO, "a pipe with nobody reading it") from None
        raise
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
    with os.fdopen(fd, "wb") as stream:
        stream.write(data)
