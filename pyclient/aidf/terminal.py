"""Text for a terminal or a CI log, made safe: request_id, names, descriptions and file names are
chosen by whoever wrote the request, and an escape sequence in one could clear the screen and
print "ALLOWED" over a denial, or a CR/LF could forge lines in a log. Every control character
(C0, DEL, C1) and every invisible formatting character (bidi overrides, zero-width) is shown as
a visible escape such as \\x1b or \\u202e. JSON output is never altered."""
from __future__ import annotations

import unicodedata


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str) -> str:
    if text.isprintable():  # fast path: nothing to escape (isprintable is False for Cc and Cf)
        return text
    return "".join(_escape(c) if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") else c for c in text)


def visible_lines(text: str) -> str:
    """Several lines (an engine's full message): each made visible, the line breaks kept."""
    return "\n".join(visible(line) for line in str(text).split("\n"))  # only \n: \r, \x85 stay visible


def visible_document(value):
    """A copy of a decision (or any JSON value) with every string made visible."""
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, dict):
        return {visible(k) if isinstance(k, str) else k: visible_document(v) for k, v in value.items()}
    if isinstance(value, list):
        return [visible_document(v) for v in value]
    return value
