"""`aidf new ACTION`: a commented request template, or an interview that writes the request.

A lawyer never has to learn a field name: the template says above each field what it means, and
`--interactive` asks for each one in plain words, checks each answer at once, and checks the
whole request at the end with the same validation `aidf check` runs. Questions go to standard
error, so standard output holds only the request.
"""
from __future__ import annotations

import json
import os
import sys
import textwrap

import click

from . import limits, output_file, templates, validation
from .cli_params import EXIT_INVALID, EXIT_USAGE, DateParam, fail, view_value
from .terminal import visible
from .textout import colour_on


@click.command()
@click.argument("action", type=click.Choice(templates.actions()), metavar="ACTION")
@click.option("--interactive", "-i", is_flag=True,
              help="Ask for each field in plain words and write the request (JSON unless -o names a .yaml file).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write to FILE instead of standard output (an existing FILE needs --force).")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default=None,
              help="yaml: every field with a note saying what it means (default for a template, and for "
                   "-o FILE.yaml); json: the plain request (default with --interactive, and for -o FILE.json).")
@click.option("--as-of", type=DateParam(), help="The as-of date to write into the request (default: today).")
@click.option("--view", type=click.Choice(["as-written", "enforced"]), default=None,
              help="The view to write into the request (default: as_written).")
def new(action, interactive, output, force, fmt, as_of, view):
    """Write a request for ACTION: a commented template, or one built from your answers.

    \b
    aidf new export_chips -o request.yaml      a template to fill in, then:
    aidf check request.yaml
    aidf new deploy_compute --interactive -o plan.json

    The template is a valid request with example values. In the interview,
    press Enter to skip an optional question; Ctrl-D stops it and nothing
    is written. Country questions take a name (Germany) or an ISO code (DE);
    numbers may be written 1,700.
    """
    fmt = fmt or _format_for(output, interactive)
    if output and not force and os.path.lexists(output):
        fail(EXIT_USAGE, f"{visible(output)} already exists; use --force to overwrite it")
    view = view_value(view)
    if interactive:
        request = Interview(action, as_of=as_of, view=view).run()
        text = (json.dumps(request, indent=2, ensure_ascii=False) + "\n" if fmt == "json" else
                templates.render_yaml(action, request, header=[f"aidf request ({action}), written by aidf new --interactive"]))
    elif fmt == "json":
        text = json.dumps(templates.json_template(action, as_of, view), indent=2, ensure_ascii=False) + "\n"
    else:
        text = templates.yaml_template(action, as_of, view)
    _write(text, output, force)


def _format_for(output: str | None, interactive: bool) -> str:
    if output and output.lower().endswith((".yaml", ".yml")):
        return "yaml"
    if output and output.lower().endswith(".json"):
        return "json"
    return "json" if interactive else "yaml"


def _write(text: str, output: str | None, force: bool) -> None:
    if not output:
        click.echo(text, nl=False)
        return
    if not force and os.path.lexists(output):
        fail(EXIT_USAGE, f"{visible(output)} already exists; use --force to overwrite it")
    try:
        output_file.write(output, text.encode("utf-8"))  # whole or not at all; never blocks on a pipe
    except OSError as exc:
        fail(EXIT_USAGE, f"cannot write {visible(output)}: {exc.strerror or exc}")
    click.echo(f"aidf: wrote {visible(output)}", err=True)


MAX_ANSWER_CHARS = limits.MAX_STRING_CHARS  # the longest string a request field holds


