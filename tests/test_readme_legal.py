"""README's "For legal and compliance teams" worked session is checked by running it: every `aidf`
line of the session, in order, in a scratch folder, with the suite written exactly as shown."""
from __future__ import annotations

import datetime as dt
import os
import pathlib
import re
import shlex
import subprocess
import sys
import textwrap

import yaml

from conftest import ROOT

SECTION = ROOT.joinpath("README.md").read_text().split("## For legal and compliance teams", 1)[1].split("\n## ", 1)[0]
SESSION = SECTION.split("### A worked session", 1)[1].split("\n### ", 1)[0]
COMMANDS = [line.strip() for block in re.findall(r"```sh\n(.*?)```", SESSION, re.S)
            for line in block.splitlines() if line.strip()]
SUITE = re.findall(r"```yaml\n(.*?)```", SESSION, re.S)[0]
# What each step of the session claims, by its command: the exit code and words in its output.
CLAIMS = {
    "aidf new": (0, "wrote shipment.yaml"),
    "aidf check": (0, "License Exception AIA"),
    "aidf cases run": (1, "allowed: expected false, got true"),
    "aidf whatif": (0, "authorization AIA LPP changed"),
    "aidf boundary": (0, "ships under LPP on 2025-06-01 is 1,699"),
    "aidf report": (0, "wrote memo.html"),
}


def test_the_session_has_every_step_the_legal_team_needs():
    assert [next(k for k in CLAIMS if c.startswith(k)) for c in COMMANDS] == list(CLAIMS)
    assert yaml.safe_load(textwrap.dedent(SUITE))["suite"] == "Our H100 shipments"


def test_every_line_of_the_session_runs_and_says_what_the_readme_says(tmp_path):
    (tmp_path / "our-cases.yaml").write_text(textwrap.dedent(SUITE))
    env = {**os.environ, "PATH": f"{pathlib.Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "NO_COLOR": "1"}
    for command in COMMANDS:
        done = subprocess.run(shlex.split(command), cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=300)
        code, words = next(v for k, v in CLAIMS.items() if command.startswith(k))
        output = done.stdout + done.stderr
        assert done.returncode == code, (command, output[-2000:])
        assert words in " ".join(output.split()), (command, output[-2000:])
    html = (tmp_path / "memo.html").read_text()
    assert "Our H100 shipments" in html and "15 CFR 740.27" in html
    today = dt.date.today()
    assert "1 June 2025" in html and f"{today.day} {today:%B} {today.year}" not in html  # one date throughout
