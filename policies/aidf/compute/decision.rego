# The deploy_compute decision: may this placement go ahead under the owner's Data Center VEU,
# which limit binds, and how much more fits (RULE.md 5-6).
package aidf.compute.decision

import data.aidf.compute.eligibility
import data.aidf.compute.limits
import data.aidf.compute.notice
import data.aidf.compute.obligations
import data.aidf.compute.request as plan
import rego.v1

p := plan.placement_tpp

# Local names for the functions below (functions must not use import aliases: see README).
total_before := plan.total

growth := limits.t

binding_id := limits.binding

in_effect if data.aidf.lib.status.in_effect(plan.as_of)

authorized if {
	in_effect
	count(eligibility.blockers) == 0
	limits.within
	not notice.pending
}

outcome := "framework_not_in_effect" if not in_effect

outcome := "authorized" if authorized

outcome := "not_authorized" if {
	in_effect
	not authorized
}

allowed := outcome == "authorized"

# --- each limit, before and after the placement -----------------------------------------
value(c, h) := (c.q0 + (c.q * h))

total_at(h) := total_before + (growth * h)

constraint_view(c) := object.union(
	{
		"id": c.id,
		"subject": c.subject,
		"citation": data.aidf.lib.result.catalogue[c.code].citation,
		"passes": data.aidf.compute.limits.passes(c, p),
		"binding": c.id == binding_id,
	},
	measures(c),
)

measures(c) := {
	"limit_percent": c.limit_percent,
	"before": {"tpp": value(c, 0), "total_tpp": total_at(0), "share": data.aidf.lib.arith.percent(value(c, 0), total_at(0))},
	"after": {"tpp": value(c, p), "total_tpp": total_at(p), "share": data.aidf.lib.arith.percent(value(c, p), total_at(p))},
} if c.kind == "share"

measures(c) := {
	"limit_tpp": c.limit_tpp,
	"before": {"tpp": value(c, 0)},
	"after": {"tpp": value(c, p)},
} if {
	c.kind == "cap"
	c.id != "transfer_source"
}

# Shown as what stays in the source country.
measures(c) := {
	"limit_tpp": 0,
	"before": {"tpp": 0 - c.q0},
	"after": {"tpp": (0 - c.q0) - p},
} if c.id == "transfer_source"

constraints := [constraint_view(c) |
	some id in sort([x.id | some x in limits.constraints])
	some c in limits.constraints
	c.id == id
]

constraint_reason(v) := data.aidf.lib.result.reason(code, [v.subject, v.after.share, v.before.share, format_int(v.limit_percent, 10), verdict(v)]) if {
	v.limit_percent
	code := codes[v.id]
}

constraint_reason(v) := data.aidf.lib.result.reason(code, [v.subject, data.aidf.lib.fmt.int(v.after.tpp), data.aidf.lib.fmt.int(v.before.tpp), data.aidf.lib.fmt.int(v.limit_tpp), verdict(v)]) if {
	not v.limit_percent
	code := codes[v.id]
}

codes[c.id] := c.code if some c in limits.constraints

verdict(v) := "within the limit" if v.passes

verdict(v) := "EXCEEDS the limit" if not v.passes

# --- headroom --------------------------------------------------------------------------
headroom := {
	"unbounded": unbounded,
	"tpp": headroom_tpp,
	"chips": headroom_chips,
	"max_placement_tpp": max_placement,
	"min_placement_tpp": limits.lo,
	"binding_constraint": limits.binding,
}

eligible if {
	in_effect
	count(eligibility.blockers) == 0
}

# Headroom describes the limits of an eligible owner; without a usable VEU nothing fits.
unbounded := true if {
	eligible
	not limits.bounded
} else := false

max_placement := limits.hi if {
	eligible
	limits.bounded
	limits.feasible
} else := null

headroom_tpp := limits.hi - p if {
	authorized
	limits.bounded
}

headroom_tpp := null if {
	authorized
	not limits.bounded
}

headroom_tpp := 0 if not authorized

headroom_chips := data.aidf.lib.arith.floor_div(headroom_tpp, plan.tpp_per_chip) if {
	plan.tpp_per_chip != null
	plan.tpp_per_chip > 0
	headroom_tpp != null
}

headroom_chips := null if plan.tpp_per_chip == null

headroom_chips := null if {
	plan.tpp_per_chip != null
	headroom_tpp == null
}

headroom_chips := null if plan.tpp_per_chip == 0

# --- reasons ---------------------------------------------------------------------------
limit_reasons := [constraint_reason(v) | some v in constraints]

