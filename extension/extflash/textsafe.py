"""Showing text a user (or a hostile file) wrote without executing it.

Messages carry partition names, node paths, Kconfig values and file names
read from build artefacts. On a terminal an ESC byte starts a control
sequence, in a CI log a newline can forge a workflow command, in XML most
control characters are not even allowed. Every renderer passes such text
through :func:`printable`.
"""

from __future__ import annotations

import re

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# C0 and C1 controls, DEL, and the line/paragraph separators some viewers break on
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escape(m: re.Match) -> str:
    ch = m.group()
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(s: str) -> str:
    """``s`` with every control character shown as an escape (``\\x1b``,
    ``\\n``), so it is displayed and never acted on."""
    return _CONTROL.sub(_escape, s)
