package aidf.lib.arith_test

import data.aidf.lib.arith
import rego.v1

test_floor_div_is_exact if {
	arith.floor_div(7, 2) == 3
	arith.floor_div(-7, 2) == -4
	arith.floor_div(6, 3) == 2
	arith.floor_div(0, 5) == 0
	arith.floor_div(250000000000000, 75) == 3333333333333
	arith.floor_div(9007199254740000, 3) == 3002399751580000
}

test_ceil_div_is_exact if {
	arith.ceil_div(7, 2) == 4
	arith.ceil_div(-7, 2) == -3
	arith.ceil_div(6, 3) == 2
}

test_percent_rounds_down_to_two_places if {
	arith.percent(7, 100) == "7.00%"
	arith.percent(68, 1000) == "6.80%"
	arith.percent(1, 3) == "33.33%"
	arith.percent(2, 3) == "66.66%"
	arith.percent(0, 0) == "0%"
	arith.percent(5, 5) == "100.00%"
}

# Beyond 2^53 a float quotient is off by more than one; the exact remainder corrects it.
# Compared as strings: regorus compares numbers this large as floats, so == would hide an error.
test_floor_div_exact_beyond_2_53 if {
	format_int(arith.floor_div(79480003827003557, 5), 10) == "15896000765400711"
	format_int(arith.ceil_div(300000000000000001, 7), 10) == "42857142857142858"
	format_int(arith.floor_div(999999999999999999, 1), 10) == "999999999999999999"
}
