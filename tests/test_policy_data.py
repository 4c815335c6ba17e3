"""The policy data is complete and consistent: a policy author's safety net."""
from __future__ import annotations

import json
import re
import sys

import pytest

from aidf import policy_set
from conftest import ROOT

POLICIES = policy_set.load()
FACTS = POLICIES.data["aidf"]["facts"]
CATALOGUE = FACTS["catalogue"]["entries"]
ALL_REGO = "\n".join(text for _, text in POLICIES.modules)
REGO_WITHOUT_COMMENTS = re.sub(r"#[^\n]*", "", ALL_REGO)


def test_every_code_the_policies_use_is_in_the_catalogue():
    used = set(re.findall(r'\.(?:reason|obligation)\(\s*"([A-Z0-9_]+)"', ALL_REGO))
    used |= {f"OBL_{kind}_LIMITS" for kind in ("UVEU", "NVEU")}  # built with sprintf
    assert used, "no codes found"
    assert sorted(used - set(CATALOGUE)) == []


def test_every_catalogue_entry_is_used():
    used = set(re.findall(r'"([A-Z][A-Z0-9_]+)"', ALL_REGO)) | {"OBL_UVEU_LIMITS", "OBL_NVEU_LIMITS"}
    assert sorted(set(CATALOGUE) - used) == []


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_templates_take_only_strings_and_cite_the_rule(code):
    entry = CATALOGUE[code]
    verbs = re.findall(r"%(.)", entry["template"])
    assert set(verbs) <= {"s", "%"}, f"{code}: use %s only (format numbers in Rego with aidf.lib.fmt); escape % as %%"
    assert re.search(r"CFR|ECCN|FR |BIS|Supp\.", entry["citation"]), entry["citation"]


def test_schemas_common_is_generated_from_the_data():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import gen_schemas
    finally:
        sys.path.pop(0)
    committed = json.loads((ROOT / "schemas" / "common.schema.json").read_text())
    assert committed == gen_schemas.build(), "run `python tools/gen_schemas.py`"


def test_country_groups_use_known_codes_and_iso_dates():
    names = FACTS["country_names"]
    for group, spec in FACTS["countries"]["groups"].items():
        for member in spec["members"]:
            assert member["code"] in names, (group, member)
            for key in ("from", "until"):
                if key in member:
                    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", member[key]), (group, member)


def test_supp5a_is_the_united_states_plus_18():
    codes = {m["code"] for m in FACTS["countries"]["groups"]["supp5a"]["members"]}
    assert len(codes) == 19 and "US" in codes


def test_supp5b_allocations_never_exceed_double():
    cap = FACTS["params"]["allocation"]["max_supp5b_tpp"]
    assert cap == 2 * FACTS["params"]["allocation"]["default_tpp"]
    for member in FACTS["countries"]["groups"]["supp5b"]["members"]:
        assert 0 < member["allocation_tpp"] <= cap


def test_tiers_do_not_overlap():
    groups = FACTS["countries"]["groups"]
    supp5a = {m["code"] for m in groups["supp5a"]["members"]}
    tier3 = {m["code"] for m in groups["d5"]["members"]} | {"MO"}
    assert not supp5a & tier3


def test_numbers_live_in_data_not_in_policies():
    # Thresholds and caps must come from facts/params; a literal in Rego would hide from policy authors.
    for number in ("4800", "5.92", "26900000", "3200000", "790000000", "253000000", "1580000000"):
        assert number not in REGO_WITHOUT_COMMENTS, number


def _declared_kinds() -> dict[str, dict[str, str]]:
    """package -> name -> "function" or "rule", from the heads of every module."""
    kinds: dict[str, dict[str, str]] = {}
    for _, text in POLICIES.modules + POLICIES.tests:
        package = re.search(r"^package ([\w.]+)", text, re.M).group(1)
        names = kinds.setdefault(package, {})
        for m in re.finditer(r"^(?:default\s+)?(_?[A-Za-z]\w*)(\(?)", text, re.M):
            if m.group(1) not in ("package", "import", "default"):
                names[m.group(1)] = "function" if m.group(2) or names.get(m.group(1)) == "function" else "rule"
    return kinds


