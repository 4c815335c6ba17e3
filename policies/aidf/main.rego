# Entrypoint: data.aidf.main.decision. Dispatches on input.action; anything it cannot
# evaluate becomes an "invalid_request" decision that is never allowed.
package aidf.main

import data.aidf.lib.countries
import data.aidf.lib.jurisdiction
import data.aidf.lib.ops
import rego.v1

actions := {"export_chips", "deploy_compute", "country_allocation", "transfer_model_weights", "train_model"}

# The view of the law (docs/interpretations.md, enforced view): the rule as written on the as-of
# date, or what BIS still enforces on it (aidf.baseline).
view := object.get(input, "view", "as_written")

views := {"as_written", "enforced"}

written := data.aidf.chips.decision.decision if {
	input.action == "export_chips"
} else := data.aidf.compute.decision.decision if {
	input.action == "deploy_compute"
} else := data.aidf.allocation.view.decision if {
	input.action == "country_allocation"
} else := data.aidf.weights.decision.decision if {
	input.action == "transfer_model_weights"
} else := data.aidf.training.decision.decision if {
	input.action == "train_model"
}

# The decision for a request that already passed validation against the JSON Schemas (the
# Python client validates every request first): the decision without input_errors, the Rego
# re-check of that validation. For a valid request it is the same document as decision.
checked_decision := _checked

decision := _checked if count(input_errors) == 0

_checked := object.union(written, {"view": "as_written", "reasons": reasons, "obligations": obligations}) if {
	view == "as_written"
	reasons := [object.union(r, {"enforced": flag}) |
		some r in object.get(written, "reasons", [])
		flag := r.code in _enforced_codes
	]
	obligations := [object.union(o, {"enforced": flag}) |
		some o in object.get(written, "obligations", [])
		flag := o.code in _enforced_codes
	]
}

_checked := data.aidf.baseline.view.decision if view == "enforced"

# Whether a reason or obligation of the as-written view states something BIS enforces on the
# as-of date (facts/catalogue "enforcement"; the rest of the framework never was).
enforcement := data.aidf.facts.catalogue.enforcement

# The codes BIS enforces on the as-of date: those the catalogue says it always enforces, those
# from the baseline date on, and (export_chips) those it enforces when the baseline regime itself
# requires a licence for the shipment. Arrays joined once; each code is then one `in`.
_enforced_codes := array.concat(array.concat(enforcement.fact, _baseline_codes), _licence_codes)

_baseline_codes := enforcement.baseline if {
	data.aidf.facts.params.baseline.from <= input.as_of
} else := []

_licence_codes := array.concat(enforcement.licence_if_baseline, _chosen_codes) if {
	input.action == "export_chips"
	data.aidf.baseline.chips.needs_licence
} else := []

_chosen_codes := ["AUTH_CHOSEN"] if {
	written.authorization in {"ACA", "NAC"}
} else := []

decision := {
	"action": object.get(input, "action", null),
	"request_id": object.get(input, "request_id", null),
	"view": view,
	"allowed": false,
	"outcome": "invalid_request",
	"errors": sort(input_errors),
	"policy_revision": data.aidf.facts.params.policy_revision,
} if count(input_errors) > 0

# A second line of defence for callers that query an OPA server directly, without the
# Python validation in front. The JSON Schemas are the full contract.
input_errors contains sprintf("action: must be one of %s", [concat(", ", sort(actions))]) if {
	not input.action in actions
}

input_errors contains "as_of: must be a date YYYY-MM-DD" if not valid_as_of

input_errors contains "view: must be as_written or enforced" if not view in views

# A helper rule, not `not regex.match(..., input.as_of)`: with as_of missing, OPA and
# regorus disagree about negating a call on an undefined argument.
valid_as_of if regex.match(`^\d{4}-\d{2}-\d{2}$`, input.as_of)

input_errors contains sprintf("%s: unknown country code %v", [path, code]) if {
	some path, code in country_fields
	not countries.known(code)
}

