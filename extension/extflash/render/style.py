"""Colours and the words they go with: the one table for the whole tool.

The text report, the batch table and the command layer's ``WARNING:`` /
``FATAL ERROR:`` prefixes and ``init`` status words all style text through
:func:`paint` with a role from ``ROLE2ANSI``. Severities
(``model.Severity``) and build statuses (``report.Status``) map onto those
roles here and nowhere else, keyed by member name so that importing this
module (``command.output`` does, for ``west extflash -h``) costs nothing;
``tests/test_render_formats.py`` checks that every member has a role.
"""

from __future__ import annotations

RESET = "\x1b[0m"
ROLE2ANSI = {
    "error": "\x1b[91m",
    "warning": "\x1b[93m",
    "info": "\x1b[96m",
    "ok": "\x1b[92m",
    "bold": "\x1b[1m",
    "dim": "\x1b[2m",
}
SEVERITY2ROLE = {"ERROR": "error", "WARNING": "warning", "INFO": "info"}
STATUS2ROLE = {"OK": "ok", "FAILED": "error", "NOT_VERIFIED": "warning",
               "COULD_NOT_VERIFY": "warning"}


def paint(text: str, role: str, enabled: bool = True) -> str:
    """``text`` in the colour of ``role`` when ``enabled`` (unknown roles: plain)."""
    if not enabled or role not in ROLE2ANSI:
        return text
    return f"{ROLE2ANSI[role]}{text}{RESET}"
