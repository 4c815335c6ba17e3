"""`aidf boundary`: change points found by bisection on the real policy, checked against what the
policy data implies and re-decided on both engines (regorus and OPA) at the point and the value
before it; every change in a range against a brute-force walk; bad input."""
from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import subprocess

import pytest
from click.testing import CliRunner

import aidf
from aidf import boundary as boundaries
from aidf import overrides, reading
from aidf.cli import main
from conftest import EXAMPLES, ROOT

AIDF = ROOT / ".venv" / "bin" / "aidf"  # the installed console script, as a user runs it
PARAMS = json.loads((ROOT / "policies" / "aidf" / "facts" / "params" / "data.json").read_text())
LPP = EXAMPLES / "03-lpp-singapore-first-order.json"
WEIGHTS_1E26 = EXAMPLES / "57-weights-exactly-1e26.json"
UVEU_PLAN = EXAMPLES / "21-plan-uveu-7-percent-exactly-at-headroom.json"


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, ["boundary", *map(str, args)], env=env)


def report(*args: str) -> dict:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def signature(document: dict) -> dict:
    return {key: document.get(key) for key in ("allowed", "outcome", "authorization", "review_policy")}


def decided(request: dict, path: str, value, engine_name: str) -> dict:
    changed = overrides.apply(request, [(path, value)], from_text=False)
    return signature(aidf.evaluate(changed, engine_name=engine_name).document)


def assert_decides_as_claimed(source, path: str, change: dict) -> None:
    """The value before the change point and the point itself decide as the report says, on
    regorus and on OPA (Go)."""
    request = reading.load(str(source))
    assert change["exact"]
    for engine_name in ("regorus", "opa"):
        for side, point in (("before", "last"), ("after", "first")):
            claimed = {key: change[side][key] for key in ("allowed", "outcome", "authorization", "review_policy")}
            assert decided(request, path, change[point]["value"], engine_name) == claimed, (engine_name, side)


# --- real boundaries against the policy data -------------------------------------------------
def test_lpp_quantity_boundary_is_what_the_lpp_cap_implies_on_both_engines():
    request = json.loads(LPP.read_text())
    per_unit = request["items"][0]["tpp_per_unit"]
    largest = PARAMS["lpp"]["annual_limit_tpp"] // per_unit  # 740.29(d): the annual limit, in whole chips
    found = report(LPP, "--vary", "items[0].quantity")
    assert len(found["changes"]) == 1, found["changes"]
    change = found["changes"][0]
    assert (change["last"]["value"], change["first"]["value"]) == (largest, largest + 1)
    assert change["before"]["authorization"] == "LPP" and change["before"]["allowed"] is True
    assert change["after"]["outcome"] == "license_required" and change["after"]["allowed"] is False
    assert_decides_as_claimed(LPP, "items[0].quantity", change)
    # the table: two intervals that meet at the change point and cover the searched range
    assert [(i["from"]["value"], i["to"]["value"]) for i in found["intervals"]] == \
        [(1, largest), (largest + 1, found["range"]["max"]["value"])]
    assert found["range"]["max"]["value"] == boundaries.RANGE_MULTIPLE * request["items"][0]["quantity"]


def test_lpp_quantity_boundary_in_words():
    request = json.loads(LPP.read_text())
    largest = PARAMS["lpp"]["annual_limit_tpp"] // request["items"][0]["tpp_per_unit"]
    result = run(LPP, "--vary", "items[0].quantity")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())  # the words are wrapped
    assert (f"The largest quantity of H100 SXM GPUs that still ships under LPP on {request['as_of']} "
            f"is {largest:,}; from {largest + 1:,} the outcome is license_required") in text
    assert "from to allowed outcome authorization review policy" in text
    assert "evaluations of the real policy on regorus (at most 1,000)" in text
    assert "every 62.5" in text  # the sampling step is stated
    assert "\x1b" not in result.stdout


def test_lpp_history_boundary_leaves_exactly_the_cap():
    request = json.loads(LPP.read_text())
    shipment = request["items"][0]["tpp_per_unit"] * request["items"][0]["quantity"]
    cap = PARAMS["lpp"]["annual_limit_tpp"]
    found = report(LPP, "--vary", "history.lpp_tpp_received_this_year", "--max", str(2 * cap))
    assert [c["last"]["value"] for c in found["changes"]] == [cap - shipment]
    assert found["current"] is None  # the example gives no history
    assert_decides_as_claimed(LPP, "history.lpp_tpp_received_this_year", found["changes"][0])


