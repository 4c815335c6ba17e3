"""The engine process behind IsolatedEngine: `python -m aidf.engines.worker`.

It builds one engine, then answers one request per line on stdin with one reply per line on
stdout (JSON text never contains a raw newline). A crash, a hang or a memory blow-up in the
policy engine ends this process only; the caller sees an EngineError.
"""
from __future__ import annotations

import json
import pathlib
import sys


def _limit_memory(mebibytes: int) -> None:
    # Only for regorus: OPA's Go runtime reserves address space it never uses.
    import resource

    cap = mebibytes * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:  # only ever lower an inherited limit
        cap = min(cap, hard)
    if soft == resource.RLIM_INFINITY or cap < soft:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _die_with_parent() -> None:
    # Linux: when the process that started us dies (killed, or SIGTERM to the CLI), the kernel
    # kills us too, instead of leaving an orphan computing a decision nobody will read.
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the worker still ends at its next read, when the pipe closes


def _reply(stream, message: dict) -> None:
    stream.write(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")
    stream.flush()


def _error(exc: BaseException) -> dict:
    from .base import UndefinedResult, first_line

    return {"error": first_line(str(exc)) or type(exc).__name__, "detail": getattr(exc, "detail", str(exc)),
            "undefined": isinstance(exc, UndefinedResult)}


def main() -> None:
    _die_with_parent()
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but replies may reach the reply stream
    config = json.loads(requests.readline())
    try:
        from .. import engines, policy_set

        if config["engine"] == "regorus" and config.get("memory_mib"):
            _limit_memory(config["memory_mib"])
        root = config.get("policy_dir")
        policies = policy_set.load(pathlib.Path(root)) if root else policy_set.shipped()
        engine = engines.create(config["engine"], policies=policies, include_tests=config.get("include_tests", False))
    except BaseException as exc:  # noqa: B036 - report every load failure to the parent
        _reply(replies, _error(exc))
        return
    _reply(replies, {"ready": True, "seq": config.get("seq"), "revision": policies.revision})
    for line in requests:
        message = json.loads(line)
        sequence = {"seq": message.get("seq")}  # the parent matches every reply to its request
        try:
            if message.get("test"):
                value = engine.run_test(message["rule"])
            else:
                value = engine.evaluate(message["rule"], message["input"])
            _reply(replies, {"value": value, **sequence})
        except BaseException as exc:  # noqa: B036
            _reply(replies, {**_error(exc), **sequence})


if __name__ == "__main__":
    main()
