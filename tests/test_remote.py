"""RemoteEngine against a real HTTP server that answers with the real OPA (Go) engine: the same
decisions as regorus, and every failure an EngineError, never a decision. No mocks."""
from __future__ import annotations

import copy
import json
import pathlib
import socket
import threading
import time

import pytest

import aidf
from aidf import engines
from aidf.contract import MalformedDecision
from aidf.engines.opa_engine import OpaGoEngine
from aidf.engines.remote_engine import MAX_RESPONSE_BYTES, RemoteEngine, health
from aidf.policy_set import PolicySet
from conftest import EXAMPLES, chips_request
from opa_server import running

REVISION = "aidf-test-rev-7"
FAST = 0.3  # seconds: the per-attempt timeout of the fault tests
EXAMPLE_FILES = sorted(p.name for p in EXAMPLES.glob("*.json"))


@pytest.fixture(scope="module")
def opa_engine():
    engine = OpaGoEngine()
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def shared_server(opa_engine):
    with running(engine=opa_engine, revision=REVISION) as started:
        yield started


@pytest.fixture
def server(shared_server):
    """The shared server, its faults cleared after each test."""
    yield shared_server
    shared_server.reset()


@pytest.fixture(scope="module")
def remote(shared_server):
    engine = RemoteEngine(shared_server.url)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def regorus():
    return engines.create("regorus")


@pytest.fixture
def fast(server):
    engine = RemoteEngine(server.url, timeout=FAST, retries=2)
    yield engine
    engine.close()


# --- the same decisions as regorus ---------------------------------------------------------------

@pytest.mark.parametrize("as_of", [None, "2025-06-01"], ids=["own-date", "2025-06-01"])
@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_example_decided_by_the_server_as_by_regorus(name, as_of, server, remote, regorus):
    request = json.loads((EXAMPLES / name).read_text())
    expected = aidf.evaluate(copy.deepcopy(request), as_of=as_of, using=regorus)
    got = aidf.evaluate(copy.deepcopy(request), as_of=as_of, using=remote)
    assert got.document == expected.document
    assert got.engine == "opa-server"
    assert remote.bundle_revision == REVISION


def test_examples_are_there():
    assert len(EXAMPLE_FILES) >= 12


def test_revision_reported_through_provenance(server):
    engine = RemoteEngine(server.url)
    try:
        assert engine.bundle_revision is None  # nothing seen yet
        aidf.evaluate(chips_request(), using=engine)
        assert engine.bundle_revision == server.revision == REVISION
    finally:
        engine.close()


# --- every failure is an EngineError ---------------------------------------------------------------

def _refused(engine, error=aidf.EngineError):
    """The call raises `error`; it never returns a decision, allowed or not."""
    with pytest.raises(error) as caught:
        aidf.evaluate(chips_request(), using=engine)
    assert "\n" not in str(caught.value)
    return caught.value


def test_stopped_server_is_refused(opa_engine):
    with running(engine=opa_engine) as stopped:
        engine = RemoteEngine(stopped.url, timeout=FAST)
        stopped.stop()
        error = _refused(engine)
        assert not isinstance(error, aidf.EngineTimeout)
        assert f"cannot reach the OPA server at {stopped.url}" in str(error)
        engine.close()


def test_slow_server_times_out_within_the_budget(server, fast):
    server.delay = 5
    started = time.monotonic()
    error = _refused(fast, aidf.EngineTimeout)
    assert time.monotonic() - started < FAST * (fast.retries + 1) + 1
    assert f"did not answer within {FAST:g} s" in str(error)
    assert server.count("POST") == 1  # a read timeout is not retried: OPA may still be working


def test_server_error(server, fast):
    server.status = 500
    error = _refused(fast)
    assert "HTTP 500" in str(error) and "internal_error" in str(error)
    assert server.count("POST") == 1  # a policy error fails the same way again: not retried


@pytest.mark.parametrize("token", [None, "wrong"])
def test_missing_or_wrong_token(opa_engine, token):
    with running(engine=opa_engine, token="s3cret") as guarded:
        engine = RemoteEngine(guarded.url, token=token, timeout=FAST)
        error = _refused(engine)
        assert "HTTP 401" in str(error) and "unauthorized" in str(error)
        assert "s3cret" not in str(error) and "wrong" not in str(error)
        assert guarded.count() == 1
        engine.close()


