"""Reading the user's existing files as text without losing a byte.

Files are decoded as UTF-8 (a byte-order mark is remembered and written back);
anything else is refused rather than guessed, so that no character the user
wrote can change. Lines are kept with their own endings, split where Kconfig
splits them: at ``\r\n``, ``\r`` and ``\n`` only (kconfiglib reads with
Python's universal newlines; zephyr ``scripts/kconfig/kconfiglib.py``
``_load_config``), never at a form feed, ``\x1c``-``\x1e``, U+0085 or U+2028
as ``str.splitlines`` would: a ``#`` line holding one of them is one comment
line for Kconfig, and for init. ``extflash.kconfig`` numbers lines the same
way. Text init appends uses the file's line ending (CRLF files stay CRLF).
"""

from __future__ import annotations

import codecs
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from extflash.errors import AppDirError

# Kconfig fragments and overlays are a few KiB; anything this large is not one
MAX_BYTES = 1 << 20


@dataclass(frozen=True)
class TextFile:
    text: str  # without BOM
    newline: str  # "\n" or "\r\n"
    bom: bool


def read_text(path: Path, display: str) -> TextFile | None:
    """The file's text, or None if it does not exist."""
    try:
        st = path.stat()
        if stat.S_ISREG(st.st_mode) and st.st_size > MAX_BYTES:
            raise AppDirError(f"{display} is {st.st_size >> 20} MiB; init edits only small text "
                              f"files (at most {MAX_BYTES >> 20} MiB) and left it alone",
                              path=path, hint="check that this is the file you meant")
        if not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
            # a FIFO would block forever, a device never ends
            raise AppDirError(f"{display} is not a regular file (a FIFO, device or socket)",
                              path=path, hint="replace it with a regular file or remove it")
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise AppDirError(f"{display} is larger than {MAX_BYTES >> 20} MiB; init edits "
                              "only small text files and left it alone", path=path,
                              hint="check that this is the file you meant")
    except FileNotFoundError:
        return None
    except IsADirectoryError as e:
        raise AppDirError(f"{display} is a directory, init needs to write a file there",
                          path=path, hint="rename or move that directory") from e
    except OSError as e:
        raise AppDirError(f"cannot read {display}: {e.strerror}", path=path,
                          hint="check its permissions") from e
    bom = raw.startswith(codecs.BOM_UTF8)
    if bom:
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise AppDirError(
            f"{display} is not UTF-8 text (byte {raw[e.start]:#04x} at offset {e.start}); "
            "init does not edit it, so that nothing you wrote changes",
            path=path, hint="convert it to UTF-8 or move it aside, then run init again",
        ) from e
    if "\0" in text:  # valid UTF-8, but not text
        raise AppDirError(f"{display} contains NUL bytes: it is binary, not a text file "
                          "init can edit", path=path, hint="check that this is the file you meant")
    return TextFile(text, detect_newline(text), bom)


def detect_newline(text: str) -> str:
    """The ending of the file's first line; LF when it has none."""
    i = text.find("\n")
    if i > 0 and text[i - 1] == "\r":
        return "\r\n"
    return "\n"


_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` with their endings; only CR, LF and CRLF end a
    line (Python's universal newlines, as Kconfig and the C preprocessor
    read files)."""
    return _LINE_RE.findall(text)


def lines(text: str) -> list[str]:
    return split_lines(text)


def ending_of(line: str) -> str:
    body = line.rstrip("\r\n")
    return line[len(body):]


def append_block(text: str, block: list[str], newline: str) -> str:
    """``text`` + a blank line + ``block`` (lines without endings)."""
    out = text
    if out and not out.endswith(("\n", "\r")):
        out += newline
    if out and not out.endswith(newline + newline) and out.strip():
        out += newline
    return out + "".join(line + newline for line in block)


def encode(text: str, bom: bool) -> bytes:
    data = text.encode("utf-8")
    return codecs.BOM_UTF8 + data if bom else data
