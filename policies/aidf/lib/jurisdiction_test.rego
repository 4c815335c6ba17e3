package aidf.lib.jurisdiction_test

import data.aidf.lib.jurisdiction
import rego.v1

test_domestic_transfers_inside_the_united_states if {
	jurisdiction.domestic("domestic_transfer", "US")
	jurisdiction.domestic("in_country_transfer", "US")
	jurisdiction.domestic("domestic_transfer", "PR")
	not jurisdiction.domestic("in_country_transfer", "DE")
	not jurisdiction.domestic("export", "US")
}

test_contradictions if {
	jurisdiction.contradiction("export", "US")
	jurisdiction.contradiction("reexport", "GU")
	jurisdiction.contradiction("domestic_transfer", "DE")
	not jurisdiction.contradiction("export", "DE")
	not jurisdiction.contradiction("in_country_transfer", "US")
	not jurisdiction.contradiction("deemed_export", "US")
}
