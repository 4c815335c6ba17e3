"""Reads a policy directory once: Rego modules and the data tree, as OPA would load a bundle."""
from __future__ import annotations

import dataclasses
import functools
import json
import pathlib
import re

from . import limits, resources


@dataclasses.dataclass(frozen=True)
class PolicySet:
    """Rego sources (path -> text) and the merged data document, ready for any engine."""

    root: pathlib.Path
    modules: tuple[tuple[str, str], ...]
    tests: tuple[tuple[str, str], ...]
    data: dict
    # The .manifest revision when the policies came from an OPA bundle (aidf.bundle); None for a directory.
    bundle_revision: str | None = None

    @property
    def has_checked_decision(self) -> bool:
        """Whether package aidf.main declares checked_decision (trees older than it do not)."""
        for _, text in self.modules:
            package = _PACKAGE_LINE.search(text)
            if package and package.group(1) == "aidf.main" and re.search(r"^checked_decision\b", text, re.M):
                return True
        return False

    @property
    def revision(self) -> str | None:
        """data.aidf.facts.params.policy_revision, or None in a tree that has none."""
        node = self.data
        for part in ("aidf", "facts", "params", "policy_revision"):
            node = node.get(part) if isinstance(node, dict) else None
        return node if isinstance(node, str) else None


def _merge_into(tree: dict, path_parts: list[str], value: dict, source: pathlib.Path) -> None:
    node = tree
    for part in path_parts:
        node = node.setdefault(part, {})
    for key, item in value.items():
        if key in node:
            raise ValueError(f"{source}: data key {'.'.join(path_parts + [key])} is defined twice")
        node[key] = item


_PACKAGE_LINE = re.compile(r"^\s*package\s+([A-Za-z_][\w.]*)\s*$", re.MULTILINE)


class PolicyConflict(ValueError):
    """The data tree and the rules claim the same name: the engines disagree on which wins."""


def _data_node(data: dict, dotted: str):
    """The data at a package's path: None when absent, a non-dict value when data blocks the path."""
    node = data
    for part in dotted.split("."):
        if not isinstance(node, dict):
            return node
        if part not in node:
            return None
        node = node[part]
    return node


def check_no_shadowing(modules, data: dict) -> None:
    """Refuse data that defines a key a rule also defines (e.g. a stray aidf/main/data.json with
    a "decision" key). OPA refuses such a bundle; regorus silently lets the data win, which could
    turn a denial into an allow. Only packages whose path holds data are parsed, so loading the
    shipped policies (data only under aidf.facts) costs nothing."""
    suspects = []
    for path, text in modules:
        match = _PACKAGE_LINE.search(text)
        if match is None or _data_node(data, match.group(1)) is not None:
            suspects.append((path, text))
    if not suspects:
        return
    from .engines.regorus_engine import declared_rules  # the parser; imported only when needed

    clashes = []
    for package, names in sorted(declared_rules(suspects).items()):
        node = _data_node(data, package)
        if node is not None and not isinstance(node, dict):
            clashes.append(f"data.{package} is a {type(node).__name__} in the data, but it is a package of rules")
        elif node:
            clashes.extend(f"data.{package}.{name} is defined both as a rule and in the data"
                           for name in sorted(names & set(node)))
    if clashes:
        raise PolicyConflict("; ".join(clashes))


def _read(path: pathlib.Path) -> str:
    """A policy or data file's text: a regular file, at most MAX_POLICY_FILE_BYTES. A FIFO would
    block and a link to /dev/zero would never end."""
    if not path.is_file():
        raise ValueError(f"{path} is not a regular file")
    cap = limits.MAX_POLICY_FILE_BYTES
    with open(path, "rb") as stream:
        raw = stream.read(cap + 1)
    if len(raw) > cap:
        raise ValueError(f"{path} is more than {cap:,} bytes; the limit is {cap:,}")
    return raw.decode("utf-8")


def data_files(root: pathlib.Path):
    """Each data.json under root as (path relative to root, text), in sorted order, read lazily so
    that the first bad file is the one reported."""
    for path in sorted(root.rglob("data.json")):
        yield path.relative_to(root).as_posix(), _read(path)


def assemble(root: pathlib.Path, modules, tests, data_sources, bundle_revision: str | None = None) -> PolicySet:
    """The one loader behind load() and aidf.bundle: Rego (path, text) pairs and data.json
    (relative path, text) pairs become a PolicySet, with the same checks whichever the source."""
    data: dict = {}
    for rel, text in data_sources:
        # As in an OPA bundle: a data.json's directory is its place in the data tree.
        source = root / rel
        value = json.loads(text)
        if not isinstance(value, dict):
            raise ValueError(f"{source} must hold a JSON object, not {type(value).__name__}")
        _merge_into(data, list(pathlib.PurePosixPath(rel).parent.parts), value, source)
    if not modules:
        raise FileNotFoundError(f"no Rego policies under {root}")
    check_no_shadowing(modules, data)
    return PolicySet(root=root, modules=tuple(modules), tests=tuple(tests), data=data,
                     bundle_revision=bundle_revision)


def load(root: pathlib.Path | None = None) -> PolicySet:
    root = pathlib.Path(root) if root else resources.policies_dir()
    modules, tests = [], []
    for path in sorted(root.rglob("*.rego")):
        rel = path.relative_to(root).as_posix()
        (tests if path.name.endswith("_test.rego") else modules).append((rel, _read(path)))
    return assemble(root, modules, tests, data_files(root))


@functools.lru_cache(maxsize=4)
def shipped() -> PolicySet:
    return load()
