"""`aidf countries`, `aidf country CC` and `aidf timeline`: the tiers they show are the policy's
(every country, three dates, against real decisions on regorus and a sample on OPA), the facts
come from the policy data, and bad input is one line with the right exit code."""
from __future__ import annotations

import copy
import datetime as dt
import json
import os
import pathlib
import subprocess

import pytest
from click.testing import CliRunner

import aidf
from aidf import country_facts
from aidf.cli import main

ROOT = pathlib.Path(__file__).resolve().parent.parent
AIDF = str(ROOT / ".venv" / "bin" / "aidf")
DATES = ("2025-03-01", "2025-06-01", "2026-02-01")
FACTS = country_facts.load()
TEMPLATE = json.loads((ROOT / "examples" / "01-aia-us-to-germany.json").read_text())


def cli(*args: str):
    return CliRunner().invoke(main, list(args), env={"NO_COLOR": "1"})


def shown(*args: str) -> dict:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def one_line_error(result, code: int) -> str:
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aidf: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def shipment_to(code: str) -> dict:
    """Example 01 (an export_chips request) sent to `code`; inside the United States it is a
    domestic transfer, as the request schema requires."""
    request = copy.deepcopy(TEMPLATE)
    request["destination"] = code
    request["ultimate_consignee"]["located_in"] = code
    if code in FACTS.params["jurisdiction"]["united_states"]:
        request["transaction"] = "domestic_transfer"
    return request


def policy_tiers(pairs, engine: str) -> dict:
    """(code, date) -> the destination's tier in a real decision's parties."""
    with aidf.Evaluator(engine=engine) as evaluator:
        return {(code, day): evaluator.evaluate(shipment_to(code), as_of=day).document["parties"]["destination"]["tier"]
                for code, day in pairs}


# -- the tier shown is the policy's ------------------------------------------------------------

def test_every_country_tier_matches_the_policy_on_regorus():
    codes = sorted(FACTS.facts["country_names"])
    pairs = [(code, day) for day in DATES for code in codes]
    decided = policy_tiers(pairs, "regorus")
    listed = {day: {r["code"]: r["tier"] for r in shown("countries", "--as-of", day)["countries"]} for day in DATES}
    for code, day in pairs:
        reported = shown("country", code, "--as-of", day)["tier"]
        assert reported == decided[code, day] == listed[day][code], (code, day)
    assert set(decided.values()) == {1, 2, 3}


def test_a_sample_of_tiers_matches_the_policy_on_opa():
    sample = ["DE", "US", "PR", "HK", "CN", "MO", "KH", "NI", "MY", "IN", "AE", "SG", "TW", "CY", "ZW"]
    pairs = [(code, day) for day in DATES for code in sample]
    decided = policy_tiers(pairs, "opa")
    for code, day in pairs:
        assert shown("country", code, "--as-of", day)["tier"] == decided[code, day], (code, day)


def test_tier_follows_dated_membership_cambodia_leaves_d5():
    (removal,) = [m["until"] for m in FACTS.groups["d5"]["members"] if m["code"] == "KH"]
    before = shown("country", "KH", "--as-of", DATES[2])
    after = shown("country", "kh", "--as-of", removal)
    assert (before["tier"], after["tier"]) == (3, 2)
    assert before["tier_basis"]["deciding_groups"] == ["d5"]
    assert [h["tier"] for h in after["tier_history"]] == [3, 2]
    assert after["tier_history"][0]["until"] == after["tier_history"][1]["from"] == removal
    d5 = next(g for g in after["groups"] if g["key"] == "d5")
    assert d5["member_on_as_of"] is False and d5["periods"] == [{"from": None, "until": removal}]
    assert d5["citation"] == FACTS.groups["d5"]["citation"] and d5["source"] == FACTS.groups["d5"]["source"]


# -- one country ---------------------------------------------------------------------------------

