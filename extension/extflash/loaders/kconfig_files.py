"""Kconfig output of each image (``<image>/zephyr/.config``) and of sysbuild
(``<build>/zephyr/.config`` with ``SB_CONFIG_*``), via extflash.kconfig."""

from __future__ import annotations

from pathlib import Path

from extflash import kconfig
from extflash.errors import ArtefactError
from extflash.loaders.files import read_text


def load_config(path: Path, prefix: str = "CONFIG_") -> dict[str, bool | int | str]:
    """symbol (prefix included) -> value; ``# X is not set`` -> False."""
    text = read_text(path, "Kconfig output (.config)")
    parsed = kconfig.parse(text, prefixes=(prefix,))
    hint = "rebuild (west build -p): Kconfig writes a .config of SYMBOL=value and comment lines"
    # Kconfig output is generated: a foreign line, a symbol set twice to two
    # values, or no assignment at all means the file was damaged or edited
    if parsed.malformed:
        number, line = parsed.malformed[0]
        raise ArtefactError(f"line {number} is not a {prefix}* assignment: {line.strip()[:80]!r}",
                            path=path, hint=hint)
    for symbol, assignments in parsed.duplicates.items():
        if len({a.raw for a in assignments}) > 1:
            first = assignments[0]
            other = next(a for a in assignments if a.raw != first.raw)
            raise ArtefactError(f"line {other.line} sets {symbol}={other.raw}, but line "
                                f"{first.line} set {symbol}={first.raw}", path=path, hint=hint)
    if not parsed.assignments:
        raise ArtefactError(f"has no {prefix}* assignments: the file is empty or truncated",
                            path=path, hint=hint)
    return parsed.values


def is_sysbuild_config(path: Path) -> bool:
    from extflash.loaders.files import read_bytes

    try:  # regular files only, never outside the build (loaders.files)
        head = read_bytes(path, "Kconfig output (.config)")[:65536]
    except ArtefactError:
        return False  # loading it later says what is wrong
    return b"SB_CONFIG_" in head
