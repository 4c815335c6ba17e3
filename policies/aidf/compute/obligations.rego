# Conditions of a Data Center VEU that aidf cannot check, stated as obligations with dates
# relative to the as-of date (15 CFR 748.15; Supp. No. 10 to part 748).
package aidf.compute.obligations

import data.aidf.compute.limits.basis
import data.aidf.compute.limits.constraints
import data.aidf.compute.request.is_transfer
import data.aidf.compute.request.named_country
import data.aidf.compute.request.new_country
import data.aidf.lib.countries
import data.aidf.lib.result
import data.aidf.lib.status
import rego.v1

veu_params := data.aidf.facts.params.veu

dates := data.aidf.facts.params.dates

as_of := data.aidf.compute.request.as_of

# The first of the yearly dates ("MM-DD") strictly after the as-of date.
next_date(month_days) := sort(candidates)[0] if {
	year := to_number(substring(as_of, 0, 4))
	candidates := [d |
		some y in [year, year + 1]
		some md in month_days
		d := sprintf("%s-%s", [format_int(y, 10), md])
		d > as_of
	]
}

# The next reporting dates, computed once per decision.
next_supp10_report := next_date(veu_params.supp10_report_dates)

next_748_15_f_report := next_date(veu_params.section_748_15_f_report_dates)

uveu_new_data_center := [result.obligation(
	"OBL_UVEU_NEW_DATA_CENTER_NOTICE",
	[
		format_int(veu_params.new_data_center_notice_days, 10),
		status.plus_days(as_of, veu_params.new_data_center_notice_days),
	],
	sprintf(
		"at least %d days before the first export, reexport or transfer to the new data center",
		[veu_params.new_data_center_notice_days],
	),
)] if {
	basis == "UVEU"
	input.placement.new_data_center == true
} else := []

uveu_transfer := [result.obligation(
	"OBL_UVEU_TRANSFER_NOTICE",
	[format_int(veu_params.transfer_notice_days, 10), status.plus_days(as_of, veu_params.transfer_notice_days)],
	sprintf("at least %d days in advance", [veu_params.transfer_notice_days]),
)] if {
	basis == "UVEU"
	uveu_transfer_or_new_country
} else := []

uveu_transfer_or_new_country if is_transfer

uveu_transfer_or_new_country if new_country

us_measurement := [result.obligation(
	"OBL_UVEU_US_SHARE_MEASUREMENT",
	[next_supp10_report],
	"on each reporting date",
)] if {
	some c in constraints
	c.id == "outside_us"
} else := []

nveu_g2g := [result.obligation("OBL_NVEU_G2G", [countries.place(named_country)], "before relying on the NVEU")] if {
	basis == "NVEU"
} else := []

security := result.obligation(
	"OBL_SUPP10_SECURITY",
	[sprintf("have applied since %s", [data.aidf.lib.status.words_security_paragraphs])],
	"continuing",
) if {
	dates.security_paragraphs_compliance <= as_of
}

security := result.obligation(
	"OBL_SUPP10_SECURITY",
	[sprintf(
		"apply from %s; certify now that you will meet them by then (%s days after the as-of date)",
		[data.aidf.lib.status.words_security_paragraphs, format_int(days_to_security, 10)],
	)],
	sprintf("certify with the VEU application; comply by %s", [dates.security_paragraphs_compliance]),
) if {
	as_of < dates.security_paragraphs_compliance
}

days_to_security := round((compliance_ns - as_of_ns) / 86400000000000) if {
	compliance_ns := time.parse_ns("2006-01-02", dates.security_paragraphs_compliance)
	as_of_ns := time.parse_ns("2006-01-02", as_of)
}

# Before the framework took effect (13 January 2025) a decision carries no obligations.
in_effect if status.in_effect(as_of)

obligations := array.concat(
	result.flatten([uveu_new_data_center, uveu_transfer, us_measurement, nveu_g2g]),
	[
		security,
		result.obligation("OBL_SUPP10_FOCI", [], "continuing"),
		result.obligation(
			"OBL_SUPP10_CHIP_REPORT",
			[next_supp10_report],
			sprintf("next report due %s", [next_supp10_report]),
		),
		result.obligation(
			"OBL_VEU_748_15_F_REPORT",
			[next_748_15_f_report],
			sprintf("next report due %s", [next_748_15_f_report]),
		),
	],
) if {
	in_effect
	basis != "none"
}

obligations := [] if basis == "none"

obligations := [] if {
	not in_effect
	basis != "none"
}
