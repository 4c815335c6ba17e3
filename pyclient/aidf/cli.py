"""The `aidf` command line. Exit codes: 0 allowed, 1 not allowed, 2 usage, 3 invalid request, 4 engine error.

Whatever happens, the process ends with one of those codes and one readable line per failure:
no traceback, and never 0 unless every decision allowed its request.
"""
from __future__ import annotations

import collections
import json
import os
import stat
import sys

import click

from . import api, engines, limits, policy_check, reading, render, resources, validation
from .cli_bundle import bundle
from .cli_log import log
from .evaluator import ConflictingOptions, Evaluator
from .terminal import visible, visible_document, visible_lines

from .cli_params import EXIT_ALLOWED, EXIT_ENGINE, EXIT_INVALID, EXIT_NOT_ALLOWED, EXIT_USAGE, DateParam


class SecondsParam(click.ParamType):
    """A time budget: 0 (none) up to a day. Rejects nan, inf and negatives as usage errors."""

    name = "SECONDS"

    def convert(self, value, param, ctx):
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not 0 <= seconds <= limits.MAX_TIMEOUT_SECONDS:  # False for nan
            self.fail(f"{value!r} is not between 0 and {limits.MAX_TIMEOUT_SECONDS:g} seconds", param, ctx)
        return seconds


# The legal team's workbench: each command lives in its own module, imported only when it runs,
# so `aidf check` in a pipeline pays for none of them.
WORKBENCH = {
    "cases": "cli_cases",
    "new": "cli_new",
    "whatif": "cli_whatif",
    "boundary": "cli_boundary",
    "tpp": "cli_tpp",
    "countries": "cli_countries",
    "country": "cli_countries",
    "timeline": "cli_countries",
    "report": "cli_report",
}


class Aidf(click.Group):
    """Turns anything unexpected (a bug, MemoryError, a broken pipe) into exit 4 and one line.
    Loads the workbench commands (WORKBENCH) on first use."""

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(WORKBENCH))

    def get_command(self, ctx, name):
        if name in WORKBENCH and name not in self.commands:
            import importlib

            try:
                module = importlib.import_module(f".{WORKBENCH[name]}", __package__)
            except ModuleNotFoundError as exc:  # a command this installation does not have yet
                if exc.name != f"{__package__}.{WORKBENCH[name]}":
                    raise
                return None
            command = getattr(module, name, None)
            if not isinstance(command, click.Command):  # e.g. a module of the same name imported there
                raise RuntimeError(f"aidf.{WORKBENCH[name]} defines no command {name!r}")
            return command
        return super().get_command(ctx, name)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            # One line, as every other failure: "aidf: <what is wrong> (see aidf <command> --help)".
            command = exc.ctx.command_path if exc.ctx is not None else ctx.command_path
            message = " ".join(exc.format_message().split())
            click.echo(f"aidf: {visible(message)} (see {command} --help)", err=True)
            sys.exit(EXIT_USAGE)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except BrokenPipeError:
            # The reader of our output went away: nobody saw the decision. Silence the flush
            # Python would attempt at exit, and fail.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(EXIT_ENGINE)
        except BaseException as exc:  # noqa: B036 - the gate must end with a code, not a traceback
            if isinstance(exc, KeyboardInterrupt):
                click.echo("aidf: interrupted (treated as not allowed)", err=True)
            else:
                click.echo(f"aidf: internal error (treated as not allowed): {type(exc).__name__}: "
                           f"{visible(engines.first_line(str(exc)))[:limits.MESSAGE_VALUE_CHARS]}", err=True)
            sys.exit(EXIT_ENGINE)


@click.group(cls=Aidf, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="aidf")
def main():
    """aidf: decisions under the U.S. Framework for AI Diffusion (90 FR 4544)."""


