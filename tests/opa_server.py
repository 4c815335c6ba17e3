"""A small real OPA REST server for tests: the endpoints RemoteEngine uses, answered the way OPA
answers them, with the decisions made by the real OPA (Go) engine, plus fault modes.

    with running(policy_set.load(), revision="r1") as server:
        RemoteEngine(server.url).evaluate("data.aidf.main.decision", request)
        server.status = 503          # faults switch at runtime; server.reset() clears them
"""
from __future__ import annotations

import contextlib
import datetime as dt
import http.server
import json
import threading
import urllib.parse

from aidf import policy_set as policy_set_module
from aidf.engines.base import EngineError, UndefinedResult
from aidf.engines.opa_engine import OpaGoEngine

_CODES = {400: "invalid_parameter", 401: "unauthorized", 404: "resource_not_found", 500: "internal_error"}


def _bool_param(query: dict, name: str) -> bool:
    """OPA's getBoolParam: a bare ?name is true, else true when any value is "true" (any case)."""
    values = query.get(name)
    return values is not None and (values == [""] or any(v.lower() == "true" for v in values))


class OpaTestServer:
    """OPA's REST API on 127.0.0.1 (a free port). status_plugin: True serves GET /v1/status; False
    answers as OPA 1.x does without the plugin (500 "status plugin not enabled"); None has no
    such route (404, as an older server or a proxy that hides it)."""

    def __init__(self, policies: policy_set_module.PolicySet | None = None, *, revision: str | None = None,
                 token: str | None = None, engine: OpaGoEngine | None = None, status_plugin: bool | None = True):
        self._own_engine = engine is None
        self.engine = engine or OpaGoEngine(policies=policies or policy_set_module.shipped())
        self.revision = revision if revision is not None else (self.engine.policies.revision or "unversioned")
        self.token = token
        self.status_plugin = status_plugin
        self.seen: list[tuple[str, str]] = []  # (method, path) of every request, for counting retries
        self._seen_lock = threading.Lock()
        self._stopping = threading.Event()  # wakes handlers sleeping in a delay when we stop
        self._httpd: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.reset()

    def reset(self) -> None:
        """Clear every fault and the request log."""
        self.delay = 0.0          # seconds to wait before answering
        self.status: int | None = None  # force this HTTP status on every endpoint
        self.undefined = False    # answer {} (no result) to data queries
        self.malformed = False    # answer a result that breaks the decision schema
        self.garbage = False      # answer a body that is not JSON
        self.raw: bytes | None = None  # answer exactly these bytes (HTTP 200, application/json)
        with self._seen_lock:
            self.seen.clear()

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def count(self, method: str | None = None, path_prefix: str = "") -> int:
        with self._seen_lock:
            return sum(1 for m, p in self.seen if (method is None or m == method) and p.startswith(path_prefix))

    def start(self) -> "OpaTestServer":
        server = self

        class Handler(_Handler):
            opa = server

        self._stopping.clear()
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="opa-test-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening (clients now get 'connection refused') and wait for the handler threads."""
        if self._httpd is None or self._stopping.is_set():
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()  # closes the socket and joins the handler threads
        self._thread.join(timeout=5)

    def close(self) -> None:
        self.stop()
        if self._own_engine:
            self.engine.close()

    def __enter__(self) -> "OpaTestServer":
        return self.start() if self._httpd is None else self

    def __exit__(self, *exc) -> None:
        self.close()

    def status_document(self) -> dict:
        return {"labels": {"id": "aidf-test-server", "version": "1.20.2-test"},
                "bundles": {"aidf": {"name": "aidf", "active_revision": self.revision,
                                     "last_successful_activation": dt.datetime.now(dt.timezone.utc).isoformat()}},
                "plugins": {"bundle": {"state": "OK"}, "status": {"state": "OK"}}}

    def provenance(self) -> dict:
        return {"version": "1.20.2-test", "bundles": {"aidf": {"revision": self.revision}}}


class _Handler(http.server.BaseHTTPRequestHandler):
    opa: OpaTestServer
    server_version = "aidf-opa-test"
    timeout = 5  # a silent client cannot hold a handler thread (stop() joins them) for long

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def _send(self, status: int, body, content_type: str = "application/json") -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (its timeout)
            pass

    def _error(self, status: int, message: str) -> None:
        self._send(status, {"code": _CODES.get(status, "internal_error"), "message": message})

    def _admitted(self) -> bool:
        """Log the request, apply delay, forced status and the token check; False when answered."""
        opa = self.opa
        with opa._seen_lock:
            opa.seen.append((self.command, urllib.parse.urlsplit(self.path).path))
        if opa.delay and opa._stopping.wait(opa.delay):
            return False  # stopping: drop the connection unanswered
        if opa.token is not None and self.headers.get("Authorization") != f"Bearer {opa.token}":
            self._error(401, "request rejected by administrative policy")
            return False
        if opa.status is not None:
            self._error(opa.status, f"status {opa.status} forced by the test server")
            return False
        if opa.garbage:
            self._send(200, b"<html><body>502 Bad Gateway</body></html>", "text/html")
            return False
        if opa.raw is not None:
            self._send(200, opa.raw)
            return False
        return True

    def do_GET(self) -> None:
        if not self._admitted():
            return
        path = urllib.parse.urlsplit(self.path).path
        if path == "/health":
            self._send(200, {})  # the policies are loaded before the server listens
        elif path == "/v1/status" and self.opa.status_plugin:
            self._send(200, {"result": self.opa.status_document()})
        elif path == "/v1/status" and self.opa.status_plugin is False:
            self._error(500, "status plugin not enabled")
        else:
            self._send(404, b"404 page not found\n", "text/plain; charset=utf-8")

    def do_POST(self) -> None:
        if not self._admitted():
            return
        parts = urllib.parse.urlsplit(self.path)
        if not parts.path.startswith("/v1/data/"):
            self._send(404, b"404 page not found\n", "text/plain; charset=utf-8")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            if not isinstance(body, dict):
                raise ValueError(f"expected an object, got {type(body).__name__}")
        except ValueError as exc:
            self._error(400, f"body contains malformed input document: {exc}")
            return
        query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
        answer: dict = {}
        if _bool_param(query, "provenance"):
            answer["provenance"] = self.opa.provenance()
        if "input" not in body:
            answer["warning"] = {"code": "api_usage_warning", "message": "'input' key missing from the request"}
        rule = "data." + parts.path[len("/v1/data/"):].strip("/").replace("/", ".")
        try:
            if self.opa.undefined:
                raise UndefinedResult(f"{rule} is undefined (forced by the test server)")
            answer["result"] = ({"allowed": True} if self.opa.malformed
                                else self.opa.engine.evaluate(rule, body.get("input", {})))
        except UndefinedResult:
            pass  # OPA answers 200 without "result" (plus provenance when asked)
        except EngineError as exc:
            self._error(500, str(exc))
            return
        self._send(200, answer)


@contextlib.contextmanager
def running(policies: policy_set_module.PolicySet | None = None, **options):
    """A started OpaTestServer, stopped (threads joined, engine closed) on the way out."""
    server = OpaTestServer(policies, **options).start()
    try:
        yield server
    finally:
        server.close()
