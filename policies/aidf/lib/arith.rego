# Exact integer arithmetic. Rego's "/" gives a float on regorus (f64) and an exact decimal on
# OPA, so every limit test and every headroom is computed with integers, corrected here so
# both engines agree to the unit. Products stay inside 64-bit integers: validation caps the
# TPP of one request at 10^13 and no rule multiplies by more than 10^4.
package aidf.lib.arith

import rego.v1

# floor(n / d) for integer n and integer d > 0. Beyond 2^53 the float quotient can be off by
# more than one, so the exact remainder is divided again; that second quotient is small and
# its float is within one of the truth, which fix() corrects. regorus keeps floor()'s result
# a float, and float arithmetic would round the remainder away: format_int and to_number make
# it exact (format_int prints the float's exact value).
floor_div(n, d) := q if {
	q0 := to_number(format_int(floor(n / d), 10))
	r := n - (q0 * d)
	q := q0 + fix(r, d, to_number(format_int(floor(r / d), 10)))
}

# fix(n, d, q): q corrected by one where the float quotient was off (one test per case, in turn).
fix(n, d, q) := q + 1 if n >= (q + 1) * d else := q - 1 if q * d > n else := q

# ceil(n / d) for integer n and integer d > 0.
ceil_div(n, d) := 0 - floor_div(0 - n, d)

# part / whole as a percentage with two decimals, rounded down: 680, 10000 -> "6.80%".
percent(part, whole) := "0%" if whole == 0 else := out if {
	whole > 0
	basis_points := floor_div(part * 10000, whole)
	frac := substring(format_int((basis_points % 100) + 100, 10), 1, 2)
	out := sprintf("%s.%s%%", [format_int(floor_div(basis_points, 100), 10), frac])
}
