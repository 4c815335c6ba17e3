"""An OPA server, queried over its REST API through opa-python-client (OpaClient).

Every HTTP call goes through OpaClient and the requests session it builds; the only thing changed
is that session's retry policy (see _Client). Every failure raises EngineError: a server that is
down, slow, refusing, or answering nonsense never yields a decision.
"""
from __future__ import annotations

import concurrent.futures
import re
import threading
import urllib.parse

import requests
import urllib3
from opa_client import OpaClient
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from ..terminal import visible
from .base import Engine, EngineError, EngineTimeout, UndefinedResult, first_line

BUNDLE = "aidf"  # the bundle name whose revision provenance reports
_SEGMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HOST = re.compile(r"^[A-Za-z0-9.-]+$")
_MAX_SHOWN = 300  # characters of a server's text kept in a one-line message
MAX_RESPONSE_BYTES = 20_000_000  # a decision is a few KB; a bigger answer is refused, not read
# Callers wait on these threads, not on the socket: a server that trickles its answer (one byte a
# second never trips a per-read timeout) cannot hold a decision past its deadline.
_CALLS = concurrent.futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="aidf-opa-server")


class _Refused(requests.RequestException):
    """An answer aidf does not read: a redirect, or a body over MAX_RESPONSE_BYTES."""


def _no_redirects(response, *args, **kwargs):
    # A redirect would send the request to a server nobody configured, and its answer would be
    # believed: never follow one (OPA itself does not redirect).
    if response.is_redirect or 300 <= response.status_code < 400:
        response.close()
        raise _Refused(f"answered HTTP {response.status_code} (a redirect to "
                       f"{_shown_url(response.headers.get('Location', ''))}); aidf does not follow redirects")


def _guarded(chunks):
    """urllib3's stream, its errors (a reset mid-answer) turned into requests' own."""
    try:
        yield from chunks
    except urllib3.exceptions.HTTPError as exc:
        raise requests.ConnectionError(f"the answer broke off: {exc}") from exc


def _bounded_body(response, *args, **kwargs):
    # Read the body here, before requests does, so that it is never larger than MAX_RESPONSE_BYTES.
    chunks, size = [], 0
    for chunk in _guarded(response.raw.stream(65536, decode_content=True)):
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            response.close()
            raise _Refused(f"answered with more than {MAX_RESPONSE_BYTES:,} bytes")
        chunks.append(chunk)
    response._content = b"".join(chunks)  # requests' own cache of the body


class _Client(OpaClient):
    """OpaClient with aidf's retry policy. The library's own Retry does not fit: it never retries a
    POST (urllib3's default allowed_methods), so a decision would get no retry at all, and it
    retries 500 (a policy error: the same query fails the same way) but not 503.

    Ours: connection errors (refused, connect timeout: the query never reached OPA) and 502/503/504
    (a proxy or an overloaded server), at most `retries` times. A query is read-only, so resending
    a POST is safe. A read timeout or a connection dropped mid-answer is not retried: OPA has the
    query and may still be working on it, and resending would multiply the wait under load. Never
    a 4xx. Retry-After is ignored and retries are at most 5, so a call lasts at most about
    timeout * (retries + 1) plus the backoff (0, 0.2, 0.4, ... s)."""

    def _init_session(self) -> requests.Session:
        session = super()._init_session()
        retry = Retry(total=self.retries, connect=self.retries, read=False, redirect=0, other=0,
                      status=self.retries, status_forcelist=(502, 503, 504),
                      allowed_methods=frozenset({"GET", "POST"}), backoff_factor=0.1,
                      raise_on_status=False, respect_retry_after_header=False)
        adapter = HTTPAdapter(max_retries=retry)
        session.mount("http://", adapter)  # replaces the adapters OpaClient mounted
        session.mount("https://", adapter)
        session.max_redirects = 0
        session.hooks["response"] = [_no_redirects, _bounded_body]
        return session


def _shown_url(url) -> str:
    text = str(url)
    if "@" in text:  # never echo credentials in a URL
        scheme, _, rest = text.partition("://")
        text = f"{scheme}://***@{rest.rsplit('@', 1)[1]}" if rest else "***"
    return repr(text[:200])