def _imports(text: str) -> dict[str, str]:
    """The names a module's data imports bind: alias -> imported path (without "data.")."""
    return {m.group(2) or m.group(1).rsplit(".", 1)[1]: m.group(1)
            for m in re.finditer(r"^import data\.([\w.]+)(?: as (\w+))?\s*$", text, re.M)}


def _code(text: str) -> str:
    """Rego without comments, string literals and import lines, for name searches."""
    lines = [line for line in text.split("\n") if not line.startswith(("import ", "package "))]
    return re.sub(r'"(?:[^"\\]|\\.)*"', '""', re.sub(r"#[^\n]*", "", "\n".join(lines)))


def test_dates_and_recurring_phrases_live_in_data_not_in_policies():
    """Dates in messages come from facts/params through fmt.date; record keeping through
    result.records_obligation. A date typed into a message would not move with the data."""
    months = "January|February|March|April|May|June|July|August|September|October|November|December"
    found = []
    for path, text in POLICIES.modules:
        code = re.sub(r"#[^\n]*", "", text).replace('"2 January 2006"', "").replace('"2006-01-02"', "")  # Go layouts
        found += [f"{path}: {m}" for m in re.findall(rf"\b\d{{1,2}} (?:{months}) \d{{4}}\b|\b20\d\d-\d\d-\d\d\b", code)]
        found += [f"{path}: five years" for _ in re.findall(r"five years", code)]
    assert found == []


def test_functions_are_called_through_aliases_and_rules_never_are():
    """regorus 0.13 calls functions through import aliases (microsoft/regorus#747 is fixed), but a
    RULE referred to through a package alias (`import data.big` ... `big.cheap`) makes it evaluate
    every rule of that package. So aliases are for function calls only; rules are imported by
    their own path (`import data.aidf.chips.request.as_of`) or named by full path."""
    kinds = _declared_kinds()
    problems = []
    for path, text in POLICIES.modules + POLICIES.tests:
        code = _code(text)
        for alias, target in _imports(text).items():
            if target not in kinds:
                continue  # a rule or data imported by its own path
            for m in re.finditer(rf"(?<![\w.]){alias}\.(\w+)(\(?)", code):
                if not (m.group(2) and kinds[target].get(m.group(1)) == "function"):
                    problems.append(f"{path}: {alias}.{m.group(1)} refers to a rule through a package alias")
    assert problems == []


def test_function_bodies_use_full_paths():
    """On regorus 0.13 a function whose body uses its own module's alias can silently be undefined
    when the calling rule has already referred to that package through an alias: a fail-open (a
    Saudi LPP example once flipped to allowed). Inside a function, other packages are named by
    full path (data.aidf.lib.fmt.int), never through an import."""
    problems = []
    for path, text in POLICIES.modules + POLICIES.tests:
        imported = _imports(text)
        for m in re.finditer(r"^(_?\w+)\([^)]*\)[^\n]*(?:\n[\t }\]][^\n]*)*", text, re.M):
            body = _code(m.group(0))
            for name in imported:
                if re.search(rf"(?<![\w.]){name}\b", body):
                    problems.append(f"{path}: function {m.group(1)} uses the import {name}")
    assert problems == []


