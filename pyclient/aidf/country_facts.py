"""What the policy data says about countries and the rule's dates, shaped for people.

Everything comes from the policy data (facts/countries, country_names, params, history,
catalogue) as the policies load it (AIDF_POLICY_DIR respected); nothing here is typed in.

The tier is derived exactly as policies/aidf/lib/countries.rego derives it (tests hold the two
together): Tier 3 = Macau or Country Group D:5 on the date; else Tier 1 = Supp. No. 5 to
part 740 para. (a); else Tier 2. A membership runs from "from" (inclusive) to "until"
(exclusive, the day the change took effect); an alias (Hong Kong) takes the groups of the
country it is treated as.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import re
import unicodedata

from . import policy_set, resources

# How the policy ranks the groups that decide a tier (lib/countries.rego tier_of).
_TIER3_GROUPS = ("macau", "d5")
_TIER1_GROUP = "supp5a"
_ALLOCATION_GROUP = "supp5b"

TIERS = (1, 2, 3)

# The enforcement codes of rule_status (lib/status.rego), in words.
ENFORCEMENT_WORDS = {
    "as_written": "enforced as written",
    "non_enforcement_announced": "BIS has announced it will not enforce the rule",
    "non_enforcement_except_d5_macau_headquarters":
        "not enforced, except the licence requirement for Macau/D:5-headquartered entities",
}

# The tier structure itself, as the rule states it (for the reader; the groups carry their own citations).
TIER_DEFINITION = ("Tier 1 = Supp. No. 5 to part 740 para. (a); Tier 3 = Macau and Country Group D:5; "
                   "Tier 2 = every other destination")
TIER_CITATION = "15 CFR 740.27; Supp. No. 5 to part 740; 15 CFR 742.6(b)(10)(iii)"

_OPEN_FROM, _OPEN_UNTIL = "0000-01-01", "9999-12-31"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


class UnknownCountry(ValueError):
    """Not a country code or name in facts/country_names; the message suggests close matches."""


class UnknownGroup(ValueError):
    """Not a group of facts/countries; the message names the accepted spellings."""


def today() -> str:
    """Today as the policy's default as-of date (UTC, as aidf.api)."""
    return dt.datetime.now(dt.timezone.utc).date().isoformat()


def date_words(iso: str) -> str:
    """2024-04-04 -> "4 April 2024" (as the Federal Register and the data's sources write dates)."""
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _folded(text: str) -> str:
    """Lower case, accents dropped, spaces collapsed: "Côte d'Ivoire" and "cote d'ivoire" match."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def _group_token(text: str) -> str:
    """A group spelling reduced to letters and digits: "D:5", "d5", "Supp. No. 5(a)", "supp5a" and
    "Country Group D:5" all reduce to their key's token."""
    token = re.sub(r"[^a-z0-9]", "", _folded(text))
    token = re.sub(r"^(countrygroup|group)", "", token)
    return token.replace("supplementno", "supp").replace("supplement", "supp").replace("suppno", "supp")


@dataclasses.dataclass(frozen=True)
class Period:
    """One listing of a country in a group: from (inclusive) until (exclusive); None = open."""

    start: str | None
    end: str | None
    allocation_tpp: int | None = None

    def holds_on(self, day: str) -> bool:
        return (self.start or _OPEN_FROM) <= day < (self.end or _OPEN_UNTIL)

    def to_dict(self) -> dict:
        out = {"from": self.start, "until": self.end}
        if self.allocation_tpp is not None:
            out["allocation_tpp"] = self.allocation_tpp
        return out


