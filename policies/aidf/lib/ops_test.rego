package aidf.lib.ops_test

import data.aidf.lib.ops
import rego.v1

test_units_are_exact if {
	ops.units("1e26") == 100000000000000
	ops.units("9.99e25") == 99900000000000
	ops.units("1.31E+26") == 131000000000000
	ops.units("100000000000000000000000000") == 100000000000000
	ops.units("1e28") == 10000000000000000
	ops.units("0") == 0
	ops.units("2.5e25") == 25000000000000
}

test_counts_finer_than_a_unit_are_refused if {
	not ops.units("99999999999999999999999999")
	not ops.units("1000000000001")
	not ops.units("1e11")
	ops.units("99999999999999000000000000") == 99999999999999
	ops.units("1.0e12") == 1
}

test_invalid_strings_have_no_units if {
	not ops.units("1e26 ")
	not ops.units("-1e26")
	not ops.units("1,000")
	not ops.valid(100)
}

test_text_for_lawyers if {
	ops.text(131000000000000) == "1.31 x 10^26"
	ops.text(100000000000000) == "1 x 10^26"
	ops.text(25000000000000) == "2.5 x 10^25"
	ops.text(0) == "0"
}
