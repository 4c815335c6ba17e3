"""Vetting a policy tree before regorus runs it (`aidf policy check DIR`, and every AIDF_POLICY_DIR).

regorus trusts its input: a recursive function overflows its stack and kills the process, and data
that shadows a rule silently wins. OPA (Go) refuses both at compile time. So a custom tree is read
as a bundle (data/rule conflicts refused), then compiled by OPA where its bindings are installed.
"""
from __future__ import annotations

import dataclasses
import pathlib
import re

from . import engines, policy_set


# Builtins that let a decision depend on something other than the request and the policy data
# (the network, the clock, chance, the host): the same request could get another answer, and
# regorus lacks some of them (http.send is skipped there while OPA errors), so engines disagree.
_UNREPRODUCIBLE = re.compile(r"\b(http\.send|net\.lookup_ip_addr|opa\.runtime|rand\.intn|time\.now_ns|"
                             r"uuid\.rfc4122|uuid\.parse)\s*\(")


def _unreproducible_calls(policies: policy_set.PolicySet) -> list[str]:
    found = []
    for path, text in policies.modules:
        for number, line in enumerate(text.split("\n"), 1):
            code = line.split("#", 1)[0]
            for match in _UNREPRODUCIBLE.finditer(code):
                found.append(f"{path}:{number}: {match.group(1)} makes decisions unreproducible")
    return found


@dataclasses.dataclass(frozen=True)
class Report:
    root: pathlib.Path
    modules: int
    tests: int
    revision: str | None
    compiled_by_opa: bool


def _load(root: pathlib.Path) -> policy_set.PolicySet:
    try:
        return policy_set.load(root)
    except engines.EngineError:
        raise
    except Exception as exc:  # unreadable files, bad data.json, a rule shadowed by data
        raise engines.EngineError(f"the policies under {root} cannot be loaded: {engines.first_line(str(exc))}",
                                  detail=str(exc)) from exc


def check(root: str | pathlib.Path, require_opa: bool = True) -> Report:
    """Load and compile a policy tree (tests included). Raises EngineError naming what is wrong."""
    root = pathlib.Path(root)
    policies = _load(root)
    unreproducible = _unreproducible_calls(policies)
    if unreproducible:
        raise engines.EngineError(f"the policies under {root} use builtins a gate must not: {unreproducible[0]}",
                                  detail="\n".join(unreproducible))
    compiled = False
    if engines.opa_available():
        engines.create("opa", policies=policies, include_tests=True).close()
        compiled = True
    elif require_opa:
        raise engines.EngineError("OPA (Go) is needed to compile policies: pip install --ignore-requires-python "
                                  "opa-golib-python-bindings==0.4.4")
    return Report(root, len(policies.modules), len(policies.tests), policies.revision, compiled)


def vet(root: str | pathlib.Path) -> bool:
    """True when OPA compiled the tree; False when OPA is not installed (then run it isolated)."""
    return check(root, require_opa=False).compiled_by_opa
