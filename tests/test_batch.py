"""Many decisions in one stream, with real parts (engines, worker processes, an OPA URL that
refuses connections): `aidf check --batch` and aidf.Evaluator.evaluate_many."""
from __future__ import annotations

import copy
import json
import multiprocessing
import os
import pty
import signal
import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner

import aidf
from aidf import batch, limits
from aidf.cli import main
from conftest import EXAMPLES, ROOT, at, chips_request

AIDF = [sys.executable, "-m", "aidf.cli"]
REFUSED = ["--opa-url", "http://127.0.0.1:1", "--retries", "0", "--timeout", "0.5"]
NAMES = sorted(p.name for p in EXAMPLES.glob("*.json"))
ALLOWED, DENIED = chips_request(), at("DE", hq="CN")  # exit 0 and exit 1 on their own


def run(*args, stdin: bytes | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*AIDF, *map(str, args)], input=stdin, capture_output=True, cwd=ROOT, timeout=timeout,
                          env={k: v for k, v in os.environ.items() if k not in ("AIDF_OPA_URL", "AIDF_OPA_TOKEN")})


def invoke(*args, stdin: bytes | str | None = None):
    return CliRunner().invoke(main, ["check", *map(str, args)], input=stdin)


def line(request) -> str:
    return json.dumps(request)


def write_jsonl(path, lines) -> str:
    path.write_text("".join(item + "\n" for item in lines))
    return str(path)


def summary(counts: dict, blank: int = 0) -> str:
    total = sum(counts.values())
    text = ", ".join(f"{counts.get(k, 0)} {k}" for k in ("allowed", "not allowed", "invalid", "failed"))
    tail = f"; {blank} blank line{'s' * (blank != 1)} skipped" if blank else ""
    return f"aidf: {total} request{'s' * (total != 1)}: {text}{tail}"


@pytest.fixture(scope="module")
def every_example(tmp_path_factory):
    """Every example, one per line, and the documents `aidf check --format json` gives for them."""
    path = tmp_path_factory.mktemp("batch") / "examples.jsonl"
    write_jsonl(path, [json.dumps(json.loads((EXAMPLES / name).read_text())) for name in NAMES])
    one_by_one = run("check", "--format", "json", *(EXAMPLES / name for name in NAMES))
    documents = json.loads(one_by_one.stdout)
    assert len(documents) == len(NAMES) and one_by_one.returncode == 1
    return path, documents


# -- aidf check --batch -------------------------------------------------------------------------

def test_every_example_gives_the_document_check_gives_in_order_and_only_a_summary_on_stderr(every_example):
    path, documents = every_example
    done = run("check", "--batch", path)
    assert done.returncode == 1, done.stderr
    assert [json.loads(out) for out in done.stdout.decode().splitlines()] == documents
    allowed = sum(d["allowed"] for d in documents)
    # piped: no progress bar, no escape sequence, just the summary
    assert done.stderr.decode() == summary({"allowed": allowed, "not allowed": len(documents) - allowed}) + "\n"
    # the same documents one at a time (CliRunner, in this process) for a few of them
    for name, document in list(zip(NAMES, documents))[::20]:
        single = invoke("--format", "json", EXAMPLES / name)
        assert json.loads(single.stdout) == document


def test_two_workers_write_the_same_bytes_as_one(every_example):
    path, _ = every_example
    one, two = run("check", "--batch", path), run("check", "--batch", path, "--workers", "2")
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)


