"""Generated requests: regorus and OPA (Go) must return identical decisions for all of them,
and every decision must satisfy the decision schema and the basic invariants."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings, strategies as st

from aidf import policy_set
from conftest import decide

COUNTRIES = ["US", "DE", "JP", "TW", "GB", "SG", "MY", "SA", "AE", "VN", "IL", "IN", "BR", "PT", "CN", "MO", "HK",
             "RU", "KH", "NI", "CU"]
ECCNS = sorted(policy_set.shipped().data["aidf"]["facts"]["eccns"]["entries"])
END_USES = ["data_center", "development", "production", "storage_before_onward_shipment", "training_ai_models",
            "iaas_training_4e091_for_non_supp5a", "other"]

countries = st.sampled_from(COUNTRIES)
tpp = st.one_of(st.integers(0, 30_000), st.sampled_from([1599, 1600, 2399, 2400, 4799, 4800, 3_200_000, 26_900_000]))
density = st.one_of(st.integers(0, 3000).map(lambda n: n / 100), st.sampled_from([1.6, 3.2, 5.92, 5.91, 3.19, 1.59]))

parameter_item = st.fixed_dictionaries(
    {"quantity": st.integers(1, 5000), "tpp_per_unit": tpp, "performance_density": density,
     "designed_for_data_centers": st.booleans()},
    optional={"description": st.text("abcxyz ", min_size=1, max_size=12)})
declared_item = st.fixed_dictionaries(
    {"eccn": st.sampled_from(ECCNS), "quantity": st.integers(1, 5000), "tpp_per_unit": tpp},
    optional={"designed_for_data_centers": st.booleans()})

requests = st.fixed_dictionaries(
    {
        "action": st.just("export_chips"),
        "as_of": st.dates(min_value=__import__("datetime").date(2024, 12, 1),
                          max_value=__import__("datetime").date(2026, 12, 31)).map(lambda d: d.isoformat()),
        "transaction": st.sampled_from(["export", "reexport", "in_country_transfer", "domestic_transfer"]),
        "destination": countries,
        "end_use": st.sampled_from(END_USES),
        "ultimate_consignee": st.fixed_dictionaries(
            {"name": st.just("Consignee"), "headquarters": countries, "ultimate_parent_headquarters": countries},
            optional={"located_in": countries, "foreign_government_owned_or_controlled": st.booleans(),
                      "veu": st.fixed_dictionaries({}, optional={
                          "uveu": st.booleans(),
                          "nveu_countries": st.lists(countries, max_size=3, unique=True)})}),
        "items": st.lists(st.one_of(parameter_item, declared_item), min_size=1, max_size=4),
    },
    optional={
        "direct_to_ultimate_consignee": st.booleans(),
        "history": st.fixed_dictionaries({}, optional={
            "lpp_tpp_received_this_year": st.integers(0, 30_000_000),
            "country_licensed_tpp": st.integers(0, 800_000_000),
            "aia_cumulative_tpp": st.integers(0, 300_000_000)}),
    },
).map(lambda request: _coherent(request))


def _coherent(request: dict) -> dict:
    """Where a transaction delivers must fit the transaction (15 CFR 734.13-734.16): an export or
    reexport never goes to a consignee in the United States, a domestic transfer always does."""
    located = request["ultimate_consignee"].get("located_in", request["destination"])
    if request["transaction"] == "domestic_transfer":
        request["destination"] = "US"
        request["ultimate_consignee"]["located_in"] = "US"
    elif "US" in (request["destination"], located):  # no export event crosses into the US: make it domestic
        request["transaction"] = "in_country_transfer"
        request["destination"] = request["ultimate_consignee"]["located_in"] = "US"
    return request


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests)
def test_engines_agree_on_generated_requests(request):
    decision = decide(request)  # asserts regorus == OPA and the decision schema
    document = decision.document
    assert decision.allowed == (document["outcome"] in {"no_license_required", "license_exception", "veu_authorization", "not_subject"})
    if document["outcome"] in {"license_exception", "veu_authorization"}:
        by_line = [line["authorization"] for line in document["lines"] if line["authorization"]]
        # One authorization for the whole shipment, or (lines of several kinds) the first one used.
        assert document["authorization"] in ([document["authorizations"]["available"][0]] if len(set(by_line)) <= 1
                                             and document["authorizations"]["available"] else by_line)
    if document["outcome"] == "license_required":
        assert document["authorizations"]["available"] == []
        assert document["review_policy"] is not None
    assert "%!" not in json.dumps(document), "a sprintf verb went unfilled"


allocation_requests = st.fixed_dictionaries({
    "action": st.just("country_allocation"),
    "as_of": st.sampled_from(["2024-12-31", "2025-01-13", "2025-06-01", "2026-02-03", "2027-12-31"]),
    "country": countries,
    "licensed_tpp": st.one_of(st.integers(0, 1_600_000_000), st.sampled_from([0, 789_999_999, 790_000_000])),
    "proposed_tpp": st.one_of(st.integers(0, 100_000_000), st.sampled_from([0, 1])),
})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(allocation_requests)
def test_engines_agree_on_country_allocation(request):
    document = decide(request).document
    if document["outcome"] in {"within_allocation", "beyond_allocation"}:
        allocation = document["allocation"]
        assert allocation["within_limit"] == (request["licensed_tpp"] + request["proposed_tpp"] <= allocation["limit_tpp"])
