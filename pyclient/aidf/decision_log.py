"""Decision records in OPA's decision-log shape, one JSON line per decision, for auditors.

The fields follow OPA's decision logs (decision_id, timestamp, path, input, result,
bundles.{name}.revision; see OPA's "Decision Logs" documentation), plus aidf's own as_of, view
and engine, so `aidf log replay` can evaluate the same question again.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import pathlib
import stat
import threading
import uuid

from . import limits
from .decision import Decision

DECISION_PATH = "aidf/main/decision"
REQUIRED_FIELDS = ("decision_id", "timestamp", "path", "input", "result", "bundles", "as_of", "view", "engine")


class LogError(ValueError):
    """A decision log that cannot be read (exit 3): names the file and line."""


def record(decision: Decision, prepared_input: dict, *, decision_id: str | None = None) -> dict:
    """The log record of one decision. The revision is the bundle's when the policies came from a
    bundle or an OPA server, else the policy revision of the source tree."""
    document = decision.to_dict()
    return {
        "decision_id": decision_id or str(uuid.uuid4()),
        "timestamp": dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z"),
        "path": DECISION_PATH,
        "input": prepared_input,
        "result": document,
        "bundles": {"aidf": {"revision": decision.revision or document.get("policy_revision")}},
        "as_of": prepared_input.get("as_of"),
        "view": prepared_input.get("view"),
        "engine": decision.engine,
    }


class DecisionLog:
    """Appends records to a file. Each record is one write(2) of a whole line on an O_APPEND
    descriptor, then fsync: a crash mid-batch loses nothing already decided, and two writers
    never interleave within a line."""

    def __init__(self, path: str | os.PathLike):
        self.path = pathlib.Path(path)
        self._lock = threading.Lock()
        if self.path.exists() and not self.path.is_file():
            raise OSError(f"{self.path} is not a regular file; a decision log must be one")
        # O_NONBLOCK: a FIFO put in its place meanwhile would otherwise block here until read.
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK, 0o640)
        if not stat.S_ISREG(os.fstat(self._fd).st_mode):
            os.close(self._fd)
            self._fd = -1
            raise OSError(f"{self.path} is not a regular file; a decision log must be one")
        os.set_blocking(self._fd, True)

    def append(self, entry: dict) -> None:
        line = (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        with self._lock:
            try:
                written = os.write(self._fd, line)
                if written != len(line):  # a full disk: say so rather than leave half a record unnoticed
                    raise OSError(f"wrote {written} of {len(line)} bytes of a decision record")
                os.fsync(self._fd)
            except OSError as exc:
                raise OSError(f"cannot write the decision log {self.path}: {exc.strerror or exc}") from exc

    def close(self) -> None:
        with self._lock:
            if self._fd >= 0:
                os.close(self._fd)
                self._fd = -1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@dataclasses.dataclass(frozen=True)
class Entry:
    line: int
    record: dict


def read(path: str | os.PathLike) -> list[Entry]:
    """Every record of a log, checked: valid JSON objects with OPA's and aidf's fields."""
    path = pathlib.Path(path)
    cap = limits.MAX_DECISION_LOG_BYTES
    try:
        if not path.is_file():  # a FIFO or a device would block or never end
            raise LogError(f"{path}: not a regular file" if path.exists() else f"{path}: no such file")
        with open(path, "rb") as stream:
            raw = stream.read(cap + 1)
        if len(raw) > cap:
            raise LogError(f"{path}: more than {cap:,} bytes; split the log first")
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LogError(f"cannot read decision log {path}: {exc}") from exc
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError as exc:
            raise LogError(f"{path}:{number}: not a JSON decision record ({exc})") from exc
        if not isinstance(entry, dict):
            raise LogError(f"{path}:{number}: a decision record is a JSON object")
        missing = [name for name in REQUIRED_FIELDS if name not in entry]
        if missing:
            raise LogError(f"{path}:{number}: the record has no {', '.join(missing)}")
        problem = _inconsistency(entry)
        if problem:
            raise LogError(f"{path}:{number}: {problem}")
        entries.append(Entry(number, entry))
    return entries


def _inconsistency(entry: dict) -> str | None:
    """Why a record cannot be what aidf wrote: wrong types, or facts that disagree between the
    record, its input and its result (an edited record must not show one date and replay another)."""
    if not isinstance(entry["input"], dict) or not isinstance(entry["result"], dict):
        return "input and result must be JSON objects"
    for field in ("decision_id", "timestamp", "path", "engine"):
        if not isinstance(entry[field], str):
            return f"{field} must be a string"
    aidf_bundle = entry["bundles"].get("aidf") if isinstance(entry["bundles"], dict) else None
    if not isinstance(aidf_bundle, dict) or not isinstance(aidf_bundle.get("revision"), (str, type(None))):
        return "bundles must be {\"aidf\": {\"revision\": ...}}"
    request, result = entry["input"], entry["result"]
    for field in ("as_of", "view"):
        if entry[field] != request.get(field) or (field in result and result[field] != request.get(field)):
            return f"{field} differs between the record, its input and its result"
    for field in ("action", "request_id"):
        if field in result and result[field] != request.get(field):
            return f"{field} differs between the input and the result"
    return None


def changes(before: dict, after: dict) -> list[str]:
    """What a lawyer would need to know changed between two decisions, in words."""
    found = []
    for field in ("allowed", "outcome", "authorization", "review_policy"):
        if before.get(field) != after.get(field):
            found.append(f"{field}: {before.get(field)} -> {after.get(field)}")
    for field, label in (("reasons", "reason"), ("obligations", "obligation")):
        old = [item.get("code") for item in before.get(field) or []]
        new = [item.get("code") for item in after.get(field) or []]
        found += [f"{label} added: {code}" for code in new if code not in old]
        found += [f"{label} removed: {code}" for code in old if code not in new]
    return found
