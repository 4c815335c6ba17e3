# Exact integer arithmetic. Rego's "/" gives a float on regorus (f64) and an exact decimal on
# OPA, so every limit test and every headroom is computed with integers, corrected here so
# both engines agree to the unit. Products stay inside 64-bit integers: validation caps the
# TPP of one request at 10^13 and no rule multiplies by more than 10^4.
package aidf.lib.arith

import rego.v1

# floor(n / d) for integer n and integer d > 0. Beyond 2^53 the float quotient can be off by
# more than one, so the exact remainder is divided again; that second quotient is small and
# its float is within one of the truth, which fix() corrects. regorus keeps floor()'s result
# a float, and float arithmetic would round the remainder away: integer() makes it exact.
floor_div(n, d) := q if {
	q0 := integer(floor(n / d))
	r := n - (q0 * d)
	q := q0 + fix(r, d, integer(floor(r / d)))
}

# A whole number held as a float, as an exact integer (format_int prints the float's exact value).
integer(x) := to_number(format_int(x, 10))

fix(n, d, q) := q + 1 if n >= (q + 1) * d

fix(n, d, q) := q - 1 if q * d > n

fix(n, d, q) := q if {
	q * d <= n
	n < (q + 1) * d
}

# ceil(n / d) for integer n and integer d > 0.
ceil_div(n, d) := 0 - floor_div(0 - n, d)

# part / whole as a percentage with two decimals, rounded down: 680, 10000 -> "6.80%".
percent(_, whole) := "0%" if whole == 0

percent(part, whole) := out if {
	whole > 0
	basis_points := floor_div(part * 10000, whole)
	frac := substring(format_int((basis_points % 100) + 100, 10), 1, 2)
	out := sprintf("%s.%s%%", [format_int(floor_div(basis_points, 100), 10), frac])
}