def _report_engine_error(label: str, exc: engines.EngineError, fmt: str, verbose: bool, documents: list) -> None:
    message = engines.first_line(str(exc))
    if fmt == "json":
        documents.append({"source": label, "error": "engine_error", "message": message,
                          **({"detail": exc.detail} if verbose else {})})
    else:
        click.echo(f"POLICY ENGINE ERROR {visible(label)} (treated as not allowed): {visible(message)}", err=True)
        if verbose and exc.detail and exc.detail != message:
            click.echo(visible_lines(exc.detail), err=True)


def _problems(exc: validation.InvalidRequest) -> list[dict]:
    """An invalid request's problems as JSON output gives them (single requests and batches)."""
    return [{"path": p.path, "message": p.message} for p in exc.problems]


def _report_invalid(label: str, exc: validation.InvalidRequest, fmt: str, documents: list) -> None:
    if fmt == "json":
        documents.append({"source": label, "error": "invalid_request", "problems": _problems(exc)})
    else:
        click.echo(f"INVALID REQUEST {visible(label)} (nothing was evaluated):", err=True)
        for p in exc.problems:
            click.echo(f"  {visible(str(p))}", err=True)


class CheckCommand(click.Command):
    """`aidf check *` in a folder holding a file named `-h` would print help and exit 0 without
    deciding anything. Help is only help when nothing else is asked; file names after `--` are
    always files."""

    def parse_args(self, ctx, args):
        options = args[:args.index("--")] if "--" in args else args
        asks_help = [a for a in options if a in ctx.help_option_names]
        if asks_help and len(args) > len(asks_help):
            raise click.UsageError(f"{asks_help[0]} given with request files; if it is a file name, "
                                   "put -- before the file names", ctx)
        return super().parse_args(ctx, args)


@main.command(cls=CheckCommand)
@click.argument("requests", nargs=-1, metavar="[REQUEST.json|-...]")
@click.option("--as-of", type=DateParam(), help="Evaluate the rule as of this date (overrides the request's as_of).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "summary"]), default="text", show_default=True,
              help="text for people, json for pipelines (the decision document), summary for one line per request.")
@click.option("--engine", "engine_name", type=click.Choice(list(engines.NAMES)), default="regorus", show_default=True,
              help="Rego engine: embedded regorus, or OPA (Go) in-process.")
@click.option("--timeout", type=SecondsParam(),
              default=limits.DEFAULT_TIMEOUT_SECONDS, show_default=True,
              envvar="AIDF_TIMEOUT",
              help="Seconds one decision may take; beyond it the engine is stopped and aidf exits 4. "
                   "0 runs the engine in this process with no budget.")
@click.option("--view", type=click.Choice(["as-written", "enforced", "both"]), default=None,
              help="as-written (default): the rule as written on the as-of date; enforced: what BIS still "
                   "enforces on it; both: the two side by side (the exit code follows as-written).")
@click.option("--bundle", "bundle_path", type=click.Path(dir_okay=False),
              help="Load the embedded engine from this OPA bundle (aidf bundle build) instead of the source tree; "
                   "it is verified first.")
@click.option("--verification-key", type=click.Path(dir_okay=False),
              help="Public key (RS256/ES256 PEM) or shared secret (HS256) the bundle's signature must verify with.")
@click.option("--signing-alg", type=click.Choice(["RS256", "ES256", "HS256"]), default=None,
              help="Algorithm the bundle's signature must use (default RS256, as OPA).")
@click.option("--allow-unsigned", is_flag=True,
              help="Use a bundle without --verification-key (its decisions then say verified: false).")
@click.option("--opa-url", metavar="URL",
              help="Ask this OPA server (serving the aidf bundle) instead of the embedded engine. "
                   "Default: $AIDF_OPA_URL. Requests are still validated here first.")
@click.option("--opa-token", metavar="TOKEN", envvar="AIDF_OPA_TOKEN", show_envvar=True,
              help="Bearer token for the OPA server.")
@click.option("--retries", type=click.IntRange(0, 5), default=2, show_default=True,
              help="Retries of an OPA server query after a connection error or HTTP 502/503/504.")