def test_right_token(opa_engine, regorus):
    with running(engine=opa_engine, token="s3cret") as guarded:
        engine = RemoteEngine(guarded.url, token="s3cret", timeout=2)
        assert (aidf.evaluate(chips_request(), using=engine).document
                == aidf.evaluate(chips_request(), using=regorus).document)
        assert health(guarded.url, token="s3cret")["healthy"] is True
        assert health(guarded.url)["healthy"] is False  # the server wants the token for /health too
        engine.close()


def test_undefined_result(server, fast):
    server.undefined = True
    assert "undefined" in str(_refused(fast, engines.UndefinedResult))
    assert fast.bundle_revision == REVISION  # OPA sends provenance even without a result


def test_malformed_decision_fails_the_contract(server, fast):
    server.malformed = True
    _refused(fast, MalformedDecision)


def test_body_that_is_not_json(server, fast):
    server.garbage = True
    assert "not JSON" in str(_refused(fast))


@pytest.mark.parametrize("raw", [b"[1, 2]", b"null", b'"allowed"', b""])
def test_body_that_is_not_an_object(server, fast, raw):
    server.raw = raw
    _refused(fast)


def test_no_provenance_means_no_revision(server, fast):
    aidf.evaluate(chips_request(), using=fast)
    assert fast.bundle_revision == REVISION
    server.raw = json.dumps({"result": aidf.evaluate(chips_request(), using=fast).document}).encode()
    aidf.evaluate(chips_request(), using=fast)
    assert fast.bundle_revision is None  # never vouches for an answer it did not come with


# --- retries are bounded --------------------------------------------------------------------------

@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_retried_at_most_retries_times(server, fast, status):
    server.status = status
    assert f"HTTP {status}" in str(_refused(fast))
    assert server.count("POST") == fast.retries + 1 == 3


@pytest.mark.parametrize("status", [400, 401, 404])
def test_client_errors_are_never_retried(server, fast, status):
    server.status = status
    assert f"HTTP {status}" in str(_refused(fast))
    assert server.count("POST") == 1


def test_no_retries(server):
    server.status = 503
    engine = RemoteEngine(server.url, timeout=FAST, retries=0)
    _refused(engine)
    assert server.count("POST") == 1
    engine.close()


# --- health ----------------------------------------------------------------------------------------

def test_health_of_a_healthy_server(server):
    report = health(server.url, timeout=2)
    assert report["url"] == server.url and report["healthy"] is True
    assert report["bundles"] == {"aidf": REVISION}
    assert report["status"]["bundles"]["aidf"]["active_revision"] == REVISION
    assert report["aidf"] == {"answers": True, "revision": REVISION, "problem": None}


def test_health_of_an_unhealthy_server(server):
    server.status = 500
    report = health(server.url, timeout=2)
    assert report["healthy"] is False and report["bundles"] is None
    assert "HTTP 500" in report["status"]


@pytest.mark.parametrize("plugin", [False, None], ids=["plugin-off", "no-route"])
def test_health_without_a_status_api(opa_engine, plugin):
    with running(engine=opa_engine, status_plugin=plugin) as bare:
        report = health(bare.url, timeout=2)
        assert report == {"url": bare.url, "healthy": True, "server_healthy": True, "bundles": None,
                          "status": "not configured", "aidf": report["aidf"]}
        assert report["aidf"]["answers"] is True


def test_a_server_without_the_aidf_policies_is_not_healthy_for_aidf():
    other = PolicySet(root=pathlib.Path("."), modules=(("other.rego", "package other\n\nx := 1\n"),), tests=(), data={})
    with running(other, revision="other-1") as unrelated:
        report = health(unrelated.url, timeout=2)
    assert report["server_healthy"] is True and report["healthy"] is False
    assert report["aidf"]["answers"] is False and "not loaded" in report["aidf"]["problem"]


