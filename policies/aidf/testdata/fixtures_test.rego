# Shared inputs for the Rego unit tests. A _test.rego file, so it never ships in a bundle or loads for decisions.
package aidf.testdata.requests

import rego.v1

h100 := {
	"description": "H100",
	"quantity": 1000,
	"tpp_per_unit": 15832,
	"performance_density": 19.4,
	"designed_for_data_centers": true,
}

# A US company shipping H100s to its own data center in Germany.
base := {
	"action": "export_chips",
	"as_of": "2025-06-01",
	"transaction": "export",
	"destination": "DE",
	"end_use": "data_center",
	"direct_to_ultimate_consignee": true,
	"ultimate_consignee": {
		"name": "Example GmbH",
		"located_in": "DE",
		"headquarters": "US",
		"ultimate_parent_headquarters": "US",
		"foreign_government_owned_or_controlled": false,
	},
	"items": [h100],
}

# The base request moved to `country`, with the consignee headquartered in hq (parent too).
at(country, hq) := object.union(base, {
	"destination": country,
	"ultimate_consignee": {"located_in": country, "headquarters": hq, "ultimate_parent_headquarters": hq},
})

with_items(req, items) := object.union(req, {"items": items})

chip(tpp, density, dc) := {
	"description": "chip",
	"quantity": 1,
	"tpp_per_unit": tpp,
	"performance_density": density,
	"designed_for_data_centers": dc,
}

codes(reasons) := {r.code | some r in reasons}

# A US-headquartered UVEU with 1,000,000,000 TPP installed.
plan := {
	"action": "deploy_compute",
	"as_of": "2026-02-01",
	"owner": {
		"name": "Example Cloud Inc.",
		"headquarters": "US",
		"ultimate_parent_headquarters": "US",
		"veu": {"uveu": true},
	},
	"installed": [
		{"country": "US", "tpp": 600000000},
		{"country": "DE", "tpp": 300000000},
		{"country": "JP", "tpp": 100000000},
	],
	"placement": {"country": "MY", "tpp": 10000000, "notice_given_on": "2025-01-13"},
}

place_in(country, tpp) := object.union(plan, {"placement": {"country": country, "tpp": tpp}})

frontier := {"name": "Frontier-3", "weights_published": false, "training_operations": "3e26"}

# A US lab exports Frontier-3's weights to its own cluster in the UAE.
weights := {
	"action": "transfer_model_weights",
	"as_of": "2026-03-01",
	"transaction": "export",
	"model": frontier,
	"recipient": {
		"name": "Frontier Labs UAE",
		"located_in": "AE",
		"headquarters": "US",
		"ultimate_parent_headquarters": "US",
	},
	"storage": {"meets_supp10_paragraphs_14_15_18": true},
}

with_model(req, model) := object.union(req, {"model": model})

# A US cloud trains a 1.2 x 10^26 model for the US subsidiary of an Indian company (worked example 17).
training := {
	"action": "train_model",
	"as_of": "2026-03-01",
	"service": "iaas_training",
	"provider": {"name": "US Cloud", "headquarters": "US", "ultimate_parent_headquarters": "US", "data_center_veu": true},
	"customer": {"name": "IndiaCo US", "headquarters": "US", "ultimate_parent_headquarters": "IN"},
	"training_location": "US",
	"model": {"name": "customer model", "weights_published": false, "training_operations": "1.2e26"},
}
