"""deploy_compute: provisioning plans against Data Center VEU limits, on both engines.

regorus and OPA (Go) agree on every decision. The generated plans below are shared with
test_invariants.py, where the headroom is shown exact (exactly the headroom passes, one TPP more fails)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import strategies as st

from conftest import ROOT, decide

US_OWNER = {"name": "Example Cloud Inc.", "headquarters": "US", "ultimate_parent_headquarters": "US", "veu": {"uveu": True}}


def plan(placement, installed=(("US", 600_000_000), ("DE", 300_000_000), ("JP", 100_000_000)), owner=US_OWNER,
         as_of="2026-02-01", notified=True):
    """A plan; `notified` gives any notice a placement needs a date long past, so the limits are what is tested."""
    if notified and "notice_given_on" not in placement:
        placement = dict(placement, notice_given_on="2025-01-13")
    return {"action": "deploy_compute", "as_of": as_of, "owner": owner,
            "installed": [{"country": c, "tpp": t} for c, t in installed], "placement": placement}


def constraint(decision, constraint_id):
    return next(c for c in decision.document["constraints"] if c["id"] == constraint_id)


def test_worked_example_9_malaysia_at_80_million_breaks_7_percent():
    # Worked example: 1,000,000,000 TPP in total; 80,000,000 in Malaysia breaches the 7% limit.
    d = decide(plan({"country": "MY", "tpp": 80_000_000}))
    assert not d.allowed
    malaysia = constraint(d, "country:MY")
    assert (malaysia["before"]["share"], malaysia["after"]["share"], malaysia["passes"]) == ("0.00%", "7.40%", False)
    assert d.document["headroom"]["max_placement_tpp"] == 75_268_817
    assert any("7.40% of the group's total AI compute" in r["message"] for r in d.reasons)


def test_worked_example_10_japan_uveu_fails_25_percent_but_has_no_50_percent_rule():
    owner = dict(US_OWNER, headquarters="JP", ultimate_parent_headquarters="JP")
    installed = [("JP", 600_000_000)] + [(c, 66_666_666) for c in ["BR", "MX", "IN", "SG", "MY", "TH"]]
    d = decide(plan({"country": "BR", "tpp": 1}, installed=installed, owner=owner))
    assert not d.allowed
    assert not constraint(d, "outside_supp5a")["passes"]
    assert "outside_us" not in {c["id"] for c in d.document["constraints"]}
    assert all(c["passes"] for c in d.document["constraints"] if c["id"].startswith("country:"))
    assert d.document["headroom"]["max_placement_tpp"] is None


def test_exact_shares_are_allowed():
    d = decide(plan({"country": "MY", "tpp": 70_000_000}, installed=[("US", 930_000_000)]))
    assert d.allowed
    assert constraint(d, "country:MY")["after"]["share"] == "7.00%"
    assert d.document["headroom"]["tpp"] == 0


def test_worked_example_7_nveu_over_the_2025_q4_cap_fits_in_2026_q1():
    owner = {"name": "Mumbai Compute", "headquarters": "IN", "ultimate_parent_headquarters": "IN",
             "veu": {"nveu_countries": ["IN"]}}
    over = plan({"country": "IN", "tpp": 141_520_000}, installed=[("IN", 1_600_000_000)], owner=owner, as_of="2025-12-31")
    d = decide(over)
    assert not d.allowed and constraint(d, "nveu_allocation")["limit_tpp"] == 1_582_500_000
    assert "OBL_NVEU_G2G" in [o["code"] for o in d.obligations]
    later = decide(dict(over, as_of="2026-01-01"))
    assert later.allowed and later.authorization == "NVEU"
    assert later.document["headroom"]["tpp"] == 1_899_000_000 - 1_741_520_000


def test_worked_example_11_new_country_notices():
    d = decide(plan({"country": "BR", "tpp": 1_000_000, "new_data_center": True}))
    codes = {o["code"]: o for o in d.obligations}
    assert "2026-07-31" in codes["OBL_UVEU_NEW_DATA_CENTER_NOTICE"]["message"]  # 180 days
    assert "2026-04-02" in codes["OBL_UVEU_TRANSFER_NOTICE"]["message"]  # 60 days


def test_chips_headroom():
    d = decide(plan({"country": "MY", "chips": 1000, "tpp_per_chip": 15_832}))
    assert d.document["headroom"]["chips"] == (75_268_817 - 15_832_000) // 15_832


def test_cli_gates_a_pipeline_on_the_exit_code(tmp_path):
    ok, over = tmp_path / "ok.json", tmp_path / "over.json"
    ok.write_text(json.dumps(plan({"country": "MY", "tpp": 75_268_817})))
    over.write_text(json.dumps(plan({"country": "MY", "tpp": 75_268_818})))
    run = lambda p: subprocess.run([sys.executable, "-m", "aidf.cli", "check", str(p), "--format", "json"],
                                   capture_output=True, text=True, cwd=ROOT, timeout=120)
    passed, failed = run(ok), run(over)
    assert (passed.returncode, failed.returncode) == (0, 1)
    assert json.loads(passed.stdout)["headroom"]["tpp"] == 0
    assert json.loads(failed.stdout)["binding_constraint"] == "country:MY"


# --- generated plans ----------------------------------------------------------------
COUNTRIES = ["US", "DE", "JP", "GB", "MY", "IN", "BR", "SG", "AE", "VN", "CN"]
installed = st.lists(st.tuples(st.sampled_from(COUNTRIES), st.integers(0, 2_000_000_000)), min_size=0, max_size=6)
owners = st.fixed_dictionaries({
    "name": st.just("Owner"),
    "headquarters": st.sampled_from(["US", "JP", "IN", "MY", "CN"]),
    "ultimate_parent_headquarters": st.sampled_from(["US", "JP", "IN", "MY", "CN"]),
    "veu": st.fixed_dictionaries({}, optional={"uveu": st.booleans(),
                                              "nveu_countries": st.lists(st.sampled_from(COUNTRIES), max_size=3, unique=True)}),
})
placements = st.fixed_dictionaries(
    {"country": st.sampled_from(COUNTRIES)},
    optional={"new_data_center": st.booleans(), "transfer_from": st.sampled_from(COUNTRIES)},
).flatmap(lambda p: st.one_of(
    st.fixed_dictionaries({"tpp": st.one_of(st.integers(0, 500_000_000), st.integers(0, 50_000_000))}).map(lambda x: {**p, **x}),
    st.fixed_dictionaries({"chips": st.integers(0, 20_000), "tpp_per_chip": st.integers(1, 40_000)}).map(lambda x: {**p, **x}),
))
# Bases that already keep the UVEU limits: most compute in the US, a little elsewhere.
compliant_installed = st.tuples(
    st.integers(1_000_000_000, 5_000_000_000),
    st.lists(st.tuples(st.sampled_from(COUNTRIES[1:-1]), st.integers(0, 60_000_000)), max_size=5),
).map(lambda t: [("US", t[0])] + t[1])
installed = st.one_of(installed, compliant_installed, compliant_installed)

# Most generated owners should be eligible, so that the headroom property is exercised often.
eligible_owners = st.one_of(
    st.sampled_from(["US", "JP", "DE"]).map(lambda hq: {"name": "Owner", "headquarters": hq,
                                                         "ultimate_parent_headquarters": hq, "veu": {"uveu": True}}),
    st.lists(st.sampled_from(COUNTRIES[:-1]), min_size=1, max_size=3, unique=True).map(
        lambda cs: {"name": "Owner", "headquarters": "IN", "ultimate_parent_headquarters": "IN", "veu": {"nveu_countries": cs}}),
)
owners = st.one_of(owners, eligible_owners, eligible_owners)
dates = st.sampled_from(["2025-03-01", "2025-06-30", "2025-12-31", "2026-01-15", "2026-05-31", "2027-06-01", "2028-01-01"])


# The headroom property (exactly the headroom passes, one TPP more fails) is in test_invariants.py.


# --- notices must run their course before the gate says "go" ------------------------------
@pytest.mark.parametrize("given, allowed", [(None, False), ("2025-08-05", True), ("2025-08-06", False)])
def test_a_new_data_center_is_authorized_only_180_days_after_its_notice(given, allowed):
    placement = {"country": "MY", "tpp": 1_000_000, "new_data_center": True}
    if given:
        placement["notice_given_on"] = given
    d = decide(plan(placement, notified=False))  # as of 2026-02-01; 2025-08-05 + 180 days = 2026-02-01
    assert d.allowed == allowed
    notice = d.document["notice"]
    assert notice["required_days"] == 180 and notice["satisfied"] == allowed
    if not allowed:
        assert d.outcome == "not_authorized"
        assert "authorized from that date" in d.document["summary"]
        assert notice["effective_from"] in d.document["summary"]


def test_a_transfer_between_countries_waits_60_days():
    d = decide(plan({"country": "JP", "tpp": 1_000_000, "transfer_from": "DE"}, notified=False))
    assert not d.allowed and d.document["notice"] == {
        "required_days": 60, "given_on": None, "effective_from": "2026-04-02", "satisfied": False}
    later = decide(plan({"country": "JP", "tpp": 1_000_000, "transfer_from": "DE", "notice_given_on": "2025-12-03"}))
    assert later.allowed and later.document["notice"]["satisfied"]


def test_a_first_placement_in_a_new_country_is_a_new_data_center():
    d = decide(plan({"country": "MY", "tpp": 1_000_000}, notified=False))
    assert not d.allowed and d.document["notice"]["required_days"] == 180


def test_placements_in_the_us_and_in_existing_countries_have_no_notice_gate():
    assert decide(plan({"country": "US", "tpp": 1_000_000, "new_data_center": True}, notified=False)).document["notice"] is None
    assert decide(plan({"country": "JP", "tpp": 1_000_000}, notified=False)).document["notice"] is None


def test_a_notice_counts_from_the_rules_effective_date_at_the_earliest():
    d = decide(plan({"country": "MY", "tpp": 1_000_000, "new_data_center": True, "notice_given_on": "2024-06-01"},
                    as_of="2025-03-01", notified=False))
    assert not d.allowed and d.document["notice"]["effective_from"] == "2025-07-12"


def test_nveu_caps_after_2027_carry_a_caveat():
    india = {"name": "IndiaCo", "headquarters": "IN", "ultimate_parent_headquarters": "IN", "veu": {"nveu_countries": ["IN"]}}
    d = decide(plan({"country": "IN", "tpp": 1_000_000}, installed=(("IN", 1_000_000),), owner=india, as_of="2028-02-01"))
    assert "NVEU_AFTER_SET_PERIOD" in d.reason_codes


def test_a_us_parented_uveu_is_measured_as_a_group_and_flagged():
    owner = {"name": "Cloud GmbH", "headquarters": "DE", "ultimate_parent_headquarters": "US", "veu": {"uveu": True}}
    d = decide(plan({"country": "DE", "tpp": 1_000_000}, installed=(("US", 100_000_000), ("DE", 300_000_000)), owner=owner))
    assert "outside_us" in [c["id"] for c in d.document["constraints"]]
    assert not d.allowed  # 75% of the group's compute is outside the US
    assert "UVEU_US_PARENTED_GROUP" in d.reason_codes


def test_a_hong_kong_placement_is_named_as_treated_as_china():
    d = decide(plan({"country": "HK", "tpp": 1_000_000}))
    assert not d.allowed and "Hong Kong (HK), treated as China" in d.document["summary"]


@pytest.mark.parametrize("view", ["as_written", "enforced"])
def test_a_placement_inside_the_united_states_without_a_veu_is_not_subject(view):
    """Regression: it was `not_authorized` ("each shipment needs AIA ..."); a placement inside the
    United States is no export, reexport or in-country transfer (734.13-734.16), whoever the owner."""
    china_parented = {"name": "Owner", "headquarters": "US", "ultimate_parent_headquarters": "CN", "veu": {}}
    d = decide(dict(plan({"country": "US", "tpp": 50_000_000}, owner=china_parented), view=view))
    assert (d.outcome, d.allowed, d.authorization) == ("not_subject", True, None)
    assert [r["code"] for r in d.reasons] == ["JURISDICTION_DOMESTIC_PLACEMENT"]
    assert d.document["headroom"]["unbounded"] is True and d.obligations == []
    abroad = decide(dict(plan({"country": "DE", "tpp": 50_000_000}, owner=china_parented), view=view))
    assert not abroad.allowed


def test_a_veu_holder_placing_in_the_united_states_is_still_checked_under_its_veu():
    d = decide(plan({"country": "US", "tpp": 50_000_000}))
    assert (d.outcome, d.authorization) == ("authorized", "UVEU")