def test_bad_lines_are_records_and_the_run_goes_on(tmp_path):
    cap = limits.MAX_REQUEST_BYTES
    lines = [line(ALLOWED), "{not json", "", "   \t", line(chips_request(destination="XX")),
             '{"pad": "' + "x" * cap + '"}', line(DENIED), "[1, 2]"]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines))  # the last line has no newline
    for workers in ("1", "2"):
        done = invoke("--batch", path, "--workers", workers)
        records = [json.loads(out) for out in done.stdout.splitlines()]
        assert done.exit_code == 3, done.output
        assert [r.get("line") for r in records] == [None, 2, 5, 6, None, 8]
        assert records[0]["allowed"] is True and records[4]["allowed"] is False
        assert {r.get("error") for r in records[1:4] + records[5:]} == {"invalid_request"}
        assert records[1]["problems"][0]["message"].startswith("malformed JSON at line 1 column 2")
        assert records[2]["problems"] == [{"path": "$.destination",
                                           "message": "'XX' is not a known ISO 3166-1 alpha-2 country code"}]
        assert records[3]["problems"] == [{"path": "$", "message": f"the line is more than {cap:,} bytes; "
                                                                   f"the limit is {cap:,}"}]
        assert done.stderr == summary({"allowed": 1, "not allowed": 1, "invalid": 4}, blank=2) + "\n"


def test_standard_input(tmp_path):
    text = "\r\n".join([line(ALLOWED), line(ALLOWED)]) + "\r\n"
    done = invoke("--batch", "-", stdin=text)
    assert done.exit_code == 0 and [json.loads(out)["allowed"] for out in done.stdout.splitlines()] == [True, True]
    piped = run("check", "--batch", "-", "--workers", "2", stdin=text.encode())
    assert piped.returncode == 0 and piped.stdout.decode() == done.stdout
    assert piped.stderr.decode() == summary({"allowed": 2}) + "\n"


@pytest.mark.parametrize("lines, code", [
    ([ALLOWED, ALLOWED], 0),
    ([ALLOWED, DENIED, ALLOWED], 1),
    ([DENIED, "{", ALLOWED], 3),
    ([], 3),  # nothing to decide is not "every request allowed"
])
def test_exit_codes(tmp_path, lines, code):
    path = write_jsonl(tmp_path / "in.jsonl", [item if isinstance(item, str) else line(item) for item in lines])
    assert invoke("--batch", path).exit_code == code


@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_engine_failure_is_a_record_and_exit_4_over_3(tmp_path, workers):
    path = write_jsonl(tmp_path / "in.jsonl", [line(ALLOWED), "{", line(DENIED)])
    done = invoke("--batch", path, *REFUSED, "--workers", workers, "--verbose")
    records = [json.loads(out) for out in done.stdout.splitlines()]
    assert done.exit_code == 4
    assert [(r["line"], r["error"]) for r in records] == [(1, "engine_error"), (2, "invalid_request"),
                                                          (3, "engine_error")]
    assert records[0]["message"] == "cannot reach the OPA server at http://127.0.0.1:1: [Errno 111] Connection refused"
    assert "detail" in records[0]
    assert done.stderr == summary({"invalid": 1, "failed": 2}) + "\n"


def test_view_both_writes_pairs_and_exits_on_as_written(tmp_path):
    requests = [json.loads((EXAMPLES / name).read_text()) for name in NAMES if name.startswith("9")]
    path = write_jsonl(tmp_path / "views.jsonl", [line(r) for r in requests])
    done = invoke("--batch", path, "--view", "both")
    pairs = [json.loads(out) for out in done.stdout.splitlines()]
    for request, pair in zip(requests, pairs, strict=True):
        assert pair == {"as_written": aidf.evaluate(request, view="as_written").document,
                        "enforced": aidf.evaluate(request, view="enforced").document}
    assert done.exit_code == (0 if all(p["as_written"]["allowed"] for p in pairs) else 1)
    enforced = invoke("--batch", path, "--view", "enforced", "--as-of", "2026-02-01")
    assert [json.loads(out) for out in enforced.stdout.splitlines()] == [
        aidf.evaluate(r, view="enforced", as_of="2026-02-01").document for r in requests]


def test_the_decision_log_is_written_in_input_order_by_the_parent(tmp_path):
    requests = [dict(copy.deepcopy(ALLOWED if i % 3 else DENIED), request_id=f"r-{i}") for i in range(40)]
    path = write_jsonl(tmp_path / "in.jsonl", [line(r) for r in requests])
    log = tmp_path / "decisions.jsonl"
    done = invoke("--batch", path, "--workers", "2", "--decision-log", log, "--view", "both")
    assert done.exit_code == 1
    records = [json.loads(text) for text in log.read_text().splitlines()]
    assert [(r["input"]["request_id"], r["view"]) for r in records] == [
        (f"r-{i}", view) for i in range(40) for view in ("as_written", "enforced")]


