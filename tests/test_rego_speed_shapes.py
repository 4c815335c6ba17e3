"""The shape of the policies' cost, not their speed: work grows with the input about linearly
(never quadratically), and the entrypoint for validated requests decides exactly as the full one.

Nothing here asserts a time. Growth is checked as a ratio measured within one run (twice the
input must cost well under four times the work, which is what a quadratic rule would take), so
the tests hold on a slow or busy machine as on a fast one.
"""
from __future__ import annotations

import copy
import json
import pathlib
import sys
import time

import pytest

from aidf import api, validation
from conftest import EXAMPLES, ROOT, _first_difference, engine

DATES = (None, "2025-03-01", "2025-06-01", "2026-02-01", "2027-06-01")
VIEWS = ("as_written", "enforced")
DECISION = "data.aidf.main.decision"
CHECKED = "data.aidf.main.checked_decision"


def _prepared(request: dict, as_of=None, view=None) -> dict | None:
    try:
        return api.prepare(copy.deepcopy(request), as_of, view)
    except validation.InvalidRequest:
        return None


# --- the country index is generated from facts/countries --------------------------------------
def test_country_index_is_generated_from_facts_countries():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import gen_country_index
    finally:
        sys.path.pop(0)
    source = json.loads((ROOT / "policies" / "aidf" / "facts" / "countries" / "data.json").read_text())
    committed = (ROOT / "policies" / "aidf" / "facts" / "country_index" / "data.json").read_text()
    assert committed == gen_country_index.render(source), "run `python tools/gen_country_index.py`"


# --- checked_decision == decision for every valid request -------------------------------------
@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.name)
def test_checked_decision_is_the_decision_for_valid_requests(path):
    request = json.loads(path.read_text())
    compared = 0
    for as_of in DATES:
        for view in VIEWS:
            prepared = _prepared(request, as_of, view)
            if prepared is None:
                continue
            for name in ("regorus", "opa"):
                full = engine(name).evaluate(DECISION, prepared)
                checked = engine(name).evaluate(CHECKED, prepared)
                assert checked == full, f"{name} {as_of} {view}: {_first_difference(checked, full)}"
                assert full["outcome"] != "invalid_request"
            compared += 1
    assert compared > 0, "no valid variant of the example"


# --- linear growth ----------------------------------------------------------------------------
def _cost(name: str, rule: str, request: dict, runs: int = 3) -> tuple[float, dict]:
    best, value = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        value = engine(name).evaluate(rule, request)
        best = min(best, time.perf_counter() - start)
    return best, value


def _growth(make, small: int, rule: str = CHECKED) -> float:
    """regorus cost of make(2 * small) over make(small), after checking both engines agree."""
    costs = []
    for n in (small, 2 * small):
        request = _prepared(make(n))
        assert request is not None, f"the generated request of size {n} is invalid"
        cost, on_regorus = _cost("regorus", rule, request)
        on_opa = engine("opa").evaluate(rule, request)
        assert on_regorus == on_opa, _first_difference(on_regorus, on_opa)
        assert on_regorus == engine("regorus").evaluate(DECISION, request)
        costs.append(cost)
    return costs[1] / costs[0]


COUNTRY_CODES = ["US", "DE", "JP", "GB", "FR", "SG", "MY", "IN", "BR", "AE", "SA", "VN", "IL", "KR", "TW", "HK"]


def _plan(n: int) -> dict:
    request = json.loads((EXAMPLES / "20-plan-uveu-new-country-malaysia.json").read_text())
    request["installed"] = [{"country": COUNTRY_CODES[(i * 7) % len(COUNTRY_CODES)], "tpp": 1000 + i} for i in range(n)]
    return request


def _shipment(example: str):
    def make(n: int) -> dict:
        request = json.loads((EXAMPLES / example).read_text())
        items = request["items"]
        request["items"] = [dict(items[i % len(items)], description=f"line {i + 1}") for i in range(n)]
        return request
    return make


def _weights(n: int) -> dict:
    request = json.loads((EXAMPLES / "56-weights-synthetic-data-pushes-over.json").read_text())
    generator = request["model"]["synthetic_data"][0]
    request["model"]["synthetic_data"] = [dict(generator, generator=f"generator {n - i:04d}") for i in range(n)]
    return request


def test_installed_entries_cost_linear_work():
    assert _growth(_plan, 2000) < 3
    assert _growth(_plan, 2000, DECISION) < 3


def test_items_cost_linear_work():
    assert _growth(_shipment("03-lpp-singapore-first-order.json"), 200) < 3


def test_items_of_a_mixed_shipment_cost_linear_work():
    assert _growth(_shipment("39-mixed-shipment-vietnam-aca-and-licence.json"), 100) < 3


def test_synthetic_data_generators_cost_linear_work():
    assert _growth(_weights, 50) < 3


def test_ten_thousand_installed_entries_decide():
    request = _prepared(_plan(10_000))
    on_regorus = engine("regorus").evaluate(CHECKED, request)
    assert on_regorus == engine("opa").evaluate(CHECKED, request)
    assert on_regorus["installed_before"]["total_tpp"] == sum(1000 + i for i in range(10_000))


def test_examples_directory_is_the_one_the_snapshot_reads():
    assert pathlib.Path(EXAMPLES).is_dir() and any(EXAMPLES.glob("*.json"))


def test_embedded_engines_ask_checked_decision_and_a_server_the_full_one():
    """aidf.evaluate validates the input in Python, then asks the embedded engines for
    checked_decision (no Rego re-check of the input); an OPA server is asked decision. conftest's
    decide() compares the two on every decision the suite makes."""
    from aidf import api, engines as engine_module
    from aidf.engines.remote_engine import RemoteEngine

    assert engine_module.create("regorus").has_checked_decision
    assert engine_module.create("opa").has_checked_decision
    assert not RemoteEngine("http://127.0.0.1:1").has_checked_decision
    assert api.CHECKED_ENTRYPOINT == "data.aidf.main.checked_decision"
