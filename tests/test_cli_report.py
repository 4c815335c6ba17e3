"""`aidf report`: memo-ready Markdown and self-contained HTML, on the real engines."""
from __future__ import annotations

import datetime
import json
import os
import pathlib
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

import aidf
import aidf.reading
import aidf.report
from aidf.cli import main

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AIDF = pathlib.Path(sys.executable).parent / "aidf"

LPP = EXAMPLES / "03-lpp-singapore-first-order.json"  # allowed under LPP, with an LPP usage bar
UVEU_OVER = EXAMPLES / "22-plan-uveu-7-percent-one-tpp-over.json"  # deploy_compute, over the 7% limit
ALLOCATION_OVER = EXAMPLES / "41-allocation-malaysia-one-tpp-over.json"  # country_allocation, policy of denial
NVEU_OVER = EXAMPLES / "30-plan-nveu-india-over-2025-q4-cap.json"  # deploy_compute against a TPP cap

SUITE = f"""\
suite: LPP first orders
description: A Singapore company's first LPP order of the year.
base: {LPP}
as_of: "2025-06-01"
cases:
  - name: the first order ships under LPP
    source: 15 CFR 740.29(d)
    expect:
      allowed: true
      authorization: LPP
      reasons: [AUTH_CHOSEN]
  - name: a wrong expectation fails
    note: the author expected AIA
    expect:
      authorization: AIA
"""


def report(*args, env=None):
    result = CliRunner().invoke(main, ["report", *map(str, args)], env=env)
    assert "Traceback" not in result.output
    return result


def decision(path, **options) -> dict:
    return aidf.evaluate(json.loads(pathlib.Path(path).read_text()), **options).document


def write_json(tmp_path, value, name="request.json") -> pathlib.Path:
    path = tmp_path / name
    path.write_text(json.dumps(value))
    return path


def one_error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("aidf: "), lines[0]
    return lines[0]


# -- what a request's report says ---------------------------------------------------------------

def test_a_request_report_gives_outcome_reasons_obligations_and_authorizations():
    result = report(LPP)
    assert result.exit_code == 0, result.output
    text = result.stdout
    expected = decision(LPP)
    assert "## 1. Request ex-03" in text
    assert ("**Allowed:** yes · **Outcome:** license exception · **Authorization:** LPP — License Exception LPP "
            "(Low Processing Performance) · **Review policy:** none") in text
    # every reason, in the decision's order, with its citation
    reasons = [line for line in text.splitlines() if re.match(r"\d+\. ", line)][:len(expected["reasons"])]
    assert [r.split(" — ")[-1].split(" *(")[0] for r in reasons] == [r["citation"] for r in expected["reasons"]]
    # every obligation with when it is due
    for obligation in expected["obligations"]:
        assert f"**Due: {obligation['due']}.**" in text
        assert obligation["citation"] in text
    # the authorizations considered: the one relied on first, then why each other is not available
    section = text.split("### Authorizations considered")[1].split("###")[0]
    names = re.findall(r"^- \*\*(\w+)\*\*", section, flags=re.M)
    assert names[0] == "LPP" and sorted(names[1:]) == names[1:] and len(names) == 7
    assert "available, relied on" in section
    assert "AIA is unavailable because the consignee is headquartered in Singapore (SG)" in section
    # numbers with thousands separators, dates written out (1 July 2025, not 2025-07-01)
    assert "| 0 TPP | 15,832,000 TPP | 26,900,000 TPP | within the limit |" in text
    assert "by 1 July 2025 if shipped on the as-of date" in text and "2025-07-01" not in text


def test_the_header_names_the_date_view_revision_and_the_command_that_reproduces_it():
    text = report(LPP).stdout
    revision = decision(LPP)["policy_revision"]
    assert "- **As of:** 1 June 2025\n" in text
    assert "- **View:** as written\n" in text
    assert f"- **Policy revision:** {revision}\n" in text
    assert "- **Engine:** regorus\n" in text
    assert f"  aidf report {LPP} --format markdown\n" in text


def test_as_of_and_view_override_the_request_and_appear_in_the_command(tmp_path):
    out = tmp_path / "r.md"
    result = report(LPP, "-o", out, "--as-of", "2026-02-01", "--view", "enforced")
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "- **As of:** 1 February 2026 (--as-of)" in text
    assert "- **View:** enforced" in text
    assert f"aidf report {LPP} --format markdown -o {out} --as-of 2026-02-01 --view enforced" in text
    assert "As of 1 February 2026; view: enforced" in text


