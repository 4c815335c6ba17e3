# Item classification: a declared ECCN, or 3A090 from chip parameters.
package aidf.chips.classify

import data.aidf.lib.fmt
import data.aidf.lib.result
import rego.v1

_t := data.aidf.facts.params.thresholds_3a090

_eccns := data.aidf.facts.eccns.entries

items := [_classified(i, it) | some i, it in input.items]

_classified(i, it) := object.union(_base(i, it), _by_basis(it))

_base(i, it) := {
	"index": i,
	"label": _label(i, it),
	"quantity": object.get(it, "quantity", 1),
	"tpp_per_unit": object.get(it, "tpp_per_unit", 0),
	"tpp_total": object.get(it, "quantity", 1) * object.get(it, "tpp_per_unit", 0),
	# Unknown means designed for data centers: the reading that keeps ACA/NAC closed.
	"designed_for_data_centers": object.get(it, "designed_for_data_centers", true),
}

_label(_, it) := it.description if it.description

_label(i, it) := sprintf("item %d", [i + 1]) if not it.description

# --- declared ECCN -------------------------------------------------------------
_by_basis(it) := {
	"basis": "declared",
	"eccn": it.eccn,
	"paragraph": it.eccn,
	"level": _eccns[it.eccn].level,
	"kind": _eccns[it.eccn].kind,
} if {
	it.eccn
} else := _by_parameters(it)

# --- 3A090 from parameters -----------------------------------------------------
_by_parameters(it) := {
	"basis": "parameters",
	"eccn": _eccn_of[p],
	"paragraph": p,
	"level": _level_of[p],
	"kind": "commodity",
} if {
	p := _paragraph(it)
}

_eccn_of := {
	"3A090.a.1": "3A090.a",
	"3A090.a.2": "3A090.a",
	"3A090.b.1": "3A090.b",
	"3A090.b.2": "3A090.b",
	"note1": null,
	"none": null,
}

_level_of := {"3A090.a.1": "a", "3A090.a.2": "a", "3A090.b.1": "b", "3A090.b.2": "b", "note1": "none", "none": "none"}

# Note 1 to 3A090.a/.b: not designed or marketed for data centers and TPP < 4800 -> outside 3A090.
_note1(it) if {
	it.designed_for_data_centers == false
	it.tpp_per_unit < _t.note1_tpp_below
}

_a1(it) if it.tpp_per_unit >= _t.a1_tpp_min

_a2(it) if {
	it.tpp_per_unit >= _t.a2_tpp_min
	it.performance_density >= _t.a2_density_min
}

_b1(it) if {
	it.tpp_per_unit >= _t.b1_tpp_min
	it.tpp_per_unit < _t.b1_tpp_below
	it.performance_density >= _t.b1_density_min
	it.performance_density < _t.b1_density_below
}

_b2(it) if {
	it.tpp_per_unit >= _t.b2_tpp_min
	it.performance_density >= _t.b2_density_min
	it.performance_density < _t.b2_density_below
}

# Note 1 first, then .a before .b: the first paragraph the item meets.
_paragraph(it) := "note1" if {
	_note1(it)
} else := "3A090.a.1" if {
	_a1(it)
} else := "3A090.a.2" if {
	_a2(it)
} else := "3A090.b.1" if {
	_b1(it)
} else := "3A090.b.2" if {
	_b2(it)
} else := "none"

# --- reasons -------------------------------------------------------------------
_density_text(it) := "not stated" if not it.performance_density

_density_text(it) := data.aidf.lib.fmt.decimal(it.performance_density) if it.performance_density

_reason_codes := {
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
	r := result.reason(_reason_codes[c.paragraph], [
		c.label,
		fmt.int(it.tpp_per_unit),
		_density_text(it),
		fmt.yes_no(c.designed_for_data_centers),
	])
}

reasons contains r if {
	some i, it in input.items
	it.eccn
	c := items[i]
	r := result.reason("CLS_DECLARED", [c.label, it.eccn, _level_words[c.level], _eccns[it.eccn].citation])
}

_level_words := {
	"a": ".a level (worldwide licence requirement)",
	"b": ".b level (licence requirement for D:1, D:4 and D:5)",
}

_a_level := [c | some c in items; c.level == "a"]

_b_level := [c | some c in items; c.level == "b"]

tpp_total := sum([c.tpp_total | some c in items])

a_level_tpp := sum([c.tpp_total | some c in _a_level])

b_level_tpp := sum([c.tpp_total | some c in _b_level])
