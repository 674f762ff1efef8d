"""Printing, in the style of west's WestCommand output methods.

Reports go to stdout; diagnostics about the tool itself (warnings, fatal
errors) go to stderr with west's ``WARNING:`` / ``ERROR:`` /
``FATAL ERROR:`` prefixes.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

from extflash.render.style import RESET as _RESET  # the one colour table
from extflash.render.style import ROLE2ANSI as _COLORS

QUIET, ERR, WRN, INF, DBG, DBG_MORE, DBG_EXTREME = range(7)


def color_allowed(stream: TextIO, configured: bool = True) -> bool:
    """Colour only if configured (west ``color.ui``), NO_COLOR is unset and
    the stream is a terminal."""
    if not configured or os.environ.get("NO_COLOR"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Output:
    """Where the command layer writes. ``verbosity`` uses west's scale."""

    def __init__(
        self,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        *,
        color: bool | None = None,
        verbosity: int = INF,
    ):
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.color = color_allowed(self.stdout) if color is None else color
        self.err_color = color_allowed(self.stderr) if color is None else color
        self.verbosity = verbosity

    def style(self, text: str, what: str, *, stream: str = "out") -> str:
        enabled = self.color if stream == "out" else self.err_color
        if not enabled or what not in _COLORS:
            return text
        return f"{_COLORS[what]}{text}{_RESET}"

    def write(self, text: str) -> None:
        """Raw report text on stdout, printed whatever the verbosity."""
        self.stdout.write(text)
        self.stdout.flush()

    def inf(self, *args: object) -> None:
        if self.verbosity >= INF:
            print(*args, file=self.stdout, flush=True)

    def dbg(self, *args: object, level: int = DBG) -> None:
        if self.verbosity >= level:
            print(*args, file=self.stdout, flush=True)

    def banner(self, *args: object) -> None:
        if self.verbosity >= INF:
            print(self.style("=== " + " ".join(map(str, args)), "ok"), file=self.stdout, flush=True)

    def wrn(self, *args: object) -> None:
        if self.verbosity >= WRN:
            prefix = self.style("WARNING: ", "warning", stream="err")
            print(prefix + " ".join(map(str, args)), file=self.stderr, flush=True)

    def err(self, *args: object, fatal: bool = False) -> None:
        if self.verbosity >= ERR or fatal:
            prefix = self.style("FATAL ERROR: " if fatal else "ERROR: ", "error", stream="err")
            print(prefix + " ".join(map(str, args)), file=self.stderr, flush=True)
