"""transfer_model_weights and train_model: the rule's worked examples (weights and training), exact
operation counts, validation, and parity with OPA (Go) on generated requests."""
from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from aidf import validation
from conftest import decide

FRONTIER = {"name": "Frontier-3", "weights_published": False, "training_operations": "3e26"}


def weights(recipient=("AE", "US", "US"), model=FRONTIER, transaction="export", storage=None, as_of="2026-03-01", **extra):
    located, hq, parent = recipient
    request = {"action": "transfer_model_weights", "as_of": as_of, "transaction": transaction, "model": model,
               "recipient": {"name": "Recipient", "located_in": located, "headquarters": hq,
                             "ultimate_parent_headquarters": parent, **extra}}
    if storage is not None:
        request["storage"] = storage
    return request


def training(customer=("US", "IN"), service="iaas_training", location="US", model_ops="1.2e26", veu=True, **extra):
    request = {"action": "train_model", "as_of": "2026-03-01", "service": service,
               "provider": {"name": "US Cloud", "headquarters": "US", "ultimate_parent_headquarters": "US",
                            "data_center_veu": veu},
               "customer": {"name": "Customer", "headquarters": customer[0], "ultimate_parent_headquarters": customer[1]},
               "training_location": location, **extra}
    if model_ops is not None:
        request["model"] = {"name": "run", "weights_published": False, "training_operations": model_ops}
    return request


def codes(decision):
    return [r["code"] for r in decision.reasons]


def test_12_us_lab_copies_weights_to_its_uae_cluster():
    secured = decide(weights(storage={"meets_supp10_paragraphs_14_15_18": True}))
    assert (secured.outcome, secured.authorization) == ("license_exception", "AIA")
    assert "OBL_WEIGHTS_STORAGE" in [o["code"] for o in secured.obligations]
    unsecured = decide(weights(storage={"meets_supp10_paragraphs_14_15_18": False}))
    assert unsecured.outcome == "license_required" and "WAIA_STORAGE" in codes(unsecured)


def test_13_uae_headquartered_company_faces_denial_and_api_is_free():
    d = decide(weights(recipient=("AE", "AE", "AE")))
    assert (d.outcome, d.review_policy) == ("license_required", "presumption_of_denial")
    assert codes(d)[-1] == "API_NOT_RESTRICTED"


@pytest.mark.parametrize("additional, controlled", [("2e25", False), ("3e25", False), ("4e25", True)])
def test_14_fine_tuned_published_model(additional, controlled):
    model = {"name": "ft", "weights_published": False, "training_operations": "1.6e26",
             "derived_from_published_model": {"base_model_operations": "1.2e26", "additional_operations": additional}}
    d = decide(weights(recipient=("AE", "AE", "AE"), model=model))
    assert d.document["model"]["controlled"] is controlled
    step = next(s for s in d.document["model"]["steps"] if s["code"].startswith("W_DERIVED"))
    assert "3 x 10^25" in step["message"] or "2.5 x 10^25" in step["message"]


def test_15_less_capable_closed_model_is_excluded_by_note_2():
    model = dict(FRONTIER, training_operations="1.5e26", less_capable_than_most_advanced_published=True)
    d = decide(weights(recipient=("AE", "AE", "AE"), model=model))
    assert d.outcome == "not_controlled" and "W_NOTE2_FINDING" in [s["code"] for s in d.document["model"]["steps"]]


def test_16_synthetic_data_arithmetic_is_shown():
    model = {"name": "D", "weights_published": False, "training_operations": "8e25",
             "synthetic_data": [{"generator": "G", "operations_on_its_data": "2e25", "generation_operations": "1e24",
                                 "generator_weights_published": False, "generator_training_operations": "5e25"}]}
    d = decide(weights(recipient=("IN", "IN", "IN"), model=model))
    assert d.document["model"]["total_operations"] == "1.31 x 10^26"
    synthetic = next(s for s in d.document["model"]["steps"] if s["code"] == "W_SYNTHETIC")
    assert "1 x 10^24" in synthetic["message"] and "5 x 10^25" in synthetic["message"] and "5.1 x 10^25" in synthetic["message"]


