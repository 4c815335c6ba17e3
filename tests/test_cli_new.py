"""`aidf new ACTION`: templates that are valid requests on the real engines, every field explained
in plain words, YAML request files, and interviews (answers re-asked, Ctrl-D, the whole request
checked at the end)."""
from __future__ import annotations

import json
import re
import subprocess

import pytest
from click.testing import CliRunner

import aidf
from aidf import limits, reading, templates, validation
from aidf.cli import main
from conftest import ROOT

AIDF = ROOT / ".venv" / "bin" / "aidf"
ACTIONS = sorted(validation.ACTION_SCHEMAS)


def run(*args, input: str | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def check_exit(path) -> int:
    """`aidf check` on the embedded engine, in this process."""
    return run("check", "--timeout", "0", path).exit_code


def aidf_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("aidf:")]


# -- templates -----------------------------------------------------------------------------

@pytest.mark.parametrize("action", ACTIONS)
def test_the_template_as_written_is_a_valid_request(tmp_path, action):
    yaml_file, json_file = tmp_path / f"{action}.yaml", tmp_path / f"{action}.json"
    assert run("new", action, "-o", yaml_file).exit_code == 0
    assert run("new", action, "--format", "json", "-o", json_file).exit_code == 0
    assert check_exit(yaml_file) in (0, 1)
    assert check_exit(json_file) in (0, 1)
    # The two formats hold the same request; OPA (Go) decides it as regorus does.
    request = reading.load(str(yaml_file))
    assert request == json.loads(json_file.read_text()) == templates.json_template(action)
    on_regorus = aidf.evaluate(request, engine_name="regorus").document
    assert aidf.evaluate(request, engine_name="opa").document == on_regorus


@pytest.mark.parametrize("action", ACTIONS)
def test_every_field_is_in_the_template_with_its_meaning(action):
    text = templates.yaml_template(action)
    flat = " ".join(line.strip().lstrip("# ").strip() for line in text.splitlines())
    keys = set(re.findall(r"^\s*(?:#\s+)*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*):", text, re.M))

    def visit(parent: templates.Field):
        for field in parent.children:
            yield parent, field
            inner = field.item if field.kind == "objects" else field
            if inner.kind == "object":
                yield from visit(inner)

    for parent, field in visit(templates.request_fields(action)):
        assert field.key in keys, f"{field.path} is missing from the template"
        if field.kind == "const":
            continue
        note = templates.note(field, parent)
        assert " ".join(note.split()) in flat, f"the note of {field.path} is not above it"
        assert templates.label(field) != field.key
        if not field.required and not field.conditions and not parent.alternatives:
            assert "Optional." in note, field.path
        if field.required:
            assert "Optional" not in note, field.path
        if field.kind in ("country", "countries"):
            assert "ISO code" in note and "or name" in note, field.path
        if field.kind == "choice":
            assert all(str(choice) in note for choice in field.choices), field.path


def test_every_field_has_plain_words_not_only_its_name():
    for action in ACTIONS:
        for field in templates.walk(templates.request_fields(action)):
            if field.kind == "const":
                continue
            assert templates._lookup(templates.WORDS, field) or field.description, f"{action}: {field.path}"
            if field.kind in ("object", "objects") and not field.required:
                assert templates._lookup(templates.OPENERS, field), f"{action}: {field.path} needs an opening question"
            if field.kind == "objects":
                assert templates._lookup(templates.ANOTHER, field), f"{action}: {field.path}"


def test_conditions_and_alternatives_are_explained():
    chips = templates.request_fields("export_chips").child("items").item
    assert "needed when eccn is omitted" in templates.note(chips.child("tpp_per_unit"), chips)
    weights = templates.request_fields("transfer_model_weights").child("recipient")
    assert "needed when transaction is deemed_export" in templates.note(weights.child("nationality"), weights)
    placement = templates.request_fields("deploy_compute").child("placement")
    assert "Give either tpp or chips and tpp_per_chip, not both." in templates.note(placement.child("tpp"), placement)


def uncomment(text: str, key: str, indent: int) -> str:
    """The template with the commented-out field `key` (at `indent`) and its block made live."""
    lines, out, inside = text.splitlines(), [], False
    pad = " " * indent
    for line in lines:
        if line.startswith(f"{pad}# {key}:") or (inside and line.startswith(f"{pad}#   ")):
            inside = True
            out.append(line[:indent] + line[indent + 2:])
            continue
        inside = False
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("action", ACTIONS)
def test_a_commented_out_field_becomes_the_field_when_uncommented(action):
    example = templates.full_example(action)
    for path in templates.COMMENTED[action]:
        text = uncomment(templates.yaml_template(action), path[-1], 2 * (len(path) - 1))
        request = reading.parse_yaml(text.encode())
        assert templates.value_at(request, path) == templates.value_at(example, path), path