@click.option("--decision-log", type=click.Path(dir_okay=False),
              help="Append one JSON line per decision to this file (OPA's decision-log shape).")
@click.option("--verbose", "-v", is_flag=True, help="On an engine error, show the engine's full message.")
@click.option("--batch", "batch_source", metavar="FILE.jsonl|-",
              help="Decide one request per line of FILE.jsonl (- for standard input) and write one JSON line "
                   "per request to standard output, in input order (see below).")
@click.option("--workers", type=click.IntRange(1, limits.MAX_BATCH_WORKERS), default=1, show_default=True,
              help="With --batch: decide in this many worker processes (1: in this process).")
@click.pass_context
def check(ctx, requests, as_of, fmt, engine_name, timeout, view, bundle_path, verification_key, signing_alg,
          allow_unsigned, opa_url, opa_token, retries, decision_log, verbose, batch_source, workers):
    """Decide whether each request may proceed, and why.

    Exit code: 0 when every request is allowed, 1 when any needs a licence (or is not
    evaluated), 3 when any request is invalid, 4 when the policy engine fails.

    Batch: --batch FILE.jsonl (- for standard input) reads one JSON request per
    line and writes JSON Lines to standard output, one line per request, in
    input order, each one of:

    \b
      the decision document, as --format json gives for one request
      {"line": N, "error": "invalid_request", "problems": [{"path", "message"}]}
      {"line": N, "error": "engine_error", "message": "..."}  (+ "detail" with -v)

    A bad line does not stop the run. Blank lines are skipped: line numbers
    count them, and the Nth output line answers the Nth non-blank line. A line
    over 1,000,000 bytes is an invalid_request record (it is never read whole).
    --view both writes {"as_written": ..., "enforced": ...} per line; the exit
    code follows as-written. A progress bar is drawn on standard error only when
    it is a terminal; a one-line summary (allowed, not allowed, invalid, failed)
    always ends standard error.

    Batch exit code: 0 only when every request is allowed; 1 when any is not
    allowed and none is invalid or failed; 3 when any is invalid (or there is
    no request at all); 4 when any failed (4 wins over 3).

    --workers N decides in N worker processes, each with its own engine: the
    same output in the same order. Memory does not grow with the input.
    --timeout bounds each decision, not the wait for the next line. The
    decision log (--decision-log) is written in input order.
    """
    explicit = {name for name in ("fmt", "workers")
                if ctx.get_parameter_source(name) not in (None, click.core.ParameterSource.DEFAULT)}
    budget = timeout or None
    source_options = dict(engine=engine_name, bundle=bundle_path, verification_key=verification_key,
                          signing_alg=signing_alg, allow_unsigned=allow_unsigned, opa_url=opa_url, token=opa_token,
                          timeout=budget, retries=retries, decision_log=decision_log)
    if batch_source is not None:
        if requests:
            raise click.UsageError("--batch reads its requests from FILE.jsonl; give no request files with it")
        if "fmt" in explicit and fmt != "json":
            raise click.UsageError(f"--batch writes JSON Lines; --format {fmt} cannot be used with it")
        _check_batch(batch_source, workers=workers, as_of=as_of, view=view, verbose=verbose, options=source_options)
    if not requests:
        raise click.UsageError("Missing argument 'REQUEST.json|-...' (or --batch FILE.jsonl).")
    if "workers" in explicit:
        raise click.UsageError("--workers applies only to --batch")
    worst = EXIT_ALLOWED
    documents = []
    evaluator = _evaluator(verbose=verbose, **source_options)
    for source in requests:
        label = "standard input" if source == "-" else source
        try:
            request = reading.load(source, seconds=budget)
            decision, *others = [evaluator.evaluate(request, as_of=as_of, view=v) for v in _VIEWS[view]]
            other = others[0] if others else None
        except validation.InvalidRequest as exc:
            worst = max(worst, EXIT_INVALID)
            _report_invalid(label, exc, fmt, documents)
            continue
        except engines.EngineError as exc:
            worst = max(worst, EXIT_ENGINE)
            _report_engine_error(label, exc, fmt, verbose, documents)
            continue
        if decision.outcome == "invalid_request":
            worst = max(worst, EXIT_INVALID)
        elif not decision.allowed:
            worst = max(worst, EXIT_NOT_ALLOWED)
        if fmt == "json":
            documents.append({"as_written": decision.to_dict(), "enforced": other.to_dict()} if other else decision.to_dict())
        elif fmt == "summary":
            click.echo(render.one_line(visible_document(decision.to_dict()), visible(label)))
            if other:
                click.echo(render.one_line(visible_document(other.to_dict()), visible(label)))
        else:
            if len(requests) > 1:
                click.echo("=" * render.WIDTH)
            if other:
                click.echo(render.side_by_side(visible_document(decision.to_dict()), visible_document(other.to_dict())))
                click.echo("\n" + "-" * render.WIDTH + "\nAS WRITTEN")
            click.echo(render.text(visible_document(decision.to_dict()), visible(label)))
            if other:
                click.echo("\n" + "-" * render.WIDTH + "\nENFORCED")
                click.echo(render.text(visible_document(other.to_dict()), visible(label)))
    if fmt == "json":
        click.echo(json.dumps(documents[0] if len(documents) == 1 else documents, indent=2, sort_keys=True))
    evaluator.close()
    api.close()
    sys.stdout.flush()  # a reader that went away is exit 4 here, not a warning at interpreter exit
    sys.exit(worst)


