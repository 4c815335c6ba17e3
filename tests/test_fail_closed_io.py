"""Fail-closed at the edges of the process: arguments, FIFOs, stalled writers, closed pipes,
policy trees with odd files, forks and a killed parent."""
from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time

import pytest

import aidf
from aidf import policy_set, validation
from conftest import EXAMPLES, ROOT, chips_request

DENIAL = EXAMPLES / "02-d5-parent-in-germany.json"
ALLOWED = EXAMPLES / "01-aia-us-to-germany.json"
CLI = [sys.executable, "-m", "aidf.cli"]


def run(*args, cwd=ROOT, env=None, timeout=60, **kwargs):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd, timeout=timeout,
                          env={**os.environ, **(env or {})}, **kwargs)


def test_a_file_named_like_the_help_option_never_exits_0(tmp_path):
    (tmp_path / "denied.json").write_text(DENIAL.read_text())
    (tmp_path / "-h").write_text("")
    result = run("check", "-h", "denied.json", cwd=tmp_path)  # what `aidf check *` expands to
    assert result.returncode == 2 and "put -- before the file names" in result.stderr
    result = run("check", "--", "-h", "denied.json", cwd=tmp_path)
    assert result.returncode == 3  # -h is read as a (empty) file; the denial is still evaluated
    assert run("check", "--help").returncode == 0


def test_a_fifo_without_a_writer_is_invalid_input_within_the_budget(tmp_path):
    fifo = tmp_path / "request.json"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = run("check", str(fifo), "--timeout", "1")
    assert result.returncode == 3 and "sent no complete request within 1 s" in result.stderr
    assert time.monotonic() - started < 20


def test_a_stalled_writer_on_stdin_is_invalid_input_within_the_budget():
    writer = subprocess.Popen(["sh", "-c", "printf '{'; sleep 30"], stdout=subprocess.PIPE)
    try:
        started = time.monotonic()
        result = run("check", "-", "--timeout", "1", stdin=writer.stdout)
        assert result.returncode == 3 and "standard input sent no complete request" in result.stderr
        assert time.monotonic() - started < 20
    finally:
        writer.kill()
        writer.wait()


