"""Text output for people: tables, colour on a terminal (never when piped, never with NO_COLOR),
numbers with thousands separators. Machine formats (json, junit) never go through here."""
from __future__ import annotations

import os
import sys

import click

from .terminal import visible

_COLOURS = {"pass": "green", "allowed": "green", "fail": "red", "not allowed": "red", "warn": "yellow"}


def colour_on(stream=None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def paint(text: str, tone: str, *, colour: bool | None = None) -> str:
    """`text` in the colour of its tone ("pass", "fail", ...), when colour is on."""
    if not (colour_on() if colour is None else colour) or tone not in _COLOURS:
        return text
    return click.style(text, fg=_COLOURS[tone], bold=tone in {"fail", "not allowed"})


def shorten(text: str, limit: int = 80) -> str:
    """Echoed input in one line's room: "abc... (5,002 characters)"."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


def number(value) -> str:
    """1700 -> "1,700"; 0.5 -> "0.5"; anything else as it is."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{int(value):,}" if value.is_integer() and abs(value) < 1e15 else f"{value:,.6g}"
    return str(value)


def table(headers: list[str], rows: list[list], *, tones: list[str | None] | None = None,
          tone_column: int | None = None) -> str:
    """A plain text table (columns padded, a rule under the header). Cells are made visible
    (control characters escaped); `tones` colour one column of each row."""
    cells = [[visible(str(c)) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for n, row in enumerate(cells):
        out = []
        for i, (cell, width) in enumerate(zip(row, widths)):
            padded = cell.ljust(width)
            if tones and tone_column == i and tones[n]:
                padded = paint(cell, tones[n]) + " " * (width - len(cell))
            out.append(padded)
        lines.append("  ".join(out).rstrip())
    return "\n".join(lines)