_VIEWS = {None: (None,), "as-written": ("as_written",), "enforced": ("enforced",), "both": ("as_written", "enforced")}


def _check_batch(source: str, *, workers: int, as_of, view, verbose: bool, options: dict) -> None:
    """`aidf check --batch`: one JSON line out per non-blank line in, in order; never returns."""
    label = "standard input" if source == "-" else source
    try:
        if source == "-":
            stream, size = getattr(sys.stdin, "buffer", None), None
            if stream is None:
                raise ValueError("standard input is closed")
        else:
            stream = open(source, "rb")  # noqa: SIM115 - closed below, after the last line
            status = os.fstat(stream.fileno())
            size = status.st_size if stat.S_ISREG(status.st_mode) else None
    except (OSError, ValueError) as exc:
        click.echo(f"aidf: cannot read {visible(label)} (nothing was evaluated): "
                   f"{visible(getattr(exc, 'strerror', None) or str(exc))}", err=True)
        sys.exit(EXIT_INVALID)
    evaluator = _evaluator(verbose=verbose, **options)
    counts = {"allowed": 0, "not allowed": 0, "invalid": 0, "failed": 0}
    lines = _BatchLines(stream)
    bar = None
    if _is_terminal(sys.stderr):
        # By bytes for a file (percent and ETA); by requests for a pipe (length unknown).
        bar = click.progressbar(length=size or None, iterable=None if size else (n for n in ()), file=sys.stderr,
                                label="deciding", show_percent=bool(size), show_eta=bool(size), show_pos=not size)
        bar.__enter__()
    from . import batch  # multiprocessing is imported only for a batch

    outcomes = batch.stream(evaluator, lines, workers=workers, as_of=as_of, views=_VIEWS[view], parse=True)
    stopped = None
    try:
        for outcome in outcomes:
            number, consumed = lines.taken.popleft()
            if isinstance(outcome, validation.InvalidRequest):
                counts["invalid"] += 1
                record = {"line": number, "error": "invalid_request", "problems": _problems(outcome)}
            elif isinstance(outcome, engines.EngineError):
                counts["failed"] += 1
                record = {"line": number, "error": "engine_error", "message": engines.first_line(str(outcome)),
                          **({"detail": outcome.detail} if verbose else {})}
            else:
                first = outcome[0]
                counts["invalid" if first.outcome == "invalid_request" else
                       "allowed" if first.allowed else "not allowed"] += 1
                record = ({"as_written": first.to_dict(), "enforced": outcome[1].to_dict()} if len(outcome) > 1
                          else first.to_dict())
            click.echo(json.dumps(record, sort_keys=True))
            if bar is not None:
                bar.update(consumed if size else 1)
    except BrokenPipeError:
        raise  # nobody reads the decisions any more: exit 4 (Aidf.invoke)
    except (engines.EngineError, OSError) as exc:  # the workers cannot run, the input or the log broke
        stopped = exc
    finally:
        outcomes.close()
        if bar is not None:
            bar.__exit__(None, None, None)
        evaluator.close()
        api.close()
        if source != "-":
            stream.close()
    decided = sum(counts.values())
    summary = ", ".join(f"{count} {name}" for name, count in counts.items())
    skipped = f"; {lines.blank} blank line{'s' * (lines.blank != 1)} skipped" if lines.blank else ""
    if stopped is not None:
        click.echo(f"aidf: stopped after {decided} requests (treated as not allowed): "
                   f"{visible(engines.first_line(str(stopped)))}", err=True)
    click.echo(f"aidf: {decided} request{'s' * (decided != 1)}: {summary}{skipped}", err=True)
    sys.stdout.flush()  # a reader that went away is exit 4 here, not a warning at interpreter exit
    if stopped is not None or counts["failed"]:
        sys.exit(EXIT_ENGINE)
    if counts["invalid"] or not decided:
        if not decided:
            click.echo(f"aidf: {visible(label)} holds no request", err=True)
        sys.exit(EXIT_INVALID)
    sys.exit(EXIT_NOT_ALLOWED if counts["not allowed"] else EXIT_ALLOWED)


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


