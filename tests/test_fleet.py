"""The fleet paths end to end, with real parts: aidf.Evaluator and `aidf check` against an OPA
bundle and a real HTTP OPA-API server (OPA Go behind it), `aidf health`, and decision records
(`--decision-log`, `aidf log show|replay`)."""
from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

import aidf
from aidf import bundle, decision_log
from aidf.cli import main
from conftest import EXAMPLES, ROOT
from opa_server import running

EXAMPLE = EXAMPLES / "03-lpp-singapore-first-order.json"
DENIED = EXAMPLES / "02-d5-parent-in-germany.json"
REVISION = "fleet-test-1"


def SHA256(path) -> str:  # noqa: N802 - reads as the value it computes
    import hashlib

    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def _aidf(*args, env=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "aidf.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def signed(tmp_path_factory):
    """A bundle signed with a fresh HS256 secret, and the secret's file."""
    folder = tmp_path_factory.mktemp("bundle")
    secret = folder / "secret"
    secret.write_bytes(b"fleet-test-shared-secret-of-32-bytes!")
    path = folder / "aidf.tar.gz"
    path.write_bytes(bundle.build(revision=REVISION, signing_key=secret.read_bytes(), signing_alg="HS256"))
    return path, secret


@pytest.fixture(scope="module")
def server(signed):
    """The OPA-API test server, serving the signed bundle with OPA (Go)."""
    path, secret = signed
    with running(bundle.load(path, verification_key=secret.read_bytes(), algorithm="HS256"), revision=REVISION) as started:
        yield started


@pytest.fixture(autouse=True)
def _no_server_from_the_environment(monkeypatch):
    monkeypatch.delenv("AIDF_OPA_URL", raising=False)
    monkeypatch.delenv("AIDF_OPA_TOKEN", raising=False)


# -- the same document from the source tree, the bundle and the server ------------------------

@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_every_example_decides_the_same_from_the_bundle_and_the_server(name, signed, server):
    request = json.loads((EXAMPLES / name).read_text())
    embedded = aidf.evaluate(request).document
    with aidf.Evaluator(bundle=signed[0], verification_key=signed[1], signing_alg="HS256") as from_bundle, \
            aidf.Evaluator(opa_url=server.url) as remote:
        bundled, served = from_bundle.evaluate(request), remote.evaluate(request)
    assert served.document == {**embedded, "bundle": {"name": "aidf", "revision": REVISION}}
    assert bundled.document == {**embedded, "bundle": {"name": "aidf", "revision": REVISION, "signed": True,
                                                       "verified": True, "sha256": SHA256(signed[0])}}
    assert bundled.revision == served.revision == REVISION
    assert served.engine == "opa-server"


def test_a_bundle_with_a_time_budget_runs_isolated_and_decides_the_same(signed):
    request = json.loads(EXAMPLE.read_text())
    with aidf.Evaluator(bundle=signed[0], verification_key=signed[1], signing_alg="HS256", timeout=10) as isolated:
        decision = isolated.evaluate(request)
    assert decision.document["bundle"]["revision"] == REVISION
    assert {k: v for k, v in decision.document.items() if k != "bundle"} == aidf.evaluate(request).document


def test_the_cli_loads_a_bundle_and_a_server_and_says_which_revision(signed, server):
    for option in (["--bundle", signed[0], "--verification-key", signed[1], "--signing-alg", "HS256"],
                   ["--opa-url", server.url]):
        done = _aidf("check", "--format", "json", *option, EXAMPLE)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["bundle"]["revision"] == REVISION
    done = _aidf("check", "--format", "json", DENIED, env={"AIDF_OPA_URL": server.url})
    assert done.returncode == 1 and json.loads(done.stdout)["bundle"]["revision"] == REVISION


def test_a_wrong_key_or_a_tampered_bundle_is_refused_before_anything_is_decided(signed, tmp_path):
    other = tmp_path / "other"
    other.write_bytes(b"another-secret-another-secret-12345")
    done = _aidf("check", "--bundle", signed[0], "--verification-key", other, "--signing-alg", "HS256", EXAMPLE)
    assert done.returncode == 4 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "signature" in done.stderr
    with pytest.raises(bundle.BundleError):
        aidf.Evaluator(bundle=signed[0], verification_key=other, signing_alg="HS256")
    # The right secret, but HS256 not asked for: RS256 is expected, as OPA expects it.
    with pytest.raises(bundle.BundleError, match="RS256 was expected"):
        aidf.Evaluator(bundle=signed[0], verification_key=signed[1])


def test_a_bundle_without_a_key_is_refused_unless_unsigned_use_is_asked_for(signed):
    done = _aidf("check", "--bundle", signed[0], EXAMPLE)
    assert done.returncode == 2 and "--allow-unsigned" in done.stderr
    with pytest.raises(ValueError, match="allow_unsigned"):
        aidf.Evaluator(bundle=signed[0])
    done = _aidf("check", "--format", "json", "--bundle", signed[0], "--allow-unsigned", EXAMPLE)
    assert done.returncode == 0 and "signature was not verified" in done.stderr
    assert json.loads(done.stdout)["bundle"] == {"name": "aidf", "revision": REVISION, "signed": True,
                                                 "verified": False, "sha256": SHA256(signed[0])}


def test_options_that_contradict_each_other_are_usage_errors(signed, server):
    done = _aidf("check", "--bundle", signed[0], "--opa-url", server.url, EXAMPLE)
    assert done.returncode == 2 and "not both" in done.stderr
    done = _aidf("check", "--verification-key", signed[1], EXAMPLE)
    assert done.returncode == 2 and "needs a bundle" in done.stderr


# -- a server that fails is exit 4, never an allow --------------------------------------------

@pytest.mark.parametrize("fault", ["stopped", "slow", "status", "undefined", "malformed", "garbage"])
def test_every_server_fault_is_exit_4_through_the_cli(fault, signed):
    path, secret = signed
    with running(bundle.load(path, verification_key=secret.read_bytes(), algorithm="HS256"), revision=REVISION) as flaky:
        if fault == "stopped":
            flaky.stop()
        elif fault == "slow":
            flaky.delay = 3
        elif fault == "status":
            flaky.status = 500
        else:
            setattr(flaky, fault, True)
        done = _aidf("check", "--opa-url", flaky.url, "--timeout", "0.5", "--retries", "0", "--format", "json", EXAMPLE)
    assert done.returncode == 4, (fault, done.stdout, done.stderr)
    assert json.loads(done.stdout)["error"] == "engine_error"
    assert "allowed" not in json.loads(done.stdout)


def test_an_invalid_request_is_refused_locally_before_the_server_is_asked(server, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**json.loads(EXAMPLE.read_text()), "destination": "XX"}))
    before = server.count("POST")
    done = _aidf("check", "--opa-url", server.url, bad)
    assert done.returncode == 3 and "destination" in done.stderr
    assert server.count("POST") == before


