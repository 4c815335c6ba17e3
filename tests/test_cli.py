"""The real `aidf` command, run as a subprocess: exit codes, formats, stdin, --as-of."""
from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import jsonschema
import pytest

from conftest import EXAMPLES, ROOT, at, chips_request, decision_validator

AIDF = [sys.executable, "-m", "aidf.cli"]


def run(*args, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*AIDF, *args], input=stdin, capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, timeout=120)


def write(tmp_path: pathlib.Path, request: dict, name: str = "request.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(request))
    return str(path)


def test_allowed_exits_0_and_reads_like_a_decision(tmp_path):
    result = run("check", write(tmp_path, chips_request()))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "ALLOWED - licence exception"
    text = result.stdout
    assert text.index("Why") < text.index("Obligations") < text.index("Authorizations considered")
    assert "[15 CFR 740.27(b)(2)]" in text


def test_licence_required_exits_1(tmp_path):
    result = run("check", write(tmp_path, at("DE", hq="CN")))
    assert result.returncode == 1
    assert result.stdout.startswith("NOT ALLOWED WITHOUT A LICENCE")
    assert "presumption of denial" in result.stdout


def test_json_format_is_the_decision_document(tmp_path):
    result = run("check", write(tmp_path, chips_request()), "--format", "json")
    assert result.returncode == 0
    document = json.loads(result.stdout)
    decision_validator().validate(document)
    assert document["authorization"] == "AIA"


def test_stdin_and_as_of_override():
    result = run("check", "-", "--as-of", "2025-01-01", "--format", "json", stdin=json.dumps(chips_request()))
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert (document["as_of"], document["outcome"]) == ("2025-01-01", "framework_not_in_effect")


def test_as_of_defaults_to_today(tmp_path):
    request = chips_request()
    del request["as_of"]
    result = run("check", write(tmp_path, request), "--format", "json")
    import datetime as dt
    assert json.loads(result.stdout)["as_of"] == dt.datetime.now(dt.timezone.utc).date().isoformat()


@pytest.mark.parametrize("content, words", [
    ("", "is empty"),
    ("{not json", "malformed JSON"),
    (json.dumps(chips_request(destination="XX")), "$.destination: 'XX' is not a known ISO 3166-1 alpha-2 country code"),
    (json.dumps(chips_request(items=[{"quantity": -1, "tpp_per_unit": 1, "performance_density": 1, "designed_for_data_centers": True}])),
     "$.items[0].quantity: -1 is less than the minimum of 1"),
])
def test_invalid_request_exits_3_and_names_the_field(tmp_path, content, words):
    path = tmp_path / "bad.json"
    path.write_text(content)
    result = run("check", str(path))
    assert result.returncode == 3
    assert words in result.stderr
    assert "nothing was evaluated" in result.stderr
    assert result.stdout == ""


def test_invalid_request_in_json_format_lists_problems(tmp_path):
    result = run("check", write(tmp_path, chips_request(destination="XX", transaction="gift")), "--format", "json")
    assert result.returncode == 3
    document = json.loads(result.stdout)
    assert document["error"] == "invalid_request"
    assert {p["path"] for p in document["problems"]} == {"$.destination", "$.transaction"}


def test_missing_file_exits_3(tmp_path):
    result = run("check", str(tmp_path / "nope.json"))
    assert result.returncode == 3
    assert "cannot read" in result.stderr


def test_bad_as_of_is_a_usage_error(tmp_path):
    result = run("check", write(tmp_path, chips_request()), "--as-of", "yesterday")
    assert result.returncode == 2


def run_with_policy(tmp_path, main_rego: str) -> subprocess.CompletedProcess:
    """aidf check against a one-file policy tree, as a policy author would with AIDF_POLICY_DIR."""
    policies = tmp_path / "policies"
    (policies / "aidf").mkdir(parents=True)
    (policies / "aidf" / "main.rego").write_text(main_rego)
    return run("check", write(tmp_path, chips_request()), env={"AIDF_POLICY_DIR": str(policies)})


def test_broken_policy_exits_4_never_0(tmp_path):
    result = run_with_policy(tmp_path, "package aidf.main\n\ndecision := {")
    assert result.returncode == 4
    assert "POLICY ENGINE ERROR" in result.stderr


@pytest.mark.parametrize("decision", [
    'decision := {"allowed": true} if false',   # undefined
    'decision := 7',                             # not a decision
    'decision := {"allowed": "yes", "outcome": "x"}',
])
def test_policy_without_a_proper_decision_exits_4(tmp_path, decision):
    result = run_with_policy(tmp_path, f"package aidf.main\n\nimport rego.v1\n\n{decision}\n")
    assert result.returncode == 4


def test_worst_exit_code_wins_across_files(tmp_path):
    ok = write(tmp_path, chips_request(), "ok.json")
    licence = write(tmp_path, at("DE", hq="CN"), "licence.json")
    assert run("check", ok, licence, "--format", "summary").returncode == 1
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    assert run("check", ok, str(bad), licence, "--format", "summary").returncode == 3


def test_opa_engine_gives_the_same_json(tmp_path):
    path = write(tmp_path, at("SG"))
    on_regorus = json.loads(run("check", path, "--format", "json").stdout)
    on_opa = json.loads(run("check", path, "--format", "json", "--engine", "opa").stdout)
    assert on_regorus == on_opa


def test_schema_command_prints_a_valid_schema():
    result = run("schema", "export_chips")
    jsonschema.Draft202012Validator.check_schema(json.loads(result.stdout))


def test_summary_over_all_examples():
    files = sorted(str(p) for p in EXAMPLES.glob("*.json"))
    result = run("check", "--format", "summary", *files)
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == len(files)
