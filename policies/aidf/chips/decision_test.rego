package aidf.chips.decision_test

import data.aidf.chips.decision.decision
import data.aidf.testdata.requests
import data.aidf.testdata.requests.base
import rego.v1

test_aia_is_chosen_for_us_company_in_germany if {
	d := decision with input as base
	d.allowed
	d.outcome == "license_exception"
	d.authorization == "AIA"
	d.authorizations.available == ["AIA", "LPP"]
}

test_nothing_available_means_licence_required if {
	cn_consignee := object.union(base, {"ultimate_consignee": {
		"headquarters": "CN",
		"ultimate_parent_headquarters": "CN",
	}})
	d := decision with input as cn_consignee
	not d.allowed
	d.outcome == "license_required"
	d.review_policy == "presumption_of_denial"
	d.authorization == null
}

test_before_13_january_2025_nothing_is_evaluated if {
	d := decision with input as object.union(base, {"as_of": "2025-01-12"})
	d.outcome == "framework_not_in_effect"
	not d.allowed
	[r.code | some r in d.reasons] == ["STATUS_NOT_IN_EFFECT"]
}

test_lpp_counts_against_the_annual_limit if {
	d := decision with input as requests.at("SG", "SG")
	d.authorization == "LPP"
	d.tpp.counts_against.limit == "lpp_annual_limit"
	d.tpp.counts_against.headroom_after == 26900000 - 15832000
}

test_d5_guidance_note_after_31_may_2026 if {
	cn_parent := object.union(base, {"as_of": "2026-06-01", "ultimate_consignee": {"ultimate_parent_headquarters": "CN"}})
	d := decision with input as cn_parent
	"STATUS_D5_HQ_ENFORCED" in {r.code | some r in d.reasons}
}

# 15 CFR 734.13-734.16: a sale inside the United States is no export event, even to a D:5-owned buyer.
test_domestic_sale_to_a_foreign_owned_us_data_center_is_not_subject if {
	req := object.union(base, {
		"transaction": "domestic_transfer", "destination": "US",
		"ultimate_consignee": {"located_in": "US", "headquarters": "CN", "ultimate_parent_headquarters": "CN"},
	})
	d := decision with input as req
	d.allowed
	d.outcome == "not_subject"
	d.authorization == null
	d.review_policy == null
	d.tpp.requiring_authorization == 0
	"JURISDICTION_DOMESTIC" in {r.code | some r in d.reasons}
}

test_in_country_transfer_inside_the_united_states_is_not_subject if {
	req := object.union(base, {
		"transaction": "in_country_transfer",
		"destination": "US",
		"ultimate_consignee": {"located_in": "US"},
	})
	d := decision with input as req
	d.outcome == "not_subject"
}

# Each authorization is one package, aidf.chips.authorizations.<code in lower case>, and all of them
# expose one interface; the internal rules of a package start with "_".
interface := {"name", "outcome", "blockers", "obligations", "counts_against"}

test_every_authorization_exposes_the_same_interface if {
	every code in data.aidf.facts.params.authorization_preference.order {
		pkg := data.aidf.chips.authorizations[lower(code)] with input as base
		{k | some k, _ in pkg; not startswith(k, "_")} == interface
		pkg.name == code
		pkg.outcome in {"license_exception", "veu_authorization"}
		is_set(pkg.blockers)
		is_array(pkg.obligations)
		counts_against_is_null_or_an_object(pkg.counts_against)
	}
}

counts_against_is_null_or_an_object(c) if c == null

counts_against_is_null_or_an_object(c) if is_object(c)

# Every authorization package is weighed: a new exception is a new package and its code in the
# preference order; nothing else under aidf.chips.authorizations but the shared helpers and tests.
test_every_authorization_package_is_in_the_preference_order if {
	tree := data.aidf.chips.authorizations with input as base
	packages := {name | some name, _ in tree; name != "common"; not endswith(name, "_test")}
	order := data.aidf.facts.params.authorization_preference.order
	packages == {name | some code in order; name := lower(code)}
}

# The static tables of chips/decision.rego name every authorization in the order, and each entry
# is that authorization's own package (a missing line would silently drop it from consideration).
test_the_decision_tables_name_every_authorization if {
	order := data.aidf.facts.params.authorization_preference.order
	every code in order {
		tree := data.aidf.chips.authorizations with input as base
		data.aidf.chips.decision._all_blockers[code] == tree[lower(code)].blockers with input as base
		data.aidf.chips.decision.outcome_of(code) == tree[lower(code)].outcome with input as base
	}
}
