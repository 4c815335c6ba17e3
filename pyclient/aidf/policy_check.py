"""Vetting a policy tree before regorus runs it (`aidf policy check DIR`, and every AIDF_POLICY_DIR).

regorus trusts its input: a recursive function overflows its stack and kills the process, and data
that shadows a rule silently wins. OPA (Go) refuses both at compile time. So a custom tree is read
as a bundle (data/rule conflicts refused), then compiled by OPA where its bindings are installed.
"""
from __future__ import annotations

import dataclasses
import pathlib

from . import engines, policy_set


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
