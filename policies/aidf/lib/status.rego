# The rule's status on the as-of date. The rule is always evaluated as written;
# the status tells the reader whether and how it was being enforced on that date.
package aidf.lib.status

import rego.v1

dates := data.aidf.facts.params.dates

code(d) := "not_yet_effective" if {
	d < dates.effective
} else := "effective_compliance_pending" if {
	d < dates.compliance
} else := "compliance_required"

# The rule's dates in words for messages, read from facts/params (never typed into Rego).
# One rule per date: a request formats only the dates its messages show.
words_effective := data.aidf.lib.fmt.date(dates.effective)

words_compliance := data.aidf.lib.fmt.date(dates.compliance)

words_security_paragraphs := data.aidf.lib.fmt.date(dates.security_paragraphs_compliance)

label("not_yet_effective") := sprintf(
	"not yet effective: the framework took effect on %s",
	[data.aidf.lib.status.words_effective],
)

label("effective_compliance_pending") := sprintf(
	"effective since %s; compliance required from %s",
	[data.aidf.lib.status.words_effective, data.aidf.lib.status.words_compliance],
)

label("compliance_required") := sprintf(
	"in effect; compliance required since %s",
	[data.aidf.lib.status.words_compliance],
)

enforcement(d) := "as_written" if {
	d < dates.non_enforcement_announced
} else := "non_enforcement_announced" if {
	d < dates.d5_hq_guidance
} else := "non_enforcement_except_d5_macau_headquarters"

status(d) := {
	"code": c,
	"label": label(c),
	"enforcement": enforcement(d),
	"security_paragraphs_compliance_required": dates.security_paragraphs_compliance <= d,
	"events": [e | some e in data.aidf.facts.history.events; e.date <= d],
} if {
	c := code(d)
}

in_effect(d) if dates.effective <= d

# "YYYY-MM-DD" n days after date d: deadlines stated relative to the as-of date.
plus_days(d, n) := time.format([time.add_date(time.parse_ns("2006-01-02", d), 0, 0, n), "UTC", "2006-01-02"])
