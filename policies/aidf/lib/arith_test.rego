package aidf.lib.arith_test

import rego.v1

test_floor_div_is_exact if {
	data.aidf.lib.arith.floor_div(7, 2) == 3
	data.aidf.lib.arith.floor_div(-7, 2) == -4
	data.aidf.lib.arith.floor_div(6, 3) == 2
	data.aidf.lib.arith.floor_div(0, 5) == 0
	data.aidf.lib.arith.floor_div(250000000000000, 75) == 3333333333333
	data.aidf.lib.arith.floor_div(9007199254740000, 3) == 3002399751580000
}

test_ceil_div_is_exact if {
	data.aidf.lib.arith.ceil_div(7, 2) == 4
	data.aidf.lib.arith.ceil_div(-7, 2) == -3
	data.aidf.lib.arith.ceil_div(6, 3) == 2
}

test_percent_rounds_down_to_two_places if {
	data.aidf.lib.arith.percent(7, 100) == "7.00%"
	data.aidf.lib.arith.percent(68, 1000) == "6.80%"
	data.aidf.lib.arith.percent(1, 3) == "33.33%"
	data.aidf.lib.arith.percent(2, 3) == "66.66%"
	data.aidf.lib.arith.percent(0, 0) == "0%"
	data.aidf.lib.arith.percent(5, 5) == "100.00%"
}
