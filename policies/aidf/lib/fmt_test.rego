package aidf.lib.fmt_test

import rego.v1

test_int_groups_thousands if {
	data.aidf.lib.fmt.int(790000000) == "790,000,000"
	data.aidf.lib.fmt.int(4800) == "4,800"
	data.aidf.lib.fmt.int(480) == "480"
	data.aidf.lib.fmt.int(0) == "0"
	data.aidf.lib.fmt.int(1000) == "1,000"
	data.aidf.lib.fmt.int(-26900000) == "-26,900,000"
}

test_prose_joins_lists if {
	data.aidf.lib.fmt.prose([]) == "none"
	data.aidf.lib.fmt.prose(["Germany"]) == "Germany"
	data.aidf.lib.fmt.prose(["a", "b"]) == "a and b"
	data.aidf.lib.fmt.prose(["a", "b", "c"]) == "a, b and c"
}

test_decimal_is_engine_independent if {
	data.aidf.lib.fmt.decimal(5.92) == "5.92"
	data.aidf.lib.fmt.decimal(19.4) == "19.4"
	data.aidf.lib.fmt.decimal(0.29) == "0.29"
	data.aidf.lib.fmt.decimal(0.0001) == "0.0001"
	data.aidf.lib.fmt.decimal(5) == "5"
	data.aidf.lib.fmt.decimal(9999.9999) == "9999.9999"
}
