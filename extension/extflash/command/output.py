"""Printing, in the style of west's WestCommand output methods.

Reports go to stdout; diagnostics about the tool itself (warnings, fatal
errors) go to stderr with west's ``WARNING:`` / ``ERROR:`` /
``FATAL ERROR:`` prefixes.

Hygiene (issue 12): every argument of ``inf``/``dbg``/``wrn``/``err``/
``banner`` goes through ``textsafe.printable`` (control characters shown,
not executed; one message stays one line) except the colour codes this
class adds itself (``style`` returns a ``Styled`` string). A terminal that
cannot encode a character (``LANG=C``, ``PYTHONIOENCODING=ascii``) gets a
backslash escape instead of an exception, and a stream that refuses writes
(``/dev/full``, a closed pipe) raises ``OutputError``, one line on stderr.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

from extflash.errors import OutputError
from extflash.render.style import paint  # the one colour table
from extflash.textsafe import printable, printable_lines

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


class Styled(str):
    """Text this module coloured itself: printed as it is."""


def _safe(args) -> str:
    return " ".join(a if isinstance(a, Styled) else printable(str(a)) for a in args)


def _tolerant(stream: TextIO) -> TextIO:
    """Characters the terminal's encoding lacks become backslash escapes
    instead of a UnicodeEncodeError (after init wrote its files, an
    exception there would turn a success into exit 2)."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None and (getattr(stream, "errors", None) or "strict") == "strict":
        try:
            reconfigure(errors="backslashreplace")
        except (ValueError, OSError, TypeError):
            pass
    return stream


def _discard(stream: TextIO) -> None:
    """After a failed write, point the stream's descriptor at /dev/null so
    that the interpreter's final flush of the same buffer cannot fail again
    ("Exception ignored ..." and exit 120)."""
    try:
        fd = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError, AttributeError):
        return
    try:
        os.dup2(null, fd)
    except OSError:
        pass
    finally:
        os.close(null)


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
        self.stdout = _tolerant(stdout or sys.stdout)
        self.stderr = _tolerant(stderr or sys.stderr)
        self.color = color_allowed(self.stdout) if color is None else color
        self.err_color = color_allowed(self.stderr) if color is None else color
        self.verbosity = verbosity

    def style(self, text: str, what: str, *, stream: str = "out") -> str:
        enabled = self.color if stream == "out" else self.err_color
        return Styled(paint(printable(text), what, enabled))

    def _emit(self, stream: TextIO, text: str) -> None:
        try:
            try:
                stream.write(text)
            except UnicodeEncodeError:  # a stream that could not be reconfigured
                encoding = getattr(stream, "encoding", None) or "ascii"
                stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
            stream.flush()
        except BrokenPipeError:
            _discard(stream)
            raise
        except OSError as e:
            _discard(stream)
            name = "standard output" if stream is self.stdout else "standard error"
            raise OutputError(f"cannot write to {name}: {e.strerror or e}",
                              hint="check the disk or the pipe it is redirected to") from None

    def write(self, text: str) -> None:
        """Report text on stdout, printed whatever the verbosity. The
        renderers escape the values in it (textsafe.printable); as a safety
        net, control characters other than line feeds (and, with colour on,
        SGR colour codes) are shown as escapes here too."""
        self._emit(self.stdout, printable_lines(text, keep_colour=self.color))

    def inf(self, *args: object) -> None:
        if self.verbosity >= INF:
            self._emit(self.stdout, _safe(args) + "\n")

    def dbg(self, *args: object, level: int = DBG) -> None:
        if self.verbosity >= level:
            self._emit(self.stdout, _safe(args) + "\n")

    def banner(self, *args: object) -> None:
        if self.verbosity >= INF:
            self._emit(self.stdout, self.style("=== " + _safe(args), "ok") + "\n")

    def wrn(self, *args: object) -> None:
        if self.verbosity >= WRN:
            prefix = self.style("WARNING: ", "warning", stream="err")
            self._emit(self.stderr, prefix + _safe(args) + "\n")

    def err(self, *args: object, fatal: bool = False) -> None:
        if self.verbosity >= ERR or fatal:
            prefix = self.style("FATAL ERROR: " if fatal else "ERROR: ", "error", stream="err")
            self._emit(self.stderr, prefix + _safe(args) + "\n")


def write_text_atomic(path, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` through a
    temporary file beside it and ``os.replace``: a reader never sees half a
    file. Raises ``OSError``; the caller turns it into its own message.
    ``tempfile`` is imported here, not at start-up (``west extflash -h``)."""
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp",
                               dir=os.path.dirname(path) or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
