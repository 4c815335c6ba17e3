"""Issue: the gate must never be talked into "go". Faulty policies, inconsistent decisions,
threads, panics and hangs, each on both engines, through the CLI and the API."""
from __future__ import annotations

import concurrent.futures
import copy
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

import pytest

import aidf
from aidf import api, contract, engines, policy_check, policy_set
from conftest import EXAMPLES, ROOT, chips_request

ENGINES = ["regorus", "opa"]
DENIAL = EXAMPLES / "02-d5-parent-in-germany.json"  # presumption of denial: must never exit 0
ALLOWED = EXAMPLES / "01-aia-us-to-germany.json"


def aidf_cli(*args, env=None, stdin=None, timeout=60):
    return subprocess.run([sys.executable, "-m", "aidf.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, input=stdin, timeout=timeout)


def one_file_tree(tmp_path: pathlib.Path, body: str) -> pathlib.Path:
    root = tmp_path / "policies"
    (root / "aidf").mkdir(parents=True)
    (root / "aidf" / "main.rego").write_text(f"package aidf.main\n\nimport rego.v1\n\n{body}\n")
    return root


def shipped_copy(tmp_path: pathlib.Path) -> pathlib.Path:
    root = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", root)
    return root


# A policy can be made to answer anything; each of these once exited 0.
MALFORMED = {
    "bare_allow": '{"allowed": true, "outcome": "no_license_required"}',
    "allowed_with_licence_outcome": ('{"action": "export_chips", "allowed": true, "outcome": "license_required", '
                                     '"policy_revision": "x", "review_policy": "presumption_of_denial"}'),
    "null_outcome": '{"action": "export_chips", "allowed": true, "outcome": null, "policy_revision": "x"}',
    "not_an_object": "7",
}


@pytest.mark.parametrize("engine_name", ENGINES)
@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_decision_exits_4_on_both_engines(tmp_path, engine_name, case):
    root = one_file_tree(tmp_path, f"decision := {MALFORMED[case]}")
    for fmt in ("text", "json"):
        result = aidf_cli("check", str(ALLOWED), "--engine", engine_name, "--format", fmt,
                          env={"AIDF_POLICY_DIR": str(root)})
        assert result.returncode == 4, (case, fmt, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
    assert "breaks the contract" in (result.stdout + result.stderr)


def test_allowed_with_a_licence_outcome_names_the_inconsistency(tmp_path):
    root = one_file_tree(tmp_path, f"decision := {MALFORMED['allowed_with_licence_outcome']}")
    result = aidf_cli("check", str(ALLOWED), env={"AIDF_POLICY_DIR": str(root)})
    assert result.returncode == 4
    assert "allowed is true but outcome 'license_required' does not allow the action" in result.stderr


def real_decision(path=ALLOWED) -> tuple[dict, dict]:
    request = api.prepare(json.loads(path.read_text()))
    return aidf.evaluate(request).document, request


@pytest.mark.parametrize("breach, words", [
    (lambda d: d.update(allowed=False), "allowed is false but outcome 'license_exception' allows"),
    (lambda d: d.update(authorization="NAC"), "authorization 'NAC' is not among the available ones"),
    (lambda d: d.update(authorization=None), "names no authorization"),
    (lambda d: d.update(outcome="license_required", allowed=False, authorization=None, review_policy=None),
     "names no review policy"),
    (lambda d: d.update(as_of="2031-01-01"), "as_of is '2031-01-01' but the request says"),
    (lambda d: d.update(request_id="other"), "request_id is 'other'"),
    (lambda d: d.pop("reasons"), "'reasons' is a required property"),
    (lambda d: d["reasons"].append({"code": "X", "message": "%!v(MISSING)", "citation": "c"}),
     "should not be valid under {'pattern': '%!'}"),
    (lambda d: d.update(authorizations=["x"]), "$.authorizations: ['x'] is not of type 'object'"),
    (lambda d: d.update(authorizations={"available": 5, "considered": []}), "is not of type 'array'"),
    (lambda d: d.update(authorizations={"available": [1, "a"], "considered": []}), "is not of type 'string'"),
])
def test_contract_refuses_every_breach(breach, words):
    decision, request = real_decision()
    contract.check(copy.deepcopy(decision), request, "regorus")  # the real one keeps the contract
    broken = copy.deepcopy(decision)
    breach(broken)
    with pytest.raises(contract.MalformedDecision) as caught:
        contract.check(broken, request, "regorus")
    assert words in caught.value.detail


@pytest.mark.parametrize("engine_name", ENGINES)
def test_stray_data_that_shadows_a_rule_is_refused_at_load(tmp_path, engine_name):
    root = shipped_copy(tmp_path)
    (root / "aidf" / "main").mkdir()
    (root / "aidf" / "main" / "data.json").write_text(json.dumps({"decision": {"allowed": True}}))
    for timeout in ("0", "5"):
        result = aidf_cli("check", str(DENIAL), "--engine", engine_name, "--timeout", timeout,
                          env={"AIDF_POLICY_DIR": str(root)})
        assert result.returncode == 4, result.stdout + result.stderr
        assert "data.aidf.main.decision is defined both as a rule and in the data" in result.stderr
    with pytest.raises(policy_set.PolicyConflict):
        policy_set.load(root)


def test_data_blocking_a_package_path_is_refused(tmp_path):
    root = shipped_copy(tmp_path)
    (root / "aidf" / "lib" / "data.json").write_text(json.dumps({"countries": 3}))
    with pytest.raises(policy_set.PolicyConflict, match="data.aidf.lib.countries is a int"):
        policy_set.load(root)


def test_data_beside_rules_without_a_clash_is_fine(tmp_path):
    root = shipped_copy(tmp_path)
    (root / "aidf" / "main" ).mkdir()
    (root / "aidf" / "main" / "data.json").write_text(json.dumps({"notes": "fine"}))
    assert policy_set.load(root).data["aidf"]["main"] == {"notes": "fine"}


RECURSIVE = 'f(x) := y if y := f(x)\n\ndecision := {"allowed": true, "outcome": "no_license_required", "x": f(1)}'


def test_recursive_policy_is_refused_by_the_opa_compiler(tmp_path):
    root = one_file_tree(tmp_path, RECURSIVE)
    result = aidf_cli("check", str(ALLOWED), "--timeout", "0", env={"AIDF_POLICY_DIR": str(root)})
    assert result.returncode == 4
    assert "rego_recursion_error" in result.stderr
    checked = aidf_cli("policy", "check", str(root))
    assert checked.returncode == 4 and "recursive" in checked.stderr


def test_recursive_policy_without_opa_runs_isolated_and_the_crash_is_exit_4(tmp_path):
    """Without the OPA bindings nothing vets the tree, so regorus runs it in a child process:
    its stack overflow kills the child, never the caller."""
    root = one_file_tree(tmp_path, RECURSIVE)
    code = ("import sys; sys.modules['opa_bindings'] = None\n"
            "from aidf.cli import main\n"
            f"sys.argv = ['aidf', 'check', '--timeout', '0', {str(ALLOWED)!r}]\n"
            "main()\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "AIDF_POLICY_DIR": str(root)})
    assert result.returncode == 4, result.stderr
    assert "engine process died" in result.stderr
    assert "SIGSEGV" in result.stderr or "SIGABRT" in result.stderr


def test_policy_check_accepts_the_shipped_policies():
    result = aidf_cli("policy", "check", str(ROOT / "policies"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ")


SLOW = ("spin := sum([x | some i in numbers.range(1, 3000); some j in numbers.range(1, 3000); x := (i * j) % 7])\n\n"
        'decision := {"allowed": true, "outcome": "no_license_required", "spin": spin}')


@pytest.mark.parametrize("engine_name", ENGINES)
def test_slow_policy_is_stopped_at_the_time_budget(tmp_path, engine_name):
    root = one_file_tree(tmp_path, SLOW)
    started = time.monotonic()
    result = aidf_cli("check", str(ALLOWED), "--engine", engine_name, "--timeout", "0.5",
                      env={"AIDF_POLICY_DIR": str(root)})
    assert result.returncode == 4, result.stderr
    assert "within 0.5 s; it was stopped" in result.stderr
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("engine_name", ENGINES)
def test_api_time_budget_raises_engine_timeout_and_recovers(tmp_path, engine_name):
    slow = engines.isolated(engine_name, policy_dir=one_file_tree(tmp_path, SLOW))
    request = chips_request()
    try:
        with pytest.raises(aidf.EngineTimeout):
            aidf.evaluate(request, using=slow, timeout=0.3)
        with pytest.raises(aidf.EngineTimeout):  # a fresh process is started, and stopped again
            aidf.evaluate(request, using=slow, timeout=0.3)
    finally:
        slow.close()


def test_isolated_engine_decides_exactly_as_in_process():
    isolated = engines.isolated("regorus")
    try:
        for path in sorted(EXAMPLES.glob("*.json"))[:12]:
            request = json.loads(path.read_text())
            assert aidf.evaluate(request, using=isolated, timeout=30).document == aidf.evaluate(request).document
    finally:
        isolated.close()


def test_api_timeout_on_an_in_process_engine_is_an_engine_error():
    with pytest.raises(aidf.EngineError, match="cannot be stopped"):
        aidf.evaluate(chips_request(), using=engines.create("regorus"), timeout=1)


def test_consecutive_thread_pools_never_hand_an_engine_to_another_thread():
    """Thread ids are reused by the OS: ownership by get_ident() once handed a later thread the
    first thread's regorus engine, and pyo3 panicked ("unsendable")."""
    shared = engines.create("regorus")
    request = api.prepare(chips_request())
    expected = aidf.evaluate(request, using=shared).document
    for _ in range(4):
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            decisions = list(pool.map(lambda _: aidf.evaluate(request, using=shared).document, range(16)))
        assert all(d == expected for d in decisions)


def assert_silent_run(body: str) -> None:
    """Run `body` with `request` loaded, warnings as errors: it must exit 0 and print nothing on stderr."""
    code = ("import concurrent.futures as cf, json, aidf, aidf.api\n"
            f"with open({str(ALLOWED)!r}) as f:\n    request = json.load(f)\n" + body)
    result = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_thread_batches_leave_no_warning_at_interpreter_exit():
    assert_silent_run("for _ in range(3):\n"
                      "    with cf.ThreadPoolExecutor(4) as pool:\n"
                      "        list(pool.map(lambda _: aidf.evaluate(request), range(8)))\n")


def test_a_rust_panic_is_an_engine_error_not_a_base_exception():
    """pyo3's PanicException derives from BaseException; the engine boundary converts it. An engine
    built in one thread and touched from another panics ("unsendable")."""
    import queue
    import threading

    import regorus

    handed, done = queue.Queue(), threading.Event()

    def owner():
        engine = regorus.Engine()
        handed.put(engine)
        done.wait(30)
        del engine  # dropped by its own thread, so nothing is reported at exit

    thread = threading.Thread(target=owner)
    thread.start()
    foreign = handed.get(timeout=30)
    try:
        with pytest.raises(aidf.EngineError):
            with engines.base.engine_boundary("regorus failed"):
                foreign.set_input_json("{}")
    finally:
        handed = foreign = None
        done.set()
        thread.join()


def test_engine_messages_keep_their_first_non_empty_line():
    assert engines.first_line("\nerror: something broke\n   at line 3") == "error: something broke"
    assert engines.first_line("prepare_error: 1 error occurred:\nx.rego:3: rego_recursion_error") == \
        "prepare_error: 1 error occurred: x.rego:3: rego_recursion_error"


def test_verbose_shows_the_full_engine_message(tmp_path):
    root = one_file_tree(tmp_path, "decision := {")
    quiet = aidf_cli("check", str(ALLOWED), "--timeout", "0", env={"AIDF_POLICY_DIR": str(root)})
    loud = aidf_cli("check", str(ALLOWED), "--timeout", "0", "--verbose", env={"AIDF_POLICY_DIR": str(root)})
    assert quiet.returncode == loud.returncode == 4
    assert len(quiet.stderr.strip().splitlines()) == 1
    first = quiet.stderr.split("(treated as not allowed): ", 1)[1].strip()
    assert first and not first.endswith(":")
    assert len(loud.stderr.splitlines()) > 1


def test_policy_check_vets_once_and_reports_compiled():
    report = policy_check.check(ROOT / "policies")
    assert report.compiled_by_opa and report.modules > 20 and report.tests > 20


@pytest.mark.parametrize("error", ["MemoryError()", "RecursionError('deep')", "KeyError('x')"])
def test_any_unexpected_error_in_the_cli_is_one_line_and_exit_4(error):
    code = ("import sys, aidf.api\n"
            f"def broken(*args, **kwargs): raise {error}\n"
            "aidf.api.decide = broken\n"
            "from aidf.cli import main\n"
            f"sys.argv = ['aidf', 'check', {str(ALLOWED)!r}]\n"
            "main()\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 4
    assert result.stderr.startswith("aidf: internal error (treated as not allowed): ")
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


def test_recursion_is_reported_by_the_compiler_under_the_default_budget_too(tmp_path):
    root = one_file_tree(tmp_path, RECURSIVE)
    result = aidf_cli("check", str(ALLOWED), env={"AIDF_POLICY_DIR": str(root)})
    assert result.returncode == 4 and "rego_recursion_error" in result.stderr


FAULTY_TREES = {
    "bare_allow": lambda tmp: one_file_tree(tmp, f"decision := {MALFORMED['bare_allow']}"),
    "inconsistent": lambda tmp: one_file_tree(tmp, f"decision := {MALFORMED['allowed_with_licence_outcome']}"),
    "recursion": lambda tmp: one_file_tree(tmp, RECURSIVE),
    "syntax": lambda tmp: one_file_tree(tmp, "decision := {"),
}


def _stray_data_tree(tmp):
    root = shipped_copy(tmp)
    (root / "aidf" / "main").mkdir()
    (root / "aidf" / "main" / "data.json").write_text(json.dumps({"decision": {"allowed": True}}))
    return root


FAULTY_TREES["stray_data"] = _stray_data_tree


@pytest.mark.parametrize("engine_name", ENGINES)
@pytest.mark.parametrize("fault", sorted(FAULTY_TREES))
@pytest.mark.parametrize("timeout", [None, 10.0])
def test_api_raises_engine_error_for_every_faulty_policy(tmp_path, monkeypatch, engine_name, fault, timeout):
    monkeypatch.setenv("AIDF_POLICY_DIR", str(FAULTY_TREES[fault](tmp_path)))
    try:
        with pytest.raises(aidf.EngineError):
            aidf.evaluate(json.loads(DENIAL.read_text()), engine_name=engine_name, timeout=timeout)
    finally:
        api.close()


def test_data_shadowing_a_default_rule_is_refused(tmp_path):
    root = one_file_tree(tmp_path, "default blocked := true\n\ndecision := 1")
    (root / "aidf" / "main").mkdir()
    (root / "aidf" / "main" / "data.json").write_text(json.dumps({"blocked": False}))
    with pytest.raises(policy_set.PolicyConflict, match="data.aidf.main.blocked"):
        policy_set.load(root)


def test_an_interrupted_decision_never_leaves_its_answer_for_the_next_one(tmp_path):
    """A reply left in the pipe by an interrupted request (a signal handler raising, as Celery's
    soft time limits do) once answered the next request: a denial came back allowed."""
    import signal

    class Interrupted(Exception):
        pass

    def interrupt(signum, frame):
        raise Interrupted()

    root = one_file_tree(tmp_path, SLOW.split("\n\n")[0] + "\n\nfast := input.n")
    worker = engines.isolated("regorus", policy_dir=root)
    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        with pytest.raises(Interrupted):
            worker.evaluate("data.aidf.main.spin", {}, timeout=30)
        signal.setitimer(signal.ITIMER_REAL, 0)
        assert worker.evaluate("data.aidf.main.fast", {"n": 2}, timeout=30) == 2
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        worker.close()


@pytest.mark.parametrize("budget", [0, -1, float("inf"), float("nan"), 1e10, "5", True])
def test_a_bad_time_budget_is_an_engine_error_and_harms_nothing_after_it(budget):
    denial = json.loads(DENIAL.read_text())
    with pytest.raises(aidf.EngineError, match="time budget"):
        aidf.evaluate(chips_request(), timeout=budget)
    assert aidf.evaluate(denial, timeout=30).allowed is False


@pytest.mark.parametrize("value", ["inf", "1e10", "-1", "nan"])
def test_cli_refuses_a_bad_timeout_as_a_usage_error(value):
    assert aidf_cli("check", str(ALLOWED), "--timeout", value).returncode == 2


def test_closing_shared_engines_while_threads_live_drops_nothing_on_the_wrong_thread():
    assert_silent_run("pool = cf.ThreadPoolExecutor(4)\n"
                      "list(pool.map(lambda _: aidf.evaluate(request), range(8)))\n"
                      "aidf.api.close()\n"
                      "list(pool.map(lambda _: aidf.evaluate(request), range(8)))\n"
                      "pool.shutdown()\n")


def test_not_enforced_is_believed_only_in_the_enforced_view():
    """A server (or policy) answering "not_enforced" to a question about the rule as written
    would turn a licence requirement into an allow; the contract refuses it."""
    from aidf import contract

    request = aidf.api.prepare(json.loads(ALLOWED.read_text()), view="as_written")
    document = {**aidf.evaluate(request).document, "outcome": "not_enforced", "authorization": None, "allowed": True}
    with pytest.raises(contract.MalformedDecision, match="not_enforced"):
        contract.check(document, request, "test")
