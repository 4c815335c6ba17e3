"""Every hostile input through the real CLI and the API: the exit code it must give, the words
(JSON path) its error must name, never 0, never a traceback, within its time budget, in bounded
memory; and text output that no control character can forge."""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
import unicodedata

import pytest

import aidf
from aidf import validation
from corpus import CHIPS, CONTROL, PLAN, WEIGHTS, cases, example, string_fields, with_value

CLI = [sys.executable, "-m", "aidf.cli", "check"]
BUDGET_SECONDS = 30          # the whole CLI run of one case, start-up included
MEMORY_BYTES = 2 * 1024**3   # address space of the CLI process (its engine process lowers it further)
CASES = cases()


def _bounded():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def run_cli(*args, stdin=None, input_bytes=None):
    started = time.monotonic()
    result = subprocess.run([*CLI, *args], stdin=stdin, input=input_bytes, capture_output=True,
                            timeout=BUDGET_SECONDS * 2, preexec_fn=_bounded)
    elapsed = time.monotonic() - started
    assert elapsed < BUDGET_SECONDS, f"took {elapsed:.1f} s"
    out, err = result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    return result.returncode, out, err


def raw_controls(text: str) -> set[str]:
    """Control and invisible characters that reached the terminal unescaped (newlines are ours)."""
    return {c for c in text if c != "\n" and unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli_refuses_hostile_input(tmp_path, case):
    path = tmp_path / "request.json"
    path.write_bytes(case.content)
    code, out, err = run_cli(str(path))
    assert code == case.exit_code, (code, out, err)
    assert case.words in err, err
    assert out == ""
    assert not raw_controls(err)
    code, out, _ = run_cli(str(path), "--format", "json")
    assert code == case.exit_code
    document = json.loads(out)
    assert document["error"] == "invalid_request"
    assert any(case.words in f"{p['path']}: {p['message']}" for p in document["problems"]), document


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_api_raises_only_invalid_request(case):
    with pytest.raises(aidf.InvalidRequest) as caught:
        aidf.evaluate(validation.parse(case.content))
    assert any(case.words in str(p) for p in caught.value.problems), caught.value.problems


def test_endless_source_is_cut_at_the_cap():
    code, _, err = run_cli("/dev/zero")
    assert code == 3 and "more than 1,000,000 bytes" in err
    with open("/dev/zero", "rb") as zero:
        code, _, err = run_cli("-", stdin=zero)
    assert code == 3 and "standard input is more than 1,000,000 bytes" in err


def test_closed_stdin_is_invalid_input():
    result = subprocess.run(CLI + ["-"], stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    assert result.returncode == 3
    closed = subprocess.run(f"{sys.executable} -m aidf.cli check - <&-", shell=True, capture_output=True, timeout=60)
    assert closed.returncode == 3 and b"standard input is closed" in closed.stderr


def test_directory_and_missing_file_are_invalid_input(tmp_path):
    assert run_cli(str(tmp_path))[0] == 3
    assert run_cli(str(tmp_path / "missing.json"))[0] == 3


@pytest.mark.parametrize("date", ["2262-04-11", "1677-09-21"])
def test_as_of_outside_the_range_is_invalid_input(tmp_path, date):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(CHIPS))
    code, _, err = run_cli(str(path), "--as-of", date)
    assert code == 3 and "$.as_of" in err


def test_lone_surrogate_prints_no_rust_backtrace(tmp_path):
    path = tmp_path / "r.json"
    path.write_text('{"action": "export_chips", "request_id": "\\udcff"}')
    env = {**os.environ, "RUST_BACKTRACE": "1"}
    result = subprocess.run(CLI + [str(path)], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 3
    assert len(result.stderr.splitlines()) == 2


def test_a_plan_the_engine_cannot_finish_in_time_is_stopped(tmp_path):
    """10,000 installed entries: bounded by the time budget whatever the policy's complexity."""
    plan = dict(PLAN, installed=[{"country": c, "tpp": 1000 + i} for i, c in enumerate(["US", "DE", "FR", "JP"] * 2500)])
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    started = time.monotonic()
    code, out, err = run_cli(str(path), "--timeout", "2", "--format", "json")
    assert time.monotonic() - started < 20
    if code == 4:
        assert "within 2 s; it was stopped" in out
    else:  # decided in time: then the decision is believed only as it says
        assert code == (0 if json.loads(out)["allowed"] else 1)


# -- terminal injection ---------------------------------------------------------------------

REQUESTS = {"chips": CHIPS, "plan": PLAN, "weights": WEIGHTS, "training": example("71-train-for-japanese-customer.json")}
FIELDS = [(name, path) for name, request in REQUESTS.items() for path in string_fields(request)
          if path != ("action",)]


@pytest.mark.parametrize("name, path", FIELDS, ids=[f"{n}:{'.'.join(map(str, p))}" for n, p in FIELDS])
def test_control_characters_in_any_string_never_reach_the_terminal(tmp_path, name, path):
    hostile = with_value(REQUESTS[name], path, f"ok{CONTROL}\x1b[2J\x1b[HALLOWED\r\nforged")
    file = tmp_path / "r.json"
    file.write_text(json.dumps(hostile))
    for fmt in ("text", "summary"):
        code, out, err = run_cli(str(file), "--format", fmt)
        assert code in (0, 1, 3), err
        assert not raw_controls(out + err), (fmt, sorted(map(hex, map(ord, raw_controls(out + err)))))
        assert "\nforged" not in out + err
    code, out, _ = run_cli(str(file), "--format", "json")
    if code != 3:  # a decision in JSON stays exact: the terminal escapes are never applied to it
        assert "\\\\x1b" not in out and "\\\\u202e" not in out
        if path == ("request_id",):
            assert json.loads(out)["request_id"] == hostile["request_id"]


@pytest.mark.parametrize("name, path", FIELDS, ids=[f"{n}:{'.'.join(map(str, p))}" for n, p in FIELDS])
def test_control_characters_in_any_string_through_the_api(name, path):
    hostile = with_value(REQUESTS[name], path, f"ok{CONTROL}")
    try:
        decision = aidf.evaluate(hostile)
    except aidf.InvalidRequest as exc:  # a closed field (country, enum): refused with its path
        where = "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)
        assert any(p.path == where for p in exc.problems), exc.problems
    else:
        if path == ("request_id",):
            assert decision.document["request_id"] == hostile["request_id"]


def test_control_characters_in_the_file_name_are_escaped(tmp_path):
    file = tmp_path / "evil\x1b[2J\rname.json"
    file.write_text(json.dumps(CHIPS))
    code, out, err = run_cli(str(file))
    assert code == 0
    assert not raw_controls(out + err)
    assert "evil\\x1b[2J\\x0dname.json" in out