def test_health_reports_the_bundle_revision(server):
    done = _aidf("health", "--opa-url", server.url)
    assert done.returncode == 0, done.stderr
    assert "healthy" in done.stdout and REVISION in done.stdout
    report = json.loads(_aidf("health", "--format", "json", env={"AIDF_OPA_URL": server.url}).stdout)
    assert report["healthy"] is True and report["bundles"] == {"aidf": REVISION}


def test_health_of_a_stopped_server_is_exit_4(signed):
    with running(revision=REVISION) as gone:
        gone.stop()
        done = _aidf("health", "--opa-url", gone.url, "--timeout", "0.5")
    assert done.returncode == 4 and len(done.stderr.strip().splitlines()) == 1


# -- decision records ---------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ["regorus", "opa"])
def test_each_decision_is_one_record_in_opas_decision_log_shape(engine, tmp_path):
    log_file = tmp_path / "decisions.jsonl"
    done = _aidf("check", "--engine", engine, "--decision-log", log_file, "--format", "summary", EXAMPLE, DENIED)
    assert done.returncode == 1
    records = [json.loads(line) for line in log_file.read_text().splitlines()]
    assert len(records) == 2
    for record, source in zip(records, (EXAMPLE, DENIED)):
        assert set(decision_log.REQUIRED_FIELDS) <= set(record)
        assert record["path"] == "aidf/main/decision" and record["engine"] == engine
        assert record["input"]["request_id"] == json.loads(source.read_text())["request_id"]
        assert record["result"] == aidf.evaluate(record["input"]).document
        assert record["bundles"]["aidf"]["revision"] == record["result"]["policy_revision"]
        assert record["timestamp"].endswith("Z") and record["as_of"] == record["input"]["as_of"]
    assert records[0]["decision_id"] != records[1]["decision_id"]