def test_operations_boundary_is_the_4e091_threshold_on_both_engines():
    threshold = int(decimal.Decimal(PARAMS["weights"]["controlled_operations"]))
    unit = int(decimal.Decimal("1e12"))
    found = report(WEIGHTS_1E26, "--vary", "model.training_operations")
    assert found["kind"] == "operations" and found["unit"] == "10^12 operations"
    assert len(found["changes"]) == 1, found["changes"]
    change = found["changes"][0]
    assert change["first"]["value"] == str(threshold)
    assert change["last"]["value"] == str(threshold - unit)
    assert change["first"]["text"] == "1.0 x 10^26"
    assert change["last"]["text"] == "9.9999999999999 x 10^25"
    assert change["before"]["outcome"] == "not_controlled"
    assert_decides_as_claimed(WEIGHTS_1E26, "model.training_operations", change)
    text = " ".join(run(WEIGHTS_1E26, "--vary", "model.training_operations").stdout.split())
    assert "from 1.0 x 10^26 the outcome is license_required" in text


def test_operations_bounds_accept_the_printed_form():
    found = report(WEIGHTS_1E26, "--vary", "model.training_operations", "--min", "9.9 x 10^25", "--max", "3e26")
    assert found["range"]["min"]["text"] == "9.9 x 10^25" and found["range"]["max"]["value"] == str(3 * 10**26)


def test_date_boundary_at_the_effective_date_on_both_engines():
    effective = dt.date.fromisoformat(PARAMS["dates"]["effective"])
    found = report(LPP, "--vary", "as_of")
    assert found["kind"] == "date"
    first_dates = [c["first"]["value"] for c in found["changes"]]
    assert effective.isoformat() in first_dates
    change = found["changes"][first_dates.index(effective.isoformat())]
    assert change["last"]["value"] == (effective - dt.timedelta(days=1)).isoformat()
    assert change["before"]["outcome"] == "framework_not_in_effect"
    assert_decides_as_claimed(LPP, "as_of", change)
    # the default range: a year either side of the dates in the policy data
    dates = boundaries.policy_dates()
    assert found["range"]["min"]["value"] < PARAMS["dates"]["effective"] < found["range"]["max"]["value"]
    assert dt.date.fromisoformat(found["range"]["max"]["value"]).toordinal() > max(dates)
    text = " ".join(run(LPP, "--vary", "as_of").stdout.split())
    assert f"The first as-of date on which the request ships under LPP is {effective.isoformat()}" in text


def test_every_change_point_in_a_range_matches_a_brute_force_walk():
    """Each day from --min to --max decided one by one: the boundary report names exactly the
    days on which the decision changes (here the effective date and the end of a 180-day notice)."""
    low, high = dt.date(2024, 12, 1), dt.date(2026, 1, 31)
    found = report(UVEU_PLAN, "--vary", "as_of", "--min", low.isoformat(), "--max", high.isoformat())
    request = reading.load(str(UVEU_PLAN))
    walked, previous = [], None
    for n in range((high - low).days + 1):
        day = (low + dt.timedelta(days=n)).isoformat()
        now = decided(request, "as_of", day, "regorus")
        if previous is not None and now != previous:
            walked.append(day)
        previous = now
    assert len(walked) >= 2
    assert [c["first"]["value"] for c in found["changes"]] == walked
    assert found["search"]["evaluations"] < (high - low).days / 2  # and far fewer decisions
    for change in found["changes"]:
        assert_decides_as_claimed(UVEU_PLAN, "as_of", change)


def test_installed_base_entry_with_two_change_points():
    """Growing the German installed base first brings Malaysia under 7% of the total, then pushes
    Germany over its own limits: both change points are found, both exact."""
    found = report(UVEU_PLAN, "--vary", "installed[1].tpp")
    assert len(found["changes"]) == 2
    assert [c["after"]["allowed"] for c in found["changes"]] == [True, False]
    assert found["intervals"][1]["from"]["value"] <= found["current"]["value"] <= found["intervals"][1]["to"]["value"]
    for change in found["changes"]:
        assert_decides_as_claimed(UVEU_PLAN, "installed[1].tpp", change)


