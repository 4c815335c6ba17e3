# Reason and obligation constructors. Wording and citations live in the catalogue
# (facts/catalogue) because regorus cannot read METADATA annotations.
package aidf.lib.result

import rego.v1

catalogue := data.aidf.facts.catalogue.entries

# params: strings only (format numbers with aidf.lib.fmt first).
reason(code, params) := {
	"code": code,
	"message": sprintf(catalogue[code].template, params),
	"citation": catalogue[code].citation,
}

# A reason whose citation is a fact of the case (e.g. the paragraph of the authorization relied on).
reason_citing(code, params, citation) := object.union(reason(code, params), {"citation": citation})

# Record keeping for an authorization relied on: the retention period is data (15 CFR 762.6).
records_obligation(code, params) := obligation(code, params, data.aidf.facts.params.records.retention)

# The decision envelope: the fields every action's decision carries, joined with its own
# (allowed, outcome, summary, reasons, ...). One place, so no action can forget one.
decision(action, as_of, fields) := object.union(
	{
		"action": action,
		"request_id": object.get(input, "request_id", null),
		"as_of": as_of,
		"rule_status": data.aidf.lib.status.status(as_of),
		"policy_revision": data.aidf.facts.params.policy_revision,
	},
	fields,
)

obligation(code, params, due) := {
	"code": code,
	"message": sprintf(catalogue[code].template, params),
	"citation": catalogue[code].citation,
	"due": due,
}

# Parts named in output order, flattened once: flatten([limits, notices, notes]).
flatten(parts) := [item | some part in parts; some item in part]

# Sets of reasons come back in an order each engine picks; sort by code, then message, for
# identical output (equal code and message: the rest of the reason decides). O(n log n).
sorted(s) := [t[2] | some t in sort([[x.code, x.message, x] | some x in s])]
