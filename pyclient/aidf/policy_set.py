"""Reads a policy directory once: Rego modules and the data tree, as OPA would load a bundle."""
from __future__ import annotations

import dataclasses
import functools
import json
import pathlib

from . import resources

ENTRYPOINT = "data.aidf.main.decision"


@dataclasses.dataclass(frozen=True)
class PolicySet:
    """Rego sources (path -> text) and the merged data document, ready for any engine."""

    root: pathlib.Path
    modules: tuple[tuple[str, str], ...]
    tests: tuple[tuple[str, str], ...]
    data: dict

    @property
    def revision(self) -> str:
        return self.data["aidf"]["facts"]["params"]["policy_revision"]


def _merge_into(tree: dict, path_parts: list[str], value: dict, source: pathlib.Path) -> None:
    node = tree
    for part in path_parts:
        node = node.setdefault(part, {})
    for key, item in value.items():
        if key in node:
            raise ValueError(f"{source}: data key {'.'.join(path_parts + [key])} is defined twice")
        node[key] = item


def load(root: pathlib.Path | None = None) -> PolicySet:
    root = pathlib.Path(root) if root else resources.policies_dir()
    modules, tests = [], []
    for path in sorted(root.rglob("*.rego")):
        rel = path.relative_to(root).as_posix()
        (tests if path.name.endswith("_test.rego") else modules).append((rel, path.read_text()))
    data: dict = {}
    for path in sorted(root.rglob("data.json")):
        # As in an OPA bundle: a data.json's directory is its place in the data tree.
        parts = list(path.relative_to(root).parent.parts)
        _merge_into(data, parts, json.loads(path.read_text()), path)
    if not modules:
        raise FileNotFoundError(f"no Rego policies under {root}")
    return PolicySet(root=root, modules=tuple(modules), tests=tuple(tests), data=data)


@functools.lru_cache(maxsize=4)
def shipped() -> PolicySet:
    return load()