def test_a_request_without_a_date_is_decided_as_of_today_and_the_header_says_so(tmp_path):
    request = json.loads(LPP.read_text())
    del request["as_of"]
    text = report(write_json(tmp_path, request)).stdout
    today = aidf.report.written_date(datetime.datetime.now(datetime.timezone.utc).date().isoformat())
    assert f"- **As of:** {today} (a request that names no date is decided as of the day the report is made)" \
        in text


def test_several_requests_keep_the_order_given_and_get_an_overview():
    forward = report(LPP, ALLOCATION_OVER).stdout
    backward = report(ALLOCATION_OVER, LPP).stdout
    assert forward.index("Request ex-03") < forward.index("Request alloc-41")
    assert backward.index("Request alloc-41") < backward.index("Request ex-03")
    assert "| 1 | Request ex-03 | Allowed | license exception | LPP | none |" in forward
    assert "| 2 | Request alloc-41 | Not allowed | beyond allocation | none | policy of denial |" in forward
    assert "- **As of:** each request's own: 1 June 2025, 1 September 2025" in forward
    assert report(LPP, ALLOCATION_OVER).stdout == forward  # stable: the same report twice


def test_limits_show_shares_and_caps_before_and_after():
    text = report(UVEU_OVER, NVEU_OVER, ALLOCATION_OVER).stdout
    assert "| Malaysia (MY) (binding) | 0.00% | 7.00% | 7% | over the limit | 15 CFR part 748, Supp. No. 10, para. 6 |" \
        in text.replace("\\.", ".")
    assert "| 1,600,000,000 TPP | 1,741,520,000 TPP | 1,582,500,000 TPP | over the limit |" in text
    assert "| Country allocation of Malaysia (MY) for 2025-2027 | 700,000,000 TPP | 790,000,001 TPP | " \
           "790,000,000 TPP | over the limit |" in text
    assert "- Notice to BIS: 180 days, not given yet; not authorized before 31 July 2026." in text


def test_a_report_on_requests_that_are_not_allowed_still_exits_0(tmp_path):
    result = report(ALLOCATION_OVER, "-o", tmp_path / "r.md")
    assert result.exit_code == 0
    assert result.stderr == f"aidf: wrote {tmp_path / 'r.md'} (1 request)\n"


def test_markdown_makes_input_text_inert(tmp_path):
    request = json.loads(LPP.read_text())
    request["request_id"] = "<b>*x*</b> [link](http://e) | pipe"
    text = report(write_json(tmp_path, request)).stdout
    assert "## 1. Request \\<b\\>\\*x\\*\\</b\\> \\[link\\](http://e) \\| pipe" in text
    assert "<b>" not in text


def test_the_engines_agree_on_the_report():
    regorus = report(LPP, UVEU_OVER).stdout
    opa = report(LPP, UVEU_OVER, "--engine", "opa").stdout
    assert opa.replace("**Engine:** opa", "**Engine:** regorus").replace(" --engine opa", "") == regorus


# -- suites -------------------------------------------------------------------------------------

def test_a_suite_report_adds_the_pass_fail_table_and_a_section_per_case(tmp_path):
    suite = tmp_path / "lpp.yaml"
    suite.write_text(SUITE)
    result = report(suite)
    assert result.exit_code == 0, result.output  # a failing case is part of the report
    text = result.stdout
    assert "## Suite: LPP first orders" in text
    assert "| # | Case | Source | Result | Expected | Got | First difference |" in text
    assert ("| 1 | the first order ships under LPP (line 6) | 15 CFR 740.29(d) | PASS | allowed: true; "
            "authorization: LPP; reasons: AUTH_CHOSEN | as expected | - |") in text
    assert ("| 2 | a wrong expectation fails (line 12) | - | FAIL | authorization: AIA | authorization: LPP | "
            "authorization: expected AIA, got LPP |") in text
    assert "**1 of 2 cases passed, 1 failed.**" in text
    assert "## 2. Case a wrong expectation fails" in text
    assert f"Source: {suite}:12" in text
    assert "Case result: **FAIL** — authorization: expected AIA, got LPP" in text
    assert "Note: the author expected AIA" in text
    assert "- **As of:** 1 June 2025\n" in text


def test_as_of_applies_to_every_case_of_a_suite(tmp_path):
    suite = tmp_path / "lpp.yaml"
    suite.write_text(SUITE)
    text = report(suite, "--as-of", "2024-12-01").stdout
    assert "- **As of:** 1 December 2024 (--as-of)" in text
    assert "**0 of 2 cases passed, 2 failed.**" in text  # the framework was not yet in effect


