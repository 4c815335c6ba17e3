package aidf.weights.model_test

import data.aidf.lib.ops as lib_ops
import data.aidf.testdata.requests
import data.aidf.testdata.requests.weights
import data.aidf.weights.model.chosen_unpublished
import data.aidf.weights.model.counted
import data.aidf.weights.model.determination
import data.aidf.weights.model.total
import rego.v1

controlled(m) if {
	req := data.aidf.testdata.requests.with_model(data.aidf.testdata.requests.weights, m)
	data.aidf.weights.model.controlled with input as req
}

ops(s) := {"name": "m", "weights_published": false, "training_operations": s}

test_exactly_1e26_is_controlled_9_99e25_is_not if {
	controlled(ops("1e26"))
	controlled(ops("100000000000000000000000000"))
	not controlled(ops("9.99e25"))
	not controlled(ops("99999999999999000000000000"))
	controlled(ops("1e28"))
}

test_published_weights_are_never_controlled if {
	not controlled({"name": "m", "weights_published": true, "training_operations": "5e26"})
}

test_synthetic_data_technical_note_3 if {
	# Worked example 16: 8e25 + 1e24 + 5e25 = 1.31e26.
	g := {
		"generator": "G",
		"operations_on_its_data": "2e25",
		"generation_operations": "1e24",
		"generator_weights_published": false,
		"generator_training_operations": "5e25",
	}
	m := object.union(ops("8e25"), {"synthetic_data": [g]})
	controlled(m)
	total == lib_ops.units("1.31e26") with input as requests.with_model(weights, m)
}

test_synthetic_data_needs_more_than_10_percent if {
	# exactly 10% of 8e25 is 8e24: not "more than", so nothing is added
	g := {
		"generator": "G",
		"operations_on_its_data": "8e24",
		"generation_operations": "1e24",
		"generator_weights_published": false,
		"generator_training_operations": "5e25",
	}
	m := object.union(ops("8e25"), {"synthetic_data": [g]})
	not controlled(m)
}

test_only_the_generator_with_most_training_counts if {
	g1 := {
		"generator": "A",
		"operations_on_its_data": "2e25",
		"generation_operations": "1e24",
		"generator_weights_published": false,
		"generator_training_operations": "1e25",
	}
	g2 := {
		"generator": "B",
		"operations_on_its_data": "2e25",
		"generation_operations": "1e24",
		"generator_weights_published": false,
		"generator_training_operations": "3e25",
	}
	req := requests.with_model(weights, object.union(ops("8e25"), {"synthetic_data": [g1, g2]}))
	chosen_unpublished.generator == "B" with input as req
	total == lib_ops.units("1.11e26") with input as req
}

# Technical Note 3: "multiple unpublished data-generation models" compete; a published-weight
# generator, however large its training, never hides an unpublished one. Here the published P
# (5e25 training) adds only its 1e24 generation; the unpublished U adds 1e24 + 1.5e25; 8e25 +
# 1e24 + 1.6e25 = 9.7e25 stays below 1e26, while choosing P alone would have given 8.1e25.
test_a_published_generator_never_hides_an_unpublished_one if {
	pub := {
		"generator": "P",
		"operations_on_its_data": "2e25",
		"generation_operations": "1e24",
		"generator_weights_published": true,
		"generator_training_operations": "5e25",
	}
	unpub := {
		"generator": "U",
		"operations_on_its_data": "2e25",
		"generation_operations": "1e24",
		"generator_weights_published": false,
		"generator_training_operations": "1.5e25",
	}
	req := requests.with_model(weights, object.union(ops("8e25"), {"synthetic_data": [pub, unpub]}))
	[g.generator | some g in counted] == ["P", "U"] with input as req
	total == lib_ops.units("9.7e25") with input as req
}

test_an_unpublished_generator_pushes_over_the_line_beside_a_published_one if {
	pub := {
		"generator": "P",
		"operations_on_its_data": "2e25",
		"generation_operations": "1e24",
		"generator_weights_published": true,
		"generator_training_operations": "5e25",
	}
	unpub := {
		"generator": "U",
		"operations_on_its_data": "2e25",
		"generation_operations": "1e24",
		"generator_weights_published": false,
		"generator_training_operations": "2e25",
	}
	controlled(object.union(ops("8e25"), {"synthetic_data": [pub, unpub]}))
}

test_published_generator_adds_only_generation if {
	g := {
		"generator": "G",
		"operations_on_its_data": "2e25",
		"generation_operations": "1e24",
		"generator_weights_published": true,
		"generator_training_operations": "5e25",
	}
	not controlled(object.union(ops("8e25"), {"synthetic_data": [g]}))
}

test_nothing_counted_twice if {
	g := {
		"generator": "G",
		"operations_on_its_data": "2e25",
		"generation_operations": "1e24",
		"generator_weights_published": false,
		"generator_training_operations": "5e25",
		"already_counted_operations": "5e25",
	}
	not controlled(object.union(ops("8e25"), {"synthetic_data": [g]}))
}

test_derived_from_published_note_1 if {
	# Worked example 14: threshold is max(2.5e25, 25% of 1.2e26 = 3e25) = 3e25.
	base := {"name": "ft", "weights_published": false, "training_operations": "1.6e26"}
	at_3e25 := {"base_model_operations": "1.2e26", "additional_operations": "3e25"}
	just_over_3e25 := {"base_model_operations": "1.2e26", "additional_operations": "3.0000000000001e25"}
	over_3e25 := {"base_model_operations": "1.2e26", "additional_operations": "4e25"}
	not controlled(object.union(base, {"derived_from_published_model": at_3e25}))
	controlled(object.union(base, {"derived_from_published_model": just_over_3e25}))
	controlled(object.union(base, {"derived_from_published_model": over_3e25}))
}

test_derived_floor_is_2_5e25_for_small_bases if {
	m := {
		"name": "ft",
		"weights_published": false,
		"training_operations": "1.05e26",
		"derived_from_published_model": {"base_model_operations": "8e25", "additional_operations": "2.5e25"},
	}
	not controlled(m)
}

test_note_2_finding_excludes if {
	not controlled(object.union(ops("1.5e26"), {"less_capable_than_most_advanced_published": true}))
}

test_note_2_published_threshold_is_dated_data if {
	req := requests.with_model(weights, ops("1.5e26"))
	thresholds := [{"from": "2026-01-01", "operations": "2e26", "source": "example BIS guidance"}]
	not data.aidf.weights.model.controlled with input as req
		with data.aidf.facts.params.weights.note2_published_thresholds as thresholds
	data.aidf.weights.model.controlled with input as object.union(req, {"as_of": "2025-12-31"})
		with data.aidf.facts.params.weights.note2_published_thresholds as thresholds
}

test_steps_show_the_arithmetic if {
	d := determination with input as weights
	[s.code | some s in d.steps] == ["W_TRAINING", "W_TOTAL_REACHES", "W_CONTROLLED"]
	d.total_operations == "3 x 10^26"
}
