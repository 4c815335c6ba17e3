"""aidf.Evaluator: one place that says where the policies come from (the shipped tree, a signed
bundle, or an OPA server) and where decisions are recorded. The CLI's `check` uses it too.

    with aidf.Evaluator(bundle="bundles/aidf-2025.01-aidf.3.tar.gz", verification_key="pub.pem") as ev:
        decision = ev.evaluate(request)
        for result in ev.evaluate_many(requests, workers=4):   # many, in input order (aidf.batch)
            ...
"""
from __future__ import annotations

import os
import pathlib
import tempfile

from . import api, decision_log as decision_records, engines, limits
from .decision import Decision


class ConflictingOptions(ValueError):
    """Options that cannot go together (a usage error, exit 2 in the CLI)."""


class Evaluator:
    """Decides requests against one policy source.

    engine: "regorus" (default) or "opa" for the embedded engines.
    bundle: an OPA bundle file (aidf bundle build), verified before use with verification_key (a key
        file path or the key's bytes) and signing_alg (RS256 unless said otherwise, as OPA). A bundle
        without a key is refused unless allow_unsigned=True. Decisions carry its revision, its
        SHA-256 and whether its signature was verified.
    opa_url: an OPA server that serves the aidf bundle (default: $AIDF_OPA_URL when set, unless a
        bundle is given). token: its bearer token (default $AIDF_OPA_TOKEN). Validation still runs here first.
    timeout: seconds per decision (embedded: the engine runs in a child process that is stopped;
        remote: the HTTP timeout per attempt, at most `retries` + 1 attempts on connection errors).
    decision_log: a file that receives one JSON line per decision (OPA's decision-log shape).
    """

    def __init__(self, *, engine: str = "regorus", bundle: str | os.PathLike | None = None,
                 verification_key: str | os.PathLike | bytes | None = None, signing_alg: str | None = None,
                 allow_unsigned: bool = False, opa_url: str | None = None,
                 token: str | None = None, timeout: float | None = None, retries: int = 2,
                 decision_log: str | os.PathLike | None = None):
        if opa_url is None and bundle is None:
            opa_url = os.environ.get("AIDF_OPA_URL") or None
        if bundle is not None and opa_url is not None:
            raise ConflictingOptions("choose a bundle or an OPA server, not both")
        if verification_key is not None and bundle is None:
            raise ConflictingOptions("a verification key needs a bundle")
        if bundle is not None and verification_key is None and not allow_unsigned:
            raise ConflictingOptions("a bundle is only used with the key its signature must verify with "
                             "(verification_key / --verification-key), or with allow_unsigned / --allow-unsigned")
        self.engine_name = engine
        self._budget = None
        if timeout is not None:
            from .engines.process_engine import checked_budget

            self._budget = checked_budget(timeout)
        self._remote_options: dict | None = None  # how a worker process reaches the same server
        self._closed = False
        self._unpacked: tempfile.TemporaryDirectory | None = None
        self._log = None
        self._engine: engines.Engine | None = None  # None: the shared engines of aidf.api
        self.bundle_facts: dict | None = None  # revision, sha256, signed, verified of a bundle file
        if opa_url is not None:
            from .engines.remote_engine import RemoteEngine

            self._remote_options = {"url": opa_url, "token": token or os.environ.get("AIDF_OPA_TOKEN") or None,
                                    "timeout": self._budget or limits.DEFAULT_TIMEOUT_SECONDS, "retries": retries}
            self._engine = RemoteEngine(**self._remote_options)
        elif bundle is not None:
            self._engine = self._load_bundle(bundle, verification_key, signing_alg)
        try:
            self._log = decision_records.DecisionLog(decision_log) if decision_log is not None else None
        except OSError as exc:
            self.close()
            raise OSError(f"cannot open the decision log {decision_log}: {exc.strerror or exc}"
                          if exc.strerror else str(exc)) from exc

    def _load_bundle(self, path, verification_key, signing_alg) -> engines.Engine:
        import hashlib

        from . import bundle as bundle_module

        key = verification_key
        if key is not None and not isinstance(key, bytes):
            key = bundle_module.read_key(key)
        raw = bundle_module.read_bundle(pathlib.Path(path))
        verified = bundle_module.verify(raw, verification_key=key, algorithm=signing_alg)
        self.bundle_facts = {"name": "aidf", "revision": verified.revision, "sha256": hashlib.sha256(raw).hexdigest(),
                             "signed": verified.signed, "verified": key is not None}
        # Unpacked into a private directory, the bundle is a policy tree like AIDF_POLICY_DIR:
        # vetted by OPA (Go), and runnable in a child process when a time budget is set.
        self._unpacked = tempfile.TemporaryDirectory(prefix="aidf-bundle-")
        root = pathlib.Path(self._unpacked.name)
        for name, content in verified.files.items():
            if name.endswith(".rego") or pathlib.PurePosixPath(name).name == "data.json":
                target = root / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
        return api.engine_for_tree(self.engine_name, root, isolated=self._budget is not None)

    @property
    def revision(self) -> str | None:
        """The revision of the bundle file decisions come from (None for the source tree or a server,
        whose revision each answer carries)."""
        return self.bundle_facts["revision"] if self.bundle_facts is not None else None

    @property
    def remote(self) -> bool:
        return self._engine is not None and self._engine.name == "opa-server"

    def evaluate(self, request, *, as_of=None, view: str | None = None) -> Decision:
        """Validate here, then decide. Raises InvalidRequest (exit 3) or EngineError (exit 4)."""
        if self._closed:  # its bundle is gone: never fall back to other policies under its name
            raise engines.EngineError("this Evaluator is closed")
        prepared = api.prepare(request, as_of, view)
        decision = self._decide(prepared)
        self._record(decision, prepared)
        return decision

    def evaluate_many(self, requests, *, workers: int = 1, as_of=None, view: str | None = None,
                      chunksize: int | None = None):
        """Decide every request of an iterable (a generator of 100,000 is fine), in input order.

        Returns an iterator (and context manager) of aidf.batch.Result, one per request, in input
        order: result.index (from 0), result.decision (a Decision, or None) and result.error (the
        InvalidRequest or EngineError that evaluate() would have raised, or None). A bad request
        never stops the stream. workers=1 decides in this process; workers=2..64 in that many
        worker processes (started with "spawn"), each loading its engine once from this
        Evaluator's source, with a bounded number of requests in flight (2 x workers chunks of
        `chunksize`, default 16). The decision log, if any, is written by this process, in input
        order. See aidf.batch for the details (memory, worker crashes, start method).
        """
        from . import batch

        return batch.evaluate_many(self, requests, workers=workers, as_of=as_of, view=view, chunksize=chunksize)

    def _decide(self, prepared: dict) -> Decision:
        """The decision on a request prepare() has made ready; nothing is recorded."""
        decision = api.decide(prepared, engine_name=self.engine_name, using=self._engine,
                              timeout=None if self.remote else self._budget)
        facts = self.bundle_facts
        if self.remote:
            revision = self._engine.bundle_revision
            facts = {"name": "aidf", "revision": revision} if revision is not None else None
        if facts is not None:
            decision = Decision(document={**decision.document, "bundle": facts}, engine=decision.engine,
                                revision=facts["revision"])
        return decision

    def _record(self, decision: Decision, prepared: dict) -> None:
        if self._log is not None:
            self._log.append(decision_records.record(decision, prepared))

    # -- worker processes (aidf.batch) ------------------------------------------------------

    def _warm(self) -> None:
        """Load the engine now, once, rather than at the first request. Raises EngineError."""
        if self._engine is None:
            api.engine(self.engine_name, isolated=self._budget is not None)

    def _worker_spec(self) -> dict:
        """What a worker process needs to decide exactly as this Evaluator does (picklable). A
        bundle is not verified again: the worker loads the tree this Evaluator verified and
        unpacked, with the same facts, and the same isolation."""
        from .engines.process_engine import IsolatedEngine

        return {"engine": self.engine_name, "timeout": self._budget, "remote": self._remote_options,
                "tree": self._unpacked.name if self._unpacked is not None and not self.remote else None,
                "isolated": isinstance(self._engine, IsolatedEngine), "bundle_facts": self.bundle_facts}

    @classmethod
    def _from_worker_spec(cls, spec: dict) -> Evaluator:
        """The Evaluator of a worker process (no decision log: the parent writes it)."""
        self = cls.__new__(cls)
        self.engine_name = spec["engine"]
        self._budget = spec["timeout"]
        self._remote_options = spec["remote"]
        self._unpacked = None  # the parent owns (and removes) the unpacked bundle
        self._log = None
        self._engine = None
        self._closed = False
        self.bundle_facts = spec["bundle_facts"]
        if spec["remote"] is not None:
            from .engines.remote_engine import RemoteEngine

            self._engine = RemoteEngine(**spec["remote"])
        elif spec["tree"] is not None:
            self._engine = api._load(self.engine_name, spec["isolated"], pathlib.Path(spec["tree"]))
        return self

    def close(self) -> None:
        self._closed = True
        if self._engine is not None:
            self._engine.close()
            self._engine = None
        if self._unpacked is not None:
            self._unpacked.cleanup()
            self._unpacked = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
