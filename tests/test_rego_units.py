"""Runs every `test_*` rule of every *_test.rego file on regorus and on OPA (Go).

A Rego test passes when its rule evaluates to true; both engines must say so.
"""
from __future__ import annotations

import re

import pytest

from aidf import engines, policy_set

POLICIES = policy_set.load()
PACKAGE = re.compile(r"^package\s+([\w.]+)", re.M)
TEST_RULE = re.compile(r"^(test_\w+)\s+if\b", re.M)


def _discover():
    for path, text in POLICIES.tests:
        package = PACKAGE.search(text).group(1)
        for name in TEST_RULE.findall(text):
            yield pytest.param(f"data.{package}.{name}", id=f"{path}::{name}")


TESTS = list(_discover())


@pytest.fixture(scope="module")
def test_engines():
    return [engines.create("regorus", policies=POLICIES, include_tests=True),
            engines.create("opa", policies=POLICIES, include_tests=True)]


def test_every_policy_file_has_tests_beside_it():
    test_files = {path for path, _ in POLICIES.tests}
    missing = [path for path, _ in POLICIES.modules
               if path.replace(".rego", "_test.rego") not in test_files]
    assert not missing, f"policy files without a _test.rego beside them: {missing}"


def test_discovery_finds_tests():
    assert len(TESTS) > 40


@pytest.mark.parametrize("rule", TESTS)
def test_rego(rule, test_engines):
    results = {e.name: e.run_test(rule) for e in test_engines}
    assert results == {"regorus": True, "opa": True}, results
