"""The Python API: aidf.evaluate(request) -> Decision."""
from __future__ import annotations

import concurrent.futures
import datetime as dt

import pytest

import aidf
from aidf import engines, policy_set
from conftest import at, chips_request


def test_evaluate_returns_a_decision():
    decision = aidf.evaluate(chips_request())
    assert isinstance(decision, aidf.Decision)
    assert decision.allowed and decision.authorization == "AIA" and decision.engine == "regorus"
    assert "AUTH_CHOSEN" in decision.reason_codes


def test_as_of_argument_wins_over_request():
    decision = aidf.evaluate(chips_request(as_of="2025-06-01"), as_of=dt.date(2024, 1, 1))
    assert decision.outcome == "framework_not_in_effect"
    assert decision.document["as_of"] == "2024-01-01"


def test_request_is_not_mutated():
    request = chips_request()
    del request["as_of"]
    aidf.evaluate(request)
    assert "as_of" not in request


def test_invalid_request_raises_before_evaluation():
    with pytest.raises(aidf.InvalidRequest) as caught:
        aidf.evaluate(chips_request(destination="XX"))
    assert caught.value.problems[0].path == "$.destination"


def test_engine_failure_raises_never_allows(tmp_path):
    (tmp_path / "aidf").mkdir()
    (tmp_path / "aidf" / "main.rego").write_text("package aidf.main\n\nimport rego.v1\n\ndecision := 7\n")
    broken = engines.create("regorus", policies=policy_set.load(tmp_path))
    with pytest.raises(aidf.EngineError):
        aidf.evaluate(chips_request(), using=broken)


def test_regorus_engine_is_safe_across_threads():
    # regorus engines are `unsendable`; the adapter gives each thread its own clone.
    requests = [at(c) for c in ["SG", "MY", "DE", "CN", "SA", "BR"] * 4]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lambda r: aidf.evaluate(r).document, requests))
    assert threaded == [aidf.evaluate(r).document for r in requests]


def test_readme_examples_are_valid_requests():
    import pathlib
    import re

    from aidf import validation

    readme = (pathlib.Path(__file__).resolve().parent.parent / "README.md").read_text()
    blocks = re.findall(r"```json\n(.*?)```", readme, re.S)
    blocks += re.findall(r"^    (\{\"action\".*\})$", readme, re.M)
    assert len(blocks) >= 3
    for block in blocks:
        request = validation.parse(block)
        assert validation.problems(request) == [], block


def test_evaluate_a_provisioning_plan():
    plan = {"action": "deploy_compute", "as_of": "2026-02-01",
            "owner": {"name": "Example Cloud Inc.", "headquarters": "US", "ultimate_parent_headquarters": "US",
                      "veu": {"uveu": True}},
            "installed": [{"country": "US", "tpp": 1_000_000_000}],
            "placement": {"country": "MY", "chips": 100, "tpp_per_chip": 15_832, "notice_given_on": "2025-06-01"}}
    decision = aidf.evaluate(plan)
    assert decision.allowed and decision.authorization == "UVEU"
    assert decision.document["binding_constraint"] == "country:MY"
    assert decision.document["headroom"]["chips"] >= 0