class Interview:
    """Asks for every field of one action's request, in the schema's order, and returns the
    request once aidf.validation finds nothing wrong with it. Ctrl-D ends it with exit 3."""

    def __init__(self, action: str, *, as_of: str | None = None, view: str | None = None):
        self.action = action
        self.root = templates.request_fields(action)
        self.preset = {k: v for k, v in (("as_of", as_of), ("view", view)) if v}
        self.request: dict = {}
        self.colour = colour_on(sys.stderr)
        self.fresh = False

    # -- output ------------------------------------------------------------------------
    def say(self, text: str = "", *, indent: int = 0, dim: bool = False) -> None:
        lines = textwrap.wrap(text, 96 - indent, break_on_hyphens=False) or [""]
        for line in lines:
            line = " " * indent + line
            click.echo(click.style(line, dim=True) if dim and self.colour else line, err=True)

    def heading(self, text: str) -> None:
        self.say()
        click.echo(click.style(text, bold=True) if self.colour else text, err=True)
        self.fresh = True

    def gap(self) -> None:
        """A blank line between questions, but not right under a heading."""
        if not self.fresh:
            self.say()
        self.fresh = False

    def choices(self, field: templates.Field) -> None:
        """The numbered choices, packed into lines, a number never parted from its choice."""
        entries = [f"{n} {c}" for n, c in enumerate(field.choices, 1)]
        width = max(len(e) for e in entries) + 3
        per_line = max(1, (96 - 2) // width) if len(entries) > 6 else len(entries)
        for start in range(0, len(entries), per_line):
            row = entries[start:start + per_line]
            self.say("".join(e.ljust(width) for e in row).rstrip() if len(entries) > 6 else "   ".join(row), indent=2)

    def prompt(self, text: str) -> str:
        suffix = " " if text.endswith("?") else ": "
        if sys.stdin.isatty():  # a terminal bounds a line itself, and input() gives line editing
            return click.prompt(text, default="", show_default=False, err=True, prompt_suffix=suffix)
        # Piped answers (a script, /dev/zero): read one line, never more than an answer can hold.
        click.echo(text + suffix, nl=False, err=True)
        line = sys.stdin.readline(MAX_ANSWER_CHARS + 1)
        if not line:
            raise click.Abort()  # end of input
        if len(line) > MAX_ANSWER_CHARS:
            click.echo("", err=True)
            fail(EXIT_INVALID, f"an answer of more than {MAX_ANSWER_CHARS:,} characters; nothing was written")
        return line.rstrip("\r\n")

    # -- the session -------------------------------------------------------------------
    def run(self) -> dict:
        try:
            return self._run()
        except click.Abort:
            click.echo("", err=True)
            fail(EXIT_INVALID, "the questions were not all answered; nothing was written")

    def _run(self) -> dict:
        title = templates.title(self.action)
        self.heading(title[0].upper() + title[1:])
        self.say("Press Enter to skip a question marked optional. Ctrl-D stops; nothing is written.", dim=True)
        self.ask_object(self.root, self.request, ())
        while True:
            problems = validation.problems(self.request)
            if not problems:
                return self.request
            self.fix(problems)

    def fix(self, problems: list[validation.Problem]) -> None:
        """Asks again for each field a problem of the whole request names."""
        self.heading("The request is not complete yet:")
        for problem in problems:
            where = templates.parse_problem_path(problem.path)
            field = templates.field_at(self.action, where) if where is not None else None
            if field is not None and field.kind not in ("object", "objects", "const"):
                self.say(f"{templates.label(field).rstrip('?:')}: {visible(problem.message)}", indent=2)
                parent = templates.value_at(self.request, where[:-1])
                self.ask_value(field, parent)
                continue
            missing = _missing_property(problem.message)
            child = field.child(missing) if field is not None and missing else None
            if child is not None:
                self.say(f"{templates.label(child).rstrip('?:')}: an answer is needed", indent=2)
                self.ask(child, templates.value_at(self.request, where), where + (child.key,), needed=True)
                continue
            fail(EXIT_INVALID, f"the answers do not make a valid request: {visible(str(problem))}")

    def ask_object(self, field: templates.Field, target: dict, where: tuple) -> None:
        chosen, skipped = self.choose_alternative(field)
        for child in field.children:
            if child.kind == "const":
                target[child.key] = child.schema["const"]
            elif child.key in self.preset and not where:
                target[child.key] = self.preset[child.key]
            elif child.key not in skipped:
                needed = child.key in chosen or templates.required_now(child, self.request, where + (child.key,))
                self.ask(child, target, where + (child.key,), needed)

    def choose_alternative(self, field: templates.Field) -> tuple[set, set]:
        """For "either tpp, or chips with tpp_per_chip": which way the answers will come."""
        if not field.alternatives:
            return set(), set()
        ways = [" and ".join(templates.label(field.child(k)) for k in group) for group in field.alternatives]
        self.gap()
        self.say("How will you give it?")
        for number, way in enumerate(ways, 1):
            self.say(f"{number}  {way}", indent=2)
        while True:
            answer = self.prompt("Choose a number").strip()
            if answer.isdigit() and 1 <= int(answer) <= len(ways):
                group = field.alternatives[int(answer) - 1]
                others = {k for g in field.alternatives if g is not group for k in g}
                return set(group), others - set(group)
            self.say(f"give a number from 1 to {len(ways)}", indent=2)

    def ask(self, field: templates.Field, target: dict, where: tuple, needed: bool) -> None:
        if field.kind == "object":
            if not needed and not self.yes_no(templates.opener(field)):
                return
            self.heading(templates.label(field))
            if field.description:
                self.say(field.description, indent=2, dim=True)
            entry = target.setdefault(field.key, {})
            self.ask_object(field, entry, where)
            if not entry and not needed:
                del target[field.key]
        elif field.kind == "objects":
            self.ask_list(field, target, where, needed)
        else:
            self.ask_value(field, target, needed=needed)

    def ask_list(self, field: templates.Field, target: dict, where: tuple, needed: bool) -> None:
        minimum = field.schema.get("minItems", 0)
        if not (needed and minimum) and not self.yes_no(templates.opener(field)):
            return
        entries = target.setdefault(field.key, [])
        while True:
            self.heading(f"{templates.label(field)}: entry {len(entries) + 1}")
            if field.description and not entries:
                self.say(field.description, indent=2, dim=True)
            entries.append({})
            self.ask_object(field.item, entries[-1], where + (len(entries) - 1,))
            if len(entries) >= field.schema.get("maxItems", float("inf")) or not self.yes_no(templates.another(field)):
                return

    def yes_no(self, question: str) -> bool:
        self.gap()
        while True:
            answer = self.prompt(f"{question} (yes/no, Enter for no)").strip().casefold()
            if answer in ("", "n", "no"):
                return False
            if answer in ("y", "yes"):
                return True
            self.say("answer yes or no", indent=2)

    def ask_value(self, field: templates.Field, target: dict, *, needed: bool = True) -> None:
        self.gap()
        if field.description:
            self.say(field.description, indent=2, dim=True)
        how = templates.hint(field)
        if field.kind == "choice":
            self.choices(field)
            how = "the number or the name"
        note = f"{how.rstrip('.')}" if how else ""
        if not needed:
            note = f"{note}; optional, Enter to skip" if note else "optional, Enter to skip"
        question = templates.label(field)
        text = f"{question} [{note}]" if note else question
        while True:
            answer = self.prompt(text)
            if not answer.strip():
                if not needed:
                    target.pop(field.key, None)
                    return
                self.say("an answer is needed", indent=2)
                continue
            try:
                value = templates.parse_answer(field, answer)
            except templates.BadAnswer as exc:
                self.say(visible(str(exc)), indent=2)
                continue
            problems = templates.answer_problems(field, value)
            if problems:
                self.say(f"{visible(_shown(value))} {visible(problems[0])}", indent=2)
                continue
            if field.kind in ("country", "countries") and _shown(value) != answer.strip():
                names = templates.country_names()
                codes = value if isinstance(value, list) else [value]
                self.say("= " + (", ".join(f"{names.get(c, c)} ({c})" for c in codes) or "none"), indent=2, dim=True)
            target[field.key] = value
            return


def _shown(value) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)


def _missing_property(message: str) -> str | None:
    """The field named by jsonschema's "'nationality' is a required property"."""
    if message.endswith(" is a required property") and message[:1] == "'":
        return message[1:message.index("'", 1)]
    return None
