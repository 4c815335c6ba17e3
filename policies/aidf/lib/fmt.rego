# Number formatting for reason messages. Engines format floats differently, so messages
# carry integers formatted here (with thousands separators) and strings only.
package aidf.lib.fmt

import rego.v1

# int(790000000) == "790,000,000"
int(n) := concat("", ["-", digits(0 - n)]) if n < 0

int(n) := digits(n) if n >= 0

digits(n) := out if {
	s := format_int(n, 10)
	l := count(s)
	first := ((l - 1) % 3) + 1
	rest := [substring(s, i, 3) | some i in numbers.range(first, l - 1); (i - first) % 3 == 0; i < l]
	out := concat(",", array.concat([substring(s, 0, first)], rest))
}

# A non-negative decimal with at most four places, trailing zeros dropped: 5.92 -> "5.92".
# Engines print floats differently ("1e-07" vs "0.0000001"), so decimals are built from integers.
# Requests are validated to four places, so x * 10000 is within rounding error of an integer.
decimal(x) := out if {
	n := round(x * 10000)
	whole := format_int(floor(n / 10000), 10)
	frac := trim_right(substring(format_int((n % 10000) + 10000, 10), 1, 4), "0")
	out := concat(".", array.concat([whole], [frac | frac != ""]))
}

# A list of strings as prose: ["a", "b", "c"] -> "a, b and c".
prose([]) := "none"

prose(xs) := xs[0] if count(xs) == 1

prose(xs) := concat(" and ", [concat(", ", array.slice(xs, 0, count(xs) - 1)), xs[count(xs) - 1]]) if count(xs) > 1

# "2025-01-13" -> "13 January 2025": dates in messages come from data, never typed into Rego.
date(d) := time.format([time.parse_ns("2006-01-02", d), "UTC", "2 January 2006"])

yes_no(true) := "yes"

yes_no(false) := "no"
