"""Reading a request from a file, a pipe or standard input, bounded in bytes and in time.

Nothing about a source is trusted: /dev/zero, pipes and process substitutions report size 0, a
FIFO blocks on open until a writer appears, and a writer may send "{" and then nothing for ever.
So a source is opened without blocking, read through select() against a deadline, and never
beyond MAX_REQUEST_BYTES + 1 bytes (the extra byte detects excess).

A file named *.yaml or *.yml is read as YAML (people write requests by hand, with comments; see
`aidf new`), under the same limits and refusing what JSON refuses: a key given twice, anything
that is not plain data. Standard input is always JSON.
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


YAML_SUFFIXES = (".yaml", ".yml")


def is_yaml(source: str) -> bool:
    return source != "-" and source.lower().endswith(YAML_SUFFIXES)


def load(source: str, seconds: float | None = None):
    """The parsed request in a file path, or in standard input for "-"."""
    if source == "-":
        return validation.parse(read_stdin(seconds), source="standard input")
    if is_yaml(source):
        return parse_yaml(read_path(source, seconds), source=source)
    return validation.parse(read_path(source, seconds), source=source)


# -- YAML ------------------------------------------------------------------------------

def _request_loader():
    """The strict loader (aidf.yaml_strict): YAML read as JSON would be, nothing built twice."""
    from . import yaml_strict

    return yaml_strict.loader("a request")


def _yaml_error(exc) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None) or str(exc)
    problem = " ".join(str(problem).split())[:limits.MESSAGE_VALUE_CHARS]
    where = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
    return f"malformed YAML{where}: {problem}"


def parse_yaml(raw: bytes, source: str = "request"):
    """YAML text -> request value, under the limits of JSON requests (aidf.validation.parse).
    Plain answers in fields that say what they hold (a country name, yes/no, "1,700") become
    JSON values (aidf.templates.accept_plain_words)."""
    import yaml

    if len(raw) > limits.MAX_REQUEST_BYTES:
        raise _invalid(f"{source} is {len(raw):,} bytes; the limit is {limits.MAX_REQUEST_BYTES:,}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _invalid(f"{source} is not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    if not text.strip():
        raise _invalid(f"{source} is empty")
    try:
        request = yaml.load(text, Loader=_request_loader())  # noqa: S506 - a safe loader, see above
    except yaml.YAMLError as exc:
        raise _invalid(_yaml_error(exc)) from None
    except RecursionError:
        raise _invalid(f"YAML nested too deeply to read; the limit is {limits.MAX_DEPTH} levels") from None
    except (ValueError, OverflowError) as exc:  # e.g. Python's 4,300-digit guard on integers
        if "integer string conversion" in str(exc) or "Exceeds the limit" in str(exc):
            raise _invalid("a number has more than 4,300 digits") from None
        raise _invalid(f"malformed YAML: {validation.quote(str(exc))}") from None
    if request is None:
        raise _invalid(f"{source} holds no request (only comments or an empty document)")
    from . import templates

    return templates.accept_plain_words(request)