headroom_reasons := [data.aidf.lib.result.reason("HEADROOM", [data.aidf.lib.fmt.int(headroom_tpp), data.aidf.lib.countries.place(plan.named_country), chips_words, binding_subject])] if {
	authorized
	limits.bounded
} else := [data.aidf.lib.result.reason("HEADROOM_UNBOUNDED", [data.aidf.lib.countries.place(plan.named_country)])] if {
	authorized
	not limits.bounded
} else := [data.aidf.lib.result.reason("MAX_PLACEMENT", [data.aidf.lib.countries.place(plan.named_country), data.aidf.lib.fmt.int(limits.hi), data.aidf.lib.fmt.int(p)])] if {
	in_effect
	count(eligibility.blockers) == 0
	limits.bounded
	limits.feasible
	p > limits.hi
} else := []

chips_words := sprintf(" (%s whole chips of %s TPP)", [data.aidf.lib.fmt.int(headroom_chips), data.aidf.lib.fmt.int(plan.tpp_per_chip)]) if headroom_chips != null

chips_words := "" if headroom_chips == null

binding_subject := [v.subject | some v in constraints; v.binding][0]

basis_reasons := [data.aidf.lib.result.reason("BASIS", [limits.basis, plan.owner.name, data.aidf.lib.countries.place(plan.named_country)])] if {
	limits.basis != "none"
} else := []

allocation_note := [data.aidf.lib.result.reason("VEU_NOT_IN_ALLOCATION", [data.aidf.lib.countries.place(plan.named_country)])] if {
	limits.basis != "none"
} else := []

group_note := [data.aidf.lib.result.reason("UVEU_US_PARENTED_GROUP", [plan.owner.name, data.aidf.lib.countries.place(plan.hq), group_reading])] if {
	limits.basis == "UVEU"
	data.aidf.lib.countries.canonical(plan.hq) != "US"
	limits.us_parented
} else := []

group_reading := "applies the 50% test to the whole group" if data.aidf.facts.params.interpretations.us_test_for_us_parented_uveu

group_reading := "does not apply the 50% test" if not data.aidf.facts.params.interpretations.us_test_for_us_parented_uveu

# Table 1 ends with 2027: later caps are left to BIS's annual review.
period_note := [data.aidf.lib.result.reason("NVEU_AFTER_SET_PERIOD", [substring(plan.as_of, 0, 4)])] if {
	limits.basis == "NVEU"
	plan.as_of > data.aidf.facts.params.allocation.last_day_set
} else := []

reasons := array.concat(
	array.concat(basis_reasons, data.aidf.lib.result.sorted(eligibility.blockers)),
	array.concat(array.concat(limit_reasons, data.aidf.lib.result.sorted(notice.reasons)), array.concat(headroom_reasons, array.concat(allocation_note, array.concat(period_note, group_note)))),
) if in_effect

reasons := [data.aidf.lib.result.reason("STATUS_NOT_IN_EFFECT", [plan.as_of])] if not in_effect

summary := sprintf("Authorized under the owner's %s: placing %s TPP in %s keeps every limit", [limits.basis, data.aidf.lib.fmt.int(p), data.aidf.lib.countries.place(plan.named_country)]) if authorized

summary := sprintf("Not authorized: %s", [first_problem]) if {
	in_effect
	not authorized
}

summary := sprintf("Not evaluated: the framework took effect on 13 January 2025; the as-of date is %s", [plan.as_of]) if not in_effect

first_problem := data.aidf.lib.result.sorted(eligibility.blockers)[0].message if count(eligibility.blockers) > 0

first_problem := sprintf("the placement breaks %s", [data.aidf.lib.fmt.prose(limits.failing)]) if {
	count(eligibility.blockers) == 0
	count(limits.failing) > 0
}

first_problem := "no placement size in this country satisfies every limit" if {
	count(eligibility.blockers) == 0
	count(limits.failing) == 0
	not limits.within
}

first_problem := sprintf("the placement keeps every limit, but its %d-day notice to BIS runs until %s (authorized from that date)", [notice.days, notice.effective_from]) if {
	count(eligibility.blockers) == 0
	limits.within
	notice.pending
}

decision := {
	"action": "deploy_compute",
	"request_id": object.get(input, "request_id", null),
	"as_of": plan.as_of,
	"allowed": allowed,
	"outcome": outcome,
	"authorization": authorization,
	"summary": summary,
	"placement": {
		"country": plan.country,
		"tpp": p,
		"tpp_per_chip": plan.tpp_per_chip,
		"transfer_from": plan.source,
		"new_country_for_owner": plan.new_country,
	},
	"installed_before": {"total_tpp": plan.total, "outside_supp5a_tpp": plan.outside_supp5a, "outside_us_tpp": plan.outside_us},
	"constraints": constraints,
	"binding_constraint": limits.binding,
	"headroom": headroom,
	"notice": notice.view,
	"reasons": reasons,
	"obligations": obligations.obligations,
	"rule_status": data.aidf.lib.status.status(plan.as_of),
	"policy_revision": data.aidf.facts.params.policy_revision,
}

authorization := limits.basis if authorized

authorization := null if not authorized