def test_17_red_flag_28_for_us_subsidiary_of_indian_company():
    """Worked example 17: Red Flag 28, ask and hold. Supp. No. 10 para. 7's IaaS limb names the
    customer's own headquarters, so a VEU provider is not barred outright for a US subsidiary."""
    for veu in (True, False):
        d = decide(training(veu=veu))
        assert (d.outcome, d.document["red_flag_28"], d.review_policy) == ("review_required", True, None)
        assert [o["code"] for o in d.obligations] == ["OBL_RF28_ASK", "OBL_RF28_LICENCE"]
        assert "VEU_TRAINING_IAAS" not in codes(d)


def test_para_7_bars_a_veu_provider_training_for_a_customer_headquartered_outside_supp5a():
    d = decide(training(customer=("IN", "IN")))
    assert (d.outcome, d.review_policy) == ("authorization_required", "presumption_of_denial")
    assert "VEU_TRAINING_IAAS" in codes(d)
    assert decide(training(customer=("IN", "IN"), veu=False)).outcome == "review_required"


def test_api_access_and_inference_are_never_restricted():
    for service in ("inference", "api_access"):
        d = decide(training(customer=("CN", "CN"), service=service, model_ops=None))
        assert d.allowed and codes(d) == ["API_NOT_RESTRICTED"]


def test_22_deemed_export_to_chinese_national_employed_by_us_lab():
    d = decide(weights(recipient=("US", "US", "US"), transaction="deemed_export",
                       permanent_regular_employee=True, nationality="CN"))
    assert d.outcome == "no_license_required" and "W_DEEMED_EXPORT_EXEMPT" in codes(d)


@pytest.mark.parametrize("ops, controlled", [
    ("1e26", True), ("100000000000000000000000000", True), ("1.0e26", True), ("9.99e25", False),
    ("99999999999999000000000000", False), ("1e28", True), ("2.5e27", True), ("0", False),
])
def test_exact_threshold_on_both_engines(ops, controlled):
    d = decide(weights(recipient=("IN", "IN", "IN"), model=dict(FRONTIER, training_operations=ops)))
    assert d.document["model"]["controlled"] is controlled


@pytest.mark.parametrize("value, words", [
    ("1e29", "more than 10^28"),
    ("99999999999999999999999999", "not a whole multiple of 10^12"),
    ("1.5e11", "not a whole multiple of 10^12"),
    ("3 e26", "does not match"),
    ("-1e26", "does not match"),
])
def test_operation_counts_are_validated(value, words):
    problems = {p.path: p.message for p in validation.problems(weights(model=dict(FRONTIER, training_operations=value)))}
    assert words in problems["$.model.training_operations"]


def test_numbers_instead_of_strings_are_refused():
    problems = {p.path: p.message for p in validation.problems(weights(model=dict(FRONTIER, training_operations=3e26)))}
    assert "is not of type 'string'" in problems["$.model.training_operations"]


# --- generated requests: both engines agree ------------------------------------------------
digits = st.integers(0, 10**6).map(str)
operations = st.one_of(
    st.tuples(digits, st.integers(12, 22)).map(lambda t: f"{t[0]}e{t[1]}"),
    st.sampled_from(["1e26", "9.99e25", "2.5e25", "3e25", "1.2e26", "8e24", "1e28", "0"]),
)
countries = st.sampled_from(["US", "DE", "JP", "AE", "IN", "SG", "CN", "MO", "SA", "MY"])
models = st.fixed_dictionaries(
    {"name": st.just("m"), "weights_published": st.booleans(), "training_operations": operations},
    optional={
        "less_capable_than_most_advanced_published": st.booleans(),
        "derived_from_published_model": st.fixed_dictionaries({"base_model_operations": operations,
                                                               "additional_operations": operations}),
        "synthetic_data": st.lists(st.fixed_dictionaries(
            {"generator": st.sampled_from(["A", "B", "C"]), "operations_on_its_data": operations,
             "generation_operations": operations, "generator_weights_published": st.booleans()},
            optional={"generator_training_operations": operations, "already_counted_operations": operations,
                      "data_published": st.booleans()}), max_size=3),
    })
