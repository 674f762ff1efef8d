"""Reading Kconfig output (``.config``) and Kconfig fragments (``prj.conf``,
``sysbuild.conf``, ``mcuboot.conf``) as text.

Decision (recorded in README.rst): kconfiglib is not used. Without Zephyr's
full Kconfig tree it cannot evaluate defaults or dependencies, and it drops
user values of prompt-less symbols (for example ``CONFIG_BOARD``), which
would give wrong answers. ``verify`` reads the *resolved* ``.config``, where
Kconfig has already applied every default, select and dependency, so a
line parser is exact there; ``init`` edits fragments as text so that every
line, comment and the order the user wrote are kept. This is the same
approach as Zephyr's own ``runners.core.BuildConfiguration``.

This module keeps no global state and never judges values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SET_RE = re.compile(r"^(?P<sym>[A-Za-z0-9_]+)=(?P<val>.*)$")
_LINE_END_RE = re.compile(r"\r\n|\r|\n")
_UNSET_RE = re.compile(r"^#\s*(?P<sym>[A-Za-z0-9_]+) is not set\s*$")


@dataclass(frozen=True)
class Assignment:
    """One ``SYMBOL=value`` (or ``# SYMBOL is not set``) line.

    symbol: the full name with its prefix, e.g. ``CONFIG_SPI_NOR``
    raw: the value as written (``y``, ``"text"``, ``0x1000``); ``n`` for "is not set"
    line: 1-based line number in the file
    """

    symbol: str
    raw: str
    line: int

    @property
    def value(self) -> bool | int | str:
        return decode(self.raw)


@dataclass
class KconfigFile:
    """The assignments of one file, in order, duplicates kept.

    assignments: every assignment line, in file order
    malformed: ``(line number, text)`` of lines that are neither an
        assignment, a comment nor blank
    values: symbol -> decoded value, last assignment wins (what Kconfig does)
    """

    assignments: list[Assignment] = field(default_factory=list)
    malformed: list[tuple[int, str]] = field(default_factory=list)

    @property
    def values(self) -> dict[str, bool | int | str]:
        return {a.symbol: a.value for a in self.assignments}

    @property
    def duplicates(self) -> dict[str, list[Assignment]]:
        seen: dict[str, list[Assignment]] = {}
        for a in self.assignments:
            seen.setdefault(a.symbol, []).append(a)
        return {s: lst for s, lst in seen.items() if len(lst) > 1}

    def get(self, symbol: str, default=None):
        return self.values.get(symbol, default)

    def is_y(self, symbol: str) -> bool:
        return self.values.get(symbol) is True


def decode(raw: str) -> bool | int | str:
    """``y``/``n`` -> bool, ``0x..``/decimal -> int, ``"..."`` -> unescaped str."""
    raw = raw.strip()
    if raw == "y":
        return True
    if raw == "n" or raw == "":
        return False
    if len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"':
        return re.sub(r"\\(.)", r"\1", raw[1:-1])
    try:
        value = int(raw, 0)
    except ValueError:  # not a number, or beyond Python's 4300-digit limit
        return raw
    # Kconfig int/hex symbols are 64-bit in the C tools (long long): a wider
    # value is not one they can hold; keep it as written (undecodable)
    return value if value.bit_length() <= 64 else raw


class Hex(int):
    """An int written as ``0x...``: the value of a Kconfig ``hex`` symbol
    (Kconfiglib reads the digits of a hex symbol as hexadecimal even without
    ``0x``, so a decimal rendering would be a different value)."""


def encode(value: bool | int | str) -> str:
    """The inverse of :func:`decode` for values ``init`` writes."""
    if isinstance(value, Hex):
        return hex(value)
    if value is True:
        return "y"
    if value is False:
        return "n"
    if isinstance(value, int):
        return str(value)
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def parse(text: str, prefixes: tuple[str, ...] = ("CONFIG_", "SB_CONFIG_")) -> KconfigFile:
    """Parse ``.config`` or fragment text. Never raises on content.

    CRLF endings and a missing final newline are accepted. Lines that are
    not assignments of a symbol with one of ``prefixes`` and are not
    comments or blank are recorded in ``malformed``.
    """
    result = KconfigFile()
    # only CR, LF and CRLF end a line, as in kconfiglib (universal newlines):
    # a form feed or U+2028 inside a `#` comment does not start a new line
    for number, line in enumerate(_LINE_END_RE.split(text), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        m = _UNSET_RE.match(stripped)
        if m:
            if m["sym"].startswith(prefixes):
                result.assignments.append(Assignment(m["sym"], "n", number))
            continue
        if stripped.startswith("#"):
            continue
        m = _SET_RE.match(stripped)
        if m and m["sym"].startswith(prefixes):
            result.assignments.append(Assignment(m["sym"], m["val"].strip(), number))
        else:
            result.malformed.append((number, line))
    return result