def parse_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of http(s)://host[:port][/]; anything else is refused: OpaClient builds
    every URL as scheme://host:port/v1/..., so a path prefix, query or credentials would be lost."""
    bad = EngineError(f"not an OPA server URL: {_shown_url(url)} (expected http(s)://host[:port])")
    if not isinstance(url, str) or not url or not url.isprintable() or any(c.isspace() for c in url):
        raise bad
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        raise bad from None
    host = parts.hostname or ""
    if (parts.scheme not in ("http", "https") or "@" in parts.netloc or "?" in url or "#" in url
            or parts.path not in ("", "/") or not host):
        raise bad
    if "[" in parts.netloc:  # IPv6 literal: OpaClient joins host and port with ':', so keep brackets
        host = f"[{host}]"
    elif not _HOST.match(host):
        raise bad
    return parts.scheme, host, port if port is not None else (443 if parts.scheme == "https" else 80)


def _client(url: str, token: str | None, timeout: float, retries: int) -> tuple[_Client, str]:
    scheme, host, port = parse_url(url)
    if token is not None and (not isinstance(token, str) or not token or not token.isprintable()
                              or any(c.isspace() for c in token)):
        raise EngineError("the OPA bearer token must be a non-empty string without spaces or control characters")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 3600:
        raise EngineError(f"the OPA server timeout must be a number of seconds above 0, not {timeout!r}")
    if isinstance(retries, bool) or not isinstance(retries, int) or not 0 <= retries <= 5:
        raise EngineError(f"the OPA server retries must be a whole number from 0 to 5, not {retries!r}")
    client = _Client(host=host, port=port, ssl=scheme == "https", token=token, timeout=float(timeout),
                     retries=retries)
    return client, f"{scheme}://{host}:{port}"


def _server_text(text: str) -> str:
    """A server's words in our one-line message: first line, escaped, capped."""
    line = visible(first_line(text or ""))
    return line if len(line) <= _MAX_SHOWN else line[:_MAX_SHOWN] + "..."