def test_no_unused_arguments_or_local_variables():
    """`opa check --strict` also refuses a local assignment or a function argument that is never
    used (write `_` for an argument a clause ignores)."""
    unused = []
    for path, text in POLICIES.modules + POLICIES.tests:
        for m in re.finditer(r"^[^\s#}\])][^\n]*(?:\n[\t }\])][^\n]*|\n)*", text, re.M):
            statement = _code(m.group(0))
            names = set(re.findall(r"^\s+([A-Za-z]\w*)\s*:=", statement, re.M))
            for pair in re.findall(r"\bsome\s+([A-Za-z]\w*)(?:\s*,\s*([A-Za-z]\w*))?\s+in\b", statement):
                names |= {name for name in pair if name}
            head = re.match(r"^(_?\w+)\(([^)]*)\)", statement)
            if head:
                names |= {a.strip() for a in head.group(2).split(",") if re.fullmatch(r"[A-Za-z]\w*", a.strip())}
            for name in sorted(names - {"true", "false", "null"}):
                if len(re.findall(rf"(?<![\w.]){name}\b", statement)) < 2:
                    unused.append(f"{path}: {name} in {statement.splitlines()[0][:60]}")
    assert unused == []


def test_every_import_is_used():
    """`opa check --strict` refuses unused imports; a policy tree must pass it (it is an OPA bundle)."""
    unused = []
    for path, text in POLICIES.modules + POLICIES.tests:
        code = "\n".join(line.split("#", 1)[0] for line in text.split("\n") if not line.startswith("import "))
        for m in re.finditer(r"^import (data\.[\w.]+)(?: as (\w+))?\s*$", text, re.M):
            alias = m.group(2) or m.group(1).rsplit(".", 1)[1]
            if not re.search(rf"(?<![\w.]){alias}\b", code):
                unused.append(f"{path}: {m.group(0)}")
    assert unused == []


def test_rego_v1_everywhere():
    for path, text in POLICIES.modules + POLICIES.tests:
        assert "import rego.v1" in text, path


def test_no_comprehensions_or_paren_lines_where_regorus_breaks():
    """regorus 0.11 fails ("statements not scheduled") on a comprehension in the head of a
    `contains` rule, misparses an operator in a comprehension head, and reads a body line
    starting with "(" as a call on the line before."""
    problems = []
    for path, text in POLICIES.modules + POLICIES.tests:
        for number, line in enumerate(text.splitlines(), 1):
            head = line.split(" if ")[0]
            if " contains " in head and re.search(r"\[[^\]]*\|", head):
                problems.append(f"{path}:{number}: comprehension in a contains head")
            if re.match(r"^\s+\(", line):
                problems.append(f"{path}:{number}: body line starts with '('")
            for head in re.findall(r"\[([^\[\]|]*)\|", line):
                if re.search(r"\s[-+*/%]\s", head) and not (head.strip().startswith("(") and head.strip().endswith(")")):
                    problems.append(f"{path}:{number}: operator in a comprehension head: bind it in the body")
            if re.search(r"\bsome [\w, ]+ in \{[^:}]*\}", line):
                problems.append(f"{path}:{number}: iterating a set literal (OPA keeps duplicates): use an array")
    assert problems == []


def test_citations_point_at_the_law_not_at_files_outside_the_repository():
    """A reader of aidf has the CFR and the Federal Register, not the research notes the policies
    were written from: cite 15 CFR or 90 FR pages, and explain readings in docs/."""
    offenders = []
    for folder in ("policies", "pyclient", "schemas", "docs", "tests", "examples", "tools", "cases"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in (".rego", ".json", ".md", ".py", ".yaml"):
                text = path.read_text(encoding="utf-8")
                for needle in ("RULE" + ".md", "BASELINE" + ".md", "open " + "question "):
                    if needle in text:
                        offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    offenders += [f"README.md: {n}" for n in ("RULE" + ".md", "BASELINE" + ".md") if n in readme]
    assert offenders == []


def test_lines_fit_in_120_characters():
    """opa fmt layout: long calls and literals break one element per line. Only a line made long
    by one string literal (a message opa fmt would not split either) may pass 120."""
    long_lines = []
    for path, text in POLICIES.modules + POLICIES.tests:
        for number, line in enumerate(text.splitlines(), 1):
            longest = max(re.findall(r'"(?:[^"\\]|\\.)*"', line), key=len, default="")
            if len(line) > 120 and len(line) - len(longest) > 80:
                long_lines.append(f"{path}:{number} ({len(line)} characters)")
    assert long_lines == []