def test_tpp_per_unit_and_density_boundaries_are_the_3a090_thresholds():
    thresholds = PARAMS["thresholds_3a090"]
    found = report(LPP, "--vary", "items[0].tpp_per_unit", "--max", "30000")
    firsts = [c["first"]["value"] for c in found["changes"]]
    assert thresholds["a2_tpp_min"] in firsts  # density 19.4 >= 5.92: 3A090.a.2 from 1,600 TPP
    assert PARAMS["lpp"]["annual_limit_tpp"] // 1000 + 1 in firsts  # 1,000 chips: the LPP cap per chip
    vietnam = EXAMPLES / "12-b-level-chip-to-vietnam.json"
    density = report(vietnam, "--vary", "items[0].performance_density")
    assert density["kind"] == "number"
    assert [c["first"]["value"] for c in density["changes"]] == [thresholds["b1_density_min"],
                                                                 thresholds["a2_density_min"]]
    assert density["changes"][0]["last"]["text"] == "1.5999"
    for change in density["changes"]:
        assert_decides_as_claimed(vietnam, "items[0].performance_density", change)


def test_values_the_schema_refuses_are_reported_as_a_subrange():
    result = run(LPP, "--vary", "items[0].quantity", "--min", "-5", "--max", "10", "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["range"]["min"]["value"] == 1
    assert "allows no items[0].quantity below 1" in found["notes"][0]
    # the whole-request TPP limit (aidf.limits) refuses the top of the history range
    top = report(LPP, "--vary", "history.lpp_tpp_received_this_year")
    refused = top["intervals"][-1]
    assert refused["outcome"] == "refused" and "TPP" in refused["refused"]
    change = top["changes"][-1]
    request = reading.load(str(LPP))
    with pytest.raises(aidf.InvalidRequest):
        aidf.evaluate(overrides.apply(request, [("history.lpp_tpp_received_this_year", change["first"]["value"])],
                                      from_text=False))
    assert decided(request, "history.lpp_tpp_received_this_year", change["last"]["value"], "regorus")["allowed"] is False


def test_the_evaluation_cap_is_kept_and_said():
    result = run(UVEU_PLAN, "--vary", "installed[1].tpp", "--max-evaluations", "20")
    assert result.exit_code == 0, result.output
    assert "INCOMPLETE" in result.stdout and "not resolved" in result.stdout
    found = report(UVEU_PLAN, "--vary", "installed[1].tpp", "--max-evaluations", "20")
    assert found["search"]["evaluations"] <= 20 and found["search"]["complete"] is False
    assert not all(c["exact"] for c in found["changes"])


def test_opa_engine_finds_the_same_boundaries():
    on_regorus = report(LPP, "--vary", "items[0].quantity", "--max", "2000")
    on_opa = report(LPP, "--vary", "items[0].quantity", "--max", "2000", "--engine", "opa")
    assert on_opa["engine"] == "opa"
    assert on_opa["intervals"] == on_regorus["intervals"] and on_opa["changes"] == on_regorus["changes"]


def test_view_and_as_of_apply_to_every_probe():
    found = report(LPP, "--vary", "items[0].quantity", "--view", "enforced", "--as-of", "2025-08-01")
    assert found["view"] == "enforced" and found["as_of"] == "2025-08-01"
    assert found["changes"] == []  # BIS does not enforce the LPP cap
    assert "The outcome is the same over the whole range" in run(LPP, "--vary", "items[0].quantity", "--view",
                                                                 "enforced").stdout


def test_operations_text():
    assert boundaries.operations_text(10**26) == "1.0 x 10^26"
    assert boundaries.operations_text(10**26 - 10**12) == "9.9999999999999 x 10^25"
    assert boundaries.operations_text(131 * 10**24) == "1.31 x 10^26"
    assert boundaries.operations_text(0) == "0"


# --- bad input: one line, the right exit code ----------------------------------------------
@pytest.mark.parametrize("args, code, words", [
    (["missing.json", "--vary", "items[0].quantity"], 3, "cannot read missing.json"),
    ([LPP, "--vary", "items[3].quantity"], 3, "items has 1 entry, so there is no items[3]"),
    ([LPP, "--vary", "items[0].weight"], 3, "items[0].weight: an export_chips request has no such field"),
    ([LPP, "--vary", "destination"], 3, "destination is a country code, not a number"),
    ([LPP, "--vary", "items[0].designed_for_data_centers"], 3, "is yes or no, not a number"),
    ([LPP, "--vary", "items..quantity"], 3, "is not a field path"),
    ([LPP, "--vary", "items[0].quantity", "--min", "lots"], 2, "--min 'lots' is not a number"),
    ([LPP, "--vary", "items[0].quantity", "--max", "1.5"], 2, "--max '1.5' is not a whole number"),
    ([LPP, "--vary", "as_of", "--min", "2025-02-30"], 2, "is not a date in YYYY-MM-DD form"),
    ([WEIGHTS_1E26, "--vary", "model.training_operations", "--min", "5e11"], 2, "not a whole multiple of 10^12"),
    ([LPP, "--vary", "items[0].quantity", "--min", "900", "--max", "100"], 2, "--min 900 is above --max 100"),
    ([LPP, "--vary", "items[0].quantity", "--min", "7", "--max", "7"], 2, "nothing varies"),
    ([LPP, "--vary", "items[0].quantity", "--min", "200,000,000", "--max", "300,000,000"], 3,
     "holds no two values the request schema accepts (it allows 1 to 100,000,000)"),
    ([UVEU_PLAN, "--vary", "installed[0].chips"], 3, "invalid at every value"),
])
def test_bad_input_is_one_line_and_its_exit_code(args, code, words):
    result = run(*args)
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aidf: ") and words in lines[0], result.stderr
    assert "Traceback" not in result.output


def test_usage_errors():
    assert run(LPP).exit_code == 2  # no --vary
    clash = run(LPP, "--vary", "as_of", "--as-of", "2025-06-01")
    assert clash.exit_code == 2 and "--as-of fixes the as-of date" in clash.stderr


def test_an_invalid_request_is_exit_3(tmp_path):
    request = json.loads(LPP.read_text())
    request["destination"] = "XX"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(request))
    result = run(path, "--vary", "items[0].quantity")
    assert result.exit_code == 3 and "destination: " in result.stderr and "$." not in result.stderr


