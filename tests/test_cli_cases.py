"""`aidf cases run`: suites of requests with expected results, on the real engines."""
from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from aidf import cases, reading
from aidf.cli import main

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AIDF = pathlib.Path(sys.executable).parent / "aidf"

LPP_SUITE = f"""\
suite: LPP first orders
base: {EXAMPLES / "03-lpp-singapore-first-order.json"}
as_of: 2025-06-01
cases:
  - name: the first order ships under LPP
    source: 15 CFR 740.29
    expect:
      allowed: true
      outcome: license_exception
      authorization: LPP
      reasons: [AUTH_CHOSEN]
      not_reasons: [AUTH_NONE]
  - name: five thousand chips do not
    set:
      items[0].quantity: 5000
    expect:
      allowed: false
      not_obligations: [OBL_LPP_RECORDS_NOT_A_CODE]
"""


def write(tmp_path, text, name="suite.yaml") -> pathlib.Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def run(*args):
    result = CliRunner().invoke(main, ["cases", "run", *map(str, args)])
    assert "Traceback" not in result.output
    return result


def test_a_passing_suite_exits_0_with_a_table_and_a_summary(tmp_path):
    result = run(write(tmp_path, LPP_SUITE))
    assert result.exit_code == 0, result.output
    assert "the first order ships under LPP (line 5)" in result.output
    assert "PASS" in result.output and "FAIL" not in result.output
    assert "2 case runs in 1 suite on regorus: 2 passed, all passed" in result.output


def test_a_failing_case_exits_1_and_names_the_first_differing_field(tmp_path):
    suite = LPP_SUITE.replace("authorization: LPP", "authorization: AIA")
    result = run(write(tmp_path, suite))
    assert result.exit_code == 1
    assert "FAIL" in result.output
    assert "authorization: expected AIA, got LPP" in result.output
    assert "1 failed" in result.output


def test_missing_and_present_codes_are_named(tmp_path):
    suite = LPP_SUITE.replace("reasons: [AUTH_CHOSEN]", "reasons: [AUTH_CHOSEN, LPP_NOT_THERE]")
    suite = suite.replace("not_reasons: [AUTH_NONE]", "not_reasons: [AUTH_CHOSEN]")
    result = run(write(tmp_path, suite), "--format", "json")
    first = json.loads(result.output)["results"][0]
    assert first["passed"] is False
    assert first["first_difference"] == "reasons: missing LPP_NOT_THERE"
    assert [d["field"] for d in first["differences"]] == ["reasons", "not_reasons"]
    assert first["differences"][1]["got"] == "present AUTH_CHOSEN"


