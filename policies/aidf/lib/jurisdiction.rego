# Where the EAR's export events happen (15 CFR 734.13, 734.14, 734.16; "United States" in 772.1).
# A hand-over inside the United States is neither an export, a reexport nor an in-country transfer
# (which happens within a foreign country), so the framework does not reach it. The only
# controlled release inside the United States is a deemed export to a foreign person.
package aidf.lib.jurisdiction

import rego.v1

params := data.aidf.facts.params.jurisdiction

in_united_states(code) if code in params.united_states

# A transfer that happens inside the United States: not subject to the framework.
domestic(transaction, place) if {
	transaction in params.not_subject_transactions
	in_united_states(place)
}

# "export"/"reexport" to a recipient in the United States, or a "domestic_transfer" to one
# abroad: the request contradicts itself.
contradiction(transaction, place) if {
	transaction in {"export", "reexport"}
	in_united_states(place)
}

contradiction(transaction, place) if {
	transaction == "domestic_transfer"
	not in_united_states(place)
}
