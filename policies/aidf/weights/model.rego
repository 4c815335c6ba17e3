# Is input.model an ECCN 4E091 model? Step by step, with the operations arithmetic shown
# (ECCN 4E091, Technical Notes 2-3, Notes 1-2). All counts are in units of 10^12
# operations (aidf.lib.ops), so every comparison is exact on both engines.
package aidf.weights.model

import data.aidf.lib.ops as lib_ops
import data.aidf.lib.result
import rego.v1

weights_params := data.aidf.facts.params.weights

interp := data.aidf.facts.params.interpretations

model := input.model

as_of := input.as_of

threshold := lib_ops.units(weights_params.controlled_operations)

training := lib_ops.units(model.training_operations)

ops(s) := data.aidf.lib.ops.text(s)

# --- Technical Note 3: synthetic data ------------------------------------------------
# A generator counts when more than 10% of training operations used its unpublished data.
qualifying := [g |
	some g in object.get(model, "synthetic_data", [])
	not g.data_published == true
	100 * lib_ops.units(g.operations_on_its_data) > weights_params.synthetic_data_share_percent * training
]

# Every qualifying generator adds the operations it used to generate the data; one whose weights
# are unpublished also adds its own training operations. "If there are multiple unpublished
# data-generation models", only the one with the most training operations counts (first by name
# on a tie): that choice is made among unpublished-weight generators only, so a published-weight
# generator is always counted on its own and never hides an unpublished one.
weights_published(g) if g.generator_weights_published == true

qualifying_published := [g | some g in qualifying; weights_published(g)]

qualifying_unpublished := [g | some g in qualifying; not weights_published(g)]

generator_rank(g) := data.aidf.lib.ops.units(object.get(g, "generator_training_operations", "0"))

chosen_unpublished := g if {
	count(qualifying_unpublished) > 0
	top := max([r | some x in qualifying_unpublished; r := generator_rank(x)])
	g := sort_by_name([x | some x in qualifying_unpublished; generator_rank(x) == top])[0]
}

# By name; generators of the same name in the order listed. O(n log n).
sort_by_name(gs) := [t[2] | some t in sort([[x.generator, i, x] | some i, x in gs])]

counted := array.concat(sort_by_name(qualifying_published), [chosen_unpublished]) if {
	chosen_unpublished
} else := sort_by_name(qualifying_published)

# One generator's contribution, in units; never an operation twice (already_counted_operations).
contribution(g) := {
	"generation": generation,
	"training": own_training,
	"already_counted": already,
	"added": max([0, (generation + own_training) - already]),
} if {
	generation := data.aidf.lib.ops.units(g.generation_operations)
	own_training := generator_training_added(g)
	already := data.aidf.lib.ops.units(object.get(g, "already_counted_operations", "0"))
}

generator_training_added(g) := 0 if weights_published(g)

generator_training_added(g) := generator_rank(g) if not weights_published(g)

contributions := [c | some g in counted; c := contribution(g)]

synthetic_addition := sum([c.added | some c in contributions])

total := training + synthetic_addition

reaches_threshold if total >= threshold

# --- Note 1: published weights, and models derived from them ---------------------------
published if model.weights_published == true

derived := model.derived_from_published_model

derived_floor := lib_ops.units(weights_params.derived_model_additional_operations) if {
	not interp.use_preamble_derived_model_threshold
}

derived_floor := lib_ops.units(weights_params.derived_model_additional_operations_preamble) if {
	interp.use_preamble_derived_model_threshold
}

derived_base := lib_ops.units(derived.base_model_operations)

derived_additional := lib_ops.units(derived.additional_operations)

# "exceeds ... or 25% of the training operations, whichever is higher": exceed both.
derived_exceeds if {
	derived_additional > derived_floor
	100 * derived_additional > weights_params.derived_model_additional_percent * derived_base
}

# --- Note 2: less capable than the most advanced published model ------------------------
note2_threshold := entries[count(entries) - 1] if {
	entries := [e | some e in weights_params.note2_published_thresholds; e.from <= as_of]
	count(entries) > 0
}

