"""Regenerate the ISO 3166-1 alpha-2 name table used by the policies and the schemas.

Run by hand when ISO 3166 changes (``python tools/gen_countries.py``); the output is committed.
Names come from pycountry (a dev-only dependency); Taiwan and Korea use the names the EAR uses.
"""
import json
import pathlib

import pycountry

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "policies" / "aidf" / "facts" / "country_names" / "data.json"

# The EAR's own names where ISO's differ in a way a lawyer would trip over.
EAR_NAMES = {
    "TW": "Taiwan",
    "KR": "Republic of Korea",
    "KP": "Korea, North",
    "MO": "Macau",
    "HK": "Hong Kong",
    "CN": "China (PRC)",
    "RU": "Russia",
    "IR": "Iran",
    "SY": "Syria",
    "VE": "Venezuela",
    "VN": "Vietnam",
    "MM": "Burma",
    "CD": "Congo (Democratic Republic of)",
    "GB": "United Kingdom",
    "US": "United States",
}


def main() -> None:
    names = {c.alpha_2: EAR_NAMES.get(c.alpha_2, getattr(c, "common_name", c.name)) for c in pycountry.countries}
    OUT.write_text(json.dumps(dict(sorted(names.items())), indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(names)} countries to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