def _http_error(where: str, response: requests.Response) -> EngineError:
    """HTTP status plus OPA's {"code", "message"} when the body has them, else the body's first line."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and (body.get("code") or body.get("message")):
        said = ": ".join(_server_text(str(body[key])) for key in ("code", "message") if body.get(key))
    else:
        said = _server_text(response.text)
    message = f"{where} answered HTTP {response.status_code}" + (f" ({said})" if said else "")
    return EngineError(message, detail=f"{message}\n{response.text[:4000]}")


def _failure(where: str, exc: requests.RequestException, timeout: float) -> EngineError:
    """One clear line for a requests exception (the full text stays in detail)."""
    if isinstance(exc, _Refused):
        return EngineError(f"{where} {exc}", detail=str(exc))
    if isinstance(exc, requests.Timeout):  # before ConnectionError: ConnectTimeout is both
        return EngineTimeout(f"{where} did not answer within {timeout:g} s", detail=str(exc))
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return _http_error(where, exc.response)
    if isinstance(exc, requests.exceptions.JSONDecodeError):
        return EngineError(f"{where} answered with a body that is not JSON", detail=str(exc))
    if isinstance(exc, requests.ConnectionError):
        # urllib3 buries the cause (e.g. "[Errno 111] Connection refused") inside MaxRetryError.
        found = re.findall(r"\[Errno -?\d+\] [^'\"\)]+", str(exc))
        reason = found[-1].strip() if found else type(exc).__name__
        return EngineError(f"cannot reach {where}: {reason}", detail=str(exc))
    return EngineError(f"{where} failed: {type(exc).__name__}: {_server_text(str(exc))}", detail=str(exc))


def _revision(body: dict) -> str | None:
    """The aidf bundle's revision in OPA's provenance (bundles.aidf.revision); None when the server
    does not name it. Another bundle's revision is never taken for aidf's."""
    provenance = body.get("provenance")
    bundles = provenance.get("bundles") if isinstance(provenance, dict) else None
    entry = bundles.get(BUNDLE) if isinstance(bundles, dict) else None
    revision = entry.get("revision") if isinstance(entry, dict) else None
    return revision if isinstance(revision, str) and revision else None


class RemoteEngine(Engine):
    """A rule evaluated by an OPA server: POST /v1/data/<path>?provenance with {"input": ...}."""

    name = "opa-server"

    def __init__(self, url: str, *, token: str | None = None, timeout: float = 5.0, retries: int = 2):
        self._client, self.url = _client(url, token, timeout, retries)
        self.timeout = float(timeout)
        self.retries = retries
        # Each attempt may take `timeout`; the backoff adds at most a second. Past this the
        # decision is abandoned whatever the socket is doing.
        self.deadline = self.timeout * (retries + 1) + 1.0
        # The revision of the bundle behind this thread's last answer (None when it did not say),
        # per thread, so that an answer never carries the revision of another thread's answer.
        self._answers = threading.local()

    @property
    def bundle_revision(self) -> str | None:
        return getattr(self._answers, "revision", None)

    def _where(self) -> str:
        return f"the OPA server at {self.url}"

    def evaluate(self, rule: str, input_document: dict):
        parts = rule.split(".") if isinstance(rule, str) else []
        if len(parts) < 2 or parts[0] != "data" or not all(_SEGMENT.match(p) for p in parts[1:]):
            raise EngineError(f"rule path must be data.<name>[.<name>...]: {rule!r}")
        self._answers.revision = None
        try:
            # query_rule POSTs {"input": ...}, raises HTTPError for a 4xx/5xx and returns the
            # decoded body as is, so an undefined result ({}, no "result" key) stays visible.
            call = _CALLS.submit(self._client.query_rule, input_document, ".".join(parts[1:]),
                                 query_params={"provenance": True})
            body = call.result(timeout=self.deadline)
        except concurrent.futures.TimeoutError:
            # Closing the session closes its sockets: the worker's read fails and the thread ends.
            self._client.close_connection()
            raise EngineTimeout(f"{self._where()} did not answer within {self.deadline:g} s") from None
        except requests.RequestException as exc:
            raise _failure(self._where(), exc, self.timeout) from exc
        except ValueError as exc:  # e.g. an input requests cannot serialize
            raise EngineError(f"{self._where()}: {type(exc).__name__}: {first_line(str(exc))}") from exc
        if not isinstance(body, dict):
            raise EngineError(f"{self._where()} answered with a JSON {type(body).__name__}, not an object")
        self._answers.revision = _revision(body)
        if "result" not in body:
            raise UndefinedResult(f"{rule} is undefined for this input ({self._where()})")
        return body["result"]

    def run_test(self, rule: str):
        raise EngineError("Rego tests are not run on a remote OPA server; use the regorus or opa engine")

    def close(self) -> None:
        self._client.close_connection()


def health(url: str, token: str | None = None, timeout: float = 5.0) -> dict:
    """{"url", "healthy", "bundles", "status"} of an OPA server, from GET /health?bundles (200
    healthy, else not) and GET /v1/status. "bundles" maps each bundle to its active revision (None
    without a status document); "status" is that document, or a short note saying why there is
    none ("not configured" when the server has no status API). Raises EngineError when the server
    cannot be reached at all. No retries: this reports the server as it is now."""
    client, base = _client(url, token, timeout, retries=0)
    where = f"the OPA server at {base}"
    with client:
        try:
            # get_status raises for a connection failure, where check_health would just say False.
            answer = client.get_status()
            status = answer.get("result") if isinstance(answer, dict) else None
            if not isinstance(status, dict):
                status = "unavailable: the status answer has no result object"
        except requests.HTTPError as exc:
            response = exc.response
            said = ""
            try:
                said = str(response.json().get("message", ""))
            except (ValueError, AttributeError):
                pass
            # 404: no status API; OPA 1.x answers 500 "status plugin not enabled".
            if response.status_code == 404 or "status plugin not enabled" in said:
                status = "not configured"
            else:
                status = f"unavailable: {first_line(str(_http_error(where, response)))}"
        except requests.exceptions.JSONDecodeError:
            status = "unavailable: the status answer is not JSON"
        except requests.RequestException as exc:
            raise _failure(where, exc, float(timeout)) from exc
        healthy = client.check_health(query={"bundles": True})
        aidf = _probe(client, where)
    bundles = None
    if isinstance(status, dict) and isinstance(status.get("bundles"), dict):
        bundles = {str(name): entry.get("active_revision") if isinstance(entry, dict) else None
                   for name, entry in status["bundles"].items()}
    # Healthy for aidf: OPA says every bundle is active, and data.aidf.main.decision answers.
    return {"url": base, "healthy": bool(healthy and aidf["answers"]), "server_healthy": healthy,
            "aidf": aidf, "bundles": bundles, "status": status}


def _probe(client: _Client, where: str) -> dict:
    """Whether the server answers data.aidf.main.decision (an empty request: the policy's own
    invalid-request decision), and the aidf bundle revision its provenance names."""
    try:
        body = client.query_rule({}, "aidf.main.decision", query_params={"provenance": True})
    except requests.RequestException as exc:
        return {"answers": False, "revision": None, "problem": first_line(str(_failure(where, exc, client.timeout)))}
    answers = isinstance(body, dict) and isinstance(body.get("result"), dict)
    return {"answers": answers, "revision": _revision(body) if isinstance(body, dict) else None,
            "problem": None if answers else "data.aidf.main.decision is undefined: the aidf policies are not loaded"}
