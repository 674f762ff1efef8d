"""Text that is safe to print: user-controlled strings (paths, arguments,
CMake cache values, partition and node names, file content in a diff) with
their control characters shown as escapes instead of executed.

One function, ``printable``, used wherever a message is built or printed
(``errors.ExtflashError.__str__``, ``command.output.Output``, the renderers),
so that a newline in a path cannot split an error into two lines and an ANSI
escape in a CMake cache value cannot rewrite the terminal.
"""

from __future__ import annotations

import re

# Escaped: C0 controls except TAB (it moves the cursor right, nothing more),
# DEL, C1 controls (U+0080-U+009F, e.g. U+009B is a one-byte CSI on some
# terminals), U+2028/U+2029 (line/paragraph separators: str.splitlines and
# many viewers break lines there), the bidirectional overrides and isolates
# (U+202A-U+202E, U+2066-U+2069, "Trojan Source", CVE-2021-42574), the
# zero-width and bidi marks U+200B-U+200F, U+FEFF, and lone surrogates
# (undecodable bytes of a file name, os.fsdecode's surrogateescape).
_UNSAFE_RE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e"
    "\u2066-\u2069\ufeff\ud800-\udfff]")

_NAMED = {"\n": "\\n", "\r": "\\r", "\x1b": "\\x1b", "\0": "\\0"}


def _escape(m: re.Match) -> str:
    c = m.group()
    if c in _NAMED:
        return _NAMED[c]
    code = ord(c)
    if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def printable(s: str) -> str:
    """``s`` with every control character (and the invisible characters
    that reorder or break lines) replaced by a visible escape such as
    ``\\n``, ``\\x1b`` or ``\\u2028``; everything else unchanged, so a string
    without them comes back identical and one line stays one line."""
    if not isinstance(s, str):
        s = str(s)
    if not _UNSAFE_RE.search(s):
        return s
    return _UNSAFE_RE.sub(_escape, s)


# SGR colour sequences only (ESC [ digits ; m): they change colour, never
# move the cursor or clear anything
_SGR_RE = re.compile(r"\x1b\[[0-9;]{0,32}m")


def printable_lines(text: str, *, keep_colour: bool = False) -> str:
    """A multi-line report made safe as a whole: like ``printable`` but
    line feeds are kept (they separate the report's lines) and, with
    ``keep_colour``, SGR colour sequences too (a report renderer adds
    them). A safety net for renderers; a value that must stay on one line
    is escaped with ``printable`` where the renderer inserts it."""
    if not _UNSAFE_RE.search(text):
        return text
    out = []
    for line in text.split("\n"):
        if keep_colour and "\x1b" in line:
            parts, last = [], 0
            for m in _SGR_RE.finditer(line):
                parts.append(printable(line[last:m.start()]))
                parts.append(m.group())
                last = m.end()
            parts.append(printable(line[last:]))
            out.append("".join(parts))
        else:
            out.append(printable(line))
    return "\n".join(out)
