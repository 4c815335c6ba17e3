# Entrypoint: data.aidf.main.decision. Dispatches on input.action; anything it cannot
# evaluate becomes an "invalid_request" decision that is never allowed.
package aidf.main

import data.aidf.lib.countries
import rego.v1

supported_actions := {"export_chips"}

decision := data.aidf.chips.decision.decision if {
	count(input_errors) == 0
	input.action == "export_chips"
}

decision := {
	"action": object.get(input, "action", null),
	"request_id": object.get(input, "request_id", null),
	"allowed": false,
	"outcome": "invalid_request",
	"errors": sort(input_errors),
	"policy_revision": data.aidf.facts.params.policy_revision,
} if count(input_errors) > 0

# A second line of defence for callers that query an OPA server directly, without the
# Python validation in front. The JSON Schemas are the full contract.
input_errors contains "action: must be one of export_chips" if not input.action in supported_actions

input_errors contains "as_of: must be a date YYYY-MM-DD" if not valid_as_of

# A helper rule, not `not regex.match(..., input.as_of)`: with as_of missing, OPA and
# regorus disagree about negating a call on an undefined argument.
valid_as_of if regex.match(`^\d{4}-\d{2}-\d{2}$`, input.as_of)

input_errors contains sprintf("%s: unknown country code %v", [path, code]) if {
	some path, code in country_fields
	not data.aidf.lib.countries.known(code)
}

input_errors contains "items: must list at least one item" if {
	input.action == "export_chips"
	count(object.get(input, "items", [])) == 0
}

input_errors contains sprintf("items[%d]: quantity and TPP must be non-negative numbers", [i]) if {
	some i, it in input.items
	some f in ["quantity", "tpp_per_unit"]
	not object.get(it, f, 0) >= 0
}

country_fields[path] := code if {
	some f in ["destination"]
	code := input[f]
	path := f
}

country_fields[path] := code if {
	some f in ["located_in", "headquarters", "ultimate_parent_headquarters"]
	code := input.ultimate_consignee[f]
	path := concat(".", ["ultimate_consignee", f])
}

input_errors contains "destination: required" if {
	input.action == "export_chips"
	not input.destination
}

input_errors contains sprintf("ultimate_consignee.%s: required", [f]) if {
	input.action == "export_chips"
	some f in ["headquarters", "ultimate_parent_headquarters"]
	not input.ultimate_consignee[f]
}