def test_as_of_and_view_fill_the_template():
    result = run("new", "country_allocation", "--format", "json", "--as-of", "2026-01-15", "--view", "enforced")
    request = json.loads(result.stdout)
    assert (request["as_of"], request["view"]) == ("2026-01-15", "enforced")


def test_the_output_file_decides_the_format(tmp_path):
    assert run("new", "train_model", "-o", tmp_path / "t.json").exit_code == 0
    assert json.loads((tmp_path / "t.json").read_text())["action"] == "train_model"
    assert run("new", "train_model", "-o", tmp_path / "t.yml").exit_code == 0
    assert (tmp_path / "t.yml").read_text().startswith("# aidf request")


def test_an_existing_file_is_kept_unless_forced(tmp_path):
    target = tmp_path / "request.yaml"
    target.write_text("mine")
    result = run("new", "export_chips", "-o", target)
    assert result.exit_code == 2
    assert aidf_lines(result.stderr) == [f"aidf: {target} already exists; use --force to overwrite it"]
    assert target.read_text() == "mine"
    assert run("new", "export_chips", "-o", target, "--force").exit_code == 0
    assert check_exit(target) in (0, 1)


@pytest.mark.parametrize("args, words", [
    (["new", "ship_everything"], "ship_everything"),
    (["new"], "ACTION"),
    (["new", "export_chips", "--as-of", "soon"], "YYYY-MM-DD"),
])
def test_bad_arguments_are_usage_errors(args, words):
    result = run(*args)
    assert result.exit_code == 2 and words in result.stderr


def test_an_unwritable_file_is_one_line(tmp_path):
    result = run("new", "export_chips", "-o", tmp_path / "no" / "such" / "dir.yaml")
    assert result.exit_code == 2
    assert len(aidf_lines(result.stderr)) == 1 and "cannot write" in result.stderr


