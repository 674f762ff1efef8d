"""Exceptions that mean "the tool cannot do its job".

Findings about a build are data (see ``model.Finding``), never exceptions.
Every error carries the file it concerns (when there is one), what is wrong,
and a hint saying what to do; ``command/`` renders it as one line and exits
with ``exit_code``.
"""

from __future__ import annotations

from pathlib import Path

from extflash.textsafe import printable

EXIT_OK = 0
EXIT_FINDINGS = 1  # verify: error findings; init: refused because of conflicts
EXIT_USAGE = 2  # could not run: usage, bad input, unreadable files


class ExtflashError(Exception):
    """Base class. ``str(err)`` is the one-line message shown to the user."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, path: Path | str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}" if self.path is not None else self.message
        if self.hint:
            text += f" ({self.hint})"
        # paths, values and arguments in it are the user's: one line, no escapes run
        return printable(text)


class UsageError(ExtflashError):
    """Options that do not fit together or name something unknown."""


class BuildDirError(ExtflashError):
    """The build directory is missing, not a Zephyr build, or unreadable."""


class ConfigError(ExtflashError):
    """The project configuration (extflash.yml) or a west config extflash.*
    key is invalid."""


class ArtefactError(ExtflashError):
    """A file that must be read could not be read or parsed at all."""


class AppDirError(ExtflashError):
    """The application directory for ``init`` is unusable."""


class BoardError(ExtflashError):
    """The board is unknown or has no usable external flash."""


class OutputError(ExtflashError):
    """Standard output or error could not be written (a full disk, a closed
    pipe's reader gone, a device that refuses writes)."""


class ScaffoldConflict(ExtflashError):
    """``init`` would change lines the user wrote; nothing was written."""

    exit_code = EXIT_FINDINGS
