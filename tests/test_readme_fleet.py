"""README's "Running aidf on an OPA fleet" is checked by running it: every `openssl` and `aidf`
line of its shell blocks, in order, in a scratch directory, against a real HTTP server with OPA's
REST API that evaluates the built bundle with OPA (Go). Its YAML blocks must parse and agree with
what `aidf bundle build` writes."""
from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys

import yaml

from aidf import bundle
from conftest import EXAMPLES, ROOT
from opa_server import running

SECTION = ROOT.joinpath("README.md").read_text().split("## Running aidf on an OPA fleet", 1)[1].split("\n## ", 1)[0]
SHELL_BLOCKS = re.findall(r"```sh\n(.*?)```", SECTION, re.S)
YAML_BLOCKS = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", SECTION, re.S)]


def test_the_section_has_what_the_fleet_needs():
    assert len(SHELL_BLOCKS) == 2 and len(YAML_BLOCKS) == 2
    commands = " ".join(SHELL_BLOCKS)
    for needed in ("aidf bundle build", "aidf bundle verify", "--bundle", "--opa-url", "AIDF_OPA_URL",
                   "aidf health", "--decision-log", "aidf log show", "aidf log replay"):
        assert needed in commands, needed


def test_every_shell_line_runs(tmp_path):
    scratch = tmp_path / "work"
    scratch.mkdir()
    (scratch / "examples").symlink_to(EXAMPLES)
    env = {**os.environ, "PATH": f"{pathlib.Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("AIDF_OPA_URL", None)
    lines = [line.strip() for block in SHELL_BLOCKS for line in block.splitlines() if line.strip()]
    first_server_line = next(i for i, line in enumerate(lines) if "localhost:8181" in line)
    for line in lines[:first_server_line]:  # keys, bundle build and verify, a check from the bundle
        done = subprocess.run(line, shell=True, cwd=scratch, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, (line, done.stdout, done.stderr)
    public_key = (scratch / "public.pem").read_bytes()
    served = bundle.load(scratch / "bundles" / "aidf.tar.gz", verification_key=public_key)
    with running(served, revision=served.bundle_revision) as server:
        for line in lines[first_server_line:]:
            done = subprocess.run(line.replace("http://localhost:8181", server.url), shell=True, cwd=scratch,
                                  env=env, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, (line, done.stdout, done.stderr)
        assert server.count("POST") >= 2
    assert len((scratch / "decisions.jsonl").read_text().splitlines()) == 1


def test_the_opa_configuration_matches_the_bundle_aidf_builds():
    config = YAML_BLOCKS[0]
    source = config["bundles"]["aidf"]
    assert source["service"] in config["services"]
    key_id = source["signing"]["keyid"]
    assert key_id == "default"  # what aidf bundle build writes without --key-id
    assert config["keys"][key_id]["algorithm"] == "RS256"
    assert "decision_logs" in config and "status" in config


def test_the_ci_job_runs_the_tests_before_it_publishes_a_signed_bundle():
    steps = YAML_BLOCKS[1]["jobs"]["test-and-publish"]["steps"]
    runs = [step.get("run", "") for step in steps]
    tests_at = next(i for i, run in enumerate(runs) if run.strip() == "make test")
    build_at = next(i for i, run in enumerate(runs) if "aidf bundle build --signing-key" in run)
    assert tests_at < build_at
    assert any(step.get("uses", "").startswith("actions/upload-artifact") for step in steps[build_at:])


def test_the_shipped_workflow_is_the_one_the_readme_shows():
    shipped = ROOT / ".github" / "workflows" / "bundle.yml"
    assert yaml.safe_load(shipped.read_text()) == YAML_BLOCKS[1]
