"""`aidf whatif`: the two decisions side by side, what changed between them (checked against
decisions made independently, on regorus and OPA), dates and views, exit codes and bad input."""
from __future__ import annotations

import json
import os
import subprocess

import pytest
from click.testing import CliRunner

import aidf
from aidf import compare, overrides, reading
from aidf.cli import main
from conftest import EXAMPLES, ROOT

AIDF = ROOT / ".venv" / "bin" / "aidf"
PARAMS = json.loads((ROOT / "policies" / "aidf" / "facts" / "params" / "data.json").read_text())
LPP = EXAMPLES / "03-lpp-singapore-first-order.json"
SYNTHETIC = EXAMPLES / "56-weights-synthetic-data-pushes-over.json"


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, ["whatif", *map(str, args)], env=env)


def as_json(*args: str, code: int | None = None) -> dict:
    result = run(*args, "--format", "json")
    if code is not None:
        assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def over_the_lpp_cap() -> int:
    """The first quantity of the example's chip that LPP's annual limit does not cover."""
    per_unit = json.loads(LPP.read_text())["items"][0]["tpp_per_unit"]
    return PARAMS["lpp"]["annual_limit_tpp"] // per_unit + 1


def codes(entries) -> set[str]:
    return {e["code"] for e in entries}


@pytest.mark.parametrize("engine_name", ["regorus", "opa"])
def test_over_the_lpp_cap_side_by_side_matches_independent_decisions(engine_name):
    quantity = over_the_lpp_cap()
    found = as_json(LPP, "--set", f"items[0].quantity={quantity}", "--engine", engine_name, code=1)
    request = reading.load(str(LPP))
    before = aidf.evaluate(request, engine_name=engine_name).document
    after = aidf.evaluate(overrides.apply(request, [("items[0].quantity", quantity)], from_text=False),
                          engine_name=engine_name).document
    assert found["as_is"] == before and found["changed"] == after
    assert found["changes"] == [{"path": "items[0].quantity", "before": 1000, "after": quantity}]
    diff = found["differences"]
    assert diff["changed"] is True
    assert diff["fields"]["allowed"] == {"before": True, "after": False, "changed": True}
    assert diff["fields"]["authorization"] == {"before": "LPP", "after": None, "changed": True}
    assert diff["fields"]["outcome"]["after"] == "license_required"
    assert diff["fields"]["review_policy"]["after"] == after["review_policy"]
    assert codes(diff["reasons"]["added"]) == codes(after["reasons"]) - codes(before["reasons"])
    assert codes(diff["reasons"]["removed"]) == codes(before["reasons"]) - codes(after["reasons"])
    assert codes(diff["obligations"]["added"]) == codes(after["obligations"]) - codes(before["obligations"])
    assert codes(diff["obligations"]["removed"]) == codes(before["obligations"]) - codes(after["obligations"])
    assert all(e["message"] and e["citation"] for e in diff["reasons"]["added"] + diff["obligations"]["removed"])


def test_text_shows_both_decisions_and_what_changed():
    quantity = over_the_lpp_cap()
    result = run(LPP, "--set", f"items[0].quantity={quantity:,}")  # thousands separators are fine
    assert result.exit_code == 1, result.output
    text = result.stdout
    assert f"items[0].quantity: 1,000 -> {quantity:,}" in text
    assert "as is" in text and "with the changes" in text
    rows = {line.split()[0]: line for line in text.splitlines() if line.startswith(("allowed", "outcome"))}
    assert rows["allowed"].split()[1:] == ["yes", "NO", "changed"]
    assert rows["outcome"].split()[1:] == ["license_exception", "license_required", "changed"]
    assert "Reasons added" in text and "Reasons removed" in text and "Obligations removed" in text
    assert "- OBL_LPP_CERTIFICATION:" in text and "[15 CFR 740.29(f)]" in text
    assert "\x1b" not in text
    assert all(len(line) <= 100 for line in text.splitlines() if line.startswith(("  +", "  -", "    ")))


def test_no_change_in_outcome_is_exit_0_and_said():
    result = run(LPP, "--set", "items[0].quantity=500")
    assert result.exit_code == 0, result.output
    assert "The outcome does not change." in result.stdout
    assert "Obligations kept, with other words" in result.stdout  # the notice quotes the new TPP


def test_across_dates():
    effective = PARAMS["dates"]["effective"]
    found = as_json(LPP, "--set", "as_of=2024-12-31", code=1)
    assert found["differences"]["fields"]["as_of"] == {"before": "2025-06-01", "after": "2024-12-31", "changed": True}
    assert found["changed"]["outcome"] == "framework_not_in_effect"
    # --as-of sets both decisions' date; --set as_of changes only the second
    both = as_json(LPP, "--as-of", "2024-12-31", "--set", f"as_of={effective}", code=0)
    assert both["as_is"]["as_of"] == "2024-12-31" and both["changed"]["as_of"] == effective
    assert both["changed"]["authorization"] == "LPP"


def test_across_views():
    found = as_json(LPP, "--set", "view=enforced", code=0)
    assert found["differences"]["fields"]["view"] == {"before": "as_written", "after": "enforced", "changed": True}
    assert found["changed"]["outcome"] != found["as_is"]["outcome"]
    hyphenated = as_json(LPP, "--set", "view=as-written", "--view", "enforced", code=0)
    assert (hyphenated["as_is"]["view"], hyphenated["changed"]["view"]) == ("enforced", "as_written")


def test_several_sets_and_an_operation_count_the_request_does_not_give():
    found = as_json(SYNTHETIC, "--set", "model.training_operations=1e24",
                    "--set", "model.synthetic_data[0].already_counted_operations=1e24", code=0)
    assert [c["path"] for c in found["changes"]] == ["model.training_operations",
                                                     "model.synthetic_data[0].already_counted_operations"]
    assert found["changes"][1] == {"path": "model.synthetic_data[0].already_counted_operations",
                                   "before": None, "after": "1e24"}  # a decimal string, as the schema wants


