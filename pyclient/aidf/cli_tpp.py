"""`aidf tpp`: TPP, performance density and the ECCN 3A090 paragraph from datasheet figures,
shown step by step for a memo, as data, or as an export_chips items[] entry."""
from __future__ import annotations

import json
import textwrap

import click

from . import tpp as arithmetic
from .cli_params import EXIT_ENGINE, format_option
from .render import WIDTH
from .terminal import visible
from .textout import paint, table


class _Figure(click.ParamType):
    """A positive decimal, exactly (a float would misplace 4,799.999... at a threshold)."""

    name = "N"

    def convert(self, value, param, ctx):
        if not isinstance(value, str):
            return value
        try:
            return arithmetic.parse_figure(value)
        except arithmetic.BadFigures as exc:
            self.fail(str(exc), param, ctx)


class _Bits(click.ParamType):
    """A bit length: a whole number from 1 to 64 (FP64 is the widest operand in use)."""

    name = "B"

    def convert(self, value, param, ctx):
        try:
            bits = int(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a whole number of bits", param, ctx)
        if not 1 <= bits <= 64:
            self.fail(f"{bits} bits is not a bit length (1 to 64)", param, ctx)
        return bits


_LEVEL_WORDS = {
    "3A090.a": "licence required to or within any destination worldwide, unless a licence exception or a "
               "Data Center VEU authorization applies",
    "3A090.b": "licence required to or within Country Groups D:1, D:4 and D:5 (except destinations also in "
               "A:5 or A:6), unless a licence exception or a Data Center VEU authorization applies",
}


@click.command()
@click.option("--tops", "tops", multiple=True, type=_Figure(), metavar="N",
              help="Peak throughput from the datasheet, in tera operations per second (TOPS or TFLOPS, a "
                   "multiply-accumulate counted as 2 operations): the highest the manufacturer claims, dense "
                   "(with --sparse, the sparse figure). Repeat --tops N --bits B for each precision: the "
                   "highest TPP counts (Technical Note 2). Thousands separators allowed (1,978.9).")
@click.option("--bits", "bits", multiple=True, type=_Bits(),
              help="Bit length of the operation the Nth --tops figure is for: the largest input bit length of "
                   "the multiply (FP8: 8, BF16: 16).")
@click.option("--mac", is_flag=True,
              help="The --tops figures are MacTOPS (tera multiply-accumulates per second): TPP = 2 x MacTOPS x "
                   "bit length (Technical Note 1). Without it TPP = TOPS x bit length.")
@click.option("--sparse", is_flag=True,
              help="The --tops figures are with sparsity: each is halved to its dense value (Technical Note 3). "
                   "Give the dense figure instead when the datasheet has one.")
@click.option("--dies", type=click.IntRange(1, 1000), default=1, show_default=True, metavar="N",
              help="Identical logic dies in the package, when --tops and --die-area are for one die: both are "
                   "multiplied by it (TPP aggregated over all processing units, Technical Notes 1 and 4).")
@click.option("--die-area", "die_area", type=_Figure(), required=True, metavar="MM2",
              help="Applicable die area in mm2: the logic dies made on a non-planar (e.g. FinFET) process node "
                   "(Technical Note 4); of one die with --dies.")
@click.option("--datacenter/--no-datacenter", "data_center", default=None,
              help="Designed or marketed for use in data centers (Note 1 to 3A090.a and .b). Default: yes, "
                   "the reading that keeps Note 1 closed; say --no-datacenter for a consumer chip.")
@click.option("--quantity", type=click.IntRange(1), default=1, show_default=True, metavar="N",
              help="Units, for the items[] entry.")
@click.option("--description", metavar="TEXT", help="What the item is, for the items[] entry.")
@format_option("text", "json", "item")
@click.option("--json", "as_item", is_flag=True,
              help="Same as --format item: only the export_chips items[] entry, to paste into a request.")
@click.pass_context
def tpp(ctx, tops, bits, mac, sparse, dies, die_area, data_center, quantity, description, fmt, as_item):
    """TPP, performance density and ECCN 3A090 classification from datasheet figures.

    Follows the Technical Notes to ECCN 3A090 (15 CFR part 774, Supp. No. 1)
    with the thresholds of the policy data, and classifies exactly as
    `aidf check` does: on TPP rounded up to a whole number and density rounded
    up to four places, as a request carries them.

    \b
    Example (H100 SXM: 1,978.9 dense FP8 TFLOPS, 989.4 dense BF16, 814 mm2):
      aidf tpp --tops 1978.9 --bits 8 --tops 989.4 --bits 16 --die-area 814

    --format text shows the arithmetic and each paragraph's test; json gives
    the same as data; item (or --json) prints only the items[] entry for an
    export_chips request. The entry carries the parameters and no ECCN, so the
    policy classifies it itself.

    Exit code: 0 when the chip is classified (whatever the result); 2 for any
    bad input (a figure that is not a number above zero, --bits without
    --tops, a missing --die-area, figures giving a TPP or density no request
    accepts), with one line on stderr; 4 when the policy data cannot be read.
    """
    if as_item:
        if ctx.get_parameter_source("fmt") == click.core.ParameterSource.COMMANDLINE and fmt != "item":
            raise click.UsageError(f"--json is --format item; it cannot be combined with --format {fmt}", ctx)
        fmt = "item"
    if not tops:
        raise click.UsageError(f"--bits {bits[0]} has no --tops: give --tops N --bits B" if bits
                            else "give at least one --tops N --bits B pair", ctx)
    if len(tops) != len(bits):
        raise click.UsageError(f"{len(tops)} --tops but {len(bits)} --bits: give one --bits for each --tops "
                            "(the Nth --bits goes with the Nth --tops)", ctx)
    try:
        facts = arithmetic.facts()
    except arithmetic.PolicyDataError as exc:
        click.echo(f"aidf: {visible(str(exc))}", err=True)
        ctx.exit(EXIT_ENGINE)
    if quantity > facts.max_quantity:
        raise click.UsageError(f"--quantity {quantity:,} is more than the {facts.max_quantity:,} an export_chips "
                            "request accepts", ctx)
    if description is not None and not 1 <= len(description) <= facts.max_description:
        raise click.UsageError(f"--description must be 1 to {facts.max_description} characters", ctx)
    chip = arithmetic.Chip(figures=tuple(arithmetic.Figure(t, b) for t, b in zip(tops, bits)), die_area=die_area,
                           mac=mac, sparse=sparse, dies=dies, data_center=data_center is not False)
    try:
        result = arithmetic.classify(chip, facts)
    except arithmetic.BadFigures as exc:
        raise click.UsageError(str(exc), ctx) from None
    entry = arithmetic.item(result, quantity=quantity, description=description)
    if fmt == "item":
        click.echo(json.dumps(entry, indent=2, sort_keys=True))
    elif fmt == "json":
        click.echo(json.dumps(_document(result, facts, entry, assumed=data_center is None), indent=2, sort_keys=True))
    else:
        click.echo(_text(result, facts, assumed=data_center is None, description=description))


# --- output ------------------------------------------------------------------------------------
def _result_words(result, facts) -> str:
    if result.paragraph == "note1":
        return "not 3A090: outside it under Note 1 to 3A090.a and .b"
    if result.paragraph == "none":
        return "not 3A090: meets neither 3A090.a nor 3A090.b"
    return f"ECCN {result.eccn} (paragraph {result.paragraph})"


def _notes(result, facts, *, assumed: bool) -> list[tuple[str, str]]:
    """Lines a reviewer needs beside the result: (text, citation)."""
    t = facts.thresholds
    notes = []
    if result.eccn:
        notes.append((f"{result.eccn}: {_LEVEL_WORDS[result.eccn]}; `aidf check` decides for a destination",
                      facts.licence_citations[result.eccn]))
    if not result.chip.data_center and result.paragraph != "note1" and result.tpp >= t["note1_tpp_below"]:
        notes.append((f"not designed or marketed for data centers, but TPP {result.tpp:,} is not below "
                      f"{arithmetic.show(t['note1_tpp_below'])}: Note 1 does not apply; License Exceptions NAC "
                      "and ACA may be available", f"{arithmetic.SUPPLEMENT}, Note 1 to ECCN 3A090.a and .b; "
                                                  "15 CFR 740.8"))
    if assumed:
        notes.append(("designed or marketed for data centers: assumed yes (say --no-datacenter for a chip that "
                      "is not)", f"{arithmetic.SUPPLEMENT}, Note 1 to ECCN 3A090.a and .b"))
    if result.exact_paragraph != result.paragraph:
        unrounded = _paragraph_name(result.exact_paragraph)
        notes.append((f"on the unrounded figures (TPP {arithmetic.show(result.tpp_exact)}, density "
                      f"{arithmetic.show(result.density_exact)}) the chip would be {unrounded}; aidf rounds both "
                      "up, the conservative direction, and the policy decides on the rounded figures",
                      "docs/interpretations.md, items 27 and 28"))
    return notes


def _paragraph_name(paragraph: str) -> str:
    return {"note1": "outside 3A090 under Note 1", "none": "outside 3A090"}.get(paragraph, paragraph)


def _text(result, facts, *, assumed: bool, description: str | None) -> str:
    lines = ["ECCN 3A090 classification from datasheet figures",
             f"({arithmetic.SUPPLEMENT}, ECCN 3A090 and its Technical Notes)"]
    if description:
        lines.append(f"Item: {visible(description)}")
    lines += ["", "Arithmetic"]
    for n, step in enumerate(result.steps, 1):
        lines += _wrapped(f"{n:>2}. {step.text}", step.citation, "  ", "      ")
    lines += ["", "Tests, in the order the policy applies them (the first one met decides)"]
    rows = [[_label(x.paragraph), x.test, "yes" if x.met else "no"] for x in result.tests]
    tones = ["warn" if x.met else None for x in result.tests]
    lines += ["  " + line for line in table(["paragraph", "test", "met"], rows, tones=tones,
                                            tone_column=2).splitlines()]
    dc = "yes" if result.chip.data_center else "no"
    lines += ["", "Result: " + paint(_result_words(result, facts), "warn" if result.eccn else "pass"),
              f"  TPP {result.tpp:,} per chip; performance density {arithmetic.show(result.density)}; "
              f"designed or marketed for data centers: {dc}",
              f"  [{arithmetic.citation(result.paragraph, facts)}]"]
    for text, cited in _notes(result, facts, assumed=assumed):
        lines += _wrapped(f"- {text}", cited, "  ", "    ")
    if facts.revision:
        lines += ["", f"Thresholds from policy revision {visible(facts.revision)}."]
    return "\n".join(lines)


def _wrapped(text: str, cited: str, first: str, rest: str) -> list[str]:
    """Text wrapped to the page, its [citation] never split across lines."""
    lines = textwrap.wrap(visible(text), WIDTH, initial_indent=first, subsequent_indent=rest,
                          break_long_words=False, break_on_hyphens=False)
    tail = f"[{cited}]"
    if len(lines[-1]) + 1 + len(tail) <= WIDTH:
        lines[-1] += " " + tail
    else:
        lines.append(rest + tail)
    return lines


def _label(paragraph: str) -> str:
    return "Note 1" if paragraph == "note1" else paragraph


def _document(result, facts, entry: dict, *, assumed: bool) -> dict:
    chip = result.chip
    number = arithmetic.as_json_number
    return {
        "inputs": {
            "figures": [{"tops": number(f.throughput), "bits": f.bits} for f in chip.figures],
            "unit": "MacTOPS" if chip.mac else "TOPS",
            "sparse": chip.sparse,
            "dies": chip.dies,
            "die_area_mm2": number(chip.die_area),
            "designed_for_data_centers": chip.data_center,
            "designed_for_data_centers_assumed": assumed,
        },
        "steps": [{"text": s.text, "citation": s.citation} for s in result.steps],
        "tpp": {"exact": number(result.tpp_exact), "per_unit": result.tpp, "bits": result.highest_bits},
        "performance_density": {"exact": number(result.density_exact), "value": number(result.density)},
        "tests": [{"paragraph": x.paragraph, "test": x.test, "met": x.met} for x in result.tests],
        "classification": {
            "eccn": result.eccn,
            "paragraph": result.paragraph,
            "summary": _result_words(result, facts),
            "citation": arithmetic.citation(result.paragraph, facts),
            "unrounded_paragraph": result.exact_paragraph,
        },
        "notes": [{"text": text, "citation": cited} for text, cited in _notes(result, facts, assumed=assumed)],
        "item": entry,
        "policy_revision": facts.revision,
    }
