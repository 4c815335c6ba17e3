# Country allocations and caps, shared by export_chips (licence review), country_allocation
# and the LPP annual limit (15 CFR 742.6(b)(10)(iii)(B)-(C); 740.29(d)).
package aidf.lib.allocation

import rego.v1

# The 2025-2027 allocation of a destination: raised for Supp. No. 5(b) countries.
allocation_tpp(country, d) := data.aidf.lib.countries.supp5b_allocation(country, d)

allocation_tpp(country, d) := data.aidf.facts.params.allocation.default_tpp if {
	not data.aidf.lib.countries.supp5b(country, d)
}

# How a request uses a limit: what was used, what this request adds, what is left.
usage(kind, limit_tpp, used, this) := {
	"limit": kind,
	"limit_tpp": limit_tpp,
	"used_before": used,
	"this_request": this,
	"after": used + this,
	"headroom_before": max([0, limit_tpp - used]),
	"headroom_after": max([0, limit_tpp - (used + this)]),
	"within_limit": used + this <= limit_tpp,
}

# The country allocation of a destination, as decisions report it.
country_allocation(country, d, used, this) := object.union(
	usage("country_allocation", allocation_tpp(country, d), used, this),
	{"country": country, "period": period_words(d)},
)

# The rule sets allocations for 2025-2027 only; after that it leaves them to annual review.
period_words(d) := "for 2025-2027" if d <= data.aidf.facts.params.allocation.last_day_set

period_words(d) := sprintf(
	"set for 2025-2027 (no figure is set for %s: BIS reviews allocations annually, so aidf applies the last one set)",
	[substring(d, 0, 4)],
) if {
	d > data.aidf.facts.params.allocation.last_day_set
}

# Parameters of REV_ALLOCATION_WITHIN / REV_ALLOCATION_EXCEEDED.
reason_params(a) := [
	data.aidf.lib.countries.place(a.country),
	data.aidf.lib.fmt.int(a.used_before),
	data.aidf.lib.fmt.int(a.this_request),
	data.aidf.lib.fmt.int(a.after),
	data.aidf.lib.fmt.int(a.limit_tpp),
	object.get(a, "period", "for 2025-2027"),
	data.aidf.lib.fmt.int(a.headroom_before),
]

reason(a) := data.aidf.lib.result.reason("REV_ALLOCATION_WITHIN", reason_params(a)) if a.within_limit

reason(a) := data.aidf.lib.result.reason("REV_ALLOCATION_EXCEEDED", reason_params(a)) if not a.within_limit