def test_the_real_command_writes_a_template_that_check_decides(tmp_path):
    target = tmp_path / "req.yaml"
    made = subprocess.run([AIDF, "new", "export_chips", "-o", target], capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    checked = subprocess.run([AIDF, "check", target, "--format", "json"], capture_output=True, text=True, timeout=60)
    assert checked.returncode in (0, 1), checked.stderr
    assert json.loads(checked.stdout)["action"] == "export_chips"


# -- YAML request files --------------------------------------------------------------------

def load_yaml(tmp_path, text: str, name: str = "r.yaml"):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return reading.load(str(path))


def problem_of(tmp_path, text, name: str = "r.yaml") -> str:
    with pytest.raises(validation.InvalidRequest) as caught:
        load_yaml(tmp_path, text, name)
    [problem] = caught.value.problems
    return str(problem)


@pytest.mark.parametrize("text, words", [
    ("action: export_chips\ndestination: DE\ndestination: FR\n", "line 3 column 1: key 'destination' appears twice"),
    ("a:\n  b: 1\n  b: 2\n", "line 3 column 3: key 'b' appears twice"),
    ("action: [export_chips\nx: 1\n", "malformed YAML at line 2"),
    ("a: &x [1, 2]\nb: *x\n", "anchors and aliases"),
    ("a: &x [*x]\n", "anchors and aliases"),
    ("a: {x: 1}\nb:\n  <<: {y: 2}\n", "merge keys"),
    ("a: !!python/object/apply:os.system [ls]\n", "malformed YAML at line 1"),
    ("a: 1\n---\nb: 2\n", "malformed YAML at line 2"),
    ("# nothing but a comment\n", "holds no request"),
    ("", "is empty"),
    ("n: " + "9" * 5000 + "\n", "more than 4,300 digits"),
    ("[" * 5000, "malformed YAML"),
    (b"a: \xff\n", "not UTF-8"),
])
def test_a_bad_yaml_file_is_one_line_naming_where(tmp_path, text, words):
    message = problem_of(tmp_path, text)
    assert words in message and "\n" not in message


def test_a_yaml_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("a: '" + "x" * limits.MAX_REQUEST_BYTES + "'\n")
    result = run("check", path)
    assert result.exit_code == 3 and f"{limits.MAX_REQUEST_BYTES:,}" in result.stderr


def test_a_yaml_error_in_check_exits_3(tmp_path):
    path = tmp_path / "r.yml"
    path.write_text("action: export_chips\naction: export_chips\n")
    result = run("check", path)
    assert result.exit_code == 3
    assert "line 2 column 1: key 'action' appears twice" in result.stderr


def test_yaml_reads_plain_words_where_the_field_says_what_it_holds(tmp_path):
    text = templates.yaml_template("export_chips")
    text = (text.replace("destination: DE", "destination: Germany")
                .replace("headquarters: US", "headquarters: United States")
                .replace("direct_to_ultimate_consignee: true", "direct_to_ultimate_consignee: yes")
                .replace("quantity: 1000", "quantity: '1,700'")
                .replace("nveu_countries: []", "nveu_countries: [India, NO]"))
    text = re.sub(r"as_of: '(.*)'", r"as_of: \1", text)  # an unquoted date stays a date string
    request = load_yaml(tmp_path, text)
    assert request["destination"] == "DE"
    assert request["ultimate_consignee"]["headquarters"] == "US"
    assert request["direct_to_ultimate_consignee"] is True
    assert request["items"][0]["quantity"] == 1700
    assert request["ultimate_consignee"]["veu"]["nveu_countries"] == ["IN", "NO"]  # NO is Norway, not false
    assert validation.problems(request) == []


def test_yaml_leaves_what_is_not_a_plain_answer_for_validation(tmp_path):
    request = load_yaml(tmp_path, "action: export_chips\ndestination: Atlantis\nnote: yes\ntransaction: 1\n")
    assert (request["destination"], request["note"], request["transaction"]) == ("Atlantis", "yes", 1)
    messages = " ".join(str(p) for p in validation.problems(request))
    assert "'Atlantis' is not a known" in messages and "unknown field(s): 'note'" in messages


def test_json_files_stay_strict(tmp_path):
    request = templates.json_template("country_allocation")
    request["country"] = "Malaysia"
    path = tmp_path / "r.json"
    path.write_text(json.dumps(request))
    assert reading.load(str(path))["country"] == "Malaysia"
    assert run("check", "--timeout", "0", path).exit_code == 3


# -- countries and answers -------------------------------------------------------------------

@pytest.mark.parametrize("text, code", [
    ("Germany", "DE"), ("germany", "DE"), ("de", "DE"), ("DE", "DE"), ("China", "CN"), ("  the Netherlands ", "NL"),
    ("Cote d'Ivoire", "CI"), ("Côte d’Ivoire", "CI"), ("North Korea", "KP"), ("Korea, North", "KP"),
    ("South Korea", "KR"), ("Republic of Korea", "KR"), ("UK", "GB"), ("United States", "US"), ("Turkiye", "TR"),
    ("British Virgin Islands", "VG"), ("Democratic Republic of the Congo", "CD"), ("Congo", "CG"), ("Macau", "MO"),
])
def test_country_names_and_codes(text, code):
    assert templates.country_code(text) == code


@pytest.mark.parametrize("text, words", [("Germny", "did you mean Germany (DE)"), ("Atlantis", "not a country"),
                                         ("", "country name")])
def test_unknown_countries_are_refused_with_a_suggestion(text, words):
    with pytest.raises(templates.BadAnswer, match=re.escape(words)):
        templates.country_code(text)


def test_answers_in_plain_words():
    fields = templates.request_fields("transfer_model_weights")
    operations = fields.child("model").child("training_operations")
    assert templates.parse_answer(operations, "3 x 10^26") == "3e26"
    assert templates.parse_answer(operations, "1.31×10^26") == "1.31e26"
    assert templates.parse_answer(operations, "300,000,000,000,000,000,000,000,000") == "3" + "0" * 26
    assert templates.answer_problems(operations, "123") == ["is not a whole multiple of 10^12 operations; round it up"]
    quantity = templates.request_fields("export_chips").child("items").item.child("quantity")
    assert [templates.parse_answer(quantity, t) for t in ("1,700", "1 700", "1.7 thousand", "2 million")] == \
        [1700, 1700, 1700, 2_000_000]
    for bad in ("1,70", "seven", "NaN", "1e999999999", "1.5"):
        with pytest.raises(templates.BadAnswer):
            templates.parse_answer(quantity, bad)
    owner = templates.request_fields("deploy_compute").child("owner").child("veu").child("nveu_countries")
    assert templates.parse_answer(owner, "India; Korea, North, Germany") == ["IN", "KP", "DE"]


# -- interviews ------------------------------------------------------------------------------

def interview(action: str, answers: list[str], *args):
    return run("new", action, "--interactive", *args, input="\n".join(answers) + "\n")


def test_an_export_interview_re_asks_bad_answers_and_writes_a_valid_request(tmp_path):
    target = tmp_path / "request.json"
    answers = [
        "memo-7",            # your reference
        "",                  # view: skipped
        "June 1",            # as-of date: not YYYY-MM-DD...
        "2025-06-01",
        "1",                 # transaction: export, by its number
        "Germny",            # destination: a typo...
        "Germany",
        "data center",       # end use, in words
        "maybe",             # ships directly? not yes or no...
        "yes",
        "Example Cloud GmbH",
        "",                  # located in: skipped (the destination)
        "United States",     # headquarters
        "us",                # ultimate parent's headquarters
        "no",                # foreign government
        "",                  # any Data Center VEU? no
        "H100 SXM GPU servers",
        "",                  # ECCN: skipped, so the chip's parameters become required
        "0",                 # quantity: below the minimum...
        "1,7000",            # ...badly grouped...
        "1,700",
        "",                  # TPP per unit: needed now...
        "15832.5",           # ...a whole number...
        "15,832",
        "19.4",              # performance density
        "y",                 # designed for data centers
        "",                  # approved IC designer: skipped
        "no",                # another item?
        "yes",               # history?
        "", "",              # LPP this year, country licensed: skipped
        "2 million",         # AIA so far
    ]
    result = interview("export_chips", answers, "-o", target)
    assert result.exit_code == 0, result.output
    for reason in ("not a date in YYYY-MM-DD form", "did you mean Germany (DE)", "answer yes or no",
                   "0 must be at least 1", "commas may only separate groups of three digits", "an answer is needed",
                   "'15832.5' is not a whole number"):
        assert reason in result.stderr, reason
    for name in ("ultimate_parent_headquarters", "direct_to_ultimate_consignee", "tpp_per_unit", "request_id"):
        assert name not in result.stderr  # asked in plain words, never by field name
    assert json.loads(target.read_text()) == {
        "action": "export_chips", "request_id": "memo-7", "as_of": "2025-06-01", "transaction": "export",
        "destination": "DE", "end_use": "data_center", "direct_to_ultimate_consignee": True,
        "ultimate_consignee": {"name": "Example Cloud GmbH", "headquarters": "US", "ultimate_parent_headquarters": "US",
                               "foreign_government_owned_or_controlled": False},
        "items": [{"description": "H100 SXM GPU servers", "quantity": 1700, "tpp_per_unit": 15832,
                   "performance_density": 19.4, "designed_for_data_centers": True}],
        "history": {"aia_cumulative_tpp": 2000000},
    }
    assert check_exit(target) in (0, 1)


def test_a_plan_interview_asks_which_way_to_give_compute_and_for_more_entries(tmp_path):
    answers = [
        "", "", "2026-02-01",
        "Example Cloud Inc.", "US", "US",
        "yes", "yes", "India, Germany",     # VEU: UVEU, and NVEU for two countries
        "yes",                              # installed compute?
        "3", "1",                           # entry 1: no third way; as a TPP total
        "United States", "600,000,000", "",
        "yes",                              # another entry
        "2", "Germany", "18,950", "15832", "Frankfurt",
        "no",
        "2", "Malaysia", "3000", "15,832",  # the placement, as chips
        "yes", "", "2025-07-15", "",
    ]
    result = interview("deploy_compute", answers, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "give a number from 1 to 2" in result.stderr
    assert json.loads(result.stdout) == {
        "action": "deploy_compute", "as_of": "2026-02-01",
        "owner": {"name": "Example Cloud Inc.", "headquarters": "US", "ultimate_parent_headquarters": "US",
                  "veu": {"uveu": True, "nveu_countries": ["IN", "DE"]}},
        "installed": [{"country": "US", "tpp": 600000000},
                      {"country": "DE", "chips": 18950, "tpp_per_chip": 15832, "description": "Frankfurt"}],
        "placement": {"country": "MY", "chips": 3000, "tpp_per_chip": 15832, "new_data_center": True,
                      "notice_given_on": "2025-07-15"},
    }


def test_a_deemed_export_interview_makes_nationality_required(tmp_path):
    answers = [
        "", "", "2026-03-01", "deemed export",
        "Frontier-3", "no", "123", "3 x 10^26",  # a count that is not a multiple of 10^12, then one that is
        "no", "no", "",                           # no synthetic data, not derived, no finding
        "Frontier Labs Inc.", "US", "US", "US", "yes",
        "",                                       # nationality: needed for a deemed export
        "China",
        "no",                                     # storage?
    ]
    target = tmp_path / "weights.yaml"
    result = interview("transfer_model_weights", answers, "-o", target)
    assert result.exit_code == 0, result.output
    assert "is not a whole multiple of 10^12 operations" in result.stderr
    request = reading.load(str(target))
    assert request["model"]["training_operations"] == "3e26"
    assert request["recipient"]["nationality"] == "CN"
    assert "# " in target.read_text()  # the YAML keeps the notes
    assert check_exit(target) in (0, 1)


def test_a_fine_tuning_interview_asks_for_the_model_and_the_fine_tuning(tmp_path):
    answers = [
        "", "", "", "fine tuning",
        "Example Cloud Inc.", "", "", "",
        "Tokyo AI KK", "Japan", "Japan", "",
        "US",
        "customer model", "no", "1e25", "no", "no", "",
        "1e25", "1e24",
    ]
    result = interview("train_model", answers, "--as-of", "2026-03-01", "-o", tmp_path / "t.json")
    assert result.exit_code == 0, result.output
    request = json.loads((tmp_path / "t.json").read_text())
    assert request["as_of"] == "2026-03-01"  # given on the command line, not asked
    assert request["fine_tuning"] == {"original_operations": "1e25", "additional_operations": "1e24"}
    assert "Do you want to describe the model?" not in result.stderr  # required for fine-tuning


def test_the_whole_request_is_checked_and_the_conflicting_answer_asked_again(tmp_path):
    answers = ["", "", "", "export", "US", "other", "", "Acme", "", "US", "US", "", "", "", "3A090.b", "10", "100",
               "", "", "", "no", "no",
               "domestic transfer"]  # asked again: an export cannot go to the United States
    result = interview("export_chips", answers, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "an export delivers outside the United States" in result.stderr
    assert json.loads(result.stdout)["transaction"] == "domestic_transfer"


def test_ctrl_d_mid_way_writes_nothing(tmp_path):
    target = tmp_path / "never.json"
    result = interview("export_chips", ["", "", "", "export", "Germany"], "-o", target)
    assert result.exit_code == 3
    assert aidf_lines(result.stderr) == ["aidf: the questions were not all answered; nothing was written"]
    assert result.stderr.rstrip().endswith("nothing was written")
    assert not target.exists() and result.stdout == ""


def test_an_existing_file_is_refused_before_any_question(tmp_path):
    target = tmp_path / "r.json"
    target.write_text("{}")
    result = interview("country_allocation", [], "-o", target)
    assert result.exit_code == 2 and "Which" not in result.stderr and target.read_text() == "{}"


def test_the_real_command_interviews_on_standard_input():
    answers = "\n".join(["alloc-1", "", "2025-09-01", "Malaysia", "700,000,000", "90 million"]) + "\n"
    done = subprocess.run([AIDF, "new", "country_allocation", "-i"], input=answers, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"action": "country_allocation", "request_id": "alloc-1", "as_of": "2025-09-01",
                                       "country": "MY", "licensed_tpp": 700000000, "proposed_tpp": 90000000}
    cut = subprocess.run([AIDF, "new", "country_allocation", "-i"], input="alloc-1\n", capture_output=True, text=True,
                         timeout=60)
    assert cut.returncode == 3 and cut.stdout == "" and aidf_lines(cut.stderr)[-1].endswith("nothing was written")


def test_a_list_longer_than_its_schema_allows_is_left_for_validation(tmp_path):
    entries = "".join("  - {country: Germany, tpp: '1,000'}\n" for _ in range(limits.MAX_ARRAY_ITEMS + 1))
    request = load_yaml(tmp_path, "action: deploy_compute\ninstalled:\n" + entries)
    assert request["installed"][0] == {"country": "Germany", "tpp": "1,000"}  # not converted: refused below
    assert any("limit is 10,000" in str(p) for p in validation.problems(request))


def test_a_template_written_to_a_pipe_nobody_reads_fails_at_once(tmp_path):
    """Regression: `-o FIFO` blocked for ever on open."""
    import os
    import subprocess
    import sys

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    aidf = os.path.join(os.path.dirname(sys.executable), "aidf")
    done = subprocess.run([aidf, "new", "export_chips", "-o", str(fifo), "--force"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0 and "nobody reading it" in done.stderr


def test_endless_piped_answers_stop_at_the_longest_answer():
    result = CliRunner().invoke(main, ["new", "country_allocation", "--interactive"], input="x" * 20_000)
    assert result.exit_code == 3 and "an answer of more than 10,000 characters" in result.output