def test_records_already_written_survive_a_crash(tmp_path):
    log_file = tmp_path / "decisions.jsonl"
    script = (f"import aidf, json, os\n"
              f"ev = aidf.Evaluator(decision_log={str(log_file)!r})\n"
              f"request = json.load(open({str(EXAMPLE)!r}))\n"
              f"ev.evaluate(request); ev.evaluate(request)\n"
              f"os._exit(9)  # no close, no flush at exit\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr
    lines = log_file.read_text().splitlines()
    assert len(lines) == 2 and all(json.loads(line)["result"]["allowed"] for line in lines)


def test_a_server_decision_is_recorded_with_the_served_revision(server, tmp_path):
    log_file = tmp_path / "decisions.jsonl"
    with aidf.Evaluator(opa_url=server.url, decision_log=log_file) as remote:
        remote.evaluate(json.loads(EXAMPLE.read_text()))
    (record,) = decision_log.read(log_file)
    assert record.record["bundles"] == {"aidf": {"revision": REVISION}} and record.record["engine"] == "opa-server"


def test_log_show_renders_a_recorded_decision_for_an_auditor(tmp_path):
    log_file = tmp_path / "decisions.jsonl"
    with aidf.Evaluator(decision_log=log_file) as evaluator:
        first = evaluator.evaluate(json.loads(EXAMPLE.read_text()))
        evaluator.evaluate(json.loads(DENIED.read_text()))
    decision_id = decision_log.read(log_file)[0].record["decision_id"]
    result = CliRunner().invoke(main, ["log", "show", str(log_file), "--id", decision_id])
    assert result.exit_code == 0, result.output
    assert decision_id in result.output and "ALLOWED" in result.output and "740.29" in result.output
    assert first.document["summary"].split(":")[0] in result.output
    assert result.output.count("Decision ") == 1
    everything = CliRunner().invoke(main, ["log", "show", str(log_file)])
    assert everything.exit_code == 0 and everything.output.count("Decision ") == 2
    missing = CliRunner().invoke(main, ["log", "show", str(log_file), "--id", "no-such-id"])
    assert missing.exit_code == 3


def test_log_replay_lists_the_decisions_a_policy_change_would_change(tmp_path):
    log_file = tmp_path / "decisions.jsonl"
    with aidf.Evaluator(decision_log=log_file) as evaluator:
        for source in (EXAMPLE, DENIED):
            evaluator.evaluate(json.loads(source.read_text()))
    same = _aidf("log", "replay", log_file)
    assert same.returncode == 0 and "2 decisions replayed: 0 would change" in same.stdout
    # A policy author halves the LPP cap: the LPP shipment (example 03) now needs a licence.
    tree = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", tree)
    params_file = tree / "aidf" / "facts" / "params" / "data.json"
    params = json.loads(params_file.read_text())
    params["lpp"]["annual_limit_tpp"] //= 100
    params_file.write_text(json.dumps(params))
    moved = _aidf("log", "replay", "--format", "json", log_file, env={"AIDF_POLICY_DIR": str(tree)})
    assert moved.returncode == 1, moved.stderr
    report = json.loads(moved.stdout)
    assert report["replayed"] == 2 and [c["line"] for c in report["changed"]] == [1]
    assert any(change.startswith("outcome: license_exception -> ") for change in report["changed"][0]["changes"])


@pytest.mark.parametrize("content, words", [("not json\n", "not a JSON decision record"),
                                            ('{"decision_id": "x"}\n', "has no"),
                                            ("[1]\n", "JSON object")])
def test_an_unreadable_log_is_exit_3_naming_the_line(tmp_path, content, words):
    log_file = tmp_path / "decisions.jsonl"
    log_file.write_text(content)
    for command in ("show", "replay"):
        done = _aidf("log", command, log_file)
        assert done.returncode == 3 and f"{log_file}:1" in done.stderr and words in done.stderr
    assert _aidf("log", "show", tmp_path / "missing.jsonl").returncode == 3


@pytest.mark.parametrize("options, words", [
    (["--bundle", "/no/such/bundle.tar.gz", "--allow-unsigned"], "no such file"),
    (["--decision-log", "/no/such/folder/decisions.jsonl"], "cannot open the decision log"),
    (["--opa-url", "ftp://example.com"], "not an OPA server URL"),
])
def test_a_source_or_log_that_cannot_be_opened_is_one_line_and_exit_4(options, words, tmp_path):
    done = _aidf("check", *options, EXAMPLE)
    assert done.returncode == 4 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and words in done.stderr and "Traceback" not in done.stderr


def test_a_garbage_bundle_is_refused_by_check_and_verify(tmp_path):
    garbage = tmp_path / "aidf.tar.gz"
    garbage.write_bytes(b"not a bundle")
    for args in (["check", "--bundle", garbage, "--allow-unsigned", EXAMPLE], ["bundle", "verify", garbage]):
        done = _aidf(*args)
        assert done.returncode == 4 and "not a gzip file" in done.stderr and done.stderr.count("\n") == 1


def test_an_edited_record_is_refused_rather_than_shown(tmp_path):
    log_file = tmp_path / "decisions.jsonl"
    with aidf.Evaluator(decision_log=log_file) as evaluator:
        evaluator.evaluate(json.loads(EXAMPLE.read_text()))
    record = json.loads(log_file.read_text())
    for edit in ({"as_of": "2024-01-01"}, {"view": "enforced"}, {"bundles": "x"},
                 {"input": {**record["input"], "request_id": "other"}}):
        (tmp_path / "edited.jsonl").write_text(json.dumps({**record, **edit}) + "\n")
        for command in ("show", "replay"):
            done = _aidf("log", command, tmp_path / "edited.jsonl")
            assert done.returncode == 3 and "edited.jsonl:1" in done.stderr, (edit, done.stderr)


def test_a_fifo_is_neither_a_log_to_write_nor_one_to_read(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    done = _aidf("check", "--decision-log", fifo, EXAMPLE, timeout=30)
    assert done.returncode == 4 and "not a regular file" in done.stderr
    done = _aidf("log", "show", fifo, timeout=30)
    assert done.returncode == 3 and "not a regular file" in done.stderr


def test_a_log_that_cannot_be_written_names_itself():
    done = _aidf("check", "--decision-log", "/dev/full", EXAMPLE, timeout=30)
    assert done.returncode == 4 and "/dev/full" in done.stderr and done.stderr.count("\n") == 1


def test_a_closed_evaluator_decides_nothing(signed):
    evaluator = aidf.Evaluator(bundle=signed[0], verification_key=signed[1], signing_alg="HS256")
    evaluator.close()
    with pytest.raises(aidf.EngineError, match="closed"):
        evaluator.evaluate(json.loads(EXAMPLE.read_text()))
