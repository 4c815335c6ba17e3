# Training-operation counts (10^24 .. 10^28) exactly, on both engines.
#
# regorus holds integers beyond 64 bits as floats, so 99999999999999999999999999 >= 10^26 would
# be true there and false on OPA. Requests therefore give operation counts as decimal strings
# ("3e26", "1.31e26", "120000000000000000000000000"), and policies work in integer units of
# 10^12 operations: 10^28 is 10^16 units, so sums and x100 percentages stay exact in int64.
# A count must be a whole number of units (at most 14 significant digits at 10^26); anything
# finer has no units here and is an input error, so every comparison is exact.
package aidf.lib.ops

import rego.v1

unit_exponent := 12

pattern := `^(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+]?[0-9]{1,3})?$`

valid(s) if {
	is_string(s)
	regex.match(pattern, s)
}

_pow10 := [
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
	10000000000, 100000000000, 1000000000000, 10000000000000, 100000000000000,
	1000000000000000, 10000000000000000, 100000000000000000,
]

# units("1.31e26") == 131000000000000
units(s) := u if {
	valid(s)
	parts := split(lower(s), "e")
	mantissa := split(parts[0], ".")
	frac := _fraction(mantissa)
	digits := concat("", [mantissa[0], frac])
	u := _scaled(digits, (_exponent(parts) - count(frac)) - unit_exponent)
}

_exponent(parts) := 0 if count(parts) == 1

_exponent(parts) := _whole(trim_left(parts[1], "+")) if count(parts) == 2

_fraction(mantissa) := "" if count(mantissa) == 1

_fraction(mantissa) := mantissa[1] if count(mantissa) == 2

_whole(s) := 0 if trim_left(s, "0") == ""

_whole(s) := to_number(trim_left(s, "0")) if trim_left(s, "0") != ""

_scaled(digits, shift) := _whole(digits) * _pow10[shift] if shift >= 0

_scaled(digits, shift) := _whole(head) if {
	shift < 0
	keep := max([0, count(digits) + shift])
	head := substring(digits, 0, keep)
	trim_left(substring(digits, keep, count(digits) - keep), "0") == ""
}

# "1.31 x 10^26" from units; "0" for zero.
text(u) := "0" if u == 0

text(u) := out if {
	u > 0
	s := format_int(u, 10)
	power := (count(s) - 1) + unit_exponent
	out := sprintf("%s x 10^%s", [_mantissa_text(s), format_int(power, 10)])
}

_mantissa_text(s) := substring(s, 0, 1) if trim_right(substring(s, 1, count(s) - 1), "0") == ""

_mantissa_text(s) := concat(".", [substring(s, 0, 1), rest]) if {
	rest := trim_right(substring(s, 1, count(s) - 1), "0")
	rest != ""
}
