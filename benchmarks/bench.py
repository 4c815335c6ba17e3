"""`make bench`: what a decision costs, measured as ratios in one run.

The machine is shared and noisy, so every contender runs interleaved, round after round, on the
same generated mix of requests of every action; medians and ratios are what to read, absolute
times are context. Nothing here is a test: no number is asserted.

Sections: per-decision cost (raw regorus, evaluate(), evaluate_many with 2 workers, OPA (Go)
in-process, an OPA server over HTTP), the trivial-rule floor and the target ratios, time per
element at the schemas' maximum sizes, cold start, and peak memory of a large batch.
"""
from __future__ import annotations

import copy
import json
import os
import pathlib
import random
import resource
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
print = __import__("functools").partial(print, flush=True)  # noqa: A001 - progress shows as it comes
sys.path.insert(0, str(ROOT / "tests"))  # the OPA-API test server lives with the tests

import aidf  # noqa: E402
from aidf import api, engines, policy_set  # noqa: E402

ENTRYPOINT = api.CHECKED_ENTRYPOINT  # what evaluate() asks the embedded engines, on both engines alike
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
BATCH = int(os.environ.get("BENCH_BATCH", "100000"))
DATES = ("2025-03-01", "2025-06-01", "2026-02-01", "2026-09-01")


def generated_mix(seed: int = 7) -> list[dict]:
    """Every shipped example (all five actions) at four dates: 268 valid, prepared requests."""
    rng = random.Random(seed)
    mix = []
    for path in sorted((ROOT / "examples").glob("*.json")):
        request = json.loads(path.read_text())
        for as_of in DATES:
            mix.append(api.prepare(copy.deepcopy(request), as_of=as_of))
    rng.shuffle(mix)
    return mix


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed_each(fn, requests) -> list[float]:
    out = []
    for request in requests:
        start = time.perf_counter()
        fn(request)
        out.append(time.perf_counter() - start)
    return out


def trivial_engine():
    """The shipped policies plus one rule that only reads the input: the floor a decision cannot
    go below on this engine with this input (JSON in, one rule, JSON out)."""
    shipped = policy_set.shipped()
    extra = (("bench/trivial.rego", "package bench\n\nimport rego.v1\n\ntrivial := input.action\n"),)
    return engines.create("regorus", policies=policy_set.PolicySet(
        root=shipped.root, modules=shipped.modules + extra, tests=(), data=shipped.data))


def per_decision(mix: list[dict]) -> dict[str, list[float]]:
    from opa_server import running

    floor_engine = trivial_engine()
    regorus = engines.create("regorus")
    opa = engines.create("opa")
    timings: dict[str, list[float]] = {}
    with running(revision="bench") as server:
        remote = aidf.Evaluator(opa_url=server.url)
        contenders = {
            "trivial rule (regorus, same input)": lambda r: floor_engine.evaluate("data.bench.trivial", r),
            "raw regorus (main.checked_decision)": lambda r: regorus.evaluate(ENTRYPOINT, r),
            "aidf.evaluate() (validate + regorus + contract)": lambda r: aidf.evaluate(r, using=regorus),
            "OPA (Go) in-process (main.checked_decision)": lambda r: opa.evaluate(ENTRYPOINT, r),
            "remote: OPA-API server over HTTP": remote.evaluate,
        }
        for _ in range(ROUNDS):  # interleaved, so load spikes hit every contender alike
            for name, fn in contenders.items():
                timings.setdefault(name, []).extend(timed_each(fn, mix))
        remote.close()
    timings["evaluate_many, 2 workers (per decision)"] = batch_per_decision(mix)
    return timings


