# The train_model decision: training for others (Red Flag 28; Supp. No. 10 para. 7).
package aidf.training.decision

import data.aidf.lib.countries
import data.aidf.lib.fmt
import data.aidf.lib.ops
import data.aidf.lib.result
import data.aidf.lib.status
import data.aidf.weights.model.controlled
import data.aidf.weights.model.determination
import rego.v1

as_of := input.as_of

service := input.service

customer := input.customer

provider := input.provider

location := input.training_location

weights_params := data.aidf.facts.params.weights

supp5a(code) if data.aidf.lib.countries.supp5a(code, as_of)

in_effect if status.in_effect(as_of)

access_only if service in {"inference", "api_access"}

# A set comprehension over an array: OPA keeps duplicates when iterating a set literal of refs.
customer_outside := sort({countries.place(c) |
	some c in [customer.headquarters, customer.ultimate_parent_headquarters]
	not supp5a(c)
})

provider_is_veu if provider.data_center_veu == true

# Fine-tuning a 4E091 model by at most 25% of its original operations (Supp. No. 10 para. 7).
fine_tuning := input.fine_tuning

small_fine_tuning if {
	service == "fine_tuning"
	# The allowance is for fine-tuning a 4E091 model: its original training reached the line.
	ops.units(fine_tuning.original_operations) >= ops.units(weights_params.controlled_operations)
	additional := ops.units(fine_tuning.additional_operations)
	original := ops.units(fine_tuning.original_operations)
	100 * additional <= weights_params.fine_tuning_percent * original
}

# Red Flag 28 (Supp. No. 3 to part 732): training a 4E091 model for an entity headquartered, or
# with an ultimate parent headquartered, outside Supp. No. 5(a).
red_flag_28 if {
	in_effect # before the effective date there is no framework, so no red flag and no obligations
	not access_only
	controlled
	count(customer_outside) > 0
}

# Supp. No. 10 para. 7, for Data Center VEU items: no 4E091 training outside Supp. No. 5(a).
veu_location_breach if {
	not access_only
	provider_is_veu
	controlled
	not supp5a(location)
	not small_fine_tuning
}

# Red Flag 28 is a due-diligence duty, not a prohibition (15 CFR part 732, Supp. No. 3): the run
# needs no licence, but the provider asks whether the weights will be exported, and the gate holds
# until the customer answers (customer.intends_to_export_weights).
answer := object.get(customer, "intends_to_export_weights", null)

red_flag_open if {
	red_flag_28
	answer != false
}

diligence contains result.reason("RF28", [customer.name, fmt.prose(customer_outside), rf28_nature]) if red_flag_28

# Under a Data Center VEU the run may also break para. 7, which is a prohibition: say so.
rf28_nature := "On its own it is a due-diligence duty, not a prohibition; Supp. No. 10 para. 7 (below) is what prohibits this run without BIS authorization." if {
	count(blockers) > 0
} else := "It is a due-diligence duty, not a prohibition: the run itself needs no licence."

diligence contains result.reason("RF28_UNANSWERED", [customer.name]) if {
	red_flag_28
	answer == null
}

diligence contains result.reason("RF28_WILL_EXPORT", [customer.name]) if {
	red_flag_28
	answer == true
}

diligence contains result.reason("RF28_WILL_NOT_EXPORT", [customer.name]) if {
	red_flag_28
	answer == false
}

diligence contains result.reason("RF28_WEIGHTS_LICENCE", [customer.name]) if red_flag_open

# Supp. No. 10 para. 7 (Data Center VEU acceptable use): these are prohibitions without BIS authorization.
# Its IaaS limb reaches a customer headquartered outside Supp. No. 5(a); unlike Red Flag 28 and the
# AIA certification (740.27(b)(2)) it does not name the ultimate parent, so the US subsidiary of a
# foreign company is left to Red Flag 28 (the preamble's own example, 90 FR 4544, III.D).
blockers contains result.reason("VEU_TRAINING_IAAS", [customer.name]) if {
	red_flag_28
	provider_is_veu
	not supp5a(customer.headquarters)
	not small_fine_tuning
}

blockers contains result.reason("VEU_TRAINING_LOCATION", [countries.place(location)]) if veu_location_breach

outcome := "framework_not_in_effect" if not in_effect

outcome := "authorization_required" if {
	in_effect
	count(blockers) > 0
}

outcome := "review_required" if {
	in_effect
	count(blockers) == 0
	red_flag_open
}

outcome := "not_restricted" if {
	in_effect
	count(blockers) == 0
	not red_flag_open
}

allowed := outcome == "not_restricted"

notes contains result.reason("API_NOT_RESTRICTED", []) if access_only

notes contains result.reason("TRAIN_FINE_TUNING_WITHIN_25", [format_int(weights_params.fine_tuning_percent, 10)]) if {
	small_fine_tuning
}

notes contains result.reason("TRAIN_BELOW_LINE", []) if {
	not access_only
	not controlled
}

notes contains result.reason("TRAIN_WEIGHTS_TRANSFER", [customer.name]) if {
	not access_only
	controlled
}

model_steps := [] if access_only

model_steps := determination.steps if not access_only

reasons := result.flatten([model_steps, result.sorted(blockers), diligence_in_order, result.sorted(notes)]) if in_effect

# The red flag first, then the customer's answer, then the licence the weights would need.
diligence_in_order := [r |
	some code in ["RF28", "RF28_UNANSWERED", "RF28_WILL_EXPORT", "RF28_WILL_NOT_EXPORT", "RF28_WEIGHTS_LICENCE"]
	some r in diligence
	r.code == code
]

reasons := [result.reason("STATUS_NOT_IN_EFFECT", [as_of])] if not in_effect

obligations := [
	result.obligation("OBL_RF28_ASK", [customer.name], "before the training run"),
	result.obligation("OBL_RF28_LICENCE", [], "before the training run"),
] if red_flag_open

obligations := [result.records_obligation("OBL_RF28_RECORD", [customer.name])] if {
	red_flag_28
	not red_flag_open
}

obligations := [] if not red_flag_28

summary := sprintf("%s: %s", [data.aidf.facts.catalogue.outcomes[outcome], first_reason])

first_reason := result.sorted(blockers)[0].message if count(blockers) > 0

first_reason := diligence_in_order[0].message if {
	count(blockers) == 0
	count(diligence) > 0
}

first_reason := result.sorted(notes)[0].message if {
	count(blockers) == 0
	count(diligence) == 0
	count(notes) > 0
}

first_reason := sprintf("the framework took effect on %s", [fmt.date(data.aidf.facts.params.dates.effective)]) if {
	count(blockers) == 0
	count(diligence) == 0
	count(notes) == 0
}

decision := result.decision("train_model", as_of, {
	"allowed": allowed,
	"outcome": outcome,
	"authorization": null,
	"review_policy": review_policy,
	"summary": summary,
	"red_flag_28": red_flag_28_value,
	"model": model_view,
	"reasons": reasons,
	"obligations": obligations,
})

# Only a prohibition (para. 7) sends the provider to BIS; the red flag alone names no review policy.
review_policy := "presumption_of_denial" if {
	outcome == "authorization_required"
	count(customer_outside) > 0
}

review_policy := null if {
	outcome == "authorization_required"
	count(customer_outside) == 0
}

review_policy := null if outcome != "authorization_required"

default red_flag_28_value := false

red_flag_28_value if {
	red_flag_28
}

model_view := null if access_only

model_view := determination if not access_only