def test_a_case_whose_request_is_invalid_is_exit_3_naming_the_case(tmp_path):
    suite = tmp_path / "lpp.yaml"
    suite.write_text(SUITE.replace("    note: the author expected AIA\n",
                                   "    note: the author expected AIA\n    set:\n      destination: XX\n"))
    result = report(suite, "-o", tmp_path / "r.md")
    assert result.exit_code == 3
    line = one_error_line(result)
    assert line.startswith(f"aidf: invalid suite {suite}:12: case 'a wrong expectation fails': invalid request: ")
    assert "'XX' is not a known ISO 3166-1 alpha-2 country code" in line
    assert not (tmp_path / "r.md").exists()


def test_a_yaml_file_without_a_suite_key_is_a_request(tmp_path):
    yaml = pytest.importorskip("yaml")
    request = tmp_path / "request.yaml"
    request.write_text("# written by hand\n" + yaml.safe_dump(json.loads(LPP.read_text())))
    try:
        aidf.reading.load(str(request))
    except aidf.InvalidRequest as exc:
        pytest.skip(f"aidf.reading does not read YAML requests: {exc}")
    suite = tmp_path / "lpp.yaml"
    suite.write_text(SUITE)
    text = report(request, suite).stdout
    assert "## Suite: LPP first orders" in text
    assert "## 1. Request ex-03" in text and "## 2. Case the first order ships under LPP" in text


def test_an_invalid_suite_is_one_line_naming_file_and_line(tmp_path):
    suite = tmp_path / "bad.yaml"
    suite.write_text(SUITE.replace("    expect:\n      authorization: AIA\n", "    expect: {}\n"))
    result = report(suite)
    assert result.exit_code == 3
    assert re.match(rf"aidf: invalid suite {re.escape(str(suite))}:\d+: .* \(no report written\)$",
                    one_error_line(result))


# -- HTML ---------------------------------------------------------------------------------------

def test_html_is_one_self_contained_page_with_charts(tmp_path):
    out = tmp_path / "r.html"
    assert report(LPP, UVEU_OVER, ALLOCATION_OVER, "--format", "html", "-o", out).exit_code == 0
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert "default-src 'none'; style-src 'unsafe-inline'" in page
    for external in (r"<script", r"<link", r"\bsrc\s*=", r"\bhref\s*=", r"url\(", r"@import", r"@font-face"):
        assert not re.search(external, page, flags=re.I), external
    assert page.count("<svg ") == 5  # LPP usage; three UVEU shares; the country allocation
    assert "<title id=\"chart-title-" in page and "aria-labelledby=" in page
    assert ">limit 7%</text>" in page and ">After: 7.00%</text>" in page
    assert "Before 0 TPP; after 15,832,000 TPP; limit 26,900,000 TPP; within the limit." in page
    assert "15 CFR 740.29(f)" in page and "Due: before the shipment." in page
    assert "@media print" in page and "break-before: page" in page


def test_html_escapes_every_string_from_the_input(tmp_path):
    request = json.loads(LPP.read_text())
    request["request_id"] = "<script>alert(1)</script>"
    request["items"][0]["description"] = "GPU \" onload=\"x"
    page = report(write_json(tmp_path, request), "--format", "html").stdout
    assert "<script" not in page.lower()
    assert "Request &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "GPU &quot; onload=&quot;x" in page


def test_control_characters_from_the_input_are_shown_not_passed_through(tmp_path):
    request = json.loads(LPP.read_text())
    request["request_id"] = "ok\x1b[2J\u202eevil"
    for fmt in ("markdown", "html"):
        text = report(write_json(tmp_path, request), "--format", fmt).stdout
        assert "\x1b" not in text and "\u202e" not in text
        assert "ok\\x1b" in text.replace("\\\\", "\\")


# -- output -------------------------------------------------------------------------------------

def test_dash_and_no_output_write_to_standard_output():
    assert report(LPP, "-o", "-").stdout == report(LPP).stdout
    assert report(LPP).stdout.startswith("# aidf decision report\n")


def test_an_existing_report_is_replaced_whole_and_kept_on_failure(tmp_path):
    out = tmp_path / "r.md"
    out.write_text("old report\n")
    out.chmod(0o640)
    assert report(LPP, "-o", out).exit_code == 0
    assert out.read_text().startswith("# aidf decision report")
    assert out.stat().st_mode & 0o777 == 0o640
    before = out.read_text()
    result = report(LPP, tmp_path / "missing.json", "-o", out)
    assert result.exit_code == 3
    assert out.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]  # no temporary file left behind