def test_both_engines_run_every_case(tmp_path):
    result = run(write(tmp_path, LPP_SUITE), "--engine", "both", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["summary"] == {"suites": 1, "invalid_suites": 0, "cases": 4, "passed": 4, "failed": 0,
                                   "engines": ["opa", "regorus"]}
    assert [(r["case"], r["engine"]) for r in document["results"]][:2] == [
        ("the first order ships under LPP", "regorus"), ("the first order ships under LPP", "opa")]


def test_headroom_enforced_controlled_and_fields(tmp_path):
    suite = f"""\
suite: other expectations
cases:
  - name: Malaysia placement headroom
    request: {EXAMPLES / "20-plan-uveu-new-country-malaysia.json"}
    as_of: "2025-06-01"
    expect:
      headroom: {{unbounded: false, binding_constraint: "country:MY"}}
      fields: {{placement.country: MY}}
  - name: a model at exactly 10^26 operations is controlled
    request: {EXAMPLES / "57-weights-exactly-1e26.json"}
    expect:
      controlled: true
  - name: the enforced view marks what BIS enforces
    request: {EXAMPLES / "03-lpp-singapore-first-order.json"}
    as_of: "2025-06-01"
    view: as-written
    expect:
      enforced: {{STATUS_NON_ENFORCEMENT: true}}
"""
    result = run(write(tmp_path, suite), "--format", "json")
    document = json.loads(result.output)
    assert result.exit_code == 0, [r["first_difference"] for r in document["results"]]
    assert document["results"][0]["got"]["headroom.binding_constraint"] == "country:MY"


def test_as_of_replaces_every_cases_date(tmp_path):
    suite = LPP_SUITE.replace("allowed: true\n      outcome: license_exception",
                              "allowed: true\n      outcome: license_exception\n      fields: {as_of: 2025-06-01}")
    assert run(write(tmp_path, suite)).exit_code == 0
    result = run(write(tmp_path, suite), "--as-of", "2026-03-02", "--format", "json")
    got = json.loads(result.output)["results"][0]
    assert got["first_difference"] == "as_of: expected 2025-06-01, got 2026-03-02"


def test_junit_is_well_formed_and_counts_failures(tmp_path):
    suite = LPP_SUITE.replace("allowed: false", "allowed: true")
    result = run(write(tmp_path, suite), "--format", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.output.split("?>", 1)[1])
    assert root.get("tests") == "2" and root.get("failures") == "1"
    failed = root.find("testsuite/testcase/failure")
    assert failed is not None and failed.get("message") == "allowed: expected true, got false"
    assert root.find("testsuite/testcase").get("line") == "5"


@pytest.mark.parametrize("text, line, words", [
    ("suite: x\ncases:\n  - name: a\n    expect: {allowed: true\n", 5, "not valid YAML"),
    ("suite: x\ncases:\n  - name: a\n    expect: {allowed: true, bogus: 1}\n", 4, "'bogus' was unexpected"),
    ("suite: x\ncases:\n  - name: a\n    expect:\n      allowed: maybe\n", 5, "is not of type 'boolean'"),
    ("suite: x\ncases:\n  - name: a\n    expect: {allowed: true}\n    expect: {allowed: false}\n", 5,
     "'expect' appears twice"),
    ("suite: x\ncases:\n  - name: a\n    expect: {allowed: true}\n", 3, "has no request and the suite has no base"),
    ("suite: x\ncases: []\n", 2, "should be non-empty"),
])
def test_an_invalid_suite_is_exit_3_with_file_and_line(tmp_path, text, line, words):
    path = write(tmp_path, text)
    result = run(path)
    assert result.exit_code == 3
    assert f"aidf: invalid suite: {path}:{line}: " in result.output
    assert words in result.output


def test_duplicate_case_names_bad_set_paths_and_missing_requests(tmp_path):
    base = f"suite: x\nbase: {EXAMPLES / '03-lpp-singapore-first-order.json'}\ncases:\n"
    twice = base + "  - name: a\n    expect: {allowed: true}\n  - name: a\n    expect: {allowed: true}\n"
    assert "case name 'a' is already used on line 4" in run(write(tmp_path, twice)).output
    bad_set = base + "  - name: a\n    set:\n      items[7].quantity: 1\n    expect: {allowed: true}\n"
    result = run(write(tmp_path, bad_set))
    assert result.exit_code == 3 and ":6: set items[7].quantity: items has 1 entry" in result.output
    missing = "suite: x\ncases:\n  - name: a\n    request: nowhere.json\n    expect: {allowed: true}\n"
    result = run(write(tmp_path, missing))
    assert result.exit_code == 3 and ":4: request nowhere.json: cannot read" in result.output


def test_a_case_whose_request_is_invalid_fails_with_exit_3(tmp_path):
    suite = LPP_SUITE.replace("items[0].quantity: 5000", "items[0].quantity: -5")
    result = run(write(tmp_path, suite))
    assert result.exit_code == 3
    assert "invalid request: " in result.output and "FAIL" in result.output


def test_a_missing_path_and_an_empty_folder(tmp_path):
    result = run(tmp_path / "nope.yaml")
    assert result.exit_code == 3 and "no such file or folder" in result.output
    (tmp_path / "empty").mkdir()
    result = run(tmp_path / "empty")
    assert result.exit_code == 3 and "no suite files" in result.output


def test_the_suite_schema_is_printed_and_is_the_one_used():
    result = CliRunner().invoke(main, ["cases", "schema"])
    assert json.loads(result.output)["$id"].endswith("case-suite.schema.json")


def test_a_real_subprocess_run_plain_when_piped(tmp_path):
    path = write(tmp_path, LPP_SUITE)
    done = subprocess.run([str(AIDF), "cases", "run", str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "\x1b[" not in done.stdout  # no colour when piped
    assert "2 passed" in done.stdout


def test_the_shipped_suites_pass_on_both_engines():
    """`cases/` is the legal team's suite: at least 100 cases, every one passing on regorus and OPA."""
    done = subprocess.run([str(AIDF), "cases", "run", str(ROOT / "cases"), "--engine", "both", "--format", "json"],
                          capture_output=True, text=True, timeout=600)
    document = json.loads(done.stdout)
    failed = [f"{r['file']}:{r['line']} {r['case']} [{r['engine']}]: {r['first_difference']}"
              for r in document["results"] if not r["passed"]]
    assert not failed and not document["invalid_suites"], (failed, document["invalid_suites"], done.stderr)
    assert done.returncode == 0
    assert document["summary"]["cases"] >= 200  # at least 100 cases, each on two engines


def test_loading_keeps_dates_as_text_and_yaml_types(tmp_path):
    suite = cases.load_suite(write(tmp_path, LPP_SUITE))
    assert suite.cases[0].request["as_of"] == "2025-06-01"
    assert suite.cases[1].request["items"][0]["quantity"] == 5000


def test_a_cases_date_does_not_leak_into_the_shared_base(tmp_path):
    suite = f"""\
suite: shared base
base: {EXAMPLES / "03-lpp-singapore-first-order.json"}
cases:
  - name: before the effective date
    as_of: "2025-01-12"
    expect: {{outcome: framework_not_in_effect}}
  - name: the request's own date
    expect: {{fields: {{as_of: "2025-06-01"}}}}
"""
    loaded = cases.load_suite(write(tmp_path, suite))
    assert [c.request.get("as_of") for c in loaded.cases] == ["2025-01-12", "2025-06-01"]


@pytest.mark.parametrize("args", [
    ["whatif", str(EXAMPLES / "01-aia-us-to-germany.json")],
    ["check", "--as-of", "2025-13-01", str(EXAMPLES / "01-aia-us-to-germany.json")],
    ["cases", "run", "--engine", "nope", "x.yaml"],
    ["nosuch"],
])
def test_every_usage_error_is_one_line_and_exit_2(args):
    done = subprocess.run([str(AIDF), *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("aidf: ") and "--help)" in done.stderr


def test_an_expectation_on_a_field_the_decision_lacks_fails_even_when_null_or_the_word_absent(tmp_path):
    suite = f"""\
suite: vacuous
base: {EXAMPLES / "03-lpp-singapore-first-order.json"}
cases:
  - name: headroom null on a chips decision
    expect: {{headroom: {{tpp: null}}}}
  - name: a misspelt field
    expect: {{fields: {{typo.path: absent}}}}
"""
    document = json.loads(run(write(tmp_path, suite), "--format", "json").output)
    assert [r["passed"] for r in document["results"]] == [False, False]
    assert document["results"][0]["first_difference"] == "headroom.tpp: expected null, got (absent)"


@pytest.mark.parametrize("text, words", [
    ("suite: x\ncases:\n  - &c {name: a, expect: {allowed: true}}\n  - *c\n", "anchors and aliases"),
    ("suite: x\ncases:\n  - name: a\n    set: {1: 2}\n    expect: {allowed: true}\n", "a key must be text"),
    ("suite: x\ncases:\n  - name: a\n    expect: {fields: {a: !!binary aGk=}}\n", "tag:yaml.org,2002:binary"),
    ("suite: x\nview: on\ncases:\n  - name: a\n    expect: {allowed: true}\n", "'on' is not one of"),
    ("suite: x\ncases:\n  - name: a\n    request: '-'\n    expect: {allowed: true}\n", "not a file name"),
    ("suite: x\nx: " + "[" * 100 + "]" * 100 + "\ncases: []\n", "nested more than"),
])
def test_hostile_suites_are_exit_3_with_a_line(tmp_path, text, words):
    result = run(write(tmp_path, text))
    assert result.exit_code == 3, result.output
    assert "aidf: invalid suite: " in result.output and words in result.output


def test_a_billion_laughs_suite_is_refused_at_once(tmp_path):
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"] + [
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    result = run(write(tmp_path, "\n".join(levels) + "\nsuite: x\ncases: [*a8]\n"))
    assert result.exit_code == 3 and "anchors and aliases" in result.output


def test_yaml_numbers_are_read_as_written_not_as_yaml_1_1_octal_or_base_60(tmp_path):
    """Regression (fail open): a request file's `057000000` was read as octal 12,320,768 and the
    shipment allowed; it is the decimal 57,000,000 its author wrote (over the LPP limit)."""
    request = json.loads((EXAMPLES / "04-lpp-singapore-over-limit.json").read_text())
    import yaml as pyyaml

    text = pyyaml.safe_dump(request).replace(
        f"lpp_tpp_received_this_year: {request['history']['lpp_tpp_received_this_year']}",
        "lpp_tpp_received_this_year: 057000000")
    assert "057000000" in text
    (tmp_path / "r.yaml").write_text(text)
    assert reading.load(str(tmp_path / "r.yaml"))["history"]["lpp_tpp_received_this_year"] == 57_000_000
    result = CliRunner().invoke(main, ["check", str(tmp_path / "r.yaml")])
    assert result.exit_code == 1 and "NOT ALLOWED" in result.output


def test_control_characters_from_a_suite_never_reach_the_terminal_or_the_junit_xml(tmp_path):
    title = "\x1b]0;pwned\x07\x1b[2J\x1b[1;32mALL PASSED\x1b[0m\r"
    suite = LPP_SUITE.replace("suite: LPP first orders", f"suite: {json.dumps(title)}").replace(
        "allowed: false", "allowed: true")
    path = write(tmp_path, suite)
    text = run(path).output
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text
    xml = run(path, "--format", "junit").output
    ET.fromstring(xml.split("?>", 1)[1])  # well formed
    assert "\x1b" not in xml


def test_both_engines_agreeing_is_one_row_in_text(tmp_path):
    output = run(write(tmp_path, LPP_SUITE), "--engine", "both").output
    assert output.count("the first order ships under LPP") == 1
    assert " both " in output and "4 case runs in 1 suite on opa, regorus: 4 passed" in output