@pytest.mark.parametrize("sets, words", [
    (["items[0].weight=5"], "with --set items[0].weight=5: items[0]: unknown field(s): 'weight'"),
    (["items[2].quantity=5"], "--set items[2].quantity: items has 1 entry, so there is no items[2]"),
    (["items[0].quantity=0"], "items[0].quantity: 0 is less than the minimum of 1"),
    (["destination=XX"], "destination: 'XX' is not a known ISO 3166-1 alpha-2 country code"),
    (["as_of=2025-02-30"], "as_of: '2025-02-30' is not a 'date'"),
    (["quantity"], "--set 'quantity' is not PATH=VALUE"),
    (["items[x].quantity=1"], "is not a field path"),
])
def test_a_bad_set_is_exit_3_naming_the_field(sets, words):
    args = [a for s in sets for a in ("--set", s)]
    result = run(LPP, *args)
    assert result.exit_code == 3, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aidf: ") and words in lines[0], result.stderr


def test_no_set_is_a_usage_error():
    result = run(LPP)
    assert result.exit_code == 2 and "--set" in result.stderr


def test_missing_and_invalid_requests_are_exit_3(tmp_path):
    missing = run(tmp_path / "nope.json", "--set", "items[0].quantity=1")
    assert missing.exit_code == 3 and missing.stderr.startswith("aidf: cannot read")
    bad = tmp_path / "bad.json"
    bad.write_text('{"action": "export_chips", "action": "export_chips"}')
    duplicate = run(bad, "--set", "destination=DE")
    assert duplicate.exit_code == 3 and "appears twice" in duplicate.stderr
    invalid = dict(json.loads(LPP.read_text()), destination="XX")
    bad.write_text(json.dumps(invalid))
    result = run(bad, "--set", "destination=DE")  # the request as it is must be valid too
    assert result.exit_code == 3 and "destination: " in result.stderr and str(bad) in result.stderr
    assert "$." not in result.stderr


def test_an_engine_that_cannot_load_is_exit_4(tmp_path):
    (tmp_path / "aidf").mkdir()
    (tmp_path / "aidf" / "broken.rego").write_text("package aidf.main\n\ndecision := {\n")
    result = run(LPP, "--set", "items[0].quantity=5", env={"AIDF_POLICY_DIR": str(tmp_path)})
    assert result.exit_code == 4, result.output
    assert result.stderr.startswith("aidf: ") and len(result.stderr.strip().splitlines()) == 1


def test_control_characters_are_shown_escaped(tmp_path):
    request = dict(json.loads(LPP.read_text()), request_id="po\x1b[2J")
    path = tmp_path / "r.json"
    path.write_text(json.dumps(request))
    result = run(path, "--set", "request_id=x\x1b[31mALLOWED")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\\x1b" in result.stdout


def test_compare_is_symmetric():
    request = reading.load(str(LPP))
    a = aidf.evaluate(request).document
    b = aidf.evaluate(overrides.apply(request, [("items[0].quantity", over_the_lpp_cap())], from_text=False)).document
    forward, backward = compare.compare(a, b), compare.compare(b, a)
    assert forward["reasons"]["added"] == backward["reasons"]["removed"]
    assert forward["obligations"]["removed"] == backward["obligations"]["added"]
    assert compare.compare(a, a)["changed"] is False and compare.signature(a) != compare.signature(b)


def test_installed_command_in_a_subprocess():
    env = dict(os.environ, NO_COLOR="1")
    done = subprocess.run([str(AIDF), "whatif", str(LPP), "--set", f"items[0].quantity={over_the_lpp_cap()}"],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 1, done.stderr
    assert "license_required" in done.stdout and done.stderr == ""
    stdin = subprocess.run([str(AIDF), "whatif", "-", "--set", "items[0].quantity=10", "--format", "json"],
                           input=LPP.read_text(), capture_output=True, text=True, env=env, timeout=60, check=False)
    assert stdin.returncode == 0, stdin.stderr
    assert json.loads(stdin.stdout)["request"] == "standard input"


def test_a_fifo_with_no_writer_is_an_invalid_request_not_a_hang(tmp_path):
    """Regression: whatif, boundary and report read request files with no deadline."""
    import os
    import subprocess

    fifo = tmp_path / "request.json"
    os.mkfifo(fifo)
    for args in (["whatif", str(fifo), "--set", "destination=DE"],
                 ["boundary", str(fifo), "--vary", "items[0].quantity"],
                 ["report", str(fifo)]):
        done = subprocess.run([str(AIDF), *args], capture_output=True, text=True, timeout=60)
        assert done.returncode == 3, (args, done.stderr)
        assert "no complete request within" in done.stderr


def test_set_takes_country_names_and_yes_no_as_a_yaml_request_does():
    result = CliRunner().invoke(main, ["whatif", str(EXAMPLES / "01-aia-us-to-germany.json"),
                                       "--set", "destination=singapore", "--set", "ultimate_consignee.located_in=SG",
                                       "--set", "direct_to_ultimate_consignee=no", "--format", "json"])
    document = json.loads(result.stdout)
    changed = {f["path"]: f["after"] for f in document["changes"]}
    assert changed["destination"] == "SG" and changed["direct_to_ultimate_consignee"] is False
    bad = CliRunner().invoke(main, ["whatif", str(EXAMPLES / "01-aia-us-to-germany.json"), "--set", "destination=Narnia"])
    assert bad.exit_code == 3 and "'Narnia' is not a known" in bad.output
