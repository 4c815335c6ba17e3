"""Parameter types and options the CLI's commands share (check and the legal workbench)."""
from __future__ import annotations

import datetime as dt
import sys

import click

from .terminal import visible

# Exit codes, for every command: 0 allowed / passed, 1 not allowed / a case failed, 2 usage,
# 3 invalid input (a request, a suite, an override), 4 policy or engine error.
EXIT_ALLOWED, EXIT_NOT_ALLOWED, EXIT_USAGE, EXIT_INVALID, EXIT_ENGINE = 0, 1, 2, 3, 4


def fail(code: int, message: str):
    """One line on standard error, "aidf: <what is wrong>", then the exit code."""
    click.echo(f"aidf: {visible(message)}", err=True)
    sys.exit(code)


class DateParam(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            self.fail(f"{value!r} is not a date in YYYY-MM-DD form", param, ctx)


def view_value(view: str | None) -> str | None:
    """The CLI spells views with a hyphen (as-written); requests and decisions with an underscore."""
    return view.replace("-", "_") if view else None


as_of_option = click.option("--as-of", type=DateParam(),
                            help="Evaluate the rule as of this date (overrides the request's as_of).")
view_option = click.option("--view", type=click.Choice(["as-written", "enforced"]), default=None,
                           help="The rule as written on the as-of date, or what BIS enforces on it "
                                "(default: the request's view, else as-written).")
engine_option = click.option("--engine", "engine_name", type=click.Choice(["regorus", "opa"]), default="regorus",
                             show_default=True, help="The Rego engine that decides.")


def format_option(*choices: str, default: str = "text"):
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True,
                        help="Output format.")