below_note2 if model.less_capable_than_most_advanced_published == true

below_note2 if total < lib_ops.units(note2_threshold.operations)

# --- result ----------------------------------------------------------------------------
controlled if {
	not published
	reaches_threshold
	not derived
	not below_note2
}

controlled if {
	not published
	reaches_threshold
	derived
	derived_exceeds
	not below_note2
}

# The steps, each a reason a lawyer can check by hand.
steps := result.flatten([published_steps, count_steps, exclusion_steps])

published_steps := [result.reason("W_PUBLISHED", [model.name])] if {
	published
} else := []

count_steps := [] if published

count_steps := array.concat(
	array.concat([result.reason("W_TRAINING", [model.name, ops(training)])], synthetic_steps),
	[result.reason(total_code, [ops(total), ops(threshold)])],
) if not published

total_code := "W_TOTAL_REACHES" if reaches_threshold

total_code := "W_TOTAL_BELOW" if not reaches_threshold

synthetic_steps := [result.reason(
	"W_SYNTHETIC_NONE",
	[format_int(weights_params.synthetic_data_share_percent, 10)],
)] if {
	count(qualifying) == 0
	count(object.get(model, "synthetic_data", [])) > 0
}

synthetic_steps := [] if count(object.get(model, "synthetic_data", [])) == 0

synthetic_steps := each if {
	count(qualifying) > 0
	each := [r | some g in counted; r := synthetic_step(g)]
}

synthetic_step(g) := data.aidf.lib.result.reason("W_SYNTHETIC", [
	g.generator,
	format_int(data.aidf.facts.params.weights.synthetic_data_share_percent, 10),
	data.aidf.lib.ops.text(c.generation),
	generator_words(g, c),
	data.aidf.lib.ops.text(c.already_counted),
	data.aidf.lib.ops.text(c.added),
	others(g),
]) if {
	c := contribution(g)
}

generator_words(g, _) := "its weights are published, so its training operations are not added" if weights_published(g)

generator_words(g, c) := sprintf(
	"its weights are unpublished, so its training operations of %s are added",
	[data.aidf.lib.ops.text(c.training)],
) if {
	not weights_published(g)
}

others(g) := "a published-weight generator counts on its own; only unpublished-weight generators compete" if {
	weights_published(g)
}

others(g) := "no other unpublished-weight generator qualifies" if {
	not weights_published(g)
	count(qualifying_unpublished) == 1
}

others(g) := sprintf(
	"%d other unpublished-weight generator(s) are not counted: only the one with the most training operations counts",
	[count(qualifying_unpublished) - 1],
) if {
	not weights_published(g)
	count(qualifying_unpublished) > 1
}

exclusion_steps := array.concat(derived_steps, note2_steps) if not published

exclusion_steps := [] if published

derived_steps := [] if not derived

derived_steps := [result.reason(derived_code, [
	ops(derived_additional),
	ops(derived_floor),
	ops(derived_base),
	format_int(weights_params.derived_model_additional_percent, 10),
])] if derived

derived_code := "W_DERIVED_EXCEEDS" if derived_exceeds

derived_code := "W_DERIVED_WITHIN" if not derived_exceeds

note2_steps := [result.reason("W_NOTE2_FINDING", [model.name])] if {
	model.less_capable_than_most_advanced_published == true
} else := [result.reason("W_NOTE2_THRESHOLD", [
	ops(lib_ops.units(note2_threshold.operations)),
	note2_threshold.source,
])] if {
	below_note2
} else := []

conclusion := result.reason("W_CONTROLLED", [model.name]) if controlled

conclusion := result.reason("W_NOT_CONTROLLED", [model.name]) if not controlled

determination := {
	"controlled": controlled_value,
	"eccn": eccn_value,
	"total_operations": ops_or_null,
	"threshold_operations": ops(threshold),
	"steps": array.concat(steps, [conclusion]),
}

default controlled_value := false

controlled_value if {
	controlled
}

eccn_value := "4E091" if {
	controlled
} else := null

ops_or_null := null if published

ops_or_null := ops(total) if not published
