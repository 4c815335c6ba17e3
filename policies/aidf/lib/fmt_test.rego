package aidf.lib.fmt_test

import data.aidf.lib.fmt
import rego.v1

test_int_groups_thousands if {
	fmt.int(790000000) == "790,000,000"
	fmt.int(4800) == "4,800"
	fmt.int(480) == "480"
	fmt.int(0) == "0"
	fmt.int(1000) == "1,000"
	fmt.int(-26900000) == "-26,900,000"
}

test_prose_joins_lists if {
	fmt.prose([]) == "none"
	fmt.prose(["Germany"]) == "Germany"
	fmt.prose(["a", "b"]) == "a and b"
	fmt.prose(["a", "b", "c"]) == "a, b and c"
}

test_decimal_is_engine_independent if {
	fmt.decimal(5.92) == "5.92"
	fmt.decimal(19.4) == "19.4"
	fmt.decimal(0.29) == "0.29"
	fmt.decimal(0.0001) == "0.0001"
	fmt.decimal(5) == "5"
	fmt.decimal(9999.9999) == "9999.9999"
}

test_dates_read_as_words if {
	fmt.date("2025-01-13") == "13 January 2025"
	fmt.date("2026-01-05") == "5 January 2026"
}