weight_requests = st.builds(
    lambda m, loc, hq, parent, tx, storage, as_of, employee, nationality: weights(
        recipient=("US" if tx == "domestic_transfer" else loc, hq, parent), model=m, transaction=tx, storage=storage,
        as_of=as_of, **({"permanent_regular_employee": employee} if employee is not None else {}),
        **({"nationality": nationality} if tx == "deemed_export" else {})),
    models, countries, countries, countries,
    st.sampled_from(["export", "reexport", "in_country_transfer", "deemed_export", "domestic_transfer"]),
    st.one_of(st.none(), st.fixed_dictionaries({}, optional={
        "meets_supp10_paragraphs_14_15_18": st.booleans(), "data_center_veu": st.booleans(), "facility_country": countries,
        "operator_headquarters": countries})),
    st.sampled_from(["2025-01-12", "2025-06-01", "2026-01-14", "2026-01-15", "2026-07-01"]),
    st.one_of(st.none(), st.booleans()),
    countries,
)


def _valid(request):
    return not validation.problems(request)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(weight_requests.filter(_valid))
def test_engines_agree_on_generated_weight_transfers(request):
    d = decide(request)
    if d.document["outcome"] not in ("framework_not_in_effect",):
        assert d.document["model"]["controlled"] == (d.document["model"]["eccn"] == "4E091")