@pytest.mark.parametrize("spelling", ["DE", "de", "Germany", "germany", "  GERMANY "])
def test_a_country_by_code_or_name(spelling):
    assert shown("country", spelling, "--as-of", DATES[1])["code"] == "DE"


def test_names_with_accents_and_short_forms():
    assert shown("country", "Cote d'Ivoire", "--as-of", DATES[1])["code"] == "CI"
    assert shown("country", "china", "--as-of", DATES[1])["code"] == "CN"


def test_an_unknown_country_is_exit_3_with_close_matches():
    line = one_line_error(cli("country", "Gremany"), 3)
    assert "unknown country 'Gremany'" in line and "Germany (DE)" in line
    one_line_error(cli("country", "XX"), 3)


def test_a_control_character_in_the_country_is_shown_escaped():
    line = one_line_error(cli("country", "\x1b[2Jde"), 3)
    assert "\x1b" not in line and "\\x1b" in line


def test_hong_kong_is_treated_as_china():
    hk, cn = (shown("country", code, "--as-of", DATES[1]) for code in ("HK", "CN"))
    assert hk["treated_as"]["code"] == "CN" and hk["treated_as"]["why"] == FACTS.aliases["HK"]["why"]
    assert hk["tier"] == cn["tier"] and [g["key"] for g in hk["groups"]] == [g["key"] for g in cn["groups"]]
    assert [a["code"] for a in cn["aliases"]] == ["HK"]


def test_tier_2_allocation_is_the_policy_allocation():
    described = shown("country", "MY", "--as-of", DATES[1])
    request = {"action": "country_allocation", "country": "MY", "licensed_tpp": 0, "proposed_tpp": 0}
    decision = aidf.evaluate(request, as_of=DATES[1]).document
    assert described["allocation"]["applies"] is True
    assert described["allocation"]["tpp"] == decision["allocation"]["limit_tpp"] == \
        FACTS.params["allocation"]["default_tpp"]
    assert described["allocation"]["citation"] == FACTS.params["allocation"]["_source"]


def test_after_the_set_period_the_allocation_says_the_last_figure_applies():
    later = (dt.date.fromisoformat(FACTS.params["allocation"]["last_day_set"]) + dt.timedelta(days=1)).isoformat()
    described = shown("country", "MY", "--as-of", later)
    assert described["allocation"]["note"] == FACTS.params["allocation"]["_after"]
    assert "note" in described["nveu"]


def test_tier_1_and_tier_3_have_no_allocation_and_tier_3_no_nveu():
    outcomes = FACTS.catalogue["outcomes"]
    de, mo = (shown("country", code, "--as-of", DATES[1]) for code in ("DE", "MO"))
    assert (de["allocation"]["applies"], de["allocation"]["summary"]) == (False, outcomes["no_allocation"])
    assert (mo["allocation"]["applies"], mo["allocation"]["summary"]) == (False, outcomes["presumption_of_denial"])
    assert mo["nveu"] is None and mo["tier_basis"]["deciding_groups"] == ["macau"]


def test_nveu_schedule_marks_the_quarter_in_force():
    schedule = FACTS.params["veu"]["nveu_allocations"]
    expected = max((e for e in schedule if e["from"] <= DATES[1]), key=lambda e: e["from"])
    rows = shown("country", "IN", "--as-of", DATES[1])["nveu"]["schedule"]
    assert [r for r in rows if r["in_force"]] == [{**expected, "in_force": True}]
    assert len(rows) == len(schedule)


def test_country_text_reads_like_a_memo():
    result = cli("country", "malaysia", "--as-of", DATES[1])
    assert result.exit_code == 0
    text = result.output
    assert text.startswith("Malaysia (MY), as of 2025-06-01")
    assert f"{FACTS.params['allocation']['default_tpp']:,} TPP" in text
    assert "in force on 2025-06-01" in text and "\x1b[" not in text
    assert text.index("Tier 2 on") < text.index("Country groups") < text.index("Country allocation")
    assert "[15 CFR 742.6(b)(10)(iii)(B)-(C)]" in text