class CountryFacts:
    """The facts tree (data.aidf.facts) with the questions the workbench asks of it."""

    def __init__(self, facts: dict):
        self.facts = facts
        self.countries = facts["countries"]
        self.groups = self.countries["groups"]
        self.aliases = self.countries.get("aliases", {})
        self.names: dict[str, str] = facts["country_names"]
        self.params = facts["params"]
        self.catalogue = facts.get("catalogue", {})
        self.history = facts.get("history", {})

    # -- names, codes, groups -----------------------------------------------------------------

    @property
    def revision(self) -> str | None:
        return self.params.get("policy_revision")

    def codes(self) -> list[str]:
        return sorted(self.names)

    def canonical(self, code: str) -> str:
        """Hong Kong is treated as China: the code whose groups apply."""
        return self.aliases.get(code, {}).get("to", code)

    def place(self, code: str) -> str:
        """"Germany (DE)"; an alias says what it is treated as."""
        words = self.aliases.get(code, {}).get("words")
        return f"{self.names[code]} ({code})" + (f", treated as {words}" if words else "")

    def _name_index(self) -> dict[str, str]:
        """Folded name -> code. A name's short form ("China" for "China (PRC)") counts only when
        no other country has it as its name."""
        full = {_folded(name): code for code, name in self.names.items()}
        short: dict[str, set[str]] = {}
        for code, name in self.names.items():
            stripped = _folded(re.sub(r"\s*\([^)]*\)", "", name))
            if stripped and stripped not in full:
                short.setdefault(stripped, set()).add(code)
        return {**{k: next(iter(v)) for k, v in short.items() if len(v) == 1}, **full}

    def resolve_country(self, text: str) -> str:
        """A code in any case ("de") or a name ("Germany", "germany", "Cote d'Ivoire")."""
        cleaned = text.strip()
        if cleaned.upper() in self.names:
            return cleaned.upper()
        index = self._name_index()
        folded = _folded(cleaned)
        if folded in index:
            return index[folded]
        raise UnknownCountry(f"unknown country {text!r}{self._suggestions(folded, index)}")

    def _suggestions(self, folded: str, index: dict[str, str]) -> str:
        """Close spellings (difflib), then names sharing a word with the query ("south korea")."""
        choices = {**index, **{code.casefold(): code for code in self.names}}
        close = difflib.get_close_matches(folded, list(choices), n=4, cutoff=0.6)
        words = {w for w in re.findall(r"[a-z]{4,}", folded)}
        sharing = sorted((name for name in index if words & set(re.findall(r"[a-z]{4,}", name))),
                         key=lambda name: -difflib.SequenceMatcher(None, folded, name).ratio())
        suggested = list(dict.fromkeys(choices[c] for c in [*close, *sharing]))[:5]
        if suggested:
            return f"; did you mean {', '.join(self.place(c) for c in suggested)}?"
        return "; give an ISO 3166-1 alpha-2 code (e.g. DE) or an English name (see aidf countries)"

    def label(self, key: str) -> str:
        """A group's short name: "D:5", "A:6", "Supp. No. 5(a)", "Macau"."""
        match = re.fullmatch(r"([a-z])(\d+)", key)
        if match:
            return f"{match.group(1).upper()}:{match.group(2)}"
        match = re.fullmatch(r"supp(\d+)([a-z])", key)
        if match:
            return f"Supp. No. {match.group(1)}({match.group(2)})"
        return self.groups[key].get("title", key)

    def accepted_groups(self) -> str:
        labels = ", ".join(self.label(key) for key in self.groups)
        return f"{labels} (any case; or {', '.join(self.groups)})"

    def resolve_group(self, text: str) -> str:
        """D:5, d5, D5, Supp5a, "Supp. No. 5(a)", A:5, Macau... -> the group's key in facts/countries."""
        token = _group_token(text)
        for key, spec in self.groups.items():
            if token in {_group_token(key), _group_token(self.label(key)), _group_token(spec.get("title", key))}:
                return key
        raise UnknownGroup(f"unknown country group {text!r}; accepted: {self.accepted_groups()}")

    # -- memberships and tiers ----------------------------------------------------------------

    def periods(self, code: str) -> dict[str, list[Period]]:
        """Group key -> the listings of the country (of the country an alias is treated as), in the
        data's group order."""
        target = self.canonical(code)
        found: dict[str, list[Period]] = {}
        for key, spec in self.groups.items():
            for member in spec.get("members", []):
                if member.get("code") == target:
                    found.setdefault(key, []).append(
                        Period(member.get("from"), member.get("until"), member.get("allocation_tpp")))
        return found

    def groups_on(self, code: str, day: str) -> list[str]:
        return [key for key, listed in self.periods(code).items() if any(p.holds_on(day) for p in listed)]

    @staticmethod
    def tier_of(groups) -> int:
        if any(g in groups for g in _TIER3_GROUPS):
            return 3
        return 1 if _TIER1_GROUP in groups else 2

    def tier(self, code: str, day: str) -> int:
        return self.tier_of(self.groups_on(code, day))

    def _cited_group(self, key: str) -> str:
        return f"{self.groups[key].get('title', key)} [{self.groups[key].get('citation', '')}]"

    def tier_basis(self, code: str, day: str) -> dict:
        """Why the country has its tier on the day: the deciding groups and their citations."""
        groups = self.groups_on(code, day)
        tier = self.tier_of(groups)
        if tier == 3:
            deciding = [g for g in _TIER3_GROUPS if g in groups]
            words = "in " + " and ".join(self._cited_group(g) for g in deciding)
            if _TIER1_GROUP in groups:
                words += f"; also in {self._cited_group(_TIER1_GROUP)}, but Macau and D:5 prevail"
        elif tier == 1:
            deciding = [_TIER1_GROUP]
            words = "in " + self._cited_group(_TIER1_GROUP)
        else:
            deciding = []
            words = "in neither " + " nor ".join(self._cited_group(g) for g in (_TIER1_GROUP, *_TIER3_GROUPS))
        return {"tier": tier, "deciding_groups": deciding, "why": words, "explanation": f"Tier {tier} on {day}: {words}",
                "citations": [self.groups[g].get("citation") for g in (deciding or (_TIER1_GROUP, *_TIER3_GROUPS))]}

    def tier_history(self, code: str) -> list[dict]:
        """The country's tier from the rule's effective date on, one entry per change."""
        start = self.params["dates"]["effective"]
        edges = {start}
        for listed in self.periods(code).values():
            for p in listed:
                edges.update(e for e in (p.start, p.end) if e and e > start)
        history: list[dict] = []
        for edge in sorted(edges):
            tier = self.tier(code, edge)
            if history and history[-1]["tier"] == tier:
                continue
            if history:
                history[-1]["until"] = edge
            history.append({"from": edge, "until": None, "tier": tier})
        return history

    # -- allocations --------------------------------------------------------------------------

    def _catalogue_entry(self, code: str) -> dict:
        return self.catalogue.get("entries", {}).get(code, {})

    def allocation_tpp(self, code: str, day: str) -> int | None:
        """The Tier 2 country allocation on the day (raised for Supp. No. 5(b)); None outside Tier 2."""
        if self.tier(code, day) != 2:
            return None
        for p in self.periods(code).get(_ALLOCATION_GROUP, []):
            if p.holds_on(day) and p.allocation_tpp is not None:
                return p.allocation_tpp
        return self.params["allocation"]["default_tpp"]

    def allocation(self, code: str, day: str) -> dict:
        """The country allocation (Supp. No. 5 para. (b); 742.6(b)(10)(iii)) as a reader needs it."""
        tier = self.tier(code, day)
        params = self.params["allocation"]
        outcomes = self.catalogue.get("outcomes", {})
        if tier == 1:
            entry = self._catalogue_entry("REV_SUPP5A_APPROVAL")
            return {"applies": False, "tpp": None, "summary": outcomes.get("no_allocation"),
                    "citation": entry.get("citation")}
        if tier == 3:
            entry = self._catalogue_entry("REV_D5_DENIAL")
            return {"applies": False, "tpp": None, "summary": outcomes.get("presumption_of_denial"),
                    "citation": entry.get("citation")}
        tpp = self.allocation_tpp(code, day)
        raised = any(p.holds_on(day) for p in self.periods(code).get(_ALLOCATION_GROUP, []))
        after_period = day > params["last_day_set"]
        citation = self._catalogue_entry("REV_SUPP5B").get("citation") if raised else params.get("_source")
        period = f"for {params['period']}"
        if after_period:
            period = f"set for {params['period']}; none is set for {day[:4]}, so the last one set applies"
        summary = (f"{tpp:,} TPP {period} (cumulative; presumption of approval within it, policy of denial "
                   f"beyond it)" + ("; raised: listed in Supp. No. 5(b)" if raised else ""))
        out = {"applies": True, "tpp": tpp, "period": params["period"], "supp5b": raised, "summary": summary,
               "citation": citation}
        if after_period:
            out["note"] = params.get("_after")
        return out

    def nveu(self, code: str, day: str) -> dict | None:
        """The NVEU installed-base schedule (Table 1 to 748.15(a)(2)(iii)(B)) for a country where a
        Data Center VEU may be placed (not Macau or D:5, as compute/eligibility.rego); else None."""
        if self.tier(code, day) == 3:
            return None
        veu = self.params["veu"]
        schedule = sorted(veu["nveu_allocations"], key=lambda e: e["from"])
        current = [e["from"] for e in schedule if e["from"] <= day]
        rows = [{**e, "in_force": bool(current) and e["from"] == current[-1]} for e in schedule]
        out = {"schedule": rows, "source": veu.get("_source"),
               "meaning": "cumulative installed base per NVEU holder in this country; it does not count "
                          "against the country allocation"}
        if day > self.params["allocation"]["last_day_set"]:
            template = self._catalogue_entry("NVEU_AFTER_SET_PERIOD").get("template")
            if template:
                out["note"] = template.replace("%s", day[:4], 1)
        return out

    def jurisdiction(self, code: str) -> dict | None:
        """Whether the code is part of the "United States" of the EAR (shipments there are not exports)."""
        spec = self.params.get("jurisdiction", {})
        if code not in spec.get("united_states", []):
            return None
        return {"united_states": True, "source": spec.get("_source")}

    # -- one country, many countries ----------------------------------------------------------

    def row(self, code: str, day: str) -> dict:
        """One line of `aidf countries`."""
        return {"code": code, "name": self.names[code], "tier": self.tier(code, day),
                "groups": self.groups_on(code, day), "allocation_tpp": self.allocation_tpp(code, day),
                **({"treated_as": self.canonical(code)} if code in self.aliases else {})}

    def rows(self, day: str, *, tier: int | None = None, group: str | None = None) -> list[dict]:
        rows = (self.row(code, day) for code in self.codes())
        return [r for r in rows if (tier is None or r["tier"] == tier) and (group is None or group in r["groups"])]

    def describe(self, code: str, day: str) -> dict:
        """Everything `aidf country` shows, with the source of each fact."""
        groups = []
        on_day = set(self.groups_on(code, day))
        for key, listed in self.periods(code).items():
            spec = self.groups[key]
            groups.append({"key": key, "label": self.label(key), "title": spec.get("title"),
                           "member_on_as_of": key in on_day, "periods": [p.to_dict() for p in listed],
                           "citation": spec.get("citation"), "source": spec.get("source"),
                           **({"confidence": spec["confidence"]} if "confidence" in spec else {})})
        alias = self.aliases.get(code)
        effective = self.params["dates"]["effective"]
        return {
            "code": code,
            "name": self.names[code],
            "as_of": day,
            "policy_revision": self.revision,
            "rule_in_effect": effective <= day,
            "rule_effective": effective,
            "treated_as": ({"code": alias["to"], "name": self.names.get(alias["to"]), "why": alias.get("why")}
                           if alias else None),
            "aliases": [{"code": other, "name": self.names.get(other), "why": spec.get("why")}
                        for other, spec in sorted(self.aliases.items()) if spec.get("to") == code],
            "tier": self.tier(code, day),
            "tier_basis": self.tier_basis(code, day),
            "tier_history": self.tier_history(code),
            "groups": groups,
            "allocation": self.allocation(code, day),
            "nveu": self.nveu(code, day),
            "jurisdiction": self.jurisdiction(code),
        }

    # -- the rule's dates ---------------------------------------------------------------------

    def timeline(self) -> list[dict]:
        """The rule's dates in order, each with its source: the history events, any date in
        params.dates they do not cover, the dated parameters around the rule, and the changes of
        country-group membership."""
        events = [{**e, "kind": "rule"} for e in self.history.get("events", [])]
        covered = {e.get("code") for e in events}
        for key, day in self.params.get("dates", {}).items():
            if key not in covered:
                events.append({"date": day, "code": key, "kind": "rule", "summary": key.replace("_", " "),
                               "citation": "policy data (params.dates)"})
        events.extend(self._dated_parameters())
        events.extend(self._group_changes())
        return sorted(events, key=lambda e: (e["date"], e["kind"] != "rule", e["code"]))

    def _dated_parameters(self) -> list[dict]:
        """Dates the policies use beyond params.dates, with the clause of their _source that names them."""
        wanted = [("baseline", "from", "baseline",
                   "The pre-framework rules on advanced computing take effect (the enforced view's baseline)"),
                  ("baseline", "aca_from", "baseline_aca", "License Exception ACA split from NAC"),
                  ("ic_designer", "from", "ic_designer",
                   "AIA and ACM reach certain items only if designed by an approved or authorized IC designer"),
                  ("allocation", "last_day_set", "allocation_period_ends",
                   f"Last day of the period ({self.params.get('allocation', {}).get('period')}) for which the "
                   "rule sets country allocations and NVEU caps")]
        out = []
        for section, field, code, headline in wanted:
            spec = self.params.get(section, {})
            day = spec.get(field)
            if not isinstance(day, str):
                continue
            source = spec.get("_source", "")
            citation, detail = _clause_for(source, day)
            if code == "allocation_period_ends":
                detail = spec.get("_after", "")
            out.append({"date": day, "code": code, "kind": "related", "summary": headline,
                        **({"detail": detail} if detail else {}), "citation": citation})
        return out

    def _group_changes(self) -> list[dict]:
        out = []
        for key, spec in self.groups.items():
            for member in spec.get("members", []):
                code = member.get("code")
                for edge, verb in ((member.get("from"), "added to"), (member.get("until"), "removed from")):
                    if not edge:
                        continue
                    before = self.tier(code, (dt.date.fromisoformat(edge) - dt.timedelta(days=1)).isoformat())
                    after = self.tier(code, edge)
                    # Tiers exist from the rule's effective date on; an earlier change just sets the start.
                    framework = edge >= self.params["dates"]["effective"]
                    change = f"; Tier {before} -> Tier {after}" if before != after and framework else ""
                    if verb == "added to" and "allocation_tpp" in member:
                        change += f"; country allocation {member['allocation_tpp']:,} TPP"
                    out.append({"date": edge, "code": f"{key}:{code}", "kind": "country_group",
                                "summary": f"{self.place(code)} {verb} {spec.get('title', key)}{change}",
                                "citation": spec.get("citation"), "detail": spec.get("source")})
        return out


