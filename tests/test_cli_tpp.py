"""`aidf tpp`: the arithmetic of the 3A090 Technical Notes, its output formats and bad input, and a
grid around every threshold showing that what it prints is what the policy decides (regorus and OPA)."""
from __future__ import annotations

import copy
import json
import math
import os
import shutil
import subprocess
from fractions import Fraction

import pytest
from click.testing import CliRunner

import aidf
from aidf.cli import main
from conftest import EXAMPLES, ROOT

AIDF = ROOT / ".venv" / "bin" / "aidf"  # the installed console script, as a user runs it
PARAMS = json.loads((ROOT / "policies" / "aidf" / "facts" / "params" / "data.json").read_text())
T = PARAMS["thresholds_3a090"]


def tpp(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, ["tpp", *args], env=env)


def as_json(*args: str) -> dict:
    result = tpp(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- arithmetic ---------------------------------------------------------------------------------
def test_h100_from_dense_figures_is_3a090_a1_with_each_step_shown():
    result = tpp("--tops", "1,978.9", "--bits", "8", "--tops", "989.4", "--bits", "16", "--die-area", "814")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "8-bit: TPP = 1,978.9 TOPS x 8 bits = 15,831.2" in text
    assert "16-bit: TPP = 989.4 TOPS x 16 bits = 15,830.4" in text
    assert "highest TPP of the 2 bit lengths: 15,831.2 (8-bit) [Technical Note 2 to ECCN 3A090]" in text
    assert "performance density = 15,831.2 / 814 mm2 = 19.448649 (rounded)" in text
    assert "TPP 15,832, performance density 19.4487" in text  # rounded up, as a request carries them
    assert "Result: ECCN 3A090.a (paragraph 3A090.a.1)" in text
    assert "[15 CFR part 774, Supp. No. 1, ECCN 3A090.a.1; Technical Notes to 3A090]" in text
    assert "[15 CFR 742.6(a)(6)(iii)(A)]" in text
    assert "assumed yes" in text  # no --datacenter given: said, not hidden
    assert "\x1b" not in text  # not a terminal: no colour
    assert text.index("Arithmetic") < text.index("Tests") < text.index("Result")


def test_sparse_mac_and_dies_give_the_same_tpp_by_their_own_routes():
    dense = as_json("--tops", "1978.9", "--bits", "8", "--die-area", "814")
    sparse = as_json("--tops", "3957.8", "--bits", "8", "--sparse", "--die-area", "814")
    mac = as_json("--tops", "989.45", "--bits", "8", "--mac", "--die-area", "814")
    assert dense["tpp"] == sparse["tpp"] == mac["tpp"] == {"exact": 15831.2, "per_unit": 15832, "bits": 8}
    assert sparse["steps"][0]["text"] == "8-bit: 3,957.8 TOPS with sparsity / 2 = 1,978.9 TOPS dense"
    assert sparse["steps"][0]["citation"] == "Technical Note 3 to ECCN 3A090"
    assert mac["steps"][0]["text"] == "8-bit: TPP = 2 x 989.45 MacTOPS x 8 bits = 15,831.2"
    two = as_json("--tops", "1978.9", "--bits", "8", "--dies", "2", "--die-area", "814")
    assert two["tpp"]["per_unit"] == 31663  # 31,662.4 rounded up
    assert two["performance_density"] == dense["performance_density"]  # TPP and area both doubled
    assert [s["text"] for s in two["steps"]][1:3] == ["TPP over 2 dies: 15,831.2 x 2 = 31,662.4",
                                                     "applicable die area: 814 mm2 x 2 dies = 1,628 mm2"]


def test_technical_note_example_600_tera_integer_ops_at_8_bits_is_4800():
    # Technical Note 2's own example: 600 tera integer ops at 8 bits, or 300 TFLOPS at 16 bits.
    for args in (["--tops", "600", "--bits", "8"], ["--tops", "300", "--bits", "16"]):
        document = as_json(*args, "--die-area", "1000")
        assert document["tpp"]["per_unit"] == T["a1_tpp_min"]
        assert document["classification"]["paragraph"] == "3A090.a.1"


def test_note1_consumer_chip_and_the_nac_aca_note_above_4800():
    below = as_json("--tops", "400", "--bits", "8", "--die-area", "300", "--no-datacenter")
    assert below["classification"]["paragraph"] == "note1"
    assert below["classification"]["eccn"] is None
    assert below["classification"]["citation"] == "15 CFR part 774, Supp. No. 1, Note 1 to ECCN 3A090.a and .b"
    above = as_json("--tops", "600", "--bits", "8", "--die-area", "300", "--no-datacenter")
    assert above["classification"]["paragraph"] == "3A090.a.1"
    assert any("NAC and ACA" in n["text"] and "15 CFR 740.8" in n["citation"] for n in above["notes"])
    assert not above["inputs"]["designed_for_data_centers_assumed"]


def test_rounding_up_is_said_when_it_changes_the_paragraph():
    # 599.9 x 8 = 4,799.2: below 4,800 exactly, 4,800 as a request carries it.
    document = as_json("--tops", "599.9", "--bits", "8", "--die-area", "4000")
    assert document["tpp"] == {"exact": 4799.2, "per_unit": 4800, "bits": 8}
    assert document["classification"]["paragraph"] == "3A090.a.1"
    assert document["classification"]["unrounded_paragraph"] == "none"
    assert any("unrounded" in n["text"] for n in document["notes"])


def test_formats_item_json_and_the_json_shorthand_agree():
    args = ["--tops", "1978.9", "--bits", "8", "--die-area", "814", "--quantity", "1000",
            "--description", "H100 SXM", "--datacenter"]
    item = json.loads(tpp(*args, "--json").stdout)
    assert item == json.loads(tpp(*args, "--format", "item").stdout) == as_json(*args)["item"]
    assert item == {"description": "H100 SXM", "quantity": 1000, "tpp_per_unit": 15832,
                    "performance_density": 19.4487, "designed_for_data_centers": True}


def test_a_description_with_control_characters_is_escaped_in_text_and_kept_in_json():
    args = ["--tops", "100", "--bits", "8", "--die-area", "800", "--description", "gpu\x1b[2Jx"]
    assert "Item: gpu\\x1b[2Jx" in tpp(*args).stdout
    assert json.loads(tpp(*args, "--json").stdout)["description"] == "gpu\x1b[2Jx"


def test_thresholds_come_from_the_policy_data(tmp_path):
    tree = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", tree)
    params_file = tree / "aidf" / "facts" / "params" / "data.json"
    params = json.loads(params_file.read_text())
    params["thresholds_3a090"]["a1_tpp_min"] = 5000
    params_file.write_text(json.dumps(params))
    args = ["--tops", "600", "--bits", "8", "--die-area", "4000", "--format", "json"]  # TPP 4,800, density 1.2
    assert json.loads(tpp(*args).stdout)["classification"]["paragraph"] == "3A090.a.1"
    changed = json.loads(tpp(*args, env={"AIDF_POLICY_DIR": str(tree)}).stdout)
    assert changed["classification"]["paragraph"] == "none"
    assert changed["tests"][1]["test"] == "TPP 5,000 or more"


def test_unreadable_policy_data_is_exit_4_in_one_line(tmp_path):
    tree = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", tree)
    params_file = tree / "aidf" / "facts" / "params" / "data.json"
    params = json.loads(params_file.read_text())
    del params["thresholds_3a090"]["b2_density_min"]
    params_file.write_text(json.dumps(params))
    result = tpp("--tops", "600", "--bits", "8", "--die-area", "4000", env={"AIDF_POLICY_DIR": str(tree)})
    assert result.exit_code == 4
    assert result.stderr.startswith("aidf: cannot read the 3A090 thresholds") and result.stderr.count("\n") == 1
    missing = tpp("--tops", "600", "--bits", "8", "--die-area", "4000", env={"AIDF_POLICY_DIR": str(tmp_path / "no")})
    assert missing.exit_code == 4
    assert missing.stderr.startswith("aidf: cannot find the policies") and missing.stderr.count("\n") == 1


# --- bad input: one line on stderr, exit 2 --------------------------------------------------------
GOOD = ["--tops", "100", "--bits", "8", "--die-area", "800"]


@pytest.mark.parametrize("args, says", [
    (["--tops", "abc", "--bits", "8", "--die-area", "800"], "'abc' is not a number"),
    (["--tops", "-5", "--bits", "8", "--die-area", "800"], "'-5' is not above zero"),
    (["--tops", "0", "--bits", "8", "--die-area", "800"], "'0' is not above zero"),
    (["--tops", "nan", "--bits", "8", "--die-area", "800"], "'nan' is not a number"),
    (["--tops", "inf", "--bits", "8", "--die-area", "800"], "'inf' is not a number"),
    (["--tops", "1e999999", "--bits", "8", "--die-area", "800"], "out of range"),
    (["--tops", "1,00", "--bits", "8", "--die-area", "800"], "thousands separators"),
    (["--tops", "100", "--bits", "0", "--die-area", "800"], "0 bits is not a bit length"),
    (["--tops", "100", "--bits", "-8", "--die-area", "800"], "-8 bits is not a bit length"),
    (["--tops", "100", "--bits", "8.5", "--die-area", "800"], "'8.5' is not a whole number of bits"),
    (["--tops", "100", "--bits", "eight", "--die-area", "800"], "'eight' is not a whole number of bits"),
    (["--bits", "8", "--die-area", "800"], "--bits 8 has no --tops"),
    (["--die-area", "800"], "give at least one --tops N --bits B pair"),
    (["--tops", "100", "--die-area", "800"], "1 --tops but 0 --bits"),
    (["--tops", "100", "--tops", "50", "--bits", "8", "--die-area", "800"], "2 --tops but 1 --bits"),
    (["--tops", "100", "--bits", "8"], "Missing option '--die-area'"),
    (["--tops", "100", "--bits", "8", "--die-area", "0"], "'0' is not above zero"),
    (["--tops", "100", "--bits", "8", "--die-area", "-1"], "'-1' is not above zero"),
    (["--tops", "100", "--bits", "8", "--die-area", "1000000"], "larger than a 300 mm wafer"),
    (["--tops", "1e12", "--bits", "64", "--die-area", "800"], "more than the 100,000,000"),
    (["--tops", "100", "--bits", "8", "--die-area", "0.0001"], "performance density of 8,000,000"),
    (["--tops", "100", "--bits", "8", "--dies", "0", "--die-area", "800"], "'--dies'"),
    ([*GOOD, "--quantity", "0"], "'--quantity'"),
    ([*GOOD, "--quantity", "100000001"], "more than the 100,000,000"),
    ([*GOOD, "--description", ""], "--description must be 1 to 300 characters"),
    ([*GOOD, "--json", "--format", "text"], "--json is --format item"),
    ([*GOOD, "--bogus"], "No such option '--bogus'"),
])
def test_bad_input_is_one_line_and_exit_2(args, says):
    result = tpp(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("aidf: ") and result.stderr.count("\n") == 1, result.stderr
    assert says in result.stderr


# --- the classification agrees with the policy, on both engines -----------------------------------
def _around(values, step: Fraction, extras) -> list[Fraction]:
    """Just below (by a whole step and by half of one, which rounds up onto the threshold), at, and just
    above each threshold; plus values clear of all of them."""
    return sorted({Fraction(str(v)) + d for v in values for d in (-step, -step / 2, 0, step)}
                  | {Fraction(str(x)) for x in extras})


def _decimal_text(value: Fraction, places: int) -> str:
    """value rounded UP to `places` decimals, written out."""
    scaled = math.ceil(value * 10 ** places)
    return f"{scaled // 10 ** places}.{scaled % 10 ** places:0{places}d}"


TPP_GRID = _around({T[k] for k in T if "tpp" in k}, Fraction(1), [1000, 10000])
DENSITY_GRID = _around({T[k] for k in T if "density" in k}, Fraction(1, 10000), ["0.5", "10"])
GRID = [(t, d, dc) for t in TPP_GRID for d in DENSITY_GRID for dc in (True, False)]


def _args(t: Fraction, d: Fraction, dc: bool) -> list[str]:
    # 8-bit TOPS of t / 8 give TPP t exactly; an area rounded up by 10^-10 mm2 gives a density a hair
    # under d, which rounds up to d when d has four places (and to d's ceiling when it has more).
    return ["--tops", _decimal_text(t / 8, 4), "--bits", "8", "--die-area", _decimal_text(t / d, 10),
            "--datacenter" if dc else "--no-datacenter"]


@pytest.fixture(scope="module")
def printed():
    """For each grid point: the JSON document, the --json item and the text result line."""
    out = []
    for t, d, dc in GRID:
        args = _args(t, d, dc)
        document = as_json(*args)
        item = json.loads(tpp(*args, "--json").stdout)
        text = tpp(*args).stdout
        result_line = next(line for line in text.splitlines() if line.startswith("Result: "))
        out.append((document, item, result_line))
    return out


def test_the_grid_lands_on_every_threshold_and_every_paragraph(printed):
    for (t, d, _), (document, item, _) in zip(GRID, printed):
        assert item["tpp_per_unit"] == math.ceil(t)
        assert Fraction(str(item["performance_density"])) == Fraction(math.ceil(d * 10000), 10000)
    assert {document["classification"]["paragraph"] for document, _, _ in printed} == {
        "note1", "3A090.a.1", "3A090.a.2", "3A090.b.1", "3A090.b.2", "none"}


def _request(items: list[dict]) -> dict:
    request = json.loads((EXAMPLES / "01-aia-us-to-germany.json").read_text())
    request["items"] = items
    return request


@pytest.mark.parametrize("engine_name", ["regorus", "opa"])
def test_every_grid_point_is_classified_as_the_policy_classifies_it(printed, engine_name):
    decided = aidf.evaluate(_request([copy.deepcopy(item) for _, item, _ in printed]), engine_name=engine_name)
    classified = decided.document["items"]
    assert len(classified) == len(GRID)
    for (t, d, dc), (document, _, result_line), by_policy in zip(GRID, printed, classified):
        where = f"TPP {t}, density {d}, data center {dc}"
        assert by_policy["eccn"] == document["classification"]["eccn"], where
        assert by_policy["paragraph"] == document["classification"]["paragraph"], where
        assert by_policy["basis"] == "parameters", where
        if by_policy["eccn"]:
            assert result_line.startswith(f"Result: ECCN {by_policy['eccn']} (paragraph {by_policy['paragraph']})")
        else:
            assert result_line.startswith("Result: not 3A090"), where


def test_one_request_per_threshold_point_on_both_engines(printed):
    # The same, one item per request, for the points exactly at a threshold.
    at = [i for i, (t, d, _) in enumerate(GRID)
          if (t.denominator == 1 and t in {Fraction(str(T[k])) for k in T if "tpp" in k})
          and d in {Fraction(str(T[k])) for k in T if "density" in k}]
    assert len(at) == 3 * 3 * 2
    for i in at:
        document, item, _ = printed[i]
        for engine_name in ("regorus", "opa"):
            (by_policy,) = aidf.evaluate(_request([item]), engine_name=engine_name).document["items"]
            assert (by_policy["eccn"], by_policy["paragraph"]) == (
                document["classification"]["eccn"], document["classification"]["paragraph"]), (GRID[i], engine_name)


# --- the real command ----------------------------------------------------------------------------
def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(AIDF), *args], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "NO_COLOR": "1"})


def test_real_command_item_pasted_into_a_request_is_decided_as_printed(tmp_path):
    chip = ["--tops", "1978.9", "--bits", "8", "--die-area", "814", "--quantity", "1000", "--description", "H100"]
    item = _run("tpp", *chip, "--json")
    assert item.returncode == 0, item.stderr
    path = tmp_path / "request.json"
    path.write_text(json.dumps(_request([json.loads(item.stdout)])))
    decided = _run("check", str(path), "--format", "json")
    assert decided.returncode == 0, decided.stderr
    (by_policy,) = json.loads(decided.stdout)["items"]
    assert (by_policy["eccn"], by_policy["paragraph"], by_policy["tpp_total"]) == ("3A090.a", "3A090.a.1", 15832000)
    text = _run("tpp", *chip)
    assert "Result: ECCN 3A090.a (paragraph 3A090.a.1)" in text.stdout
    assert "tpp" in _run("--help").stdout


def test_real_command_bad_input_is_one_line_exit_2():
    result = _run("tpp", "--bits", "8", "--die-area", "800")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "aidf: --bits 8 has no --tops: give --tops N --bits B (see aidf tpp --help)\n"
