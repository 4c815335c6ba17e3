"""Many decisions in one stream: aidf.Evaluator.evaluate_many and `aidf check --batch`.

    with aidf.Evaluator() as evaluator, evaluator.evaluate_many(requests, workers=4) as results:
        for result in results:                  # aidf.batch.Result, in input order
            if result.error is not None:        # InvalidRequest or EngineError, as evaluate() raises
                ...
            elif result.decision.allowed:
                ...

Shape. One Result per input item, in input order: `index` (from 0), `decision` (a Decision, or
None) and `error` (the InvalidRequest or EngineError that Evaluator.evaluate would have raised for
that item, or None). A bad item never stops the stream. `result.allowed` is True only for a
decision that allows (an error never allows); `result.value` is the decision or the error.

Processes. workers=1 decides in the calling process, one item at a time. workers>1 uses that many
worker processes (concurrent.futures.ProcessPoolExecutor): a regorus engine may not cross threads,
and one engine per process needs no lock. Each worker loads its engine once, at start, from the
Evaluator's own source: the shipped policies (or AIDF_POLICY_DIR), the bundle the Evaluator
verified and unpacked (not verified again), or the same OPA server; with a time budget each
worker has its own isolated engine process. Items travel in chunks of `chunksize` (default 16) to
amortize the pipe; at most 2 x workers chunks (and, for the CLI's lines, at most 64 MB of request
text) are in flight, so memory does not grow with the number of items, and the input iterable is
read only as far as that window. The decision log is written by the calling process, in input
order, before each result is handed out.

Start method: "spawn", never "fork". The parent may already hold the Go runtime (the OPA engine,
or OPA vetting a custom policy tree), which does not survive a fork, and threads (the remote
engine's callers) that a fork would copy mid-flight. "forkserver" is not used either: its server
process is shared by the whole program and keeps the environment of its first use (for example
AIDF_POLICY_DIR), so a later Evaluator could decide on stale policies. The price is a fresh
interpreter per worker (under a second, once per call). As with any spawning pool, a script that
uses workers>1 needs the `if __name__ == "__main__":` guard.

Failures. A worker that dies (killed, out of memory) breaks the pool: the pool is rebuilt, the
chunk being waited on is decided again one item at a time, so that only the item that kills a
worker again gets an EngineError, and every other unfinished chunk is sent again. If three fresh
pools in a row die before deciding anything, the workers cannot run here: the iterator raises
EngineError. An exception raised by the input iterable, or by the decision log (OSError), ends
the stream after the items already read have been handed out.
"""
from __future__ import annotations

import collections
import dataclasses
import itertools
import multiprocessing
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import wait as wait_for_ends

from . import api, limits, validation
from .decision import Decision
from .engines.base import EngineError, EngineTimeout, UndefinedResult, first_line
from .validation import InvalidRequest, Problem

MAX_WORKERS = limits.MAX_BATCH_WORKERS
DEFAULT_CHUNKSIZE = 16
MAX_CHUNKSIZE = 10_000
START_METHOD = "spawn"
# Request text (the CLI's lines) in flight at once, beyond the first chunk; and per chunk.
MAX_INFLIGHT_BYTES = 64 * 1024 * 1024
MAX_CHUNK_BYTES = 4 * 1024 * 1024
# Fresh pools that may die in a row, before deciding anything, before the workers are given up.
MAX_FRUITLESS_POOLS = 3
_STOP_SECONDS = 10.0  # idle workers get this long to exit after the last result


@dataclasses.dataclass(frozen=True)
class Result:
    """The outcome of one item of evaluate_many: a decision, or the error evaluate() would raise."""

    index: int
    decision: Decision | None = None
    error: InvalidRequest | EngineError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def allowed(self) -> bool:
        """True only for a decision that allows the request; never for an error."""
        return self.error is None and self.decision is not None and self.decision.allowed

    @property
    def value(self) -> Decision | InvalidRequest | EngineError:
        return self.decision if self.error is None else self.error


class Results(Iterator[Result]):
    """An iterator of Result in input order; closing it (or leaving its `with` block) stops the
    worker processes at once, without deciding what is still in flight."""

    def __init__(self, results: Iterator):
        self._results = results

    def __iter__(self):
        return self

    def __next__(self) -> Result:
        return next(self._results)

    def close(self) -> None:
        self._results.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@dataclasses.dataclass(frozen=True)
class Refused:
    """An item refused before it could be parsed (a line over the size limit): its result is
    InvalidRequest with these (path, message) problems, in its place in the stream."""

    problems: tuple[tuple[str, str], ...]


