"""`make bench`: decision throughput on the shipped examples, regorus against OPA (Go).

The machine is shared and noisy, so the numbers that matter are the ratios, measured
interleaved in one run; absolute times are printed for context only.
"""
from __future__ import annotations

import json
import pathlib
import statistics
import time

import aidf
from aidf import api, engines, validation

ROOT = pathlib.Path(__file__).resolve().parent.parent
REQUESTS = [api.prepare(json.loads(p.read_text())) for p in sorted((ROOT / "examples").glob("*.json"))]
ROUNDS = 15


def per_decision(fn) -> float:
    start = time.perf_counter()
    for request in REQUESTS:
        fn(request)
    return (time.perf_counter() - start) / len(REQUESTS)


def main() -> None:
    regorus = engines.create("regorus")
    opa = engines.create("opa")
    isolated = engines.isolated("regorus")  # the CLI's engine: a child process with a time budget
    budget = "evaluate, isolated (timeout=5)"
    timings = {"regorus": [], "opa": [], "validate": [], "evaluate (validate + regorus)": [], budget: []}
    for _ in range(ROUNDS):  # interleaved, so load spikes hit every contender alike
        timings["regorus"].append(per_decision(lambda r: regorus.evaluate("data.aidf.main.decision", r)))
        timings["opa"].append(per_decision(lambda r: opa.evaluate("data.aidf.main.decision", r)))
        timings["validate"].append(per_decision(validation.validate))
        timings["evaluate (validate + regorus)"].append(per_decision(lambda r: aidf.evaluate(r, using=regorus)))
        timings[budget].append(per_decision(lambda r: aidf.evaluate(r, using=isolated, timeout=5)))
    isolated.close()
    median = {k: statistics.median(v) for k, v in timings.items()}

    start = time.perf_counter()
    engines.create("regorus")
    load_regorus = time.perf_counter() - start
    start = time.perf_counter()
    engines.create("opa")
    load_opa = time.perf_counter() - start

    print(f"{len(REQUESTS)} example requests x {ROUNDS} interleaved rounds (median per decision)")
    for name, seconds in median.items():
        print(f"  {name:<32} {seconds * 1000:8.2f} ms")
    print("ratios (same run):")
    print(f"  OPA (Go) / regorus per decision      {median['opa'] / median['regorus']:6.2f}x")
    print(f"  validation share of aidf.evaluate    {median['validate'] / median['evaluate (validate + regorus)']:6.1%}")
    print(f"  OPA (Go) / regorus engine load       {load_opa / load_regorus:6.2f}x")
    print(f"  time budget (isolated) / in-process  {median[budget] / median['evaluate (validate + regorus)']:6.2f}x")


if __name__ == "__main__":
    main()
