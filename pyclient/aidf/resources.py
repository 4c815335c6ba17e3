"""Where the shipped policies and schemas live: inside the wheel, or in the source tree."""
from __future__ import annotations

import os
import pathlib

_PACKAGE = pathlib.Path(__file__).resolve().parent
_SOURCE_ROOT = _PACKAGE.parent.parent


def _locate(name: str) -> pathlib.Path:
    # A wheel carries them as aidf/_shipped/<name>; an editable install reads the repository.
    for candidate in (_PACKAGE / "_shipped" / name, _SOURCE_ROOT / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"aidf cannot find its {name}/ directory (looked in the package and the source tree)")


def policies_dir() -> pathlib.Path:
    # Policy authors point aidf at a working copy with AIDF_POLICY_DIR.
    override = os.environ.get("AIDF_POLICY_DIR")
    if override:
        path = pathlib.Path(override)
        if not path.is_dir():
            raise FileNotFoundError(f"AIDF_POLICY_DIR={override} is not a directory")
        return path
    return _locate("policies")


def shipped_policies_dir() -> pathlib.Path:
    return _locate("policies")


def schemas_dir() -> pathlib.Path:
    return _locate("schemas")