@dataclasses.dataclass(frozen=True)
class _Job:
    """What every item of one run is asked (picklable: it travels to the workers)."""

    evaluator: dict  # Evaluator._worker_spec()
    parse: bool  # items are JSON texts (bytes or str) to parse, as `aidf check` reads a file
    as_of: object
    views: tuple  # one decision per view, in order (the CLI's --view both asks two)
    want_prepared: bool  # a decision log needs the prepared inputs back


# -- checking arguments ---------------------------------------------------------------------

def checked_workers(workers) -> int:
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= MAX_WORKERS:
        raise ValueError(f"workers must be a whole number from 1 to {MAX_WORKERS}, not {workers!r}")
    return workers


def checked_chunksize(chunksize) -> int:
    if chunksize is None:
        return DEFAULT_CHUNKSIZE
    if isinstance(chunksize, bool) or not isinstance(chunksize, int) or not 1 <= chunksize <= MAX_CHUNKSIZE:
        raise ValueError(f"chunksize must be a whole number from 1 to {MAX_CHUNKSIZE:,}, not {chunksize!r}")
    return chunksize


def evaluate_many(evaluator, requests: Iterable, *, workers: int = 1, as_of=None, view: str | None = None,
                  chunksize: int | None = None) -> Results:
    """Evaluator.evaluate_many: arguments are checked now, the stream starts at the first next()."""
    outcomes = stream(evaluator, requests, workers=workers, as_of=as_of, views=(view,), chunksize=chunksize)
    return Results(_results(outcomes))


def _results(outcomes: Iterator) -> Iterator[Result]:
    try:
        for index, outcome in enumerate(outcomes):
            if isinstance(outcome, BaseException):
                yield Result(index, error=outcome)
            else:
                yield Result(index, decision=outcome[0])
    finally:
        outcomes.close()


def stream(evaluator, items: Iterable, *, workers: int = 1, as_of=None, views: tuple = (None,),
           chunksize: int | None = None, parse: bool = False) -> Iterator:
    """The engine of evaluate_many and `aidf check --batch`: per item, in order, a tuple of
    Decisions (one per view) or the InvalidRequest / EngineError of that item."""
    workers, chunksize = checked_workers(workers), checked_chunksize(chunksize)
    if not isinstance(views, tuple) or not views:
        raise ValueError("views must be a non-empty tuple")
    if evaluator._closed:  # its bundle is gone: a closed Evaluator must not fall back to other policies
        raise ValueError("this Evaluator is closed")
    iter(items)  # not iterable: a TypeError now, not at the first next()
    job = _Job(evaluator._worker_spec(), parse, as_of, views, evaluator._log is not None)
    if workers == 1:
        return _in_process(evaluator, items, job)
    return _in_pool(evaluator, items, job, workers, chunksize)


def _logged(evaluator, payload):
    """The decisions (or error) of one item, after its decision records are written."""
    if payload[0] != "ok":
        return _decoded_error(payload)
    _, decisions, prepared = payload
    for decision, ready in zip(decisions, prepared or ()):
        evaluator._record(decision, ready)
    return tuple(decisions)


# -- deciding one item (the same code in this process and in a worker) ----------------------

def _load_error(evaluator) -> tuple | None:
    try:
        evaluator._warm()
    except EngineError as exc:
        return _encoded_error(exc)
    except Exception as exc:  # noqa: BLE001 - never an allow; reported on every item
        return _encoded_error(EngineError(f"cannot load the {evaluator.engine_name} engine: "
                                          f"{type(exc).__name__}: {first_line(str(exc))}", detail=str(exc)))
    return None


def _decide(evaluator, load_error: tuple | None, item, job: _Job) -> tuple:
    """("ok", [Decision per view], [prepared per view] | None), or an encoded error. As in
    `aidf check`: the request is parsed and validated first (exit 3 beats exit 4), then decided."""
    try:
        if isinstance(item, Refused):
            raise InvalidRequest([Problem(path, message) for path, message in item.problems])
        request = validation.parse(item, source="the line") if job.parse else item
        decisions, prepared = [], []
        for view in job.views:
            ready = api.prepare(request, job.as_of, view)
            if load_error is not None:
                return load_error
            decisions.append(evaluator._decide(ready))
            prepared.append(ready)
        return ("ok", decisions, prepared if job.want_prepared else None)
    except (InvalidRequest, EngineError) as exc:
        return _encoded_error(exc)
    except Exception as exc:  # noqa: BLE001 - an unexpected failure is never an allow, nor the end of the stream
        return _encoded_error(EngineError(f"internal error (treated as not allowed): {type(exc).__name__}: "
                                          f"{first_line(str(exc))}", detail=str(exc)))


