"""Colours and the words they go with: the one table for the whole tool.

The text report, the batch table and the command layer's ``WARNING:`` /
``FATAL ERROR:`` prefixes and ``init`` status words all style text through
:func:`paint` with a role from ``ROLE2ANSI``. Severity and build status
words map onto those roles here and nowhere else.
"""

from __future__ import annotations

from extflash.model import Severity
from extflash.report import Status

RESET = "\x1b[0m"
ROLE2ANSI = {
    "error": "\x1b[91m",
    "warning": "\x1b[93m",
    "info": "\x1b[96m",
    "ok": "\x1b[92m",
    "bold": "\x1b[1m",
    "dim": "\x1b[2m",
}
SEVERITY2ROLE = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}
STATUS2ROLE = {Status.OK: "ok", Status.FAILED: "error", Status.NOT_VERIFIED: "warning",
               Status.COULD_NOT_VERIFY: "warning"}


def paint(text: str, role: str, enabled: bool = True) -> str:
    """``text`` in the colour of ``role`` when ``enabled`` (unknown roles: plain)."""
    if not enabled or role not in ROLE2ANSI:
        return text
    return f"{ROLE2ANSI[role]}{text}{RESET}"