def test_health_of_a_stopped_server(opa_engine):
    with running(engine=opa_engine) as stopped:
        stopped.stop()
        with pytest.raises(aidf.EngineError, match="cannot reach"):
            health(stopped.url, timeout=FAST)


# --- what the engine refuses up front --------------------------------------------------------------

@pytest.mark.parametrize("url", ["", "localhost:8181", "ftp://opa:8181", "http://opa:8181/v1", "http://opa:99999",
                                 "http://opa:8181?x=1", "http://user:pw@opa:8181", "http:///", "http://op a:1",
                                 "http://opa:8181\n", None])
def test_bad_urls_are_refused(url):
    with pytest.raises(aidf.EngineError, match="not an OPA server URL") as caught:
        RemoteEngine(url)
    assert "pw" not in str(caught.value)


@pytest.mark.parametrize("url, normalized", [("http://127.0.0.1:8181/", "http://127.0.0.1:8181"),
                                             ("https://opa.example.com", "https://opa.example.com:443"),
                                             ("http://[::1]:8181", "http://[::1]:8181")])
def test_good_urls(url, normalized):
    engine = RemoteEngine(url)
    assert engine.url == normalized
    engine.close()


@pytest.mark.parametrize("options", [{"token": "a b"}, {"token": ""}, {"timeout": 0}, {"timeout": "5"},
                                     {"retries": -1}, {"retries": 6}, {"retries": True}])
def test_bad_options_are_refused(options):
    with pytest.raises(aidf.EngineError):
        RemoteEngine("http://127.0.0.1:8181", **options)


def test_rule_paths_and_tests(remote):
    with pytest.raises(aidf.EngineError, match="rule path"):
        remote.evaluate("data.aidf/../x", {})
    with pytest.raises(aidf.EngineError, match="not run on a remote"):
        remote.run_test("data.aidf.main_test.test_x")


# --- answers aidf refuses to read: redirects, huge bodies, trickles ----------------------------------

def _read_request(connection) -> None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            return
        body += chunk


class _RawServer:
    """A socket server that answers every connection with `reply` (bytes, or a callable writing
    to the socket), for answers no well-behaved HTTP server library would send."""

    def __init__(self, reply):
        self._reply = reply
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        self._listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection):
        with connection:
            try:
                _read_request(connection)  # all of it: unread input makes the close a reset
                if callable(self._reply):
                    self._reply(connection, self._stop)
                else:
                    connection.sendall(self._reply)
            except OSError:
                pass

    def close(self):
        self._stop.set()
        self._listener.close()


@pytest.fixture
def raw_server():
    started = []

    def start(reply):
        started.append(_RawServer(reply))
        return started[-1]
    yield start
    for server in started:
        server.close()


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_never_followed(raw_server, opa_engine, status):
    with running(engine=opa_engine, revision=REVISION) as elsewhere:
        redirecting = raw_server(f"HTTP/1.1 {status} Moved\r\nLocation: {elsewhere.url}/v1/data/aidf/main/decision"
                                 f"\r\nContent-Length: 0\r\n\r\n".encode())
        with pytest.raises(aidf.EngineError, match="does not follow redirects"):
            aidf.evaluate(chips_request(), using=RemoteEngine(redirecting.url, timeout=2))
        assert elsewhere.count("POST") == 0


def test_a_body_over_the_limit_is_not_read(raw_server):
    def huge(connection, stop):
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"x" * 1_000_000
        for _ in range(MAX_RESPONSE_BYTES // len(chunk) + 2):
            connection.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
    with pytest.raises(aidf.EngineError, match="more than"):
        aidf.evaluate(chips_request(), using=RemoteEngine(raw_server(huge).url, timeout=5, retries=0))


def test_a_trickling_answer_is_abandoned_at_the_deadline(raw_server):
    def trickle(connection, stop):
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 1000:
            if stop.wait(0.1):
                return
            connection.sendall(bytes([byte]))
    engine = RemoteEngine(raw_server(trickle).url, timeout=0.5, retries=0)
    started = time.monotonic()
    with pytest.raises(aidf.EngineTimeout):
        aidf.evaluate(chips_request(), using=engine)
    assert time.monotonic() - started < engine.deadline + 1.0  # each byte came well within the read timeout