def batch_per_decision(mix: list[dict]) -> list[float]:
    """Wall time per decision of evaluate_many over the mix, a few rounds (one value per round)."""
    evaluator = aidf.Evaluator()
    if not hasattr(evaluator, "evaluate_many"):
        return []
    out = []
    for _ in range(max(2, ROUNDS // 2)):
        start = time.perf_counter()
        for _result in evaluator.evaluate_many(iter(mix * 4), workers=2):
            pass
        out.append((time.perf_counter() - start) / (len(mix) * 4))
    evaluator.close()
    return out


def print_cost(timings: dict[str, list[float]]) -> None:
    print(f"Per decision ({ROUNDS} interleaved rounds over the generated mix; medians and p99):")
    for name, values in timings.items():
        if not values:
            print(f"  {name:<50} (not available)")
            continue
        p50, p99 = statistics.median(values), percentile(values, 0.99)
        print(f"  {name:<50} p50 {p50 * 1e3:8.3f} ms  p99 {p99 * 1e3:8.3f} ms  {1 / p50:9,.0f}/s")
    floor = statistics.median(timings["trivial rule (regorus, same input)"])
    evaluate = statistics.median(timings["aidf.evaluate() (validate + regorus + contract)"])
    raw = statistics.median(timings["raw regorus (main.checked_decision)"])
    opa = statistics.median(timings["OPA (Go) in-process (main.checked_decision)"])
    print("Ratios (same run):")
    print(f"  evaluate() / trivial rule                          {evaluate / floor:8.1f}x   (target: at most 60x)")
    print(f"  raw regorus decision / trivial rule                {raw / floor:8.1f}x")
    print(f"  OPA (Go) in-process / evaluate()                   {opa / evaluate:8.2f}x   (target: at least 2x)")
    print(f"  OPA (Go) in-process / raw regorus                  {opa / raw:8.2f}x")
    print(f"  Python layer share of evaluate()                   {(evaluate - raw) / evaluate:8.1%}")


def validation_share(mix: list[dict]) -> None:
    from aidf import validation

    validate = statistics.median(timed_each(validation.validate, mix * 2))
    regorus = engines.create("regorus")
    evaluate = statistics.median(timed_each(lambda r: aidf.evaluate(r, using=regorus), mix * 2))
    print(f"  validation share of evaluate()                     {validate / evaluate:8.1%}   (target: under 5%)")


SIZE_BUDGET = float(os.environ.get("BENCH_SIZE_SECONDS", "120"))
SIZE_PROBE = """
import copy, json, sys, time, aidf
from aidf import engines
kind, n, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if kind == "items":
    request = json.load(open(root + "/examples/01-aia-us-to-germany.json"))
    item = request["items"][0]
    request["items"] = [{**item, "quantity": 1, "description": f"line {i}"} for i in range(n)]
else:
    request = json.load(open(root + "/examples/20-plan-uveu-new-country-malaysia.json"))
    countries = ["US", "DE", "JP", "FR", "GB", "MY", "IN", "BR"]
    request["installed"] = [{"country": countries[i % len(countries)], "tpp": 1000} for i in range(n)]
regorus = engines.create("regorus")
start = time.perf_counter()
aidf.evaluate(request, using=regorus)
print(time.perf_counter() - start)
"""


def sizes() -> None:
    """Time per element at the schemas' maximum sizes, each in its own process with a time limit
    (a quadratic rule would otherwise hold the benchmark for minutes)."""
    print(f"Time per element (regorus, evaluate(); each run stopped after {SIZE_BUDGET:g} s):")
    for label, kind, small, large in (("export_chips items", "items", 10, 1000),
                                      ("deploy_compute installed entries", "installed", 100, 10000)):
        row = []
        for n in (small, large):
            try:
                done = subprocess.run([sys.executable, "-c", SIZE_PROBE, kind, str(n), str(ROOT)],
                                      capture_output=True, text=True, timeout=SIZE_BUDGET)
                if done.returncode != 0:
                    row.append(f"{n:>6,}: failed ({(done.stderr.strip().splitlines() or ['?'])[-1][:80]})")
                    continue
                seconds = float(done.stdout)
                row.append(f"{n:>6,}: {seconds:8.3f} s ({seconds / n * 1e6:9.1f} µs each)")
            except subprocess.TimeoutExpired:
                row.append(f"{n:>6,}: over {SIZE_BUDGET:g} s")
        print(f"  {label:<34} " + "   ".join(row))


def cold_start() -> None:
    """Fresh interpreters, median of 5: the floor (import regorus + load the policies) and the CLI."""
    python = sys.executable
    example = ROOT / "examples" / "01-aia-us-to-germany.json"
    runs = {
        "python -c 'import regorus'": [python, "-c", "import regorus"],
        "import aidf.api (lazy)": [python, "-c", "import aidf.api"],
        "+ load policies into regorus": [python, "-c", "from aidf import engines; engines.create('regorus')"],
        "+ first evaluate()": [python, "-c", f"import json, aidf; aidf.evaluate(json.load(open({str(example)!r})))"],
        "aidf check one.json --timeout 0": [python, "-m", "aidf.cli", "check", str(example), "--timeout", "0"],
    }
    medians = {}
    # As installed, with bytecode cached: a shell that sets PYTHONDONTWRITEBYTECODE would
    # otherwise recompile aidf on every start. One warm-up run writes the caches.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(runs["aidf check one.json --timeout 0"], capture_output=True, check=False, env=env)
    for name, command in runs.items():
        values = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=False, env=env)
            values.append(time.perf_counter() - start)
        medians[name] = statistics.median(values)
    print("Cold start (fresh process, median of 5):")
    for name, seconds in medians.items():
        print(f"  {name:<50} {seconds * 1e3:8.1f} ms")
    floor = medians["+ load policies into regorus"]
    print(f"  aidf check / (import regorus + load policies)      "
          f"{medians['aidf check one.json --timeout 0'] / floor:8.2f}x   (target: at most 1.5x)")


def batch_memory() -> None:
    """Peak RSS of a process streaming BATCH requests through evaluate_many(workers=2)."""
    script = (
        "import json, resource, sys, aidf\n"
        "from aidf import api\n"
        f"examples = [api.prepare(json.load(open(p))) for p in sorted(__import__('glob').glob({str(ROOT / 'examples')!r} + '/*.json'))]\n"
        f"n = {BATCH}\n"
        "requests = (examples[i % len(examples)] for i in range(n))\n"
        "ev = aidf.Evaluator()\n"
        "done = sum(1 for _ in ev.evaluate_many(requests, workers=2))\n"
        "ev.close()\n"
        "me = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
        "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(done, me, kids)\n")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        print(f"Batch of {BATCH:,}: not measured ({done.stderr.strip().splitlines()[-1:]})")
        return
    count, parent_kib, child_kib = (int(x) for x in done.stdout.split())
    print(f"Batch of {count:,} requests, evaluate_many(workers=2): {seconds:,.1f} s, {count / seconds:,.0f}/s; "
          f"peak RSS parent {parent_kib / 1024:,.0f} MB, largest worker {child_kib / 1024:,.0f} MB (target: under 300 MB)")


def main() -> None:
    mix = generated_mix()
    print(f"aidf {aidf.__name__} on Python {sys.version.split()[0]}; regorus and OPA (Go) "
          f"{os.cpu_count()} CPUs; mix: {len(mix)} requests of every action")
    timings = per_decision(mix)
    print_cost(timings)
    validation_share(mix)
    sizes()
    cold_start()
    batch_memory()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this benchmark process: peak RSS {peak:,.0f} MB)")


if __name__ == "__main__":
    main()