def test_an_engine_that_cannot_load_is_exit_4(tmp_path):
    (tmp_path / "aidf").mkdir()
    (tmp_path / "aidf" / "broken.rego").write_text("package aidf.main\n\ndecision := {\n")
    result = run(LPP, "--vary", "items[0].quantity", env={"AIDF_POLICY_DIR": str(tmp_path)})
    assert result.exit_code == 4, result.output
    assert result.stderr.startswith("aidf: ") and len(result.stderr.strip().splitlines()) == 1


def test_control_characters_in_a_path_are_shown_escaped():
    result = run(LPP, "--vary", "items[0].quantity\x1b[2J")
    assert result.exit_code == 3 and "\x1b" not in result.stderr and "\\x1b" in result.stderr


# --- as a user runs it ------------------------------------------------------------------------
def test_installed_command_in_a_subprocess():
    env = dict(os.environ, NO_COLOR="1")
    done = subprocess.run([str(AIDF), "boundary", str(LPP), "--vary", "items[0].quantity", "--format", "json"],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    largest = PARAMS["lpp"]["annual_limit_tpp"] // json.loads(LPP.read_text())["items"][0]["tpp_per_unit"]
    assert found["changes"][0]["last"]["value"] == largest
    missing = subprocess.run([str(AIDF), "boundary", "nope.json", "--vary", "as_of"], capture_output=True, text=True,
                             env=env, timeout=60, check=False)
    assert missing.returncode == 3 and missing.stderr.startswith("aidf: ") and missing.stdout == ""


def test_standard_input():
    done = subprocess.run([str(AIDF), "boundary", "-", "--vary", "items[0].quantity", "--max", "2000"],
                          input=LPP.read_text(), capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "Boundary of items[0].quantity (quantity of H100 SXM GPUs) in standard input" in done.stdout
    assert "\x1b" not in done.stdout  # piped: no colour


def test_the_request_file_is_not_changed():
    before = LPP.read_text()
    report(LPP, "--vary", "items[0].quantity", "--max", "2000")
    assert LPP.read_text() == before


def test_set_changes_facts_before_the_search():
    """--set: the same boundary as a request written with those facts; a bad --set is exit 3."""
    germany = EXAMPLES / "01-aia-us-to-germany.json"
    per_unit = json.loads(LPP.read_text())["items"][0]["tpp_per_unit"]
    as_shipped = report(LPP, "--vary", "items[0].quantity")["changes"][0]["first"]["value"]
    received = 100 * per_unit  # LPP TPP already received this year: 100 chips' worth less headroom
    moved = report(LPP, "--vary", "items[0].quantity", "--set", f"history.lpp_tpp_received_this_year={received}")
    assert moved["changes"][0]["first"]["value"] == as_shipped - 100
    bad = run(germany, "--vary", "items[0].quantity", "--set", "items[9].quantity=1")
    assert bad.exit_code == 3 and "--set items[9].quantity: items has" in bad.output