input_errors contains sprintf("%s: required", [path]) if {
	some path in required[input.action]
	not present(path)
}

present(path) if {
	parts := split(path, ".")
	object.get(input, parts, null) != null
}

required := {
	"export_chips": [
		"destination",
		"transaction",
		"end_use",
		"ultimate_consignee.headquarters",
		"ultimate_consignee.ultimate_parent_headquarters",
	],
	"deploy_compute": ["owner.headquarters", "owner.ultimate_parent_headquarters", "placement.country", "installed"],
	"country_allocation": ["country", "licensed_tpp", "proposed_tpp"],
	"transfer_model_weights": [
		"transaction",
		"model.name",
		"model.training_operations",
		"recipient.located_in",
		"recipient.headquarters",
		"recipient.ultimate_parent_headquarters",
	],
	"train_model": ["service", "customer.headquarters", "customer.ultimate_parent_headquarters", "training_location"],
}

# Operation counts are decimal strings, exact to 10^12 operations (aidf.lib.ops): every field
# named *operations or operations_* (training_operations, operations_on_its_data, ...).
operations_field(name) if endswith(name, "operations")

operations_field(name) if startswith(name, "operations_")

input_errors contains sprintf(
	"%s: must be a decimal string of operations, a whole multiple of 10^12 (e.g. \"3e26\")",
	[where],
) if {
	walk(input, [path, value])
	operations_field(sprintf("%v", [path[count(path) - 1]]))
	not ops.units(value)
	where := concat(".", [sprintf("%v", [p]) | some p in path])
}

# 15 CFR 734.13, 734.14, 734.16: an export or reexport cannot go to a recipient in the United
# States, and a domestic transfer cannot go abroad (aidf.lib.jurisdiction).
input_errors contains sprintf("transaction: %s cannot go to %s in %s", [
	transaction_words[input.transaction],
	concat(".", path),
	code,
]) if {
	some path in object.get(jurisdiction_places, input.action, [])
	code := object.get(input, path, null)
	code != null
	jurisdiction.contradiction(input.transaction, code)
}

transaction_words := {"export": "an export", "reexport": "a reexport", "domestic_transfer": "a domestic transfer"}

jurisdiction_places := {
	"export_chips": [["destination"], ["ultimate_consignee", "located_in"]],
	"transfer_model_weights": [["recipient", "located_in"]],
}

# A deemed export is an export to the foreign person's country (734.13(b)).
input_errors contains "recipient.nationality: required for a deemed export" if {
	input.action == "transfer_model_weights"
	input.transaction == "deemed_export"
	not present("recipient.nationality")
}

input_errors contains "items: must list at least one item" if {
	input.action == "export_chips"
	count(object.get(input, "items", [])) == 0
}

# Every number in a request is a non-negative count or TPP.
input_errors contains sprintf("%s: must be a non-negative number", [where]) if {
	walk(input, [path, value])
	is_number(value)
	value < 0
	where := concat(".", [sprintf("%v", [p]) | some p in path])
}

country_fields[path] := code if {
	some path in [
		"destination", "country",
		"ultimate_consignee.located_in", "ultimate_consignee.headquarters", "ultimate_consignee.ultimate_parent_headquarters",
		"owner.headquarters", "owner.ultimate_parent_headquarters", "placement.country", "placement.transfer_from",
		"recipient.located_in", "recipient.headquarters", "recipient.ultimate_parent_headquarters",
		"storage.facility_country", "storage.operator_headquarters", "storage.operator_ultimate_parent_headquarters",
		"customer.headquarters", "customer.ultimate_parent_headquarters", "provider.headquarters", "recipient.nationality",
		"provider.ultimate_parent_headquarters", "training_location",
	]
	code := object.get(input, split(path, "."), null)
	code != null
}

country_fields[path] := code if {
	some i, entry in object.get(input, "installed", [])
	path := sprintf("installed[%d].country", [i])
	code := entry.country
}
