package aidf.lib.jurisdiction_test

import rego.v1

test_domestic_transfers_inside_the_united_states if {
	data.aidf.lib.jurisdiction.domestic("domestic_transfer", "US")
	data.aidf.lib.jurisdiction.domestic("in_country_transfer", "US")
	data.aidf.lib.jurisdiction.domestic("domestic_transfer", "PR")
	not data.aidf.lib.jurisdiction.domestic("in_country_transfer", "DE")
	not data.aidf.lib.jurisdiction.domestic("export", "US")
}

test_contradictions if {
	data.aidf.lib.jurisdiction.contradiction("export", "US")
	data.aidf.lib.jurisdiction.contradiction("reexport", "GU")
	data.aidf.lib.jurisdiction.contradiction("domestic_transfer", "DE")
	not data.aidf.lib.jurisdiction.contradiction("export", "DE")
	not data.aidf.lib.jurisdiction.contradiction("in_country_transfer", "US")
	not data.aidf.lib.jurisdiction.contradiction("deemed_export", "US")
}
