"""Properties every decision keeps, over generated valid requests of every action. `decide` makes
each decision on regorus and on OPA (Go), fails unless they are identical, and validates it
against the decision schema (aidf.evaluate also checks the decision contract on each engine)."""
from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import decide
from test_deploy_compute import dates, installed, owners, placements
from test_model_weights import training_requests, weight_requests, _valid
from test_parity_fuzz import allocation_requests, requests as chips_requests

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
# Tier 3 is Country Group D:5 plus Macau (15 CFR 740.2(a)(13) as amended by 90 FR 4544); the
# decision's party tiers are computed for the as-of date, so dated D:5 entries are honoured.
TIER_3 = 3
# The only authorizations that reach a D:5 or Macau party: Notified Advanced Computing and
# Advanced Computing Authorized (15 CFR 740.8).
D5_EXCEPTIONS = {"NAC", "ACA"}


# The destination and the headquarters (own and ultimate parent's). Where a consignee merely sits
# (`located_in`) when the destination named is another country is a question of jurisdiction,
# not of this invariant.
ROLES = ("destination", "headquarters", "ultimate_parent_headquarters")


# For 4E091 weights, AIA (a)(3) asks that the recipient be headquartered, OR have its ultimate parent
# headquartered, in Supp. No. 5(a), and 740.2(a)(9)(ii) that the recipient itself be headquartered
# there and located outside Macau/D:5 (docs/interpretations.md, AIA for model weights). So a D:5
# ultimate parent alone does not bar AIA for weights; the recipient's location and own
# headquarters do.
WEIGHT_ROLES = ("location", "headquarters")


def _tier_3_parties(document: dict, roles=ROLES) -> list[str]:
    parties = document.get("parties") or document.get("recipient") or {}
    return [role for role in roles if (parties.get(role) or {}).get("tier") == TIER_3]


@SETTINGS
@given(chips_requests)
def test_a_d5_or_macau_party_never_gets_controlled_chips_without_a_licence(request):
    document = decide(request).document
    controlled = any(item["level"] in ("a", "b") for item in document.get("items") or [])
    # A sale inside the United States is no export event (15 CFR 734.13-734.16), even to a
    # D:5-owned buyer: the HQ requirement reaches "all destinations outside the United States".
    if document["allowed"] and controlled and _tier_3_parties(document) and document["outcome"] != "not_subject":
        assert document["authorization"] in D5_EXCEPTIONS, (_tier_3_parties(document), document["summary"])


@SETTINGS
@given(weight_requests.filter(_valid))
def test_controlled_weights_never_go_to_a_d5_or_macau_recipient_without_a_licence(request):
    """A deemed export counts as an export to the person's country (15 CFR 734.13(b)); only the
    permanent-regular-employee exemption (742.6(a)(13)) releases them to a D:5 national freely."""
    document = decide(request).document
    controlled = (document.get("model") or {}).get("controlled")
    if document["allowed"] and controlled and document["outcome"] not in ("not_subject", "no_license_required"):
        roles = ("deemed_export_to", "headquarters") if request["transaction"] == "deemed_export" else WEIGHT_ROLES
        assert not _tier_3_parties(document, roles), document["summary"]


@SETTINGS
@given(training_requests.filter(_valid))
def test_training_decisions_keep_the_contract(request):
    decide(request)


@SETTINGS
@given(allocation_requests)
def test_allocation_decisions_keep_the_contract(request):
    decide(request)


@SETTINGS
@given(chips_requests, st.integers(0, 3), st.integers(1, 100_000))
def test_adding_chips_never_turns_a_refusal_into_an_allow(request, which, more):
    before = decide(request)
    if before.allowed:
        return
    more_chips = copy.deepcopy(request)
    item = more_chips["items"][which % len(more_chips["items"])]
    item["quantity"] = min(item["quantity"] + more, 100_000_000)
    after = decide(more_chips)
    assert not after.allowed, (before.outcome, after.outcome, after.authorization)


def _with_placement_tpp(request: dict, tpp: int) -> dict:
    changed = copy.deepcopy(request)
    placement = {k: v for k, v in changed["placement"].items() if k not in ("chips", "tpp_per_chip")}
    changed["placement"] = dict(placement, tpp=tpp)
    return changed


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(installed, owners, placements, dates)
def test_placing_exactly_the_headroom_passes_and_one_tpp_more_fails(installed_, owner, placement, as_of):
    request = {"action": "deploy_compute", "as_of": as_of, "owner": owner,
               "installed": [{"country": c, "tpp": t} for c, t in installed_], "placement": placement}
    d = decide(request)
    headroom = d.document["headroom"]
    placed = d.document["placement"]["tpp"]
    if d.allowed and not headroom["unbounded"]:
        assert decide(_with_placement_tpp(request, placed + headroom["tpp"])).allowed, "exactly the headroom must pass"
        assert not decide(_with_placement_tpp(request, placed + headroom["tpp"] + 1)).allowed, "one TPP more must fail"
        if headroom["chips"] is not None:
            assert headroom["chips"] == headroom["tpp"] // placement["tpp_per_chip"]
    # No "more compute never helps" here: a larger placement in the US (or in Tier 1) lowers the
    # share held outside it, so it can bring a refused plan within the UVEU limits, as the rule intends.
    if not d.allowed and headroom["max_placement_tpp"] is not None and headroom["max_placement_tpp"] >= headroom["min_placement_tpp"]:
        eligible = not any(r["code"].startswith(("VEU_", "UVEU_", "NVEU_", "STATUS_")) for r in d.reasons)
        if eligible:
            assert decide(_with_placement_tpp(request, headroom["max_placement_tpp"])).allowed, \
                "the reported largest placement must pass"
            assert not decide(_with_placement_tpp(request, headroom["max_placement_tpp"] + 1)).allowed
