# The deploy_compute decision: may this placement go ahead under the owner's Data Center VEU,
# which limit binds, and how much more fits.
package aidf.compute.decision

import data.aidf.compute.eligibility.blockers
import data.aidf.compute.limits.basis
import data.aidf.compute.limits.binding
import data.aidf.compute.limits.bounded
import data.aidf.compute.limits.failing
import data.aidf.compute.limits.feasible
import data.aidf.compute.limits.hi
import data.aidf.compute.limits.lo
import data.aidf.compute.limits.t
import data.aidf.compute.limits.us_parented
import data.aidf.compute.limits.within
import data.aidf.compute.notice.days
import data.aidf.compute.notice.effective_from
import data.aidf.compute.notice.pending
import data.aidf.compute.notice.view
import data.aidf.compute.obligations.obligations
import data.aidf.compute.request.as_of
import data.aidf.compute.request.country
import data.aidf.compute.request.hq
import data.aidf.compute.request.named_country
import data.aidf.compute.request.new_country
import data.aidf.compute.request.outside_supp5a
import data.aidf.compute.request.outside_us
import data.aidf.compute.request.owner
import data.aidf.compute.request.placement_tpp
import data.aidf.compute.request.source
import data.aidf.compute.request.total
import data.aidf.compute.request.tpp_per_chip
import data.aidf.lib.arith
import data.aidf.lib.countries
import data.aidf.lib.fmt
import data.aidf.lib.jurisdiction
import data.aidf.lib.result
import data.aidf.lib.status
import rego.v1

# The placed TPP under a local name: functions below may not use the import (see README).
placed_tpp := placement_tpp

# Local names for the functions below (functions must not use import aliases: see README).
total_before := total

growth := t

binding_id := binding

in_effect if status.in_effect(as_of)

authorized if {
	in_effect
	count(blockers) == 0
	within
	not pending
}

outcome := "framework_not_in_effect" if not in_effect

outcome := "authorized" if authorized

outcome := "not_subject" if {
	in_effect
	domestic
}

outcome := "not_authorized" if {
	in_effect
	not authorized
	not domestic
}

allowed := outcome in {"authorized", "not_subject"}

# A placement inside the United States by an owner with no Data Center VEU for it is no export,
# reexport or in-country transfer (15 CFR 734.13, 734.14, 734.16): there is nothing to authorize.
# (An owner that holds a VEU is checked under it: its limits count compute in the United States.)
domestic if {
	basis == "none"
	jurisdiction.in_united_states(named_country)
}

domestic_reason := result.reason("JURISDICTION_DOMESTIC_PLACEMENT", [owner.name, countries.place(named_country)])

# --- each limit, before and after the placement -----------------------------------------
value(c, h) := (c.q0 + (c.q * h))

total_at(h) := total_before + (growth * h)

constraint_view(c) := object.union(
	{
		"id": c.id,
		"subject": c.subject,
		"citation": data.aidf.lib.result.catalogue[c.code].citation,
		"passes": data.aidf.compute.limits.passes(c, placed_tpp),
		"binding": c.id == binding_id,
	},
	measures(c),
)

# Each measure computed once; a share shows tpp and total before and after, a cap the tpp.
measures(c) := {
	"limit_percent": c.limit_percent,
	"before": {
		"tpp": c.q0,
		"total_tpp": total_before,
		"share": data.aidf.lib.arith.percent(c.q0, total_before),
	},
	"after": {
		"tpp": after,
		"total_tpp": total_after,
		"share": data.aidf.lib.arith.percent(after, total_after),
	},
} if {
	c.kind == "share"
	after := value(c, placed_tpp)
	total_after := total_at(placed_tpp)
} else := {
	# Shown as what stays in the source country.
	"limit_tpp": 0,
	"before": {"tpp": 0 - c.q0},
	"after": {"tpp": (0 - c.q0) - placed_tpp},
} if {
	c.id == "transfer_source"
} else := {
	"limit_tpp": c.limit_tpp,
	"before": {"tpp": c.q0},
	"after": {"tpp": value(c, placed_tpp)},
} if {
	c.kind == "cap"
}

# By id (ids are unique), in O(n log n): there is a constraint per country of the installed base.
constraints := [constraint_view(pair[1]) |
	some pair in sort([[c.id, c] | some c in data.aidf.compute.limits.constraints])
]

constraint_reason(v) := data.aidf.lib.result.reason(code, [
	v.subject,
	v.after.share,
	v.before.share,
	format_int(v.limit_percent, 10),
	verdict(v),
]) if {
	v.limit_percent
	code := codes[v.id]
} else := data.aidf.lib.result.reason(code, [
	v.subject,
	data.aidf.lib.fmt.int(v.after.tpp),
	data.aidf.lib.fmt.int(v.before.tpp),
	data.aidf.lib.fmt.int(v.limit_tpp),
	verdict(v),
]) if {
	code := codes[v.id]
}

codes[c.id] := c.code if some c in data.aidf.compute.limits.constraints

verdict(v) := "within the limit" if v.passes else := "EXCEEDS the limit"

# --- headroom --------------------------------------------------------------------------
headroom := {
	"unbounded": unbounded,
	"tpp": headroom_tpp,
	"chips": headroom_chips,
	"max_placement_tpp": max_placement,
	"min_placement_tpp": lo,
	"binding_constraint": binding,
}

eligible if {
	in_effect
	count(blockers) == 0
}

