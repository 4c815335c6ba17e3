"""`aidf report`: write a memo-ready report (Markdown or one self-contained HTML page)."""
from __future__ import annotations

import os
import sys

import click

from . import output_file
from .cli_params import (EXIT_ALLOWED, EXIT_ENGINE, EXIT_INVALID, as_of_option, engine_option, fail, format_option,
                         view_value)
from .terminal import visible


def _check_output(path: str, sources) -> None:
    """Refuse an output path that cannot take a file, or that names an input, before anything is
    decided."""
    if os.path.isdir(path):
        fail(EXIT_INVALID, f"-o {path}: is a directory; give a file name (nothing was written)")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        problem = "is a file, not a folder" if os.path.exists(parent) else "does not exist"
        fail(EXIT_INVALID, f"-o {path}: the folder {parent} {problem} (nothing was written)")
    if not os.access(parent, os.W_OK) and not os.access(path, os.W_OK):
        fail(EXIT_INVALID, f"-o {path}: cannot write there (permission denied; nothing was written)")
    target = os.path.realpath(path)
    if any(source != "-" and os.path.realpath(source) == target for source in sources):
        fail(EXIT_INVALID,
             f"-o {path}: is one of the files to report on; it would be overwritten (nothing was written)")


def _write(path: str, text: str) -> None:
    """Whole or not at all (aidf.output_file): a failure never leaves half a report."""
    output_file.write(path, text.encode("utf-8"))


@click.command()
@click.argument("sources", nargs=-1, metavar="SUITE.yaml|REQUEST.json...")
@format_option("markdown", "html", default="markdown")
@click.option("-o", "--output", default="-", show_default=True, metavar="FILE",
              help="Write the report to FILE (- for standard output). An existing file is replaced.")
@as_of_option
@click.option("--view", type=click.Choice(["as-written", "enforced"]), default=None,
              help="The rule as written on the as-of date, or what BIS enforces on it "
                   "(default: each request's own view, else as-written).")
@engine_option
def report(sources, fmt, output, as_of, view, engine_name):
    """Write a memo-ready report on requests and case suites.

    For each request: the outcome, the reasons with their citations, the
    obligations with their due dates, and (for chip exports) every
    authorization considered, with why it is or is not available. Limits a
    decision measures (UVEU/NVEU shares and caps, the country allocation, the
    LPP annual limit) are shown before and after the request. A suite file
    (.yaml with a top-level `suite:` key) adds its pass/fail table and a
    section per case; any other file is a request (JSON, or YAML where aidf
    reads it). The header gives the as-of date, the view, the policy
    revision and the command that writes the same report again.

    --format html writes one self-contained page (no external files, no
    scripts) that prints cleanly, one request per page.

    Exit code: 0 when the report is written, whatever the decisions say
    (a request that is not allowed, or a case that fails, is part of the
    report); 3 when a file is missing, a request or a suite is invalid, or
    the output cannot be written; 4 when the policy engine fails. Nothing
    is written unless every request could be decided.
    """
    from . import api, report as model

    if not sources:
        raise click.UsageError("Missing argument 'SUITE.yaml|REQUEST.json...'.")
    if output != "-":
        _check_output(output, sources)
    command = model.command_line(sources, fmt=fmt, output=output, as_of=as_of, view=view, engine=engine_name)
    try:
        built = model.build(sources, as_of=as_of, view=view_value(view), engine=engine_name, command=command)
    except model.ReportInputError as exc:
        fail(EXIT_INVALID, f"{exc} (no report written)")
    except model.ReportEngineError as exc:
        fail(EXIT_ENGINE, f"policy engine error (no report written): {exc}")
    finally:
        api.close()
    if fmt == "html":
        from .report_html import html

        text = html(built)
    else:
        text = model.markdown(built)
    if output == "-":
        click.echo(text, nl=False)
        sys.stdout.flush()  # a reader that went away is exit 4 (aidf's gate), not a warning at exit
    else:
        try:
            _write(output, text)
        except OSError as exc:
            fail(EXIT_INVALID, f"-o {output}: cannot write: {exc.strerror or exc} (nothing was written)")
        click.echo(f"aidf: wrote {visible(output)} ({len(built.requests):,} "
                   f"request{'s' * (len(built.requests) != 1)})", err=True)
    sys.exit(EXIT_ALLOWED)