_ERRORS = {cls.__name__: cls for cls in (EngineError, EngineTimeout, UndefinedResult)}


def _encoded_error(exc: Exception) -> tuple:
    """Errors cross the process boundary as data (InvalidRequest does not survive pickling, and
    a traceback would pin memory); in-process results are encoded the same way, so a result
    never depends on the number of workers."""
    if isinstance(exc, InvalidRequest):
        return ("invalid", tuple((p.path, p.message) for p in exc.problems))
    kind = next((name for name, cls in _ERRORS.items() if type(exc) is cls), "EngineError")
    return ("error", kind, str(exc), getattr(exc, "detail", None))


def _decoded_error(payload: tuple) -> Exception:
    if payload[0] == "invalid":
        return InvalidRequest([Problem(path, message) for path, message in payload[1]])
    _, kind, message, detail = payload
    return _ERRORS[kind](message, detail=detail)


def _in_process(evaluator, items: Iterable, job: _Job) -> Iterator:
    load_error = _load_error(evaluator)
    for item in items:
        yield _logged(evaluator, _decide(evaluator, load_error, item, job))


# -- worker processes --------------------------------------------------------------------------

_WORKER: tuple | None = None  # (evaluator, load error, job) of this worker process


def _start_worker(job: _Job) -> None:
    """Initializer of a worker process: build the engine once. It never raises (an exception here
    would break the pool); a load failure is reported on every item instead, as evaluate() would."""
    global _WORKER
    from multiprocessing import util

    from .evaluator import Evaluator

    try:
        evaluator = Evaluator._from_worker_spec(job.evaluator)
    except Exception as exc:  # noqa: BLE001
        evaluator = None
        load_error = _encoded_error(exc if isinstance(exc, EngineError) else EngineError(
            f"cannot load the {job.evaluator['engine']} engine: {type(exc).__name__}: {first_line(str(exc))}",
            detail=str(exc)))
    else:
        load_error = _load_error(evaluator)
        util.Finalize(evaluator, evaluator.close, exitpriority=10)
    util.Finalize(None, api.close, exitpriority=5)  # the worker's shared (and isolated) engines
    _WORKER = (evaluator, load_error, job)


def _decide_chunk(items: list) -> list:
    evaluator, load_error, job = _WORKER
    return [_decide(evaluator, load_error, item, job) for item in items]


def _dead_worker() -> tuple:
    return _encoded_error(EngineError("a worker process died while deciding this request "
                                      "(treated as not allowed)"))


def _size(item) -> int:
    return len(item) if isinstance(item, (bytes, str)) else 0


