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
tpp_of(entry) := entry.tpp if is_number(object.get(entry, "tpp", null))

tpp_of(entry) := entry.chips * entry.tpp_per_chip if not is_number(object.get(entry, "tpp", null))

placement_tpp := tpp_of(placement)

tpp_per_chip := placement.tpp_per_chip if is_number(object.get(placement, "tpp_per_chip", null))

tpp_per_chip := null if not is_number(object.get(placement, "tpp_per_chip", null))

installed[c] := total if {
	some e in input.installed
	c := countries.canonical(e.country)
	total := sum([t | some f in input.installed; countries.canonical(f.country) == c; t := tpp_of(f)])
}

installed_in(c) := object.get(installed, c, 0)

total := sum([t | some _, t in installed])

outside_supp5a := sum([t | some c, t in installed; not countries.supp5a(c, as_of)])

outside_us := sum([t | some c, t in installed; c != "US"])

new_country := installed_in(country) == 0