def test_a_reader_that_goes_away_is_exit_4():
    process = subprocess.Popen([*CLI, "check", str(ALLOWED), "--format", "json"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=ROOT)
    process.stdout.close()  # nobody will read the decision
    _, err = process.communicate(timeout=60)
    assert process.returncode == 4, err
    assert b"Traceback" not in err and b"Exception ignored" not in err


def tree(tmp_path, body="decision := 1"):
    root = tmp_path / "policies"
    (root / "aidf").mkdir(parents=True)
    (root / "aidf" / "main.rego").write_text(f"package aidf.main\n\nimport rego.v1\n\n{body}\n")
    return root


@pytest.mark.parametrize("odd", ["fifo", "dev_zero", "not_an_object"])
def test_odd_files_in_a_policy_tree_are_refused_quickly(tmp_path, odd):
    root = tree(tmp_path)
    if odd == "fifo":
        os.mkfifo(root / "aidf" / "extra.rego")
        words = "is not a regular file"
    elif odd == "dev_zero":
        (root / "aidf" / "facts").mkdir()
        os.symlink("/dev/zero", root / "aidf" / "facts" / "data.json")
        words = "is not a regular file"
    else:
        (root / "aidf" / "facts").mkdir()
        (root / "aidf" / "facts" / "data.json").write_text("[1, 2]")
        words = "data.json must hold a JSON object, not list"
    with pytest.raises(ValueError, match=words):
        policy_set.load(root)
    started = time.monotonic()
    result = run("check", str(ALLOWED), env={"AIDF_POLICY_DIR": str(root)})
    assert result.returncode == 4 and words in result.stderr
    assert time.monotonic() - started < 20


def test_unreproducible_builtins_are_refused(tmp_path):
    root = tree(tmp_path, '# http.send( in a comment is fine\ndecision := {"t": time.now_ns()}')
    result = run("policy", "check", str(root))
    assert result.returncode == 4 and "time.now_ns makes decisions unreproducible" in result.stderr


def test_a_policy_print_reaches_stderr_escaped(tmp_path):
    root = tree(tmp_path, 'decision := 1 if print("\\u001b[2JALLOWED")')
    for engine_name in ("regorus", "opa"):
        result = run("check", str(ALLOWED), "--timeout", "0", "--engine", engine_name, env={"AIDF_POLICY_DIR": str(root)})
        assert result.returncode == 4
        assert "\\x1b[2JALLOWED" in result.stderr and "\x1b" not in result.stderr


def test_a_tree_changed_after_close_is_vetted_again(tmp_path):
    """The vetting verdict once outlived api.close(): a recursive function added afterwards then
    ran unvetted in-process and killed the host."""
    root = tree(tmp_path, 'decision := {"allowed": false}')
    code = ("import json, pathlib, aidf, aidf.api\n"
            f"root = pathlib.Path({str(root)!r})\n"
            f"request = json.loads(pathlib.Path({str(ALLOWED)!r}).read_text())\n"
            "for attempt in range(2):\n"
            "    try:\n"
            "        aidf.evaluate(request)\n"
            "    except aidf.EngineError as exc:\n"
            "        print('engine error:', exc.detail)\n"
            "    aidf.api.close()\n"
            "    (root / 'aidf' / 'main.rego').write_text('package aidf.main\\nimport rego.v1\\n'\n"
            "        'f(x) := y if y := f(x)\\ndecision := {\"x\": f(1)}\\n')\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "AIDF_POLICY_DIR": str(root)})
    assert result.returncode == 0, result.stderr
    assert "rego_recursion_error" in result.stdout


def _decide_in_child(queue):
    queue.put(aidf.evaluate(json.loads(DENIAL.read_text()), timeout=30).allowed)


def test_a_forked_child_never_reads_its_parents_engine_process():
    aidf.evaluate(chips_request(), timeout=30)  # the parent's engine process is running
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    children = [context.Process(target=_decide_in_child, args=(queue,)) for _ in range(4)]
    for child in children:
        child.start()
    for _ in range(10):
        aidf.evaluate(chips_request(), timeout=30)  # the parent keeps using its own
    answers = [queue.get(timeout=120) for _ in children]
    for child in children:
        child.join(60)
    assert answers == [False] * 4


def _children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as f:
            found.extend(int(p) for p in f.read().split())
    return found


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="needs Linux /proc")
def test_the_engine_process_dies_with_the_cli(tmp_path):
    root = tree(tmp_path, "spin := sum([x | some i in numbers.range(1, 5000); some j in numbers.range(1, 5000); "
                          "x := (i * j) % 7])\n\ndecision := {\"spin\": spin}")
    cli = subprocess.Popen([*CLI, "check", str(ALLOWED), "--timeout", "600"], cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           env={**os.environ, "AIDF_POLICY_DIR": str(root)})
    try:
        deadline = time.monotonic() + 30
        workers = []
        while not workers and time.monotonic() < deadline:
            time.sleep(0.2)
            workers = _children(cli.pid)
        assert workers, "the CLI started no engine process"
        cli.send_signal(signal.SIGTERM)
        cli.wait(30)
        deadline = time.monotonic() + 10
        while any(os.path.exists(f"/proc/{w}") and "Z" not in open(f"/proc/{w}/stat").read().split()[2]
                  for w in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        alive = [w for w in workers if os.path.exists(f"/proc/{w}") and open(f"/proc/{w}/stat").read().split()[2] != "Z"]
        assert not alive, "the engine process outlived the CLI"
    finally:
        cli.kill()


def test_a_small_object_that_expands_to_billions_of_values_is_refused_quickly():
    shared = [[[0] * 10_000] * 10_000] * 10_000
    started = time.monotonic()
    with pytest.raises(aidf.InvalidRequest, match="more than 1,000,000 values"):
        aidf.evaluate(chips_request(history=shared))
    assert time.monotonic() - started < 10


def test_numbers_with_thousands_of_digits_are_named():
    with pytest.raises(aidf.InvalidRequest, match="more than 4,300 digits"):
        validation.parse('{"n": ' + "9" * 5000 + "}")


def test_zero_operations_with_a_huge_exponent_is_refused_in_validation():
    from test_model_weights import FRONTIER, weights

    problems = validation.problems(weights(model=dict(FRONTIER, training_operations="0e999")))
    assert [p.path for p in problems] == ["$.model.training_operations"]
