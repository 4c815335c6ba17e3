# Item classification: a declared ECCN, or 3A090 from chip parameters.
package aidf.chips.classify

import data.aidf.lib.fmt
import data.aidf.lib.result
import rego.v1

t := data.aidf.facts.params.thresholds_3a090

eccns := data.aidf.facts.eccns.entries

items := [classified(i, it) | some i, it in input.items]

classified(i, it) := object.union(base(i, it), by_basis(it))

base(i, it) := {
	"index": i,
	"label": label(i, it),
	"quantity": object.get(it, "quantity", 1),
	"tpp_per_unit": object.get(it, "tpp_per_unit", 0),
	"tpp_total": object.get(it, "quantity", 1) * object.get(it, "tpp_per_unit", 0),
	# Unknown means designed for data centers: the reading that keeps ACA/NAC closed.
	"designed_for_data_centers": object.get(it, "designed_for_data_centers", true),
}

label(_, it) := it.description if it.description

label(i, it) := sprintf("item %d", [i + 1]) if not it.description

# --- declared ECCN -------------------------------------------------------------
by_basis(it) := {
	"basis": "declared",
	"eccn": it.eccn,
	"paragraph": it.eccn,
	"level": eccns[it.eccn].level,
	"kind": eccns[it.eccn].kind,
} if it.eccn

# --- 3A090 from parameters -----------------------------------------------------
by_basis(it) := {
	"basis": "parameters",
	"eccn": eccn_of[paragraph(it)],
	"paragraph": paragraph(it),
	"level": level_of[paragraph(it)],
	"kind": "commodity",
} if not it.eccn

eccn_of := {"3A090.a.1": "3A090.a", "3A090.a.2": "3A090.a", "3A090.b.1": "3A090.b", "3A090.b.2": "3A090.b", "note1": null, "none": null}

level_of := {"3A090.a.1": "a", "3A090.a.2": "a", "3A090.b.1": "b", "3A090.b.2": "b", "note1": "none", "none": "none"}

# Note 1 to 3A090.a/.b: not designed or marketed for data centers and TPP < 4800 -> outside 3A090.
note1(it) if {
	it.designed_for_data_centers == false
	it.tpp_per_unit < t.note1_tpp_below
}

a1(it) if it.tpp_per_unit >= t.a1_tpp_min

a2(it) if {
	it.tpp_per_unit >= t.a2_tpp_min
	it.performance_density >= t.a2_density_min
}

b1(it) if {
	it.tpp_per_unit >= t.b1_tpp_min
	it.tpp_per_unit < t.b1_tpp_below
	it.performance_density >= t.b1_density_min
	it.performance_density < t.b1_density_below
}

b2(it) if {
	it.tpp_per_unit >= t.b2_tpp_min
	it.performance_density >= t.b2_density_min
	it.performance_density < t.b2_density_below
}

is_a(it) if a1(it)

is_a(it) if a2(it)

is_b(it) if b1(it)

is_b(it) if b2(it)

paragraph(it) := "note1" if note1(it)

paragraph(it) := "3A090.a.1" if {
	not note1(it)
	a1(it)
}

paragraph(it) := "3A090.a.2" if {
	not note1(it)
	not a1(it)
	a2(it)
}

paragraph(it) := "3A090.b.1" if {
	not note1(it)
	not is_a(it)
	b1(it)
}

paragraph(it) := "3A090.b.2" if {
	not note1(it)
	not is_a(it)
	not b1(it)
	b2(it)
}

paragraph(it) := "none" if {
	not note1(it)
	not is_a(it)
	not is_b(it)
}

# --- reasons -------------------------------------------------------------------
density_text(it) := "not stated" if not it.performance_density

density_text(it) := data.aidf.lib.fmt.decimal(it.performance_density) if it.performance_density

reason_codes := {
	"3A090.a.1": "CLS_3A090_A1",
	"3A090.a.2": "CLS_3A090_A2",
	"3A090.b.1": "CLS_3A090_B1",
	"3A090.b.2": "CLS_3A090_B2",
	"note1": "CLS_NOTE1",
	"none": "CLS_BELOW_3A090",
}

reasons contains r if {
	some i, it in input.items
	not it.eccn
	c := items[i]
	r := result.reason(reason_codes[c.paragraph], [c.label, fmt.int(it.tpp_per_unit), density_text(it), fmt.yes_no(c.designed_for_data_centers)])
}

reasons contains r if {
	some i, it in input.items
	it.eccn
	c := items[i]
	r := result.reason("CLS_DECLARED", [c.label, it.eccn, level_words[c.level], eccns[it.eccn].citation])
}

level_words := {"a": ".a level (worldwide licence requirement)", "b": ".b level (licence requirement for D:1, D:4 and D:5)"}

a_level := [c | some c in items; c.level == "a"]

b_level := [c | some c in items; c.level == "b"]

tpp_total := sum([c.tpp_total | some c in items])

a_level_tpp := sum([c.tpp_total | some c in a_level])

b_level_tpp := sum([c.tpp_total | some c in b_level])
