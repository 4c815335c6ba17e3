# Transfers of 4E091 weights: the deemed-export carve-out, License Exception AIA, Supp. No. 10
# para. 8 storage for Data Center VEUs, and the licence review policy.
package aidf.weights.transfer

import data.aidf.lib.countries
import data.aidf.lib.result
import rego.v1

as_of := input.as_of

recipient := input.recipient

deemed if input.transaction == "deemed_export"

# A deemed export is an export to the foreign person's country (15 CFR 734.13(b)): every test
# below that asks where the recipient is reads the nationality instead of the place of release.
location := recipient.nationality if deemed else := recipient.located_in

hq := recipient.headquarters

parent_hq := recipient.ultimate_parent_headquarters

storage := object.get(input, "storage", {})

interp := data.aidf.facts.params.interpretations

security_date := data.aidf.facts.params.dates.security_paragraphs_compliance

security_in_force if security_date <= as_of

supp5a(code) if data.aidf.lib.countries.supp5a(code, as_of)

d5(code) if data.aidf.lib.countries.macau_or_d5(code, as_of)

# --- deemed exports (742.6(a)(13)) ------------------------------------------------------
deemed_export_exempt if {
	deemed
	recipient.permanent_regular_employee == true
	some c in [hq, parent_hq]
	supp5a(c)
}

# --- AIA for weights (740.27(a)(2)(ii), (a)(3)) -------------------------------------------
storage_ok if storage.meets_supp10_paragraphs_14_15_18 == true

# The storage condition binds from the security paragraphs' compliance date (15 January 2026).
storage_required if security_in_force

aia_base if {
	supp5a(location)
	supp5a(hq)
	supp5a(parent_hq)
}

aia_a3 if {
	some c in [hq, parent_hq]
	supp5a(c)
	not d5(location)
	not d5_parent_bars_a3
}

# Overlap: a Supp. No. 5(a)-headquartered recipient whose ultimate parent is in Macau or D:5.
d5_parent_overlap if {
	supp5a(hq)
	d5(parent_hq)
}

d5_parent_bars_a3 if {
	d5_parent_overlap
	not interp.weights_aia_a3_despite_d5_parent
}

overlap_reasons contains result.reason("WAIA_D5_PARENT_OVERLAP", [
	countries.place(hq), countries.place(parent_hq), overlap_reading,
]) if d5_parent_overlap

overlap_reading := "reads the text: AIA (a)(3) stays available" if interp.weights_aia_a3_despite_d5_parent

overlap_reading := "follows the D:5 policy: AIA (a)(3) is not relied on" if not interp.weights_aia_a3_despite_d5_parent

# For a deemed export the "location" tested is the person's nationality: say so.
location_words := sprintf("%s (by the person's nationality: a deemed export)", [countries.place(location)]) if {
	deemed
} else := countries.place(location)

# Why neither AIA route is open, named precisely: a Macau/D:5 location; no Supp. No. 5(a)
# headquarters at all; or, with the switch off, the D:5 parent.
aia_blockers contains result.reason("WAIA_D5_LOCATION", [location_words]) if {
	not aia_base
	not aia_a3
	d5(location)
}

aia_blockers contains result.reason("WAIA_NOT_SUPP5A", [
	location_words,
	countries.place(hq),
	countries.place(parent_hq),
]) if {
	not aia_base
	not aia_a3
	not d5(location)
	not d5_parent_bars_a3
}

aia_blockers contains result.reason("WAIA_D5_PARENT_OVERLAP", [
	countries.place(hq), countries.place(parent_hq), overlap_reading,
]) if {
	not aia_base
	not aia_a3
	not d5(location)
	d5_parent_bars_a3
}

aia_blockers contains result.reason("WAIA_STORAGE", [countries.place(location)]) if {
	storage_required
	not storage_ok
	not aia_base
	aia_a3
}

aia_blockers contains result.reason("WAIA_STORAGE_SUPP5A", [countries.place(location)]) if {
	interp.weights_storage_condition_for_supp5a_recipients
	storage_required
	not storage_ok
	aia_base
}

# 740.2(a)(9)(ii): AIA for 4E091 only to entities headquartered in Supp. No. 5(a), located
# outside Macau and D:5.
aia_blockers contains result.reason("WAIA_740_2", [countries.place(hq)]) if {
	restricted
	not supp5a(hq)
}

restricted if countries.d1_d4_d5_not_a5_a6(location, as_of)

restricted if {
	some c in [hq, parent_hq]
	d5(c)
}

# Supp. No. 10 para. 8: a Data Center VEU stores weights only in Supp. No. 5(a) countries, or
# elsewhere (not Macau/D:5) in facilities of Supp. No. 5(a)-headquartered entities that meet
# paras. 14, 15 and 18.
aia_blockers contains result.reason("WVEU_STORAGE", [countries.place(facility)]) if {
	storage.data_center_veu == true
	not veu_storage_ok
}

facility := object.get(storage, "facility_country", location)

veu_storage_ok if supp5a(facility)

veu_storage_ok if {
	not d5(facility)
	some c in [
		object.get(storage, "operator_headquarters", hq),
		object.get(storage, "operator_ultimate_parent_headquarters", parent_hq),
	]
	supp5a(c)
	storage_ok
}

veu_storage_ok if {
	not d5(facility)
	some c in [
		object.get(storage, "operator_headquarters", hq),
		object.get(storage, "operator_ultimate_parent_headquarters", parent_hq),
	]
	supp5a(c)
	not security_in_force
}

aia_available if count(aia_blockers) == 0

aia_obligations := array.concat(
	[
		result.obligation("OBL_AIA_ECCN_NOTICE", [], "before the first transfer"),
		result.obligation("OBL_AIA_CERTIFICATION", [], "before the first export, reexport or transfer to this recipient"),
		result.obligation("OBL_AIA_SHIPMENT_NOTICE", [], "with every transfer"),
	],
	array.concat(storage_obligation, [result.records_obligation("OBL_AIA_RECORDS", [])]),
)

storage_obligation := [result.obligation(
	"OBL_WEIGHTS_STORAGE",
	[status_words],
	sprintf("continuing; from %s at the latest", [data.aidf.lib.status.words_security_paragraphs]),
)]

status_words := sprintf("have applied since %s", [data.aidf.lib.status.words_security_paragraphs]) if security_in_force

status_words := sprintf(
	"apply from %s; the recipient must meet them by then",
	[data.aidf.lib.status.words_security_paragraphs],
) if not security_in_force

# --- licence review (742.6(b)(14)) ----------------------------------------------------------
review_policy := "presumption_of_denial" if d5(location)

review_policy := "presumption_of_denial" if {
	not d5(location)
	some c in [hq, parent_hq]
	not supp5a(c)
}

review_policy := "presumption_of_approval" if {
	not d5(location)
	supp5a(hq)
	supp5a(parent_hq)
}

review_reasons contains result.reason("WREV_D5_LOCATION", [location_words]) if d5(location)

review_reasons contains result.reason("WREV_DENIAL", [countries.place(c)]) if {
	not d5(location)
	some c in [hq, parent_hq]
	not supp5a(c)
}

review_reasons contains result.reason("WREV_APPROVAL", []) if review_policy == "presumption_of_approval"

api_note := [result.reason("API_NOT_RESTRICTED", [])] if {
	review_policy == "presumption_of_denial"
} else := []