class _Pool:
    def __init__(self, job: _Job, workers: int):
        self.job, self.workers = job, workers
        self.executor: ProcessPoolExecutor | None = None
        self.fruitless = 0  # fresh pools that died in a row before deciding anything
        self.decided = False  # whether the current pool has decided anything
        self._build()

    def _build(self) -> None:
        self.executor = ProcessPoolExecutor(max_workers=self.workers,
                                            mp_context=multiprocessing.get_context(START_METHOD),
                                            initializer=_start_worker, initargs=(self.job,))
        self.decided = False

    def rebuild(self) -> None:
        """After a worker died: a new pool, unless the workers cannot run here at all."""
        self.fruitless = 0 if self.decided else self.fruitless + 1
        self.shutdown(at_once=True)
        if self.fruitless >= MAX_FRUITLESS_POOLS:
            raise EngineError(f"the worker processes keep dying before deciding anything "
                              f"({self.fruitless} pools in a row); nothing more was decided (a script that "
                              f"uses workers > 1 needs an `if __name__ == \"__main__\":` guard; see its stderr)")
        self._build()

    def submit(self, chunk: list) -> Future:
        try:
            return self.executor.submit(_decide_chunk, chunk)
        except BrokenProcessPool as exc:  # a worker died meanwhile: handled when this chunk's turn comes
            failed = Future()
            failed.set_exception(exc)
            return failed

    def result(self, future) -> tuple[list | None, BaseException | None]:
        """(payloads, None), or (None, the error): BrokenProcessPool when a worker died, or what
        handing the chunk over raised (an item that cannot be pickled)."""
        try:
            payloads = future.result()
        except BrokenProcessPool as exc:
            return None, exc
        except Exception as exc:  # noqa: BLE001 - decided again one by one, to find the item
            return None, exc
        self.decided = True
        return payloads, None

    def one_by_one(self, chunk: list) -> list:
        """Decide a chunk that failed, one item at a time with nothing else in flight, so that
        only an item that kills a worker again, or cannot be handed over, is blamed for it."""
        payloads = []
        for item in chunk:
            answer, error = self.result(self.submit([item]))
            if answer is not None:
                payloads.extend(answer)
            elif isinstance(error, BrokenProcessPool):
                payloads.append(_dead_worker())
                self.rebuild()
            else:
                payloads.append(_encoded_error(InvalidRequest([Problem(
                    "$", f"cannot be sent to a worker process ({type(error).__name__}: "
                         f"{first_line(str(error))}); a request holds only JSON values")])))
        return payloads

    def shutdown(self, at_once: bool) -> None:
        """Stop the workers: after the last result, let them finish (they are idle); otherwise
        (the consumer stopped early, or the pool broke) kill them. The executor is never waited
        for blindly: Python 3.11's can wait for ever on a worker it started while it broke. So the
        end of each worker is seen on its sentinel, and a worker the executor's thread is still
        waiting for is killed (the executor's own table of workers is read, not copied)."""
        executor, self.executor = self.executor, None
        if executor is None:
            return
        table = getattr(executor, "_processes", None) or {}
        manager = getattr(executor, "_executor_manager_thread", None)
        executor.shutdown(wait=False, cancel_futures=True)
        _stop(list(table.values()), at_once)
        if manager is not None:
            manager.join(_STOP_SECONDS)
            if manager.is_alive():  # a worker it started while breaking: not ours to wait for
                _stop(list(table.values()), True)
                manager.join(_STOP_SECONDS)


def _stop(processes: list, at_once: bool) -> None:
    """Wait for the processes to end (killing them first when at_once, or after _STOP_SECONDS)."""
    if at_once:
        for process in processes:
            process.kill()
    running = {process.sentinel: process for process in processes}
    deadline = time.monotonic() + _STOP_SECONDS
    while running:
        left = deadline - time.monotonic()
        if left <= 0:
            for process in running.values():
                process.kill()
            deadline, left = time.monotonic() + _STOP_SECONDS, _STOP_SECONDS
        for sentinel in wait_for_ends(list(running), timeout=left):
            running.pop(sentinel)


def _in_pool(evaluator, items: Iterable, job: _Job, workers: int, chunksize: int) -> Iterator:
    items = iter(items)
    pool = _Pool(job, workers)
    window = collections.deque()  # [chunk, bytes, future], oldest first
    in_flight = 0  # bytes of request text in the window
    failure: BaseException | None = None  # raised by the input, after what it gave is decided

    def next_chunk() -> tuple[list, int]:
        nonlocal failure
        chunk, size = [], 0
        try:
            for item in itertools.islice(items, chunksize):
                chunk.append(item)
                size += _size(item)
                if size >= MAX_CHUNK_BYTES:
                    break
        except Exception as exc:  # noqa: BLE001 - the input's own failure, raised in order below
            failure = exc
        return chunk, size

    finished = False
    try:
        exhausted = False
        while True:
            while not exhausted and len(window) < 2 * workers and (not window or in_flight < MAX_INFLIGHT_BYTES):
                chunk, size = next_chunk()
                exhausted = failure is not None or len(chunk) < chunksize and size < MAX_CHUNK_BYTES
                if chunk:
                    window.append([chunk, size, pool.submit(chunk)])
                    in_flight += size
            if not window:
                break
            chunk, size, future = window[0]
            payloads, error = pool.result(future)
            if isinstance(error, BrokenProcessPool):
                # A worker died: the pool is gone, and every unfinished chunk with it.
                pool.rebuild()
                payloads = pool.one_by_one(chunk)
                for entry in itertools.islice(window, 1, None):
                    if not entry[2].done() or entry[2].cancelled() or entry[2].exception() is not None:
                        entry[2] = pool.submit(entry[0])
            elif error is not None:
                payloads = pool.one_by_one(chunk)
            window.popleft()
            in_flight -= size
            for payload in payloads:
                yield _logged(evaluator, payload)
        finished = True
        if failure is not None:
            raise failure
    finally:
        pool.shutdown(at_once=not finished)


__all__ = ["Result", "Results", "Refused", "evaluate_many", "stream", "MAX_WORKERS", "DEFAULT_CHUNKSIZE",
           "START_METHOD"]
