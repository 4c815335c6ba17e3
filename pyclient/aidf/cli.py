"""The `aidf` command line. Exit codes: 0 allowed, 1 not allowed, 2 usage, 3 invalid request, 4 engine error."""
from __future__ import annotations

import datetime as dt
import json
import sys

import click

from . import api, render, resources, validation

EXIT_ALLOWED, EXIT_NOT_ALLOWED, EXIT_USAGE, EXIT_INVALID, EXIT_ENGINE = 0, 1, 2, 3, 4


class DateParam(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            self.fail(f"{value!r} is not a date in YYYY-MM-DD form", param, ctx)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="aidf")
def main():
    """aidf: decisions under the U.S. Framework for AI Diffusion (90 FR 4544)."""


def _read(source: str) -> dict:
    if source == "-":
        return validation.parse(sys.stdin.buffer.read(validation.MAX_REQUEST_BYTES + 1), source="standard input")
    return validation.load_file(source)


@main.command()
@click.argument("requests", nargs=-1, required=True, metavar="REQUEST.json|-...")
@click.option("--as-of", type=DateParam(), help="Evaluate the rule as of this date (overrides the request's as_of).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "summary"]), default="text", show_default=True,
              help="text for people, json for pipelines (the decision document), summary for one line per request.")
@click.option("--engine", "engine_name", type=click.Choice(["regorus", "opa"]), default="regorus", show_default=True,
              help="Rego engine: embedded regorus, or OPA (Go) in-process.")
def check(requests, as_of, fmt, engine_name):
    """Decide whether each request may proceed, and why.

    Exit code: 0 when every request is allowed, 1 when any needs a licence (or is not
    evaluated), 3 when any request is invalid, 4 when the policy engine fails.
    """
    worst = EXIT_ALLOWED
    documents = []
    for source in requests:
        label = "standard input" if source == "-" else source
        try:
            decision = api.evaluate(_read(source), as_of=as_of, engine_name=engine_name)
        except validation.InvalidRequest as exc:
            worst = max(worst, EXIT_INVALID)
            if fmt == "json":
                documents.append({"source": label, "error": "invalid_request",
                                  "problems": [{"path": p.path, "message": p.message} for p in exc.problems]})
            else:
                click.echo(f"INVALID REQUEST {label} (nothing was evaluated):", err=True)
                for p in exc.problems:
                    click.echo(f"  {p}", err=True)
            continue
        except Exception as exc:  # EngineError or anything unexpected: fail closed with exit 4
            worst = max(worst, EXIT_ENGINE)
            if fmt == "json":
                documents.append({"source": label, "error": "engine_error", "message": str(exc).splitlines()[0]})
            else:
                click.echo(f"POLICY ENGINE ERROR {label} (treated as not allowed): {exc}", err=True)
            continue
        if decision.outcome == "invalid_request":
            worst = max(worst, EXIT_INVALID)
        elif not decision.allowed:
            worst = max(worst, EXIT_NOT_ALLOWED)
        if fmt == "json":
            documents.append(decision.to_dict())
        elif fmt == "summary":
            click.echo(render.one_line(decision.to_dict(), label))
        else:
            if len(requests) > 1:
                click.echo("=" * render.WIDTH)
            click.echo(render.text(decision.to_dict(), label))
    if fmt == "json":
        click.echo(json.dumps(documents[0] if len(documents) == 1 else documents, indent=2, sort_keys=True))
    sys.exit(worst)


@main.command()
@click.argument("action", type=click.Choice(sorted(validation.ACTION_SCHEMAS) + ["decision"]))
def schema(action):
    """Print the JSON Schema of a request action (or of the decision)."""
    name = "decision.schema.json" if action == "decision" else validation.ACTION_SCHEMAS[action]
    click.echo((resources.schemas_dir() / name).read_text())


if __name__ == "__main__":
    main()
