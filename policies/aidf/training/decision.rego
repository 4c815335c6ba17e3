# The train_model decision: training for others (Red Flag 28; Supp. No. 10 para. 7; RULE.md 5.6, 7.5).
package aidf.training.decision

import data.aidf.weights.model
import rego.v1

as_of := input.as_of

service := input.service

customer := input.customer

provider := input.provider

location := input.training_location

p := data.aidf.facts.params.weights

supp5a(code) if data.aidf.lib.countries.supp5a(code, as_of)

in_effect if data.aidf.lib.status.in_effect(as_of)

access_only if service in {"inference", "api_access"}

# A set comprehension over an array: OPA keeps duplicates when iterating a set literal of refs.
customer_outside := sort({data.aidf.lib.countries.place(c) | some c in [customer.headquarters, customer.ultimate_parent_headquarters]; not supp5a(c)})

provider_is_veu if provider.data_center_veu == true

# Fine-tuning a 4E091 model by at most 25% of its original operations (Supp. No. 10 para. 7).
fine_tuning := input.fine_tuning

small_fine_tuning if {
	service == "fine_tuning"
	100 * data.aidf.lib.ops.units(fine_tuning.additional_operations) <= p.fine_tuning_percent * data.aidf.lib.ops.units(fine_tuning.original_operations)
}

# Red Flag 28 (Supp. No. 3 to part 732): training a 4E091 model for an entity headquartered, or
# with an ultimate parent headquartered, outside Supp. No. 5(a).
red_flag_28 if {
	not access_only
	model.controlled
	count(customer_outside) > 0
}

# Supp. No. 10 para. 7, for Data Center VEU items: no 4E091 training outside Supp. No. 5(a).
veu_location_breach if {
	not access_only
	provider_is_veu
	model.controlled
	not supp5a(location)
	not small_fine_tuning
}

blockers contains data.aidf.lib.result.reason("RF28", [customer.name, data.aidf.lib.fmt.prose(customer_outside)]) if red_flag_28

blockers contains data.aidf.lib.result.reason("VEU_TRAINING_IAAS", [customer.name]) if {
	red_flag_28
	provider_is_veu
	not small_fine_tuning
}

blockers contains data.aidf.lib.result.reason("VEU_TRAINING_LOCATION", [data.aidf.lib.countries.place(location)]) if veu_location_breach

outcome := "framework_not_in_effect" if not in_effect

outcome := "not_restricted" if {
	in_effect
	count(blockers) == 0
}

outcome := "authorization_required" if {
	in_effect
	count(blockers) > 0
}

allowed := outcome == "not_restricted"

notes contains data.aidf.lib.result.reason("API_NOT_RESTRICTED", []) if access_only

notes contains data.aidf.lib.result.reason("TRAIN_FINE_TUNING_WITHIN_25", [format_int(p.fine_tuning_percent, 10)]) if small_fine_tuning

notes contains data.aidf.lib.result.reason("TRAIN_BELOW_LINE", []) if {
	not access_only
	not model.controlled
}

notes contains data.aidf.lib.result.reason("TRAIN_WEIGHTS_TRANSFER", [customer.name]) if {
	not access_only
	model.controlled
}

model_steps := [] if access_only

model_steps := model.determination.steps if not access_only

reasons := array.concat(model_steps, array.concat(data.aidf.lib.result.sorted(blockers), data.aidf.lib.result.sorted(notes))) if in_effect

reasons := [data.aidf.lib.result.reason("STATUS_NOT_IN_EFFECT", [as_of])] if not in_effect

obligations := [
	data.aidf.lib.result.obligation("OBL_RF28_ASK", [customer.name], "before the training run"),
	data.aidf.lib.result.obligation("OBL_RF28_LICENCE", [], "before the weights leave the provider"),
] if red_flag_28

obligations := [] if not red_flag_28

summary := sprintf("%s: %s", [data.aidf.facts.catalogue.outcomes[outcome], first_reason])

first_reason := data.aidf.lib.result.sorted(blockers)[0].message if count(blockers) > 0

first_reason := data.aidf.lib.result.sorted(notes)[0].message if {
	count(blockers) == 0
	count(notes) > 0
}

first_reason := "the framework took effect on 13 January 2025" if {
	count(blockers) == 0
	count(notes) == 0
}

decision := {
	"action": "train_model",
	"request_id": object.get(input, "request_id", null),
	"as_of": as_of,
	"allowed": allowed,
	"outcome": outcome,
	"authorization": null,
	"review_policy": review_policy,
	"summary": summary,
	"red_flag_28": red_flag_28_value,
	"model": model_view,
	"reasons": reasons,
	"obligations": obligations,
	"rule_status": data.aidf.lib.status.status(as_of),
	"policy_revision": data.aidf.facts.params.policy_revision,
}

review_policy := "presumption_of_denial" if red_flag_28

review_policy := null if not red_flag_28

red_flag_28_value := true if {
	red_flag_28
} else := false

model_view := null if access_only

model_view := model.determination if not access_only