def test_united_states_territory_says_it_is_not_an_export():
    described = shown("country", "PR", "--as-of", DATES[1])
    assert described["jurisdiction"]["united_states"] is True


# -- many countries ------------------------------------------------------------------------------

@pytest.mark.parametrize("spelling, key", [("D:5", "d5"), ("d5", "d5"), ("d:5", "d5"), ("Supp5a", "supp5a"),
                                           ("supp5a", "supp5a"), ("Supp. No. 5(a)", "supp5a"), ("A:5", "a5"),
                                           ("Macau", "macau"), ("country group D:1", "d1")])
def test_group_spellings(spelling, key):
    listed = shown("countries", "--group", spelling, "--as-of", DATES[1])
    assert listed["filter"]["group"] == key
    members = {m["code"] for m in FACTS.groups[key]["members"]
               if m.get("from", "0000") <= DATES[1] < m.get("until", "9999")}
    aliases = {a for a, spec in FACTS.aliases.items() if spec["to"] in members}
    assert {r["code"] for r in listed["countries"]} == members | aliases


def test_tier_and_group_filters_combine():
    listed = shown("countries", "--tier", "2", "--group", "d1", "--as-of", DATES[1])
    assert listed["count"] == len(listed["countries"]) > 0
    assert all(r["tier"] == 2 and "d1" in r["groups"] for r in listed["countries"])
    assert all(r["allocation_tpp"] == FACTS.params["allocation"]["default_tpp"] for r in listed["countries"])
    tier1 = shown("countries", "--tier", "1", "--as-of", DATES[1])["countries"]
    assert {r["code"] for r in tier1} == {m["code"] for m in FACTS.groups["supp5a"]["members"]}
    assert all(r["allocation_tpp"] is None for r in tier1)


def test_an_empty_selection_is_an_answer_not_an_error():
    result = cli("countries", "--group", "supp5b", "--as-of", DATES[1])
    assert result.exit_code == 0 and "No country matches" in result.output


@pytest.mark.parametrize("args, words", [
    (["--group", "E:9"], "unknown country group 'E:9'; accepted: Supp. No. 5(a)"),
    (["--tier", "4"], "unknown tier '4'; accepted: 1, 2, 3"),
    (["--tier", "one"], "unknown tier 'one'"),
    (["--as-of", "1999-12-31"], "--as-of 1999-12-31 is outside the dates aidf evaluates"),
])
def test_bad_options_are_one_line_usage_errors(args, words):
    assert words in one_line_error(cli("countries", *args), 2)


def test_bad_date_format_is_a_usage_error():
    assert cli("country", "DE", "--as-of", "2025-13-01").exit_code == 2


def test_countries_text_table():
    result = cli("countries", "--tier", "3", "--as-of", DATES[1])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[1].split() == ["Code", "Country", "Tier", "Groups", "Allocation", "(TPP)"]
    assert any(line.startswith("HK ") and "treated as China" in line for line in lines)
    assert "Tiers: Tier 1 = Supp. No. 5 to part 740 para. (a)" in result.output


# -- timeline ------------------------------------------------------------------------------------

def test_timeline_carries_every_rule_date_in_order_with_a_source():
    document = shown("timeline", "--as-of", DATES[1])
    events = document["events"]
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)
    assert all(e["citation"] for e in events)
    dated = {(e["code"], e["date"]) for e in events}
    assert {(k, v) for k, v in FACTS.params["dates"].items()} <= dated
    assert {(e["code"], e["date"]) for e in FACTS.history["events"]} <= dated
    published = next(e for e in events if e["code"] == "published")
    assert published["citation"] == "90 FR 4544"
    assert ("d5:KH", "2026-02-03") in dated


