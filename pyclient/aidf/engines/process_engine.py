"""An engine in a child process, with a time budget per decision.

Neither regorus nor OPA can be interrupted in the middle of an evaluation from Python, and a
policy that recurses without end can crash regorus outright. So the engine runs in a separate
process (aidf.engines.worker) that this class starts, feeds one request per line, and kills
when a decision exceeds its budget or the process dies. The next call starts a fresh process.
Cost: one pipe round trip and a JSON encode/decode per decision (`make bench` shows it).
"""
from __future__ import annotations

import json
import os
import pathlib
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time

from .. import limits, policy_set
from .base import Engine, EngineError, EngineTimeout, UndefinedResult

_LOAD_BUDGET_SECONDS = 60.0  # building the engine: parsing every policy, loading the data


def checked_budget(budget) -> float | None:
    """None (no budget) or a number of seconds in (0, MAX_TIMEOUT_SECONDS]; anything else is an error."""
    if budget is None:
        return None
    if isinstance(budget, bool) or not isinstance(budget, (int, float)) or not (0 < budget <= limits.MAX_TIMEOUT_SECONDS):
        raise EngineError(f"a time budget must be a number of seconds above 0 and at most "
                          f"{limits.MAX_TIMEOUT_SECONDS:g}, not {budget!r}")
    return float(budget)


class IsolatedEngine(Engine):
    def __init__(self, engine_name: str = "regorus", policy_dir: str | os.PathLike | None = None,
                 timeout: float | None = None, include_tests: bool = False):
        self.name = engine_name
        self.policy_dir = str(pathlib.Path(policy_dir).resolve()) if policy_dir else None
        try:
            tree = policy_set.load(self.policy_dir) if self.policy_dir else policy_set.shipped()
            self.has_checked_decision = tree.has_checked_decision
        except (OSError, ValueError):  # the child reports why the tree cannot load
            self.has_checked_decision = False
        self.timeout = timeout
        self._include_tests = include_tests
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._stderr = None
        self._buffer = b""
        self._sequence = 0
        with self._lock:
            self._start()  # fail at construction when the policies cannot load

    # -- the child process ---------------------------------------------------------

    def _start(self) -> None:
        self._owner_pid = os.getpid()
        self._stderr = tempfile.TemporaryFile()
        env = {**os.environ, "RUST_BACKTRACE": "0"}  # a panic's message is enough; no 100-line trace
        self._process = subprocess.Popen(
            [sys.executable, "-m", "aidf.engines.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._stderr, env=env, close_fds=True)
        self._buffer = b""
        config = {"engine": self.name, "policy_dir": self.policy_dir, "include_tests": self._include_tests,
                  "memory_mib": limits.WORKER_MEMORY_MIB}
        reply = self._exchange(config, _LOAD_BUDGET_SECONDS, "load the policies")
        if not reply.get("ready"):
            self._stop()
            raise EngineError(f"{self.name} could not load the policies: {reply.get('error')}", detail=reply.get("detail"))

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                process.kill()
            process.wait()
            for stream in (process.stdin, process.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def _stderr_tail(self) -> str:
        try:
            self._stderr.seek(0)
            return self._stderr.read()[-4000:].decode("utf-8", "replace")
        except (OSError, ValueError, AttributeError):
            return ""

    def _died(self, doing: str) -> EngineError:
        code = self._process.wait()
        how = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
        tail = self._stderr_tail()
        self._stop()
        return EngineError(f"the {self.name} engine process died while trying to {doing} ({how})",
                           detail=f"the {self.name} engine process died while trying to {doing} ({how})\n{tail}")

    def _exchange(self, message: dict, budget: float | None, doing: str) -> dict:
        """Send one message and read its reply. Any interruption between the two (a timeout, a
        signal handler raising, a bad argument) stops the process: a reply left in the pipe would
        otherwise answer the next request. Each reply must also carry its request's number."""
        self._sequence += 1
        message = {**message, "seq": self._sequence}
        try:
            reply = self._send_and_read(message, budget, doing)
        except BaseException:
            self._stop()
            raise
        if reply.get("seq") != message["seq"] and "ready" not in reply:
            self._stop()
            raise EngineError(f"the {self.name} engine process answered request {reply.get('seq')} "
                              f"when asked request {message['seq']}; it was stopped")
        return reply

    def _send_and_read(self, message: dict, budget: float | None, doing: str) -> dict:
        process = self._process
        try:
            process.stdin.write(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")
            process.stdin.flush()
        except OSError:
            raise self._died(doing) from None
        deadline = None if budget is None else time.monotonic() + budget
        fd = process.stdout.fileno()
        while b"\n" not in self._buffer:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([fd], [], [], wait)
            if not ready:
                raise EngineTimeout(f"the {self.name} engine did not {doing} within {budget:g} s; it was stopped "
                                    "(raise the budget with --timeout or timeout=)")
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise self._died(doing)
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        try:
            return json.loads(line)
        except ValueError as exc:
            raise EngineError(f"the {self.name} engine process sent an unreadable reply: {exc}") from exc

    def _ask(self, message: dict, budget: float | None):
        budget = checked_budget(budget)
        with self._lock:
            if self._owner_pid != os.getpid():
                # A forked child shares the parent's pipes: never talk to the parent's engine
                # process (replies would cross); leave it to the parent and start our own.
                self._process, self._stderr, self._buffer = None, None, b""
            if self._process is None:
                self._start()
            reply = self._exchange(message, budget, f"evaluate {message['rule']}")
        if "error" in reply:
            kind = UndefinedResult if reply.get("undefined") else EngineError
            raise kind(reply["error"], detail=reply.get("detail"))
        return reply["value"]

    # -- Engine --------------------------------------------------------------------

    def evaluate(self, rule: str, input_document: dict, timeout: float | None = None):
        return self._ask({"rule": rule, "input": input_document}, timeout if timeout is not None else self.timeout)

    def run_test(self, rule: str):
        return self._ask({"rule": rule, "test": True}, self.timeout)

    def close(self) -> None:
        with self._lock:
            self._stop()

    def __del__(self):
        try:
            self._stop()
        except Exception:
            pass
