# The limits a placement must respect, as linear constraints on the placed TPP h:
#   share limits (UVEU, Supp. No. 10 para. 6):  100 * (Q0 + q*h) <= L * (T0 + t*h)
#   caps (NVEU Table 1, transfer source):        Q0 + q*h <= cap
# both normalised to a*h <= b with integers, so passing, headroom and the binding limit are
# exact on every engine (no floating point).
package aidf.compute.limits

import data.aidf.compute.request
import data.aidf.compute.request.country
import data.aidf.compute.request.holds_uveu
import data.aidf.compute.request.hq
import data.aidf.compute.request.installed
import data.aidf.compute.request.is_transfer
import data.aidf.compute.request.named_country
import data.aidf.compute.request.nveu_countries
import data.aidf.compute.request.outside_supp5a
import data.aidf.compute.request.outside_us
import data.aidf.compute.request.parent_hq
import data.aidf.compute.request.placement_tpp
import data.aidf.compute.request.source
import data.aidf.compute.request.supp5a_countries
import data.aidf.lib.arith
import data.aidf.lib.countries
import rego.v1

veu_params := data.aidf.facts.params.veu

# Local names for the functions below (functions must not use import aliases: see README).
as_of := data.aidf.compute.request.as_of

total := data.aidf.compute.request.total

# 1 when this placement adds compute to the group; 0 when it moves compute between countries.
t := 0 if is_transfer else := 1

_ind(x) := 1 if x else := 0

outside5a(c) := _ind(not_supp5a(c))

not_supp5a(c) := false if {
	c == null
} else := false if {
	c in data.aidf.compute.request.supp5a_countries
} else := true

basis := "NVEU" if country in nveu_countries else := "UVEU" if holds_uveu else := "none"

share(id, code, q0, q, percent, subject) := {
	"id": id,
	"code": code,
	"subject": subject,
	"kind": "share",
	"limit_percent": percent,
	"q0": q0,
	"q": q,
	"a": (100 * q) - (percent * t),
	"b": (percent * total) - (100 * q0),
}

cap(id, code, q0, q, limit, subject) := {
	"id": id,
	"code": code,
	"subject": subject,
	"kind": "cap",
	"limit_tpp": limit,
	"q0": q0,
	"q": q,
	"a": q,
	"b": limit - q0,
}

# --- UVEU geographic limits (Supp. No. 10 para. 6) ------------------------------
uveu_limits contains share(
	"outside_supp5a", "LIM_OUTSIDE_SUPP5A", outside_supp5a,
	outside5a(country) - outside5a(source), veu_params.uveu_outside_supp5a_percent,
	"AI compute outside Supp. No. 5(a) countries",
) if basis == "UVEU"

uveu_limits contains share(
	concat(":", ["country", c]), "LIM_SINGLE_COUNTRY", request.installed_in(c),
	_ind(c == country) - _ind(c == source), veu_params.uveu_single_country_percent,
	countries.place(c),
) if {
	basis == "UVEU"
	some c in ({k | some k, _ in installed} | {country})
	not c in supp5a_countries
}

uveu_limits contains share(
	"outside_us", "LIM_OUTSIDE_US", outside_us,
	_ind(country != "US") - _ind(from_abroad), veu_params.uveu_outside_us_percent,
	"AI compute outside the United States",
) if {
	basis == "UVEU"
	us_test_applies
}

# The 50% test is for US-headquartered UVEUs. Supp. No. 10 para. 6 measures the owner with its
# parent and subsidiaries, so a group whose ultimate parent is in the US is measured as a whole
# (switch us_test_for_us_parented_uveu; docs/interpretations.md).
us_test_applies if countries.canonical(hq) == "US"

us_test_applies if {
	countries.canonical(hq) != "US"
	us_parented
	data.aidf.facts.params.interpretations.us_test_for_us_parented_uveu
}

us_parented if countries.canonical(parent_hq) == "US"

# Moving chips out of another country abroad into X leaves outside_us unchanged; a transfer
# out of the US adds to it.
from_abroad := source != "US" if is_transfer else := false

# --- NVEU installed base (Table 1 to 748.15(a)(2)(iii)(B)) -----------------------
nveu_allocation := entry if {
	entries := [e | some e in veu_params.nveu_allocations; e.from <= data.aidf.compute.request.as_of]
	count(entries) > 0
	entry := entries[count(entries) - 1]
}

nveu_limits contains cap(
	"nveu_allocation", "LIM_NVEU_ALLOCATION", request.installed_in(country), 1, nveu_allocation.tpp,
	sprintf("installed base in %s under the NVEU (%s allocation)", [
		countries.place(named_country),
		nveu_allocation.quarter,
	]),
) if basis == "NVEU"

# --- a transfer cannot move more than the source country holds --------------------
# Written as (h - held) <= 0.
transfer_limits contains cap(
	"transfer_source", "LIM_TRANSFER_SOURCE", 0 - request.installed_in(source), 1, 0,
	sprintf("compute left in %s after the transfer", [countries.place(source)]),
) if is_transfer

constraints := (uveu_limits | nveu_limits) | transfer_limits

passes(c, h) := (c.a * h) <= c.b

# --- the feasible placements [lo, hi] and the headroom --------------------------------
# Each upper bound by constraint id (ids are unique), computed once.
upper[c.id] := arith.floor_div(c.b, c.a) if {
	some c in constraints
	c.a > 0
}

uppers := [u | some _, u in upper]

# Bound in the body: regorus misparses an operator in a comprehension head.
lowers := [low | some c in constraints; c.a < 0; low := arith.ceil_div(0 - c.b, 0 - c.a)]

unfixable := [c.id | some c in constraints; c.a == 0; c.b < 0]

bounded if count(uppers) > 0

hi := min(uppers) if bounded

lo := max(array.concat([0], lowers))

feasible if {
	count(unfixable) == 0
	not bounded
}

feasible if {
	count(unfixable) == 0
	bounded
	lo <= hi
}

within if {
	feasible
	placement_tpp >= lo
	not bounded
}

within if {
	feasible
	placement_tpp >= lo
	placement_tpp <= hi
}

# The limit that sets the maximum placement (first by id on a tie).
binding := ids[0] if {
	bounded
	ids := sort([id | some id, u in upper; u == hi])
}

binding := null if not bounded

failing := sort([c.subject | some c in constraints; not passes(c, placement_tpp)])
