from __future__ import annotations

import abc
import contextlib
import sys


class EngineError(RuntimeError):
    """The policy could not be evaluated. Callers must treat this as 'not allowed'.

    str(error) is one line; `detail` keeps the engine's full text (shown by `aidf --verbose`)."""

    def __init__(self, message: str, detail: str | None = None):
        super().__init__(message)
        self.detail = detail if detail is not None else message


class UndefinedResult(EngineError):
    """The queried rule produced no value for this input."""


class EngineTimeout(EngineError):
    """The decision took longer than its time budget; the evaluation was stopped."""


def first_line(text: str) -> str:
    """The first non-empty line of an engine message (regorus messages start with a newline).
    A header such as OPA's "3 errors occurred:" is joined with the line that follows it."""
    lines = [line.strip() for line in str(text).split("\n") if line.strip()]  # not splitlines: \r is not a break
    if not lines:
        return ""
    # regorus: "--> file:line:col", a source excerpt, then "error: ...": keep where and what.
    where = next((line[3:].strip() for line in lines if line.startswith("-->")), None)
    error = next((line for line in lines if line.startswith("error")), None)
    if where and error:
        return f"{where}: {error}"
    if lines[0].endswith(":") and len(lines) > 1:
        return f"{lines[0]} {lines[1]}"
    return lines[0]


def show_prints(lines) -> None:
    """A policy's print() output, for its author, on stderr, with control characters escaped."""
    from ..terminal import visible

    for line in lines or ():
        sys.stderr.write(visible(str(line)) + "\n")


@contextlib.contextmanager
def engine_boundary(what: str):
    """Turn anything an engine raises into EngineError. pyo3 panics (e.g. 'unsendable') are
    BaseException, not Exception, so they are caught here too; only interpreter control flow
    (Ctrl-C, sys.exit) passes through."""
    try:
        yield
    except EngineError:
        raise
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # noqa: B036 - a Rust panic must never escape as "not an error"
        raise EngineError(f"{what}: {first_line(exc) or type(exc).__name__}",
                          detail=f"{what}:\n{exc}") from exc


class Engine(abc.ABC):
    name: str
    # Whether the loaded policies declare data.aidf.main.checked_decision (an OPA server is
    # always asked data.aidf.main.decision, which re-checks its input).
    has_checked_decision: bool = False

    @abc.abstractmethod
    def evaluate(self, rule: str, input_document: dict):
        """Value of `rule` (e.g. 'data.aidf.main.decision') for the input, as plain JSON."""

    @abc.abstractmethod
    def run_test(self, rule: str):
        """Evaluate a Rego test rule with no input; returns its value (True when it passes)."""

    def close(self) -> None:
        """Release what the engine holds (worker processes); a no-op for in-process engines."""
