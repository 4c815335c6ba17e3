package aidf.lib.allocation_test

import data.aidf.lib.allocation
import rego.v1

test_usage_is_inclusive_and_never_negative if {
	u := allocation.usage("lpp_annual_limit", 100, 60, 40)
	u.within_limit
	u.headroom_after == 0
	v := allocation.usage("lpp_annual_limit", 100, 60, 41)
	not v.within_limit
	v.headroom_after == 0
	v.headroom_before == 40
}

test_country_allocation_is_790_million_by_default if {
	a := allocation.country_allocation("MY", "2025-06-01", 700000000, 90000000)
	a.limit_tpp == 790000000
	a.country == "MY"
	a.within_limit
	allocation.reason(a).code == "REV_ALLOCATION_WITHIN"
}