training_requests = st.builds(
    lambda customer, service, location, ops, veu, ft: training(
        customer=customer, service=service, location=location, model_ops=ops, veu=veu,
        **({"fine_tuning": {"original_operations": ft[0], "additional_operations": ft[1]}} if service == "fine_tuning" else {})),
    st.tuples(countries, countries), st.sampled_from(["iaas_training", "in_house_training_for_customer", "fine_tuning", "inference", "api_access"]),
    countries, operations, st.booleans(), st.tuples(operations, operations),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(training_requests.filter(_valid))
def test_engines_agree_on_generated_training_runs(request):
    d = decide(copy.deepcopy(request))
    assert d.allowed == (d.outcome == "not_restricted")


# --- EAR jurisdiction: domestic hand-overs and deemed exports by nationality -------------------
def test_weights_handed_between_us_labs_are_not_subject():
    d = decide(weights(recipient=("US", "US", "US"), transaction="domestic_transfer"))
    assert d.allowed and d.outcome == "not_subject" and codes(d) == ["W_JURISDICTION_DOMESTIC"]


@pytest.mark.parametrize("transaction", ["export", "reexport"])
def test_an_export_of_weights_to_a_recipient_in_the_us_is_invalid(transaction):
    problems = {p.path: p.message for p in validation.problems(weights(recipient=("US", "US", "US"), transaction=transaction))}
    assert "deemed_export" in problems["$.transaction"] and "recipient.located_in is US" in problems["$.transaction"]


@pytest.mark.parametrize("nationality, employee, outcome, policy", [
    ("CN", False, "license_required", "presumption_of_denial"),   # not an employee: an export to China
    ("CN", True, "no_license_required", None),                    # 742.6(a)(13) exemption
    ("MO", False, "license_required", "presumption_of_denial"),
    ("DE", False, "license_required", "presumption_of_approval"),  # AIA needs the storage condition
])
def test_deemed_exports_are_exports_to_the_persons_country(nationality, employee, outcome, policy):
    d = decide(weights(recipient=("US", "US", "US"), transaction="deemed_export", nationality=nationality,
                       permanent_regular_employee=employee))
    assert (d.outcome, d.review_policy) == (outcome, policy)
    assert d.document["recipient"]["deemed_export_to"]["code"] == nationality
    assert "W_DEEMED_EXPORT_COUNTRY" in codes(d)
    if outcome == "license_required" and policy == "presumption_of_denial":
        assert any(c["code"].startswith("WAIA") for c in d.reasons)  # AIA is barred


def test_a_deemed_export_needs_the_nationality():
    problems = {p.path: p.message for p in validation.problems(weights(recipient=("US", "US", "US"), transaction="deemed_export"))}
    assert problems == {"$.recipient": "'nationality' is a required property"}


def test_technical_note_3_a_published_generator_never_hides_an_unpublished_one():
    """The unpublished generator (2e25 training) counts although the published one trained more."""
    published = {"generator": "P", "operations_on_its_data": "2e25", "generation_operations": "1e24",
                 "generator_weights_published": True, "generator_training_operations": "5e25"}
    unpublished = dict(published, generator="U", generator_weights_published=False, generator_training_operations="2e25")
    d = decide(weights(model=dict(FRONTIER, training_operations="8e25", synthetic_data=[published, unpublished])))
    assert d.document["model"]["controlled"]
    synthetic = [s for s in d.document["model"]["steps"] if s["code"] == "W_SYNTHETIC"]
    assert [s["message"].split(" supplied")[0] for s in synthetic] == ["Generator P", "Generator U"]
    assert "only unpublished-weight generators compete" in synthetic[0]["message"]


# --- Red Flag 28 is due diligence, not a prohibition ------------------------------------------
@pytest.mark.parametrize("answer, outcome, licence_named", [(None, "review_required", True),
                                                            (True, "review_required", True),
                                                            (False, "not_restricted", False)])
def test_red_flag_28_holds_a_non_veu_provider_until_the_customer_answers(answer, outcome, licence_named):
    request = training(customer=("US", "IN"), veu=False)
    if answer is not None:
        request["customer"]["intends_to_export_weights"] = answer
    d = decide(request)
    assert (d.outcome, d.review_policy, d.document["red_flag_28"]) == (outcome, None, True)
    assert d.allowed == (outcome == "not_restricted")
    assert ("RF28_WEIGHTS_LICENCE" in codes(d)) == licence_named
    assert "not a prohibition" in next(r["message"] for r in d.reasons if r["code"] == "RF28")


def test_a_veu_provider_still_meets_paragraph_7():
    d = decide(training(customer=("IN", "IN"), veu=True))
    assert (d.outcome, d.review_policy) == ("authorization_required", "presumption_of_denial")
    assert "VEU_TRAINING_IAAS" in codes(d)


def test_fine_tuning_within_the_allowance_is_never_a_prohibition():
    d = decide(training(customer=("US", "IN"), service="fine_tuning", veu=True,
                        fine_tuning={"original_operations": "1.2e26", "additional_operations": "3e25"}))
    assert d.outcome == "review_required" and d.review_policy is None
    assert "TRAIN_FINE_TUNING_WITHIN_25" in codes(d)


def test_aia_a3_to_a_us_subsidiary_of_a_chinese_parent_is_flagged_both_ways():
    d = decide(weights(recipient=("DE", "US", "CN"), storage={"meets_supp10_paragraphs_14_15_18": True}))
    assert d.authorization == "AIA" and "WAIA_D5_PARENT_OVERLAP" in codes(d)
    assert "switch weights_aia_a3_despite_d5_parent" in next(r["message"] for r in d.reasons if r["code"] == "WAIA_D5_PARENT_OVERLAP")


def test_the_fine_tuning_allowance_needs_a_4e091_base_model():
    """Supp. No. 10 para. 7 allows fine-tuning *a 4E091 model*; a 9e25 base is none, so the run
    trains a new 4E091 model as IaaS for a non-Supp. 5(a) customer."""
    request = training(customer=("IN", "IN"), service="fine_tuning", veu=True, model_ops="1.1e26",
                       fine_tuning={"original_operations": "9e25", "additional_operations": "2e25"})
    request["customer"]["intends_to_export_weights"] = False
    d = decide(request)
    assert d.outcome == "authorization_required" and "TRAIN_FINE_TUNING_WITHIN_25" not in codes(d)


def test_an_unpublished_generator_must_state_its_training_operations():
    generator = {"generator": "G", "operations_on_its_data": "2e25", "generation_operations": "1e24",
                 "generator_weights_published": False}
    problems = validation.problems(weights(model=dict(FRONTIER, synthetic_data=[generator])))
    assert problems and "generator_training_operations" in problems[0].message


@pytest.mark.parametrize("engine_name", ["regorus", "opa"])
def test_operations_on_a_generators_data_must_be_a_whole_count_in_python_and_in_rego(engine_name):
    """Regression: `operations_on_its_data` does not end in "operations", so a count like "123"
    passed both checks, and the Rego left the generator out of the total (fail open)."""
    from aidf import api, engines

    generator = {"generator": "G", "operations_on_its_data": "123", "generation_operations": "1e24",
                 "generator_weights_published": True}
    request = weights(model=dict(FRONTIER, training_operations="9e25", synthetic_data=[generator]))
    problems = validation.problems(dict(request, view="as_written"))
    assert [p.path for p in problems] == ["$.model.synthetic_data[0].operations_on_its_data"]
    assert "whole multiple of 10^12" in problems[0].message
    document = engines.create(engine_name).evaluate(api.ENTRYPOINT, dict(request, view="as_written"))
    assert document["outcome"] == "invalid_request" and not document["allowed"]
    assert any("operations_on_its_data" in e for e in document["errors"])