class _BatchLines:
    """The lines of a batch as items for aidf.batch.stream: bytes, or batch.Refused for a line
    over the size limit, whose excess is skipped, never kept. Blank lines are skipped. `taken`
    holds (line number, bytes consumed) of each item handed out and not yet answered (bounded by
    the stream's window)."""

    def __init__(self, stream):
        self.stream = stream
        self.taken = collections.deque()
        self.blank = 0

    def __iter__(self):
        cap = limits.MAX_REQUEST_BYTES
        number, skipped_bytes = 0, 0
        while True:
            raw = self.stream.readline(cap + 2)  # a line within the limit, with its "\r\n"; no more
            if not raw:
                return
            number += 1
            consumed = len(raw)
            ended = raw.endswith(b"\n")
            while not ended and len(raw) >= cap + 2:  # too long: skip the rest, keep nothing
                rest = self.stream.readline(1 << 16)
                if not rest:
                    break
                consumed += len(rest)
                ended = rest.endswith(b"\n")
            text = raw[:-1] if raw.endswith(b"\n") else raw
            if text.endswith(b"\r"):
                text = text[:-1]
            if consumed > len(raw) or len(text) > cap:
                from .batch import Refused

                item = Refused((("$", f"the line is more than {cap:,} bytes; the limit is {cap:,}"),))
            elif not text.strip(b" \t\r\n"):
                self.blank += 1
                skipped_bytes += consumed
                continue
            else:
                item = text
            self.taken.append((number, consumed + skipped_bytes))
            skipped_bytes = 0
            yield item


def _evaluator(*, verbose: bool = False, **options) -> Evaluator:
    """The Evaluator for the command's options; a source that cannot be loaded is exit 4 (a bad
    combination of options is a usage error, 2)."""
    try:
        evaluator = Evaluator(**options)
        if evaluator.bundle_facts is not None and not evaluator.bundle_facts["verified"]:
            click.echo(f"aidf: warning: the bundle's signature was not verified (no --verification-key); "
                       f"revision {visible(evaluator.bundle_facts['revision'])}, sha256 "
                       f"{evaluator.bundle_facts['sha256']}", err=True)
        return evaluator
    except ConflictingOptions as exc:
        raise click.UsageError(str(exc)) from exc
    except (engines.EngineError, OSError, ValueError) as exc:  # ValueError: a bundle or a log refused
        message, detail = engines.first_line(str(exc)), getattr(exc, "detail", str(exc))
    click.echo(f"aidf: cannot start (nothing was evaluated): {visible(message)}", err=True)
    if verbose and detail and detail != message:
        click.echo(visible_lines(detail), err=True)
    sys.exit(EXIT_ENGINE)