# -- bad input ----------------------------------------------------------------------------------

def test_a_missing_file_is_exit_3_in_one_line(tmp_path):
    missing = tmp_path / "nope.json"
    result = report(missing)
    assert result.exit_code == 3
    assert one_error_line(result) == f"aidf: cannot read {missing}: No such file or directory (no report written)"
    missing_suite = tmp_path / "nope.yaml"
    assert one_error_line(report(missing_suite)) == \
        f"aidf: cannot read {missing_suite}: No such file or directory (no report written)"


@pytest.mark.parametrize("content, says", [
    ("{not json", "malformed JSON at line 1 column 2"),
    ('{"action": "export_chips"}', "'destination' is a required property"),
    ("", "is empty"),
])
def test_an_invalid_request_is_exit_3_in_one_line(tmp_path, content, says):
    path = tmp_path / "bad.json"
    path.write_text(content)
    result = report(LPP, path)
    assert result.exit_code == 3, result.output
    line = one_error_line(result)
    assert line.startswith(f"aidf: invalid request {path}: ") and line.endswith("(no report written)")
    assert says in line
    assert result.stdout == ""


def test_an_unknown_country_names_the_field(tmp_path):
    request = json.loads(LPP.read_text())
    request["destination"] = "XX"
    result = report(write_json(tmp_path, request))
    assert result.exit_code == 3
    assert "destination" in one_error_line(result)


@pytest.mark.parametrize("target, says", [
    (".", "is a directory"),
    ("missing-folder/r.md", "does not exist"),
    ("a-file/r.md", "is a file, not a folder"),
    ("request.json", "is one of the files to report on"),
])
def test_an_output_that_cannot_be_a_file_is_exit_3_before_anything_is_decided(tmp_path, target, says):
    (tmp_path / "a-file").write_text("x")
    request = write_json(tmp_path, json.loads(LPP.read_text()))
    result = report(request, "-o", tmp_path / target)
    assert result.exit_code == 3
    assert says in one_error_line(result)
    assert request.read_text() == json.dumps(json.loads(LPP.read_text()))


def test_usage_errors_are_exit_2():
    assert report().exit_code == 2
    assert report(LPP, "--format", "pdf").exit_code == 2
    assert report(LPP, "--as-of", "2025-13-01").exit_code == 2


def test_help_says_a_written_report_exits_0():
    text = " ".join(report("--help").stdout.split())
    assert "0 when the report is written" in text and "3 when a file is missing" in text


# -- the real command ---------------------------------------------------------------------------

def run(*args, env=None):
    return subprocess.run([str(AIDF), "report", *map(str, args)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_the_installed_command_writes_an_html_report(tmp_path):
    out = tmp_path / "memo.html"
    result = run(LPP.relative_to(ROOT), ALLOCATION_OVER.relative_to(ROOT), "--format", "html", "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"aidf: wrote {out} (2 requests)\n"
    page = out.read_text()
    assert "Request ex-03" in page and "Request alloc-41" in page
    assert f"aidf report examples/03-lpp-singapore-first-order.json examples/41-allocation-malaysia-one-tpp-over.json " \
           f"--format html -o {out}" in page


def test_an_engine_error_is_exit_4_and_writes_nothing(tmp_path):
    policies = tmp_path / "policies" / "aidf"
    policies.mkdir(parents=True)
    (policies / "main.rego").write_text('package aidf.main\n\nimport rego.v1\n\n'
                                        'decision := {"allowed": true, "outcome": "no_license_required"}\n')
    out = tmp_path / "r.md"
    result = run(LPP, "-o", out, env={"AIDF_POLICY_DIR": str(tmp_path / "policies")})
    assert result.returncode == 4, result.stderr
    line = result.stderr.strip().splitlines()
    assert len(line) == 1 and line[0].startswith(f"aidf: policy engine error (no report written): {LPP}: ")
    assert not out.exists()


def test_the_html_report_gives_each_cases_source_and_note_as_markdown_does(tmp_path):
    suite = tmp_path / "s.yaml"
    suite.write_text(f"""\
suite: notes
base: {EXAMPLES / "03-lpp-singapore-first-order.json"}
cases:
  - name: first order
    source: 15 CFR 740.29(a)
    note: "Worked example <4>"
    expect: {{allowed: true}}
""")
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["report", str(suite), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "Note: Worked example &lt;4&gt;" in html and "Expectation from: 15 CFR 740.29(a)" in html
