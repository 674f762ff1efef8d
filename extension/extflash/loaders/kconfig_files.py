"""Kconfig output of each image (``<image>/zephyr/.config``) and of sysbuild
(``<build>/zephyr/.config`` with ``SB_CONFIG_*``), via extflash.kconfig.

Values the checks read are decoded by their Kconfig type (``TYPED``); a
value that does not decode (``CONFIG_BOOT_MAX_IMG_SECTORS=abc``, ``=""``,
``=``, a ``=m`` tristate) is left out of ``values`` and reported in
``problems``: the loader never puts a default in its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from extflash import kconfig
from extflash.errors import ArtefactError
from extflash.loaders.files import read_text

INT, HEX, BOOL = "int", "hex", "bool"
# how kconfiglib writes int and hex values (kconfiglib.py _check_int_hex)
_NUMBER = {INT: re.compile(r"-?(0[xX][0-9a-fA-F]+|[0-9]+)"),
           HEX: re.compile(r"(0[xX])?[0-9a-fA-F]+")}

# The symbols the checks read, with the type their Kconfig definition gives
# (a written value of another type is not what Kconfig would have produced):
# - sdk-mcuboot boot/zephyr/Kconfig (NCS v2.7.0): BOOT_MAX_IMG_SECTORS int,
#   UPDATEABLE_IMAGE_NUMBER int, BOOT_MAX_IMG_SECTORS_AUTO and
#   SINGLE_APPLICATION_SLOT bool, the
#   BOOT_SWAP_USING_* / BOOT_UPGRADE_ONLY mode choice (bool);
# - zephyr drivers/flash/Kconfig.nordic_qspi_nor and Kconfig.nor (NCS v2.7.0):
#   NORDIC_QSPI_NOR / SPI_NOR bool, *_FLASH_LAYOUT_PAGE_SIZE int;
# - zephyr modules/Kconfig.mcuboot: MCUBOOT, BOOTLOADER_MCUBOOT bool;
# - sdk-nrf subsys/partition_manager/Kconfig: PM_EXTERNAL_FLASH_HAS_DRIVER,
#   PM_OVERRIDE_EXTERNAL_DRIVER_CHECK, PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY bool;
# - sdk-nrf sysbuild/Kconfig.sysbuild: SB_CONFIG_PM_MCUBOOT_PAD hex,
#   SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY bool; zephyr
#   share/sysbuild/images/bootloader/Kconfig: SB_CONFIG_BOOTLOADER_MCUBOOT bool.
TYPED = {
    "CONFIG_BOOT_MAX_IMG_SECTORS": INT,
    "CONFIG_UPDATEABLE_IMAGE_NUMBER": INT,
    "CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE": INT,
    "CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE": INT,
    "CONFIG_FLASH_MSPI_NOR_LAYOUT_PAGE_SIZE": INT,
    "SB_CONFIG_PM_MCUBOOT_PAD": HEX,
    **dict.fromkeys((
        "CONFIG_BOOT_MAX_IMG_SECTORS_AUTO", "CONFIG_BOOT_SWAP_USING_MOVE",
        "CONFIG_BOOT_SWAP_USING_OFFSET", "CONFIG_BOOT_SWAP_USING_SCRATCH",
        "CONFIG_BOOT_UPGRADE_ONLY", "CONFIG_NORDIC_QSPI_NOR", "CONFIG_SPI_NOR", "CONFIG_SPI",
        "CONFIG_FLASH_MSPI_NOR", "CONFIG_FLASH_SIMULATOR", "CONFIG_MCUBOOT",
        "CONFIG_BOOTLOADER_MCUBOOT", "CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER",
        "CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK", "CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY",
        "CONFIG_NRF53_MULTI_IMAGE_UPDATE", "CONFIG_MCUBOOT_BUILD_STRATEGY_FROM_SOURCE",
        "CONFIG_SINGLE_APPLICATION_SLOT", "CONFIG_MCUBOOT_BOOTLOADER_MODE_SINGLE_APP",
        "SB_CONFIG_BOOTLOADER_MCUBOOT", "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY",
        "SB_CONFIG_MCUBOOT_NRF53_MULTI_IMAGE_UPDATE", "SB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY",
        "SB_CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK", "SB_CONFIG_PARTITION_MANAGER",
    ), BOOL),
}


@dataclass(frozen=True)
class ValueProblem:
    symbol: str
    raw: str
    line: int
    why: str


@dataclass
class LoadedConfig:
    values: dict[str, bool | int | str]
    problems: list[ValueProblem] = field(default_factory=list)


def _problem(symbol: str, raw: str) -> str | None:
    """Why ``raw`` is not a value Kconfig writes for ``symbol``, or None."""
    if raw == "m":
        # Zephyr defines no MODULES symbol, so Kconfig never writes a
        # tristate as m (kconfiglib rounds m up to y without MODULES)
        return "is the tristate value m, which Zephyr's Kconfig never writes (no MODULES)"
    if raw == "":
        # kconfiglib writes strings quoted, numbers as digits and n as a
        # "# CONFIG_X is not set" comment: a bare "CONFIG_X=" is never its output
        return "is empty, which Kconfig never writes"
    kind = TYPED.get(symbol)
    if kind == BOOL:
        return None if raw in ("y", "n") else f"is not y or n (Kconfig type {BOOL})"
    if kind in (INT, HEX) and not _NUMBER[kind].fullmatch(raw):
        if raw.startswith('"'):
            return f"is a quoted string, not a number (Kconfig type {kind})"
        return f"is not a number (Kconfig type {kind})"
    return None


def load_config(path: Path, prefix: str = "CONFIG_") -> LoadedConfig:
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
    values: dict[str, bool | int | str] = {}
    problems: list[ValueProblem] = []
    for a in parsed.assignments:
        why = _problem(a.symbol, a.raw)
        if why is not None:
            problems.append(ValueProblem(a.symbol, a.raw, a.line, why))
            values.pop(a.symbol, None)
            continue
        values[a.symbol] = a.value
    return LoadedConfig(values, problems)


def is_sysbuild_config(path: Path) -> bool:
    from extflash.loaders.files import read_bytes

    try:  # regular files only, never outside the build (loaders.files)
        head = read_bytes(path, "Kconfig output (.config)")[:65536]
    except ArtefactError:
        return False  # loading it later says what is wrong
    return b"SB_CONFIG_" in head
