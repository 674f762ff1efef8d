"""Issue 12 item 4, "strictness that means something": a sweep over every
value a check reads and every artefact file of real builds, each corrupted
one way, verified with ``--strict``; the EXACT outcome is asserted.

Bases (copied into ``tmp_path`` per case, never into the repository):

- ``ncs-real``: ``tests/fixtures/ncs-real/nrf52840dk-qspi`` (real NCS 2.7.0
  sysbuild output, Partition Manager, QSPI secondary; clean under --strict);
- ``corpus``: Botz-Limited sensing_system (nRF5340 with network core, NCS
  2.9, sysbuild, Partition Manager; read from ``../shared/corpus`` at test
  time; clean under --strict);
- ``ncs-real-dts``: ``tests/fixtures/ncs-real/nrf52840dk-dts-partitions``
  (real NCS 2.7.0, devicetree partitions, Partition Manager off).

The values come from grepping the checks and loaders for the Kconfig
symbols (``loaders/kconfig_files.py`` ``TYPED`` lists the ones the checks
read, with the type their Kconfig definition gives: sources cited there),
the Partition Manager keys (``loaders/pm_yaml.py``: ``address``, ``size``,
``region``; ``base_address``, ``size``, ``device``) and the devicetree
properties (``status``, ``reg``, ``write-block-size``). The expected
outcome is this hand-written policy (issue 12 item 4 and the brief: "an ok
means verified", "loaders never guess"), not the code's output:

- a value that is not what Kconfig writes for its type (``m`` for a bool,
  text, empty, quoted, wider than the C tools' 64 bits) -> EXF010
  ``undecodable-value`` naming the file and the symbol, exit 1;
- a file that is present but empty, binary, UTF-16 or truncated -> either
  one ``FATAL ERROR`` line naming it (exit 2: the build cannot be read) or
  a finding naming it (exit 1 under --strict): never exit 0;
- a Partition Manager value of the wrong type, missing, or over 64 bits ->
  EXF002 ``schema`` naming the file and the key path, exit 1.

Every case: no traceback, no "internal error" (hostile_guard), and never
exit 0 under --strict.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from hostile_guard import no_internal_error  # noqa: F401  (autouse)

from conftest import CORPUS, REPO_ROOT, require_corpus, run_cli

NCS_REAL = REPO_ROOT / "tests" / "fixtures" / "ncs-real"
CORPUS_BUILD = "Botz-Limited__sensing_system-Zephyr__build"
BASES = {
    "ncs-real": NCS_REAL / "nrf52840dk-qspi",
    "corpus": CORPUS / "real-builds" / CORPUS_BUILD,
    "ncs-real-dts": NCS_REAL / "nrf52840dk-dts-partitions",
}
# each base's image folders (from its domains.yaml), hand-listed
APP_DIR = {"ncs-real": "qspi-secondary", "corpus": "sensing_fw", "ncs-real-dts": "dts-partitions"}

# the Kconfig symbols the checks read (grep of checks/ and loaders/, the
# table with its Kconfig sources is loaders/kconfig_files.TYPED) by type
BOOLS = (
    "CONFIG_BOOT_MAX_IMG_SECTORS_AUTO", "CONFIG_BOOT_SWAP_USING_MOVE",
    "CONFIG_BOOT_SWAP_USING_OFFSET", "CONFIG_BOOT_SWAP_USING_SCRATCH", "CONFIG_BOOT_UPGRADE_ONLY",
    "CONFIG_NORDIC_QSPI_NOR", "CONFIG_SPI_NOR", "CONFIG_SPI", "CONFIG_FLASH_MSPI_NOR",
    "CONFIG_FLASH_SIMULATOR", "CONFIG_MCUBOOT", "CONFIG_BOOTLOADER_MCUBOOT",
    "CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER", "CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK",
    "CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY", "CONFIG_NRF53_MULTI_IMAGE_UPDATE",
    "CONFIG_MCUBOOT_BUILD_STRATEGY_FROM_SOURCE", "CONFIG_SINGLE_APPLICATION_SLOT",
    "CONFIG_MCUBOOT_BOOTLOADER_MODE_SINGLE_APP", "CONFIG_BOOT_DIRECT_XIP",
    "CONFIG_BOOT_DECOMPRESSION", "CONFIG_PM_EXTERNAL_FLASH_ENABLED", "CONFIG_BOOT_RAM_LOAD",
    "CONFIG_BOOT_FIRMWARE_LOADER",
)
INTS = ("CONFIG_BOOT_MAX_IMG_SECTORS", "CONFIG_UPDATEABLE_IMAGE_NUMBER",
        "CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE", "CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE",
        "CONFIG_FLASH_MSPI_NOR_LAYOUT_PAGE_SIZE")
SB_BOOLS = ("SB_CONFIG_BOOTLOADER_MCUBOOT", "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY",
            "SB_CONFIG_MCUBOOT_NRF53_MULTI_IMAGE_UPDATE", "SB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY",
            "SB_CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK", "SB_CONFIG_PARTITION_MANAGER")
SB_HEXES = ("SB_CONFIG_PM_MCUBOOT_PAD",)

# unparsable text, empty, quoted, tristate m, over 64 bits (Kconfig's C
# tools hold int/hex in 64 bits: scripts/kconfig/symbol.c sym_string_valid
# uses strtoll), beyond Python's int digit limit
BAD_BOOL = {"m": "m", "empty": "", "quoted": '"y"', "text": "yes"}
BAD_INT = {"text": "abc", "empty": "", "quoted": '"256"', "m": "m",
           "over-64-bit": str(1 << 64), "5000-digits": "9" * 5000,
           "negative-over-64-bit": str(-(1 << 63) - 1), "hex-in-int": "0xg1"}
BAD_HEX = {"text": "xyz", "empty": "", "quoted": '"0x200"', "m": "m",
           "over-64-bit": "0x1" + "0" * 16, "5000-digits": "0x" + "f" * 5000,
           "negative": "-0x200"}


def _base(name: str, tmp_path: Path) -> Path:
    src = BASES[name]
    if name == "corpus":
        require_corpus(src)
    dest = tmp_path / "build"
    shutil.copytree(src, dest, symlinks=True)
    for dirpath, dirs, files in os.walk(dest):  # the corpus is read-only
        for entry in dirs + files:
            os.chmod(os.path.join(dirpath, entry), 0o755 if entry in dirs else 0o644)
    return dest


def strict(build: Path) -> tuple[int, dict | None, str]:
    """exit code, the JSON report (None on exit 2), stderr."""
    code, out, err = run_cli(["verify", "-d", str(build), "--strict", "--format", "json"])
    assert "Traceback" not in out + err, err
    assert "internal error" not in out + err, err
    assert code != 0, f"exit 0 under --strict:\n{out}"
    return code, (json.loads(out) if out.strip() else None), err


def findings(report: dict) -> list[dict]:
    return report.get("findings", [])


def assert_finding(result, code: str, file: str, detail: str | None = None) -> dict:
    exit_code, report, err = result
    assert exit_code == 1, (exit_code, err)
    hits = [f for f in findings(report) if f["code"] == code and f["file"] == file
            and (detail is None or f["detail"] == detail or detail in f["message"])]
    assert hits, (code, file, detail, [(f["code"], f["file"], f["detail"], f["message"])
                                       for f in findings(report)])
    return hits[0]


def assert_answered(result, file: str) -> None:
    """exit 2 with one FATAL line naming ``file``, or exit 1 with a finding
    whose file is ``file``."""
    exit_code, report, err = result
    if exit_code == 2:
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("FATAL ERROR: "), err
        assert file in lines[0], (file, lines[0])
        return
    assert exit_code == 1, (exit_code, err)
    named = [f for f in findings(report) if f["file"] == file or file in f["message"]]
    assert named, (file, [(f["code"], f["file"], f["message"]) for f in findings(report)])


def set_symbol(config: Path, symbol: str, raw: str) -> None:
    lines = config.read_text().splitlines()
    pattern = re.compile(rf"^(# )?{re.escape(symbol)}(=| is not set)")
    new = [f"{symbol}={raw}" if pattern.match(line) else line for line in lines]
    if new == lines:
        new.append(f"{symbol}={raw}")
    config.write_text("\n".join(new) + "\n")


# ------------------------------------------------------- Kconfig values


def _kconfig_cases():
    for base in ("ncs-real", "corpus"):
        for image in ("mcuboot", "app") if base == "ncs-real" else ("mcuboot",):
            for symbol in BOOLS:
                for how, raw in BAD_BOOL.items():
                    yield pytest.param(base, image, symbol, raw,
                                       id=f"{base}-{image}-{symbol}-{how}")
            for symbol in INTS:
                for how, raw in BAD_INT.items():
                    yield pytest.param(base, image, symbol, raw,
                                       id=f"{base}-{image}-{symbol}-{how}")
        for symbol in SB_BOOLS:
            for how, raw in BAD_BOOL.items():
                yield pytest.param(base, "sysbuild", symbol, raw, id=f"{base}-sb-{symbol}-{how}")
        for symbol in SB_HEXES:
            for how, raw in BAD_HEX.items():
                yield pytest.param(base, "sysbuild", symbol, raw, id=f"{base}-sb-{symbol}-{how}")


@pytest.mark.timeout(60)
@pytest.mark.parametrize("base, image, symbol, raw", list(_kconfig_cases()))
def test_kconfig_value(tmp_path, base, image, symbol, raw):
    build = _base(base, tmp_path)
    rel = {"mcuboot": "mcuboot/zephyr/.config", "app": f"{APP_DIR[base]}/zephyr/.config",
           "sysbuild": "zephyr/.config"}[image]
    set_symbol(build / rel, symbol, raw)
    assert_finding(strict(build), "EXF010", rel, symbol)