def test_timeline_status_is_the_policy_status_on_both_engines():
    on_regorus = shown("timeline", "--as-of", DATES[1])
    on_opa = shown("timeline", "--as-of", DATES[1], "--engine", "opa")
    assert on_regorus == on_opa
    status = aidf.evaluate({"action": "country_allocation", "country": "DE", "licensed_tpp": 0, "proposed_tpp": 0},
                           as_of=DATES[1]).document["rule_status"]
    assert on_regorus["status_on_as_of"] == {k: status[k] for k in ("code", "label", "enforcement")}
    by_code = {e["code"]: e for e in on_regorus["events"]}
    assert by_code["effective"]["status_from_this_date"]["code"] != by_code["baseline"]["status_from_this_date"]["code"]


def test_timeline_text_marks_the_as_of_date():
    text = cli("timeline", "--as-of", DATES[1]).output
    marker = text.index(">>> 2025-06-01  as of")
    assert text.index("2025-05-15  ") < marker < text.index("2026-01-15  ")
    assert "Source: 90 FR 4544" in text and "\x1b[" not in text


# -- the real command ----------------------------------------------------------------------------

def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([AIDF, *args], capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env={**os.environ, "NO_COLOR": "1", **(env or {})})


def test_subprocess_country_countries_and_timeline():
    result = run("country", "Germany", "--as-of", DATES[1])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Germany (DE), as of 2025-06-01") and "\x1b[" not in result.stdout
    listed = run("countries", "--group", "D:5", "--as-of", DATES[1], "--format", "json")
    assert listed.returncode == 0 and json.loads(listed.stdout)["filter"]["group"] == "d5"
    assert run("timeline", "--as-of", DATES[1]).returncode == 0
    unknown = run("country", "Atlantis")
    assert unknown.returncode == 3 and unknown.stderr.count("\n") == 1 and unknown.stderr.startswith("aidf: ")


def test_subprocess_unreadable_policy_data_is_exit_4(tmp_path):
    result = run("countries", env={"AIDF_POLICY_DIR": str(tmp_path / "missing")})
    assert result.returncode == 4
    assert result.stderr.startswith("aidf: cannot read the policy data") and result.stderr.count("\n") == 1


def test_a_supp5b_listing_raises_the_allocation_as_the_policy_does(tmp_path):
    """A policy tree where Malaysia is listed in Supp. No. 5(b) (AIDF_POLICY_DIR): the command and
    a real decision show the same raised allocation."""
    import importlib.util
    import shutil

    tree = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", tree)
    countries_file = tree / "aidf" / "facts" / "countries" / "data.json"
    data = json.loads(countries_file.read_text())
    raised = FACTS.params["allocation"]["max_supp5b_tpp"]
    data["groups"]["supp5b"]["members"].append({"code": "MY", "from": DATES[0], "allocation_tpp": raised})
    countries_file.write_text(json.dumps(data))
    spec = importlib.util.spec_from_file_location("gen_country_index", ROOT / "tools" / "gen_country_index.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    (tree / "aidf" / "facts" / "country_index" / "data.json").write_text(generator.render(data))
    env = {"AIDF_POLICY_DIR": str(tree)}

    shown_tpp = json.loads(run("country", "MY", "--as-of", DATES[1], "--format", "json", env=env).stdout)["allocation"]
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"action": "country_allocation", "country": "MY", "licensed_tpp": 0,
                                   "proposed_tpp": 0, "as_of": DATES[1]}))
    decided = json.loads(run("check", str(request), "--format", "json", env=env).stdout)["allocation"]
    assert shown_tpp["tpp"] == decided["limit_tpp"] == raised and shown_tpp["supp5b"] is True
    listed = json.loads(run("countries", "--group", "supp5b", "--as-of", DATES[1], "--format", "json", env=env).stdout)
    assert [(r["code"], r["allocation_tpp"]) for r in listed["countries"]] == [("MY", raised)]
