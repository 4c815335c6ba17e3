# Facts about a deploy_compute plan, named once. All TPP is 3A090.a-level compute owned by
# the owner's whole corporate group (Supp. No. 10 to part 748, para. 6).
package aidf.compute.request

import data.aidf.lib.countries
import rego.v1

as_of := input.as_of

owner := input.owner

hq := owner.headquarters

parent_hq := owner.ultimate_parent_headquarters

veu := object.get(owner, "veu", {})

holds_uveu if veu.uveu == true

nveu_countries := {countries.canonical(c) | some c in object.get(veu, "nveu_countries", [])}

placement := input.placement

# Country codes are canonical here (Hong Kong counts as China); messages name the country as
# the request did ("Hong Kong (HK), treated as China").
country := countries.canonical(placement.country)

named_country := placement.country

source := countries.canonical(placement.transfer_from) if placement.transfer_from

source := null if object.get(placement, "transfer_from", null) == null

is_transfer if source != null

# object.get, not entry.tpp: `not f(undefined)` differs between OPA and regorus.
tpp_of(entry) := entry.tpp if {
	is_number(object.get(entry, "tpp", null))
} else := entry.chips * entry.tpp_per_chip

placement_tpp := tpp_of(placement)

tpp_per_chip := placement.tpp_per_chip if is_number(object.get(placement, "tpp_per_chip", null))

tpp_per_chip := null if not is_number(object.get(placement, "tpp_per_chip", null))

# Linear in the entries (the schema allows thousands): each entry's country is made canonical
# once, the entries are sorted by country (input order kept within a country, so sums add in the
# same order), and each country's run of entries is summed.
_entries := sort([[c, i, t] |
	some i, e in input.installed
	c := countries.canonical(e.country)
	t := tpp_of(e)
])

# Each entry's predecessor's country (null before the first), so a run starts where it differs.
_previous := array.concat([null], [entry[0] | some entry in _entries])

# Where each country's run starts, and the end of the last one.
_bounds := array.concat([i | some i, entry in _entries; _previous[i] != entry[0]], [count(_entries)])

installed[c] := total if {
	count(_entries) > 0
	some k in numbers.range(0, count(_bounds) - 2)
	from := _bounds[k]
	c := _entries[from][0]
	total := sum([entry[2] | some entry in array.slice(_entries, from, _bounds[k + 1])])
}

installed_in(c) := object.get(installed, c, 0)

total := sum([t | some _, t in installed])

outside_supp5a := sum([t | some c, t in installed; not c in supp5a_countries])

# The request's countries (installed base, placement, transfer source) in Supp. No. 5(a) on the
# as-of date, each looked up once.
supp5a_countries := {c | some c in _request_countries; countries.supp5a(c, as_of)}

_request_countries := {c | some c, _ in installed} | {c | some c in [country, source]; c != null}

outside_us := sum([t | some c, t in installed; c != "US"])

new_country := installed_in(country) == 0

