"""Regenerate the country-group index the policies look countries up in.

facts/countries lists each group's members (the form the law and reviewers read); the policies
look a country up by its code instead, so a lookup costs the same however long the groups are.
Run after editing facts/countries (``python tools/gen_country_index.py``); the output is
committed and tests/test_rego_speed_shapes.py checks that it is in sync.

Output, facts/country_index/data.json: {"groups": {code: {group: [{"from", "until"}, ...]}}},
one entry per listing of the code in the group, "from" inclusive and "until" exclusive, open ends
written out ("0000-01-01", "9999-12-31"). An alias (Hong Kong) carries the entries of the country
it is treated as (China), so a lookup needs no canonical() first.
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / "policies" / "aidf" / "facts" / "countries" / "data.json"
OUT = ROOT / "policies" / "aidf" / "facts" / "country_index" / "data.json"


def build(countries: dict) -> dict:
    by_code: dict = {}
    for group, spec in sorted(countries["groups"].items()):
        for member in spec["members"]:
            entry = {"from": member.get("from", "0000-01-01"), "until": member.get("until", "9999-12-31")}
            if "allocation_tpp" in member:
                entry["allocation_tpp"] = member["allocation_tpp"]
            by_code.setdefault(member["code"], {}).setdefault(group, []).append(entry)
    for alias, spec in sorted(countries["aliases"].items()):
        if spec["to"] in by_code:
            by_code[alias] = by_code[spec["to"]]
    return {"groups": dict(sorted(by_code.items()))}


def render(countries: dict) -> str:
    return json.dumps(build(countries), indent=1, sort_keys=True) + "\n"


def main() -> None:
    OUT.write_text(render(json.loads(SOURCE.read_text())))
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