@pytest.mark.parametrize("args, words", [
    (["--batch", "-", "request.json"], "give no request files with it"),
    (["--batch", "-", "--format", "text"], "--format text cannot be used with it"),
    (["request.json", "--workers", "2"], "--workers applies only to --batch"),
    (["--batch", "-", "--workers", "0"], "not in the range 1<=x<=64"),
    (["--batch", "-", "--workers", "65"], "not in the range 1<=x<=64"),
    ([], "Missing argument"),
])
def test_usage_errors(args, words):
    done = invoke(*args, stdin="")
    assert done.exit_code == 2 and words in done.output


def test_an_unreadable_input_is_exit_3(tmp_path):
    for source in (tmp_path / "missing.jsonl", tmp_path):
        done = invoke("--batch", source)
        assert done.exit_code == 3 and "cannot read" in done.stderr and done.stdout == ""


def test_a_progress_bar_only_on_a_terminal(tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", [line(ALLOWED)] * 3)
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen([*AIDF, "check", "--batch", path], stdout=subprocess.PIPE, stderr=follower,
                                   cwd=ROOT)
        os.close(follower)
        stdout, _ = process.communicate(timeout=120)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child's side is closed
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(leader)
    assert process.returncode == 0 and len(stdout.splitlines()) == 3
    assert b"deciding" in seen and b"100%" in seen
    assert seen.rstrip().endswith(summary({"allowed": 3}).encode())


# -- aidf.Evaluator.evaluate_many -----------------------------------------------------------------

@pytest.fixture(scope="module")
def examples():
    requests = [json.loads((EXAMPLES / name).read_text()) for name in NAMES]
    with aidf.Evaluator() as evaluator:
        return requests, [evaluator.evaluate(r).document for r in requests]


@pytest.mark.parametrize("workers", [1, 2])
def test_evaluate_many_is_evaluate_in_order_and_bad_items_do_not_stop_it(examples, workers):
    requests, documents = examples
    bad = {3: "not a request", 10: chips_request(destination="XX"), 40: {"action": "export_chips"}}

    def generated():  # a generator, read as the stream needs it
        for index, request in enumerate(requests):
            for where, item in bad.items():
                if index == where:
                    yield item
            yield copy.deepcopy(request)

    with aidf.Evaluator() as evaluator, evaluator.evaluate_many(generated(), workers=workers, chunksize=5) as results:
        got = list(results)
    assert [r.index for r in got] == list(range(len(requests) + len(bad)))
    errors = [r for r in got if r.error is not None]
    assert [type(r.error) for r in errors] == [aidf.InvalidRequest] * 3 and not any(r.allowed for r in errors)
    assert [str(p) for p in errors[1].error.problems] == [
        "$.destination: 'XX' is not a known ISO 3166-1 alpha-2 country code"]
    decided = [r for r in got if r.error is None]
    assert [r.decision.document for r in decided] == documents
    assert [r.allowed for r in decided] == [d["allowed"] for d in documents]
    assert all(r.value is r.decision for r in decided) and all(r.value is r.error for r in errors)


@pytest.mark.parametrize("workers", [1, 2])
def test_engine_errors_are_results_and_validation_still_comes_first(workers):
    with aidf.Evaluator(opa_url="http://127.0.0.1:1", retries=0, timeout=0.5) as evaluator:
        got = list(evaluator.evaluate_many([ALLOWED, {"action": "nope"}, DENIED], workers=workers))
    assert [type(r.error).__name__ for r in got] == ["EngineError", "InvalidRequest", "EngineError"]
    assert str(got[0].error) == "cannot reach the OPA server at http://127.0.0.1:1: [Errno 111] Connection refused"


def test_the_input_is_read_only_as_far_as_the_window():
    pulled = []

    def counted():
        for index in range(10_000):
            pulled.append(index)
            yield ALLOWED

    with aidf.Evaluator() as evaluator:
        with evaluator.evaluate_many(counted(), workers=1) as results:
            next(results)
            assert len(pulled) == 1
        with evaluator.evaluate_many(counted(), workers=2, chunksize=4) as results:
            pulled.clear()
            assert next(results).allowed
            assert len(pulled) <= 2 * 2 * 4  # 2 x workers chunks in flight, no more


def test_an_input_that_fails_ends_the_stream_after_what_it_gave():
    def failing():
        yield from [ALLOWED] * 7
        raise OSError("the source went away")

    with aidf.Evaluator() as evaluator:
        for workers in (1, 2):
            seen = []
            with pytest.raises(OSError, match="the source went away"):
                for result in evaluator.evaluate_many(failing(), workers=workers, chunksize=3):
                    seen.append(result.allowed)
            assert seen == [True] * 7


class _KillsItsWorker:
    """Unpickled in a worker process, it ends that process: a real worker death, on cue."""

    def __reduce__(self):
        return (os._exit, (9,))


def test_a_dead_worker_costs_only_its_own_request(examples):
    requests, documents = examples
    items = [*requests[:9], _KillsItsWorker(), *requests[9:20], {"lock": threading.Lock()}, *requests[20:30]]
    with aidf.Evaluator() as evaluator:
        got = list(evaluator.evaluate_many(items, workers=2, chunksize=4))
    assert str(got[9].error) == "a worker process died while deciding this request (treated as not allowed)"
    assert isinstance(got[21].error, aidf.InvalidRequest) and "cannot be sent to a worker" in str(got[21].error)
    assert [r.decision.document for r in got if r.error is None] == documents[:30]


def test_a_worker_killed_from_outside_loses_nothing(examples):
    requests, documents = examples
    with aidf.Evaluator() as evaluator, evaluator.evaluate_many(requests, workers=2, chunksize=4) as results:
        got = []
        for result in results:
            if result.index == 2:
                os.kill(multiprocessing.active_children()[0].pid, signal.SIGKILL)
            got.append(result)
    assert [r.decision.document for r in got] == documents


def test_arguments_are_checked_at_the_call():
    with aidf.Evaluator() as evaluator:
        for bad in ({"workers": 0}, {"workers": 65}, {"workers": True}, {"workers": "2"}, {"chunksize": 0}):
            with pytest.raises(ValueError):
                evaluator.evaluate_many([], **bad)
        with pytest.raises(TypeError):
            evaluator.evaluate_many(5)


_MEMORY = """
import copy, json, resource, sys
import aidf
if __name__ == "__main__":  # the worker processes are spawned: they import this file too
    requests = [json.load(open(p)) for p in sys.argv[2:]]
    with aidf.Evaluator() as evaluator:
        count = sum(r.decision is not None for r in evaluator.evaluate_many(
            (copy.deepcopy(requests[i % len(requests)]) for i in range(int(sys.argv[1]))), workers=2))
    # VmHWM, not ru_maxrss: ru_maxrss keeps the peak of the image before exec (here, pytest's).
    hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    print(json.dumps({"decided": count, "parent": hwm,
                      "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def test_memory_does_not_grow_with_the_number_of_requests(tmp_path):
    script = tmp_path / "memory.py"
    script.write_text(_MEMORY)
    quick = [str(EXAMPLES / name) for name in NAMES if name.startswith(("42-", "43-"))]  # cheap decisions
    peaks = {}
    for count in (1_000, 4_000):
        done = subprocess.run([sys.executable, str(script), str(count), *quick], capture_output=True, text=True,
                              cwd=ROOT, timeout=300)
        assert done.returncode == 0, done.stderr
        peaks[count] = json.loads(done.stdout)
        assert peaks[count]["decided"] == count
    for process in ("parent", "children"):  # KiB
        assert peaks[4_000][process] < 300 * 1024, peaks
        assert peaks[4_000][process] - peaks[1_000][process] < 8 * 1024, peaks


def test_results_shape():
    result = batch.Result(3, error=aidf.EngineError("down"))
    assert (result.ok, result.allowed, result.value.args) == (False, False, ("down",))
    assert batch.START_METHOD == "spawn" and batch.MAX_WORKERS == 64
