# Notices that must run their course before a UVEU placement may go ahead: 180 days for a new
# data center location (15 CFR 748.15(a)(2)(ii)(A)) and 60 days for chips moved between countries
# (Supp. No. 10 to part 748, para. 5). Until then the gate does not say "go"; it says from when.
package aidf.compute.notice

import data.aidf.compute.limits.basis
import data.aidf.compute.request.country
import data.aidf.compute.request.is_transfer
import data.aidf.compute.request.new_country
import data.aidf.lib.jurisdiction
import data.aidf.lib.result
import data.aidf.lib.status
import rego.v1

veu_params := data.aidf.facts.params.veu

as_of := data.aidf.compute.request.as_of

# A first placement in a country new to the owner is necessarily a new data center location.
# Nothing is exported to a data center in the United States, so placements there are never held.
new_location if input.placement.new_data_center == true

new_location if new_country

abroad if not jurisdiction.in_united_states(country)

periods contains {"days": veu_params.new_data_center_notice_days, "code": "UVEU_NOTICE_NEW_DATA_CENTER"} if {
	basis == "UVEU"
	abroad
	new_location
}

periods contains {"days": veu_params.transfer_notice_days, "code": "UVEU_NOTICE_TRANSFER"} if {
	basis == "UVEU"
	abroad
	is_transfer
}

required if {
	count(periods) > 0
	status.in_effect(as_of)
}

days := longest if {
	required
	longest := max([d | some x in periods; d := x.days])
}

given_on := object.get(input.placement, "notice_given_on", null)

# The date the placement may go ahead: the notice date plus the longest period, or, with no
# notice given yet, the as-of date plus it ("if you notify today").
# A notice cannot run before the rule took effect (13 January 2025).
effective_from := status.plus_days(counted_from, days) if {
	required
	given_on != null
}

counted_from := max([given_on, data.aidf.facts.params.dates.effective])

effective_from := status.plus_days(as_of, days) if {
	required
	given_on == null
}

satisfied if {
	required
	given_on != null
	effective_from <= as_of
}

pending if {
	required
	not satisfied
}

given_words := sprintf("Notice was given on %s", [given_on]) if given_on != null

given_words := "No notice has been given yet (the date assumes notice on the as-of date)" if given_on == null

reasons contains result.reason(x.code, [format_int(x.days, 10), given_words, effective_from, verdict]) if {
	some x in periods
}

verdict := "not held back by this notice" if satisfied

verdict := "NOT authorized before then" if pending

view := {
	"required_days": days,
	"given_on": given_on,
	"effective_from": effective_from,
	"satisfied": satisfied_flag,
} if required else := null

default satisfied_flag := false

satisfied_flag if satisfied
