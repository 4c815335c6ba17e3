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


def test_no_function_calls_through_import_aliases():
    """regorus 0.11 cannot call a function through an import alias (microsoft/regorus#747),
    and inside a function it does not resolve its own module's aliases when called from
    another package. Functions are called, and refer to other packages, by full data path."""
    problems = []
    for path, text in POLICIES.modules + POLICIES.tests:
        aliases = {m.group(2) or m.group(1).rsplit(".", 1)[1]
                   for m in re.finditer(r"^import (data\.[\w.]+)(?: as (\w+))?$", text, re.M)}
        for alias in aliases:
            for m in re.finditer(rf"(?<![\w.]){alias}\.(\w+)\(", text):
                problems.append(f"{path}: {alias}.{m.group(1)}(")
        for m in re.finditer(r"^(\w+)\(([^)]*)\)\s*(?::=|if|=)(.*?)(?=^\S)", text, re.M | re.S):
            body = m.group(3)
            for alias in aliases:
                if re.search(rf"(?<![\w.]){alias}\.\w", body):
                    problems.append(f"{path}: function {m.group(1)} uses import alias {alias}")
    assert problems == []


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
