# Mixed shipments: when no single authorization covers every licensable line, each line is
# decided on its own (for example .b chips under ACA beside .a chips that need a licence). Lines
# alike in what every authorization looks at (level, ECCN, data-center design) are decided as one
# group, by evaluating the shipment with only that group's items; each authorization chosen is then
# checked again for all the lines it covers together, so caps (LPP) see their combined TPP.
# The shipment is allowed only when every line is covered (15 CFR 740.2(a); each exception's own
# eligibility paragraph).
package aidf.chips.lines

import data.aidf.chips.classify.items
import data.aidf.chips.decision.available
import data.aidf.chips.decision.domestic
import data.aidf.chips.decision.in_effect
import data.aidf.chips.decision.needs_licence
import data.aidf.lib.fmt
import rego.v1

_licensable := data.aidf.chips.requirement.licensable

_key(c) := sprintf("%s|%s|%v", [c.level, c.eccn, c.designed_for_data_centers])

_keys := {k | some c in _licensable; k := _key(c)}

_items_of(ks) := [input.items[c.index] | some c in _licensable; _key(c) in ks]

# Decide per line whenever the licensable lines are of more than one kind: each line then takes
# the authorization with the fewest conditions that covers it (e.g. ACA for .b lines beside .a
# lines under LPP, so that LPP's cap only counts the .a lines).
mixed if {
	count(_licensable) > 1
	not domestic
	in_effect
	needs_licence
	count(_keys) > 1
}

# regorus evaluates a `with` value after the replacement: bind it to a variable first.
_group_choice[k] := options[0] if {
	mixed
	some k in _keys
	group := _items_of({k})
	options := available with input.items as group
	count(options) > 0
}

_chosen := {a | some _, a in _group_choice}

_keys_for(a) := {k | some k, x in _group_choice; x == a}

# An authorization holds only if it still covers all of its lines together.
# (One kind of line: _group_choice already weighed exactly those lines.)
_confirmed contains a if {
	some a in _chosen
	count(_keys_for(a)) == 1
}

_confirmed contains a if {
	some a in _chosen
	count(_keys_for(a)) > 1
	its_lines := _items_of(_keys_for(a))
	together := available with input.items as its_lines
	a in together
}

_line_authorization[c.index] := _group_choice[k] if {
	some c in _licensable
	k := _key(c)
	_group_choice[k] in _confirmed
}

uncovered := [c | some c in _licensable; not _line_authorization[c.index]]

uncovered_items := [input.items[c.index] | some c in uncovered]

every_line_covered if {
	mixed
	count(uncovered) == 0
}

# The authorizations relied on, in the preference order.
used := [a | some a in data.aidf.facts.params.authorization_preference.order; a in _confirmed]

items_under(a) := _items_of(_keys_for(a))

view := [_line(c) | some c in items]

_line(c) := {
	"index": c.index,
	"label": c.label,
	"level": c.level,
	"tpp_total": c.tpp_total,
	"needs_licence": _line_needs_licence(c),
	"authorization": _authorization_of(c),
}

_line_needs_licence(c) := true if {
	c.index in data.aidf.chips.requirement.needs_licence
	data.aidf.chips.decision.in_effect
	not data.aidf.chips.decision.domestic
} else := false

_authorization_of(c) := _line_authorization[c.index] if {
	mixed
	_line_authorization[c.index]
}

_authorization_of(c) := null if {
	mixed
	not _line_authorization[c.index]
}

_authorization_of(c) := data.aidf.chips.decision.authorization if {
	not mixed
	_line_needs_licence(c)
}

_authorization_of(c) := null if {
	not mixed
	not _line_needs_licence(c)
}

split_words := fmt.prose([w |
	some l in view
	l.needs_licence
	w := sprintf("%s: %s", [l.label, _cover_words(l.authorization)])
])

_cover_words(a) := sprintf("under %s", [a]) if a != null

_cover_words(a) := "needs a licence" if a == null