@main.command()
@click.option("--opa-url", metavar="URL", envvar="AIDF_OPA_URL", show_envvar=True, required=True,
              help="The OPA server to ask.")
@click.option("--opa-token", metavar="TOKEN", envvar="AIDF_OPA_TOKEN", show_envvar=True,
              help="Bearer token for the OPA server.")
@click.option("--timeout", type=SecondsParam(), default=limits.DEFAULT_TIMEOUT_SECONDS, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def health(opa_url, opa_token, timeout, fmt):
    """Report an OPA server's health and the revision of the bundles it serves.

    Exit 0 when healthy (every bundle activated), 4 when not healthy or not reachable.
    """
    from .engines.remote_engine import health as server_health

    try:
        report = server_health(opa_url, token=opa_token, timeout=timeout or limits.DEFAULT_TIMEOUT_SECONDS)
    except engines.EngineError as exc:
        click.echo(f"aidf: {visible(engines.first_line(str(exc)))}", err=True)
        sys.exit(EXIT_ENGINE)
    if fmt == "json":
        click.echo(json.dumps(report, indent=2, sort_keys=True))
    else:
        click.echo(f"{visible(report['url'])}: {'healthy' if report['healthy'] else 'NOT HEALTHY'}")
        click.echo(f"  server: {'healthy, every bundle active' if report['server_healthy'] else 'not healthy'}")
        aidf = report["aidf"]
        click.echo("  aidf decision: " + (f"answers (bundle revision {visible(str(aidf['revision']))})"
                                          if aidf["answers"] else f"NOT ANSWERING: {visible(str(aidf['problem']))}"))
        for name, revision in sorted((report.get("bundles") or {}).items()):
            click.echo(f"  bundle {visible(str(name))}: revision {visible(str(revision))}")
        if not report.get("bundles"):
            click.echo("  bundles: not reported")
        status = report.get("status")
        click.echo(f"  status API: {visible(status if isinstance(status, str) else 'available')}")
    sys.exit(EXIT_ALLOWED if report["healthy"] else EXIT_ENGINE)


@main.command()
@click.argument("action", type=click.Choice(sorted(validation.ACTION_SCHEMAS) + ["decision"]))
def schema(action):
    """Print the JSON Schema of a request action (or of the decision)."""
    name = "decision.schema.json" if action == "decision" else validation.ACTION_SCHEMAS[action]
    click.echo((resources.schemas_dir() / name).read_text())


@main.group()
def policy():
    """Work with policy trees (for policy authors)."""


@policy.command("check")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--verbose", "-v", is_flag=True, help="On an error, show the compiler's full message.")
def policy_check_command(directory, verbose):
    """Compile a policy tree with OPA (Go), as aidf does before it runs AIDF_POLICY_DIR.

    Refuses data that shadows a rule, recursion, unsafe variables and every other compile error.
    Exit 0 when the tree is sound, 4 when it is not.
    """
    try:
        report = policy_check.check(directory)
    except engines.EngineError as exc:
        click.echo(f"POLICY ERROR {visible(directory)}: {visible(engines.first_line(str(exc)))}", err=True)
        if verbose and exc.detail:
            click.echo(visible_lines(exc.detail), err=True)
        sys.exit(EXIT_ENGINE)
    click.echo(f"ok: {visible(directory)}: {report.modules} modules and {report.tests} test modules compiled by "
               f"OPA (Go); policy revision {visible(str(report.revision))}")


main.add_command(bundle)
main.add_command(log)


if __name__ == "__main__":
    main()
