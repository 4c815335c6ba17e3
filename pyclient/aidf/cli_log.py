"""`aidf log show|replay`: read decision records (aidf check --decision-log) for an audit.

show re-renders recorded decisions as text; replay evaluates each recorded request again, with
its own as-of date and view, against today's policies (or a bundle, or an OPA server) and lists
the decisions that would change. Exit codes: 0 nothing changed (show: found), 1 some decision
would change, 3 the log cannot be read or the id is not in it, 4 the policies cannot be loaded
or an evaluation failed.
"""
from __future__ import annotations

import json
import sys

import click

from . import decision_log, engines, render, validation
from .terminal import visible, visible_document

EXIT_SAME, EXIT_CHANGED, EXIT_INVALID, EXIT_ENGINE = 0, 1, 3, 4


def _read(path: str) -> list[decision_log.Entry]:
    try:
        return decision_log.read(path)
    except decision_log.LogError as exc:
        click.echo(f"aidf: {visible(str(exc))}", err=True)
        sys.exit(EXIT_INVALID)


@click.group()
def log():
    """Read decision records (written by aidf check --decision-log)."""


@log.command("show")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--id", "decision_id", help="Show only the decision with this decision_id.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show(path, decision_id, fmt):
    """Re-render recorded decisions as text, with when, where and by which revision they were made."""
    entries = [e for e in _read(path) if decision_id is None or e.record["decision_id"] == decision_id]
    if decision_id is not None and not entries:
        click.echo(f"aidf: {visible(path)}: no decision with id {visible(decision_id)}", err=True)
        sys.exit(EXIT_INVALID)
    if fmt == "json":
        click.echo(json.dumps([e.record for e in entries], indent=2, sort_keys=True))
        return
    for entry in entries:
        record = entry.record
        revision = (record.get("bundles") or {}).get("aidf", {}).get("revision")
        click.echo("=" * render.WIDTH)
        click.echo(visible(f"Decision {record['decision_id']} (line {entry.line})"))
        click.echo(visible(f"Made:   {record['timestamp']} by {record['engine']}, bundle revision {revision}"))
        click.echo(visible(f"As of:  {record['as_of']}, view {record['view']}"))
        click.echo(render.text(visible_document(record["result"]), visible(f"{path}:{entry.line}")))


@log.command("replay")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--engine", "engine_name", type=click.Choice(list(engines.NAMES)), default="regorus", show_default=True)
@click.option("--bundle", "bundle_path", type=click.Path(dir_okay=False), help="Replay against this OPA bundle.")
@click.option("--verification-key", type=click.Path(dir_okay=False), help="Key the bundle's signature must verify with.")
@click.option("--signing-alg", type=click.Choice(["RS256", "ES256", "HS256"]), default=None,
              help="Algorithm the bundle's signature must use (default RS256).")
@click.option("--allow-unsigned", is_flag=True, help="Use a bundle without --verification-key.")
@click.option("--opa-url", metavar="URL", help="Replay against this OPA server (default: $AIDF_OPA_URL).")
@click.option("--opa-token", metavar="TOKEN", envvar="AIDF_OPA_TOKEN", show_envvar=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def replay(path, engine_name, bundle_path, verification_key, signing_alg, allow_unsigned, opa_url, opa_token, fmt):
    """Evaluate every recorded request again and list the decisions that would change.

    Each request keeps its recorded as-of date and view, so only a change of policy (or of the
    engine) can change its decision: the audit trail when the policy moves.
    """
    from .cli import _evaluator

    entries = _read(path)
    evaluator = _evaluator(engine=engine_name, bundle=bundle_path, verification_key=verification_key,
                           signing_alg=signing_alg, allow_unsigned=allow_unsigned, opa_url=opa_url, token=opa_token)
    changed, failed = [], 0
    try:
        for entry in entries:
            record = entry.record
            try:
                now = evaluator.evaluate(record["input"]).to_dict()
                differences = decision_log.changes(record["result"], now)
                revision = now.get("bundle", {}).get("revision") or now.get("policy_revision")
            except validation.InvalidRequest as exc:
                differences, revision = [f"the request is no longer valid: {exc.problems[0]}"], None
            except engines.EngineError as exc:
                failed += 1
                click.echo(f"aidf: {visible(path)}:{entry.line}: {visible(engines.first_line(str(exc)))}", err=True)
                continue
            if differences:
                changed.append({"decision_id": record["decision_id"], "line": entry.line,
                                "timestamp": record["timestamp"], "changes": differences,
                                "recorded_revision": (record.get("bundles") or {}).get("aidf", {}).get("revision"),
                                "replayed_revision": revision})
    finally:
        evaluator.close()
    if fmt == "json":
        click.echo(json.dumps({"replayed": len(entries), "changed": changed, "failed": failed}, indent=2, sort_keys=True))
    else:
        for item in changed:
            click.echo(visible(f"{item['decision_id']} (line {item['line']}, {item['timestamp']}), "
                               f"revision {item['recorded_revision']} -> {item['replayed_revision']}:"))
            for difference in item["changes"]:
                click.echo(f"  {visible(difference)}")
        click.echo(f"{len(entries):,} decision{'' if len(entries) == 1 else 's'} replayed: "
                   f"{len(changed):,} would change"
                   + (f", {failed:,} could not be evaluated" if failed else ""))
    sys.exit(EXIT_ENGINE if failed else (EXIT_CHANGED if changed else EXIT_SAME))