# Headroom describes the limits of an eligible owner; without a usable VEU nothing fits.
default unbounded := false

unbounded if {
	eligible
	not bounded
}

unbounded if domestic # no limit reaches a placement that is no export

max_placement := hi if {
	eligible
	bounded
	feasible
} else := null

headroom_tpp := hi - placed_tpp if {
	authorized
	bounded
}

headroom_tpp := null if {
	authorized
	not bounded
}

headroom_tpp := null if domestic

headroom_tpp := 0 if {
	not authorized
	not domestic
}

headroom_chips := arith.floor_div(headroom_tpp, tpp_per_chip) if {
	tpp_per_chip != null
	tpp_per_chip > 0
	headroom_tpp != null
}

headroom_chips := null if tpp_per_chip == null

headroom_chips := null if {
	tpp_per_chip != null
	headroom_tpp == null
}

headroom_chips := null if tpp_per_chip == 0

# --- reasons ---------------------------------------------------------------------------
limit_reasons := [constraint_reason(v) | some v in constraints]

headroom_reasons := [result.reason("HEADROOM", [
	fmt.int(headroom_tpp),
	countries.place(named_country),
	chips_words,
	binding_subject,
])] if {
	authorized
	bounded
} else := [result.reason("HEADROOM_UNBOUNDED", [countries.place(named_country)])] if {
	authorized
	not bounded
} else := [result.reason("MAX_PLACEMENT", [countries.place(named_country), fmt.int(hi), fmt.int(placed_tpp)])] if {
	in_effect
	count(blockers) == 0
	bounded
	feasible
	placed_tpp > hi
} else := []

chips_words := sprintf(" (%s whole chips of %s TPP)", [fmt.int(headroom_chips), fmt.int(tpp_per_chip)]) if {
	headroom_chips != null
}

chips_words := "" if headroom_chips == null

binding_subject := [v.subject | some v in constraints; v.binding][0]

basis_reasons := [result.reason("BASIS", [basis, owner.name, countries.place(named_country)])] if {
	basis != "none"
} else := []

allocation_note := [result.reason("VEU_NOT_IN_ALLOCATION", [countries.place(named_country)])] if {
	basis != "none"
} else := []

group_note := [result.reason("UVEU_US_PARENTED_GROUP", [owner.name, countries.place(hq), group_reading])] if {
	basis == "UVEU"
	countries.canonical(hq) != "US"
	us_parented
} else := []

group_reading := "applies the 50% test to the whole group" if {
	data.aidf.facts.params.interpretations.us_test_for_us_parented_uveu
}

group_reading := "does not apply the 50% test" if {
	not data.aidf.facts.params.interpretations.us_test_for_us_parented_uveu
}

# Table 1 ends with 2027: later caps are left to BIS's annual review.
period_note := [result.reason("NVEU_AFTER_SET_PERIOD", [substring(as_of, 0, 4)])] if {
	basis == "NVEU"
	as_of > data.aidf.facts.params.allocation.last_day_set
} else := []

reasons := [domestic_reason] if {
	in_effect
	domestic
}

reasons := result.flatten([
	basis_reasons,
	result.sorted(blockers),
	limit_reasons,
	result.sorted(data.aidf.compute.notice.reasons),
	headroom_reasons,
	allocation_note,
	period_note,
	group_note,
]) if {
	in_effect
	not domestic
}

reasons := [result.reason("STATUS_NOT_IN_EFFECT", [as_of])] if not in_effect

summary := sprintf("Authorized under the owner's %s: placing %s TPP in %s keeps every limit", [
	basis,
	fmt.int(placed_tpp),
	countries.place(named_country),
]) if {
	authorized
}

summary := sprintf("Not subject to the framework (no export event): %s", [domestic_reason.message]) if {
	in_effect
	domestic
}

summary := sprintf("Not authorized: %s", [first_problem]) if {
	in_effect
	not authorized
	not domestic
}

summary := sprintf("Not evaluated: the framework took effect on %s; the as-of date is %s", [took_effect, as_of]) if {
	not in_effect
	took_effect := fmt.date(data.aidf.facts.params.dates.effective)
}

first_problem := result.sorted(blockers)[0].message if count(blockers) > 0

first_problem := sprintf("the placement breaks %s", [fmt.prose(failing)]) if {
	count(blockers) == 0
	count(failing) > 0
}

first_problem := "no placement size in this country satisfies every limit" if {
	count(blockers) == 0
	count(failing) == 0
	not within
}

first_problem := sprintf(
	"the placement keeps every limit, but its %d-day notice to BIS runs until %s (authorized from that date)",
	[days, effective_from],
) if {
	count(blockers) == 0
	within
	pending
}

decision := result.decision("deploy_compute", as_of, {
	"allowed": allowed,
	"outcome": outcome,
	"authorization": authorization,
	"summary": summary,
	"placement": {
		"country": country,
		"tpp": placed_tpp,
		"tpp_per_chip": tpp_per_chip,
		"transfer_from": source,
		"new_country_for_owner": new_country,
	},
	"installed_before": {"total_tpp": total, "outside_supp5a_tpp": outside_supp5a, "outside_us_tpp": outside_us},
	"constraints": constraints,
	"binding_constraint": binding,
	"headroom": headroom,
	"notice": view,
	"reasons": reasons,
	"obligations": obligations,
})

authorization := basis if authorized

authorization := null if not authorized