def _clause_for(source: str, day: str) -> tuple[str, str]:
    """The clause of a _source text that names the date ("88 FR 73458 (17 November 2023): ...")
    split into its citation and its detail; the whole source when no clause names the date."""
    words = date_words(day)
    for clause in source.split(";"):
        if words in clause:
            citation, _, detail = clause.strip().partition(": ")
            return citation.strip(), detail.strip()
    return source, ""


def date_problem(day: str) -> str | None:
    """Why aidf cannot work on this date (outside the request schemas' date range), or None."""
    spec = json.loads((resources.schemas_dir() / "common.schema.json").read_text())["$defs"]["date"]
    if re.search(spec["pattern"], day):
        return None
    bounds = re.search(r"from (\S+) to (\S+?)\.", spec.get("description", ""))
    within = f" ({bounds.group(1)} to {bounds.group(2)})" if bounds else ""
    return f"{day} is outside the dates aidf evaluates{within}"


def load() -> CountryFacts:
    """The facts of the policies aidf runs (the shipped tree, or AIDF_POLICY_DIR)."""
    return CountryFacts(policy_set.shipped().data["aidf"]["facts"])


def rule_status(days, *, engine_name: str = "regorus") -> dict[str, dict]:
    """The rule's status on each day, as the policy itself reports it (rule_status of a
    country_allocation decision, the cheapest action). Raises aidf.EngineError."""
    from . import api

    statuses = {}
    for day in sorted(set(days)):
        request = {"action": "country_allocation", "country": "US", "licensed_tpp": 0, "proposed_tpp": 0}
        status = api.evaluate(request, as_of=day, engine_name=engine_name).document.get("rule_status") or {}
        statuses[day] = {k: status.get(k) for k in ("code", "label", "enforcement")}
    return statuses
